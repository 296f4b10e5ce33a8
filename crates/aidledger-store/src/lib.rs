//! AidLedger's store: documents, their records with evidence, and the merged
//! commitments, in an embedded SQLite file by default or a shared PostgreSQL server.
//! One logical schema, versioned migrations for each backend, the same behaviour on
//! both.

use aidledger_core::{Document, Extraction, Record, Status};
use aidledger_ledger::{Commitment, SourcedRecord};

/// Why a store operation failed. Messages name the database and say what to do.
#[derive(Debug)]
pub enum StoreError {
    /// The database cannot be opened or created (unwritable path, bad URL, server down).
    Open(String),
    /// The database was written by a newer AidLedger (its schema version is higher).
    NewerSchema { found: i64, supported: i64 },
    /// Any other database error, with context.
    Db(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Open(m) => write!(f, "cannot open the database: {m}"),
            StoreError::NewerSchema { found, supported } => write!(
                f,
                "the database has schema version {found}, newer than this aidledger supports ({supported}): upgrade aidledger"
            ),
            StoreError::Db(m) => write!(f, "database error: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// What one ingest batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// New documents stored.
    pub added: usize,
    /// Documents whose text or metadata changed: their records were replaced.
    pub replaced: usize,
    /// Documents already stored unchanged: nothing done.
    pub unchanged: usize,
    pub records: usize,
}

/// Filters of `aidledger ledger` (all optional; all given ones must hold).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerFilter {
    pub donor: Option<String>,
    pub recipient: Option<String>,
    /// Case-insensitive substring of the item name.
    pub item: Option<String>,
    pub category: Option<String>,
    /// The commitment reached this stage (any of its stages has it).
    pub status: Option<Status>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: commitments with a date on or after / before.
    pub since: Option<String>,
    pub until: Option<String>,
    pub min_sources: Option<usize>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// A stored document without its text.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSummary {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub lang: Option<String>,
}

/// The store. Opened from a location: a file path (SQLite, created if missing),
/// `sqlite:PATH`, or `postgres://...` / `postgresql://...`.
pub struct Store {
    _private: (),
}

impl Store {
    pub fn open(location: &str) -> Result<Store, StoreError> {
        let _ = location;
        Err(StoreError::Open("not implemented yet".into()))
    }

    /// Stores documents with their extraction, in one transaction: an unchanged
    /// document (same content hash) is left alone, a changed one has its records
    /// replaced. Marks the commitments stale in the same transaction.
    pub fn ingest_batch(&mut self, docs: &[(Document, Extraction)]) -> Result<IngestStats, StoreError> {
        let _ = docs;
        unimplemented_err()
    }

    /// Recomputes the commitments from all stored records (with `aidledger_ledger::merge`)
    /// and replaces them atomically, clearing the stale mark. A no-op when not stale
    /// unless `force`.
    pub fn rebuild_commitments(&mut self, force: bool) -> Result<usize, StoreError> {
        let _ = force;
        unimplemented_err()
    }

    pub fn commitments(&self, filter: &LedgerFilter) -> Result<Vec<Commitment>, StoreError> {
        let _ = filter;
        unimplemented_err()
    }

    pub fn commitment(&self, id: &str) -> Result<Option<Commitment>, StoreError> {
        let _ = id;
        unimplemented_err()
    }

    /// All records with their document's metadata, in document then record order.
    pub fn records(&self) -> Result<Vec<SourcedRecord>, StoreError> {
        unimplemented_err()
    }

    /// Full-text search over stored documents; best matches first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<(DocumentSummary, Vec<Record>)>, StoreError> {
        let _ = (query, limit);
        unimplemented_err()
    }
}

fn unimplemented_err<T>() -> Result<T, StoreError> {
    Err(StoreError::Db("not implemented yet".into()))
}
