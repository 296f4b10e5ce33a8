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
/// "d'ici" (by) points to the future whatever the preferred direction.
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
pub(crate) const DAY_PARTS: &[&str] = &[
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
    let table = if ctx.lang == Lang::Fr {
        PREFIXES_FR
    } else {
        PREFIXES_EN
    };
    for &(pat, month_ok, day_ok) in table {
        let mut q = p;
        if q.text(pat) {
            let mut c = Ctx {
                month_ok: ctx.month_ok || month_ok,
                day_ok: ctx.day_ok || day_ok,
                ..*ctx
            };
            if pat.starts_with("d'ici") {
                c.prefer = Prefer::Future;
            }
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
    t.kind == Kind::Num
        && i >= 2
        && !prev.sp
        && matches!(prev.text, "." | "," | "/" | ":" | "-")
        && toks[i - 2].kind == Kind::Num
}

/// Finds the dates of running (folded) text. See the crate documentation for the
/// conventions (`Prefer::Past` resolves "mardi" to the most recent Tuesday at or before the
/// reference, `Prefer::Future` to the next one after it).
pub fn find_times(
    text: &str,
    lang: Lang,
    reference: Option<Date>,
    prefer: Prefer,
) -> Vec<Found<TimeValue>> {
    let toks = lex(text);
    let ctx = Ctx {
        lang,
        reff: reference,
        prefer,
        phrase: false,
        month_ok: false,
        day_ok: false,
        bare_day: false,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !inside_word_or_number(&toks, i) {
            if let Some((t, e)) = time_at(P::new(&toks, i), &ctx) {
                out.push(Found {
                    start: toks[i].start,
                    end: toks[e - 1].end,
                    value: t,
                });
                i = e;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Reads a whole phrase (already folded and tokenised) as a date.
pub(crate) fn phrase_time(
    toks: &[Tok],
    lang: Lang,
    reference: Date,
    prefer: Prefer,
) -> Option<TimeValue> {
    let ctx = Ctx {
        lang,
        reff: Some(reference),
        prefer,
        phrase: true,
        month_ok: true,
        day_ok: true,
        bare_day: false,
    };
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
        if toks[n - 1].kind == Kind::Punct
            && matches!(toks[n - 1].text, "." | "?" | "!" | "," | ";")
        {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fold, parse_phrase};
    use jiff::civil::date;

    /// The single date found in `s` (folded first), as (record date, grain).
    fn one(s: &str, lang: Lang, r: Option<Date>, prefer: Prefer) -> (String, Grain) {
        let f = find_times(&fold(s), lang, r, prefer);
        assert_eq!(f.len(), 1, "{s:?}: {f:?}");
        (f[0].value.record_date(), f[0].value.grain)
    }
    fn day(s: &str, lang: Lang, r: Date, prefer: Prefer) -> String {
        one(s, lang, Some(r), prefer).0
    }

    const FR: Lang = Lang::Fr;
    const EN: Lang = Lang::En;
    const PAST: Prefer = Prefer::Past;
    const FUT: Prefer = Prefer::Future;

    #[test]
    fn brief_examples() {
        assert_eq!(day("mardi", FR, date(2022, 10, 12), PAST), "2022-10-11");
        assert_eq!(
            one("fin août", FR, Some(date(2022, 10, 11)), PAST),
            ("2022-08".into(), Grain::Month)
        );
        assert_eq!(
            one("en décembre", FR, Some(date(2022, 1, 22)), PAST),
            ("2021-12".into(), Grain::Month)
        );
        assert_eq!(
            one("l'année dernière", FR, Some(date(2022, 1, 22)), PAST),
            ("2021".into(), Grain::Year)
        );
    }

    #[test]
    fn french_news_dates() {
        let r = date(2022, 10, 11); // a Tuesday
        assert_eq!(day("Washington a annoncé mardi", FR, r, PAST), "2022-10-11");
        assert_eq!(day("l'appel de lundi matin", FR, r, PAST), "2022-10-10");
        assert_eq!(day("ce samedi", FR, r, PAST), "2022-10-08");
        assert_eq!(day("aujourd'hui", FR, r, PAST), "2022-10-11");
        assert_eq!(day("hier", FR, r, PAST), "2022-10-10");
        assert_eq!(day("la veille", FR, r, PAST), "2022-10-10");
        assert_eq!(day("avant-hier", FR, r, PAST), "2022-10-09");
        assert_eq!(day("le 19 janvier", FR, r, PAST), "2022-01-19");
        assert_eq!(day("le 19 décembre", FR, r, PAST), "2021-12-19");
        assert_eq!(day("19 janvier 2022", FR, r, PAST), "2022-01-19");
        assert_eq!(
            one("début mars", FR, Some(r), PAST),
            ("2022-03".into(), Grain::Month)
        );
        assert_eq!(
            one("mi-juillet", FR, Some(r), PAST),
            ("2022-07".into(), Grain::Month)
        );
        assert_eq!(
            one("l'an dernier", FR, Some(r), PAST),
            ("2021".into(), Grain::Year)
        );
        assert_eq!(
            one("cette année", FR, Some(r), PAST),
            ("2022".into(), Grain::Year)
        );
        assert_eq!(
            one("le mois dernier", FR, Some(r), PAST),
            ("2022-09".into(), Grain::Month)
        );
        assert_eq!(
            one("la semaine dernière", FR, Some(r), PAST),
            ("2022-10-03".into(), Grain::Week)
        );
        assert_eq!(
            one("fin 2021", FR, Some(r), PAST),
            ("2021".into(), Grain::Year)
        );
        assert_eq!(
            one("en 2014", FR, Some(r), PAST),
            ("2014".into(), Grain::Year)
        );
        assert_eq!(
            one("depuis 2014", FR, Some(r), PAST),
            ("2014".into(), Grain::Year)
        );
        assert_eq!(day("le 2022-10-11", FR, r, PAST), "2022-10-11");
        assert_eq!(day("le 10/11/2022", FR, r, PAST), "2022-11-10");
        assert_eq!(day("il y a deux semaines", FR, r, PAST), "2022-09-27");
        assert_eq!(day("dans deux jours", FR, r, PAST), "2022-10-13");
        assert_eq!(
            day("en mars dernier", FR, date(2022, 3, 20), PAST),
            "2021-03"
        );
        assert_eq!(day("du 3 au 5 mars 2022", FR, r, PAST), "2022-03-03");
    }

    #[test]
    fn english_news_dates() {
        let r = date(2022, 10, 12); // a Wednesday
        assert_eq!(day("Biden said on Tuesday", EN, r, PAST), "2022-10-11");
        assert_eq!(day("today", EN, r, PAST), "2022-10-12");
        assert_eq!(day("yesterday", EN, r, PAST), "2022-10-11");
        assert_eq!(day("January 19", EN, r, PAST), "2022-01-19");
        assert_eq!(day("Jan. 19, 2022", EN, r, PAST), "2022-01-19");
        assert_eq!(
            one("late August", EN, Some(r), PAST),
            ("2022-08".into(), Grain::Month)
        );
        assert_eq!(
            one("early March", EN, Some(r), PAST),
            ("2022-03".into(), Grain::Month)
        );
        assert_eq!(
            one("in December", EN, Some(date(2022, 1, 22)), PAST),
            ("2021-12".into(), Grain::Month)
        );
        assert_eq!(
            one("last year", EN, Some(r), PAST),
            ("2021".into(), Grain::Year)
        );
        assert_eq!(
            one("last month", EN, Some(r), PAST),
            ("2022-09".into(), Grain::Month)
        );
        assert_eq!(
            one("last week", EN, Some(r), PAST),
            ("2022-10-03".into(), Grain::Week)
        );
        assert_eq!(
            one("next week", EN, Some(r), PAST),
            ("2022-10-17".into(), Grain::Week)
        );
        assert_eq!(day("10/11/2022", EN, r, PAST), "2022-10-11");
        assert_eq!(day("two weeks ago", EN, r, PAST), "2022-09-28");
        assert_eq!(day("the day before", EN, r, PAST), "2022-10-11");
        assert_eq!(
            one("between 2014 and 2022", EN, Some(r), PAST),
            ("2014".into(), Grain::Year)
        );
    }

    #[test]
    fn future_preference_follows_duckling() {
        let r = date(2013, 2, 12); // a Tuesday
        assert_eq!(day("mardi", FR, r, FUT), "2013-02-19");
        assert_eq!(day("lundi", FR, r, FUT), "2013-02-18");
        assert_eq!(one("mars", FR, Some(r), FUT).0, "2013-03");
        assert_eq!(day("next tuesday", EN, r, FUT), "2013-02-19");
        assert_eq!(day("last sunday", EN, r, FUT), "2013-02-10");
    }

    #[test]
    fn a_bare_season_leans_to_the_past_when_asked() {
        let r = date(2023, 2, 3);
        assert_eq!(one("dès l'automne", FR, Some(r), PAST).0, "2022-09");
        assert_eq!(one("dès l'automne", FR, Some(r), FUT).0, "2023-09");
        // the season under way stays itself either way
        assert_eq!(
            one("cet hiver", FR, Some(r), PAST).0,
            one("cet hiver", FR, Some(r), FUT).0
        );
    }

    #[test]
    fn without_reference_only_full_dates() {
        let f = |s: &str, lang| {
            find_times(&fold(s), lang, None, PAST)
                .iter()
                .map(|f| f.value.record_date())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            f("le 19 janvier 2022, mardi et hier, puis la veille", FR),
            ["2022-01-19"]
        );
        assert_eq!(f("en 2014 et l'année dernière", FR), ["2014"]);
        assert_eq!(
            f("in March 2023, last week and on Tuesday", EN),
            ["2023-03"]
        );
        assert_eq!(f("fin 2021", FR), ["2021"]);
    }

    #[test]
    fn no_false_dates_in_running_text() {
        let r = Some(date(2022, 10, 11));
        let f = |s: &str, lang| find_times(&fold(s), lang, r, PAST).len();
        assert_eq!(
            f(
                "Le premier ministre a reçu 200 millions et le 16e régiment",
                FR
            ),
            0
        );
        assert_eq!(f("they may send 2000 dollars in the coming days", EN), 0);
        assert_eq!(f("des obusiers M777 et 16,8 milliards", FR), 0);
        assert_eq!(f("we march on; the sun rises; one of 5 tanks", EN), 0);
        assert_eq!(f("2000 soldats et 1950 chars", FR), 0);
        assert_eq!(f("sent 2000 troops", EN), 0);
        assert_eq!(f("2022 was a year; 2023 budget", EN), 2);
    }

    #[test]
    fn spans_are_byte_offsets_in_folded_text() {
        let text = fold("Washington avait approuvé, fin août, la livraison");
        let f = find_times(&text, FR, Some(date(2022, 10, 11)), PAST);
        assert_eq!(&text[f[0].start..f[0].end], "fin aout");
    }

    #[test]
    fn phrases() {
        let r = date(2013, 2, 12).at(4, 30, 0, 0);
        let t = |s, lang| parse_phrase(s, lang, r, FUT).time.map(|t| (t.start, t.end));
        assert_eq!(t("Août 2013", FR), Some((date(2013, 8, 1), None)));
        assert_eq!(
            t("du 13 au 15 juillet", FR),
            Some((date(2013, 7, 13), Some(date(2013, 7, 16))))
        );
        assert_eq!(
            t("July 13-15", EN),
            Some((date(2013, 7, 13), Some(date(2013, 7, 16))))
        );
        assert_eq!(t("thanksgiving 2014", EN), Some((date(2014, 11, 27), None)));
        assert_eq!(t("il y a deux ans", FR), Some((date(2011, 2, 1), None)));
        assert_eq!(t("mardi prochain et", FR), None);
    }

    #[test]
    fn record_dates() {
        let tv = |g| TimeValue {
            start: date(2022, 8, 21),
            end: None,
            grain: g,
        };
        assert_eq!(tv(Grain::Day).record_date(), "2022-08-21");
        assert_eq!(tv(Grain::Week).record_date(), "2022-08-21");
        assert_eq!(tv(Grain::Month).record_date(), "2022-08");
        assert_eq!(tv(Grain::Quarter).record_date(), "2022-08");
        assert_eq!(tv(Grain::Year).record_date(), "2022");
    }
}
