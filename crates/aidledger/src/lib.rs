//! The library half of the `aidledger` command: the input reader, so that it can be
//! reached from outside the binary (the fuzz targets in `fuzz/`, docs/fuzzing.md). The
//! command itself is `src/main.rs`.

pub mod input;
