//! One-line summaries of commitments for analysts.

use crate::{Commitment, Reported, Stage, Status, Subject};

/// `4` or `4 or 6` (ascending).
fn quantities_text(q: &[Reported<u64>]) -> Option<String> {
    if q.is_empty() {
        return None;
    }
    Some(
        q.iter()
            .map(|r| r.value.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    )
}

/// `$400 million`, `€1.25 billion`, `500000 SEK`.
pub(crate) fn money(amount: f64, currency: &str) -> String {
    let trim = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let n = if amount >= 1e9 {
        format!("{} billion", trim(amount / 1e9))
    } else if amount >= 1e6 {
        format!("{} million", trim(amount / 1e6))
    } else {
        format!("{}", amount.round() as u64)
    };
    match currency {
        "USD" => format!("${n}"),
        "EUR" => format!("€{n}"),
        "GBP" => format!("£{n}"),
        c => format!("{n} {c}"),
    }
}

/// The quantity of the headline: that of the last commitment stage (considering,
/// pledged, approved) giving one.
fn head_quantity(c: &Commitment) -> Option<String> {
    c.stages
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                Status::Considering | Status::Pledged | Status::Approved
            )
        })
        .rev()
        .find_map(|s| quantities_text(&s.quantities))
}

fn stage_text(s: &Stage, head: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(q) = quantities_text(&s.quantities).filter(|q| Some(q.as_str()) != head) {
        out.push_str(&q);
        out.push(' ');
    }
    out.push_str(s.status.as_str());
    if let Some(d) = s.date() {
        out.push(' ');
        out.push_str(d);
    }
    out
}

pub(crate) fn summary(c: &Commitment) -> String {
    let head_q = head_quantity(c);
    let contents = || {
        c.contents
            .iter()
            .map(|i| match crate::figures::quantity(&i.pledged) {
                Some(q) => format!("{q} {}", i.name),
                None => i.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let what = match &c.subject {
        Subject::Package {
            amount, currency, ..
        } if c.contents.is_empty() => format!("{} package", money(*amount as f64, currency)),
        Subject::Package {
            amount, currency, ..
        } => format!(
            "{} package ({})",
            money(*amount as f64, currency),
            contents()
        ),
        Subject::Total { currency } => {
            let last = c.series.iter().rfind(|p| p.value.currency == *currency);
            match last {
                Some(p) => format!(
                    "cumulative total {} by {}",
                    money(p.value.amount, currency),
                    p.date.as_deref().unwrap_or("?")
                ),
                None => "cumulative total".to_string(),
            }
        }
        Subject::Budget { amount, currency } if *amount > 0 => {
            format!("{} budget", money(*amount as f64, currency))
        }
        _ => match &head_q {
            Some(q) => format!("{q} {}", c.item),
            None => c.item.clone(),
        },
    };
    let stages: Vec<String> = c
        .stages
        .iter()
        .map(|s| stage_text(s, head_q.as_deref()))
        .collect();
    let n = c.sources.len();
    let flags = if c.flags.is_empty() {
        String::new()
    } else {
        format!(" [flagged: {}]", c.flags.join(", "))
    };
    format!(
        "{} → {}, {what}: {} ({n} source{}){flags}",
        c.donor,
        c.recipient.as_deref().unwrap_or("?"),
        stages.join(", "),
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_text() {
        assert_eq!(money(400e6, "USD"), "$400 million");
        assert_eq!(money(1.25e9, "EUR"), "€1.25 billion");
        assert_eq!(money(500000.0, "SEK"), "500000 SEK");
    }
}
