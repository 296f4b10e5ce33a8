//! `aidledger reextract`, and the re-extraction `aidledger ingest` does on its own:
//! stored documents whose records were made by another extractor version (or every
//! document, with `--all`) are read back from the store a batch at a time, extracted
//! again from their stored text and metadata, and stored in place of their old
//! records; the ledger is rebuilt once at the end.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use aidledger_core::{extractor_version, ExtractOptions, Extractor};
use aidledger_store::{Ingested, Store, StoreError};
use rayon::prelude::*;

use crate::cli::ReextractArgs;
use crate::ledger_cmd::store_fatal;
use crate::Fatal;

/// Documents read from the store and extracted at a time (their texts are all that is
/// held in memory).
const BATCH: usize = 64;

/// What a re-extraction did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Reextracted {
    /// Documents in the store.
    pub checked: usize,
    /// Documents extracted again whose records changed (and were replaced).
    pub changed: usize,
    /// Documents extracted again whose records came out the same (only their version
    /// was updated).
    pub unchanged: usize,
    /// Documents the extractor failed on: left as they were.
    pub failed: usize,
    /// Records in the store before and after.
    pub records_before: usize,
    pub records_after: usize,
}

impl Reextracted {
    pub fn reextracted(&self) -> usize {
        self.changed + self.unchanged
    }
}

/// Re-extracts the documents of another extractor version (all with `all`), without
/// rebuilding the ledger (the caller does it once). `progress` shows a line on stderr.
/// Errors name the database as `db`.
pub(crate) fn reextract_store(
    store: &mut Store,
    db: &str,
    all: bool,
    progress: bool,
) -> Result<Reextracted, Fatal> {
    reextract_inner(store, all, progress).map_err(|e| match e {
        Failure::Store(e) => store_fatal(db, e),
        Failure::Fatal(f) => f,
    })
}

enum Failure {
    Store(StoreError),
    Fatal(Fatal),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

fn reextract_inner(store: &mut Store, all: bool, progress: bool) -> Result<Reextracted, Failure> {
    let version = extractor_version();
    let counts = store.version_counts(version)?;
    let todo = if all {
        counts.documents
    } else {
        counts.outdated
    };
    let mut done = Reextracted {
        checked: counts.documents,
        records_before: store.record_count()?,
        ..Default::default()
    };
    if todo == 0 {
        done.records_after = done.records_before;
        return Ok(done);
    }
    crate::panics::install_hook();
    let extractor = Extractor::new()
        .map_err(|e| Failure::Fatal(Fatal::Io(format!("built-in data files are broken: {e}"))))?;
    let opts = ExtractOptions { explain: false };
    let start = Instant::now();
    let mut last_shown = start;
    let mut after: Option<String> = None;
    loop {
        let docs = store.stored_documents((!all).then_some(version), after.as_deref(), BATCH)?;
        let Some(last) = docs.last() else { break };
        after = Some(last.id.clone());
        let full = docs.len() == BATCH;
        let extracted: Vec<_> = docs
            .into_par_iter()
            .map(|doc| {
                let r = crate::panics::catch(|| extractor.extract(&doc, &opts));
                (doc, r)
            })
            .collect();
        let mut batch = Vec::with_capacity(extracted.len());
        for (doc, r) in extracted {
            match r {
                Ok(Ok(ex)) => batch.push((doc, ex)),
                Ok(Err(e)) => {
                    done.failed += 1;
                    eprintln!("aidledger: document {:?} left as it was: {e}", doc.id);
                }
                Err(msg) => {
                    done.failed += 1;
                    eprintln!(
                        "aidledger: document {:?} left as it was: internal error in the extractor: {msg}",
                        doc.id
                    );
                }
            }
        }
        for outcome in store.ingest_batch_each(&batch)? {
            match outcome {
                Ingested::Unchanged => done.unchanged += 1,
                _ => done.changed += 1,
            }
        }
        if progress && last_shown.elapsed().as_millis() >= 250 {
            last_shown = Instant::now();
            let n = done.reextracted() + done.failed;
            eprint!(
                "\raidledger: re-extracting: {n} of {todo} documents, {:.0} s",
                start.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().flush();
        }
        if !full {
            break;
        }
    }
    if progress && last_shown != start {
        eprint!("\r\x1b[K");
    }
    done.records_after = store.record_count()?;
    Ok(done)
}

/// Run `aidledger reextract`.
pub fn run(args: ReextractArgs) -> Result<(), Fatal> {
    let start = Instant::now();
    let db = args.db.db.clone();
    // a missing database is said so, and nothing is created
    let read_only = Store::open_read_only(&db).map_err(|e| store_fatal(&db, e))?;
    let progress = !args.quiet && std::io::stderr().is_terminal();
    if args.dry_run {
        let counts = read_only
            .version_counts(extractor_version())
            .map_err(|e| store_fatal(&db, e))?;
        let todo = if args.all {
            counts.documents
        } else {
            counts.outdated
        };
        if !args.quiet {
            eprintln!(
                "aidledger: {db}: dry run: {} documents checked, {} read by another extractor version; {todo} would be re-extracted by {}; nothing changed",
                counts.documents,
                counts.outdated,
                extractor_version()
            );
        }
        return Ok(());
    }
    drop(read_only);
    let mut store = Store::open(&db).map_err(|e| store_fatal(&db, e))?;
    let done = reextract_store(&mut store, &db, args.all, progress)?;
    // with --all the ledger is recomputed even if no record changed (its rules may have)
    let commitments = store
        .rebuild_commitments(args.all && done.reextracted() > 0)
        .map_err(|e| store_fatal(&db, e))?;
    if !args.quiet {
        eprintln!(
            "aidledger: {db}: {} documents checked, {} re-extracted ({} with new records, {} unchanged), {} left as they were; {} records before, {} after; {commitments} commitments in the ledger; {:.2} s",
            done.checked,
            done.reextracted(),
            done.changed,
            done.unchanged,
            done.failed,
            done.records_before,
            done.records_after,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
