//! Hostile input to the store (SQLite): ids that would be rewritten or collide, the same
//! id twice in a batch, filters too long for a `LIKE`, and read-only opening (nothing
//! created, nothing written, a folder where no `-shm` index can be made).

mod common;

use std::path::{Path, PathBuf};

use aidledger_store::{Access, Ingested, LedgerFilter, Store, StoreError, MAX_FILTER_CHARS};
use common::*;

fn side(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

fn no_side_files(db: &Path) -> bool {
    !side(db, "-wal").exists() && !side(db, "-shm").exists()
}

/// A database with 6 documents and their commitments, closed (so no -wal/-shm).
fn ledger_db(dir: &Path) -> PathBuf {
    let path = dir.join("ledger.db");
    let mut s = Store::open(path.to_str().unwrap()).unwrap();
    s.ingest_batch(&docs(0..6)).unwrap();
    s.rebuild_commitments(false).unwrap();
    drop(s);
    assert!(no_side_files(&path), "a closed writer leaves no -wal/-shm");
    path
}

#[test]
fn a_nul_id_is_refused_and_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("a.db").to_str().unwrap()).unwrap();
    let (mut spaced, e) = doc(1, 0);
    spaced.id = "a b".into();
    s.ingest_batch(&[(spaced.clone(), e.clone())]).unwrap();
    let before = s.dump().unwrap();

    let (mut nul, e2) = doc(2, 1);
    nul.id = "a\u{0}b".into();
    let err = s.ingest_batch(&[(nul, e2)]).unwrap_err();
    match &err {
        StoreError::Invalid(m) => {
            assert!(m.contains("U+0000") && m.contains("a\\u{0}b"), "{m}")
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    // "a b" is untouched, and a lookup of "a\0b" does not find it
    assert_eq!(s.dump().unwrap(), before);
    assert!(s.document("a\u{0}b").unwrap().is_none());
    assert_eq!(s.document("a b").unwrap().unwrap().1, spaced.text);

    for bad in [
        "",
        "  ",
        "x\u{1b}[2J",
        "c1\u{85}",
        "tab\there",
        "rtl\u{202e}",
    ] {
        let (mut d, e) = doc(3, 0);
        d.id = bad.into();
        assert!(
            matches!(s.ingest_batch(&[(d, e)]), Err(StoreError::Invalid(_))),
            "{bad:?}"
        );
    }
    assert_eq!(
        s.dump().unwrap(),
        before,
        "nothing of a refused batch stored"
    );
}

#[test]
fn a_batch_with_an_id_twice_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("a.db").to_str().unwrap()).unwrap();
    let a = doc(1, 0);
    let mut b = doc(2, 0);
    b.0.id = a.0.id.clone();
    let err = s.ingest_batch(&[a.clone(), doc(5, 0), b]).unwrap_err();
    let StoreError::Invalid(m) = err else {
        panic!("expected Invalid")
    };
    assert!(
        m.contains("documents 1 and 3") && m.contains(&format!("{:?}", a.0.id)),
        "{m}"
    );
    assert!(s.documents().unwrap().is_empty());

    // what was done with each document, in order
    let (mut changed, e) = doc(1, 1);
    changed.id = a.0.id.clone();
    assert_eq!(
        s.ingest_batch_each(&[a.clone(), doc(5, 0)]).unwrap(),
        [Ingested::Added, Ingested::Added]
    );
    assert_eq!(
        s.ingest_batch_each(&[doc(5, 0), (changed, e), doc(6, 0)])
            .unwrap(),
        [Ingested::Unchanged, Ingested::Replaced, Ingested::Added]
    );
}

#[test]
fn long_filters_are_refused_and_like_wildcards_are_literal() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(ledger_db(dir.path()).to_str().unwrap()).unwrap();
    let all = s.commitments(&LedgerFilter::default()).unwrap();
    assert!(!all.is_empty());
    for n in [MAX_FILTER_CHARS + 1, 50_000, 200_000] {
        let f = LedgerFilter {
            item: Some("a".repeat(n)),
            ..Default::default()
        };
        match s.commitments(&f) {
            Err(StoreError::Invalid(m)) => {
                assert!(m.contains("item") && m.contains("200"), "{m}")
            }
            other => panic!("{n} characters: expected Invalid, got {other:?}"),
        }
    }
    let at_limit = LedgerFilter {
        item: Some("%".repeat(MAX_FILTER_CHARS)),
        ..Default::default()
    };
    assert!(s.commitments(&at_limit).unwrap().is_empty());
    for wild in ["%", "_", "%%", "_%_"] {
        let f = LedgerFilter {
            item: Some(wild.into()),
            ..Default::default()
        };
        assert!(s.commitments(&f).unwrap().is_empty(), "{wild:?} matched");
    }
}

#[test]
fn read_only_open_creates_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_db(dir.path());
    let loc = path.to_str().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let expected = Store::open(loc).unwrap().dump().unwrap();
    assert!(no_side_files(&path));

    let mut ro = Store::open_read_only(loc).unwrap();
    assert_eq!(ro.access(), Access::ReadOnly);
    assert_eq!(ro.dump().unwrap(), expected);
    assert_eq!(ro.search("systèmes", 3).unwrap().len(), 3);
    // writes are refused by SQLite itself: the connection is read-only
    let err = ro.ingest_batch(&docs(10..11)).unwrap_err();
    assert!(err.to_string().contains("readonly"), "{err}");
    assert!(ro.rebuild_commitments(true).is_err());
    drop(ro);
    assert!(
        no_side_files(&path),
        "the reader removed the -wal/-shm it made"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the file is unchanged"
    );

    // beside a writer, the reader leaves the writer's files alone
    let writer = Store::open(loc).unwrap();
    writer.commitments_stale().unwrap();
    assert!(side(&path, "-wal").exists());
    let ro = Store::open_read_only(loc).unwrap();
    assert_eq!(ro.dump().unwrap(), expected);
    drop(ro);
    assert!(side(&path, "-wal").exists() && side(&path, "-shm").exists());
    drop(writer);
    assert!(no_side_files(&path));
}

#[test]
fn read_only_open_of_a_missing_file_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let err = Store::open_read_only(path.to_str().unwrap()).unwrap_err();
    assert!(matches!(err, StoreError::Missing(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "no database at {}: run `aidledger ingest` first",
            path.display()
        )
    );
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    // an empty file is no ledger either, and stays empty
    std::fs::write(&path, b"").unwrap();
    let err = Store::open_read_only(path.to_str().unwrap()).unwrap_err();
    assert!(err.to_string().contains("aidledger ingest"), "{err}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

/// Whether this process runs as root (who owns `/proc/self`).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// In a folder the user cannot write no `-shm` index can be made: the file is read
/// immutable. Permission bits do not stop root, so as root the check runs in a copy of
/// this test started as `nobody` (with `setpriv`).
#[test]
fn read_only_folder() {
    if let Ok(db) = std::env::var("AIDLEDGER_TEST_RO_DB") {
        // the copy started as nobody
        let ro = Store::open_read_only(&db).expect("opens in a read-only folder");
        assert_eq!(ro.access(), Access::Immutable);
        assert_eq!(ro.documents().unwrap().len(), 6);
        assert!(!ro.commitments(&LedgerFilter::default()).unwrap().is_empty());
        assert!(
            Store::open(&db).is_err(),
            "a read-write open cannot work here"
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_db(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let mode =
        |m: u32| std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(m)).unwrap();
    mode(0o555);
    let outcome = if !is_root() {
        let ro = Store::open_read_only(path.to_str().unwrap());
        ro.map(|s| (s.access(), s.documents().map(|d| d.len()).ok()))
            .map_err(|e| e.to_string())
            .and_then(|got| {
                (got == (Access::Immutable, Some(6)))
                    .then_some(())
                    .ok_or(format!("{got:?}"))
            })
    } else {
        let exe = std::env::current_exe().unwrap();
        let status = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(exe)
            .args(["--exact", "read_only_folder", "--test-threads=1"])
            .env("AIDLEDGER_TEST_RO_DB", &path)
            .status();
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("the copy run as nobody failed: {s}")),
            Err(e) => Err(format!(
                "running as root, this test needs setpriv (util-linux) to check as another user: {e}"
            )),
        }
    };
    mode(0o755);
    outcome.unwrap();
    assert!(no_side_files(&path));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn read_only_open_upgrades_an_old_schema_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::write(&path, include_bytes!("fixtures/v1-example.db")).unwrap();
    let ro = Store::open_read_only(path.to_str().unwrap()).unwrap();
    assert_eq!(ro.access(), Access::ReadOnly);
    assert_eq!(ro.documents().unwrap().len(), 2);
    drop(ro);
    assert!(no_side_files(&path));
}
