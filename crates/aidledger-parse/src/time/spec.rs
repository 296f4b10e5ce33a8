//! Calendar dates written out: day, month, year, weekday in any of the usual orders, numeric
//! dates, years, and intervals between two of them.
//!
//! A date is first read as a partial [`DSpec`] ("19 janvier" has no year, "mardi" only a
//! weekday) and then resolved against the reference date in a [`Dir`]ection.

use super::cal::{add_days, end_of, span, tv, wd, ymd};
use super::lexicon::{dom, month, weekday, year, year4};
use super::Ctx;
use crate::lex::{Kind, P};
use crate::{Grain, Lang, Prefer, TimeValue};
use jiff::civil::Date;

/// A date with possibly missing parts; `wd` is a weekday constraint (Monday = 0).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct DSpec {
    pub y: Option<i64>,
    pub m: Option<i64>,
    pub d: Option<i64>,
    pub wd: Option<i64>,
}

/// Direction used to complete a partial date. The strict variants exclude the reference
/// period itself ("mars dernier", "next March").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Past,
    Future,
    PastStrict,
    FutureStrict,
}

impl Dir {
    pub fn of(p: Prefer) -> Dir {
        match p {
            Prefer::Past => Dir::Past,
            Prefer::Future => Dir::Future,
        }
    }
    fn future(self) -> bool {
        matches!(self, Dir::Future | Dir::FutureStrict)
    }
    fn opposite(self) -> Dir {
        match self {
            Dir::Past | Dir::PastStrict => Dir::Future,
            _ => Dir::Past,
        }
    }
    /// Whether `x` lies in this direction from `r` (for a value starting at `x`).
    fn accepts(self, x: Date, r: Date) -> bool {
        match self {
            Dir::Past => x <= r,
            Dir::PastStrict => x < r,
            Dir::Future => x >= r,
            Dir::FutureStrict => x > r,
        }
    }
}

/// Month `m` in direction `dir` from `r`.
pub(crate) fn month_dir(m: i64, r: Date, dir: Dir) -> Option<TimeValue> {
    let (ry, rm) = (r.year() as i64, r.month() as i64);
    let y = match dir {
        Dir::Future => ry + i64::from(m < rm),
        Dir::FutureStrict => ry + i64::from(m <= rm),
        Dir::Past => ry - i64::from(m > rm),
        Dir::PastStrict => ry - i64::from(m >= rm),
    };
    Some(tv(ymd(y, m, 1)?, Grain::Month))
}

/// Weekday `w` in direction `dir`: Future is strictly after the reference (Duckling), Past
/// is at or before it (the reference's own weekday is the reference day).
pub(crate) fn weekday_dir(w: i64, r: Date, dir: Dir) -> Option<Date> {
    let rw = wd(r);
    if dir.future() {
        let k = (w - rw).rem_euclid(7);
        add_days(r, if k == 0 { 7 } else { k })
    } else {
        let k = (rw - w).rem_euclid(7);
        add_days(
            r,
            -(if k == 0 && dir == Dir::PastStrict {
                7
            } else {
                k
            }),
        )
    }
}

/// Month and day without year.
fn month_day(m: i64, d: i64, w: Option<i64>, r: Date, dir: Dir) -> Option<Date> {
    let ry = r.year() as i64;
    let pick = |dir: Dir, span: i64| -> Vec<Date> {
        let years: Vec<i64> = if dir.future() {
            (ry..ry + span).collect()
        } else {
            (ry - span + 1..=ry).rev().collect()
        };
        years
            .into_iter()
            .filter_map(|y| ymd(y, m, d))
            .filter(|&x| dir.accepts(x, r))
            .collect()
    };
    let first = pick(dir, 9).into_iter().next();
    let Some(w) = w else { return first };
    if let Some(x) = first.filter(|&x| wd(x) == w) {
        return Some(x);
    }
    if let Some(x) = pick(dir.opposite(), 9)
        .into_iter()
        .next()
        .filter(|&x| wd(x) == w)
    {
        return Some(x);
    }
    pick(dir, 30).into_iter().find(|&x| wd(x) == w)
}

/// Day of month without month: the nearest month in direction `dir` that has it (and the
/// weekday, when given).
fn day_only(d: i64, w: Option<i64>, r: Date, dir: Dir) -> Option<Date> {
    let base = r.first_of_month();
    for k in 0..120 {
        let k = if dir.future() { k } else { -k };
        let mo = super::cal::add_months(base, k)?;
        if let Some(x) = ymd(mo.year() as i64, mo.month() as i64, d) {
            if dir.accepts(x, r) && w.is_none_or(|w| wd(x) == w) {
                return Some(x);
            }
        }
    }
    None
}

/// Resolves a partial date.
pub(crate) fn resolve(s: DSpec, ctx: &Ctx, dir: Dir) -> Option<TimeValue> {
    match (s.y, s.m, s.d) {
        (Some(y), Some(m), Some(d)) => Some(tv(ymd(y, m, d)?, Grain::Day)),
        (Some(y), Some(m), None) => Some(tv(ymd(y, m, 1)?, Grain::Month)),
        (Some(y), None, None) => Some(tv(ymd(y, 1, 1)?, Grain::Year)),
        (None, Some(m), Some(d)) => Some(tv(month_day(m, d, s.wd, ctx.r()?, dir)?, Grain::Day)),
        (None, Some(m), None) => month_dir(m, ctx.r()?, dir),
        (None, None, Some(d)) => Some(tv(day_only(d, s.wd, ctx.r()?, dir)?, Grain::Day)),
        (None, None, None) => Some(tv(weekday_dir(s.wd?, ctx.r()?, dir)?, Grain::Day)),
        _ => None,
    }
}

fn article(p: &mut P, ctx: &Ctx) {
    match ctx.lang {
        Lang::Fr => p.text("le"),
        Lang::En => p.text("the"),
    };
}

fn opt_weekday(p: &mut P, ctx: &Ctx) -> Option<i64> {
    let mut q = *p;
    let w = weekday(&mut q, ctx, true)?;
    q.punct(",");
    *p = q;
    Some(w)
}

/// "[mardi] [le] 19 [of] janvier [2022]", "14april 2015", "31st Oct 1974".
fn day_month(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    let wd = opt_weekday(p, ctx);
    article(p, ctx);
    let d = dom(p, ctx, true)?;
    if ctx.lang == Lang::En {
        p.text("of");
    }
    let m = month(p, ctx, true)?;
    let mut s = DSpec {
        d: Some(d),
        m: Some(m),
        wd,
        y: None,
    };
    let mut q = *p;
    q.punct(",");
    if let Some(y) = year(&mut q, ctx.phrase) {
        *p = q;
        s.y = Some(y);
    }
    Some(s)
}

/// English "[Tuesday,] January 19[th][,] [2022][, Fri]", "february the 15th", "march first".
fn month_day_en(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    if ctx.lang != Lang::En {
        return None;
    }
    let wd = opt_weekday(p, ctx);
    let is_may = p.peek().is_some_and(|t| t.text == "may");
    let m = month(p, ctx, true)?;
    p.text("the");
    let d = dom(p, ctx, false)?;
    let mut s = DSpec {
        d: Some(d),
        m: Some(m),
        wd,
        y: None,
    };
    let mut q = *p;
    q.punct(",");
    if let Some(y) = year(&mut q, false) {
        *p = q;
        s.y = Some(y);
    } else if is_may && !ctx.phrase {
        return None;
    }
    let mut q = *p;
    q.punct(",");
    if let Some(w) = weekday(&mut q, ctx, true) {
        if s.wd.is_none() {
            s.wd = Some(w);
            *p = q;
        }
    }
    Some(s)
}

/// "mercredi 13", "Tuesday the 19th".
fn weekday_day(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    let w = if ctx.phrase {
        opt_weekday(p, ctx)?
    } else {
        weekday(p, ctx, false)?
    };
    let mut q = *p;
    let the = match ctx.lang {
        Lang::Fr => q.text("le"),
        Lang::En => q.text("the"),
    };
    let t = q.peek()?;
    // in running text the day must be written in digits: "jeudi le Premier ministre" is no date
    if !ctx.phrase && t.kind != Kind::Num {
        return None;
    }
    let ordinal =
        t.kind == Kind::Num && q.peek_at(1).is_some_and(|n| !n.sp && n.kind == Kind::Word);
    let d = dom(&mut q, ctx, ctx.phrase)?;
    if !ctx.phrase {
        // "mardi 12" but not "mardi 12 soldats"; English needs "the" or an ordinal ("Tuesday the 19th")
        let ok = match ctx.lang {
            Lang::Fr => {
                ordinal
                    || q.peek()
                        .is_none_or(|n| n.kind != Kind::Word || super::DAY_PARTS.contains(&n.text))
            }
            Lang::En => the || ordinal,
        };
        if !ok {
            return None;
        }
    }
    *p = q;
    Some(DSpec {
        d: Some(d),
        wd: Some(w),
        ..Default::default()
    })
}

/// "le 2", "the 15th": only in whole phrases, intervals, or after "le"/"on" with an ordinal.
fn day_alone(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    let had_article = match ctx.lang {
        Lang::Fr => p.text("le"),
        Lang::En => p.text("the"),
    };
    if !(had_article || ctx.bare_day || ctx.day_ok) {
        return None;
    }
    let t = p.peek()?;
    let digit_ordinal =
        t.kind == Kind::Num && p.peek_at(1).is_some_and(|n| !n.sp && n.kind == Kind::Word);
    let d = dom(p, ctx, ctx.phrase || ctx.bare_day)?;
    // in running text only "le 1er", "on the 15th" (not "le 16", "le premier ministre")
    if !(ctx.phrase || ctx.bare_day)
        && (!digit_ordinal || p.peek().is_some_and(|n| n.kind == Kind::Word))
    {
        return None;
    }
    Some(DSpec {
        d: Some(d),
        ..Default::default()
    })
}

/// "mars 2013", "October 2014", and a month alone ("en décembre", "in March").
fn month_year(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    let full = month(&mut p.clone(), ctx, false).is_some();
    let m = month(p, ctx, true)?;
    let mut q = *p;
    q.punct(",");
    if let Some(y) = year4(&mut q) {
        *p = q;
        return Some(DSpec {
            y: Some(y),
            m: Some(m),
            ..Default::default()
        });
    }
    // a month alone: full names only; English needs a preposition ("in March") outside phrases
    let ok = ctx.phrase || (full && (ctx.lang == Lang::Fr || ctx.month_ok));
    ok.then_some(DSpec {
        m: Some(m),
        ..Default::default()
    })
}

fn sep_tok<'a>(p: &P<'a, '_>) -> Option<&'a str> {
    let t = p.peek()?;
    (t.kind == Kind::Punct && matches!(t.text, "/" | "-" | ".")).then_some(t.text)
}

/// Numeric dates: ISO "2022-10-11", "10/11/2022" (French day/month, English month/day),
/// "2014-10", "2/2013", "31/Oct/1974"; in whole phrases also spaced forms ("20 02 2014").
fn numeric(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    let loose = ctx.phrase;
    let glued_ok = |q: &P| loose || q.attached();
    let mut fields: Vec<(i64, usize, bool)> = Vec::new(); // value, digits, is month word
    let mut q = *p;
    let first = q.digits()?;
    if first.len() > 4 {
        return None;
    }
    fields.push((first.parse().ok()?, first.len(), false));
    let mut sep: Option<&str> = None;
    loop {
        let mut r = q;
        let s = match sep_tok(&r) {
            Some(s) if glued_ok(&r) && sep.is_none_or(|x| x == s) => {
                r.i += 1;
                s
            }
            _ if loose
                && sep.is_none_or(|x| x == " ")
                && r.peek().is_some_and(|t| t.kind == Kind::Num && t.sp) =>
            {
                " "
            }
            _ => break,
        };
        if s != " " && !glued_ok(&r) {
            break;
        }
        if let Some(n) = r.digits().filter(|n| n.len() <= 4) {
            fields.push((n.parse().ok()?, n.len(), false));
        } else if let Some(m) = (ctx.lang == Lang::En && fields.len() == 1)
            .then(|| month(&mut r, ctx, true))
            .flatten()
        {
            fields.push((m, 0, true));
        } else {
            break;
        }
        sep = Some(s);
        q = r;
        if fields.len() == 3 {
            break;
        }
    }
    // reject if glued to more digits/separators ("1/2/3/4", "10.11.2022.5")
    if let Some(t) = q.peek() {
        if !t.sp
            && (t.kind == Kind::Num
                || (sep_tok(&q).is_some()
                    && q.peek_at(1).is_some_and(|n| !n.sp && n.kind == Kind::Num)))
        {
            return None;
        }
    }
    let sep = sep?;
    let fr = ctx.lang == Lang::Fr;
    if sep == "-" && fields.len() == 2 && month(&mut q.clone(), ctx, true).is_some() {
        return None; // "1-8 september" is an interval of days
    }
    let spec = match *fields.as_slice() {
        [(a, 4, false), (b, _, false), (c, _, false)] if sep != " " => DSpec {
            y: Some(a),
            m: Some(b),
            d: Some(c),
            wd: None,
        },
        [(a, la, false), (b, _, bw), (c, lc, false)] if la <= 2 && (lc == 4 || lc == 2) => {
            let y = if lc == 2 {
                if c < 50 {
                    2000 + c
                } else {
                    1900 + c
                }
            } else {
                c
            };
            let (d, m) = if fr || bw { (a, b) } else { (b, a) };
            DSpec {
                y: Some(y),
                m: Some(m),
                d: Some(d),
                wd: None,
            }
        }
        _ if sep == "." && fields.len() < 3 => return None,
        [(a, 4, false), (b, lb, false)] if matches!(sep, "-" | "/") && lb <= 2 => DSpec {
            y: Some(a),
            m: Some(b),
            ..Default::default()
        },
        [(a, la, false), (b, 4, false)] if sep == "/" && la <= 2 => DSpec {
            y: Some(b),
            m: Some(a),
            ..Default::default()
        },
        [(a, la, false), (b, lb, false)] if la <= 2 && lb <= 2 => {
            if !(loose || (sep == "/" && (ctx.day_ok || ctx.bare_day))) {
                return None;
            }
            let (d, m) = if fr { (a, b) } else { (b, a) };
            DSpec {
                m: Some(m),
                d: Some(d),
                ..Default::default()
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&spec.m?) || spec.d.is_some_and(|d| !(1..=31).contains(&d)) {
        return None;
    }
    *p = q;
    Some(spec)
}

/// Eras after a year: "2014 AD", "14 a.d.", "2014 BC", "52 av. J.-C.".
const ERAS: &[(&str, i64)] = &[
    ("a.d.", 1),
    ("a.d", 1),
    ("ad", 1),
    ("b.c.", -1),
    ("b.c", -1),
    ("bc", -1),
    ("bce", -1),
    ("av. j.-c.", -1),
    ("av. j.-c", -1),
    ("av j.-c.", -1),
    ("avant j.-c.", -1),
    ("apr. j.-c.", 1),
    ("apres j.-c.", 1),
];

/// Quantities that show a four-digit number is not a year ("2000 soldats" is fine, but
/// "2000 dollars" or "1950 millions" are not years).
fn quantity_follows(p: &P) -> bool {
    let Some(t) = p.peek() else { return false };
    matches!(
        t.text,
        "%" | "$"
            | "€"
            | "£"
            | "dollars"
            | "euros"
            | "livres"
            | "millions"
            | "milliards"
            | "million"
            | "milliard"
            | "billion"
            | "billions"
            | "mille"
            | "thousand"
            | "pounds"
            | "km"
            | "m"
            | "kg"
            | "h"
    )
}

/// The next word looks like a plural noun (ends in -s/-x and is not a short function word).
fn plural_noun_follows(p: &P) -> bool {
    const NOT_NOUNS: &[&str] = &[
        "was", "is", "has", "as", "his", "its", "this", "plus", "puis", "dans", "sous", "vers",
        "apres", "depuis", "alors", "mais", "pas", "tres", "les", "des", "ses", "ces", "nos",
        "vos", "leurs", "aux", "sans", "chez", "lors", "jusqu", "selon", "versus", "vs", "thus",
        "across", "us",
    ];
    p.peek().is_some_and(|t| {
        t.kind == Kind::Word
            && t.text.len() > 2
            && (t.text.ends_with('s') || t.text.ends_with('x'))
            && !NOT_NOUNS.contains(&t.text)
    })
}

/// A year alone ("2014"); outside whole phrases only 1900..=2100 and not a quantity.
fn year_alone(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    let mut q = *p;
    let t = q.peek()?;
    if t.kind != Kind::Num || t.text.len() > 4 {
        return None;
    }
    let v: i64 = t.text.parse().ok()?;
    q.i += 1;
    let mut r = q;
    if let Some(sign) = r.map(ERAS) {
        *p = r;
        return Some(DSpec {
            y: Some(sign * v),
            ..Default::default()
        });
    }
    if t.text.len() != 4 || !(1000..=2999).contains(&v) {
        return None;
    }
    if !ctx.phrase {
        if !(1900..=2100).contains(&v) || quantity_follows(&q) {
            return None;
        }
        // without a preposition, "2000 soldats" / "1950 troops" are quantities
        if !ctx.month_ok && plural_noun_follows(&q) {
            return None;
        }
        if let Some(n) = q.peek() {
            if !n.sp
                && (n.kind == Kind::Word
                    || ((n.text == "," || n.text == ".")
                        && q.peek_at(1).is_some_and(|x| !x.sp && x.kind == Kind::Num)))
            {
                return None;
            }
        }
        if let Some(pv) = p.prev() {
            if !t.sp && (pv.kind == Kind::Word || matches!(pv.text, "$" | "€" | "£" | "." | ","))
            {
                return None;
            }
        }
    }
    *p = q;
    Some(DSpec {
        y: Some(v),
        ..Default::default()
    })
}

/// Longest calendar spec at the cursor.
pub(crate) fn dspec(p: &mut P, ctx: &Ctx) -> Option<DSpec> {
    type Alt = fn(&mut P, &Ctx) -> Option<DSpec>;
    const ALTS: &[Alt] = &[
        day_month,
        month_day_en,
        weekday_day,
        day_alone,
        month_year,
        numeric,
        year_alone,
    ];
    let mut best: Option<(usize, DSpec)> = None;
    for alt in ALTS {
        let mut q = *p;
        if let Some(s) = alt(&mut q, ctx) {
            if q.i > p.i && best.is_none_or(|(e, _)| q.i > e) {
                best = Some((q.i, s));
            }
        }
    }
    let (e, s) = best?;
    p.i = e;
    Some(s)
}

/// A written date, with direction modifiers: English "next March", "last March",
/// "March after next"; French "mars dernier", "le 3 mars prochain".
pub(crate) fn date_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let mut dir = Dir::of(ctx.prefer);
    let mut c = *ctx;
    if ctx.lang == Lang::En {
        let mut q = *p;
        if q.text("next") {
            dir = Dir::FutureStrict;
        } else if q.text("last") {
            dir = Dir::PastStrict;
        } else if !q.text("this") {
            q = *p;
        }
        if q.i > p.i {
            if !ctx.phrase && q.peek().is_some_and(|t| t.text == "may") {
                return None; // "this may be"
            }
            c.month_ok = true;
            let mut r = q;
            let s = dspec(&mut r, &c)?;
            if s.y.is_some() || s.m.is_none() {
                return None;
            }
            *p = r;
            return resolve(s, &c, dir);
        }
    }
    let s = dspec(p, &c)?;
    if s.y.is_none() {
        let mut q = *p;
        match ctx.lang {
            Lang::Fr => {
                if q.any(&["prochaine", "prochain"]) {
                    dir = Dir::FutureStrict;
                    *p = q;
                } else if q.any(&["derniere", "dernier", "passee", "passe"]) {
                    dir = Dir::PastStrict;
                    *p = q;
                }
            }
            Lang::En => {
                if s.d.is_none() && s.m.is_some() && q.text("after next") {
                    *p = q;
                    let t = resolve(s, &c, Dir::FutureStrict)?;
                    return Some(tv(super::cal::add_months(t.start, 12)?, Grain::Month));
                }
                // "March in a year": that month, a number of years later
                let mut q = *p;
                if s.d.is_none() && s.m.is_some() && q.text("in") {
                    if let (Some(n), Some(Grain::Year)) = (
                        super::lexicon::count(&mut q, ctx),
                        super::lexicon::unit(&mut q, ctx),
                    ) {
                        *p = q;
                        let t = resolve(s, &c, dir)?;
                        return Some(tv(super::cal::add_months(t.start, 12 * n)?, Grain::Month));
                    }
                }
            }
        }
    }
    resolve(s, &c, dir)
}

/// Intervals between two dates: "du 13 au 15 juillet", "entre le 10 juin et le 1er juillet",
/// "July 13-15", "from the 13th to the 15th of July", "1960 - 1961", "de janvier à mars";
/// and "18th Dec for 10 days". Missing month/year of one end are taken from the other.
pub(crate) fn interval_rule(p: &mut P, ctx: &Ctx) -> Option<TimeValue> {
    let c = Ctx {
        bare_day: true,
        month_ok: true,
        ..*ctx
    };
    let fr = ctx.lang == Lang::Fr;
    let opener = if fr {
        p.map(&[
            ("du", 1),
            ("entre le", 2),
            ("entre", 2),
            ("de", 1),
            ("depuis le", 1),
            ("les", 2),
        ])
    } else {
        p.map(&[
            ("from the", 1),
            ("from", 1),
            ("between the", 2),
            ("between", 2),
        ])
    };
    if !fr && opener.is_none() {
        // "for 10 days from 18th Dec"
        let mut q = *p;
        if q.text("for") {
            if let (Some(n), Some(Grain::Day), true) = (
                super::lexicon::count(&mut q, ctx),
                super::lexicon::unit(&mut q, ctx),
                q.text("from"),
            ) {
                if let Some(s) = dspec(&mut q, &c) {
                    let t = resolve(s, ctx, Dir::of(ctx.prefer))?;
                    *p = q;
                    return span(t.start, add_days(t.start, n)?, Grain::Day);
                }
            }
        }
    }
    let mut a = dspec(p, &c)?;
    if !fr {
        // "18th Dec for 10 days"
        let mut q = *p;
        if q.text("for") {
            if let (Some(n), Some(Grain::Day)) = (
                super::lexicon::count(&mut q, ctx),
                super::lexicon::unit(&mut q, ctx),
            ) {
                let t = resolve(a, ctx, Dir::of(ctx.prefer))?;
                *p = q;
                return span(t.start, add_days(t.start, n)?, Grain::Day);
            }
        }
    }
    let sep_ok = match (fr, opener) {
        (true, Some(2)) => p.any(&["et le", "et"]),
        (false, Some(2)) => p.any(&["and the", "and"]),
        (true, _) => p.any(&["jusqu'au", "jusqu'a", "au", "a", "-"]),
        (false, _) => p.any(&["to the", "to", "thru", "through", "till", "until", "-"]),
    };
    if !sep_ok {
        return None;
    }
    let mut b = dspec(p, &c)?;
    let has_my = |s: &DSpec| s.m.is_some() || s.y.is_some();
    if opener.is_none() && !has_my(&a) && !has_my(&b) {
        return None;
    }
    if !ctx.phrase && !has_my(&a) && !has_my(&b) && a.wd.is_none() {
        return None;
    }
    // same kind of ends: days with days, months with months, years with years
    let kind = |s: &DSpec| {
        if s.d.is_some() || s.wd.is_some() {
            0
        } else if s.m.is_some() {
            1
        } else {
            2
        }
    };
    if kind(&a) != kind(&b) {
        return None;
    }
    if b.m.is_some() {
        // weekdays inside a dated interval are redundant ("samedi 13 au dimanche 15 juillet")
        a.wd = None;
        b.wd = None;
    }
    if a.d.is_some() && a.m.is_none() {
        a.m = b.m;
    }
    if b.d.is_some() && b.m.is_none() {
        b.m = a.m;
    }
    if b.y.is_none() && b.m.is_some() {
        b.y = a.y;
    }
    let dir = Dir::of(ctx.prefer);
    let tb = resolve(b, ctx, dir)?;
    let inherit_year = a.y.is_none();
    if inherit_year && a.m.is_some() {
        a.y = Some(tb.start.year() as i64);
    } else if a.m.is_none() && a.d.is_some() {
        a.m = Some(tb.start.month() as i64);
        a.y = Some(tb.start.year() as i64);
    }
    let mut ta = resolve(a, ctx, dir)?;
    if ta.start > tb.start && inherit_year {
        a.y = a.y.map(|y| y - 1);
        ta = resolve(a, ctx, dir)?;
    }
    let grain = if kind(&a) == 0 { Grain::Day } else { tb.grain };
    span(ta.start, end_of(&tb)?, grain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lex;

    fn ctx(lang: Lang, r: Option<Date>, prefer: Prefer) -> Ctx {
        Ctx {
            lang,
            reff: r,
            prefer,
            phrase: false,
            month_ok: false,
            day_ok: false,
            bare_day: false,
        }
    }

    fn spec(s: &str, lang: Lang) -> Option<DSpec> {
        let toks = lex(s);
        let mut p = P::new(&toks, 0);
        let c = Ctx {
            phrase: true,
            ..ctx(lang, None, Prefer::Past)
        };
        dspec(&mut p, &c).filter(|_| p.done())
    }

    #[test]
    fn specs() {
        let d = |y, m, d| DSpec {
            y,
            m: Some(m),
            d: Some(d),
            wd: None,
        };
        assert_eq!(
            spec("19 janvier 2022", Lang::Fr),
            Some(d(Some(2022), 1, 19))
        );
        assert_eq!(spec("jan. 19, 2022", Lang::En), Some(d(Some(2022), 1, 19)));
        assert_eq!(spec("10/11/2022", Lang::Fr), Some(d(Some(2022), 11, 10)));
        assert_eq!(spec("10/11/2022", Lang::En), Some(d(Some(2022), 10, 11)));
        assert_eq!(spec("2022-10-11", Lang::En), Some(d(Some(2022), 10, 11)));
        assert_eq!(spec("31-oct-74", Lang::En), Some(d(Some(1974), 10, 31)));
        assert_eq!(spec("le 1er mars", Lang::Fr), Some(d(None, 3, 1)));
    }

    #[test]
    fn resolution_directions() {
        let r = ymd(2022, 1, 22).unwrap();
        let c = ctx(Lang::Fr, Some(r), Prefer::Past);
        let s = DSpec {
            m: Some(12),
            ..Default::default()
        };
        assert_eq!(
            resolve(s, &c, Dir::Past).unwrap().start,
            ymd(2021, 12, 1).unwrap()
        );
        assert_eq!(
            resolve(s, &c, Dir::Future).unwrap().start,
            ymd(2022, 12, 1).unwrap()
        );
        let s = DSpec {
            m: Some(1),
            d: Some(19),
            ..Default::default()
        };
        assert_eq!(
            resolve(s, &c, Dir::Past).unwrap().start,
            ymd(2022, 1, 19).unwrap()
        );
        assert_eq!(
            resolve(s, &c, Dir::Future).unwrap().start,
            ymd(2023, 1, 19).unwrap()
        );
        // a weekday equal to the reference's is the reference itself in the past direction
        let tue = ymd(2022, 10, 11).unwrap();
        assert_eq!(weekday_dir(1, tue, Dir::Past), Some(tue));
        assert_eq!(weekday_dir(1, tue, Dir::Future), ymd(2022, 10, 18));
        assert_eq!(weekday_dir(0, tue, Dir::Past), ymd(2022, 10, 10));
    }
}
