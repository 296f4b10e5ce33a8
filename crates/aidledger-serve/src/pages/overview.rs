//! The overview: headline counts, then one section per side of the war (aid to Ukraine,
//! supplies to Russia, aid to others; `sides.rs`) with its committed and delivered
//! values by donor and its donors, then the reported cumulative totals, the systems,
//! the commitments by category and the activity per month.

use std::collections::{BTreeMap, BTreeSet};

use aidledger_core::Status;
use aidledger_ledger::{figures, Commitment};
use aidledger_store::LedgerFilter;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};

use super::format::money;
use super::{
    charts, commitment, ledger_href, no_params, page_of, sides, systems, valid_date, Markup,
    PageError,
};
use crate::state::AppState;

/// Donors shown per chart.
const MAX_DONORS: usize = 15;
/// Months shown by the activity chart.
const MAX_MONTHS: usize = 36;

pub(super) async fn page(State(state): State<AppState>, raw: RawQuery) -> Response {
    if let Err(e) = no_params(&raw) {
        return e.into_response();
    }
    // the figures of the whole ledger, computed once per store generation from the
    // ledger the other pages share (one copy in memory)
    let figures = state.figures();
    super::cached_page(state, "overview page", move |store| {
        let all = figures.commitments(store, LedgerFilter::default())?;
        let n_docs = store.document_count()?;
        page_of("Overview", "overview", "", &render(&all, n_docs)?)
    })
    .await
}

/// A chip: a donor with its number of commitments.
struct Chip {
    label: String,
    href: String,
    n: usize,
}

/// One currency's chart of a side.
struct CurrencyChart {
    currency: String,
    chart: Markup,
}

/// One side of the war.
struct Side {
    heading: String,
    commitments: usize,
    charts: Vec<CurrencyChart>,
    donors: Vec<Chip>,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewTpl {
    commitments: usize,
    delivered: usize,
    donors: usize,
    articles: usize,
    sides: Vec<Side>,
    totals: Markup,
    systems: Markup,
    categories: Markup,
    months: Option<Markup>,
}

/// Committed and delivered values per donor and currency, by the ledger's one
/// definition (aidledger_ledger::figures): each package once with its stated value;
/// "delivered" only for packages and transfers with a delivered stage (an expedited
/// one is not delivered); totals, budgets and flagged commitments never.
fn values_by_donor(cs: &[&Commitment]) -> BTreeMap<String, BTreeMap<String, (f64, f64)>> {
    let mut by_donor: BTreeMap<&str, Vec<&Commitment>> = BTreeMap::new();
    for c in cs {
        by_donor.entry(c.donor.as_str()).or_default().push(c);
    }
    let mut by_cur: BTreeMap<String, BTreeMap<String, (f64, f64)>> = BTreeMap::new();
    for (donor, cs) in by_donor {
        let sums = figures::sums(cs);
        for (cur, v) in &sums.committed {
            let e = by_cur.entry(cur.clone()).or_default();
            e.entry(donor.to_string()).or_default().0 += v;
        }
        for (cur, v) in &sums.delivered {
            let e = by_cur.entry(cur.clone()).or_default();
            e.entry(donor.to_string()).or_default().1 += v;
        }
    }
    by_cur
}

fn side_section(side: Option<&str>, cs: &[&Commitment]) -> Result<Side, PageError> {
    let by_cur = values_by_donor(cs);
    let mut currencies: Vec<&String> = by_cur.keys().collect();
    currencies.sort_by_key(|c| (c.as_str() != "USD", c.to_string()));
    let mut charts_out = Vec::new();
    for cur in currencies {
        let mut rows: Vec<(&String, &(f64, f64))> = by_cur[cur].iter().collect();
        rows.sort_by(|a, b| {
            (b.1 .0.max(b.1 .1))
                .partial_cmp(&a.1 .0.max(a.1 .1))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.cmp(b.0))
        });
        rows.truncate(MAX_DONORS);
        let bars: Vec<charts::PairBar> = rows
            .iter()
            .map(|(d, (c, del))| charts::PairBar {
                label: d.to_string(),
                href: ledger_href(&[("donor", d)]),
                a: *c,
                b: *del,
                a_text: money(*c, cur),
                b_text: money(*del, cur),
            })
            .collect();
        charts_out.push(CurrencyChart {
            currency: cur.clone(),
            chart: charts::pair_bars(
                &bars,
                "committed (each package once)",
                "delivered (expedited not counted)",
                charts_out.is_empty(),
            )?,
        });
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cs {
        *counts.entry(c.donor.as_str()).or_default() += 1;
    }
    Ok(Side {
        heading: sides::heading(side),
        commitments: cs.len(),
        charts: charts_out,
        donors: counts
            .into_iter()
            .map(|(d, n)| Chip {
                label: d.to_string(),
                href: ledger_href(&[("donor", d)]),
                n,
            })
            .collect(),
    })
}

fn render(all: &[Commitment], n_docs: usize) -> Result<OverviewTpl, PageError> {
    let donors: BTreeSet<&str> = all.iter().map(|c| c.donor.as_str()).collect();
    let mut tpl = OverviewTpl {
        commitments: all.len(),
        delivered: all.iter().filter(|c| figures::is_delivered(c)).count(),
        donors: donors.len(),
        articles: n_docs,
        sides: Vec::new(),
        totals: Markup::empty(),
        systems: Markup::empty(),
        categories: Markup::empty(),
        months: None,
    };
    if all.is_empty() {
        return Ok(tpl);
    }

    // each side of the war apart
    type Group<'a> = (Option<&'static str>, Vec<&'a Commitment>);
    let mut by_side: BTreeMap<(usize, String), Group> = BTreeMap::new();
    for c in all {
        let s = sides::side(c);
        by_side
            .entry(sides::order(s))
            .or_insert_with(|| (s, Vec::new()))
            .1
            .push(c);
    }
    for (_, (s, cs)) in by_side {
        tpl.sides.push(side_section(s, &cs)?);
    }
    tpl.totals = commitment::render_totals(all)?;
    tpl.systems = systems::table(all, 30, "Systems")?;

    // counts by category
    let mut cats: BTreeMap<String, usize> = BTreeMap::new();
    for c in all {
        *cats
            .entry(c.category.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let mut cats: Vec<(String, usize)> = cats.into_iter().collect();
    cats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let bars: Vec<charts::Bar> = cats
        .iter()
        .map(|(cat, n)| charts::Bar {
            label: if cat.is_empty() {
                "no category".into()
            } else {
                cat.clone()
            },
            href: (!cat.is_empty()).then(|| ledger_href(&[("category", cat)])),
            value: *n as f64,
            text: n.to_string(),
        })
        .collect();
    tpl.categories = charts::bars(&bars, "commitments by category")?;

    // stages per month, every month from the first to the last
    let mut months: BTreeMap<String, BTreeMap<Status, usize>> = BTreeMap::new();
    for c in all {
        for s in &c.stages {
            if let Some(m) = s.date().and_then(|d| d.get(..7)).filter(|m| valid_date(m)) {
                *months
                    .entry(m.to_string())
                    .or_default()
                    .entry(s.status)
                    .or_default() += 1;
            }
        }
    }
    tpl.months = charts::months(&charts::month_range(&months, MAX_MONTHS))?;
    Ok(tpl)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A commitment from JSON, as the store keeps it.
    fn commitment(json: serde_json::Value) -> Commitment {
        serde_json::from_value(json).unwrap()
    }

    fn stage(status: &str, date: &str) -> serde_json::Value {
        serde_json::json!({"status": status, "dates": [{"value": date, "doc_ids": ["d1"], "sources": ["example.com"]}],
            "quantities": [], "values": [], "asserted_by": [], "sources": ["example.com"], "evidence": [], "doc_ids": ["d1"]})
    }

    fn package(
        id: &str,
        donor: &str,
        recipient: &str,
        stages: Vec<serde_json::Value>,
    ) -> Commitment {
        commitment(serde_json::json!({
            "id": id, "kind": "package", "donor": donor, "recipient": recipient,
            "subject": {"kind": "package", "amount": 100000000u64, "currency": "USD", "month": "2022-08"},
            "item": "package", "category": null, "stages": stages, "status": "pledged",
            "first_date": "2022-08-01", "last_date": "2022-09-01", "sources": ["example.com"],
            "doc_ids": ["d1"], "announced": "2022-08-01",
            "value": {"amount": 1.0e8, "currency": "USD"}, "contents": [], "flags": []
        }))
    }

    #[test]
    fn expedited_is_not_delivered() {
        let expedited = package(
            "a",
            "USA",
            "UKR",
            vec![
                stage("pledged", "2022-08-01"),
                stage("expedited", "2022-09-01"),
            ],
        );
        let delivered = package(
            "b",
            "GBR",
            "UKR",
            vec![
                stage("pledged", "2022-08-01"),
                stage("delivered", "2022-09-01"),
            ],
        );
        let v = values_by_donor(&[&expedited, &delivered]);
        assert_eq!(v["USD"]["USA"], (1e8, 0.0));
        assert_eq!(v["USD"]["GBR"], (1e8, 1e8));
        let page = render(&[expedited, delivered], 1)
            .unwrap()
            .render()
            .unwrap();
        assert!(page.contains("USA: USD 0 delivered"), "{page}");
        assert!(page.contains("GBR: USD 100 m delivered"), "{page}");
    }

    #[test]
    fn sides_are_shown_apart() {
        let a = package("a", "USA", "UKR", vec![stage("pledged", "2022-08-01")]);
        let b = package("b", "IRN", "RUS", vec![stage("delivered", "2022-09-01")]);
        let page = render(&[a, b], 2).unwrap().render().unwrap();
        let ukr = page.find("<h2>Aid to Ukraine").expect("Ukraine section");
        let rus = page.find("<h2>Supplies to Russia").expect("Russia section");
        assert!(ukr < rus);
        // each donor in its own side's section only
        let (ukr_part, rus_part) = page[ukr..].split_at(rus - ukr);
        assert!(ukr_part.contains("/ledger?donor=USA") && !ukr_part.contains("/ledger?donor=IRN"));
        let rus_part = &rus_part[..rus_part.find("</section>").unwrap()];
        assert!(rus_part.contains("/ledger?donor=IRN") && !rus_part.contains("/ledger?donor=USA"));
    }
}
