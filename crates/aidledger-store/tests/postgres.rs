//! The store on the PostgreSQL server named by `AIDLEDGER_TEST_PG` (a `postgres://`
//! URL; `scripts/ci-postgres.sh` starts one). Each test works in a schema of its own,
//! created fresh and dropped at the end. Without the variable the tests pass with a
//! message saying they were skipped, except when `CI` is set: CI must run them.

mod common;

use std::io::Write;
use std::sync::{Arc, Barrier, Once};
use std::time::Duration;

use aidledger_store::{schema, Backend, LedgerFilter, Store, StoreError, LATEST_VERSION};
use common::*;
use postgres::{Client, NoTls};

const VAR: &str = "AIDLEDGER_TEST_PG";

/// The server URL, or `None` (with a message) when the tests are to be skipped.
fn base_url(test: &str) -> Option<String> {
    static SKIP: Once = Once::new();
    match std::env::var(VAR) {
        Ok(u) if !u.trim().is_empty() => Some(u.trim().to_string()),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            if ci {
                panic!(
                    "CI is set but {VAR} is not: CI must run the PostgreSQL tests. \
                     Start a server first: eval \"$(scripts/ci-postgres.sh)\""
                );
            }
            SKIP.call_once(|| {
                // straight to stderr: libtest does not capture this
                let _ = writeln!(
                    std::io::stderr(),
                    "skipping PostgreSQL tests: set {VAR}=postgres://... (scripts/ci-postgres.sh starts a local server)"
                );
            });
            skipped(test, &format!("{VAR} is not set"));
            None
        }
    }
}

/// Says that `test` did not run, on a line `scripts/test.sh` counts as skipped (not as
/// passed); written straight to stderr, which the test harness does not capture.
fn skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let line = format!("AIDLEDGER-SKIP {test}: {why}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// A fresh schema on the test server, dropped when this goes out of scope.
struct PgSchema {
    admin_url: String,
    schema: String,
    /// A store location whose search_path is the schema.
    url: String,
}

impl PgSchema {
    fn new(test: &str) -> Option<PgSchema> {
        let base = base_url(test)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let schema = format!(
            "aidledger_test_{test}_{}_{}",
            std::process::id(),
            nanos % 1_000_000_000
        );
        let mut admin = Client::connect(&base, NoTls)
            .unwrap_or_else(|e| panic!("{VAR}={base}: cannot connect to the test server: {e}"));
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .expect("create the test schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
        Some(PgSchema {
            admin_url: base,
            schema,
            url,
        })
    }

    fn open(&self) -> Store {
        let s = Store::open(&self.url).expect("open the PostgreSQL store");
        assert_eq!(s.backend(), Backend::Postgres);
        s
    }

    fn opener(&self) -> impl Fn() -> Store + '_ {
        move || self.open()
    }

    fn admin(&self) -> Client {
        let mut c = Client::connect(&self.admin_url, NoTls).expect("admin connection");
        c.batch_execute(&format!("SET search_path TO {}", self.schema))
            .unwrap();
        c
    }

    /// Every row of every table and the list of relations of the schema, read
    /// directly (for databases the store refuses to open).
    fn raw_snapshot(&self) -> Vec<String> {
        let mut c = self.admin();
        let mut out: Vec<String> = c
            .query(
                "SELECT c.relname::text, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 ORDER BY 1",
                &[&self.schema],
            )
            .unwrap()
            .iter()
            .map(|r| format!("relation {} {}", r.get::<_, String>(0), r.get::<_, String>(1)))
            .collect();
        for t in schema::tables() {
            let cols: Vec<String> = t
                .columns
                .iter()
                .map(|c| format!("coalesce(CAST({} AS TEXT), 'NULL')", c.name))
                .collect();
            let sql = format!(
                "SELECT concat_ws(' | ', {}) FROM {} ORDER BY 1",
                cols.join(", "),
                t.name
            );
            for r in c.query(&sql, &[]).unwrap() {
                out.push(format!("{}: {}", t.name, r.get::<_, String>(0)));
            }
        }
        out
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.admin_url, NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

#[test]
fn pg_round_trip() {
    let Some(pg) = PgSchema::new("round_trip") else {
        return;
    };
    check_round_trip(&pg.opener());
}

#[test]
fn pg_idempotence() {
    let Some(pg) = PgSchema::new("idempotence") else {
        return;
    };
    check_idempotence(&pg.opener());
}

#[test]
fn pg_generation() {
    let Some(pg) = PgSchema::new("generation") else {
        return;
    };
    check_generation(&pg.opener());
}

#[test]
fn pg_documents_by_id() {
    let Some(pg) = PgSchema::new("documents_by_id") else {
        return;
    };
    check_documents_by_id(&pg.opener());
}

#[test]
fn pg_commitments_citing() {
    let Some(pg) = PgSchema::new("citing") else {
        return;
    };
    check_commitments_citing(&pg.opener());
}

#[test]
fn pg_commitments_sorted() {
    let Some(pg) = PgSchema::new("sorted") else {
        return;
    };
    check_commitments_sorted(&pg.opener());
}

#[test]
fn pg_rollup_tables() {
    let Some(pg) = PgSchema::new("rollup") else {
        return;
    };
    check_rollup_tables(&pg.opener());
}

#[test]
fn pg_search() {
    let Some(pg) = PgSchema::new("search") else {
        return;
    };
    check_search(&pg.opener());
}

#[test]
fn pg_large_document() {
    let Some(pg) = PgSchema::new("large") else {
        return;
    };
    check_large_document(&pg.opener());
}

#[test]
fn pg_ledger_filters() {
    let Some(pg) = PgSchema::new("filters") else {
        return;
    };
    check_filters(&pg.opener());
}

#[test]
fn pg_same_data_as_sqlite() {
    // the same ingest on both backends reads back the same records and commitments
    let Some(pg) = PgSchema::new("same_as_sqlite") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut lite = Store::open(&dir.path().join("a.db").to_string_lossy()).unwrap();
    let mut post = pg.open();
    let d: Vec<_> = (0..60).map(|i| doc(i, i % 3)).collect();
    for s in [&mut lite, &mut post] {
        ingest(s, &d, 8);
        ingest(s, &docs(0..20), 8);
        s.rebuild_commitments(false).unwrap();
    }
    assert_eq!(lite.records().unwrap(), post.records().unwrap());
    assert_eq!(lite.documents().unwrap(), post.documents().unwrap());
    let all = LedgerFilter::default();
    assert_eq!(
        lite.commitments(&all).unwrap(),
        post.commitments(&all).unwrap()
    );
    for q in [
        "systemes",
        "Étude défense 7",
        "ukraine lot",
        "IRIS-T",
        "1007 obus",
    ] {
        let ids = |s: &Store| -> Vec<String> {
            let mut v: Vec<String> = s
                .search(q, 100)
                .unwrap()
                .into_iter()
                .map(|(d, _)| d.id)
                .collect();
            v.sort();
            v
        };
        assert_eq!(ids(&lite), ids(&post), "search {q:?}");
    }
}

#[test]
fn pg_newer_schema_is_refused_and_nothing_written() {
    let Some(pg) = PgSchema::new("newer") else {
        return;
    };
    {
        let mut s = pg.open();
        s.ingest_batch(&docs(0..3)).unwrap();
    }
    pg.admin()
        .execute(
            "UPDATE meta SET value = $1 WHERE key = 'schema_version'",
            &[&(LATEST_VERSION + 1).to_string()],
        )
        .unwrap();
    let before = pg.raw_snapshot();
    match Store::open(&pg.url) {
        Err(StoreError::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (LATEST_VERSION + 1, LATEST_VERSION))
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert_eq!(pg.raw_snapshot(), before);
}

#[test]
fn pg_a_schema_is_created_once() {
    let Some(pg) = PgSchema::new("migrate") else {
        return;
    };
    let before = {
        pg.open();
        pg.raw_snapshot()
    };
    pg.open();
    assert_eq!(pg.raw_snapshot(), before, "reopening changed the schema");
    assert!(
        before.iter().any(|l| l == "relation documents_search i"),
        "{before:?}"
    );
}

#[test]
fn pg_a_connection_killed_mid_ingest_leaves_no_partial_batch() {
    let Some(pg) = PgSchema::new("killed") else {
        return;
    };
    let mut store = pg.open();
    ingest(&mut store, &docs(0..10), 5);
    store.rebuild_commitments(false).unwrap();
    let before = store.dump().unwrap();
    let pid = store.backend_pid().expect("a server process id");
    let admin = pg.admin_url.clone();
    let mut documents = 0;
    store.set_test_hook(Some(Box::new(move |point| {
        if point != "document" {
            return;
        }
        documents += 1;
        if documents != 2 {
            return;
        }
        // after the second document of the batch: the server ends the connection
        let mut c = Client::connect(&admin, NoTls).expect("admin connection");
        let done: bool = c
            .query_one("SELECT pg_terminate_backend($1)", &[&pid])
            .unwrap()
            .get(0);
        assert!(done, "pg_terminate_backend failed");
        for _ in 0..200 {
            let n: i64 = c
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                    &[&pid],
                )
                .unwrap()
                .get(0);
            if n == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    })));
    let batch: Vec<_> = (5..15).map(|i| doc(i, 1)).collect(); // 5 replaced, 5 new
    match store.ingest_batch(&batch) {
        Err(StoreError::Db(msg)) => {
            assert!(msg.contains("nothing of this batch was stored"), "{msg}");
            eprintln!("the error: {msg}");
        }
        other => panic!("expected a database error, got {other:?}"),
    }
    // the dead store keeps failing cleanly
    assert!(store.records().is_err());
    drop(store);
    let mut again = pg.open();
    let after = again.dump().unwrap();
    assert_eq!(after, before, "{}", diff(&after, &before));
    // and the batch goes through on a new connection
    let s = again.ingest_batch(&batch).unwrap();
    assert_eq!((s.added, s.replaced), (5, 5));
}

#[test]
fn pg_concurrent_connections_equal_a_sequential_run() {
    let Some(pg) = PgSchema::new("concurrent") else {
        return;
    };
    let Some(seq) = PgSchema::new("concurrent_seq") else {
        return;
    };
    let a_docs = docs(0..160);
    let mut b_docs = docs(80..240);
    b_docs.reverse();
    let barrier = Arc::new(Barrier::new(3));
    let handles: Vec<_> = [a_docs.clone(), b_docs.clone(), docs(60..120)]
        .into_iter()
        .map(|set| {
            let (url, barrier) = (pg.url.clone(), barrier.clone());
            std::thread::spawn(move || -> Result<(), StoreError> {
                barrier.wait();
                // all three open (and create the schema) at once
                let mut s = Store::open(&url)?;
                for (k, b) in set.chunks(4).enumerate() {
                    s.ingest_batch(b)?;
                    if k % 10 == 0 {
                        s.rebuild_commitments(false)?;
                    }
                }
                s.rebuild_commitments(false)?;
                Ok(())
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread").expect("no store error");
    }
    let mut sequential = seq.open();
    ingest(&mut sequential, &a_docs, 4);
    ingest(&mut sequential, &b_docs, 4);
    sequential.rebuild_commitments(false).unwrap();
    let shared = pg.open();
    let (x, y) = (shared.dump().unwrap(), sequential.dump().unwrap());
    assert_eq!(x, y, "{}", diff(&x, &y));
    assert_eq!(shared.documents().unwrap().len(), 240);
    assert!(!shared.commitments_stale().unwrap());
}

#[test]
fn pg_bad_credentials_are_open_errors() {
    let Some(base) = base_url("pg_bad_credentials_are_open_errors") else {
        return;
    };
    // the same server with a wrong password (or user): an Open error, password hidden
    let bad = match base.split_once('@') {
        Some((auth, rest)) => {
            let user = auth.rsplit_once(':').map(|(u, _)| u).unwrap_or(auth);
            format!("{user}:wrong-password-xyz@{rest}")
        }
        None => return,
    };
    match Store::open(&bad) {
        Err(StoreError::Open(msg)) => assert!(!msg.contains("wrong-password-xyz"), "{msg}"),
        Ok(_) => {} // a server that trusts everyone
        Err(e) => panic!("expected an Open error, got {e:?}"),
    }
}

#[test]
fn pg_read_only_store_and_refused_ids() {
    let Some(pg) = PgSchema::new("read_only") else {
        return;
    };
    let mut rw = pg.open();
    rw.ingest_batch(&docs(0..4)).unwrap();
    rw.rebuild_commitments(false).unwrap();
    let expected = rw.dump().unwrap();
    // an id that would lose its NUL is refused, and replaces nothing
    let (mut d, e) = doc(9, 0);
    d.id = "doc\u{0}0001".into();
    assert!(matches!(
        rw.ingest_batch(&[(d, e)]),
        Err(StoreError::Invalid(_))
    ));
    assert!(rw.document("doc\u{0}0001").unwrap().is_none());
    assert_eq!(rw.dump().unwrap(), expected);

    let mut ro = Store::open_read_only(&pg.url).unwrap();
    assert_eq!(ro.access(), aidledger_store::Access::ReadOnly);
    assert_eq!(ro.dump().unwrap(), expected);
    let err = ro.ingest_batch(&docs(10..11)).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(rw.dump().unwrap(), expected);
}

#[test]
fn pg_incremental_rebuilds_equal_full_ones() {
    let Some(pg) = PgSchema::new("incremental") else {
        return;
    };
    check_incremental(&pg.opener());
}

#[test]
fn pg_confirmations() {
    let Some(pg) = PgSchema::new("confirmations") else {
        return;
    };
    check_confirmations(&pg.opener());
}

#[test]
fn pg_pages_and_sums_in_sql() {
    let Some(pg) = PgSchema::new("pages") else {
        return;
    };
    check_pages_and_sums(&pg.opener());
}
