//! The SQLite backend: an embedded database file (bundled SQLite) in WAL mode.
//!
//! Concurrency: WAL lets readers run beside one writer; every write transaction is
//! `BEGIN IMMEDIATE` (it takes the write lock first, so two writers never deadlock on
//! a lock upgrade), waits up to [`BUSY_TIMEOUT`] for the lock, and the whole transaction
//! is retried on `SQLITE_BUSY` (see [`crate::db::transaction`]). Durability: every batch
//! is one transaction; with `synchronous = NORMAL` in WAL mode a killed process loses at
//! most the transaction it was in, and the file is always consistent.
//!
//! Read-only opening ([`SqliteConn::open_read_only`], for the commands that only read):
//! the file is opened with `mode=ro`, so nothing can be written to it. A WAL database
//! needs its `-shm` index, which a reader creates (with an empty `-wal`) when the folder
//! is writable; when the reader closes, those files are removed again the way SQLite's
//! last connection removes them, unless other connections still use them (see
//! [`SqliteConn`]'s `Drop`). Where no `-shm` can be made (a folder the user cannot
//! write), the file is opened `immutable=1` instead, provided no `-wal` holds changes
//! that an immutable reader would not see.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{ErrorCode, OpenFlags};

use crate::db::{Conn, DbError, Row, TxKind, Val};
use crate::schema::Backend;
use crate::{Access, StoreError};

/// How long a statement waits for another connection's lock before `SQLITE_BUSY`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct SqliteConn {
    conn: rusqlite::Connection,
    /// Read-only connections that created the `-wal` and `-shm` files: the database,
    /// whose files to remove on close if no one else uses them.
    cleanup: Option<PathBuf>,
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Null => ValueRef::Null,
            Val::Int(i) => ValueRef::Integer(*i),
            Val::Real(x) => ValueRef::Real(*x),
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

fn err(e: rusqlite::Error) -> DbError {
    let retry = matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked)
    );
    DbError {
        msg: e.to_string(),
        retry,
    }
}

/// `$1` → `?1`: the store writes PostgreSQL-style parameters.
fn sqlite_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn row_vals(row: &rusqlite::Row<'_>, n: usize) -> rusqlite::Result<Row> {
    (0..n)
        .map(|i| {
            Ok(match row.get_ref(i)? {
                ValueRef::Null => Val::Null,
                ValueRef::Integer(i) => Val::Int(i),
                ValueRef::Real(x) => Val::Real(x),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    Val::Text(String::from_utf8_lossy(t).into_owned())
                }
            })
        })
        .collect()
}

impl SqliteConn {
    /// Opens (creating if missing) the database file. Writes nothing: the caller checks
    /// the schema version first, then calls [`SqliteConn::prepare_for_writes`].
    pub fn open(path: &str) -> Result<SqliteConn, StoreError> {
        let open_err = |e: &dyn std::fmt::Display| StoreError::Open(format!("{path}: {e}"));
        if path.is_empty() {
            return Err(StoreError::Open("empty database path".into()));
        }
        let p = Path::new(path);
        if p.is_dir() {
            return Err(open_err(&"is a directory, not a database file"));
        }
        if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !parent.is_dir() {
                return Err(StoreError::Open(format!(
                    "{path}: the directory {} does not exist (create it first)",
                    parent.display()
                )));
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = rusqlite::Connection::open_with_flags(p, flags).map_err(|e| open_err(&e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| open_err(&e))?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteConn {
            conn,
            cleanup: None,
        })
    }

    /// Opens an existing database file for reading only (see the module documentation).
    /// A missing file is [`StoreError::Missing`]; nothing is created.
    pub fn open_read_only(path: &str) -> Result<(SqliteConn, Access), StoreError> {
        let open_err = |e: &dyn std::fmt::Display| StoreError::Open(format!("{path}: {e}"));
        if path.is_empty() {
            return Err(StoreError::Open("empty database path".into()));
        }
        let p = Path::new(path);
        match std::fs::metadata(p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::Missing(path.to_string()))
            }
            Err(e) => return Err(open_err(&e)),
            Ok(m) if m.is_dir() => return Err(open_err(&"is a directory, not a database file")),
            Ok(_) => {}
        }
        let wal = side_file(p, "-wal");
        let wal_before = std::fs::metadata(&wal).ok().map(|m| m.len());
        let (conn, access) = match open_uri(p, false) {
            Ok(conn) => (conn, Access::ReadOnly),
            // no -shm can be made (a read-only folder): read the file as it is, unless a
            // -wal holds changes that are not in it yet
            Err(e) if cannot_make_shm(&e) && wal_before.unwrap_or(0) == 0 => (
                open_uri(p, true).map_err(|e| open_err(&e))?,
                Access::Immutable,
            ),
            Err(e) => return Err(open_err(&e)),
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| open_err(&e))?;
        conn.set_prepared_statement_cache_capacity(64);
        // files this reader made, or empty ones left by others (no data in them), go
        // when it closes
        let cleanup =
            (access == Access::ReadOnly && wal_before.unwrap_or(0) == 0).then(|| p.to_path_buf());
        Ok((SqliteConn { conn, cleanup }, access))
    }

    /// WAL mode, `synchronous = NORMAL`, foreign keys on. Retried while another
    /// connection holds the lock that switching to WAL needs.
    pub fn prepare_for_writes(&mut self) -> Result<(), DbError> {
        let start = std::time::Instant::now();
        loop {
            let r = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(err);
            match r {
                Ok(mode) if mode.eq_ignore_ascii_case("wal") => break,
                Ok(mode) => {
                    return Err(DbError::new(format!(
                        "cannot switch to WAL mode (journal mode stays {mode})"
                    )))
                }
                Err(e) if e.retry && start.elapsed() < Duration::from_secs(60) => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => return Err(e),
            }
        }
        self.conn
            .execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(err)
    }
}

/// `PATH-wal`, `PATH-shm`.
fn side_file(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `file:` URI of an existing file (made absolute, `%`, `?` and `#` escaped), opened
/// `mode=ro` (and `immutable=1`), then read once: a WAL database opens its index then.
fn open_uri(path: &Path, immutable: bool) -> rusqlite::Result<rusqlite::Connection> {
    let abs = std::fs::canonicalize(path).map_err(|_| rusqlite::Error::InvalidPath(path.into()))?;
    let mut uri = String::from("file://");
    for c in abs.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str(if immutable {
        "?mode=ro&immutable=1"
    } else {
        "?mode=ro"
    });
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(uri, flags)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}

/// The error of a read-only connection to a WAL database whose `-shm` index cannot be
/// created or opened.
fn cannot_make_shm(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen)
    )
}

/// Removes the `-wal` and `-shm` files of the database if no other connection uses
/// them, the way SQLite does when the last connection closes: a read-write connection
/// is opened, reads (which opens the WAL), and closes; as the last connection it
/// checkpoints (nothing: the readers wrote no frames) and deletes both files. When
/// others are connected it cannot take the exclusive lock and leaves them alone.
fn remove_side_files(db: &Path) {
    if !side_file(db, "-wal").exists() {
        return;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, flags) else {
        return;
    };
    if conn.is_readonly("main").unwrap_or(true) {
        return;
    }
    let _ = conn.busy_timeout(Duration::ZERO);
    let _ = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    drop(conn);
}

impl Drop for SqliteConn {
    fn drop(&mut self) {
        let Some(db) = self.cleanup.take() else {
            return;
        };
        // close this connection first: the files are removed only by the last one
        if let Ok(placeholder) = rusqlite::Connection::open_in_memory() {
            drop(std::mem::replace(&mut self.conn, placeholder));
            remove_side_files(&db);
        }
    }
}

impl Conn for SqliteConn {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, DbError> {
        let mut st = self.conn.prepare_cached(&sqlite_params(sql)).map_err(err)?;
        let n = st
            .execute(rusqlite::params_from_iter(params.iter()))
            .map_err(err)?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, DbError> {
        let mut st = self.conn.prepare_cached(&sqlite_params(sql)).map_err(err)?;
        let n = st.column_count();
        let rows = st
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                row_vals(r, n)
            })
            .map_err(err)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_batch(sql).map_err(err)
    }

    fn begin(&mut self, kind: TxKind) -> Result<(), DbError> {
        let sql = match kind {
            TxKind::Read => "BEGIN DEFERRED",
            TxKind::Write | TxKind::Migrate => "BEGIN IMMEDIATE",
        };
        self.conn.execute_batch(sql).map_err(err)
    }

    fn commit(&mut self) -> Result<(), DbError> {
        self.conn.execute_batch("COMMIT").map_err(err)
    }

    fn rollback(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    fn table_exists(&mut self, name: &str) -> Result<bool, DbError> {
        let rows = self.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1",
            &[Val::Text(name.to_string())],
        )?;
        Ok(!rows.is_empty())
    }

    fn search(&mut self, terms: &[String], limit: i64) -> Result<Vec<Row>, DbError> {
        // Every term becomes a quoted FTS5 string (quotes doubled), so no query syntax
        // (AND, OR, NOT, NEAR, *, ^, column filters, parentheses) can come from the user.
        let expr: Vec<String> = terms
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect();
        self.query(
            "SELECT d.id, d.title, d.url, d.source, d.published, d.lang
             FROM documents_fts JOIN documents d ON d.doc_rowid = documents_fts.rowid
             WHERE documents_fts MATCH $1
             ORDER BY bm25(documents_fts), d.id
             LIMIT $2",
            &[Val::Text(expr.join(" ")), Val::Int(limit)],
        )
    }

    fn check_integrity(&mut self) -> Result<(), DbError> {
        let rows = self.query("PRAGMA integrity_check", &[])?;
        let msgs: Vec<String> = rows
            .into_iter()
            .filter_map(|mut r| r.pop().and_then(Val::into_string))
            .collect();
        if msgs != ["ok"] {
            return Err(DbError::new(format!(
                "integrity_check: {}",
                msgs.join("; ")
            )));
        }
        // checks the FTS5 index against the documents table
        self.batch("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
    }

    fn backend_pid(&mut self) -> Option<i32> {
        None
    }

    fn interrupter(&self) -> Option<crate::Interrupter> {
        let handle = self.conn.get_interrupt_handle();
        Some(crate::Interrupter::new(move || handle.interrupt()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered() {
        assert_eq!(sqlite_params("a = $1 AND b = $12"), "a = ?1 AND b = ?12");
        assert_eq!(sqlite_params("'$' || x"), "'$' || x");
    }
}
