//! [`merge`]: records → commitments. The rules are in `docs/ledger.md`; each step here
//! names the rule it implements.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::dates;
use crate::keys::{self, ItemKind};
use crate::{Commitment, EvidenceRef, Reported, SourcedRecord, Stage, Status, Subject, Value};

/// Relative tolerance within which two package values are the same package (1%).
pub const PACKAGE_TOLERANCE: f64 = 0.01;

/// What a commitment is keyed by, before display names are chosen. Ids are hashed from
/// this key, so they do not depend on which spelling of a name wins the display.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// A named system, by [`keys::system_key`].
    System(String),
    /// A package: its anchor's amount (rounded), currency and month.
    Package {
        currency: String,
        amount: u64,
        month: Option<String>,
    },
    /// A specific generic phrase, by [`keys::generic_key`].
    Generic(String),
    /// All vague generic phrases of one category.
    Vague(String),
    /// A package whose cluster is not known yet (replaced before grouping).
    Pending,
}

impl Key {
    /// The text the id is hashed from (with donor and recipient).
    fn id_text(&self) -> String {
        match self {
            Key::System(k) => format!("system\u{1f}{k}"),
            Key::Package {
                currency,
                amount,
                month,
            } => {
                format!(
                    "package\u{1f}{currency}\u{1f}{amount}\u{1f}{}",
                    month.as_deref().unwrap_or("")
                )
            }
            Key::Generic(k) => format!("generic\u{1f}{k}"),
            Key::Vague(c) => format!("vague\u{1f}{c}"),
            Key::Pending => unreachable!("packages are clustered before ids are made"),
        }
    }
}

/// The stable id of a commitment: FNV-1a 64 of donor, recipient and key, in hex.
fn commitment_id(donor: &str, recipient: Option<&str>, key: &Key) -> String {
    keys::fnv1a64_hex(&format!(
        "aidledger-commitment-v1\u{1f}{donor}\u{1f}{}\u{1f}{}",
        recipient.unwrap_or(""),
        key.id_text()
    ))
}

/// One record's share in one commitment: the record, seen from one donor, about one
/// item (or its value, or its vague aid).
struct Contribution<'a> {
    rec: &'a SourcedRecord,
    donor: String,
    recipient: Option<String>,
    key: Key,
    /// The item name as written (systems and generic phrases).
    name: Option<&'a str>,
    quantity: Option<u64>,
    category: Option<String>,
}

/// A package value waiting for its cluster.
struct PackageCandidate {
    contribution: usize,
    currency: String,
    amount: f64,
    month: Option<(i32, u32)>,
}

/// A usable value: finite, positive, with a currency.
fn valid_value(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| v.amount.is_finite() && v.amount > 0.0 && !v.currency.trim().is_empty())
}

fn norm_category(c: Option<&str>) -> Option<String> {
    c.map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty())
}

/// The month a package is reported in: the record date's month; else, when the record
/// has no date (or only a year, the publication's year), the publication month.
fn package_month(rec: &SourcedRecord) -> Option<(i32, u32)> {
    let date = dates::valid(rec.record.date.as_deref());
    let published = dates::valid(rec.published.as_deref());
    if let Some(m) = date.and_then(dates::month_of) {
        return Some(m);
    }
    match (date, published) {
        (None, Some(p)) => dates::month_of(p),
        (Some(d), Some(p)) if d.len() == 4 && p.starts_with(d) => dates::month_of(p),
        _ => None,
    }
}

/// Rule "keys": what commitments one record feeds.
fn contributions<'a>(
    rec: &'a SourcedRecord,
    out: &mut Vec<Contribution<'a>>,
    packages: &mut Vec<PackageCandidate>,
) {
    let r = &rec.record;
    let donors: BTreeSet<String> = r
        .donors
        .iter()
        .map(|d| keys::party(d))
        .filter(|d| !d.is_empty())
        .collect();
    let recipient = r
        .recipient
        .as_deref()
        .map(keys::party)
        .filter(|r| !r.is_empty());
    let value = valid_value(r.value.as_ref());
    let kinds: Vec<ItemKind> = r
        .items
        .iter()
        .map(|i| keys::item_kind(&i.name, i.category.as_deref()))
        .collect();
    let named: Vec<_> = r
        .items
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k == ItemKind::Named)
        .map(|(i, _)| i)
        .collect();
    let generic: Vec<_> = r
        .items
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k == ItemKind::Generic)
        .map(|(i, _)| i)
        .collect();
    // Items that are all "not aid" (nuclear weapons...) and nothing else: no aid at all.
    if !r.items.is_empty() && named.is_empty() && generic.is_empty() && value.is_none() {
        return;
    }
    for donor in donors {
        let base = |key: Key,
                    name: Option<&'a str>,
                    quantity: Option<u64>,
                    category: Option<String>| Contribution {
            rec,
            donor: donor.clone(),
            recipient: recipient.clone(),
            key,
            name,
            quantity,
            category,
        };
        for item in &named {
            let name = item.name.trim();
            out.push(base(
                Key::System(keys::system_key(name)),
                Some(name),
                item.quantity,
                norm_category(item.category.as_deref()),
            ));
        }
        if let Some(v) = value {
            packages.push(PackageCandidate {
                contribution: out.len(),
                currency: v.currency.trim().to_uppercase(),
                amount: v.amount,
                month: package_month(rec),
            });
            out.push(base(Key::Pending, None, None, None));
        }
        if named.is_empty() && value.is_none() {
            if generic.is_empty() {
                out.push(base(
                    Key::Vague("other".into()),
                    None,
                    None,
                    Some("other".into()),
                ));
            }
            for item in &generic {
                let name = item.name.trim();
                let key = keys::generic_key(name);
                let category = norm_category(item.category.as_deref());
                if keys::is_vague(&key) {
                    let c = category.unwrap_or_else(|| "other".into());
                    out.push(base(
                        Key::Vague(c.clone()),
                        Some(name),
                        item.quantity,
                        Some(c),
                    ));
                } else {
                    out.push(base(Key::Generic(key), Some(name), item.quantity, category));
                }
            }
        }
    }
}

fn within_tolerance(a: f64, b: f64) -> bool {
    (a - b).abs() <= PACKAGE_TOLERANCE * a.max(b)
}

/// Rule "packages": package values of one donor, recipient and currency are clustered.
/// Dated ones are taken in (month, amount) order; each joins the first cluster whose
/// anchor (its first member) has an amount within 1% and a month equal to its own or
/// one month before; otherwise it starts a cluster. An undated one joins the only dated
/// cluster within 1%, else clusters with other undated ones the same way.
fn cluster_packages(contribs: &mut [Contribution<'_>], candidates: Vec<PackageCandidate>) {
    let mut by_party: BTreeMap<(String, Option<String>, String), Vec<PackageCandidate>> =
        BTreeMap::new();
    for c in candidates {
        let k = &contribs[c.contribution];
        by_party
            .entry((k.donor.clone(), k.recipient.clone(), c.currency.clone()))
            .or_default()
            .push(c);
    }
    for ((_, _, currency), mut cands) in by_party {
        // Candidates equal in (month, amount) are interchangeable: the order among them
        // cannot change any decision.
        cands.sort_by(|a, b| {
            (a.month.is_none(), a.month)
                .cmp(&(b.month.is_none(), b.month))
                .then(a.amount.total_cmp(&b.amount))
        });
        // (anchor month, anchor amount)
        let mut dated: Vec<((i32, u32), f64)> = Vec::new();
        let mut undated: Vec<f64> = Vec::new();
        for c in cands {
            let (month, amount) = match c.month {
                Some(m) => {
                    let i = dated.iter().position(|&(am, aa)| {
                        (m == am || m == dates::next_month(am)) && within_tolerance(c.amount, aa)
                    });
                    let (am, aa) = match i {
                        Some(i) => dated[i],
                        None => {
                            dated.push((m, c.amount));
                            (m, c.amount)
                        }
                    };
                    (Some(dates::month_str(am)), aa)
                }
                None => {
                    let matches: Vec<_> = dated
                        .iter()
                        .filter(|&&(_, aa)| within_tolerance(c.amount, aa))
                        .collect();
                    if let [&(am, aa)] = matches.as_slice() {
                        (Some(dates::month_str(am)), aa)
                    } else {
                        let aa = match undated.iter().find(|&&aa| within_tolerance(c.amount, aa)) {
                            Some(&aa) => aa,
                            None => {
                                undated.push(c.amount);
                                c.amount
                            }
                        };
                        (None, aa)
                    }
                }
            };
            contribs[c.contribution].key = Key::Package {
                currency: currency.clone(),
                amount: amount.round() as u64,
                month,
            };
        }
    }
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
    contribs: &[&Contribution<'_>],
    with_quantities: bool,
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
        let outlet = keys::outlet(rec.source.as_deref(), doc);
        if let Some(d) = r.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            dates_f.add(d.to_string(), doc, &outlet);
        }
        if let Some(d) = dates::valid(r.date.as_deref()) {
            reported_dates.insert(d.to_string());
        }
        if let Some(p) = dates::valid(rec.published.as_deref()) {
            published_dates.insert(p.to_string());
        }
        if with_quantities {
            if let Some(q) = c.quantity {
                quantities.add(q, doc, &outlet);
            }
        }
        if let Some(v) = valid_value(r.value.as_ref()) {
            values.add(
                (v.currency.trim().to_uppercase(), Amount(v.amount)),
                doc,
                &outlet,
            );
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

/// Rules "display" and "stages" for one group of contributions.
fn build_commitment(
    donor: String,
    recipient: Option<String>,
    key: Key,
    contribs: Vec<&Contribution<'_>>,
) -> Commitment {
    let id = commitment_id(&donor, recipient.as_deref(), &key);
    let spelling = || most_frequent(contribs.iter().filter_map(|c| c.name)).unwrap_or_default();
    let category = || most_frequent(contribs.iter().filter_map(|c| c.category.as_deref()));
    let (subject, item, category) = match &key {
        Key::System(_) => {
            let name = spelling();
            (Subject::System { name: name.clone() }, name, category())
        }
        Key::Package {
            currency,
            amount,
            month,
        } => (
            Subject::Package {
                amount: *amount,
                currency: currency.clone(),
                month: month.clone(),
            },
            "package".to_string(),
            None,
        ),
        Key::Generic(_) => {
            let name = spelling();
            (Subject::Generic { name: name.clone() }, name, category())
        }
        Key::Vague(c) => {
            let name = keys::vague_label(c);
            (
                Subject::Generic { name: name.clone() },
                name,
                Some(c.clone()),
            )
        }
        Key::Pending => unreachable!("packages are clustered before grouping"),
    };
    let with_quantities = !matches!(key, Key::Package { .. });
    let mut by_status: BTreeMap<Status, Vec<&Contribution<'_>>> = BTreeMap::new();
    for c in &contribs {
        by_status.entry(c.rec.record.status).or_default().push(c);
    }
    let stages: Vec<(Stage, Vec<String>)> = by_status
        .into_iter()
        .map(|(s, cs)| build_stage(s, &cs, with_quantities))
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
    Commitment {
        id,
        donor,
        recipient,
        subject,
        item,
        category,
        stages: stages.into_iter().map(|(s, _)| s).collect(),
        status,
        first_date,
        last_date,
        sources: sources.into_iter().collect(),
        doc_ids: doc_ids.into_iter().collect(),
    }
}

/// Merges records into commitments (see `docs/ledger.md`). Deterministic: the output
/// does not depend on the order of `records`. Commitments come sorted by donor,
/// recipient (none first) and subject.
pub fn merge(records: &[SourcedRecord]) -> Vec<Commitment> {
    let mut contribs = Vec::new();
    let mut packages = Vec::new();
    for rec in records {
        contributions(rec, &mut contribs, &mut packages);
    }
    cluster_packages(&mut contribs, packages);
    let mut groups: BTreeMap<(String, Option<String>, Key), Vec<&Contribution<'_>>> =
        BTreeMap::new();
    for c in &contribs {
        groups
            .entry((c.donor.clone(), c.recipient.clone(), c.key.clone()))
            .or_default()
            .push(c);
    }
    let mut out: Vec<Commitment> = groups
        .into_iter()
        .map(|((donor, recipient, key), cs)| build_commitment(donor, recipient, key, cs))
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
