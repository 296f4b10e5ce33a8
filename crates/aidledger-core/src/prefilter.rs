//! Fast path (issue 9): which sentences of a folded text could report an aid event.
//!
//! A sentence yields an event only when the gazetteer finds in it a trigger word and an
//! aid object (a weapon system, aid equipment, a transfer noun such as "shipment", or an
//! item anaphor such as "these systems"): see `events::sentence_events` and
//! [`crate::gazetteer::Gazetteer::is_aid_object`]. When the gazetteer is built, each of
//! its aliases is marked with the roles it can play, per language, from the data files
//! (`triggers.tsv`, `weapons.tsv`, `equipment.tsv`, `cues.tsv`). [`candidates`] reads
//! the raw matches of the gazetteer's automaton ([`crate::gazetteer::Gazetteer::hits`]),
//! before its case, language and longest-match checks (hits dropped by its word-end
//! check could never become mentions), so its candidate sentences are a superset of the
//! sentences that hold a trigger mention and an aid-object mention. A document without a candidate sentence yields no record: the
//! pipeline skips the rest of its gazetteer search, its roles, voices and sentence stages,
//! and stops the sentence stages after the last candidate and the lists that follow it.

use crate::segment::Sentence;
use crate::Lang;

/// Bits of an alias's role, per language.
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

/// A match of a gazetteer alias at the start of a word of the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    /// The alias (an index into the gazetteer's aliases).
    pub(crate) key: u32,
    /// Its role bits (see [`lang_bits`]).
    pub(crate) role: u8,
}

/// For each sentence (as the segmenter cut the folded text), whether a trigger alias and
/// an aid-object alias of `lang` both start inside it, among `hits`.
pub fn candidates(hits: &[Hit], lang: Lang, sentences: &[Sentence]) -> Vec<bool> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::segment::Segmenter;
    use crate::text::{fold_chain, normalize};

    fn cands(text: &str, lang: Lang) -> Vec<bool> {
        let g = Gazetteer::load().unwrap();
        let norm = normalize(text, &fold_chain());
        let sentences = Segmenter::new().split(&norm, text, lang);
        candidates(&g.hits(norm.text.as_bytes()), lang, &sentences)
    }

    #[test]
    fn a_trigger_and_an_aid_object_in_one_sentence() {
        // trigger alone, object alone, both, neither
        let t = "Germany promised more. The Patriot is old. Norway will send NASAMS. It rained.";
        assert_eq!(cands(t, Lang::En), vec![false, false, true, false]);
        // accents, typographic apostrophes and case fold as the gazetteer folds them
        let t = "Il a plu. La FRANCE a LIVRÉ des canons Caesar à l’Ukraine.";
        assert_eq!(cands(t, Lang::Fr), vec![false, true]);
    }

    #[test]
    fn triggers_count_only_in_their_language() {
        // "livraison" is a French transfer noun; the sentence holds no English trigger
        let t = "Livraison of HIMARS launchers.";
        assert_eq!(cands(t, Lang::En), vec![false]);
        assert_eq!(cands(t, Lang::Fr), vec![true]);
    }
}
