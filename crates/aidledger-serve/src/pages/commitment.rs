//! One commitment's page: its facts (kind, announcement, value as stated and other
//! values reported, contents, flags), its timeline on a time axis, each stage with its
//! figures and quotes; and the overview's table of reported cumulative totals.

use std::collections::HashMap;

use aidledger_ledger::{Commitment, Kind, Reported, Stage, Subject};
use aidledger_store::DocumentSummary;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::format::{dates, money, outlets_of};
use super::{
    charts, commitment_href, doc_href, ledger_href, page_of, path_id, timeline, Markup, PageError,
};
use crate::state::AppState;

pub(super) async fn page(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let id = match path_id(id) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    super::with_store(state, move |store| {
        let c = store
            .commitment(&id)?
            .ok_or_else(|| PageError::NotFound(format!("no commitment {id:?} in the ledger")))?;
        // only the articles this commitment cites
        let cited: Vec<&str> = c.doc_ids.iter().map(String::as_str).collect();
        let docs: HashMap<String, DocumentSummary> = store
            .documents_by_id(&cited)?
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
        page_of(
            &format!("{} {}", c.donor, c.item),
            "ledger",
            "",
            &render(&c, &docs)?,
        )
    })
    .await
}

/// A figure as reported: its text and how many documents give it.
struct Figure {
    text: String,
    docs: usize,
}

struct Quote {
    href: String,
    text: String,
    doc_href: String,
    title: String,
    source: Option<String>,
    published: Option<String>,
}

struct StageView {
    status: &'static str,
    dates: Vec<Figure>,
    /// Label and figures of quantity, value and "said by", each only when reported.
    figures: Vec<(&'static str, Vec<Figure>)>,
    outlets: Vec<String>,
    quotes: Vec<Quote>,
}

struct ContentRow {
    name: String,
    category: String,
    pledged: String,
    delivered: String,
}

struct SeriesRow {
    date: String,
    total: String,
    docs: String,
}

#[derive(Template)]
#[template(path = "commitment.html")]
struct CommitmentTpl<'a> {
    c: &'a Commitment,
    donor_href: String,
    heading: String,
    summary: String,
    dates: String,
    outlets: Vec<String>,
    announced: &'a str,
    value: String,
    others: Vec<String>,
    flags: String,
    contents: Vec<ContentRow>,
    series: Vec<SeriesRow>,
    timeline: Markup,
    stages: Vec<StageView>,
    articles: Vec<Article>,
}

/// An article the commitment comes from.
struct Article {
    href: String,
    title: String,
    outlet: String,
    published: Option<String>,
}

fn figures<T>(r: &[Reported<T>], text: impl Fn(&T) -> String) -> Vec<Figure> {
    r.iter()
        .map(|x| Figure {
            text: text(&x.value),
            docs: x.doc_ids.len(),
        })
        .collect()
}

fn stage_view(s: &Stage, docs: &HashMap<String, DocumentSummary>) -> StageView {
    let mut figs: Vec<(&'static str, Vec<Figure>)> = vec![
        ("Quantity", figures(&s.quantities, |q| q.to_string())),
        (
            "Value",
            figures(&s.values, |v| money(v.amount, &v.currency)),
        ),
        ("Said by", figures(&s.asserted_by, |a| a.clone())),
    ];
    figs.retain(|(_, f)| !f.is_empty());
    let quotes = s
        .evidence
        .iter()
        .map(|e| {
            let d = docs.get(&e.doc_id);
            Quote {
                href: format!("{}#ev-{}", doc_href(&e.doc_id), e.start),
                text: e.text.clone(),
                doc_href: doc_href(&e.doc_id),
                title: d
                    .and_then(|d| d.title.clone())
                    .unwrap_or_else(|| e.doc_id.clone()),
                source: e.source.clone(),
                published: e.published.clone(),
            }
        })
        .collect();
    let doc_ids: Vec<&String> = if s.doc_ids.is_empty() {
        s.evidence.iter().map(|e| &e.doc_id).collect()
    } else {
        s.doc_ids.iter().collect()
    };
    StageView {
        status: s.status.as_str(),
        dates: figures(&s.dates, |d| d.clone()),
        figures: figs,
        outlets: outlets_of(doc_ids, docs),
        quotes,
    }
}

fn render<'a>(
    c: &'a Commitment,
    docs: &HashMap<String, DocumentSummary>,
) -> Result<CommitmentTpl<'a>, PageError> {
    let heading = match (&c.subject, &c.value) {
        (Subject::Package { .. }, Some(v)) => format!("{} package", money(v.amount, &v.currency)),
        _ => c.item.clone(),
    };
    let mut others = Vec::new();
    for s in &c.stages {
        for v in &s.values {
            if c.value.as_ref() != Some(&v.value) {
                others.push(format!(
                    "{} ({}: {})",
                    money(v.value.amount, &v.value.currency),
                    s.status.as_str(),
                    v.doc_ids.join(", ")
                ));
            }
        }
    }
    let q = |r: &[Reported<u64>]| -> String {
        if r.is_empty() {
            return "—".into();
        }
        r.iter()
            .map(|x| format!("{} ({})", x.value, outlets_of(&x.doc_ids, docs).join(", ")))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let contents = c
        .contents
        .iter()
        .map(|i| ContentRow {
            name: i.name.clone(),
            category: i.category.clone().unwrap_or_else(|| "—".into()),
            pledged: q(&i.pledged),
            delivered: q(&i.delivered),
        })
        .collect();
    let series = if c.kind == Kind::Total {
        c.series
            .iter()
            .map(|p| SeriesRow {
                date: p.date.clone().unwrap_or_else(|| "undated".into()),
                total: money(p.value.amount, &p.value.currency),
                docs: p.doc_ids.join(", "),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(CommitmentTpl {
        c,
        donor_href: ledger_href(&[("donor", &c.donor)]),
        heading,
        summary: c.summary(),
        dates: dates(c.first_date.as_deref(), c.last_date.as_deref()),
        outlets: outlets_of(&c.doc_ids, docs),
        announced: c.announced.as_deref().unwrap_or("—"),
        value: c
            .value
            .as_ref()
            .map(|v| money(v.amount, &v.currency))
            .unwrap_or_else(|| "—".into()),
        others,
        flags: c.flags.join(", "),
        contents,
        series,
        timeline: timeline::render(c)?,
        stages: c.stages.iter().map(|s| stage_view(s, docs)).collect(),
        articles: articles(c, docs),
    })
}

/// The commitment's articles, by publication date (undated last), then id.
fn articles(c: &Commitment, docs: &HashMap<String, DocumentSummary>) -> Vec<Article> {
    let mut out: Vec<Article> = c
        .doc_ids
        .iter()
        .map(|id| {
            let d = docs.get(id);
            Article {
                href: doc_href(id),
                title: d
                    .and_then(|d| d.title.clone())
                    .unwrap_or_else(|| id.clone()),
                outlet: outlets_of([id], docs).join(""),
                published: d.and_then(|d| d.published.clone()),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.published.is_none(), &a.published, &a.href).cmp(&(
            b.published.is_none(),
            &b.published,
            &b.href,
        ))
    });
    out
}

struct TotalRow {
    href: String,
    donor: String,
    recipient: String,
    points: Vec<(String, String)>,
    chart: Option<Markup>,
}

#[derive(Template)]
#[template(path = "totals.html")]
struct TotalsTpl {
    rows: Vec<TotalRow>,
}

/// The dated points of a total's series, by date, for its line.
fn series_points(c: &Commitment) -> Vec<charts::SeriesPoint> {
    let mut pts: Vec<charts::SeriesPoint> = c
        .series
        .iter()
        .filter_map(|p| {
            let date = p.date.clone()?;
            Some(charts::SeriesPoint {
                day: timeline::day_number(&date)?,
                value: p.value.amount,
                text: money(p.value.amount, &p.value.currency),
                date,
            })
        })
        .collect();
    pts.sort_by(|a, b| a.day.cmp(&b.day).then(a.value.total_cmp(&b.value)));
    pts
}

/// Reported cumulative totals, one line per donor, recipient and currency: a series
/// drawn as a line on a time axis, never added to the sums of commitments.
pub(super) fn render_totals(all: &[Commitment]) -> Result<Markup, PageError> {
    let rows: Vec<TotalRow> = all
        .iter()
        .filter(|c| c.kind == Kind::Total && c.flags.is_empty() && !c.series.is_empty())
        .map(|c| -> Result<TotalRow, PageError> {
            let aria = format!(
                "cumulative totals reported, {} to {}",
                c.donor,
                c.recipient.as_deref().unwrap_or("?")
            );
            Ok(TotalRow {
                chart: charts::line(&series_points(c), &aria)?,
                href: commitment_href(&c.id),
                donor: c.donor.clone(),
                recipient: c.recipient.clone().unwrap_or_else(|| "?".into()),
                points: c
                    .series
                    .iter()
                    .map(|p| {
                        (
                            p.date.clone().unwrap_or_else(|| "undated".into()),
                            money(p.value.amount, &p.value.currency),
                        )
                    })
                    .collect(),
            })
        })
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Ok(Markup::empty());
    }
    Markup::of(&TotalsTpl { rows })
}
