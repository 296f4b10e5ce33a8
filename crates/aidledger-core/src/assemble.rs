//! Assembly stage: merges the event mentions of one article into records, one per
//! donor, stage group and aid, each with all its evidence spans.
//!
//! Mentions are taken in text order. A mention joins an earlier record of the same
//! donor and status group when nothing contradicts it: no two different named systems,
//! no two different dates (a month contains its days), no two different values, no two
//! different recipients. Among such records it prefers one sharing a named system, then
//! one sharing a generic item, then the latest. Within a group the record keeps the
//! strongest stage (approved over pledged over considering; delivered over expedited).

use crate::doc::Doc;
use crate::events::Event;
use crate::{Evidence, Item, Kind, Record, Status, StatusGroup, Value};

struct Draft {
    status: Status,
    kind: Kind,
    donor: String,
    recipient: Option<String>,
    items: Vec<Item>,
    value: Option<Value>,
    date: Option<String>,
    asserted_by: Option<String>,
    spans: Vec<std::ops::Range<usize>>,
    mentions: usize,
    default_date: Option<String>,
    /// Every mention so far was a secondary (relative-clause) one.
    secondary_only: bool,
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Approved | Status::Delivered => 3,
        Status::Pledged | Status::Expedited => 2,
        _ => 1,
    }
}

fn named(items: &[Item]) -> Vec<&str> {
    items
        .iter()
        .filter(|i| is_named(i))
        .map(|i| i.name.as_str())
        .collect()
}

/// Generic items carry a lowercase English phrase; named systems start with a capital or digit.
fn is_named(i: &Item) -> bool {
    i.name
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

fn same_date(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fn compatible(d: &Draft, e: &Event, donor: &str) -> bool {
    if d.donor != donor || d.status.group() != e.status.group() || d.kind != e.kind {
        return false;
    }
    // a pledge and an approval are two stages unless one is only a relative clause about
    // the other ("les huit systèmes qu'ils ont promis")
    // ... unless the same value or the same named system shows they are one package
    let firm = |s: Status| matches!(s, Status::Pledged | Status::Approved);
    let same_value = matches!((&d.value, &e.value), (Some(a), Some(b)) if a.currency == b.currency && (a.amount - b.amount).abs() <= 0.01 * a.amount.abs());
    let same_system = named(&d.items).iter().any(|n| named(&e.items).contains(n));
    if firm(d.status)
        && firm(e.status)
        && d.status != e.status
        && !e.secondary
        && !d.secondary_only
        && !same_value
        && !same_system
    {
        return false;
    }
    let (dn, en) = (named(&d.items), named(&e.items));
    if !dn.is_empty() && !en.is_empty() && !dn.iter().any(|n| en.contains(n)) {
        return false;
    }
    // "Washington promised 31 Abrams in January ... Biden announced a new $325 million
    // tranche": an amount without systems is another package than dated systems without
    // an amount
    if e.value.is_some() && d.value.is_none() && !dn.is_empty() && en.is_empty() && d.date.is_some()
    {
        return false;
    }
    if let (Some(a), Some(b)) = (&d.date, &e.date) {
        if !same_date(a, b) {
            return false;
        }
    }
    if let (Some(a), Some(b)) = (&d.value, &e.value) {
        if a.currency != b.currency || (a.amount - b.amount).abs() > 0.01 * a.amount.abs() {
            return false;
        }
    }
    if let (Some(a), Some(b)) = (&d.recipient, &e.recipient) {
        if a != b {
            return false;
        }
    }
    true
}

fn affinity(d: &Draft, e: &Event) -> u8 {
    let (dn, en) = (named(&d.items), named(&e.items));
    if dn.iter().any(|n| en.contains(n)) {
        return 2;
    }
    if d.items
        .iter()
        .any(|i| e.items.iter().any(|j| j.name == i.name))
    {
        return 1;
    }
    0
}

/// Merges events into records with evidence in original offsets.
pub fn assemble(doc: &Doc, events: &[Event]) -> Vec<Record> {
    let mut drafts: Vec<Draft> = Vec::new();
    for e in events {
        for donor in &e.donors {
            let target = drafts
                .iter()
                .enumerate()
                .filter(|(_, d)| compatible(d, e, donor))
                .max_by_key(|(i, d)| (affinity(d, e), *i))
                .map(|(i, _)| i);
            match target {
                Some(i) => merge(&mut drafts[i], e),
                None => drafts.push(Draft {
                    status: e.status,
                    kind: e.kind,
                    donor: donor.clone(),
                    recipient: e.recipient.clone(),
                    items: e.items.clone(),
                    value: e.value.clone(),
                    date: e.date.clone(),
                    asserted_by: e.asserted_by.clone(),
                    spans: std::iter::once(e.span.clone())
                        .chain(e.extra_spans.iter().cloned())
                        .collect(),
                    mentions: 1,
                    default_date: e.default_date.clone(),
                    secondary_only: e.secondary,
                }),
            }
        }
    }
    drafts
        .into_iter()
        .map(|d| {
            let mut evidence: Vec<Evidence> = Vec::new();
            for s in &d.spans {
                let o = doc.orig_span(s);
                if evidence.iter().any(|e| e.start == o.start) {
                    continue;
                }
                let text = doc.orig.get(o.clone()).unwrap_or("").to_string();
                evidence.push(Evidence {
                    start: o.start,
                    end: o.end,
                    text,
                });
            }
            let mut conf: f64 = 0.55;
            if !named(&d.items).is_empty() {
                conf += 0.15;
            }
            if d.date.is_some() {
                conf += 0.05;
            }
            if d.mentions > 1 {
                conf += 0.1;
            }
            let date = d.date.or(d.default_date);
            let flags = flags(doc, d.status, date.as_deref(), d.value.as_ref());
            Record {
                doc_id: doc.id.to_string(),
                status: d.status,
                donors: vec![d.donor],
                recipient: d.recipient,
                items: d.items,
                value: d.value,
                date,
                asserted_by: d.asserted_by,
                evidence,
                confidence: (conf.min(0.95) * 100.0).round() / 100.0,
                kind: d.kind,
                flags,
            }
        })
        .collect()
}

fn merge(d: &mut Draft, e: &Event) {
    if rank(e.status) > rank(d.status) {
        d.status = e.status;
    }
    for it in &e.items {
        match d.items.iter_mut().find(|i| i.name == it.name) {
            Some(ex) => {
                if ex.quantity.is_none() {
                    ex.quantity = it.quantity;
                }
            }
            None => d.items.push(it.clone()),
        }
    }
    if d.value.is_none() {
        d.value = e.value.clone();
    }
    // keep the most precise date
    if e.date.is_some()
        && d.date
            .as_ref()
            .is_none_or(|a| e.date.as_ref().is_some_and(|b| b.len() > a.len()))
    {
        d.date = e.date.clone();
    }
    if d.recipient.is_none() {
        d.recipient = e.recipient.clone();
    }
    if d.asserted_by.is_none() {
        d.asserted_by = e.asserted_by.clone();
    }
    d.spans.push(e.span.clone());
    d.spans.extend(e.extra_spans.iter().cloned());
    d.mentions += 1;
    if d.default_date.is_none() {
        d.default_date = e.default_date.clone();
    }
    d.secondary_only &= e.secondary;
}

/// The first year a record of this war's aid can plausibly be dated in (Crimea, 2014).
const FIRST_YEAR: i32 = 2014;
/// No single aid record is worth this much in any currency's units: a larger amount is
/// a misreading ("$400 billion" for "$400 million") or a national budget.
const MAX_VALUE: f64 = 200e9;

/// Nor is any worth less than this: a smaller amount is a misread number.
const MIN_VALUE: f64 = 1000.0;

/// Doubts about a record that a person should confirm before it counts in any sum.
fn flags(doc: &Doc, status: Status, date: Option<&str>, value: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = date {
        let year: Option<i32> = d.get(..4).and_then(|y| y.parse().ok());
        if year.is_some_and(|y| y < FIRST_YEAR) {
            out.push("date_before_war".to_string());
        }
        // a past event (delivered, refused, suspended ...) cannot happen after the article
        let past = matches!(
            status.group(),
            StatusGroup::Deliver | StatusGroup::Stop | StatusGroup::Resume
        ) && status != Status::Expedited;
        if let (true, Some(r)) = (past, doc.reference_text.as_deref()) {
            // compare as far as both are precise ("2022-10" against "2022-10-12")
            let n = d.len().min(r.len());
            if d.get(..n) > r.get(..n) {
                out.push("date_after_publication".to_string());
            }
        }
    }
    if value.is_some_and(|v| v.amount > MAX_VALUE || v.amount < MIN_VALUE) {
        out.push("value_out_of_scale".to_string());
    }
    out
}
