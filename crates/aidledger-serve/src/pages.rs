//! Server-rendered HTML pages over the ledger: an overview with charts (inline SVG),
//! the filterable ledger, a commitment's timeline with its quotes, an article with its
//! evidence highlighted, and full-text search. The CSS and JavaScript are embedded.
//!
//! Everything that comes from articles or the store goes through [`escape`] (text and
//! attribute values alike); ids put into URLs go through [`pct`]; a document's own URL
//! becomes a link only when it is `http:` or `https:`. Bad query parameters give a 400
//! page, unknown ids a 404 page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use aidledger_core::{Record, Status};
use aidledger_ledger::{figures, Commitment, Kind, Stage};
use aidledger_store::{DocumentSummary, LedgerFilter, Store, StoreError};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

mod charts;
mod model;

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

/// Longest accepted query parameter value (bytes).
const MAX_PARAM: usize = 500;
/// Rows shown by the ledger page (the count above the table is of all of them).
const MAX_ROWS: usize = 2000;
/// Documents shown by the search page.
const SEARCH_LIMIT: usize = 50;

/// The pages and their assets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/ledger", get(ledger))
        .route("/systems", get(systems_page))
        .route("/commitments/{id}", get(commitment))
        .route("/documents/{*id}", get(document))
        .route("/search", get(search))
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
// escaping and URLs

/// HTML-escapes text for element content and (quoted) attribute values alike.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for path segments
/// and query values).
pub fn pct(s: &str) -> String {
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

/// An external link only for `http(s)://` URLs; anything else (`javascript:`, `data:`)
/// is shown as text.
fn external_link(url: &str, label: &str) -> String {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if (lower.starts_with("http://") || lower.starts_with("https://"))
        && !u.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        format!(
            r#"<a href="{}" rel="noopener noreferrer nofollow">{}</a>"#,
            escape(u),
            escape(label)
        )
    } else {
        escape(label)
    }
}

fn doc_href(doc_id: &str) -> String {
    format!("/documents/{}", pct(doc_id))
}

fn commitment_href(id: &str) -> String {
    format!("/commitments/{}", pct(id))
}

fn ledger_href(params: &[(&str, &str)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", k, pct(v)))
        .collect();
    if q.is_empty() {
        "/ledger".into()
    } else {
        format!("/ledger?{}", q.join("&"))
    }
}

// ---------------------------------------------------------------------------------
// responses

/// Why a page cannot be shown.
#[derive(Debug)]
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

fn internal(detail: &dyn std::fmt::Display) -> PageError {
    eprintln!("aidledger serve: error: {detail}");
    PageError::Internal("something failed on the server (its log has the details)".into())
}

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

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, msg) = match self {
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m),
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, "Not found", m),
            PageError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, "Server error", m),
        };
        let body = format!(
            r#"<section class="error"><h1>{} {}</h1><p>{}</p><p><a href="/">Overview</a> · <a href="/ledger">Ledger</a></p></section>"#,
            status.as_u16(),
            title,
            escape(&msg)
        );
        html_response(status, layout(title, "", "", &body))
    }
}

/// Runs `f` with the store on a blocking thread and renders its page.
async fn with_store<F>(state: AppState, f: F) -> Response
where
    F: FnOnce(&Store) -> PageResult + Send + 'static,
{
    // a page error travels out of the store call inside the Ok
    match state.with_store(move |store| Ok(f(store))).await {
        Ok(Ok(body)) => html_response(StatusCode::OK, body),
        Ok(Err(e)) => e.into_response(),
        Err(e) => internal(&format!("page failed: {e}")).into_response(),
    }
}

fn layout(title: &str, active: &str, q: &str, body: &str) -> String {
    let nav = |href: &str, key: &str, label: &str| {
        let cur = if key == active {
            r#" aria-current="page""#
        } else {
            ""
        };
        format!(r#"<a href="{href}"{cur}>{label}</a>"#)
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} · AidLedger</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top"><nav>
<a class="brand" href="/">AidLedger</a>
{}{}{}{}
<form class="search" action="/search" method="get" role="search"><input type="search" name="q" value="{}" placeholder="Search articles" aria-label="Search articles"><button type="submit">Search</button></form>
</nav></header>
<main>
{}
</main>
<footer>AidLedger · military aid extracted from the news, with its evidence</footer>
</body>
</html>
"#,
        escape(title),
        nav("/", "overview", "Overview"),
        nav("/ledger", "ledger", "Ledger"),
        nav("/systems", "systems", "Systems"),
        nav("/search", "search", "Search"),
        escape(q),
        body
    )
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

use aidledger_ledger::is_record_date as valid_date;

fn path_id(
    p: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Result<String, PageError> {
    match p {
        Ok(Path(id)) if !id.is_empty() && id.len() <= 1000 => Ok(id),
        _ => Err(PageError::BadRequest("bad id in the path".into())),
    }
}

// ---------------------------------------------------------------------------------
// formatting helpers

fn status_badge(s: Status) -> String {
    format!(r#"<span class="badge status-{0}">{0}</span>"#, s.as_str())
}

/// `USD 2.98 bn`, `EUR 300 m`, `GBP 12,000`.
fn money(amount: f64, currency: &str) -> String {
    let c = escape(currency);
    let a = amount.abs();
    if !amount.is_finite() {
        return c;
    }
    let trim = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if a >= 1e9 {
        format!("{c} {} bn", trim(amount / 1e9))
    } else if a >= 1e6 {
        format!("{c} {} m", trim(amount / 1e6))
    } else {
        format!("{c} {}", group_digits(amount.round() as i64))
    }
}

fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The largest value reported for stages of these statuses.
fn stage_value(c: &Commitment, statuses: &[Status]) -> Option<(f64, String)> {
    let mut best: Option<(f64, String)> = None;
    for s in c.stages.iter().filter(|s| statuses.contains(&s.status)) {
        for v in &s.values {
            if v.value.amount.is_finite() && best.as_ref().is_none_or(|b| v.value.amount > b.0) {
                best = Some((v.value.amount, v.value.currency.clone()));
            }
        }
    }
    best
}

/// The value shown in the ledger: the value as stated (docs/ledger.md), else the largest
/// reported for any stage.
fn headline_value(c: &Commitment) -> Option<(f64, String)> {
    c.value
        .as_ref()
        .map(|v| (v.amount, v.currency.clone()))
        .or_else(|| stage_value(c, &Status::ALL))
}

fn dates(first: Option<&str>, last: Option<&str>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a != b => format!("{} – {}", escape(a), escape(b)),
        (Some(a), _) | (None, Some(a)) => escape(a),
        (None, None) => "—".into(),
    }
}

// ---------------------------------------------------------------------------------
// systems

/// The systems tab: every system's roll-up per donor (aidledger_ledger::figures).
async fn systems_page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    if let Err(e) = parse_query(raw.as_deref()) {
        return e.into_response();
    }
    let body = state
        .cached("systems page".to_string(), |store| {
            Ok(model::render_systems_page(
                &store.commitments(&LedgerFilter::default())?,
            ))
        })
        .await;
    match body {
        Ok(body) => html_response(StatusCode::OK, layout("Systems", "systems", "", &body)),
        Err(e) => internal(&format!("page failed: {e}")).into_response(),
    }
}

// ---------------------------------------------------------------------------------
// overview

async fn overview(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    if let Err(e) = parse_query(raw.as_deref()) {
        return e.into_response();
    }
    // the figures of the whole ledger, computed once per store generation
    let body = state
        .cached("overview page".to_string(), |store| {
            let all = store.commitments(&LedgerFilter::default())?;
            let n_docs = store.document_count()?;
            Ok(render_overview(&all, n_docs))
        })
        .await;
    match body {
        Ok(body) => html_response(StatusCode::OK, layout("Overview", "overview", "", &body)),
        Err(e) => internal(&format!("page failed: {e}")).into_response(),
    }
}

fn render_overview(all: &[Commitment], n_docs: usize) -> String {
    let mut b = String::new();
    let delivered = all.iter().filter(|c| figures::is_delivered(c)).count();
    let donors: BTreeSet<&str> = all.iter().map(|c| c.donor.as_str()).collect();
    let _ = write!(
        b,
        r#"<h1>Overview</h1>
<ul class="stats"><li><b>{}</b> commitments</li><li><b>{}</b> with deliveries</li><li><b>{}</b> donors</li><li><b>{}</b> articles</li></ul>"#,
        all.len(),
        delivered,
        donors.len(),
        n_docs
    );
    if all.is_empty() {
        b.push_str(r#"<p class="empty">The ledger is empty: ingest articles with <code>aidledger ingest</code>, then come back.</p>"#);
        return b;
    }

    // committed vs delivered value by donor, one chart per currency (USD first), by the
    // ledger's one definition (aidledger_ledger::figures): each package once, with its
    // stated value; totals, budgets and flagged commitments never.
    let mut by_donor: BTreeMap<&str, Vec<&Commitment>> = BTreeMap::new();
    for c in all {
        by_donor.entry(c.donor.as_str()).or_default().push(c);
    }
    let mut by_cur: BTreeMap<String, BTreeMap<String, (f64, f64)>> = BTreeMap::new();
    for (donor, cs) in by_donor {
        let sums = figures::sums(cs);
        for (cur, v) in &sums.committed {
            by_cur
                .entry(cur.clone())
                .or_default()
                .entry(donor.to_string())
                .or_default()
                .0 += v;
        }
        for (cur, v) in &sums.delivered {
            by_cur
                .entry(cur.clone())
                .or_default()
                .entry(donor.to_string())
                .or_default()
                .1 += v;
        }
    }
    let mut currencies: Vec<&String> = by_cur.keys().collect();
    currencies.sort_by_key(|c| (c.as_str() != "USD", c.to_string()));
    b.push_str(r#"<section class="card"><h2>Value committed and delivered, by donor</h2>"#);
    if currencies.is_empty() {
        b.push_str(r#"<p class="empty">No values reported yet.</p>"#);
    }
    for cur in currencies {
        let mut rows: Vec<(&String, &(f64, f64))> = by_cur[cur].iter().collect();
        rows.sort_by(|a, b| {
            (b.1 .0.max(b.1 .1))
                .partial_cmp(&a.1 .0.max(a.1 .1))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.cmp(b.0))
        });
        rows.truncate(15);
        let bars: Vec<charts::PairBar> = rows
            .iter()
            .map(|(d, (c, del))| charts::PairBar {
                label: d.to_string(),
                href: ledger_href(&[("donor", d)]),
                a: *c,
                b: *del,
                a_text: money(*c, cur),
                b_text: money(*del, cur),
            })
            .collect();
        let _ = write!(b, "<h3>{}</h3>", escape(cur));
        b.push_str(&charts::pair_bars(
            &bars,
            "committed (packages pledged or approved, each once)",
            "delivered (delivered packages and transfers)",
        ));
    }
    b.push_str(r#"<p class="note">Cumulative totals, budgets and flagged commitments are not in these sums.</p></section>"#);
    b.push_str(&model::render_totals(all));
    b.push_str(&model::render_systems(all));

    // counts by category
    let mut cats: BTreeMap<String, usize> = BTreeMap::new();
    for c in all {
        *cats
            .entry(c.category.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let mut cats: Vec<(String, usize)> = cats.into_iter().collect();
    cats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let bars: Vec<charts::Bar> = cats
        .iter()
        .map(|(cat, n)| charts::Bar {
            label: if cat.is_empty() {
                "uncategorised".into()
            } else {
                cat.clone()
            },
            href: if cat.is_empty() {
                None
            } else {
                Some(ledger_href(&[("category", cat)]))
            },
            value: *n as f64,
            text: n.to_string(),
        })
        .collect();
    b.push_str(r#"<section class="card"><h2>Commitments by category</h2>"#);
    b.push_str(&charts::bars(&bars));
    b.push_str("</section>");

    // stages per month
    let mut months: BTreeMap<String, BTreeMap<Status, usize>> = BTreeMap::new();
    for c in all {
        for s in &c.stages {
            if let Some(m) = s.date().and_then(|d| d.get(..7)).filter(|m| valid_date(m)) {
                *months
                    .entry(m.to_string())
                    .or_default()
                    .entry(s.status)
                    .or_default() += 1;
            }
        }
    }
    let mut months: Vec<(String, BTreeMap<Status, usize>)> = months.into_iter().collect();
    if months.len() > 36 {
        months.drain(..months.len() - 36);
    }
    b.push_str(r#"<section class="card"><h2>Activity by month</h2><p class="hint">Stages reported per month (by the stage's date).</p>"#);
    b.push_str(&charts::months(&months));
    b.push_str("</section>");

    // donors list
    b.push_str(r#"<section class="card"><h2>Donors</h2><p class="chips">"#);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in all {
        *counts.entry(c.donor.as_str()).or_default() += 1;
    }
    for (d, n) in counts {
        let _ = write!(
            b,
            r#"<a class="chip" href="{}">{} <small>{}</small></a> "#,
            escape(&ledger_href(&[("donor", d)])),
            escape(d),
            n
        );
    }
    b.push_str("</p></section>");
    b
}

// ---------------------------------------------------------------------------------
// ledger

const SORTS: [&str; 8] = [
    "donor", "item", "category", "stage", "first", "last", "value", "sources",
];

async fn ledger(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = match parse_query(raw.as_deref()) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let (filter, text, sort) = match ledger_params(&q) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    with_store(state, move |store| {
        let mut rows = store.commitments(&filter)?;
        if let Some(t) = &text {
            let t = t.to_lowercase();
            rows.retain(|c| {
                [
                    c.donor.as_str(),
                    c.item.as_str(),
                    c.recipient.as_deref().unwrap_or(""),
                    c.category.as_deref().unwrap_or(""),
                ]
                .iter()
                .any(|f| f.to_lowercase().contains(&t))
                    || c.summary().to_lowercase().contains(&t)
            });
        }
        sort_rows(&mut rows, sort.as_deref());
        Ok(layout(
            "Ledger",
            "ledger",
            "",
            &render_ledger(&q, &rows, sort.as_deref()),
        ))
    })
    .await
}

type LedgerParams = (LedgerFilter, Option<String>, Option<String>);

fn ledger_params(q: &[(String, String)]) -> Result<LedgerParams, PageError> {
    let s = |k: &str| param(q, k).map(str::to_string);
    let mut f = LedgerFilter {
        donor: s("donor"),
        recipient: s("recipient"),
        item: s("item"),
        category: s("category"),
        ..Default::default()
    };
    if let Some(st) = param(q, "status") {
        f.status = Some(Status::parse(&st.to_ascii_lowercase()).ok_or_else(|| {
            PageError::BadRequest(format!(
                "unknown status {st:?}: use one of {}",
                Status::ALL.map(|s| s.as_str()).join(", ")
            ))
        })?);
    }
    for (key, slot) in [("since", &mut f.since), ("until", &mut f.until)] {
        if let Some(d) = param(q, key) {
            if !valid_date(d) {
                return Err(PageError::BadRequest(format!(
                    "{key} must be YYYY, YYYY-MM or YYYY-MM-DD, not {d:?}"
                )));
            }
            *slot = Some(d.to_string());
        }
    }
    if let Some(k) = param(q, "kind") {
        f.kind = Some(Kind::parse(&k.to_ascii_lowercase()).ok_or_else(|| {
            PageError::BadRequest(format!(
                "unknown kind {k:?}: use one of {}",
                Kind::ALL.map(|k| k.as_str()).join(", ")
            ))
        })?);
    }
    if let Some(n) = param(q, "min_sources") {
        f.min_sources = Some(
            n.parse::<usize>()
                .ok()
                .filter(|n| *n <= 100_000)
                .ok_or_else(|| {
                    PageError::BadRequest(format!("min_sources must be a whole number, not {n:?}"))
                })?,
        );
    }
    let sort = match param(q, "sort") {
        None => None,
        Some(v) => {
            if !SORTS.contains(&v.trim_start_matches('-')) {
                return Err(PageError::BadRequest(format!(
                    "unknown sort {v:?}: use one of {} (prefix - for descending)",
                    SORTS.join(", ")
                )));
            }
            Some(v.to_string())
        }
    };
    Ok((f, s("q"), sort))
}

fn sort_rows(rows: &mut [Commitment], sort: Option<&str>) {
    let Some(sort) = sort else { return };
    let desc = sort.starts_with('-');
    let key = sort.trim_start_matches('-');
    let stage_rank = |s: Status| Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
    rows.sort_by(|a, b| {
        let o = match key {
            "donor" => a.donor.cmp(&b.donor),
            "item" => a.item.to_lowercase().cmp(&b.item.to_lowercase()),
            "category" => a.category.cmp(&b.category),
            "stage" => stage_rank(a.status).cmp(&stage_rank(b.status)),
            "first" => a.first_date.cmp(&b.first_date),
            "last" => a.last_date.cmp(&b.last_date),
            "value" => {
                let v = |c: &Commitment| headline_value(c).map(|v| v.0).unwrap_or(-1.0);
                v(a).partial_cmp(&v(b)).unwrap_or(std::cmp::Ordering::Equal)
            }
            "sources" => a.sources.len().cmp(&b.sources.len()),
            _ => std::cmp::Ordering::Equal,
        };
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| a.id.cmp(&b.id))
    });
}

fn render_ledger(q: &[(String, String)], rows: &[Commitment], sort: Option<&str>) -> String {
    let v = |k: &str| escape(param(q, k).unwrap_or(""));
    let mut b = String::new();
    b.push_str("<h1>Ledger</h1>");
    let _ = write!(
        b,
        r#"<form class="filters" action="/ledger" method="get">
<label>Donor <input name="donor" value="{}" placeholder="USA"></label>
<label>Recipient <input name="recipient" value="{}" placeholder="UKR"></label>
<label>Item <input name="item" value="{}" placeholder="NASAMS"></label>
<label>Category <input name="category" value="{}"></label>
<label>Kind <select name="kind"><option value="">any</option>{}</select></label>
<label>Stage <select name="status"><option value="">any</option>{}</select></label>
<label>Since <input name="since" value="{}" placeholder="2022-05"></label>
<label>Until <input name="until" value="{}" placeholder="2023"></label>
<label>Min. sources <input name="min_sources" value="{}" inputmode="numeric"></label>
<label>Text <input type="search" name="q" value="{}"></label>
<input type="hidden" name="sort" value="{}">
<div class="buttons"><button type="submit">Filter</button> <a href="/ledger">Reset</a></div>
</form>"#,
        v("donor"),
        v("recipient"),
        v("item"),
        v("category"),
        Kind::ALL
            .iter()
            .map(|k| {
                let sel = if param(q, "kind").map(str::to_ascii_lowercase).as_deref()
                    == Some(k.as_str())
                {
                    " selected"
                } else {
                    ""
                };
                format!(r#"<option value="{0}"{sel}>{0}</option>"#, k.as_str())
            })
            .collect::<String>(),
        Status::ALL
            .iter()
            .map(|s| {
                let sel = if param(q, "status").map(str::to_ascii_lowercase).as_deref()
                    == Some(s.as_str())
                {
                    " selected"
                } else {
                    ""
                };
                format!(r#"<option value="{0}"{sel}>{0}</option>"#, s.as_str())
            })
            .collect::<String>(),
        v("since"),
        v("until"),
        v("min_sources"),
        v("q"),
        v("sort"),
    );
    let _ = write!(
        b,
        r#"<p class="count">{} commitment{}</p>"#,
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    if rows.len() > MAX_ROWS {
        let _ = write!(
            b,
            r#"<p class="hint">Showing the first {MAX_ROWS}: narrow the filters to see the others.</p>"#
        );
    }
    let rows = &rows[..rows.len().min(MAX_ROWS)];
    if rows.is_empty() {
        b.push_str(r#"<p class="empty">No commitment matches these filters.</p>"#);
        return b;
    }
    // keep the filters in the sort links
    // (the API's filter parameters, and the page's own text query)
    let kept: Vec<(&str, &str)> = crate::params::FILTER_PARAMS
        .iter()
        .chain(&["q"])
        .filter_map(|k| param(q, k).map(|v| (*k, v)))
        .collect();
    let th = |key: &str, label: &str| {
        let (next, mark) = match sort {
            Some(s) if s == key => (format!("-{key}"), " ▲"),
            Some(s) if s.strip_prefix('-') == Some(key) => (key.to_string(), " ▼"),
            _ => (key.to_string(), ""),
        };
        let mut p = kept.clone();
        p.push(("sort", &next));
        format!(
            r#"<th scope="col"><a href="{}">{}{}</a></th>"#,
            escape(&ledger_href(&p)),
            label,
            mark
        )
    };
    b.push_str(r#"<div class="table-wrap"><table class="ledger"><thead><tr>"#);
    for (k, l) in [
        ("donor", "Donor"),
        ("item", "Item"),
        ("category", "Category"),
        ("stage", "Stage"),
        ("first", "First"),
        ("last", "Last"),
        ("value", "Value"),
        ("sources", "Sources"),
    ] {
        b.push_str(&th(k, l));
    }
    b.push_str("<th scope=\"col\"></th></tr></thead><tbody>");
    for c in rows {
        let val = headline_value(c)
            .map(|(a, cur)| money(a, &cur))
            .unwrap_or_else(|| "—".into());
        let recipient = c
            .recipient
            .as_deref()
            .map(|r| format!(" → {}", escape(r)))
            .unwrap_or_default();
        let item_filter = match &c.subject {
            aidledger_ledger::Subject::Package { .. } => {
                ledger_href(&[("donor", &c.donor), ("item", &c.item)])
            }
            _ => ledger_href(&[("item", &c.item)]),
        };
        let _ = write!(
            b,
            r#"<tr><td><a href="{}">{}</a>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td><a class="more" href="{}">details</a></td></tr>"#,
            escape(&ledger_href(&[("donor", &c.donor)])),
            escape(&c.donor),
            recipient,
            escape(&item_filter),
            escape(&c.item),
            c.category
                .as_deref()
                .map(|cat| format!(
                    r#"<a href="{}">{}</a>"#,
                    escape(&ledger_href(&[("category", cat)])),
                    escape(cat)
                ))
                .unwrap_or_default(),
            status_badge(c.status),
            c.first_date.as_deref().map(escape).unwrap_or_default(),
            c.last_date.as_deref().map(escape).unwrap_or_default(),
            val,
            c.sources.len(),
            escape(&commitment_href(&c.id)),
        );
    }
    b.push_str("</tbody></table></div>");
    b
}

// ---------------------------------------------------------------------------------
// one commitment

/// The stages of the usual life, drawn even when not reported.
const LIFE: [Status; 6] = [
    Status::Requested,
    Status::Considering,
    Status::Pledged,
    Status::Approved,
    Status::Expedited,
    Status::Delivered,
];

async fn commitment(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let id = match path_id(id) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    with_store(state, move |store| {
        let c = store
            .commitment(&id)?
            .ok_or_else(|| PageError::NotFound(format!("no commitment {id:?} in the ledger")))?;
        let cited: Vec<&str> = c.doc_ids.iter().map(String::as_str).collect();
        let titles: HashMap<String, Option<String>> = store
            .documents_by_id(&cited)?
            .into_iter()
            .map(|d| (d.id, d.title))
            .collect();
        Ok(layout(
            &format!("{} {}", c.donor, c.item),
            "ledger",
            "",
            &render_commitment(&c, &titles),
        ))
    })
    .await
}

fn render_commitment(c: &Commitment, titles: &HashMap<String, Option<String>>) -> String {
    let mut b = String::new();
    let _ = write!(
        b,
        r#"<p class="crumbs"><a href="/ledger">Ledger</a> › <a href="{}">{}</a></p>
<h1>{} <small>{}{}</small></h1>
<p class="summary">{}</p>
<dl class="facts"><dt>Stage</dt><dd>{}</dd><dt>Category</dt><dd>{}</dd><dt>Kind</dt><dd>{}</dd><dt>Dates</dt><dd>{}</dd><dt>Sources</dt><dd>{}</dd></dl>"#,
        escape(&ledger_href(&[("donor", &c.donor)])),
        escape(&c.donor),
        match (&c.subject, &c.value) {
            (aidledger_ledger::Subject::Package { .. }, Some(v)) => {
                format!("{} package", money(v.amount, &v.currency))
            }
            _ => escape(&c.item),
        },
        escape(&c.donor),
        c.recipient
            .as_deref()
            .map(|r| format!(" → {}", escape(r)))
            .unwrap_or_default(),
        escape(&c.summary()),
        status_badge(c.status),
        c.category
            .as_deref()
            .map(escape)
            .unwrap_or_else(|| "—".into()),
        c.kind.as_str(),
        dates(c.first_date.as_deref(), c.last_date.as_deref()),
        if c.sources.is_empty() {
            "—".to_string()
        } else {
            c.sources
                .iter()
                .map(|s| escape(s))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );

    b.push_str(&model::render_facts(c));

    // the timeline: the usual life, then any stops and resumptions
    b.push_str(r#"<h2>Timeline</h2><ol class="timeline">"#);
    let mut shown: Vec<Status> = LIFE.to_vec();
    shown.extend(
        c.stages
            .iter()
            .map(|s| s.status)
            .filter(|s| !LIFE.contains(s)),
    );
    for st in shown {
        match c.stage(st) {
            Some(s) => {
                let _ = write!(
                    b,
                    r##"<li class="reached status-{0}"><a href="#stage-{0}"><span class="dot"></span><span class="name">{0}</span><span class="date">{1}</span></a></li>"##,
                    st.as_str(),
                    s.date()
                        .map(escape)
                        .unwrap_or_else(|| "date unknown".into())
                );
            }
            None => {
                let _ = write!(
                    b,
                    r#"<li class="missing"><span class="dot"></span><span class="name">{}</span><span class="date">not reported</span></li>"#,
                    st.as_str()
                );
            }
        }
    }
    b.push_str("</ol>");

    for s in &c.stages {
        render_stage(&mut b, s, titles);
    }
    b
}

fn render_stage(b: &mut String, s: &Stage, titles: &HashMap<String, Option<String>>) {
    let st = s.status.as_str();
    let _ = write!(
        b,
        r#"<section class="stage card" id="stage-{st}"><h2>{}</h2><dl class="facts">"#,
        status_badge(s.status)
    );
    let reported = |vals: Vec<(String, usize)>| -> String {
        if vals.is_empty() {
            return "—".into();
        }
        vals.into_iter()
            .map(|(v, n)| {
                format!(
                    "{v} <small>({n} doc{})</small>",
                    if n == 1 { "" } else { "s" }
                )
            })
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let _ = write!(
        b,
        "<dt>Dates</dt><dd>{}</dd>",
        reported(
            s.dates
                .iter()
                .map(|d| (escape(&d.value), d.doc_ids.len()))
                .collect()
        )
    );
    // the other figures, each only when reported
    let figures: [(&str, Vec<(String, usize)>); 3] = [
        (
            "Quantity",
            s.quantities
                .iter()
                .map(|q| (q.value.to_string(), q.doc_ids.len()))
                .collect(),
        ),
        (
            "Value",
            s.values
                .iter()
                .map(|v| (money(v.value.amount, &v.value.currency), v.doc_ids.len()))
                .collect(),
        ),
        (
            "Said by",
            s.asserted_by
                .iter()
                .map(|a| (escape(&a.value), a.doc_ids.len()))
                .collect(),
        ),
    ];
    for (label, vals) in figures {
        if !vals.is_empty() {
            let _ = write!(b, "<dt>{label}</dt><dd>{}</dd>", reported(vals));
        }
    }
    let _ = write!(
        b,
        "<dt>Sources</dt><dd>{}</dd></dl>",
        if s.sources.is_empty() {
            "—".into()
        } else {
            s.sources
                .iter()
                .map(|x| escape(x))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    for e in &s.evidence {
        let title = titles
            .get(&e.doc_id)
            .cloned()
            .flatten()
            .unwrap_or_else(|| e.doc_id.clone());
        let _ = write!(
            b,
            r#"<blockquote class="quote status-{st}"><a href="{}">{}</a><footer>— <a href="{}">{}</a>{}{}</footer></blockquote>"#,
            escape(&format!("{}#ev-{}", doc_href(&e.doc_id), e.start)),
            escape(&e.text),
            escape(&doc_href(&e.doc_id)),
            escape(&title),
            e.source
                .as_deref()
                .map(|x| format!(", {}", escape(x)))
                .unwrap_or_default(),
            e.published
                .as_deref()
                .map(|x| format!(", {}", escape(x)))
                .unwrap_or_default(),
        );
    }
    b.push_str("</section>");
}

// ---------------------------------------------------------------------------------
// one document

async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let id = match path_id(id) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let all = match state.commitments(LedgerFilter::default()).await {
        Ok(all) => all,
        Err(e) => return internal(&format!("page failed: {e}")).into_response(),
    };
    with_store(state, move |store| {
        let Some((summary, text, records)) = store.document(&id)? else {
            return Err(PageError::NotFound(format!(
                "no document {id:?} in the store"
            )));
        };
        // which commitment each evidence span of this document feeds
        let mut feeds: HashMap<usize, (String, String)> = HashMap::new();
        for c in all.iter() {
            for s in &c.stages {
                for e in s.evidence.iter().filter(|e| e.doc_id == id) {
                    feeds
                        .entry(e.start)
                        .or_insert_with(|| (c.id.clone(), format!("{} {}", c.donor, c.item)));
                }
            }
        }
        let title = summary.title.clone().unwrap_or_else(|| summary.id.clone());
        Ok(layout(
            &title,
            "",
            "",
            &render_document(&summary, &text, &records, &feeds),
        ))
    })
    .await
}

/// One evidence span to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub status: Status,
    /// Index of the record in the document's list.
    pub record: usize,
}

/// The text as HTML with the spans as `<mark>`s. Spans that are empty, out of range or
/// not on character boundaries are skipped. Overlapping spans are flattened: the text
/// is cut at every span edge and each piece covered by spans becomes one `<mark>`
/// (coloured by the earliest-starting span covering it, marked `overlap` when several
/// do); each distinct start gets the id `ev-{start}` on the piece it begins.
pub fn highlight(text: &str, spans: &[Span]) -> String {
    let mut spans: Vec<&Span> = spans
        .iter()
        .filter(|s| s.start < s.end && text.get(s.start..s.end).is_some())
        .collect();
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end), s.record));
    let mut cuts: BTreeSet<usize> = BTreeSet::new();
    cuts.insert(0);
    cuts.insert(text.len());
    for s in &spans {
        cuts.insert(s.start);
        cuts.insert(s.end);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut ids_done: BTreeSet<usize> = BTreeSet::new();
    let mut out = String::with_capacity(text.len() * 11 / 10);
    for w in cuts.windows(2) {
        let (a, z) = (w[0], w[1]);
        let Some(piece) = text.get(a..z) else {
            continue;
        };
        let cover: Vec<&&Span> = spans
            .iter()
            .filter(|s| s.start <= a && z <= s.end)
            .collect();
        if cover.is_empty() {
            out.push_str(&escape(piece));
            continue;
        }
        let first = cover[0];
        let mut class = format!("ev status-{}", first.status.as_str());
        if cover.len() > 1 {
            class.push_str(" overlap");
        }
        let recs: BTreeSet<usize> = cover.iter().map(|s| s.record).collect();
        let statuses: BTreeSet<&str> = cover.iter().map(|s| s.status.as_str()).collect();
        let id = if spans.iter().any(|s| s.start == a) && ids_done.insert(a) {
            format!(r#" id="ev-{a}""#)
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r#"<mark class="{class}"{id} data-rec="{}" title="{}">{}</mark>"#,
            recs.iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            statuses.into_iter().collect::<Vec<_>>().join(", "),
            escape(piece)
        );
    }
    out
}

fn render_document(
    d: &DocumentSummary,
    text: &str,
    records: &[Record],
    feeds: &HashMap<usize, (String, String)>,
) -> String {
    let mut b = String::new();
    let title = d.title.clone().unwrap_or_else(|| d.id.clone());
    let _ = write!(
        b,
        r#"<p class="crumbs"><a href="/search">Articles</a> › {}</p><h1>{}</h1><p class="meta">"#,
        escape(&d.id),
        escape(&title)
    );
    let mut meta: Vec<String> = Vec::new();
    if let Some(s) = &d.source {
        meta.push(escape(s));
    }
    if let Some(p) = &d.published {
        meta.push(escape(p));
    }
    if let Some(l) = &d.lang {
        meta.push(escape(l));
    }
    if let Some(u) = &d.url {
        meta.push(external_link(u, u));
    }
    b.push_str(&meta.join(" · "));
    b.push_str("</p>");

    let spans: Vec<Span> = records
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.evidence.iter().map(move |e| Span {
                start: e.start,
                end: e.end,
                status: r.status,
                record: i,
            })
        })
        .collect();
    let used: BTreeSet<&str> = records.iter().map(|r| r.status.as_str()).collect();
    b.push_str(r#"<div class="doc-grid"><article class="doc-text" id="text">"#);
    b.push_str(&highlight(text, &spans));
    b.push_str(r#"</article><aside class="records"><h2>Records</h2>"#);
    if !used.is_empty() {
        b.push_str(r#"<p class="legend">"#);
        for s in &used {
            let _ = write!(b, r#"<span class="badge status-{s}">{s}</span> "#);
        }
        b.push_str("</p>");
    }
    if records.is_empty() {
        b.push_str(r#"<p class="empty">No aid record was extracted from this article.</p>"#);
    }
    b.push_str(r#"<ol class="record-list">"#);
    for (i, r) in records.iter().enumerate() {
        let _ = write!(
            b,
            r#"<li class="record" data-rec="{i}">{} {}"#,
            status_badge(r.status),
            record_line(r)
        );
        b.push_str(r#"<ul class="ev-links">"#);
        for e in &r.evidence {
            let ok = e.start < e.end && text.get(e.start..e.end).is_some();
            if ok {
                let _ = write!(
                    b,
                    r##"<li><a href="#ev-{}">“{}”</a>"##,
                    e.start,
                    escape(&shorten(&e.text, 90))
                );
            } else {
                let _ = write!(
                    b,
                    r#"<li class="missing">“{}” <small>(not found in the text)</small>"#,
                    escape(&shorten(&e.text, 90))
                );
            }
            if let Some((cid, label)) = feeds.get(&e.start) {
                let _ = write!(
                    b,
                    r#" <a class="more" href="{}">ledger: {}</a>"#,
                    escape(&commitment_href(cid)),
                    escape(label)
                );
            }
            b.push_str("</li>");
        }
        b.push_str("</ul></li>");
    }
    b.push_str("</ol></aside></div>");
    b
}

/// `USA, GBR → UKR: 6 NASAMS, artillery (USD 2.98 bn), 2022-08-24, said by Pentagon`.
fn record_line(r: &Record) -> String {
    let mut s = escape(&r.donors.join(", "));
    if let Some(rc) = &r.recipient {
        let _ = write!(s, " → {}", escape(rc));
    }
    let items: Vec<String> = r
        .items
        .iter()
        .map(|it| match it.quantity {
            Some(q) => format!("{q} {}", escape(&it.name)),
            None => escape(&it.name),
        })
        .collect();
    if !items.is_empty() {
        let _ = write!(s, ": {}", items.join(", "));
    }
    if let Some(v) = &r.value {
        let _ = write!(s, " ({})", money(v.amount, &v.currency));
    }
    if let Some(d) = &r.date {
        let _ = write!(s, ", {}", escape(d));
    }
    if let Some(a) = &r.asserted_by {
        let _ = write!(s, ", said by {}", escape(a));
    }
    s
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

// ---------------------------------------------------------------------------------
// search

async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = match parse_query(raw.as_deref()) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let text = param(&q, "q").unwrap_or("").to_string();
    with_store(state, move |store| {
        let mut b = String::new();
        b.push_str("<h1>Search articles</h1>");
        let _ = write!(
            b,
            r#"<form class="filters" action="/search" method="get"><label>Words <input type="search" name="q" value="{}" autofocus></label><div class="buttons"><button type="submit">Search</button></div></form>"#,
            escape(&text)
        );
        if text.is_empty() {
            let docs = store.documents()?;
            let _ = write!(b, r#"<p class="count">{} article{} stored</p><ul class="results">"#, docs.len(), if docs.len() == 1 { "" } else { "s" });
            for d in docs.iter().take(200) {
                let _ = write!(b, "<li>{}</li>", doc_title_line(d));
            }
            b.push_str("</ul>");
        } else {
            let hits = store.search(&text, SEARCH_LIMIT)?;
            let _ = write!(b, r#"<p class="count">{} article{} match</p>"#, hits.len(), if hits.len() == 1 { "" } else { "s" });
            b.push_str(r#"<ul class="results">"#);
            for (d, recs) in &hits {
                let _ = write!(b, "<li>{}", doc_title_line(d));
                if !recs.is_empty() {
                    b.push_str(r#"<ul class="recs">"#);
                    for r in recs {
                        let link = r.evidence.first().map(|e| format!(r#" <a class="more" href="{}">quote</a>"#, escape(&format!("{}#ev-{}", doc_href(&d.id), e.start)))).unwrap_or_default();
                        let _ = write!(b, "<li>{} {}{}</li>", status_badge(r.status), record_line(r), link);
                    }
                    b.push_str("</ul>");
                }
                b.push_str("</li>");
            }
            b.push_str("</ul>");
        }
        Ok(layout("Search", "search", &text, &b))
    })
    .await
}

fn doc_title_line(d: &DocumentSummary) -> String {
    let title = d.title.clone().unwrap_or_else(|| d.id.clone());
    let meta: Vec<String> = [d.source.as_deref(), d.published.as_deref()]
        .into_iter()
        .flatten()
        .map(escape)
        .collect();
    format!(
        r#"<a href="{}">{}</a> <small>{}</small>"#,
        escape(&doc_href(&d.id)),
        escape(&title),
        meta.join(" · ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_dangerous() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;"
        );
        assert_eq!(pct("a b/é?#"), "a%20b%2F%C3%A9%3F%23");
        assert_eq!(external_link("javascript:alert(1)", "x"), "x");
        assert!(external_link("https://e.com/a?b=\"c\"", "l").contains("&quot;c&quot;"));
    }

    #[test]
    fn highlight_handles_overlaps_and_bad_offsets() {
        let text = "aé<b>cdef";
        let spans = [
            Span {
                start: 0,
                end: 3,
                status: Status::Delivered,
                record: 0,
            },
            Span {
                start: 2,
                end: 7,
                status: Status::Pledged,
                record: 1,
            }, // starts inside é
            Span {
                start: 1,
                end: 7,
                status: Status::Pledged,
                record: 2,
            },
            Span {
                start: 1,
                end: 2,
                status: Status::Pledged,
                record: 1,
            }, // inside é
            Span {
                start: 5,
                end: 500,
                status: Status::Pledged,
                record: 1,
            },
            Span {
                start: 4,
                end: 4,
                status: Status::Pledged,
                record: 1,
            },
        ];
        let h = highlight(text, &spans);
        assert!(
            h.contains(r#"id="ev-0""#) && h.contains(r#"id="ev-1""#),
            "{h}"
        );
        assert!(
            h.contains(r#"<mark class="ev status-delivered overlap" id="ev-1" data-rec="0 2""#),
            "{h}"
        );
        assert!(h.contains("&lt;b&gt;"));
        assert!(!h.contains("<b>"));
        assert_eq!(h.matches("id=").count(), 2);
        assert!(h.ends_with("</mark>def"), "{h}");
    }

    #[test]
    fn queries() {
        assert!(parse_query(Some("a=%ZZ")).is_err());
        assert!(parse_query(Some("a=%FF")).is_err());
        let q = parse_query(Some("donor=U%53A&q=a+b")).unwrap();
        assert_eq!(param(&q, "donor"), Some("USA"));
        assert_eq!(param(&q, "q"), Some("a b"));
        assert!(valid_date("2022") && valid_date("2022-05") && valid_date("2022-05-31"));
        assert!(!valid_date("2022-13") && !valid_date("22") && !valid_date("2022-05-x"));
        assert_eq!(money(2.98e9, "USD"), "USD 2.98 bn");
        assert_eq!(money(12000.0, "EUR"), "EUR 12,000");
    }
}
