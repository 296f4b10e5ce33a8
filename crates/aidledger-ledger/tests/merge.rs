//! The ledger rules of `docs/ledger.md`, one test per rule, on fixtures written here.

mod common;

use aidledger_ledger::{merge, Commitment, SourcedRecord, Status, Subject};
use common::{nasams, permutations, rec};

fn only(cs: &[Commitment]) -> &Commitment {
    assert_eq!(cs.len(), 1, "expected one commitment, got {cs:#?}");
    &cs[0]
}

fn docs(r: &aidledger_ledger::Reported<impl Sized>) -> Vec<&str> {
    r.doc_ids.iter().map(String::as_str).collect()
}

#[test]
fn nasams_across_three_documents_is_one_commitment_with_three_stages() {
    let out = merge(&nasams());
    let c = only(&out);
    assert_eq!(c.donor, "USA");
    assert_eq!(c.recipient.as_deref(), Some("UKR"));
    assert_eq!(
        c.subject,
        Subject::System {
            name: "NASAMS".into()
        }
    );
    assert_eq!(c.item, "NASAMS");
    assert_eq!(c.category.as_deref(), Some("air_defense"));
    let statuses: Vec<Status> = c.stages.iter().map(|s| s.status).collect();
    assert_eq!(
        statuses,
        [Status::Approved, Status::Expedited, Status::Delivered]
    );
    assert_eq!(c.status, Status::Delivered);
    assert_eq!(c.first_date.as_deref(), Some("2022-08"));
    assert_eq!(c.last_date.as_deref(), Some("2022-11"));
    assert_eq!(c.sources, ["journaldeparis.example", "kyivwire.example"]);
    assert_eq!(c.doc_ids, ["jdp-1012", "kw-0801", "kw-1107"]);

    // Quantities stay with their stage: 8 approved, 2 expedited, none delivered.
    let approved = c.stage(Status::Approved).unwrap();
    assert_eq!(approved.quantity(), Some(8));
    assert_eq!(approved.date(), Some("2022-08"));
    assert_eq!(approved.asserted_by[0].value, "Pentagon");
    assert_eq!(approved.sources, ["kyivwire.example"]);
    let expedited = c.stage(Status::Expedited).unwrap();
    assert_eq!(expedited.quantity(), Some(2));
    assert_eq!(expedited.date(), Some("2022-10-11"));
    assert_eq!(expedited.sources, ["journaldeparis.example"]);
    assert_eq!(expedited.evidence.len(), 1);
    assert_eq!(expedited.evidence[0].doc_id, "jdp-1012");
    assert_eq!(
        expedited.evidence[0].published.as_deref(),
        Some("2022-10-12")
    );
    assert_eq!(
        expedited.evidence[0].source.as_deref(),
        Some("journaldeparis.example")
    );
    let delivered = c.stage(Status::Delivered).unwrap();
    assert!(delivered.quantities.is_empty());
    assert_eq!(delivered.doc_ids, ["kw-1107"]);
    assert!(!c.has_stage(Status::Pledged));

    assert_eq!(
        c.summary(),
        "USA → UKR, 8 NASAMS: approved 2022-08, 2 expedited 2022-10-11, delivered 2022-11 (2 sources)"
    );
}

#[test]
fn a_stage_counts_distinct_outlets_not_documents() {
    let mut rs = nasams();
    // A second article of the same outlet and one of a third outlet on the expedition.
    rs.push(
        rec("kw-1013", Status::Expedited)
            .source("RegionalPost.example")
            .item("NASAMS", Some(2), "air_defense")
            .date("2022-10-11")
            .done(),
    );
    rs.push(
        rec("kw-1014", Status::Expedited)
            .source("www.kyivwire.example")
            .item("NASAMS", Some(2), "air_defense")
            .date("2022-10")
            .done(),
    );
    let out = merge(&rs);
    let c = only(&out);
    let e = c.stage(Status::Expedited).unwrap();
    assert_eq!(
        e.sources,
        [
            "journaldeparis.example",
            "kyivwire.example",
            "regionalpost.example"
        ]
    );
    // One figure reported by three documents is one entry.
    assert_eq!(e.quantities.len(), 1);
    assert_eq!(docs(&e.quantities[0]), ["jdp-1012", "kw-1013", "kw-1014"]);
    // Conflicting dates are both kept, the most precise first.
    let dates: Vec<&str> = e.dates.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(dates, ["2022-10-11", "2022-10"]);
    assert_eq!(docs(&e.dates[0]), ["jdp-1012", "kw-1013"]);
    assert_eq!(e.dates[1].sources, ["kyivwire.example"]);
}

/// The same $400 million package reported in French ("pledged") and in English
/// ("approved") by two outlets, as JSON records.
const PACKAGE_FR: &str = r#"{
  "record": {"doc_id": "fr-77", "status": "pledged", "donors": ["USA"], "recipient": "UKR",
    "items": [], "value": {"amount": 400000000, "currency": "USD"}, "date": "2022-11-04",
    "asserted_by": "Maison Blanche",
    "evidence": [{"start": 0, "end": 72,
      "text": "Washington promet une nouvelle tranche d'aide de 400 millions de dollars"}],
    "confidence": 0.8},
  "source": "quotidien.example", "published": "2022-11-05", "url": null, "title": null}"#;

const PACKAGE_EN: &str = r#"{
  "record": {"doc_id": "en-12", "status": "approved", "donors": ["USA"], "recipient": "UKR",
    "items": [], "value": {"amount": 400000000.0, "currency": "usd"}, "date": "2022-11-04",
    "asserted_by": null,
    "evidence": [{"start": 20, "end": 75,
      "text": "The president approved a $400 million security package."}],
    "confidence": 0.9},
  "source": "dailywire.example", "published": "2022-11-04", "url": null, "title": null}"#;

fn package_records() -> Vec<SourcedRecord> {
    vec![
        serde_json::from_str(PACKAGE_FR).unwrap(),
        serde_json::from_str(PACKAGE_EN).unwrap(),
    ]
}

#[test]
fn french_and_english_articles_about_one_package_merge() {
    let out = merge(&package_records());
    let c = only(&out);
    assert_eq!(
        c.subject,
        Subject::Package {
            amount: 400_000_000,
            currency: "USD".into(),
            month: Some("2022-11".into())
        }
    );
    assert_eq!(c.item, "package");
    assert_eq!(c.sources, ["dailywire.example", "quotidien.example"]);
    assert_eq!(
        c.stage(Status::Pledged).unwrap().sources,
        ["quotidien.example"]
    );
    assert_eq!(
        c.stage(Status::Approved).unwrap().sources,
        ["dailywire.example"]
    );
    assert_eq!(c.status, Status::Approved);
    let values = &c.stage(Status::Approved).unwrap().values;
    assert_eq!(values[0].value.currency, "USD");
    assert_eq!(
        c.summary(),
        "USA → UKR, $400 million package: pledged 2022-11-04, approved 2022-11-04 (2 sources)"
    );
}

#[test]
fn package_values_match_within_one_percent_and_one_month_later() {
    let mut rs = package_records();
    // A month later, undated, 0.5% off: the same package recalled.
    rs.push(
        rec("en-40", Status::Delivered)
            .published("2022-12-02")
            .value(398e6, "USD")
            .done(),
    );
    // Two months later: another package of the same value.
    rs.push(
        rec("en-41", Status::Pledged)
            .published("2023-01-10")
            .value(400e6, "USD")
            .done(),
    );
    // Same month, 2% off: another package.
    rs.push(
        rec("en-42", Status::Pledged)
            .date("2022-11-20")
            .value(408e6, "USD")
            .done(),
    );
    // Same value in euros: another package.
    rs.push(
        rec("en-43", Status::Pledged)
            .date("2022-11-04")
            .value(400e6, "EUR")
            .done(),
    );
    let out = merge(&rs);
    let packages: Vec<(&Subject, &Vec<String>)> =
        out.iter().map(|c| (&c.subject, &c.doc_ids)).collect();
    let p = |amount: u64, currency: &str, month: &str| Subject::Package {
        amount,
        currency: currency.into(),
        month: Some(month.into()),
    };
    assert_eq!(
        packages,
        [
            (
                &p(400_000_000, "EUR", "2022-11"),
                &vec!["en-43".to_string()]
            ),
            (
                &p(400_000_000, "USD", "2022-11"),
                &vec!["en-12".into(), "en-40".into(), "fr-77".into()]
            ),
            (
                &p(400_000_000, "USD", "2023-01"),
                &vec!["en-41".to_string()]
            ),
            (
                &p(408_000_000, "USD", "2022-11"),
                &vec!["en-42".to_string()]
            ),
        ]
    );
    // Both figures of the merged package are kept side by side, never averaged.
    let c = &out[1];
    assert_eq!(c.status, Status::Delivered);
    assert_eq!(
        c.stage(Status::Delivered).unwrap().values[0].value.amount,
        398e6
    );
    assert_eq!(
        c.stage(Status::Approved).unwrap().values[0].value.amount,
        400e6
    );
}

#[test]
fn an_undated_package_joins_the_only_dated_package_of_its_value() {
    let mut rs = package_records();
    rs.push(rec("x-1", Status::Delivered).value(400e6, "USD").done());
    let out = merge(&rs);
    assert_eq!(only(&out).doc_ids, ["en-12", "fr-77", "x-1"]);
    // With two dated packages of that value it cannot choose: it stands alone.
    rs.push(
        rec("x-2", Status::Pledged)
            .date("2023-06")
            .value(400e6, "USD")
            .done(),
    );
    let out = merge(&rs);
    assert_eq!(out.len(), 3);
    assert_eq!(
        out.iter().find(|c| c.doc_ids == ["x-1"]).unwrap().subject,
        Subject::Package {
            amount: 400_000_000,
            currency: "USD".into(),
            month: None
        }
    );
}

#[test]
fn conflicting_quantities_are_kept_with_their_documents() {
    let rs = vec![
        rec("a-1", Status::Pledged)
            .source("alpha.example")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
        rec("b-1", Status::Pledged)
            .source("beta.example")
            .item("HIMARS", Some(6), "rocket_artillery")
            .done(),
        rec("c-1", Status::Pledged)
            .source("gamma.example")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
    ];
    let out = merge(&rs);
    let c = only(&out);
    let q = &c.stage(Status::Pledged).unwrap().quantities;
    assert_eq!(q.len(), 2);
    assert_eq!((q[0].value, docs(&q[0])), (4, vec!["a-1", "c-1"]));
    assert_eq!(q[0].sources, ["alpha.example", "gamma.example"]);
    assert_eq!((q[1].value, docs(&q[1])), (6, vec!["b-1"]));
    assert_eq!(c.stage(Status::Pledged).unwrap().quantity(), None);
    assert_eq!(c.summary(), "USA → UKR, 4 or 6 HIMARS: pledged (3 sources)");
}

fn mixed_fixture() -> Vec<SourcedRecord> {
    let mut rs = nasams();
    rs.extend(package_records());
    rs.push(
        rec("a-1", Status::Pledged)
            .source("alpha.example")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
    );
    rs.push(
        rec("b-1", Status::Pledged)
            .source("beta.example")
            .item("HIMARS", Some(6), "rocket_artillery")
            .done(),
    );
    rs.push(
        rec("lv-1", Status::Pledged)
            .donors(&["LVA", "LTU"])
            .item("Stinger", None, "air_defense")
            .item("weapons", None, "other")
            .done(),
    );
    rs
}

#[test]
fn order_does_not_matter_reversed_and_rotated() {
    let rs = mixed_fixture();
    let expected = merge(&rs);
    let mut reversed = rs.clone();
    reversed.reverse();
    assert_eq!(merge(&reversed), expected);
    for k in 1..rs.len() {
        let mut rotated = rs.clone();
        rotated.rotate_left(k);
        assert_eq!(merge(&rotated), expected, "rotation {k}");
    }
    // Serialised output is byte-identical too.
    assert_eq!(
        serde_json::to_string(&merge(&reversed)).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
}

#[test]
fn every_permutation_of_six_records_gives_the_same_ledger() {
    let mut rs = nasams();
    rs.extend(package_records());
    rs.push(
        rec("en-40", Status::Delivered)
            .published("2022-12-02")
            .value(398e6, "USD")
            .done(),
    );
    let expected = merge(&rs);
    let perms = permutations(&rs);
    assert_eq!(perms.len(), 720);
    for p in perms {
        assert_eq!(merge(&p), expected);
    }
}

#[test]
fn two_donors_in_one_record_make_two_commitments() {
    let rs = vec![rec("lv-1", Status::Pledged)
        .donors(&["LVA", "LTU", "LVA"])
        .item("Stinger", Some(30), "air_defense")
        .ev(0, "Latvia and Lithuania will send Stinger missiles.")
        .done()];
    let out = merge(&rs);
    assert_eq!(out.len(), 2);
    assert_eq!(
        (out[0].donor.as_str(), out[1].donor.as_str()),
        ("LTU", "LVA")
    );
    assert_ne!(out[0].id, out[1].id);
    for c in &out {
        assert_eq!(
            c.subject,
            Subject::System {
                name: "Stinger".into()
            }
        );
        assert_eq!(c.doc_ids, ["lv-1"]);
        assert_eq!(c.stages[0].quantity(), Some(30));
        assert_eq!(c.stages[0].evidence.len(), 1);
    }
}

#[test]
fn a_later_refusal_becomes_the_status() {
    let pledge = rec("p-1", Status::Pledged)
        .item("Leopard 2", Some(14), "armor")
        .date("2023-01-25")
        .done();
    let refusal = |date: Option<&str>| {
        let r = rec("r-1", Status::Refused).item("Leopard 2", None, "armor");
        match date {
            Some(d) => r.date(d).done(),
            None => r.done(),
        }
    };
    let status = |rs: Vec<SourcedRecord>| only(&merge(&rs)).status;
    assert_eq!(
        status(vec![pledge.clone(), refusal(Some("2023-03-02"))]),
        Status::Refused
    );
    // Refused the same month as the pledge (a month contains its days): the refusal wins.
    assert_eq!(
        status(vec![pledge.clone(), refusal(Some("2023-01"))]),
        Status::Refused
    );
    // Refused before the pledge: the pledge is the latest news.
    assert_eq!(
        status(vec![pledge.clone(), refusal(Some("2022-12-15"))]),
        Status::Pledged
    );
    // A refusal that cannot be dated (no date, no publication date) counts as latest.
    assert_eq!(status(vec![pledge.clone(), refusal(None)]), Status::Refused);
    // An undated refusal is dated by its article's publication date.
    let mut late = refusal(None);
    late.published = Some("2022-11-30".into());
    assert_eq!(status(vec![pledge.clone(), late]), Status::Pledged);
    // Later resumed: the most recent interruption wins.
    let resumed = rec("s-1", Status::Resumed)
        .item("Leopard 2", None, "armor")
        .date("2023-04")
        .done();
    assert_eq!(
        status(vec![pledge.clone(), refusal(Some("2023-03-02")), resumed]),
        Status::Resumed
    );
    // Delivery beats an earlier pledge whatever the dates.
    let delivered = rec("d-1", Status::Delivered)
        .item("Leopard 2", None, "armor")
        .date("2022-01")
        .done();
    assert_eq!(status(vec![pledge, delivered]), Status::Delivered);
}

#[test]
fn ids_do_not_change_when_records_are_added() {
    let base = mixed_fixture();
    let before = merge(&base);
    let mut more = base.clone();
    more.push(
        rec("late-1", Status::Delivered)
            .source("omega.example")
            .item("nasams", None, "air_defense")
            .done(),
    );
    more.push(
        rec("late-2", Status::Delivered)
            .date("2022-11-28")
            .value(400e6, "USD")
            .done(),
    );
    more.push(
        rec("late-3", Status::Delivered)
            .source("alpha.example")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
    );
    more.push(
        rec("late-4", Status::Pledged)
            .donors(&["DEU"])
            .item("IRIS-T", Some(4), "air_defense")
            .done(),
    );
    let after = merge(&more);
    assert_eq!(after.len(), before.len() + 1);
    for c in &before {
        let same = after
            .iter()
            .find(|a| a.id == c.id)
            .unwrap_or_else(|| panic!("id of {} changed", c.item));
        assert_eq!(
            (&same.donor, &same.recipient, &same.subject),
            (&c.donor, &c.recipient, &c.subject)
        );
    }
    let n = after.iter().find(|c| c.item == "NASAMS").unwrap();
    assert_eq!(n.doc_ids.len(), 4);
    // Ids are unique.
    let mut ids: Vec<&str> = after.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), after.len());
    assert!(after
        .iter()
        .all(|c| c.id.len() == 16 && c.id.bytes().all(|b| b.is_ascii_hexdigit())));
}

#[test]
fn a_missing_recipient_is_its_own_key() {
    let rs = vec![
        rec("a", Status::Pledged)
            .item("Javelin", Some(100), "anti_tank")
            .done(),
        rec("b", Status::Pledged)
            .recipient(None)
            .item("Javelin", Some(100), "anti_tank")
            .done(),
    ];
    let out = merge(&rs);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].recipient, None);
    assert_eq!(out[1].recipient.as_deref(), Some("UKR"));
    assert_ne!(out[0].id, out[1].id);
    assert!(out[0].summary().starts_with("USA → ?, 100 Javelin"));
}

#[test]
fn spellings_of_a_system_are_one_commitment() {
    let rs = vec![
        rec("a", Status::Pledged)
            .donors(&["DEU"])
            .item("IRIS-T", None, "air_defense")
            .done(),
        rec("b", Status::Delivered)
            .donors(&["deu"])
            .item("Iris-T", None, "air_defense")
            .done(),
        rec("c", Status::Delivered)
            .donors(&["DEU"])
            .item("IRIS-T", None, "air_defense")
            .done(),
    ];
    let out = merge(&rs);
    let c = only(&out);
    assert_eq!(c.item, "IRIS-T");
    assert_eq!(c.donor, "DEU");
    assert_eq!(c.doc_ids, ["a", "b", "c"]);
}

#[test]
fn vague_generic_records_group_per_category_specific_ones_stand_alone() {
    let rs = vec![
        rec("g1", Status::Pledged)
            .item("weapons", None, "other")
            .done(),
        rec("g2", Status::Delivered)
            .item("military aid", None, "other")
            .item("arms", None, "other")
            .done(),
        rec("g3", Status::Pledged).done(),
        rec("g4", Status::Delivered)
            .item("artillery ammunition", Some(1000), "ammunition")
            .done(),
        rec("g5", Status::Delivered)
            .item("Artillery-ammunition", Some(2000), "ammunition")
            .done(),
        rec("g5b", Status::Pledged)
            .item("artillery ammunition", None, "ammunition")
            .done(),
        // Generic items beside a named system feed only the system.
        rec("g6", Status::Pledged)
            .item("HIMARS", Some(4), "rocket_artillery")
            .item("rockets", None, "rocket_artillery")
            .done(),
        // Not aid at all.
        rec("g7", Status::Pledged)
            .item("nuclear weapons", None, "not_aid")
            .done(),
    ];
    let out = merge(&rs);
    let lines: Vec<(&str, &Subject, &Vec<String>)> = out
        .iter()
        .map(|c| (c.item.as_str(), &c.subject, &c.doc_ids))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0].0, "HIMARS");
    assert_eq!(lines[1].0, "artillery ammunition");
    // The most frequent spelling names the commitment ("artillery ammunition" twice).
    assert_eq!(
        lines[1].2,
        &vec!["g4".to_string(), "g5".into(), "g5b".into()]
    );
    assert_eq!(lines[2].0, "military aid (unspecified)");
    assert_eq!(
        lines[2].1,
        &Subject::Generic {
            name: "military aid (unspecified)".into()
        }
    );
    assert_eq!(
        lines[2].2,
        &vec!["g1".to_string(), "g2".into(), "g3".into()]
    );
    assert_eq!(out[2].category.as_deref(), Some("other"));
    let q: Vec<u64> = out[1]
        .stage(Status::Delivered)
        .unwrap()
        .quantities
        .iter()
        .map(|q| q.value)
        .collect();
    assert_eq!(q, [1000, 2000]);
}

#[test]
fn a_package_with_named_contents_feeds_the_package_and_each_system() {
    let rs = vec![
        rec("p1", Status::Approved)
            .date("2022-08-24")
            .value(2.98e9, "USD")
            .item("NASAMS", Some(6), "air_defense")
            .item("Phoenix Ghost", Some(245), "drones")
            .item("artillery ammunition", None, "ammunition")
            .done(),
        rec("p2", Status::Pledged)
            .date("2022-08-24")
            .value(3e9, "USD")
            .done(),
    ];
    let out = merge(&rs);
    let items: Vec<&str> = out.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(items, ["NASAMS", "Phoenix Ghost", "package"]);
    let pkg = &out[2];
    // 2.98 and 3 billion are within 1%: one package, both figures kept.
    assert_eq!(pkg.doc_ids, ["p1", "p2"]);
    assert_eq!(
        pkg.subject,
        Subject::Package {
            amount: 2_980_000_000,
            currency: "USD".into(),
            month: Some("2022-08".into())
        }
    );
    assert!(pkg.stages.iter().all(|s| s.quantities.is_empty()));
    // The system stage keeps the record's value as reported (the whole package's).
    assert_eq!(out[0].stages[0].values[0].value.amount, 2.98e9);
    assert_eq!(out[0].stages[0].quantity(), Some(6));
}

#[test]
fn records_without_outlet_count_their_document() {
    let rs = vec![
        rec("d1", Status::Pledged)
            .item("M777", Some(18), "artillery")
            .done(),
        rec("d2", Status::Pledged)
            .item("M777", Some(18), "artillery")
            .done(),
    ];
    let c = merge(&rs).remove(0);
    assert_eq!(c.sources, ["d1", "d2"]);
    assert_eq!(c.first_date, None);
    assert_eq!(c.summary(), "USA → UKR, 18 M777: pledged (2 sources)");
}

#[test]
fn dates_fall_back_to_publication_for_the_range() {
    let rs = vec![
        rec("d1", Status::Pledged)
            .published("2022-04-20")
            .item("M777", Some(18), "artillery")
            .done(),
        rec("d2", Status::Delivered)
            .published("2022-05-30")
            .item("M777", None, "artillery")
            .done(),
        rec("d3", Status::Delivered)
            .published("2022-06-30")
            .date("2022-05-20")
            .item("M777", None, "artillery")
            .done(),
    ];
    let c = merge(&rs).remove(0);
    // Pledged has no reported date: its publication dates it. Delivered has one.
    assert_eq!(c.first_date.as_deref(), Some("2022-04-20"));
    assert_eq!(c.last_date.as_deref(), Some("2022-05-20"));
    assert_eq!(c.stage(Status::Pledged).unwrap().dates, []);
}

#[test]
fn empty_input_and_serde_round_trip() {
    assert!(merge(&[]).is_empty());
    let out = merge(&mixed_fixture());
    let json = serde_json::to_string(&out).unwrap();
    let back: Vec<Commitment> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, out);
    assert!(json.contains(r#""kind":"package""#));
}
