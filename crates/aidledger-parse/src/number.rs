//! Numbers written with digits or words, in French and English.
//!
//! Rule groups:
//! - **digits**: `16,8`, `1.2`, `1 000`, `1,000`, `1.000`, `6.700,54`, `.77`. Which of `,` and
//!   `.` is the decimal mark depends on the language and on the digits that follow (see
//!   [`digit_value`]).
//! - **scales** after digits or words: `milliards`, `billion`, `mille`, `bn`, `md`, `k`, `M`...;
//!   a smaller scale may follow ("1 billion 200 million").
//!   (`m` alone only in money and whole-phrase parsing, since "500m" is often metres).
//! - **words**: French ("quatre-vingt-dix-sept", "vingt et un", "soixante-dix") and English
//!   ("one hundred and twenty", "twenty-five") composed with scales ("deux cent mille").
//! - **articles**: "un", "une", "a", "an" and English "one" are only a number when a scale
//!   follows ("un million"), in a money amount ("un dollar") or when a whole phrase is parsed;
//!   so are "another", "additional", "further", "extra" ("another billion dollars").

use crate::lex::{Kind, Tok, P};
use crate::{Found, Lang};

/// Where a number is being read; decides how liberal the grammar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Running text.
    Scan,
    /// Amount of a money expression.
    Money,
    /// A whole phrase (the `parse` command).
    Phrase,
}

/// A number read from tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    pub value: f64,
    /// 0: a real number; 1: a lone "un"/"une"/"one"; 2: a lone "a"/"an".
    pub weak: u8,
    /// Read from digits (possibly with a scale word).
    pub digits: bool,
    /// A scale word or suffix was applied.
    pub scaled: bool,
    /// Has a decimal part.
    pub decimal: bool,
}

const FR_UNITS: &[(&str, u32)] = &[
    ("zero", 0),
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("six", 6),
    ("sept", 7),
    ("huit", 8),
    ("neuf", 9),
    ("dix", 10),
    ("onze", 11),
    ("douze", 12),
    ("treize", 13),
    ("quatorze", 14),
    ("quinze", 15),
    ("seize", 16),
];
const FR_TENS: &[(&str, u32)] = &[
    ("vingt", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("soixante", 60),
    ("septante", 70),
    ("octante", 80),
    ("huitante", 80),
    ("nonante", 90),
];
const EN_UNITS: &[(&str, u32)] = &[
    ("zero", 0),
    ("one", 1),
    ("a", 1),
    ("an", 1),
    // "another billion dollars", "an additional billion": one more of the scale
    ("another", 1),
    ("additional", 1),
    ("further", 1),
    ("extra", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];
const EN_TENS: &[(&str, u32)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fourty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];
/// Scale words usable after digits or number words.
const FR_SCALES: &[(&str, f64)] = &[
    ("mille", 1e3),
    ("milliers", 1e3),
    ("millier", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("milliard", 1e9),
    ("milliards", 1e9),
    ("billion", 1e12),
    ("billions", 1e12),
    ("douzaine", 12.0),
    ("douzaines", 12.0),
];
const EN_SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("thousands", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
    ("trillion", 1e12),
    ("trillions", 1e12),
    ("lakh", 1e5),
    ("lakhs", 1e5),
    ("lac", 1e5),
    ("lacs", 1e5),
    ("crore", 1e7),
    ("crores", 1e7),
    ("krore", 1e7),
    ("krores", 1e7),
    ("koti", 1e7),
    ("dozen", 12.0),
    ("dozens", 12.0),
];
/// Abbreviated scales, usable after digits (glued or spaced) in both languages.
const ABBR_SCALES: &[(&str, f64)] = &[
    ("k", 1e3),
    ("mn", 1e6),
    ("mln", 1e6),
    ("mio", 1e6),
    ("bn", 1e9),
    ("md", 1e9),
    ("mds", 1e9),
    ("mrd", 1e9),
    ("mrds", 1e9),
    ("tn", 1e12),
];
/// Abbreviations only accepted in whole-phrase parsing.
const PHRASE_SCALES: &[(&str, f64)] = &[
    ("g", 1e9),
    ("lkh", 1e5),
    ("lkhs", 1e5),
    ("cr", 1e7),
    ("kr", 1e7),
];

/// Ordinal suffixes glued to digits ("1er", "3eme", "21st"): such digits are not cardinals.
pub(crate) const ORD_SUFFIXES: &[&str] = &[
    "er", "ere", "re", "e", "eme", "em", "ieme", "nd", "st", "rd", "th", "d", "me",
];

fn word_in<T: Copy>(t: Option<&Tok>, table: &[(&str, T)]) -> Option<T> {
    let t = t?;
    if t.kind != Kind::Word {
        return None;
    }
    table.iter().find(|(w, _)| *w == t.text).map(|&(_, v)| v)
}

fn is_scale_word(t: Option<&Tok>, lang: Lang) -> bool {
    let tables: &[&[(&str, f64)]] = match lang {
        Lang::Fr => &[FR_SCALES, ABBR_SCALES],
        Lang::En => &[EN_SCALES, ABBR_SCALES],
    };
    tables.iter().any(|tb| word_in(t, tb).is_some()) || t.is_some_and(|t| t.text == "m")
}

/// Reads digits with thousands separators and a decimal part. Returns the value and whether
/// a decimal part was read.
///
/// - `,` followed by three digits groups thousands in English ("1,000"), and in French too
///   unless the integer part is 0 or a scale word follows ("1,250 milliard" is 1.25 billion).
/// - `.` followed by three digits groups thousands in French ("1.200.000"); in English only
///   when repeated ("3.000.000"), otherwise it is the decimal point.
/// - A single space followed by exactly three digits groups thousands ("1 000", "6 700,54")
///   when the first group has at most three digits (French, or any whole phrase: English
///   running text uses spaces between numbers, "20 120 mm guns").
/// - Otherwise `.` (both languages) or `,` (French) starts the decimal part.
pub(crate) fn digit_value(p: &mut P, lang: Lang, spaces: bool) -> Option<(f64, bool)> {
    let toks = p.toks;
    let i0 = p.i;
    let t0 = toks.get(i0)?;
    let mut int = String::new();
    let mut frac = "";
    let mut i;
    if t0.kind == Kind::Num {
        int.push_str(t0.text);
        i = i0 + 1;
    } else if t0.kind == Kind::Punct && (t0.text == "." || t0.text == ",") {
        let n = toks.get(i0 + 1)?;
        let after_minus = p.prev().is_some_and(|pv| pv.text == "-" && !t0.sp);
        if n.kind != Kind::Num || n.sp || !(t0.sp || after_minus) {
            return None;
        }
        if lang == Lang::En && t0.text == "," {
            return None;
        }
        int.push('0');
        frac = n.text;
        p.i = i0 + 2;
        return Some((format!("0.{frac}").parse().ok()?, true));
    } else {
        return None;
    }
    let first_len = int.len();
    let mut sep: Option<&str> = None;
    while let Some(t) = toks.get(i) {
        if t.kind == Kind::Punct && (t.text == "," || t.text == ".") && !t.sp {
            let Some(g) = toks.get(i + 1) else { break };
            if g.kind != Kind::Num || g.sp {
                break;
            }
            let c = t.text;
            let three = g.text.len() == 3;
            let group = match sep {
                Some(s) => s == c && three,
                None if !three || int == "0" => false,
                None => match (lang, c) {
                    (Lang::En, ",") | (Lang::Fr, ".") => true,
                    (Lang::En, _) => {
                        let nx = toks.get(i + 2);
                        let nn = toks.get(i + 3);
                        nx.is_some_and(|x| x.text == "." && !x.sp)
                            && nn.is_some_and(|x| x.kind == Kind::Num && !x.sp && x.text.len() == 3)
                    }
                    (Lang::Fr, _) => {
                        let nx = toks.get(i + 2);
                        let glued_group = nx.is_some_and(|x| x.text == "," && !x.sp);
                        glued_group || !is_scale_word(nx, lang)
                    }
                },
            };
            if group {
                int.push_str(g.text);
                sep = Some(c);
                i += 2;
                continue;
            }
            let decimal_ok = match sep {
                Some(s) => s != c,
                None => lang == Lang::Fr || c == ".",
            };
            if decimal_ok {
                frac = g.text;
                i += 2;
            }
            break;
        } else if spaces
            && t.kind == Kind::Num
            && t.sp
            && t.text.len() == 3
            && t.start == toks[i - 1].end + 1
            && (sep == Some(" ") || (sep.is_none() && first_len <= 3))
        {
            int.push_str(t.text);
            sep = Some(" ");
            i += 1;
        } else {
            break;
        }
    }
    p.i = i;
    let v: f64 = if frac.is_empty() {
        int.parse().ok()?
    } else {
        format!("{int}.{frac}").parse().ok()?
    };
    Some((v, !frac.is_empty()))
}

/// A scale after digits: glued abbreviations ("10k", "1,2M", "2Md"), spaced words or
/// abbreviations ("3 millions", "1.2 bn"). A spaced `m` counts only in money right before a
/// currency symbol ("500 M€"); a glued `m` only in money and phrase modes.
fn scale_after_digits(p: &mut P, lang: Lang, mode: Mode) -> Option<f64> {
    // "$2.5-billion"
    if p.peek().is_some_and(|t| t.text == "-" && !t.sp) && p.peek_at(1).is_some_and(|t| !t.sp) {
        let mut q = *p;
        q.i += 1;
        if let Some(s) = scale_word(&mut q, lang, mode).filter(|&s| s >= 1e6) {
            *p = q;
            return Some(s);
        }
    }
    let t = p.peek()?;
    if t.kind != Kind::Word {
        return None;
    }
    let glued = !t.sp;
    let mut v = word_in(Some(t), ABBR_SCALES);
    if v.is_none() && mode == Mode::Phrase && glued {
        v = word_in(Some(t), PHRASE_SCALES);
    }
    if v.is_none() && t.text == "m" && mode != Mode::Scan {
        let next_is_symbol = p.peek_at(1).is_some_and(|n| !n.sp && n.kind == Kind::Punct);
        if glued || (mode == Mode::Money && next_is_symbol) {
            v = Some(1e6);
        }
    }
    if let Some(v) = v {
        p.i += 1;
        return Some(v);
    }
    scale_word(p, lang, mode)
}

/// A spaced scale word ("millions", "thousand", "dozen"), multiplied by any larger scale
/// words right after it ("three thousand millions"), plus "et demi"/"and a half".
fn scale_word(p: &mut P, lang: Lang, mode: Mode) -> Option<f64> {
    let table = if lang == Lang::Fr {
        FR_SCALES
    } else {
        EN_SCALES
    };
    let mut s = word_in(p.peek(), table)
        .or_else(|| {
            if p.attached() {
                None
            } else {
                word_in(p.peek(), ABBR_SCALES)
            }
        })
        .or_else(|| {
            if mode == Mode::Phrase {
                word_in(p.peek(), PHRASE_SCALES)
            } else {
                None
            }
        })?;
    p.i += 1;
    while let Some(s2) = word_in(p.peek(), table) {
        if s2 <= s {
            break;
        }
        s *= s2;
        p.i += 1;
    }
    let mut q = *p;
    if s >= 1e3
        && ((lang == Lang::Fr && q.text("et demi")) || (lang == Lang::En && q.text("and a half")))
    {
        *p = q;
        s *= 1.5;
    }
    Some(s)
}

/// Optional hyphen between number words.
fn hy(p: &mut P) {
    if p.peek().is_some_and(|t| t.text == "-" && !t.sp) && p.peek_at(1).is_some_and(|t| !t.sp) {
        p.i += 1;
    }
}

fn weak_of(text: &str) -> u8 {
    match text {
        "un" | "une" | "one" => 1,
        "a" | "an" | "another" | "additional" | "further" | "extra" => 2,
        _ => 0,
    }
}

/// French 0-19 ("dix-sept" included).
fn fr_below20(p: &mut P) -> Option<(u32, u8)> {
    let save = *p;
    if p.text("dix") {
        let mut q = *p;
        hy(&mut q);
        if let Some(u) = word_in(q.peek(), &FR_UNITS[8..11]) {
            q.i += 1;
            *p = q;
            return Some((10 + u, 0));
        }
        return Some((10, 0));
    }
    *p = save;
    let t = p.peek()?;
    let v = word_in(Some(t), FR_UNITS)?;
    p.i += 1;
    Some((v, weak_of(t.text)))
}

/// English 0-19.
fn en_below20(p: &mut P, mode: Mode) -> Option<(u32, u8)> {
    let t = p.peek()?;
    let v = word_in(Some(t), EN_UNITS).or_else(|| {
        (mode == Mode::Phrase && matches!(t.text, "nil" | "naught" | "nought")).then_some(0)
    })?;
    p.i += 1;
    Some((v, weak_of(t.text)))
}

fn below20(p: &mut P, lang: Lang, mode: Mode) -> Option<(u32, u8)> {
    match lang {
        Lang::Fr => fr_below20(p),
        Lang::En => en_below20(p, mode),
    }
}

/// 0-99 in words: tens with an optional unit ("vingt et un", "twenty-five", "soixante-dix-huit",
/// "quatre-vingt-onze"). In phrase mode a digit may follow the tens ("trente 3").
fn below100(p: &mut P, lang: Lang, mode: Mode) -> Option<(u32, u8)> {
    let save = *p;
    // quatre-vingt(s) [-] [1..19]
    if lang == Lang::Fr && p.text("quatre") {
        hy(p);
        if p.any(&["vingts", "vingt"]) {
            let mut q = *p;
            hy(&mut q);
            if let Some((u, _)) = fr_below20(&mut q).filter(|&(u, _)| u >= 1) {
                *p = q;
                return Some((80 + u, 0));
            }
            return Some((80, 0));
        }
        *p = save;
    }
    let tens = match lang {
        Lang::Fr => word_in(p.peek(), FR_TENS),
        Lang::En => word_in(p.peek(), EN_TENS),
    };
    if let Some(t) = tens {
        p.i += 1;
        let mut q = *p;
        hy(&mut q);
        if lang == Lang::Fr {
            let mut r = q;
            if r.text("et") {
                hy(&mut r);
                q = r;
            }
        }
        let max = if lang == Lang::Fr && t == 60 { 19 } else { 9 };
        if let Some((u, _)) =
            below20(&mut q, lang, mode).filter(|&(u, w)| u >= 1 && u <= max && w < 2)
        {
            *p = q;
            return Some((t + u, 0));
        }
        if mode == Mode::Phrase {
            let mut r = *p;
            if let Some(d) = r.int(1).filter(|&d| d >= 1) {
                *p = r;
                return Some((t + d as u32, 0));
            }
        }
        return Some((t, 0));
    }
    below20(p, lang, mode)
}

/// 0-999 in words ("deux cent trente", "one hundred and twenty", "a hundred"). In phrase
/// mode English "one twenty two" reads as 122.
fn below1000(p: &mut P, lang: Lang, mode: Mode) -> Option<(u32, u8)> {
    let save = *p;
    let hundred = |p: &mut P| match lang {
        Lang::Fr => p.any(&["cents", "cent"]),
        Lang::En => p.any(&["hundred", "hundreds"]),
    };
    if let Some((u, _)) = below20(p, lang, mode).filter(|&(u, _)| (1..=19).contains(&u)) {
        hy(p);
        if hundred(p) {
            let mut q = *p;
            hy(&mut q);
            if lang == Lang::En {
                q.text("and");
            }
            if let Some((r, _)) = below100(&mut q, lang, mode).filter(|&(r, w)| r >= 1 && w == 0) {
                *p = q;
                return Some((u * 100 + r, 0));
            }
            return Some((u * 100, 0));
        }
        if lang == Lang::En && mode == Mode::Phrase && u <= 9 {
            let mut q = *p;
            if let Some((r, _)) = below100(&mut q, lang, mode).filter(|&(r, _)| r >= 20) {
                *p = q;
                return Some((u * 100 + r, 0));
            }
        }
    }
    *p = save;
    if lang == Lang::Fr && hundred(p) {
        let mut q = *p;
        hy(&mut q);
        if let Some((r, _)) = below100(&mut q, lang, mode).filter(|&(r, w)| r >= 1 && w == 0) {
            *p = q;
            return Some((100 + r, 0));
        }
        return Some((100, 0));
    }
    *p = save;
    below100(p, lang, mode)
}

/// An integer in words, composed of groups below 1000 and decreasing scales.
/// Returns the value, the weakness of a lone article and whether it ends with a scale word.
fn int_words(p: &mut P, lang: Lang, mode: Mode) -> Option<(f64, u8, bool)> {
    let mut ends_scale = false;
    let mut total = 0.0;
    let mut last_scale = f64::INFINITY;
    let mut weak = 0;
    let mut count = 0;
    loop {
        let save = *p;
        if count > 0 {
            hy(p);
            if lang == Lang::En {
                p.text("and");
            }
        }
        let g = below1000(p, lang, mode);
        let mut q = *p;
        if g.is_some() {
            hy(&mut q);
        }
        let sc = scale_word(&mut q, lang, mode);
        match (g, sc) {
            (Some((g, _)), Some(s)) if s < last_scale && (g > 0) => {
                *p = q;
                total += g as f64 * s;
                last_scale = s;
                weak = 0;
                count += 1;
                ends_scale = true;
            }
            (None, Some(s))
                if lang == Lang::Fr && s == 1e3 && last_scale > 1e3 && p.text("mille") =>
            {
                total += 1e3;
                last_scale = 1e3;
                count += 1;
                ends_scale = true;
            }
            (Some((g, w)), _) if (g as f64) < last_scale.min(1e3) || count == 0 => {
                if count > 0 && w > 0 {
                    // "mille un": fine; "million a": not a number continuation
                    if w == 2 {
                        *p = save;
                        break;
                    }
                }
                total += g as f64;
                if count == 0 {
                    weak = w;
                }
                count += 1;
                ends_scale = false;
                break;
            }
            _ => {
                *p = save;
                break;
            }
        }
    }
    (count > 0).then_some((total, weak, ends_scale))
}

/// Decimal digits after "virgule"/"point": digits ("1 point 1") or digit words one by one
/// ("seize virgule huit", "point seven seven").
fn decimal_words(p: &mut P, lang: Lang, mode: Mode) -> Option<f64> {
    let save = *p;
    let ok = match lang {
        Lang::Fr => p.text("virgule"),
        Lang::En => mode == Mode::Phrase && p.text("point"),
    };
    if !ok {
        return None;
    }
    if let Some(d) = p.digits() {
        return format!("0.{d}").parse().ok();
    }
    let mut s = String::from("0.");
    while let Some((u, w)) = {
        let mut q = *p;
        below20(&mut q, lang, mode)
            .filter(|&(u, w)| u <= 9 && w < 2)
            .inspect(|_| *p = q)
    } {
        let _ = w;
        s.push(char::from(b'0' + u as u8));
    }
    if s.len() == 2 {
        *p = save;
        return None;
    }
    s.parse().ok()
}

/// True when the digits at the cursor are glued to a word before them ("M777", "F-16",
/// "A400M"): those are model names, not quantities.
fn model_number(p: &P) -> bool {
    let Some(t) = p.peek() else { return false };
    if t.sp {
        return false;
    }
    let Some(pv) = p.prev() else { return false };
    if pv.kind == Kind::Word {
        return true;
    }
    if pv.text == "-" && !pv.sp {
        let j = p.i.wrapping_sub(2);
        return p
            .toks
            .get(j)
            .is_some_and(|w| w.kind == Kind::Word || w.kind == Kind::Num);
    }
    pv.kind == Kind::Num || (pv.text == "." || pv.text == "," || pv.text == "/") && p.i >= 2
}

/// Reads one number at the cursor.
pub(crate) fn number(p: &mut P, lang: Lang, mode: Mode) -> Option<Num> {
    let save = *p;
    let mut neg = false;
    if let Some(t) = p.peek() {
        if t.text == "-" {
            let next = p.peek_at(1);
            let glued_digits = next
                .is_some_and(|n| !n.sp && (n.kind == Kind::Num || n.text == "." || n.text == ","));
            let spaced_ok = mode == Mode::Phrase && next.is_some_and(|n| n.kind == Kind::Num);
            let minus_ok = t.sp
                || p.prev()
                    .is_some_and(|pv| pv.kind == Kind::Punct && pv.text != "-");
            if minus_ok && (glued_digits || spaced_ok) {
                p.i += 1;
                neg = true;
            }
        } else if mode == Mode::Phrase && p.any(&["moins", "minus", "negative"]) {
            neg = true;
        }
    }
    let mut num = if neg && p.peek().is_some_and(|t| t.kind == Kind::Word) && mode != Mode::Phrase {
        None
    } else {
        read_unsigned(p, lang, mode)
    };
    if num.is_none() {
        *p = save;
        return None;
    }
    if let Some(n) = num.as_mut() {
        if neg {
            n.value = -n.value;
        }
        // restatement in parentheses: "forty-five (45)"
        let mut q = *p;
        if q.punct("(") {
            if let Some(m) = read_unsigned(&mut q, lang, mode) {
                if (m.value - n.value.abs()).abs() < 1e-9 && q.punct(")") {
                    *p = q;
                }
            }
        }
    }
    num
}

fn read_unsigned(p: &mut P, lang: Lang, mode: Mode) -> Option<Num> {
    let save = *p;
    let t = p.peek()?;
    if t.kind == Kind::Num || t.kind == Kind::Punct {
        if mode == Mode::Scan && model_number(p) && t.kind == Kind::Num {
            return None;
        }
        let (mut v, decimal) = digit_value(p, lang, lang == Lang::Fr || mode == Mode::Phrase)?;
        if mode == Mode::Scan {
            if let Some(n) = p.peek() {
                if !n.sp && n.kind == Kind::Word && ORD_SUFFIXES.contains(&n.text) && !decimal {
                    *p = save;
                    return None;
                }
            }
        }
        let mut decimal = decimal;
        if !decimal && mode == Mode::Phrase && lang == Lang::En {
            let mut q = *p;
            if q.text("point") {
                if let Some(d) = q.digits() {
                    if let Ok(f) = format!("0.{d}").parse::<f64>() {
                        v += f;
                        decimal = true;
                        *p = q;
                    }
                }
            }
        }
        let mut scaled = false;
        let mut q = *p;
        if let Some(s) = scale_after_digits(&mut q, lang, mode) {
            *p = q;
            v *= s;
            scaled = true;
            // "1 billion 200 million", "2 milliards 500 millions": a smaller scale goes on
            let mut r = *p;
            if !decimal && s >= 1e6 && r.peek().is_some_and(|t| t.kind == Kind::Num) {
                if let Some((d, false)) =
                    digit_value(&mut r, lang, lang == Lang::Fr || mode == Mode::Phrase)
                {
                    if (1.0..1000.0).contains(&d) {
                        if let Some(s2) =
                            scale_after_digits(&mut r, lang, mode).filter(|&s2| s2 < s)
                        {
                            v += d * s2;
                            *p = r;
                        }
                    }
                }
            }
        }
        return Some(Num {
            value: v,
            weak: 0,
            digits: true,
            scaled,
            decimal,
        });
    }
    if t.kind != Kind::Word {
        return None;
    }
    if let Some(d) = decimal_words(p, lang, mode) {
        let (v, scaled) = apply_scale(p, lang, mode, d);
        return Some(Num {
            value: v,
            weak: 0,
            digits: false,
            scaled,
            decimal: true,
        });
    }
    let (int, weak, ends_scale) = int_words(p, lang, mode)?;
    let mut q = *p;
    if let Some(d) = decimal_words(&mut q, lang, mode) {
        *p = q;
        let (v, scaled) = apply_scale(p, lang, mode, int + d);
        return Some(Num {
            value: v,
            weak: 0,
            digits: false,
            scaled,
            decimal: true,
        });
    }
    Some(Num {
        value: int,
        weak,
        digits: false,
        scaled: ends_scale,
        decimal: false,
    })
}

fn apply_scale(p: &mut P, lang: Lang, mode: Mode, v: f64) -> (f64, bool) {
    let mut q = *p;
    match scale_word(&mut q, lang, mode) {
        Some(s) => {
            *p = q;
            (v * s, true)
        }
        None => (v, false),
    }
}

/// Finds the numbers of running (folded) text.
pub fn find_numbers(text: &str, lang: Lang) -> Vec<Found<f64>> {
    let toks = crate::lex::lex(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut p = P::new(&toks, i);
        match number(&mut p, lang, Mode::Scan) {
            Some(n) if n.weak == 0 && n.value.is_finite() && p.i > i => {
                out.push(Found {
                    start: toks[i].start,
                    end: toks[p.i - 1].end,
                    value: n.value,
                });
                i = p.i;
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads a whole phrase as a number (phrase mode): also "a couple (of)", "a dozen of",
/// "a few", fractions "1/5".
pub(crate) fn phrase_number(toks: &[Tok], lang: Lang) -> Option<f64> {
    let mut p = P::new(toks, 0);
    if lang == Lang::En {
        const SPECIAL: &[(&str, f64)] = &[
            ("a couple of", 2.0),
            ("a couple", 2.0),
            ("a pair of", 2.0),
            ("a pair", 2.0),
            ("a few", 3.0),
            ("few", 3.0),
            ("single", 1.0),
        ];
        let mut q = p;
        if let Some(v) = q.map(SPECIAL) {
            if q.done() {
                return Some(v);
            }
        }
    }
    // fraction
    {
        let mut q = p;
        if let (Some(a), true, Some(b)) = (q.int(9), q.punct("/"), q.int(9)) {
            if q.done() && b != 0 {
                return Some(a as f64 / b as f64);
            }
        }
    }
    let n = number(&mut p, lang, Mode::Phrase)?;
    if n.weak == 2 {
        return None;
    }
    if lang == Lang::En {
        p.text("of");
    }
    (p.done() && n.value.is_finite()).then_some(n.value)
}

/// An integer in words (no digits), with its article weakness (see [`Num::weak`]).
pub(crate) fn word_int(p: &mut P, lang: Lang) -> Option<(f64, u8)> {
    let (v, w, _) = int_words(p, lang, Mode::Money)?;
    Some((v, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lex;

    fn nums(s: &str, lang: Lang) -> Vec<f64> {
        find_numbers(s, lang).into_iter().map(|f| f.value).collect()
    }
    fn phrase(s: &str, lang: Lang) -> Option<f64> {
        let f = crate::fold(s);
        phrase_number(&lex(&f), lang)
    }

    #[test]
    fn french_digits() {
        assert_eq!(nums("16,8 milliards", Lang::Fr), [16.8e9]);
        assert_eq!(
            nums("1 000 soldats et 1.000 obus, 1,000 drones", Lang::Fr),
            [1000.0, 1000.0, 1000.0]
        );
        assert_eq!(
            nums("2,5 et 6.700,54 et 6 700,54", Lang::Fr),
            [2.5, 6700.54, 6700.54]
        );
        assert_eq!(nums("425 millions", Lang::Fr), [425e6]);
        assert_eq!(nums("3 mille", Lang::Fr), [3000.0]);
        assert_eq!(nums("2 Md", Lang::Fr).len(), 1);
        assert_eq!(nums("1,250 milliard", Lang::Fr), [1.25e9]);
    }

    #[test]
    fn english_digits() {
        assert_eq!(
            nums("1.2 billion and 1,000 and 3.000.000", Lang::En),
            [1.2e9, 1000.0, 3e6]
        );
        assert_eq!(nums("$4bn, 10k rounds", Lang::En), [4e9, 1e4]);
        assert_eq!(nums("100,000.0", Lang::En), [100000.0]);
    }

    #[test]
    fn french_words() {
        let fr = |s| phrase(s, Lang::Fr);
        assert_eq!(fr("quatorze"), Some(14.0));
        assert_eq!(fr("vingt et un"), Some(21.0));
        assert_eq!(fr("quatre-vingt-dix-sept"), Some(97.0));
        assert_eq!(fr("soixante-dix"), Some(70.0));
        assert_eq!(fr("soixante et onze"), Some(71.0));
        assert_eq!(fr("quatre vingt"), Some(80.0));
        assert_eq!(fr("cent dix-huit"), Some(118.0));
        assert_eq!(fr("deux cents"), Some(200.0));
        assert_eq!(fr("un million deux cent mille"), Some(1.2e6));
        assert_eq!(fr("seize virgule huit milliards"), Some(16.8e9));
        assert_eq!(fr("un milliard et demi"), Some(1.5e9));
        assert_eq!(fr("une"), Some(1.0));
        assert_eq!(fr("- 1.200.000"), Some(-1.2e6));
        assert_eq!(fr(",0012G"), Some(1.2e6));
        assert_eq!(fr("trente 3"), Some(33.0));
        assert_eq!(fr("quatre vingt dix neuf"), Some(99.0));
        assert_eq!(fr("dix-six"), None);
    }

    #[test]
    fn english_words() {
        let en = |s| phrase(s, Lang::En);
        assert_eq!(en("one hundred and twenty"), Some(120.0));
        assert_eq!(en("a dozen"), Some(12.0));
        assert_eq!(en("twenty-five"), Some(25.0));
        assert_eq!(en("two point two million"), Some(2.2e6));
        assert_eq!(en("three thousand millions"), Some(3e9));
        assert_eq!(
            en("seven hundred twenty-one thousand and twelve"),
            Some(721012.0)
        );
        assert_eq!(en("two hundred dozens"), Some(2400.0));
        assert_eq!(en("one twenty two"), Some(122.0));
        assert_eq!(en("forty-five (45)"), Some(45.0));
        assert_eq!(en("negative five hundred and four"), Some(-504.0));
        assert_eq!(en("1/5"), Some(0.2));
        assert_eq!(en("a"), None);
    }

    #[test]
    fn scanning_running_text() {
        assert_eq!(
            nums("l'accélération de deux des huit systèmes", Lang::Fr),
            [2.0, 8.0]
        );
        assert_eq!(nums("un accord pour une aide", Lang::Fr), Vec::<f64>::new());
        assert_eq!(nums("un million d'obus", Lang::Fr), [1e6]);
        assert_eq!(
            nums("des obusiers M777 et des F-16, le 1er mars", Lang::Fr),
            Vec::<f64>::new()
        );
        assert_eq!(nums("one of the a dozen tanks", Lang::En), [12.0]);
        assert_eq!(nums("à 500m de la ligne", Lang::Fr), [500.0]);
        assert_eq!(nums("quatre-vingt-dix-sept chars", Lang::Fr), [97.0]);
        let f = find_numbers("soit 16,8 milliards", Lang::Fr);
        assert_eq!((f[0].start, f[0].end), (5, 19));
    }
}
