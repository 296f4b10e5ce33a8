//! The PostgreSQL backend (blocking `postgres` client, no TLS).
//!
//! Tables are created in the first schema of the connection's `search_path` (pass
//! `?options=-csearch_path%3Dmyschema` in the URL to use another schema than `public`).
//! Concurrency: write transactions lock the `commitments_stale` row of `meta`
//! (`SELECT ... FOR UPDATE`) first, so ingests and rebuilds of one store run one after
//! the other and a rebuild always sees every committed record; migrations take a
//! transaction-scoped advisory lock. A connection that dies mid-transaction leaves
//! nothing behind: the server rolls the open transaction back.

use std::collections::HashMap;

use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement};

use crate::db::{Conn, DbError, Row, TxKind, Val};
use crate::schema::Backend;
use crate::StoreError;

pub(crate) struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
}

fn err(e: postgres::Error) -> DbError {
    if e.is_closed() {
        return DbError::new(format!(
            "the connection to the PostgreSQL server was lost ({e})"
        ));
    }
    let retry = matches!(e.code(), Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED);
    let msg = match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{}: {} ({d})", db.severity(), db.message()),
            None => format!("{}: {}", db.severity(), db.message()),
        },
        None => e.to_string(),
    };
    DbError { msg, retry }
}

/// Converts a value to the parameter type the server inferred.
fn param(v: &Val, ty: &Type) -> Result<Box<dyn ToSql + Sync>, DbError> {
    let mismatch = || DbError::new(format!("cannot pass {v:?} as a PostgreSQL {ty} parameter"));
    Ok(match (v, ty) {
        (Val::Null, t) if *t == Type::INT8 => Box::new(None::<i64>),
        (Val::Null, t) if *t == Type::INT4 => Box::new(None::<i32>),
        (Val::Null, t) if *t == Type::FLOAT8 => Box::new(None::<f64>),
        (Val::Null, _) => Box::new(None::<String>),
        (Val::Int(i), t) if *t == Type::INT8 => Box::new(*i),
        (Val::Int(i), t) if *t == Type::INT4 => {
            Box::new(i32::try_from(*i).map_err(|_| mismatch())?)
        }
        (Val::Int(i), t) if *t == Type::FLOAT8 => Box::new(*i as f64),
        (Val::Int(i), t) if *t == Type::TEXT || *t == Type::VARCHAR => Box::new(i.to_string()),
        (Val::Real(x), t) if *t == Type::FLOAT8 => Box::new(*x),
        (Val::Text(s), t)
            if *t == Type::TEXT
                || *t == Type::VARCHAR
                || *t == Type::NAME
                || *t == Type::BPCHAR =>
        {
            Box::new(s.clone())
        }
        _ => return Err(mismatch()),
    })
}

fn row_vals(row: &postgres::Row) -> Result<Row, DbError> {
    let mut out = Vec::with_capacity(row.len());
    for (i, c) in row.columns().iter().enumerate() {
        let t = c.type_();
        let v = if *t == Type::INT8 {
            row.try_get::<_, Option<i64>>(i).map(|v| v.map(Val::Int))
        } else if *t == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)
                .map(|v| v.map(|x| Val::Int(x.into())))
        } else if *t == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)
                .map(|v| v.map(|x| Val::Int(x.into())))
        } else if *t == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i).map(|v| v.map(Val::Real))
        } else if *t == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(i)
                .map(|v| v.map(|x| Val::Real(x.into())))
        } else if *t == Type::VOID {
            Ok(None)
        } else if *t == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)
                .map(|v| v.map(|x| Val::Int(x.into())))
        } else {
            row.try_get::<_, Option<String>>(i)
                .map(|v| v.map(Val::Text))
        };
        out.push(v.map_err(err)?.unwrap_or(Val::Null));
    }
    Ok(out)
}

/// The URL without its password (in the user part or a `password=` parameter), for
/// messages.
pub(crate) fn redact(url: &str) -> String {
    let url = redact_userinfo(url);
    match url.find('?') {
        Some(q) => {
            let params: Vec<String> = url[q + 1..]
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{}?{}", &url[..q], params.join("&"))
        }
        None => url,
    }
}

fn redact_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..auth_end].rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &rest[at..]
                ),
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    }
}

impl PgConn {
    pub fn connect(url: &str) -> Result<PgConn, StoreError> {
        let shown = redact(url);
        let mut client = Client::connect(url, NoTls).map_err(|e| {
            StoreError::Open(format!("{shown}: cannot connect to the PostgreSQL server: {e} (is it running, and are the URL, user and password right?)"))
        })?;
        let version: i32 = client
            .query_one("SELECT current_setting('server_version_num')::int", &[])
            .and_then(|r| r.try_get(0))
            .map_err(|e| StoreError::Open(format!("{shown}: {}", err(e).msg)))?;
        if version < 120000 {
            return Err(StoreError::Open(format!(
                "{shown}: PostgreSQL 12 or newer is needed (the server is {version})"
            )));
        }
        client
            .batch_execute("SET client_min_messages = warning")
            .map_err(|e| StoreError::Open(format!("{shown}: {}", err(e).msg)))?;
        Ok(PgConn {
            client,
            statements: HashMap::new(),
        })
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).map_err(err)?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn bind(st: &Statement, params: &[Val]) -> Result<Vec<Box<dyn ToSql + Sync>>, DbError> {
        if st.params().len() != params.len() {
            return Err(DbError::new(format!(
                "the statement takes {} parameters, {} given",
                st.params().len(),
                params.len()
            )));
        }
        params
            .iter()
            .zip(st.params())
            .map(|(v, t)| param(v, t))
            .collect()
    }
}

impl Conn for PgConn {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, DbError> {
        let st = self.statement(sql)?;
        let boxed = Self::bind(&st, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        self.client.execute(&st, &refs).map_err(err)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, DbError> {
        let st = self.statement(sql)?;
        let boxed = Self::bind(&st, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        let rows = self.client.query(&st, &refs).map_err(err)?;
        rows.iter().map(row_vals).collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.client.batch_execute(sql).map_err(err)
    }

    fn begin(&mut self, kind: TxKind) -> Result<(), DbError> {
        match kind {
            TxKind::Read => self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
            TxKind::Write => {
                self.batch("BEGIN")?;
                self.query(
                    "SELECT value FROM meta WHERE key = 'commitments_stale' FOR UPDATE",
                    &[],
                )?;
                Ok(())
            }
            TxKind::Migrate => {
                self.batch("BEGIN")?;
                self.execute("SELECT pg_advisory_xact_lock(hashtext('aidledger:' || current_schema())::bigint)", &[])?;
                Ok(())
            }
        }
    }

    fn commit(&mut self) -> Result<(), DbError> {
        self.batch("COMMIT")
    }

    fn rollback(&mut self) {
        if !self.client.is_closed() {
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }

    fn table_exists(&mut self, name: &str) -> Result<bool, DbError> {
        let rows = self.query(
            "SELECT to_regclass($1) IS NOT NULL",
            &[Val::Text(name.to_string())],
        )?;
        Ok(matches!(
            rows.first().and_then(|r| r.first()),
            Some(Val::Int(1))
        ))
    }

    fn search(&mut self, terms: &[String], limit: i64) -> Result<Vec<Row>, DbError> {
        // The terms are plain words: plainto_tsquery ANDs them and cannot fail on them.
        self.query(
            "SELECT id, title, url, source, published, lang
             FROM documents, plainto_tsquery('simple', aidledger_fold($1)) AS q
             WHERE search @@ q
             ORDER BY ts_rank(search, q) DESC, id
             LIMIT $2",
            &[Val::Text(terms.join(" ")), Val::Int(limit)],
        )
    }

    fn check_integrity(&mut self) -> Result<(), DbError> {
        Ok(())
    }

    fn backend_pid(&mut self) -> Option<i32> {
        self.client
            .query_one("SELECT pg_backend_pid()", &[])
            .ok()
            .and_then(|r| r.try_get(0).ok())
    }

    fn interrupter(&self) -> Option<crate::Interrupter> {
        let token = self.client.cancel_token();
        // the cancel request goes over a connection of its own; a failure to send it
        // leaves the query running, as if it had not been asked
        Some(crate::Interrupter::new(move || {
            let _ = token.cancel_query(NoTls);
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db?user=x"), "postgres://h/db?user=x");
        assert_eq!(redact("postgresql://u:p@w@h/db"), "postgresql://u:***@h/db");
        assert_eq!(
            redact("postgres://h/db?user=u&password=pw&x=1"),
            "postgres://h/db?user=u&password=***&x=1"
        );
    }
}
