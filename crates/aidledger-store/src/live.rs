//! What a long-running reader (the server) needs beside the queries: a way to stop a
//! query whose answer nobody waits for any more ([`Interrupter`]), and a number that
//! changes whenever the stored data does ([`Store::generation`]), to key caches on.
//!
//! The generation is the `generation` row of `meta`, bumped in the same transaction as
//! every ingest that changes a document and every rebuild of the commitments, so a
//! cache keyed on it can never serve figures older than the data it reads. A database
//! written by a version without the row reads as generation 0 until its next write.

use crate::db::{Conn, DbError, Val};
use crate::{Store, StoreError};

/// Stops the query running on one store connection, from another thread. Interrupting
/// a connection that runs nothing does nothing (SQLite) or cancels nothing (PostgreSQL);
/// the interrupted query fails with an error and its transaction is rolled back.
pub struct Interrupter(Box<dyn Fn() + Send + Sync>);

impl Interrupter {
    pub(crate) fn new(f: impl Fn() + Send + Sync + 'static) -> Interrupter {
        Interrupter(Box::new(f))
    }

    /// Asks the connection to stop its current query.
    pub fn interrupt(&self) {
        (self.0)()
    }
}

impl std::fmt::Debug for Interrupter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interrupter")
    }
}

/// Adds one to the store's generation; run inside every write transaction that changes
/// what readers see.
pub(crate) fn bump_generation(c: &mut dyn Conn) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO meta (key, value) VALUES ('generation', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)",
        &[],
    )?;
    Ok(())
}

impl Store {
    /// A handle that stops this store's running query from another thread (for a server
    /// whose request timed out). `None` when the backend cannot be interrupted.
    pub fn interrupter(&self) -> Option<Interrupter> {
        self.conn.borrow().interrupter()
    }

    /// The store's generation: a number that grows with every write that changes the
    /// documents or the ledger (0 for a store never written by this version).
    pub fn generation(&self) -> Result<u64, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| {
            c.query("SELECT value FROM meta WHERE key = 'generation'", &[])
        })
        .map_err(|e| self.db_err("read the generation", e))?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Val::as_str)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }
}

impl Store {
    /// The stored documents among `ids` (without their text), by id; ids not stored are
    /// left out. Reads only those rows, however large the store.
    pub fn documents_by_id(&self, ids: &[&str]) -> Result<Vec<crate::DocumentSummary>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let mut out = Vec::with_capacity(ids.len());
        // a bounded number of parameters per statement (SQLite allows 32,766)
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, title, url, source, published, lang FROM documents WHERE id IN ({}) ORDER BY id",
                marks.join(", ")
            );
            let params: Vec<Val> = chunk.iter().map(|id| Val::text(id)).collect();
            let rows = crate::read(conn.as_mut(), |c| c.query(&sql, &params))
                .map_err(|e| self.db_err("read the documents", e))?;
            out.extend(rows.into_iter().map(crate::rows::summary));
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// One page of the stored documents (without their text), by id: at most `limit`
    /// from `offset` on.
    pub fn documents_page(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<crate::DocumentSummary>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let n = |x: usize| Val::Int(i64::try_from(x).unwrap_or(i64::MAX));
        let rows = crate::read(conn.as_mut(), |c| {
            c.query(
                "SELECT id, title, url, source, published, lang FROM documents ORDER BY id LIMIT $1 OFFSET $2",
                &[n(limit), n(offset)],
            )
        })
        .map_err(|e| self.db_err("read the documents", e))?;
        Ok(rows.into_iter().map(crate::rows::summary).collect())
    }

    /// The commitments whose evidence cites document `doc_id`, in id order: found by a
    /// scan of the stored JSON in the database, so only those are read and parsed.
    pub fn commitments_citing(
        &self,
        doc_id: &str,
    ) -> Result<Vec<aidledger_ledger::Commitment>, StoreError> {
        // the evidence of a stored commitment holds `"doc_id":"<id as JSON>"`; SQLite's
        // LIKE ignores ASCII case, so every match is checked again below
        let needle = format!(
            "\"doc_id\":{}",
            serde_json::to_string(doc_id).unwrap_or_default()
        );
        let pattern = format!("%{}%", crate::query::like_escape(&needle));
        let sql = format!(
            "SELECT {} FROM commitments c WHERE c.json LIKE $1 ESCAPE '\\' ORDER BY c.id",
            crate::rows::COMMITMENT_COLUMNS
        );
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| c.query(&sql, &[Val::text(&pattern)]))
            .map_err(|e| self.db_err("read the commitments citing a document", e))?;
        let mut out = Vec::new();
        for row in rows {
            let c = crate::rows::parse_commitment_row(row)
                .map_err(|e| self.db_err("read a commitment", e))?;
            if c.stages
                .iter()
                .any(|s| s.evidence.iter().any(|e| e.doc_id == doc_id))
            {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// How many documents are stored (without reading them).
    pub fn document_count(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| {
            c.query("SELECT count(*) FROM documents", &[])
        })
        .map_err(|e| self.db_err("count the documents", e))?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Val::as_i64)
            .map_or(0, |n| usize::try_from(n).unwrap_or(0)))
    }

    /// Runs a query that counts to `n` in SQL (minutes for 10^10): a stand-in for a slow
    /// query in tests of cancellation. Returns `n` when it is not interrupted.
    #[doc(hidden)]
    pub fn slow_query_for_tests(&self, n: i64) -> Result<i64, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| {
            c.query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
                 SELECT count(*) FROM n",
                &[Val::Int(n)],
            )
        })
        .map_err(|e| self.db_err("count", e))?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Val::as_i64)
            .unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use crate::db::Conn;
    use crate::sqlite::SqliteConn;

    /// A query that would run for minutes stops soon after another thread interrupts
    /// it, with an error, and the connection answers the next query normally.
    #[test]
    fn an_interrupted_sqlite_query_stops_and_the_connection_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = SqliteConn::open(&dir.path().join("i.db").to_string_lossy()).unwrap();
        let stop = conn.interrupter().expect("SQLite can be interrupted");
        let t = Instant::now();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            stop.interrupt();
        });
        let r = conn.query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)
             SELECT count(*) FROM n",
            &[],
        );
        stopper.join().unwrap();
        let took = t.elapsed();
        let e = r.expect_err("the query was interrupted");
        assert!(e.msg.contains("interrupt"), "{}", e.msg);
        assert!(!e.retry);
        assert!(took < Duration::from_secs(5), "{took:?}");
        let rows = conn.query("SELECT 1 + 1", &[]).unwrap();
        assert_eq!(rows[0][0].as_i64(), Some(2));
    }
}
