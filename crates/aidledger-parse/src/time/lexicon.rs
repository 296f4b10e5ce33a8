//! Words of dates: months, weekdays, units, ordinals, days of month and years.

use super::Ctx;
use crate::lex::{Kind, P};
use crate::number::ORD_SUFFIXES;
use crate::{Grain, Lang};

const FR_MONTHS: &[(&str, i64)] = &[
    ("janvier", 1),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
];
const FR_MONTHS_ABBR: &[(&str, i64)] = &[
    ("janv", 1),
    ("jan", 1),
    ("fevr", 2),
    ("fev", 2),
    ("mar", 3),
    ("avr", 4),
    ("juil", 7),
    ("jui", 7),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];
const EN_MONTHS: &[(&str, i64)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];
const EN_MONTHS_ABBR: &[(&str, i64)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];
const FR_WEEKDAYS: &[(&str, i64)] = &[
    ("lundi", 0),
    ("mardi", 1),
    ("mercredi", 2),
    ("jeudi", 3),
    ("vendredi", 4),
    ("samedi", 5),
    ("dimanche", 6),
];
const FR_WEEKDAYS_ABBR: &[(&str, i64)] = &[
    ("lun", 0),
    ("mar", 1),
    ("mer", 2),
    ("jeu", 3),
    ("ven", 4),
    ("sam", 5),
    ("dim", 6),
];
const EN_WEEKDAYS: &[(&str, i64)] = &[
    ("monday", 0),
    ("tuesday", 1),
    ("wednesday", 2),
    ("thursday", 3),
    ("friday", 4),
    ("saturday", 5),
    ("sunday", 6),
];
const EN_WEEKDAYS_ABBR: &[(&str, i64)] = &[
    ("mon", 0),
    ("tue", 1),
    ("tues", 1),
    ("wed", 2),
    ("thu", 3),
    ("thur", 3),
    ("thurs", 3),
    ("fri", 4),
    ("sat", 5),
    ("sun", 6),
];
const EN_WEEKDAYS_PLURAL: &[(&str, i64)] = &[
    ("mondays", 0),
    ("tuesdays", 1),
    ("wednesdays", 2),
    ("thursdays", 3),
    ("fridays", 4),
    ("saturdays", 5),
    ("sundays", 6),
];
const FR_UNITS: &[(&str, Grain)] = &[
    ("jours", Grain::Day),
    ("jour", Grain::Day),
    ("journees", Grain::Day),
    ("journee", Grain::Day),
    ("semaines", Grain::Week),
    ("semaine", Grain::Week),
    ("mois", Grain::Month),
    ("trimestres", Grain::Quarter),
    ("trimestre", Grain::Quarter),
    ("annees", Grain::Year),
    ("annee", Grain::Year),
    ("ans", Grain::Year),
    ("an", Grain::Year),
];
const EN_UNITS: &[(&str, Grain)] = &[
    ("days", Grain::Day),
    ("day", Grain::Day),
    ("weeks", Grain::Week),
    ("week", Grain::Week),
    ("months", Grain::Month),
    ("month", Grain::Month),
    ("quarters", Grain::Quarter),
    ("quarter", Grain::Quarter),
    ("qtrs", Grain::Quarter),
    ("qtr", Grain::Quarter),
    ("years", Grain::Year),
    ("year", Grain::Year),
    ("yrs", Grain::Year),
    ("yr", Grain::Year),
];
const FR_ORDINALS: &[(&str, i64)] = &[
    ("premier", 1),
    ("premiere", 1),
    ("deuxieme", 2),
    ("second", 2),
    ("seconde", 2),
    ("troisieme", 3),
    ("quatrieme", 4),
    ("cinquieme", 5),
    ("sixieme", 6),
    ("septieme", 7),
    ("huitieme", 8),
    ("neuvieme", 9),
    ("dixieme", 10),
];
const EN_ORDINALS: &[(&str, i64)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
];
const EN_TENS: &[(&str, i64)] = &[("twenty", 20), ("thirty", 30)];

fn word<T: Copy>(p: &mut P, table: &[(&str, T)]) -> Option<T> {
    let t = p.peek()?;
    if t.kind != Kind::Word {
        return None;
    }
    let v = table.iter().find(|(w, _)| *w == t.text)?.1;
    p.i += 1;
    Some(v)
}

/// Glued abbreviation dot ("sept.", "jan.").
fn dot(p: &mut P) {
    if p.peek().is_some_and(|t| t.text == "." && !t.sp) {
        p.i += 1;
    }
}

/// A month name (abbreviations only when `abbr` is allowed).
pub(crate) fn month(p: &mut P, ctx: &Ctx, abbr: bool) -> Option<i64> {
    let (full, short) = match ctx.lang {
        Lang::Fr => (FR_MONTHS, FR_MONTHS_ABBR),
        Lang::En => (EN_MONTHS, EN_MONTHS_ABBR),
    };
    if let Some(m) = word(p, full) {
        return Some(m);
    }
    if abbr {
        let m = word(p, short)?;
        dot(p);
        return Some(m);
    }
    None
}

/// A weekday (Monday = 0); abbreviations only when `abbr` is allowed.
pub(crate) fn weekday(p: &mut P, ctx: &Ctx, abbr: bool) -> Option<i64> {
    let (full, short) = match ctx.lang {
        Lang::Fr => (FR_WEEKDAYS, FR_WEEKDAYS_ABBR),
        Lang::En => (EN_WEEKDAYS, EN_WEEKDAYS_ABBR),
    };
    if let Some(w) = word(p, full) {
        return Some(w);
    }
    if abbr {
        let w = word(p, short)?;
        dot(p);
        return Some(w);
    }
    None
}

/// Plural weekday ("fridays").
pub(crate) fn weekday_plural(p: &mut P, ctx: &Ctx) -> Option<i64> {
    match ctx.lang {
        Lang::Fr => {
            let w = word(p, FR_WEEKDAYS)?;
            if p.peek().is_some_and(|t| t.text == "s" && !t.sp) {
                p.i += 1;
            }
            Some(w)
        }
        Lang::En => word(p, EN_WEEKDAYS_PLURAL).or_else(|| word(p, EN_WEEKDAYS)),
    }
}

pub(crate) fn unit(p: &mut P, ctx: &Ctx) -> Option<Grain> {
    match ctx.lang {
        Lang::Fr => word(p, FR_UNITS),
        Lang::En => word(p, EN_UNITS),
    }
}

/// Digits with a glued ordinal suffix ("1er", "3eme", "21st").
fn digit_ordinal(p: &mut P) -> Option<i64> {
    let mut q = *p;
    let n = q.int(3)?;
    let t = q.peek()?;
    if t.sp || t.kind != Kind::Word || !ORD_SUFFIXES.contains(&t.text) {
        return None;
    }
    q.i += 1;
    *p = q;
    Some(n)
}

/// An ordinal ("premier", "3eme", "third", "21st", "twenty-first").
pub(crate) fn ordinal(p: &mut P, ctx: &Ctx) -> Option<i64> {
    if let Some(n) = digit_ordinal(p) {
        return Some(n);
    }
    match ctx.lang {
        Lang::Fr => word(p, FR_ORDINALS),
        Lang::En => {
            let mut q = *p;
            if let Some(t) = word(&mut q, EN_TENS) {
                q.text("-");
                if let Some(u) = word(&mut q, &EN_ORDINALS[..9]) {
                    *p = q;
                    return Some(t + u);
                }
            }
            word(p, EN_ORDINALS)
        }
    }
}

/// A day of month 1..=31: digits (optionally ordinal) or ordinal words; cardinal words
/// ("treize", "quinze") when `words` is set.
pub(crate) fn dom(p: &mut P, ctx: &Ctx, words: bool) -> Option<i64> {
    let save = *p;
    let d = if let Some(d) = digit_ordinal(p) {
        Some(d)
    } else if let Some(d) = p.int(2) {
        Some(d)
    } else if let Some(d) = ordinal(p, ctx) {
        Some(d)
    } else if words {
        crate::number::word_int(p, ctx.lang)
            .filter(|&(_, weak)| weak == 0)
            .map(|(v, _)| v as i64)
    } else {
        None
    };
    match d {
        Some(d) if (1..=31).contains(&d) => Some(d),
        _ => {
            *p = save;
            None
        }
    }
}

/// A four-digit year.
pub(crate) fn year4(p: &mut P) -> Option<i64> {
    let t = p.peek()?;
    if t.kind != Kind::Num || t.text.len() != 4 {
        return None;
    }
    let y: i64 = t.text.parse().ok()?;
    if !(1000..=2999).contains(&y) {
        return None;
    }
    // not followed by glued digits/letters ("2014abc") or a thousands group
    if let Some(n) = p.peek_at(1) {
        if !n.sp && n.kind != Kind::Punct {
            return None;
        }
    }
    p.i += 1;
    Some(y)
}

/// A year: four digits, or (when `short` is allowed) two digits read as 1950..=2049.
pub(crate) fn year(p: &mut P, short: bool) -> Option<i64> {
    if let Some(y) = year4(p) {
        return Some(y);
    }
    if short {
        let t = p.peek()?;
        if t.kind == Kind::Num && t.text.len() == 2 {
            let v: i64 = t.text.parse().ok()?;
            p.i += 1;
            return Some(if v < 50 { 2000 + v } else { 1900 + v });
        }
    }
    None
}

/// A small count: digits or number words, articles included ("une semaine", "a week").
pub(crate) fn count(p: &mut P, ctx: &Ctx) -> Option<i64> {
    if let Some(n) = p.int(4) {
        return Some(n);
    }
    let (v, _) = crate::number::word_int(p, ctx.lang)?;
    ((0.0..=10_000.0).contains(&v) && v.fract() == 0.0).then_some(v as i64)
}
