//! Whole-phrase parsing (the `aidledger parse` command) and its JSON-lines output.

use crate::lex::lex;
use crate::time::{fmt_date, phrase_time};
use crate::{fold, Lang, Money, PhraseResult, Prefer, TimeValue};
use jiff::civil::DateTime;
use std::io::{BufRead, Write};

/// Reads the WHOLE phrase as a number, an amount of money and a date (each may be `None`).
/// The phrase is folded first, so raw text such as "Août 2013" works.
pub fn parse_phrase(phrase: &str, lang: Lang, reference: DateTime, prefer: Prefer) -> PhraseResult {
    let folded = fold(phrase.trim());
    let toks = lex(&folded);
    if toks.is_empty() {
        return PhraseResult::default();
    }
    PhraseResult {
        number: crate::number::phrase_number(&toks, lang),
        money: crate::money::phrase_money(&toks, lang),
        time: phrase_time(&toks, lang, reference.date(), prefer),
    }
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Integral values print without a fraction; non-finite values as null.
fn json_num(v: f64) -> String {
    if !v.is_finite() {
        "null".into()
    } else if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn json_time(t: &TimeValue) -> String {
    let end = t
        .end
        .map_or("null".to_string(), |e| format!("\"{}\"", fmt_date(e)));
    format!(
        "{{\"start\":\"{}\",\"end\":{},\"grain\":\"{}\"}}",
        fmt_date(t.start),
        end,
        t.grain.name()
    )
}

fn json_money(m: &Money) -> String {
    let mut cur = String::new();
    match &m.currency {
        Some(c) => json_str(c, &mut cur),
        None => cur.push_str("null"),
    }
    format!("{{\"amount\":{},\"currency\":{}}}", json_num(m.amount), cur)
}

/// One JSON line for a phrase.
pub(crate) fn json_line(input: &str, r: &PhraseResult) -> String {
    let mut s = String::from("{\"input\":");
    json_str(input, &mut s);
    s.push_str(",\"time\":");
    s.push_str(&r.time.as_ref().map_or("null".to_string(), json_time));
    s.push_str(",\"number\":");
    s.push_str(&r.number.map_or("null".to_string(), json_num));
    s.push_str(",\"money\":");
    s.push_str(&r.money.as_ref().map_or("null".to_string(), json_money));
    s.push('}');
    s
}

/// Runs the `aidledger parse` command: reads phrases from `input`, one per line, writes one
/// JSON line per phrase (in order, also for empty or unreadable lines) and flushes.
pub fn run_parse_lines(
    mut input: impl BufRead,
    mut output: impl Write,
    lang: Lang,
    reference: DateTime,
    prefer: Prefer,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches(['\n', '\r']);
        let r = parse_phrase(line, lang, reference, prefer);
        writeln!(output, "{}", json_line(line, &r))?;
    }
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn reff() -> DateTime {
        date(2013, 2, 12).at(4, 30, 0, 0)
    }

    #[test]
    fn phrases() {
        let r = parse_phrase("16,8 milliards de dollars", Lang::Fr, reff(), Prefer::Past);
        assert_eq!(
            r.money,
            Some(Money {
                amount: 16.8e9,
                currency: Some("USD".into())
            })
        );
        assert_eq!(r.number, None);
        let r = parse_phrase("Quatre-vingt-dix-sept", Lang::Fr, reff(), Prefer::Past);
        assert_eq!(r.number, Some(97.0));
        let r = parse_phrase("Août 2013", Lang::Fr, reff(), Prefer::Past);
        assert_eq!(r.time.unwrap().record_date(), "2013-08");
        let r = parse_phrase("$1.2 billion", Lang::En, reff(), Prefer::Past);
        assert_eq!(
            r.money,
            Some(Money {
                amount: 1.2e9,
                currency: Some("USD".into())
            })
        );
        let r = parse_phrase("two weeks ago", Lang::En, reff(), Prefer::Past);
        assert_eq!(r.time.unwrap().start, date(2013, 1, 29));
        let r = parse_phrase("", Lang::En, reff(), Prefer::Past);
        assert_eq!(r, PhraseResult::default());
    }

    #[test]
    fn json_lines() {
        let input = "16,8 milliards de dollars\n\nmardi\n\"quoted\"\r\n";
        let mut out = Vec::new();
        run_parse_lines(input.as_bytes(), &mut out, Lang::Fr, reff(), Prefer::Future).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[0],
            r#"{"input":"16,8 milliards de dollars","time":null,"number":null,"money":{"amount":16800000000,"currency":"USD"}}"#
        );
        assert_eq!(
            lines[1],
            r#"{"input":"","time":null,"number":null,"money":null}"#
        );
        assert_eq!(
            lines[2],
            r#"{"input":"mardi","time":{"start":"2013-02-19","end":null,"grain":"day"},"number":null,"money":null}"#
        );
        assert!(lines[3].starts_with(r#"{"input":"\"quoted\"""#));
    }
}
