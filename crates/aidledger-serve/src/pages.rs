//! Server-rendered HTML pages over the ledger: an overview with charts (inline SVG),
//! the filterable, paged ledger, the systems roll-up, a commitment's timeline with its
//! quotes, an article with its evidence highlighted, and paged full-text search. The
//! CSS and JavaScript are embedded.
//!
//! Every page is an askama template (`templates/`, checked at compile time). Askama's
//! HTML escaping is the one escaping path: every value a template shows is escaped,
//! except [`Markup`], which only holds the output of another template. Ids put into
//! URLs go through [`pct`]; a document's own URL becomes a link only when it is `http:`
//! or `https:`. Bad query parameters give a 400 page (the ledger's re-fills its form),
//! unknown ids a 404 page.

use std::fmt;

use aidledger_store::{Store, StoreError};
use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

mod charts;
mod commitment;
mod document;
mod format;
mod ledger;
mod overview;
mod search;
mod sides;
mod systems;
mod timeline;

pub use document::{highlight, Span};

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

/// Longest accepted query parameter value (bytes).
const MAX_PARAM: usize = 500;

/// The pages and their assets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview::page))
        .route("/ledger", get(ledger::page))
        .route("/systems", get(systems::page))
        .route("/commitments/{id}", get(commitment::page))
        .route("/documents/{*id}", get(document::page))
        .route("/search", get(search::page))
        .route(
            "/assets/app.css",
            get(|| async { asset(CSS, "text/css; charset=utf-8") }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset(JS, "text/javascript; charset=utf-8") }),
        )
}

// ---------------------------------------------------------------------------------
// markup and URLs

/// HTML made by one of the page templates, in which askama escaped every value: the
/// only kind of value a template shows without escaping it.
pub struct Markup(String);

impl Markup {
    fn of(t: &impl Template) -> Result<Markup, PageError> {
        t.render().map(Markup).map_err(|e| internal(&e))
    }

    fn empty() -> Markup {
        Markup(String::new())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Markup {}

/// Percent-encodes everything but RFC 3986 unreserved characters (for path segments
/// and query values).
pub fn pct(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The URL of an external page when it is `http(s)://` (anything else, `javascript:`
/// or `data:`, is shown as text only).
fn external_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    ((lower.starts_with("http://") || lower.starts_with("https://"))
        && !u.chars().any(|c| c.is_control() || c.is_whitespace()))
    .then_some(u)
}

fn doc_href(doc_id: &str) -> String {
    format!("/documents/{}", pct(doc_id))
}

fn commitment_href(id: &str) -> String {
    format!("/commitments/{}", pct(id))
}

/// `path?k=v&...` with the empty values left out.
fn href_with(path: &str, params: &[(&str, &str)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", k, pct(v)))
        .collect();
    if q.is_empty() {
        path.into()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

fn ledger_href(params: &[(&str, &str)]) -> String {
    href_with("/ledger", params)
}

// ---------------------------------------------------------------------------------
// responses

/// Why a page cannot be shown.
#[derive(Debug, Clone)]
enum PageError {
    BadRequest(String),
    NotFound(String),
    Internal(String),
}

impl From<StoreError> for PageError {
    /// A refused request is a 400 with its reason; any other failure a 500 whose
    /// details (which name the database and its path) go to standard error only.
    fn from(e: StoreError) -> PageError {
        match e {
            StoreError::Invalid(m) => PageError::BadRequest(m),
            e => internal(&e),
        }
    }
}

fn internal(detail: &dyn fmt::Display) -> PageError {
    eprintln!("aidledger serve: error: {detail}");
    PageError::Internal("something failed on the server (its log has the details)".into())
}

/// A page's whole HTML.
type PageResult = Result<String, PageError>;

fn html_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

fn asset(body: &'static str, ctype: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTpl<'a> {
    code: u16,
    title: &'a str,
    message: &'a str,
    /// What the page that failed shows under the message (the ledger's form, re-filled).
    extra: Markup,
}

impl PageError {
    fn parts(self) -> (StatusCode, &'static str, String) {
        match self {
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m),
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, "Not found", m),
            PageError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, "Server error", m),
        }
    }

    /// The error page, with `extra` (already rendered) under the message.
    fn page_with(self, active: &str, q: &str, extra: Markup) -> Response {
        let (status, title, msg) = self.parts();
        error_page(status, title, &msg, active, q, extra)
    }
}

/// The error page of `status` (the page errors above, and the refusals of the server's
/// limits: 503, 413, 400), needing no store.
fn error_page(
    status: StatusCode,
    title: &str,
    message: &str,
    active: &str,
    q: &str,
    extra: Markup,
) -> Response {
    let body = ErrorTpl {
        code: status.as_u16(),
        title,
        message,
        extra,
    };
    match Markup::of(&body).and_then(|b| layout(title, active, q, b)) {
        Ok(html) => html_response(status, html),
        Err(_) => (status, format!("{} {title}", status.as_u16())).into_response(),
    }
}

/// The page for a request the server's limits refused (`lib.rs`).
pub(crate) fn refusal(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    error_page(status, title, message, "", "", Markup::empty())
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.page_with("", "", Markup::empty())
    }
}

/// A page computed from the whole ledger, kept until the next write
/// ([`AppState::cached`]): `key` names it. A failure is not kept.
async fn cached_page<F>(state: AppState, key: &str, f: F) -> Response
where
    F: FnOnce(&Store) -> PageResult + Send + 'static,
{
    let r = state
        .cached(key.to_string(), move |store| {
            f(store).map_err(|e| match e {
                PageError::BadRequest(m) | PageError::NotFound(m) | PageError::Internal(m) => {
                    StoreError::Db(m)
                }
            })
        })
        .await;
    match r {
        Ok(body) => html_response(StatusCode::OK, String::clone(&body)),
        Err(e) => internal(&format!("page failed: {e}")).into_response(),
    }
}

/// Runs `f` with the store on a blocking thread and answers with its page.
async fn with_store<F>(state: AppState, f: F) -> Response
where
    F: FnOnce(&Store) -> PageResult + Send + 'static,
{
    let r = state
        .with_store(move |store| Ok::<_, StoreError>(f(store)))
        .await;
    match r {
        Ok(Ok(body)) => html_response(StatusCode::OK, body),
        Ok(Err(e)) => e.into_response(),
        Err(e) => internal(&format!("page failed: {e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "layout.html")]
struct LayoutTpl<'a> {
    title: &'a str,
    active: &'a str,
    /// The search box's value.
    q: &'a str,
    body: Markup,
}

/// The whole page around `body`.
fn layout(title: &str, active: &str, q: &str, body: Markup) -> PageResult {
    LayoutTpl {
        title,
        active,
        q,
        body,
    }
    .render()
    .map_err(|e| internal(&e))
}

/// A page of `body` inside the layout.
fn page_of(title: &str, active: &str, q: &str, body: &impl Template) -> PageResult {
    layout(title, active, q, Markup::of(body)?)
}

// ---------------------------------------------------------------------------------
// query strings

/// Decoded `key=value` pairs; invalid percent-encoding or UTF-8 is a 400.
fn parse_query(raw: Option<&str>) -> Result<Vec<(String, String)>, PageError> {
    let mut out = Vec::new();
    let Some(raw) = raw else { return Ok(out) };
    for part in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = form_decode(k)?;
        let v = form_decode(v)?;
        if v.len() > MAX_PARAM {
            return Err(PageError::BadRequest(format!(
                "the parameter {k} is too long"
            )));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// The pairs as well as they can be read, for re-filling a form on a 400 page: bad
/// percent-escapes are kept as written, bad UTF-8 replaced, long values cut.
fn parse_query_lenient(raw: Option<&str>) -> Vec<(String, String)> {
    let Some(raw) = raw else { return Vec::new() };
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let d = |s: &str| {
                let s = form_decode(s).unwrap_or_else(|_| s.replace('+', " "));
                s.chars().take(MAX_PARAM).collect::<String>()
            };
            (d(k), d(v))
        })
        .collect()
}

fn form_decode(s: &str) -> Result<String, PageError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => {
                        return Err(PageError::BadRequest(
                            "bad percent-encoding in the query".into(),
                        ))
                    }
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| PageError::BadRequest("the query is not UTF-8".into()))
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A whole-number parameter in `0..=max`, else `default`; anything else is a 400.
fn number_param(
    q: &[(String, String)],
    key: &str,
    default: usize,
    max: usize,
) -> Result<usize, PageError> {
    match param(q, key) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| {
                PageError::BadRequest(format!(
                    "{key} must be a whole number up to {max}, not {v:?}"
                ))
            }),
    }
}

use aidledger_ledger::is_record_date as valid_date;

fn path_id(
    p: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<String, PageError> {
    match p {
        Ok(Path(id)) if !id.is_empty() && id.len() <= 1000 => Ok(id),
        _ => Err(PageError::BadRequest("bad id in the path".into())),
    }
}

/// Handlers that take no parameters still refuse a query they cannot read.
fn no_params(raw: &RawQuery) -> Result<(), PageError> {
    parse_query(raw.0.as_deref()).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_queries() {
        assert_eq!(pct("a b/é?#"), "a%20b%2F%C3%A9%3F%23");
        assert_eq!(external_url("javascript:alert(1)"), None);
        assert_eq!(external_url(" https://e.com/a "), Some("https://e.com/a"));
        assert_eq!(external_url("https://e.com/a b"), None);
        assert!(parse_query(Some("a=%ZZ")).is_err());
        assert!(parse_query(Some("a=%FF")).is_err());
        let q = parse_query(Some("donor=U%53A&q=a+b")).unwrap();
        assert_eq!(param(&q, "donor"), Some("USA"));
        assert_eq!(param(&q, "q"), Some("a b"));
        let lenient = parse_query_lenient(Some("donor=US%ZZ&item=HI+MARS"));
        assert_eq!(param(&lenient, "donor"), Some("US%ZZ"));
        assert_eq!(param(&lenient, "item"), Some("HI MARS"));
        assert!(valid_date("2022") && valid_date("2022-05") && valid_date("2022-05-31"));
        assert!(!valid_date("2022-13") && !valid_date("22") && !valid_date("2022-05-x"));
        assert_eq!(
            ledger_href(&[("donor", "US A"), ("item", "")]),
            "/ledger?donor=US%20A"
        );
    }

    #[test]
    fn templates_escape_what_they_show() {
        let html = layout("<b>t</b>", "ledger", "\"><script>", Markup::empty()).unwrap();
        // askama writes the escapes as numeric references
        assert!(
            html.contains("<title>&#60;b&#62;t&#60;/b&#62; · AidLedger"),
            "{html}"
        );
        assert!(
            html.contains("value=\"&#34;&#62;&#60;script&#62;\""),
            "{html}"
        );
        assert_eq!(html.matches("<script").count(), 1, "{html}");
    }
}
