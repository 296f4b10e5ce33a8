//! The JSON API under `/api` (described for machines at `/api/openapi.json`).
//!
//! * `GET /api/commitments` — the ledger, filtered, sorted and paginated.
//! * `GET /api/commitments/{id}` — one commitment.
//! * `GET /api/documents/{id}` — a stored document's metadata and its records with
//!   evidence spans.
//! * `GET /api/search?q=` — full-text search: documents with their records.
//! * `GET /api/aggregates?by=` — counts and committed/delivered values per key.
//! * `POST /api/documents` — ingest documents (needs the server's write token).
//!
//! Every error is JSON `{"error": "..."}` with its status: bad parameters are 400 (never
//! 500), unknown ids and paths 404. Responses are `application/json` with `<`, `>` and
//! `&` written as `\u003c`, `\u003e`, `\u0026` so that no article text can be read as
//! markup even by a browser that sniffs.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use aidledger_core::{Document, ExtractOptions, Extractor, Status};
use aidledger_ledger::Commitment;
use aidledger_store::{DocumentSummary, LedgerFilter};
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value as Json};

use crate::state::{AppState, StoreCallError};

/// Largest request body accepted (a larger declared `Content-Length` is refused before
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
        .route("/documents", axum::routing::post(post_documents))
        // ids may hold slashes ("wh/articles/2022-03/..."): take the rest of the path
        .route("/documents/{*id}", get(one_document))
        .route("/search", get(search))
        .route("/aggregates", get(aggregates))
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
    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<StoreCallError> for ApiError {
    fn from(e: StoreCallError) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
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
// Query parameters

/// The query string as name → value, refusing unknown and repeated names. Empty values
/// count as absent (HTML forms send every field).
struct Params(HashMap<String, String>);

impl Params {
    fn read(
        q: Result<Query<Vec<(String, String)>>, QueryRejection>,
        allowed: &[&str],
    ) -> Result<Params, ApiError> {
        let Query(pairs) =
            q.map_err(|e| ApiError::bad_request(format!("bad query string: {}", e.body_text())))?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {k:?}; this endpoint takes: {}",
                    allowed.join(", ")
                )));
            }
            if map.contains_key(&k) {
                return Err(ApiError::bad_request(format!(
                    "parameter {k:?} given twice"
                )));
            }
            map.insert(k, v);
        }
        map.retain(|_, v| !v.trim().is_empty());
        Ok(Params(map))
    }

    fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).map(|v| v.trim().to_string())
    }

    fn number(&self, name: &str) -> Result<Option<usize>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
                ApiError::bad_request(format!(
                    "parameter {name} must be a non-negative integer, not {v:?}"
                ))
            }),
        }
    }

    fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.text(name) {
            None => Ok(None),
            Some(d) if valid_date(&d) => Ok(Some(d)),
            Some(d) => Err(ApiError::bad_request(format!(
                "parameter {name} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {d:?}"
            ))),
        }
    }
}

use aidledger_ledger::is_record_date as valid_date;

const FILTER_PARAMS: [&str; 8] = [
    "donor",
    "recipient",
    "item",
    "category",
    "status",
    "since",
    "until",
    "min_sources",
];

fn ledger_filter(p: &Params) -> Result<LedgerFilter, ApiError> {
    let status = match p.text("status") {
        None => None,
        Some(s) => Some(Status::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown status {s:?}; one of: {}",
                Status::ALL.map(Status::as_str).join(", ")
            ))
        })?),
    };
    Ok(LedgerFilter {
        donor: p.text("donor"),
        recipient: p.text("recipient"),
        item: p.text("item"),
        category: p.text("category"),
        status,
        since: p.date("since")?,
        until: p.date("until")?,
        min_sources: p.number("min_sources")?,
        limit: None,
        offset: None,
    })
}

// ---------------------------------------------------------------------------------------
// Commitments

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Date,
    Sources,
    Value,
    Donor,
    Item,
}

const SORTS: &str = "date, sources, value, donor, item";

/// The largest amount reported at any stage (any currency): the `value` sort key.
fn max_value(c: &Commitment) -> Option<f64> {
    c.stages
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v.value.amount))
        .filter(|a| a.is_finite())
        .reduce(f64::max)
}

async fn list_commitments(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.extend(["sort", "limit", "offset"]);
    let p = Params::read(q, &allowed)?;
    let filter = ledger_filter(&p)?;
    let sort = match p.text("sort").as_deref() {
        None | Some("date") => Sort::Date,
        Some("sources") => Sort::Sources,
        Some("value") => Sort::Value,
        Some("donor") => Sort::Donor,
        Some("item") => Sort::Item,
        Some(s) => {
            return Err(ApiError::bad_request(format!(
                "unknown sort {s:?}; one of: {SORTS}"
            )))
        }
    };
    let limit = p.number("limit")?.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let offset = p.number("offset")?.unwrap_or(0);

    // Sorting other than by date is done here, so the whole filtered ledger is read and
    // the page cut from it (the ledger is thousands of commitments, not millions).
    let mut all = state.with_store(move |s| s.commitments(&filter)).await?;
    match sort {
        // the store's order: latest first, then donor, item and id
        Sort::Date => {}
        Sort::Sources => all.sort_by_key(|c| std::cmp::Reverse(c.sources.len())),
        Sort::Value => all.sort_by(|a, b| match (max_value(a), max_value(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }),
        Sort::Donor => all.sort_by_key(|c| c.donor.to_lowercase()),
        Sort::Item => all.sort_by_key(|c| c.item.to_lowercase()),
    }
    let total = all.len();
    let items: Vec<&Commitment> = all.iter().skip(offset).take(limit).collect();
    ok(json!({ "total": total, "limit": limit, "offset": offset, "items": items }))
}

async fn one_commitment(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let key = id.clone();
    match state.with_store(move |s| s.commitment(&key)).await? {
        Some(c) => ok(json!(c)),
        None => Err(ApiError::not_found(format!("no commitment {id:?}"))),
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
async fn one_document(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
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
    let hits = state.with_store(move |s| s.search(&qq, limit)).await?;
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

/// Sums per currency, with how many commitments contributed.
#[derive(Default)]
struct Sums(BTreeMap<String, (f64, usize)>);

impl Sums {
    fn add(&mut self, v: Option<&aidledger_core::Value>) {
        if let Some(v) = v.filter(|v| v.amount.is_finite()) {
            let e = self.0.entry(v.currency.clone()).or_default();
            e.0 += v.amount;
            e.1 += 1;
        }
    }
    fn json(&self) -> Json {
        Json::Array(
            self.0
                .iter()
                .map(|(cur, (amount, n))| json!({ "currency": cur, "amount": amount, "commitments": n }))
                .collect(),
        )
    }
}

/// The first reported value of the first of `statuses` the commitment has a value for.
fn stage_value(c: &Commitment, statuses: &[Status]) -> Option<aidledger_core::Value> {
    statuses
        .iter()
        .filter_map(|s| c.stage(*s))
        .find_map(|st| st.values.first().map(|v| v.value.clone()))
}

pub const AGGREGATE_DEFINITION: &str = "Per key: `count` is the number of commitments. \
`committed` sums, per currency, one value per commitment: the first reported value of its \
approved stage, else of its pledged stage. `delivered` likewise from its delivered stage, \
else its expedited stage. Keys: donor code; category (\"(none)\" when unknown); the \
commitment's latest status; the month (YYYY-MM) of its first date (\"unknown\" when it has \
no date or only a year).";

async fn aggregates(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> ApiResult {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.push("by");
    let p = Params::read(q, &allowed)?;
    let by = p.text("by").unwrap_or_else(|| "donor".into());
    let key: fn(&Commitment) -> String = match by.as_str() {
        "donor" => |c| c.donor.clone(),
        "category" => |c| c.category.clone().unwrap_or_else(|| "(none)".into()),
        "status" => |c| c.status.as_str().to_string(),
        "month" => |c| match c.first_date.as_deref() {
            Some(d) if d.len() >= 7 => d[..7].to_string(),
            _ => "unknown".into(),
        },
        other => {
            return Err(ApiError::bad_request(format!(
                "unknown by {other:?}; one of: donor, category, status, month"
            )))
        }
    };
    let filter = ledger_filter(&p)?;
    let all = state.with_store(move |s| s.commitments(&filter)).await?;
    let mut groups: BTreeMap<String, (usize, Sums, Sums)> = BTreeMap::new();
    for c in &all {
        let g = groups.entry(key(c)).or_default();
        g.0 += 1;
        g.1.add(stage_value(c, &[Status::Approved, Status::Pledged]).as_ref());
        g.2.add(stage_value(c, &[Status::Delivered, Status::Expedited]).as_ref());
    }
    let groups: Vec<Json> = groups
        .iter()
        .map(|(k, (n, committed, delivered))| {
            json!({ "key": k, "count": n, "committed": committed.json(), "delivered": delivered.json() })
        })
        .collect();
    ok(json!({
        "by": by,
        "total": all.len(),
        "definition": AGGREGATE_DEFINITION,
        "groups": groups,
    }))
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

/// Constant-time comparison of the presented and the configured token.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn check_token(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.token else {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "read-only server"));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    match presented {
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this endpoint needs Authorization: Bearer TOKEN",
        )),
        Some(t) if same_token(t.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::FORBIDDEN, "wrong token")),
    }
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
    let mut seen = HashSet::new();
    for (i, d) in docs.iter().enumerate() {
        if d.id.trim().is_empty() {
            return Err(ApiError::bad_request(format!(
                "document {}: empty id",
                i + 1
            )));
        }
        if !seen.insert(d.id.as_str()) {
            return Err(ApiError::bad_request(format!(
                "document id {:?} given twice",
                d.id
            )));
        }
    }
    Ok(docs)
}

/// `POST /api/documents`: the token is checked before any of the body is read.
async fn post_documents(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    check_token(&state, &headers)?;
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "request body larger than {} MiB or cut short",
                    MAX_BODY_BYTES >> 20
                ),
            )
        })?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
    let docs = parse_documents(text)?;
    let received = docs.len();

    let extracted = tokio::task::spawn_blocking(move || {
        let ex = extractor()?;
        let opts = ExtractOptions::default();
        let mut ok = Vec::with_capacity(docs.len());
        let mut skipped = Vec::new();
        for d in docs {
            match ex.extract(&d, &opts) {
                Ok(x) => ok.push((d, x)),
                Err(e) => skipped.push(json!({ "id": d.id, "error": e.to_string() })),
            }
        }
        Ok::<_, String>((ok, skipped))
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "extraction failed"))?
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    let (batch, skipped) = extracted;

    let (stats, commitments) = state
        .with_store(move |s| {
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
