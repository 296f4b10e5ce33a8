//! The document being annotated: original text, folded text with its offset map,
//! and the annotations each stage adds (boilerplate, sentences, gazetteer mentions,
//! word tokens). All spans here are byte ranges of the *folded* text; [`Doc::orig_span`]
//! turns them into spans of the original.

use std::ops::Range;

use jiff::civil::Date;

use crate::boilerplate;
use crate::gazetteer::{Cue, Entry, Gazetteer, Mention};
use crate::segment::Sentence;
use crate::text::Normalized;
use crate::Lang;

pub struct Doc<'a> {
    pub id: &'a str,
    pub orig: &'a str,
    pub norm: Normalized,
    pub lang: Lang,
    /// Publication date relative dates are resolved against.
    pub reference: Option<Date>,
    /// The publication date as precise as it was given (`2022-10`, `2022-10-12`).
    pub reference_text: Option<String>,
    pub boiler: boilerplate::Found,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    /// Word tokens: runs of letters and digits, an elided article keeping its apostrophe ("l'").
    pub words: Vec<Range<usize>>,
}

impl<'a> Doc<'a> {
    pub fn text(&self) -> &str {
        &self.norm.text
    }

    /// The original-text byte range of a folded range.
    pub fn orig_span(&self, r: &Range<usize>) -> Range<usize> {
        self.norm.map.to_orig_start(r.start)..self.norm.map.to_orig_end(r.end)
    }

    /// The original text of a folded range.
    pub fn orig_text(&self, r: &Range<usize>) -> &'a str {
        let o = self.orig_span(r);
        self.orig.get(o).unwrap_or("")
    }

    /// Mentions that lie inside `r`.
    pub fn mentions_in(&self, r: &Range<usize>) -> &[Mention] {
        if r.start >= r.end {
            return &[];
        }
        let lo = self.mentions.partition_point(|m| m.start < r.start);
        let hi = self.mentions.partition_point(|m| m.start < r.end);
        let ms = &self.mentions[lo..hi];
        let n = ms.iter().rposition(|m| m.end <= r.end).map_or(0, |p| p + 1);
        &ms[..n]
    }

    /// Index of the first word starting at or after `pos`.
    pub fn word_at(&self, pos: usize) -> usize {
        self.words.partition_point(|w| w.end <= pos)
    }

    pub fn word(&self, i: usize) -> &str {
        self.words.get(i).map_or("", |w| &self.norm.text[w.clone()])
    }

    /// A word as written in the original (case and accents kept).
    pub fn orig_word(&self, i: usize) -> &'a str {
        self.words.get(i).map_or("", |w| self.orig_text(w))
    }

    /// Whether word `i` is in a cue word list of the document's language.
    pub fn word_is(&self, gaz: &Gazetteer, i: usize, cue: Cue) -> bool {
        self.words.get(i).is_some() && gaz.in_list(self.lang, cue, self.orig_word(i))
    }

    /// The words between two positions.
    pub fn words_between(&self, a: usize, b: usize) -> Range<usize> {
        self.word_at(a)..self.word_at(b)
    }

    /// Cue mentions of a kind inside a range.
    pub fn cues_in(&self, r: &Range<usize>, cue: Cue) -> impl Iterator<Item = &Mention> {
        self.mentions_in(r)
            .iter()
            .filter(move |m| matches!(m.entry, Entry::Cue(c, _) if c == cue))
    }
}

/// Whether a byte of folded text belongs to a word: an ASCII letter or digit, or any
/// byte of a multi-byte character (a table: the gazetteer's scan and the tokenizer read
/// it for every byte).
#[inline]
pub(crate) fn is_word(b: u8) -> bool {
    WORD_BYTE[b as usize]
}

static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b >= 0x80;
        b += 1;
    }
    t
};

/// Splits folded text into word tokens.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    // (about one word in six bytes of running text)
    let mut out = Vec::with_capacity(b.len() / 6);
    let mut i = 0;
    while i < b.len() {
        if !is_word(b[i]) {
            i += 1;
            continue;
        }
        let (run_end, token_end) = word_from(b, i);
        out.push(i..token_end);
        i = run_end.max(token_end);
    }
    out
}

/// The word starting at byte `s` of `b` (a word byte): where its run of word bytes ends,
/// and where its token ends, which keeps an elision's apostrophe with its word ("l'",
/// "qu'"). [`tokenize`] and the gazetteer's scan both cut words here.
#[inline]
pub(crate) fn word_from(b: &[u8], s: usize) -> (usize, usize) {
    let mut i = s;
    while i < b.len() && is_word(b[i]) {
        i += 1;
    }
    let elision = i + 1 < b.len() && b[i] == b'\'' && is_word(b[i + 1]) && i - s <= 3;
    (i, i + usize::from(elision))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_elisions() {
        let t = "l'ukraine a recu qu'il 16,8 f-16";
        let w: Vec<&str> = tokenize(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            w,
            vec!["l'", "ukraine", "a", "recu", "qu'", "il", "16", "8", "f", "16"]
        );
    }
}
