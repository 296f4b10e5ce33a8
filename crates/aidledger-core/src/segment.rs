//! Sentence segmentation over folded text, with the original text at hand for case.
//!
//! Paragraphs split on blank lines. Inside a paragraph a line break ends a sentence
//! when the line is short (a headline, a list item, "LIRE LA SUITE:") or ends with
//! final punctuation; long lines without it are hard-wrapped prose and are joined.
//! Within the joined text a sentence ends at `.`, `!` or `?` (and any closing quotes)
//! followed by a space and a capital, a digit or an opening quote, unless the word
//! before the period is an abbreviation ("M.", "U.S.", "Sept.") or an initial ("J.").

use std::ops::Range;

use crate::text::Normalized;
use crate::Lang;

const ABBREVIATIONS: &str = include_str!("../../../data/lexicon/abbreviations.txt");

/// A sentence: its byte range in the folded text and its paragraph number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub range: Range<usize>,
    pub paragraph: usize,
    /// A line of its own without final punctuation (a headline or subheading).
    pub headline: bool,
    /// A piece of an overlong run of text cut at [`MAX_SENTENCE`] bytes.
    pub capped: bool,
}

pub struct Segmenter {
    abbrev: std::collections::HashSet<String>,
}

/// A line opening an enumerated item of a legal or official list: "(1)", "(a)", "(iv)".
fn enumerated(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('(') else {
        return false;
    };
    match rest.find(')') {
        Some(n) => (1..=4).contains(&n) && rest[..n].chars().all(|c| c.is_ascii_alphanumeric()),
        None => false,
    }
}

/// Conjunctions that may stand alone on a line between two items of a list.
const CONJUNCTIONS: [&str; 4] = ["and", "or", "et", "ou"];

/// A line that leaves its sentence open for a list: it ends with a colon, a semicolon,
/// or "; and" / "; or" ("; et", "; ou").
fn open_end(t: &str) -> bool {
    let t = t.trim_end();
    CONJUNCTIONS.contains(&t)
        || t.ends_with([':', ';'])
        || [" and", " or", " et", " ou"]
            .iter()
            .any(|w| t.ends_with(w) && t[..t.len() - w.len()].trim_end().ends_with([';', ',']))
}

/// Lines at least this long without final punctuation are taken as hard-wrapped prose.
const WRAP_MIN: usize = 40;

impl Segmenter {
    pub fn new() -> Segmenter {
        let abbrev = ABBREVIATIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| crate::text::fold(l).trim_end_matches('.').to_string())
            .collect();
        Segmenter { abbrev }
    }

    /// Splits folded text `norm` (of original `orig`) into sentences.
    pub fn split(&self, norm: &Normalized, orig: &str, _lang: Lang) -> Vec<Sentence> {
        let text = norm.text.as_str();
        let mut out = Vec::new();
        let mut paragraph = 0;
        let mut chunk_start: Option<usize> = None;
        let mut chunk_lines = 0;
        let mut pos = 0;
        let mut prev_blank = false;
        let lines = crate::text::split_lines(text);
        // the next non-blank line after line `i` opens an enumerated item: "(2) the authority"
        // (a lone "and" between them is part of the list: "...;\nand\n\n(2) ...")
        let item_follows = |i: usize| {
            lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty() && !CONJUNCTIONS.contains(l))
                .is_some_and(enumerated)
        };
        let mut last_line = "";
        for (li, line) in lines.iter().enumerate() {
            let start = pos;
            let end = pos + line.len();
            pos = end + 1;
            let t = line.trim();
            if t.is_empty() {
                // "the following authorities:" or "...; and" then "(2) ...": one sentence
                // runs on through its enumerated items
                if chunk_start.is_some() && open_end(last_line) && item_follows(li) {
                    continue;
                }
                if let Some(cs) = chunk_start.take() {
                    self.split_chunk(
                        norm,
                        orig,
                        cs..start.saturating_sub(1).max(cs),
                        paragraph,
                        chunk_lines,
                        &mut out,
                    );
                }
                if !prev_blank {
                    paragraph += 1;
                }
                prev_blank = true;
                continue;
            }
            prev_blank = false;
            if chunk_start.is_none() {
                chunk_start = Some(start);
                chunk_lines = 0;
            }
            chunk_lines += 1;
            last_line = t;
            let runs_on = open_end(t) && item_follows(li);
            let ends_final = t.ends_with(['.', '!', '?', ':', ';', '"', ')']);
            let starts_item = t.starts_with(['-', '*', '#', '|']) || t.starts_with("• ");
            if (t.len() < WRAP_MIN || ends_final || starts_item) && !runs_on {
                // a hard line break: close the chunk at the end of this line
                let cs = chunk_start.take().unwrap_or(start);
                self.split_chunk(norm, orig, cs..end, paragraph, chunk_lines, &mut out);
            }
        }
        if let Some(cs) = chunk_start {
            self.split_chunk(norm, orig, cs..text.len(), paragraph, chunk_lines, &mut out);
        }
        out
    }

    fn split_chunk(
        &self,
        norm: &Normalized,
        orig: &str,
        chunk: Range<usize>,
        paragraph: usize,
        lines: usize,
        out: &mut Vec<Sentence>,
    ) {
        let text = &norm.text;
        let bytes = text.as_bytes();
        let mut s = chunk.start;
        let mut i = chunk.start;
        let before = out.len();
        while i < chunk.end {
            // (only sentence punctuation stops the scan: jump to the next one)
            match memchr::memchr3(b'.', b'!', b'?', &bytes[i..chunk.end]) {
                Some(p) => i += p,
                None => break,
            }
            let b = bytes[i];
            if matches!(b, b'.' | b'!' | b'?') {
                let mut j = i + 1;
                loop {
                    while j < chunk.end && matches!(bytes[j], b'"' | b')' | b'.' | b'!' | b'?') {
                        j += 1;
                    }
                    // French spacing before a closing quote: "livrerons. »"
                    if j + 1 < chunk.end
                        && bytes[j] == b' '
                        && bytes[j + 1] == b'"'
                        && self.closing_quote(norm, orig, j + 1)
                    {
                        j += 2;
                        continue;
                    }
                    break;
                }
                if j < chunk.end && matches!(bytes[j], b' ' | b'\n') {
                    let mut k = j;
                    while k < chunk.end && matches!(bytes[k], b' ' | b'\n') {
                        k += 1;
                    }
                    if k < chunk.end
                        && self.starts_sentence(norm, orig, k)
                        && !(b == b'.' && self.is_abbrev(text, s, i))
                    {
                        push(text, s..j, paragraph, false, out);
                        s = k;
                        i = k;
                        continue;
                    }
                }
                // "invasion.She emphasized": a period glued to the next sentence in careless
                // copy (a lowercase word, the period, a capitalised word) ends the sentence;
                // "U.S.", "rt.com" and "No.1" do not match
                if b == b'.' && j == i + 1 && self.glued_sentence_end(norm, orig, s, i, chunk.end) {
                    push(text, s..j, paragraph, false, out);
                    s = j;
                    i = j;
                    continue;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        push(text, s..chunk.end, paragraph, false, out);
        if lines == 1 && out.len() == before + 1 {
            let t = text[out[before].range.clone()].trim_end();
            out[before].headline = !t.ends_with(['.', '!', '?', '"']);
        }
    }

    /// Whether the period at `i` ends a sentence glued to the next one: at least two
    /// lowercase letters before it, and a capitalised word right after it.
    fn glued_sentence_end(
        &self,
        norm: &Normalized,
        orig: &str,
        s: usize,
        i: usize,
        end: usize,
    ) -> bool {
        let t = norm.text.as_bytes();
        if i < s + 2 || i + 2 >= end {
            return false;
        }
        let lower_before = t[i - 1].is_ascii_lowercase() && t[i - 2].is_ascii_lowercase();
        let word_after = t[i + 1].is_ascii_alphabetic() && t[i + 2].is_ascii_lowercase();
        if !(lower_before && word_after) || self.is_abbrev(&norm.text, s, i) {
            return false;
        }
        let o = norm.map.to_orig_start(i + 1);
        let ob = norm.map.to_orig_start(i - 1);
        let ob2 = norm.map.to_orig_start(i - 2);
        // ("World War II.The media": a capitalised word of two letters or more before,
        // when the word after reads as a word, "The"; "U.S.Army" has one letter)
        let after_word = t.get(i + 3).is_some_and(|c| c.is_ascii_lowercase());
        let before_ok = orig[ob..].chars().next().is_some_and(char::is_lowercase)
            || (after_word
                && orig[ob..].chars().next().is_some_and(char::is_uppercase)
                && orig[ob2..].chars().next().is_some_and(char::is_uppercase));
        orig[o..].chars().next().is_some_and(char::is_uppercase) && before_ok
    }

    /// Whether a sentence may start at `k`: a capital letter or digit in the original,
    /// or an opening quote, dash or bracket.
    fn starts_sentence(&self, norm: &Normalized, orig: &str, k: usize) -> bool {
        let o = norm.map.to_orig_start(k);
        match orig.get(o..).and_then(|s| s.chars().next()) {
            Some(c) => c.is_uppercase() || c.is_ascii_digit() || "\"'«“‘([-–—".contains(c),
            None => false,
        }
    }

    fn closing_quote(&self, norm: &Normalized, orig: &str, k: usize) -> bool {
        let o = norm.map.to_orig_start(k);
        matches!(
            orig.get(o..).and_then(|s| s.chars().next()),
            Some('»' | '”' | '’')
        )
    }

    /// Whether the word ending at the period `dot` is an abbreviation or an initial.
    fn is_abbrev(&self, text: &str, sentence_start: usize, dot: usize) -> bool {
        let word_start = text[sentence_start..dot]
            .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"')
            .map_or(sentence_start, |p| sentence_start + p + 1);
        let word = &text[word_start..dot];
        if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
            return true; // an initial: "J. Biden"
        }
        // "U.S." / "J.-C.": letters separated by dots
        if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
            return true;
        }
        self.abbrev.contains(word)
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

/// The longest sentence the later stages see, in bytes. Real sentences are far shorter
/// (the longest in the White House archive run to about 1,500 bytes); text without
/// sentence punctuation is cut into pieces of at most this size, so that the work per
/// sentence is bounded and the whole pipeline stays linear in the input.
pub const MAX_SENTENCE: usize = 2_000;

fn push(text: &str, r: Range<usize>, paragraph: usize, headline: bool, out: &mut Vec<Sentence>) {
    let slice = &text[r.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let mut start = r.start + lead;
    let end = start + trimmed.len();
    let mut capped = false;
    // an overlong sentence is cut at a clause mark in the second half of the window, else
    // at a space, else at a character boundary
    while end - start > MAX_SENTENCE {
        // window and half-way mark on character boundaries (found by fuzzing: a character
        // of several bytes across either mark panicked)
        let mut wend = start + MAX_SENTENCE;
        while !text.is_char_boundary(wend) {
            wend -= 1;
        }
        let win = &text[start..wend];
        let mut half = MAX_SENTENCE / 2;
        while !win.is_char_boundary(half) {
            half -= 1;
        }
        let at_mark = win[half..].rfind([';', ':', ',']).map(|i| half + i + 1);
        let at_space = || win[half..].rfind(' ').map(|i| half + i + 1);
        let mut cut = at_mark.or_else(at_space).unwrap_or(MAX_SENTENCE);
        while !text.is_char_boundary(start + cut) {
            cut -= 1;
        }
        let piece = text[start..start + cut].trim_end();
        out.push(Sentence {
            range: start..start + piece.len(),
            paragraph,
            headline: false,
            capped: true,
        });
        start += cut;
        start += text[start..end].len() - text[start..end].trim_start().len();
        capped = true;
    }
    if start < end {
        out.push(Sentence {
            range: start..end,
            paragraph,
            headline: headline && !capped,
            capped,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{fold_chain, normalize};

    fn sents(t: &str) -> Vec<String> {
        let n = normalize(t, &fold_chain());
        Segmenter::new()
            .split(&n, t, Lang::Fr)
            .into_iter()
            .map(|s| {
                t[n.map.to_orig_start(s.range.start)..n.map.to_orig_end(s.range.end)].to_string()
            })
            .collect()
    }

    #[test]
    fn overlong_text_is_cut_into_bounded_pieces() {
        let t = "word ".repeat(3_000) + "et fin, encore " + &"mot ".repeat(2_000);
        let n = normalize(&t, &fold_chain());
        let got = Segmenter::new().split(&n, &t, Lang::Fr);
        assert!(got.len() >= 6, "{}", got.len());
        assert!(got.iter().all(|s| s.range.len() <= MAX_SENTENCE));
        assert!(got.iter().all(|s| s.capped));
        // the pieces cover the text without overlap, cut at spaces
        for w in got.windows(2) {
            assert!(w[0].range.end < w[1].range.start);
            assert_eq!(&t[w[0].range.end..w[1].range.start].trim(), &"");
        }
        // an ordinary sentence is not capped
        let t = "Le Canada enverra quatre chars.";
        let n = normalize(t, &fold_chain());
        let got = Segmenter::new().split(&n, t, Lang::Fr);
        assert!(!got[0].capped);
    }

    /// Found by `fuzz/fuzz_extract`: the cutting window of an overlong run ended, or
    /// had its half-way mark, inside a character of several bytes and panicked.
    #[test]
    fn overlong_run_cut_next_to_a_multibyte_character() {
        for before in [MAX_SENTENCE - 1, MAX_SENTENCE / 2 - 1, MAX_SENTENCE - 2] {
            let t = "x".repeat(before) + "\u{FFFD}" + &"x".repeat(1_500);
            let n = normalize(&t, &fold_chain());
            let got = Segmenter::new().split(&n, &t, Lang::En);
            assert!(got.len() >= 2, "{before}: {}", got.len());
            assert!(got
                .iter()
                .all(|s| s.capped && s.range.len() <= MAX_SENTENCE));
            // nothing lost, nothing doubled: the pieces (no spaces to drop) make the text
            let joined: String = got.iter().map(|s| &n.text[s.range.clone()]).collect();
            assert_eq!(joined, n.text, "{before}");
        }
    }

    #[test]
    fn an_enumerated_list_continues_its_sentence() {
        let t = "I hereby grant the Minister these powers, so that Ukraine is helped:\n\n  (1)  the power to pay up to $5 million;\nand\n\n  (2)  the power to send up to $5 million in arms.\n\nPublish this note.\n\nA list:\n\n- not enumerated";
        let got = sents(t);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(
            got[0].starts_with("I hereby") && got[0].ends_with("in arms."),
            "{got:?}"
        );
        assert_eq!(got[1], "Publish this note.");
        assert_eq!(got[2], "A list:");
    }

    #[test]
    fn a_period_glued_after_a_roman_numeral_ends_the_sentence() {
        let got =
            sents("It opened after World War II.The parade shows captured tanks. See U.K.The end.");
        assert_eq!(got[0], "It opened after World War II.");
        assert_eq!(got[1], "The parade shows captured tanks.");
    }

    #[test]
    fn a_period_glued_to_the_next_sentence_ends_it() {
        let got = sents(
            "Kiev a reçu des chars.Le ministre a confirmé la livraison. Voir rt.com et U.S.Army.",
        );
        assert_eq!(
            got,
            vec![
                "Kiev a reçu des chars.",
                "Le ministre a confirmé la livraison.",
                "Voir rt.com et U.S.Army."
            ]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        let got =
            sents("M. Dupont a parlé aux U.S. Marines. Le Pentagone a confirmé. J. Biden aussi.");
        assert_eq!(
            got,
            vec![
                "M. Dupont a parlé aux U.S. Marines.",
                "Le Pentagone a confirmé.",
                "J. Biden aussi."
            ]
        );
    }

    #[test]
    fn headlines_and_quotes() {
        let got =
            sents("Titre sans point\n\n« Nous livrerons. » Il l’a dit. “Vite !” a-t-il ajouté.");
        assert_eq!(got[0], "Titre sans point");
        assert_eq!(got[1], "« Nous livrerons. »");
        assert_eq!(got[2], "Il l’a dit.");
        let n = normalize("Titre sans point\n\nTexte.", &fold_chain());
        let s = Segmenter::new().split(&n, "Titre sans point\n\nTexte.", Lang::Fr);
        assert!(s[0].headline && !s[1].headline);
        assert_eq!(s[1].paragraph, 1);
    }

    #[test]
    fn joins_hard_wrapped_lines_but_not_short_ones() {
        let t = "The Pentagon said on Tuesday that it would send more\nartillery shells to Kyiv next month.\nREAD MORE:\nA related headline";
        let got = sents(t);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].starts_with("The Pentagon") && got[0].ends_with("month."));
        assert_eq!(got[1], "READ MORE:");
    }
}
