//! The ledger rules of `docs/ledger.md`, one test per rule, on fixtures written here
//! (the sentences are made up for these tests; the figures echo public announcements).

mod common;

use aidledger_ledger::{figures, merge, sanity, Commitment, Kind, SourcedRecord, Status, Subject};
use common::{permutations, rec};

fn only(cs: &[Commitment]) -> &Commitment {
    assert_eq!(cs.len(), 1, "expected one commitment, got {cs:#?}");
    &cs[0]
}

fn of_kind(cs: &[Commitment], k: Kind) -> Vec<&Commitment> {
    cs.iter().filter(|c| c.kind == k).collect()
}

/// One package told three times: the announcement, a rounded figure two days later,
/// and an article a fortnight later without a date of its own.
fn package_story() -> Vec<SourcedRecord> {
    vec![
        rec("gaz-0824", Status::Approved)
            .source("gazette.example")
            .published("2022-08-24")
            .date("2022-08-24")
            .value(2.98e9, "USD")
            .item("NASAMS", Some(6), "air_defense")
            .item("artillery ammunition", None, "ammunition")
            .by("Joe Biden")
            .ev(
                0,
                "The President approved a $2.98 billion package with six NASAMS today.",
            )
            .done(),
        rec("obs-0826", Status::Pledged)
            .source("observer.example")
            .published("2022-08-26")
            .date("2022-08-24")
            .value(3e9, "USD")
            .item("NASAMS", Some(6), "air_defense")
            .ev(40, "Washington promised some $3 billion on Wednesday.")
            .done(),
        rec("gaz-0908", Status::Pledged)
            .source("gazette.example")
            .published("2022-09-08")
            .value(2.98e9, "USD")
            .ev(10, "The $2.98 billion package is the largest so far.")
            .done(),
    ]
}

#[test]
fn a_package_told_three_times_is_one_commitment() {
    let out = merge(&package_story());
    let c = only(&out);
    assert_eq!(c.kind, Kind::Package);
    assert_eq!(c.announced.as_deref(), Some("2022-08-24"));
    let v = c.value.as_ref().unwrap();
    assert_eq!((v.amount, v.currency.as_str()), (2.98e9, "USD"));
    assert_eq!(c.status, Status::Approved);
    assert_eq!(c.doc_ids, ["gaz-0824", "gaz-0908", "obs-0826"]);
    assert_eq!(c.sources, ["gazette.example", "observer.example"]);
    // Contents: the system with its quantity, confirmed by two documents; the generic item.
    let nasams = c.contents.iter().find(|i| i.name == "NASAMS").unwrap();
    assert!(nasams.named);
    assert_eq!(nasams.pledged.len(), 1);
    assert_eq!(nasams.pledged[0].value, 6);
    assert_eq!(nasams.pledged[0].doc_ids, ["gaz-0824", "obs-0826"]);
    assert!(c
        .contents
        .iter()
        .any(|i| i.name == "artillery ammunition" && !i.named));
    // Both stated values are kept in the stages.
    let pledged = c.stage(Status::Pledged).unwrap();
    let amounts: Vec<f64> = pledged.values.iter().map(|v| v.value.amount).collect();
    assert_eq!(amounts, [2.98e9, 3e9]);
    assert_eq!(
        c.summary(),
        "USA → UKR, $2.98 billion package (6 NASAMS, artillery ammunition): pledged 2022-08-24, approved 2022-08-24 (2 sources)"
    );
}

#[test]
fn every_order_of_the_records_gives_the_same_ledger() {
    let mut rs = package_story();
    rs.push(
        rec("wire-1004", Status::Approved)
            .published("2022-10-04")
            .date("2022-10-04")
            .value(625e6, "USD")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
    );
    rs.push(
        rec("wire-1006", Status::Pledged)
            .published("2022-10-06")
            .date("2022-10-06")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
    );
    rs.push(
        rec("wire-1120", Status::Delivered)
            .kind(Kind::Transfer)
            .published("2022-11-20")
            .date("2022-11-20")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
    );
    let first = merge(&rs);
    for p in permutations(&rs) {
        assert_eq!(merge(&p), first);
    }
}

#[test]
fn the_same_value_a_week_apart_is_two_packages() {
    let rs = vec![
        rec("a", Status::Pledged)
            .date("2022-11-04")
            .published("2022-11-04")
            .value(400e6, "USD")
            .done(),
        rec("b", Status::Approved)
            .date("2022-11-10")
            .published("2022-11-10")
            .value(400e6, "USD")
            .done(),
        // within five days of the second: the same package
        rec("c", Status::Approved)
            .date("2022-11-12")
            .published("2022-11-12")
            .value(401e6, "USD")
            .done(),
        // 1% apart is the limit: $408 million three days later is another package (two
        // days apart it would be the same one told loosely: see below)
        rec("d", Status::Approved)
            .date("2022-11-13")
            .published("2022-11-13")
            .value(408e6, "USD")
            .done(),
    ];
    let out = merge(&rs);
    let mut days: Vec<(&str, Vec<&str>)> = out
        .iter()
        .map(|c| {
            (
                c.announced.as_deref().unwrap(),
                c.doc_ids.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    days.sort();
    assert_eq!(
        days,
        [
            ("2022-11-04", vec!["a"]),
            ("2022-11-10", vec!["b", "c"]),
            ("2022-11-13", vec!["d"]),
        ]
    );
}

#[test]
fn an_article_dated_only_by_itself_restates_an_earlier_package() {
    // No date of its own, published 20 days after the announcement: a restatement.
    let rs = vec![
        rec("a", Status::Approved)
            .date("2022-09-15")
            .published("2022-09-15")
            .value(600e6, "USD")
            .done(),
        rec("b", Status::Pledged)
            .published("2022-10-05")
            .value(600e6, "USD")
            .done(),
        // With a date of its own 20 days later, it is a new package.
        rec("c", Status::Pledged)
            .date("2022-10-05")
            .published("2022-10-05")
            .value(600e6, "USD")
            .done(),
    ];
    let out = merge(&rs);
    assert_eq!(out.len(), 2);
    let first = out
        .iter()
        .find(|c| c.announced.as_deref() == Some("2022-09-15"))
        .unwrap();
    assert_eq!(first.doc_ids, ["a", "b"]);
}

#[test]
fn a_loosely_told_value_joins_the_package_of_the_next_day() {
    let rs = vec![
        rec("a", Status::Approved)
            .source("one.example")
            .date("2022-12-21")
            .published("2022-12-21")
            .value(1.85e9, "USD")
            .done(),
        rec("b", Status::Approved)
            .source("two.example")
            .date("2022-12-21")
            .published("2022-12-22")
            .value(1.85e9, "USD")
            .done(),
        // "nearly $2 billion", the day before, in one article
        rec("c", Status::Pledged)
            .source("three.example")
            .date("2022-12-20")
            .published("2022-12-20")
            .value(2e9, "USD")
            .done(),
        // 20% away is no loose telling
        rec("d", Status::Pledged)
            .date("2022-12-21")
            .published("2022-12-21")
            .value(1.5e9, "USD")
            .done(),
    ];
    let out = merge(&rs);
    assert_eq!(out.len(), 2);
    let c = out.iter().find(|c| c.doc_ids.len() == 3).unwrap();
    assert_eq!(c.value.as_ref().unwrap().amount, 1.85e9);
    assert_eq!(c.announced.as_deref(), Some("2022-12-21"));
}

#[test]
fn reports_without_value_join_by_system_and_quantity_or_by_day() {
    let rs = vec![
        rec("pkg", Status::Approved)
            .date("2022-10-04")
            .published("2022-10-04")
            .value(625e6, "USD")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
        // four HIMARS two days later: that package
        rec("more", Status::Pledged)
            .date("2022-10-06")
            .published("2022-10-06")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
        // the same day, naming nothing: that package
        rec("day", Status::Pledged)
            .date("2022-10-04")
            .published("2022-10-04")
            .done(),
        // four HIMARS two months later: a pledge of its own
        rec("later", Status::Pledged)
            .date("2022-12-01")
            .published("2022-12-01")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
    ];
    let out = merge(&rs);
    let pkg = out
        .iter()
        .find(|c| matches!(c.subject, Subject::Package { .. }))
        .unwrap();
    assert_eq!(pkg.doc_ids, ["day", "more", "pkg"]);
    let loose = out.iter().find(|c| c.doc_ids == ["later"]).unwrap();
    assert_eq!(loose.kind, Kind::Package);
    assert!(loose.value.is_none());
    assert_eq!(
        loose.subject,
        Subject::System {
            name: "HIMARS".into()
        }
    );
    assert_eq!(out.len(), 2);
}

#[test]
fn transfers_join_the_package_they_deliver_or_stand_alone() {
    let rs = vec![
        rec("pkg", Status::Approved)
            .date("2022-10-04")
            .published("2022-10-04")
            .value(625e6, "USD")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
        // "the equipment of the $625 million package has arrived"
        rec("arrived", Status::Delivered)
            .kind(Kind::Transfer)
            .date("2022-11-15")
            .published("2022-11-15")
            .value(625e6, "USD")
            .done(),
        // "the four HIMARS are now in Ukraine"
        rec("four", Status::Delivered)
            .kind(Kind::Transfer)
            .date("2022-11-20")
            .published("2022-11-20")
            .item("HIMARS", Some(4), "rocket_artillery")
            .done(),
        // "Bradleys arrived": no package names them
        rec("bradley", Status::Delivered)
            .kind(Kind::Transfer)
            .date("2023-03-20")
            .published("2023-03-21")
            .item("Bradley", Some(60), "armored_vehicle")
            .done(),
        // a transfer before the package was announced cannot deliver it
        rec("early", Status::Delivered)
            .kind(Kind::Transfer)
            .date("2022-09-01")
            .published("2022-09-01")
            .value(625e6, "USD")
            .done(),
    ];
    let out = merge(&rs);
    let pkg = out
        .iter()
        .find(|c| matches!(c.subject, Subject::Package { .. }))
        .unwrap();
    assert_eq!(pkg.doc_ids, ["arrived", "four", "pkg"]);
    assert_eq!(pkg.status, Status::Delivered);
    let himars = &pkg.contents[0];
    assert_eq!((himars.pledged[0].value, himars.delivered[0].value), (4, 4));
    let transfers = of_kind(&out, Kind::Transfer);
    assert_eq!(transfers.len(), 2);
    assert!(transfers
        .iter()
        .any(|c| c.doc_ids == ["bradley"] && c.item == "Bradley"));
    assert!(transfers.iter().any(|c| c.doc_ids == ["early"]));
}

#[test]
fn totals_are_a_series_and_budgets_envelopes_never_summed() {
    let rs = vec![
        rec("t1", Status::Delivered)
            .kind(Kind::Total)
            .date("2022-10-11")
            .published("2022-10-11")
            .value(16.8e9, "USD")
            .done(),
        rec("t2", Status::Delivered)
            .kind(Kind::Total)
            .date("2022-10-14")
            .published("2022-10-14")
            .value(17.6e9, "USD")
            .done(),
        rec("t3", Status::Delivered)
            .kind(Kind::Total)
            .published("2022-10-20")
            .value(17.6e9, "USD")
            .done(),
        rec("b1", Status::Approved)
            .kind(Kind::Budget)
            .date("2022-05-21")
            .published("2022-05-21")
            .value(40e9, "USD")
            .done(),
        rec("b2", Status::Approved)
            .kind(Kind::Budget)
            .published("2022-06-01")
            .value(40.1e9, "USD")
            .done(),
        rec("p", Status::Approved)
            .date("2022-10-14")
            .published("2022-10-14")
            .value(725e6, "USD")
            .done(),
        rec("q", Status::Requested)
            .kind(Kind::Request)
            .date("2022-10-14")
            .published("2022-10-14")
            .item("ATACMS", None, "missile")
            .done(),
    ];
    let out = merge(&rs);
    let total = only(
        &of_kind(&out, Kind::Total)
            .into_iter()
            .cloned()
            .collect::<Vec<_>>(),
    )
    .clone();
    let points: Vec<(Option<&str>, f64, usize)> = total
        .series
        .iter()
        .map(|p| (p.date.as_deref(), p.value.amount, p.doc_ids.len()))
        .collect();
    assert_eq!(
        points,
        [
            (Some("2022-10-11"), 16.8e9, 1),
            (Some("2022-10-14"), 17.6e9, 1),
            (Some("2022-10-20"), 17.6e9, 1)
        ]
    );
    assert!(total
        .summary()
        .contains("cumulative total $17.6 billion by 2022-10-20"));
    let budgets = of_kind(&out, Kind::Budget);
    assert_eq!(
        budgets.len(),
        1,
        "$40 billion and $40.1 billion are one envelope"
    );
    assert_eq!(budgets[0].doc_ids, ["b1", "b2"]);
    assert_eq!(of_kind(&out, Kind::Request).len(), 1);
    let s = figures::sums(&out);
    assert_eq!(s.committed.get("USD"), Some(&725e6));
    assert_eq!(s.delivered.get("USD"), None);
    assert_eq!(s.by_kind.get("total"), Some(&1));
    assert_eq!(s.by_kind.get("budget"), Some(&1));
}

#[test]
fn flagged_records_stay_out_of_sums() {
    let rs = vec![
        rec("old", Status::Approved)
            .date("1974-11-18")
            .published("2022-11-20")
            .value(200e6, "USD")
            .done(),
        rec("future", Status::Delivered)
            .kind(Kind::Transfer)
            .date("2026-07-08")
            .published("2022-07-10")
            .value(90e6, "USD")
            .done(),
        rec("huge", Status::Pledged)
            .date("2022-08-31")
            .published("2022-08-31")
            .value(13.5e9, "USD")
            .done(),
        rec("tot", Status::Delivered)
            .kind(Kind::Total)
            .date("2022-04-20")
            .published("2022-04-20")
            .value(3.5e9, "USD")
            .done(),
        // the total read as a package by another article the next day
        rec("misread", Status::Pledged)
            .date("2022-04-21")
            .published("2022-04-21")
            .value(3.5e9, "USD")
            .done(),
        rec("fine", Status::Approved)
            .date("2022-04-21")
            .published("2022-04-21")
            .value(800e6, "USD")
            .done(),
    ];
    let out = merge(&rs);
    let flags = |doc: &str| -> Vec<String> {
        out.iter()
            .find(|c| c.doc_ids.iter().any(|d| d == doc))
            .unwrap()
            .flags
            .clone()
    };
    assert_eq!(flags("old"), [sanity::DATE_BEFORE_WAR]);
    assert_eq!(flags("future"), [sanity::DATE_AFTER_PUBLICATION]);
    assert_eq!(flags("huge"), [sanity::VALUE_OUT_OF_SCALE]);
    assert_eq!(flags("misread"), [sanity::MATCHES_TOTAL]);
    assert!(flags("fine").is_empty());
    let s = figures::sums(&out);
    assert_eq!(s.committed.get("USD"), Some(&800e6));
    assert_eq!(s.delivered.get("USD"), None);
    assert_eq!(s.flagged, 4);
    // A flagged report never joins an unflagged package of the same value.
    let rs2 = vec![
        rec("ok", Status::Approved)
            .date("2022-04-21")
            .published("2022-04-21")
            .value(800e6, "USD")
            .done(),
        rec("bad", Status::Approved)
            .date("2022-04-23")
            .published("2022-04-21")
            .value(800e6, "USD")
            .done(),
    ];
    let out2 = merge(&rs2);
    assert_eq!(out2.len(), 2);
    assert_eq!(figures::sums(&out2).committed.get("USD"), Some(&800e6));
}

#[test]
fn systems_roll_up_over_packages_without_counting_restatements() {
    let himars = |doc: &str, st: Status, day: &str, v: Option<f64>, q: u64| {
        let mut r =
            rec(doc, st)
                .date(day)
                .published(day)
                .item("HIMARS", Some(q), "rocket_artillery");
        if let Some(v) = v {
            r = r.value(v, "USD");
        }
        r
    };
    let rs = vec![
        himars("a1", Status::Approved, "2022-06-01", Some(700e6), 4)
            .source("a.example")
            .done(),
        // the same package told again: still 4
        himars("a2", Status::Pledged, "2022-06-02", Some(700e6), 4)
            .source("b.example")
            .done(),
        himars("b1", Status::Approved, "2022-07-08", Some(400e6), 4).done(),
        himars("c1", Status::Approved, "2022-09-28", Some(1.1e9), 18).done(),
        himars("d1", Status::Delivered, "2022-08-01", None, 8)
            .kind(Kind::Transfer)
            .done(),
        rec("g1", Status::Pledged)
            .donors(&["DEU"])
            .date("2022-07-01")
            .published("2022-07-01")
            .value(100e6, "EUR")
            .item("Mars II", Some(3), "rocket_artillery")
            .done(),
    ];
    let out = merge(&rs);
    let per_donor = figures::systems(&out, true);
    let usa = per_donor
        .iter()
        .find(|r| r.donor.as_deref() == Some("USA") && r.system == "HIMARS")
        .unwrap();
    assert_eq!((usa.pledged, usa.delivered, usa.packages), (26, 8, 3));
    assert_eq!(usa.commitments.len(), 4);
    assert!(
        usa.sources.contains(&"a.example".to_string())
            && usa.sources.contains(&"b.example".to_string())
    );
    let all = figures::systems(&out, false);
    assert_eq!(all.len(), 2);
    // progress reports outside any package ("the first two", then "all six") are not
    // added up: the largest counts
    let mut rs2 = rs.clone();
    rs2.push(
        himars("d2", Status::Delivered, "2022-10-01", None, 12)
            .kind(Kind::Transfer)
            .done(),
    );
    let usa = figures::systems(&merge(&rs2), true)
        .into_iter()
        .find(|r| r.donor.as_deref() == Some("USA") && r.system == "HIMARS")
        .unwrap();
    assert_eq!((usa.pledged, usa.delivered), (26, 12));
    assert!(all.iter().all(|r| r.donor.is_none()));
    let s = figures::sums(&out);
    assert_eq!(s.committed.get("USD"), Some(&(700e6 + 400e6 + 1.1e9)));
    assert_eq!(s.committed.get("EUR"), Some(&100e6));
}

#[test]
fn stages_count_outlets_and_keep_figures_as_reported() {
    let rs = vec![
        rec("kw-1", Status::Approved)
            .source("www.KyivWire.example")
            .date("2022-08")
            .published("2022-08-26")
            .item("NASAMS", Some(8), "air_defense")
            .by("Pentagon")
            .done(),
        rec("kw-2", Status::Approved)
            .source("kyivwire.example")
            .date("2022-08")
            .published("2022-08-27")
            .item("NASAMS", Some(6), "air_defense")
            .done(),
        rec("anon", Status::Approved)
            .date("2022-08")
            .published("2022-08-28")
            .item("nasams", Some(8), "air_defense")
            .done(),
    ];
    let c = only(&merge(&rs)).clone();
    // a document without source or address is an unknown outlet, never its id
    assert_eq!(c.sources, ["kyivwire.example", "unknown outlet"]);
    let st = c.stage(Status::Approved).unwrap();
    let q: Vec<(u64, usize)> = st
        .quantities
        .iter()
        .map(|q| (q.value, q.doc_ids.len()))
        .collect();
    assert_eq!(q, [(6, 1), (8, 2)]);
    assert_eq!(st.quantity(), None, "conflicting figures are not averaged");
    assert_eq!(figures::quantity(&c.contents[0].pledged), Some(8));
    assert_eq!(
        c.summary(),
        "USA → UKR, 6 or 8 NASAMS: approved 2022-08 (2 sources)"
    );
}

#[test]
fn a_later_refusal_becomes_the_status() {
    let rs = vec![
        rec("p", Status::Pledged)
            .date("2023-01-25")
            .published("2023-01-25")
            .value(2.5e9, "USD")
            .done(),
        rec("r", Status::Suspended)
            .date("2023-03-02")
            .published("2023-03-02")
            .value(2.5e9, "USD")
            .done(),
    ];
    // The suspension five weeks later is not the same report: two commitments; one
    // within the window is a stage of the package.
    assert_eq!(merge(&rs).len(), 2);
    let rs = vec![
        rec("p", Status::Pledged)
            .date("2023-01-25")
            .published("2023-01-25")
            .value(2.5e9, "USD")
            .done(),
        rec("r", Status::Suspended)
            .date("2023-01-28")
            .published("2023-01-28")
            .value(2.5e9, "USD")
            .done(),
    ];
    let c = only(&merge(&rs)).clone();
    assert_eq!(c.status, Status::Suspended);
    assert!(figures::is_committed(&c));
}

#[test]
fn two_donors_and_no_recipient_are_keys_of_their_own() {
    let rs = vec![
        rec("x", Status::Pledged)
            .donors(&["LVA", "LTU"])
            .date("2022-03-01")
            .published("2022-03-01")
            .value(10e6, "EUR")
            .done(),
        rec("y", Status::Pledged)
            .recipient(None)
            .date("2022-03-01")
            .published("2022-03-01")
            .value(10e6, "EUR")
            .done(),
    ];
    let out = merge(&rs);
    let keys: Vec<(&str, Option<&str>)> = out
        .iter()
        .map(|c| (c.donor.as_str(), c.recipient.as_deref()))
        .collect();
    assert_eq!(
        keys,
        [("LTU", Some("UKR")), ("LVA", Some("UKR")), ("USA", None)]
    );
    // values are as reported, not split between donors
    assert!(out.iter().all(|c| c.value.as_ref().unwrap().amount == 10e6));
}

#[test]
fn ids_are_stable_and_json_round_trips() {
    let out = merge(&package_story());
    let mut more = package_story();
    more.push(
        rec("late", Status::Delivered)
            .kind(Kind::Transfer)
            .date("2022-12-01")
            .published("2022-12-01")
            .value(2.98e9, "USD")
            .done(),
    );
    let out2 = merge(&more);
    assert_eq!(
        out[0].id, out2[0].id,
        "a delivery joining the package keeps its id"
    );
    assert_eq!(out[0].id.len(), 16);
    let json = serde_json::to_string(&out2).unwrap();
    let back: Vec<Commitment> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, out2);
    assert!(merge(&[]).is_empty());
}
