//! The limits against hostile clients, each shown to act: a too-large body, a blocked
//! store, saturation and a slow request head.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use aidledger_serve::Limits;
use common::*;

fn small() -> Limits {
    Limits {
        max_body_bytes: 1000,
        request_timeout: Duration::from_millis(700),
        max_in_flight: 2,
        header_timeout: Duration::from_millis(700),
        max_connections: 512,
        // reads wait on the one connection, which the tests below hold to block them
        read_connections: 0,
    }
}

#[test]
fn a_body_over_the_limit_is_413_before_it_is_read() {
    let (srv, _) = start_with(Some("tok"), small());
    // declared larger than the limit, body never sent: answered at once
    let r = raw(
        srv.addr,
        b"POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Type: application/json\r\nContent-Length: 1001\r\n\r\n",
    );
    assert_error(&r, 413);
    // chunked, no length declared: cut off at the limit
    let big = format!("[{{\"id\":\"a\",\"text\":\"{}\"}}]", "x".repeat(2000));
    let req = format!(
        "POST /api/documents HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer tok\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    assert_error(&raw(srv.addr, req.as_bytes()), 413);
    // under the limit: accepted
    let ok = post(srv.addr, "/api/documents", Some("Bearer tok"), "[]");
    assert!(ok.status < 300, "{} {}", ok.status, ok.body);
}

#[test]
fn a_blocked_store_gets_a_timeout_answer_and_the_server_recovers() {
    let (srv, state) = start_with(None, small());
    let guard = state.store.lock().unwrap();
    let t = Instant::now();
    let r = get(srv.addr, "/api/commitments");
    let took = t.elapsed();
    assert_error(&r, 503);
    assert!(r.header("retry-after").is_some());
    assert!(
        took >= Duration::from_millis(600) && took < Duration::from_secs(5),
        "{took:?}"
    );
    // pages and routes that do not need the store still answer meanwhile
    assert_eq!(get(srv.addr, "/api/openapi.json").status, 200);
    drop(guard);
    // once the store is free again, the blocked call finishes and new ones succeed
    let t = Instant::now();
    loop {
        let r = get(srv.addr, "/api/commitments");
        if r.status == 200 {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "{} {}",
            r.status,
            r.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn saturation_sheds_with_503_and_retry_after() {
    let limits = Limits {
        request_timeout: Duration::from_secs(5),
        ..small()
    };
    let (srv, state) = start_with(None, limits);
    let guard = state.store.lock().unwrap();
    // two requests fill the two in-flight places (they wait on the store)
    let waiting: Vec<_> = (0..2)
        .map(|_| {
            let addr = srv.addr;
            std::thread::spawn(move || get(addr, "/api/commitments"))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    let r = get(srv.addr, "/api/commitments");
    assert_error(&r, 503);
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "shed at once, not queued"
    );
    drop(guard);
    for w in waiting {
        assert_eq!(w.join().unwrap().status, 200);
    }
    // places free again
    assert_eq!(get(srv.addr, "/api/commitments").status, 200);
}

#[test]
fn a_slow_request_head_is_cut_off() {
    let (srv, _) = start_with(None, small());
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let t = Instant::now();
    s.write_all(b"GET /api/commitments HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // never finishes the head; the server must close within about the header timeout
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let took = t.elapsed();
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_secs(5),
        "closed after {took:?}"
    );
    // whatever was sent back is not a successful answer
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.contains(" 200 "), "{text}");
    // the server still answers others
    assert_eq!(get(srv.addr, "/api/openapi.json").status, 200);
}

fn pooled(n: usize) -> Limits {
    Limits {
        read_connections: n,
        ..Limits::default()
    }
}

#[test]
fn reads_are_answered_while_the_writer_connection_is_busy() {
    let (srv, state) = start_with(None, pooled(2));
    assert!(state.has_read_pool());
    let guard = state.store.lock().unwrap();
    let t = Instant::now();
    for path in [
        "/api/commitments",
        "/",
        "/ledger",
        "/api/aggregates?by=donor",
    ] {
        let r = get(srv.addr, path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    drop(guard);
}

/// Blocks until `fut` completes on a small runtime of its own.
fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
        .block_on(fut)
}

#[test]
fn a_store_call_whose_request_is_dropped_is_interrupted() {
    // one read connection: if the abandoned query kept it, the next call would wait
    // for minutes
    let (_srv, state) = start_with(None, pooled(1));
    let s = state.clone();
    let t = Instant::now();
    let r = block_on(async move {
        tokio::time::timeout(
            Duration::from_millis(300),
            s.with_store(|store| store.slow_query_for_tests(10_000_000_000)),
        )
        .await
    });
    assert!(r.is_err(), "the slow query cannot have finished: {r:?}");
    let s = state.clone();
    let g = block_on(async move { s.with_store(|store| store.generation()).await });
    assert!(g.is_ok(), "{g:?}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // the same through the writer's connection
    let s = state.clone();
    let r = block_on(async move {
        tokio::time::timeout(
            Duration::from_millis(300),
            s.with_writer(|store| store.slow_query_for_tests(10_000_000_000)),
        )
        .await
    });
    assert!(r.is_err());
    let t = Instant::now();
    let s = state.clone();
    assert!(block_on(async move { s.with_writer(|store| store.generation()).await }).is_ok());
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn cached_figures_last_until_the_next_write() {
    let (_srv, state) = start_with(Some("tok"), pooled(2));
    let computed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let figure = |state: &aidledger_serve::AppState| {
        let s = state.clone();
        let n = computed.clone();
        block_on(async move {
            s.cached("documents".to_string(), move |store| {
                n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Ok(store.documents()?.len())
            })
            .await
            .unwrap()
        })
    };
    let first = figure(&state);
    let again = figure(&state);
    assert_eq!(*first, *again);
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "the second call is served from the cache"
    );
    assert_eq!(computed.load(std::sync::atomic::Ordering::SeqCst), 1);
    // a write bumps the generation: the figure is computed again and shows it
    let body = r#"[{"id": "cache-new", "text": "Norway delivered two air defence systems to Ukraine on 3 May 2024."}]"#;
    let r = post(_srv.addr, "/api/documents", Some("Bearer tok"), body);
    assert!(r.status < 300, "{} {}", r.status, r.body);
    let after = figure(&state);
    assert_eq!(*after, *first + 1);
    assert_eq!(computed.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[test]
fn pages_get_their_refusals_as_pages_and_the_api_as_json() {
    let (srv, state) = start_with(None, small());
    let guard = state.store.lock().unwrap();
    let page = get(srv.addr, "/ledger");
    assert_eq!(page.status, 503);
    assert!(page.header("retry-after").is_some());
    assert!(
        page.header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "{:?}",
        page.headers
    );
    assert!(
        page.body.contains("<h1>503 Service Unavailable</h1>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("took longer than 700 ms"),
        "{}",
        page.body
    );
    let api = get(srv.addr, "/api/commitments");
    assert_error(&api, 503);
    drop(guard);
    // a page body over the limit is refused as a page too
    let r = post(srv.addr, "/ledger", None, &"x".repeat(2000));
    assert_eq!(r.status, 413);
    assert!(r
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/html"));
}

#[test]
fn concurrent_misses_of_one_figure_compute_it_once() {
    let (_srv, state) = start_with(None, pooled(4));
    let computed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let values = block_on(async move {
        let calls = (0..6).map(|_| {
            let s = state.clone();
            let n = computed.clone();
            tokio::spawn(async move {
                s.cached("slow figure".to_string(), move |store| {
                    n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(300));
                    store.document_count()
                })
                .await
                .unwrap()
            })
        });
        let mut out = Vec::new();
        for c in calls.collect::<Vec<_>>() {
            out.push(c.await.unwrap());
        }
        (out, computed.load(std::sync::atomic::Ordering::SeqCst))
    });
    let (out, n) = values;
    assert_eq!(n, 1, "computed {n} times");
    assert!(out.windows(2).all(|w| std::sync::Arc::ptr_eq(&w[0], &w[1])));
}

/// The cached pages and lists show a write at once: a POSTed document's donor is on the
/// overview, the ledger page, the systems page and the API list right after the POST.
#[test]
fn cached_pages_show_a_write_at_once() {
    let (srv, _) = start_with(Some("tok"), pooled(2));
    let pages = [
        "/",
        "/ledger",
        "/systems",
        "/api/commitments",
        "/api/aggregates?by=donor",
    ];
    for p in pages {
        let r = get(srv.addr, p);
        assert_eq!(r.status, 200, "{p}");
        assert!(!r.body.contains("NOR"), "{p} before the write: {}", r.body);
    }
    let body = r#"[{"id": "cache-write", "published": "2024-05-03", "lang": "en", "text": "Norway delivered two NASAMS air defence systems to Ukraine on 3 May 2024, the Norwegian defence ministry said."}]"#;
    let r = post(srv.addr, "/api/documents", Some("Bearer tok"), body);
    assert!(r.status < 300, "{} {}", r.status, r.body);
    assert!(r.json()["records"].as_u64().unwrap_or(0) >= 1, "{}", r.body);
    for p in pages {
        let r = get(srv.addr, p);
        assert_eq!(r.status, 200, "{p}");
        assert!(r.body.contains("NOR"), "{p} after the write: {}", r.body);
    }
}
