//! The store on SQLite files in temporary directories.

mod common;

use std::path::Path;
use std::sync::{Arc, Barrier};

use aidledger_store::{Backend, LedgerFilter, Store, StoreError, LATEST_VERSION};
use common::*;

fn opener(path: &Path) -> impl Fn() -> Store {
    let p = path.to_string_lossy().into_owned();
    move || Store::open(&p).expect("open")
}

#[test]
fn generation() {
    let dir = tempfile::tempdir().unwrap();
    check_generation(&opener(&dir.path().join("g.db")));
}

#[test]
fn documents_by_id() {
    let dir = tempfile::tempdir().unwrap();
    check_documents_by_id(&opener(&dir.path().join("d.db")));
}

#[test]
fn commitments_citing() {
    let dir = tempfile::tempdir().unwrap();
    check_commitments_citing(&opener(&dir.path().join("c.db")));
}

#[test]
fn commitments_sorted() {
    let dir = tempfile::tempdir().unwrap();
    check_commitments_sorted(&opener(&dir.path().join("s.db")));
}

#[test]
fn rollup_tables() {
    let dir = tempfile::tempdir().unwrap();
    check_rollup_tables(&opener(&dir.path().join("r.db")));
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    check_round_trip(&opener(&dir.path().join("a.db")));
}

#[test]
fn sqlite_prefix_and_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let store = Store::open(&format!("sqlite:{}", path.display())).unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, LATEST_VERSION.to_string());
}

#[test]
fn idempotence() {
    let dir = tempfile::tempdir().unwrap();
    check_idempotence(&opener(&dir.path().join("a.db")));
}

#[test]
fn replaced_documents_end_like_a_fresh_ingest() {
    // changing documents over several runs ends in the same data as ingesting the
    // final versions once
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(&dir.path().join("a.db").to_string_lossy()).unwrap();
    let mut b = Store::open(&dir.path().join("b.db").to_string_lossy()).unwrap();
    let v0 = docs(0..20);
    let v1: Vec<_> = (0..20)
        .map(|i| doc(i, if i % 3 == 0 { 1 } else { 0 }))
        .collect();
    let v2: Vec<_> = (0..20)
        .map(|i| {
            doc(
                i,
                if i % 2 == 0 {
                    2
                } else if i % 3 == 0 {
                    1
                } else {
                    0
                },
            )
        })
        .collect();
    ingest(&mut a, &v0, 6);
    a.rebuild_commitments(false).unwrap();
    let s = ingest(&mut a, &v1, 6);
    assert_eq!((s.added, s.replaced, s.unchanged), (0, 7, 13));
    ingest(&mut a, &v2, 6);
    a.rebuild_commitments(false).unwrap();
    ingest(&mut b, &v2, 20);
    b.rebuild_commitments(false).unwrap();
    let (da, db) = (a.dump().unwrap(), b.dump().unwrap());
    assert_eq!(da, db, "{}", diff(&da, &db));
    a.check_integrity().unwrap();
}

#[test]
fn search() {
    let dir = tempfile::tempdir().unwrap();
    check_search(&opener(&dir.path().join("a.db")));
}

#[test]
fn large_document() {
    let dir = tempfile::tempdir().unwrap();
    check_large_document(&opener(&dir.path().join("a.db")));
}

#[test]
fn ledger_filters() {
    let dir = tempfile::tempdir().unwrap();
    check_filters(&opener(&dir.path().join("a.db")));
}

#[test]
fn newer_schema_is_refused_and_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    {
        let mut s = Store::open(&path.to_string_lossy()).unwrap();
        s.ingest_batch(&docs(0..3)).unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
            [(LATEST_VERSION + 1).to_string()],
        )
        .unwrap();
        // fold the WAL into the file so that the file alone is the database
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let snapshot = |p: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|f| !f.to_string_lossy().ends_with("-shm"))
            .map(|f| {
                (
                    f.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&f).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(dir.path());
    for location in [
        path.to_string_lossy().into_owned(),
        format!("sqlite:{}", path.display()),
    ] {
        match Store::open(&location) {
            Err(StoreError::NewerSchema { found, supported }) => {
                assert_eq!((found, supported), (LATEST_VERSION + 1, LATEST_VERSION));
                let msg = StoreError::NewerSchema { found, supported }.to_string();
                assert!(msg.contains("upgrade aidledger"), "{msg}");
            }
            other => panic!("expected NewerSchema, got {other:?}"),
        }
    }
    assert_eq!(
        snapshot(dir.path()),
        before,
        "opening a newer database wrote to it"
    );
}

#[test]
fn unwritable_locations_are_open_errors_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain.txt");
    const TEXT: &str = "not a database, just text that is long enough to have a header";
    std::fs::write(&file, TEXT).unwrap();
    let missing_dir = dir.path().join("no/such/dir/a.db");
    let under_a_file = file.join("a.db");
    let cases = [
        missing_dir.to_string_lossy().into_owned(),
        under_a_file.to_string_lossy().into_owned(),
        dir.path().to_string_lossy().into_owned(),
        file.to_string_lossy().into_owned(),
        format!("sqlite:{}", missing_dir.display()),
    ];
    for loc in &cases {
        match Store::open(loc) {
            Err(StoreError::Open(msg)) => {
                let path = loc.strip_prefix("sqlite:").unwrap_or(loc);
                assert!(msg.contains(path), "{msg:?} does not name {path}");
                assert!(StoreError::Open(msg.clone())
                    .to_string()
                    .starts_with("cannot open the database: "));
            }
            other => panic!("{loc}: expected an Open error, got {other:?}"),
        }
    }
    assert!(!dir.path().join("no").exists(), "nothing created");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        TEXT,
        "the text file is untouched"
    );
    // a read-only file (root can write anything: only checked for other users)
    let ro = dir.path().join("ro.db");
    Store::open(&ro.to_string_lossy()).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&ro, perm).unwrap();
    if std::fs::OpenOptions::new().write(true).open(&ro).is_err() {
        let mut s = match Store::open(&ro.to_string_lossy()) {
            Ok(s) => s,
            Err(StoreError::Open(msg)) => {
                assert!(msg.contains(&*ro.to_string_lossy()), "{msg}");
                return;
            }
            Err(e) => panic!("{e}"),
        };
        assert!(s.ingest_batch(&docs(0..1)).is_err());
    }
}

#[test]
fn other_url_schemes_and_dead_servers_are_open_errors() {
    for loc in ["mysql://u@h/db", "", "sqlite:"] {
        assert!(
            matches!(Store::open(loc), Err(StoreError::Open(_))),
            "{loc:?}"
        );
    }
    // nothing listens on port 1: refused at once; the password is not shown
    match Store::open("postgres://someone:secret@127.0.0.1:1/db") {
        Err(StoreError::Open(msg)) => {
            assert!(
                msg.contains("127.0.0.1:1") && !msg.contains("secret"),
                "{msg}"
            );
        }
        other => panic!("expected an Open error, got {other:?}"),
    }
}

#[test]
fn nul_characters_become_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("a.db").to_string_lossy()).unwrap();
    let (mut d, e) = doc(1, 0);
    d.title = Some("nul\0title".into());
    s.ingest_batch(&[(d.clone(), e.clone())]).unwrap();
    assert_eq!(
        s.documents().unwrap()[0].title.as_deref(),
        Some("nul title")
    );
    // the hash is of the document as given: unchanged on a second ingest
    assert_eq!(s.ingest_batch(&[(d, e)]).unwrap().unchanged, 1);
}

#[test]
fn concurrent_connections_equal_a_sequential_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db").to_string_lossy().into_owned();
    let a_docs = docs(0..240);
    let mut b_docs = docs(120..360);
    b_docs.reverse();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [a_docs.clone(), b_docs.clone()]
        .into_iter()
        .map(|set| {
            let (path, barrier) = (path.clone(), barrier.clone());
            std::thread::spawn(move || -> Result<(), StoreError> {
                barrier.wait();
                let mut s = Store::open(&path)?;
                for (k, b) in set.chunks(4).enumerate() {
                    s.ingest_batch(b)?;
                    if k % 15 == 0 {
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
    let seq_path = dir.path().join("sequential.db");
    let mut seq = Store::open(&seq_path.to_string_lossy()).unwrap();
    ingest(&mut seq, &a_docs, 4);
    ingest(&mut seq, &b_docs, 4);
    seq.rebuild_commitments(false).unwrap();
    let shared = Store::open(&path).unwrap();
    let (d1, d2) = (shared.dump().unwrap(), seq.dump().unwrap());
    assert_eq!(d1, d2, "{}", diff(&d1, &d2));
    assert_eq!(shared.documents().unwrap().len(), 360);
    assert!(!shared.commitments_stale().unwrap());
    shared.check_integrity().unwrap();
    assert_eq!(
        by_id(shared.commitments(&LedgerFilter::default()).unwrap()),
        by_id(aidledger_ledger::merge(&shared.records().unwrap()))
    );
}

#[test]
fn one_document_with_text_and_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut store =
        aidledger_store::Store::open(dir.path().join("d.db").to_str().unwrap()).unwrap();
    let doc = aidledger_core::Document {
        id: "one".into(),
        text: "Le Canada a livré quatre obusiers M777 à l’Ukraine.".into(),
        published: Some("2022-05-10".into()),
        lang: Some("fr".into()),
        ..Default::default()
    };
    let ex = aidledger_core::Extractor::new()
        .unwrap()
        .extract(&doc, &Default::default())
        .unwrap();
    assert!(!ex.records.is_empty());
    store.ingest_batch(&[(doc.clone(), ex.clone())]).unwrap();
    let (summary, text, records) = store.document("one").unwrap().expect("stored");
    assert_eq!(summary.id, "one");
    assert_eq!(text, doc.text);
    assert_eq!(records, ex.records);
    assert!(store.document("missing").unwrap().is_none());
}

#[test]
fn incremental_rebuilds_equal_full_ones() {
    let dir = tempfile::tempdir().unwrap();
    check_incremental(&opener(&dir.path().join("inc.db")));
}

#[test]
fn confirmations() {
    let dir = tempfile::tempdir().unwrap();
    check_confirmations(&opener(&dir.path().join("conf.db")));
}

#[test]
fn pages_and_sums_in_sql() {
    let dir = tempfile::tempdir().unwrap();
    check_pages_and_sums(&opener(&dir.path().join("pages.db")));
}
