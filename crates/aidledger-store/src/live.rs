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

    /// The commitments whose evidence cites document `doc_id`, in id order: found through
    /// the index of the documents each commitment cites, so only those are read.
    pub fn commitments_citing(
        &self,
        doc_id: &str,
    ) -> Result<Vec<aidledger_ledger::Commitment>, StoreError> {
        let sql = format!(
            "SELECT {} FROM commitments c WHERE c.id IN
                 (SELECT d.commitment_id FROM commitment_documents d WHERE d.doc_id = $1)
             ORDER BY c.id",
            crate::rows::COMMITMENT_COLUMNS
        );
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| c.query(&sql, &[Val::text(doc_id)]))
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

    /// Every stored [`SystemFact`](aidledger_ledger::figures::SystemFact), with its
    /// confirmation: what the systems roll-up (`figures::systems_from_facts`) reads
    /// instead of the whole ledger.
    pub fn system_facts(&self) -> Result<Vec<aidledger_ledger::figures::SystemFact>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| {
            c.query(
                "SELECT s.commitment_id, s.donor, s.kind, s.flagged, s.name, s.category, s.pledged,
                     s.delivered, s.sources, CASE WHEN k.commitment_id IS NULL THEN 0 ELSE 1 END
                 FROM commitment_systems s LEFT JOIN confirmations k ON k.commitment_id = s.commitment_id
                 ORDER BY s.commitment_id, s.ord",
                &[],
            )
        })
        .map_err(|e| self.db_err("read the systems", e))?;
        let q = |v: &Val| v.as_i64().and_then(|n| u64::try_from(n).ok());
        Ok(rows
            .into_iter()
            .map(|r| {
                let text = |i: usize| r.get(i).and_then(Val::as_str).unwrap_or("").to_string();
                aidledger_ledger::figures::SystemFact {
                    commitment: text(0),
                    donor: text(1),
                    kind: aidledger_ledger::Kind::parse(&text(2))
                        .unwrap_or(aidledger_ledger::Kind::Package),
                    flagged: r.get(3).and_then(Val::as_i64) == Some(1),
                    name: text(4),
                    category: r.get(5).and_then(Val::as_str).map(str::to_string),
                    pledged: r.get(6).and_then(q),
                    delivered: r.get(7).and_then(q),
                    sources: serde_json::from_str(&text(8)).unwrap_or_default(),
                    confirmed: r.get(9).and_then(Val::as_i64) == Some(1),
                }
            })
            .collect())
    }

    /// How many dated stages each month holds, per stage (`figures::stage_months` of
    /// every commitment, counted in SQL): `(month, status, count)` by month and status.
    pub fn stage_month_counts(&self) -> Result<Vec<(String, String, usize)>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| {
            c.query(
                "SELECT month, status, count(*) FROM commitment_stage_months
                 GROUP BY month, status ORDER BY month, status",
                &[],
            )
        })
        .map_err(|e| self.db_err("count the stages by month", e))?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let text = |i: usize| r.get(i).and_then(Val::as_str).unwrap_or("").to_string();
                let n = r.get(2).and_then(Val::as_i64).unwrap_or(0);
                (text(0), text(1), usize::try_from(n).unwrap_or(0))
            })
            .collect())
    }

    /// The ledger's headline counts: commitments, those delivered
    /// (`figures::is_delivered`) and distinct donors.
    pub fn ledger_counts(&self) -> Result<(usize, usize, usize), StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = crate::read(conn.as_mut(), |c| {
            c.query(
                "SELECT count(*), count(CASE WHEN delivered = 1 THEN 1 END), count(DISTINCT donor)
                 FROM commitments",
                &[],
            )
        })
        .map_err(|e| self.db_err("count the ledger", e))?;
        let n = |i: usize| {
            rows.first()
                .and_then(|r| r.get(i))
                .and_then(Val::as_i64)
                .map_or(0, |n| usize::try_from(n).unwrap_or(0))
        };
        Ok((n(0), n(1), n(2)))
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
