//! Pages written for these tests: boilerplate removal, metadata, charsets, hostile markup.

use std::time::{Duration, Instant};

use aidledger_html::{decode, read_html, read_page, DateSource, PageOptions};

const P1: &str = "The ministry confirmed on Monday that the first battalion of armoured vehicles, \
                  promised in the spring, had crossed the border with spare parts and ammunition.";
const P2: &str =
    "Officials said a second shipment, smaller but carrying air-defence interceptors, \
                  would follow before winter, subject to a vote in parliament.";
const P3: &str =
    "Analysts noted that deliveries have slowed since the summer, as stocks in several \
                  donor countries run low and industry struggles to keep up.";

fn article(extra_head: &str, lang: &str) -> String {
    format!(
        r##"<!doctype html><html{lang}><head><meta charset="utf-8"><title>Vehicles arrive | The Daily Example</title>{extra_head}</head>
<body>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article class="story">
<h1>Armoured vehicles arrive at the front</h1>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a></div>
<div class="article-body">
<p>{P1}</p>
<p>{P2}</p>
<div class="rating-widget">Rate this article: 1 2 3 4 5 stars</div>
<p>{P3}</p>
</div>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Tanks pledged by neighbours in a long headline</a></li><li><a href="/b">Another story about the war in a long headline</a></li></ul></aside>
</article>
<section id="comments"><h3>Comments</h3><p>Reader one wrote a long comment here, saying that this is all a disgrace and nobody listens to him anyway.</p></section>
</main>
<footer>Copyright The Daily Example. All rights reserved. Contact us.</footer>
</body></html>"##
    )
}

#[test]
fn keeps_headline_and_body_and_drops_boilerplate() {
    let page = read_html(&article("", ""), None);
    let text = page.text();
    assert_eq!(
        page.title.as_deref(),
        Some("Armoured vehicles arrive at the front")
    );
    assert!(
        text.starts_with("Armoured vehicles arrive at the front\n\n"),
        "{text}"
    );
    for p in [P1, P2, P3] {
        assert!(
            page.body.contains(p),
            "missing paragraph {p:?} in {:?}",
            page.body
        );
    }
    // paragraphs are separated by a blank line
    assert!(
        page.body.contains(&format!("{P1}\n\n{P2}")),
        "{:?}",
        page.body
    );
    for junk in [
        "cookies",
        "Home",
        "Share on Facebook",
        "Rate this article",
        "Related stories",
        "Tanks pledged",
        "Reader one",
        "Copyright",
    ] {
        assert!(!text.contains(junk), "{junk:?} should be left out: {text}");
    }
}

#[test]
fn publication_date_from_each_source() {
    let cases: Vec<(String, Option<&str>, &str, DateSource)> = vec![
        (
            article(
                r#"<meta property="article:published_time" content="2024-03-05T08:00:00+01:00"><script type="application/ld+json">{"datePublished":"2023-01-01"}</script>"#,
                "",
            ),
            None,
            "2024-03-05",
            DateSource::ArticlePublishedTime,
        ),
        (
            article(
                r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"x","datePublished":"2024-02-29T10:00:00Z"}]}</script>"#,
                "",
            ),
            None,
            "2024-02-29",
            DateSource::JsonLd,
        ),
        (
            article(
                r#"<meta itemprop="datePublished" content="2024-01-15">"#,
                "",
            ),
            None,
            "2024-01-15",
            DateSource::Meta,
        ),
        (
            article("", "").replace(
                "<h1>",
                r#"<time datetime="2023-12-24T18:30:00Z">Christmas Eve</time><h1>"#,
            ),
            None,
            "2023-12-24",
            DateSource::TimeElement,
        ),
        (
            article("", "").replace(P1, &format!("KYIV, 3 mars 2024 (AFP) - {P1}")),
            Some("https://example.org/2022/01/01/story"),
            "2024-03-03",
            DateSource::Dateline,
        ),
        (
            article("", "").replace(P1, &format!("WASHINGTON, Nov. 12, 2025 — {P1}")),
            None,
            "2025-11-12",
            DateSource::Dateline,
        ),
        (
            article("", ""),
            Some("https://example.org/world/2024/06/07/vehicles-arrive"),
            "2024-06-07",
            DateSource::Url,
        ),
        (
            article("", ""),
            Some("https://example.org/news/vehicles-arrive-20240608.html"),
            "2024-06-08",
            DateSource::Url,
        ),
    ];
    for (html, url, want, from) in cases {
        let page = read_html(&html, url);
        assert_eq!(page.published.as_deref(), Some(want), "{url:?}");
        assert_eq!(page.published_from, Some(from), "{url:?}");
    }
    // no date anywhere: none, unless the caller gives a fallback (a WARC record's date)
    let page = read_html(&article("", ""), Some("https://example.org/world/vehicles"));
    assert_eq!(page.published, None);
    let page = read_page(
        article("", "").as_bytes(),
        &PageOptions {
            fallback_date: Some("2024-07-01T12:00:00Z"),
            ..Default::default()
        },
    );
    assert_eq!(page.published.as_deref(), Some("2024-07-01"));
    assert_eq!(page.published_from, Some(DateSource::Fallback));
    // an impossible date is no date
    let page = read_html(
        &article(
            r#"<meta property="article:published_time" content="2024-02-30">"#,
            "",
        ),
        None,
    );
    assert_eq!(page.published, None);
}

#[test]
fn a_date_the_first_sentence_is_about_is_no_dateline() {
    // a date inside the opening sentence, with or without a place before it: none
    for lead in [
        "On 24 February 2022, Russia launched its full-scale invasion, and the ministry said",
        "KYIV, where fighting resumed on March 3, 2024 after a pause, the ministry said",
        "Since 2014-02-20 the ministry has said",
    ] {
        let html = article("", "").replace(P1, &format!("{lead} {P1}"));
        let page = read_html(&html, Some("https://example.org/world/vehicles"));
        assert_eq!(page.published, None, "{lead}");
    }
    // a date line of its own, and a dateline with a dash, still count
    for (lead, want) in [
        ("Published 4 June 2024</p><p>", "2024-06-04"),
        ("Paris, le 5 juin 2024 - ", "2024-06-05"),
        ("BRUSSELS, 2024-06-06: ", "2024-06-06"),
    ] {
        let html = article("", "").replace(P1, &format!("{lead}{P1}"));
        let page = read_html(&html, None);
        assert_eq!(page.published.as_deref(), Some(want), "{lead}");
        assert_eq!(page.published_from, Some(DateSource::Dateline), "{lead}");
    }
}

#[test]
fn language_url_and_domain() {
    let page = read_html(
        &article("", r#" lang="fr-FR""#),
        Some("https://WWW.Example.fr:443/a/b?c=d"),
    );
    assert_eq!(page.lang.as_deref(), Some("fr"));
    assert_eq!(page.domain.as_deref(), Some("example.fr"));
    assert_eq!(
        page.url.as_deref(),
        Some("https://WWW.Example.fr:443/a/b?c=d")
    );
    let page = read_html(
        &article(
            r#"<meta property="og:url" content="https://news.example.com/x">"#,
            "",
        ),
        None,
    );
    assert_eq!(page.lang, None);
    assert_eq!(page.domain.as_deref(), Some("news.example.com"));
}

#[test]
fn title_falls_back_to_meta_then_title_element() {
    let no_h1 = article(r#"<meta property="og:title" content="From the graph">"#, "")
        .replace("<h1>Armoured vehicles arrive at the front</h1>", "");
    assert_eq!(
        read_html(&no_h1, None).title.as_deref(),
        Some("From the graph")
    );
    let bare = article("", "").replace("<h1>Armoured vehicles arrive at the front</h1>", "");
    assert_eq!(
        read_html(&bare, None).title.as_deref(),
        Some("Vehicles arrive | The Daily Example")
    );
}

#[test]
fn windows_1252_and_iso_8859_1_decode() {
    // "Défense : 5 € – l’été" in windows-1252
    let body: &[u8] = b"D\xe9fense : 5 \x80 \x96 l\x92\xe9t\xe9";
    for label in ["windows-1252", "ISO-8859-1", "latin1"] {
        let mut page =
            format!("<html><head><meta charset=\"{label}\"></head><body><p>").into_bytes();
        page.extend_from_slice(body);
        page.extend_from_slice(
            b" and more words to make this a real paragraph of text.</p></body></html>",
        );
        let d = decode(&page, None);
        assert!(
            d.text.contains("Défense : 5 € – l’été"),
            "{label}: {}",
            d.text
        );
        assert_eq!(d.encoding, "windows-1252");
        let p = read_page(&page, &PageOptions::default());
        assert!(
            p.body.contains("Défense : 5 € – l’été"),
            "{label}: {}",
            p.body
        );
    }
    // the charset given by an HTTP header
    let mut page = b"<p>".to_vec();
    page.extend_from_slice(body);
    let d = decode(
        &page,
        aidledger_html::charset_of_content_type("text/html; charset=ISO-8859-1").as_deref(),
    );
    assert!(d.text.contains("Défense"), "{}", d.text);
    // http-equiv form
    let mut page =
        b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>".to_vec();
    page.extend_from_slice(body);
    assert!(decode(&page, None).text.contains("l’été"));
}

#[test]
fn wrong_declared_charset_is_overruled_by_the_bytes() {
    // declared Latin-1, written in UTF-8
    let page = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Défense: l’été à Kyiv.</p></body></html>";
    let d = decode(page.as_bytes(), None);
    assert_eq!(d.encoding, "UTF-8");
    assert!(d.declared_wrong);
    assert!(d.text.contains("Défense: l’été à Kyiv."));
    // declared UTF-8, written in windows-1252
    let page: &[u8] =
        b"<html><head><meta charset=\"utf-8\"></head><body><p>D\xe9fense \x80</p></body></html>";
    let d = decode(page, None);
    assert_eq!(d.encoding, "windows-1252");
    assert!(d.text.contains("Défense €"), "{}", d.text);
    // a UTF-16 label in a meta tag cannot be right
    let d = decode(b"<meta charset=utf-16><p>plain</p>", None);
    assert!(d.text.contains("plain"));
}

fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    assert!(t.elapsed() < limit, "{what} took {:?}", t.elapsed());
    r
}

#[test]
fn hostile_unclosed_tags() {
    let html = format!(
        "<html><body><div><table><tr><td><p>{P1}<p>{P2}<b><i><u><div><span><a href='x'>link<p>{P3}<select><option>x"
    );
    let page = within(Duration::from_secs(10), "unclosed", || {
        read_html(&html, None)
    });
    assert!(page.body.contains("first battalion"), "{}", page.body);
    // a stray end tag soup, comments that never close, a lone '<'
    for junk in [
        "</div></div></p></html>",
        "<!-- never closed <p>text",
        "<",
        "<<<>>>",
        "",
        "<html",
        "<p",
        "</",
    ] {
        let _ = read_html(junk, None);
    }
}

#[test]
fn hostile_100000_nested_divs() {
    let html = format!(
        "<html><body><article><p>{P1}</p>{}<p>{P2}</p>{}</article></body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let page = within(Duration::from_secs(20), "100,000 nested divs", || {
        read_html(&html, None)
    });
    // the text below the cut-off depth is kept (the levels past 512 are flattened)
    assert!(
        page.body.contains("second shipment"),
        "{}",
        &page.body[..page.body.len().min(500)]
    );
    // the same nesting right under the body, with a lead paragraph beside it: the lead
    // stays (the wrappers are climbed through before the article's siblings are read)
    let html = format!(
        "<html><body><p>{P1}</p>{}<p>{P2}</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let page = within(
        Duration::from_secs(20),
        "100,000 nested divs in the body",
        || read_html(&html, None),
    );
    assert!(
        page.body.contains(P1) && page.body.contains(P2),
        "{}",
        &page.body[..page.body.len().min(500)]
    );
    // never closed at all, with text at every level
    let html = "<div>x ".repeat(100_000);
    let page = within(Duration::from_secs(20), "unclosed nested divs", || {
        read_html(&html, None)
    });
    assert!(page.body.contains('x'));
}

#[test]
fn a_lead_paragraph_beside_wrapped_article_text_is_kept() {
    for depth in [1, 3, 12] {
        let html = format!(
            "<html><body><nav><a href=/>Home</a> <a href=/world>World</a></nav><p>{P1}</p>{}<p>{P2}</p>{}<footer>Copyright the outlet</footer></body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let page = read_html(&html, None);
        assert!(page.body.contains(P1), "depth {depth}: {}", page.body);
        assert!(page.body.contains(P2), "depth {depth}: {}", page.body);
        assert!(
            !page.body.contains("Copyright"),
            "depth {depth}: {}",
            page.body
        );
        assert!(!page.body.contains("Home"), "depth {depth}: {}", page.body);
    }
}

#[test]
fn hostile_20_mb_attribute() {
    let html = format!(
        "<html><body><div data-blob=\"{}\"><p>{P1}</p><p>{P2}</p></div><img alt='{}'></body></html>",
        "A".repeat(20 << 20),
        "é".repeat(1 << 20)
    );
    let page = within(Duration::from_secs(30), "20 MB attribute", || {
        read_html(&html, None)
    });
    assert!(page.body.contains("first battalion"));
    assert!(!page.body.contains("AAAA"));
}

#[test]
fn hostile_random_bytes_never_panic() {
    // a fixed pseudo-random sequence of HTML-ish bytes
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet: &[u8] = b"<>/=\"' abcdivpspanhtmlbody\n\t&;#x\xc3\xa9\xff\x00";
    for round in 0..300 {
        let len = 1 + (round * 37) % 3000;
        let mut b = Vec::with_capacity(len);
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        let _ = read_page(&b, &PageOptions::default());
    }
}

#[test]
fn page_without_text_is_empty_not_an_error() {
    let page = read_html("<html><head><title>Only a title</title></head><body><nav><a href='/'>Home</a></nav></body></html>", None);
    assert_eq!(page.body, "");
    assert_eq!(page.text(), "Only a title");
}

#[test]
fn json_ld_article_body_for_a_page_rendered_by_script() {
    let long = format!("{P1} {P2} {P3}");
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","articleBody":"{long}"}}</script></head><body><div id="app"></div><script>render()</script></body></html>"#
    );
    let page = read_html(&html, None);
    assert!(page.body.contains("second shipment"), "{}", page.body);
}

#[test]
fn a_link_inside_a_paragraph_keeps_its_words() {
    let html = format!(
        "<html><body><article><p><span>Carlo was </span><a href=\"/x\"><span style=\"font-weight: 400\">arrested</span></a>\
         <span> in April after a call to the office, officials said.</span></p><p>{P1}</p></article></body></html>"
    );
    let page = read_html(&html, None);
    assert!(
        page.body.contains("Carlo was arrested in April"),
        "{}",
        page.body
    );
}
