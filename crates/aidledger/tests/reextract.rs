//! `aidledger reextract` and the re-extraction `aidledger ingest` does on its own, run
//! as the binary on stores made here: documents stored with hand-made records under a
//! fake old extractor version must come out with the records the current extractor
//! finds in their text, the current version and a rebuilt ledger; an up-to-date store
//! and a dry run must be left exactly as they were. On SQLite always, and on the
//! PostgreSQL server named by `AIDLEDGER_TEST_PG` when it is set (skipped otherwise).

use std::io::Write;
use std::process::Command;

use aidledger_core::{extractor_version, Document, ExtractOptions, Extraction, Extractor};
use aidledger_store::{LedgerFilter, Store};

const BIN: &str = env!("CARGO_BIN_EXE_aidledger");
const OLD: &str = "0.0.1+rules.0.data.00000000";

fn documents() -> Vec<Document> {
    let doc = |id: &str, published: &str, text: &str| Document {
        id: id.into(),
        text: text.into(),
        published: Some(published.into()),
        source: Some("fixture.test".into()),
        lang: Some("en".into()),
        ..Default::default()
    };
    vec![
        doc(
            "reextract-1",
            "2022-11-04",
            "Washington sends another $400 million in arms to Ukraine\n\n\
             The United States will send four more HIMARS launchers to Ukraine as part of \
             a $400 million package, the Pentagon said on Friday.",
        ),
        doc(
            "reextract-2",
            "2023-01-25",
            "Berlin to supply tanks\n\n\
             Germany will deliver 14 Leopard 2 tanks to Ukraine, the chancellor announced \
             on Wednesday.",
        ),
        doc(
            "reextract-3",
            "2023-02-02",
            "Weather\n\nIt rained in Kyiv on Thursday.",
        ),
    ]
}

/// What an older extractor is made to have found: one record with an item no current
/// rule produces.
fn old_extraction(doc: &Document) -> Extraction {
    let record: aidledger_core::Record = serde_json::from_value(serde_json::json!({
        "doc_id": doc.id, "status": "pledged", "donors": ["FRA"], "recipient": "UKR",
        "items": [{ "name": "stale old item" }], "value": null, "date": "2022-01-01",
        "asserted_by": null, "evidence": [], "confidence": 0.5
    }))
    .unwrap();
    Extraction {
        records: vec![record],
        lang: "en".into(),
        ..Default::default()
    }
}

/// A store at `db` whose documents carry old records and the fake old version.
fn make_old_store(db: &str) {
    let mut store = Store::open(db).expect("create the store");
    let batch: Vec<_> = documents()
        .into_iter()
        .map(|d| {
            let x = old_extraction(&d);
            (d, x)
        })
        .collect();
    store.ingest_batch(&batch).unwrap();
    store.set_extractor_version(OLD).unwrap();
    store.rebuild_commitments(true).unwrap();
}

fn aidledger(args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("AIDLEDGER_DB")
        .output()
        .expect("run aidledger");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn dump(db: &str) -> Vec<String> {
    Store::open(db).unwrap().dump().unwrap()
}

/// The item names of all stored records, sorted.
fn stored_items(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .records()
        .unwrap()
        .into_iter()
        .flat_map(|r| r.record.items.into_iter().map(|i| i.name))
        .collect();
    names.sort();
    names
}

/// The item names the current extractor finds in the fixture documents, sorted.
fn expected_items() -> Vec<String> {
    let ex = Extractor::new().unwrap();
    let mut names: Vec<String> = documents()
        .iter()
        .flat_map(|d| {
            ex.extract(d, &ExtractOptions { explain: false })
                .unwrap()
                .records
        })
        .flat_map(|r| r.items.into_iter().map(|i| i.name))
        .collect();
    names.sort();
    names
}

fn check_reextract(db: &str) {
    make_old_store(db);
    let before = dump(db);
    assert!(before.iter().any(|l| l.contains(OLD)));

    // a dry run counts and changes nothing
    let (ok, err) = aidledger(&["reextract", "--db", db, "--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        err.contains(
            "3 documents checked, 3 read by another extractor version; 3 would be re-extracted"
        ),
        "{err}"
    );
    assert_eq!(dump(db), before, "a dry run changed the store");

    let (ok, err) = aidledger(&["reextract", "--db", db]);
    assert!(ok, "{err}");
    assert!(err.contains("3 documents checked, 3 re-extracted"), "{err}");

    let store = Store::open(db).unwrap();
    let expected = expected_items();
    assert!(
        expected.iter().any(|n| n.contains("HIMARS")),
        "the fixture should give the extractor something to find: {expected:?}"
    );
    // records replaced by those of the current extractor
    assert_eq!(stored_items(&store), expected);
    let n = store.record_count().unwrap();
    assert!(
        err.contains(&format!("3 records before, {n} after")),
        "{err}"
    );
    // versions updated
    let counts = store.version_counts(extractor_version()).unwrap();
    assert_eq!((counts.documents, counts.outdated), (3, 0));
    // the ledger rebuilt from the new records
    assert!(!store.commitments_stale().unwrap());
    let ledger = store.commitments(&LedgerFilter::default()).unwrap();
    assert!(!ledger.is_empty());
    // the old records' commitment (FRA, "stale old item") is gone; the new ones are there
    assert!(ledger
        .iter()
        .all(|c| c.donor != "FRA" && !c.item.contains("stale")));
    let has = |donor: &str, system: &str| {
        ledger
            .iter()
            .any(|c| c.donor == donor && c.contents.iter().any(|k| k.name == system))
    };
    assert!(
        has("USA", "HIMARS") && has("DEU", "Leopard 2"),
        "{ledger:?}"
    );
    drop(store);

    // up to date: nothing to do, nothing changed, with or without --dry-run
    let after = dump(db);
    let (ok, err) = aidledger(&["reextract", "--db", db]);
    assert!(ok, "{err}");
    assert!(err.contains("3 documents checked, 0 re-extracted"), "{err}");
    assert_eq!(dump(db), after, "an up-to-date store was changed");
    // --all extracts every document again: the same records come out
    let (ok, err) = aidledger(&["reextract", "--db", db, "--all"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("3 re-extracted (0 with new records, 3 unchanged)"),
        "{err}"
    );
    assert_eq!(dump(db), after, "--all on an up-to-date store changed it");
}

fn check_ingest_reextracts(db: &str, dir: &std::path::Path) {
    make_old_store(db);
    // a new document to ingest; the stored ones are re-extracted on the way
    let input = dir.join("new.jsonl");
    let mut f = std::fs::File::create(&input).unwrap();
    writeln!(
        f,
        "{}",
        serde_json::json!({"id": "reextract-new", "published": "2023-02-10", "lang": "en",
            "text": "Weather\n\nSnow fell in Lviv on Friday."})
    )
    .unwrap();
    drop(f);
    let input = input.to_str().unwrap();

    let (ok, err) = aidledger(&["ingest", input, "--db", db, "--no-reextract"]);
    assert!(ok, "{err}");
    assert!(!err.contains("re-extracted"), "{err}");
    let store = Store::open(db).unwrap();
    assert_eq!(
        store.version_counts(extractor_version()).unwrap().outdated,
        3
    );
    assert!(stored_items(&store).contains(&"stale old item".to_string()));
    drop(store);

    let (ok, err) = aidledger(&["ingest", input, "--db", db]);
    assert!(ok, "{err}");
    assert!(
        err.contains("3 documents of an older extractor re-extracted (3 with new records)"),
        "{err}"
    );
    let store = Store::open(db).unwrap();
    let counts = store.version_counts(extractor_version()).unwrap();
    assert_eq!((counts.documents, counts.outdated), (4, 0));
    assert_eq!(stored_items(&store), expected_items());
    assert!(!store.commitments_stale().unwrap());
}

#[test]
fn sqlite_store_is_reextracted() {
    let dir = tempfile::tempdir().unwrap();
    check_reextract(dir.path().join("a.db").to_str().unwrap());
}

#[test]
fn sqlite_ingest_reextracts_older_documents() {
    let dir = tempfile::tempdir().unwrap();
    check_ingest_reextracts(dir.path().join("a.db").to_str().unwrap(), dir.path());
}

#[test]
fn missing_database_is_refused_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    for extra in [&[][..], &["--dry-run"][..]] {
        let mut args = vec!["reextract", "--db", db.to_str().unwrap()];
        args.extend_from_slice(extra);
        let (ok, err) = aidledger(&args);
        assert!(!ok);
        assert!(err.contains("no database at"), "{err}");
        assert!(!db.exists(), "reextract created a database");
    }
}

/// A fresh schema on the test server (dropped at the end), or `None` to skip.
struct PgSchema {
    base: String,
    schema: String,
    url: String,
}

/// Says that `test` did not run, on a line `scripts/test.sh` counts as skipped (not as
/// passed); written straight to stderr, which the test harness does not capture.
fn skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let line = format!("AIDLEDGER-SKIP {test}: {why}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

impl PgSchema {
    fn new(test: &str) -> Option<PgSchema> {
        let base = match std::env::var("AIDLEDGER_TEST_PG") {
            Ok(u) if !u.trim().is_empty() => u.trim().to_string(),
            _ => {
                skipped(test, "AIDLEDGER_TEST_PG is not set");
                return None;
            }
        };
        let schema = format!("aidledger_test_{test}_{}", std::process::id());
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("connect");
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
        Some(PgSchema { base, schema, url })
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema));
        }
    }
}

#[test]
fn postgres_store_is_reextracted() {
    let Some(pg) = PgSchema::new("reextract") else {
        return;
    };
    check_reextract(&pg.url);
}

#[test]
fn postgres_ingest_reextracts_older_documents() {
    let Some(pg) = PgSchema::new("reextract_ingest") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    check_ingest_reextracts(&pg.url, dir.path());
}
