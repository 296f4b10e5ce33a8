//! Dates relative to the reference: named days ("hier", "la veille", "yesterday"), weekdays
//! with modifiers, this/last/next cycles, "last N days", offsets ("il y a deux semaines",
//! "in a week"), parts of periods ("fin août", "early March", "end of the year"), n-th
//! items of a period ("first Tuesday of October", "dernière semaine de septembre"),
//! quarters and seasons.

use super::cal::{
    add_days, add_months, cycle, cycle_add, cycle_start, end_of, monday, nth_full_week_in,
    nth_weekday_in, span, tv, wd, ymd,
};
use super::lexicon::{count, dom, month, ordinal, unit, weekday, weekday_plural, year4};
use super::spec::{dspec, resolve, weekday_dir, DSpec, Dir};
use super::Ctx;
use crate::lex::P;
use crate::{Grain, Lang, TimeValue};
use jiff::civil::Date;

fn day(d: Date) -> TimeValue {
    tv(d, Grain::Day)
}

/// A day- or holiday-level expression used as an anchor ("la veille du 3 mars",
/// "three days after Easter").
fn anchor(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let mut best: Option<(usize, TimeValue)> = None;
    for rule in [
        super::spec::date_rule as super::Rule,
        super::holiday::holiday_rule,
    ] {
        let mut q = *p;
        if let Some(t) = rule(&mut q, ctx) {
            if best.is_none_or(|(e, _)| q.i > e) {
                best = Some((q.i, t));
            }
        }
    }
    let (e, t) = best?;
    p.i = e;
    Some(t)
}

const FR_DAYS: &[(&str, i64)] = &[
    ("aujourd'hui", 0),
    ("ce jour", 0),
    ("ce jour-ci", 0),
    ("dans la journee", 0),
    ("en ce moment", 0),
    ("ce matin", 0),
    ("ce midi", 0),
    ("ce soir", 0),
    ("cet apres-midi", 0),
    ("cette nuit", 0),
    ("hier", -1),
    ("avant-hier", -2),
    ("l'avant-veille", -2),
    ("demain", 1),
    ("apres-demain", 2),
    ("le surlendemain", 2),
    ("le lendemain", 1),
    ("lendemain", 1),
    ("la veille", -1),
    ("le jour d'avant", -1),
    ("le jour precedent", -1),
    ("la journee d'hier", -1),
    ("le jour suivant", 1),
    ("jour suivant", 1),
    ("le jour d'apres", 1),
];
const EN_DAYS: &[(&str, i64)] = &[
    ("today", 0),
    ("at this time", 0),
    ("tonight", 0),
    ("this morning", 0),
    ("this afternoon", 0),
    ("this evening", 0),
    ("yesterday", -1),
    ("last night", -1),
    ("tomorrow", 1),
    ("tomorrows", 1),
    ("the day after tomorrow", 2),
    ("day after tomorrow", 2),
    ("the day before yesterday", -2),
    ("day before yesterday", -2),
    ("the day before", -1),
    ("the previous day", -1),
    ("the day after", 1),
    ("the next day", 1),
    ("the following day", 1),
];

/// Named days relative to the reference, and "la veille du X" / "the day after X".
pub(crate) fn relative_day(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let k = p.map(if ctx.lang == Lang::Fr {
        FR_DAYS
    } else {
        EN_DAYS
    })?;
    if k.abs() <= 2 {
        let mut q = *p;
        let linked = match ctx.lang {
            Lang::Fr => q.any(&["du", "de la", "de l'", "de"]),
            Lang::En => q
                .prev()
                .is_some_and(|t| t.text == "before" || t.text == "after"),
        };
        if linked {
            if let Some(t) = anchor(&mut q, ctx).filter(|t| t.grain == Grain::Day) {
                *p = q;
                return Some(day(add_days(t.start, k)?));
            }
        }
    }
    Some(day(add_days(ctx.r()?, k)?))
}

/// Weekday `w` of the week `k` weeks away from the reference's week.
fn weekday_of_week(w: i64, r: Date, k: i64) -> Option<Date> {
    add_days(monday(r)?, 7 * k + w)
}

/// Weekdays: "mardi", "lundi prochain", "mardi en huit", "dimanche dernier",
/// "mercredi de la semaine prochaine", "next Tuesday", "last Sunday", "Friday after next",
/// "Wednesday of next week", "3 Fridays from now", "2 Thursdays ago".
pub(crate) fn weekday_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let abbr = ctx.phrase;
    match ctx.lang {
        Lang::Fr => {
            p.any(&["ce", "cette"]);
            let w = weekday(p, ctx, abbr)?;
            let r = ctx.r()?;
            const WEEK_REL: &[(&str, i64)] = &[
                ("de la semaine prochaine", 1),
                ("la semaine prochaine", 1),
                ("de la semaine suivante", 1),
                ("la semaine suivante", 1),
                ("de la semaine d'apres", 1),
                ("la semaine d'apres", 1),
                ("suivant", 1),
                ("d'apres", 1),
                ("de cette semaine", 0),
                ("cette semaine", 0),
                ("de la semaine derniere", -1),
                ("la semaine derniere", -1),
                ("de la semaine passee", -1),
                ("la semaine passee", -1),
            ];
            if let Some(k) = p.map(WEEK_REL) {
                return Some(day(weekday_of_week(w, r, k)?));
            }
            if p.any(&["prochain", "prochaine"]) {
                return Some(day(weekday_dir(w, r, Dir::FutureStrict)?));
            }
            if p.any(&["dernier", "passe"]) {
                return Some(day(weekday_dir(w, r, Dir::PastStrict)?));
            }
            if let Some(k) = p.map(&[
                ("en huit", 7),
                ("en 8", 7),
                ("en quinze", 14),
                ("en 15", 14),
            ]) {
                let first = add_days(r, (w - wd(r)).rem_euclid(7))?;
                return Some(day(add_days(first, k)?));
            }
            Some(day(weekday_dir(w, r, Dir::of(ctx.prefer))?))
        }
        Lang::En => {
            // counted weekdays
            let mut q = *p;
            if let Some(n) = count(&mut q, ctx).filter(|&n| n >= 1) {
                if let Some(w) = weekday_plural(&mut q, ctx) {
                    let dir = if q.any(&["from now", "from today", "hence", "later"]) {
                        1
                    } else if q.any(&["ago", "back", "earlier"]) {
                        -1
                    } else {
                        0
                    };
                    if dir != 0 {
                        let r = ctx.r()?;
                        let first = weekday_dir(
                            w,
                            r,
                            if dir > 0 {
                                Dir::FutureStrict
                            } else {
                                Dir::PastStrict
                            },
                        )?;
                        *p = q;
                        return Some(day(add_days(first, dir * 7 * (n - 1))?));
                    }
                }
            }
            let pre = p.map(&[
                ("this", 0),
                ("next", 1),
                ("last week's", -10),
                ("last", -1),
                ("coming", 2),
                ("the", 3),
            ]);
            let w = weekday(p, ctx, abbr)?;
            let r = ctx.r()?;
            const WEEK_REL: &[(&str, i64)] = &[
                ("of next week", 1),
                ("next week", 1),
                ("of the following week", 1),
                ("of this week", 0),
                ("this week", 0),
                ("of last week", -1),
                ("from last week", -1),
                ("last week", -1),
                ("of the previous week", -1),
            ];
            if pre.is_none() {
                if let Some(k) = p.map(WEEK_REL) {
                    return Some(day(weekday_of_week(w, r, k)?));
                }
                if p.text("after next") {
                    let first = weekday_dir(w, r, Dir::FutureStrict)?;
                    return Some(day(add_days(first, 7)?));
                }
            }
            let d = match pre {
                Some(1) => weekday_of_week(w, r, 1)?,
                Some(-10) => weekday_of_week(w, r, -1)?,
                Some(-1) => weekday_dir(w, r, Dir::PastStrict)?,
                Some(2) => weekday_dir(w, r, Dir::FutureStrict)?,
                _ => weekday_dir(w, r, Dir::of(ctx.prefer))?,
            };
            Some(day(d))
        }
    }
}

/// Direction words after a French unit ("la semaine dernière", "l'an prochain").
const FR_CYCLE_MODS: &[(&str, i64)] = &[
    ("derniere", -1),
    ("dernier", -1),
    ("passee", -1),
    ("passe", -1),
    ("precedente", -1),
    ("precedent", -1),
    ("prochaine", 1),
    ("prochain", 1),
    ("suivante", 1),
    ("suivant", 1),
    ("qui suit", 1),
    ("d'apres", 1),
    ("en cours", 0),
    ("courante", 0),
    ("courant", 0),
];
const EN_CYCLE_MODS: &[(&str, i64)] = &[
    ("this", 0),
    ("current", 0),
    ("the current", 0),
    ("last", -1),
    ("past", -1),
    ("previous", -1),
    ("the previous", -1),
    ("the past", -1),
    ("the last", -1),
    ("next", 1),
    ("the next", 1),
    ("following", 1),
    ("the following", 1),
    ("upcoming", 1),
    ("the upcoming", 1),
    ("coming", 1),
    ("the coming", 1),
    ("around next", 1),
];

/// A unit word in the singular ("semaine", "week"; "mois" is both).
fn singular_unit(p: &mut P, ctx: &Ctx) -> Option<Grain> {
    let t = p.peek()?;
    if t.text.ends_with('s') && t.text != "mois" {
        return None;
    }
    unit(p, ctx)
}

/// A cycle relative to the reference: (unit, offset). "cette semaine", "l'année dernière",
/// "le mois prochain", "last week", "this quarter", "next year".
pub(crate) fn cycle_spec(p: &mut P, ctx: &Ctx) -> Option<(Grain, i64)> {
    match ctx.lang {
        Lang::Fr => {
            if p.text("dans la semaine") {
                return Some((Grain::Week, 0));
            }
            let det = p.map(&[
                ("cette", 0),
                ("cet", 0),
                ("ce", 0),
                ("la", 1),
                ("le", 1),
                ("l'", 1),
                ("de", 1),
                ("du", 1),
            ]);
            let g = singular_unit(p, ctx)?;
            if det == Some(0) {
                p.text("-ci");
                return Some((g, 0));
            }
            let k = p.map(FR_CYCLE_MODS)?;
            Some((g, k))
        }
        Lang::En => {
            let k = p.map(EN_CYCLE_MODS)?;
            let g = singular_unit(p, ctx)?;
            Some((g, k))
        }
    }
}

pub(crate) fn cycle_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    // "upcoming two weeks", "2 upcoming weeks"
    if ctx.lang == Lang::En {
        let mut q = *p;
        let n = if q.text("upcoming") {
            count(&mut q, ctx)
        } else {
            count(&mut q, ctx).filter(|_| q.text("upcoming"))
        };
        if let Some(n) = n {
            if let Some(g) = unit(&mut q, ctx) {
                *p = q;
                return cycle(ctx.r()?, g, n);
            }
        }
    }
    let (g, k) = cycle_spec(p, ctx)?;
    cycle(ctx.r()?, g, k)
}

/// "les 3 derniers jours", "2 semaines passées", "3 prochains mois", "last 2 weeks",
/// "next three days", "next few days": an interval of whole units before or after the
/// reference's unit.
pub(crate) fn last_n_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let (n, g, k) = match ctx.lang {
        Lang::Fr => {
            p.any(&["les", "ces"]);
            let n = count(p, ctx)?;
            let pre = p.map(&[
                ("dernieres", -1),
                ("derniers", -1),
                ("derniere", -1),
                ("dernier", -1),
                ("prochaines", 1),
                ("prochains", 1),
                ("prochaine", 1),
                ("prochain", 1),
            ]);
            let g = unit(p, ctx)?;
            let k = match pre {
                Some(k) => k,
                None => p.map(&[
                    ("passees", -1),
                    ("passes", -1),
                    ("passee", -1),
                    ("passe", -1),
                    ("dernieres", -1),
                    ("derniers", -1),
                    ("suivantes", 1),
                    ("suivants", 1),
                    ("suivant", 1),
                    ("suivante", 1),
                    ("prochains", 1),
                    ("prochaines", 1),
                    ("a venir", 1),
                ])?,
            };
            (n, g, k)
        }
        Lang::En => {
            let k = p.map(&[
                ("the last", -1),
                ("last", -1),
                ("the past", -1),
                ("past", -1),
                ("the next", 1),
                ("next", 1),
            ])?;
            let n = if p.text("few") {
                Some(3)
            } else {
                count(p, ctx)
            }?;
            let g = unit(p, ctx)?;
            (n, g, k)
        }
    };
    if !(1..=1000).contains(&n) {
        return None;
    }
    let r = ctx.r()?;
    let c = cycle_start(r, g)?;
    let (a, b) = if k < 0 {
        (cycle_add(c, g, -n)?, c)
    } else {
        (cycle_add(c, g, 1)?, cycle_add(c, g, n + 1)?)
    };
    span(a, b, g)
}

fn shift(d: Date, g: Grain, n: i64) -> Option<Date> {
    cycle_add(d, g, n)
}

/// Offsets from the reference or an anchor: "il y a deux semaines", "dans 2 jours",
/// "deux jours plus tard", "two weeks ago", "in a week", "3 years from today",
/// "three days after Easter".
pub(crate) fn offset_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let fr = ctx.lang == Lang::Fr;
    let mut q = *p;
    let pre = if fr {
        q.map(&[("il y a", -1), ("dans", 1), ("d'ici", 1)])
    } else {
        q.map(&[("in", 1), ("within", 1)])
    };
    let n = count(&mut q, ctx)?;
    let g = unit(&mut q, ctx)?;
    let mut from_today = false;
    let sign = match pre {
        Some(s) => s,
        None => {
            let post = if fr {
                q.map(&[
                    ("plus tard", 1),
                    ("apres", 1),
                    ("plus tot", -1),
                    ("auparavant", -1),
                    ("avant", -1),
                    ("plus loin", 1),
                ])
            } else {
                q.map(&[
                    ("ago", -1),
                    ("hence", 1),
                    ("from now", 1),
                    ("from today", 2),
                    ("later", 1),
                    ("earlier", -1),
                    ("before", -1),
                    ("after", 1),
                    ("from", 1),
                    ("back", -1),
                ])
            }?;
            if post == 2 {
                from_today = true;
                1
            } else {
                // anchored: "trois jours après le 3 mars", "three days after Easter"
                let prev = q.prev().map(|t| t.text);
                if matches!(prev, Some("apres" | "avant" | "after" | "before" | "from")) {
                    let mut r = q;
                    if fr {
                        r.any(&["le", "la"]);
                    }
                    if let Some(t) = anchor(&mut r, ctx) {
                        *p = r;
                        return Some(day(shift(t.start, g, post * n)?));
                    }
                    if prev == Some("from") {
                        return None;
                    }
                }
                // in running text "two days later" / "a year after" count from an event of
                // the story, not from the reference date
                let narrative = matches!(
                    q.prev().map(|t| t.text),
                    Some(
                        "apres"
                            | "avant"
                            | "after"
                            | "before"
                            | "tard"
                            | "tot"
                            | "later"
                            | "earlier"
                            | "auparavant"
                            | "loin"
                    )
                );
                if narrative && !ctx.phrase {
                    return None;
                }
                post
            }
        }
    };
    *p = q;
    let r = ctx.r()?;
    let d = shift(r, g, sign * n)?;
    if g == Grain::Year && !from_today {
        return Some(tv(d.first_of_month(), Grain::Month));
    }
    Some(day(d))
}

/// Part of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Begin,
    Mid,
    End,
    FirstHalf,
    SecondHalf,
    Weekdays,
    Rest,
    Whole,
}

/// The days of `t` (a month, year or week) that `part` designates. `short_begin` selects
/// the French "début avril" (first five days) over "early April" (first ten).
fn part_of(
    t: &TimeValue,
    part: Part,
    lang: Lang,
    short_begin: bool,
    r: Option<Date>,
) -> Option<TimeValue> {
    let s = t.start;
    let e = end_of(t)?;
    let fr = lang == Lang::Fr;
    let (a, b) = match (t.grain, part) {
        (_, Part::Whole) => return Some(*t),
        (Grain::Month, Part::Begin) => (s, add_days(s, if short_begin { 5 } else { 10 })?),
        (Grain::Month, Part::Mid) => (
            add_days(s, if fr { 9 } else { 10 })?,
            add_days(s, if fr { 19 } else { 20 })?,
        ),
        (Grain::Month, Part::End) => (add_days(s, 20)?, e),
        (Grain::Month, Part::FirstHalf) => (s, add_days(s, 14)?),
        (Grain::Month, Part::SecondHalf) => (add_days(s, 14)?, e),
        (Grain::Year, Part::Begin) => (s, add_months(s, if fr { 2 } else { 3 })?),
        (Grain::Year, Part::Mid) => (add_months(s, 4)?, add_months(s, 8)?),
        (Grain::Year, Part::End) => (add_months(s, if fr { 10 } else { 8 })?, e),
        (Grain::Year, Part::FirstHalf) => (s, add_months(s, 6)?),
        (Grain::Year, Part::SecondHalf) => (add_months(s, 6)?, e),
        (Grain::Week, Part::Begin) => (s, add_days(s, if fr { 2 } else { 3 })?),
        (Grain::Week, Part::Mid) => (add_days(s, 2)?, add_days(s, 4)?),
        (Grain::Week, Part::End) => (add_days(s, if fr { 3 } else { 4 })?, e),
        (Grain::Week, Part::Weekdays) => (s, add_days(s, 5)?),
        (Grain::Week, Part::Rest) => (r?.max(s), add_days(s, 6)?),
        _ => return None,
    };
    span(a, b, t.grain)
}

/// The period after "de"/"of" in a part or n-th expression: a month ("août", "March 2014"),
/// a year ("2021"), or a relative cycle ("du mois prochain", "of next month").
fn period(p: &mut P, ctx: &Ctx, implicit: bool) -> Option<TimeValue> {
    let c = Ctx {
        month_ok: true,
        ..*ctx
    };
    let mut best: Option<(usize, TimeValue)> = None;
    let mut q = *p;
    if let Some((g, k)) = cycle_spec(&mut q, &c) {
        if let Some(t) = ctx.r().and_then(|r| cycle(r, g, k)) {
            best = Some((q.i, t));
        }
    }
    let mut q = *p;
    if let Some(s) = dspec(&mut q, &c).filter(|s| s.d.is_none() && s.wd.is_none()) {
        if best.is_none_or(|(e, _)| q.i > e) {
            if let Some(t) = resolve(s, &c, Dir::of(ctx.prefer)) {
                best = Some((q.i, t));
            }
        }
    }
    if implicit {
        // "the month", "the year", "this month" without modifier
        let mut q = *p;
        let table: &[(&str, Grain)] = match ctx.lang {
            Lang::Fr => &[
                ("mois", Grain::Month),
                ("annee", Grain::Year),
                ("semaine", Grain::Week),
            ],
            Lang::En => &[
                ("the month", Grain::Month),
                ("month", Grain::Month),
                ("the year", Grain::Year),
                ("year", Grain::Year),
                ("the week", Grain::Week),
            ],
        };
        if let Some(g) = q.map(table) {
            if best.is_none_or(|(e, _)| q.i > e) {
                if let Some(t) = ctx.r().and_then(|r| cycle(r, g, 0)) {
                    best = Some((q.i, t));
                }
            }
        }
    }
    let (e, t) = best?;
    p.i = e;
    Some(t)
}

/// Parts of periods: "fin août", "début mars 2022", "mi-juillet", "fin 2021", "en fin de
/// mois", "au début de l'année", "en milieu de semaine", "la première quinzaine d'avril",
/// "early March", "late 2021", "end of the year", "beginning of next week", "EOM".
pub(crate) fn part_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    match ctx.lang {
        Lang::Fr => part_fr(p, ctx),
        Lang::En => part_en(p, ctx),
    }
}

fn part_fr(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let mut by = *ctx;
    if p.any(&["d'ici la", "d'ici"]) {
        by.prefer = crate::Prefer::Future; // "d'ici fin mars": the coming end of March
    } else {
        p.any(&[
            "a la", "au", "en", "a l'", "vers la", "vers le", "des la", "des le",
        ]);
    }
    let ctx = &by;
    if p.text("semaine") {
        // "en semaine": the working days of this week
        let t = cycle(ctx.r()?, Grain::Week, 0)?;
        return part_of(&t, Part::Weekdays, Lang::Fr, false, ctx.r());
    }
    p.any(&["la", "le"]);
    let part = p.map(&[
        ("debut", Part::Begin),
        ("fin", Part::End),
        ("mi", Part::Mid),
        ("milieu", Part::Mid),
        ("courant", Part::Whole),
        ("premiere quinzaine", Part::FirstHalf),
        ("deuxieme quinzaine", Part::SecondHalf),
        ("seconde quinzaine", Part::SecondHalf),
        ("derniere quinzaine", Part::SecondHalf),
    ])?;
    p.text("-");
    let linked = p.any(&[
        "du mois de",
        "du mois d'",
        "de la",
        "de l'",
        "de",
        "d'",
        "du",
    ]);
    // implicit current month/year/week: "en fin de mois", "au début de l'année", "en fin de semaine"
    let mut q = *p;
    if let Some(g) = q.map(&[
        ("mois", Grain::Month),
        ("annee", Grain::Year),
        ("semaine", Grain::Week),
    ]) {
        let r = ctx.r()?;
        let mut k = 0;
        let mut r2 = q;
        if let Some(m) = r2.map(FR_CYCLE_MODS) {
            k = m;
            q = r2;
        }
        *p = q;
        let here = part_of(&cycle(r, g, k)?, part, Lang::Fr, false, Some(r))?;
        if g == Grain::Week || k != 0 || part == Part::Whole {
            return Some(here);
        }
        // a month or year part without a determiner follows the preferred direction
        let other = match ctx.prefer {
            crate::Prefer::Future if end_of(&here)? <= r => Some(1),
            crate::Prefer::Past if here.start > r => Some(-1),
            _ => None,
        };
        return match other {
            Some(k) => part_of(&cycle(r, g, k)?, part, Lang::Fr, false, Some(r)),
            None => Some(here),
        };
    }
    let c = Ctx {
        month_ok: true,
        ..*ctx
    };
    let t = period(p, &c, false)?;
    if !linked && !matches!(t.grain, Grain::Month | Grain::Year) {
        return None;
    }
    part_of(&t, part, Lang::Fr, t.grain == Grain::Month, ctx.r())
}

fn part_en(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    p.any(&["at the", "the", "at", "in the", "by the", "by", "in"]);
    // abbreviations only in whole phrases ("boy" is a word)
    let abbr = if ctx.phrase {
        p.map(&[
            ("eom", (Grain::Month, Part::End)),
            ("bom", (Grain::Month, Part::Begin)),
            ("eoy", (Grain::Year, Part::End)),
            ("boy", (Grain::Year, Part::Begin)),
        ])
    } else {
        None
    };
    if let Some((g, part)) = abbr {
        return part_of(&cycle(ctx.r()?, g, 0)?, part, Lang::En, false, ctx.r());
    }
    if p.text("all week") {
        let t = cycle(ctx.r()?, Grain::Week, 0)?;
        return span(t.start, add_days(t.start, 6)?, Grain::Week);
    }
    if p.any(&[
        "rest of the week",
        "rest of this week",
        "the rest of the week",
    ]) {
        let t = cycle(ctx.r()?, Grain::Week, 0)?;
        return part_of(&t, Part::Rest, Lang::En, false, ctx.r());
    }
    let mut q = *p;
    let part = if let Some(part) = q.map(&[
        ("early", Part::Begin),
        ("mid", Part::Mid),
        ("late", Part::End),
    ]) {
        q.text("-");
        q.text("in");
        part
    } else if q.any(&["earlier", "later"]) {
        // "earlier this month", "later this year": the period itself
        if !q.any(&["this", "next", "last"]) {
            return None;
        }
        q.i -= 1;
        Part::Whole
    } else {
        let part = q.map(&[
            ("beginning", Part::Begin),
            ("start", Part::Begin),
            ("middle", Part::Mid),
            ("end", Part::End),
            ("first half", Part::FirstHalf),
            ("second half", Part::SecondHalf),
        ])?;
        if !q.text("of") {
            return None;
        }
        part
    };
    let t = period(&mut q, ctx, true)?;
    *p = q;
    part_of(&t, part, Lang::En, false, ctx.r())
}

/// n-th weekday / day / week of a period, "the week of October 6th", "20 of next month",
/// "the ides of March", "third Tuesday after Christmas 2014".
pub(crate) fn nth_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let fr = ctx.lang == Lang::Fr;
    // "la semaine du 6 octobre", "the week of october 6th": the week starting on the Monday
    // after a Sunday, or containing another day
    {
        let mut q = *p;
        if q.any(if fr {
            &["la semaine du", "semaine du"]
        } else {
            &["the week of", "week of"]
        }) {
            let c = Ctx {
                bare_day: true,
                ..*ctx
            };
            if let Some(s) = dspec(&mut q, &c).filter(|s| s.d.is_some()) {
                let t = resolve(s, &c, Dir::of(ctx.prefer))?;
                *p = q;
                return Some(tv(monday(add_days(t.start, 1)?)?, Grain::Week));
            }
        }
    }
    if !fr {
        let mut q = *p;
        q.text("the");
        if q.text("ides of") {
            let m = month(&mut q, ctx, true)?;
            let d = if matches!(m, 3 | 5 | 7 | 10) { 15 } else { 13 };
            let t = resolve(
                DSpec {
                    m: Some(m),
                    d: Some(d),
                    ..Default::default()
                },
                ctx,
                Dir::of(ctx.prefer),
            )?;
            *p = q;
            return Some(t);
        }
    }
    p.any(if fr { &["le", "la", "l'"] } else { &["the"] });
    // "20 of next month", "20th day of the current month", "le 20 du mois prochain"
    {
        let mut q = *p;
        if let Some(d) = dom(&mut q, ctx, false) {
            if !fr {
                q.text("day");
            }
            let linked = if fr {
                q.any(&["du", "de"])
            } else {
                q.text("of")
            };
            if linked {
                let mut r = q;
                if let Some((Grain::Month, k)) = cycle_spec(&mut r, ctx).or_else(|| {
                    let mut r2 = q;
                    let x = if fr {
                        r2.text("mois").then_some((Grain::Month, 0))
                    } else {
                        r2.any(&["the month", "this month"])
                            .then_some((Grain::Month, 0))
                    };
                    if x.is_some() {
                        r = r2;
                    }
                    x
                }) {
                    let m = cycle(ctx.r()?, Grain::Month, k)?;
                    *p = r;
                    return Some(day(ymd(m.start.year() as i64, m.start.month() as i64, d)?));
                }
            }
        }
    }
    let mut n = ordinal(p, ctx).unwrap_or(0);
    let mut q = *p;
    if n == 0 {
        if q.any(if fr {
            &["derniere", "dernier"]
        } else {
            &["last"]
        }) {
            n = -1;
        } else {
            return None;
        }
    } else if (!fr && q.text("last")) || (fr && q.any(&["derniere", "dernier"])) {
        n = -n;
    }
    enum What {
        Wd(i64),
        Day,
        Week,
    }
    let what = if let Some(w) = weekday(&mut q, ctx, false) {
        What::Wd(w)
    } else if q.any(if fr { &["jour", "journee"] } else { &["day"] }) {
        What::Day
    } else if q.text(if fr { "semaine" } else { "week" }) {
        What::Week
    } else {
        return None;
    };
    // "third tuesday after christmas 2014"
    if let What::Wd(w) = what {
        let mut r = q;
        if n > 0 && r.text(if fr { "apres" } else { "after" }) {
            if fr {
                r.any(&["le", "la"]);
            }
            if let Some(t) = anchor(&mut r, ctx) {
                let first = weekday_dir(w, t.start, Dir::FutureStrict)?;
                *p = r;
                return Some(day(add_days(first, 7 * (n - 1))?));
            }
        }
    }
    let linked = if fr {
        q.any(&["du", "de", "d'"])
    } else {
        q.any(&["of", "in", "from"])
    };
    if !linked {
        return None;
    }
    let t = period(&mut q, ctx, true)?;
    let (s, e) = (t.start, end_of(&t)?);
    let res = match what {
        What::Wd(w) => day(nth_weekday_in(s, e, w, n)?),
        What::Day => {
            let d = if n > 0 {
                add_days(s, n - 1)?
            } else {
                add_days(e, n)?
            };
            if d < s || d >= e {
                return None;
            }
            day(d)
        }
        What::Week => tv(nth_full_week_in(s, e, n)?, Grain::Week),
    };
    *p = q;
    Some(res)
}

/// Quarters: "third quarter", "the 4th qtr of 2018", "Q4 2018", "2018Q4", "18q4",
/// "au premier trimestre 2022", "T3 2022".
pub(crate) fn quarter_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let fr = ctx.lang == Lang::Fr;
    let mut q = *p;
    let glued_q = |q: &P| q.attached() && q.peek().is_some_and(|t| t.text == "q");
    let (n, y) = if let Some(y) = q
        .digits()
        .filter(|d| d.len() == 4 || d.len() == 2)
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|_| glued_q(&q))
    {
        q.i += 1;
        let y = if y < 100 { 2000 + y } else { y };
        (
            q.int(1).filter(|_| !q.prev().is_some_and(|t| t.sp))?,
            Some(y),
        )
    } else {
        let mut q2 = *p;
        let n = if q2.text(if fr { "t" } else { "q" }) && q2.attached() {
            let n = q2.int(1)?;
            // French "T3" needs a year
            let mut r = q2;
            r.any(&["de", "of"]);
            let y = year4(&mut r);
            if fr && y.is_none() {
                return None;
            }
            q = if y.is_some() { r } else { q2 };
            return resolve_quarter(n, y, ctx).inspect(|_| *p = q);
        } else {
            q = *p;
            q.any(if fr { &["le", "au"] } else { &["the"] });
            let n = ordinal(&mut q, ctx)?;
            if !q.any(if fr {
                &["trimestre"]
            } else {
                &["quarter", "qtr"]
            }) {
                return None;
            }
            n
        };
        let mut r = q;
        r.any(&["de", "of"]);
        let y = year4(&mut r);
        if y.is_some() {
            q = r;
        }
        (n, y)
    };
    let t = resolve_quarter(n, y, ctx)?;
    *p = q;
    Some(t)
}

fn resolve_quarter(n: i64, y: Option<i64>, ctx: &Ctx) -> Option<TimeValue> {
    if !(1..=4).contains(&n) {
        return None;
    }
    let y = match y {
        Some(y) => y,
        None => {
            let r = ctx.r()?;
            let cur = (r.month() as i64 - 1) / 3 + 1;
            let ry = r.year() as i64;
            match ctx.prefer {
                crate::Prefer::Future => ry + i64::from(n < cur),
                crate::Prefer::Past => ry - i64::from(n > cur),
            }
        }
    };
    Some(tv(ymd(y, 3 * n - 2, 1)?, Grain::Quarter))
}

/// Seasons as intervals (northern hemisphere, fixed boundaries): spring from March 21,
/// summer June 21, autumn September 24, winter December 21.
fn season(y: i64, s: i64) -> Option<TimeValue> {
    let (a, b) = match s {
        0 => (ymd(y, 3, 21)?, ymd(y, 6, 21)?),
        1 => (ymd(y, 6, 21)?, ymd(y, 9, 24)?),
        2 => (ymd(y, 9, 24)?, ymd(y, 12, 21)?),
        _ => (ymd(y, 12, 21)?, ymd(y + 1, 3, 21)?),
    };
    span(a, b, Grain::Quarter)
}

/// "cet été", "l'hiver dernier", "l'été 2022", "this summer", "last winter", "summer 2022".
pub(crate) fn season_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let fr = ctx.lang == Lang::Fr;
    let det = if fr {
        p.map(&[
            ("cet", 0),
            ("ce", 0),
            ("l'", 9),
            ("le", 9),
            ("en", 0),
            ("au", 0),
        ])
    } else {
        p.map(&[
            ("this", 0),
            ("current", 0),
            ("the", 9),
            ("last", -1),
            ("past", -1),
            ("previous", -1),
            ("next", 1),
            ("coming", 1),
        ])
    };
    let names: &[(&str, i64)] = if fr {
        &[("printemps", 0), ("ete", 1), ("automne", 2), ("hiver", 3)]
    } else {
        &[
            ("spring", 0),
            ("summer", 1),
            ("fall", 2),
            ("autumn", 2),
            ("winter", 3),
        ]
    };
    let s = p.map(names)?;
    let is_fall = p.prev().is_some_and(|t| t.text == "fall");
    let mut q = *p;
    q.punct(",");
    if let Some(y) = year4(&mut q) {
        *p = q;
        return season(if s == 3 { y - 1 } else { y }, s).or_else(|| season(y, s));
    }
    let mut k = det.unwrap_or(9);
    if fr {
        if let Some(m) = p.map(&[("dernier", -1), ("passe", -1), ("prochain", 1)]) {
            k = m;
        }
    }
    if k == 9 {
        // "the fall" is rarely the season in news ("the fall of Kabul")
        if (det.is_none() || is_fall) && !ctx.phrase {
            return None;
        }
        k = 0;
    }
    let r = ctx.r()?;
    let ry = r.year() as i64;
    let cands: Vec<TimeValue> = (ry - 2..=ry + 1).filter_map(|y| season(y, s)).collect();
    match k {
        // a bare season: the one under way, else, leaning to the past ("Kiev avait demandé
        // dès l'automne" in February), the last one, else this year's
        0 => cands
            .iter()
            .find(|t| t.start <= r && t.end.is_some_and(|e| r < e))
            .or_else(|| match ctx.prefer {
                crate::Prefer::Past => cands.iter().rev().find(|t| t.start <= r),
                _ => None,
            })
            .or_else(|| cands.iter().find(|t| t.start.year() as i64 == ry))
            .copied(),
        -1 => cands
            .iter()
            .rev()
            .find(|t| t.end.is_some_and(|e| e <= r))
            .copied(),
        _ => cands.iter().find(|t| t.start > r).copied(),
    }
}

/// Month modifiers for relative months in French: "le mois de mars dernier" is handled by
/// the date rule; here only the n-th/part helpers are exported for tests.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lex;
    use crate::Prefer;

    fn run(
        rule: super::super::Rule,
        s: &str,
        lang: Lang,
        r: (i64, i64, i64),
        prefer: Prefer,
    ) -> Option<TimeValue> {
        let toks = lex(s);
        let mut p = P::new(&toks, 0);
        let ctx = Ctx {
            lang,
            reff: ymd(r.0, r.1, r.2),
            prefer,
            phrase: true,
            month_ok: true,
            day_ok: true,
            bare_day: false,
        };
        rule(&mut p, &ctx).filter(|_| p.done())
    }

    #[test]
    fn weekdays() {
        let t = run(
            weekday_rule,
            "mardi",
            Lang::Fr,
            (2022, 10, 12),
            Prefer::Past,
        )
        .unwrap();
        assert_eq!(t.start, ymd(2022, 10, 11).unwrap());
        let t = run(
            weekday_rule,
            "lundi en huit",
            Lang::Fr,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!(t.start, ymd(2013, 2, 25).unwrap());
        let t = run(
            weekday_rule,
            "next saturday",
            Lang::En,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!(t.start, ymd(2013, 2, 23).unwrap());
        let t = run(
            weekday_rule,
            "3 fridays from now",
            Lang::En,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!(t.start, ymd(2013, 3, 1).unwrap());
    }

    #[test]
    fn cycles_and_offsets() {
        let t = run(
            cycle_rule,
            "l'annee derniere",
            Lang::Fr,
            (2022, 1, 22),
            Prefer::Past,
        )
        .unwrap();
        assert_eq!((t.start, t.grain), (ymd(2021, 1, 1).unwrap(), Grain::Year));
        let t = run(
            cycle_rule,
            "last week",
            Lang::En,
            (2022, 10, 12),
            Prefer::Past,
        )
        .unwrap();
        assert_eq!((t.start, t.grain), (ymd(2022, 10, 3).unwrap(), Grain::Week));
        let t = run(
            offset_rule,
            "il y a deux semaines",
            Lang::Fr,
            (2022, 10, 12),
            Prefer::Past,
        )
        .unwrap();
        assert_eq!(t.start, ymd(2022, 9, 28).unwrap());
        let t = run(
            last_n_rule,
            "last 2 weeks",
            Lang::En,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!(
            (t.start, t.end),
            (ymd(2013, 1, 28).unwrap(), ymd(2013, 2, 11))
        );
    }

    #[test]
    fn parts() {
        let t = run(
            part_rule,
            "fin aout",
            Lang::Fr,
            (2022, 10, 11),
            Prefer::Past,
        )
        .unwrap();
        assert_eq!(
            (t.start, t.grain, t.record_date()),
            (
                ymd(2022, 8, 21).unwrap(),
                Grain::Month,
                "2022-08".to_string()
            )
        );
        let t = run(
            part_rule,
            "fin 2021",
            Lang::Fr,
            (2022, 10, 11),
            Prefer::Past,
        )
        .unwrap();
        assert_eq!(t.record_date(), "2021");
        let t = run(
            part_rule,
            "early march",
            Lang::En,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!(
            (t.start, t.end),
            (ymd(2013, 3, 1).unwrap(), ymd(2013, 3, 11))
        );
    }

    #[test]
    fn nth() {
        let t = run(
            nth_rule,
            "first tuesday of october",
            Lang::En,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!(t.start, ymd(2013, 10, 1).unwrap());
        let t = run(
            nth_rule,
            "la derniere semaine de septembre 2014",
            Lang::Fr,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!((t.start, t.grain), (ymd(2014, 9, 22).unwrap(), Grain::Week));
        let t = run(
            quarter_rule,
            "2018q4",
            Lang::En,
            (2013, 2, 12),
            Prefer::Future,
        )
        .unwrap();
        assert_eq!(t.start, ymd(2018, 10, 1).unwrap());
    }
}
