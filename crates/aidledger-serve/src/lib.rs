//! `aidledger serve`: a JSON API (`/api/...`, documented at `/api/openapi.json`) and
//! server-rendered pages over the ledger store, in one process with the assets embedded.
//!
//! Read-only unless started with a token; `POST /api/documents` then needs it. A
//! read-only server opens the store read-only ([`Store::open_read_only`]). Bound to
//! loopback by default, with body-size and request-time limits:
//!
//! * a request declaring a `Content-Length` above [`api::MAX_BODY_BYTES`] (16 MiB) is
//!   answered 413 at once, before any of its body is read; a chunked body is cut off at
//!   the same size;
//! * a request taking longer than [`REQUEST_TIMEOUT`] (30 s) is answered 503.
//!
//! Store calls run on blocking threads (see [`state::AppState::with_store`]).

use std::net::SocketAddr;
use std::time::Duration;

use aidledger_store::Store;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

pub mod api;
pub mod auth;
pub mod openapi;
pub mod pages;
mod params;
pub mod state;

pub use state::AppState;

/// Longest time one request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Store location (as `aidledger --db`).
    pub db: String,
    pub addr: SocketAddr,
    /// Writes are accepted only with `Authorization: Bearer TOKEN` when this is set.
    pub token: Option<String>,
}

/// The whole application: `/api` and the pages, with the limits applied.
pub fn router(state: AppState) -> Router {
    let app: Router<AppState> = Router::new()
        .nest("/api", api::routes())
        .merge(pages::routes());
    app.layer(middleware::from_fn(limits)).with_state(state)
}

/// Refuses oversized declared bodies before reading them, bounds the request time, and
/// marks every response `X-Content-Type-Options: nosniff`.
async fn limits(req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    let mut resp = match declared {
        Some(Ok(n)) if n > api::MAX_BODY_BYTES as u64 => api::ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "request body of {n} bytes is larger than the limit of {} MiB",
                api::MAX_BODY_BYTES >> 20
            ),
        )
        .into_response_with_close(),
        Some(Err(_)) => api::ApiError::new(StatusCode::BAD_REQUEST, "bad Content-Length")
            .into_response_with_close(),
        _ => match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
            Ok(r) => r,
            Err(_) => api::ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the request took longer than {} s",
                    REQUEST_TIMEOUT.as_secs()
                ),
            )
            .into_response_with_close(),
        },
    };
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// Serves `state` on an already bound listener until the task is dropped (tests bind
/// `127.0.0.1:0`).
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

/// The store of a server: read-write when it accepts writes (a non-empty token),
/// read-only otherwise ([`Store::open_read_only`]: a missing database is an error, not
/// created; nothing is written).
pub fn open_store(opts: &ServeOptions) -> Result<Store, String> {
    let store = if opts.token.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        Store::open(&opts.db)
    } else {
        Store::open_read_only(&opts.db)
    };
    store.map_err(|e| match e {
        aidledger_store::StoreError::Missing(_) => e.to_string(),
        e => format!("{}: {e}", opts.db),
    })
}

/// Runs the server until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let store = open_store(&opts)?;
    let state = AppState::new(store, opts.token.clone(), opts.db.clone());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", opts.addr))?;
        let addr = listener.local_addr().unwrap_or(opts.addr);
        if !addr.ip().is_loopback() {
            eprintln!(
                "aidledger serve: warning: listening on {addr}, reachable from other machines"
            );
        }
        eprintln!(
            "aidledger serve: http://{addr}/ ({}, {})",
            state.db,
            if state.token.is_some() {
                "writes need the token"
            } else {
                "read-only"
            }
        );
        serve_on(listener, state)
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}
