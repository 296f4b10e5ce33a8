//! Streaming reader for input documents.
//!
//! [`InputReader`] walks the inputs given on the command line in order and yields one
//! [`InputItem`] per document, per skipped document, and per file-level event (a file that
//! could not be read, a corrupt gzip stream, an empty file, a file ignored in a folder).
//! The extraction pipeline only ever sees documents that passed every check here.
//!
//! # Inputs
//!
//! - `-`: standard input, read as documents JSONL (gzip is recognised by its magic bytes).
//! - a file named `*.jsonl`, `*.json`, `*.ndjson`: documents JSONL, one JSON object per line.
//! - a file named `*.gz` (`*.jsonl.gz`, `*.json.gz`, `*.ndjson.gz`, plain `*.gz`): gzip
//!   compressed documents JSONL, decoded as a stream (concatenated gzip members are read
//!   one after the other). `*.txt.gz`, `*.text.gz`, `*.md.gz` are compressed text files.
//! - a file named `*.txt`, `*.text`, `*.md`: one document whose id is the file stem
//!   (`notes/kyiv.txt` → `kyiv`) and whose text is the whole file.
//! - a folder: walked recursively in sorted (byte-wise name) order. Files with other
//!   extensions and special files (pipes, sockets, devices) are ignored with a note; hidden
//!   entries (names starting with `.`) are skipped silently; symbolic links are followed,
//!   but a link back to a folder being walked (a loop) or to a folder already read is not.
//! - a file named explicitly with any other extension (or none, like `/dev/fd/63`) is read
//!   as documents JSONL. [`Format`] overrides the choice for stdin and explicitly named files.
//!
//! Every plain file, and stdin, is also checked for the gzip magic bytes, so compressed data
//! under another name is decoded too.
//!
//! # Checks on documents JSONL
//!
//! Blank lines are ignored. A UTF-8 byte order mark at the start of a file is dropped.
//! A line is skipped (yielding an item with an [`InputProblem`]) when it is longer than
//! the size limit (the line is read in chunks and discarded, never held whole), is not
//! valid UTF-8, is not valid JSON, is not a JSON object, has no string `id` that
//! `aidledger_store::check_document_id` accepts (a missing id is **not** derived from
//! the line number: the scorer matches records to documents by id, so a document without
//! one is skipped; an id that is empty, only whitespace, or holds a control or invisible
//! formatting character is never rewritten, its document is skipped), has no string
//! `text`, or has a
//! `text` holding NUL characters. Optional fields (`published`, `source`, `url`, `title`,
//! `lang`) that are present but not strings, or a `published` that is not a date, are
//! dropped with a warning and the document is kept. A `published` written as a full
//! timestamp (`2024-10-11T08:00:00Z`) keeps its date part. A file whose first line starts
//! with `[` is a JSON array, not JSON Lines, and is skipped whole with a hint.
//!
//! Duplicate ids give a warning and the document is kept (what becomes of it is the
//! caller's business: `ingest` stores the later one in place of the earlier one, see
//! [`ReaderOptions::later_duplicate_wins`]). To keep memory flat, ids are remembered as
//! 64-bit hashes (8 bytes per document).
//!
//! # Checks on text files
//!
//! The file is skipped when its id (the file name) is refused as above, it is larger
//! than the size limit, holds NUL bytes (binary data), or is not valid UTF-8; the message
//! names the line of the offending byte. A file
//! holding only whitespace gives an "empty file" note.

mod fields;
mod files;
mod ids;
mod reader;
#[cfg(test)]
mod tests;
mod warc;

use std::path::PathBuf;

use aidledger_core::Document;

pub use fields::{parse_jsonl_document, parse_published};
pub use ids::{id_hash, IdTable};
pub use reader::InputReader;

#[cfg(test)]
use fields::text_document;
#[cfg(test)]
use files::{kind_by_name, read_line_limited, text_id, Kind, LineRead};

/// Default for `--max-doc-bytes`: 32 MiB.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 32 << 20;

const READ_BUFFER: usize = 256 << 10;

/// How to read stdin and files named explicitly on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// By file name (see the module documentation); stdin and unknown names are JSONL.
    #[default]
    Auto,
    /// Documents JSONL, whatever the name.
    Jsonl,
    /// One text document per input, whatever the name (stdin's id is `stdin`).
    Text,
    /// One HTML page per input, whatever the name: its main text is the document.
    Html,
    /// A WARC archive (gzip or not), whatever the name.
    Warc,
}

/// Settings of an [`InputReader`].
#[derive(Debug, Clone)]
pub struct ReaderOptions {
    /// Largest accepted document: a JSONL line (without its line ending) or a text file.
    pub max_doc_bytes: u64,
    pub format: Format,
    /// Filled into `published` of every document that has none (`--published`).
    pub default_published: Option<String>,
    /// What the warning about a repeated id says: `false` (extract) both documents are
    /// kept; `true` (ingest) the later one replaces the earlier one.
    pub later_duplicate_wins: bool,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            format: Format::Auto,
            default_published: None,
            later_duplicate_wins: false,
        }
    }
}

/// One input named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    Stdin,
    Path(PathBuf),
}

impl InputSpec {
    /// `-` is stdin, anything else a path.
    pub fn from_arg(arg: &std::ffi::OsStr) -> InputSpec {
        if arg == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(arg))
        }
    }
}

/// One thing the reader found: a document, a skipped document, or a file-level event.
#[derive(Debug)]
pub struct InputItem {
    /// Where it comes from: `path:line` for a JSONL line, `path` for a text file or a
    /// file-level event (`path:line` when the event happened at a known line).
    pub origin: String,
    /// Serial number of the file the item comes from (one per opened file or stdin), so
    /// that messages can be capped per file.
    pub file_index: u64,
    /// Bytes of (decompressed) input this item accounts for.
    pub bytes: u64,
    pub result: Result<Document, InputProblem>,
    /// Problems that did not stop the document: duplicate id, dropped optional fields.
    pub warnings: Vec<String>,
}

/// Why an input item is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub kind: ProblemKind,
    /// Human-readable detail, e.g. `not valid JSON (expected value at column 1)`.
    pub detail: String,
}

/// Kinds of [`InputProblem`]; see [`ProblemKind::level`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    // One document skipped.
    InvalidJson,
    NotObject,
    BadId,
    BadText,
    InvalidUtf8,
    TooLarge,
    Binary,
    // A whole file (or its rest) skipped.
    Unreadable,
    CorruptGzip,
    ReadError,
    DirectoryLoop,
    JsonArray,
    // Notes: nothing was lost.
    Empty,
    Ignored,
    /// A WARC response that is not an HTML page (counted, not listed).
    NotHtml,
}

/// How serious a [`ProblemKind`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One document was skipped.
    Document,
    /// A file, or the rest of it, was skipped.
    File,
    /// Nothing was lost (empty file, file of another type in a folder).
    Note,
}

impl ProblemKind {
    pub fn level(self) -> Level {
        use ProblemKind::*;
        match self {
            InvalidJson | NotObject | BadId | BadText | InvalidUtf8 | TooLarge | Binary => {
                Level::Document
            }
            Unreadable | CorruptGzip | ReadError | DirectoryLoop | JsonArray => Level::File,
            Empty | Ignored | NotHtml => Level::Note,
        }
    }

    /// Short label used in the summary line.
    pub fn label(self) -> &'static str {
        use ProblemKind::*;
        match self {
            InvalidJson => "not valid JSON",
            NotObject => "not a JSON object",
            BadId => "no valid id",
            BadText => "no valid text",
            InvalidUtf8 => "invalid UTF-8",
            TooLarge => "too large",
            Binary => "binary data",
            Unreadable => "unreadable",
            CorruptGzip => "corrupt gzip",
            ReadError => "read error",
            DirectoryLoop => "directory loop",
            JsonArray => "JSON array instead of JSON Lines",
            Empty => "empty",
            Ignored => "ignored",
            NotHtml => "not HTML",
        }
    }
}

pub(crate) fn problem(kind: ProblemKind, detail: impl Into<String>) -> InputProblem {
    InputProblem {
        kind,
        detail: detail.into(),
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
