//! Rule 1 of `docs/ledger.md`: records become [`Entry`]s, one per donor, with what
//! the ledger needs of them (usable value, reference date, items, flags).

use std::collections::BTreeSet;

use crate::cluster::Key;
use crate::keys::{self, ItemKind};
use crate::{dates, sanity, Kind, SourcedRecord, Value};

/// One item of an entry.
pub(crate) struct ItemRef<'a> {
    /// [`keys::system_key`] for named systems, [`keys::generic_key`] for generic items.
    pub key: String,
    pub name: &'a str,
    pub quantity: Option<u64>,
    pub category: Option<String>,
    pub named: bool,
}

/// One record seen from one of its donors.
pub(crate) struct Entry<'a> {
    pub rec: &'a SourcedRecord,
    pub donor: String,
    pub recipient: Option<String>,
    pub kind: Kind,
    /// A usable value: currency uppercase, amount finite and positive.
    pub value: Option<Value>,
    /// Reference date: the record's date, else (or when it gives only the article's
    /// year) the publication date.
    pub date: Option<String>,
    /// Whether the reference date is the record's own.
    pub own_date: bool,
    /// Named systems and specific generic items (vague words are left out).
    pub items: Vec<ItemRef<'a>>,
    pub flags: Vec<String>,
    pub key: Option<Key>,
}

impl Entry<'_> {
    pub(crate) fn flagged(&self) -> bool {
        !self.flags.is_empty()
    }

    /// Contents key: named systems, else specific generic items, else `unspecified`.
    pub(crate) fn what(&self) -> String {
        let named: BTreeSet<&str> = self
            .items
            .iter()
            .filter(|i| i.named)
            .map(|i| i.key.as_str())
            .collect();
        let set: BTreeSet<&str> = if named.is_empty() {
            self.items.iter().map(|i| i.key.as_str()).collect()
        } else {
            named
        };
        if set.is_empty() {
            "unspecified".into()
        } else {
            set.into_iter().collect::<Vec<_>>().join("+")
        }
    }

    pub(crate) fn period(&self, year_only: bool) -> Option<String> {
        let d = self.date.as_deref()?;
        Some(if year_only || d.len() < 7 {
            d[..4].to_string()
        } else {
            d[..7].to_string()
        })
    }

    /// Canonical order: date precision (days first), date, amount, then the record
    /// itself, so that equal entries are interchangeable.
    pub(crate) fn order(&self) -> (u8, String, u64, String) {
        let p = self.date.as_deref().map_or(0, dates::precision);
        (
            3 - p,
            self.date.clone().unwrap_or_default(),
            self.value.as_ref().map_or(0, |v| v.amount.round() as u64),
            serde_json::to_string(&self.rec.record).unwrap_or_default(),
        )
    }
}

fn valid_value(v: Option<&Value>) -> Option<Value> {
    v.filter(|v| v.amount.is_finite() && v.amount > 0.0 && !v.currency.trim().is_empty())
        .map(|v| Value {
            amount: v.amount,
            currency: v.currency.trim().to_uppercase(),
        })
}

fn reference_date(rec: &SourcedRecord) -> (Option<String>, bool) {
    let date = dates::valid(rec.record.date.as_deref());
    let published = dates::valid(rec.published.as_deref());
    match (date, published) {
        (Some(d), Some(p)) if d.len() == 4 && p.starts_with(d) => (Some(p.to_string()), false),
        (Some(d), _) => (Some(d.to_string()), true),
        (None, p) => (p.map(str::to_string), false),
    }
}

/// Rule 1: the entries of one record, one per donor (none when it names no donor, or
/// only items that are not aid).
pub(crate) fn entries<'a>(rec: &'a SourcedRecord, out: &mut Vec<Entry<'a>>) {
    let r = &rec.record;
    let value = valid_value(r.value.as_ref());
    let mut items = Vec::new();
    let mut any_aid = r.items.is_empty();
    for i in &r.items {
        let name = i.name.trim();
        let category = i
            .category
            .as_deref()
            .map(|c| c.trim().to_lowercase())
            .filter(|c| !c.is_empty());
        match keys::item_kind(name, i.category.as_deref()) {
            ItemKind::Ignored => continue,
            ItemKind::Named => items.push(ItemRef {
                key: keys::system_key(name),
                name,
                quantity: i.quantity,
                category,
                named: true,
            }),
            ItemKind::Generic => {
                let key = keys::generic_key(name);
                if !keys::is_vague(&key) {
                    items.push(ItemRef {
                        key,
                        name,
                        quantity: i.quantity,
                        category,
                        named: false,
                    });
                }
            }
        }
        any_aid = true;
    }
    if !any_aid && value.is_none() {
        return;
    }
    let (date, own_date) = reference_date(rec);
    let flags = sanity::record_flags(rec);
    let recipient = r
        .recipient
        .as_deref()
        .map(keys::party)
        .filter(|p| !p.is_empty());
    let donors: BTreeSet<String> = r
        .donors
        .iter()
        .map(|d| keys::party(d))
        .filter(|d| !d.is_empty())
        .collect();
    for donor in donors {
        out.push(Entry {
            rec,
            donor,
            recipient: recipient.clone(),
            kind: r.kind,
            value: value.clone(),
            date: date.clone(),
            own_date,
            items: items
                .iter()
                .map(|i| ItemRef {
                    key: i.key.clone(),
                    name: i.name,
                    quantity: i.quantity,
                    category: i.category.clone(),
                    named: i.named,
                })
                .collect(),
            flags: flags.clone(),
            key: None,
        });
    }
}
