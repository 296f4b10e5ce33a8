//! Language identification by function-word counts (`data/lexicon/stopwords.tsv`).
//!
//! News articles are long enough that counting the most frequent function words of
//! each language separates French from English reliably; a handful of other languages
//! are listed so that a German or Spanish article is reported as unsupported instead
//! of being read as whichever of French or English it resembles more. Texts mostly in
//! a non-Latin script are reported by script.

use std::collections::HashMap;

const STOPWORDS: &str = include_str!("../../../data/lexicon/stopwords.tsv");

pub struct LangId {
    words: HashMap<&'static str, Vec<usize>>,
    langs: Vec<&'static str>,
}

impl LangId {
    pub fn new() -> LangId {
        let mut words: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut langs = Vec::new();
        for line in STOPWORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let Some((lang, ws)) = line.split_once('\t') else {
                continue;
            };
            let id = langs.len();
            langs.push(lang.trim());
            for w in ws.split_whitespace() {
                words.entry(w).or_default().push(id);
            }
        }
        LangId { words, langs }
    }

    /// ISO 639-1 code of the folded text's language, or a script name for non-Latin
    /// text; `None` when there is too little text to tell.
    pub fn detect(&self, folded: &str) -> Option<String> {
        let mut counts = vec![0usize; self.langs.len()];
        let (mut latin, mut other) = (0usize, 0usize);
        let mut seen = 0;
        for w in folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            seen += 1;
            if seen > 2000 {
                break;
            }
            let c = w.chars().next().unwrap_or(' ');
            if c.is_ascii_alphabetic() {
                latin += 1;
            } else if c.is_alphabetic() {
                other += 1;
            }
            if let Some(ids) = self.words.get(w) {
                for &i in ids {
                    counts[i] += 1;
                }
            }
        }
        if other > latin {
            return Some(script_name(folded).to_string());
        }
        let (best, &n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
        if n == 0 {
            return None;
        }
        Some(self.langs[best].to_string())
    }
}

impl Default for LangId {
    fn default() -> Self {
        Self::new()
    }
}

fn script_name(s: &str) -> &'static str {
    match s
        .chars()
        .find(|c| c.is_alphabetic() && !c.is_ascii())
        .map(|c| c as u32)
    {
        Some(0x0400..=0x04FF) => "cyrillic",
        Some(0x0600..=0x06FF) => "arabic",
        Some(0x0590..=0x05FF) => "hebrew",
        Some(0x4E00..=0x9FFF | 0x3040..=0x30FF) => "cjk",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn tells_french_english_and_others_apart() {
        let l = LangId::new();
        assert_eq!(
            l.detect(&fold(
                "Les États-Unis ont livré des obus à l’Ukraine, a déclaré le ministre."
            ))
            .as_deref(),
            Some("fr")
        );
        assert_eq!(
            l.detect(&fold(
                "The United States has sent more shells to Ukraine, the minister said."
            ))
            .as_deref(),
            Some("en")
        );
        assert_eq!(
            l.detect(&fold(
                "Die Bundesregierung hat der Ukraine weitere Panzer zugesagt, sagte der Minister."
            ))
            .as_deref(),
            Some("de")
        );
        assert_eq!(
            l.detect(&fold("Министр обороны заявил о поставках"))
                .as_deref(),
            Some("cyrillic")
        );
        assert_eq!(l.detect("12345 !!!"), None);
    }
}
