//! `aidledger serve`: a JSON API (`/api/...`, documented at `/api/openapi.json`) and
//! server-rendered pages over the ledger store, in one process with the assets embedded.
//!
//! Read-only unless started with a token; `POST /api/documents` then needs it. A
//! read-only server opens the store read-only ([`Store::open_read_only`]). Bound to
//! loopback by default, with limits against hostile or broken clients ([`Limits`], each
//! a `serve` flag):
//!
//! * a request declaring a `Content-Length` above `max_body_bytes` (16 MiB) is answered
//!   413 at once, before any of its body is read; a chunked body is cut off at the same
//!   size;
//! * a request taking longer than `request_timeout` (10 s), reading its body included,
//!   is answered 503 with `Retry-After`;
//! * at most `max_in_flight` (64) requests are answered at a time; one more is shed at
//!   once with 503 and `Retry-After: 1` instead of queueing;
//! * a connection must send a complete request head within `header_timeout` (10 s) or
//!   is closed (slow-loris), and at most `max_connections` (512) are open at once;
//!   further ones are accepted and closed at once;
//! * reads run on a pool of `read_connections` (8) read-only store connections, beside
//!   the one connection that writes; a request that times out has its query
//!   interrupted ([`state`]).
//!
//! Store calls run on blocking threads (see [`state::AppState::with_store`]); figures
//! computed from the whole ledger are cached until the next write
//! ([`state::AppState::cached`]).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use aidledger_store::Store;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

pub mod api;
pub mod auth;
pub mod openapi;
pub mod pages;
mod params;
pub mod state;

pub use state::AppState;

/// Default longest time one request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Limits against hostile or broken clients (see the crate documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub max_in_flight: usize,
    pub header_timeout: Duration,
    pub max_connections: usize,
    /// Read-only store connections in the pool that answers reads (0: reads share the
    /// server's one connection).
    pub read_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: api::MAX_BODY_BYTES,
            request_timeout: REQUEST_TIMEOUT,
            max_in_flight: 64,
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            read_connections: 8,
        }
    }
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Store location (as `aidledger --db`).
    pub db: String,
    pub addr: SocketAddr,
    /// Writes are accepted only with `Authorization: Bearer TOKEN` when this is set.
    pub token: Option<String>,
    pub limits: Limits,
}

/// The whole application: `/api` and the pages, with the limits applied.
pub fn router(state: AppState) -> Router {
    let app: Router<AppState> = Router::new()
        .nest("/api", api::routes())
        .merge(pages::routes());
    app.layer(middleware::from_fn_with_state(state.clone(), limits))
        .with_state(state)
}

fn retry_after(mut r: Response, secs: u64) -> Response {
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    r
}

/// Refuses oversized declared bodies before reading them, sheds requests beyond the
/// in-flight cap, bounds the request time, and marks every response
/// `X-Content-Type-Options: nosniff`.
async fn limits(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lim = state.limits;
    // pages get their refusals as a page, the API as JSON
    let page = !req.uri().path().starts_with("/api");
    let refuse = |status: StatusCode, msg: String, close: bool| {
        let mut r = if page {
            pages::refusal(status, &msg)
        } else {
            api::ApiError::new(status, msg).into_response()
        };
        if close {
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        r
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    let mut resp = match declared {
        Some(Ok(n)) if n > lim.max_body_bytes as u64 => refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "request body of {n} bytes is larger than the limit of {} bytes",
                lim.max_body_bytes
            ),
            true,
        ),
        Some(Err(_)) => refuse(StatusCode::BAD_REQUEST, "bad Content-Length".into(), true),
        _ => match Arc::clone(&state.in_flight).try_acquire_owned() {
            Err(_) => retry_after(
                refuse(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server is busy; try again shortly".into(),
                    false,
                ),
                1,
            ),
            Ok(permit) => {
                let mut req = req;
                req.extensions_mut()
                    .insert(Deadline(std::time::Instant::now() + lim.request_timeout));
                let r = tokio::time::timeout(lim.request_timeout, next.run(req)).await;
                drop(permit);
                match r {
                    Ok(r) => r,
                    Err(_) => retry_after(
                        refuse(
                            StatusCode::SERVICE_UNAVAILABLE,
                            format!(
                                "the request took longer than {} ms",
                                lim.request_timeout.as_millis()
                            ),
                            true,
                        ),
                        lim.request_timeout.as_secs().max(1),
                    ),
                }
            }
        },
    };
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// When the request in hand will be answered 503 by the limits: handlers that can stop
/// part way (a POSTed batch) stop before it.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub std::time::Instant);

/// Serves `state` on an already bound listener until the task is dropped (tests bind
/// `127.0.0.1:0`).
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let limits = state.limits;
    let app = router(state);
    let mut builder =
        hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
    // hyper enforces the header read timeout only with a timer
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            // out of file descriptors and the like: wait rather than spin
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let builder = Arc::clone(&builder);
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = builder.serve_connection_with_upgrades(io, service).await;
            drop(permit);
        });
    }
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

/// Fewer malloc arenas (glibc): by default every thread that allocates may get an arena
/// of its own, and memory freed in one is not given back to the others or to the
/// system, so the blocking threads that read the store each keep the peak of their
/// largest request. Two arenas keep the server's peak memory about a quarter lower on a
/// large ledger at no measurable cost in latency (BENCHMARKS.md). An explicit
/// `MALLOC_ARENA_MAX` in the environment wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; called before the runtime
        // starts its threads
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// Runs the server until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    limit_malloc_arenas();
    let store = open_store(&opts)?;
    let state = AppState::with_limits(store, opts.token.clone(), opts.db.clone(), opts.limits);
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
