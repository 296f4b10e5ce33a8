//! Tense and mood of a trigger verb, read from its ending and the auxiliaries before it.
//! French morphology ("fournira" future, "fournirait" conditional, "a fourni" past,
//! "fournissant" participle) and English auxiliaries ("will provide", "has sent",
//! "is sending"). The endings are grammar, not vocabulary, so they live here; the
//! auxiliaries come from the cue lexicon.

use crate::doc::Doc;
use crate::gazetteer::{Cue, Gazetteer};
use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// "fournira", "will send", "seront livrés"
    Future,
    /// "fournirait", "would send"
    Conditional,
    /// "a fourni", "sent", "ont été livrés"
    Past,
    /// "fournit", "sends"
    Present,
    /// "is sending", "sont en train de"
    Progressive,
    /// "fournissant", "providing" without auxiliary
    Participle,
    /// "fourni" / "provided" without auxiliary (an adjective: "l'aide fournie à Kiev")
    BareParticiple,
    /// "fournir", "to send"
    Infinitive,
    /// a noun, not a verb form ("fournisseurs", "delivery")
    Nominal,
}

const FR_FUTURE: [&str; 6] = ["ront", "rons", "rez", "rai", "ras", "ra"];
const FR_COND: [&str; 5] = ["raient", "rait", "rions", "riez", "rais"];
const FR_PARTICIPLE: [&str; 14] = [
    "ees", "ee", "es", "e", "ies", "ie", "is", "i", "ues", "ue", "us", "u", "erts", "ert",
];
const FR_NOUN: [&str; 6] = ["eur", "eurs", "ion", "ions", "ment", "ments"];
const EN_IRREGULAR_PAST: [&str; 12] = [
    "sent",
    "gave",
    "given",
    "sold",
    "brought",
    "shipped",
    "supplied",
    "made",
    "handed",
    "led",
    "put",
    "dispatched",
];

/// Reads the tense of the verb at word `w`.
pub fn tense_of(doc: &Doc, gaz: &Gazetteer, w: usize) -> Tense {
    match doc.lang {
        Lang::Fr => tense_fr(doc, gaz, w),
        Lang::En => tense_en(doc, gaz, w),
    }
}

/// Looks back over up to `n` words (skipping adverbs and pronouns is approximated by
/// the window) for an auxiliary of the given cue.
fn aux_before(doc: &Doc, gaz: &Gazetteer, w: usize, n: usize, cue: Cue) -> Option<usize> {
    (w.saturating_sub(n)..w)
        .rev()
        .find(|&i| doc.word_is(gaz, i, cue))
}

fn tense_fr(doc: &Doc, gaz: &Gazetteer, w: usize) -> Tense {
    let word = doc.word(w);
    if FR_NOUN.iter().any(|s| word.ends_with(s)) {
        return Tense::Nominal;
    }
    if word.ends_with("ant") {
        return Tense::Participle;
    }
    if FR_COND.iter().any(|s| word.ends_with(s)) && word.len() > 5 {
        return Tense::Conditional;
    }
    if FR_FUTURE.iter().any(|s| word.ends_with(s)) && word.len() > 5 {
        return Tense::Future;
    }
    let be = aux_before(doc, gaz, w, 3, Cue::BeAux);
    let have = aux_before(doc, gaz, w, 3, Cue::PastAux);
    if FR_PARTICIPLE.iter().any(|s| word.ends_with(s)) && (be.is_some() || have.is_some()) {
        let aux = doc.word(be.or(have).unwrap_or(w));
        if aux.starts_with("ser") || aux.starts_with("aur") {
            return Tense::Future;
        }
        if aux == "etre" {
            return Tense::Infinitive;
        }
        return Tense::Past;
    }
    if word.ends_with("er") || word.ends_with("ir") || word.ends_with("re") {
        if aux_before(doc, gaz, w, 2, Cue::Future).is_some() {
            return Tense::Future;
        }
        return Tense::Infinitive;
    }
    if FR_PARTICIPLE.iter().any(|s| word.ends_with(s)) && !word.ends_with("ent") {
        // "envoie" is present; "fourni", "livrées" without auxiliary are adjectives
        if word.ends_with("ie") && word.len() > 4 && !word.ends_with("nie") {
            return Tense::Present;
        }
        return Tense::BareParticiple;
    }
    Tense::Present
}

fn tense_en(doc: &Doc, gaz: &Gazetteer, w: usize) -> Tense {
    let word = doc.word(w);
    let prev = |k: usize| if w >= k { doc.word(w - k) } else { "" };
    if aux_before(doc, gaz, w, 3, Cue::Future).is_some() || (prev(2) == "going" && prev(1) == "to")
    {
        return Tense::Future;
    }
    if aux_before(doc, gaz, w, 3, Cue::Conditional).is_some() {
        return Tense::Conditional;
    }
    let agent_noun = ["ier", "iers", "ider", "iders"]
        .iter()
        .any(|s| word.ends_with(s));
    if word.ends_with("ery")
        || word.ends_with("eries")
        || word.ends_with("ment")
        || word.ends_with("ments")
        || word.ends_with("ion")
        || agent_noun
    {
        return Tense::Nominal;
    }
    // "to send", "to quickly approve", "to be provided"; "are going to be provided" and
    // "is to be delivered" are future
    let to = |k: usize| w >= k && doc.word_is(gaz, w - k, Cue::To);
    let participle = word.ends_with("ed") || EN_IRREGULAR_PAST.contains(&word);
    if to(2) && prev(1) == "be" && participle {
        let ahead = prev(3) == "going" || (w >= 3 && doc.word_is(gaz, w - 3, Cue::BeAux));
        return if ahead {
            Tense::Future
        } else {
            Tense::Infinitive
        };
    }
    if to(1) || (to(2) && prev(1).ends_with("ly")) {
        return Tense::Infinitive;
    }
    let be = aux_before(doc, gaz, w, 2, Cue::BeAux);
    let have = aux_before(doc, gaz, w, 2, Cue::PastAux);
    if word.ends_with("ing") {
        return if be.is_some() {
            Tense::Progressive
        } else {
            Tense::Participle
        };
    }
    if word.ends_with("ed") || EN_IRREGULAR_PAST.contains(&word) {
        return Tense::Past;
    }
    if have.is_some() {
        return Tense::Past;
    }
    Tense::Present
}
