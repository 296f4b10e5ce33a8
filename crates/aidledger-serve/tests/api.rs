//! The JSON API over real HTTP: a temporary SQLite store, the server on a free loopback
//! port in a background thread, and requests written by hand over `std::net::TcpStream`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;

#[test]
fn commitments_list_filters_and_pagination() {
    let s = start(None);
    let r = get(s.addr, "/api/commitments");
    assert_eq!(r.status, 200, "{}", r.body);
    let all = r.json();
    let total = all["total"].as_u64().unwrap() as usize;
    let items = all["items"].as_array().unwrap();
    assert!(total >= 2, "expected a few commitments: {}", r.body);
    assert_eq!(items.len(), total.min(50));

    // pagination: pages of one cover the list in the same order
    let mut ids = Vec::new();
    for off in 0..total {
        let p = get(s.addr, &format!("/api/commitments?limit=1&offset={off}")).json();
        assert_eq!(p["total"].as_u64().unwrap() as usize, total);
        let page = p["items"].as_array().unwrap();
        assert_eq!(page.len(), 1);
        ids.push(page[0]["id"].as_str().unwrap().to_string());
    }
    let listed: Vec<&str> = items.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, listed);
    // `next` links walk the same pages, with the filters kept
    let mut walked = Vec::new();
    let mut url = "/api/commitments?limit=1&sort=date&since=2000".to_string();
    loop {
        let p = get(s.addr, &url).json();
        walked.extend(
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string()),
        );
        match p["next"].as_str() {
            Some(n) => {
                assert!(n.contains("since=2000") && n.contains("limit=1"), "{n}");
                url = n.to_string();
            }
            None => break,
        }
        assert!(walked.len() <= total, "next links loop");
    }
    let dated = get(s.addr, "/api/commitments?since=2000&limit=500").json();
    let dated: Vec<&str> = dated["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(walked, dated);
    assert!(get(s.addr, "/api/commitments?limit=500").json()["next"].is_null());
    assert_eq!(get(s.addr, "/api/commitments?year=22").status, 400);
    let past = get(s.addr, &format!("/api/commitments?offset={}", total + 5)).json();
    assert_eq!(past["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        get(s.addr, "/api/commitments?limit=100000").json()["limit"],
        500
    );

    // filters
    let usa = get(s.addr, "/api/commitments?donor=usa").json();
    let n_usa = usa["total"].as_u64().unwrap();
    assert!(n_usa >= 1, "no USA commitment: {usa}");
    assert!(usa["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["donor"] == "USA"));
    // the item filter finds the item or a content of that name
    let himars = get(s.addr, "/api/commitments?item=himars").json();
    assert!(himars["items"].as_array().unwrap().iter().all(|c| {
        let named = |v: &serde_json::Value| v.as_str().unwrap().to_lowercase().contains("himars");
        named(&c["item"]) || c["items"].as_array().unwrap().iter().any(named)
    }));
    let delivered = get(s.addr, "/api/commitments?status=delivered").json();
    for c in delivered["items"].as_array().unwrap() {
        assert!(c["stages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|st| st == "delivered"));
    }
    let none = get(s.addr, "/api/commitments?donor=ZZZ").json();
    assert_eq!(none["total"], 0);
    let late = get(s.addr, "/api/commitments?since=2030").json();
    assert_eq!(late["total"], 0);
    let all_dates = get(s.addr, "/api/commitments?since=2000-01-01&until=2099-12").json();
    assert!(all_dates["total"].as_u64().unwrap() >= 1);
    assert_eq!(
        get(s.addr, "/api/commitments?min_sources=99").json()["total"],
        0
    );
    // empty parameters are ignored
    assert_eq!(
        get(s.addr, "/api/commitments?donor=&status=").json()["total"]
            .as_u64()
            .unwrap() as usize,
        total
    );

    // sorts
    for sort in ["date", "sources", "value", "donor", "item"] {
        let r = get(s.addr, &format!("/api/commitments?sort={sort}"));
        assert_eq!(r.status, 200, "{sort}: {}", r.body);
        assert_eq!(r.json()["total"].as_u64().unwrap() as usize, total);
    }
    let by_donor = get(s.addr, "/api/commitments?sort=donor").json();
    let donors: Vec<String> = by_donor["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["donor"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = donors.clone();
    sorted.sort();
    assert_eq!(donors, sorted);
}

#[test]
fn one_commitment_and_404s() {
    let s = start(None);
    let list = get(s.addr, "/api/commitments").json();
    let first = &list["items"][0];
    let id = first["id"].as_str().unwrap();
    let r = get(s.addr, first["href"].as_str().unwrap());
    assert_eq!(r.status, 200);
    let whole = r.json();
    // the list item summarises the whole commitment
    assert_eq!(whole["id"], id);
    assert_eq!(whole["status"], first["status"]);
    assert_eq!(
        whole["doc_ids"].as_array().unwrap().len() as u64,
        first["n_documents"].as_u64().unwrap()
    );
    let sources = whole["sources"].as_array().unwrap();
    assert_eq!(sources.len() as u64, first["n_sources"].as_u64().unwrap());
    let shown = first["sources"].as_array().unwrap();
    assert_eq!(shown.len(), sources.len().min(3));
    assert_eq!(&sources[..shown.len()], &shown[..]);
    assert!(first.get("doc_ids").is_none() && first.get("evidence").is_none());

    assert_error(&get(s.addr, "/api/commitments/nope"), 404);
    assert_error(&get(s.addr, "/api/documents/nope"), 404);
    assert_error(&get(s.addr, "/api/nothing/here"), 404);
    assert_error(&get(s.addr, "/api"), 404);
    assert_error(&get(s.addr, "/api/commitments/a/b"), 404);
    // wrong method
    assert_error(&post(s.addr, "/api/commitments", None, "{}"), 405);
}

#[test]
fn bad_parameters_are_400() {
    let s = start(None);
    for q in [
        "/api/commitments?status=shipped",
        "/api/commitments?since=yesterday",
        "/api/commitments?since=2022-13",
        "/api/commitments?until=2022-01-32",
        "/api/commitments?until=22-01-01",
        "/api/commitments?limit=ten",
        "/api/commitments?limit=-1",
        "/api/commitments?offset=1.5",
        "/api/commitments?min_sources=x",
        "/api/commitments?sort=random",
        "/api/commitments?colour=red",
        "/api/commitments?limit=1&limit=2",
        "/api/commitments?limit=99999999999999999999999999",
        "/api/search?q=tank&limit=many",
        "/api/aggregates?by=weather",
        "/api/aggregates?by=donor&status=nope",
    ] {
        let r = get(s.addr, q);
        assert_error(&r, 400);
    }
}

#[test]
fn documents_and_search() {
    let s = start(None);
    let r = get(s.addr, "/api/documents/example-en-1");
    assert_eq!(r.status, 200, "{}", r.body);
    let d = r.json();
    assert_eq!(d["id"], "example-en-1");
    assert_eq!(d["source"], "example.org");
    let text = d["text"].as_str().expect("the document's text");
    let records = d["records"].as_array().unwrap();
    assert!(!records.is_empty());
    for rec in records {
        assert_eq!(rec["doc_id"], "example-en-1");
        assert!(!rec["evidence"].as_array().unwrap().is_empty());
        // evidence offsets point into the text served with them
        for e in rec["evidence"].as_array().unwrap() {
            let (a, b) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(text.get(a..b), e["text"].as_str());
        }
    }
    // an id with characters that need escaping in a path
    assert_error(
        &get(
            s.addr,
            &format!("/api/documents/{}", enc("a/../b'; DROP TABLE x")),
        ),
        404,
    );

    let r = get(s.addr, "/api/search?q=HIMARS");
    assert_eq!(r.status, 200, "{}", r.body);
    let hits = r.json();
    let ids: Vec<&str> = hits["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"example-en-1"), "{ids:?}");
    assert!(hits["items"][0]["records"].is_array());

    for q in [
        "'; DROP TABLE documents; --",
        "\"unbalanced",
        "NEAR(a b",
        "a OR b AND NOT c*",
        "col:value ^prefix",
        "*",
        "%_\\",
        "",
        "   ",
        "(((",
        "HIMARS\" OR 1=1 --",
        "\u{0}",
    ] {
        let r = get(s.addr, &format!("/api/search?q={}", enc(q)));
        assert_eq!(r.status, 200, "{q:?}: {}", r.body);
        assert!(r.json()["items"].is_array());
    }
    let r = get(s.addr, "/api/search");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);
}

#[test]
fn aggregates() {
    let s = start(None);
    let total = get(s.addr, "/api/commitments").json()["total"]
        .as_u64()
        .unwrap();
    for by in ["donor", "category", "status", "month"] {
        let r = get(s.addr, &format!("/api/aggregates?by={by}"));
        assert_eq!(r.status, 200, "{by}: {}", r.body);
        let a = r.json();
        assert_eq!(a["by"], by);
        let groups = a["groups"].as_array().unwrap();
        let counted: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
        assert_eq!(counted, total, "{by}");
        for g in groups {
            assert!(g["committed"].is_array() && g["delivered"].is_array());
        }
    }
    // the year filter counts what the list counts
    for year in ["2022", "2023", "1999"] {
        let listed = get(s.addr, &format!("/api/commitments?year={year}")).json()["total"]
            .as_u64()
            .unwrap();
        let summed = get(s.addr, &format!("/api/aggregates?year={year}")).json()["total"]
            .as_u64()
            .unwrap();
        assert_eq!(listed, summed, "{year}");
    }
    let a = get(s.addr, "/api/aggregates").json();
    assert_eq!(a["by"], "donor");
    let usa = a["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "USA")
        .expect("a USA group")
        .clone();
    // the same figure as aidledger_ledger::figures on the listed commitments
    let listed: Vec<aidledger_ledger::Commitment> = get(s.addr, "/api/commitments?donor=USA")
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::from_value(get(s.addr, c["href"].as_str().unwrap()).json()).unwrap())
        .collect();
    let sums = aidledger_ledger::figures::sums(&listed);
    let usd = sums
        .committed
        .get("USD")
        .copied()
        .expect("a committed USD value");
    assert_eq!(
        usa["committed"],
        serde_json::json!([{ "currency": "USD", "amount": usd }]),
        "{usa}"
    );
    // the kind filter
    let packages = get(s.addr, "/api/commitments?kind=package").json();
    let items = packages["items"].as_array().unwrap();
    assert!(
        !items.is_empty() && items.iter().all(|c| c["kind"] == "package"),
        "{packages}"
    );
    assert_eq!(get(s.addr, "/api/commitments?kind=loan").status, 400);

    // systems as roll-ups: what aidledger_ledger::figures::systems gives on the listed
    // commitments
    let sys = get(s.addr, "/api/systems?donor=USA").json();
    let expected = aidledger_ledger::figures::systems(&listed, true);
    assert!(!expected.is_empty());
    assert_eq!(
        sys["items"],
        serde_json::to_value(&expected).unwrap(),
        "{sys}"
    );
    let across = get(s.addr, "/api/systems?per_donor=false").json();
    assert!(across["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["donor"].is_null()));
    assert_eq!(get(s.addr, "/api/systems?per_donor=maybe").status, 400);
}

#[test]
fn openapi_lists_every_path() {
    let s = start(None);
    let r = get(s.addr, "/api/openapi.json");
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/commitments",
        "/api/commitments/{id}",
        "/api/commitments/{id}/confirmation",
        "/api/documents",
        "/api/documents/{id}",
        "/api/search",
        "/api/aggregates",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    let params: Vec<&str> = doc["paths"]["/api/commitments"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "donor",
        "recipient",
        "item",
        "category",
        "status",
        "since",
        "until",
        "min_sources",
        "sort",
        "limit",
        "offset",
    ] {
        assert!(params.contains(&p), "{p} not documented");
    }
}

#[test]
fn writes_need_the_token() {
    let body = r#"[{"id": "new-1", "text": "The Netherlands delivered three Patriot launchers to Ukraine, the Dutch defence ministry said on Friday. Zebrafinch.", "published": "2023-06-02", "source": "nl.example", "lang": "en"}]"#;

    // read-only server
    let ro = start(None);
    let r = post(ro.addr, "/api/documents", Some("Bearer anything"), body);
    assert_error(&r, 403);
    assert!(r.json()["error"].as_str().unwrap().contains("read-only"));

    let s = start(Some("s3cret"));
    assert_error(&post(s.addr, "/api/documents", None, body), 401);
    assert_error(
        &post(s.addr, "/api/documents", Some("Bearer wrong"), body),
        403,
    );
    assert_error(
        &post(s.addr, "/api/documents", Some("Basic czNjcmV0"), body),
        401,
    );
    assert_error(
        &post(s.addr, "/api/documents", Some("Bearer s3cret"), "not json"),
        400,
    );
    assert_error(
        &post(
            s.addr,
            "/api/documents",
            Some("Bearer s3cret"),
            "[{\"text\": \"no id\"}]",
        ),
        400,
    );
    assert_eq!(
        get(s.addr, "/api/search?q=zebrafinch").json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let r = post(s.addr, "/api/documents", Some("Bearer s3cret"), body);
    assert_eq!(r.status, 200, "{}", r.body);
    let out = r.json();
    assert_eq!(out["received"], 1);
    assert_eq!(out["added"], 1);
    let hits = get(s.addr, "/api/search?q=zebrafinch").json();
    assert_eq!(hits["items"][0]["id"], "new-1", "{hits}");
    assert_eq!(get(s.addr, "/api/documents/new-1").status, 200);

    // JSON Lines, the same document again: unchanged
    let line = body.trim_start_matches('[').trim_end_matches(']');
    let r = post(
        s.addr,
        "/api/documents",
        Some("bearer s3cret"),
        &format!("{line}\n\n"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["unchanged"], 1);
}

/// A flagged commitment (a package of 105 HIMARS) is kept out of the sums until a
/// person confirms it through the API, and back out once the confirmation is taken back;
/// both need the write token.
#[test]
fn flagged_commitments_are_confirmed_through_the_api() {
    let odd = r#"[{"id": "odd-pkg", "published": "2022-09-09", "lang": "en", "source": "example.net", "text": "The United States announced a $675 million security assistance package for Ukraine on Thursday. The package includes 105 HIMARS launchers."}]"#;
    let s = start(Some("s3cret"));
    let r = post(s.addr, "/api/documents", Some("Bearer s3cret"), odd);
    assert_eq!(r.status, 200, "{}", r.body);
    let list = get(s.addr, "/api/commitments?limit=100").json();
    let flagged: Vec<&serde_json::Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["flags"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(flagged.len(), 1, "{list}");
    let id = flagged[0]["id"].as_str().unwrap().to_string();
    assert_eq!(flagged[0]["confirmed"], false);
    assert_eq!(flagged[0]["counts_in_sums"], false);
    let path = format!("/api/commitments/{id}/confirmation");
    // the USA's group of the aggregates: (flagged, confirmed)
    let usa = || {
        let a = get(s.addr, "/api/aggregates?by=donor").json();
        let g = a["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == "USA")
            .cloned()
            .unwrap_or_else(|| panic!("a USA group: {a}"));
        (
            g["flagged"].as_u64().unwrap(),
            g["confirmed"].as_u64().unwrap(),
        )
    };
    assert_eq!(usa(), (1, 0));
    let page = || get(s.addr, &format!("/commitments/{id}")).body;
    assert!(
        page().contains("kept out of every sum until confirmed"),
        "{}",
        page()
    );

    // the token is needed, and a read-only server confirms nothing
    assert_error(&send(s.addr, "PUT", &path, None, ""), 401);
    assert_error(&send(s.addr, "PUT", &path, Some("Bearer wrong"), ""), 403);
    let ro = start(None);
    assert_error(&send(ro.addr, "PUT", &path, Some("Bearer s3cret"), ""), 403);

    let r = send(s.addr, "PUT", &path, Some("Bearer s3cret"), "");
    assert_eq!(r.status, 200, "{}", r.body);
    let done = r.json();
    assert_eq!(done["id"], id.as_str());
    assert_eq!(done["confirmed"], true);
    assert!(
        done["flags"][0].as_str().unwrap().contains("out_of_scale"),
        "{done}"
    );
    let c = get(s.addr, &format!("/api/commitments/{id}")).json();
    assert_eq!(c["confirmed"], true, "{c}");
    assert_eq!(usa(), (0, 1));
    // the commitment's page says so too (the page cache follows the write)
    let p = page();
    assert!(
        p.contains("confirmed by a person: it counts in the sums"),
        "{p}"
    );
    assert!(!p.contains("kept out of every sum"), "{p}");

    // taken back: out of the sums again; a second time there is nothing to take back
    let r = send(s.addr, "DELETE", &path, Some("Bearer s3cret"), "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["confirmed"], false);
    assert_eq!(
        get(s.addr, &format!("/api/commitments/{id}")).json()["confirmed"],
        false
    );
    assert_eq!(usa(), (1, 0));
    assert_error(
        &send(s.addr, "DELETE", &path, Some("Bearer s3cret"), ""),
        404,
    );

    // an unknown commitment, and one without a flag
    assert_error(
        &send(
            s.addr,
            "PUT",
            "/api/commitments/ffffffffffffffff/confirmation",
            Some("Bearer s3cret"),
            "",
        ),
        404,
    );
    let plain = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["flags"].as_array().unwrap().is_empty())
        .expect("an unflagged commitment");
    let r = send(
        s.addr,
        "PUT",
        &format!(
            "/api/commitments/{}/confirmation",
            plain["id"].as_str().unwrap()
        ),
        Some("Bearer s3cret"),
        "",
    );
    assert_error(&r, 400);
    assert!(
        r.json()["error"].as_str().unwrap().contains("no flag"),
        "{}",
        r.body
    );
}

#[test]
fn huge_declared_body_is_refused_without_being_read() {
    let s = start(Some("s3cret"));
    for auth in ["", "Authorization: Bearer s3cret\r\n"] {
        let mut c = TcpStream::connect(s.addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        c.write_all(
            format!(
                "POST /api/documents HTTP/1.1\r\nHost: localhost\r\n{auth}Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
        // no body is sent: the answer must come anyway, and fast
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let started = std::time::Instant::now();
        loop {
            match c.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(r) = complete(&buf) {
                        assert_error(&r, 413);
                        break;
                    }
                }
                Err(e) => panic!(
                    "no answer to a 1 GB declared body: {e} ({:?})",
                    String::from_utf8_lossy(&buf)
                ),
            }
        }
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(
            parse(&buf).status,
            413,
            "{:?}",
            String::from_utf8_lossy(&buf)
        );
    }
}

/// The response in `buf` if its head and `Content-Length` body are all there.
fn complete(buf: &[u8]) -> Option<Resp> {
    let text = std::str::from_utf8(buf).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let len: usize = head
        .split("\r\n")
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        })
        .map(|(_, v)| v.trim().parse().unwrap())?;
    (body.len() >= len).then(|| parse(buf))
}

#[test]
fn article_markup_comes_back_escaped() {
    let s = start(None);
    for path in ["/api/documents/xss-1", "/api/search?q=zanzibarian"] {
        let r = get(s.addr, path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert!(
            !r.body.contains('<') && !r.body.contains('>'),
            "{path}: raw markup in {}",
            r.body
        );
        let v = r.json();
        let doc = if path.starts_with("/api/search") {
            &v["items"][0]
        } else {
            &v
        };
        assert_eq!(doc["id"], "xss-1", "{v}");
        // read back as JSON, the markup is the article's own, unchanged
        assert_eq!(doc["title"], XSS);
        let evidence: Vec<&str> = doc["records"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["evidence"].as_array().unwrap())
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        assert!(
            evidence
                .iter()
                .any(|e| e.contains("<script>alert(1)</script>") && e.contains("onerror")),
            "{evidence:?}"
        );
    }
    // commitments carry evidence sentences too
    let r = get(s.addr, "/api/commitments?limit=500");
    assert!(!r.body.contains('<'));
    r.json();
}

#[test]
fn pages_are_mounted_beside_the_api() {
    let s = start(None);
    let r = get(s.addr, "/");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/html"));
    assert_eq!(get(s.addr, "/assets/app.css").status, 200);
    // the API's JSON 404 stays under /api
    assert_error(&get(s.addr, "/api/ledger"), 404);
}

#[test]
fn oversized_chunked_body_is_cut_off() {
    let s = start(Some("s3cret"));
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(
        b"POST /api/documents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer s3cret\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut head = format!("{:x}\r\n", chunk.len()).into_bytes();
    head.extend_from_slice(&chunk);
    head.extend_from_slice(b"\r\n");
    // 17 MiB of blanks, stopping when the server closes the connection
    for _ in 0..17 {
        if c.write_all(&head).is_err() {
            break;
        }
    }
    let _ = c.write_all(b"0\r\n\r\n");
    let mut buf = Vec::new();
    let _ = c.read_to_end(&mut buf);
    let r = parse(&buf);
    assert_error(&r, 413);
}

#[test]
fn document_ids_with_slashes() {
    let s = start(None);
    // the id is taken whole whether its slashes are encoded or not
    let r = get(s.addr, "/api/documents/example-en-1");
    assert_eq!(r.status, 200, "{}", r.body);
    let r = get(s.addr, "/api/documents/no/such/doc");
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(
        r.json()["error"].as_str().unwrap().contains("no/such/doc"),
        "{}",
        r.body
    );
}
