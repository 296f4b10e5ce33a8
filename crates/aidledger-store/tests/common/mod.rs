//! Fixtures and the behaviour checks shared by the SQLite and PostgreSQL tests.
//!
//! Documents and records are made up here (no real articles). Every check takes an
//! `open` function so the same code runs against both backends.
#![allow(dead_code)]

use std::collections::BTreeSet;

use aidledger_core::{Document, Evidence, Extraction, Item, Record, Status, Value};
use aidledger_ledger::{Commitment, SourcedRecord};
use aidledger_store::{LedgerFilter, Store, StoreError};

pub const DONORS: [&str; 5] = ["USA", "FRA", "DEU", "GBR", "POL"];
pub const SYSTEMS: [&str; 6] = [
    "NASAMS",
    "CAESAR",
    "IRIS-T",
    "Storm Shadow",
    "Leopard 2",
    "HIMARS",
];

/// Document `i` (version `v`: a different version has different text, so it replaces
/// the stored one), with 0 to 3 records whose evidence spans point into its text.
pub fn doc(i: usize, v: usize) -> (Document, Extraction) {
    let donor = DONORS[i % DONORS.len()];
    let system = SYSTEMS[i % SYSTEMS.len()];
    let id = format!("doc-{i:04}");
    let sentences = [
        format!(
            "Les systèmes {system} promis par {donor} arrivent en Ukraine (lot {i}, version {v})."
        ),
        format!("The {system} delivery number {i} was approved by the parliament."),
        format!(
            "Le ministère a confirmé l'envoi de {} obus supplémentaires.",
            1000 + i
        ),
        format!("Étude défense {i}: les négociations continuent."),
    ];
    let text = sentences.join(" ");
    let span = |s: &str| {
        let start = text.find(s).expect("sentence in text");
        Evidence {
            start,
            end: start + s.len(),
            text: s.to_string(),
        }
    };
    let statuses = [
        Status::Pledged,
        Status::Approved,
        Status::Delivered,
        Status::Requested,
    ];
    let n = (i + v) % 4;
    let records = (0..n)
        .map(|k| Record {
            doc_id: id.clone(),
            status: statuses[(i + k) % statuses.len()],
            donors: vec![donor.to_string()],
            recipient: Some("UKR".into()),
            items: vec![Item {
                name: if k == 2 {
                    "artillery ammunition".into()
                } else {
                    system.into()
                },
                quantity: if k == 1 {
                    None
                } else {
                    Some((i % 7 + 1) as u64)
                },
                category: Some(if k == 2 { "ammunition" } else { "air defence" }.into()),
            }],
            value: if k == 0 {
                Some(Value {
                    amount: 16.8e9 + i as f64 * 0.1,
                    currency: "USD".into(),
                })
            } else {
                None
            },
            date: Some(format!("2022-{:02}-{:02}", i % 12 + 1, i % 28 + 1)),
            asserted_by: if k == 1 {
                Some("Pentagone".into())
            } else {
                None
            },
            evidence: vec![span(&sentences[k]), span(&sentences[(k + 1) % 4])],
            confidence: 0.3 + 0.1 * k as f64 + 1.0 / (i + 3) as f64,
            kind: Default::default(),
            flags: Vec::new(),
        })
        .collect();
    let document = Document {
        id,
        text,
        published: if i.is_multiple_of(3) {
            None
        } else {
            Some(format!("2022-{:02}", i % 12 + 1))
        },
        source: if i.is_multiple_of(5) {
            None
        } else {
            Some(format!("outlet{}.example", i % 4))
        },
        url: Some(format!("https://news.example/{i}")),
        title: Some(format!("Aide militaire {i}: {system}")),
        lang: if i.is_multiple_of(2) {
            Some("fr".into())
        } else {
            None
        },
    };
    let extraction = Extraction {
        records,
        lang: "fr".into(),
        published: Some("2022-06-01".into()),
        source: Some("extracted.example".into()),
        explain: Vec::new(),
        capped_sentences: 0,
    };
    (document, extraction)
}

/// Documents `range`, version 0.
pub fn docs(range: std::ops::Range<usize>) -> Vec<(Document, Extraction)> {
    range.map(|i| doc(i, 0)).collect()
}

/// The records of `docs` as the store should give them back (document then record
/// order; metadata completed from the extraction).
pub fn expected_records(docs: &[(Document, Extraction)]) -> Vec<SourcedRecord> {
    let mut sorted: Vec<&(Document, Extraction)> = docs.iter().collect();
    sorted.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    sorted.dedup_by(|a, b| a.0.id == b.0.id);
    let mut out = Vec::new();
    for (d, e) in sorted {
        for r in &e.records {
            let mut s = SourcedRecord {
                record: r.clone(),
                source: d.source.clone().or(e.source.clone()),
                published: d.published.clone().or(e.published.clone()),
                url: d.url.clone(),
                title: d.title.clone(),
            };
            // the store keeps the sanity flags computed before storage
            s.record.flags = aidledger_ledger::sanity::record_flags(&s);
            out.push(s);
        }
    }
    out
}

pub fn by_id(mut cs: Vec<Commitment>) -> Vec<Commitment> {
    cs.sort_by(|a, b| a.id.cmp(&b.id));
    cs
}

/// Ingests `docs` in batches of `size`.
pub fn ingest(
    store: &mut Store,
    docs: &[(Document, Extraction)],
    size: usize,
) -> aidledger_store::IngestStats {
    let mut total = aidledger_store::IngestStats::default();
    for b in docs.chunks(size) {
        let s = store.ingest_batch(b).expect("ingest");
        total.added += s.added;
        total.replaced += s.replaced;
        total.unchanged += s.unchanged;
        total.records += s.records;
    }
    total
}

/// Ingest, rebuild and read back: documents, records and commitments.
pub fn check_round_trip(open: &dyn Fn() -> Store) {
    let mut store = open();
    assert!(store.records().unwrap().is_empty());
    assert!(!store.commitments_stale().unwrap());
    let docs = docs(0..40);
    let stats = ingest(&mut store, &docs, 7);
    let n_records: usize = docs.iter().map(|d| d.1.records.len()).sum();
    assert_eq!(stats.added, 40);
    assert_eq!((stats.replaced, stats.unchanged), (0, 0));
    assert_eq!(stats.records, n_records);
    assert!(store.commitments_stale().unwrap());

    let summaries = store.documents().unwrap();
    assert_eq!(summaries.len(), 40);
    assert_eq!(summaries[3].id, "doc-0003");
    assert_eq!(
        summaries[3].title.as_deref(),
        Some("Aide militaire 3: Storm Shadow")
    );
    // metadata the document lacks comes from its extraction
    assert_eq!(summaries[3].published.as_deref(), Some("2022-06-01"));
    assert_eq!(summaries[3].lang.as_deref(), Some("fr"));
    assert_eq!(summaries[5].source.as_deref(), Some("extracted.example"));

    let records = store.records().unwrap();
    assert_eq!(records.len(), n_records);
    assert_eq!(records, expected_records(&docs));

    let n = store.rebuild_commitments(false).unwrap();
    assert!(!store.commitments_stale().unwrap());
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    assert_eq!(all.len(), n);
    assert_eq!(by_id(all.clone()), by_id(aidledger_ledger::merge(&records)));
    for c in &all {
        assert_eq!(store.commitment(&c.id).unwrap().as_ref(), Some(c));
    }
    assert_eq!(store.commitment("no-such-id").unwrap(), None);
    // not stale: a no-op giving the same count
    assert_eq!(store.rebuild_commitments(false).unwrap(), n);
    assert_eq!(store.rebuild_commitments(true).unwrap(), n);
    store.check_integrity().unwrap();

    // a second connection sees the same
    drop(store);
    let again = open();
    assert_eq!(again.records().unwrap(), records);
    assert_eq!(
        by_id(again.commitments(&LedgerFilter::default()).unwrap()),
        by_id(all)
    );
}

/// Same batch twice: nothing changes. A changed document: replaced, old records gone.
pub fn check_idempotence(open: &dyn Fn() -> Store) {
    let mut store = open();
    let docs = docs(0..30);
    ingest(&mut store, &docs, 4);
    store.rebuild_commitments(false).unwrap();
    let before = store.dump().unwrap();

    let stats = ingest(&mut store, &docs, 4);
    assert_eq!(
        (stats.added, stats.replaced, stats.unchanged, stats.records),
        (0, 0, 30, 0)
    );
    assert!(
        !store.commitments_stale().unwrap(),
        "an unchanged batch must not mark the commitments stale"
    );
    store.rebuild_commitments(false).unwrap();
    assert_eq!(store.dump().unwrap(), before);
    // a batch with the same id twice is refused whole, even for the same document:
    // the caller says which one counts
    for batch in [[doc(1, 0), doc(1, 0)], [doc(1, 1), doc(1, 0)]] {
        match store.ingest_batch(&batch) {
            Err(aidledger_store::StoreError::Invalid(m)) => {
                assert!(m.contains("\"doc-0001\""), "{m}")
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert_eq!(store.dump().unwrap(), before);
    }

    // doc 5 changes: text and records (version 1 has one record fewer or more)
    let changed = doc(5, 1);
    let s = store.ingest_batch(&[doc(4, 0), changed.clone()]).unwrap();
    assert_eq!((s.added, s.replaced, s.unchanged), (0, 1, 1));
    assert_eq!(s.records, changed.1.records.len());
    assert!(store.commitments_stale().unwrap());
    let mut expected_docs = docs.clone();
    expected_docs[5] = changed.clone();
    let records = store.records().unwrap();
    assert_eq!(records, expected_records(&expected_docs));
    let doc5: Vec<&SourcedRecord> = records
        .iter()
        .filter(|r| r.record.doc_id == "doc-0005")
        .collect();
    assert_eq!(doc5.len(), changed.1.records.len());
    // metadata change alone is a change too
    let mut retitled = doc(6, 0);
    retitled.0.title = Some("Nouveau titre".into());
    assert_eq!(store.ingest_batch(&[retitled]).unwrap().replaced, 1);
    assert_eq!(store.search("nouveau titre", 5).unwrap().len(), 1);
    // the old text is no longer found, the new one is
    assert!(store
        .search("version 0 lot 5", 5)
        .unwrap()
        .iter()
        .all(|(d, _)| d.id != "doc-0005"));
    assert_eq!(
        store.search("lot 5 version 1", 5).unwrap()[0].0.id,
        "doc-0005"
    );
    store.rebuild_commitments(false).unwrap();
    assert_eq!(
        by_id(store.commitments(&LedgerFilter::default()).unwrap()),
        by_id(aidledger_ledger::merge(&store.records().unwrap()))
    );
    store.check_integrity().unwrap();
}

/// Full-text search: accents, case, hostile queries.
pub fn check_search(open: &dyn Fn() -> Store) {
    let mut store = open();
    let mut docs = docs(0..12);
    let (mut d, e) = doc(100, 0);
    d.id = "special".into();
    d.title = Some("Systèmes de défense aérienne".into());
    d.text = "Livraison de systèmes \"SAMP/T\" à Kyiv; prix: 50% (AND) OR NOT near* ^x.".into();
    let e = Extraction {
        records: Vec::new(),
        ..e
    };
    docs.push((d, e));
    ingest(&mut store, &docs, 5);

    let ids = |q: &str| -> Vec<String> {
        store
            .search(q, 50)
            .unwrap()
            .into_iter()
            .map(|(d, _)| d.id)
            .collect()
    };
    // accents and case ignored both ways
    assert!(ids("systemes").contains(&"special".to_string()));
    assert!(ids("SYSTÈMES défense").contains(&"special".to_string()));
    assert!(ids("aerienne").contains(&"special".to_string()));
    assert_eq!(ids("etude defense 7"), ["doc-0007"]);
    assert_eq!(ids("Étude DÉFENSE 7"), ["doc-0007"]);
    // records come along
    let hit = store.search("militaire 2 iris", 5).unwrap();
    assert_eq!(hit.len(), 1);
    assert_eq!(hit[0].0.id, "doc-0002");
    let expected: Vec<_> = expected_records(&docs[2..3])
        .into_iter()
        .map(|s| s.record)
        .collect();
    assert_eq!(hit[0].1, expected);
    assert_eq!(hit[0].0.title.as_deref(), Some("Aide militaire 2: IRIS-T"));
    // all words required
    assert!(ids("systemes zzzunknown").is_empty());
    // limit
    assert_eq!(store.search("ukraine", 3).unwrap().len(), 3);
    assert!(store.search("ukraine", 0).unwrap().is_empty());
    // hostile queries: results or nothing, never an error
    let hostile = [
        "\"",
        "\"\"",
        "'",
        "') OR 1=1 --",
        "'; DROP TABLE documents; --",
        "*",
        "AND (",
        "NOT",
        "OR",
        "NEAR(a b)",
        "title:systemes",
        "^systemes",
        "sys*",
        "SAMP/T",
        "50%",
        "(AND) OR NOT near* ^x",
        "\\",
        "\u{0}",
        "",
        "   ",
        "-- /* */",
        "systèmes\"",
        "a\"b",
        "😀 🚀",
        "\u{301}",
        "中文",
        "x AND",
        "{col} : \"x\"",
        "a & b | !c <-> d",
        "$1 ?1 :x @y",
    ];
    for q in hostile {
        match store.search(q, 10) {
            Ok(_) => {}
            Err(e) => panic!("query {q:?} failed: {e}"),
        }
    }
    assert!(
        ids("AND (").contains(&"special".to_string()),
        "words of a hostile query are still searched"
    );
    assert!(ids("SAMP/T").contains(&"special".to_string()));
    // the tables are intact
    assert_eq!(store.documents().unwrap().len(), 13);
    // many random strings
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let alphabet: Vec<char> = "ab \"'()*:^-+.,;%_\\NEARORANDNOT{}[]éè\u{0}"
        .chars()
        .collect();
    for _ in 0..300 {
        let mut q = String::new();
        for _ in 0..(x % 12) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            q.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        x = x.wrapping_add(1);
        if let Err(e) = store.search(&q, 5) {
            panic!("query {q:?} failed: {e}");
        }
    }
    store.check_integrity().unwrap();
}

/// Hand-made commitments for the filter tests (stored with `rebuild_commitments_with`,
/// so the filters are tested whatever `merge` returns).
pub fn fixture_commitments() -> Vec<Commitment> {
    // Built as JSON so that a field added to the ledger's types breaks this fixture
    // (with a clear message) rather than the compilation of every test.
    use serde_json::{json, Value as J};
    let stage = |status: &str, dates: &[&str], sources: &[&str]| {
        json!({
            "status": status,
            "dates": dates.iter().map(|d| json!({"value": d, "doc_ids": ["d1"], "sources": sources})).collect::<Vec<_>>(),
            "quantities": [{"value": 4, "doc_ids": ["d1"], "sources": sources}],
            "values": [{"value": {"amount": 0.1 + 0.2, "currency": "EUR"}, "doc_ids": ["d2"], "sources": sources}],
            "asserted_by": [],
            "sources": sources,
            "evidence": [{"doc_id": "d1", "start": 0, "end": 5, "text": "Texte", "published": "2022-05", "source": "a.example"}],
            "doc_ids": ["d1"],
        })
    };
    let mk = |id: &str,
              donor: &str,
              recipient: Option<&str>,
              item: &str,
              category: Option<&str>,
              stages: Vec<J>| {
        let mut dates: Vec<String> = stages
            .iter()
            .flat_map(|s| s["dates"].as_array().cloned().unwrap_or_default())
            .filter_map(|d| d["value"].as_str().map(str::to_string))
            .collect();
        dates.sort();
        let sources: BTreeSet<String> = stages
            .iter()
            .flat_map(|s| s["sources"].as_array().cloned().unwrap_or_default())
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect();
        let status = stages
            .last()
            .map(|s| s["status"].clone())
            .unwrap_or(json!("pledged"));
        let v = json!({
            "id": id,
            "donor": donor,
            "recipient": recipient,
            "subject": {"kind": "system", "name": item},
            "item": item,
            "category": category,
            "stages": stages,
            "status": status,
            "first_date": dates.first(),
            "last_date": dates.last(),
            "sources": sources,
            "doc_ids": ["d1", "d2"],
        });
        serde_json::from_value::<Commitment>(v).unwrap_or_else(|e| {
            panic!("the fixture commitment no longer fits aidledger_ledger::Commitment: {e}")
        })
    };
    vec![
        mk(
            "c01",
            "USA",
            Some("UKR"),
            "NASAMS",
            Some("air defence"),
            vec![
                stage("pledged", &["2022-08-24"], &["a.example", "b.example"]),
                stage("delivered", &["2022-11-07"], &["c.example"]),
            ],
        ),
        mk(
            "c02",
            "USA",
            Some("UKR"),
            "HIMARS",
            Some("artillery"),
            vec![stage("delivered", &["2022-06"], &["a.example"])],
        ),
        mk(
            "c03",
            "FRA",
            Some("UKR"),
            "CAESAR",
            Some("Artillery"),
            vec![
                stage("pledged", &["2022-04-22"], &["a.example", "d.example"]),
                stage("delivered", &["2022-05"], &["a.example"]),
            ],
        ),
        mk(
            "c04",
            "DEU",
            Some("UKR"),
            "IRIS-T SLM",
            Some("air defence"),
            vec![stage("approved", &["2022"], &["e.example"])],
        ),
        mk(
            "c05",
            "GBR",
            None,
            "Storm Shadow",
            None,
            vec![stage("considering", &[], &[])],
        ),
        mk(
            "c06",
            "Pol",
            Some("UKR"),
            "Étoile 100%_x",
            Some("Défense"),
            vec![
                stage("requested", &["2023-01-15"], &["f.example"]),
                stage("refused", &["2023-02-01"], &["g.example"]),
            ],
        ),
        mk(
            "c07",
            "USA",
            Some("TWN"),
            "NASAMS",
            Some("air defence"),
            vec![stage("approved", &["2022-11-07"], &["h.example"])],
        ),
    ]
}

/// The filter semantics, in Rust, as the reference the SQL must match.
pub fn reference_filter(all: &[Commitment], f: &LedgerFilter) -> Vec<String> {
    fn on_or_after(d: &str, s: &str) -> bool {
        let cut: String = d.chars().take(s.chars().count()).collect();
        cut.as_str() >= s || s.starts_with(d)
    }
    fn on_or_before(d: &str, u: &str) -> bool {
        let cut: String = d.chars().take(u.chars().count()).collect();
        cut.as_str() <= u || u.starts_with(d)
    }
    let eq = |a: Option<&str>, b: &Option<String>| match b {
        None => true,
        Some(b) => a.map(|a| a.to_lowercase()) == Some(b.to_lowercase()),
    };
    let mut hits: Vec<&Commitment> = all
        .iter()
        .filter(|c| eq(Some(&c.donor), &f.donor))
        .filter(|c| eq(c.recipient.as_deref(), &f.recipient))
        .filter(|c| eq(c.category.as_deref(), &f.category))
        .filter(|c| {
            f.item
                .as_ref()
                .is_none_or(|i| c.item.to_lowercase().contains(&i.to_lowercase()))
        })
        .filter(|c| {
            f.status
                .is_none_or(|s| c.status == s || c.stages.iter().any(|st| st.status == s))
        })
        .filter(|c| {
            f.since
                .as_ref()
                .is_none_or(|s| c.last_date.as_deref().is_some_and(|d| on_or_after(d, s)))
        })
        .filter(|c| {
            f.until
                .as_ref()
                .is_none_or(|u| c.first_date.as_deref().is_some_and(|d| on_or_before(d, u)))
        })
        .filter(|c| f.min_sources.is_none_or(|n| c.sources.len() >= n))
        .collect();
    hits.sort_by(|a, b| {
        let date = match (&a.last_date, &b.last_date) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        date.then_with(|| a.donor.to_lowercase().cmp(&b.donor.to_lowercase()))
            .then_with(|| a.item.to_lowercase().cmp(&b.item.to_lowercase()))
            .then_with(|| a.id.cmp(&b.id))
    });
    let offset = f.offset.unwrap_or(0);
    let limit = f.limit.unwrap_or(usize::MAX);
    hits.into_iter()
        .skip(offset)
        .take(limit)
        .map(|c| c.id.clone())
        .collect()
}

/// Ledger filters in SQL give what the reference gives.
pub fn check_filters(open: &dyn Fn() -> Store) {
    let mut store = open();
    let fixture = fixture_commitments();
    let f2 = fixture.clone();
    assert_eq!(
        store
            .rebuild_commitments_with(true, move |_| f2.clone())
            .unwrap(),
        fixture.len()
    );
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    assert_eq!(
        by_id(all.clone()),
        by_id(fixture.clone()),
        "commitments read back exactly (floats included)"
    );
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c06", "c01", "c07", "c02", "c03", "c04", "c05"]);

    let s = |x: &str| Some(x.to_string());
    let filters = vec![
        LedgerFilter {
            donor: s("USA"),
            ..Default::default()
        },
        LedgerFilter {
            donor: s("usa"),
            ..Default::default()
        },
        LedgerFilter {
            donor: s("POL"),
            ..Default::default()
        },
        LedgerFilter {
            recipient: s("UKR"),
            ..Default::default()
        },
        LedgerFilter {
            recipient: s("twn"),
            ..Default::default()
        },
        LedgerFilter {
            item: s("nasams"),
            ..Default::default()
        },
        LedgerFilter {
            item: s("iris"),
            ..Default::default()
        },
        LedgerFilter {
            item: s("%"),
            ..Default::default()
        },
        LedgerFilter {
            item: s("_"),
            ..Default::default()
        },
        LedgerFilter {
            item: s("0%_"),
            ..Default::default()
        },
        LedgerFilter {
            item: s("ÉTOILE"),
            ..Default::default()
        },
        LedgerFilter {
            item: s("'; DROP TABLE commitments; --"),
            ..Default::default()
        },
        LedgerFilter {
            category: s("ARTILLERY"),
            ..Default::default()
        },
        LedgerFilter {
            category: s("défense"),
            ..Default::default()
        },
        LedgerFilter {
            status: Some(Status::Pledged),
            ..Default::default()
        },
        LedgerFilter {
            status: Some(Status::Delivered),
            ..Default::default()
        },
        LedgerFilter {
            status: Some(Status::Refused),
            ..Default::default()
        },
        LedgerFilter {
            status: Some(Status::Blocked),
            ..Default::default()
        },
        LedgerFilter {
            since: s("2022-11"),
            ..Default::default()
        },
        LedgerFilter {
            since: s("2022-11-08"),
            ..Default::default()
        },
        LedgerFilter {
            since: s("2022-06-15"),
            ..Default::default()
        },
        LedgerFilter {
            since: s("2022"),
            ..Default::default()
        },
        LedgerFilter {
            since: s("2023"),
            ..Default::default()
        },
        LedgerFilter {
            until: s("2022-05"),
            ..Default::default()
        },
        LedgerFilter {
            until: s("2022-04-30"),
            ..Default::default()
        },
        LedgerFilter {
            until: s("2021"),
            ..Default::default()
        },
        LedgerFilter {
            since: s("2022-05"),
            until: s("2022-06"),
            ..Default::default()
        },
        LedgerFilter {
            since: s("garbage'"),
            ..Default::default()
        },
        LedgerFilter {
            min_sources: Some(2),
            ..Default::default()
        },
        LedgerFilter {
            min_sources: Some(0),
            ..Default::default()
        },
        LedgerFilter {
            min_sources: Some(usize::MAX),
            ..Default::default()
        },
        LedgerFilter {
            donor: s("USA"),
            status: Some(Status::Delivered),
            min_sources: Some(2),
            ..Default::default()
        },
        LedgerFilter {
            limit: Some(2),
            ..Default::default()
        },
        LedgerFilter {
            limit: Some(2),
            offset: Some(2),
            ..Default::default()
        },
        LedgerFilter {
            offset: Some(5),
            ..Default::default()
        },
        LedgerFilter {
            offset: Some(usize::MAX),
            ..Default::default()
        },
        LedgerFilter {
            limit: Some(0),
            ..Default::default()
        },
        LedgerFilter {
            limit: Some(usize::MAX),
            offset: Some(1),
            ..Default::default()
        },
        LedgerFilter {
            donor: s("USA"),
            limit: Some(1),
            offset: Some(1),
            ..Default::default()
        },
    ];
    for f in &filters {
        let got: Vec<String> = store
            .commitments(f)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(got, reference_filter(&fixture, f), "filter {f:?}");
    }
    // the reference is not trivially empty
    assert_eq!(
        reference_filter(&fixture, &filters[0]),
        ["c01", "c07", "c02"]
    );
    assert_eq!(reference_filter(&fixture, &filters[14]), ["c01", "c03"]);
    assert_eq!(
        reference_filter(&fixture, &filters[18]),
        ["c06", "c01", "c07", "c04"]
    );

    // a rebuild with a failing merge output (duplicate ids) changes nothing
    let dup = vec![fixture[0].clone(), fixture[0].clone()];
    let before = store.dump().unwrap();
    assert!(matches!(
        store.rebuild_commitments_with(true, move |_| dup.clone()),
        Err(StoreError::Db(_))
    ));
    assert_eq!(store.dump().unwrap(), before);
}

/// The text of a dump, for assertion messages.
pub fn diff(a: &[String], b: &[String]) -> String {
    let sa: BTreeSet<&String> = a.iter().collect();
    let sb: BTreeSet<&String> = b.iter().collect();
    let only_a: Vec<_> = sa.difference(&sb).take(5).collect();
    let only_b: Vec<_> = sb.difference(&sa).take(5).collect();
    format!(
        "{} vs {} rows; only in the first: {only_a:?}; only in the second: {only_b:?}",
        a.len(),
        b.len()
    )
}

/// A very large document (2.4 MB of distinct words) is stored and searchable.
pub fn check_large_document(open: &dyn Fn() -> Store) {
    let mut store = open();
    let (mut d, e) = doc(7, 0);
    let mut text = String::from("Début unique: zanzibarite. ");
    // (PostgreSQL indexes the first 100,000 characters: the words searched are there)
    let mut i = 0u64;
    while text.len() < 2_400_000 {
        text.push_str(&format!("w{i:x}q "));
        i += 1;
    }
    d.text = text;
    let e = Extraction {
        records: Vec::new(),
        ..e
    };
    let s = store
        .ingest_batch(&[(d, e)])
        .expect("a large document is stored");
    assert_eq!(s.added, 1);
    assert_eq!(store.search("debut zanzibarite", 5).unwrap().len(), 1);
    // the worst case for a tsvector: distinct one-character words, 4-byte characters
    let (mut d, e) = doc(8, 0);
    d.text = (0x20000u32..0x20000 + 150_000)
        .filter_map(char::from_u32)
        .flat_map(|c| [c, ' '])
        .collect();
    let e = Extraction {
        records: Vec::new(),
        ..e
    };
    assert_eq!(
        store
            .ingest_batch(&[(d, e)])
            .expect("a large document is stored")
            .added,
        1
    );
    store.check_integrity().unwrap();
}

/// The generation grows with every write that changes what readers see (a changed
/// document, a rebuild), stays put when nothing changes, and a second connection sees
/// the same number.
pub fn check_generation(open: &dyn Fn() -> Store) {
    let mut store = open();
    let g0 = store.generation().expect("generation");
    ingest(&mut store, &docs(0..6), 3);
    let g1 = store.generation().unwrap();
    assert!(g1 > g0, "ingest: {g0} -> {g1}");
    ingest(&mut store, &docs(0..6), 3);
    assert_eq!(store.generation().unwrap(), g1, "an unchanged ingest");
    store.rebuild_commitments(false).unwrap();
    let g2 = store.generation().unwrap();
    assert!(g2 > g1, "rebuild: {g1} -> {g2}");
    store.rebuild_commitments(false).unwrap();
    assert_eq!(
        store.generation().unwrap(),
        g2,
        "a rebuild that had nothing to do"
    );
    ingest(&mut store, &[doc(2, 7)], 1);
    let g3 = store.generation().unwrap();
    assert!(g3 > g2, "a replaced document: {g2} -> {g3}");
    assert_eq!(open().generation().unwrap(), g3, "another connection");
}

/// `documents_by_id` gives the stored documents among the ids asked for, sorted, and
/// the same summaries as `documents`, however many ids are asked for.
pub fn check_documents_by_id(open: &dyn Fn() -> Store) {
    let mut store = open();
    ingest(&mut store, &docs(0..12), 5);
    let all = store.documents().unwrap();
    let wanted = ["doc-0007", "nowhere", "doc-0002", "doc-0011"];
    let got = store.documents_by_id(&wanted).unwrap();
    let ids: Vec<&str> = got.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["doc-0002", "doc-0007", "doc-0011"]);
    for d in &got {
        assert_eq!(Some(d), all.iter().find(|a| a.id == d.id));
    }
    // more ids than one statement takes
    let many: Vec<String> = (0..1200).map(|i| format!("doc-{i:04}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(store.documents_by_id(&many).unwrap(), all);
    assert!(store.documents_by_id(&[]).unwrap().is_empty());
    assert_eq!(store.document_count().unwrap(), all.len());
    // pages of all documents, by id
    assert_eq!(store.documents_page(0, 5).unwrap(), all[..5]);
    assert_eq!(store.documents_page(10, 5).unwrap(), all[10..]);
    assert!(store.documents_page(50, 5).unwrap().is_empty());
}

/// The commitments after an incremental rebuild equal those of a full rebuild, batch
/// after batch of added and replaced documents (pseudo-random, seeded).
pub fn check_incremental(open: &dyn Fn() -> Store) {
    let mut store = open();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    for round in 0..12 {
        let size = 1 + next(5) as usize;
        let mut ids = std::collections::BTreeSet::new();
        let batch: Vec<_> = (0..size)
            .filter_map(|_| {
                let i = next(40) as usize;
                ids.insert(i).then(|| doc(i, next(3) as usize))
            })
            .collect();
        store.ingest_batch(&batch).unwrap();
        store.rebuild_commitments(false).unwrap();
        assert!(!store.commitments_stale().unwrap());
        let incremental = store.dump().unwrap();
        let records = store.records().unwrap();
        assert_eq!(
            by_id(store.commitments(&LedgerFilter::default()).unwrap()),
            by_id(aidledger_ledger::merge(&records)),
            "round {round}"
        );
        store.rebuild_commitments(true).unwrap();
        let full = store.dump().unwrap();
        assert!(
            incremental == full,
            "round {round}: {}",
            diff(&incremental, &full)
        );
    }
}

/// A flagged commitment counts in no sum until confirmed; the confirmation survives
/// full rebuilds and re-ingestion, and can be withdrawn.
pub fn check_confirmations(open: &dyn Fn() -> Store) {
    let mut store = open();
    store.ingest_batch(&docs(0..8)).unwrap();
    store.rebuild_commitments(false).unwrap();
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    let flagged = all
        .iter()
        .find(|c| {
            aidledger_ledger::figures::summable(c)
                && aidledger_ledger::figures::is_committed(c)
                && !c.flags.is_empty()
        })
        .expect("the fixture's 16.8 bn packages are out of scale")
        .clone();
    let unflagged = all.iter().find(|c| c.flags.is_empty()).expect("unflagged");
    assert!(matches!(
        store.confirm(&unflagged.id),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(store.confirm("no-such-id"), Ok(None)));
    let donor = LedgerFilter {
        donor: Some(flagged.donor.clone()),
        ..Default::default()
    };
    let sums = |s: &Store| {
        s.sums_by(&donor, aidledger_store::SumsBy::Donor, None)
            .unwrap()
            .remove(0)
            .sums
    };
    let before = sums(&store);
    let amount = flagged.value.as_ref().unwrap().amount;
    let usd = |s: &aidledger_ledger::figures::Sums| s.committed.get("USD").copied().unwrap_or(0.0);
    let conf = store.confirm(&flagged.id).unwrap().expect("a commitment");
    assert_eq!(conf.flags, flagged.flags);
    let after = sums(&store);
    assert_eq!(after.flagged + 1, before.flagged);
    assert_eq!(after.confirmed, before.confirmed + 1);
    assert!((usd(&after) - usd(&before) - amount).abs() < 1.0);
    let c = store.commitment(&flagged.id).unwrap().unwrap();
    assert!(c.confirmed && aidledger_ledger::figures::counts_in_sums(&c));
    // a full rebuild and a re-ingestion of changed documents keep it
    store.rebuild_commitments(true).unwrap();
    let other: Vec<_> = (0..8)
        .filter(|i| !flagged.doc_ids.contains(&format!("doc-{i:04}")))
        .map(|i| doc(i, 1))
        .collect();
    store.ingest_batch(&other).unwrap();
    store.rebuild_commitments(false).unwrap();
    assert!(store.commitment(&flagged.id).unwrap().unwrap().confirmed);
    assert_eq!(store.confirmations().unwrap().len(), 1);
    assert!(store.confirmations().unwrap()[0].present);
    // withdrawn
    assert!(store.unconfirm(&flagged.id).unwrap());
    assert!(!store.unconfirm(&flagged.id).unwrap());
    assert!(!store.commitment(&flagged.id).unwrap().unwrap().confirmed);
    assert!(store.confirmations().unwrap().is_empty());
}

/// Pages cut in SQL add up to the whole list in every order; the sums computed in SQL
/// equal `figures::sums` over the commitments they group.
pub fn check_pages_and_sums(open: &dyn Fn() -> Store) {
    use aidledger_ledger::figures;
    use aidledger_store::{Order, SumsBy};
    let mut store = open();
    store.ingest_batch(&docs(0..40)).unwrap();
    store.rebuild_commitments(false).unwrap();
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    assert!(all.len() > 20);
    for order in [
        Order::Date,
        Order::Sources,
        Order::Value,
        Order::Donor,
        Order::Item,
    ] {
        let mut pages = Vec::new();
        for offset in (0..all.len() + 7).step_by(7) {
            let f = LedgerFilter {
                limit: Some(7),
                offset: Some(offset),
                ..Default::default()
            };
            let p = store.commitments_page(&f, order, None).unwrap();
            assert_eq!(p.total, all.len());
            assert!(p.items.len() <= 7);
            pages.extend(p.items);
        }
        assert_eq!(by_id(pages.clone()), by_id(all.clone()), "{order:?}");
        if order == Order::Value {
            let v: Vec<f64> = pages
                .iter()
                .map(|c| figures::max_value(c).unwrap_or(-1.0))
                .collect();
            assert!(v.windows(2).all(|w| w[0] >= w[1]));
        }
    }
    // prefixes of ids, looked up in SQL; LIKE patterns match themselves
    let id = &all[0].id;
    let hits = store.commitment_ids_with_prefix(&id[..3], 100).unwrap();
    assert!(hits.contains(id));
    assert!(hits.iter().all(|h| h.starts_with(&id[..3])));
    assert_eq!(
        hits.len(),
        all.iter().filter(|c| c.id.starts_with(&id[..3])).count()
    );
    assert_eq!(
        store.commitment_ids_with_prefix(id, 2).unwrap(),
        std::slice::from_ref(id)
    );
    assert!(store.commitment_ids_with_prefix("%", 2).unwrap().is_empty());
    assert!(store.commitment_ids_with_prefix("_", 2).unwrap().is_empty());
    assert!(store.commitment_ids_with_prefix("", 2).unwrap().is_empty());
    let year = store
        .commitments_page(&LedgerFilter::default(), Order::Date, Some("2022"))
        .unwrap();
    assert_eq!(
        year.total,
        all.iter()
            .filter(|c| figures::year(c) == Some("2022"))
            .count()
    );
    for by in [
        SumsBy::Donor,
        SumsBy::Party,
        SumsBy::Category,
        SumsBy::Status,
        SumsBy::Month,
    ] {
        let groups = store.sums_by(&LedgerFilter::default(), by, None).unwrap();
        let key = |c: &Commitment| -> (String, Option<String>) {
            match by {
                SumsBy::Donor => (c.donor.clone(), None),
                SumsBy::Party => (c.donor.clone(), c.recipient.clone()),
                SumsBy::Category => (c.category.clone().unwrap_or_else(|| "(none)".into()), None),
                SumsBy::Status => (c.status.as_str().into(), None),
                SumsBy::Month => (
                    c.first_date
                        .as_deref()
                        .filter(|d| d.len() >= 7)
                        .map_or("unknown".into(), |d| d[..7].to_string()),
                    None,
                ),
            }
        };
        let mut expected: std::collections::BTreeMap<_, Vec<&Commitment>> = Default::default();
        for c in &all {
            expected.entry(key(c)).or_default().push(c);
        }
        assert_eq!(groups.len(), expected.len(), "{by:?}");
        for (g, (k, cs)) in groups.iter().zip(&expected) {
            assert_eq!(&(g.key.clone(), g.recipient.clone()), k);
            assert_eq!(g.count, cs.len());
            let s = figures::sums(cs.iter().copied());
            assert_eq!(g.sums.by_kind, s.by_kind);
            assert_eq!((g.sums.flagged, g.sums.confirmed), (s.flagged, s.confirmed));
            assert_eq!(g.sums.counted, s.counted);
            for (cur, a) in &s.committed {
                assert!((g.sums.committed[cur] - a).abs() <= 1e-6 * a.abs().max(1.0));
            }
            assert_eq!(g.sums.committed.len(), s.committed.len());
        }
    }
}

/// `commitments_citing` finds exactly the commitments whose evidence cites a document,
/// whatever its id holds (quotes, backslashes, `%`, `_`, other case).
pub fn check_commitments_citing(open: &dyn Fn() -> Store) {
    let mut store = open();
    let mut batch = docs(0..20);
    // ids with characters that JSON or LIKE treat specially, one differing only in case
    for (k, id) in ["odd\"quote\\back", "pct%_under", "DOC-0003"]
        .iter()
        .enumerate()
    {
        let (mut d, mut x) = doc(3 + k, 0);
        let old = d.id.clone();
        d.id = id.to_string();
        for r in &mut x.records {
            r.doc_id = id.to_string();
        }
        assert_ne!(old, d.id);
        batch.push((d, x));
    }
    ingest(&mut store, &batch, 7);
    store.rebuild_commitments(false).unwrap();
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    let mut checked = 0;
    for (d, x) in &batch {
        let want: Vec<String> = all
            .iter()
            .filter(|c| {
                c.stages
                    .iter()
                    .any(|s| s.evidence.iter().any(|e| e.doc_id == d.id))
            })
            .map(|c| c.id.clone())
            .collect();
        let mut want = want;
        want.sort();
        let got: Vec<String> = store
            .commitments_citing(&d.id)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(got, want, "{:?}", d.id);
        checked += usize::from(!x.records.is_empty());
    }
    assert!(checked > 5);
    assert!(store.commitments_citing("nowhere").unwrap().is_empty());
}

/// `commitments_sorted`: the text filter matches donor, recipient, item (a package's
/// contents included) or category in any case; every key sorts both ways with missing figures last; pages put together
/// give the whole list.
pub fn check_commitments_sorted(open: &dyn Fn() -> Store) {
    use aidledger_store::SortKey;
    let mut store = open();
    ingest(&mut store, &docs(0..40), 9);
    store.rebuild_commitments(false).unwrap();
    let all = store.commitments(&LedgerFilter::default()).unwrap();
    assert!(all.len() > 5);
    let whole = |text: Option<&str>, key, desc| {
        store
            .commitments_sorted(&LedgerFilter::default(), text, key, desc)
            .unwrap()
    };
    // the text filter
    for text in ["nasams", "FRA", "ukr", "no such thing"] {
        let t = text.to_lowercase();
        let want = all
            .iter()
            .filter(|c| {
                [
                    Some(c.donor.as_str()),
                    c.recipient.as_deref(),
                    Some(c.item.as_str()),
                    c.category.as_deref(),
                ]
                .into_iter()
                .flatten()
                .chain(c.contents.iter().map(|i| i.name.as_str()))
                .any(|f| f.to_lowercase().contains(&t))
            })
            .count();
        let page = whole(Some(text), SortKey::Last, true);
        assert_eq!(page.total, want, "{text}");
        assert_eq!(page.items.len(), want, "{text}");
    }
    // every key, both ways: ordered, missing last, paged consistently
    for key in [
        SortKey::Donor,
        SortKey::Item,
        SortKey::Category,
        SortKey::Stage,
        SortKey::First,
        SortKey::Last,
        SortKey::Value,
        SortKey::Sources,
    ] {
        for desc in [false, true] {
            let list = whole(None, key, desc).items;
            assert_eq!(list.len(), all.len(), "{key:?}");
            let firsts: Vec<Option<String>> = list.iter().map(|c| c.first_date.clone()).collect();
            if key == SortKey::First {
                let known: Vec<&String> = firsts.iter().flatten().collect();
                let mut sorted = known.clone();
                sorted.sort();
                if desc {
                    sorted.reverse();
                }
                assert_eq!(known, sorted, "{key:?} {desc}");
                // commitments without a first date come last
                let n = known.len();
                assert!(firsts[n..].iter().all(Option::is_none), "{key:?} {desc}");
            }
            if key == SortKey::Donor {
                let d: Vec<String> = list.iter().map(|c| c.donor.to_lowercase()).collect();
                let mut s = d.clone();
                s.sort();
                if desc {
                    s.reverse();
                }
                assert_eq!(d, s, "{desc}");
            }
            let mut paged = Vec::new();
            for offset in (0..list.len()).step_by(4) {
                let f = LedgerFilter {
                    limit: Some(4),
                    offset: Some(offset),
                    ..Default::default()
                };
                let p = store.commitments_sorted(&f, None, key, desc).unwrap();
                assert_eq!(p.total, all.len());
                paged.extend(p.items.into_iter().map(|c| c.id));
            }
            let ids: Vec<String> = list.into_iter().map(|c| c.id).collect();
            assert_eq!(paged, ids, "{key:?} {desc}");
        }
    }
    let long = "x".repeat(201);
    assert!(store
        .commitments_sorted(&LedgerFilter::default(), Some(&long), SortKey::Last, true)
        .is_err());
}

/// The systems roll-up and the stage months read from their own tables equal those
/// computed from the whole ledger, after a full rebuild, after incremental ones and
/// after a confirmation.
pub fn check_rollup_tables(open: &dyn Fn() -> Store) {
    use aidledger_ledger::figures;
    let mut store = open();
    let check = |store: &Store, when: &str| {
        let all = store.commitments(&LedgerFilter::default()).unwrap();
        let facts = store.system_facts().unwrap();
        for per_donor in [true, false] {
            assert_eq!(
                figures::systems_from_facts(&facts, per_donor),
                figures::systems(&all, per_donor),
                "{when}, per donor {per_donor}"
            );
        }
        let mut want: std::collections::BTreeMap<(String, String), usize> = Default::default();
        for c in &all {
            for (m, s) in figures::stage_months(c) {
                *want.entry((m, s.as_str().to_string())).or_default() += 1;
            }
        }
        let got: std::collections::BTreeMap<(String, String), usize> = store
            .stage_month_counts()
            .unwrap()
            .into_iter()
            .map(|(m, s, n)| ((m, s), n))
            .collect();
        assert_eq!(got, want, "{when}");
        let (n, delivered, donors) = store.ledger_counts().unwrap();
        assert_eq!(n, all.len(), "{when}");
        assert_eq!(
            delivered,
            all.iter().filter(|c| figures::is_delivered(c)).count(),
            "{when}"
        );
        let d: BTreeSet<&str> = all.iter().map(|c| c.donor.as_str()).collect();
        assert_eq!(donors, d.len(), "{when}");
        assert!(!facts.is_empty(), "{when}: the fixtures name systems");
    };
    ingest(&mut store, &docs(0..30), 10);
    store.rebuild_commitments(true).unwrap();
    check(&store, "full rebuild");
    ingest(&mut store, &docs(25..45), 10);
    ingest(&mut store, &[doc(3, 9), doc(7, 2)], 2);
    store.rebuild_commitments(false).unwrap();
    check(&store, "incremental rebuild");
    let flagged = store
        .commitments(&LedgerFilter::default())
        .unwrap()
        .into_iter()
        .find(|c| !c.flags.is_empty() && !aidledger_ledger::figures::system_facts(c).is_empty());
    if let Some(c) = flagged {
        store.confirm(&c.id).unwrap().expect("a commitment");
        check(&store, "after a confirmation");
    }
}
