//! The HTML pages over a small store of hand-written articles, one of them hostile:
//! every page answers, hostile text only ever appears escaped (askama writes the
//! escapes as numeric references: `&#60;` for `<`, `&#34;` for `"`), filters work, bad
//! parameters are 400 and unknown ids 404.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use aidledger_core::{Document, ExtractOptions, Extractor, Status};
use aidledger_serve::state::AppState;
use aidledger_store::{LedgerFilter, Store};

const HOSTILE_ID: &str = "evil <x>/1";

fn doc(
    id: &str,
    published: &str,
    source: &str,
    title: &str,
    url: Option<&str>,
    lang: &str,
    text: &str,
) -> Document {
    Document {
        id: id.into(),
        text: text.into(),
        published: Some(published.into()),
        source: Some(source.into()),
        url: url.map(Into::into),
        title: Some(title.into()),
        lang: Some(lang.into()),
    }
}

fn documents() -> Vec<Document> {
    vec![
        doc("en-pkg", "2022-08-24", "example.com", "US package", Some("https://example.com/pkg"), "en",
            "The United States announced a $2.98 billion security assistance package for Ukraine on Wednesday. The package includes six NASAMS air defense systems."),
        doc("en-nasams", "2022-11-08", "example.org", "NASAMS arrive", None, "en",
            "The first two NASAMS systems have been delivered to Ukraine, the Pentagon said on Monday."),
        doc("fr-pkg", "2022-08-25", "exemple.fr", "Aide américaine", None, "fr",
            "Washington a annoncé mercredi une nouvelle aide militaire de 2,98 milliards de dollars pour l’Ukraine. Le paquet comprend six systèmes NASAMS et des obus de 155 mm."),
        doc(HOSTILE_ID, "2022-10-12", "evil.example", "<script>alert(1)</script> title", Some("javascript:alert(1)"), "en",
            "<script>alert(1)</script> \"><img src=x onerror=alert(1)> See javascript:alert(1) now. \
             Germany has delivered the first IRIS-T air defence system to Ukraine, the German government said on Wednesday. \
             <script>alert(1)</script>"),
    ]
}

struct Server {
    addr: SocketAddr,
    _rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn server() -> (Server, Store) {
    server_with(documents())
}

fn server_with(docs: Vec<Document>) -> (Server, Store) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pages.db").to_string_lossy().into_owned();
    let mut store = Store::open(&db).unwrap();
    let ex = Extractor::new().unwrap();
    let batch: Vec<_> = docs
        .into_iter()
        .map(|d| {
            let e = ex.extract(&d, &ExtractOptions::default()).unwrap();
            (d, e)
        })
        .collect();
    store.ingest_batch(&batch).unwrap();
    store.rebuild_commitments(true).unwrap();
    // a second connection for the test's own look-ups
    let mine = Store::open(&db).unwrap();
    let state = AppState::new(store, None, db);
    let app = aidledger_serve::pages::routes().with_state(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (
        Server {
            addr,
            _rt: rt,
            _dir: dir,
        },
        mine,
    )
}

struct Resp {
    status: u16,
    headers: String,
    body: String,
}

fn get(s: &Server, path: &str) -> Resp {
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).expect("UTF-8 response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a head");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let r = Resp {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    };
    assert_safe(path, &r.body);
    r
}

fn ok(s: &Server, path: &str) -> String {
    let r = get(s, path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    assert!(
        r.headers.contains("content-type: text/html; charset=utf-8"),
        "{path}: {}",
        r.headers
    );
    r.body
}

/// No hostile string from the articles ever appears unescaped.
fn assert_safe(path: &str, body: &str) {
    let lower = body.to_ascii_lowercase();
    assert!(!lower.contains("<script>alert"), "{path}: raw script tag");
    assert!(!lower.contains("<img"), "{path}: raw img tag");
    assert!(
        !lower.contains("onerror=alert") || !lower.contains("\"><img"),
        "{path}"
    );
    assert!(
        !lower.contains("href=\"javascript:") && !lower.contains("href='javascript:"),
        "{path}: javascript: link"
    );
    let scripts = lower.matches("<script").count();
    assert!(scripts <= 1, "{path}: {scripts} script tags");
    if scripts == 1 {
        assert!(
            lower.contains(r#"<script src="/assets/app.js" defer></script>"#),
            "{path}"
        );
    }
}

fn pct(s: &str) -> String {
    aidledger_serve::pages::pct(s)
}

#[test]
fn pages() {
    let (s, store) = server();
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    assert!(
        !all.is_empty(),
        "the extractor found nothing in the test articles"
    );
    let records = store.records().unwrap();

    // overview
    let home = ok(&s, "/");
    assert!(home.contains("<svg"), "{home}");
    assert!(home.contains("/ledger?donor=USA"), "{home}");
    assert!(home.contains("Activity by month"));
    // the headline sum counts the $2.98 billion package of two articles once
    // (aidledger_ledger::figures), and the systems roll-up lists NASAMS
    let sums = aidledger_ledger::figures::sums(&all);
    assert_eq!(sums.committed.get("USD"), Some(&2.98e9), "{all:#?}");
    assert!(home.contains("USD 2.98 bn"), "{home}");
    assert!(!home.contains("USD 5.96 bn"), "{home}");
    assert!(
        home.contains("<h2>Systems</h2>") && home.contains(">NASAMS</a>"),
        "{home}"
    );
    // the systems tab
    let systems = ok(&s, "/systems");
    assert!(
        systems.contains("<h1>Systems</h1>") && systems.contains(">NASAMS</a>"),
        "{systems}"
    );
    // the package's page: kind, announcement, value as stated, contents
    let pkg = all
        .iter()
        .find(|c| c.kind == aidledger_ledger::Kind::Package && c.value.is_some())
        .expect("the package");
    let page = ok(&s, &format!("/commitments/{}", pct(&pkg.id)));
    assert!(page.contains("<dt>Kind</dt><dd>package</dd>"), "{page}");
    assert!(
        page.contains("<dt>Announced</dt><dd>2022-08-24</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Value as stated</dt><dd>USD 2.98 bn</dd>"),
        "{page}"
    );
    assert!(page.contains("<td>NASAMS</td>"), "{page}");

    // assets
    let css = get(&s, "/assets/app.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("content-type: text/css"));
    assert!(css.body.contains("mark.ev"));
    assert_eq!(get(&s, "/assets/app.js").status, 200);

    // ledger, filters, sorting
    let ledger = ok(&s, "/ledger");
    for c in &all {
        assert!(
            ledger.contains(&format!("/commitments/{}", pct(&c.id))),
            "{} missing",
            c.id
        );
    }
    let usa = ok(&s, "/ledger?donor=USA");
    let n_usa = all.iter().filter(|c| c.donor == "USA").count();
    assert!(n_usa > 0);
    assert_eq!(usa.matches("<tr><td>").count(), n_usa, "{usa}");
    assert!(usa.contains("NASAMS"));
    assert!(usa.contains(r#"value="USA""#));
    let delivered = ok(&s, "/ledger?status=delivered&sort=-value");
    let n_del = all
        .iter()
        .filter(|c| c.has_stage(Status::Delivered))
        .count();
    assert_eq!(delivered.matches("<tr><td>").count(), n_del);
    let none = ok(&s, "/ledger?donor=ZZZ&q=x");
    assert!(none.contains("No commitment matches"));
    for sort in [
        "donor", "-item", "category", "stage", "first", "-last", "value", "sources",
    ] {
        ok(
            &s,
            &format!("/ledger?sort={sort}&min_sources=1&since=2022&until=2023-12-31"),
        );
    }
    let q = ok(&s, "/ledger?q=nasams");
    assert!(q.contains("NASAMS"));

    // bad parameters: 400 pages
    for bad in [
        "/ledger?status=shipped",
        "/ledger?min_sources=two",
        "/ledger?min_sources=-1",
        "/ledger?since=2022-13",
        "/ledger?until=yesterday",
        "/ledger?sort=price",
        "/ledger?donor=%FF",
        "/ledger?donor=%zz",
        "/search?q=%C3",
    ] {
        let r = get(&s, bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        assert!(r.headers.contains("text/html"), "{bad}");
        assert!(r.body.contains("400 Bad request"), "{bad}");
    }
    let long = format!("/ledger?item={}", "a".repeat(5000));
    assert_eq!(get(&s, &long).status, 400);

    // a commitment: timeline and quotes linking to their articles
    let nasams = all
        .iter()
        .find(|c| {
            c.has_stage(Status::Delivered)
                && c.stages
                    .iter()
                    .any(|st| st.evidence.iter().any(|e| e.doc_id == "en-nasams"))
        })
        .expect("a delivered commitment from en-nasams");
    let page = ok(&s, &format!("/commitments/{}", pct(&nasams.id)));
    assert!(page.contains(r#"class="timeline""#));
    assert!(page.contains("not reported") || nasams.stages.len() >= 6);
    let ev = nasams
        .stage(Status::Delivered)
        .unwrap()
        .evidence
        .iter()
        .find(|e| e.doc_id == "en-nasams")
        .unwrap();
    assert!(
        page.contains(&format!(r#"href="/documents/en-nasams#ev-{}""#, ev.start)),
        "{page}"
    );
    for c in &all {
        ok(&s, &format!("/commitments/{}", pct(&c.id)));
    }
    let r = get(&s, "/commitments/0000nope");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("404 Not found"));
    assert_eq!(get(&s, "/commitments/%3Cscript%3E").status, 404);

    // the article the quote links to, with the highlight
    let article = ok(&s, "/documents/en-nasams");
    assert!(
        article.contains(&format!(
            r#"<mark class="ev status-delivered" id="ev-{}""#,
            ev.start
        )),
        "{article}"
    );
    assert!(article.contains("NASAMS arrive"));
    assert!(article.contains(&format!("/commitments/{}", pct(&nasams.id))));
    let fr = ok(&s, "/documents/fr-pkg");
    assert!(fr.contains("l’Ukraine"), "{fr}");
    assert_eq!(get(&s, "/documents/nope").status, 404);

    // the hostile article: only escaped, its javascript: URL not a link
    let evil_path = format!("/documents/{}", pct(HOSTILE_ID));
    let evil = ok(&s, &evil_path);
    assert!(
        evil.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{evil}"
    );
    assert!(
        evil.contains("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"),
        "{evil}"
    );
    assert!(evil.contains("javascript:alert(1)"));
    assert!(evil.contains("evil &#60;x&#62;/1"));
    let evil_recs: Vec<_> = records
        .iter()
        .filter(|r| r.record.doc_id == HOSTILE_ID)
        .collect();
    for r in &evil_recs {
        for e in &r.record.evidence {
            assert!(evil.contains(&format!(r#"id="ev-{}""#, e.start)), "{evil}");
        }
    }
    eprintln!("hostile article: {} records", evil_recs.len());

    // search
    let found = ok(&s, "/search?q=NASAMS");
    assert!(found.contains(r#"href="/documents/en-nasams""#), "{found}");
    assert!(found.contains(r#"href="/documents/en-pkg""#));
    assert!(!found.contains(&pct(HOSTILE_ID)));
    let found = ok(&s, "/search?q=alert");
    assert!(
        found.contains(&format!(r#"href="/documents/{}""#, pct(HOSTILE_ID))),
        "{found}"
    );
    assert!(found.contains("&#60;script&#62;alert(1)&#60;/script&#62; title"));
    assert!(ok(&s, "/search?q=%22%3E%3Cimg+src%3Dx%3E").contains("&#34;&#62;&#60;img src=x&#62;"));
    let list = ok(&s, "/search");
    assert!(list.contains("4 articles stored"), "{list}");
    ok(&s, "/search?q=");
}

#[test]
fn empty_store() {
    let (s, _store) = server_with(Vec::new());
    assert!(ok(&s, "/").contains("The ledger is empty"));
    assert!(ok(&s, "/ledger").contains("No commitment matches"));
    assert!(ok(&s, "/search?q=anything").contains("0 articles match"));
    assert!(ok(&s, "/search").contains("0 articles stored"));
    assert_eq!(get(&s, "/documents/x").status, 404);
    assert_eq!(get(&s, "/commitments/x").status, 404);
}

/// What a reader of the pages met (issue 8, item 9), on articles written for it.
fn reader_documents() -> Vec<Document> {
    let mut docs = vec![
        // no source and no URL: its outlet is unknown, never its id
        Document {
            id: "no-outlet-17".into(),
            text: "Norway has delivered two NASAMS air defence systems to Ukraine, the Norwegian defence ministry said on Monday.".into(),
            published: Some("2023-01-09".into()),
            source: None,
            url: None,
            title: Some("Norway delivers".into()),
            lang: Some("en".into()),
        },
        // no source, a URL: the URL's domain is the outlet
        Document {
            id: "url-only".into(),
            text: "Norway has delivered two NASAMS air defence systems to Ukraine, the Norwegian government said on Tuesday.".into(),
            published: Some("2023-01-10".into()),
            source: None,
            url: Some("https://www.nrk.example/nyheter/1".into()),
            title: Some("Norway delivers, again".into()),
            lang: Some("en".into()),
        },
        doc("iran-1", "2022-10-18", "wire.example", "Drones for Russia", None, "en",
            "Iran has delivered hundreds of Shahed drones to Russia, the White House said on Tuesday."),
        doc("prk-1", "2023-11-02", "wire.example", "Shells for Russia", None, "en",
            "North Korea has delivered a million artillery shells to Russia, South Korea's intelligence service said on Wednesday."),
        doc("us-1", "2022-08-24", "example.com", "US package", None, "en",
            "The United States announced a $2.98 billion security assistance package for Ukraine on Wednesday. The package includes six NASAMS air defense systems."),
        // cumulative totals at two dates: a series, drawn as a line
        doc("us-total-1", "2022-10-14", "state.example", "Totals in October", None, "en",
            "The United States has now committed more than $17.5 billion in security assistance to Ukraine since the beginning of the Administration."),
        doc("us-total-2", "2023-02-24", "state.example", "Totals in February", None, "en",
            "The United States has now committed more than $31.7 billion in security assistance to Ukraine since the beginning of the Administration."),
    ];
    for i in 0..25 {
        docs.push(doc(
            &format!("nl-{i:02}"),
            &format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i),
            "nos.example",
            &format!("Dutch howitzers, part {i}"),
            None,
            "en",
            &format!(
                "In other news from the region, the weather was mild and markets were calm for the {i}th day. \
                 The Netherlands will send {} howitzers to Ukraine, the Dutch defence ministry said on Tuesday. \
                 More deliveries will follow later this year.",
                i + 2
            ),
        ));
    }
    docs
}

/// The `href`s of links with this `rel` in a page.
fn rel_href(page: &str, rel: &str) -> Option<String> {
    let at = page.find(&format!("<a rel=\"{rel}\" href=\""))?;
    let rest = &page[at..];
    let start = rest.find("href=\"")? + 6;
    let end = rest[start..].find('"')? + start;
    Some(rest[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

#[test]
fn what_a_reader_met() {
    let (s, store) = server_with(reader_documents());
    let all = store.commitments(&LedgerFilter::default()).unwrap();

    // outlets: an article without source or URL is "unknown outlet", never its id
    let norway: Vec<_> = all
        .iter()
        .filter(|c| c.doc_ids.iter().any(|d| d == "no-outlet-17"))
        .collect();
    assert!(!norway.is_empty(), "{all:#?}");
    for c in &norway {
        let page = ok(&s, &format!("/commitments/{}", pct(&c.id)));
        let facts = &page[page.find("<dt>Sources</dt>").unwrap()..];
        let facts = &facts[..facts.find("</dd>").unwrap()];
        assert!(facts.contains("unknown outlet"), "{facts}");
        assert!(!facts.contains("no-outlet-17"), "{facts}");
        if c.doc_ids.iter().any(|d| d == "url-only") {
            assert!(facts.contains("nrk.example"), "{facts}");
        }
    }
    let ledger = ok(&s, "/ledger?donor=NOR");
    assert!(!ledger.contains(">no-outlet-17<"), "{ledger}");

    // the overview shows supplies to Russia apart from aid to Ukraine
    let home = ok(&s, "/");
    let ukr = home.find("<h2>Aid to Ukraine").expect("a Ukraine section");
    let rus = home
        .find("<h2>Supplies to Russia")
        .expect("a Russia section");
    let section = |at: usize| {
        let part = &home[at..];
        &part[..part.find("</section>").unwrap()]
    };
    for donor in ["IRN", "PRK"] {
        if all.iter().any(|c| c.donor == donor) {
            let chip = format!("href=\"/ledger?donor={donor}\"");
            assert!(section(rus).contains(&chip), "{donor}: {}", section(rus));
            assert!(!section(ukr).contains(&chip), "{donor}: {}", section(ukr));
        }
    }
    assert!(
        all.iter().any(|c| c.recipient.as_deref() == Some("RUS")),
        "no supply to Russia extracted: {all:#?}"
    );
    assert!(section(ukr).contains("href=\"/ledger?donor=USA\""));
    assert!(!section(rus).contains("href=\"/ledger?donor=USA\""));

    // cumulative totals: a line of their own, never in the sums
    let total = all
        .iter()
        .find(|c| c.kind == aidledger_ledger::Kind::Total && c.series.len() >= 2)
        .unwrap_or_else(|| panic!("no series of totals: {all:#?}"));
    let totals = &home[home
        .find("<h2>Reported cumulative totals</h2>")
        .expect("totals")..];
    let totals = &totals[..totals.find("</section>").unwrap()];
    assert!(totals.contains("class=\"series\""), "{totals}");
    assert_eq!(
        totals.matches("class=\"series-dot\"").count(),
        total.series.iter().filter(|p| p.date.is_some()).count(),
        "{totals}"
    );
    assert!(totals.contains(&format!("/commitments/{}", pct(&total.id))));
    // in the ledger, a total shows its latest figure as cumulative
    let last = total.series.last().unwrap();
    let totals_row = ok(&s, "/ledger?kind=total");
    let latest = if last.value.amount >= 1e9 {
        format!(
            "{} {} bn (cumulative)",
            last.value.currency,
            last.value.amount / 1e9
        )
    } else {
        format!("{} (cumulative)", last.value.currency)
    };
    assert!(totals_row.contains(&latest), "{latest}: {totals_row}");
    assert!(
        !home.contains("USD 52.18 bn") && !home.contains("USD 49.2 bn"),
        "{home}"
    );

    // the package: its contents in the ledger, its articles on its page
    let pkg = all
        .iter()
        .find(|c| {
            c.kind == aidledger_ledger::Kind::Package && c.donor == "USA" && c.value.is_some()
        })
        .expect("the US package");
    let usa = ok(&s, "/ledger?donor=USA&kind=package");
    assert!(
        usa.contains("<small class=\"contents\">NASAMS</small>"),
        "{usa}"
    );
    let page = ok(&s, &format!("/commitments/{}", pct(&pkg.id)));
    let arts = &page[page.find("<h2>Articles</h2>").expect("articles")..];
    assert!(arts.contains("href=\"/documents/us-1\">US package</a> <small>example.com · <span class=\"date\">2022-08-24</span>"), "{arts}");

    // search: a truthful count, snippets around the hit, pages that keep the query
    let n = store.search_count("howitzers").unwrap();
    assert_eq!(n, 25);
    let p1 = ok(&s, "/search?q=howitzers");
    assert!(p1.contains("25 articles match, 1–20 shown"), "{p1}");
    assert_eq!(p1.matches("<p class=\"snippet\">").count(), 20);
    assert!(p1.contains("<mark class=\"hit\">howitzers</mark>"), "{p1}");
    // the snippet starts near the hit, not at the text's start
    assert!(p1.contains("<p class=\"snippet\">…"), "{p1}");
    assert!(rel_href(&p1, "prev").is_none());
    let next = rel_href(&p1, "next").expect("a next page");
    assert_eq!(next, "/search?q=howitzers&offset=20");
    let p2 = ok(&s, &next);
    assert!(p2.contains("25 articles match, 21–25 shown"), "{p2}");
    assert_eq!(p2.matches("<p class=\"snippet\">").count(), 5);
    assert!(rel_href(&p2, "next").is_none());
    assert_eq!(
        rel_href(&p2, "prev").as_deref(),
        Some("/search?q=howitzers")
    );
    let r = get(&s, "/search?q=howitzers+%3Cb%3E&offset=minus");
    assert_eq!(r.status, 400);
    assert!(
        r.body
            .contains("name=\"q\" value=\"howitzers &#60;b&#62;\" autofocus"),
        "{}",
        r.body
    );

    // the ledger pages through every commitment, in SQL and when sorted
    for (first, extra) in [
        ("/ledger?limit=2", ""),
        ("/ledger?sort=donor&limit=2", "sort=donor"),
    ] {
        let mut seen: Vec<String> = Vec::new();
        let mut url = first.to_string();
        for _ in 0..all.len() + 1 {
            let page = ok(&s, &url);
            assert!(
                page.contains(&format!("{} commitments", all.len())),
                "{url}: {page}"
            );
            for c in &all {
                if page.contains(&format!("\"/commitments/{}\"", pct(&c.id))) {
                    seen.push(c.id.clone());
                }
            }
            match rel_href(&page, "next") {
                Some(n) => {
                    assert!(n.contains("limit=2") && n.contains(extra), "{n}");
                    url = n;
                }
                None => break,
            }
        }
        seen.sort();
        let mut ids: Vec<String> = all.iter().map(|c| c.id.clone()).collect();
        ids.sort();
        assert_eq!(seen, ids, "{first}");
    }
    let filtered = ok(&s, "/ledger?donor=NLD&limit=1&offset=1");
    assert!(rel_href(&filtered, "prev")
        .unwrap()
        .starts_with("/ledger?donor=NLD"));
    assert_eq!(get(&s, "/ledger?limit=0").status, 400);
    assert_eq!(get(&s, "/ledger?offset=-3").status, 400);

    // dates never wrap
    assert!(
        ledger.contains("<td class=\"date\" data-label=\"first\">"),
        "{ledger}"
    );
    let css = get(&s, "/assets/app.css").body;
    assert!(css.contains(".date, td.date { white-space: nowrap;"));
    // the ledger's table becomes cards on a phone
    assert!(ledger.contains("<table class=\"ledger cards\">"));
    assert!(css.contains("table.cards td[data-label]::before { content: attr(data-label);"));

    // a 400 keeps what the user typed in the form
    let r = get(
        &s,
        "/ledger?donor=NLD&item=%3Cb%3Ehow&since=2023&status=shipped&sort=-value",
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("unknown status"), "{}", r.body);
    assert!(
        r.body
            .contains("<form class=\"filters\" action=\"/ledger\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("name=\"donor\" value=\"NLD\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("name=\"item\" value=\"&#60;b&#62;how\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("name=\"since\" value=\"2023\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("name=\"sort\" value=\"-value\""),
        "{}",
        r.body
    );
    let r = get(&s, "/ledger?donor=NLD&until=%zz");
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("name=\"donor\" value=\"NLD\""),
        "{}",
        r.body
    );

    // every commitment's timeline runs in date order
    for c in &all {
        let page = ok(&s, &format!("/commitments/{}", pct(&c.id)));
        let list = &page[page.find("<ol class=\"timeline\">").unwrap()..];
        let list = &list[..list.find("</ol>").unwrap()];
        let dates: Vec<&str> = list
            .split("<span class=\"date\">")
            .skip(1)
            .filter_map(|p| p.split('<').next())
            .filter(|d| *d != "date unknown")
            .collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted, "{}", c.id);
        assert!(page.contains("timeline-chart") || dates.is_empty());
    }
}
