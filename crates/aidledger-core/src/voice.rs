//! Voice stage: who speaks when a sentence names no speaker of its own.
//!
//! Two sources, both read once per document:
//!
//! - **Turn labels** of transcripts ("MS. PSAKI:", "MR. KIRBY:", "THE PRESIDENT:",
//!   "Q"): each sentence after a label up to the next is that speaker's. A label is a
//!   line that opens with a few words in capitals and a colon. A reporter's turn ("Q")
//!   has no speaker (and the event stage reads nothing from it).
//! - **The official voice** of a document published on a government's own domain
//!   (`domains` in `institutions.tsv`: a White House statement, readout or memorandum):
//!   its country is "we", "I" and "my Administration", and outside any turn its author
//!   speaks: the person the title names ("Statement by President Joe Biden"), else the
//!   person who signs it at the end, else, for a memorandum, the head of state of the
//!   time, else the institution itself.
//!
//! Sentences with a reporting verb ("Kirby said") keep the speaker the attribution stage
//! found; the voice only fills a sentence that has none.

use std::ops::Range;

use crate::attribute::Speaker;
use crate::doc::Doc;
use crate::gazetteer::{Cue, Entry, Gazetteer};

/// Words of a turn label (without the colon) at most.
const LABEL_WORDS: usize = 6;

/// The voices of one document.
#[derive(Debug, Clone, Default)]
pub struct Voice {
    /// Country of the government whose own document this is.
    pub country: Option<String>,
    /// The document's author when it is a government's own (outside any turn).
    pub author: Option<Speaker>,
    /// (folded position where a turn starts, its speaker, whether it is a reporter's).
    turns: Vec<(usize, Option<Speaker>, bool)>,
}

impl Voice {
    /// Reads the official voice (from `source` or `url`) and the turn labels of `doc`.
    pub fn find(doc: &Doc, gaz: &Gazetteer, source: Option<&str>, url: Option<&str>) -> Voice {
        let inst = [source, url]
            .into_iter()
            .flatten()
            .filter_map(host)
            .find_map(|h| {
                gaz.institutions.iter().find(|i| {
                    i.domains
                        .iter()
                        .any(|d| h == *d || h.ends_with(&format!(".{d}")))
                })
            });
        let country = inst.and_then(|i| i.country.clone());
        let mut v = Voice {
            country: country.clone(),
            author: None,
            turns: Vec::new(),
        };
        v.turns = turns(doc, gaz, &v);
        if let Some(i) = inst {
            v.author = author(doc, gaz, &v).or(Some(Speaker {
                name: Some(i.name.clone()),
                country,
                person: false,
            }));
        }
        v
    }

    /// The speaker of the sentence starting at folded position `pos`, when the sentence
    /// names none: the turn it is in, else the document's author.
    pub fn speaker_at(&self, pos: usize) -> Option<Speaker> {
        let k = self.turns.partition_point(|(p, _, _)| *p <= pos);
        if k > 0 {
            return self.turns[k - 1].1.clone();
        }
        self.author.clone()
    }

    /// Whether the sentence starting at `pos` is in a reporter's turn ("Q    Karine, ..."):
    /// a question put to the speaker asserts nothing.
    pub fn reporter_at(&self, pos: usize) -> bool {
        let k = self.turns.partition_point(|(p, _, _)| *p <= pos);
        k > 0 && self.turns[k - 1].2
    }
}

/// The lowercase host of a URL or a bare domain, without "www.".
fn host(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let h = s.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
    let h = h.strip_prefix("www.").unwrap_or(&h).to_string();
    (!h.is_empty() && h.contains('.')).then_some(h)
}

/// The head of state of `country` in the document's year, when the gazetteer has one.
fn head_of_state(doc: &Doc, gaz: &Gazetteer, country: &str) -> Option<Speaker> {
    let year = doc.reference.map(|d| d.year() as i32)?;
    let holders: Vec<_> = gaz
        .people
        .iter()
        .filter(|p| {
            p.country.as_deref() == Some(country)
                && p.roles.iter().any(|r| r == "head_of_state")
                && p.in_office(year)
        })
        .collect();
    (holders.len() == 1).then(|| Speaker::of_person(holders[0]))
}

fn person(gaz: &Gazetteer, e: Entry) -> Option<Speaker> {
    match e {
        Entry::Person(i) => Some(Speaker::of_person(&gaz.people[i as usize])),
        _ => None,
    }
}

/// The first person named in `r`.
fn person_in(doc: &Doc, gaz: &Gazetteer, r: &Range<usize>) -> Option<Speaker> {
    doc.mentions_in(r).iter().find_map(|m| person(gaz, m.entry))
}

/// The author of a government's own document: named in the title, signing at the end,
/// or the head of state for a memorandum.
fn author(doc: &Doc, gaz: &Gazetteer, v: &Voice) -> Option<Speaker> {
    let t = doc.text();
    let first_line = 0..t.find('\n').unwrap_or(t.len());
    if let Some(p) = person_in(doc, gaz, &first_line) {
        return Some(p);
    }
    // a signature: a person named alone on one of the last lines
    let tail = t.trim_end();
    let mut end = tail.len();
    for _ in 0..3 {
        let start = tail[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = start..end;
        if tail[line.clone()].trim().len() <= 40 {
            if let Some(p) = person_in(doc, gaz, &line) {
                return Some(p);
            }
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    let head = &t[..t.len().min(300)];
    if head.contains("memorandum") {
        return v
            .country
            .as_deref()
            .and_then(|c| head_of_state(doc, gaz, c));
    }
    None
}

/// Turn labels: a line opening with one to six words written in capitals and a colon.
fn turns(doc: &Doc, gaz: &Gazetteer, v: &Voice) -> Vec<(usize, Option<Speaker>, bool)> {
    let t = doc.text();
    let mut out = Vec::new();
    let mut at = 0;
    while at < t.len() {
        let line_end = memchr::memchr(b'\n', &t.as_bytes()[at..]).map_or(t.len(), |i| at + i);
        let lead = t[at..line_end].len() - t[at..line_end].trim_start().len();
        let s = at + lead;
        if let Some(label) = label_at(doc, gaz, s, line_end) {
            let reporter = label.len() == 1;
            out.push((s, speaker_of_label(doc, gaz, v, &label), reporter));
        }
        at = line_end + 1;
    }
    out
}

/// The folded range of a turn label starting at `s` ("MS. PSAKI" of "MS. PSAKI:  Thank
/// you"), or "Q" alone for a reporter.
fn label_at(doc: &Doc, gaz: &Gazetteer, s: usize, line_end: usize) -> Option<Range<usize>> {
    let t = doc.text();
    let line = &t[s..line_end];
    // a reporter: "Q", then spaces or a colon
    if line.len() > 1 && line.starts_with('q') && matches!(line.as_bytes()[1], b' ' | b':' | b'\t')
    {
        let orig = doc.orig_text(&(s..s + 1));
        if orig == "Q" {
            return Some(s..s + 1);
        }
    }
    let colon = line.get(..line.len().min(60))?.find(':')?;
    let label = s..s + colon;
    let words = t[label.clone()].split_whitespace().count();
    if words == 0 || words > LABEL_WORDS {
        return None;
    }
    let orig = doc.orig_text(&label);
    let letters = orig.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || orig.chars().any(char::is_lowercase) {
        return None;
    }
    // a speaker, not a header ("SUBJECT:", "FOR IMMEDIATE RELEASE:"): a known person or
    // an office ("MR. KIRBY", "THE PRESIDENT", "SENIOR ADMINISTRATION OFFICIAL")
    let names_someone = doc
        .mentions_in(&label)
        .iter()
        .any(|m| matches!(m.entry, Entry::Person(_) | Entry::Role(_)));
    let w = doc.word_at(label.start);
    let last = doc.word_at(label.end.saturating_sub(1));
    let titled = doc.word_is(gaz, w, Cue::TurnTitle) || doc.word_is(gaz, last, Cue::TurnTitle);
    (names_someone || titled).then_some(label)
}

fn speaker_of_label(
    doc: &Doc,
    gaz: &Gazetteer,
    v: &Voice,
    label: &Range<usize>,
) -> Option<Speaker> {
    if label.len() == 1 {
        return None; // a reporter's question
    }
    if let Some(p) = person_in(doc, gaz, label) {
        return Some(p);
    }
    let words: Vec<&str> = doc.text()[label.clone()].split_whitespace().collect();
    let country = v.country.clone();
    if words.contains(&"president") && !words.contains(&"vice") {
        if let Some(p) = country.as_deref().and_then(|c| head_of_state(doc, gaz, c)) {
            return Some(p);
        }
    }
    // an official without a name ("SENIOR ADMINISTRATION OFFICIAL") speaks for the
    // government whose document this is
    country.map(|c| Speaker {
        name: None,
        country: Some(c),
        person: false,
    })
}

#[cfg(test)]
mod tests {
    use super::host;

    #[test]
    fn hosts_of_urls_and_domains() {
        assert_eq!(host("whitehouse.gov").as_deref(), Some("whitehouse.gov"));
        assert_eq!(
            host("https://www.whitehouse.gov/briefing-room/x").as_deref(),
            Some("whitehouse.gov")
        );
        assert_eq!(host("  ").as_deref(), None);
        assert_eq!(host("Reuters").as_deref(), None);
    }
}
