//! Plain-text formatting shared by the pages: money, date ranges, outlets, shortened
//! quotes. Everything here returns text; the templates escape it.

use std::collections::{BTreeSet, HashMap};

use aidledger_core::Status;
use aidledger_ledger::Commitment;
use aidledger_store::DocumentSummary;

/// The outlet of an article without a `source` and without a readable URL.
pub const UNKNOWN_OUTLET: &str = aidledger_ledger::UNKNOWN_OUTLET;

/// `USD 2.98 bn`, `EUR 300 m`, `GBP 12,000`.
pub fn money(amount: f64, currency: &str) -> String {
    let a = amount.abs();
    if !amount.is_finite() {
        return currency.to_string();
    }
    let trim = |x: f64| {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if a >= 1e9 {
        format!("{currency} {} bn", trim(amount / 1e9))
    } else if a >= 1e6 {
        format!("{currency} {} m", trim(amount / 1e6))
    } else {
        format!("{currency} {}", group_digits(amount.round() as i64))
    }
}

fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The largest value reported for stages of these statuses.
fn stage_value(c: &Commitment, statuses: &[Status]) -> Option<(f64, String)> {
    let mut best: Option<(f64, String)> = None;
    for s in c.stages.iter().filter(|s| statuses.contains(&s.status)) {
        for v in &s.values {
            if v.value.amount.is_finite() && best.as_ref().is_none_or(|b| v.value.amount > b.0) {
                best = Some((v.value.amount, v.value.currency.clone()));
            }
        }
    }
    best
}

/// The value shown in the ledger: the value as stated (docs/ledger.md), else the largest
/// reported for any stage.
pub fn headline_value(c: &Commitment) -> Option<(f64, String)> {
    c.value
        .as_ref()
        .map(|v| (v.amount, v.currency.clone()))
        .or_else(|| stage_value(c, &Status::ALL))
}

/// `2022-08-24 – 2022-11-08`, one date, or a dash.
pub fn dates(first: Option<&str>, last: Option<&str>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
        (Some(a), _) | (None, Some(a)) => a.to_string(),
        (None, None) => "—".into(),
    }
}

/// At most `n` characters, with `…` when cut.
pub fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// An outlet's name: `source` lowercased without `www.`.
fn clean_outlet(s: &str) -> Option<String> {
    let s = s.trim().to_lowercase();
    let s = s.strip_prefix("www.").unwrap_or(&s).to_string();
    (!s.is_empty()).then_some(s)
}

/// The host of an `http(s)://` URL, without `www.` and port.
fn url_host(url: &str) -> Option<String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .or_else(|| {
            let lower = u.to_ascii_lowercase();
            if lower.starts_with("https://") {
                u.get(8..)
            } else if lower.starts_with("http://") {
                u.get(7..)
            } else {
                None
            }
        })?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    clean_outlet(host).filter(|h| h.contains('.') && !h.chars().any(char::is_whitespace))
}

/// An article's outlet: its `source`, else its URL's domain, else [`UNKNOWN_OUTLET`] —
/// never its id.
pub fn doc_outlet(d: &DocumentSummary) -> String {
    d.source
        .as_deref()
        .and_then(clean_outlet)
        .or_else(|| d.url.as_deref().and_then(url_host))
        .unwrap_or_else(|| UNKNOWN_OUTLET.to_string())
}

/// The outlets behind a list of documents, by the documents' metadata when known.
/// Documents without an outlet count together as one [`UNKNOWN_OUTLET`].
pub fn outlets_of<'a>(
    doc_ids: impl IntoIterator<Item = &'a String>,
    docs: &HashMap<String, DocumentSummary>,
) -> Vec<String> {
    let set: BTreeSet<String> = doc_ids
        .into_iter()
        .map(|id| {
            docs.get(id)
                .map(doc_outlet)
                .unwrap_or_else(|| UNKNOWN_OUTLET.to_string())
        })
        .collect();
    set.into_iter().collect()
}

/// A commitment's outlets from the ledger's list alone (the ledger names an article
/// without a `source` by its id: such names become one [`UNKNOWN_OUTLET`]).
pub fn outlets(c: &Commitment) -> Vec<String> {
    let set: BTreeSet<String> = c
        .sources
        .iter()
        .map(|s| {
            if c.doc_ids.contains(s) {
                UNKNOWN_OUTLET.to_string()
            } else {
                s.clone()
            }
        })
        .collect();
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, source: Option<&str>, url: Option<&str>) -> DocumentSummary {
        DocumentSummary {
            id: id.into(),
            title: None,
            url: url.map(Into::into),
            source: source.map(Into::into),
            published: None,
            lang: None,
        }
    }

    #[test]
    fn money_and_dates() {
        assert_eq!(money(2.98e9, "USD"), "USD 2.98 bn");
        assert_eq!(money(300e6, "EUR"), "EUR 300 m");
        assert_eq!(money(12000.0, "EUR"), "EUR 12,000");
        assert_eq!(dates(Some("2022"), Some("2023-01")), "2022 – 2023-01");
        assert_eq!(dates(None, None), "—");
        assert_eq!(shorten("abcdef", 3), "abc…");
    }

    #[test]
    fn outlets_by_source_or_domain_never_by_id() {
        let docs: HashMap<String, DocumentSummary> = [
            summary("a1", Some("WWW.Example.com"), None),
            summary("a2", None, Some("https://www.example.com/x")),
            summary("a3", None, Some("HTTPS://news.example.org:8080/y?z")),
            summary("a4", None, None),
            summary("a5", Some("  "), Some("javascript:alert(1)")),
        ]
        .into_iter()
        .map(|d| (d.id.clone(), d))
        .collect();
        let ids: Vec<String> = ["a1", "a2", "a3", "a4", "a5", "gone"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            outlets_of(&ids, &docs),
            ["example.com", "news.example.org", UNKNOWN_OUTLET]
        );
    }
}
