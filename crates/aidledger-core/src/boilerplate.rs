//! Boilerplate stage: finds page furniture in plain text (rating widgets, "LIRE LA
//! SUITE" related links, comment forms) so later stages skip it, and reads the
//! "La source: www.rt.com" line as the document's source. Patterns live in
//! `data/lexicon/boilerplate.tsv`.

use std::ops::Range;

const BOILERPLATE: &str = include_str!("../../../data/lexicon/boilerplate.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Line,
    Next,
    Source,
    Tail,
}

/// Compiled boilerplate patterns.
pub struct Boilerplate {
    patterns: Vec<(Kind, String)>,
}

/// Boilerplate found in one folded text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Byte ranges of the folded text that are not content.
    pub ranges: Vec<Range<usize>>,
    /// Byte range (folded text) of the source named by a "La source:" line.
    pub source: Option<Range<usize>>,
}

impl Found {
    pub fn contains(&self, pos: usize) -> bool {
        self.ranges.iter().any(|r| r.contains(&pos))
    }
}

impl Boilerplate {
    pub fn load() -> Result<Boilerplate, crate::gazetteer::DataError> {
        let mut patterns = Vec::new();
        for (i, line) in BOILERPLATE.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |m: &str| crate::gazetteer::DataError {
                file: "lexicon/boilerplate.tsv",
                line: i + 1,
                message: m.to_string(),
            };
            let (kind, pat) = line
                .split_once('\t')
                .ok_or_else(|| err("expected kind<TAB>pattern"))?;
            let kind = match kind.trim() {
                "line" => Kind::Line,
                "next" => Kind::Next,
                "source" => Kind::Source,
                "tail" => Kind::Tail,
                k => return Err(err(&format!("unknown kind {k:?}"))),
            };
            patterns.push((kind, crate::text::fold(pat.trim())));
        }
        Ok(Boilerplate { patterns })
    }

    /// Scans folded text line by line.
    pub fn find(&self, folded: &str) -> Found {
        let mut found = Found::default();
        let mut offset = 0;
        let mut take_next = false;
        let lines = crate::text::split_lines(folded);
        for (li, raw) in lines.iter().enumerate() {
            let start = offset;
            offset += raw.len() + 1;
            let lead = raw.len() - raw.trim_start().len();
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let range = start + lead..start + lead + line.len();
            if take_next {
                take_next = false;
                found.ranges.push(range);
                continue;
            }
            let stripped = line.trim_start_matches(|c: char| !c.is_alphanumeric());
            let first = stripped.as_bytes().first();
            for (kind, pat) in &self.patterns {
                // (the first byte first: most lines start like no pattern)
                if pat.as_bytes().first().is_some_and(|b| Some(b) != first)
                    || !stripped.starts_with(pat.as_str())
                {
                    continue;
                }
                match kind {
                    Kind::Line => found.ranges.push(range.clone()),
                    Kind::Next => {
                        found.ranges.push(range.clone());
                        let rest =
                            stripped[pat.len()..].trim_matches(|c: char| !c.is_alphanumeric());
                        take_next = rest.is_empty();
                    }
                    Kind::Source => {
                        found.ranges.push(range.clone());
                        let rest_start = range.end - (stripped.len() - pat.len());
                        let rest = &folded[rest_start..range.end];
                        let trimmed = rest.trim();
                        if !trimmed.is_empty() {
                            let s = rest_start + (rest.len() - rest.trim_start().len());
                            found.source = Some(s..s + trimmed.len());
                        }
                    }
                    Kind::Tail => {
                        if line.len() > pat.len() + 20 {
                            continue;
                        }
                        let _ = li;
                        found.ranges.push(range.start..folded.len());
                        return found;
                    }
                }
                break;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_widgets_related_links_and_source() {
        let b = Boilerplate::load().unwrap();
        let text = "des armes ont ete livrees.\n\nlire la suite:\nun titre lie\n\nla source: www.example.org\n\ncliquez sur une etoile pour la noter !\n\nleave a reply\n\nyour email address...";
        let f = b.find(text);
        assert!(!f.contains(0));
        assert!(f.contains(text.find("un titre").unwrap()));
        assert!(f.contains(text.find("cliquez").unwrap()));
        assert!(f.contains(text.find("your email").unwrap()));
        let s = f.source.unwrap();
        assert_eq!(&text[s], "www.example.org");
    }

    #[test]
    fn inline_read_more_keeps_next_line() {
        let b = Boilerplate::load().unwrap();
        let text = "lire la suite biden parle apres les frappes\nle pentagone a livre des obus.";
        let f = b.find(text);
        assert!(f.contains(0));
        assert!(!f.contains(text.find("le pentagone").unwrap()));
    }
}
