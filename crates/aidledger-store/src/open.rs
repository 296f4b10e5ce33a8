//! Opening a store: where it lives ([`Location`]), read-write with migrations
//! ([`Store::open`]) or read-only ([`Store::open_read_only`]), and the schema version
//! checks.

use std::cell::RefCell;

use crate::db::{self, Conn, DbError, TxKind, Val};
use crate::schema::{self, LATEST_VERSION};
use crate::{pg, sqlite, Store, StoreError};

/// How a store was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read-write, migrated to the latest schema ([`Store::open`]).
    ReadWrite,
    /// Read-only: SQLite `mode=ro`, or PostgreSQL sessions whose transactions are all
    /// read-only ([`Store::open_read_only`]).
    ReadOnly,
    /// SQLite `immutable=1`: read-only, for a WAL database in a folder where its `-shm`
    /// index cannot be created (a folder the user cannot write, where no one writes).
    Immutable,
}

/// Where a store lives, parsed from the `--db` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file (created if missing by [`Store::open`]).
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

impl Store {
    /// Opens a store for reading and writing, creating an SQLite file if missing and
    /// migrating the schema to [`LATEST_VERSION`].
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
                Store::migrated(Box::new(conn), path)
            }
            Location::Postgres(url) => {
                let shown = pg::redact(&url);
                let conn = pg::PgConn::connect(&url)?;
                Store::migrated(Box::new(conn), shown)
            }
        }
    }

    /// A read-write store on `conn`, its schema migrated to [`LATEST_VERSION`]; errors
    /// name the database as `shown`.
    fn migrated(conn: Box<dyn Conn>, shown: String) -> Result<Store, StoreError> {
        let mut store = Store {
            conn: RefCell::new(conn),
            shown: shown.clone(),
            hook: None,
            access: Access::ReadWrite,
        };
        let found = store.migrate().map_err(|e| match e {
            StoreError::Db(m) => StoreError::Open(format!("{shown}: {m}")),
            e => e,
        })?;
        // A ledger of an older model is rebuilt from the records right away, so that no
        // view shows commitments of the old shape.
        if found > 0 && found < schema::LEDGER_MODEL_VERSION {
            store.rebuild_commitments(false)?;
        }
        Ok(store)
    }

    /// Opens an existing store for reading only (`aidledger ledger`, `export`, `search`,
    /// a server without a write token): nothing is created or written, so it works on a
    /// file in a folder the user cannot write, and leaves no `-wal`/`-shm` files behind
    /// (see the `sqlite` module). A missing SQLite file is [`StoreError::Missing`].
    ///
    /// A database of an older schema is first upgraded with a read-write [`Store::open`]
    /// (an error saying so when it cannot be written); a file without AidLedger's schema
    /// is refused. On PostgreSQL the store is opened as by [`Store::open`] and every
    /// transaction of the session is then read-only.
    pub fn open_read_only(location: &str) -> Result<Store, StoreError> {
        match Location::parse(location)? {
            Location::Sqlite(path) => {
                let (mut conn, access) = sqlite::SqliteConn::open_read_only(&path)?;
                let found = db::transaction(&mut conn, TxKind::Read, schema_version)
                    .map_err(|e| StoreError::Open(format!("{path}: {}", e.msg)))?;
                if found > LATEST_VERSION {
                    return Err(StoreError::NewerSchema {
                        found,
                        supported: LATEST_VERSION,
                    });
                }
                if found == 0 {
                    return Err(StoreError::Open(format!(
                        "{path}: not an AidLedger database (no ledger in it): run `aidledger ingest` first"
                    )));
                }
                if found < LATEST_VERSION {
                    drop(conn);
                    drop(Store::open(location).map_err(|e| {
                        StoreError::Open(format!(
                            "{path}: the database has schema version {found} and must be upgraded to version {LATEST_VERSION} once, which needs write access: {e}"
                        ))
                    })?);
                    return Store::open_read_only(location);
                }
                Ok(Store {
                    conn: RefCell::new(Box::new(conn)),
                    shown: path,
                    hook: None,
                    access,
                })
            }
            Location::Postgres(_) => {
                let mut store = Store::open(location)?;
                let shown = store.shown.clone();
                store
                    .conn
                    .get_mut()
                    .batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                    .map_err(|e| StoreError::Open(format!("{shown}: {}", e.msg)))?;
                store.access = Access::ReadOnly;
                Ok(store)
            }
        }
    }

    /// How the store was opened.
    pub fn access(&self) -> Access {
        self.access
    }

    /// Applies the migrations above the database's version, in one transaction.
    /// Returns the version the database was at (0 for a new one).
    fn migrate(&mut self) -> Result<i64, StoreError> {
        let conn = self.conn.get_mut().as_mut();
        let backend = conn.backend();
        let mut newer = None;
        let mut was = 0;
        let r = db::transaction(conn, TxKind::Migrate, |c| {
            newer = None;
            let found = schema_version(c)?;
            was = found;
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
        r.map_err(|e| StoreError::Db(e.msg))?;
        Ok(was)
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
