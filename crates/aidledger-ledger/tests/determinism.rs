//! Properties of `merge` on random records: order independence, stable ids, nothing
//! lost.

mod common;

use std::collections::BTreeSet;

use aidledger_ledger::{merge, Kind, SourcedRecord, Status};
use common::rec;
use proptest::prelude::*;

const DONORS: &[&str] = &["USA", "DEU", "LVA", "GBR"];
const ITEMS: &[(&str, &str)] = &[
    ("NASAMS", "air_defense"),
    ("nasams", "air_defense"),
    ("HIMARS", "rocket_artillery"),
    ("IRIS-T", "air_defense"),
    ("Iris-T", "air_defense"),
    ("artillery ammunition", "ammunition"),
    ("weapons", "other"),
    ("military aid", "other"),
    ("air defence systems", "air_defense"),
];
const AMOUNTS: &[f64] = &[400e6, 398e6, 404e6, 1e9, 2.98e9, 3e9];
const DATES: &[&str] = &[
    "2022-08",
    "2022-08-24",
    "2022-09-02",
    "2022-10-11",
    "2022-11",
    "2023",
    "bientôt",
];
const SOURCES: &[&str] = &["alpha.example", "Beta.example", "www.alpha.example"];

fn record() -> impl Strategy<Value = SourcedRecord> {
    (
        0usize..12,
        0usize..Status::ALL.len(),
        proptest::sample::subsequence(DONORS, 1..=2),
        any::<bool>(),
        proptest::collection::vec((0..ITEMS.len(), proptest::option::of(1u64..10)), 0..3),
        proptest::option::of(0..AMOUNTS.len()),
        proptest::option::of(0..DATES.len()),
        proptest::option::of(0..DATES.len()),
        proptest::option::of(0..SOURCES.len()),
        proptest::option::of(0usize..3),
        0usize..Kind::ALL.len(),
    )
        .prop_map(
            |(doc, status, donors, to_ukr, items, value, date, published, source, who, kind)| {
                let mut r = rec(&format!("doc-{doc}"), Status::ALL[status])
                    .donors(&donors)
                    .kind(Kind::ALL[kind]);
                if !to_ukr {
                    r = r.recipient(None);
                }
                for (i, q) in items {
                    r = r.item(ITEMS[i].0, q, ITEMS[i].1);
                }
                if let Some(v) = value {
                    r = r.value(AMOUNTS[v], "USD");
                }
                if let Some(d) = date {
                    r = r.date(DATES[d]);
                }
                if let Some(p) = published {
                    r = r.published(DATES[p]);
                }
                if let Some(s) = source {
                    r = r.source(SOURCES[s]);
                }
                if let Some(w) = who {
                    r = r.by(["John Kirby", "Pentagon", "Reuters"][w]);
                }
                r.ev(doc * 10, "some sentence").done()
            },
        )
}

fn shuffled_pair() -> impl Strategy<Value = (Vec<SourcedRecord>, Vec<SourcedRecord>)> {
    proptest::collection::vec(record(), 0..14)
        .prop_flat_map(|rs| (Just(rs.clone()), Just(rs).prop_shuffle()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn shuffling_changes_nothing((rs, shuffled) in shuffled_pair()) {
        prop_assert_eq!(merge(&rs), merge(&shuffled));
    }

    #[test]
    fn ids_are_unique_and_everything_is_sorted(rs in proptest::collection::vec(record(), 0..14)) {
        let out = merge(&rs);
        let ids: BTreeSet<&str> = out.iter().map(|c| c.id.as_str()).collect();
        prop_assert_eq!(ids.len(), out.len());
        for w in out.windows(2) {
            prop_assert!((&w[0].donor, &w[0].recipient, &w[0].subject) <= (&w[1].donor, &w[1].recipient, &w[1].subject));
        }
        for c in &out {
            prop_assert!(!c.stages.is_empty());
            prop_assert!(c.stages.windows(2).all(|w| w[0].status < w[1].status));
            prop_assert!(c.has_stage(c.status));
            prop_assert!(c.doc_ids.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(c.sources.windows(2).all(|w| w[0] < w[1]));
            for s in &c.stages {
                prop_assert!(s.quantities.windows(2).all(|w| w[0].value < w[1].value));
                prop_assert!(!s.sources.is_empty());
            }
        }
    }

    /// Every record with a donor ends up in some commitment of each of its donors.
    #[test]
    fn no_record_is_lost(rs in proptest::collection::vec(record(), 0..14)) {
        let out = merge(&rs);
        for r in &rs {
            for d in &r.record.donors {
                prop_assert!(out.iter().any(|c| &c.donor == d && c.doc_ids.contains(&r.record.doc_id)));
            }
        }
    }

    /// Adding records never changes the id of a total or a request. A package,
    /// transfer or budget may get another id (docs/ledger.md, "Ids": an earlier or
    /// smaller report re-anchors a package or budget, and the 1 % tolerance is measured
    /// from the anchor, so a report may then fall out of it; a report that links a
    /// pledge or transfer to a package; a new total that flags it), but its records
    /// stay in commitments of those kinds.
    #[test]
    fn adding_records_keeps_ids(
        rs in proptest::collection::vec(record(), 0..10),
        extra in proptest::collection::vec(record(), 0..6),
    ) {
        let before = merge(&rs);
        let mut all = rs.clone();
        all.extend(extra);
        let after = merge(&all);
        for c in &before {
            if after.iter().any(|a| a.id == c.id) {
                continue;
            }
            prop_assert!(matches!(c.kind, Kind::Package | Kind::Transfer | Kind::Budget), "id of {} {} lost", c.kind, c.item);
            for d in &c.doc_ids {
                prop_assert!(
                    after.iter().any(|a| a.donor == c.donor
                        && matches!(a.kind, Kind::Package | Kind::Transfer | Kind::Budget)
                        && a.doc_ids.contains(d)),
                    "{} of {} is lost", d, c.item
                );
            }
        }
    }

    /// Totals and budgets never enter a sum; flagged commitments neither.
    #[test]
    fn sums_leave_out_totals_budgets_and_flags(rs in proptest::collection::vec(record(), 0..14)) {
        let out = merge(&rs);
        let counted: Vec<_> = out.iter().filter(|c| aidledger_ledger::figures::counts_in_sums(c)).collect();
        for c in &counted {
            prop_assert!(matches!(c.kind, Kind::Package | Kind::Transfer));
            prop_assert!(c.flags.is_empty());
        }
        let s = aidledger_ledger::figures::sums(&out);
        let committed: f64 = counted.iter().filter(|c| aidledger_ledger::figures::is_committed(c)).map(|c| c.value.as_ref().unwrap().amount).sum();
        prop_assert!((s.committed.values().sum::<f64>() - committed).abs() < 1e-3);
    }
}

/// The documents of some records.
fn docs_of(rs: &[SourcedRecord]) -> BTreeSet<String> {
    rs.iter().map(|r| r.record.doc_id.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The store's incremental rebuild (docs/ledger.md, "Incremental rebuilds"): after a
    /// write that replaces the records of some documents, the commitments of the
    /// parties those documents had or now have are recomputed with `merge_parties` from
    /// the documents that have a record of those parties; the others are kept. The
    /// result equals a full merge of the new records, commitment for commitment.
    #[test]
    fn incremental_rebuild_equals_full(
        before in proptest::collection::vec(record(), 0..14),
        written in proptest::collection::vec(record(), 0..6),
    ) {
        use aidledger_ledger::{merge_parties, parties, Party};
        let old = merge(&before);
        let touched_docs = docs_of(&written);
        let after: Vec<SourcedRecord> = before
            .iter()
            .filter(|r| !touched_docs.contains(&r.record.doc_id))
            .chain(written.iter())
            .cloned()
            .collect();
        let touched: BTreeSet<Party> = before
            .iter()
            .filter(|r| touched_docs.contains(&r.record.doc_id))
            .chain(written.iter())
            .flat_map(parties)
            .collect();
        // what the store loads: every record of a document with a record of a touched party
        let load_docs: BTreeSet<String> = after
            .iter()
            .filter(|r| parties(r).iter().any(|p| touched.contains(p)))
            .map(|r| r.record.doc_id.clone())
            .collect();
        let loaded: Vec<SourcedRecord> = after
            .iter()
            .filter(|r| load_docs.contains(&r.record.doc_id))
            .cloned()
            .collect();
        let mut incremental: Vec<_> = old
            .into_iter()
            .filter(|c| !touched.contains(&(c.donor.clone(), c.recipient.clone())))
            .chain(merge_parties(&loaded, &touched))
            .collect();
        incremental.sort_by(|a, b| a.id.cmp(&b.id));
        let mut full = merge(&after);
        full.sort_by(|a, b| a.id.cmp(&b.id));
        prop_assert_eq!(incremental, full);
    }
}
