//! The views of the ledger model (docs/ledger.md): a commitment's facts (kind,
//! announcement, value as stated, contents, flags), the series of cumulative totals and
//! the systems roll-up. Every figure comes from `aidledger_ledger::figures`.

use std::fmt::Write as _;

use aidledger_ledger::{figures, Commitment, Kind};

use super::{escape, ledger_href, money};

/// A commitment's facts under its title: what kind it is, when it was announced, the
/// value as stated (and any other value reported, with its documents), its contents
/// with the quantities pledged and delivered, and its sanity flags.
pub(super) fn render_facts(c: &Commitment) -> String {
    let mut b = String::from(r#"<section class="card"><h2>Commitment</h2><dl class="facts">"#);
    let _ = write!(
        b,
        "<dt>Announced</dt><dd>{}</dd><dt>Value as stated</dt><dd>{}</dd>",
        escape(c.announced.as_deref().unwrap_or("—")),
        c.value
            .as_ref()
            .map(|v| money(v.amount, &v.currency))
            .unwrap_or_else(|| "—".into())
    );
    let mut others: Vec<String> = Vec::new();
    for s in &c.stages {
        for v in &s.values {
            if c.value.as_ref() != Some(&v.value) {
                others.push(format!(
                    "{} ({}: {})",
                    money(v.value.amount, &v.value.currency),
                    s.status.as_str(),
                    escape(&v.doc_ids.join(", "))
                ));
            }
        }
    }
    if !others.is_empty() {
        let _ = write!(
            b,
            "<dt>Other values reported</dt><dd>{}</dd>",
            others.join("; ")
        );
    }
    if !c.flags.is_empty() {
        let _ = write!(
            b,
            r#"<dt>Flags</dt><dd class="flags">{} — kept out of every sum until confirmed</dd>"#,
            escape(&c.flags.join(", "))
        );
    }
    b.push_str("</dl>");
    if !c.contents.is_empty() {
        b.push_str(r#"<table class="ledger"><thead><tr><th>contents</th><th>category</th><th>pledged</th><th>delivered</th></tr></thead><tbody>"#);
        let q = |r: &[aidledger_ledger::Reported<u64>]| -> String {
            if r.is_empty() {
                return "—".into();
            }
            r.iter()
                .map(|x| format!("{} ({})", x.value, escape(&x.sources.join(", "))))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        for i in &c.contents {
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&i.name),
                escape(i.category.as_deref().unwrap_or("—")),
                q(&i.pledged),
                q(&i.delivered)
            );
        }
        b.push_str("</tbody></table>");
    }
    if c.kind == Kind::Total && !c.series.is_empty() {
        b.push_str(r#"<table class="ledger"><thead><tr><th>date</th><th>cumulative total</th><th>documents</th></tr></thead><tbody>"#);
        for p in &c.series {
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(p.date.as_deref().unwrap_or("undated")),
                money(p.value.amount, &p.value.currency),
                escape(&p.doc_ids.join(", "))
            );
        }
        b.push_str("</tbody></table>");
    }
    b.push_str("</section>");
    b
}

/// Reported cumulative totals, one line per donor, recipient and currency: a series,
/// never added to the sums above.
pub(super) fn render_totals(all: &[Commitment]) -> String {
    let totals: Vec<&Commitment> = all
        .iter()
        .filter(|c| c.kind == Kind::Total && c.flags.is_empty() && !c.series.is_empty())
        .collect();
    if totals.is_empty() {
        return String::new();
    }
    let mut b = String::from(
        r#"<section class="card"><h2>Reported cumulative totals</h2><table class="ledger"><thead><tr><th>donor → recipient</th><th>series (date: total)</th></tr></thead><tbody>"#,
    );
    for c in totals {
        let points: Vec<String> = c
            .series
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    escape(p.date.as_deref().unwrap_or("undated")),
                    escape(&money(p.value.amount, &p.value.currency))
                )
            })
            .collect();
        let _ = write!(
            b,
            r#"<tr><td><a href="/commitments/{}">{} → {}</a></td><td>{}</td></tr>"#,
            escape(&c.id),
            escape(&c.donor),
            escape(c.recipient.as_deref().unwrap_or("?")),
            points.join(" · ")
        );
    }
    b.push_str("</tbody></table></section>");
    b
}

/// The systems tab: every roll-up, per donor, largest first.
pub(super) fn render_systems_page(all: &[Commitment]) -> String {
    let mut b = String::from(
        "<h1>Systems</h1><p>Each system summed over the packages that contain it (each package once, with the quantity most of its documents give) and over the deliveries; flagged commitments are left out.</p>",
    );
    let table = systems_table(all, usize::MAX);
    if table.is_empty() {
        b.push_str(r#"<p class="empty">No named systems in the ledger yet.</p>"#);
    }
    b.push_str(&table);
    b
}

/// The systems roll-up (aidledger_ledger::figures::systems), per donor, largest first:
/// the 30 largest on the overview.
pub(super) fn render_systems(all: &[Commitment]) -> String {
    systems_table(all, 30)
}

fn systems_table(all: &[Commitment], max: usize) -> String {
    let mut rows = figures::systems(all, true);
    if rows.is_empty() {
        return String::new();
    }
    rows.sort_by(|a, b| {
        (b.pledged + b.delivered, b.packages)
            .cmp(&(a.pledged + a.delivered, a.packages))
            .then_with(|| (&a.donor, &a.system).cmp(&(&b.donor, &b.system)))
    });
    rows.truncate(max);
    let mut b = String::from(
        r#"<section class="card"><h2>Systems</h2><table class="ledger"><thead><tr><th>donor</th><th>system</th><th>pledged</th><th>in packages</th><th>delivered</th><th>sources</th></tr></thead><tbody>"#,
    );
    for r in rows {
        let donor = r.donor.as_deref().unwrap_or("");
        let _ = write!(
            b,
            r#"<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            escape(donor),
            ledger_href(&[("donor", donor), ("item", &r.system)]),
            escape(&r.system),
            r.pledged,
            r.packages,
            r.delivered,
            r.sources.len()
        );
    }
    b.push_str("</tbody></table></section>");
    b
}
