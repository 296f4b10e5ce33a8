//! Hostile documents on the command line: ids that would be rewritten or collide, and
//! ids given twice to `ingest` (the later document wins, the counts stay truthful).

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_aidledger");

const PKG: &str = "The United States announced a $2.98 billion security assistance package for Ukraine on Wednesday. The package includes six NASAMS air defense systems. Germany refused to supply Leopard 2 tanks for now, a government spokesman said.";
const DELIVERED: &str =
    "The first two NASAMS systems have been delivered to Ukraine, the Pentagon said on Monday.";
const TANKS: &str = "Le Canada enverra quatre chars Leopard 2 supplémentaires à l’Ukraine, a annoncé mardi la ministre canadienne de la Défense, Anita Anand.";

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
    let r = Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

fn doc(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text, "published": "2022-11-08"}).to_string()
}

fn write_lines(dir: &Path, name: &str, lines: &[String]) {
    std::fs::write(dir.join(name), lines.join("\n") + "\n").unwrap();
}

/// Records `extract` finds in these documents.
fn records_of(dir: &Path, docs: &[String]) -> usize {
    write_lines(dir, "probe.jsonl", docs);
    let r = run(dir, &["extract", "probe.jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout.lines().count()
}

fn line_with<'a>(stderr: &'a str, needle: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{stderr}"))
}

#[test]
fn ids_with_control_characters_are_skipped_naming_file_and_line() {
    let t = tempfile::tempdir().unwrap();
    let bad = [
        "a\u{0}b",
        "tab\there",
        "esc\u{1b}[2J",
        "c1\u{85}",
        "del\u{7f}",
        "bidi\u{202e}gpj.exe",
        " ",
        "",
    ];
    let mut lines = vec![doc("a b", PKG)];
    lines.extend(bad.iter().map(|id| doc(id, TANKS)));
    write_lines(t.path(), "docs.jsonl", &lines);

    for cmd in ["extract", "ingest"] {
        let r = run(
            t.path(),
            &[cmd, "docs.jsonl", "--db", "l.db"][..if cmd == "extract" { 2 } else { 4 }],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let nul = line_with(&r.stderr, "docs.jsonl:2:");
        assert_eq!(
            nul,
            "warning: docs.jsonl:2: skipped: bad \"id\": the id \"a\\u{0}b\" holds a NUL character (U+0000) at character 2; ids may not hold control or invisible formatting characters"
        );
        for (i, id) in bad.iter().enumerate().skip(1) {
            let l = line_with(&r.stderr, &format!("docs.jsonl:{}:", i + 2));
            assert!(
                l.contains("skipped:") && l.contains("\"id\""),
                "{id:?}: {l}"
            );
        }
        assert!(
            r.stderr
                .contains("9 documents read, 1 processed, 8 skipped (8 no valid id)"),
            "{}",
            r.stderr
        );
    }
    // only "a b" was stored, under its own id; "a\0b" replaced nothing
    let r = run(
        t.path(),
        &[
            "export", "--db", "l.db", "--what", "records", "--format", "jsonl",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().count() > 0);
    for l in r.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["doc_id"], "a b", "{l}");
    }

    // --strict: the first bad id is an error naming file and line
    let r = run(
        t.path(),
        &["ingest", "--strict", "docs.jsonl", "--db", "s.db"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: docs.jsonl:2: skipped: bad \"id\": the id \"a\\u{0}b\""),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_text_file_whose_name_holds_a_control_character_is_skipped() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("articles");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("good.txt"), TANKS).unwrap();
    std::fs::write(dir.join("bad\u{1b}name.txt"), TANKS).unwrap();
    let r = run(t.path(), &["extract", "articles", "--pretty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let l = line_with(&r.stderr, "U+001B");
    assert!(
        // the file name is shown escaped: no control character reaches the terminal
        l.starts_with("warning: articles/bad\\u{1b}name.txt: skipped: bad \"id\""),
        "{l:?}"
    );
    assert!(r
        .stderr
        .contains("2 documents read, 1 processed, 1 skipped (1 no valid id)"));
}

fn stored_records(dir: &Path, db: &str) -> Vec<serde_json::Value> {
    let r = run(
        dir,
        &[
            "export", "--db", db, "--what", "records", "--format", "jsonl",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn ingest_keeps_the_later_of_two_documents_with_one_id() {
    let t = tempfile::tempdir().unwrap();
    let a_first = doc("a", PKG);
    let a_later = doc("a", DELIVERED);
    let b = doc("b", TANKS);
    let n_first = records_of(t.path(), std::slice::from_ref(&a_first));
    let n_later = records_of(t.path(), std::slice::from_ref(&a_later));
    let n_b = records_of(t.path(), std::slice::from_ref(&b));
    assert!(n_first > 0 && n_later > 0 && n_b > 0 && n_first != n_later);
    // fillers push the later "a" into another batch of 256 documents
    let fillers: Vec<String> = (0..300)
        .map(|i| doc(&format!("f{i}"), "Nothing happened."))
        .collect();

    for (name, lines) in [
        (
            "one-batch.jsonl",
            vec![a_first.clone(), b.clone(), a_later.clone()],
        ),
        ("two-batches.jsonl", {
            let mut v = vec![a_first.clone(), b.clone()];
            v.extend(fillers.iter().cloned());
            v.push(a_later.clone());
            v
        }),
    ] {
        write_lines(t.path(), name, &lines);
        let db = format!("{name}.db");
        let line_no = lines.len();
        let r = run(t.path(), &["ingest", name, "--db", &db]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "warning: {name}:{line_no}: duplicate id \"a\" (seen before): this later document replaces the earlier one"
            )),
            "{}",
            r.stderr
        );
        let docs = lines.len() as u64 - 1;
        let read = line_with(&r.stderr, "documents read");
        assert!(
            read.contains(&format!(
                "; {} records extracted; 1 earlier duplicate dropped",
                n_later + n_b
            )),
            "{name}: {read}"
        );
        let stored = line_with(&r.stderr, "documents added");
        assert!(
            stored.contains(&format!(
                "{docs} documents added, 0 replaced, 0 unchanged; {} records stored",
                n_later + n_b
            )),
            "{name}: {stored}"
        );
        // the stored "a" is the later one
        let recs = stored_records(t.path(), &db);
        let of_a: Vec<_> = recs.iter().filter(|r| r["doc_id"] == "a").collect();
        assert_eq!(of_a.len(), n_later, "{name}");
        assert!(of_a.iter().all(|r| {
            let e = r["evidence"][0]["text"].as_str().unwrap();
            DELIVERED.contains(e)
        }));
        assert_eq!(recs.len(), n_later + n_b);

        // again: everything is as stored (the later "a" too)
        let r = run(t.path(), &["ingest", name, "--db", &db]);
        let stored = line_with(&r.stderr, "documents added");
        if name == "one-batch.jsonl" {
            assert!(
                stored.contains("0 documents added, 0 replaced, 2 unchanged; 0 records stored"),
                "{stored}"
            );
        } else {
            // the first "a" is stored, then replaced by the later one: one replaced
            // document, with the later one's records
            assert!(
                stored.contains(&format!(
                    "0 documents added, 1 replaced, {} unchanged; {n_later} records stored",
                    docs - 1
                )),
                "{stored}"
            );
        }
        assert_eq!(stored_records(t.path(), &db).len(), n_later + n_b);
    }

    // --strict: the duplicate is an error
    let r = run(
        t.path(),
        &["ingest", "--strict", "one-batch.jsonl", "--db", "strict.db"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: one-batch.jsonl:3: duplicate id \"a\""),
        "{}",
        r.stderr
    );
}

#[test]
fn extract_still_keeps_both_documents_with_one_id() {
    let t = tempfile::tempdir().unwrap();
    write_lines(t.path(), "d.jsonl", &[doc("a", PKG), doc("a", DELIVERED)]);
    let r = run(t.path(), &["extract", "d.jsonl"]);
    assert!(
        r.stderr
            .contains("warning: d.jsonl:2: duplicate id \"a\" (seen before); kept"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("dropped"), "{}", r.stderr);
    let n = records_of(t.path(), &[doc("a", PKG)]) + records_of(t.path(), &[doc("a", DELIVERED)]);
    assert_eq!(r.stdout.lines().count(), n);
}
