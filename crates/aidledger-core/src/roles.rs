//! Roles of an event: who gives and who receives. The subject before the verb (with
//! coordinated names sharing it), the agent of a passive, a possessor, the speaker's
//! country for "we", the antecedent of a relative "qui"; the recipient marked by "à"/"to"
//! or right after the verb; reversed roles for requests and receipts. Part of the event
//! stage (`events.rs`), kept apart because it is a job of its own.

use std::ops::Range;

use crate::attribute::Attribution;
use crate::doc::Doc;
use crate::events::{Context, Head};
use crate::gazetteer::{CountryForm, Cue, Entry, Gazetteer, Mention, TriggerClass};
use crate::Status;

/// Country codes an actor mention stands for, with whether it is a person.
pub fn actor_codes(gaz: &Gazetteer, m: &Mention) -> Option<(Vec<String>, bool)> {
    match m.entry {
        Entry::Country(i, _) => Some((gaz.countries[i as usize].codes.clone(), false)),
        Entry::Institution(i) => gaz.institutions[i as usize]
            .country
            .clone()
            .map(|c| (vec![c], false)),
        Entry::Person(i) => gaz.people[i as usize]
            .country
            .clone()
            .map(|c| (vec![c], true)),
        _ => None,
    }
}

/// Whether an actor mention may act as a subject: demonyms only right after a role
/// ("le président américain") or an item ("armes américaines"), or as a capitalised
/// noun ("les Américains").
fn actor_ok(doc: &Doc, gaz: &Gazetteer, m: &Mention, ms: &[Mention]) -> bool {
    match m.entry {
        Entry::Country(_, CountryForm::Demonym) => {
            let w = doc.word_at(m.start);
            let near = |e: &Mention| {
                let ew = doc.word_at(e.start);
                e.end <= m.start
                    && w.saturating_sub(doc.word_at(e.end.saturating_sub(1))) <= 3
                    && ew < w
            };
            let after_role_or_item = ms.iter().any(|e| {
                matches!(
                    e.entry,
                    Entry::Role(_) | Entry::Weapon(_) | Entry::Equipment(_)
                ) && near(e)
            });
            let word = doc.orig_text(&(m.start..m.end));
            let w0 = doc.word_at(m.start);
            // "les Américains", "the Ukrainians": a capitalised demonym used as a noun
            // (a lexicon form may hold its article: "les Européens")
            let noun = word.rsplit([' ', '\'', '’']).next().unwrap_or(word);
            let capital = noun.chars().next().is_some_and(char::is_uppercase);
            let capital_noun = capital
                && (doc.lang == crate::Lang::Fr
                    || (w0 > 0
                        && doc.word_is(gaz, w0 - 1, Cue::Determiner)
                        && noun.ends_with('s')));
            // "le prédécesseur d'Albanais" after "Anthony Albanais": a name, not a people
            // (within a few pages around it: the lookup stays linear in long documents)
            let around = m.start.saturating_sub(20_000)..(m.end + 20_000).min(doc.text().len());
            let surname = doc.mentions_in(&around).iter().any(|p| {
                matches!(p.entry, Entry::Person(_))
                    && p.start != m.start
                    && doc.orig_text(&(p.start..p.end)).ends_with(word)
            });
            // "le Parlement australien", "Ukrainian authorities": a national body
            let w = doc.word_at(m.start);
            let we = doc.word_at(m.end.saturating_sub(1));
            let body = (w > 0 && doc.word_is(gaz, w - 1, Cue::Body))
                || doc.word_is(gaz, we + 1, Cue::Body);
            (after_role_or_item || capital_noun || body) && !surname
        }
        Entry::Institution(_) | Entry::Person(_) | Entry::Country(..) => true,
        _ => false,
    }
}

/// Whether the word before a mention (skipping an article) is in a cue word list.
pub(crate) fn preceded_by(doc: &Doc, gaz: &Gazetteer, m: &Mention, cue: Cue) -> bool {
    let w = doc.word_at(m.start);
    if w == 0 {
        return false;
    }
    if doc.word_is(gaz, w - 1, cue) {
        return true;
    }
    w >= 2 && doc.word_is(gaz, w - 1, Cue::Determiner) && doc.word_is(gaz, w - 2, cue)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn roles(
    doc: &Doc,
    gaz: &Gazetteer,
    h: &Head,
    clause: &Range<usize>,
    ms: &[Mention],
    attr: &Attribution,
    ctx: &Context,
    in_attr: &dyn Fn(usize) -> bool,
) -> (Vec<String>, Option<String>, Option<String>) {
    // ("MS. PSAKI: We welcome ...": a turn label names the speaker, not a subject)
    let turn_label = |m: &Mention| {
        doc.text()
            .get(m.end..)
            .is_some_and(|t| t.trim_start_matches([' ', '.']).starts_with(':'))
    };
    let actors: Vec<(&Mention, Vec<String>, bool)> = ms
        .iter()
        .filter(|m| {
            clause.contains(&m.start)
                && !in_attr(m.start)
                && !turn_label(m)
                && actor_ok(doc, gaz, m, ms)
        })
        .filter_map(|m| actor_codes(gaz, m).map(|(c, p)| (m, c, p)))
        .collect();
    let marked_recipient = |m: &Mention| preceded_by(doc, gaz, m, Cue::ToRecipient);
    let after: Vec<&(&Mention, Vec<String>, bool)> =
        actors.iter().filter(|a| a.0.start >= h.pos.end).collect();
    let before: Vec<&(&Mention, Vec<String>, bool)> = actors
        .iter()
        .filter(|a| a.0.end <= h.pos.start && !marked_recipient(a.0))
        .collect();

    let person_name = |m: &Mention| match m.entry {
        Entry::Person(i) => Some(gaz.people[i as usize].name.clone()),
        _ => None,
    };

    // recipient: "à l'Ukraine", "to Kyiv"; for a backfill, the country replaced
    let hw = doc.word_at(h.pos.end.saturating_sub(1));
    // "considering providing Russia with lethal aid", "refused to send Ukraine": the
    // recipient follows the governed verb right after the head
    let hw = ms
        .iter()
        .filter(|t| {
            matches!(t.entry, Entry::Trigger(TriggerClass::Give, _)) && t.start >= h.pos.end
        })
        .find(|t| doc.word_at(t.start) <= hw + 2)
        .map_or(hw, |t| doc.word_at(t.end.saturating_sub(1)));
    let close = |m: &Mention, n: usize| doc.word_at(m.start) <= hw + n;
    let explicit_recipient = if h.replace {
        after.iter().find(|a| !a.2).map(|a| a.1[0].clone())
    } else {
        // "fournira à l'Ukraine", "send to Kyiv", or right after the verb: "give Ukraine"
        after
            .iter()
            .find(|a| (marked_recipient(a.0) && close(a.0, 10)) || close(a.0, 1))
            .map(|a| a.1[0].clone())
    };

    if h.reversed {
        // "une enveloppe ... réclamée par la Maison Blanche": the agent of a passive
        // request is the one asking; a government asking its parliament for money to give
        // is no appeal for aid (its donors are then none)
        let agent = (hw + 1..hw + 3)
            .find(|&i| doc.word_is(gaz, i, Cue::By))
            .and_then(|b| after.iter().find(|a| doc.word_at(a.0.start) <= b + 3));
        // "réclamaient ces munitions à Washington": after a request, "à"/"to" names who
        // is asked (the donor), not the recipient
        // ("des drones russes": an item's origin is no one asking)
        let origin = |m: &Mention| {
            matches!(m.entry, Entry::Country(_, CountryForm::Demonym))
                && ms.iter().any(|i| {
                    matches!(i.entry, Entry::Weapon(_) | Entry::Equipment(_))
                        && i.end <= m.start
                        && doc.word_at(i.end) == doc.word_at(m.start)
                })
        };
        let recipient = agent
            .or(before.iter().rev().find(|a| !origin(a.0)))
            .map(|a| a.1[0].clone())
            .or(ctx.default_recipient.clone());
        // ("urged Congress to pass a package for Ukraine": Ukraine benefits)
        // ("de compenser les équipements cédés à Kiev": whoever a gift goes to is not
        // the one asked)
        let gift_recipient = |m: &Mention| {
            let w = doc.word_at(m.start);
            w >= 2
                && doc.word_is(gaz, w - 1, Cue::ToRecipient)
                && ms.iter().any(|t| {
                    matches!(t.entry, Entry::Trigger(TriggerClass::Give, _))
                        && doc.word_at(t.end.saturating_sub(1)) + 2 == w
                })
        };
        let asked: Vec<&&(&Mention, Vec<String>, bool)> = after
            .iter()
            .filter(|a| !preceded_by(doc, gaz, a.0, Cue::Beneficiary) && !gift_recipient(a.0))
            .filter(|a| Some(&a.1[0]) != recipient.as_ref())
            .collect();
        let mut donors: Vec<String> = asked.first().map(|a| a.1.clone()).unwrap_or_default();
        // "avait demandé ce système à Paris et à Rome": coordinated names are all asked
        for pair in asked.windows(2) {
            let glue = doc.words_between(pair[0].0.end, pair[1].0.start).all(|i| {
                doc.word_is(gaz, i, Cue::And)
                    || doc.word_is(gaz, i, Cue::Determiner)
                    || doc.word_is(gaz, i, Cue::ToRecipient)
            });
            let gap = doc
                .text()
                .get(pair[0].0.end..pair[1].0.start)
                .unwrap_or(";");
            if glue && gap.len() <= 12 && !gap.contains(['.', ';', ':']) {
                donors.extend(pair[1].1.iter().cloned());
            } else {
                break;
            }
        }
        let person = before.last().and_then(|a| person_name(a.0));
        return (donors, recipient, person);
    }

    let ukr_in_clause = actors
        .iter()
        .find(|a| a.1 == ["UKR"])
        .map(|a| a.1[0].clone());
    let recipient = explicit_recipient
        .or(ukr_in_clause)
        .or(ctx.default_recipient.clone());
    let not_recipient = |a: &&&(&Mention, Vec<String>, bool)| Some(&a.1[0]) != recipient.as_ref();

    let mut subject_person = None;
    let blocked = h.status == Some(Status::Blocked);
    let mut donors: Vec<String> = Vec::new();
    // the reporting verb is the event ("Austin announced a package"): its speaker acts
    if attr.spans.iter().any(|s| s.contains(&h.pos.start)) {
        if let Some(c) = attr.speaker.as_ref().and_then(|s| s.country.clone()) {
            donors = vec![c];
        }
    }
    if blocked {
        // "bloquée par la Hongrie", "blocked by Hungary": the agent is the blocker, never
        // the would-be giver
        if let Some(a) = after
            .iter()
            .filter(|a| !(preceded_by(doc, gaz, a.0, Cue::By) && doc.word_at(a.0.start) <= hw + 3))
            .find(not_recipient)
        {
            donors = a.1.clone();
        }
    }
    if donors.is_empty() {
        // "Germany's tank punt": a possessive is no subject
        let possessive = |m: &Mention| doc.text().get(m.end..m.end + 2) == Some("'s");
        // "shortly after the United States passed": a word opening the clause is a
        // subordinator there, not a preposition
        // ("Unlike Israel, Ukraine lacks": a preposition all the same)
        let opener = doc.word_at(clause.start);
        let subordinated = ms
            .iter()
            .any(|c| matches!(c.entry, Entry::Cue(Cue::ClauseBreak, _)) && c.start == clause.start);
        let prep = |m: &Mention| {
            preceded_by(doc, gaz, m, Cue::Preposition)
                && !(subordinated && doc.word_at(m.start) <= opener + 2)
        };
        let subject = before
            .iter()
            .rev()
            .find(|a| not_recipient(a) && !prep(a.0) && !possessive(a.0));
        if let Some(a) = subject {
            donors = a.1.clone();
            subject_person = person_name(a.0);
            // "Lituanie, Lettonie et Estonie": coordinated countries share the verb
            let idx = before
                .iter()
                .position(|b| b.0.start == a.0.start)
                .unwrap_or(0);
            let mut chain_start = a.0.start;
            for b in before[..idx].iter().rev() {
                let gap = doc
                    .text()
                    .get(b.0.end..chain_start)
                    .unwrap_or(",,,,,,,,,,,,,,");
                // only commas, "et"/"and" and articles between the two names
                let glue = doc.words_between(b.0.end, chain_start);
                let only_glue = glue
                    .clone()
                    .all(|i| doc.word_is(gaz, i, Cue::And) || doc.word_is(gaz, i, Cue::Determiner))
                    && !gap.contains(['.', ';', ':']);
                if only_glue && gap.len() <= 12 {
                    donors.extend(b.1.iter().cloned());
                    chain_start = b.0.start;
                } else {
                    break;
                }
            }
        }
    }
    if donors.is_empty() && !blocked {
        // passive agent: "autorisé par le président (Joe) Biden"
        let by = (hw + 1..hw + 4).find(|&i| doc.word_is(gaz, i, Cue::By));
        if let Some(b) = by {
            if let Some(a) = after.iter().find(|a| {
                doc.word_at(a.0.start) > b && doc.word_at(a.0.start) <= b + 6 && not_recipient(a)
            }) {
                donors = a.1.clone();
                subject_person = person_name(a.0);
            }
        }
    }
    if donors.is_empty() && !blocked {
        // a possessor before the verb: "le bloc de l'OTAN enverra"
        if let Some(a) = before
            .iter()
            .rev()
            .find(|a| not_recipient(a) && preceded_by(doc, gaz, a.0, Cue::From))
        {
            donors = a.1.clone();
        }
    }
    // "other partners are providing", "les pays fournissent": someone unnamed acts, and it
    // is neither the speaker's country nor the last donor
    // ("allies and partners who might be willing to provide": the antecedent of a "who"
    // opening the clause)
    let first = doc.word_at(clause.start);
    let unnamed_antecedent = doc.word_is(gaz, first, Cue::SubjectRelative)
        && first > 0
        && ms.iter().any(|m| {
            matches!(m.entry, Entry::Cue(Cue::UnnamedActor, _))
                && doc.word_at(m.end.saturating_sub(1)) + 1 == first
        });
    let unnamed_subject = unnamed_antecedent
        || doc
            .cues_in(&(clause.start..h.pos.start), Cue::UnnamedActor)
            .next()
            .is_some();
    if donors.is_empty() && unnamed_subject {
        return (Vec::new(), recipient, None);
    }
    let speaker_country = attr
        .speaker
        .as_ref()
        .and_then(|s| s.country.clone())
        .filter(|c| Some(c) != recipient.as_ref());
    if donors.is_empty() {
        let we = ms
            .iter()
            .any(|m| matches!(m.entry, Entry::Cue(Cue::We, _)) && clause.contains(&m.start));
        let pronoun = ms.iter().any(|m| {
            matches!(m.entry, Entry::Cue(Cue::Pronoun, _))
                && clause.contains(&m.start)
                && m.start < h.pos.start
        });
        // ("the British government's announcement that it will provide": a third-person
        // pronoun stands for the actor named before its clause, not for the speaker)
        let last_subject = ms.iter().rev().find(|m| {
            matches!(m.entry, Entry::Cue(Cue::Pronoun | Cue::We, _))
                && clause.contains(&m.start)
                && m.start < h.pos.start
        });
        let third_person = last_subject.filter(|m| matches!(m.entry, Entry::Cue(Cue::Pronoun, _)));
        let antecedent = third_person.and_then(|p| {
            // ("he", "she" stand for a person; "it", "they" for a country or a body)
            let personal = matches!(doc.word(doc.word_at(p.start)), "he" | "she" | "il" | "elle");
            ms.iter()
                .rev()
                .filter(|a| a.end <= p.start)
                .filter(|a| personal == matches!(a.entry, Entry::Person(_)))
                .find_map(|a| actor_codes(gaz, a).map(|(c, _)| c))
                .filter(|c| Some(&c[0]) != recipient.as_ref())
        });
        if let Some(c) = antecedent {
            donors = c;
        } else if we || pronoun {
            if let Some(c) = speaker_country.clone() {
                donors = vec![c];
            } else if pronoun {
                donors = ctx.last_donors.clone();
            }
        }
    }
    if donors.is_empty() {
        // a relative "qui" clause: the antecedent acts
        let first = doc.word_at(clause.start);
        if doc.word_is(gaz, first, Cue::SubjectRelative) {
            if let Some(m) = ms.iter().rev().find(|m| {
                m.end <= clause.start
                    && !matches!(
                        m.entry,
                        Entry::Cue(..) | Entry::Trigger(..) | Entry::Role(_)
                    )
            }) {
                if let Some((c, p)) = actor_codes(gaz, m) {
                    donors = c;
                    if p {
                        subject_person = person_name(m);
                    }
                }
            }
        }
    }
    if donors.is_empty() && attr.speaker.as_ref().is_some_and(|s| s.name.is_some()) {
        // nobody named acts: an official speaking speaks for their country
        if let Some(c) = speaker_country {
            donors = vec![c];
        }
    }
    donors.retain(|d| Some(d) != recipient.as_ref());
    donors.sort();
    donors.dedup();
    (donors, recipient, subject_person)
}
