//! [`merge`]: records → commitments. Which commitment a record feeds is decided in
//! `cluster.rs`; this builds each commitment from its records. The rules are in
//! `docs/ledger.md`; each step here names the rule it implements.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::{self, Key};
use crate::dates;
use crate::entries::{self, Entry};
use crate::keys;
use crate::{
    Commitment, Content, EvidenceRef, Kind, Point, Reported, SourcedRecord, Stage, Status, Subject,
    Value,
};

/// Relative tolerance within which two values are the same package (1%).
pub const PACKAGE_TOLERANCE: f64 = 0.01;

/// The stable id of a commitment: FNV-1a 64 of donor, recipient, key and flag state.
fn commitment_id(donor: &str, recipient: Option<&str>, key: &Key, flagged: bool) -> String {
    keys::fnv1a64_hex(&format!(
        "aidledger-commitment-v2\u{1f}{donor}\u{1f}{}\u{1f}{}{}",
        recipient.unwrap_or(""),
        key.id_text(),
        if flagged { "\u{1f}flagged" } else { "" }
    ))
}

/// Figures as reported: each distinct figure once, with the documents and outlets that
/// report it.
struct Figures<K: Ord> {
    map: BTreeMap<K, (BTreeSet<String>, BTreeSet<String>)>,
}

impl<K: Ord> Figures<K> {
    fn new() -> Self {
        Figures {
            map: BTreeMap::new(),
        }
    }

    fn add(&mut self, k: K, doc_id: &str, outlet: &str) {
        let e = self.map.entry(k).or_default();
        e.0.insert(doc_id.to_string());
        e.1.insert(outlet.to_string());
    }

    fn into_reported<T>(self, f: impl Fn(K) -> T) -> Vec<Reported<T>> {
        self.map
            .into_iter()
            .map(|(k, (docs, outlets))| Reported {
                value: f(k),
                doc_ids: docs.into_iter().collect(),
                sources: outlets.into_iter().collect(),
            })
            .collect()
    }
}

/// An amount ordered by `total_cmp`, so values can key a map.
#[derive(Debug, Clone, Copy)]
struct Amount(f64);

impl PartialEq for Amount {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Amount {}
impl PartialOrd for Amount {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Amount {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// The most frequent of `names` (ties: the smallest as text).
fn most_frequent<'s>(names: impl Iterator<Item = &'s str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in names {
        *counts.entry(n).or_default() += 1;
    }
    // BTreeMap iterates smallest first; max_by_key keeps the last maximum, so compare
    // with a reversed tie-break.
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(n, _)| n.to_string())
}

/// Rule "stages": one stage from the contributions of one status. Also returns the
/// stage's reference dates (reported dates, else publication dates) for the status and
/// date-range rules.
fn build_stage(
    status: Status,
    contribs: &[&Entry<'_>],
    single: Option<&str>,
) -> (Stage, Vec<String>) {
    let mut dates_f = Figures::new();
    let mut quantities = Figures::new();
    let mut values = Figures::new();
    let mut asserted = Figures::new();
    let mut sources = BTreeSet::new();
    let mut doc_ids = BTreeSet::new();
    let mut evidence = Vec::new();
    let mut reported_dates = BTreeSet::new();
    let mut published_dates = BTreeSet::new();
    for c in contribs {
        let rec = c.rec;
        let r = &rec.record;
        let doc = r.doc_id.as_str();
        let outlet = rec.outlet();
        if let Some(d) = r.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            dates_f.add(d.to_string(), doc, &outlet);
        }
        if let Some(d) = dates::valid(r.date.as_deref()) {
            reported_dates.insert(d.to_string());
        }
        if let Some(p) = dates::valid(rec.published.as_deref()) {
            published_dates.insert(p.to_string());
        }
        if let Some(key) = single {
            for q in c
                .items
                .iter()
                .filter(|i| i.key == key)
                .filter_map(|i| i.quantity)
            {
                quantities.add(q, doc, &outlet);
            }
        }
        if let Some(v) = &c.value {
            values.add((v.currency.clone(), Amount(v.amount)), doc, &outlet);
        }
        if let Some(a) = r
            .asserted_by
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            asserted.add(a.to_string(), doc, &outlet);
        }
        sources.insert(outlet);
        doc_ids.insert(doc.to_string());
        for e in &r.evidence {
            evidence.push(EvidenceRef {
                doc_id: doc.to_string(),
                start: e.start,
                end: e.end,
                text: e.text.clone(),
                published: rec.published.clone(),
                source: rec.source.clone(),
            });
        }
    }
    let mut dates_v = dates_f.into_reported(|d| d);
    // Most precise first, then chronological.
    dates_v.sort_by(|a, b| {
        dates::precision(&b.value)
            .cmp(&dates::precision(&a.value))
            .then_with(|| a.value.cmp(&b.value))
    });
    evidence.sort_by(|a, b| {
        (&a.doc_id, a.start, a.end, &a.text, &a.published, &a.source).cmp(&(
            &b.doc_id,
            b.start,
            b.end,
            &b.text,
            &b.published,
            &b.source,
        ))
    });
    evidence.dedup();
    let reference = if reported_dates.is_empty() {
        published_dates
    } else {
        reported_dates
    };
    let stage = Stage {
        status,
        dates: dates_v,
        quantities: quantities.into_reported(|q| q),
        values: values.into_reported(|(currency, Amount(amount))| Value { amount, currency }),
        asserted_by: asserted.into_reported(|a| a),
        sources: sources.into_iter().collect(),
        evidence,
        doc_ids: doc_ids.into_iter().collect(),
    };
    (stage, reference.into_iter().collect())
}

/// Whether a status moves the aid forward (requested ... delivered) rather than
/// interrupting or restarting it (refused, blocked, suspended, resumed).
fn is_progress(s: Status) -> bool {
    s <= Status::Delivered
}

/// Rule "status": the furthest progress stage in life order; an interruption (refused,
/// blocked, suspended, resumed) replaces it when its latest reference date is the same
/// period or later, or when either side has no date. Among interruptions the latest
/// dated wins (undated ones count as earliest; ties go to the later life order).
fn overall_status(stages: &[(Stage, Vec<String>)]) -> Status {
    let latest = |(_, refs): &(Stage, Vec<String>)| refs.iter().max().cloned();
    let progress = stages
        .iter()
        .filter(|(s, _)| is_progress(s.status))
        .max_by_key(|(s, _)| s.status);
    let interruption = stages
        .iter()
        .filter(|(s, _)| !is_progress(s.status))
        .max_by(|a, b| latest(a).cmp(&latest(b)).then(a.0.status.cmp(&b.0.status)));
    match (progress, interruption) {
        (Some(p), None) => p.0.status,
        (None, Some(i)) => i.0.status,
        (Some(p), Some(i)) => match (latest(i), latest(p)) {
            (Some(di), Some(dp)) if !dates::same_or_later(&di, &dp) => p.0.status,
            _ => i.0.status,
        },
        (None, None) => unreachable!("a commitment has at least one stage"),
    }
}

/// Rule 6: contents, by item key; quantities pledged and delivered as reported.
fn contents(entries: &[&Entry<'_>]) -> Vec<Content> {
    struct Acc<'s> {
        names: Vec<&'s str>,
        categories: Vec<&'s str>,
        named: bool,
        pledged: Figures<u64>,
        delivered: Figures<u64>,
    }
    let mut by_key: BTreeMap<(bool, String), Acc<'_>> = BTreeMap::new();
    for e in entries {
        let doc = e.rec.record.doc_id.as_str();
        let outlet = e.rec.outlet();
        for it in &e.items {
            let acc = by_key
                .entry((!it.named, it.key.clone()))
                .or_insert_with(|| Acc {
                    names: Vec::new(),
                    categories: Vec::new(),
                    named: it.named,
                    pledged: Figures::new(),
                    delivered: Figures::new(),
                });
            acc.names.push(it.name);
            if let Some(c) = it.category.as_deref() {
                acc.categories.push(c);
            }
            if let Some(q) = it.quantity {
                let status = e.rec.record.status;
                if cluster::is_pledge(status) && e.kind == Kind::Package {
                    acc.pledged.add(q, doc, &outlet);
                } else if status == Status::Delivered {
                    acc.delivered.add(q, doc, &outlet);
                }
            }
        }
    }
    by_key
        .into_values()
        .map(|a| Content {
            name: most_frequent(a.names.into_iter()).unwrap_or_default(),
            category: most_frequent(a.categories.into_iter()),
            named: a.named,
            pledged: a.pledged.into_reported(|q| q),
            delivered: a.delivered.into_reported(|q| q),
        })
        .collect()
}

/// Rule 6: the dated figures of a total.
fn series(entries: &[&Entry<'_>]) -> Vec<Point> {
    let mut f: Figures<(Option<String>, String, Amount)> = Figures::new();
    for e in entries {
        if let Some(v) = &e.value {
            f.add(
                (e.date.clone(), v.currency.clone(), Amount(v.amount)),
                &e.rec.record.doc_id,
                &e.rec.outlet(),
            );
        }
    }
    f.into_reported(|k| k)
        .into_iter()
        .map(|r| Point {
            date: r.value.0,
            value: Value {
                amount: r.value.2 .0,
                currency: r.value.1,
            },
            doc_ids: r.doc_ids,
            sources: r.sources,
        })
        .collect()
}

/// The label of contents: named systems, else generic items, else "military aid
/// (unspecified)".
fn label(contents: &[Content]) -> String {
    let named: Vec<&str> = contents
        .iter()
        .filter(|c| c.named)
        .map(|c| c.name.as_str())
        .collect();
    let all: Vec<&str> = contents.iter().map(|c| c.name.as_str()).collect();
    match (named.is_empty(), all.is_empty()) {
        (false, _) => named.join(", "),
        (true, false) => all.join(", "),
        _ => keys::vague_label("other"),
    }
}

/// Rules 6 and 7 for the entries of one key.
fn build_commitment(
    donor: String,
    recipient: Option<String>,
    flagged: bool,
    key: Key,
    entries: Vec<&Entry<'_>>,
) -> Commitment {
    let id = commitment_id(&donor, recipient.as_deref(), &key, flagged);
    let contents = contents(&entries);
    let single = match contents.as_slice() {
        [c] => Some(c),
        _ => None,
    };
    let single_key = single.and_then(|_| {
        entries
            .iter()
            .flat_map(|e| &e.items)
            .map(|i| i.key.clone())
            .next()
    });
    let text = label(&contents);
    let (subject, item, value) = match &key {
        Key::Package {
            currency,
            amount,
            date,
        } => (
            Subject::Package {
                amount: *amount,
                currency: currency.clone(),
                month: date.as_deref().map(|d| d.chars().take(7).collect()),
            },
            "package".to_string(),
            Some(Value {
                amount: *amount as f64,
                currency: currency.clone(),
            }),
        ),
        Key::Total { currency } => (
            Subject::Total {
                currency: currency.clone(),
            },
            "cumulative total".to_string(),
            None,
        ),
        Key::Budget { currency, amount } => (
            Subject::Budget {
                amount: *amount,
                currency: currency.clone(),
            },
            "budget".to_string(),
            (*amount > 0).then(|| Value {
                amount: *amount as f64,
                currency: currency.clone(),
            }),
        ),
        Key::Transfer { value, .. } => (
            subject_of(single, &text),
            text.clone(),
            value.as_ref().map(|(c, a)| Value {
                amount: *a as f64,
                currency: c.clone(),
            }),
        ),
        Key::Loose { .. } | Key::Request { .. } => (subject_of(single, &text), text.clone(), None),
    };
    let mut by_status: BTreeMap<Status, Vec<&Entry<'_>>> = BTreeMap::new();
    for e in &entries {
        by_status.entry(e.rec.record.status).or_default().push(e);
    }
    let stages: Vec<(Stage, Vec<String>)> = by_status
        .into_iter()
        .map(|(s, es)| build_stage(s, &es, single_key.as_deref()))
        .collect();
    let status = overall_status(&stages);
    let all_refs: BTreeSet<&String> = stages.iter().flat_map(|(_, r)| r).collect();
    let first_date = all_refs.iter().next().map(|d| d.to_string());
    let last_date = all_refs.iter().next_back().map(|d| d.to_string());
    let sources: BTreeSet<String> = stages
        .iter()
        .flat_map(|(s, _)| s.sources.iter().cloned())
        .collect();
    let doc_ids: BTreeSet<String> = stages
        .iter()
        .flat_map(|(s, _)| s.doc_ids.iter().cloned())
        .collect();
    let flags: BTreeSet<String> = entries
        .iter()
        .flat_map(|e| e.flags.iter().cloned())
        .collect();
    let announced = match &key {
        Key::Package { date, .. } => date.clone(),
        _ => earliest(entries.iter().filter_map(|e| e.date.as_deref())),
    };
    let kind = key.kind();
    Commitment {
        id,
        kind,
        donor,
        recipient,
        subject,
        item,
        category: single.and_then(|c| c.category.clone()),
        stages: stages.into_iter().map(|(s, _)| s).collect(),
        status,
        first_date,
        last_date,
        sources: sources.into_iter().collect(),
        doc_ids: doc_ids.into_iter().collect(),
        announced,
        value,
        series: if kind == Kind::Total {
            series(&entries)
        } else {
            Vec::new()
        },
        contents,
        flags: flags.into_iter().collect(),
        confirmed: false,
    }
}

fn subject_of(single: Option<&Content>, text: &str) -> Subject {
    match single {
        Some(c) if c.named => Subject::System {
            name: c.name.clone(),
        },
        _ => Subject::Generic {
            name: text.to_string(),
        },
    }
}

/// The earliest of the most precise dates.
fn earliest<'s>(ds: impl Iterator<Item = &'s str>) -> Option<String> {
    ds.min_by(|a, b| dates::precision(b).cmp(&dates::precision(a)).then(a.cmp(b)))
        .map(str::to_string)
}

/// Merges records into commitments (see `docs/ledger.md`). Deterministic: the output
/// does not depend on the order of `records`. Commitments come sorted by donor,
/// recipient (none first), subject and id.
pub fn merge(records: &[SourcedRecord]) -> Vec<Commitment> {
    merge_some(records, None)
}

/// A donor and a recipient, as the ledger writes them (codes trimmed and upper-case;
/// no recipient is `None`).
pub type Party = (String, Option<String>);

/// The parties a record may feed commitments of: each of its donors with its recipient
/// ([`merge`] feeds no other). The store keeps these per record to know which
/// commitments a write touches.
pub fn parties(rec: &SourcedRecord) -> Vec<Party> {
    parties_of(&rec.record.donors, rec.record.recipient.as_deref())
}

/// [`parties`] of a record's donors and recipient as stored.
pub fn parties_of(donors: &[String], recipient: Option<&str>) -> Vec<Party> {
    let recipient = recipient.map(keys::party).filter(|p| !p.is_empty());
    let donors: BTreeSet<String> = donors
        .iter()
        .map(|d| keys::party(d))
        .filter(|d| !d.is_empty())
        .collect();
    donors.into_iter().map(|d| (d, recipient.clone())).collect()
}

/// The commitments of `only` parties: exactly those of `merge(records)` whose donor and
/// recipient are in `only`, when `records` holds every record that feeds those parties
/// (records of other parties may be there too: they are ignored). Every rule of the
/// merge looks only at the records of one donor and recipient, which is what lets the
/// store rebuild after a write only the parties it touched (`docs/ledger.md`,
/// "Incremental rebuilds").
pub fn merge_parties(records: &[SourcedRecord], only: &BTreeSet<Party>) -> Vec<Commitment> {
    merge_some(records, Some(only))
}

fn merge_some(records: &[SourcedRecord], only: Option<&BTreeSet<Party>>) -> Vec<Commitment> {
    let mut entries = Vec::new();
    for rec in records {
        entries::entries(rec, &mut entries);
    }
    if let Some(only) = only {
        entries.retain(|e| only.contains(&(e.donor.clone(), e.recipient.clone())));
    }
    cluster::assign(&mut entries);
    type GroupKey = (String, Option<String>, bool, Key);
    let mut groups: BTreeMap<GroupKey, Vec<&Entry<'_>>> = BTreeMap::new();
    for e in &entries {
        let key = e.key.clone().expect("every entry is assigned a key");
        groups
            .entry((e.donor.clone(), e.recipient.clone(), e.flagged(), key))
            .or_default()
            .push(e);
    }
    let mut out: Vec<Commitment> = groups
        .into_iter()
        .map(|((donor, recipient, flagged, key), es)| {
            build_commitment(donor, recipient, flagged, key, es)
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.donor, &a.recipient, &a.subject, &a.id).cmp(&(
            &b.donor,
            &b.recipient,
            &b.subject,
            &b.id,
        ))
    });
    out
}
