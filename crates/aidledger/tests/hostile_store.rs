//! The store commands on hostile data and places: CSV cells that a spreadsheet would
//! run as formulas, filters too long for a `LIKE`, databases that are missing or in a
//! folder the user cannot write.

use std::path::{Path, PathBuf};
use std::process::Command;

use aidledger_core::{Document, Extraction, Record};
use aidledger_store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_aidledger");

const HYPERLINK: &str = "=HYPERLINK(\"http://evil\",\"x\")";
const SUM: &str = "@SUM(A1)";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let o = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("AIDLEDGER_DB")
        .output()
        .expect("runs");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A record as an article could make it: every text field hostile.
fn hostile_record(doc_id: &str) -> Record {
    serde_json::from_value(serde_json::json!({
        "doc_id": doc_id,
        "status": "pledged",
        "donors": ["USA"],
        "recipient": "UKR",
        "items": [{ "name": HYPERLINK, "quantity": 4, "category": "+cat" }],
        "value": { "amount": -5.0, "currency": "USD" },
        "date": "2022-10-05",
        "asserted_by": SUM,
        "evidence": [{ "start": 0, "end": 10, "text": "-2+3 tanks\tand\rmore" }],
        "confidence": 0.9
    }))
    .expect("a record")
}

/// A database holding one document (id `-cmd`, source `+src`) with that record, and
/// the commitments merged from it.
fn hostile_db(dir: &Path) -> PathBuf {
    let path = dir.join("h.db");
    let mut s = Store::open(path.to_str().unwrap()).unwrap();
    let doc = Document {
        id: "-cmd".into(),
        text: "-2+3 tanks\tand\rmore text of the article".into(),
        published: Some("2022-10-05".into()),
        source: Some("+src".into()),
        url: None,
        title: Some("@title".into()),
        lang: Some("en".into()),
    };
    let ex = Extraction {
        records: vec![hostile_record("-cmd")],
        lang: "en".into(),
        ..Default::default()
    };
    s.ingest_batch(&[(doc, ex)]).unwrap();
    assert!(s.rebuild_commitments(true).unwrap() > 0);
    path
}

/// RFC 4180 cells (quotes doubled inside quoted cells; line breaks inside them kept).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

/// Every cell that starts like a formula is a number in a numeric column.
fn check_cells(csv: &str, numeric: &[&str]) -> Vec<Vec<String>> {
    let rows = parse_csv(csv);
    assert!(rows.len() >= 2, "{csv}");
    let header = rows[0].clone();
    for r in &rows[1..] {
        assert_eq!(r.len(), header.len(), "{r:?}");
        for (name, cell) in header.iter().zip(r) {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(
                    numeric.contains(&name.as_str()) && cell.parse::<f64>().is_ok(),
                    "column {name}: {cell:?} would run as a formula"
                );
            }
        }
    }
    rows
}

fn column<'a>(rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = rows[0].iter().position(|h| h == name).unwrap();
    rows[1..].iter().map(|r| r[i].as_str()).collect()
}

#[test]
fn csv_exports_neutralise_formulas() {
    let t = tempfile::tempdir().unwrap();
    let db = hostile_db(t.path());
    let db = db.to_str().unwrap();

    let r = run(
        t.path(),
        &["export", "--db", db, "--what", "records", "--format", "csv"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = check_cells(&r.stdout, &["quantity", "value"]);
    assert_eq!(
        column(&rows, "item"),
        ["'=HYPERLINK(\"http://evil\",\"x\")"]
    );
    assert_eq!(column(&rows, "asserted_by"), ["'@SUM(A1)"]);
    assert_eq!(column(&rows, "document"), ["'-cmd"]);
    assert_eq!(column(&rows, "source"), ["'+src"]);
    assert_eq!(column(&rows, "category"), ["'+cat"]);
    assert_eq!(column(&rows, "evidence"), ["'-2+3 tanks and more"]);
    // a negative amount AidLedger wrote stays a number
    assert_eq!(column(&rows, "value"), ["-5"]);
    assert_eq!(column(&rows, "quantity"), ["4"]);

    for args in [
        &["export", "--db", db, "--format", "csv"][..],
        &["ledger", "--db", db, "--format", "csv"][..],
    ] {
        let r = run(t.path(), args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let rows = check_cells(&r.stdout, &["value"]);
        // the item keeps its quantity in front ("4 =HYPERLINK(...)"), which no
        // spreadsheet runs; the outlet alone in its cell is neutralised
        assert!(
            column(&rows, "items").contains(&"4 =HYPERLINK(\"http://evil\",\"x\")"),
            "{args:?}: {}",
            r.stdout
        );
        assert!(column(&rows, "sources").contains(&"'+src"), "{}", r.stdout);
    }
}

#[test]
fn long_item_filters_are_a_clear_error() {
    let t = tempfile::tempdir().unwrap();
    let db = hostile_db(t.path());
    let db = db.to_str().unwrap();
    let huge = "a".repeat(50_000);
    let r = run(t.path(), &["ledger", "--db", db, "--item", &huge]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: --item is 50000 characters long; at most 200 are allowed"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("LIKE"), "{}", r.stderr);
    let r = run(t.path(), &["ledger", "--db", db, "--donor", &huge]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--donor is 50000"), "{}", r.stderr);
    // at the limit it runs; % and _ match themselves
    for item in ["b".repeat(200), "%".into(), "_".into(), "%%".into()] {
        let r = run(t.path(), &["ledger", "--db", db, "--item", &item]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("(no commitments match)"),
            "{item}: {}",
            r.stdout
        );
    }
    let r = run(t.path(), &["ledger", "--db", db, "--item", "hyperlink"]);
    assert!(!r.stdout.contains("(no commitments match)"), "{}", r.stdout);
}

#[test]
fn reading_commands_on_a_missing_database_create_nothing() {
    let t = tempfile::tempdir().unwrap();
    for args in [
        &["ledger", "--db", "none.db"][..],
        &["ledger", "show", "abc", "--db", "none.db"][..],
        &["export", "--db", "none.db"][..],
        &["search", "tanks", "--db", "none.db"][..],
        &["serve", "--db", "none.db", "--addr", "127.0.0.1:0"][..],
    ] {
        let r = run(t.path(), args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr.trim_end(),
            "error: no database at none.db: run `aidledger ingest` first",
            "{args:?}"
        );
        assert_eq!(
            std::fs::read_dir(t.path()).unwrap().count(),
            0,
            "{args:?} created a file"
        );
    }
}

fn side_files(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

#[test]
fn reading_commands_write_nothing_and_leave_no_side_files() {
    let t = tempfile::tempdir().unwrap();
    let db = hostile_db(t.path());
    assert!(side_files(&db).is_empty());
    let before = std::fs::read(&db).unwrap();
    let dbs = db.to_str().unwrap();
    for args in [
        &["ledger", "--db", dbs][..],
        &["ledger", "--db", dbs, "--format", "json"][..],
        &["export", "--db", dbs][..],
        &[
            "export", "--db", dbs, "--what", "records", "--format", "jsonl",
        ][..],
        &["search", "tanks", "--db", dbs][..],
    ] {
        let r = run(t.path(), args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(
            side_files(&db).is_empty(),
            "{args:?}: {:?}",
            side_files(&db)
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
}

/// Whether this process runs as root (who owns `/proc/self`).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// In a folder the user cannot write (mode 0555) the reading commands work. Permission
/// bits do not stop root: as root the commands are run as `nobody` (with `setpriv`).
#[test]
fn reading_commands_work_in_a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let db = hostile_db(t.path());
    let before = std::fs::read(&db).unwrap();
    let mode =
        |m: u32| std::fs::set_permissions(t.path(), std::fs::Permissions::from_mode(m)).unwrap();
    mode(0o555);
    let as_user = |args: &[&str]| -> Run {
        let mut cmd = if is_root() {
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
                BIN,
            ]);
            c
        } else {
            Command::new(BIN)
        };
        let o = cmd
            .current_dir(t.path())
            .args(args)
            .env_remove("AIDLEDGER_DB")
            .output()
            .expect("setpriv (util-linux) runs the command as nobody");
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    };
    let results: Vec<(Vec<&str>, Run)> = [
        vec!["ledger", "--db", "h.db", "--format", "json"],
        vec![
            "export", "--db", "h.db", "--what", "records", "--format", "jsonl",
        ],
        vec!["search", "tanks", "--db", "h.db"],
        vec!["ingest", "--db", "h.db", "-"],
    ]
    .into_iter()
    .map(|a| {
        let r = as_user(&a);
        (a, r)
    })
    .collect();
    mode(0o755);
    for (args, r) in &results[..3] {
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(!r.stdout.trim().is_empty(), "{args:?}");
    }
    assert!(results[2].1.stdout.contains("-cmd"));
    // writing there is refused (the folder really is read-only for this user)
    assert_ne!(results[3].1.code, 0, "{}", results[3].1.stderr);
    assert!(side_files(&db).is_empty(), "{:?}", side_files(&db));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
