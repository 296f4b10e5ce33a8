//! The systems tab: every system's roll-up per donor (aidledger_ledger::figures), and
//! the 30 largest on the overview.

use std::collections::{BTreeSet, HashSet};

use aidledger_ledger::{figures, Commitment};
use aidledger_store::LedgerFilter;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};

use super::format::UNKNOWN_OUTLET;
use super::{ledger_href, no_params, page_of, Markup, PageError};
use crate::state::AppState;

pub(super) async fn page(State(state): State<AppState>, raw: RawQuery) -> Response {
    if let Err(e) = no_params(&raw) {
        return e.into_response();
    }
    let figures = state.figures();
    super::cached_page(state, "systems page", move |store| {
        let all = figures.commitments(store, LedgerFilter::default())?;
        page_of(
            "Systems",
            "systems",
            "",
            &SystemsPageTpl {
                table: table(&all, usize::MAX, "By donor and system")?,
            },
        )
    })
    .await
}

#[derive(Template)]
#[template(path = "systems.html")]
struct SystemsPageTpl {
    table: Markup,
}

struct Row {
    donor: String,
    system: String,
    href: String,
    pledged: u64,
    packages: usize,
    delivered: u64,
    sources: usize,
}

#[derive(Template)]
#[template(path = "systems_table.html")]
struct TableTpl {
    title: &'static str,
    rows: Vec<Row>,
}

/// The roll-up per donor, largest first, at most `max` rows; empty when no system is
/// named.
pub(super) fn table(
    all: &[Commitment],
    max: usize,
    title: &'static str,
) -> Result<Markup, PageError> {
    let mut rows = figures::systems(all, true);
    if rows.is_empty() {
        return Ok(Markup::empty());
    }
    rows.sort_by(|a, b| {
        (b.pledged + b.delivered, b.packages)
            .cmp(&(a.pledged + a.delivered, a.packages))
            .then_with(|| (&a.donor, &a.system).cmp(&(&b.donor, &b.system)))
    });
    rows.truncate(max);
    // the ledger names an article without an outlet by its id: those are one unknown
    // outlet (format::outlets)
    let doc_ids: HashSet<&str> = all
        .iter()
        .flat_map(|c| c.doc_ids.iter().map(String::as_str))
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            let donor = r.donor.clone().unwrap_or_default();
            Row {
                href: ledger_href(&[("donor", &donor), ("item", &r.system)]),
                donor,
                system: r.system.clone(),
                pledged: r.pledged,
                packages: r.packages,
                delivered: r.delivered,
                sources: r
                    .sources
                    .iter()
                    .map(|s| {
                        if doc_ids.contains(s.as_str()) {
                            UNKNOWN_OUTLET
                        } else {
                            s.as_str()
                        }
                    })
                    .collect::<BTreeSet<&str>>()
                    .len(),
            }
        })
        .collect();
    Markup::of(&TableTpl { title, rows })
}
