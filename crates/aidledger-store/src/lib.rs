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
//! Crash safety: [`Store::ingest_batch`] is one transaction that also marks the
//! commitments stale; [`Store::rebuild_commitments`] recomputes them from all records
//! and replaces them in one transaction that clears the mark. A process killed at any
//! point leaves the database as it was after its last commit, and running the same
//! ingest again completes it to exactly the state of an uninterrupted run (unchanged
//! documents are skipped by their content hash).

mod db;
mod pg;
mod query;
mod rows;
pub mod schema;
mod sqlite;

use std::cell::RefCell;
use std::collections::BTreeSet;

use aidledger_core::{Document, Extraction, Record, Status};
use aidledger_ledger::{Commitment, SourcedRecord};

use db::{Conn, DbError, TxKind, Val};
use query::{filter_sql, search_terms};
use rows::{commitment_row, load_records, parse_commitment, prepare_doc, summary};
pub use schema::{Backend, LATEST_VERSION};

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
    /// Records stored (those of the added and replaced documents).
    pub records: usize,
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

/// Where a store lives, parsed from the `--db` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file (created if missing).
    Sqlite(String),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl Location {
    /// A plain path or `sqlite:PATH` (also `sqlite://PATH`) is SQLite; `postgres://...`
    /// and `postgresql://...` are PostgreSQL; any other `scheme://` is an error.
    pub fn parse(location: &str) -> Result<Location, StoreError> {
        let lower = location.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Ok(Location::Postgres(location.to_string()));
        }
        if lower.starts_with("sqlite:") {
            let rest = &location["sqlite:".len()..];
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(StoreError::Open(format!(
                    "{location}: no file path after sqlite:"
                )));
            }
            return Ok(Location::Sqlite(path.to_string()));
        }
        if let Some(i) = location.find("://") {
            let scheme = &location[..i];
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            {
                return Err(StoreError::Open(format!(
                    "{location}: unsupported database URL scheme {scheme:?} (use a file path, sqlite:PATH or postgres://...)"
                )));
            }
        }
        if location.is_empty() {
            return Err(StoreError::Open("empty database location".into()));
        }
        Ok(Location::Sqlite(location.to_string()))
    }
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
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.shown)
            .finish_non_exhaustive()
    }
}

impl Store {
    pub fn open(location: &str) -> Result<Store, StoreError> {
        match Location::parse(location)? {
            Location::Sqlite(path) => {
                let mut conn = sqlite::SqliteConn::open(&path)?;
                let at = |e: DbError| StoreError::Open(format!("{path}: {}", e.msg));
                // Nothing is written before the version check (not even WAL mode).
                check_version(&mut conn).map_err(|e| match e {
                    VersionError::Db(e) => at(e),
                    VersionError::Newer(e) => e,
                })?;
                conn.prepare_for_writes().map_err(at)?;
                let mut store = Store {
                    conn: RefCell::new(Box::new(conn)),
                    shown: path.clone(),
                    hook: None,
                };
                store.migrate().map_err(|e| match e {
                    StoreError::Db(m) => StoreError::Open(format!("{path}: {m}")),
                    e => e,
                })?;
                Ok(store)
            }
            Location::Postgres(url) => {
                let shown = pg::redact(&url);
                let conn = pg::PgConn::connect(&url)?;
                let mut store = Store {
                    conn: RefCell::new(Box::new(conn)),
                    shown: shown.clone(),
                    hook: None,
                };
                store.migrate().map_err(|e| match e {
                    StoreError::Db(m) => StoreError::Open(format!("{shown}: {m}")),
                    e => e,
                })?;
                Ok(store)
            }
        }
    }

    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        self.conn.borrow().backend()
    }

    /// The location the store was opened from (a PostgreSQL password hidden).
    pub fn location(&self) -> &str {
        &self.shown
    }

    fn db_err(&self, what: &str, e: DbError) -> StoreError {
        StoreError::Db(format!("{}: {what}: {}", self.shown, e.msg))
    }

    /// Applies the migrations above the database's version, in one transaction.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let conn = self.conn.get_mut().as_mut();
        let backend = conn.backend();
        let mut newer = None;
        let r = db::transaction(conn, TxKind::Migrate, |c| {
            newer = None;
            let found = schema_version(c)?;
            if found > LATEST_VERSION {
                newer = Some(found);
                return Err(DbError::new("newer schema"));
            }
            for m in schema::MIGRATIONS.iter().filter(|m| m.version > found) {
                c.batch(&schema::render_migration(m, backend))
                    .map_err(|e| DbError {
                        msg: format!("migration {} ({}): {}", m.version, m.description, e.msg),
                        ..e
                    })?;
            }
            if found < LATEST_VERSION {
                c.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', $1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    &[Val::Text(LATEST_VERSION.to_string())],
                )?;
                c.execute(
                    "INSERT INTO meta (key, value) VALUES ('commitments_stale', '0') ON CONFLICT (key) DO NOTHING",
                    &[],
                )?;
            }
            Ok(())
        });
        if let Some(found) = newer {
            return Err(StoreError::NewerSchema {
                found,
                supported: LATEST_VERSION,
            });
        }
        r.map_err(|e| StoreError::Db(e.msg))
    }

    /// Stores documents with their extraction, in one transaction: an unchanged
    /// document (same content hash) is left alone, a changed one has its records
    /// replaced. Marks the commitments stale in the same transaction.
    ///
    /// A document's language, publication date and source, when it names none, are
    /// those of its extraction. Records are stored under the document's id (their own
    /// `doc_id` is not consulted). NUL characters in stored text become spaces.
    pub fn ingest_batch(
        &mut self,
        docs: &[(Document, Extraction)],
    ) -> Result<IngestStats, StoreError> {
        if docs.is_empty() {
            return Ok(IngestStats::default());
        }
        let prepared = docs
            .iter()
            .map(prepare_doc)
            .collect::<Result<Vec<_>, String>>()
            .map_err(StoreError::Db)?;
        let hook = &mut self.hook;
        let conn = self.conn.get_mut().as_mut();
        let r = db::transaction(conn, TxKind::Write, |c| {
            let mut stats = IngestStats::default();
            for d in &prepared {
                let old = c.query(
                    "SELECT content_hash FROM documents WHERE id = $1",
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
                        stats.unchanged += 1;
                        continue;
                    }
                    Some(_) => {
                        c.execute("DELETE FROM evidence WHERE doc_id = $1", &[Val::text(d.id)])?;
                        c.execute("DELETE FROM records WHERE doc_id = $1", &[Val::text(d.id)])?;
                        c.execute(
                            "UPDATE documents SET url = $1, source = $2, published = $3, lang = $4, title = $5,
                                 text = $6, content_hash = $7, extractor = $8 WHERE id = $9",
                            &meta(),
                        )?;
                        stats.replaced += 1;
                    }
                    None => {
                        c.execute(
                            "INSERT INTO documents (url, source, published, lang, title, text, content_hash, extractor, id)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                            &meta(),
                        )?;
                        stats.added += 1;
                    }
                }
                for r in &d.records {
                    c.execute(
                        "INSERT INTO records (doc_id, ord, status, donors, recipient, items, value_amount,
                             value_currency, date, asserted_by, confidence, kind, flags)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                        &r.params,
                    )?;
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
                stats.records += d.records.len();
                if let Some(h) = hook.as_mut() {
                    h("document");
                }
            }
            if stats.added + stats.replaced > 0 {
                c.execute(
                    "UPDATE meta SET value = '1' WHERE key = 'commitments_stale'",
                    &[],
                )?;
            }
            Ok(stats)
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

    /// Recomputes the commitments from all stored records (with `aidledger_ledger::merge`)
    /// and replaces them atomically, clearing the stale mark. A no-op when not stale
    /// unless `force`. Returns the number of commitments in the ledger.
    pub fn rebuild_commitments(&mut self, force: bool) -> Result<usize, StoreError> {
        self.rebuild_commitments_with(force, aidledger_ledger::merge)
    }

    /// [`Store::rebuild_commitments`] with another merge function (for tests of the
    /// ledger queries on hand-made commitments, and for experiments).
    pub fn rebuild_commitments_with(
        &mut self,
        force: bool,
        merge: impl Fn(&[SourcedRecord]) -> Vec<Commitment>,
    ) -> Result<usize, StoreError> {
        if !force && !self.commitments_stale()? {
            return self.commitment_count();
        }
        let shown = self.shown.clone();
        let conn = self.conn.get_mut().as_mut();
        let r = db::transaction(conn, TxKind::Write, |c| {
            // checked again under the write lock: another process may have rebuilt
            if !force && !is_stale(c)? {
                return count(c, "commitments");
            }
            let records = load_records(c, None)?;
            let commitments = merge(&records);
            let rows = commitments
                .iter()
                .map(commitment_row)
                .collect::<Result<Vec<_>, _>>()?;
            let mut seen = BTreeSet::new();
            for r in &rows {
                if !seen.insert(r.id.as_str()) {
                    return Err(DbError::new(format!(
                        "merge gave two commitments with the id {}",
                        r.id
                    )));
                }
            }
            c.execute("DELETE FROM commitment_statuses", &[])?;
            c.execute("DELETE FROM commitments", &[])?;
            for r in &rows {
                c.execute(
                    "INSERT INTO commitments (id, donor, recipient, item, category, donor_key, recipient_key,
                         item_key, category_key, status, first_date, last_date, n_sources, json)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                    &r.params,
                )?;
                for s in &r.statuses {
                    c.execute(
                        "INSERT INTO commitment_statuses (commitment_id, status) VALUES ($1, $2)",
                        &[Val::text(&r.id), Val::text(s)],
                    )?;
                }
            }
            c.execute(
                "UPDATE meta SET value = '0' WHERE key = 'commitments_stale'",
                &[],
            )?;
            Ok(rows.len())
        });
        r.map_err(|e| {
            StoreError::Db(format!(
                "{shown}: rebuild the commitments (the ledger is unchanged): {}",
                e.msg
            ))
        })
    }

    fn commitment_count(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn.borrow_mut();
        count(conn.as_mut(), "commitments").map_err(|e| self.db_err("count the commitments", e))
    }

    /// The commitments that pass the filter, latest first (by last date, then donor,
    /// item and id; commitments without dates last).
    pub fn commitments(&self, filter: &LedgerFilter) -> Result<Vec<Commitment>, StoreError> {
        let (sql, params) = filter_sql(filter);
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| c.query(&sql, &params))
            .map_err(|e| self.db_err("read the ledger", e))?;
        rows.into_iter()
            .map(|r| parse_commitment(r.into_iter().next()))
            .collect::<Result<_, _>>()
            .map_err(|e| self.db_err("read the ledger", e))
    }

    /// One commitment by its full id.
    pub fn commitment(&self, id: &str) -> Result<Option<Commitment>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| {
            c.query(
                "SELECT json FROM commitments WHERE id = $1",
                &[Val::text(id)],
            )
        })
        .map_err(|e| self.db_err("read a commitment", e))?;
        match rows.into_iter().next() {
            None => Ok(None),
            Some(r) => parse_commitment(r.into_iter().next())
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
    /// with their evidence), or `None` when no document has this id.
    pub fn document(
        &self,
        id: &str,
    ) -> Result<Option<(DocumentSummary, String, Vec<Record>)>, StoreError> {
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
    /// column) is left out. For tests and diagnostics.
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
                let rows = c.query(&format!("SELECT {} FROM {}", cols.join(", "), t.name), &[])?;
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

enum VersionError {
    Db(DbError),
    Newer(StoreError),
}

/// Refuses a database of a newer schema, reading only.
fn check_version(conn: &mut dyn Conn) -> Result<(), VersionError> {
    let found = db::transaction(conn, TxKind::Read, schema_version).map_err(VersionError::Db)?;
    if found > LATEST_VERSION {
        return Err(VersionError::Newer(StoreError::NewerSchema {
            found,
            supported: LATEST_VERSION,
        }));
    }
    Ok(())
}

/// The database's schema version; 0 for an empty database.
fn schema_version(c: &mut dyn Conn) -> Result<i64, DbError> {
    if !c.table_exists("meta")? {
        return Ok(0);
    }
    let rows = c.query("SELECT value FROM meta WHERE key = 'schema_version'", &[])?;
    match rows.first().and_then(|r| r.first()) {
        None => Ok(0),
        Some(v) => v
            .as_str()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .ok_or_else(|| {
                DbError::new(format!(
                    "the schema version in the meta table is not a number: {v:?}"
                ))
            }),
    }
}

/// Runs reads in one snapshot (retried while the database is busy).
fn read<T>(
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

fn count(c: &mut dyn Conn, table: &str) -> Result<usize, DbError> {
    let rows = c.query(&format!("SELECT count(*) FROM {table}"), &[])?;
    let n = rows
        .first()
        .and_then(|r| r.first())
        .and_then(Val::as_i64)
        .unwrap_or(0);
    Ok(usize::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            Location::parse("a.db").ok(),
            Some(Location::Sqlite("a.db".into()))
        );
        assert_eq!(
            Location::parse("sqlite:/tmp/a.db").ok(),
            Some(Location::Sqlite("/tmp/a.db".into()))
        );
        assert_eq!(
            Location::parse("sqlite:///tmp/a.db").ok(),
            Some(Location::Sqlite("/tmp/a.db".into()))
        );
        assert_eq!(
            Location::parse("postgres://u@h/db").ok(),
            Some(Location::Postgres("postgres://u@h/db".into()))
        );
        assert_eq!(
            Location::parse("PostgreSQL://h/db").ok(),
            Some(Location::Postgres("PostgreSQL://h/db".into()))
        );
        assert!(matches!(
            Location::parse("mysql://h/db"),
            Err(StoreError::Open(_))
        ));
        assert!(matches!(Location::parse(""), Err(StoreError::Open(_))));
        assert!(matches!(
            Location::parse("sqlite:"),
            Err(StoreError::Open(_))
        ));
    }
}
