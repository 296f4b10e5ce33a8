//! Writing results: records as JSON Lines, the `--pretty` table, `--explain` lines.
//!
//! - JSONL (default): one [`Record`] per line, exactly as docs/records.md describes.
//! - Pretty: a fixed-width table for people, one row per record, and one `(no records)`
//!   row per document without records; long cells are cut with `…`.
//! - Explain lines are human-readable; where they go is decided by the caller.

use std::io::{self, Write};

use aidledger_core::{ExplainLine, Record};

/// Writes one record as one JSON line.
pub fn write_record_jsonl(out: &mut dyn Write, record: &Record) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

const COLUMNS: [(&str, usize); 8] = [
    ("DOC", 16),
    ("STATUS", 10),
    ("DONORS → RECIPIENT", 20),
    ("ITEMS", 36),
    ("VALUE", 14),
    ("DATE", 10),
    ("ASSERTED BY", 20),
    ("EVIDENCE", 60),
];

/// Header of the `--pretty` table.
pub fn pretty_header() -> String {
    let cells: Vec<String> = COLUMNS.iter().map(|(name, _)| name.to_string()).collect();
    row(&cells)
}

/// One table row per record of a document; a single `(no records)` row when there are none.
pub fn pretty_rows(doc_id: &str, records: &[Record]) -> Vec<String> {
    if records.is_empty() {
        return vec![row(&[
            doc_id.to_string(),
            "-".into(),
            "(no records)".into(),
        ])];
    }
    records
        .iter()
        .map(|r| {
            let parties = format!(
                "{} → {}",
                r.donors.join(","),
                r.recipient.as_deref().unwrap_or("?")
            );
            let items = r
                .items
                .iter()
                .map(|i| match i.quantity {
                    Some(q) => format!("{q} {}", i.name),
                    None => i.name.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let value = r
                .value
                .as_ref()
                .map(|v| format!("{} {}", human_amount(v.amount), v.currency));
            let evidence = r
                .evidence
                .first()
                .map(|e| format!("\"{}\"", collapse_ws(&e.text)));
            row(&[
                r.doc_id.clone(),
                r.status.to_string(),
                parties,
                if items.is_empty() { "-".into() } else { items },
                value.unwrap_or_else(|| "-".into()),
                r.date.clone().unwrap_or_else(|| "-".into()),
                r.asserted_by.clone().unwrap_or_else(|| "-".into()),
                evidence.unwrap_or_else(|| "-".into()),
            ])
        })
        .collect()
}

fn row(cells: &[String]) -> String {
    let mut line = String::new();
    for (i, (cell, (_, width))) in cells.iter().zip(COLUMNS.iter()).enumerate() {
        let cut = truncate(cell, *width);
        line.push_str(&cut);
        if i + 1 < cells.len() {
            let pad = width.saturating_sub(cut.chars().count()) + 2;
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    line.truncate(line.trim_end().len());
    line
}

/// One explain line for people: `doc-id @start..end: outcome: "sentence"`.
pub fn explain_text(line: &ExplainLine) -> String {
    format!(
        "{} @{}..{}: {}: \"{}\"",
        line.doc_id,
        line.start,
        line.end,
        line.outcome,
        truncate(&collapse_ws(&line.sentence), 160)
    )
}

/// `425000000` → `425M`, `1200000000` → `1.2B`, `50000` → `50,000`.
pub fn human_amount(amount: f64) -> String {
    if !amount.is_finite() {
        return amount.to_string();
    }
    let scaled = |x: f64, unit: &str| {
        let s = format!("{x:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        format!("{s}{unit}")
    };
    let a = amount.abs();
    if a >= 1e9 {
        scaled(amount / 1e9, "B")
    } else if a >= 1e6 {
        scaled(amount / 1e6, "M")
    } else if a.fract() == 0.0 {
        let t = crate::input::thousands(a as u64);
        if amount < 0.0 {
            format!("-{t}")
        } else {
            t
        }
    } else {
        format!("{amount:.2}")
    }
}

/// Cuts `s` to at most `width` characters, ending with `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Turns every run of whitespace (newlines included) into one space.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aidledger_core::{Evidence, Item, Status, Value};

    fn record() -> Record {
        Record {
            doc_id: "doc-1".into(),
            status: Status::Pledged,
            donors: vec!["USA".into(), "GBR".into()],
            recipient: Some("UKR".into()),
            items: vec![
                Item {
                    name: "Javelin".into(),
                    quantity: Some(300),
                    category: Some("anti_tank".into()),
                },
                Item {
                    name: "artillery ammunition".into(),
                    quantity: None,
                    category: Some("ammunition".into()),
                },
            ],
            value: Some(Value {
                amount: 425e6,
                currency: "USD".into(),
            }),
            date: Some("2022-04".into()),
            asserted_by: Some("A Spokesperson".into()),
            evidence: vec![Evidence {
                start: 0,
                end: 20,
                text: "The donors\n promised   things".into(),
            }],
            confidence: 0.8,
            kind: Default::default(),
            flags: Vec::new(),
        }
    }

    #[test]
    fn jsonl_is_one_line_of_schema_fields() {
        let mut out = Vec::new();
        write_record_jsonl(&mut out, &record()).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.ends_with('\n'));
        assert_eq!(s.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        for key in [
            "doc_id",
            "status",
            "donors",
            "recipient",
            "items",
            "value",
            "date",
            "asserted_by",
            "evidence",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        assert_eq!(v["status"], "pledged");
    }

    #[test]
    fn pretty_rows_are_aligned() {
        let header = pretty_header();
        let rows = pretty_rows("doc-1", &[record()]);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert!(r.contains("USA,GBR → UKR"), "{r}");
        assert!(r.contains("300 Javelin, artillery ammunition"), "{r}");
        assert!(r.contains("425M USD"), "{r}");
        assert!(r.contains("\"The donors promised things\""), "{r}");
        let col = |s: &str, needle: &str| {
            s.chars()
                .collect::<String>()
                .find(needle)
                .map(|b| s[..b].chars().count())
        };
        assert_eq!(col(&header, "STATUS"), col(r, "pledged"));
        assert_eq!(col(&header, "DATE"), col(r, "2022-04"));
        let none = pretty_rows("doc-2", &[]);
        assert!(none[0].contains("(no records)"));
    }

    #[test]
    fn amounts_and_truncation() {
        assert_eq!(human_amount(425e6), "425M");
        assert_eq!(human_amount(1.2e9), "1.2B");
        assert_eq!(human_amount(50000.0), "50,000");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("éléphant", 3), "él…");
    }
}
