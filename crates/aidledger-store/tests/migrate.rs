//! A database made by the previous release (schema version 1, `fixtures/v1-example.db`:
//! `aidledger ingest examples/articles.jsonl` with the release of commit 96c7cb4) is
//! upgraded in place when opened, without losing anything.

use aidledger_core::{Document, Extractor, Kind};
use aidledger_store::{Store, LATEST_VERSION};

const FIXTURE: &[u8] = include_bytes!("fixtures/v1-example.db");
const EXAMPLES: &str = include_str!("../../../examples/articles.jsonl");

fn version(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    let v: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    v.parse().unwrap()
}

#[test]
fn a_version_1_database_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::write(&path, FIXTURE).unwrap();
    assert_eq!(version(&path), 1);

    let mut store = Store::open(path.to_str().unwrap()).expect("opens and upgrades");
    assert_eq!(version(&path), LATEST_VERSION);
    // nothing lost: the documents and records of the old release, read as packages
    let docs = store.documents().unwrap();
    assert_eq!(docs.len(), 2);
    let records = store.records().unwrap();
    assert_eq!(records.len(), 5);
    assert!(records
        .iter()
        .all(|r| r.record.kind == Kind::Package && r.record.flags.is_empty()));
    // the ledger of the old model was rebuilt by the opening that migrated it: every
    // commitment is the current model's, with its kind
    assert!(!store.commitments_stale().unwrap());
    let ledger = store.commitments(&Default::default()).unwrap();
    assert!(!ledger.is_empty());
    let mut expected = aidledger_ledger::merge(&records);
    let mut got = ledger.clone();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    got.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, expected);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let kinds: i64 = conn
        .query_row("SELECT count(*) FROM commitments WHERE kind IN ('package', 'transfer', 'request', 'total', 'budget')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kinds as usize, ledger.len());
    drop(conn);
    let (_, text, old_records) = store.document("example-fr-1").unwrap().expect("kept");
    assert!(text.starts_with("Le Canada enverra"));
    assert!(!old_records.is_empty());
    assert!(old_records.iter().all(|r| !r.evidence.is_empty()));

    // the new extractor's records replace the old ones on the next ingest
    let ex = Extractor::new().unwrap();
    let batch: Vec<_> = EXAMPLES
        .lines()
        .map(|l| {
            let d: Document = serde_json::from_str(l).unwrap();
            let x = ex.extract(&d, &Default::default()).unwrap();
            (d, x)
        })
        .collect();
    let stats = store.ingest_batch(&batch).unwrap();
    assert_eq!(stats.replaced, 2, "{stats:?}");
    let (_, _, new_records) = store.document("example-fr-1").unwrap().unwrap();
    assert_eq!(new_records, batch[0].1.records);
    // and a second open finds nothing to migrate
    drop(store);
    Store::open(path.to_str().unwrap()).unwrap();
    assert_eq!(version(&path), LATEST_VERSION);
}

/// A database of the release before the ledger model of issue 8 (schema version 2,
/// `fixtures/v2-example.db`: `aidledger ingest examples/articles.jsonl` with the build of
/// commit ed29a0a), opened read-only as `aidledger ledger` and `serve` do: upgraded in
/// place once, its commitments rebuilt in the new model, nothing else lost.
#[test]
fn a_version_2_database_is_upgraded_and_its_ledger_rebuilt() {
    const V2: &[u8] = include_bytes!("fixtures/v2-example.db");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    std::fs::write(&path, V2).unwrap();
    assert_eq!(version(&path), 2);
    let old_ids: Vec<String> = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut st = conn
            .prepare("SELECT id FROM commitments ORDER BY id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(old_ids.len(), 4);

    let store = Store::open_read_only(path.to_str().unwrap()).expect("upgrades, then reads");
    assert_eq!(version(&path), LATEST_VERSION);
    assert_eq!(store.documents().unwrap().len(), 2);
    let records = store.records().unwrap();
    assert_eq!(records.len(), 5);
    assert!(!store.commitments_stale().unwrap());
    let mut got = store.commitments(&Default::default()).unwrap();
    let mut expected = aidledger_ledger::merge(&records);
    got.sort_by(|a, b| a.id.cmp(&b.id));
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, expected);
    // the ids are the new model's: none of the old ones is left
    assert!(got.iter().all(|c| !old_ids.contains(&c.id)));
    // the new columns are filled from the commitments
    let conn = rusqlite::Connection::open(&path).unwrap();
    let with_kind: i64 = conn
        .query_row(
            "SELECT count(*) FROM commitments WHERE kind <> '' AND flags LIKE '[%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(with_kind as usize, got.len());
    // version 4: every record's parties are listed, so the next write rebuilds only
    // the parties it touches; confirmations can be stored
    let parties: i64 = conn
        .query_row("SELECT count(*) FROM record_parties", [], |r| r.get(0))
        .unwrap();
    let expected_parties: usize = records
        .iter()
        .map(|r| aidledger_ledger::parties(r).len())
        .sum();
    assert_eq!(parties as usize, expected_parties);
    assert!(expected_parties > 0);
    drop(conn);
    drop(store);
    let mut store = Store::open(path.to_str().unwrap()).unwrap();
    let ex = Extractor::new().unwrap();
    let doc: Document = serde_json::from_str(
        r#"{"id": "after-upgrade", "published": "2022-09-09", "lang": "en", "text": "Germany will send four more IRIS-T systems to Ukraine, Berlin announced on Friday."}"#,
    )
    .unwrap();
    let extraction = ex.extract(&doc, &Default::default()).unwrap();
    assert!(!extraction.records.is_empty());
    store.ingest_batch(&[(doc, extraction)]).unwrap();
    store.rebuild_commitments(false).unwrap();
    let mut got = store.commitments(&Default::default()).unwrap();
    let mut expected = aidledger_ledger::merge(&store.records().unwrap());
    got.sort_by(|a, b| a.id.cmp(&b.id));
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, expected);
    // the confirmations table exists and is empty
    assert!(store.confirmations().unwrap().is_empty());
}
