//! The overview: headline counts, then one section per side of the war (aid to Ukraine,
//! supplies to Russia, aid to others; `sides.rs`) with its committed and delivered
//! values by donor and its donors, then the reported cumulative totals, the systems,
//! the commitments by category and the activity per month.

use std::collections::BTreeMap;

use aidledger_core::{Kind, Status};
use aidledger_ledger::{figures, Commitment};
use aidledger_store::{LedgerFilter, Store, SumsBy};
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
    // computed from sums and counts in SQL and the per-commitment rows of the systems
    // and stages (never the whole ledger), once per store generation
    super::cached_page(state, "overview page", |store| {
        page_of("Overview", "overview", "", &render(&Data::read(store)?)?)
    })
    .await
}

/// One donor → recipient pair's sums, by the ledger's one definition
/// (aidledger_ledger::figures, summed in SQL by `Store::sums_by`).
struct PartySums {
    donor: String,
    recipient: Option<String>,
    count: usize,
    committed: BTreeMap<String, f64>,
    delivered: BTreeMap<String, f64>,
}

/// What the overview shows, read from the store or (in tests) computed from commitments.
struct Data {
    commitments: usize,
    delivered: usize,
    donors: usize,
    articles: usize,
    parties: Vec<PartySums>,
    /// The commitments of kind `total` (their series).
    totals: Vec<Commitment>,
    systems: Vec<figures::SystemRollup>,
    /// Commitments per category (empty: none).
    categories: Vec<(String, usize)>,
    /// Dated stages per month and stage.
    months: BTreeMap<String, BTreeMap<Status, usize>>,
}

impl Data {
    fn read(store: &Store) -> Result<Data, PageError> {
        let all = LedgerFilter::default();
        let (commitments, delivered, donors) = store.ledger_counts()?;
        let parties = store
            .sums_by(&all, SumsBy::Party, None)?
            .into_iter()
            .map(|g| PartySums {
                donor: g.key,
                recipient: g.recipient,
                count: g.count,
                committed: g.sums.committed,
                delivered: g.sums.delivered,
            })
            .collect();
        let totals = store.commitments(&LedgerFilter {
            kind: Some(Kind::Total),
            ..Default::default()
        })?;
        let categories = store
            .sums_by(&all, SumsBy::Category, None)?
            .into_iter()
            .map(|g| {
                let cat = if g.key == "(none)" {
                    String::new()
                } else {
                    g.key
                };
                (cat, g.count)
            })
            .collect();
        let mut months: BTreeMap<String, BTreeMap<Status, usize>> = BTreeMap::new();
        for (m, st, n) in store.stage_month_counts()? {
            if let (true, Some(st)) = (valid_date(&m), Status::parse(&st)) {
                *months.entry(m).or_default().entry(st).or_default() += n;
            }
        }
        Ok(Data {
            commitments,
            delivered,
            donors,
            articles: store.document_count()?,
            parties,
            totals,
            systems: figures::systems_from_facts(&store.system_facts()?, true),
            categories,
            months,
        })
    }

    /// The same from commitments in memory, by the same definitions (for tests; the
    /// store tests check that the SQL gives these).
    #[cfg(test)]
    fn of(all: &[Commitment], articles: usize) -> Data {
        let mut months: BTreeMap<String, BTreeMap<Status, usize>> = BTreeMap::new();
        for c in all {
            for (m, st) in figures::stage_months(c) {
                if valid_date(&m) {
                    *months.entry(m).or_default().entry(st).or_default() += 1;
                }
            }
        }
        let mut cats: BTreeMap<String, usize> = BTreeMap::new();
        for c in all {
            *cats
                .entry(c.category.clone().unwrap_or_default())
                .or_default() += 1;
        }
        let mut counts: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
        for c in all {
            *counts
                .entry((c.donor.clone(), c.recipient.clone()))
                .or_default() += 1;
        }
        Data {
            commitments: all.len(),
            delivered: all.iter().filter(|c| figures::is_delivered(c)).count(),
            donors: all
                .iter()
                .map(|c| c.donor.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            articles,
            parties: figures::sums_by_party(all)
                .into_iter()
                .map(|((donor, recipient), s)| PartySums {
                    count: counts[&(donor.clone(), recipient.clone())],
                    donor,
                    recipient,
                    committed: s.committed,
                    delivered: s.delivered,
                })
                .collect(),
            totals: all
                .iter()
                .filter(|c| c.kind == Kind::Total)
                .cloned()
                .collect(),
            systems: figures::systems(all, true),
            categories: cats.into_iter().collect(),
            months,
        }
    }
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

/// Committed and delivered values per currency and donor of one side's pairs.
fn values_by_donor(parties: &[&PartySums]) -> BTreeMap<String, BTreeMap<String, (f64, f64)>> {
    let mut by_cur: BTreeMap<String, BTreeMap<String, (f64, f64)>> = BTreeMap::new();
    for p in parties {
        for (cur, v) in &p.committed {
            let e = by_cur.entry(cur.clone()).or_default();
            e.entry(p.donor.clone()).or_default().0 += v;
        }
        for (cur, v) in &p.delivered {
            let e = by_cur.entry(cur.clone()).or_default();
            e.entry(p.donor.clone()).or_default().1 += v;
        }
    }
    by_cur
}

fn side_section(side: Option<&str>, parties: &[&PartySums]) -> Result<Side, PageError> {
    let by_cur = values_by_donor(parties);
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
    for p in parties {
        *counts.entry(p.donor.as_str()).or_default() += p.count;
    }
    Ok(Side {
        heading: sides::heading(side),
        commitments: parties.iter().map(|p| p.count).sum(),
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

fn render(d: &Data) -> Result<OverviewTpl, PageError> {
    let mut tpl = OverviewTpl {
        commitments: d.commitments,
        delivered: d.delivered,
        donors: d.donors,
        articles: d.articles,
        sides: Vec::new(),
        totals: Markup::empty(),
        systems: Markup::empty(),
        categories: Markup::empty(),
        months: None,
    };
    if d.commitments == 0 {
        return Ok(tpl);
    }

    // each side of the war apart
    type Group<'a> = (Option<&'static str>, Vec<&'a PartySums>);
    let mut by_side: BTreeMap<(usize, String), Group> = BTreeMap::new();
    for p in &d.parties {
        let s = sides::side_of(&p.donor, p.recipient.as_deref());
        by_side
            .entry(sides::order(s))
            .or_insert_with(|| (s, Vec::new()))
            .1
            .push(p);
    }
    for (_, (s, ps)) in by_side {
        tpl.sides.push(side_section(s, &ps)?);
    }
    tpl.totals = commitment::render_totals(&d.totals)?;
    tpl.systems = systems::table(d.systems.clone(), 30, "Systems")?;

    // counts by category
    let mut cats: Vec<(String, usize)> = d.categories.clone();
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
    tpl.months = charts::months(&charts::month_range(&d.months, MAX_MONTHS))?;
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
        let data = Data::of(&[expedited, delivered], 1);
        let parties: Vec<&PartySums> = data.parties.iter().collect();
        let v = values_by_donor(&parties);
        assert_eq!(v["USD"]["USA"], (1e8, 0.0));
        assert_eq!(v["USD"]["GBR"], (1e8, 1e8));
        let page = render(&data).unwrap().render().unwrap();
        assert!(page.contains("USA: USD 0 delivered"), "{page}");
        assert!(page.contains("GBR: USD 100 m delivered"), "{page}");
    }

    #[test]
    fn sides_are_shown_apart() {
        let a = package("a", "USA", "UKR", vec![stage("pledged", "2022-08-01")]);
        let b = package("b", "IRN", "RUS", vec![stage("delivered", "2022-09-01")]);
        let page = render(&Data::of(&[a, b], 2)).unwrap().render().unwrap();
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
