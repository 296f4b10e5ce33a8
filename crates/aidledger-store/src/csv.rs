//! CSV as AidLedger writes it (RFC 4180), safe to open in a spreadsheet.
//!
//! Text from articles (item names, speakers, sources, evidence sentences) and ids can
//! begin with `=`, `+`, `-`, `@`, a tab or a carriage return, which Excel, LibreOffice
//! and Google Sheets read as the start of a formula (`=HYPERLINK("http://evil","x")`,
//! `@SUM(A1)`): CSV injection. As OWASP recommends, such a cell is written with a
//! single quote in front (`'=HYPERLINK(...)`), which spreadsheets show as text. Only
//! numbers AidLedger formats itself (quantities, amounts) are written as they are, so a
//! negative amount stays a number.
//!
//! Every CSV the tool writes goes through [`write_csv`] (or [`text_cell`] /
//! [`number_cell`] for one cell).

use std::borrow::Cow;
use std::io::{self, Write};

/// First characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The text with a `'` in front when it begins like a formula; unchanged otherwise.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Quotes a cell when it holds a comma, a quote or a line break (quotes doubled).
fn quote(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// One text cell: neutralised (see the module documentation), then quoted if needed.
pub fn text_cell(s: &str) -> String {
    quote(&neutralise(s)).into_owned()
}

/// One number cell: written as it is when it is a plain decimal number (`-12`, `2.5`,
/// `1e9`), else as a text cell, so nothing but a number escapes neutralisation.
pub fn number_cell(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.parse::<f64>().is_ok_and(f64::is_finite);
    if plain {
        s.to_string()
    } else {
        text_cell(s)
    }
}

/// Writes a header line and the rows. Cells of the columns in `numeric` go through
/// [`number_cell`], all others through [`text_cell`]; the header too.
pub fn write_csv(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
    numeric: &[usize],
) -> io::Result<()> {
    let head: Vec<String> = header.iter().map(|h| text_cell(h)).collect();
    writeln!(out, "{}", head.join(","))?;
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if numeric.contains(&i) {
                    number_cell(c)
                } else {
                    text_cell(c)
                }
            })
            .collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            text_cell("=HYPERLINK(\"http://evil\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""
        );
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("+1+1"), "'+1+1");
        assert_eq!(text_cell("-2+3"), "'-2+3");
        assert_eq!(text_cell("\tx"), "'\tx");
        assert_eq!(text_cell("\rx"), "\"'\rx\"");
        // only the first character counts
        assert_eq!(text_cell("a=b"), "a=b");
        assert_eq!(text_cell(" =1"), " =1");
        assert_eq!(text_cell(""), "");
    }

    #[test]
    fn cells_are_quoted_when_needed() {
        assert_eq!(text_cell("plain"), "plain");
        assert_eq!(text_cell("a, b"), "\"a, b\"");
        assert_eq!(text_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn numbers_stay_numbers_and_nothing_else_does() {
        assert_eq!(number_cell("-12"), "-12");
        assert_eq!(number_cell("2.5"), "2.5");
        assert_eq!(number_cell("16800000000"), "16800000000");
        assert_eq!(number_cell(""), "");
        assert_eq!(number_cell("-1+cmd|' /C calc'!A0"), "'-1+cmd|' /C calc'!A0");
        assert_eq!(number_cell("-inf"), "'-inf");
        assert_eq!(number_cell("-"), "'-");
        assert_eq!(number_cell("=1"), "'=1");
    }

    #[test]
    fn whole_files() {
        let mut out = Vec::new();
        write_csv(
            &mut out,
            &["name", "n"],
            &[
                vec!["@SUM(A1)".into(), "-5".into()],
                vec!["ok".into(), "=1".into()],
            ],
            &[1],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,n\n'@SUM(A1),-5\nok,'=1\n"
        );
    }
}
