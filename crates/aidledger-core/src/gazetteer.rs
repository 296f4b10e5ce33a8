//! Gazetteers and lexicons: the data files under `data/`, parsed once and compiled
//! into one Aho-Corasick automaton over folded text.
//!
//! Every alias is folded the way document text is (see [`crate::text`]), so matching
//! ignores case, diacritics and typographic variants; the case rule of each alias is
//! then checked against the original text (see `data/README.md`).

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

use crate::doc::{is_word, word_from};
use crate::prefilter::{self, Hit};

use crate::text::{fold, Normalized};
use crate::Lang;

const COUNTRIES: &str = include_str!("../../../data/gazetteer/countries.tsv");
const INSTITUTIONS: &str = include_str!("../../../data/gazetteer/institutions.tsv");
const PEOPLE: &str = include_str!("../../../data/gazetteer/people.tsv");
const WEAPONS: &str = include_str!("../../../data/gazetteer/weapons.tsv");
const EQUIPMENT: &str = include_str!("../../../data/gazetteer/equipment.tsv");
const ROLES: &str = include_str!("../../../data/gazetteer/roles.tsv");
const TRIGGERS: &str = include_str!("../../../data/lexicon/triggers.tsv");
const CUES: &str = include_str!("../../../data/lexicon/cues.tsv");
const BELLIGERENTS: &str = include_str!("../../../data/lexicon/belligerents.tsv");
const DOLLARS: &str = include_str!("../../../data/lexicon/dollars.tsv");

/// How a country is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryForm {
    Name,
    Capital,
    Demonym,
}

#[derive(Debug, Clone)]
pub struct Country {
    /// One code, or several for a group ("EST+LVA+LTU").
    pub codes: Vec<String>,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Institution {
    pub name: String,
    pub country: Option<String>,
    pub kind: String,
    /// Web domains the body publishes on: a document from one speaks in its voice.
    pub domains: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub country: Option<String>,
    pub roles: Vec<String>,
    /// Terms of office as (first year, last year), `None` for open ends.
    pub terms: Vec<(Option<i32>, Option<i32>)>,
}

impl Person {
    /// Whether the person held an office listed for them in `year`.
    pub fn in_office(&self, year: i32) -> bool {
        self.terms
            .iter()
            .any(|(f, t)| f.is_none_or(|f| f <= year) && t.is_none_or(|t| t >= year))
    }
}

#[derive(Debug, Clone)]
pub struct ItemDef {
    pub name: String,
    pub category: String,
}

#[derive(Debug, Clone)]
pub struct RoleDef {
    pub role: String,
}

/// What a trigger word says about an aid event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerClass {
    /// A word that fixes the stage by itself ("approuvé", "blocked", "promised").
    Status(crate::Status),
    /// A giving verb whose stage comes from tense and mood ("fournir", "send").
    Give,
    /// A transfer noun ("livraison", "shipment") that takes the stage of the verb governing it.
    Transfer,
    /// A verb whose subject is the recipient ("l'Ukraine a reçu"): delivered, roles reversed.
    Received,
    /// A verb of getting hold of arms ("acquiring weapons from North Korea"): read like
    /// `Received`, but only a country at war acquires aid this way; anyone else buys for
    /// its own forces, which is no aid.
    Acquired,
}

/// Small words and phrases that shape a clause: negation, reported speech, mood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Negation,
    /// A reporting verb: "a déclaré", "said".
    Say,
    /// "selon", "according to": the speaker follows.
    AccordingTo,
    /// "en cas de", "if": a conditional promise.
    Condition,
    /// "will", "va": future auxiliary.
    Future,
    /// "would", "could": conditional auxiliary.
    Conditional,
    /// Auxiliaries of compound past tenses ("a", "ont", "has", "had").
    PastAux,
    /// "be" auxiliaries ("is", "sont", "seront").
    BeAux,
    /// "to" before an infinitive.
    To,
    /// Intention: "intention de", "plans to".
    Intent,
    /// Readiness without commitment: "prêts à", "ready to".
    Ready,
    /// Relative pronouns opening a clause: "que", "which".
    Relative,
    /// First person plural: "nous", "we".
    We,
    /// Third person subject pronouns: "il", "they".
    Pronoun,
    /// A statement standing for its author: "le communiqué", "the statement".
    Statement,
    /// Clause boundary conjunctions: "tandis que", "while".
    ClauseBreak,
    /// "par", "by": the agent of a passive follows.
    By,
    /// Recipient prepositions: "à", "to", "for".
    ToRecipient,
    /// "de", "from": the origin follows.
    From,
    /// Replacement: "remplacer", "backfill".
    Replace,
    /// "des", "of the": between a part and its whole ("deux des huit").
    PartOf,
    /// Anaphoric reference to an earlier event: "cet appel", "the call".
    ThatEvent,
    /// Definite, demonstrative and possessive determiners: a trigger after one is a noun.
    Determiner,
    /// Prepositions: an actor after one is not the subject.
    Preposition,
    /// A noun phrase standing for a system named before: "le système", "these systems".
    ItemAnaphor,
    /// Words that make a clause about something other than aid: "sanctions".
    NotAidContext,
    /// Unnamed parties as subject: "partners", "les pays", "allies".
    UnnamedActor,
    /// Imminence: "dans les prochains jours", "soon": a future delivery is on its way.
    Soon,
    /// "comprend", "includes": a sentence listing what an aid package contains.
    Includes,
    /// Subject relative pronouns that open a clause of their own: "qui", "who".
    SubjectRelative,
    /// Complementizers opening reported content: "que", "that".
    Complementizer,
    /// Temporal or conditional subordinators before a passive: "when asked".
    When,
    /// Coordinating "et", "and" between names that share a verb.
    And,
    /// A cumulative figure: "since the invasion", "to date", "au total": with an amount,
    /// the record is a total, never a package.
    Cumulative,
    /// An appropriation or fund: "supplemental", "spending bill", "enveloppe": with an
    /// amount, the record is a budget that later packages draw from.
    Budget,
    /// Aid that is not military: "humanitarian", "food security": an amount right before
    /// it is not the value of any aid record.
    CivilAid,
    /// The head of a name that ends with a year: "Act of 1961", "Budapest Memorandum of
    /// 1994": that year dates nothing.
    DatedName,
    /// Superlatives ("largest"): a cumulative cue after one ("the largest package to
    /// date") does not make a total.
    Superlative,
    /// First words of a transcript's turn label that names an office ("MR.", "THE").
    TurnTitle,
    /// Ordinals and "only" ("the first country to send tanks", "le premier à livrer"): a
    /// giving infinitive after one reports a step taken, not an intention.
    Ordinal,
    /// Nouns that may stand between an ordinal and its infinitive ("the first *country*
    /// to", "le premier *membre* de l'OTAN à").
    OrdinalNoun,
    /// Nouns that make a trigger word the first half of a compound ("supply *line*",
    /// "delivery *schedule*"): the trigger is then a noun, no event.
    CompoundHead,
    /// Verbs a promise may bear on and still be aid ("pledged to *fund*", "promis de
    /// *financer*"): after "promised to" any other verb that is no trigger ("promised to
    /// deal with companies") makes the promise about something else.
    AidVerb,
    /// Openers of a span of time ("over the past", "depuis"): the time after one is a
    /// duration, not the date of the event.
    Duration,
    /// Verbs of selling ("sold", "vendu"): a sale is aid only to a country at war
    /// (`belligerents.tsv`, "fighting"); anyone else buys for its own forces.
    Sale,
    /// Verbs of destroying ("taking out", "shoot down", "abattre"): the weapons named
    /// right after one are targets, not items given.
    Target,
    /// Nouns of information ("details", "an update"): "provided them with details of a
    /// package" gives words, not the package.
    Info,
    /// Words of something new ("additional", "another", "nouveau"): an amount with one is
    /// a new package, not a running total.
    Fresh,
    /// Refusals that are statements ("ruled out", "a exclu"): their subject says so.
    RuleOut,
    /// Adverbs of an earlier time ("recently", "déjà"): an undated past decision with one
    /// was not made on the article's day.
    Earlier,
    /// "in the process of", "en train de": the giving verb right after it is under way.
    Ongoing,
    /// "started to", "continue de": the giving infinitive after it is happening.
    Inceptive,
    /// National bodies ("parlement", "authorities"): a demonym right after one acts.
    Body,
    /// "for", "pour": the actor after it benefits; after a request it is no donor.
    Beneficiary,
    /// "no evidence", "aucune preuve": what follows in the clause did not happen.
    Denial,
    /// "than": a giving verb in the comparison after it reports no event.
    Comparative,
    /// "It is worth $1 billion", "d'une valeur de": a sentence giving the amount of the aid
    /// just reported.
    Worth,
}

/// One gazetteer or lexicon entry an alias points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Country(u32, CountryForm),
    Institution(u32),
    Person(u32),
    Weapon(u32),
    Equipment(u32),
    Role(u32),
    Trigger(TriggerClass, Lang),
    Cue(Cue, Lang),
}

impl Entry {
    /// Entities, items, triggers and cues live in four layers that may overlap each other
    /// ("a annoncé" is both a reporting cue and a pledge trigger).
    /// Items are a layer of their own so that an actor overlapping them does not hide
    /// them ("US military aid" is the US military and military aid).
    fn layer(&self) -> usize {
        match self {
            Entry::Trigger(..) => 1,
            Entry::Cue(..) => 2,
            Entry::Weapon(_) | Entry::Equipment(_) => 3,
            _ => 0,
        }
    }
    fn lang(&self) -> Option<Lang> {
        match self {
            Entry::Trigger(_, l) | Entry::Cue(_, l) => Some(*l),
            _ => None,
        }
    }
}

/// How an alias's case must appear in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseRule {
    Any,
    Capital,
    Exact,
}

#[derive(Debug, Clone)]
struct Payload {
    entry: Entry,
    case: CaseRule,
    /// The original alias (for the `Exact` case rule).
    alias: String,
    /// The alias as short words are compared ([`fold_keep_accents`]).
    alias_kept: String,
    /// Matches the start of a word only ("fourni*").
    prefix: bool,
    /// Matches only in this language (role phrases).
    lang: Option<Lang>,
}

/// A match in folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub entry: Entry,
}

/// All data files, compiled.
pub struct Gazetteer {
    pub countries: Vec<Country>,
    pub institutions: Vec<Institution>,
    pub people: Vec<Person>,
    pub weapons: Vec<ItemDef>,
    pub equipment: Vec<ItemDef>,
    pub roles: Vec<RoleDef>,
    /// Cue word lists consulted around a word, keyed by language and cue, compared
    /// with accents ("à" is not "a").
    words: HashMap<(Lang, Cue), Vec<String>>,
    /// (donor, recipient) pairs that never describe aid: parties at war.
    belligerents: Vec<(String, String)>,
    /// Countries that fight a war themselves (third column "fighting").
    fighting: Vec<String>,
    /// (country, currency) for countries whose own currency is a dollar.
    dollars: Vec<(String, String)>,
    /// Per alias (folded key): what it names.
    payloads: Vec<Vec<Payload>>,
    /// All aliases, as an automaton walked anchored from each word start
    /// ([`Gazetteer::hits`]), and its anchored start state.
    ac: NFA,
    ac_start: StateID,
    /// Per alias: whether it is a trigger or an aid object, per language (the fast path's
    /// prefilter, see [`prefilter::lang_bits`]).
    key_roles: Vec<u8>,
    /// Per alias: whether one of its entries matches the start of a word ("fourni*").
    key_prefix: Vec<bool>,
    /// The bytes some alias begins with.
    first_bytes: [bool; 256],
    /// The aliases (folded), for the tests' brute-force reference.
    #[cfg(test)]
    keys: Vec<String>,
}

/// What one pass of [`Gazetteer::scan`] finds in a folded text.
pub struct Scan {
    /// [`Gazetteer::hits`].
    pub hits: Vec<Hit>,
    /// The word tokens, as [`crate::doc::tokenize`] cuts them.
    pub words: Vec<std::ops::Range<usize>>,
}

/// A data file line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "data/{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Rows of a TSV data file: (line number, columns), comments and blank lines skipped.
fn rows<'a>(
    file: &'static str,
    text: &'a str,
    min_cols: usize,
) -> impl Iterator<Item = Result<(usize, Vec<&'a str>), DataError>> + 'a {
    text.lines().enumerate().filter_map(move |(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < min_cols {
            return Some(Err(DataError {
                file,
                line: i + 1,
                message: format!(
                    "expected {min_cols} tab-separated columns, found {}",
                    cols.len()
                ),
            }));
        }
        Some(Ok((i + 1, cols)))
    })
}

fn alts(col: &str) -> impl Iterator<Item = &str> {
    col.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// Terms of office from the `from` and `to` columns: one year each, or several paired
/// by position and separated by `;` (`2017;2025` and `2021;` for two terms, the second
/// open).
fn terms(from: &str, to: &str) -> Vec<(Option<i32>, Option<i32>)> {
    let f: Vec<&str> = from.split(';').collect();
    let t: Vec<&str> = to.split(';').collect();
    (0..f.len().max(t.len()))
        .map(|i| {
            let y = |v: &Vec<&str>| v.get(i).and_then(|s| s.trim().parse().ok());
            (y(&f), y(&t))
        })
        .collect()
}

fn opt(col: &str) -> Option<String> {
    (!col.is_empty()).then(|| col.to_string())
}

fn lang_of(file: &'static str, line: usize, s: &str) -> Result<Lang, DataError> {
    match s {
        "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        _ => Err(DataError {
            file,
            line,
            message: format!("unknown language {s:?}"),
        }),
    }
}

fn case_rule(alias: &str) -> CaseRule {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.is_empty() && letters.len() <= 3 && letters.iter().all(|c| c.is_uppercase()) {
        return CaseRule::Exact;
    }
    match alias.chars().next() {
        Some(c) if c.is_uppercase() => CaseRule::Capital,
        _ => CaseRule::Any,
    }
}

#[derive(Default)]
struct Builder {
    by_key: HashMap<String, usize>,
    keys: Vec<String>,
    payloads: Vec<Vec<Payload>>,
}

impl Builder {
    fn add(&mut self, alias: &str, entry: Entry) {
        self.add_in(alias, entry, None)
    }

    fn add_in(&mut self, alias: &str, entry: Entry, lang: Option<Lang>) {
        let (alias, prefix) = match alias.strip_suffix('*') {
            Some(a) => (a, true),
            None => (alias, false),
        };
        let key = fold(alias);
        if key.trim().is_empty() {
            return;
        }
        let idx = *self.by_key.entry(key.clone()).or_insert_with(|| {
            self.keys.push(key);
            self.payloads.push(Vec::new());
            self.payloads.len() - 1
        });
        self.payloads[idx].push(Payload {
            entry,
            case: case_rule(alias),
            alias: alias.to_string(),
            alias_kept: fold_keep_accents(alias),
            prefix,
            lang,
        });
    }
}

fn item_defs(
    file: &'static str,
    text: &str,
    b: &mut Builder,
    mk: fn(u32) -> Entry,
) -> Result<Vec<ItemDef>, DataError> {
    let mut out = Vec::new();
    for row in rows(file, text, 2) {
        let (_, c) = row?;
        let id = out.len() as u32;
        b.add(c[0], mk(id));
        for a in alts(c.get(2).copied().unwrap_or("")) {
            b.add(a, mk(id));
        }
        out.push(ItemDef {
            name: c[0].to_string(),
            category: c[1].to_string(),
        });
    }
    Ok(out)
}

fn trigger_class(file: &'static str, line: usize, s: &str) -> Result<TriggerClass, DataError> {
    match s {
        "give" => Ok(TriggerClass::Give),
        "transfer" => Ok(TriggerClass::Transfer),
        "received" => Ok(TriggerClass::Received),
        "acquired" => Ok(TriggerClass::Acquired),
        _ => crate::Status::parse(s)
            .map(TriggerClass::Status)
            .ok_or_else(|| DataError {
                file,
                line,
                message: format!("unknown trigger class {s:?}"),
            }),
    }
}

fn cue_kind(file: &'static str, line: usize, s: &str) -> Result<Cue, DataError> {
    Ok(match s {
        "negation" => Cue::Negation,
        "say" => Cue::Say,
        "according_to" => Cue::AccordingTo,
        "condition" => Cue::Condition,
        "future" => Cue::Future,
        "conditional" => Cue::Conditional,
        "past_aux" => Cue::PastAux,
        "be_aux" => Cue::BeAux,
        "to" => Cue::To,
        "intent" => Cue::Intent,
        "ready" => Cue::Ready,
        "relative" => Cue::Relative,
        "we" => Cue::We,
        "pronoun" => Cue::Pronoun,
        "statement" => Cue::Statement,
        "clause_break" => Cue::ClauseBreak,
        "by" => Cue::By,
        "to_recipient" => Cue::ToRecipient,
        "from" => Cue::From,
        "replace" => Cue::Replace,
        "part_of" => Cue::PartOf,
        "that_event" => Cue::ThatEvent,
        "determiner" => Cue::Determiner,
        "preposition" => Cue::Preposition,
        "item_anaphor" => Cue::ItemAnaphor,
        "not_aid_context" => Cue::NotAidContext,
        "unnamed_actor" => Cue::UnnamedActor,
        "soon" => Cue::Soon,
        "includes" => Cue::Includes,
        "subject_relative" => Cue::SubjectRelative,
        "complementizer" => Cue::Complementizer,
        "when" => Cue::When,
        "and" => Cue::And,
        "cumulative" => Cue::Cumulative,
        "budget" => Cue::Budget,
        "civil_aid" => Cue::CivilAid,
        "dated_name" => Cue::DatedName,
        "superlative" => Cue::Superlative,
        "turn_title" => Cue::TurnTitle,
        "ordinal" => Cue::Ordinal,
        "ordinal_noun" => Cue::OrdinalNoun,
        "compound_head" => Cue::CompoundHead,
        "aid_verb" => Cue::AidVerb,
        "duration" => Cue::Duration,
        "earlier" => Cue::Earlier,
        "rule_out" => Cue::RuleOut,
        "fresh" => Cue::Fresh,
        "info" => Cue::Info,
        "target" => Cue::Target,
        "sale" => Cue::Sale,
        "ongoing" => Cue::Ongoing,
        "inceptive" => Cue::Inceptive,
        "body" => Cue::Body,
        "beneficiary" => Cue::Beneficiary,
        "denial" => Cue::Denial,
        "comparative" => Cue::Comparative,
        "worth" => Cue::Worth,
        _ => {
            return Err(DataError {
                file,
                line,
                message: format!("unknown cue {s:?}"),
            })
        }
    })
}

impl Gazetteer {
    /// Parses the data files compiled into the binary.
    pub fn load() -> Result<Gazetteer, DataError> {
        let mut b = Builder::default();

        let mut countries = Vec::new();
        for row in rows("gazetteer/countries.tsv", COUNTRIES, 2) {
            let (_, c) = row?;
            let id = countries.len() as u32;
            let col = |i: usize| c.get(i).copied().unwrap_or("");
            for a in alts(col(1)).chain(alts(col(2))) {
                b.add(a, Entry::Country(id, CountryForm::Name));
            }
            for a in alts(col(3)) {
                b.add(a, Entry::Country(id, CountryForm::Capital));
            }
            for a in alts(col(4)).chain(alts(col(5))) {
                b.add(a, Entry::Country(id, CountryForm::Demonym));
            }
            let name = alts(col(1)).next().unwrap_or(c[0]).to_string();
            countries.push(Country {
                codes: c[0].split('+').map(str::to_string).collect(),
                name,
            });
        }

        let mut institutions = Vec::new();
        for row in rows("gazetteer/institutions.tsv", INSTITUTIONS, 3) {
            let (_, c) = row?;
            let id = institutions.len() as u32;
            b.add(c[0], Entry::Institution(id));
            for a in alts(c.get(3).copied().unwrap_or("")) {
                b.add(a, Entry::Institution(id));
            }
            institutions.push(Institution {
                name: c[0].to_string(),
                country: opt(c[1]),
                kind: c[2].to_string(),
                domains: alts(c.get(4).copied().unwrap_or(""))
                    .map(|d| d.to_ascii_lowercase())
                    .collect(),
            });
        }

        let mut people = Vec::new();
        let person_rows: Vec<Vec<&str>> = rows("gazetteer/people.tsv", PEOPLE, 3)
            .map(|row| row.map(|(_, c)| c))
            .collect::<Result<_, _>>()?;
        // "M. Hayashi", "Mr Stoltenberg": a title and a surname name the one person of the
        // gazetteer with that surname (not when two share it)
        let surname = |name: &str| name.rsplit(' ').next().unwrap_or(name).to_string();
        let mut surnames: HashMap<String, usize> = HashMap::new();
        for c in &person_rows {
            *surnames.entry(surname(c[0])).or_default() += 1;
        }
        for c in &person_rows {
            let id = people.len() as u32;
            let col = |i: usize| c.get(i).copied().unwrap_or("");
            b.add(c[0], Entry::Person(id));
            for a in alts(col(5)) {
                b.add(a, Entry::Person(id));
            }
            let last = surname(c[0]);
            if surnames.get(&last) == Some(&1) && last.chars().count() > 3 && c[0].contains(' ') {
                for title in ["M.", "Mr", "Mr.", "Mme", "Ms", "Ms.", "Mrs", "Mrs."] {
                    b.add(&format!("{title} {last}"), Entry::Person(id));
                }
            }
            people.push(Person {
                name: c[0].to_string(),
                country: opt(c[1]),
                roles: c[2]
                    .split(';')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                terms: terms(col(3), col(4)),
            });
        }

        let weapons = item_defs("gazetteer/weapons.tsv", WEAPONS, &mut b, Entry::Weapon)?;
        let equipment = item_defs(
            "gazetteer/equipment.tsv",
            EQUIPMENT,
            &mut b,
            Entry::Equipment,
        )?;

        let mut roles = Vec::new();
        for row in rows("gazetteer/roles.tsv", ROLES, 3) {
            let (line, c) = row?;
            let id = roles.len() as u32;
            let lang = lang_of("gazetteer/roles.tsv", line, c[1])?;
            for a in alts(c[2]) {
                b.add_in(a, Entry::Role(id), Some(lang));
            }
            roles.push(RoleDef {
                role: c[0].to_string(),
            });
        }

        for row in rows("lexicon/triggers.tsv", TRIGGERS, 3) {
            let (line, c) = row?;
            let lang = lang_of("lexicon/triggers.tsv", line, c[0])?;
            let class = trigger_class("lexicon/triggers.tsv", line, c[1])?;
            for a in alts(c[2]) {
                b.add(a, Entry::Trigger(class, lang));
            }
        }
        let mut words: HashMap<(Lang, Cue), Vec<String>> = HashMap::new();
        for row in rows("lexicon/cues.tsv", CUES, 3) {
            let (line, c) = row?;
            let lang = lang_of("lexicon/cues.tsv", line, c[0])?;
            let cue = cue_kind("lexicon/cues.tsv", line, c[1])?;
            for a in alts(c[2]) {
                if cue.is_word_list() {
                    words
                        .entry((lang, cue))
                        .or_default()
                        .push(fold_keep_accents(a));
                } else {
                    b.add(a, Entry::Cue(cue, lang));
                }
            }
        }

        let mut belligerents = Vec::new();
        let mut fighting = Vec::new();
        for row in rows("lexicon/belligerents.tsv", BELLIGERENTS, 2) {
            let (line, c) = row?;
            belligerents.push((c[0].to_string(), c[1].to_string()));
            match c.get(2).copied() {
                None | Some("") => {}
                Some("fighting") => fighting.push(c[0].to_string()),
                Some(other) => {
                    return Err(DataError {
                        file: "lexicon/belligerents.tsv",
                        line,
                        message: format!("third column is \"fighting\" or empty, not {other:?}"),
                    })
                }
            }
        }

        let mut dollars = Vec::new();
        for row in rows("lexicon/dollars.tsv", DOLLARS, 2) {
            let (_, c) = row?;
            dollars.push((c[0].to_string(), c[1].to_string()));
        }

        // which aliases can make a sentence a candidate for an event, in which language
        // (the fast path's prefilter)
        let pattern_roles: Vec<u8> = b
            .payloads
            .iter()
            .map(|ps| {
                ps.iter().fold(0u8, |acc, p| {
                    let mut role = 0;
                    if matches!(p.entry, Entry::Trigger(..)) {
                        role |= prefilter::TRIGGER;
                    }
                    if aid_object(&equipment, p.entry) {
                        role |= prefilter::OBJECT;
                    }
                    acc | prefilter::lang_bits(role, p.entry.lang().or(p.lang))
                })
            })
            .collect();
        let key_prefix = b
            .payloads
            .iter()
            .map(|ps| ps.iter().any(|p| p.prefix))
            .collect();
        let mut first_bytes = [false; 256];
        for k in &b.keys {
            if let Some(&c) = k.as_bytes().first() {
                first_bytes[c as usize] = true;
            }
        }
        // (a contiguous NFA: 1.6 MB for the 15,000 aliases where a DFA takes 26 MB and,
        // walked from word starts, is no faster; BENCHMARKS.md)
        let ac = NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(&b.keys)
            .map_err(|e| DataError {
                file: "(all)",
                line: 0,
                message: e.to_string(),
            })?;
        let ac_start = ac.start_state(Anchored::Yes).map_err(|e| DataError {
            file: "(all)",
            line: 0,
            message: e.to_string(),
        })?;
        Ok(Gazetteer {
            countries,
            institutions,
            people,
            weapons,
            equipment,
            roles,
            words,
            belligerents,
            fighting,
            dollars,
            payloads: b.payloads,
            ac,
            ac_start,
            key_roles: pattern_roles,
            key_prefix,
            first_bytes,
            #[cfg(test)]
            keys: b.keys,
        })
    }

    /// Finds every entry in folded text `norm` (whose original is `orig`), keeping in each
    /// layer the longest non-overlapping matches from the left. Language-specific words
    /// (triggers, cues) match only in `lang`.
    pub fn find(&self, norm: &Normalized, orig: &str, lang: Lang) -> Vec<Mention> {
        let text = norm.text.as_bytes();
        let hits = self.hits(text);
        self.find_with(norm, orig, lang, text, &hits)
    }

    /// Every alias matching at the start of a word of `text` (the folded text's bytes),
    /// overlapping ones included, that could still become a mention: an alias
    /// ending inside a word is kept only when it is a prefix alias ("fourni*") or the
    /// word ends in a plural "s" right after it, as [`Gazetteer::find_with`] requires.
    /// Its case, language and longest-match checks come later. The gazetteer's search
    /// ([`Gazetteer::find_with`]) and the fast path's prefilter
    /// ([`prefilter::candidates`]) both read these hits.
    ///
    /// The automaton is walked anchored from each word start until no alias can go on,
    /// which visits about four bytes per word, instead of an unanchored search that
    /// reports, then drops, every alias met inside a word ("i" in "in", "is", "it"). It
    /// reads a newline as a space, so that a hard-wrapped line ("nuclear\nweapon") still
    /// matches, without a copy of the text.
    pub fn hits(&self, text: &[u8]) -> Vec<Hit> {
        self.scan(text).hits
    }

    /// [`Gazetteer::hits`] and the words of `text` ([`crate::doc::tokenize`]'s tokens)
    /// from one pass over the folded text's bytes.
    pub fn scan(&self, text: &[u8]) -> Scan {
        let ac = &self.ac;
        let mut out = Vec::new();
        let mut words = Vec::with_capacity(text.len() / 6);
        // word starts: the first byte, and every byte after a non-word byte
        let mut next = 0;
        while next < text.len() {
            let s = next;
            let (run_end, token_end) = word_from(text, s);
            next = run_end + 1;
            if run_end > s {
                words.push(s..token_end);
            }
            if !self.first_bytes[text[s] as usize] {
                continue;
            }
            // walk the aliases' trie from this word start until no alias can continue
            let mut sid = self.ac_start;
            for (e, &c) in text[s..].iter().enumerate() {
                // (a newline is a space to the aliases: "nuclear\nweapon")
                let b = if c == b'\n' { b' ' } else { c };
                sid = ac.next_state(Anchored::Yes, sid, b);
                if ac.is_dead(sid) {
                    break;
                }
                if !ac.is_match(sid) {
                    continue;
                }
                let end = s + e + 1;
                // inside a longer word only a prefix alias ("fourni*") can match; others
                // need a word end, an open end ("l'", "anti-") or a plural "s"
                // (`find_with` rejects the rest)
                let whole = end == text.len()
                    || !is_word(text[end])
                    || matches!(c, b'\'' | b'-')
                    || plural_end(text, end).is_some();
                for k in 0..ac.match_len(sid) {
                    let pid = ac.match_pattern(sid, k);
                    let key = pid.as_usize();
                    // a match state also lists shorter aliases ending here
                    if ac.pattern_len(pid) != end - s || !(whole || self.key_prefix[key]) {
                        continue;
                    }
                    out.push(Hit {
                        start: s,
                        end,
                        key: key as u32,
                        role: self.key_roles[key],
                    });
                }
            }
        }
        Scan { hits: out, words }
    }

    /// [`Gazetteer::find`] given the folded text's bytes and its [`Gazetteer::hits`]
    /// (the pipeline has them already).
    pub fn find_with(
        &self,
        norm: &Normalized,
        orig: &str,
        lang: Lang,
        text: &[u8],
        hits: &[Hit],
    ) -> Vec<Mention> {
        let mut cands: Vec<(usize, usize, usize, Entry)> = Vec::new();
        for h in hits {
            let (s, e) = (h.start, h.end);
            for p in &self.payloads[h.key as usize] {
                if p.entry.lang().or(p.lang).is_some_and(|l| l != lang) {
                    continue;
                }
                let open_end = matches!(text[e - 1], b'\'' | b'-');
                let end = if p.prefix {
                    word_end(text, e)
                } else if e < text.len() && is_word(text[e]) && !open_end {
                    match plural_end(text, e) {
                        Some(pe) if matches!(p.entry.layer(), 0 | 3) => pe,
                        _ => continue,
                    }
                } else {
                    e
                };
                if !case_ok(p, orig, norm, s, e) {
                    continue;
                }
                cands.push((s, end, e - s, p.entry));
            }
        }
        // per layer: leftmost, then longest span, then longest alias (a "fourniture*" beats "fourni*")
        cands.sort_by_key(|c| {
            (
                c.3.layer(),
                c.0,
                std::cmp::Reverse(c.1),
                std::cmp::Reverse(c.2),
            )
        });
        let mut out = Vec::new();
        let mut last_end = [0usize; 4];
        for (s, e, _, entry) in cands {
            let l = entry.layer();
            if s < last_end[l] {
                continue;
            }
            last_end[l] = e;
            out.push(Mention {
                start: s,
                end: e,
                entry,
            });
        }
        out.sort_by_key(|m| (m.start, m.entry.layer()));
        out
    }

    /// Whether a mention names something that can be given: a weapon system, equipment
    /// other than `not_aid`, a transfer noun ("shipment") or an item anaphor ("these
    /// systems"). A sentence without one reports no event.
    pub fn is_aid_object(&self, entry: Entry) -> bool {
        aid_object(&self.equipment, entry)
    }

    /// Whether `donor` giving to `recipient` is ruled out (parties at war).
    /// Whether a country fights one of the wars of `belligerents.tsv` itself.
    pub fn belligerent(&self, country: &str) -> bool {
        self.fighting.iter().any(|c| c == country)
    }

    pub fn at_war(&self, donor: &str, recipient: &str) -> bool {
        self.belligerents
            .iter()
            .any(|(d, r)| d == donor && r == recipient)
    }

    /// The dollar a country gives in, when its own currency is one ("AUD" for AUS).
    pub fn own_dollar(&self, country: &str) -> Option<&str> {
        self.dollars
            .iter()
            .find(|(c, _)| c == country)
            .map(|(_, d)| d.as_str())
    }

    /// Whether `name` is the canonical name of a named weapon system.
    pub fn is_weapon_name(&self, name: &str) -> bool {
        self.weapons.iter().any(|w| w.name == name)
    }

    /// Whether `word` (as written in the original, any case) is in the cue word list.
    pub fn in_list(&self, lang: Lang, cue: Cue, word: &str) -> bool {
        let Some(l) = self.words.get(&(lang, cue)) else {
            return false;
        };
        // an ASCII word folds to its lowercase: compare without building the folded form
        // (this is called for every word around every trigger)
        if word.is_ascii() {
            return l.iter().any(|x| x.eq_ignore_ascii_case(word));
        }
        let w = fold_keep_accents(word);
        l.contains(&w)
    }
}

impl Cue {
    /// Cues consulted as word lists around a word rather than searched for in text.
    fn is_word_list(self) -> bool {
        matches!(
            self,
            Cue::PastAux
                | Cue::BeAux
                | Cue::Future
                | Cue::Conditional
                | Cue::To
                | Cue::Relative
                | Cue::By
                | Cue::ToRecipient
                | Cue::From
                | Cue::PartOf
                | Cue::Determiner
                | Cue::Preposition
                | Cue::SubjectRelative
                | Cue::Complementizer
                | Cue::When
                | Cue::And
                | Cue::Superlative
                | Cue::TurnTitle
                | Cue::Ordinal
                | Cue::OrdinalNoun
                | Cue::CompoundHead
                | Cue::AidVerb
                | Cue::Earlier
                | Cue::Sale
                | Cue::Info
                | Cue::Fresh
                | Cue::Body
                | Cue::Beneficiary
                | Cue::Comparative
        )
    }
}

/// Lowercase with typography folded but accents kept: how short words are compared.
pub fn fold_keep_accents(s: &str) -> String {
    use crate::text::{normalize, Lowercase, Nfc, Spaces, Typography};
    normalize(s, &[&Nfc, &Typography, &Spaces, &Lowercase]).text
}

fn aid_object(equipment: &[ItemDef], entry: Entry) -> bool {
    match entry {
        Entry::Weapon(_)
        | Entry::Trigger(TriggerClass::Transfer, _)
        | Entry::Cue(Cue::ItemAnaphor, _) => true,
        Entry::Equipment(i) => equipment
            .get(i as usize)
            .is_some_and(|e| e.category != "not_aid"),
        _ => false,
    }
}

fn word_end(text: &[u8], mut e: usize) -> usize {
    while e < text.len() && is_word(text[e]) {
        e += 1;
    }
    // never end inside a UTF-8 sequence
    while e < text.len() && (text[e] & 0xC0) == 0x80 {
        e += 1;
    }
    e
}

/// Accepts a plural or possessive ending after an entity ("F-16s", "NLAWs").
fn plural_end(text: &[u8], e: usize) -> Option<usize> {
    if text[e] == b's' && (e + 1 >= text.len() || !is_word(text[e + 1])) {
        Some(e + 1)
    } else {
        None
    }
}

/// Whether `span` of the original folds, accents kept, to `kept` (a [`fold_keep_accents`]
/// form, so lowercase). Printable ASCII folds to its lowercase, which needs no folded
/// copy (this is called for every short word the gazetteer meets: "i", "we", "us").
fn same_kept(span: &str, kept: &str) -> bool {
    if span.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        span.eq_ignore_ascii_case(kept)
    } else {
        fold_keep_accents(span) == kept
    }
}

fn case_ok(p: &Payload, orig: &str, norm: &Normalized, s: usize, e: usize) -> bool {
    let short = e - s <= 3;
    if p.case == CaseRule::Any && !short {
        return true;
    }
    let os = norm.map.to_orig_start(s);
    let oe = norm.map.to_orig_end(e);
    let Some(span) = orig.get(os..oe) else {
        return false;
    };
    // short words keep their accents: "a" (has) is not "à" (to)
    if short && !p.prefix && !same_kept(span, &p.alias_kept) {
        return false;
    }
    match p.case {
        CaseRule::Any => true,
        CaseRule::Capital => span.chars().next().is_some_and(|c| c.is_uppercase()),
        CaseRule::Exact => p
            .alias
            .chars()
            .filter(|c| c.is_alphabetic())
            .eq(span.chars().filter(|c| c.is_alphabetic())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{fold_chain, normalize};

    fn gaz() -> &'static Gazetteer {
        static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        G.get_or_init(|| Gazetteer::load().expect("data files parse"))
    }

    fn names(text: &str, lang: Lang) -> Vec<String> {
        let g = gaz();
        let n = normalize(text, &fold_chain());
        g.find(&n, text, lang)
            .into_iter()
            .map(|m| {
                let s = &text[n.map.to_orig_start(m.start)..n.map.to_orig_end(m.end)];
                match m.entry {
                    Entry::Country(i, _) => {
                        format!("country:{}={}", s, g.countries[i as usize].codes.join("+"))
                    }
                    Entry::Weapon(i) => format!("weapon:{}={}", s, g.weapons[i as usize].name),
                    Entry::Person(i) => format!("person:{}={}", s, g.people[i as usize].name),
                    Entry::Institution(i) => {
                        format!("inst:{}={}", s, g.institutions[i as usize].name)
                    }
                    Entry::Equipment(i) => format!("equip:{}={}", s, g.equipment[i as usize].name),
                    Entry::Role(_) => format!("role:{s}"),
                    Entry::Trigger(c, _) => format!("trigger:{s}={c:?}"),
                    Entry::Cue(c, _) => format!("cue:{s}={c:?}"),
                }
            })
            .collect()
    }

    /// Every alias of `keys` that starts a word of `flat` and ends where `find_with` can
    /// take it, by brute force: the reference for [`Gazetteer::hits`].
    fn hits_by_brute_force(g: &Gazetteer, flat: &[u8]) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        for s in 0..flat.len() {
            if s > 0 && is_word(flat[s - 1]) {
                continue;
            }
            for (key, k) in g.keys.iter().enumerate() {
                let e = s + k.len();
                if !flat[s..].starts_with(k.as_bytes()) {
                    continue;
                }
                let whole = e == flat.len()
                    || !is_word(flat[e])
                    || matches!(flat[e - 1], b'\'' | b'-')
                    || plural_end(flat, e).is_some();
                let prefix = g.payloads[key].iter().any(|p| p.prefix);
                if whole || prefix {
                    out.push((s, e, key as u32));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn hits_are_every_alias_at_a_word_start() {
        let g = gaz();
        for text in [
            "The United States will provide HIMARS launchers and 155mm shells to Ukraine.",
            "Il a annoncé la fourniture de canons Caesar à l'Ukraine, a dit Emmanuel Macron.",
            "In its new package, the U.S. is sending NLAWs, F-16s and anti-tank weapons.",
            "us US u.s. himarsx himarss i in is it, the president's; Ms. Jean-Pierre said",
            "",
            "fourni fournir fournitures l'armée d'Ukraine",
            "Javelin\nmissiles; qu'\nil y a .50 caliber machine guns\n\nl'",
            // hard-wrapped names match across the line end
            "The United\nStates will send\nJavelin missiles and .50\ncaliber machine guns",
        ] {
            let norm = crate::text::normalize(text, &crate::text::fold_chain());
            // (the reference reads the text with newlines made spaces, as the walk does)
            let flat: Vec<u8> = norm
                .text
                .bytes()
                .map(|b| if b == b'\n' { b' ' } else { b })
                .collect();
            let text = norm.text.as_bytes();
            let mut got: Vec<(usize, usize, u32)> = g
                .hits(text)
                .iter()
                .map(|h| (h.start, h.end, h.key))
                .collect();
            got.sort();
            assert_eq!(
                g.scan(text).words,
                crate::doc::tokenize(&norm.text),
                "in {text:?}"
            );
            let want = hits_by_brute_force(g, &flat);
            assert!(!want.is_empty() || text.is_empty(), "no alias in {text:?}");
            assert_eq!(got, want, "in {text:?}");
        }
    }

    #[test]
    fn short_words_compare_with_accents_kept() {
        // printable ASCII without a folded copy, anything else through the folding
        assert!(same_kept("A", "a"));
        assert!(same_kept("we", "we"));
        assert!(!same_kept("A", "à"));
        assert!(same_kept("À", "à"));
        assert!(!same_kept("à", "a"));
        assert!(!same_kept("us", "u"));
        assert_eq!(same_kept("a\tb", "a b"), fold_keep_accents("a\tb") == "a b");
    }

    #[test]
    fn data_files_parse() {
        let g = gaz();
        assert!(g.countries.len() >= 190, "countries: {}", g.countries.len());
        assert!(g.weapons.len() >= 120, "weapons: {}", g.weapons.len());
        assert!(g.people.len() >= 100, "people: {}", g.people.len());
    }

    #[test]
    fn finds_french_entities_with_case_rules() {
        let got = names("L’Estonie fournira des missiles antichars Javelot, a déclaré Antoine Blink aux États-Unis.", Lang::Fr);
        assert!(got.contains(&"country:Estonie=EST".to_string()), "{got:?}");
        assert!(
            got.contains(&"weapon:missiles antichars Javelot=Javelin".to_string())
                || got.contains(&"weapon:Javelot=Javelin".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"person:Antoine Blink=Antony Blinken".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"country:États-Unis=USA".to_string()),
            "{got:?}"
        );
        assert!(
            got.iter().any(|s| s.starts_with("trigger:fournira")),
            "{got:?}"
        );
    }

    #[test]
    fn case_rules_reject_common_words() {
        let got = names("let us send a patriot to them", Lang::En);
        assert!(
            !got.iter()
                .any(|s| s.starts_with("country:") || s.starts_with("weapon:")),
            "{got:?}"
        );
        let got = names("The US sent Patriots and F-16s.", Lang::En);
        assert!(got.contains(&"country:US=USA".to_string()), "{got:?}");
        assert!(
            got.contains(&"weapon:Patriots=Patriot".to_string()),
            "{got:?}"
        );
        assert!(got.contains(&"weapon:F-16s=F-16".to_string()), "{got:?}");
    }

    #[test]
    fn word_list_cues_are_consulted_with_accents() {
        let g = gaz();
        for (lang, cue, yes, no) in [
            (Lang::Fr, Cue::ToRecipient, "à", "a"),
            (Lang::Fr, Cue::PastAux, "a", "à"),
            (Lang::Fr, Cue::SubjectRelative, "qui", "que"),
            (Lang::Fr, Cue::Complementizer, "qu’", "qui"),
            (Lang::En, Cue::Complementizer, "That", "which"),
            (Lang::Fr, Cue::And, "et", "est"),
            (Lang::En, Cue::When, "when", "then"),
            (Lang::En, Cue::To, "to", "too"),
            (Lang::Fr, Cue::Preposition, "avec", "Avant-hier"),
            (Lang::En, Cue::Determiner, "the", "them"),
        ] {
            assert!(g.in_list(lang, cue, yes), "{cue:?} should hold {yes:?}");
            assert!(!g.in_list(lang, cue, no), "{cue:?} should not hold {no:?}");
        }
    }

    #[test]
    fn words_match_only_in_their_language() {
        let got = names("they will provide", Lang::Fr);
        assert!(!got.iter().any(|s| s.starts_with("trigger:")), "{got:?}");
    }
}
