//! Attribution stage: who says what a sentence reports. Reporting verbs ("a déclaré",
//! "said") with their speaker before ("Kirby a déclaré") or after ("a déclaré le
//! porte-parole ..., John Kirby"), "selon X" / "according to X", pronouns ("il a
//! souligné") and statements ("indique le communiqué") resolved to the last speaker,
//! and offices ("le porte-parole de la Maison Blanche") resolved to the person the
//! article names for them, or to the office holder of the time from the gazetteer.

use std::ops::Range;

use crate::doc::Doc;
use crate::events::{actor_codes, Context};
use crate::gazetteer::{Cue, Entry, Gazetteer, Mention};

/// Who a statement comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// Full name of a person or institution; `None` for a country speaking.
    pub name: Option<String>,
    pub country: Option<String>,
    pub person: bool,
}

impl Speaker {
    /// A person of the gazetteer speaking.
    pub fn of_person(p: &crate::gazetteer::Person) -> Speaker {
        Speaker {
            name: Some(p.name.clone()),
            country: p.country.clone(),
            person: true,
        }
    }
}

/// The reported-speech parts of one sentence.
#[derive(Debug, Clone, Default)]
pub struct Attribution {
    /// Folded ranges of the attribution itself ("a déclaré le porte-parole ..."): no
    /// donor or item is taken from them.
    pub spans: Vec<Range<usize>>,
    pub speaker: Option<Speaker>,
}

fn is_speakerish(m: &Mention) -> bool {
    matches!(
        m.entry,
        Entry::Person(_)
            | Entry::Institution(_)
            | Entry::Role(_)
            | Entry::Country(..)
            | Entry::Cue(Cue::Pronoun | Cue::Statement, _)
    )
}

/// Binds offices to the names the article gives them: "le porte-parole ..., John Kirby".
pub fn bind_roles(doc: &Doc, gaz: &Gazetteer, ctx: &mut Context) {
    let ms = &doc.mentions;
    for (i, m) in ms.iter().enumerate() {
        let Entry::Role(role) = m.entry else { continue };
        let w = doc.word_at(m.start);
        for n in &ms[i + 1..] {
            if doc.word_at(n.start) > w + 8 {
                break;
            }
            if let Entry::Person(p) = n.entry {
                let person = &gaz.people[p as usize];
                ctx.role_names
                    .push((role, person.country.clone(), person.name.clone()));
                break;
            }
        }
    }
}

/// The country a role mention is tied to ("le président américain", "US President",
/// "le porte-parole de la Maison Blanche").
fn role_country(doc: &Doc, gaz: &Gazetteer, ms: &[Mention], k: usize) -> Option<String> {
    let w = doc.word_at(ms[k].start);
    let near = |m: &Mention| {
        let mw = doc.word_at(m.start);
        mw.abs_diff(w) <= 5
    };
    let country_of = |m: &Mention| match m.entry {
        Entry::Country(..) | Entry::Institution(_) => actor_codes(gaz, m).map(|c| c.0[0].clone()),
        _ => None,
    };
    let after = ms[k + 1..]
        .iter()
        .take_while(|m| near(m))
        .find_map(country_of);
    after.or_else(|| {
        ms[..k]
            .iter()
            .rev()
            .take_while(|m| near(m))
            .find_map(country_of)
    })
}

fn resolve_role(
    doc: &Doc,
    gaz: &Gazetteer,
    ms: &[Mention],
    k: usize,
    ctx: &Context,
) -> Option<Speaker> {
    let Entry::Role(role) = ms[k].entry else {
        return None;
    };
    let country = role_country(doc, gaz, ms, k);
    if let Some((_, c, name)) = ctx
        .role_names
        .iter()
        .find(|(r, c, _)| *r == role && (country.is_none() || *c == country))
    {
        return Some(Speaker {
            name: Some(name.clone()),
            country: c.clone(),
            person: true,
        });
    }
    let country = country?;
    let year = doc.reference.map(|d| d.year() as i32);
    let role_name = &gaz.roles[role as usize].role;
    let holders: Vec<_> = gaz
        .people
        .iter()
        .filter(|p| {
            p.country.as_deref() == Some(country.as_str()) && p.roles.iter().any(|r| r == role_name)
        })
        .filter(|p| year.is_some_and(|y| p.in_office(y)))
        .collect();
    if holders.len() == 1 && role_name != "spokesperson" {
        return Some(Speaker {
            name: Some(holders[0].name.clone()),
            country: Some(country),
            person: true,
        });
    }
    // the office itself speaks for its country: "le porte-parole de la Maison Blanche"
    let inst_name = |m: &Mention| match m.entry {
        Entry::Institution(i) => Some(gaz.institutions[i as usize].name.clone()),
        _ => None,
    };
    // "le porte-parole de la Maison Blanche", "a Pentagon spokesperson"
    let rw = doc.word_at(ms[k].start);
    let adjacent_before =
        |m: &&Mention| rw.saturating_sub(doc.word_at(m.end.saturating_sub(1))) <= 1;
    let inst = ms[k + 1..].iter().take(3).find_map(inst_name).or_else(|| {
        ms[..k]
            .iter()
            .rev()
            .take(2)
            .filter(adjacent_before)
            .find_map(inst_name)
    });
    Some(Speaker {
        name: inst,
        country: Some(country),
        person: false,
    })
}

fn speaker_of(
    doc: &Doc,
    gaz: &Gazetteer,
    ms: &[Mention],
    k: usize,
    ctx: &Context,
) -> Option<Speaker> {
    let m = &ms[k];
    match m.entry {
        Entry::Person(i) => Some(Speaker::of_person(&gaz.people[i as usize])),
        Entry::Institution(i) => {
            let inst = &gaz.institutions[i as usize];
            Some(Speaker {
                name: Some(inst.name.clone()),
                country: inst.country.clone(),
                person: false,
            })
        }
        Entry::Country(..) => actor_codes(gaz, m).map(|(c, _)| Speaker {
            name: None,
            country: Some(c[0].clone()),
            person: false,
        }),
        Entry::Role(_) => resolve_role(doc, gaz, ms, k, ctx),
        Entry::Cue(Cue::Pronoun | Cue::Statement, _) => ctx.last_speaker.clone(),
        _ => None,
    }
}

/// Finds the attribution of sentence `r`.
pub fn attribute(doc: &Doc, gaz: &Gazetteer, r: &Range<usize>, ctx: &mut Context) -> Attribution {
    let ms = doc.mentions_in(r);
    for (k, m) in ms.iter().enumerate() {
        let Entry::Cue(cue @ (Cue::Say | Cue::AccordingTo), _) = m.entry else {
            continue;
        };
        let w = doc.word_at(m.start);
        let we = doc.word_at(m.end.saturating_sub(1));
        // "ont déclaré leur intention de fournir" is the act itself, not a report
        // (a trigger counts only right after the verb or its "to"/"de": "said Nato will
        // give" reports the giving)
        let intent_follows = ms[k + 1..]
            .iter()
            .take_while(|n| doc.word_at(n.start) <= we + 3)
            .any(|n| {
                let nw = doc.word_at(n.start);
                n.start >= m.end
                    && match n.entry {
                        Entry::Cue(Cue::Intent, _) => true,
                        Entry::Trigger(..) => {
                            nw == we + 1 || (nw == we + 2 && doc.word_is(gaz, we + 1, Cue::To))
                        }
                        _ => false,
                    }
            });
        if cue == Cue::Say && intent_follows {
            continue;
        }
        // "was announced": a passive has no speaker to find
        if cue == Cue::Say && w > 0 && doc.word_is(gaz, w - 1, Cue::BeAux) {
            continue;
        }
        // an inverted pronoun: "dit-elle", "a-t-il ajouté"
        let cue_text = &doc.text()[m.start..m.end];
        if ["-il", "-elle", "-ils", "-elles"]
            .iter()
            .any(|p| cue_text.contains(p))
        {
            if let Some(sp) = ctx.last_speaker.clone() {
                return finish(ctx, m.start..m.end, sp);
            }
        }
        // speaker before: "Kirby a déclaré", "X said" (not across a closing quote)
        if cue == Cue::Say {
            // ", a déclaré X": after a comma the speaker usually follows the verb
            let inverted_speaker_follows = (k + 1..ms.len())
                .take_while(|&j| doc.word_at(ms[j].start) <= we + 14)
                .any(|j| {
                    matches!(
                        ms[j].entry,
                        Entry::Person(_) | Entry::Role(_) | Entry::Institution(_)
                    )
                });
            // "livré à l'armée ukrainienne, a rappelé ...": an object is no speaker
            let subject_like =
                |j: usize| !crate::events::preceded_by(doc, gaz, &ms[j], Cue::ToRecipient);
            let unquoted = |j: usize| {
                let gap = doc.text().get(ms[j].end..m.start).unwrap_or("\"");
                // (a dash sets off the speaker as a comma does: "... Russia - says Biden")
                let comma = gap.contains([',', '—', '–']) || gap.contains(" - ");
                !gap.contains('"') && (!comma || !inverted_speaker_follows)
            };
            if let Some(j) = (0..k).rev().find(|&j| {
                is_speakerish(&ms[j])
                    && unquoted(j)
                    && subject_like(j)
                    && w.saturating_sub(doc.word_at(ms[j].end.saturating_sub(1))) <= 3
            }) {
                if let Some(sp) = speaker_of(doc, gaz, ms, j, ctx) {
                    // include an office and nationality before the name in the span
                    let mut start = ms[j].start;
                    for i in (0..j).rev() {
                        let near = doc
                            .word_at(start)
                            .saturating_sub(doc.word_at(ms[i].end.saturating_sub(1)))
                            <= 5;
                        if near
                            && matches!(
                                ms[i].entry,
                                Entry::Role(_)
                                    | Entry::Country(_, crate::gazetteer::CountryForm::Demonym)
                                    | Entry::Institution(_)
                            )
                        {
                            start = ms[i].start;
                        } else {
                            break;
                        }
                    }
                    // "Biden said on Wednesday that ...": the span runs to "that"
                    let end = (we + 1..we + 5)
                        .find(|&i| doc.word_is(gaz, i, Cue::Complementizer))
                        .map_or(m.end, |i| doc.words[i].start);
                    return finish(ctx, start..end.max(m.end), sp);
                }
            }
        }
        // speaker after: "a déclaré ... John Kirby", "selon le Wall Street Journal";
        // not when "que"/"that" opens the reported content right after the verb
        if cue == Cue::Say && (we + 1..we + 3).any(|i| doc.word_is(gaz, i, Cue::Complementizer)) {
            continue;
        }
        // an inverted speaker follows a reporting verb only after a comma or a quote ("...,
        // said Kirby", "», a déclaré le porte-parole"); "we announced $100 million for
        // Ukraine" names its object after the verb, not its speaker
        if cue == Cue::Say {
            let before = doc.text()[r.start..m.start].trim_end();
            let inverted = before.is_empty()
                || before.ends_with([',', '"', '\'', ':', ';', '»', '«', '(', ')', '—', '–', '-']);
            if !inverted {
                continue;
            }
        }
        let limit = if cue == Cue::Say { 14 } else { 10 };
        let cands: Vec<usize> = (k + 1..ms.len())
            .take_while(|&j| {
                doc.word_at(ms[j].start) <= we + limit
                    && !matches!(ms[j].entry, Entry::Cue(Cue::ClauseBreak, _))
            })
            .filter(|&j| is_speakerish(&ms[j]))
            .collect();
        let pick = cands
            .iter()
            .find(|&&j| matches!(ms[j].entry, Entry::Person(_)))
            .or_else(|| {
                cands
                    .iter()
                    .find(|&&j| matches!(ms[j].entry, Entry::Role(_)))
            })
            .or_else(|| {
                cands
                    .iter()
                    .find(|&&j| matches!(ms[j].entry, Entry::Institution(_)))
            })
            .or_else(|| cands.first());
        if let Some(&j) = pick {
            if let Some(sp) = speaker_of(doc, gaz, ms, j, ctx) {
                return finish(ctx, m.start..ms[j].end, sp);
            }
        }
    }
    Attribution::default()
}

fn finish(ctx: &mut Context, span: Range<usize>, sp: Speaker) -> Attribution {
    if sp.name.is_some() {
        ctx.last_speaker = Some(sp.clone());
    }
    Attribution {
        spans: vec![span],
        speaker: Some(sp),
    }
}
