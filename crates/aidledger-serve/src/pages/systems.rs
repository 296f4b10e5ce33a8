//! The systems tab: every system's roll-up per donor (aidledger_ledger::figures), and
//! the 30 largest on the overview.

use aidledger_ledger::figures;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};

use super::{ledger_href, no_params, page_of, Markup, PageError};
use crate::state::AppState;

pub(super) async fn page(State(state): State<AppState>, raw: RawQuery) -> Response {
    if let Err(e) = no_params(&raw) {
        return e.into_response();
    }
    // from the per-commitment system rows (never the whole ledger), once per generation
    super::cached_page(state, "systems page", |store| {
        let rows = figures::systems_from_facts(&store.system_facts()?, true);
        page_of(
            "Systems",
            "systems",
            "",
            &SystemsPageTpl {
                table: table(rows, usize::MAX, "By donor and system")?,
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
    mut rows: Vec<figures::SystemRollup>,
    max: usize,
    title: &'static str,
) -> Result<Markup, PageError> {
    if rows.is_empty() {
        return Ok(Markup::empty());
    }
    rows.sort_by(|a, b| {
        (b.pledged + b.delivered, b.packages)
            .cmp(&(a.pledged + a.delivered, a.packages))
            .then_with(|| (&a.donor, &a.system).cmp(&(&b.donor, &b.system)))
    });
    rows.truncate(max);
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
                // the ledger's outlets: a source, a URL's host or one unknown outlet
                sources: r.sources.len(),
            }
        })
        .collect();
    Markup::of(&TableTpl { title, rows })
}
