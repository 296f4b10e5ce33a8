//! The query parameters and path ids of the API and pages (aidledger-serve `params.rs`,
//! the `LedgerFilter` checks, the SQL they become) on any query string, sent through the
//! whole router over a small SQLite ledger. No request may end in a 500, a JSON answer
//! must be valid JSON, and no answer may name the database's path.
#![no_main]

use std::sync::OnceLock;

use aidledger_core::{Document, ExtractOptions, Extractor};
use aidledger_serve::state::AppState;
use aidledger_store::Store;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

/// Where the fuzzed part goes: after `?` for the list endpoints, as the id for the others.
const PATHS: [&str; 14] = [
    "/api/commitments?",
    "/api/aggregates?",
    "/api/search?",
    "/api/systems?",
    "/api/documents?",
    "/ledger?",
    "/search?",
    "/systems?",
    "/?",
    "/api/commitments/",
    "/api/documents/",
    "/commitments/",
    "/documents/",
    "/api/openapi.json?",
];

struct Fixture {
    rt: tokio::runtime::Runtime,
    app: Router,
    db: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("aidledger-fuzz-query-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let db = dir.join("ledger.db").to_string_lossy().into_owned();
        let _ = std::fs::remove_file(&db);
        let mut store = Store::open(&db).expect("store");
        let ex = Extractor::new().expect("extractor");
        let texts = [
            ("en-1", "2022-08-24", "en", "The United States announced a $2.98 billion security assistance package for Ukraine on Wednesday, including six NASAMS air defence systems and 155mm artillery rounds."),
            ("en-2", "2022-11-07", "en", "Two NASAMS systems have been delivered to Ukraine, the Pentagon said on Monday."),
            ("fr-1", "2023-01-05", "fr", "Paris a annoncé jeudi la livraison à l'Ukraine de chars légers AMX-10 RC, a indiqué l'Élysée."),
            ("de-1", "2023-01-25", "en", "Germany will send 14 Leopard 2 tanks to Ukraine, Chancellor Olaf Scholz said on Wednesday."),
        ];
        let batch: Vec<_> = texts
            .iter()
            .map(|(id, published, lang, text)| {
                let d = Document {
                    id: id.to_string(),
                    text: text.to_string(),
                    published: Some(published.to_string()),
                    source: Some("example.com".to_string()),
                    url: None,
                    title: None,
                    lang: Some(lang.to_string()),
                };
                let e = ex.extract(&d, &ExtractOptions::default()).expect("extract");
                (d, e)
            })
            .collect();
        store.ingest_batch(&batch).expect("ingest");
        store.rebuild_commitments(true).expect("rebuild");
        let app = aidledger_serve::router(AppState::new(store, None, db.clone()));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Fixture { rt, app, db }
    })
}

/// Keeps the URI parseable: bytes outside the printable ASCII range (and the few that
/// end a query) are percent-encoded; `%`, `=`, `&`, `+` stay raw so that broken escapes
/// and odd pairs reach the parser.
fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~%=&+!$'()*,;:@/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The request's bytes with `%XX` escapes decoded (leniently: a broken escape stays).
fn percent_decoded(bytes: &[u8]) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let uri = format!(
        "{}{}",
        PATHS[usize::from(which) % PATHS.len()],
        encode(rest)
    );
    let Ok(req) = Request::get(uri.as_str()).body(Body::empty()) else {
        return;
    };
    let (status, json, body) = f.rt.block_on(async {
        let resp = f
            .app
            .clone()
            .oneshot(req)
            .await
            .expect("the router is infallible");
        let status = resp.status();
        let json = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let body = axum::body::to_bytes(resp.into_body(), 64 << 20)
            .await
            .expect("the body is read");
        (status, json, body)
    });
    let text = String::from_utf8_lossy(&body);
    assert!(
        status != StatusCode::INTERNAL_SERVER_ERROR,
        "{uri} answered 500: {text}"
    );
    if json {
        assert!(
            serde_json::from_slice::<serde_json::Value>(&body).is_ok(),
            "{uri} answered JSON that does not parse: {text}"
        );
    }
    // an error may quote what the client sent (an unknown parameter's name): only a path
    // the request did not hold itself is a leak (the fuzzer learns the path from comparisons)
    if !percent_decoded(rest).contains("ledger.db") {
        assert!(
            !text.contains(&f.db),
            "{uri} named the database path: {text}"
        );
    }
});
