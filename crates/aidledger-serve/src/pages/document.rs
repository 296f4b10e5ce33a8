//! One article: its text with every evidence span highlighted, and its records, each
//! linked to its spans and to the commitment it feeds.

use std::collections::{BTreeSet, HashMap};

use aidledger_core::{Record, Status};
use aidledger_ledger::Commitment;
use aidledger_store::DocumentSummary;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::format::{money, shorten};
use super::{commitment_href, external_url, page_of, path_id, Markup, PageError};
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
        let Some((summary, text, records)) = store.document(&id)? else {
            return Err(PageError::NotFound(format!(
                "no document {id:?} in the store"
            )));
        };
        // the commitments this article feeds (found in SQL, not by reading the ledger)
        let feeds = feeds(&store.commitments_citing(&id)?, &id);
        let title = summary.title.clone().unwrap_or_else(|| summary.id.clone());
        page_of(&title, "", "", &render(&summary, &text, &records, &feeds)?)
    })
    .await
}

/// Which commitment each evidence span (by its start) of document `id` feeds.
fn feeds(all: &[Commitment], id: &str) -> HashMap<usize, (String, String)> {
    let mut feeds = HashMap::new();
    for c in all {
        for s in &c.stages {
            for e in s.evidence.iter().filter(|e| e.doc_id == id) {
                feeds
                    .entry(e.start)
                    .or_insert_with(|| (c.id.clone(), format!("{} {}", c.donor, c.item)));
            }
        }
    }
    feeds
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

/// A piece of the text: plain, or covered by spans.
enum Piece<'a> {
    Text(&'a str),
    Mark {
        class: String,
        id: Option<usize>,
        recs: String,
        title: String,
        text: &'a str,
    },
}

#[derive(Template)]
#[template(path = "highlight.html")]
struct HighlightTpl<'a> {
    pieces: Vec<Piece<'a>>,
}

/// The text as HTML with the spans as `<mark>`s. Spans that are empty, out of range or
/// not on character boundaries are skipped. Overlapping spans are flattened: the text
/// is cut at every span edge and each piece covered by spans becomes one `<mark>`
/// (coloured by the earliest-starting span covering it, marked `overlap` when several
/// do); each distinct start gets the id `ev-{start}` on the piece it begins.
pub fn highlight(text: &str, spans: &[Span]) -> String {
    highlight_markup(text, spans)
        .map(|m| m.0)
        .unwrap_or_default()
}

fn highlight_markup(text: &str, spans: &[Span]) -> Result<Markup, PageError> {
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
    let mut pieces = Vec::new();
    for w in cuts.windows(2) {
        let (a, z) = (w[0], w[1]);
        let Some(piece) = text.get(a..z) else {
            continue;
        };
        let cover: Vec<&&Span> = spans
            .iter()
            .filter(|s| s.start <= a && z <= s.end)
            .collect();
        let Some(first) = cover.first() else {
            pieces.push(Piece::Text(piece));
            continue;
        };
        let mut class = format!("ev status-{}", first.status.as_str());
        if cover.len() > 1 {
            class.push_str(" overlap");
        }
        let recs: BTreeSet<usize> = cover.iter().map(|s| s.record).collect();
        let statuses: BTreeSet<&str> = cover.iter().map(|s| s.status.as_str()).collect();
        let id = (spans.iter().any(|s| s.start == a) && ids_done.insert(a)).then_some(a);
        pieces.push(Piece::Mark {
            class,
            id,
            recs: recs
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            title: statuses.into_iter().collect::<Vec<_>>().join(", "),
            text: piece,
        });
    }
    Markup::of(&HighlightTpl { pieces })
}

struct EvLink {
    start: usize,
    found: bool,
    quote: String,
    feeds: Option<(String, String)>,
}

struct RecordView {
    status: &'static str,
    line: String,
    links: Vec<EvLink>,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentTpl<'a> {
    d: &'a DocumentSummary,
    title: String,
    meta: Vec<Meta>,
    text: Markup,
    used: Vec<&'static str>,
    records: Vec<RecordView>,
}

fn render<'a>(
    d: &'a DocumentSummary,
    text: &str,
    records: &[Record],
    feeds: &HashMap<usize, (String, String)>,
) -> Result<DocumentTpl<'a>, PageError> {
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
    let used: BTreeSet<&'static str> = records.iter().map(|r| r.status.as_str()).collect();
    let records = records
        .iter()
        .map(|r| RecordView {
            status: r.status.as_str(),
            line: record_line(r),
            links: r
                .evidence
                .iter()
                .map(|e| EvLink {
                    start: e.start,
                    found: e.start < e.end && text.get(e.start..e.end).is_some(),
                    quote: shorten(&e.text, 90),
                    feeds: feeds
                        .get(&e.start)
                        .map(|(cid, label)| (commitment_href(cid), label.clone())),
                })
                .collect(),
        })
        .collect();
    Ok(DocumentTpl {
        d,
        title: d.title.clone().unwrap_or_else(|| d.id.clone()),
        meta: meta(d),
        text: highlight_markup(text, &spans)?,
        used: used.into_iter().collect(),
        records,
    })
}

/// `USA, GBR → UKR: 6 NASAMS, artillery (USD 2.98 bn), 2022-08-24, said by Pentagon`.
pub(super) fn record_line(r: &Record) -> String {
    let mut s = r.donors.join(", ");
    if let Some(rc) = &r.recipient {
        s.push_str(&format!(" → {rc}"));
    }
    let items: Vec<String> = r
        .items
        .iter()
        .map(|it| match it.quantity {
            Some(q) => format!("{q} {}", it.name),
            None => it.name.clone(),
        })
        .collect();
    if !items.is_empty() {
        s.push_str(&format!(": {}", items.join(", ")));
    }
    if let Some(v) = &r.value {
        s.push_str(&format!(" ({})", money(v.amount, &v.currency)));
    }
    if let Some(d) = &r.date {
        s.push_str(&format!(", {d}"));
    }
    if let Some(a) = &r.asserted_by {
        s.push_str(&format!(", said by {a}"));
    }
    s
}

/// One part of the line under an article's title.
enum Meta {
    Text(String),
    Date(String),
    /// An `http(s)` URL, shown as a link.
    Link(String),
}

/// Outlet, publication date, language and URL (a link only when `http(s)`).
fn meta(d: &DocumentSummary) -> Vec<Meta> {
    let mut out = Vec::new();
    if let Some(s) = &d.source {
        out.push(Meta::Text(s.clone()));
    }
    if let Some(p) = &d.published {
        out.push(Meta::Date(p.clone()));
    }
    if let Some(l) = &d.lang {
        out.push(Meta::Text(l.clone()));
    }
    if let Some(u) = &d.url {
        out.push(match external_url(u) {
            Some(u) => Meta::Link(u.to_string()),
            None => Meta::Text(u.clone()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_handles_overlaps_and_bad_offsets() {
        let text = "aé<b>cdef";
        let span = |start, end, status, record| Span {
            start,
            end,
            status,
            record,
        };
        let spans = [
            span(0, 3, Status::Delivered, 0),
            span(2, 7, Status::Pledged, 1), // starts inside é
            span(1, 7, Status::Pledged, 2),
            span(1, 2, Status::Pledged, 1), // inside é
            span(5, 500, Status::Pledged, 1),
            span(4, 4, Status::Pledged, 1),
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
        assert!(h.contains("&#60;b&#62;"), "{h}");
        assert!(!h.contains("<b>"));
        assert_eq!(h.matches("id=").count(), 2);
        assert!(h.ends_with("</mark>def"), "{h}");
    }

    #[test]
    fn javascript_urls_are_no_links() {
        let d = |url: &str| DocumentSummary {
            id: "d".into(),
            title: None,
            url: Some(url.into()),
            source: None,
            published: None,
            lang: None,
        };
        assert!(matches!(
            meta(&d("javascript:alert(1)"))[..],
            [Meta::Text(_)]
        ));
        assert!(matches!(
            meta(&d("https://e.com/a?b=\"c\""))[..],
            [Meta::Link(_)]
        ));
    }
}
