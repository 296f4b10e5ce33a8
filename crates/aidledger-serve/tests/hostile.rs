//! Hostile requests: ids that would be rewritten or collide, repeated ids, tokens of
//! other lengths, filters too long for a `LIKE`, paths that are not UTF-8, and failures
//! whose messages would name the database's path.

mod common;

use aidledger_serve::{open_store, ServeOptions};
use aidledger_store::{Access, Store};
use common::*;

const TOKEN: &str = "s3cret-token";

fn bearer() -> Option<&'static str> {
    Some("Bearer s3cret-token")
}

fn doc_json(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text, "lang": "en", "published": "2023-06-02" })
        .to_string()
}

const TEXT: &str = "The Netherlands delivered three Patriot launchers to Ukraine, the Dutch defence ministry said on Friday. Quokkaword.";

#[test]
fn ids_with_control_characters_are_refused_and_replace_nothing() {
    let s = start(Some(TOKEN));
    let r = post(
        s.addr,
        "/api/documents",
        bearer(),
        &format!("[{}]", doc_json("a b", TEXT)),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    // "a\u0000b" used to be stored as "a b", replacing that document
    let other = "Germany pledged two IRIS-T systems to Ukraine on Monday. Wombatword.";
    let r = post(
        s.addr,
        "/api/documents",
        bearer(),
        &format!("[{}]", doc_json("a\u{0}b", other)),
    );
    assert_error(&r, 400);
    let msg = r.json()["error"].as_str().unwrap().to_string();
    assert!(
        msg.contains("document 1") && msg.contains("U+0000") && msg.contains("a\\u{0}b"),
        "{msg}"
    );
    let kept = get(s.addr, "/api/documents/a%20b").json();
    assert_eq!(kept["text"], TEXT);
    assert_error(&get(s.addr, "/api/documents/a%00b"), 400);
    assert_eq!(
        get(s.addr, "/api/search?q=wombatword").json()["total"],
        0,
        "nothing of the refused batch was stored"
    );

    for id in [
        "",
        " ",
        "\t",
        "x\u{1b}[2J",
        "c1\u{85}",
        "del\u{7f}",
        "a\nb",
        "bidi\u{202e}",
    ] {
        let body = format!("{}\n{}", doc_json("fine-1", TEXT), doc_json(id, other));
        let r = post(s.addr, "/api/documents", bearer(), &body);
        assert_error(&r, 400);
        let msg = r.json()["error"].as_str().unwrap().to_string();
        assert!(msg.contains("document 2"), "{id:?}: {msg}");
    }
    assert_eq!(get(s.addr, "/api/documents/fine-1").status, 404);
}

#[test]
fn a_batch_with_an_id_twice_is_refused() {
    let s = start(Some(TOKEN));
    let body = format!(
        "[{}, {}, {}]",
        doc_json("dup", TEXT),
        doc_json("other", TEXT),
        doc_json("dup", "Poland sent tanks. Numbatword.")
    );
    let r = post(s.addr, "/api/documents", bearer(), &body);
    assert_error(&r, 400);
    let msg = r.json()["error"].as_str().unwrap().to_string();
    assert!(
        msg.contains("\"dup\"") && msg.contains("documents 1 and 3"),
        "{msg}"
    );
    assert_eq!(get(s.addr, "/api/documents/dup").status, 404);
    assert_eq!(get(s.addr, "/api/documents/other").status, 404);
}

#[test]
fn tokens_of_other_lengths_are_refused() {
    let s = start(Some(TOKEN));
    let body = format!("[{}]", doc_json("t-1", TEXT));
    for wrong in [
        "s",
        "s3cret",
        "s3cret-toke",
        "s3cret-tokeX",
        "s3cret-token0",
        "s3cret-tokens3cret-token",
        "S3CRET-TOKEN",
        &"x".repeat(5000),
    ] {
        let r = post(
            s.addr,
            "/api/documents",
            Some(&format!("Bearer {wrong}")),
            &body,
        );
        assert_error(&r, 403);
        assert_eq!(r.json()["error"], "wrong token", "{wrong}");
    }
    assert_error(&post(s.addr, "/api/documents", Some("Bearer "), &body), 401);
    assert_eq!(get(s.addr, "/api/documents/t-1").status, 404);
    let r = post(s.addr, "/api/documents", bearer(), &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["added"], 1);
}

#[test]
fn long_filters_are_400_and_wildcards_literal() {
    let s = start(None);
    let huge = "a".repeat(50_000);
    for param in ["item", "donor", "recipient", "category"] {
        for path in ["/api/commitments", "/api/aggregates"] {
            let r = get(s.addr, &format!("{path}?{param}={huge}"));
            assert_error(&r, 400);
            let msg = r.json()["error"].as_str().unwrap().to_string();
            assert_eq!(
                msg,
                format!("parameter {param} is 50000 characters long; at most 200 are allowed"),
                "{path}"
            );
        }
    }
    let r = get(
        s.addr,
        &format!("/api/commitments?item={}", "a".repeat(200)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["total"], 0);
    // % and _ match themselves, not anything
    assert!(
        get(s.addr, "/api/commitments").json()["total"]
            .as_u64()
            .unwrap()
            > 0
    );
    for wild in ["%25", "_", "%25%25", "_%25"] {
        let r = get(s.addr, &format!("/api/commitments?item={wild}"));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["total"], 0, "{wild}");
    }
    // the pages: a 400 page, never a 500
    for q in [huge.as_str(), &"b".repeat(300)] {
        let r = get(s.addr, &format!("/ledger?item={q}"));
        assert_eq!(r.status, 400, "{}", &r.body[..r.body.len().min(300)]);
    }
}

#[test]
fn paths_that_are_not_utf8_get_a_json_400() {
    let s = start(None);
    for path in [
        "/api/documents/%ff",
        "/api/documents/a/%ff/b",
        "/api/documents/%c3%28",
        "/api/commitments/%ff",
    ] {
        let r = get(s.addr, path);
        assert_error(&r, 400);
    }
}

#[test]
fn server_errors_do_not_name_the_database() {
    let s = start(None);
    let db = s.db();
    // another connection stores a commitment whose figure cannot be read back (NaN is
    // written as null): every read of the ledger fails inside the store
    let mut w = Store::open(db.to_str().unwrap()).unwrap();
    let n = w
        .rebuild_commitments_with(true, |rs| {
            let mut cs = aidledger_ledger::merge(rs);
            let v = cs
                .iter_mut()
                .flat_map(|c| c.stages.iter_mut())
                .flat_map(|s| s.values.iter_mut())
                .next()
                .expect("a commitment with a value");
            v.value.amount = f64::NAN;
            cs
        })
        .unwrap();
    assert!(n > 0);
    drop(w);

    let dir = s.dir.path().to_str().unwrap().to_string();
    // (`/api/aggregates` and the overview sum and count in SQL without reading any
    // commitment's JSON but the totals', so this broken figure does not reach them)
    for path in ["/api/commitments", "/ledger"] {
        let r = get(s.addr, path);
        assert_eq!(r.status, 500, "{path}: {}", r.body);
        for secret in [dir.as_str(), "ledger.db", "/tmp", "does not parse"] {
            assert!(
                !r.body.contains(secret),
                "{path} shows {secret:?}: {}",
                r.body
            );
        }
        if path.starts_with("/api") {
            assert_error(&r, 500);
            assert_eq!(
                r.json()["error"],
                "internal error (the server log has the details)"
            );
        }
    }
}

#[test]
fn a_server_without_token_opens_the_store_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db").to_str().unwrap().to_string();
    let opts = |token: Option<&str>| ServeOptions {
        db: db.clone(),
        addr: "127.0.0.1:0".parse().unwrap(),
        token: token.map(String::from),
        limits: Default::default(),
    };
    // a missing database is not created by a read-only server
    let err = open_store(&opts(None)).unwrap_err();
    assert_eq!(
        err,
        format!("no database at {db}: run `aidledger ingest` first")
    );
    assert!(!std::path::Path::new(&db).exists());
    // a server taking writes creates it
    let rw = open_store(&opts(Some(TOKEN))).unwrap();
    assert_eq!(rw.access(), Access::ReadWrite);
    drop(rw);
    for token in [None, Some(""), Some("  ")] {
        let ro = open_store(&opts(token)).unwrap();
        assert_eq!(ro.access(), Access::ReadOnly, "{token:?}");
    }
}

/// A megabyte of aid words without one sentence mark, POSTed: answered and stored, not
/// left running past the request's time (the sentence splitter cuts overlong
/// sentences, so the work is linear in the text).
#[test]
fn a_post_of_a_megabyte_without_punctuation_is_stored() {
    let limits = aidledger_serve::Limits {
        // generous for a debug build on a loaded machine; a release build takes well
        // under a second (BENCHMARKS.md)
        request_timeout: std::time::Duration::from_secs(120),
        max_body_bytes: 4 << 20,
        ..aidledger_serve::Limits::default()
    };
    let (s, _) = start_with(Some(TOKEN), limits);
    let words = [
        "the",
        "united",
        "states",
        "will",
        "send",
        "weapons",
        "to",
        "ukraine",
        "and",
        "germany",
        "delivered",
        "tanks",
        "while",
        "france",
        "pledged",
        "missiles",
    ];
    let mut text = String::with_capacity(1 << 20);
    let mut i = 0usize;
    while text.len() < 1 << 20 {
        text.push_str(words[(i * 7 + i / 16) % words.len()]);
        text.push(' ');
        i += 1;
    }
    let r = post(
        s.addr,
        "/api/documents",
        bearer(),
        &format!("[{}]", doc_json("megabyte", &text)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["added"], 1, "{}", r.body);
    let back = get(s.addr, "/api/documents/megabyte");
    assert_eq!(back.status, 200);
    assert_eq!(back.json()["text"].as_str().map(str::len), Some(text.len()));
}

/// A batch that takes longer to read than the request may take is stopped part way,
/// answered 503 saying so, and nothing of it is stored.
#[test]
fn a_batch_over_the_time_budget_is_refused_whole() {
    let limits = aidledger_serve::Limits {
        request_timeout: std::time::Duration::from_millis(400),
        max_body_bytes: 64 << 20,
        ..aidledger_serve::Limits::default()
    };
    let (s, _) = start_with(Some(TOKEN), limits);
    // a warm-up POST loads the extractor's data, so the budget is spent on reading
    let warm = post(
        s.addr,
        "/api/documents",
        bearer(),
        &format!("[{}]", doc_json("warm", TEXT)),
    );
    assert!(warm.status == 200 || warm.status == 503, "{}", warm.body);
    let sentence = "Germany delivered two IRIS-T air defence systems to Ukraine on 3 May 2024, the ministry said. ";
    let docs: Vec<String> = (0..4000)
        .map(|i| doc_json(&format!("bulk-{i}"), &sentence.repeat(20)))
        .collect();
    let r = post(
        s.addr,
        "/api/documents",
        bearer(),
        &format!("[{}]", docs.join(",")),
    );
    assert_error(&r, 503);
    let msg = r.json()["error"].as_str().unwrap_or("").to_string();
    assert!(
        msg.contains("nothing was stored") && msg.contains("of 4000 documents read"),
        "{msg}"
    );
    for id in ["bulk-0", "bulk-3999"] {
        assert_eq!(get(s.addr, &format!("/api/documents/{id}")).status, 404);
    }
}
