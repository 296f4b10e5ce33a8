//! The JSON API under `/api` (described for machines at `/api/openapi.json`).
//!
//! * `GET /api/commitments` — the ledger, filtered, sorted and paged in SQL: `total`,
//!   `limit`, `offset`, `next` and one summary per commitment ([`list_item`]).
//! * `GET /api/commitments/{id}` — one commitment.
//! * `GET /api/documents/{id}` — a stored document's metadata and its records with
//!   evidence spans.
//! * `GET /api/search?q=` — full-text search: documents with their records.
//! * `GET /api/aggregates?by=` — counts and committed/delivered values per key.
//! * `POST /api/documents` — ingest documents (needs the server's write token).
//!
//! Every error is JSON `{"error": "..."}` with its status: bad parameters are 400 (never
//! 500), unknown ids and paths 404. A 500 says only that something failed inside: its
//! details (which name the database and its path) go to the server's standard error. Responses are `application/json` with `<`, `>` and
//! `&` written as `\u003c`, `\u003e`, `\u0026` so that no article text can be read as
//! markup even by a browser that sniffs.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use aidledger_core::{Document, ExtractOptions, Extractor};
use aidledger_ledger::{figures, Commitment};
use aidledger_store::{check_document_id, DocumentSummary, Order, StoreError, SumsBy};
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
use axum::Router;
use serde_json::{json, Value as Json};

use crate::params::{ledger_filter, Params, FILTER_PARAMS};
use crate::state::{AppState, StoreCallError};

/// Default largest request body accepted (`serve --max-body-bytes`; a larger declared `Content-Length` is refused before
/// any of the body is read).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Default and largest page size of `/api/commitments`.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;
/// Default and largest number of documents of `/api/search`.
pub const DEFAULT_SEARCH_LIMIT: usize = 20;
pub const MAX_SEARCH_LIMIT: usize = 100;

/// The `/api` routes (to be nested under `/api`), with a JSON 404 for unknown paths and
/// a JSON 405 for wrong methods.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/commitments", get(list_commitments))
        .route("/commitments/{id}", get(one_commitment))
        .route(
            "/commitments/{id}/confirmation",
            axum::routing::put(confirm).delete(unconfirm),
        )
        .route("/documents", axum::routing::post(post_documents))
        // ids may hold slashes ("wh/articles/2022-03/..."): take the rest of the path
        .route("/documents/{*id}", get(one_document))
        .route("/search", get(search))
        .route("/aggregates", get(aggregates))
        .route("/systems", get(systems))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

// ---------------------------------------------------------------------------------------
// Responses and errors

/// An API error: a status and a message, sent as `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
    /// A 500: `detail` goes to standard error, the client is told only that it failed.
    pub fn internal(detail: &dyn std::fmt::Display) -> ApiError {
        eprintln!("aidledger serve: error: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error (the server log has the details)",
        )
    }
}

impl From<StoreCallError> for ApiError {
    /// A refused request ([`StoreError::Invalid`]) is a 400 with its reason; anything
    /// else a 500 that names nothing internal (the details are logged).
    fn from(e: StoreCallError) -> ApiError {
        match e {
            StoreCallError::Store(StoreError::Invalid(m)) => ApiError::bad_request(m),
            e => ApiError::internal(&e),
        }
    }
}

impl ApiError {
    /// The response with `Connection: close`: for refusals sent before the request body
    /// was read, so the client does not go on sending it on this connection.
    pub fn into_response_with_close(self) -> Response {
        let mut r = self.into_response();
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        r
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &json!({ "error": self.message }))
    }
}

type ApiResult = Result<Response, ApiError>;

/// Serialises `value` as the body of an `application/json` response, with `<`, `>` and
/// `&` escaped (they occur only inside JSON strings, so the result is the same JSON).
pub fn json_response(status: StatusCode, value: &Json) -> Response {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            c => escaped.push(c),
        }
    }
    let mut r = (status, escaped).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn ok(value: Json) -> ApiResult {
    Ok(json_response(StatusCode::OK, &value))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such API endpoint; see /api/openapi.json")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed on this endpoint; see /api/openapi.json",
    )
}

// ---------------------------------------------------------------------------------------
// Commitments

const SORTS: &str = "date, sources, value, donor, item";

/// How many sources a list item names (the commitment's page has them all).
pub const LIST_SOURCES: usize = 3;

/// A year parameter (`YYYY`).
fn year_param(p: &Params) -> Result<Option<String>, ApiError> {
    match p.text("year") {
        None => Ok(None),
        Some(y) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(y)),
        Some(y) => Err(ApiError::bad_request(format!(
            "parameter year must be a year YYYY, not {y:?}"
        ))),
    }
}

/// Percent-encodes a query component (everything but RFC 3986 unreserved characters).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The link to the page after this one, with the same parameters, if there is one.
fn next_link(
    path: &str,
    p: &Params,
    names: &[&str],
    offset: usize,
    limit: usize,
    total: usize,
) -> Json {
    let next = offset.saturating_add(limit);
    if limit == 0 || next >= total {
        return Json::Null;
    }
    let mut parts: Vec<String> = names
        .iter()
        .filter(|n| !matches!(**n, "offset" | "limit"))
        .filter_map(|n| p.text(n).map(|v| format!("{n}={}", encode(&v))))
        .collect();
    parts.push(format!("limit={limit}"));
    parts.push(format!("offset={next}"));
    json!(format!("{path}?{}", parts.join("&")))
}

/// A commitment as a list shows it: the analyst's columns ([`figures::row`]), its
/// item, dates and stages, how many sources and documents, the first
/// [`LIST_SOURCES`] sources, and the link to the whole commitment (with every
/// document id and evidence sentence).
pub fn list_item(c: &Commitment) -> Json {
    let r = figures::row(c);
    json!({
        "id": r.id,
        "href": format!("/api/commitments/{}", c.id),
        "kind": r.kind,
        "donor": r.donor,
        "recipient": r.recipient,
        "item": c.item,
        "category": c.category,
        "announced": r.announced,
        "first_date": c.first_date,
        "last_date": c.last_date,
        "status": r.status,
        "stages": c.stages.iter().map(|s| s.status.as_str()).collect::<Vec<_>>(),
        "value": c.value,
        "items": r.items,
        "flags": r.flags,
        "confirmed": c.confirmed,
        "counts_in_sums": figures::counts_in_sums(c),
        "n_sources": c.sources.len(),
        "n_documents": c.doc_ids.len(),
        "sources": c.sources.iter().take(LIST_SOURCES).collect::<Vec<_>>(),
    })
}

async fn list_commitments(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.extend(["year", "sort", "limit", "offset"]);
    let p = Params::read(q, &allowed)?;
    let mut filter = ledger_filter(&p)?;
    let year = year_param(&p)?;
    let order = match p.text("sort").as_deref() {
        None | Some("date") => Order::Date,
        Some("sources") => Order::Sources,
        Some("value") => Order::Value,
        Some("donor") => Order::Donor,
        Some("item") => Order::Item,
        Some(s) => {
            return Err(ApiError::bad_request(format!(
                "unknown sort {s:?}; one of: {SORTS}"
            )))
        }
    };
    let limit = p.number("limit")?.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let offset = p.number("offset")?.unwrap_or(0);
    filter.limit = Some(limit);
    filter.offset = Some(offset);
    // filtered, sorted, counted and cut in SQL: one page is read, never the ledger
    let y = year.clone();
    // kept by its parameters until the next write
    let key = format!("list {filter:?} {order:?} {year:?}");
    let page = state
        .cached(key, move |s| {
            s.commitments_page(&filter, order, y.as_deref())
        })
        .await?;
    let items: Vec<Json> = page.items.iter().map(list_item).collect();
    ok(json!({
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "next": next_link("/api/commitments", &p, &allowed, offset, limit, page.total),
        "items": items,
    }))
}

/// The `{id}` of the path; a path that is not valid UTF-8 once decoded (`%ff`) is a
/// JSON 400 like every other error.
fn path_id(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    match p {
        Ok(Path(id)) => Ok(id),
        Err(e) => Err(ApiError::bad_request(format!(
            "bad id in the path: {}",
            e.body_text()
        ))),
    }
}

async fn one_commitment(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = path_id(id)?;
    let key = id.clone();
    match state.with_store(move |s| s.commitment(&key)).await? {
        Some(c) => ok(json!(c)),
        None => Err(ApiError::not_found(format!("no commitment {id:?}"))),
    }
}

/// `PUT /api/commitments/{id}/confirmation`: a person confirms a flagged commitment,
/// which then counts in the sums despite its flags (`aidledger ledger confirm`). The
/// token is checked first.
async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult {
    crate::auth::check_token(&state, &headers)?;
    let id = path_id(id)?;
    let key = id.clone();
    // (an unflagged commitment is refused, 400: it counts already)
    match state.with_writer(move |s| s.confirm(&key)).await? {
        Some(c) => ok(json!({
            "id": c.commitment_id,
            "confirmed": true,
            "flags": c.flags,
            "confirmed_at": c.confirmed_at,
        })),
        None => Err(ApiError::not_found(format!("no commitment {id:?}"))),
    }
}

/// `DELETE /api/commitments/{id}/confirmation`: takes a confirmation back (`aidledger
/// ledger confirm --undo`); the commitment's flags keep it out of the sums again.
async fn unconfirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult {
    crate::auth::check_token(&state, &headers)?;
    let id = path_id(id)?;
    let key = id.clone();
    if state.with_writer(move |s| s.unconfirm(&key)).await? {
        ok(json!({ "id": id, "confirmed": false }))
    } else {
        Err(ApiError::not_found(format!(
            "commitment {id:?} has no confirmation"
        )))
    }
}

// ---------------------------------------------------------------------------------------
// Documents and search

fn summary_json(d: &DocumentSummary) -> serde_json::Map<String, Json> {
    let mut m = serde_json::Map::new();
    m.insert("id".into(), json!(d.id));
    m.insert("title".into(), json!(d.title));
    m.insert("url".into(), json!(d.url));
    m.insert("source".into(), json!(d.source));
    m.insert("published".into(), json!(d.published));
    m.insert("lang".into(), json!(d.lang));
    m
}

/// The document's metadata and records. The store has no call that returns one
/// document's text, so `text` is `null` for now (the records' evidence spans carry the
/// sentences that matter).
async fn one_document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let id = path_id(id)?;
    check_document_id(&id).map_err(|e| ApiError::bad_request(format!("bad document id: {e}")))?;
    let key = id.clone();
    let found = state.with_store(move |s| s.document(&key)).await?;
    let Some((doc, text, records)) = found else {
        return Err(ApiError::not_found(format!("no document {id:?}")));
    };
    let mut m = summary_json(&doc);
    m.insert("text".into(), json!(text));
    m.insert("records".into(), json!(records));
    ok(Json::Object(m))
}

async fn search(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult {
    let p = Params::read(q, &["q", "limit"])?;
    let query = p.text("q").unwrap_or_default();
    let limit = p
        .number("limit")?
        .unwrap_or(DEFAULT_SEARCH_LIMIT)
        .min(MAX_SEARCH_LIMIT);
    let qq = query.clone();
    // kept by its words and limit until the next write
    let hits = state
        .cached(format!("search {limit} {query}"), move |s| {
            s.search(&qq, limit)
        })
        .await?;
    let items: Vec<Json> = hits
        .iter()
        .map(|(d, records)| {
            let mut m = summary_json(d);
            m.insert("records".into(), json!(records));
            Json::Object(m)
        })
        .collect();
    ok(json!({ "query": query, "limit": limit, "total": items.len(), "items": items }))
}

// ---------------------------------------------------------------------------------------
// Aggregates

fn sums_json(m: &BTreeMap<String, f64>) -> Json {
    Json::Array(
        m.iter()
            .map(|(cur, amount)| json!({ "currency": cur, "amount": amount }))
            .collect(),
    )
}

pub const AGGREGATE_DEFINITION: &str = "Per key: `count` is the number of commitments, \
`kinds` their number per kind. `committed` sums, per currency, the stated value of each \
package pledged, approved, expedited or delivered, once; `delivered` the stated value of \
each package or transfer with a delivered stage. Cumulative totals, budgets and requests \
are never summed, nor are flagged commitments (`flagged`) until a person confirms them \
(`confirmed`) (aidledger_ledger::figures, docs/ledger.md). Keys: donor code; category (\"(none)\" when unknown); the \
commitment's latest status; the month (YYYY-MM) of its first date (\"unknown\" when it has \
no date or only a year).";

async fn aggregates(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.extend(["by", "year"]);
    let p = Params::read(q, &allowed)?;
    let by = p.text("by").unwrap_or_else(|| "donor".into());
    let group = match by.as_str() {
        "donor" => SumsBy::Donor,
        "category" => SumsBy::Category,
        "status" => SumsBy::Status,
        "month" => SumsBy::Month,
        other => {
            return Err(ApiError::bad_request(format!(
                "unknown by {other:?}; one of: donor, category, status, month"
            )))
        }
    };
    let filter = ledger_filter(&p)?;
    let year = year_param(&p)?;
    // summed in SQL from the figures stored per commitment (aidledger_ledger::figures),
    // kept until the next write
    let groups = state
        .cached(format!("sums {filter:?} {group:?} {year:?}"), move |s| {
            s.sums_by(&filter, group, year.as_deref())
        })
        .await?;
    let total: usize = groups.iter().map(|g| g.count).sum();
    let groups: Vec<Json> = groups
        .iter()
        .map(|g| {
            let s = &g.sums;
            json!({ "key": g.key, "count": g.count, "kinds": s.by_kind, "flagged": s.flagged,
                    "confirmed": s.confirmed,
                    "committed": sums_json(&s.committed), "delivered": sums_json(&s.delivered) })
        })
        .collect();
    ok(json!({
        "by": by,
        "total": total,
        "definition": AGGREGATE_DEFINITION,
        "groups": groups,
    }))
}

/// `GET /api/systems`: [`figures::systems`] over the filtered commitments.
async fn systems(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.push("per_donor");
    let p = Params::read(q, &allowed)?;
    let per_donor = match p.text("per_donor").as_deref() {
        None | Some("true") => true,
        Some("false") => false,
        Some(v) => {
            return Err(ApiError::bad_request(format!(
                "per_donor is true or false, not {v:?}"
            )))
        }
    };
    let filter = ledger_filter(&p)?;
    let items = state
        .cached(format!("systems {per_donor} {filter:?}"), move |s| {
            // the whole ledger's roll-up from the per-commitment system rows; a filtered
            // one from the commitments that pass the filter
            if filter == aidledger_store::LedgerFilter::default() {
                Ok(figures::systems_from_facts(&s.system_facts()?, per_donor))
            } else {
                Ok(figures::systems(&s.commitments(&filter)?, per_donor))
            }
        })
        .await?;
    ok(json!({ "per_donor": per_donor, "items": *items }))
}

// ---------------------------------------------------------------------------------------
// Ingest

static EXTRACTOR: OnceLock<Result<Extractor, String>> = OnceLock::new();

/// The extractor, built on first use (loading the gazetteers takes a moment).
fn extractor() -> Result<&'static Extractor, String> {
    EXTRACTOR
        .get_or_init(|| {
            Extractor::new().map_err(|e| format!("built-in data files are broken: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Reads a JSON array of documents, or JSON Lines (one document per non-blank line).
fn parse_documents(text: &str) -> Result<Vec<Document>, ApiError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(ApiError::bad_request(
            "empty body: send a JSON array or JSON Lines of documents",
        ));
    }
    let docs: Vec<Document> = if trimmed.starts_with('[') {
        serde_json::from_str(trimmed)
            .map_err(|e| ApiError::bad_request(format!("bad JSON array of documents: {e}")))?
    } else {
        let mut docs = Vec::new();
        for (i, line) in trimmed.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            docs.push(serde_json::from_str(line).map_err(|e| {
                ApiError::bad_request(format!("line {}: bad document: {e}", i + 1))
            })?);
        }
        docs
    };
    // ids as the command line checks them; the same id twice refuses the whole batch
    let mut seen = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        check_document_id(&d.id)
            .map_err(|e| ApiError::bad_request(format!("document {}: bad id: {e}", i + 1)))?;
        if let Some(first) = seen.insert(d.id.as_str(), i) {
            return Err(ApiError::bad_request(format!(
                "documents {} and {} have the same id {:?}: nothing was stored (send each id once)",
                first + 1,
                i + 1,
                d.id
            )));
        }
    }
    Ok(docs)
}

/// Why a POSTed batch was not extracted.
enum ExtractError {
    /// The built-in data files do not load.
    Broken(String),
    /// The request's time ran out after `read` documents.
    OverBudget {
        read: usize,
        budget: std::time::Duration,
    },
}

impl From<String> for ExtractError {
    fn from(e: String) -> ExtractError {
        ExtractError::Broken(e)
    }
}

/// `POST /api/documents`: the token is checked before any of the body is read.
async fn post_documents(
    State(state): State<AppState>,
    deadline: Option<Extension<crate::Deadline>>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    crate::auth::check_token(&state, &headers)?;
    let max = state.limits.max_body_bytes;
    let bytes = axum::body::to_bytes(body, max).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {max} bytes or cut short"),
        )
    })?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
    let docs = parse_documents(text)?;
    let received = docs.len();

    // Extraction runs outside the store's lock and stops a tenth of the request's time
    // before its deadline, so that the client hears why: the rest of the batch is not
    // read and nothing of it is stored.
    let total = state.limits.request_timeout;
    let stop_at = deadline
        .map(|Extension(d)| d.0)
        .unwrap_or_else(|| std::time::Instant::now() + total)
        .checked_sub(total / 10)
        .unwrap_or_else(std::time::Instant::now);
    let extracted = tokio::task::spawn_blocking(move || {
        let ex = extractor()?;
        let opts = ExtractOptions::default();
        let mut ok = Vec::with_capacity(docs.len());
        let mut skipped = Vec::new();
        for (i, d) in docs.into_iter().enumerate() {
            if std::time::Instant::now() > stop_at {
                return Err(ExtractError::OverBudget {
                    read: i,
                    budget: total,
                });
            }
            match ex.extract(&d, &opts) {
                Ok(x) => ok.push((d, x)),
                Err(e) => skipped.push(json!({ "id": d.id, "error": e.to_string() })),
            }
        }
        Ok((ok, skipped))
    })
    .await
    .map_err(|e| ApiError::internal(&format!("extraction failed: {e}")))?
    .map_err(|e| match e {
        ExtractError::Broken(e) => ApiError::internal(&e),
        ExtractError::OverBudget { read, budget } => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the batch could not be read within the request's {} ms ({read} of {received} documents read): nothing was stored; send fewer or shorter documents per request",
                budget.as_millis()
            ),
        ),
    })?;
    let (batch, skipped) = extracted;

    let (stats, commitments) = state
        .with_writer(move |s| {
            let stats = s.ingest_batch(&batch)?;
            let n = s.rebuild_commitments(false)?;
            Ok((stats, n))
        })
        .await?;
    ok(json!({
        "received": received,
        "added": stats.added,
        "replaced": stats.replaced,
        "unchanged": stats.unchanged,
        "records": stats.records,
        "skipped": skipped,
        "commitments": commitments,
    }))
}

// ---------------------------------------------------------------------------------------
// OpenAPI

async fn openapi() -> ApiResult {
    ok(crate::openapi::document())
}
