//! Event stage: reads one sentence into aid events (record mentions).
//!
//! A sentence is cut into clauses (at "tandis que", "while", ";", a relative "qui",
//! and around reported-speech attributions). Each trigger word is a candidate head;
//! `heads.rs` decides which ones report an event and at which stage (the trigger itself
//! or tense and mood, modified by negation, readiness ("prêts à"), intent ("intention
//! de") and ordinals; infinitives and transfer nouns governed by an earlier trigger of
//! the clause add nothing of their own). Each remaining head gets its donor (the subject, the agent of a passive, the
//! speaker's country for "nous"/"we"), recipient, items with quantities, value and
//! date from its clause and from head-less clauses of the same sentence.

use std::ops::Range;

use aidledger_parse::{find_money, find_numbers, find_times, Found, Money, Prefer};

use crate::attribute::{Attribution, Speaker};
use crate::doc::Doc;
use crate::gazetteer::{Cue, Entry, Gazetteer, Mention, TriggerClass};
use crate::tense::Tense;
use crate::{Item, Kind, Status, StatusGroup, Value};

use crate::heads::find_heads;
pub use crate::items::continuation;
use crate::items::{item_origin, items_with_quantities};
pub use crate::roles::actor_codes;
pub(crate) use crate::roles::preceded_by;
use crate::roles::{self, roles};

/// Bytes around a head where a piece of a run without punctuation is read for numbers,
/// amounts and dates.
const ZONE: usize = 250;

/// Trigger words weighed per sentence, in text order; the rest of a longer run is ignored.
const MAX_TRIGGERS: usize = 24;

/// The generic item (from `equipment.tsv`) written for an amount given as a package.
const PACKAGE_ITEM: &str = "aid package";

/// One mention of an aid event in one sentence.
#[derive(Debug, Clone)]
pub struct Event {
    pub sentence: usize,
    pub status: Status,
    pub donors: Vec<String>,
    pub recipient: Option<String>,
    pub items: Vec<Item>,
    pub value: Option<Value>,
    pub date: Option<String>,
    pub asserted_by: Option<String>,
    /// Evidence: folded-text range of the sentence.
    pub span: Range<usize>,
    /// A relative clause about the object of another event ("qu'ils ont promis").
    pub secondary: bool,
    pub headline: bool,
    /// Total from "deux des huit": the quantity for the whole of the aid.
    pub total: Option<u64>,
    /// Sentences that only list what this event contains ("Le paquet comprend ...").
    pub extra_spans: Vec<Range<usize>>,
    /// The publication date, for an undated present or future event: the record's date
    /// when none of its mentions gives one.
    pub default_date: Option<String>,
    /// What kind of figure the mention reports (package, transfer, total, budget, request).
    pub kind: Kind,
}

/// State carried from sentence to sentence within a document.
#[derive(Debug, Default)]
pub struct Context {
    pub last_speaker: Option<Speaker>,
    pub last_donors: Vec<String>,

    pub default_recipient: Option<String>,
    /// The day a live blog's section is about ("Mardi 28 mai" on a line of its own): the
    /// date of its undated present announcements, instead of the publication date.
    pub section_date: Option<String>,
    /// A short article about Ukraine: weapons named anywhere in it go to Ukraine unless
    /// the sentence says otherwise.
    pub short_article: bool,
    /// (role id, country) → person name, from appositions such as "le porte-parole ..., John Kirby".
    pub role_names: Vec<(u32, Option<String>, String)>,
}

/// What became of a sentence, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Events,
    Boilerplate,
    NoTrigger,
    NoDonor,
    NoAidObject,
    NoRecipient,
    Question,
    NotAidContext,
    Negated,
    Governed,
}

impl Outcome {
    pub fn describe(&self) -> &'static str {
        match self {
            Outcome::Events => "fed records",
            Outcome::Boilerplate => "boilerplate (related link, widget or comment form)",
            Outcome::NoTrigger => {
                "no trigger word (a weapon is named, but nothing is given, promised or asked)"
            }
            Outcome::NoDonor => "no donor found",
            Outcome::NoAidObject => "no aid item (weapon system or equipment) in the clause",
            Outcome::NoRecipient => "no recipient and no named weapon system",
            Outcome::Question => "a question, not a statement",
            Outcome::NotAidContext => "about sanctions or another non-aid matter",
            Outcome::Negated => "negated in a way that is not a refusal",
            Outcome::Governed => "trigger is a noun or infinitive without a governing verb",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) pos: Range<usize>,
    pub(crate) word: usize,
    pub(crate) status: Option<Status>,
    pub(crate) tense: Tense,
    pub(crate) reversed: bool,
    /// "acquiring weapons from": the recipient must be at war (else it is a purchase)
    pub(crate) acquired: bool,
    pub(crate) replace: bool,
    pub(crate) secondary: bool,
    pub(crate) clause: usize,
}

/// Reads sentence `si` of `doc`.
pub fn sentence_events(
    doc: &Doc,
    gaz: &Gazetteer,
    si: usize,
    attr: &Attribution,
    ctx: &mut Context,
) -> (Vec<Event>, Outcome) {
    let sent = &doc.sentences[si];
    let r = sent.range.clone();
    let ms = doc.mentions_in(&r);
    let in_attr = |p: usize| attr.spans.iter().any(|s| s.contains(&p));

    let clauses = clauses(doc, gaz, &r, ms, attr);
    let clause_of = |p: usize| clauses.iter().position(|c| c.contains(&p)).unwrap_or(0);

    // candidate heads
    // (at most MAX_TRIGGERS: a real sentence has a handful; a run of text without
    // punctuation has hundreds, and each trigger is weighed against the sentence's mentions)
    let triggers: Vec<&Mention> = ms
        .iter()
        .filter(|m| matches!(m.entry, Entry::Trigger(..)))
        .take(MAX_TRIGGERS)
        .collect();
    if triggers.is_empty() {
        return (Vec::new(), Outcome::NoTrigger);
    }
    // a question asserts nothing: "Will the U.S. deliver Javelins this year?" (a reporter's
    // turn in a transcript is skipped before this stage, by the voice stage's turns)
    if doc.text()[r.clone()]
        .trim_end_matches(|c: char| c == '"' || c == ')' || c.is_whitespace())
        .ends_with('?')
    {
        return (Vec::new(), Outcome::Question);
    }
    let (heads, negated_any) = find_heads(doc, gaz, &r, ms, attr, &clauses, triggers.clone());
    if heads.is_empty() {
        return (
            Vec::new(),
            if negated_any {
                Outcome::Negated
            } else {
                Outcome::Governed
            },
        );
    }

    // values found in the sentence
    // no aid object anywhere in the sentence: nothing to scan numbers and dates for
    // (the fast path's prefilter relies on this test: keep it `Gazetteer::is_aid_object`)
    let aid_object = ms.iter().any(|m| gaz.is_aid_object(m.entry));
    if !aid_object {
        return (Vec::new(), Outcome::NoAidObject);
    }
    // where numbers, amounts and dates are read: the whole sentence, or, in a piece of a
    // run without punctuation, the text around its heads (bounded work per head)
    let zones: Vec<Range<usize>> = if sent.capped {
        let mut z: Vec<Range<usize>> = Vec::new();
        for h in &heads {
            let mut a = h.pos.start.saturating_sub(ZONE).max(r.start);
            let mut b = (h.pos.end + ZONE).min(r.end);
            while !doc.text().is_char_boundary(a) {
                a -= 1;
            }
            while !doc.text().is_char_boundary(b) {
                b += 1;
            }
            match z.last_mut() {
                Some(last) if a <= last.end => last.end = last.end.max(b),
                _ => z.push(a..b),
            }
        }
        z
    } else {
        vec![r.clone()]
    };
    fn in_zones<T>(
        doc: &Doc,
        zones: &[Range<usize>],
        find: impl Fn(&str) -> Vec<Found<T>>,
    ) -> Vec<Found<T>> {
        zones
            .iter()
            .flat_map(|z| {
                find(&doc.text()[z.clone()]).into_iter().map(|f| Found {
                    start: f.start + z.start,
                    end: f.end + z.start,
                    value: f.value,
                })
            })
            .collect()
    }
    // "$225 million in humanitarian assistance": an amount of civil aid is no value of
    // military aid (the civil-aid word within the next few words)
    let civil = |end: usize| {
        let w = doc.word_at(end);
        let to = doc.words.get(w + 4).map_or(r.end, |x| x.end).min(r.end);
        doc.cues_in(&(end..to), Cue::CivilAid).next().is_some()
    };
    // ("to cover its budgetary shortfalls, including a $7.5 billion commitment": the civil
    // purpose named just before, with no weapon between)
    let civil_before = |start: usize| {
        let from = before_word_start(doc, doc.word_at(start), 8).max(r.start);
        doc.cues_in(&(from..start), Cue::CivilAid).any(|c| {
            !ms.iter()
                .any(|o| matches!(o.entry, Entry::Weapon(_)) && o.start >= c.end && o.start < start)
                && !doc.text()[c.end..start].contains(['.', ';'])
        })
    };
    let (civil_money, money): (Vec<Found<Money>>, Vec<Found<Money>>) =
        in_zones(doc, &zones, |t| find_money(t, doc.lang))
            .into_iter()
            .partition(|f| civil(f.end) || civil_before(f.start));
    // dates lean to the past, except around a future verb; a date inside an attribution
    // ("a déclaré jeudi") dates the statement, which is past
    let scan = |prefer| -> Vec<Found<aidledger_parse::TimeValue>> {
        in_zones(doc, &zones, |t| {
            find_times(t, doc.lang, doc.reference, prefer)
        })
    };
    // "MARS II" is a launcher, not March: no date inside a name
    let named = |t: &Found<aidledger_parse::TimeValue>| {
        ms.iter().any(|m| {
            matches!(
                m.entry,
                Entry::Weapon(_) | Entry::Equipment(_) | Entry::Person(_) | Entry::Institution(_)
            ) && m.start < t.end
                && t.start < m.end
        })
    };
    // "the Foreign Assistance Act of 1961": a year closing a name
    let name_year = |t: &Found<aidledger_parse::TimeValue>| {
        ms.iter().any(|m| {
            matches!(m.entry, Entry::Cue(Cue::DatedName, _))
                && m.end <= t.start
                && t.start - m.end <= 1
        })
    };
    // "over the past four months", "depuis février": a span, not the event's date
    let span_of_time = |t: &Found<aidledger_parse::TimeValue>| {
        ms.iter().any(|m| {
            matches!(m.entry, Entry::Cue(Cue::Duration, _))
                && m.start <= t.start
                && doc.word_at(t.start) <= doc.word_at(m.end.saturating_sub(1)) + 2
        })
    };
    let scan = |prefer| -> Vec<Found<aidledger_parse::TimeValue>> {
        let mut v = scan(prefer);
        v.retain(|t| !named(t) && !name_year(t) && !span_of_time(t));
        v
    };
    // "the Pentagon said on Tuesday", "a annoncé mardi": a date right after a reporting
    // verb dates the statement, which is past, whatever the tense of the event
    let said_when = |p: usize| {
        ms.iter().any(|c| {
            matches!(c.entry, Entry::Cue(Cue::Say, _))
                && c.end <= p
                && doc.word_at(p) <= doc.word_at(c.end.saturating_sub(1)) + 3
        })
    };
    // dates and counts are read when a head first needs them: most sentences that get
    // this far name no item and no amount, and report nothing (the money is read above:
    // an amount alone can make a package)
    let dated_counts = std::cell::OnceCell::new();
    let dated_counts = || {
        dated_counts.get_or_init(|| {
            let mut times = scan(Prefer::Past);
            // (the second scan only rereads dates outside attributions: none, no scan)
            if heads.iter().any(|h| h.tense == Tense::Future)
                && times
                    .iter()
                    .any(|t| !in_attr(t.start) && !said_when(t.start))
            {
                let future = scan(Prefer::Future);
                for t in times
                    .iter_mut()
                    .filter(|t| !in_attr(t.start) && !said_when(t.start))
                {
                    if let Some(f) = future.iter().find(|f| f.start == t.start && f.end == t.end) {
                        t.value = f.value;
                    }
                }
            }
            let numbers: Vec<(Range<usize>, f64)> =
                in_zones(doc, &zones, |t| find_numbers(t, doc.lang))
                    .into_iter()
                    .map(|f| (f.start..f.end, f.value))
                    .filter(|(s, _)| {
                        !money.iter().any(|m| m.start < s.end && s.start < m.end)
                            && !times.iter().any(|t| t.start < s.end && s.start < t.end)
                            && !ms.iter().any(|m| {
                                matches!(m.entry, Entry::Weapon(_))
                                    && m.start < s.end
                                    && s.start < m.end
                            })
                    })
                    .collect();
            (times, numbers)
        })
    };

    // clauses with a trigger word of their own (kept or not) keep their items to themselves
    // (a verb of acquiring keeps none: "a $6 billion package, which will be used to
    // procure new equipment" reports the package with its contents)
    let head_clauses: Vec<usize> = triggers
        .iter()
        .filter(|m| !matches!(m.entry, Entry::Trigger(TriggerClass::Acquired, _)))
        .map(|m| clause_of(m.start))
        .collect();
    let shared = |c: usize, p: usize| {
        c == clause_of(p) || (!head_clauses.contains(&clause_of(p)) && !in_attr(p))
    };

    // a date belongs to the head before it in its clause ("approuvé, fin août, la
    // livraison"; "autorisé ... en décembre, est arrivé"), else to the nearest head
    let owner = |p: usize| -> Option<usize> {
        let primary = || heads.iter().enumerate().filter(|(_, x)| !x.secondary);
        primary()
            .filter(|(_, x)| x.pos.end <= p && x.clause == clause_of(p))
            .max_by_key(|(_, x)| x.pos.end)
            .or_else(|| primary().min_by_key(|(_, x)| dist(&x.pos, p)))
            .map(|(i, _)| i)
    };
    let mut events = Vec::new();
    let mut outcome = Outcome::NoAidObject;
    for (hi, h) in heads.iter().enumerate() {
        let st = h.status.expect("heads have a status");
        let clause = &clauses[h.clause];
        // (a second verb joined by "et"/"and" after the head is a matter of its own: "a
        // refusé de livrer des armes et interdit leur transit")
        // (the cue itself right after "et": "et interdit"; "as well as sanctions, and"
        // keeps the sanctions in the head's matter)
        let joined_after = |c: &Mention| {
            let cw = doc.word_at(c.start);
            c.start >= h.pos.end && cw > h.word + 1 && doc.word_is(gaz, cw - 1, Cue::And)
        };
        if doc
            .cues_in(clause, Cue::NotAidContext)
            .any(|c| !joined_after(c))
        {
            outcome = Outcome::NotAidContext;
            continue;
        }
        // items
        let by_word = if h.replace {
            (h.word + 1..doc.word_at(clause.end))
                .find(|&i| doc.word_is(gaz, i, Cue::By))
                .map(|i| doc.words[i].start)
        } else {
            None
        };
        // "food security assistance" is food aid: an item inside a civil-aid phrase is none
        let civil_item = |m: &Mention| {
            ms.iter().any(|c| {
                matches!(c.entry, Entry::Cue(Cue::CivilAid, _))
                    && c.start < m.start
                    && m.start < c.end
            })
        };
        // "anti-armor — taking out tanks and planes": what is destroyed is no item given
        let target = |m: &Mention| {
            ms.iter().any(|c| {
                matches!(c.entry, Entry::Cue(Cue::Target, _))
                    && c.end <= m.start
                    && doc.word_at(m.start) <= doc.word_at(c.end.saturating_sub(1)) + 6
                    && !doc.text()[c.end..m.start].contains(['.', ';', '—', '–'])
            })
        };
        let mut item_ms: Vec<&Mention> = ms
            .iter()
            .filter(|m| matches!(m.entry, Entry::Weapon(_) | Entry::Equipment(_)))
            .filter(|m| !civil_item(m) && !target(m))
            .filter(|m| shared(h.clause, m.start) && !in_attr(m.start))
            .filter(|m| by_word.is_none_or(|b| m.start > b))
            .collect();
        if h.secondary {
            // a relative clause about the object: its items are the antecedent's
            item_ms = ms
                .iter()
                .filter(|m| {
                    matches!(m.entry, Entry::Weapon(_) | Entry::Equipment(_))
                        && m.start < h.pos.start
                        && !in_attr(m.start)
                })
                .collect();
        }
        let mut item_ms: Vec<Mention> = item_ms.into_iter().copied().collect();
        // "refused to send these to Ukraine, ... who might use nuclear weapons": a pronoun
        // object right after the verb is the item, not a noun of another clause
        let head_end = doc.word_at(h.pos.end.saturating_sub(1));
        let direct_anaphor = doc.cues_in(clause, Cue::ItemAnaphor).find(|a| {
            a.start >= h.pos.end
                && doc.word_at(a.start) <= head_end + 4
                && !item_ms
                    .iter()
                    .any(|m| m.start < a.end && h.pos.end <= m.start)
        });
        if let Some(a) = direct_anaphor {
            let elsewhere = |m: &Mention| {
                clause_of(m.start) != h.clause
                    || (m.start >= a.end && doc.text()[a.end..m.start].contains(','))
            };
            if item_ms.iter().all(elsewhere) {
                item_ms.clear();
            }
        }
        // "quatre de ces chars", "these tanks": a determiner and a generic noun stand for
        // the system named just before, counted where they stand
        for a in doc.cues_in(clause, Cue::ItemAnaphor) {
            if !doc.word_is(gaz, doc.word_at(a.start), Cue::Determiner) {
                continue;
            }
            let Some(k) = item_ms.iter().position(|m| {
                matches!(m.entry, Entry::Equipment(_)) && m.start < a.end && a.start < m.end
            }) else {
                continue;
            };
            let from = doc.sentences[si.saturating_sub(2)].range.start;
            if let Some(w) = doc
                .mentions_in(&(from..a.start))
                .iter()
                .rev()
                .find(|m| matches!(m.entry, Entry::Weapon(_)))
            {
                item_ms[k] = Mention {
                    start: a.start,
                    end: a.end,
                    entry: w.entry,
                };
            }
        }
        if item_ms.is_empty() {
            if let Some(a) = doc.cues_in(clause, Cue::ItemAnaphor).next() {
                // "le système avait été transféré", "quatre systèmes": the last system named
                // before, counted where the anaphor stands
                let from = doc.sentences[si.saturating_sub(1)].range.start;
                if let Some(m) = doc
                    .mentions_in(&(from..a.start))
                    .iter()
                    .rev()
                    .find(|m| matches!(m.entry, Entry::Weapon(_)))
                {
                    item_ms.push(Mention {
                        start: a.start,
                        end: a.end,
                        entry: m.entry,
                    });
                }
            }
        }
        let item_refs: Vec<&Mention> = item_ms.iter().collect();
        // (no item mention, no count to read)
        let numbers: &[(Range<usize>, f64)] = if item_refs.is_empty() {
            &[]
        } else {
            &dated_counts().1
        };
        let (mut items, total) = items_with_quantities(doc, gaz, &item_refs, numbers, h.secondary);
        // a speaker correcting himself ("$800 billion — $800 million") means the second
        let mut own = money
            .iter()
            .filter(|m| shared(h.clause, m.start) && !in_attr(m.start))
            .peekable();
        let mut first = own.next();
        while let (Some(a), Some(b)) = (first, own.peek()) {
            let gap = doc.text().get(a.end..b.start).unwrap_or("x");
            if gap
                .trim_matches(|c: char| c == ' ' || c == '-' || c == ',')
                .is_empty()
            {
                first = own.next();
            } else {
                break;
            }
        }
        let value = first.and_then(|m| {
            m.value.currency.clone().map(|c| Value {
                amount: m.value.amount,
                currency: c,
            })
        });
        // funding authorities and funds ("Presidential Drawdown Authority", "USAI", "the
        // European Peace Facility") say where the money comes from: they make an amount
        // military aid but are no item of it
        let funding = items
            .iter()
            .any(|i| i.category.as_deref() == Some("funding"));
        items.retain(|i| i.category.as_deref() != Some("funding"));
        // an aid object is needed: equipment or a system, or an amount given as an aid
        // package ("le programme d'aide de 60 milliards"); a bare amount is not military aid
        if items.is_empty() && value.is_some() {
            // ("une contribution de 40 millions, tandis que les Pays-Bas ont promis 100
            // millions": a clause set against one about an aid package speaks of the same)
            let contrasted = doc
                .cues_in(&(clause.start..h.pos.start), Cue::ClauseBreak)
                .next()
                .is_some();
            let package = funding
                || ms.iter().any(|m| {
                    matches!(m.entry, Entry::Trigger(TriggerClass::Transfer, _))
                        && (clause.contains(&m.start) || (contrasted && m.start < clause.start))
                });
            if let Some(e) = gaz
                .equipment
                .iter()
                .find(|e| e.name == PACKAGE_ITEM)
                .filter(|_| package)
            {
                items.push(Item {
                    name: e.name.clone(),
                    quantity: None,
                    category: Some(e.category.clone()),
                });
            }
        }
        if items.is_empty() {
            continue;
        }
        // "we have not seen any evidence of China providing arms": a denial asserts nothing
        if doc
            .cues_in(&(clause.start..h.pos.start), Cue::Denial)
            .next()
            .is_some()
        {
            continue;
        }
        // "$225 million in humanitarian assistance ... medical supplies": a clause whose
        // only amount is civil aid is about civil aid, unless it names a weapon system
        if value.is_none()
            && civil_money.iter().any(|m| shared(h.clause, m.start))
            && !items.iter().any(|i| gaz.is_weapon_name(&i.name))
        {
            continue;
        }
        // "citizens blocking tanks with their bodies": a block stops a transfer, an aid
        // package or money, not the weapons themselves
        if matches!(st, Status::Blocked | Status::Suspended)
            && value.is_none()
            && !funding
            && !ms.iter().any(|m| {
                clause.contains(&m.start)
                    && matches!(m.entry, Entry::Trigger(TriggerClass::Transfer, _))
            })
            && !items.iter().any(aid_noun)
        {
            continue;
        }
        // "is providing another $1 billion in security assistance": an amount being
        // provided now announces a package; it is not a delivery under way
        let mut st = st;
        if value.is_some()
            && !h.reversed
            && matches!(h.tense, Tense::Present | Tense::Progressive)
            && matches!(st, Status::Expedited | Status::Delivered)
        {
            st = Status::Pledged;
        }
        // "has sent more than $1 billion": an English present perfect of giving, with an
        // amount, sums up what was given so far
        // ("we've committed $1.7 billion, as you all know": a promise in the perfect with
        // an amount and nothing new about it sums up the promises so far;
        // "we've committed an additional $800 million" announces one)
        let fresh = (doc.word_at(clause.start)..doc.word_at(clause.end.saturating_sub(1)))
            .any(|i| doc.word_is(gaz, i, Cue::Fresh));
        let perfect = doc.lang == crate::Lang::En
            && (st == Status::Delivered || (st == Status::Pledged && !fresh))
            && value.is_some()
            && (h.word.saturating_sub(2)..h.word).any(|i| {
                let w = doc.word(i);
                w == "has" || w == "have" || w == "'ve"
            });
        // "more security assistance in the last year than ever — $650 million", "in the
        // past few weeks ... $1 billion": an amount over a span of time is a running total
        let over_span = value.is_some()
            && matches!(h.tense, Tense::Past | Tense::Present)
            && !fresh
            && doc.cues_in(clause, Cue::Duration).next().is_some();
        let kind = if perfect || over_span {
            Kind::Total
        } else {
            kind_of(
                doc,
                gaz,
                st,
                clause,
                &r,
                value.is_some() || funding,
                ms,
                &in_attr,
            )
        };
        // "urging Congress to pass a $33 billion package": a budget request to a
        // parliament before it votes is no appeal for aid (GUIDELINES)
        // (a recipient urging a parliament to approve aid is a request; a government's
        // own request to its parliament finds no donor but that parliament's country)
        if kind == Kind::Request && doc.cues_in(clause, Cue::Budget).next().is_some() {
            continue;
        }
        // "We call on China to cease the transfer of weapons components": asking someone
        // to stop giving is no appeal for aid
        if st == Status::Requested
            && ms.iter().any(|t| {
                matches!(
                    t.entry,
                    Entry::Trigger(
                        TriggerClass::Status(Status::Suspended | Status::Blocked | Status::Refused),
                        _
                    )
                ) && t.start >= h.pos.end
                    && doc.word_at(t.start) <= doc.word_at(h.pos.end.saturating_sub(1)) + 5
            })
        {
            continue;
        }
        // donor and recipient
        // ("Prague, qui ne dévoile pas ses sources, espère livrer": the subject stands
        // before the relative clause)
        let after_relative = h.clause >= 2 && {
            let rel = &clauses[h.clause - 1];
            doc.word_is(gaz, doc.word_at(rel.start), Cue::SubjectRelative)
                && doc.text()[rel.clone()].trim_end().ends_with(',')
        };
        // ("Russia has put its economy on a war footing while acquiring weapons": a
        // participle right after "while"/"tandis que" shares the subject before it)
        let participial = h.clause >= 1
            && h.tense == Tense::Participle
            && doc
                .cues_in(&(clause.start..h.pos.start), Cue::ClauseBreak)
                .next()
                .is_some_and(|c| doc.word_at(c.end.saturating_sub(1)) + 1 >= h.word);
        let role_clause = if participial {
            clauses[h.clause - 1].start..clause.end
        } else if after_relative {
            clauses[h.clause - 2].start..clause.end
        } else {
            clause.clone()
        };
        let (mut donors, recipient, subject_person) =
            roles(doc, gaz, h, &role_clause, ms, attr, ctx, &in_attr);
        // "We call on Congress to pass the package": a government asking its own
        // parliament or people is no appeal for aid (GUIDELINES: budget requests)
        // ("President Zelenskyy asked for Patriots" in a White House readout names its
        // asker: an appeal all the same)
        let own_country = attr.speaker.as_ref().and_then(|s| s.country.clone());
        let named_asker = ms.iter().any(|a| {
            clause.start <= a.start
                && a.end <= h.pos.start
                && !in_attr(a.start)
                && actor_codes(gaz, a).is_some_and(|(c, _)| Some(&c[0]) != own_country.as_ref())
        });
        if st == Status::Requested
            && !named_asker
            && own_country.as_ref().is_some_and(|c| donors.contains(c))
        {
            continue;
        }
        // "refuse d'envoyer des armes mais fournira des gilets": a coordinated clause
        // without a subject shares the one before
        let coordinated = doc
            .cues_in(&(clause.start..h.pos.start), Cue::ClauseBreak)
            .next()
            .is_some();
        if donors.is_empty() && coordinated {
            if let Some(prev) = events.iter().rev().find(|e: &&Event| !e.secondary) {
                donors = prev.donors.clone();
            }
        }
        // "Russia is set to receive Iranian ballistic missiles": on the receiving side an
        // item's origin names its giver when nobody else does (see the groups below)
        // (and on the giving side too when nobody gives: "977 millions d'euros d'aide
        // militaire belge", "les chars allemands sont arrivés")
        // (on the giving side only aid itself: "Iranian drones" there may be anyone's)
        let origin_giver = |rec: &Option<String>| {
            st != Status::Requested
                && items
                    .iter()
                    .filter(|it| h.reversed || aid_noun(it))
                    .any(|it| {
                        item_origin(doc, gaz, ms, &item_ms, &it.name).is_some_and(|o| {
                            Some(&o) != rec.as_ref()
                                && rec.as_ref().is_none_or(|r| !gaz.at_war(&o, r))
                        })
                    })
        };
        if donors.is_empty() && !origin_giver(&recipient) {
            outcome = Outcome::NoDonor;
            continue;
        }
        // "Russia is acquiring weapons from North Korea" supplies a war; "Hungary is
        // acquiring HIMARS" equips its own forces (GUIDELINES: purchases are no aid)
        // ("delivered government-purchased security equipment to Haiti": goods bought by
        // the one receiving them are a sale too)
        let bought = ms.iter().any(|t| {
            matches!(t.entry, Entry::Trigger(TriggerClass::Acquired, _))
                && clause.contains(&t.start)
                && t.start > h.pos.end
                && doc.text()[..t.start].ends_with('-')
        });
        // "we sell Patriots to Saudi Arabia": a sale to a country at peace is a purchase
        // of its own (GUIDELINES), a sale to a belligerent supplies the war
        if (doc.word_is(gaz, h.word, Cue::Sale) || bought)
            && !recipient.as_deref().is_some_and(|r| gaz.belligerent(r))
        {
            continue;
        }
        // "the United States has committed over $2 billion to NATO": an alliance is no
        // recipient of military aid (its members are; countries.tsv codes NATO, EU, G7)
        // ("$67 million to the NATO assistance package for Ukraine" goes to Ukraine)
        let organisation = |c: &str| !(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()));
        let mut recipient = recipient;
        if recipient
            .as_deref()
            .is_some_and(|r| !r.contains('+') && organisation(r))
        {
            let for_ukraine = ms.iter().any(|m| {
                clause.contains(&m.start)
                    && m.start > h.pos.end
                    && actor_codes(gaz, m).is_some_and(|(c, _)| c == ["UKR"])
            });
            if !for_ukraine {
                continue;
            }
            recipient = Some("UKR".to_string());
        }
        // (the one acquiring named before the verb, the sellers after "from")
        let named_buyer = recipient.as_deref().is_some_and(|rc| {
            ms.iter().any(|a| {
                role_clause.start <= a.start
                    && a.end <= h.pos.start
                    && actor_codes(gaz, a).is_some_and(|(c, _)| c[0] == rc)
            })
        });
        let from_sellers = donors.iter().any(|d| {
            ms.iter().any(|a| {
                a.start >= h.pos.end
                    && roles::preceded_by(doc, gaz, a, Cue::From)
                    && actor_codes(gaz, a).is_some_and(|(c, _)| c.contains(d))
            })
        });
        if h.acquired
            && !(named_buyer
                && from_sellers
                && recipient.as_deref().is_some_and(|r| gaz.belligerent(r)))
        {
            continue;
        }
        // "Australia has provided $156m": a bare "$" of a donor whose currency is a
        // dollar is that dollar
        let mut value = value;
        if let (Some(v), Some(m)) = (value.as_mut(), first) {
            let bare = doc
                .orig_text(&(m.start..m.end))
                .trim_start()
                .starts_with('$')
                && !doc.text()[..m.start].trim_end().ends_with("us")
                && !doc.text()[..m.start].trim_end().ends_with("u.s.");
            if bare && v.currency == "USD" && donors.len() == 1 {
                if let Some(d) = gaz.own_dollar(&donors[0]) {
                    v.currency = d.to_string();
                }
            }
        }
        if let Some(r) = &recipient {
            donors.retain(|d| !gaz.at_war(d, r));
            if donors.is_empty() && !origin_giver(&recipient) {
                outcome = Outcome::NoDonor;
                continue;
            }
        }
        // without a recipient only a named weapon system makes it military aid
        let named_system = items.iter().any(|i| gaz.is_weapon_name(&i.name));
        if recipient.is_none() && !named_system {
            outcome = Outcome::NoRecipient;
            continue;
        }
        // generic equipment with neither an amount nor a named system is aid only when the
        // sentence names its recipient ("providing military equipment to Ukraine"); taken
        // from the context alone, "equipment", "supplies" or "training" in a briefing about
        // something else are no aid
        // (in this sentence or the one before: "Les chars sont arrivés à Kiev. Les munitions
        // seront acheminées ...")
        let near = doc.sentences[si.saturating_sub(1)].range.start..r.end;
        let named_recipient = recipient.as_deref().is_some_and(|rc| {
            doc.mentions_in(&near).iter().any(|m| {
                !in_attr(m.start)
                    && actor_codes(gaz, m).is_some_and(|(codes, _)| codes.iter().any(|c| c == rc))
            })
        });
        // (a short article about Ukraine speaks of Ukraine throughout: "300 000 obus
        // avaient été livrés" there needs no recipient of its own; "equipment" or
        // "training" still does)
        let weapon_kind = items
            .iter()
            .any(|i| !matches!(i.category.as_deref(), Some("other" | "not_aid") | None));
        // (only an agentless passive with no actor of its own in the clause)
        let passive = (h.word.saturating_sub(2)..h.word).any(|i| doc.word_is(gaz, i, Cue::BeAux));
        let actorless = !ms.iter().any(|a| {
            clause.contains(&a.start) && !in_attr(a.start) && actor_codes(gaz, a).is_some()
        });
        let article_recipient =
            ctx.short_article && weapon_kind && recipient.is_some() && passive && actorless;
        if !named_system && value.is_none() && !named_recipient && !article_recipient && !h.reversed
        {
            outcome = Outcome::NoRecipient;
            continue;
        }
        // date: the time expression nearest to this head among the sentence's heads
        // "will deliver thirty F-16s by 2028", "s'engage à fournir ... cette année": a
        // promise made now is dated by when it is made; a date after the article, or a
        // period that contains its day, is when the aid is due, not the promise
        let current = matches!(
            h.tense,
            Tense::Present | Tense::Future | Tense::Conditional | Tense::Progressive
        ) || sent.headline;
        let due = |t: &Found<aidledger_parse::TimeValue>| -> bool {
            let Some(r) = doc.reference_text.as_deref() else {
                return false;
            };
            if !(current && st.group() == StatusGroup::Commit)
                || in_attr(t.start)
                || said_when(t.start)
            {
                return false;
            }
            let d = t.value.record_date();
            let n = d.len().min(r.len());
            d.get(..n) > r.get(..n) || (d.len() < r.len() && r.starts_with(d.as_str()))
        };
        let date = if h.secondary {
            None
        } else {
            // "... if senators approve the bill as expected on Tuesday": a date in a
            // condition after the head dates the condition, not the head
            let conditional = |t: &Found<aidledger_parse::TimeValue>| {
                doc.cues_in(&(h.pos.end..t.start.max(h.pos.end)), Cue::Condition)
                    .next()
                    .is_some()
            };
            dated_counts()
                .0
                .iter()
                .filter(|t| shared(h.clause, t.start) || in_attr(t.start))
                .filter(|t| owner(t.start) == Some(hi))
                .filter(|t| !due(t) && !conditional(t))
                .min_by_key(|t| dist(&h.pos, t.start))
                .map(|t| t.value.record_date())
                .or_else(|| {
                    doc.cues_in(&r, Cue::ThatEvent)
                        .next()
                        .and_then(|_| earlier_date(doc, si))
                })
        };
        // an undated announcement in the present or future ("enverra", "is sending", a
        // headline) happens when the article reports it: the record takes the publication
        // date if no mention dates it (decided when mentions are merged)
        // a running total has no date of its own (GUIDELINES: "has provided $16.8 billion")
        let date = date.filter(|_| kind != Kind::Total);
        // (an undated decision told in the past, "a dévoilé un nouveau paquet", "has
        // refused to send", is news of the day too: a promise or refusal is reported when
        // it is made; a past delivery without a date stays undated)
        // ("Congress recently approved": not that day)
        let earlier = (doc.word_at(clause.start)..doc.word_at(clause.end.saturating_sub(1)))
            .any(|i| doc.word_is(gaz, i, Cue::Earlier));
        let undated_decision =
            h.tense == Tense::Past && st.group() == StatusGroup::Commit && !earlier;
        let default_date = ((current || undated_decision) && !h.secondary && kind != Kind::Total)
            .then(|| {
                ctx.section_date
                    .clone()
                    .or_else(|| doc.reference_text.clone())
            })
            .flatten();
        let asserted_by = if h.secondary {
            None
        } else {
            attr.speaker
                .as_ref()
                .and_then(|s| s.name.clone())
                .or_else(|| {
                    // the person who promises or asks says so; one who signs a bill or
                    // refuses to send acts, and the article tells it in its own voice
                    (matches!(
                        st,
                        Status::Requested | Status::Pledged | Status::Considering
                    ) || (st == Status::Refused
                        && ms.iter().any(|c| {
                            matches!(c.entry, Entry::Cue(Cue::RuleOut, _))
                                && c.start <= h.pos.start
                                && h.pos.end <= c.end
                        })))
                    .then_some(subject_person)
                    .flatten()
                })
        };
        // "Ukraine is receiving German Leopard 2 tanks and British Challenger 2s": on the
        // receiving side, an item's origin adjective names its giver
        let mut groups: Vec<(Vec<String>, Vec<Item>)> = Vec::new();
        for it in items {
            let from = if (h.reversed || (donors.is_empty() && aid_noun(&it)))
                && st != Status::Requested
            {
                item_origin(doc, gaz, ms, &item_ms, &it.name)
                    .filter(|o| {
                        Some(o) != recipient.as_ref()
                            && recipient.as_ref().is_none_or(|r| !gaz.at_war(o, r))
                    })
                    .map(|o| vec![o])
            } else {
                None
            };
            let ds = from.unwrap_or_else(|| donors.clone());
            match groups.iter_mut().find(|g| g.0 == ds) {
                Some(g) => g.1.push(it),
                None => groups.push((ds, vec![it])),
            }
        }
        for (donors, items) in groups.into_iter().filter(|g| !g.0.is_empty()) {
            events.push(Event {
                sentence: si,
                status: st,
                donors,
                recipient: recipient.clone(),
                items,
                value: value.clone(),
                date: date.clone(),
                asserted_by: asserted_by.clone(),
                span: r.clone(),
                secondary: h.secondary,
                headline: sent.headline,
                total,
                extra_spans: Vec::new(),
                default_date: default_date.clone(),
                kind,
            });
        }
        outcome = Outcome::Events;
    }
    if let Some(e) = events.iter().rev().find(|e| !e.secondary) {
        ctx.last_donors = e.donors.clone();
    }
    (events, outcome)
}

/// Whether an item is aid itself ("military aid", "security assistance", "aid package")
/// rather than a weapon or a piece of equipment.
fn aid_noun(it: &Item) -> bool {
    it.category.as_deref() == Some("other")
        && ["aid", "assistance", "package", "support"]
            .iter()
            .any(|w| it.name.contains(w))
}

/// What kind of figure a mention reports. An amount said to run "since the invasion" or
/// "to date" is a cumulative total; an amount a legislature votes, or a supplemental,
/// appropriation or fund, is a budget; an appeal is a request; otherwise a promise or a
/// stop concerns a package and a delivery is a transfer.
#[allow(clippy::too_many_arguments)]
fn kind_of(
    doc: &Doc,
    gaz: &Gazetteer,
    st: Status,
    clause: &Range<usize>,
    sentence: &Range<usize>,
    money: bool,
    ms: &[Mention],
    in_attr: &dyn Fn(usize) -> bool,
) -> Kind {
    if st == Status::Requested {
        return Kind::Request;
    }
    let legislature = ms.iter().any(|m| {
        clause.contains(&m.start)
            && !in_attr(m.start)
            && matches!(m.entry, Entry::Institution(i) if gaz.institutions[i as usize].kind == "legislature")
    });
    let budget = legislature || doc.cues_in(clause, Cue::Budget).next().is_some();
    if money && st.group() == StatusGroup::Commit && budget {
        return Kind::Budget;
    }
    // "since the invasion", "to date" make a running total, unless a superlative before
    // says which single package it is ("our largest package to date")
    let cumulative = doc.cues_in(sentence, Cue::Cumulative).any(|c| {
        let w = doc.word_at(c.start);
        !(w.saturating_sub(6)..w).any(|i| doc.word_is(gaz, i, Cue::Superlative))
    });
    if money && cumulative {
        return Kind::Total;
    }
    match st.group() {
        StatusGroup::Deliver => Kind::Transfer,
        StatusGroup::Request => Kind::Request,
        _ => Kind::Package,
    }
}

/// The date a headline line states on its own ("Mardi 28 mai", "Wednesday, May 29"):
/// a live blog's section heading. `None` for any other sentence.
pub fn section_heading_date(doc: &Doc, si: usize) -> Option<String> {
    let s = &doc.sentences[si];
    if !s.headline {
        return None;
    }
    let text = doc.text()[s.range.clone()].trim();
    if text.is_empty() || text.len() > 40 {
        return None;
    }
    let times = find_times(text, doc.lang, doc.reference, Prefer::Past);
    let t = times.first()?;
    let covered = t.end - t.start;
    let d = t.value.record_date();
    // the date is the whole line (a weekday, a day and a month at least)
    (covered + 3 >= text.len() && d.len() == 10).then_some(d)
}

/// The last date written in the three sentences before `si` ("Au cours de cet appel"
/// refers to the call dated there).
fn earlier_date(doc: &Doc, si: usize) -> Option<String> {
    (si.saturating_sub(3)..si).rev().find_map(|j| {
        let r = doc.sentences[j].range.clone();
        find_times(&doc.text()[r], doc.lang, doc.reference, Prefer::Past)
            .last()
            .map(|t| t.value.record_date())
    })
}

/// Where the word `n` words before word `w` starts.
pub(crate) fn before_word_start(doc: &Doc, w: usize, n: usize) -> usize {
    doc.words.get(w.saturating_sub(n)).map_or(0, |x| x.start)
}

pub(crate) fn clause_end(clauses: &[Range<usize>], c: usize) -> usize {
    clauses.get(c).map_or(0, |r| r.end)
}

fn dist(r: &Range<usize>, p: usize) -> usize {
    if p < r.start {
        r.start - p
    } else {
        p.saturating_sub(r.end)
    }
}

/// Cuts a sentence into clauses: at clause-break cues, at a relative "qui"/"who", and
/// around attribution spans; a concessive opening ("Bien que ..., ") ends at its comma.
fn clauses(
    doc: &Doc,
    gaz: &Gazetteer,
    r: &Range<usize>,
    ms: &[Mention],
    attr: &Attribution,
) -> Vec<Range<usize>> {
    let mut cuts: Vec<usize> = Vec::new();
    for m in ms {
        if let Entry::Cue(Cue::ClauseBreak, _) = m.entry {
            cuts.push(m.start);
            let first_words = doc.word_at(m.start) <= doc.word_at(r.start) + 1;
            if first_words {
                if let Some(c) = doc.text().get(m.end..r.end).and_then(|t| t.find(", ")) {
                    cuts.push(m.end + c + 1);
                }
            }
        }
    }
    for i in doc.word_at(r.start)..doc.word_at(r.end) {
        if doc.word_is(gaz, i, Cue::SubjectRelative) {
            cuts.push(doc.words[i].start);
            // "Prague, qui ne dévoile pas ses sources, espère livrer": a relative set off
            // by commas ends at the second one (unless a list goes on: ", des canons")
            let after_comma = doc.text()[r.start..doc.words[i].start]
                .trim_end()
                .ends_with(',');
            if after_comma {
                let from = doc.words[i].end;
                if let Some(c) = doc.text().get(from..r.end).and_then(|t| t.find(", ")) {
                    let next = doc.word_at(from + c + 2);
                    let listing = doc.word_is(gaz, next, Cue::Determiner)
                        || doc.word_is(gaz, next, Cue::And)
                        || doc.word(next).starts_with(|ch: char| ch.is_ascii_digit());
                    if !listing {
                        cuts.push(from + c + 1);
                    }
                }
            }
        }
    }
    for s in &attr.spans {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    cuts.retain(|&c| c > r.start && c < r.end);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut s = r.start;
    for c in cuts {
        out.push(s..c);
        s = c;
    }
    out.push(s..r.end);
    out
}
