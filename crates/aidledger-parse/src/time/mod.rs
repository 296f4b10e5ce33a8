//! Dates and date intervals in French and English, resolved against a reference date.
//!
//! The grammar is a set of rules (functions from a token cursor to a [`TimeValue`]); at each
//! token the longest match of any rule wins, optionally after a preposition such as "en",
//! "le", "depuis", "in", "on", "since" (see [`PREFIXES_FR`] and [`PREFIXES_EN`]).
//! - [`spec`]: written calendar dates, numeric dates, years and intervals between dates;
//! - [`rel`]: relative days, weekdays, cycles, offsets, parts and n-th of periods, quarters,
//!   seasons;
//! - [`holiday`]: named holidays (fixed, n-th weekday, Easter-based, Hebrew and Islamic).
//!
//! Anything that needs the reference date returns nothing when it is absent, so with
//! `reference: None` only fully specified dates are found.

pub(crate) mod cal;
pub(crate) mod holiday;
pub(crate) mod lexicon;
pub(crate) mod rel;
pub(crate) mod spec;

use crate::lex::{lex, Kind, Tok, P};
use crate::{Found, Grain, Lang, Prefer, TimeValue};
use jiff::civil::Date;

/// Parsing context shared by the rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    pub lang: Lang,
    pub reff: Option<Date>,
    pub prefer: Prefer,
    /// A whole phrase is being parsed (more liberal: bare days, abbreviations, 2-digit years).
    pub phrase: bool,
    /// A preposition allows a bare month name ("in March").
    pub month_ok: bool,
    /// An article allows a day of month without month ("le 1er", "on the 15th").
    pub day_ok: bool,
    /// Inside an interval: bare day numbers are days ("du 13 au 15 juillet").
    pub bare_day: bool,
}

impl Ctx {
    pub fn r(&self) -> Option<Date> {
        self.reff
    }
}

pub(crate) type Rule = fn(&mut P, &Ctx) -> Option<TimeValue>;

const RULES: &[Rule] = &[
    spec::date_rule,
    spec::interval_rule,
    rel::relative_day,
    rel::weekday_rule,
    rel::cycle_rule,
    rel::last_n_rule,
    rel::offset_rule,
    rel::part_rule,
    rel::nth_rule,
    rel::quarter_rule,
    rel::season_rule,
    holiday::holiday_rule,
];

/// Prepositions that may precede a date: (pattern, allows a bare month, allows a bare day).
const PREFIXES_FR: &[(&str, bool, bool)] = &[
    ("le", false, true),
    ("la", false, false),
    ("l'", false, false),
    ("les", false, false),
    ("en", true, false),
    ("au mois de", true, false),
    ("au mois d'", true, false),
    ("le mois de", true, false),
    ("le mois d'", true, false),
    ("du mois de", true, false),
    ("du mois d'", true, false),
    ("mois de", true, false),
    ("mois d'", true, false),
    ("courant", true, false),
    ("dans le courant de", true, false),
    ("au cours du mois de", true, false),
    ("depuis", true, false),
    ("depuis le", false, true),
    ("des", true, false),
    ("des le", false, true),
    ("a partir de", true, false),
    ("a partir d'", true, false),
    ("a partir du", false, true),
    ("apres le", false, true),
    ("du", false, true),
    ("au", false, true),
    ("vers", true, false),
    ("vers le", false, true),
    ("durant", true, false),
    ("pendant", true, false),
    ("d'ici", true, false),
    ("d'ici le", false, true),
    ("en l'an", true, false),
    ("l'an", true, false),
    ("l'annee", true, false),
];
const PREFIXES_EN: &[(&str, bool, bool)] = &[
    ("on", false, true),
    ("on the", false, true),
    ("the", false, true),
    ("in", true, false),
    ("during", true, false),
    ("since", true, false),
    ("from", true, false),
    ("as of", true, true),
    ("by", true, false),
    ("around", true, false),
    ("anytime after", true, false),
    ("sometime in", true, false),
    ("sometime after", true, false),
    ("after", true, true),
    ("at", false, false),
    ("in the year", true, false),
    ("the year", true, false),
];

/// Times of day after a day ("lundi matin", "hier soir", "Tuesday night").
const DAY_PARTS: &[&str] = &[
    "apres-midi",
    "matin",
    "soir",
    "midi",
    "soiree",
    "nuit",
    "dans la matinee",
    "dans la soiree",
    "dans l'apres-midi",
    "en fin de journee",
    "en matinee",
    "en soiree",
    "morning",
    "afternoon",
    "evening",
    "night",
    "in the morning",
    "in the afternoon",
    "in the evening",
    "at night",
    "at noon",
];

fn best_at(p: P, ctx: &Ctx) -> Option<(TimeValue, usize)> {
    let mut best: Option<(TimeValue, usize)> = None;
    for rule in RULES {
        let mut q = p;
        if let Some(t) = rule(&mut q, ctx) {
            if q.i > p.i && best.as_ref().is_none_or(|(_, e)| q.i > *e) {
                best = Some((t, q.i));
            }
        }
    }
    if let Some((t, e)) = best.as_mut() {
        if t.grain == Grain::Day && t.end.is_none() {
            let mut q = P::new(p.toks, *e);
            if q.any(DAY_PARTS) {
                *e = q.i;
            }
        }
    }
    best
}

/// Longest date expression at the cursor, with an optional leading preposition.
pub(crate) fn time_at(p: P, ctx: &Ctx) -> Option<(TimeValue, usize)> {
    let mut best = best_at(p, ctx);
    let table = if ctx.lang == Lang::Fr { PREFIXES_FR } else { PREFIXES_EN };
    for &(pat, month_ok, day_ok) in table {
        let mut q = p;
        if q.text(pat) {
            let c = Ctx { month_ok: ctx.month_ok || month_ok, day_ok: ctx.day_ok || day_ok, ..*ctx };
            if let Some((t, e)) = best_at(q, &c) {
                if best.as_ref().is_none_or(|(_, be)| e > *be) {
                    best = Some((t, e));
                }
            }
        }
    }
    best
}

/// True when token `i` continues a number or a model name ("16,8", "M777"): no date starts there.
fn inside_word_or_number(toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    if t.sp || i == 0 {
        return false;
    }
    let prev = &toks[i - 1];
    if prev.kind == Kind::Word || prev.kind == Kind::Num {
        return true;
    }
    t.kind == Kind::Num && i >= 2 && !prev.sp && matches!(prev.text, "." | "," | "/" | ":" | "-") && toks[i - 2].kind == Kind::Num
}

/// Finds the dates of running (folded) text. See the crate documentation for the
/// conventions (`Prefer::Past` resolves "mardi" to the most recent Tuesday at or before the
/// reference, `Prefer::Future` to the next one after it).
pub fn find_times(text: &str, lang: Lang, reference: Option<Date>, prefer: Prefer) -> Vec<Found<TimeValue>> {
    let toks = lex(text);
    let ctx = Ctx { lang, reff: reference, prefer, phrase: false, month_ok: false, day_ok: false, bare_day: false };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !inside_word_or_number(&toks, i) {
            if let Some((t, e)) = time_at(P::new(&toks, i), &ctx) {
                out.push(Found { start: toks[i].start, end: toks[e - 1].end, value: t });
                i = e;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Reads a whole phrase (already folded and tokenised) as a date.
pub(crate) fn phrase_time(toks: &[Tok], lang: Lang, reference: Date, prefer: Prefer) -> Option<TimeValue> {
    let ctx = Ctx { lang, reff: Some(reference), prefer, phrase: true, month_ok: true, day_ok: true, bare_day: false };
    let mut n = toks.len();
    loop {
        if n == 0 {
            return None;
        }
        if let Some((t, e)) = time_at(P::new(&toks[..n], 0), &ctx) {
            if e == n {
                return Some(t);
            }
        }
        // retry without trailing punctuation
        if toks[n - 1].kind == Kind::Punct && matches!(toks[n - 1].text, "." | "?" | "!" | "," | ";") {
            n -= 1;
        } else {
            return None;
        }
    }
}

fn fmt_year(y: i16) -> String {
    if y < 0 {
        format!("-{:04}", -(y as i32))
    } else {
        format!("{y:04}")
    }
}

/// "YYYY-MM-DD".
pub(crate) fn fmt_date(d: Date) -> String {
    format!("{}-{:02}-{:02}", fmt_year(d.year()), d.month(), d.day())
}

impl TimeValue {
    /// The date at the precision of the grain: "YYYY-MM-DD" (day, week), "YYYY-MM" (month,
    /// quarter), "YYYY" (year).
    pub fn record_date(&self) -> String {
        let d = self.start;
        match self.grain {
            Grain::Day | Grain::Week => fmt_date(d),
            Grain::Month | Grain::Quarter => format!("{}-{:02}", fmt_year(d.year()), d.month()),
            Grain::Year => fmt_year(d.year()),
        }
    }
}

impl Grain {
    /// Lowercase name ("day", "week", ...).
    pub fn name(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Year => "year",
        }
    }
}
