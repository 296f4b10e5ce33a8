//! The built binary on web pages and archives written here: `aidledger text`, HTML and
//! WARC input to `extract`, evidence offsets into the extracted text, stdin sniffing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_aidledger");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aidledger");
    if let Some(input) = stdin {
        let mut si = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = si.write_all(&input);
        });
    }
    let out = child.wait_with_output().unwrap();
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !r.stderr.contains("panicked"),
        "the binary panicked:\n{}",
        r.stderr
    );
    r
}

const AID_PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Tanks for Kyiv | Example</title>
<meta property="article:published_time" content="2024-03-05T09:00:00Z">
<meta property="og:url" content="https://www.news.example.com/2024/03/05/tanks"></head>
<body><div class="cookie-consent">We use cookies. Accept?</div>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Germany to send tanks to Ukraine</h1>
<div class="social-share"><a href="/s">Share</a></div>
<p>Germany will send 18 Leopard 2 tanks to Ukraine, the defence ministry said on Tuesday.</p>
<p>The vehicles are expected to arrive before the summer, officials added in Berlin.</p>
</article>
<aside class="related-links"><a href="/x">France will send 40 Caesar howitzers to Ukraine, in a teaser.</a></aside>
</body></html>"#;

#[test]
fn text_prints_headline_and_body_and_json_metadata() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), AID_PAGE).unwrap();
    let r = run(dir.path(), &["text", "page.html"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Germany to send tanks to Ukraine\n\nGermany will send 18 Leopard 2 tanks to Ukraine, the defence \
         ministry said on Tuesday.\n\nThe vehicles are expected to arrive before the summer, officials added in Berlin.\n"
    );
    let r = run(
        dir.path(),
        &["text", "--body", "-"],
        Some(AID_PAGE.as_bytes()),
    );
    assert!(r.stdout.starts_with("Germany will send 18"), "{}", r.stdout);
    let r = run(dir.path(), &["text", "--format", "json", "page.html"], None);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["title"], "Germany to send tanks to Ukraine");
    assert_eq!(v["published"], "2024-03-05");
    assert_eq!(v["published_from"], "article:published_time");
    assert_eq!(v["lang"], "en");
    assert_eq!(v["lang_from"], "html");
    assert_eq!(v["domain"], "news.example.com");
    assert_eq!(v["url"], "https://www.news.example.com/2024/03/05/tanks");
    // gzip on stdin is recognised
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(AID_PAGE.as_bytes()).unwrap();
    let r = run(dir.path(), &["text", "-"], Some(&e.finish().unwrap()));
    assert!(
        r.stdout.starts_with("Germany to send tanks"),
        "{}",
        r.stdout
    );
}

#[test]
fn text_detects_french_and_english_when_the_page_does_not_say() {
    let dir = tempfile::tempdir().unwrap();
    let fr = "<html><body><article><h1>Des chars pour l'Ukraine</h1><p>Le gouvernement a confirmé mardi \
              que les premiers véhicules blindés promis au printemps avaient franchi la frontière avec des \
              pièces de rechange et des munitions.</p><p>Une seconde livraison, plus petite, suivra avant \
              l'hiver, selon le ministère de la Défense.</p></article></body></html>";
    let en = "<html><body><article><h1>Tanks for Ukraine</h1><p>The government confirmed on Tuesday that the \
              first armoured vehicles promised in the spring had crossed the border with spare parts and \
              ammunition.</p><p>A second delivery, smaller, will follow before the winter, according to the \
              defence ministry.</p></article></body></html>";
    for (html, want) in [(fr, "fr"), (en, "en")] {
        let r = run(
            dir.path(),
            &["text", "--format", "json", "-"],
            Some(html.as_bytes()),
        );
        let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
        assert_eq!(v["lang"], want, "{}", r.stdout);
        assert_eq!(v["lang_from"], "detected");
    }
}

#[test]
fn extract_reads_an_html_page_and_evidence_points_into_its_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kyiv.html"), AID_PAGE).unwrap();
    let text = run(dir.path(), &["text", "kyiv.html"], None).stdout;
    let text = text.strip_suffix('\n').unwrap();
    let r = run(dir.path(), &["extract", "kyiv.html"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let recs: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!recs.is_empty(), "no record from the page: {}", r.stderr);
    for rec in &recs {
        assert_eq!(rec["doc_id"], "kyiv");
        // the teaser in the related links is no record
        assert_ne!(rec["items"][0]["name"], "CAESAR");
        for e in rec["evidence"].as_array().unwrap() {
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..t], e["text"].as_str().unwrap());
        }
    }
    assert_eq!(recs[0]["date"], "2024-03-05");
}

#[test]
fn stdin_plain_text_is_read_as_text_with_a_hint_and_an_undated_warning() {
    let dir = tempfile::tempdir().unwrap();
    let article = b"Germany will send 18 Leopard 2 tanks to Ukraine, the defence ministry said.\n";
    let r = run(dir.path(), &["extract", "-"], Some(article));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("--format text"), "{}", r.stderr);
    assert!(r.stderr.contains("--published"), "{}", r.stderr);
    assert!(r.stdout.contains("\"doc_id\":\"stdin\""), "{}", r.stdout);
    // said explicitly, no hint; with a date, no warning
    let r = run(
        dir.path(),
        &[
            "extract",
            "--format",
            "text",
            "--published",
            "2024-01-02",
            "-",
        ],
        Some(article),
    );
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // an HTML page on stdin
    let r = run(dir.path(), &["extract", "-"], Some(AID_PAGE.as_bytes()));
    assert!(r.stdout.contains("Leopard 2"), "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn extract_reads_a_warc_and_counts_what_is_not_html() {
    let dir = tempfile::tempdir().unwrap();
    let rec = |id: &str, ctype: &str, body: &[u8]| {
        let mut block = format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n").into_bytes();
        block.extend_from_slice(body);
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-03-09T00:00:00Z\r\n\
             WARC-Target-URI: https://news.example.com/{id}\r\nContent-Type: application/http;msgtype=response\r\n\
             Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(&block);
        r.extend_from_slice(b"\r\n\r\n");
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&r).unwrap();
        e.finish().unwrap()
    };
    let mut warc = rec("a1", "text/html", AID_PAGE.as_bytes());
    warc.extend(rec("a2", "application/pdf", b"%PDF-1.4"));
    warc.extend(rec("a3", "image/jpeg", b"\xff\xd8\xff"));
    let last = rec("a4", "text/html", AID_PAGE.as_bytes());
    warc.extend_from_slice(&last[..last.len() - 30]);
    std::fs::write(dir.path().join("crawl.warc.gz"), &warc).unwrap();
    let r = run(dir.path(), &["extract", "crawl.warc.gz"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"doc_id\":\"a1\""), "{}", r.stdout);
    assert!(!r.stdout.contains("\"doc_id\":\"a4\""));
    assert!(
        r.stderr.contains("2 WARC responses not HTML"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("crawl.warc.gz: truncated or corrupt data"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("1 document read"), "{}", r.stderr);
    // --strict stops at the damage
    let r = run(dir.path(), &["extract", "--strict", "crawl.warc.gz"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn help_extract_points_at_docs_records_md() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["help", "extract"], None);
    assert!(r.stdout.contains("docs/records.md"), "{}", r.stdout);
    assert!(!r.stdout.contains("SCHEMA.md"));
    assert!(r.stdout.contains("unique prefix"));
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/records.md")
        .exists());
}
