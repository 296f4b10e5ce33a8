//! Fast path (issue 9): which sentences of a folded text could report an aid event.
//!
//! A sentence yields an event only when the gazetteer finds in it a trigger word and an
//! aid object (a weapon system, aid equipment, a transfer noun such as "shipment", or an
//! item anaphor such as "these systems"): see `events::sentence_events`. The
//! [`Prefilter`] is one Aho-Corasick automaton over just those aliases of the gazetteer,
//! taken from the same data files when the gazetteer is built (the gazetteer searches the
//! other aliases with a second automaton and reuses these matches). It reports every
//! place the gazetteer could match one of them, before the gazetteer's case, word-end,
//! language and longest-match checks, so its candidate sentences are a superset of the
//! sentences that hold a trigger mention and an aid-object mention. A document without a
//! candidate sentence yields no record, and the pipeline skips the rest of its gazetteer
//! search, its roles, voices and sentence stages.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, BuildError, MatchKind};

use crate::segment::Sentence;
use crate::Lang;

/// Bits of a pattern's role, per language.
pub(crate) const TRIGGER: u8 = 1;
pub(crate) const OBJECT: u8 = 2;

/// The role bits of `role` (TRIGGER | OBJECT) for `lang`, or for both languages.
pub(crate) fn lang_bits(role: u8, lang: Option<Lang>) -> u8 {
    match lang {
        Some(Lang::En) => role,
        Some(Lang::Fr) => role << 2,
        None => role | (role << 2),
    }
}

/// A match of a gazetteer alias at the start of a word of the flattened folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    /// The alias (an index into the gazetteer's aliases).
    pub(crate) key: usize,
    /// Its role bits (see [`lang_bits`]).
    pub(crate) role: u8,
}

/// Trigger and aid-object aliases of the gazetteer, as one automaton.
pub struct Prefilter {
    ac: AhoCorasick,
    /// Per pattern: the gazetteer's alias index and its role bits.
    keys: Vec<(usize, u8)>,
}

impl Prefilter {
    /// `keys` are the gazetteer's folded aliases, `roles` their role bits (see
    /// [`lang_bits`]); keys without a role are left out.
    pub(crate) fn new(keys: &[String], roles: &[u8]) -> Result<Prefilter, BuildError> {
        let ids: Vec<(usize, u8)> = roles
            .iter()
            .enumerate()
            .filter(|(_, &r)| r != 0)
            .map(|(i, &r)| (i, r))
            .collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(ids.iter().map(|&(i, _)| &keys[i]))?;
        Ok(Prefilter { ac, keys: ids })
    }

    /// Number of aliases in the automaton.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every match at the start of a word in `flat` (see `gazetteer::flatten`), overlapping
    /// ones included, as the gazetteer's own search would see them.
    pub fn hits(&self, flat: &[u8]) -> Vec<Hit> {
        self.ac
            .find_overlapping_iter(flat)
            .filter_map(|m| {
                let s = m.start();
                // the gazetteer only matches at the start of a word
                if s > 0 && crate::gazetteer::is_word(flat[s - 1]) {
                    return None;
                }
                let (key, role) = self.keys[m.pattern().as_usize()];
                Some(Hit {
                    start: s,
                    end: m.end(),
                    key,
                    role,
                })
            })
            .collect()
    }

    /// For each sentence (as the segmenter cut the folded text), whether a trigger alias
    /// and an aid-object alias of `lang` both start inside it, among `hits`.
    pub fn candidates(&self, hits: &[Hit], lang: Lang, sentences: &[Sentence]) -> Vec<bool> {
        let shift = match lang {
            Lang::En => 0,
            Lang::Fr => 2,
        };
        let mut seen = vec![0u8; sentences.len()];
        for h in hits {
            let role = (h.role >> shift) & (TRIGGER | OBJECT);
            if role == 0 {
                continue;
            }
            // the sentence the match starts in (`Doc::mentions_in` takes a mention by its
            // start, even one running past the sentence's end)
            let s = h.start;
            let si = sentences.partition_point(|x| x.range.end <= s);
            if sentences.get(si).is_some_and(|x| x.range.start <= s) {
                seen[si] |= role;
            }
        }
        seen.into_iter().map(|r| r == TRIGGER | OBJECT).collect()
    }
}
