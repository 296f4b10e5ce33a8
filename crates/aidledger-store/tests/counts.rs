//! `Store::commitments_count` and `Store::search_count` (the paged HTML pages) agree
//! with the lists they count, whatever the filter and its limit and offset.

mod common;

use aidledger_core::Status;
use aidledger_store::{LedgerFilter, Store};
use common::*;

#[test]
fn counts_agree_with_the_lists() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("counts.db").to_string_lossy().into_owned();
    let mut store = Store::open(&db).unwrap();
    ingest(&mut store, &docs(0..40), 16);
    store.rebuild_commitments(true).unwrap();
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    assert!(all.len() > 5, "{}", all.len());
    let donor = all[0].donor.clone();
    let filters = [
        LedgerFilter::default(),
        LedgerFilter {
            donor: Some(donor.to_lowercase()),
            ..Default::default()
        },
        LedgerFilter {
            status: Some(Status::Approved),
            since: Some("2022".into()),
            ..Default::default()
        },
        LedgerFilter {
            min_sources: Some(2),
            ..Default::default()
        },
        LedgerFilter {
            item: Some("100%_".into()),
            ..Default::default()
        },
    ];
    for f in filters {
        let n = store.commitments(&f).unwrap().len();
        assert_eq!(store.commitments_count(&f).unwrap(), n, "{f:?}");
        // limit and offset do not change the count
        let paged = LedgerFilter {
            limit: Some(2),
            offset: Some(1),
            ..f.clone()
        };
        assert_eq!(store.commitments_count(&paged).unwrap(), n, "{f:?}");
        assert_eq!(
            store.commitments(&paged).unwrap().len(),
            n.saturating_sub(1).min(2)
        );
    }
    let long = LedgerFilter {
        donor: Some("x".repeat(100_000)),
        ..Default::default()
    };
    assert!(store.commitments_count(&long).is_err());

    for q in [
        "delivery",
        "parliament approved",
        "systèmes",
        "nothing-like-this",
        "",
        "\"*",
    ] {
        let n = store.search(q, 10_000).unwrap().len();
        assert_eq!(store.search_count(q).unwrap(), n, "{q:?}");
    }
    assert_eq!(store.search_count("delivery").unwrap(), 40);
}
