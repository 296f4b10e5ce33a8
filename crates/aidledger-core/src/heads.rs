//! Heads of a sentence's events: which trigger words report an event and at which
//! stage, before roles, items, amounts and dates are read around them (`events.rs`).
//! Tense and mood give the stage of a giving verb; negation, readiness, intent, ordinals
//! and inceptive verbs shift it; reporting verbs, relative clauses, nouns and
//! infinitives governed by another head report no event of their own.

use std::ops::Range;

use crate::attribute::Attribution;
use crate::doc::Doc;
use crate::events::{before_word_start, clause_end, Head};
use crate::gazetteer::{Cue, Entry, Gazetteer, Mention, TriggerClass};
use crate::roles::actor_codes;
use crate::tense::{tense_of, Tense};
use crate::Status;

/// The heads of the sentence `r` with their stages, and whether a negation was met.
pub(crate) fn find_heads(
    doc: &Doc,
    gaz: &Gazetteer,
    r: &Range<usize>,
    ms: &[Mention],
    attr: &Attribution,
    clauses: &[Range<usize>],
    triggers: Vec<&Mention>,
) -> (Vec<Head>, bool) {
    let in_attr = |p: usize| attr.spans.iter().any(|s| s.contains(&p));
    let clause_of = |p: usize| clauses.iter().position(|c| c.contains(&p)).unwrap_or(0);
    // a reporting verb that is also a trigger ("announced") counts unless a verb outside
    // the attribution carries the event
    let outside: Vec<&&Mention> = triggers.iter().filter(|m| !in_attr(m.start)).collect();
    // (a verb of acquiring carries no event for the speaker's own side: "announced a
    // package, which will be used to procure equipment")
    let verbal_outside = outside.iter().any(|m| {
        !matches!(
            m.entry,
            Entry::Trigger(TriggerClass::Transfer | TriggerClass::Acquired, _)
        )
    });
    let outside = if verbal_outside { outside } else { Vec::new() };
    let usable: Vec<&Mention> = if outside.is_empty() {
        triggers.clone()
    } else {
        outside.into_iter().copied().collect()
    };

    let mut heads: Vec<Head> = Vec::new();
    let mut negated_any = false;
    // when no trigger outside the attribution reads as an event ("authorities provided by
    // the initiative"), the reporting verb may carry it itself ("We announced $300 million")
    let fallback = usable.len() < triggers.len();
    for pass in 0..2 {
        if pass == 1 && !fallback {
            break;
        }
        // (the second pass weighs the reporting verbs, for the clauses still without a
        // head: "X est devenue le deuxième pays à céder des avions, après que le président
        // polonais a annoncé l'envoi de quatre MiG-29" reports two events)
        let head_clauses: Vec<usize> = heads
            .iter()
            .filter(|h| !h.acquired)
            .map(|h| h.clause)
            .collect();
        let usable = if pass == 0 {
            usable.clone()
        } else if heads.is_empty() {
            triggers.clone()
        } else {
            triggers
                .iter()
                .copied()
                .filter(|m| in_attr(m.start))
                .collect()
        };
        for m in usable {
            let Entry::Trigger(class, _) = m.entry else {
                continue;
            };
            // "US-supplied HIMARS", "Western-made": a compound adjective describes the
            // weapon, it reports no event
            let t = doc.text().as_bytes();
            if m.start >= 2 && t[m.start - 1] == b'-' && t[m.start - 2].is_ascii_alphanumeric() {
                continue;
            }
            let word = doc.word_at(m.start);
            let mut tense = tense_of(doc, gaz, word);
            // "the announcement", "weapons supplies": a noun, not a verb
            // "sont arrivés", "were delivered": a trigger opening on an auxiliary is a verb
            let aux_led =
                doc.word_is(gaz, word, Cue::BeAux) || doc.word_is(gaz, word, Cue::PastAux);
            let after_item = !aux_led
                && ms.iter().any(|i| {
                    matches!(i.entry, Entry::Weapon(_) | Entry::Equipment(_))
                        && i.end <= m.start
                        && doc
                            .text()
                            .get(i.end..m.start)
                            .is_some_and(|g| g.trim().is_empty())
                });
            // "argued against sending weapons", "in supplying": a gerund after a preposition
            // names an activity, it reports no event
            // ("does not exclude sending": a gerund right after another trigger is its object)
            let after_trigger = triggers
                .iter()
                .any(|t| t.end <= m.start && doc.word_at(t.end.saturating_sub(1)) + 1 == word);
            let gerund = doc.lang == crate::Lang::En
                && word > 0
                && (doc.word_is(gaz, word - 1, Cue::Preposition) || after_trigger)
                && doc.word(word).ends_with("ing");
            // ("a new supply line", "delivery schedules": the first half of a compound)
            let compound = doc.lang == crate::Lang::En
                && doc.word_is(
                    gaz,
                    doc.word_at(m.end.saturating_sub(1)) + 1,
                    Cue::CompoundHead,
                );
            let nominal = (word > 0 && doc.word_is(gaz, word - 1, Cue::Determiner))
                || after_item
                || gerund
                || compound;
            // "the munitions mix given now", "weapons sent to Kyiv": an English past form right
            // after a common noun, with no auxiliary, is a participle describing that noun
            if doc.lang == crate::Lang::En && tense == Tense::Past && word > 0 {
                let prev = doc.orig_word(word - 1);
                let aux = (word.saturating_sub(2)..word)
                    .any(|i| doc.word_is(gaz, i, Cue::PastAux) || doc.word_is(gaz, i, Cue::BeAux));
                let prev_actor = ms.iter().any(|a| {
                    a.end <= m.start
                        && doc.word_at(a.end.saturating_sub(1)) + 1 == word
                        && actor_codes(gaz, a).is_some()
                });
                let prev_pronoun = ms.iter().any(|a| {
                    matches!(a.entry, Entry::Cue(Cue::Pronoun | Cue::We, _))
                        && doc.word_at(a.start) + 1 == word
                });
                let lower = prev.chars().next().is_some_and(char::is_lowercase);
                if !aux
                    && (after_item
                        || (!prev_actor && !prev_pronoun && lower && !prev.ends_with("ly")))
                {
                    tense = Tense::BareParticiple;
                }
            }
            // "le réarmement accéléré du continent", "an accelerated build-up": a
            // participle of speed describing a noun reports no shipment
            if matches!(class, TriggerClass::Status(Status::Expedited))
                && matches!(tense, Tense::BareParticiple | Tense::Past)
                && doc.lang == crate::Lang::Fr
                && word > 0
                && !(word.saturating_sub(3)..word)
                    .any(|i| doc.word_is(gaz, i, Cue::PastAux) || doc.word_is(gaz, i, Cue::BeAux))
                && !doc.word_is(gaz, word + 1, Cue::By)
                && !doc.word_is(gaz, word + 1, Cue::ToRecipient)
                && doc.orig_word(word - 1).chars().all(char::is_lowercase)
                // ("des armes expédiées dans les prochaines heures" ship them)
                && !after_item
            {
                continue;
            }
            // "promised to deal with companies that sell ...": a promise of another deed
            if matches!(class, TriggerClass::Status(Status::Pledged)) {
                let end = doc.word_at(m.end.saturating_sub(1));
                let to = (end + 1..end + 3).find(|&i| doc.word_is(gaz, i, Cue::To));
                if let Some(t) = to {
                    // ("committed to collectively provide": past an adverb)
                    let verb = if doc.word(t + 1).ends_with("ly") {
                        t + 2
                    } else {
                        t + 1
                    };
                    // ("committed to Ukraine", "pledged to date": no verb follows)
                    let lower = doc
                        .orig_word(verb)
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase);
                    // ("announced plans to procure HIMARS": buying is another deed)
                    let trigger_verb = ms.iter().any(|o| {
                        matches!(o.entry, Entry::Trigger(c, _) if c != TriggerClass::Acquired)
                            && doc.word_at(o.start) == verb
                    });
                    let object_between = ms.iter().any(|o| {
                        matches!(o.entry, Entry::Weapon(_) | Entry::Equipment(_))
                            && o.start >= m.end
                            && o.start < doc.words[t].start
                    });
                    let verb_like = doc.lang == crate::Lang::En
                        || ["er", "ir", "re"]
                            .iter()
                            .any(|e| doc.word(verb).ends_with(e));
                    if verb_like
                        && lower
                        && doc.word(verb) != "date"
                        && !trigger_verb
                        && !object_between
                        && verb < doc.words.len()
                        && !doc.word_is(gaz, verb, Cue::AidVerb)
                        && !doc.word_is(gaz, verb, Cue::Determiner)
                        && doc.words[verb].start < r.end
                    {
                        continue;
                    }
                }
            }
            // "I can give you a little bit about the drones": the speaker informs the room;
            // "provided their counterparts with details of a new package" gives words
            if matches!(class, TriggerClass::Give) {
                let next = doc.word_at(m.end.saturating_sub(1)) + 1;
                if matches!(doc.word(next), "you" | "vous") {
                    continue;
                }
                let info = (next..next + 5).find(|&i| doc.word_is(gaz, i, Cue::Info));
                let item_first = info.is_some_and(|i| {
                    ms.iter().any(|o| {
                        matches!(o.entry, Entry::Weapon(_) | Entry::Equipment(_))
                            && o.start >= m.end
                            && o.start < doc.words[i].start
                    })
                });
                if info.is_some() && !item_first {
                    continue;
                }
            }
            // "was asked", "when asked": a question put to someone, not a request for aid
            // "asks if it was a joke", "demande si": a question, not an appeal
            if matches!(class, TriggerClass::Status(Status::Requested)) && {
                let next = doc.word_at(m.end.saturating_sub(1)) + 1;
                doc.word(next) == "whether"
                    || doc.word_is(gaz, next, Cue::When)
                    || (doc.lang == crate::Lang::Fr && doc.word(next) == "si")
            } {
                continue;
            }
            // ("Sunak is to urge allies": a plan to ask is a request all the same)
            if matches!(class, TriggerClass::Status(Status::Requested))
                && !(word > 0 && doc.word_is(gaz, word - 1, Cue::To))
                && (word.saturating_sub(2)..word)
                    .any(|i| doc.word_is(gaz, i, Cue::BeAux) || doc.word_is(gaz, i, Cue::When))
            {
                continue;
            }
            // "the HIMARS supplied by the United States": a participle after its noun is no
            // noun itself
            if nominal && (gerund || tense != Tense::BareParticiple) {
                tense = Tense::Nominal;
            }
            // "pledged to continue providing": a gerund after "continue"/"keep" is read as
            // the infinitive after it ("continue to provide")
            if tense == Tense::Participle
                && doc
                    .cues_in(&(before_word_start(doc, word, 3)..m.start), Cue::Inceptive)
                    .any(|c| doc.word_at(c.end.saturating_sub(1)) + 1 == word)
            {
                tense = Tense::Infinitive;
            }
            // "in the process of receiving", "en train de livrer": under way
            if doc
                .cues_in(&(before_word_start(doc, word, 5)..m.start), Cue::Ongoing)
                .any(|c| doc.word_at(c.end.saturating_sub(1)) + 1 == word)
            {
                tense = Tense::Progressive;
            }
            let replace = doc
                .cues_in(&(m.start..m.end), Cue::Replace)
                .next()
                .is_some();
            // "his announcement today of an additional $800 million", "the approval of 20
            // tanks": a status noun with its object after "of"/"de" reports that event
            // (its object right there: an item, an amount or a giving verb; "l'engagement
            // ferme de Washington envers l'Ukraine" is no aid)
            let of_at = (word + 1..word + 3).find(|&i| match doc.lang {
                crate::Lang::En => doc.word_is(gaz, i, Cue::PartOf),
                // "l'autorisation de céder": "de", not "depuis"
                crate::Lang::Fr => doc.word_is(gaz, i, Cue::To),
            });
            let noun_of = of_at.is_some_and(|i| {
                let from = doc.words[i].end.min(r.end);
                let to = doc
                    .words
                    .get(i + 4)
                    .map_or(r.end, |w| w.end)
                    .clamp(from, r.end);
                ms.iter().any(|o| {
                    o.start >= from
                        && o.start < to
                        && matches!(
                            o.entry,
                            Entry::Weapon(_)
                                | Entry::Equipment(_)
                                | Entry::Trigger(TriggerClass::Give, _)
                        )
                }) || doc.text()[from..to].contains(['$', '€', '£'])
                    || doc.text()[from..to].bytes().any(|b| b.is_ascii_digit())
            });
            let mut status = match class {
                TriggerClass::Status(s) => match tense {
                    Tense::Nominal if !noun_of => None,
                    // "Abrams tanks will arrive in Ukraine next week": on the way
                    Tense::Future if s == Status::Delivered => Some(Status::Expedited),
                    _ => Some(s),
                },
                // ("les munitions achetées hors de l'UE": a participle of buying describes)
                TriggerClass::Acquired
                    if matches!(tense, Tense::Nominal | Tense::BareParticiple) =>
                {
                    None
                }
                TriggerClass::Received | TriggerClass::Acquired => match tense {
                    Tense::Nominal => None,
                    // "is receiving", "in the process of receiving": on its way
                    Tense::Progressive => Some(Status::Expedited),
                    // "is set to receive", "will receive": still to come
                    Tense::Infinitive | Tense::Future => Some(Status::Pledged),
                    _ => Some(Status::Delivered),
                },
                TriggerClass::Transfer => None,
                TriggerClass::Give => match tense {
                    Tense::Future | Tense::Conditional => Some(Status::Pledged),
                    Tense::Past | Tense::Participle => Some(Status::Delivered),
                    Tense::Present => {
                        if doc.lang == crate::Lang::Fr
                            && (word.saturating_sub(3)..word)
                                .any(|i| doc.word_is(gaz, i, Cue::Complementizer))
                        {
                            Some(Status::Pledged) // subjunctive after "que": "pour que les pays fournissent"
                        } else {
                            Some(Status::Delivered)
                        }
                    }
                    Tense::Progressive => Some(Status::Expedited),
                    // "weapons sent to Kyiv", "HIMARS supplied by the United States"
                    Tense::BareParticiple => (doc.word_is(gaz, word + 1, Cue::ToRecipient)
                        || doc.word_is(gaz, word + 1, Cue::By))
                    .then_some(Status::Delivered),
                    Tense::Infinitive | Tense::Nominal => None,
                },
            };
            // a trigger that is the reporting verb itself ("announced a package") reads its
            // object in the clause after the attribution
            let clause = match attr.spans.iter().find(|s| s.contains(&m.start)) {
                Some(s) if s.end < r.end => clause_of(s.end),
                _ => clause_of(m.start),
            };
            // (and only a verb with its object right after it: "a annoncé l'envoi de";
            // "a annoncé lundi le ministre" names the speaker of the head already found)
            let object_next = || {
                let w = doc.word_at(m.end.saturating_sub(1));
                ms.iter()
                    .filter(|o| o.start >= m.end && doc.word_at(o.start) <= w + 6)
                    .take_while(|o| !matches!(o.entry, Entry::Role(_) | Entry::Person(_)))
                    .any(|o| {
                        matches!(
                            o.entry,
                            Entry::Weapon(_)
                                | Entry::Equipment(_)
                                | Entry::Trigger(TriggerClass::Transfer, _)
                        )
                    })
            };
            if pass == 1
                && !head_clauses.is_empty()
                && (head_clauses.contains(&clause) || !object_next())
            {
                continue;
            }
            // the words governing the trigger, back to a complementizer at most: in "I can
            // announce that we have delivered", "can" governs "announce", not "delivered"
            let from = word.saturating_sub(6).min(word);
            let from = (from..word)
                .rev()
                .find(|&i| doc.word_is(gaz, i, Cue::Complementizer))
                .map_or(from, |i| i + 1);
            let before = doc.words[from..word].first().map_or(m.start, |w| w.start);
            let window = before..m.start;
            // infinitives and nouns: governed by an earlier head of the clause, or by a cue
            if status.is_none() || tense == Tense::Infinitive {
                let governed = heads
                    .iter()
                    .any(|h| h.clause == clause && h.status.is_some() && h.pos.start < m.start);
                if governed {
                    continue;
                }
                if tense == Tense::Infinitive && matches!(class, TriggerClass::Give) {
                    if let Some(c) = doc.cues_in(&window, Cue::Inceptive).next() {
                        // "has started to send" happens; "will continue to provide" and
                        // "our commitment to continue providing" promise
                        let cw = doc.word_at(c.start);
                        // ("We will continue to stand with them and continue to provide":
                        // joined by "and" to a future verb of the clause)
                        let joined_future = cw > 0
                            && doc.word_is(gaz, cw - 1, Cue::And)
                            && (doc.word_at(clauses[clause].start)..cw)
                                .any(|i| doc.word_is(gaz, i, Cue::Future));
                        let promised = joined_future
                            || (cw.saturating_sub(3)..cw).any(|i| {
                                doc.word_is(gaz, i, Cue::Future)
                                    || doc.word_is(gaz, i, Cue::Conditional)
                                    || doc.word(i) == "going"
                            })
                            || ms.iter().any(|o| {
                                o.end <= c.start
                                    && doc.word_at(o.end.saturating_sub(1)) + 2 >= cw
                                    && matches!(
                                        o.entry,
                                        Entry::Trigger(..)
                                            | Entry::Cue(Cue::Ready | Cue::Intent, _)
                                    )
                            });
                        status = Some(if promised {
                            Status::Pledged
                        } else {
                            Status::Delivered
                        });
                    } else if doc.cues_in(&window, Cue::Ready).next().is_some() {
                        status = Some(Status::Considering);
                    } else if doc.cues_in(&window, Cue::Intent).next().is_some() {
                        status = Some(Status::Pledged);
                    } else {
                        status = ordinal_stage(doc, gaz, ms, word, clauses[clause].start);
                    }
                }
            }
            let Some(mut st) = status else { continue };
            if doc.lang == crate::Lang::En && word > 0 {
                let prev_end = doc.words[word - 1].end;
                let gap = doc.text().get(prev_end..m.start).unwrap_or("");
                // "The Senate passed a $95 billion bill, delivering billions in weapons": a
                // participle after a comma describes the event before it
                if !heads.is_empty() && doc.word(word).ends_with("ing") && gap.contains(',') {
                    continue;
                }
                // "We will continue to stand with them and provide them with assistance":
                // a verb joined by "and" to a future one is future too
                if tense == Tense::Present
                    && st == Status::Delivered
                    && doc.word_is(gaz, word - 1, Cue::And)
                    && (doc.word_at(clauses[clause].start)..word)
                        .any(|i| doc.word_is(gaz, i, Cue::Future))
                {
                    st = Status::Pledged;
                }
            }
            // modality and negation
            if matches!(
                class,
                TriggerClass::Give | TriggerClass::Received | TriggerClass::Acquired
            ) && doc.cues_in(&window, Cue::Ready).next().is_some()
            {
                st = Status::Considering;
            }
            // "seront livrées dans les prochains jours", "will arrive soon": on the way
            if st == Status::Pledged
                && tense == Tense::Future
                && doc
                    .cues_in(&(m.end..clause_end(clauses, clause)), Cue::Soon)
                    .next()
                    .is_some()
            {
                st = Status::Expedited;
            }
            let neg_from = doc.words[word.saturating_sub(3).min(word)..word]
                .first()
                .map_or(m.start, |w| w.start);
            if doc
                .cues_in(&(neg_from..m.start), Cue::Negation)
                .next()
                .is_some()
            {
                negated_any = true;
                // "weapons that we have not provided before": a negated relative clause
                // describes, it refuses nothing
                // (the pronoun right after an item: "que" after a verb of saying is not one)
                let relative = (word.saturating_sub(4)..word).any(|i| {
                    doc.word_is(gaz, i, Cue::Relative)
                        && !doc.word_is(gaz, i, Cue::SubjectRelative)
                        && ms.iter().any(|o| {
                            matches!(o.entry, Entry::Weapon(_) | Entry::Equipment(_))
                                && o.end <= doc.words[i].start
                                && doc.word_at(o.end) == i
                        })
                });
                if replace || relative {
                    continue;
                }
                // "has not sent", "is not providing Russia with arms": a gift that did not
                // happen, or a denial that it happens, is no refusal (a refusal decides:
                // "will not send", "refuses to", "n'enverra pas")
                if matches!(class, TriggerClass::Give)
                    && matches!(tense, Tense::Past | Tense::Progressive)
                {
                    continue;
                }
                st = match st {
                    // "has not approved", "has not signed" is no refusal
                    Status::Approved => continue,
                    Status::Pledged
                    | Status::Considering
                    | Status::Expedited
                    | Status::Delivered => Status::Refused,
                    Status::Refused => Status::Considering,
                    _ => continue,
                };
            }
            let secondary = !heads.is_empty()
                && (word.saturating_sub(3)..word).any(|i| {
                    doc.word_is(gaz, i, Cue::Relative) && !doc.word_is(gaz, i, Cue::SubjectRelative)
                })
                && !doc.word_is(gaz, word.saturating_sub(1), Cue::ToRecipient);
            // "more than the United States has provided at any other time": a comparison
            // reports no event
            if (word.saturating_sub(5)..word).any(|i| doc.word_is(gaz, i, Cue::Comparative)) {
                continue;
            }
            // "requested Australia send Bushmasters", "urged Germany to deliver": the giving
            // verb right after a request's object is what is asked, not a second event
            if matches!(class, TriggerClass::Give)
                && heads.iter().any(|h| {
                    h.clause == clause
                        && h.status == Some(Status::Requested)
                        && word <= doc.word_at(h.pos.end.saturating_sub(1)) + 5
                })
            {
                continue;
            }
            // "I can announce that we have delivered": a reporting verb with its own content
            // clause reports that clause's event, it is none itself
            // ("announced earlier this year that Britain would": a time between the verb
            // and "that", but no aid object: "announced $300 million that ..." is one)
            let that_at = (word + 1..(word + 7).min(doc.words.len()))
                .find(|&i| doc.word_is(gaz, i, Cue::Complementizer));
            let content_clause = that_at.is_some_and(|i| {
                let gap = m.end..doc.words[i].start;
                !doc.text()[gap.clone()].contains(['$', '€', '£'])
                    && !ms.iter().any(|o| {
                        gap.contains(&o.start)
                            && matches!(
                                o.entry,
                                Entry::Weapon(_) | Entry::Equipment(_) | Entry::Trigger(..)
                            )
                    })
            });
            let reports = ms.iter().any(|c| {
                matches!(c.entry, Entry::Cue(Cue::Say, _)) && c.start <= m.start && m.end <= c.end
            }) && content_clause
                && triggers.iter().any(|t| t.start > m.end + 1);
            if reports {
                continue;
            }
            // "the artillery systems that they have requested": a request in a relative
            // clause describes what is given, it is no appeal of its own
            if secondary && st == Status::Requested {
                continue;
            }
            // one head per clause and status group
            if heads.iter().any(|h| {
                h.clause == clause
                    && h.status.map(|s| s.group()) == Some(st.group())
                    && !secondary
                    && !h.secondary
            }) {
                // the first verb of the clause leads ("livrerait ... et autoriserait")
                continue;
            }
            heads.push(Head {
                pos: m.start..m.end,
                word,
                status: Some(st),
                tense,
                reversed: matches!(
                    class,
                    TriggerClass::Received
                        | TriggerClass::Acquired
                        | TriggerClass::Status(Status::Requested)
                ),
                acquired: class == TriggerClass::Acquired,
                replace,
                secondary,
                clause,
            });
        }
    }
    (heads, negated_any)
}

/// "the first country to send tanks", "le premier membre de l'OTAN à envoyer des chars":
/// a giving infinitive after an ordinal reports a step taken (delivered), or promised when
/// the verb before is future or conditional ("would be the first to supply"). Between the
/// ordinal and "to"/"à" only articles, "of"/"de", a few nouns (`ordinal_noun`) and named
/// actors may stand: "the first time to send" or "the only way to supply" report nothing.
fn ordinal_stage(
    doc: &Doc,
    gaz: &Gazetteer,
    ms: &[Mention],
    word: usize,
    clause_start: usize,
) -> Option<Status> {
    if word < 2 || !doc.word_is(gaz, word - 1, Cue::To) {
        return None;
    }
    let actor_word = |i: usize| {
        let w = &doc.words[i];
        ms.iter()
            .any(|m| m.start <= w.start && w.end <= m.end && actor_codes(gaz, m).is_some())
    };
    let lowest = (word - 1).saturating_sub(7).max(doc.word_at(clause_start));
    let mut i = word - 1;
    let ord = loop {
        if i <= lowest {
            return None;
        }
        i -= 1;
        if doc.word_is(gaz, i, Cue::Ordinal) {
            break i;
        }
        let glue = doc.word_is(gaz, i, Cue::Determiner)
            || doc.word_is(gaz, i, Cue::PartOf)
            || doc.word_is(gaz, i, Cue::To)
            || doc.word_is(gaz, i, Cue::OrdinalNoun)
            || actor_word(i);
        if !glue {
            return None;
        }
    };
    // "the first", "was first": an ordinal naming who acted ("hesitation first to provide"
    // is an adverb)
    if ord == 0
        || !(doc.word_is(gaz, ord - 1, Cue::Determiner) || doc.word_is(gaz, ord - 1, Cue::BeAux))
    {
        return None;
    }
    let promised = (doc.word_at(clause_start)..ord).any(|b| {
        doc.word_is(gaz, b, Cue::Future)
            || doc.word_is(gaz, b, Cue::Conditional)
            || (doc.word_is(gaz, b, Cue::BeAux)
                && matches!(tense_of(doc, gaz, b), Tense::Future | Tense::Conditional))
    });
    Some(if promised {
        Status::Pledged
    } else {
        Status::Delivered
    })
}
