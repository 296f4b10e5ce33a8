//! Sanity checks before sums (`docs/ledger.md`, rule "sanity"): a record whose date,
//! value or quantity cannot be right is flagged; the commitment it feeds carries the
//! flag and stays out of every sum until a person confirms it.
//!
//! [`record_flags`] needs only the record and its document, so the store computes it
//! before it stores the record (the `flags` column of `records`); [`MATCHES_TOTAL`]
//! needs the other records of the donor and is added by `merge`. The plausible
//! quantities per system and category are data: `data/ledger/quantities.tsv`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::{dates, keys, Kind, SourcedRecord, Status};

/// A date before [`FIRST_YEAR`]: before the war the ledger follows.
pub const DATE_BEFORE_WAR: &str = "date_before_war";
/// A past event (anything but a request or a consideration) dated after the article
/// that reports it.
pub const DATE_AFTER_PUBLICATION: &str = "date_after_publication";
/// A value out of scale for its kind (see [`scale`]).
pub const VALUE_OUT_OF_SCALE: &str = "value_out_of_scale";
/// A package or transfer whose value equals (within 1%) a cumulative total reported
/// for the same donor, recipient and currency: a total read as a package.
pub const MATCHES_TOTAL: &str = "matches_total";
/// An item whose quantity is above the plausible maximum of its system or category
/// ([`max_quantity`], `data/ledger/quantities.tsv`): "105 HIMARS" in one record.
pub const QUANTITY_OUT_OF_SCALE: &str = "quantity_out_of_scale";

/// The flags [`record_flags`] computes. The extractor sets some of the same names by
/// its own rules (`aidledger_core`, e.g. a date after the article's reference date),
/// so flags a stored record carries are kept: a flag computed with older data goes
/// only when the record is stored again (`aidledger reextract --all`).
pub const COMPUTED: [&str; 4] = [
    DATE_BEFORE_WAR,
    DATE_AFTER_PUBLICATION,
    VALUE_OUT_OF_SCALE,
    QUANTITY_OUT_OF_SCALE,
];

/// The plausible maxima of `data/ledger/quantities.tsv`: by system key, by category.
#[derive(Debug, Default)]
pub struct QuantityLimits {
    systems: BTreeMap<String, u64>,
    categories: BTreeMap<String, u64>,
}

const QUANTITIES: &str = include_str!("../../../data/ledger/quantities.tsv");

/// Parses the format of `data/ledger/quantities.tsv` (documented in its header and in
/// `data/README.md`). A line that does not parse is an error naming its number.
pub fn parse_quantity_limits(text: &str) -> Result<QuantityLimits, String> {
    let mut out = QuantityLimits::default();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(format!(
                "line {n}: expected scope, name, max (tab-separated)"
            ));
        }
        let name = cols[1].trim();
        if name.is_empty() {
            return Err(format!("line {n}: empty name"));
        }
        let max: u64 = match cols[2].trim().parse() {
            Ok(m) if m >= 1 => m,
            _ => {
                return Err(format!(
                    "line {n}: max {:?} is not a whole number >= 1",
                    cols[2]
                ))
            }
        };
        let (map, key) = match cols[0].trim() {
            "system" => (&mut out.systems, keys::system_key(name)),
            "category" => (&mut out.categories, name.to_lowercase()),
            other => {
                return Err(format!(
                    "line {n}: scope {other:?} is not system or category"
                ))
            }
        };
        if map.insert(key, max).is_some() {
            return Err(format!("line {n}: {name:?} is listed twice"));
        }
    }
    Ok(out)
}

/// The built-in limits. The file is checked by a test; a line that would not parse is
/// skipped here rather than failing the ledger (it cannot happen in a tested build).
fn limits() -> &'static QuantityLimits {
    static L: OnceLock<QuantityLimits> = OnceLock::new();
    L.get_or_init(|| parse_quantity_limits(QUANTITIES).unwrap_or_default())
}

/// The largest plausible quantity of an item in one record: the row of its system,
/// else of its category, else none (not checked).
pub fn max_quantity(name: &str, category: Option<&str>) -> Option<u64> {
    let l = limits();
    l.systems.get(&keys::system_key(name)).copied().or_else(|| {
        category
            .map(|c| c.trim().to_lowercase())
            .and_then(|c| l.categories.get(&c).copied())
    })
}

/// The first year of the war the ledger follows (2014, Crimea and Donbas).
pub const FIRST_YEAR: i32 = 2014;

/// The plausible range of one value, in units of a major currency (USD, EUR, GBP, CHF,
/// CAD, AUD): a package or transfer from 100,000 to 10 billion (larger figures are
/// appropriations or cumulative totals: no single announced package of the war came
/// near), a total or budget up to 1,000 billion. Other currencies are not checked
/// (their scale differs).
pub fn scale(kind: Kind) -> (f64, f64) {
    match kind {
        Kind::Total | Kind::Budget => (1e5, 1e12),
        _ => (1e5, 1e10),
    }
}

const MAJOR: &[&str] = &["USD", "EUR", "GBP", "CHF", "CAD", "AUD"];

/// The flags of one record on its own: those the record carries (the extractor's, or
/// those stored with it), then date, value and quantity checks, sorted and without
/// repeats. [`MATCHES_TOTAL`] needs the other records and is added by `merge`.
pub fn record_flags(rec: &SourcedRecord) -> Vec<String> {
    let r = &rec.record;
    let mut out: Vec<String> = r
        .flags
        .iter()
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    if let Some(d) = dates::valid(r.date.as_deref()) {
        if d[..4].parse::<i32>().is_ok_and(|y| y < FIRST_YEAR) {
            out.push(DATE_BEFORE_WAR.into());
        }
        let past = !matches!(r.status, Status::Requested | Status::Considering);
        if let Some(p) = dates::valid(rec.published.as_deref()) {
            if past && d > p && !d.starts_with(p) {
                out.push(DATE_AFTER_PUBLICATION.into());
            }
        }
    }
    if let Some(v) = &r.value {
        let currency = v.currency.trim().to_uppercase();
        let (lo, hi) = scale(r.kind);
        if MAJOR.contains(&currency.as_str()) && (v.amount < lo || v.amount > hi) {
            out.push(VALUE_OUT_OF_SCALE.into());
        }
    }
    let too_many = r.items.iter().any(|i| match i.quantity {
        Some(q) => max_quantity(&i.name, i.category.as_deref()).is_some_and(|m| q > m),
        None => false,
    });
    if too_many {
        out.push(QUANTITY_OUT_OF_SCALE.into());
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use aidledger_core::{Item, Record, Value};

    fn rec(
        status: Status,
        date: Option<&str>,
        published: &str,
        value: Option<f64>,
    ) -> SourcedRecord {
        let mut s = SourcedRecord::new(Record {
            doc_id: "d".into(),
            status,
            donors: vec!["USA".into()],
            recipient: Some("UKR".into()),
            items: vec![],
            value: value.map(|amount| Value {
                amount,
                currency: "USD".into(),
            }),
            date: date.map(str::to_string),
            asserted_by: None,
            evidence: vec![],
            confidence: 0.9,
            kind: Kind::Package,
            flags: vec![],
        });
        s.published = Some(published.into());
        s
    }

    #[test]
    fn dates_before_the_war_and_after_the_article() {
        let old = rec(Status::Approved, Some("1974-11-18"), "2022-11-20", None);
        assert_eq!(record_flags(&old), [DATE_BEFORE_WAR]);
        let future = rec(Status::Delivered, Some("2026-07-08"), "2022-07-10", None);
        assert_eq!(record_flags(&future), [DATE_AFTER_PUBLICATION]);
        // A request may look ahead; a date of the article's own month is not later.
        assert!(
            record_flags(&rec(Status::Requested, Some("2026-07"), "2022-07-10", None)).is_empty()
        );
        assert!(
            record_flags(&rec(Status::Pledged, Some("2022-07"), "2022-07-10", None)).is_empty()
        );
    }

    #[test]
    fn values_out_of_scale() {
        let huge = rec(Status::Pledged, None, "2022-07-10", Some(767e9 * 1000.0));
        assert_eq!(record_flags(&huge), [VALUE_OUT_OF_SCALE]);
        let tiny = rec(Status::Pledged, None, "2022-07-10", Some(275.0));
        assert_eq!(record_flags(&tiny), [VALUE_OUT_OF_SCALE]);
        assert!(record_flags(&rec(Status::Pledged, None, "2022-07-10", Some(275e6))).is_empty());
        let mut total = rec(Status::Delivered, None, "2022-07-10", Some(500e9));
        total.record.kind = Kind::Total;
        assert!(record_flags(&total).is_empty());
    }

    #[test]
    fn quantities_out_of_scale_for_the_system() {
        let item = |name: &str, q: u64, cat: &str| Item {
            name: name.into(),
            quantity: Some(q),
            category: Some(cat.into()),
        };
        let mut r = rec(Status::Pledged, None, "2022-07-10", Some(400e6));
        r.record.items = vec![item("HIMARS", 105, "rocket_artillery")];
        assert_eq!(record_flags(&r), [QUANTITY_OUT_OF_SCALE]);
        // spelled otherwise, the same system
        r.record.items = vec![item("himars", 105, "rocket_artillery")];
        assert_eq!(record_flags(&r), [QUANTITY_OUT_OF_SCALE]);
        r.record.items = vec![item("HIMARS", 4, "rocket_artillery")];
        assert!(record_flags(&r).is_empty());
        // a system without a row takes its category's
        r.record.items = vec![item("Some Howitzer", 401, "artillery")];
        assert_eq!(record_flags(&r), [QUANTITY_OUT_OF_SCALE]);
        r.record.items = vec![item("Some Howitzer", 400, "artillery")];
        assert!(record_flags(&r).is_empty());
        // unchecked: rounds of ammunition come in millions
        r.record.items = vec![item("155mm rounds", 1_000_000, "ammunition")];
        assert!(record_flags(&r).is_empty());
    }

    #[test]
    fn flags_the_record_carries_are_kept_and_computing_twice_changes_nothing() {
        // the extractor judges dates against its own reference date: its flag stays
        let mut r = rec(
            Status::Delivered,
            Some("2022-07-01"),
            "2022-07-10",
            Some(400e6),
        );
        r.record.flags = vec![DATE_AFTER_PUBLICATION.into()];
        assert_eq!(record_flags(&r), [DATE_AFTER_PUBLICATION]);
        // what the store keeps is a fixed point
        r.record.flags = vec![];
        r.record.value.as_mut().unwrap().amount = 50.0;
        let once = record_flags(&r);
        assert_eq!(once, [VALUE_OUT_OF_SCALE]);
        r.record.flags = once.clone();
        assert_eq!(record_flags(&r), once);
    }

    #[test]
    fn the_quantity_file_parses_and_bad_lines_are_named() {
        let l = parse_quantity_limits(QUANTITIES).expect("data/ledger/quantities.tsv");
        assert!(l.systems.contains_key("himars") && l.categories.contains_key("armor"));
        assert!(parse_quantity_limits("system\tHIMARS\tmany\n")
            .unwrap_err()
            .starts_with("line 1:"));
        assert!(parse_quantity_limits("# c\nplanet\tMars\t3\n")
            .unwrap_err()
            .starts_with("line 2:"));
        assert!(parse_quantity_limits("system\tA\t1\nsystem\ta\t2\n")
            .unwrap_err()
            .contains("twice"));
        assert!(parse_quantity_limits("system\tA\t0\n").is_err());
    }
}
