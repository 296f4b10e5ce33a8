//! Which commitment each record feeds (`docs/ledger.md`, rules 2 to 5): each [`Entry`]
//! (a record seen from one donor, `entries.rs`) gets the [`Key`] of its commitment.
//! Every decision depends only on the set of entries, never on their input order:
//! entries are taken in a canonical order, and entries that can only join (value-less
//! package reports, transfers) look only at packages fixed before them.

use std::collections::{BTreeMap, BTreeSet};

use crate::entries::Entry;
use crate::{dates, sanity, Kind, Status, Value};

/// Two reports of one value are one package when their dates are at most this many
/// days apart (a report without a date of its own, dated by its article: see
/// [`RESTATEMENT_WINDOW_DAYS`]).
pub const PACKAGE_WINDOW_DAYS: i64 = 5;
/// A report dated only by its article joins a package of its value announced up to
/// this many days before the article.
pub const RESTATEMENT_WINDOW_DAYS: i64 = 30;
/// A report without a value joins the package announced within this many days that
/// contains the same system in the same quantity.
pub const CONTENTS_WINDOW_DAYS: i64 = 14;
/// Two values of one package told loosely differ by at most this much (10%).
pub const APPROXIMATE_TOLERANCE: f64 = 0.10;
/// ... and are announced at most this many days apart.
pub const APPROXIMATE_WINDOW_DAYS: i64 = 2;
/// A transfer joins a package announced at most this many days before it.
pub const TRANSFER_WINDOW_DAYS: i64 = 365;

/// What a commitment is keyed by (with donor, recipient and whether it is flagged).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    /// A package with a value: its anchor's currency, amount and date.
    Package {
        currency: String,
        amount: u64,
        date: Option<String>,
    },
    /// A package or pledge without a value: its period (month, else year) and contents.
    Loose {
        period: Option<String>,
        what: String,
    },
    /// A transfer that names no package: its month, contents and value.
    Transfer {
        period: Option<String>,
        what: String,
        value: Option<(String, u64)>,
    },
    /// An appeal: its year and what is asked for.
    Request {
        period: Option<String>,
        what: String,
    },
    /// Cumulative totals, one series per currency.
    Total { currency: String },
    /// A budget envelope: its anchor's currency and amount.
    Budget { currency: String, amount: u64 },
}

impl Key {
    pub(crate) fn kind(&self) -> Kind {
        match self {
            Key::Package { .. } | Key::Loose { .. } => Kind::Package,
            Key::Transfer { .. } => Kind::Transfer,
            Key::Request { .. } => Kind::Request,
            Key::Total { .. } => Kind::Total,
            Key::Budget { .. } => Kind::Budget,
        }
    }

    /// The text the id is hashed from (with donor, recipient and the flag marker).
    pub(crate) fn id_text(&self) -> String {
        let o = |s: &Option<String>| s.clone().unwrap_or_default();
        match self {
            Key::Package {
                currency,
                amount,
                date,
            } => format!("package\u{1f}{currency}\u{1f}{amount}\u{1f}{}", o(date)),
            Key::Loose { period, what } => format!("pledge\u{1f}{}\u{1f}{what}", o(period)),
            Key::Transfer {
                period,
                what,
                value,
            } => {
                let v = value
                    .as_ref()
                    .map(|(c, a)| format!("{c}{a}"))
                    .unwrap_or_default();
                format!("transfer\u{1f}{}\u{1f}{what}\u{1f}{v}", o(period))
            }
            Key::Request { period, what } => format!("request\u{1f}{}\u{1f}{what}", o(period)),
            Key::Total { currency } => format!("total\u{1f}{currency}"),
            Key::Budget { currency, amount } => format!("budget\u{1f}{currency}\u{1f}{amount}"),
        }
    }
}

fn within_tolerance(a: f64, b: f64) -> bool {
    (a - b).abs() <= crate::PACKAGE_TOLERANCE * a.max(b)
}

/// Rule "sanity": a package or transfer whose value equals (within 1%) a cumulative
/// total of the same donor, recipient and currency reported within
/// [`PACKAGE_WINDOW_DAYS`] of it is flagged. Only totals that keep their series growing
/// count (dated, and at least the largest earlier total): a "total" below an earlier
/// one is a misread figure, not a known cumulative total.
pub(crate) fn flag_totals(entries: &mut [Entry<'_>]) {
    type Series = Vec<(String, f64)>;
    let mut series: BTreeMap<(String, Option<String>, String), Series> = BTreeMap::new();
    for e in entries
        .iter()
        .filter(|e| e.kind == Kind::Total && !e.flagged())
    {
        if let (Some(v), Some(d)) = (&e.value, &e.date) {
            series
                .entry((e.donor.clone(), e.recipient.clone(), v.currency.clone()))
                .or_default()
                .push((d.clone(), v.amount));
        }
    }
    let mut known: BTreeMap<(String, Option<String>, String), Series> = BTreeMap::new();
    for (k, mut points) in series {
        points.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut max = 0.0f64;
        let kept = known.entry(k).or_default();
        for (d, a) in points {
            if a >= max * (1.0 - crate::PACKAGE_TOLERANCE) {
                kept.push((d, a));
            }
            max = max.max(a);
        }
    }
    for e in entries
        .iter_mut()
        .filter(|e| matches!(e.kind, Kind::Package | Kind::Transfer))
    {
        let Some(v) = &e.value else { continue };
        let Some(points) = known.get(&(e.donor.clone(), e.recipient.clone(), v.currency.clone()))
        else {
            continue;
        };
        let hit = points.iter().any(|(d, a)| {
            within_tolerance(*a, v.amount)
                && distance(Some(d), e.date.as_deref())
                    .is_some_and(|n| n.abs() <= PACKAGE_WINDOW_DAYS)
        });
        if hit {
            e.flags.push(sanity::MATCHES_TOTAL.into());
            e.flags.sort();
            e.flags.dedup();
        }
    }
}

/// A package with a value, as clustering builds it.
struct Cluster {
    currency: String,
    amount: f64,
    date: Option<String>,
    /// (system key, quantity) of its reports.
    contents: BTreeSet<(String, u64)>,
    /// Its entries and their documents.
    members: Vec<usize>,
    docs: BTreeSet<String>,
}

impl Cluster {
    fn key(&self) -> Key {
        Key::Package {
            currency: self.currency.clone(),
            amount: self.amount.round() as u64,
            date: self.date.clone(),
        }
    }
}

/// Distance in days from a package's date to `d` (`d - package`), when both are days;
/// `Some(0)` when one date contains the other; `None` when they cannot be compared.
fn distance(package: Option<&str>, d: Option<&str>) -> Option<i64> {
    let (p, d) = (package?, d?);
    dates::days_between(p, d).or_else(|| dates::same_period(p, d).then_some(0))
}

/// The one best candidate: the smallest distance; a tie between several is no answer.
fn best(cands: Vec<(i64, usize)>) -> Option<usize> {
    let min = cands.iter().map(|c| c.0).min()?;
    let at: Vec<usize> = cands.iter().filter(|c| c.0 == min).map(|c| c.1).collect();
    (at.len() == 1).then(|| at[0])
}

/// Rule 2, approximate restatements: a package whose value is within
/// [`APPROXIMATE_TOLERANCE`] of a package reported by more documents, announced within
/// [`APPROXIMATE_WINDOW_DAYS`] of it, is that package told loosely ("nearly $2
/// billion" for $1.85 billion, "$600 million" for $625 million the same day). Packages
/// are taken strongest first (more documents, then canonical order); each weaker one
/// joins the nearest stronger one that is not itself joined, if one is unique.
fn merge_approximate(entries: &mut [Entry<'_>], clusters: Vec<Cluster>) -> Vec<Cluster> {
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by_key(|&j| (std::cmp::Reverse(clusters[j].docs.len()), j));
    let mut kept: Vec<usize> = Vec::new();
    let mut into: BTreeMap<usize, usize> = BTreeMap::new();
    for &j in &order {
        let a = &clusters[j];
        let cands = kept
            .iter()
            .filter(|&&k| clusters[k].docs.len() > a.docs.len())
            .filter_map(|&k| {
                let b = &clusters[k];
                let near =
                    (a.amount - b.amount).abs() <= APPROXIMATE_TOLERANCE * a.amount.max(b.amount);
                let days = dates::days_between(a.date.as_deref()?, b.date.as_deref()?)?;
                (b.currency == a.currency && near && days.abs() <= APPROXIMATE_WINDOW_DAYS)
                    .then_some((days.abs(), k))
            })
            .collect();
        match best(cands) {
            Some(k) => {
                into.insert(j, k);
            }
            None => kept.push(j),
        }
    }
    let mut clusters: Vec<Option<Cluster>> = clusters.into_iter().map(Some).collect();
    for (j, k) in into {
        let a = clusters[j].take().expect("a package joins once");
        let b = clusters[k].as_mut().expect("a kept package");
        for &i in &a.members {
            entries[i].key = Some(b.key());
        }
        b.members.extend(a.members);
        b.docs.extend(a.docs);
        b.contents.extend(a.contents);
    }
    clusters.into_iter().flatten().collect()
}

/// Rules 2 to 5 for the entries of one donor, recipient and flag state (`idx`).
fn assign_party(entries: &mut [Entry<'_>], mut idx: Vec<usize>) {
    idx.sort_by_cached_key(|&i| entries[i].order());
    let mut clusters: Vec<Cluster> = Vec::new();
    // Rule 2: packages with a value, in canonical order.
    let packages: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| entries[i].kind == Kind::Package)
        .collect();
    for i in packages {
        let e = &entries[i];
        let Some(v) = e.value.clone() else { continue };
        let precision = e.date.as_deref().map_or(0, dates::precision);
        let same_value =
            |c: &Cluster| c.currency == v.currency && within_tolerance(c.amount, v.amount);
        let found = if precision == 3 {
            let lo = if e.own_date {
                -PACKAGE_WINDOW_DAYS
            } else {
                -RESTATEMENT_WINDOW_DAYS
            };
            let cands = clusters
                .iter()
                .enumerate()
                .filter(|(_, c)| same_value(c))
                .filter_map(|(j, c)| {
                    let back = dates::days_between(e.date.as_deref()?, c.date.as_deref()?)?;
                    (lo..=PACKAGE_WINDOW_DAYS)
                        .contains(&back)
                        .then_some((back.abs(), j))
                })
                .collect();
            best(cands)
        } else {
            let cands: Vec<usize> = clusters
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    same_value(c)
                        && (precision == 0
                            || distance(c.date.as_deref(), e.date.as_deref()).is_some())
                })
                .map(|(j, _)| j)
                .collect();
            match cands.as_slice() {
                [j] => Some(*j),
                _ => clusters
                    .iter()
                    .position(|c| same_value(c) && c.date == e.date),
            }
        };
        let j = found.unwrap_or_else(|| {
            clusters.push(Cluster {
                currency: v.currency.clone(),
                amount: v.amount,
                date: e.date.clone(),
                contents: BTreeSet::new(),
                members: Vec::new(),
                docs: BTreeSet::new(),
            });
            clusters.len() - 1
        });
        clusters[j].members.push(i);
        clusters[j]
            .docs
            .insert(entries[i].rec.record.doc_id.clone());
        let e = &mut entries[i];
        for it in e.items.iter().filter(|it| it.named) {
            if let Some(q) = it.quantity {
                clusters[j].contents.insert((it.key.clone(), q));
            }
        }
        e.key = Some(clusters[j].key());
    }
    let clusters = merge_approximate(entries, clusters);
    // Rules 3 to 5: the others look only at the packages fixed above.
    for &i in &idx {
        let e = &entries[i];
        if e.key.is_some() {
            continue;
        }
        let d = e.date.as_deref();
        let with_contents = |lo: i64, hi: i64| -> Option<usize> {
            let mut cands = Vec::new();
            for (j, c) in clusters.iter().enumerate() {
                let Some(back) = distance(c.date.as_deref(), d) else {
                    continue;
                };
                let shares = e.items.iter().any(|it| {
                    it.named
                        && it
                            .quantity
                            .is_some_and(|q| c.contents.contains(&(it.key.clone(), q)))
                });
                if shares && (lo..=hi).contains(&back) {
                    cands.push((back.abs(), j));
                }
            }
            best(cands)
        };
        let key = match e.kind {
            Kind::Package => {
                // Rule 3: same system and quantity nearby, else the package of that day.
                let same_day = || {
                    let day: Vec<usize> = (0..clusters.len())
                        .filter(|&j| {
                            d.is_some_and(|d| dates::precision(d) == 3)
                                && clusters[j].date.as_deref() == d
                        })
                        .collect();
                    (day.len() == 1).then(|| day[0])
                };
                match with_contents(-CONTENTS_WINDOW_DAYS, CONTENTS_WINDOW_DAYS).or_else(same_day) {
                    Some(j) => clusters[j].key(),
                    None => Key::Loose {
                        period: e.period(false),
                        what: e.what(),
                    },
                }
            }
            Kind::Transfer => {
                // Rule 4: the package of the same value before it, else the one package
                // with the same system and quantity, else a transfer of its own.
                let by_value = e.value.as_ref().and_then(|v| {
                    let cands = clusters
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| {
                            c.currency == v.currency && within_tolerance(c.amount, v.amount)
                        })
                        .filter_map(|(j, c)| {
                            let back = distance(c.date.as_deref(), d)?;
                            (-PACKAGE_WINDOW_DAYS..=TRANSFER_WINDOW_DAYS)
                                .contains(&back)
                                .then_some((back.abs(), j))
                        })
                        .collect();
                    best(cands)
                });
                match by_value.or_else(|| with_contents(-PACKAGE_WINDOW_DAYS, TRANSFER_WINDOW_DAYS))
                {
                    Some(j) => clusters[j].key(),
                    None => Key::Transfer {
                        period: e.period(false),
                        what: e.what(),
                        value: e
                            .value
                            .as_ref()
                            .map(|v| (v.currency.clone(), v.amount.round() as u64)),
                    },
                }
            }
            Kind::Request => Key::Request {
                period: e.period(true),
                what: e.what(),
            },
            Kind::Total => Key::Total {
                currency: e
                    .value
                    .as_ref()
                    .map(|v| v.currency.clone())
                    .unwrap_or_default(),
            },
            Kind::Budget => Key::Budget {
                currency: String::new(),
                amount: 0,
            },
        };
        entries[i].key = Some(key);
    }
    // Budgets with a value: the same amount (within 1%) is one envelope, anchored on the
    // smallest amount.
    let mut by_amount: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| entries[i].kind == Kind::Budget && entries[i].value.is_some())
        .collect();
    by_amount.sort_by(|&a, &b| {
        let (va, vb) = (
            entries[a].value.as_ref().unwrap(),
            entries[b].value.as_ref().unwrap(),
        );
        (&va.currency, va.amount.round() as u64).cmp(&(&vb.currency, vb.amount.round() as u64))
    });
    let mut anchors: Vec<Value> = Vec::new();
    for i in by_amount {
        let v = entries[i].value.clone().unwrap();
        let a = match anchors
            .iter()
            .find(|a| a.currency == v.currency && within_tolerance(a.amount, v.amount))
        {
            Some(a) => a.clone(),
            None => {
                anchors.push(v.clone());
                v
            }
        };
        entries[i].key = Some(Key::Budget {
            currency: a.currency,
            amount: a.amount.round() as u64,
        });
    }
}

/// Assigns every entry its key.
pub(crate) fn assign(entries: &mut [Entry<'_>]) {
    flag_totals(entries);
    let mut parties: BTreeMap<(String, Option<String>, bool), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        parties
            .entry((e.donor.clone(), e.recipient.clone(), e.flagged()))
            .or_default()
            .push(i);
    }
    for (_, idx) in parties {
        assign_party(entries, idx);
    }
}

/// Whether a status is a commitment stage (its quantities are the pledged ones).
pub(crate) fn is_pledge(s: Status) -> bool {
    matches!(s, Status::Considering | Status::Pledged | Status::Approved)
}
