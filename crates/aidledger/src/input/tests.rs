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

// ---------------------------------------------------------------------------------------
// Web pages and WARC archives (pages written for these tests)

const PAGE_P1: &str =
    "The defence ministry said on Tuesday that the first of the armoured vehicles \
                       promised in the spring had crossed the border with spare parts.";
const PAGE_P2: &str = "A second shipment, smaller but carrying interceptors for air defence, will \
                       follow before winter, officials added in a statement.";

fn page(head: &str, h1: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{h1} - Example News</title>{head}</head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>{h1}</h1><p>{PAGE_P1}</p><p>{PAGE_P2}</p></article>\
         <div class=\"comments\"><p>A reader comment that should never be read as the article.</p></div>\
         </body></html>"
    )
}

fn warc_record(headers: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut r = b"WARC/1.0\r\n".to_vec();
    for (k, v) in headers {
        r.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    r.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(ctype: &str, body: &[u8], extra: &str) -> Vec<u8> {
    let mut b = format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n{extra}\r\n").into_bytes();
    b.extend_from_slice(body);
    b
}

fn response(id: &str, uri: &str, date: &str, block: &[u8]) -> Vec<u8> {
    warc_record(
        &[
            ("WARC-Type", "response"),
            ("WARC-Record-ID", &format!("<urn:uuid:{id}>")),
            ("WARC-Date", date),
            ("WARC-Target-URI", uri),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        block,
    )
}

fn gz_member(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The records of the test archive, in order: warcinfo, request, an HTML page with its
/// own date, an HTML page without one (Latin-1, chunked), a PNG, a resource page.
fn warc_records() -> Vec<Vec<u8>> {
    let dated = page(
        "<meta property=\"article:published_time\" content=\"2024-03-05T09:00:00Z\">",
        "Vehicles cross the border",
    );
    let mut latin1 =
        b"<html><head><meta charset=\"iso-8859-1\"></head><body><article><h1>D\xe9fense</h1><p>"
            .to_vec();
    latin1.extend_from_slice(PAGE_P1.as_bytes());
    latin1.extend_from_slice(b" L'\xe9t\xe9 s'ach\xe8ve.</p></article></body></html>");
    // chunked transfer coding: two chunks
    let (a, b) = latin1.split_at(40);
    let mut chunked = format!("{:x}\r\n", a.len()).into_bytes();
    chunked.extend_from_slice(a);
    chunked.extend_from_slice(format!("\r\n{:x}\r\n", b.len()).as_bytes());
    chunked.extend_from_slice(b);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    vec![
        warc_record(
            &[
                ("WARC-Type", "warcinfo"),
                ("Content-Type", "application/warc-fields"),
            ],
            b"software: test\r\n",
        ),
        warc_record(
            &[
                ("WARC-Type", "request"),
                ("WARC-Target-URI", "https://news.example.com/a"),
                ("Content-Type", "application/http; msgtype=request"),
            ],
            b"GET /a HTTP/1.1\r\nHost: news.example.com\r\n\r\n",
        ),
        response(
            "11111111-1111-1111-1111-111111111111",
            "https://www.news.example.com/world/vehicles",
            "2024-03-06T10:00:00Z",
            &http_response("text/html; charset=utf-8", dated.as_bytes(), ""),
        ),
        response(
            "22222222-2222-2222-2222-222222222222",
            "https://exemple.fr/defense",
            "2024-04-01T08:30:00Z",
            &http_response("text/html", &chunked, "Transfer-Encoding: chunked\r\n"),
        ),
        response(
            "33333333-3333-3333-3333-333333333333",
            "https://news.example.com/logo.png",
            "2024-04-01T08:31:00Z",
            &http_response("image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ""),
        ),
        warc_record(
            &[
                ("WARC-Type", "resource"),
                (
                    "WARC-Record-ID",
                    "<urn:uuid:44444444-4444-4444-4444-444444444444>",
                ),
                ("WARC-Date", "2024-05-02T00:00:00Z"),
                ("WARC-Target-URI", "file:///saved/page.html"),
                ("Content-Type", "text/html"),
            ],
            page("", "Saved page").as_bytes(),
        ),
    ]
}

fn read_warc(bytes: &[u8], name: &str) -> Vec<InputItem> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    fs::write(&p, bytes).unwrap();
    read_all(vec![InputSpec::Path(p)], ReaderOptions::default())
}

fn check_warc_pages(items: &[InputItem]) {
    let docs: Vec<&Document> = items
        .iter()
        .filter_map(|i| i.result.as_ref().ok())
        .collect();
    assert_eq!(
        docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        [
            "11111111-1111-1111-1111-111111111111",
            "22222222-2222-2222-2222-222222222222",
            "44444444-4444-4444-4444-444444444444"
        ]
    );
    let d = docs[0];
    assert!(
        d.text.starts_with("Vehicles cross the border\n\n"),
        "{}",
        d.text
    );
    assert!(d.text.contains(PAGE_P2));
    assert!(!d.text.contains("reader comment") && !d.text.contains("Home"));
    // the page's own date wins over the capture date
    assert_eq!(d.published.as_deref(), Some("2024-03-05"));
    assert_eq!(
        d.url.as_deref(),
        Some("https://www.news.example.com/world/vehicles")
    );
    assert_eq!(d.source.as_deref(), Some("news.example.com"));
    assert_eq!(d.lang.as_deref(), Some("en"));
    // no date in the page: the WARC-Date; Latin-1 declared, chunked
    let d = docs[1];
    assert_eq!(d.published.as_deref(), Some("2024-04-01"));
    assert!(d.text.starts_with("Défense\n\n"), "{}", d.text);
    assert!(d.text.contains("L'été s'achève."), "{}", d.text);
    assert_eq!(d.source.as_deref(), Some("exemple.fr"));
    // the PNG is counted as not HTML, nothing else is reported
    let not_html: Vec<_> = items
        .iter()
        .filter(|i| matches!(&i.result, Err(p) if p.kind == ProblemKind::NotHtml))
        .collect();
    assert_eq!(not_html.len(), 1);
    assert!(not_html[0]
        .result
        .as_ref()
        .unwrap_err()
        .detail
        .contains("image/png"));
}

#[test]
fn warc_plain_and_gzip_read_the_same_pages() {
    let recs = warc_records();
    let plain: Vec<u8> = recs.concat();
    let items = read_warc(&plain, "crawl.warc");
    check_warc_pages(&items);
    assert_eq!(items.len(), 4, "3 pages and 1 not-HTML note");
    let gz: Vec<u8> = recs.iter().flat_map(|r| gz_member(r)).collect();
    let items = read_warc(&gz, "crawl.warc.gz");
    check_warc_pages(&items);
    assert_eq!(items.len(), 4);
    // sniffed from its first bytes under another name
    let items = read_warc(&plain, "crawl.dat");
    check_warc_pages(&items);
}

#[test]
fn truncated_warc_gzip_member_yields_every_readable_record_then_an_error() {
    let recs = warc_records();
    let mut gz: Vec<u8> = recs.iter().flat_map(|r| gz_member(r)).collect();
    let last = gz_member(&response(
        "55555555-5555-5555-5555-555555555555",
        "https://news.example.com/cut",
        "2024-06-01T00:00:00Z",
        &http_response("text/html", page("", "Cut short").as_bytes(), ""),
    ));
    gz.extend_from_slice(&last[..last.len() / 2]);
    let items = read_warc(&gz, "crawl.warc.gz");
    check_warc_pages(&items);
    let last = items.last().unwrap();
    let p = last.result.as_ref().unwrap_err();
    assert_eq!(p.kind, ProblemKind::CorruptGzip, "{p:?}");
    assert!(
        p.detail.contains("in record 7, after 6 records"),
        "{}",
        p.detail
    );
    assert!(p.detail.contains("rest of file skipped"), "{}", p.detail);
    assert!(last.origin.ends_with("crawl.warc.gz"), "{}", last.origin);
}

#[test]
fn corrupt_warc_header_and_record_cut_short() {
    let recs = warc_records();
    let mut bad = recs[..3].concat();
    bad.extend_from_slice(b"GARBAGE that is no record\r\n\r\n");
    bad.extend_from_slice(&recs[3]);
    let items = read_warc(&bad, "bad.warc");
    assert_eq!(ok_ids(&items), ["11111111-1111-1111-1111-111111111111"]);
    let p = items.last().unwrap().result.as_ref().unwrap_err();
    assert_eq!(p.kind, ProblemKind::ReadError);
    assert!(
        p.detail.contains("not a WARC record header"),
        "{}",
        p.detail
    );
    // the archive ends in the middle of a block
    let mut cut = recs[..3].concat();
    cut.extend_from_slice(&recs[3][..recs[3].len() - 100]);
    let items = read_warc(&cut, "cut.warc");
    assert_eq!(ok_ids(&items), ["11111111-1111-1111-1111-111111111111"]);
    assert!(items
        .last()
        .unwrap()
        .result
        .as_ref()
        .unwrap_err()
        .detail
        .contains("ends inside a record"));
}

#[test]
fn warc_record_larger_than_the_limit_is_skipped_without_being_held() {
    let recs = warc_records();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.warc");
    fs::write(&p, recs.concat()).unwrap();
    // the first page's record is 735 bytes, the others smaller
    let opts = ReaderOptions {
        max_doc_bytes: 700,
        ..Default::default()
    };
    let items = read_all(vec![InputSpec::Path(p)], opts);
    let too_large: Vec<_> = items
        .iter()
        .filter(|i| matches!(&i.result, Err(p) if p.kind == ProblemKind::TooLarge))
        .collect();
    assert_eq!(
        too_large.len(),
        1,
        "{:?}",
        items.iter().map(|i| &i.result).collect::<Vec<_>>()
    );
    assert!(
        too_large[0].origin.ends_with("big.warc#3"),
        "{}",
        too_large[0].origin
    );
    assert_eq!(
        ok_ids(&items),
        [
            "22222222-2222-2222-2222-222222222222",
            "44444444-4444-4444-4444-444444444444"
        ]
    );
    // the reader went on after them
    assert!(items
        .iter()
        .all(|i| !matches!(&i.result, Err(p) if p.kind.level() == Level::File)));
}

#[test]
fn html_files_and_jsonl_html_field_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let html = page(
        "<meta property=\"og:url\" content=\"https://news.example.com/2024/02/01/x\">",
        "Vehicles cross the border",
    );
    fs::write(dir.path().join("kyiv-0201.html"), &html).unwrap();
    fs::write(
        dir.path().join("gz-page.html.gz"),
        gz_member(html.as_bytes()),
    )
    .unwrap();
    let line = serde_json::json!({"id": "j1", "html": html, "url": "https://other.example.org/2023/05/06/y"});
    let line2 =
        serde_json::json!({"id": "j2", "html": html, "published": "2020-01-02", "source": "mine"});
    fs::write(dir.path().join("docs.jsonl"), format!("{line}\n{line2}\n")).unwrap();
    let items = read_all(
        vec![InputSpec::Path(dir.path().to_path_buf())],
        ReaderOptions::default(),
    );
    let docs: Vec<&Document> = items
        .iter()
        .filter_map(|i| i.result.as_ref().ok())
        .collect();
    assert_eq!(
        docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["j1", "j2", "gz-page", "kyiv-0201"]
    );
    for d in &docs {
        assert!(
            d.text.starts_with("Vehicles cross the border\n\n"),
            "{}",
            d.text
        );
        assert!(d.text.contains(PAGE_P1) && !d.text.contains("Home"));
    }
    // the line's url dates the page and names the source
    assert_eq!(docs[0].published.as_deref(), Some("2023-05-06"));
    assert_eq!(docs[0].source.as_deref(), Some("other.example.org"));
    // fields given on the line win over the page's
    assert_eq!(docs[1].published.as_deref(), Some("2020-01-02"));
    assert_eq!(docs[1].source.as_deref(), Some("mine"));
    assert_eq!(
        docs[1].url.as_deref(),
        Some("https://news.example.com/2024/02/01/x")
    );
    assert_eq!(docs[3].published.as_deref(), Some("2024-02-01"));
    assert_eq!(docs[3].title.as_deref(), Some("Vehicles cross the border"));
}

#[test]
fn html_without_article_text_is_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.html");
    fs::write(
        &p,
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    )
    .unwrap();
    let items = read_all(vec![InputSpec::Path(p)], ReaderOptions::default());
    let e = items[0].result.as_ref().unwrap_err();
    assert_eq!(e.kind, ProblemKind::BadText);
    assert!(e.detail.contains("no article text"), "{}", e.detail);
}

#[test]
fn unknown_names_are_sniffed_and_plain_text_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("article");
    fs::write(&text, "Germany will send more tanks, the minister said.\n").unwrap();
    let html = dir.path().join("page");
    fs::write(&html, page("", "Headline here")).unwrap();
    let items = read_all(
        vec![InputSpec::Path(text), InputSpec::Path(html)],
        ReaderOptions::default(),
    );
    let d0 = items[0].result.as_ref().unwrap();
    assert_eq!(
        d0.text,
        "Germany will send more tanks, the minister said.\n"
    );
    assert!(
        items[0]
            .warnings
            .iter()
            .any(|w| w.contains("--format text")),
        "{:?}",
        items[0].warnings
    );
    let d1 = items[1].result.as_ref().unwrap();
    assert!(d1.text.starts_with("Headline here\n\n"));
}

#[test]
fn undated_text_warns_once_naming_published() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["a.txt", "b.txt"] {
        fs::write(dir.path().join(n), "Some article text.\n").unwrap();
    }
    let items = read_all(
        vec![InputSpec::Path(dir.path().to_path_buf())],
        ReaderOptions::default(),
    );
    let warned: Vec<_> = items
        .iter()
        .filter(|i| i.warnings.iter().any(|w| w.contains("--published")))
        .collect();
    assert_eq!(warned.len(), 1);
    let opts = ReaderOptions {
        default_published: Some("2024-01-01".into()),
        ..Default::default()
    };
    let items = read_all(vec![InputSpec::Path(dir.path().to_path_buf())], opts);
    assert!(items.iter().all(|i| i.warnings.is_empty()));
}

#[test]
fn jsonl_html_field_problems_are_named() {
    let bad = |line: &str| parse_jsonl_document(line.as_bytes()).unwrap_err().detail;
    assert!(
        bad(r#"{"id":"a","text":5}"#).contains("\"text\" is a number"),
        "{}",
        bad(r#"{"id":"a","text":5}"#)
    );
    assert!(bad(r#"{"id":"a","html":5}"#).contains("\"html\" is not a string"));
    assert!(bad(r#"{"id":"a"}"#).contains("missing \"text\" (or \"html\")"));
    assert!(
        bad(r#"{"id":"a","html":"<nav><a href='/'>Home</a></nav>"}"#).contains("no article text")
    );
    // "text" wins over "html" when both are there
    let (d, _) = parse_jsonl_document(
        br#"{"id":"a","text":"plain","html":"<p>ignored page text here</p>"}"#,
    )
    .unwrap();
    assert_eq!(d.text, "plain");
}

#[test]
fn warc_gzip_content_coding_is_undone_and_bounded() {
    let html = page("", "Compressed page");
    let mut body = gz_member(html.as_bytes());
    let rec = response(
        "66666666-6666-6666-6666-666666666666",
        "https://news.example.com/z",
        "2024-01-01T00:00:00Z",
        &http_response("text/html", &body, "Content-Encoding: gzip\r\n"),
    );
    let items = read_warc(&rec, "z.warc");
    assert_eq!(ok_ids(&items), ["66666666-6666-6666-6666-666666666666"]);
    assert!(items[0]
        .result
        .as_ref()
        .unwrap()
        .text
        .starts_with("Compressed page"));
    // a small record that decodes past the limit (a compression bomb) is skipped as too large
    body = gz_member(&vec![b' '; 4 << 20]);
    let rec = response(
        "77777777-7777-7777-7777-777777777777",
        "https://news.example.com/bomb",
        "2024-01-01T00:00:00Z",
        &http_response("text/html", &body, "Content-Encoding: gzip\r\n"),
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bomb.warc");
    fs::write(&p, &rec).unwrap();
    let opts = ReaderOptions {
        max_doc_bytes: 1 << 20,
        ..Default::default()
    };
    let items = read_all(vec![InputSpec::Path(p)], opts);
    let e = items[0].result.as_ref().unwrap_err();
    assert_eq!(e.kind, ProblemKind::TooLarge, "{e:?}");
}
