//! Runs the built `aidledger` binary on inputs made in temporary folders.
//!
//! These tests check what the command line promises whatever the extractor finds: exit
//! codes, messages naming file and line, counts in the summary line, output well-formedness.
//! Documents without records show in `--pretty` output as `(no records)` rows, which lets
//! the tests see which documents reached the extractor, and in which order.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_aidledger");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("spawn aidledger");
    if let Some(input) = stdin {
        let mut si = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = si.write_all(&input);
        });
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    let r = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    assert!(
        !r.stderr.contains("panicked"),
        "the binary panicked:\n{}",
        r.stderr
    );
    r
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, None)
}

fn summary(r: &Run) -> &str {
    r.stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("aidledger: "))
        .unwrap_or_else(|| panic!("no summary:\n{}", r.stderr))
}

/// Ids of the `(no records)` rows of `--pretty` output, in order.
fn pretty_ids(r: &Run) -> Vec<String> {
    r.stdout
        .lines()
        .skip(1)
        .filter(|l| l.contains("(no records)"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

fn doc(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text}).to_string()
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn lines(v: &[String]) -> String {
    let mut s = v.join("\n");
    s.push('\n');
    s
}

const FR: &str = "Le ministre a annoncé mardi la livraison de douze canons à l'armée.";
const EN: &str = "The minister said on Tuesday that twelve howitzers had been shipped.";

// ---------------------------------------------------------------------------------------
// Bad lines in JSONL

#[test]
fn malformed_json_line_is_skipped_and_counted() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[
            doc("a", FR),
            "{\"id\": \"b\", \"text\": ".into(),
            doc("c", EN),
        ]),
    );
    let r = run(t.path(), &["extract", "docs.jsonl", "--pretty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: docs.jsonl:2: skipped: not valid JSON ("),
        "{}",
        r.stderr
    );
    assert!(
        summary(&r).contains("3 documents read, 2 processed, 1 skipped (1 not valid JSON)"),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["a", "c"]);
}

#[test]
fn garbage_line_message_has_column() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[doc("a", FR), "%%% garbage".into()]),
    );
    let r = run(t.path(), &["extract", "docs.jsonl"]);
    assert!(
        r.stderr.contains(
            "warning: docs.jsonl:2: skipped: not valid JSON (expected value at column 1)"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn json_that_is_not_an_object() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[
            doc("a", FR),
            "\"just a string\"".into(),
            "42".into(),
            doc("b", EN),
        ]),
    );
    let r = run(t.path(), &["extract", "docs.jsonl", "--pretty"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("docs.jsonl:2: skipped: not a JSON object (found a string)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("docs.jsonl:3: skipped: not a JSON object (found a number)"),
        "{}",
        r.stderr
    );
    assert!(
        summary(&r).contains("4 documents read, 2 processed, 2 skipped (2 not a JSON object)"),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["a", "b"]);
}

#[test]
fn missing_or_wrong_id_and_text() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[
            r#"{"text": "no id here"}"#.into(),
            r#"{"id": 17, "text": "numeric id"}"#.into(),
            r#"{"id": "", "text": "empty id"}"#.into(),
            r#"{"id": "t1"}"#.into(),
            r#"{"id": "t2", "text": ["not", "a", "string"]}"#.into(),
            doc("good", EN),
        ]),
    );
    let r = run(t.path(), &["extract", "docs.jsonl", "--pretty"]);
    assert_eq!(r.code, 0);
    for (line, what) in [
        (1, "missing \"id\""),
        (2, "\"id\" is a number, not a string"),
        (3, "\"id\" is empty"),
        (4, "document \"t1\": missing \"text\""),
        (5, "document \"t2\": \"text\" is an array, not a string"),
    ] {
        assert!(
            r.stderr
                .contains(&format!("warning: docs.jsonl:{line}: skipped: {what}")),
            "{line}:\n{}",
            r.stderr
        );
    }
    assert!(
        summary(&r)
            .contains("6 documents read, 1 processed, 5 skipped (3 no valid id, 2 no valid text)"),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["good"]);
}

#[test]
fn invalid_utf8_in_a_jsonl_line() {
    let t = tempfile::tempdir().unwrap();
    let mut data = lines(&[doc("a", FR)]).into_bytes();
    data.extend_from_slice(b"{\"id\":\"b\",\"text\":\"caf\xe9 cr\xe8me\"}\n");
    data.extend_from_slice(lines(&[doc("c", EN)]).as_bytes());
    write(t.path(), "latin1.jsonl", data);
    let r = run(t.path(), &["extract", "latin1.jsonl", "--pretty"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains(
            "warning: latin1.jsonl:2: skipped: not valid UTF-8 (invalid byte 0xe9 at column 22)"
        ),
        "{}",
        r.stderr
    );
    assert!(summary(&r).contains("3 documents read, 2 processed, 1 skipped (1 invalid UTF-8)"));
    assert_eq!(pretty_ids(&r), ["a", "c"]);
}

#[test]
fn blank_lines_are_ignored_silently() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        format!("\n{}\n   \n\r\n{}\n\n", doc("a", FR), doc("b", EN)),
    );
    let r = run(t.path(), &["extract", "docs.jsonl", "--pretty"]);
    assert_eq!(r.code, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(
        summary(&r).contains("2 documents read, 2 processed, 0 skipped"),
        "{}",
        r.stderr
    );
}

#[test]
fn crlf_lines_and_bom_are_accepted() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "win.jsonl",
        format!("\u{feff}{}\r\n{}\r\n", doc("a", FR), doc("b", EN)),
    );
    let r = run(t.path(), &["extract", "win.jsonl", "--pretty"]);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert_eq!(pretty_ids(&r), ["a", "b"]);
}

#[test]
fn duplicate_ids_warn_and_are_kept() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[doc("a", FR), doc("b", EN), doc("a", EN)]),
    );
    let r = run(t.path(), &["extract", "docs.jsonl", "--pretty"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("warning: docs.jsonl:3: duplicate id \"a\""),
        "{}",
        r.stderr
    );
    assert!(
        summary(&r).contains("3 documents read, 3 processed, 0 skipped"),
        "{}",
        r.stderr
    );
    assert!(summary(&r).contains("1 warning"), "{}", r.stderr);
    assert_eq!(pretty_ids(&r), ["a", "b", "a"]);
}

#[test]
fn bad_optional_fields_are_dropped_with_a_warning() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[r#"{"id":"a","text":"Texte.","published":"hier","source":12,"url":null}"#.into()]),
    );
    let r = run(t.path(), &["extract", "docs.jsonl"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("docs.jsonl:1: document \"a\": ignored \"published\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("docs.jsonl:1: document \"a\": ignored \"source\": a number"),
        "{}",
        r.stderr
    );
    assert!(
        summary(&r).contains("1 documents read, 1 processed")
            || summary(&r).contains("1 document read, 1 processed")
    );
}

#[test]
fn messages_are_capped_per_file_but_all_counted() {
    let t = tempfile::tempdir().unwrap();
    let mut v: Vec<String> = (0..30).map(|i| format!("bad line {i}")).collect();
    v.push(doc("ok", EN));
    write(t.path(), "junk.jsonl", lines(&v));
    let r = run(t.path(), &["extract", "junk.jsonl"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr.matches("warning: junk.jsonl:").count(),
        20,
        "{}",
        r.stderr
    );
    assert!(r
        .stderr
        .contains("note: junk.jsonl: more problems in this file are counted but not shown"));
    assert!(
        summary(&r).contains("31 documents read, 1 processed, 30 skipped (30 not valid JSON)"),
        "{}",
        r.stderr
    );
}

#[test]
fn json_array_file_is_skipped_with_a_hint() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "array.json",
        format!("[\n{},\n{}\n]\n", doc("a", FR), doc("b", EN)),
    );
    write(t.path(), "z.jsonl", lines(&[doc("z", EN)]));
    let r = run(t.path(), &["extract", "array.json", "z.jsonl", "--pretty"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("warning: array.json: a JSON array, not JSON Lines"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("jq -c"), "{}", r.stderr);
    assert!(
        summary(&r).contains("1 input file failed (1 JSON array instead of JSON Lines)"),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["z"]);
}

// ---------------------------------------------------------------------------------------
// Sizes

/// Writes `prefix`, `n` bytes of `fill`, `suffix` without building the whole in memory.
fn write_big(path: &Path, prefix: &[u8], n: usize, suffix: &[u8]) {
    let mut f = std::io::BufWriter::new(fs::File::create(path).unwrap());
    f.write_all(prefix).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        f.write_all(&chunk[..k]).unwrap();
        left -= k;
    }
    f.write_all(suffix).unwrap();
    f.flush().unwrap();
}

/// Peak resident memory of a running child, in KiB, polled from /proc until it exits.
fn run_measuring_peak(dir: &Path, args: &[&str]) -> (Run, Option<u64>, Duration) {
    let start = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak: Option<u64> = None;
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Ok(s) = fs::read_to_string(&status_path) {
            if let Some(l) = s.lines().find(|l| l.starts_with("VmHWM:")) {
                if let Some(kb) = l
                    .split_whitespace()
                    .nth(1)
                    .and_then(|x| x.parse::<u64>().ok())
                {
                    peak = Some(peak.unwrap_or(0).max(kb));
                }
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let r = Run {
        code: status.code().unwrap_or(-1),
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    };
    (r, peak, elapsed)
}

#[test]
fn fifty_megabyte_line_is_skipped_quickly_without_holding_it() {
    let t = tempfile::tempdir().unwrap();
    let big = t.path().join("big.jsonl");
    let mut prefix = lines(&[doc("before", FR)]).into_bytes();
    prefix.extend_from_slice(b"{\"id\":\"huge\",\"text\":\"");
    let mut suffix = b"\"}\n".to_vec();
    suffix.extend_from_slice(lines(&[doc("after", EN)]).as_bytes());
    let n = 50 << 20;
    write_big(&big, &prefix, n, &suffix);
    let line_len = n + b"{\"id\":\"huge\",\"text\":\"\"}".len();

    // Default limit (32 MiB): skipped with its size, neighbours processed.
    let (r, _, elapsed) = run_measuring_peak(t.path(), &["extract", "big.jsonl", "--pretty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = format!(
        "warning: big.jsonl:2: skipped: line of {} bytes is larger than --max-doc-bytes (33,554,432 bytes)",
        thousands(line_len as u64)
    );
    assert!(
        r.stderr.contains(&expected),
        "{}\nexpected: {expected}",
        r.stderr
    );
    assert!(
        summary(&r).contains("3 documents read, 2 processed, 1 skipped (1 too large)"),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["before", "after"]);
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");

    // With a small limit, memory stays far below the line size.
    let (r, peak, _) =
        run_measuring_peak(t.path(), &["extract", "big.jsonl", "--max-doc-bytes", "1M"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("larger than --max-doc-bytes (1,048,576 bytes)"),
        "{}",
        r.stderr
    );
    if let Some(kb) = peak {
        assert!(kb < 40 * 1024, "peak memory {kb} KiB for a 50 MB line");
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn max_doc_bytes_applies_to_text_files_too() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "long.txt", "x".repeat(5000));
    write(t.path(), "short.txt", EN);
    let r = run(
        t.path(),
        &[
            "extract",
            "long.txt",
            "short.txt",
            "--max-doc-bytes",
            "4K",
            "--pretty",
        ],
    );
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("warning: long.txt: skipped: file of 5,000 bytes is larger than --max-doc-bytes (4,096 bytes)"), "{}", r.stderr);
    assert_eq!(pretty_ids(&r), ["short"]);
}

#[test]
fn bad_max_doc_bytes_is_a_usage_error() {
    let t = tempfile::tempdir().unwrap();
    let r = run(t.path(), &["extract", "--max-doc-bytes", "lots", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--max-doc-bytes"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------
// Files

#[test]
fn empty_file_is_a_note() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "empty.jsonl", "");
    write(t.path(), "blank.jsonl", "\n\n  \n");
    let r = run(t.path(), &["extract", "empty.jsonl", "blank.jsonl"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("note: empty.jsonl: empty file"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("note: blank.jsonl: no documents (only blank lines)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(
        summary(&r).contains("0 documents read, 0 processed, 0 skipped"),
        "{}",
        r.stderr
    );
    assert!(summary(&r).contains("2 empty files"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    // Notes do not stop a strict run.
    let r = run(t.path(), &["extract", "--strict", "empty.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn text_file_id_is_its_stem() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "kyiv-0412.txt", FR);
    write(t.path(), "notes.md", EN);
    write(t.path(), "wire.text", EN);
    let r = run(
        t.path(),
        &[
            "extract",
            "kyiv-0412.txt",
            "notes.md",
            "wire.text",
            "--pretty",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(pretty_ids(&r), ["kyiv-0412", "notes", "wire"]);
    assert!(
        summary(&r).contains("3 documents read, 3 processed, 0 skipped"),
        "{}",
        r.stderr
    );
}

#[test]
fn binary_text_file_is_skipped() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "junk.txt", b"first line\nab\0\x01\x02\xff\xfe");
    write(t.path(), "ok.txt", EN);
    let r = run(t.path(), &["extract", "junk.txt", "ok.txt", "--pretty"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("warning: junk.txt:2: skipped: binary data (NUL byte at line 2, column 3)"),
        "{}",
        r.stderr
    );
    assert!(
        summary(&r).contains("2 documents read, 1 processed, 1 skipped (1 binary data)"),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["ok"]);
}

#[test]
fn text_file_with_invalid_utf8_is_skipped() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "latin1.txt",
        b"Ligne un\nLigne deux\nd\xe9j\xe0 livr\xe9s\n",
    );
    let r = run(t.path(), &["extract", "latin1.txt"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("warning: latin1.txt:3: skipped: not valid UTF-8 (invalid byte 0xe9 at line 3, column 2)"),
        "{}",
        r.stderr
    );
    assert!(
        summary(&r).contains("1 skipped (1 invalid UTF-8)"),
        "{}",
        r.stderr
    );
}

#[test]
fn gzip_jsonl_is_read_as_a_stream() {
    let t = tempfile::tempdir().unwrap();
    let data: Vec<String> = (0..600).map(|i| doc(&format!("g{i}"), "Note.")).collect();
    write(t.path(), "corpus.jsonl.gz", gzip(lines(&data).as_bytes()));
    // Compressed data under a plain name is recognised by its magic bytes.
    write(
        t.path(),
        "disguised.jsonl",
        gzip(lines(&[doc("d", FR)]).as_bytes()),
    );
    let r = run(
        t.path(),
        &["extract", "corpus.jsonl.gz", "disguised.jsonl", "--pretty"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids = pretty_ids(&r);
    assert_eq!(ids.len(), 601);
    assert_eq!(ids[0], "g0");
    assert_eq!(ids[599], "g599");
    assert_eq!(ids[600], "d");
    assert!(
        summary(&r).contains("601 documents read, 601 processed, 0 skipped"),
        "{}",
        r.stderr
    );
}

#[test]
fn truncated_gzip_is_reported_and_the_next_input_read() {
    let t = tempfile::tempdir().unwrap();
    let data: Vec<String> = (0..3000)
        .map(|i| doc(&format!("g{i}"), &format!("Note {i}.")))
        .collect();
    let gz = gzip(lines(&data).as_bytes());
    write(t.path(), "cut.jsonl.gz", &gz[..gz.len() * 2 / 3]);
    write(t.path(), "next.jsonl", lines(&[doc("next", FR)]));
    let r = run(
        t.path(),
        &["extract", "cut.jsonl.gz", "next.jsonl", "--pretty"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning: cut.jsonl.gz:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("corrupt or truncated gzip data"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("rest of file skipped"), "{}", r.stderr);
    assert!(
        summary(&r).contains("1 input file failed (1 corrupt gzip)"),
        "{}",
        r.stderr
    );
    let ids = pretty_ids(&r);
    assert!(ids.len() > 100, "documents before the cut are processed");
    assert_eq!(ids.last().unwrap(), "next");
}

#[test]
fn not_gzip_under_a_gz_name() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "fake.jsonl.gz", lines(&[doc("a", FR)]));
    let r = run(t.path(), &["extract", "fake.jsonl.gz"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("warning: fake.jsonl.gz:1: corrupt or truncated gzip data"),
        "{}",
        r.stderr
    );
}

#[test]
fn folders_are_walked_recursively_in_sorted_order() {
    let t = tempfile::tempdir().unwrap();
    let c = t.path().join("corpus");
    write(&c, "b/2.txt", EN);
    write(&c, "b/10.txt", EN);
    write(&c, "a.jsonl", lines(&[doc("a1", FR), doc("a2", EN)]));
    write(&c, "c/deep/er/x.md", FR);
    write(&c, "c/readme.csv", "not,a,document");
    write(&c, "c/.hidden.jsonl", "ignored silently");
    write(&c, "d.jsonl.gz", gzip(lines(&[doc("d1", EN)]).as_bytes()));
    let r = run(t.path(), &["extract", "corpus", "--pretty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(pretty_ids(&r), ["a1", "a2", "10", "2", "x", "d1"]);
    assert!(
        r.stderr
            .contains("note: corpus/c/readme.csv: ignored: not a document file"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("hidden"), "{}", r.stderr);
    assert!(
        summary(&r).contains("6 documents read, 6 processed, 0 skipped"),
        "{}",
        r.stderr
    );
    assert!(summary(&r).contains("1 file ignored"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn directory_loop_is_reported_not_followed() {
    let t = tempfile::tempdir().unwrap();
    let c = t.path().join("corpus");
    write(&c, "sub/a.txt", EN);
    std::os::unix::fs::symlink("..", c.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("self-link", c.join("self-link")).unwrap();
    let r = run(t.path(), &["extract", "corpus", "--pretty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: corpus/sub/up: directory loop"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("warning: corpus/self-link: cannot read"),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["a"]);
    assert!(summary(&r).contains("2 input files failed"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let p = write(t.path(), "locked.jsonl", lines(&[doc("a", FR)]));
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&p).is_ok() {
        return; // running as root: permissions do not stop reading
    }
    write(t.path(), "ok.jsonl", lines(&[doc("b", EN)]));
    let r = run(
        t.path(),
        &["extract", "locked.jsonl", "ok.jsonl", "--pretty"],
    );
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("warning: locked.jsonl: cannot open: "),
        "{}",
        r.stderr
    );
    assert_eq!(pretty_ids(&r), ["b"]);
}

#[test]
fn missing_input_path_is_a_usage_error() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "ok.jsonl", lines(&[doc("b", EN)]));
    let r = run(t.path(), &["extract", "ok.jsonl", "no/such/file.jsonl"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error: input not found: no/such/file.jsonl"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

// ---------------------------------------------------------------------------------------
// stdin, output, strict

#[test]
fn stdin_without_arguments_and_with_dash() {
    let t = tempfile::tempdir().unwrap();
    let input = lines(&[doc("s1", FR), "oops".into(), doc("s2", EN)]);
    let r = run_in(t.path(), &["extract", "--pretty"], Some(input.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(pretty_ids(&r), ["s1", "s2"]);
    assert!(
        r.stderr
            .contains("warning: <stdin>:2: skipped: not valid JSON"),
        "{}",
        r.stderr
    );

    write(t.path(), "f.jsonl", lines(&[doc("f1", EN)]));
    let r = run_in(
        t.path(),
        &["extract", "f.jsonl", "-", "--pretty"],
        Some(input.as_bytes()),
    );
    assert_eq!(pretty_ids(&r), ["f1", "s1", "s2"]);
    assert!(
        summary(&r).contains("4 documents read, 3 processed, 1 skipped"),
        "{}",
        r.stderr
    );

    let gz = gzip(input.as_bytes());
    let r = run_in(t.path(), &["extract", "--pretty"], Some(&gz));
    assert_eq!(pretty_ids(&r), ["s1", "s2"], "gzip on stdin");

    let r = run_in(
        t.path(),
        &["extract", "--format", "text", "--pretty"],
        Some(EN.as_bytes()),
    );
    assert_eq!(pretty_ids(&r), ["stdin"]);
}

#[test]
fn strict_stops_at_the_first_problem() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[doc("a", FR), "{broken".into(), doc("c", EN)]),
    );
    let r = run(t.path(), &["extract", "--strict", "docs.jsonl", "--pretty"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: docs.jsonl:2: skipped: not valid JSON"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--strict"), "{}", r.stderr);
    assert_eq!(
        pretty_ids(&r),
        ["a"],
        "documents before the problem were written, none after"
    );

    write(t.path(), "dup.jsonl", lines(&[doc("a", FR), doc("a", EN)]));
    let r = run(t.path(), &["extract", "--strict", "dup.jsonl"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: dup.jsonl:2: duplicate id"),
        "{}",
        r.stderr
    );

    let r = run_in(t.path(), &["extract", "--strict", "-q"], Some(b""));
    assert_eq!(r.code, 0, "an empty stdin is no problem: {}", r.stderr);
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "good.jsonl", lines(&[doc("a", FR), doc("b", EN)]));
    write(t.path(), "bad.jsonl", lines(&[doc("a", FR), "nope".into()]));
    let out = t.path().join("records.jsonl");
    fs::write(&out, "previous content\n").unwrap();

    let r = run(
        t.path(),
        &["extract", "--strict", "bad.jsonl", "-o", "records.jsonl"],
    );
    assert_eq!(r.code, 1);
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous content\n");

    let r = run(t.path(), &["extract", "good.jsonl", "-o", "records.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let written = fs::read_to_string(&out).unwrap();
    for line in written.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each output line is JSON");
        assert!(v.get("doc_id").is_some());
    }
    // No temporary file left behind.
    let names: Vec<_> = fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")),
        "{names:?}"
    );
}

#[cfg(unix)]
#[test]
fn output_through_a_link_or_into_a_pipe() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "good.jsonl", lines(&[doc("a", FR)]));
    write(t.path(), "real.jsonl", "old\n");
    std::os::unix::fs::symlink("real.jsonl", t.path().join("link.jsonl")).unwrap();
    let r = run(
        t.path(),
        &["extract", "good.jsonl", "-o", "link.jsonl", "--pretty"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        fs::symlink_metadata(t.path().join("link.jsonl"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays"
    );
    assert!(fs::read_to_string(t.path().join("real.jsonl"))
        .unwrap()
        .contains("(no records)"));

    // A pipe named by -o is written to, never replaced by a regular file.
    let fifo = t.path().join("fifo");
    match Command::new("mkfifo").arg(&fifo).status() {
        Ok(s) if s.success() => {}
        _ => return, // no mkfifo here
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let r = run(
        t.path(),
        &["extract", "good.jsonl", "-o", "fifo", "--pretty"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(reader.join().unwrap().contains("(no records)"));
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn jobs_is_validated() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "good.jsonl", lines(&[doc("a", FR)]));
    assert_eq!(run(t.path(), &["extract", "good.jsonl", "-j", "2"]).code, 0);
    assert_eq!(
        run(t.path(), &["extract", "good.jsonl", "-j", "100000"]).code,
        2
    );
    assert_eq!(
        run(t.path(), &["extract", "good.jsonl", "-j", "many"]).code,
        2
    );
}

#[test]
fn unwritable_output_is_a_fatal_error() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "good.jsonl", lines(&[doc("a", FR)]));
    let r = run(
        t.path(),
        &[
            "extract",
            "good.jsonl",
            "-o",
            "missing-folder/records.jsonl",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: cannot write missing-folder/records.jsonl"),
        "{}",
        r.stderr
    );
    fs::create_dir(t.path().join("adir")).unwrap();
    let r = run(t.path(), &["extract", "good.jsonl", "-o", "adir"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: cannot write adir"),
        "{}",
        r.stderr
    );
}

#[test]
fn jsonl_output_is_well_formed() {
    let t = tempfile::tempdir().unwrap();
    let data: Vec<String> = (0..50)
        .map(|i| doc(&format!("d{i}"), if i % 2 == 0 { FR } else { EN }))
        .collect();
    write(t.path(), "docs.jsonl", lines(&data));
    for jobs in ["1", "4"] {
        let r = run(
            t.path(),
            &["extract", "docs.jsonl", "--jobs", jobs, "--explain"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        for line in r.stdout.lines() {
            let v: serde_json::Value =
                serde_json::from_str(line).expect("each stdout line is a JSON record");
            assert!(v["doc_id"].as_str().is_some_and(|id| id.starts_with('d')));
        }
        assert!(
            summary(&r).contains("50 documents read, 50 processed, 0 skipped"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn published_flag_is_validated() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "a.txt", FR);
    for good in ["2024", "2024-10", "2024-02-29"] {
        let r = run(t.path(), &["extract", "a.txt", "--published", good]);
        assert_eq!(r.code, 0, "{good}: {}", r.stderr);
    }
    for bad in ["2024-13", "2023-02-29", "10/2024", "last week", "24"] {
        let r = run(t.path(), &["extract", "a.txt", "--published", bad]);
        assert_eq!(r.code, 2, "{bad}");
        assert!(r.stderr.contains("--published"), "{}", r.stderr);
    }
}

#[test]
fn quiet_hides_summary_and_notes_but_not_warnings() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "e.jsonl", "");
    write(t.path(), "d.jsonl", lines(&[doc("a", FR), "x".into()]));
    let r = run(t.path(), &["extract", "-q", "e.jsonl", "d.jsonl"]);
    assert_eq!(r.code, 0);
    assert!(!r.stderr.contains("aidledger:"), "{}", r.stderr);
    assert!(!r.stderr.contains("note:"), "{}", r.stderr);
    assert!(r.stderr.contains("warning: d.jsonl:2"), "{}", r.stderr);
}

#[test]
fn broken_pipe_ends_quietly() {
    let t = tempfile::tempdir().unwrap();
    let data: Vec<String> = (0..20_000)
        .map(|i| doc(&format!("doc-{i}"), "Note."))
        .collect();
    write(t.path(), "many.jsonl", lines(&data));
    let mut child = Command::new(BIN)
        .args(["extract", "many.jsonl", "--pretty"])
        .current_dir(t.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    out.read_exact(&mut first).unwrap();
    drop(out); // like `| head -c 64`
    let start = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "did not stop after the pipe closed"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

// ---------------------------------------------------------------------------------------
// Help and usage

#[test]
fn help_explains_flags_with_examples() {
    let t = tempfile::tempdir().unwrap();
    let r = run(t.path(), &["extract", "--help"]);
    assert_eq!(r.code, 0);
    for needle in [
        "--strict",
        "--explain",
        "--max-doc-bytes",
        "--published",
        "Examples:",
        "aidledger extract ",
    ] {
        assert!(r.stdout.contains(needle), "{needle}");
    }
    let r = run(t.path(), &["extract", "--no-such-flag"]);
    assert_eq!(r.code, 2);
    let r = run(t.path(), &["parse", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--ref"));
}

#[test]
fn parse_rejects_bad_ref_and_lang() {
    let t = tempfile::tempdir().unwrap();
    let r = run(t.path(), &["parse", "--lang", "de", "--ref", "2013-02-12"]);
    assert_eq!(r.code, 2);
    let r = run(t.path(), &["parse", "--lang", "fr", "--ref", "12/02/2013"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--ref"), "{}", r.stderr);
}

#[test]
fn parse_writes_one_json_line_per_input_line() {
    let t = tempfile::tempdir().unwrap();
    let input = "deux cents\n425 millions de dollars\nmardi dernier\nrien du tout\n";
    let r = run_in(
        t.path(),
        &["parse", "--lang", "fr", "--ref", "2013-02-12T04:30:00"],
        Some(input.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(out.len(), 4, "{}", r.stdout);
    for line in out {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        assert!(v.is_object(), "{line}");
    }
    let r = run_in(
        t.path(),
        &[
            "parse",
            "--lang",
            "en",
            "--ref",
            "2022-10-11",
            "--prefer",
            "future",
        ],
        Some(b"next week\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1);
}

#[test]
fn unsupported_language_is_skipped_and_counted() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "docs.jsonl",
        lines(&[
            r#"{"id":"de1","lang":"de","text":"Die Regierung hat heute neue Hilfen angekündigt."}"#
                .into(),
            doc("fr1", FR),
        ]),
    );
    let r = run(t.path(), &["extract", "docs.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning: docs.jsonl:1: skipped: document \"de1\": unsupported language (de)"
        ),
        "{}",
        r.stderr
    );
    assert!(
        summary(&r).contains("2 documents read, 1 processed, 1 skipped (1 unsupported language)"),
        "{}",
        r.stderr
    );
    let r = run(t.path(), &["extract", "--strict", "docs.jsonl"]);
    assert_eq!(r.code, 1);
}
