//! One definition of each figure the views show (`docs/ledger.md`, rule 8): committed
//! and delivered sums per currency, counts by kind, and system roll-ups. The CLI, the
//! API and the pages call these; none of them adds up commitments itself.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{keys, Commitment, Kind, Reported, Status};

/// Whether a commitment is of a kind and shape whose value can be summed: a package or
/// transfer with a value. Totals and budgets never are.
pub fn summable(c: &Commitment) -> bool {
    matches!(c.kind, Kind::Package | Kind::Transfer) && c.value.is_some()
}

/// Whether a commitment is held out of every sum: it has a sanity flag and no person
/// confirmed it (`aidledger ledger confirm`).
pub fn is_held(c: &Commitment) -> bool {
    !c.flags.is_empty() && !c.confirmed
}

/// Whether a commitment's value may enter a sum: [`summable`] and not [`is_held`].
pub fn counts_in_sums(c: &Commitment) -> bool {
    summable(c) && !is_held(c)
}

/// A package that was committed: pledged, approved, expedited or delivered (a request
/// or a consideration alone is no commitment).
pub fn is_committed(c: &Commitment) -> bool {
    c.kind == Kind::Package
        && c.stages.iter().any(|s| {
            matches!(
                s.status,
                Status::Pledged | Status::Approved | Status::Expedited | Status::Delivered
            )
        })
}

/// A package or transfer with a `delivered` stage (an expedition is not a delivery).
pub fn is_delivered(c: &Commitment) -> bool {
    matches!(c.kind, Kind::Package | Kind::Transfer) && c.has_stage(Status::Delivered)
}

/// The headline figures of a set of commitments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sums {
    /// Values of committed packages ([`is_committed`], [`counts_in_sums`]), per currency.
    pub committed: BTreeMap<String, f64>,
    /// Values of delivered packages and transfers, per currency.
    pub delivered: BTreeMap<String, f64>,
    /// Commitments in the sums above, per kind (`package`, `transfer`).
    pub counted: BTreeMap<String, usize>,
    /// All commitments per kind, flagged ones included.
    pub by_kind: BTreeMap<String, usize>,
    /// Commitments kept out of the sums by a sanity flag ([`is_held`]).
    pub flagged: usize,
    /// Flagged commitments a person confirmed: they count like unflagged ones.
    #[serde(default)]
    pub confirmed: usize,
}

/// What the sums need of one commitment: the figures above, classified once. The store
/// keeps these as columns so that it can add up many commitments in SQL with
/// [`Sums::add`] and get the same figures as [`sums`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tally {
    pub kind: Kind,
    /// [`summable`].
    pub summable: bool,
    /// [`is_committed`].
    pub committed: bool,
    /// [`is_delivered`].
    pub delivered: bool,
    /// It has a sanity flag.
    pub flagged: bool,
    /// A person confirmed it.
    pub confirmed: bool,
    /// The currency of its value, if any.
    pub currency: Option<String>,
}

/// The [`Tally`] of one commitment.
pub fn tally(c: &Commitment) -> Tally {
    Tally {
        kind: c.kind,
        summable: summable(c),
        committed: is_committed(c),
        delivered: is_delivered(c),
        flagged: !c.flags.is_empty(),
        confirmed: c.confirmed,
        currency: c.value.as_ref().map(|v| v.currency.clone()),
    }
}

impl Sums {
    /// Adds `count` commitments of tally `t` whose values add up to `amount`.
    pub fn add(&mut self, t: &Tally, count: usize, amount: f64) {
        *self.by_kind.entry(t.kind.as_str().into()).or_default() += count;
        if t.flagged && t.confirmed {
            self.confirmed += count;
        }
        if t.flagged && !t.confirmed {
            self.flagged += count;
            return;
        }
        let Some(currency) = t.currency.as_ref().filter(|_| t.summable) else {
            return;
        };
        if t.committed {
            *self.committed.entry(currency.clone()).or_default() += amount;
        }
        if t.delivered {
            *self.delivered.entry(currency.clone()).or_default() += amount;
        }
        if t.committed || t.delivered {
            *self.counted.entry(t.kind.as_str().into()).or_default() += count;
        }
    }
}

/// Sums of `cs` by the definitions above.
pub fn sums<'a>(cs: impl IntoIterator<Item = &'a Commitment>) -> Sums {
    let mut s = Sums::default();
    for c in cs {
        s.add(&tally(c), 1, c.value.as_ref().map_or(0.0, |v| v.amount));
    }
    s
}

/// The largest amount reported at any stage (any currency): what "largest value first"
/// sorts by.
pub fn max_value(c: &Commitment) -> Option<f64> {
    c.stages
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v.value.amount))
        .filter(|a| a.is_finite())
        .reduce(f64::max)
}

/// Sums per (donor, recipient).
pub fn sums_by_party(cs: &[Commitment]) -> BTreeMap<(String, Option<String>), Sums> {
    let mut groups: BTreeMap<(String, Option<String>), Vec<&Commitment>> = BTreeMap::new();
    for c in cs {
        groups
            .entry((c.donor.clone(), c.recipient.clone()))
            .or_default()
            .push(c);
    }
    groups.into_iter().map(|(k, v)| (k, sums(v))).collect()
}

/// The year a commitment was announced (its first reference date when it has no
/// announcement date).
pub fn year(c: &Commitment) -> Option<&str> {
    c.announced
        .as_deref()
        .or(c.first_date.as_deref())
        .and_then(|d| d.get(..4))
}

/// The one figure of a list of reported quantities: the one most documents report
/// (ties: the larger). Restatements of a package thus count once.
pub fn quantity(q: &[Reported<u64>]) -> Option<u64> {
    q.iter()
        .max_by_key(|r| (r.doc_ids.len(), r.value))
        .map(|r| r.value)
}

/// A system across packages: "HIMARS: 38 pledged in 6 packages, 20 delivered".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemRollup {
    /// The donor, or none for the roll-up over all donors.
    pub donor: Option<String>,
    pub system: String,
    pub category: Option<String>,
    /// Sum over packages of each package's pledged quantity ([`quantity`]).
    pub pledged: u64,
    /// Delivered: per donor, the larger of the sum over packages of each one's delivered
    /// quantity and the largest quantity a transfer outside any package reports (such
    /// reports are progress reports, "the first two", "all six": they are not added up),
    /// summed over donors.
    pub delivered: u64,
    /// Packages that contain the system (with or without a quantity).
    pub packages: usize,
    /// Ids of the commitments the figures come from, sorted.
    pub commitments: Vec<String>,
    /// Outlets reporting those commitments, sorted.
    pub sources: Vec<String>,
}

/// What one named system of one package or transfer contributes to the roll-ups: the
/// store keeps these per commitment, so that the roll-ups never need the whole ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemFact {
    pub commitment: String,
    pub donor: String,
    pub kind: Kind,
    /// Whether the commitment has sanity flags (kept out of roll-ups unless confirmed).
    pub flagged: bool,
    /// Whether a person confirmed it.
    pub confirmed: bool,
    pub name: String,
    pub category: Option<String>,
    /// The package's pledged quantity ([`quantity`]).
    pub pledged: Option<u64>,
    /// The delivered quantity ([`quantity`]).
    pub delivered: Option<u64>,
    /// The commitment's outlets.
    pub sources: Vec<String>,
}

/// The [`SystemFact`]s of a commitment: one per named system of a package or transfer.
pub fn system_facts(c: &Commitment) -> Vec<SystemFact> {
    if !matches!(c.kind, Kind::Package | Kind::Transfer) {
        return Vec::new();
    }
    c.contents
        .iter()
        .filter(|i| i.named)
        .map(|item| SystemFact {
            commitment: c.id.clone(),
            donor: c.donor.clone(),
            kind: c.kind,
            flagged: !c.flags.is_empty(),
            confirmed: c.confirmed,
            name: item.name.clone(),
            category: item.category.clone(),
            pledged: quantity(&item.pledged),
            delivered: quantity(&item.delivered),
            sources: c.sources.clone(),
        })
        .collect()
}

/// Roll-ups of every named system over the unflagged (or confirmed) packages and transfers of `cs`,
/// per donor when `per_donor`, else across donors; sorted by donor and system key.
pub fn systems(cs: &[Commitment], per_donor: bool) -> Vec<SystemRollup> {
    let facts: Vec<SystemFact> = cs.iter().flat_map(system_facts).collect();
    systems_from_facts(&facts, per_donor)
}

/// [`systems`] from the commitments' [`SystemFact`]s (in any order): the one
/// definition of the roll-up.
pub fn systems_from_facts(facts: &[SystemFact], per_donor: bool) -> Vec<SystemRollup> {
    struct Acc {
        names: BTreeMap<String, usize>,
        category: Option<String>,
        pledged: u64,
        /// per donor: delivered in packages (summed), in transfers (largest)
        delivered: BTreeMap<String, (u64, u64)>,
        packages: BTreeSet<String>,
        ids: BTreeSet<String>,
        sources: BTreeSet<String>,
    }
    let mut acc: BTreeMap<(Option<String>, String), Acc> = BTreeMap::new();
    // commitments in id order, their systems in name order: the most written name and
    // the first category are the same whatever order the facts come in
    let mut sorted: Vec<&SystemFact> = facts.iter().collect();
    sorted.sort_by(|a, b| (&a.commitment, &a.name).cmp(&(&b.commitment, &b.name)));
    for f in sorted {
        if f.flagged && !f.confirmed {
            continue;
        }
        let donor = per_donor.then(|| f.donor.clone());
        let a = acc
            .entry((donor, keys::system_key(&f.name)))
            .or_insert_with(|| Acc {
                names: BTreeMap::new(),
                category: None,
                pledged: 0,
                delivered: BTreeMap::new(),
                packages: BTreeSet::new(),
                ids: BTreeSet::new(),
                sources: BTreeSet::new(),
            });
        *a.names.entry(f.name.clone()).or_default() += 1;
        if a.category.is_none() {
            a.category = f.category.clone();
        }
        let q = f.delivered.unwrap_or(0);
        let d = a.delivered.entry(f.donor.clone()).or_default();
        if f.kind == Kind::Package {
            if a.packages.insert(f.commitment.clone()) {
                a.pledged += f.pledged.unwrap_or(0);
            }
            d.0 += q;
        } else {
            d.1 = d.1.max(q);
        }
        a.ids.insert(f.commitment.clone());
        a.sources.extend(f.sources.iter().cloned());
    }
    acc.into_iter()
        .map(|((donor, _), a)| SystemRollup {
            donor,
            system: a
                .names
                .iter()
                .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                .map(|(n, _)| n.clone())
                .unwrap_or_default(),
            category: a.category,
            pledged: a.pledged,
            delivered: a.delivered.values().map(|&(p, t)| p.max(t)).sum(),
            packages: a.packages.len(),
            commitments: a.ids.into_iter().collect(),
            sources: a.sources.into_iter().collect(),
        })
        .collect()
}

/// The months (`YYYY-MM`) of a commitment's dated stages, one per stage: the activity
/// chart counts these.
pub fn stage_months(c: &Commitment) -> Vec<(String, Status)> {
    c.stages
        .iter()
        .filter_map(|s| {
            let m = s.date()?.get(..7)?;
            let ok = m.len() == 7
                && m.as_bytes()[4] == b'-'
                && m[..4].bytes().all(|b| b.is_ascii_digit())
                && m[5..].bytes().all(|b| b.is_ascii_digit());
            ok.then(|| (m.to_string(), s.status))
        })
        .collect()
}

/// One commitment as an analyst's row (`aidledger export`, CSV and JSON Lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub kind: String,
    pub donor: String,
    pub recipient: Option<String>,
    pub announced: Option<String>,
    pub status: String,
    /// The value as stated by the announcement (none for totals: see `series`).
    pub value: Option<f64>,
    pub currency: Option<String>,
    /// Contents, each as "8 NASAMS" (the pledged quantity, else the delivered one) or
    /// the bare name.
    pub items: Vec<String>,
    /// Outlets reporting the commitment.
    pub sources: Vec<String>,
    pub flags: Vec<String>,
    /// A person confirmed the flagged commitment (`aidledger ledger confirm`): it counts
    /// in the sums despite its flags.
    #[serde(default)]
    pub confirmed: bool,
}

/// The export columns, in order.
pub const ROW_COLUMNS: [&str; 12] = [
    "id",
    "kind",
    "donor",
    "recipient",
    "announced",
    "status",
    "value",
    "currency",
    "items",
    "sources",
    "flags",
    "confirmed",
];

/// The row of one commitment.
pub fn row(c: &Commitment) -> Row {
    Row {
        id: c.id.clone(),
        kind: c.kind.as_str().into(),
        donor: c.donor.clone(),
        recipient: c.recipient.clone(),
        announced: c.announced.clone(),
        status: c.status.as_str().into(),
        value: c.value.as_ref().map(|v| v.amount),
        currency: c.value.as_ref().map(|v| v.currency.clone()),
        items: c
            .contents
            .iter()
            .map(
                |i| match quantity(&i.pledged).or_else(|| quantity(&i.delivered)) {
                    Some(q) => format!("{q} {}", i.name),
                    None => i.name.clone(),
                },
            )
            .collect(),
        sources: c.sources.clone(),
        flags: c.flags.clone(),
        confirmed: c.confirmed,
    }
}
