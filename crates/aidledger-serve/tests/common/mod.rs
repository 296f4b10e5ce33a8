//! What the API tests share: a store with a few articles served on a free loopback port
//! in a background thread, and requests written by hand over `std::net::TcpStream`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use aidledger_core::{Document, ExtractOptions, Extractor};
use aidledger_serve::{serve_on, AppState};
use aidledger_store::Store;
use serde_json::Value;

pub const XSS: &str = "<script>alert(1)</script> \"><img src=x onerror=alert(2)>";

pub fn docs() -> Vec<Document> {
    let doc = |id: &str, published: &str, source: &str, lang: &str, text: &str| Document {
        id: id.into(),
        text: text.into(),
        published: Some(published.into()),
        source: Some(source.into()),
        url: Some(format!("https://{source}/{id}")),
        title: None,
        lang: Some(lang.into()),
    };
    vec![
        doc(
            "example-fr-1",
            "2023-03-15",
            "example.org",
            "fr",
            "Le Canada enverra quatre chars Leopard 2 supplémentaires à l’Ukraine\n\nLe Canada enverra quatre chars Leopard 2 supplémentaires à l’Ukraine, a annoncé mardi la ministre canadienne de la Défense, Anita Anand. Ottawa avait déjà livré quatre de ces chars en février.\n\nSelon le ministère, l’aide militaire canadienne dépasse désormais 1,3 milliard de dollars canadiens.",
        ),
        doc(
            "example-en-1",
            "2022-10-05",
            "example.org",
            "en",
            "US unveils new $625 million arms package for Ukraine\n\nThe United States will send four more HIMARS launchers to Ukraine as part of a $625 million package, the Pentagon said on Tuesday. Washington has already delivered 16 HIMARS since June.\n\nGermany refused to supply Leopard 2 tanks for now, a government spokesman said.",
        ),
        doc(
            "other-en-2",
            "2022-11-20",
            "news.example",
            "en",
            "The United States delivered two NASAMS air defence systems to Ukraine, the Pentagon said on Monday. Washington has already delivered 16 HIMARS since June.",
        ),
        doc(
            "xss-1",
            "2022-12-01",
            "evil.example",
            "en",
            &format!("Zanzibarian headline {XSS}\n\nThe United States will send four more HIMARS launchers {XSS} to Ukraine, the Pentagon said. {XSS}"),
        ),
    ]
    .into_iter()
    .map(|mut d| {
        if d.id == "xss-1" {
            d.title = Some(XSS.into());
        }
        d
    })
    .collect()
}

pub struct Server {
    pub addr: SocketAddr,
    /// The folder of the store's file (`ledger.db`).
    pub dir: tempfile::TempDir,
}

impl Server {
    /// The store's file.
    pub fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("ledger.db")
    }
}

/// A store with [`docs`] ingested, served on 127.0.0.1:0 in a background thread.
pub fn start(token: Option<&str>) -> Server {
    start_with(token, aidledger_serve::Limits::default()).0
}

/// As [`start`], with other limits; also gives the server's state (its store mutex can
/// be held to stand for a blocked database).
pub fn start_with(token: Option<&str>, limits: aidledger_serve::Limits) -> (Server, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db").to_str().unwrap().to_string();
    let mut store = Store::open(&path).unwrap();
    let ex = Extractor::new().unwrap();
    let batch: Vec<_> = docs()
        .into_iter()
        .map(|d| {
            let x = ex.extract(&d, &ExtractOptions::default()).unwrap();
            (d, x)
        })
        .collect();
    store.ingest_batch(&batch).unwrap();
    store.rebuild_commitments(false).unwrap();
    let state = AppState::with_limits(store, token.map(String::from), path, limits);
    let shared = state.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            serve_on(listener, state).await.unwrap();
        });
    });
    let addr = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    (Server { addr, dir }, shared)
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends raw bytes, reads until the server closes, parses the response.
pub fn raw(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if !buf.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "reading the response: {e} (got {:?})",
                String::from_utf8_lossy(&buf)
            ),
        }
    }
    parse(&buf)
}

pub fn parse(buf: &[u8]) -> Resp {
    let text = String::from_utf8(buf.to_vec()).expect("UTF-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        let mut out = String::new();
        let mut rest = body;
        loop {
            let (size, after) = rest.split_once("\r\n").unwrap();
            let n = usize::from_str_radix(size.trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.push_str(&after[..n]);
            rest = &after[n + 2..];
        }
        out
    } else {
        body.to_string()
    };
    Resp {
        status,
        headers,
        body,
    }
}

pub fn get(addr: SocketAddr, path: &str) -> Resp {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

pub fn post(addr: SocketAddr, path: &str, auth: Option<&str>, body: &str) -> Resp {
    send(addr, "POST", path, auth, body)
}

/// A request of any method with an optional `Authorization` header and a JSON body.
pub fn send(addr: SocketAddr, method: &str, path: &str, auth: Option<&str>, body: &str) -> Resp {
    let auth = auth
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    raw(
        addr,
        format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn assert_error(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap_or("")
        .starts_with("application/json"));
    assert!(r.json()["error"].is_string(), "{}", r.body);
}
