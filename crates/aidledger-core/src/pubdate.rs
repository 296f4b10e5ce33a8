//! Publication date found in the text itself, for documents that come without one:
//! a header line such as `date 2024-10` or `Date: 2024-10-11`, or a dateline near the
//! top ("KYIV, Oct. 11, 2022 —", "Publié le 11 octobre 2022").

use jiff::civil::Date;

use crate::pipeline::parse_published;
use crate::Lang;

/// Looks at the first lines of folded text; returns the date and how it was written.
pub fn find_in_text(folded: &str, lang: Lang) -> Option<(Date, String)> {
    for line in folded.lines().take(6) {
        let t = line.trim();
        let rest = t
            .strip_prefix("date")
            .map(|r| r.trim_start_matches([':', ' ', '\t']));
        if let Some(rest) = rest {
            let tok: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-')
                .collect();
            if tok.len() >= 4 {
                if let Some(d) = parse_published(&tok) {
                    return Some((d, tok));
                }
            }
        }
    }
    let head_end = folded
        .char_indices()
        .nth(300)
        .map_or(folded.len(), |(i, _)| i);
    let head = &folded[..head_end];
    aidledger_parse::find_times(head, lang, None, aidledger_parse::Prefer::Past)
        .into_iter()
        .find(|f| f.value.grain == aidledger_parse::Grain::Day)
        .map(|f| (f.value.start, f.value.record_date()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_line_and_dateline() {
        let (d, s) = find_in_text("titre\ndate 2024-10\n\ntexte", Lang::Fr).unwrap();
        assert_eq!(
            (d.to_string(), s.as_str()),
            ("2024-10-01".to_string(), "2024-10")
        );
        let (d, _) =
            find_in_text("kyiv, 11 octobre 2022 - le ministre a parle.", Lang::Fr).unwrap();
        assert_eq!(d.to_string(), "2022-10-11");
        assert!(find_in_text("rien ici", Lang::En).is_none());
    }
}
