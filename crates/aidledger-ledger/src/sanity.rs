//! Sanity checks before sums (`docs/ledger.md`, rule "sanity"): a record whose date or
//! value cannot be right is flagged; the commitment it feeds carries the flag and stays
//! out of every sum until a person confirms it.

use crate::{dates, Kind, SourcedRecord, Status};

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

/// The flags of one record on its own: those the record carries, then date and scale
/// checks, sorted and without repeats. [`MATCHES_TOTAL`] needs the other records and
/// is added by `merge`.
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
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use aidledger_core::{Record, Value};

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
}
