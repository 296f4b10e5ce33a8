//! Tests of the input reader.

use super::*;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

fn read_all(specs: Vec<InputSpec>, opts: ReaderOptions) -> Vec<InputItem> {
    InputReader::new(specs, opts).collect()
}

fn ok_ids(items: &[InputItem]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i.result.as_ref().ok())
        .map(|d| d.id.clone())
        .collect()
}

#[test]
fn line_reader_limits_and_discards() {
    let data = b"short\nthis line is long\nlast";
    let mut r = io::BufReader::with_capacity(4, &data[..]);
    let mut buf = Vec::new();
    assert_eq!(
        read_line_limited(&mut r, &mut buf, 8).unwrap(),
        LineRead::Line { consumed: 6 }
    );
    assert_eq!(buf, b"short");
    assert_eq!(
        read_line_limited(&mut r, &mut buf, 8).unwrap(),
        LineRead::TooLong {
            len: 17,
            consumed: 18
        }
    );
    assert!(buf.is_empty());
    assert_eq!(
        read_line_limited(&mut r, &mut buf, 8).unwrap(),
        LineRead::Line { consumed: 4 }
    );
    assert_eq!(buf, b"last");
    assert_eq!(
        read_line_limited(&mut r, &mut buf, 8).unwrap(),
        LineRead::Eof
    );
}

#[test]
fn line_reader_exact_limit_and_unterminated_long_line() {
    let data = b"12345678\n123456789";
    let mut r = io::BufReader::with_capacity(3, &data[..]);
    let mut buf = Vec::new();
    assert_eq!(
        read_line_limited(&mut r, &mut buf, 8).unwrap(),
        LineRead::Line { consumed: 9 }
    );
    assert_eq!(
        read_line_limited(&mut r, &mut buf, 8).unwrap(),
        LineRead::TooLong {
            len: 9,
            consumed: 9
        }
    );
    assert_eq!(
        read_line_limited(&mut r, &mut buf, 8).unwrap(),
        LineRead::Eof
    );
}

#[test]
fn jsonl_document_checks() {
    let ok = parse_jsonl_document(
        br#"{"id":"a","text":"Hello","published":"2024-10-11T08:00:00Z","lang":"en"}"#,
    )
    .unwrap();
    assert_eq!(ok.0.id, "a");
    assert_eq!(ok.0.published.as_deref(), Some("2024-10-11"));
    assert!(ok.1.is_empty());

    let e = parse_jsonl_document(b"nope").unwrap_err();
    assert_eq!(e.kind, ProblemKind::InvalidJson);
    assert_eq!(e.detail, "not valid JSON (expected ident at column 2)");
    let e = parse_jsonl_document(b"{\"id\":").unwrap_err();
    assert!(e.detail.contains("one line"), "{}", e.detail);
    assert_eq!(
        parse_jsonl_document(b"[1,2]").unwrap_err().detail,
        "not a JSON object (found an array)"
    );
    assert_eq!(
        parse_jsonl_document(br#"{"text":"x"}"#).unwrap_err().detail,
        "missing \"id\""
    );
    assert_eq!(
        parse_jsonl_document(br#"{"id":7,"text":"x"}"#)
            .unwrap_err()
            .detail,
        "\"id\" is a number, not a string"
    );
    assert_eq!(
        parse_jsonl_document(br#"{"id":" ","text":"x"}"#)
            .unwrap_err()
            .kind,
        ProblemKind::BadId
    );
    assert_eq!(
        parse_jsonl_document(br#"{"id":"a"}"#).unwrap_err().kind,
        ProblemKind::BadText
    );
    assert_eq!(
        parse_jsonl_document(br#"{"id":"a","text":null}"#)
            .unwrap_err()
            .kind,
        ProblemKind::BadText
    );
    assert_eq!(
        parse_jsonl_document(br#"{"id":"a","text":"x\u0000y"}"#)
            .unwrap_err()
            .kind,
        ProblemKind::Binary
    );
    let e = parse_jsonl_document(b"{\"id\":\"a\",\"text\":\"caf\xe9\"}").unwrap_err();
    assert_eq!(e.kind, ProblemKind::InvalidUtf8);
    assert_eq!(e.detail, "not valid UTF-8 (invalid byte 0xe9 at column 22)");

    let (doc, w) = parse_jsonl_document(
        br#"{"id":"a","text":"x","published":"last week","source":3,"url":null}"#,
    )
    .unwrap();
    assert_eq!(doc.published, None);
    assert_eq!(doc.source, None);
    assert_eq!(w.len(), 2, "{w:?}");
}

#[test]
fn published_formats() {
    assert_eq!(parse_published("2024").unwrap(), "2024");
    assert_eq!(parse_published("2024-02").unwrap(), "2024-02");
    assert_eq!(parse_published("2024-02-29").unwrap(), "2024-02-29");
    assert_eq!(parse_published("2024-02-29 10:00").unwrap(), "2024-02-29");
    for bad in [
        "2023-02-29",
        "2024-13",
        "24",
        "2024-1-05",
        "yesterday",
        "",
        "2024-02-3x",
        "2024/02/03",
    ] {
        assert!(parse_published(bad).is_err(), "{bad}");
    }
}

#[test]
fn text_documents() {
    let d = text_document("kyiv".into(), b"\xEF\xBB\xBFHello\nworld".to_vec()).unwrap();
    assert_eq!(d.text, "Hello\nworld");
    let (line, p) = text_document("x".into(), b"a\nb\nc\0d".to_vec()).unwrap_err();
    assert_eq!((line, p.kind), (3, ProblemKind::Binary));
    let (line, p) = text_document("x".into(), b"a\n\xff".to_vec()).unwrap_err();
    assert_eq!((line, p.kind), (2, ProblemKind::InvalidUtf8));
    assert_eq!(
        text_document("x".into(), b" \n\t".to_vec())
            .unwrap_err()
            .1
            .kind,
        ProblemKind::Empty
    );
}

#[test]
fn names_and_ids() {
    assert_eq!(
        kind_by_name(Path::new("a/b.JSONL")),
        Some((Kind::Jsonl, false))
    );
    assert_eq!(
        kind_by_name(Path::new("b.jsonl.gz")),
        Some((Kind::Jsonl, true))
    );
    assert_eq!(kind_by_name(Path::new("b.gz")), Some((Kind::Jsonl, true)));
    assert_eq!(
        kind_by_name(Path::new("b.txt.gz")),
        Some((Kind::Text, true))
    );
    assert_eq!(kind_by_name(Path::new("b.md")), Some((Kind::Text, false)));
    assert_eq!(kind_by_name(Path::new("b.csv")), None);
    assert_eq!(kind_by_name(Path::new("jsonl")), None);
    assert_eq!(text_id(Path::new("x/kyiv.txt")), "kyiv");
    assert_eq!(text_id(Path::new("x/kyiv.report.txt.gz")), "kyiv.report");
    assert_eq!(thousands(52428800), "52,428,800");
    assert_eq!(thousands(999), "999");
}

#[test]
fn reader_walks_folders_in_order_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("b/sub")).unwrap();
    fs::write(root.join("b/sub/z.txt"), "Some text").unwrap();
    fs::write(
        root.join("b/a.jsonl"),
        "{\"id\":\"j1\",\"text\":\"t\"}\n\n{bad\n{\"id\":\"j1\",\"text\":\"t\"}\n",
    )
    .unwrap();
    fs::write(root.join("a.csv"), "x,y").unwrap();
    fs::write(root.join(".hidden.jsonl"), "junk").unwrap();
    fs::write(root.join("empty.jsonl"), "").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"{\"id\":\"g1\",\"text\":\"t\"}\n").unwrap();
    fs::write(root.join("c.jsonl.gz"), gz.finish().unwrap()).unwrap();

    let items = read_all(
        vec![InputSpec::Path(root.to_path_buf())],
        ReaderOptions::default(),
    );
    let summary: Vec<(String, Option<ProblemKind>)> = items
        .iter()
        .map(|i| {
            let o = i
                .origin
                .strip_prefix(&root.display().to_string())
                .unwrap()
                .to_string();
            (o, i.result.as_ref().err().map(|p| p.kind))
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("/a.csv".to_string(), Some(ProblemKind::Ignored)),
            ("/b/a.jsonl:1".to_string(), None),
            ("/b/a.jsonl:3".to_string(), Some(ProblemKind::InvalidJson)),
            ("/b/a.jsonl:4".to_string(), None),
            ("/b/sub/z.txt".to_string(), None),
            ("/c.jsonl.gz:1".to_string(), None),
            ("/empty.jsonl".to_string(), Some(ProblemKind::Empty)),
        ]
    );
    assert_eq!(items[3].warnings.len(), 1, "duplicate id warned");
    assert_eq!(ok_ids(&items), vec!["j1", "j1", "z", "g1"]);
}

#[cfg(unix)]
#[test]
fn reader_detects_directory_loops() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("d")).unwrap();
    fs::write(root.join("d/x.txt"), "hello").unwrap();
    std::os::unix::fs::symlink(root, root.join("d/loop")).unwrap();
    let items = read_all(
        vec![InputSpec::Path(root.to_path_buf())],
        ReaderOptions::default(),
    );
    let kinds: Vec<_> = items
        .iter()
        .map(|i| i.result.as_ref().err().map(|p| p.kind))
        .collect();
    assert_eq!(kinds, vec![Some(ProblemKind::DirectoryLoop), None]);
}

#[test]
fn truncated_gzip_keeps_earlier_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for i in 0..2000 {
        writeln!(
            gz,
            "{{\"id\":\"d{i}\",\"text\":\"some words {i} {}\"}}",
            "x".repeat(i % 50)
        )
        .unwrap();
    }
    let bytes = gz.finish().unwrap();
    let path = dir.path().join("t.jsonl.gz");
    fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let items = read_all(vec![InputSpec::Path(path)], ReaderOptions::default());
    let last = items.last().unwrap();
    assert_eq!(
        last.result.as_ref().unwrap_err().kind,
        ProblemKind::CorruptGzip
    );
    assert!(items.len() > 100);
    assert!(items[..items.len() - 1].iter().all(|i| i.result.is_ok()));
}

#[test]
fn json_array_file_is_skipped_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("arr.json");
    fs::write(&path, "[\n {\"id\":\"a\",\"text\":\"t\"}\n]\n").unwrap();
    let items = read_all(vec![InputSpec::Path(path)], ReaderOptions::default());
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].result.as_ref().unwrap_err().kind,
        ProblemKind::JsonArray
    );
}

#[test]
fn default_published_fills_missing_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.jsonl");
    fs::write(
        &path,
        "{\"id\":\"a\",\"text\":\"t\"}\n{\"id\":\"b\",\"text\":\"t\",\"published\":\"2020\"}\n",
    )
    .unwrap();
    let opts = ReaderOptions {
        default_published: Some("2024-10".into()),
        ..Default::default()
    };
    let items = read_all(vec![InputSpec::Path(path)], opts);
    let p: Vec<_> = items
        .iter()
        .map(|i| i.result.as_ref().unwrap().published.clone().unwrap())
        .collect();
    assert_eq!(p, vec!["2024-10", "2020"]);
}

#[test]
fn text_file_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    fs::write(&path, "a".repeat(100)).unwrap();
    let opts = ReaderOptions {
        max_doc_bytes: 10,
        ..Default::default()
    };
    let items = read_all(vec![InputSpec::Path(path)], opts);
    let p = items[0].result.as_ref().unwrap_err();
    assert_eq!(p.kind, ProblemKind::TooLarge);
    assert!(p.detail.contains("file of 100 bytes"), "{}", p.detail);
}
