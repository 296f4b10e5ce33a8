//! The ledger page: the filter form, one page of commitments (as a table on a laptop,
//! as cards on a phone), and links to the previous and next pages that keep the
//! filters. Without a text query or a sort the page is read from the store in SQL
//! (`LedgerFilter::limit`/`offset`, `Store::commitments_count`); with one, the
//! commitments that pass the filters are sorted and searched here and then paged.
//! A bad parameter gives a 400 page with the form re-filled as the user typed it.

use aidledger_core::Status;
use aidledger_ledger::{Commitment, Kind, Subject};
use aidledger_store::{LedgerFilter, SortKey, Store};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;

use super::format::{headline_value, money, outlets};
use super::{
    commitment_href, ledger_href, number_param, page_of, param, parse_query, parse_query_lenient,
    valid_date, Markup, PageError, PageResult,
};
use crate::state::AppState;

/// Commitments per page unless `limit` says otherwise.
const PAGE: usize = 100;
/// The largest `limit`.
const MAX_LIMIT: usize = 500;
/// The largest `offset`.
const MAX_OFFSET: usize = 100_000_000;

const SORTS: [&str; 8] = [
    "donor", "item", "category", "stage", "first", "last", "value", "sources",
];

pub(super) async fn page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = parse_query(raw.as_deref()).and_then(|q| {
        let p = Params::read(&q)?;
        Ok((q, p))
    });
    let (q, p) = match params {
        Ok(x) => x,
        Err(e) => return bad_request(e, raw.as_deref()),
    };
    let raw2 = raw.clone();
    // a page of the ledger is kept, by its query, until the next write
    let key = format!("ledger page {}", raw.as_deref().unwrap_or(""));
    let r = state
        .cached(key, move |store| Ok(render_page(store, &q, &p)))
        .await;
    match r.as_deref() {
        Ok(Ok(body)) => super::html_response(axum::http::StatusCode::OK, body.clone()),
        // a filter the store refuses is the user's: the form comes back filled
        Ok(Err(e @ PageError::BadRequest(_))) => bad_request(e.clone(), raw2.as_deref()),
        Ok(Err(e)) => axum::response::IntoResponse::into_response(e.clone()),
        Err(e) => axum::response::IntoResponse::into_response(super::internal(&format!(
            "page failed: {e}"
        ))),
    }
}

/// The 400 page, with the ledger's form filled with what the user typed.
fn bad_request(e: PageError, raw: Option<&str>) -> Response {
    let q = parse_query_lenient(raw);
    let form = Markup::of(&form(&q)).unwrap_or_else(|_| Markup::empty());
    e.page_with("ledger", "", form)
}

/// What the query asks for.
struct Params {
    filter: LedgerFilter,
    text: Option<String>,
    sort: Option<String>,
    offset: usize,
    limit: usize,
}

impl Params {
    fn read(q: &[(String, String)]) -> Result<Params, PageError> {
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
                        PageError::BadRequest(format!(
                            "min_sources must be a whole number, not {n:?}"
                        ))
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
        let offset = number_param(q, "offset", 0, MAX_OFFSET)?;
        let limit = number_param(q, "limit", PAGE, MAX_LIMIT)?;
        if limit == 0 {
            return Err(PageError::BadRequest("limit must be at least 1".into()));
        }
        Ok(Params {
            filter: f,
            text: s("q"),
            sort,
            offset,
            limit,
        })
    }
}

/// The commitments of the page and how many pass the filters in all.
fn read_page(store: &Store, p: &Params) -> Result<(Vec<Commitment>, usize), PageError> {
    if p.text.is_none() && p.sort.is_none() {
        let f = LedgerFilter {
            limit: Some(p.limit),
            offset: Some(p.offset),
            ..p.filter.clone()
        };
        let rows = store.commitments(&f)?;
        let total = store.commitments_count(&p.filter)?;
        return Ok((rows, total));
    }
    // filtered by text, sorted, counted and cut in SQL: one page is read
    let (key, desc) = match p.sort.as_deref() {
        None => (SortKey::Last, true),
        Some(sort) => (
            sort_key(sort.trim_start_matches('-')),
            sort.starts_with('-'),
        ),
    };
    let f = LedgerFilter {
        limit: Some(p.limit),
        offset: Some(p.offset),
        ..p.filter.clone()
    };
    let page = store.commitments_sorted(&f, p.text.as_deref(), key, desc)?;
    Ok((page.items, page.total))
}

/// The store's sort column for a `sort=` name of [`SORTS`] (checked when read).
fn sort_key(name: &str) -> SortKey {
    match name {
        "donor" => SortKey::Donor,
        "item" => SortKey::Item,
        "category" => SortKey::Category,
        "stage" => SortKey::Stage,
        "first" => SortKey::First,
        "value" => SortKey::Value,
        "sources" => SortKey::Sources,
        _ => SortKey::Last,
    }
}

/// An option of a select, with whether it is chosen.
struct Choice {
    value: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "ledger_form.html")]
struct FormTpl<'a> {
    donor: &'a str,
    recipient: &'a str,
    item: &'a str,
    category: &'a str,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    since: &'a str,
    until: &'a str,
    min_sources: &'a str,
    q: &'a str,
    sort: &'a str,
    limit: &'a str,
}

/// The filter form, filled from the query as typed.
fn form(q: &[(String, String)]) -> FormTpl<'_> {
    let v = |k: &str| param(q, k).unwrap_or("");
    let chosen = |k: &str| param(q, k).map(str::to_ascii_lowercase);
    let kind = chosen("kind");
    let status = chosen("status");
    FormTpl {
        donor: v("donor"),
        recipient: v("recipient"),
        item: v("item"),
        category: v("category"),
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str(),
                selected: kind.as_deref() == Some(k.as_str()),
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str(),
                selected: status.as_deref() == Some(s.as_str()),
            })
            .collect(),
        since: v("since"),
        until: v("until"),
        min_sources: v("min_sources"),
        q: v("q"),
        sort: v("sort"),
        limit: v("limit"),
    }
}

struct Header {
    href: String,
    label: &'static str,
    mark: &'static str,
}

struct Row {
    donor: String,
    donor_href: String,
    recipient: Option<String>,
    item: String,
    item_href: String,
    /// A package's contents, by name.
    contents: String,
    category: Option<(String, String)>,
    status: &'static str,
    first: String,
    last: String,
    value: String,
    sources: usize,
    href: String,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerTpl {
    form: Markup,
    total: usize,
    from: usize,
    to: usize,
    prev: Option<String>,
    next: Option<String>,
    headers: Vec<Header>,
    rows: Vec<Row>,
}

fn render_page(store: &Store, q: &[(String, String)], p: &Params) -> PageResult {
    let (rows, total) = read_page(store, p)?;
    // the filters (the API's filter parameters and the page's own) kept in every link
    let kept: Vec<(&str, &str)> = crate::params::FILTER_PARAMS
        .iter()
        .chain(&["q"])
        .filter(|k| **k != "limit" && **k != "offset")
        .filter_map(|k| param(q, k).map(|v| (*k, v)))
        .collect();
    let limit_s = p.limit.to_string();
    let with_page = |offset: usize| -> String {
        let mut ps = kept.clone();
        if let Some(s) = p.sort.as_deref() {
            ps.push(("sort", s));
        }
        if p.limit != PAGE {
            ps.push(("limit", &limit_s));
        }
        let off = offset.to_string();
        if offset > 0 {
            ps.push(("offset", &off));
        }
        ledger_href(&ps)
    };
    let prev = (p.offset > 0).then(|| with_page(p.offset.saturating_sub(p.limit)));
    let next = (p.offset + rows.len() < total).then(|| with_page(p.offset + p.limit));
    let headers = [
        ("donor", "Donor"),
        ("item", "Item"),
        ("category", "Category"),
        ("stage", "Stage"),
        ("first", "First"),
        ("last", "Last"),
        ("value", "Value"),
        ("sources", "Sources"),
    ]
    .into_iter()
    .map(|(key, label)| {
        let sort = p.sort.as_deref();
        let (next, mark) = match sort {
            Some(s) if s == key => (format!("-{key}"), " ▲"),
            Some(s) if s.strip_prefix('-') == Some(key) => (key.to_string(), " ▼"),
            _ => (key.to_string(), ""),
        };
        let mut ps = kept.clone();
        ps.push(("sort", &next));
        if p.limit != PAGE {
            ps.push(("limit", &limit_s));
        }
        Header {
            href: ledger_href(&ps),
            label,
            mark,
        }
    })
    .collect();
    let rows_v: Vec<Row> = rows.iter().map(row).collect();
    let tpl = LedgerTpl {
        form: Markup::of(&form(q))?,
        total,
        from: if rows_v.is_empty() { 0 } else { p.offset + 1 },
        to: p.offset + rows_v.len(),
        prev,
        next,
        headers,
        rows: rows_v,
    };
    page_of("Ledger", "ledger", "", &tpl)
}

fn row(c: &Commitment) -> Row {
    let item_href = match &c.subject {
        Subject::Package { .. } => ledger_href(&[("donor", &c.donor), ("item", &c.item)]),
        _ => ledger_href(&[("item", &c.item)]),
    };
    Row {
        donor: c.donor.clone(),
        donor_href: ledger_href(&[("donor", &c.donor)]),
        recipient: c.recipient.clone(),
        item: c.item.clone(),
        item_href,
        // a package's contents, unless its name already says them
        contents: match c.kind {
            Kind::Package => {
                let names = c
                    .contents
                    .iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                if names.eq_ignore_ascii_case(&c.item) {
                    String::new()
                } else {
                    names
                }
            }
            _ => String::new(),
        },
        category: c
            .category
            .as_ref()
            .map(|cat| (ledger_href(&[("category", cat)]), cat.clone())),
        status: c.status.as_str(),
        first: c.first_date.clone().unwrap_or_default(),
        last: c.last_date.clone().unwrap_or_default(),
        value: match c.kind {
            // a total is a series: its latest figure, marked as cumulative
            Kind::Total => c
                .series
                .last()
                .map(|p| format!("{} (cumulative)", money(p.value.amount, &p.value.currency)))
                .unwrap_or_else(|| "—".into()),
            _ => headline_value(c)
                .map(|(a, cur)| money(a, &cur))
                .unwrap_or_else(|| "—".into()),
        },
        sources: outlets(c).len(),
        href: commitment_href(&c.id),
    }
}
