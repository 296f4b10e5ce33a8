//! AidLedger's store: documents, their records with evidence, and the merged
//! commitments, in an embedded SQLite file by default or a shared PostgreSQL server.
//! One logical schema, versioned migrations for each backend, the same behaviour on
//! both.
//!
//! * [`schema`]: the schema, written once as data (tables, indexes, per-backend SQL
//!   where the backends differ), and its migrations.
//! * `sqlite` / `pg`: the two connections, behind one small trait (`db::Conn`, which
//!   also runs transactions with retries); all the store's logic — this file, `rows`
//!   (values to rows and back) and `query` (ledger filters, search words) — is written
//!   once against it, in SQL both backends accept.
//!
//! * `open`: [`Location`], [`Store::open`] (read-write, migrating) and
//!   [`Store::open_read_only`] (for the commands that only read).
//! * [`validate`]: the checks of document ids and ledger filters, which the command
//!   line and the web API share; [`csv`]: CSV safe to open in a spreadsheet.
//!
//! * `ledger`: rebuilding the commitments (all of them, or only those of the parties a
//!   write touched), confirmations of flagged commitments, pages and sums in SQL.
//!
//! Crash safety: [`Store::ingest_batch`] is one transaction that also marks the
//! commitments stale (and records which parties it touched);
//! [`Store::rebuild_commitments`] recomputes them and replaces them in one transaction
//! that clears the mark. A process killed at any
//! point leaves the database as it was after its last commit, and running the same
//! ingest again completes it to exactly the state of an uninterrupted run (unchanged
//! documents are skipped by their content hash).

mod counts;
pub mod csv;
mod db;
mod ledger;
mod live;
mod open;
mod pg;
mod query;
mod reextract;
mod rows;
pub mod schema;
mod sqlite;
pub mod validate;

use std::cell::RefCell;

use aidledger_core::{Document, Extraction, Record, Status};
use aidledger_ledger::{Commitment, SourcedRecord};

use db::{Conn, DbError, TxKind, Val};
pub use ledger::{Confirmation, Order, Page, SortKey, SumsBy, SumsGroup};
pub use live::Interrupter;
pub use open::{Access, Location};
use query::{filter_sql, search_terms};
pub use reextract::VersionCounts;
use rows::{load_records, parse_commitment_row, prepare_doc, summary, COMMITMENT_COLUMNS};
pub use schema::{Backend, LATEST_VERSION};
use validate::check_batch_ids;
pub use validate::{check_document_id, FilterError, IdError, MAX_FILTER_CHARS, MAX_ID_BYTES};

/// Why a store operation failed. Messages name the database and say what to do.
#[derive(Debug)]
pub enum StoreError {
    /// The database cannot be opened or created (unwritable path, bad URL, server down).
    Open(String),
    /// No database file at this path (a read-only open creates none).
    Missing(String),
    /// What the caller asked for is refused before the database is touched: a bad
    /// document id, the same id twice in one batch, a filter that is too long. The
    /// message says which.
    Invalid(String),
    /// The database was written by a newer AidLedger (its schema version is higher).
    NewerSchema { found: i64, supported: i64 },
    /// Any other database error, with context.
    Db(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Open(m) => write!(f, "cannot open the database: {m}"),
            StoreError::Missing(path) => write!(
                f,
                "no database at {path}: run `aidledger ingest` first"
            ),
            StoreError::Invalid(m) => f.write_str(m),
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
    /// Records stored (those of the added and replaced documents).
    pub records: usize,
}

/// What an ingest batch did with one document ([`Store::ingest_batch_each`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ingested {
    /// Stored as a new document.
    Added,
    /// Stored in place of a different version: its records were replaced.
    Replaced,
    /// Already stored exactly so: nothing done.
    Unchanged,
}

/// Filters of `aidledger ledger` (all optional; all given ones must hold).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerFilter {
    /// Donor code, case-insensitive.
    pub donor: Option<String>,
    /// Recipient code, case-insensitive.
    pub recipient: Option<String>,
    /// Case-insensitive substring of the item name.
    pub item: Option<String>,
    /// Category, case-insensitive.
    pub category: Option<String>,
    /// The commitment reached this stage (any of its stages has it).
    pub status: Option<Status>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: commitments with a date on or after / before.
    /// Dates are compared at the precision both have: `2022-05` is on or after
    /// `2022-05-10` (it may be), `2022-04` is not.
    pub since: Option<String>,
    pub until: Option<String>,
    pub min_sources: Option<usize>,
    /// Only commitments of this kind (package, transfer, request, total, budget).
    pub kind: Option<aidledger_core::Kind>,
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

/// A hook the tests call points of [`Store::ingest_batch`] with (`"document"` after each
/// stored document).
#[doc(hidden)]
pub type Hook = Box<dyn FnMut(&str) + Send>;

/// The store. Opened from a location: a file path (SQLite, created if missing),
/// `sqlite:PATH`, or `postgres://...` / `postgresql://...`.
pub struct Store {
    conn: RefCell<Box<dyn Conn>>,
    /// The location as given (password hidden), for messages.
    shown: String,
    hook: Option<Hook>,
    access: Access,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.shown)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        self.conn.borrow().backend()
    }

    /// The location the store was opened from (a PostgreSQL password hidden).
    pub fn location(&self) -> &str {
        &self.shown
    }

    pub(crate) fn db_err(&self, what: &str, e: DbError) -> StoreError {
        StoreError::Db(format!("{}: {what}: {}", self.shown, e.msg))
    }

    /// Stores documents with their extraction, in one transaction: an unchanged
    /// document (same content hash) is left alone, a changed one has its records
    /// replaced. Marks the commitments stale in the same transaction.
    ///
    /// A document's language, publication date and source, when it names none, are
    /// those of its extraction. Records are stored under the document's id (their own
    /// `doc_id` is not consulted). NUL characters in stored text become spaces; ids are
    /// never changed: a batch holding an id that [`check_document_id`] refuses, or the
    /// same id twice, is refused whole ([`StoreError::Invalid`]) and nothing is stored.
    pub fn ingest_batch(
        &mut self,
        docs: &[(Document, Extraction)],
    ) -> Result<IngestStats, StoreError> {
        let mut stats = IngestStats::default();
        for ((_, ex), done) in docs.iter().zip(self.ingest_batch_each(docs)?) {
            match done {
                Ingested::Added => stats.added += 1,
                Ingested::Replaced => stats.replaced += 1,
                Ingested::Unchanged => stats.unchanged += 1,
            }
            if done != Ingested::Unchanged {
                stats.records += ex.records.len();
            }
        }
        Ok(stats)
    }

    /// [`Store::ingest_batch`], telling what was done with each document, in order.
    pub fn ingest_batch_each(
        &mut self,
        docs: &[(Document, Extraction)],
    ) -> Result<Vec<Ingested>, StoreError> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        check_batch_ids(docs)?;
        let prepared = docs
            .iter()
            .map(prepare_doc)
            .collect::<Result<Vec<_>, String>>()
            .map_err(StoreError::Db)?;
        let hook = &mut self.hook;
        let conn = self.conn.get_mut().as_mut();
        let r = db::transaction(conn, TxKind::Write, |c| {
            let mut done = Vec::with_capacity(prepared.len());
            for d in &prepared {
                let old = c.query(
                    "SELECT content_hash, extractor FROM documents WHERE id = $1",
                    &[Val::text(d.id)],
                )?;
                // built only for a document that is written (the text may be large)
                let meta = || {
                    [
                        Val::opt_text(d.url),
                        Val::opt_text(d.source),
                        Val::opt_text(d.published),
                        Val::opt_text(d.lang),
                        Val::opt_text(d.title),
                        Val::text(d.text),
                        Val::Text(d.hash.clone()),
                        Val::text(aidledger_core::extractor_version()),
                        Val::text(d.id),
                    ]
                };
                match old.first().and_then(|r| r.first()).and_then(Val::as_str) {
                    Some(h) if h == d.hash => {
                        // the same records: only the version that read them is new
                        let version = aidledger_core::extractor_version();
                        let at = old[0].get(1).and_then(Val::as_str).unwrap_or("");
                        if at != version {
                            c.execute(
                                "UPDATE documents SET extractor = $1 WHERE id = $2",
                                &[Val::text(version), Val::text(d.id)],
                            )?;
                        }
                        done.push(Ingested::Unchanged);
                        continue;
                    }
                    Some(_) => {
                        // the parties of the old records are touched too
                        ledger::mark_doc_dirty(c, d.id)?;
                        c.execute("DELETE FROM evidence WHERE doc_id = $1", &[Val::text(d.id)])?;
                        c.execute("DELETE FROM records WHERE doc_id = $1", &[Val::text(d.id)])?;
                        c.execute(
                            "UPDATE documents SET url = $1, source = $2, published = $3, lang = $4, title = $5,
                                 text = $6, content_hash = $7, extractor = $8 WHERE id = $9",
                            &meta(),
                        )?;
                        done.push(Ingested::Replaced);
                    }
                    None => {
                        c.execute(
                            "INSERT INTO documents (url, source, published, lang, title, text, content_hash, extractor, id)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                            &meta(),
                        )?;
                        done.push(Ingested::Added);
                    }
                }
                for r in &d.records {
                    c.execute(
                        "INSERT INTO records (doc_id, ord, status, donors, recipient, items, value_amount,
                             value_currency, date, asserted_by, confidence, kind, flags)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                        &r.params,
                    )?;
                    ledger::write_parties(c, &r.params[0], &r.params[1], &r.parties)?;
                    for (i, ev) in r.evidence.iter().enumerate() {
                        let mut p = Vec::with_capacity(6);
                        p.push(r.params[0].clone());
                        p.push(r.params[1].clone());
                        p.push(Val::Int(i as i64));
                        p.extend(ev.iter().cloned());
                        c.execute(
                            "INSERT INTO evidence (doc_id, record_ord, ord, start_byte, end_byte, text)
                             VALUES ($1, $2, $3, $4, $5, $6)",
                            &p,
                        )?;
                    }
                }
                if let Some(h) = hook.as_mut() {
                    h("document");
                }
            }
            if done.iter().any(|d| *d != Ingested::Unchanged) {
                // only the parties written above need a rebuild, unless the whole
                // ledger already does
                c.execute(
                    "UPDATE meta SET value = 'parts' WHERE key = 'commitments_stale' AND value = '0'",
                    &[],
                )?;
                live::bump_generation(c)?;
            }
            Ok(done)
        });
        r.map_err(|e| {
            StoreError::Db(format!(
                "{}: ingest (nothing of this batch was stored): {}",
                self.shown, e.msg
            ))
        })
    }

    /// Whether records changed since the commitments were last rebuilt.
    pub fn commitments_stale(&self) -> Result<bool, StoreError> {
        let mut conn = self.conn.borrow_mut();
        is_stale(conn.as_mut()).map_err(|e| self.db_err("read the stale mark", e))
    }

    pub(crate) fn commitment_count(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn.borrow_mut();
        count(conn.as_mut(), "commitments").map_err(|e| self.db_err("count the commitments", e))
    }

    /// The commitments that pass the filter, latest first (by last date, then donor,
    /// item and id; commitments without dates last).
    ///
    /// A filter longer than [`MAX_FILTER_CHARS`] is [`StoreError::Invalid`]; `%` and `_`
    /// in the item filter match themselves.
    pub fn commitments(&self, filter: &LedgerFilter) -> Result<Vec<Commitment>, StoreError> {
        filter
            .check()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let (sql, params) = filter_sql(filter);
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| c.query(&sql, &params))
            .map_err(|e| self.db_err("read the ledger", e))?;
        rows.into_iter()
            .map(parse_commitment_row)
            .collect::<Result<_, _>>()
            .map_err(|e| self.db_err("read the ledger", e))
    }

    /// One commitment by its full id.
    pub fn commitment(&self, id: &str) -> Result<Option<Commitment>, StoreError> {
        if check_document_id(id).is_err() {
            // no stored id looks so; looked up, it would be rewritten (NUL → space)
            return Ok(None);
        }
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| {
            c.query(
                &format!("SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE c.id = $1"),
                &[Val::text(id)],
            )
        })
        .map_err(|e| self.db_err("read a commitment", e))?;
        match rows.into_iter().next() {
            None => Ok(None),
            Some(r) => parse_commitment_row(r)
                .map(Some)
                .map_err(|e| self.db_err("read a commitment", e)),
        }
    }

    /// All records with their document's metadata, in document then record order.
    pub fn records(&self) -> Result<Vec<SourcedRecord>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        read(conn.as_mut(), |c| load_records(c, None))
            .map_err(|e| self.db_err("read the records", e))
    }

    /// All stored documents (without their text), by id.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| {
            c.query(
                "SELECT id, title, url, source, published, lang FROM documents ORDER BY id",
                &[],
            )
        })
        .map_err(|e| self.db_err("read the documents", e))?;
        Ok(rows.into_iter().map(summary).collect())
    }

    /// One stored document: its metadata, its text, and its records (in record order,
    /// with their evidence), or `None` when no document has this id (as none has an id
    /// that [`check_document_id`] refuses).
    pub fn document(
        &self,
        id: &str,
    ) -> Result<Option<(DocumentSummary, String, Vec<Record>)>, StoreError> {
        if check_document_id(id).is_err() {
            return Ok(None);
        }
        let mut conn = self.conn.borrow_mut();
        read(conn.as_mut(), |c| {
            let rows = c.query(
                "SELECT id, title, url, source, published, lang, text FROM documents WHERE id = $1",
                &[Val::text(id)],
            )?;
            let Some(mut row) = rows.into_iter().next() else {
                return Ok(None);
            };
            let text = row.pop().and_then(Val::into_string).unwrap_or_default();
            let records = load_records(c, Some(id))?
                .into_iter()
                .map(|r| r.record)
                .collect();
            Ok(Some((summary(row), text, records)))
        })
        .map_err(|e| self.db_err("read a document", e))
    }

    /// Full-text search over stored documents; best matches first. The query is read as
    /// plain words (letters and digits; everything else separates them), all of which
    /// must occur in the title or text; accents and case are ignored. No query syntax
    /// is interpreted, so no query can fail: one without words finds nothing.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<(DocumentSummary, Vec<Record>)>, StoreError> {
        let terms = search_terms(query);
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut conn = self.conn.borrow_mut();
        read(conn.as_mut(), |c| {
            let docs = c.search(&terms, limit)?;
            let mut out = Vec::with_capacity(docs.len());
            for row in docs {
                let doc = summary(row);
                let records = load_records(c, Some(&doc.id))?
                    .into_iter()
                    .map(|s| s.record)
                    .collect();
                out.push((doc, records));
            }
            Ok(out)
        })
        .map_err(|e| self.db_err("search", e))
    }

    /// Every row of every table of the logical schema, as text, sorted within each
    /// table (tables in schema order): two stores with equal dumps hold the same data.
    /// Backend-internal data (SQLite's row ids and FTS5 index, PostgreSQL's `tsvector`
    /// column) is left out, and so is the `generation` write counter of `meta`. For tests
    /// and diagnostics.
    pub fn dump(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        read(conn.as_mut(), |c| {
            let mut out = Vec::new();
            for t in schema::tables() {
                let cols: Vec<String> = t
                    .columns
                    .iter()
                    .map(|col| format!("CAST({} AS TEXT)", col.name))
                    .collect();
                // the generation counts writes, not data: two ways to the same data
                // may count differently
                let only_data = if t.name == "meta" {
                    " WHERE key <> 'generation'"
                } else {
                    ""
                };
                let rows = c.query(
                    &format!("SELECT {} FROM {}{only_data}", cols.join(", "), t.name),
                    &[],
                )?;
                let mut lines: Vec<String> = rows
                    .into_iter()
                    .map(|r| {
                        let vals: Vec<String> = r
                            .into_iter()
                            .map(|v| match v {
                                Val::Null => "NULL".to_string(),
                                Val::Text(s) => format!("{s:?}"),
                                Val::Int(i) => i.to_string(),
                                Val::Real(x) => x.to_string(),
                            })
                            .collect();
                        format!("{}: {}", t.name, vals.join(" | "))
                    })
                    .collect();
                lines.sort();
                out.extend(lines);
            }
            Ok(out)
        })
        .map_err(|e| self.db_err("dump", e))
    }

    /// Backend consistency checks: on SQLite `PRAGMA integrity_check` and the FTS5
    /// index against the documents; nothing more on PostgreSQL.
    pub fn check_integrity(&self) -> Result<(), StoreError> {
        let mut conn = self.conn.borrow_mut();
        conn.check_integrity()
            .map_err(|e| self.db_err("integrity check", e))
    }

    /// The PostgreSQL server process of this connection (`None` on SQLite). For tests.
    #[doc(hidden)]
    pub fn backend_pid(&self) -> Option<i32> {
        self.conn.borrow_mut().backend_pid()
    }

    /// Installs a function called at points of `ingest_batch` (`"document"` after each
    /// written document, inside the transaction). For tests of failures mid-batch.
    #[doc(hidden)]
    pub fn set_test_hook(&mut self, hook: Option<Hook>) {
        self.hook = hook;
    }
}

/// Runs reads in one snapshot (retried while the database is busy).
pub(crate) fn read<T>(
    conn: &mut dyn Conn,
    f: impl FnMut(&mut dyn Conn) -> Result<T, DbError>,
) -> Result<T, DbError> {
    db::transaction(conn, TxKind::Read, f)
}

fn is_stale(c: &mut dyn Conn) -> Result<bool, DbError> {
    let rows = c.query(
        "SELECT value FROM meta WHERE key = 'commitments_stale'",
        &[],
    )?;
    Ok(rows.first().and_then(|r| r.first()).and_then(Val::as_str) != Some("0"))
}

pub(crate) fn count(c: &mut dyn Conn, table: &str) -> Result<usize, DbError> {
    let rows = c.query(&format!("SELECT count(*) FROM {table}"), &[])?;
    let n = rows
        .first()
        .and_then(|r| r.first())
        .and_then(Val::as_i64)
        .unwrap_or(0);
    Ok(usize::try_from(n).unwrap_or(0))
}
