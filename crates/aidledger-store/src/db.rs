//! What the store needs of a database connection, implemented by [`crate::sqlite`] and
//! [`crate::pg`]. The store's logic (ingest, rebuild, filters, read-back) is written
//! once against this trait, with SQL that both backends accept: parameters are written
//! `$1`, `$2`... (SQLite gets them as `?1`, `?2`...).

use std::time::{Duration, Instant};

use crate::schema::Backend;

/// A value going into or coming out of the database.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Val {
    /// Text for a column that holds it verbatim. NUL characters (which PostgreSQL cannot
    /// store) become spaces on both backends, keeping byte offsets.
    pub fn text(s: &str) -> Val {
        if s.contains('\0') {
            Val::Text(s.replace('\0', " "))
        } else {
            Val::Text(s.to_string())
        }
    }

    pub fn opt_text(s: Option<&str>) -> Val {
        s.map(Val::text).unwrap_or(Val::Null)
    }

    pub fn opt_real(x: Option<f64>) -> Val {
        x.map(Val::Real).unwrap_or(Val::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn into_string(self) -> Option<String> {
        match self {
            Val::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Real(x) => Some(*x),
            Val::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}

pub(crate) type Row = Vec<Val>;

/// A database error: its message and whether retrying the whole transaction may help
/// (SQLite busy/locked, PostgreSQL serialization failure or deadlock).
#[derive(Debug, Clone)]
pub(crate) struct DbError {
    pub msg: String,
    pub retry: bool,
}

impl DbError {
    pub fn new(msg: impl Into<String>) -> DbError {
        DbError {
            msg: msg.into(),
            retry: false,
        }
    }
}

/// Which kind of transaction to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TxKind {
    /// A consistent snapshot for several reads.
    Read,
    /// A write transaction, exclusive against other writers of the store (SQLite
    /// `BEGIN IMMEDIATE`; PostgreSQL: the `commitments_stale` row of `meta` locked
    /// `FOR UPDATE`).
    Write,
    /// Schema migration: exclusive against other migrations (SQLite `BEGIN IMMEDIATE`;
    /// PostgreSQL: a transaction-scoped advisory lock), usable before `meta` exists.
    Migrate,
}

/// One connection to a store database.
pub(crate) trait Conn: Send {
    fn backend(&self) -> Backend;
    /// Runs one statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, DbError>;
    /// Runs one query; returns all rows.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, DbError>;
    /// Runs several statements without parameters (DDL).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;
    fn begin(&mut self, kind: TxKind) -> Result<(), DbError>;
    fn commit(&mut self) -> Result<(), DbError>;
    /// Rolls back the open transaction, if any; errors are ignored (the connection may
    /// be gone).
    fn rollback(&mut self);
    /// Whether a table of this name exists (in the search path on PostgreSQL).
    fn table_exists(&mut self, name: &str) -> Result<bool, DbError>;
    /// Full-text search: rows of (id, title, url, source, published, lang), best first.
    /// `terms` are plain words (letters and digits only), all of which must match.
    fn search(&mut self, terms: &[String], limit: i64) -> Result<Vec<Row>, DbError>;
    /// Backend-specific consistency checks (SQLite `integrity_check`, FTS5 index).
    fn check_integrity(&mut self) -> Result<(), DbError>;
    /// The server process id of the connection (PostgreSQL), for tests.
    fn backend_pid(&mut self) -> Option<i32>;
    /// A handle that stops the connection's running query from another thread.
    fn interrupter(&self) -> Option<crate::Interrupter>;
}

/// How long a transaction is retried while the database is busy.
const RETRY_FOR: Duration = Duration::from_secs(60);

/// Runs `f` in a transaction of `kind`, committing when it returns `Ok` and rolling
/// back otherwise. The whole transaction is retried (after a growing, jittered pause)
/// while it fails with a retryable error, for up to a minute; `f` must therefore only
/// act through the connection.
pub(crate) fn transaction<T>(
    conn: &mut dyn Conn,
    kind: TxKind,
    mut f: impl FnMut(&mut dyn Conn) -> Result<T, DbError>,
) -> Result<T, DbError> {
    let start = Instant::now();
    let mut attempt: u32 = 0;
    loop {
        let result = conn.begin(kind).and_then(|()| {
            let v = f(conn)?;
            conn.commit()?;
            Ok(v)
        });
        match result {
            Ok(v) => return Ok(v),
            Err(e) => {
                conn.rollback();
                if !e.retry || start.elapsed() > RETRY_FOR {
                    return Err(e);
                }
            }
        }
        attempt = attempt.saturating_add(1);
        std::thread::sleep(backoff(attempt));
    }
}

/// 5 ms doubling up to 320 ms, plus up to as much again of jitter.
fn backoff(attempt: u32) -> Duration {
    let base = 5u64 << attempt.min(6);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    Duration::from_millis(base + nanos % (base + 1))
}
