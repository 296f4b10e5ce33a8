//! Amounts of money: a number with a currency before or after it.
//!
//! Rule groups:
//! - **prefix currency**: symbols and codes before the amount ("$1.2 billion", "€500m",
//!   "US$ 4.7 billion", "EUR 20", "Rs. 20", "RM42").
//! - **suffix currency**: names, symbols and codes after the amount, optionally introduced by
//!   "de"/"d'"/"of" after a scale ("16,8 milliards de dollars", "500 M€", "2 Md€",
//!   "100 millions de livres", "10K$", "20 €ur", "42 kuwaiti dinar").
//! - **cents**: a smaller amount after the main one ("1 USD et 23 centimes", "$20 and 43c",
//!   and in a whole phrase a bare number: "$20 43", "3 GBP and one").
//! - **subunits alone** ("10 cents", "10¢") are read as hundredths of the unit.
//!
//! Bare `$` is read as USD and bare `£` as GBP (news usage).

use crate::lex::{Kind, Tok, P};
use crate::number::{number, Mode, Num};
use crate::{Found, Lang, Money};

type Cur = Option<&'static str>;

/// Symbols, usable before or after the amount.
const SYMBOLS: &[(&str, Cur)] = &[
    ("$", Some("USD")),
    ("us$", Some("USD")),
    ("u.s.$", Some("USD")),
    ("$us", Some("USD")),
    ("$ us", Some("USD")),
    ("$ americains", Some("USD")),
    ("c$", Some("CAD")),
    ("ca$", Some("CAD")),
    ("can$", Some("CAD")),
    ("$ca", Some("CAD")),
    ("$can", Some("CAD")),
    ("$ canadiens", Some("CAD")),
    ("a$", Some("AUD")),
    ("au$", Some("AUD")),
    ("hk$", Some("HKD")),
    ("nz$", Some("NZD")),
    ("€", Some("EUR")),
    ("€ur", Some("EUR")),
    ("£", Some("GBP")),
    ("¥", Some("JPY")),
    ("₴", Some("UAH")),
    ("₽", Some("RUB")),
    ("₹", Some("INR")),
    ("₪", Some("ILS")),
    ("rs.", Some("INR")),
    ("rs", Some("INR")),
    ("rm", Some("MYR")),
];

/// ISO 4217 codes recognised before or after an amount (folded form, code).
const CODES: &[(&str, &str)] = &[
    ("usd", "USD"),
    ("eur", "EUR"),
    ("gbp", "GBP"),
    ("cad", "CAD"),
    ("chf", "CHF"),
    ("cny", "CNY"),
    ("jpy", "JPY"),
    ("rub", "RUB"),
    ("uah", "UAH"),
    ("inr", "INR"),
    ("myr", "MYR"),
    ("ils", "ILS"),
    ("kwd", "KWD"),
    ("lbp", "LBP"),
    ("egp", "EGP"),
    ("qar", "QAR"),
    ("sar", "SAR"),
    ("bgn", "BGN"),
    ("mnt", "MNT"),
    ("aud", "AUD"),
    ("nzd", "NZD"),
    ("sek", "SEK"),
    ("nok", "NOK"),
    ("dkk", "DKK"),
    ("pln", "PLN"),
    ("czk", "CZK"),
    ("huf", "HUF"),
    ("krw", "KRW"),
    ("brl", "BRL"),
    ("mxn", "MXN"),
    ("zar", "ZAR"),
    ("hkd", "HKD"),
    ("sgd", "SGD"),
    ("aed", "AED"),
    ("rmb", "CNY"),
];

/// Currency names (after the amount), French.
const FR_NAMES: &[(&str, Cur)] = &[
    ("dollars canadiens", Some("CAD")),
    ("dollar canadien", Some("CAD")),
    ("dollars australiens", Some("AUD")),
    ("dollars americains", Some("USD")),
    ("dollar americain", Some("USD")),
    ("dollars us", Some("USD")),
    ("dollars", Some("USD")),
    ("dollar", Some("USD")),
    ("euros", Some("EUR")),
    ("euro", Some("EUR")),
    ("livres sterling", Some("GBP")),
    ("livre sterling", Some("GBP")),
    ("livres", Some("GBP")),
    ("livre", Some("GBP")),
    ("pounds", Some("GBP")),
    ("francs suisses", Some("CHF")),
    ("franc suisse", Some("CHF")),
    ("yens", Some("JPY")),
    ("yen", Some("JPY")),
    ("yuans", Some("CNY")),
    ("yuan", Some("CNY")),
    ("roubles", Some("RUB")),
    ("rouble", Some("RUB")),
    ("hryvnias", Some("UAH")),
    ("hryvnia", Some("UAH")),
    ("hryvnas", Some("UAH")),
    ("grivnas", Some("UAH")),
    ("shekels", Some("ILS")),
    ("shekel", Some("ILS")),
    ("roupies", Some("INR")),
    ("roupie", Some("INR")),
    ("dinars", None),
    ("dinar", None),
    ("rials", None),
    ("riyals", None),
    ("zlotys", Some("PLN")),
    ("zloty", Some("PLN")),
    ("balles", Some("EUR")),
];

/// Currency names, English.
const EN_NAMES: &[(&str, Cur)] = &[
    ("canadian dollars", Some("CAD")),
    ("canadian dollar", Some("CAD")),
    ("australian dollars", Some("AUD")),
    ("us dollars", Some("USD")),
    ("u.s. dollars", Some("USD")),
    ("american dollars", Some("USD")),
    ("dollars", Some("USD")),
    ("dollar", Some("USD")),
    ("bucks", Some("USD")),
    ("buck", Some("USD")),
    ("euros", Some("EUR")),
    ("euro", Some("EUR")),
    ("pounds sterling", Some("GBP")),
    ("pound sterling", Some("GBP")),
    ("sterling", Some("GBP")),
    ("lebanese pounds", Some("LBP")),
    ("lebanese pound", Some("LBP")),
    ("egyptian pounds", Some("EGP")),
    ("egyptian pound", Some("EGP")),
    ("egyptianpounds", Some("EGP")),
    ("egyptianpound", Some("EGP")),
    ("genihat masriya", Some("EGP")),
    ("geneh", Some("EGP")),
    ("l.e.", Some("EGP")),
    ("l.e", Some("EGP")),
    ("le", Some("EGP")),
    ("pounds", Some("GBP")),
    ("pound", Some("GBP")),
    ("yen", Some("JPY")),
    ("yuan", Some("CNY")),
    ("renminbi", Some("CNY")),
    ("swiss francs", Some("CHF")),
    ("swiss franc", Some("CHF")),
    ("rubles", Some("RUB")),
    ("ruble", Some("RUB")),
    ("roubles", Some("RUB")),
    ("hryvnias", Some("UAH")),
    ("hryvnia", Some("UAH")),
    ("shekels", Some("ILS")),
    ("shekel", Some("ILS")),
    ("rupees", Some("INR")),
    ("rupee", Some("INR")),
    ("kuwaiti dinars", Some("KWD")),
    ("kuwaiti dinar", Some("KWD")),
    ("dinars", None),
    ("dinar", None),
    ("qatari riyals", Some("QAR")),
    ("qatari riyal", Some("QAR")),
    ("saudi riyals", Some("SAR")),
    ("saudi riyal", Some("SAR")),
    ("saudiriyals", Some("SAR")),
    ("saudiriyal", Some("SAR")),
    ("riyals", None),
    ("riyal", None),
    ("rials", None),
    ("rial", None),
    ("malaysian ringgits", Some("MYR")),
    ("malaysian ringgit", Some("MYR")),
    ("malaysia ringgits", Some("MYR")),
    ("malaysia ringgit", Some("MYR")),
    ("ringgits", Some("MYR")),
    ("ringgit", Some("MYR")),
    ("tugriks", Some("MNT")),
    ("tugrik", Some("MNT")),
    ("zlotys", Some("PLN")),
    ("zloty", Some("PLN")),
    ("lira", Some("TRY")),
    ("leva", Some("BGN")),
];

/// Names that may also come before the amount ("ringgit 42").
const EN_PREFIX_NAMES: &[(&str, Cur)] = &[
    ("malaysian ringgits", Some("MYR")),
    ("malaysian ringgit", Some("MYR")),
    ("malaysia ringgits", Some("MYR")),
    ("malaysia ringgit", Some("MYR")),
    ("ringgits", Some("MYR")),
    ("ringgit", Some("MYR")),
];

/// Hundredths of a unit, with the currency they imply when used alone.
const SUBUNITS: &[(&str, Cur)] = &[
    ("centimes", Some("EUR")),
    ("centime", Some("EUR")),
    ("cents", Some("USD")),
    ("cent", Some("USD")),
    ("c", Some("USD")),
    ("¢", Some("USD")),
    ("pence", Some("GBP")),
    ("penny", Some("GBP")),
    ("pennies", Some("GBP")),
    ("sens", Some("MYR")),
    ("sen", Some("MYR")),
    ("kopiykas", Some("UAH")),
    ("kopiyka", Some("UAH")),
    ("kopecks", Some("RUB")),
    ("kopeks", Some("RUB")),
    ("paise", Some("INR")),
];

fn code(p: &mut P) -> Option<Cur> {
    let t = p.peek()?;
    if t.kind != Kind::Word {
        return None;
    }
    let &(_, iso) = CODES.iter().find(|(c, _)| *c == t.text)?;
    p.i += 1;
    Some(Some(iso))
}

fn prefix_currency(p: &mut P, lang: Lang) -> Option<Cur> {
    let mut best: Option<(usize, Cur)> = None;
    let mut consider = |q: P, c: Option<Cur>| {
        if let Some(c) = c {
            if best.is_none_or(|(e, _)| q.i > e) {
                best = Some((q.i, c));
            }
        }
    };
    let mut q = *p;
    let c = q.map(SYMBOLS);
    consider(q, c);
    let mut q = *p;
    let c = code(&mut q);
    consider(q, c);
    if lang == Lang::En {
        let mut q = *p;
        let c = q.map(EN_PREFIX_NAMES);
        consider(q, c);
    }
    let (e, c) = best?;
    p.i = e;
    Some(c)
}

fn suffix_currency(p: &mut P, lang: Lang) -> Option<Cur> {
    let names = if lang == Lang::Fr { FR_NAMES } else { EN_NAMES };
    let mut best: Option<(usize, Cur)> = None;
    for c in [0, 1, 2] {
        let mut q = *p;
        let r = match c {
            0 => q.map(SYMBOLS),
            1 => code(&mut q),
            _ => q.map(names),
        };
        if let Some(r) = r {
            if best.is_none_or(|(e, _)| q.i > e) {
                best = Some((q.i, r));
            }
        }
    }
    let (e, c) = best?;
    p.i = e;
    Some(c)
}

fn amount(p: &mut P, lang: Lang) -> Option<Num> {
    let n = number(p, lang, Mode::Money)?;
    (n.value.is_finite() && n.value >= 0.0).then_some(n)
}

/// "et 23 centimes", "and 43c", "43 cents"; in a whole phrase also a bare trailing number
/// ("$20 43", "3 GBP and one").
fn cents(p: &mut P, lang: Lang, phrase: bool) -> Option<f64> {
    let save = *p;
    let _ = p.any(&["et", "and"]);
    let n = number(p, lang, Mode::Money)
        .filter(|n| !n.decimal && !n.scaled && n.value >= 0.0 && n.value < 100.0);
    let Some(n) = n else {
        *p = save;
        return None;
    };
    if p.map(SUBUNITS).is_some() || (phrase && p.done() && n.weak < 2) {
        return Some(n.value / 100.0);
    }
    *p = save;
    None
}

/// Reads a money expression at the cursor.
pub(crate) fn money(p: &mut P, lang: Lang, phrase: bool) -> Option<Money> {
    let start = *p;
    let mut best: Option<(usize, Money)> = None;
    let mut keep = |q: &P, m: Money| {
        if best.as_ref().is_none_or(|(e, _)| q.i > *e) {
            best = Some((q.i, m));
        }
    };
    // A) currency before the amount
    let mut q = start;
    if let Some(cur) = prefix_currency(&mut q, lang) {
        if let Some(n) = amount(&mut q, lang).filter(|n| n.weak == 0) {
            let mut v = n.value;
            let mut cur = cur;
            let mut r = q;
            if let Some(c2) = suffix_currency(&mut r, lang) {
                // "$10 millions $US" style repetitions (not the start of another amount)
                let next_amount = r.peek().is_some_and(|t| t.kind == Kind::Num);
                if (cur.is_none() || c2 == cur) && !next_amount {
                    q = r;
                    cur = cur.or(c2);
                }
            }
            if !n.scaled && !n.decimal {
                if let Some(c) = cents(&mut q, lang, phrase) {
                    v += c;
                }
            }
            keep(
                &q,
                Money {
                    amount: v,
                    currency: cur.map(str::to_string),
                },
            );
        }
    }
    // B) amount then currency
    let mut q = start;
    if let Some(n) = amount(&mut q, lang) {
        let mut r = q;
        if n.scaled && r.any(&["de", "d'", "of"]) {
            if let Some(cur) = suffix_currency(&mut r, lang) {
                keep(
                    &r,
                    Money {
                        amount: n.value,
                        currency: cur.map(str::to_string),
                    },
                );
            }
        }
        let mut r = q;
        let cur = if n.weak > 0 {
            let names = if lang == Lang::Fr { FR_NAMES } else { EN_NAMES };
            r.map(names)
        } else {
            suffix_currency(&mut r, lang)
        };
        if let Some(cur) = cur {
            let mut v = n.value;
            if !n.scaled && !n.decimal {
                if let Some(c) = cents(&mut r, lang, phrase) {
                    v += c;
                }
            }
            keep(
                &r,
                Money {
                    amount: v,
                    currency: cur.map(str::to_string),
                },
            );
        }
        // C) subunit alone
        let mut r = q;
        if n.weak < 2 || phrase {
            if let Some(cur) = r.map(SUBUNITS) {
                keep(
                    &r,
                    Money {
                        amount: n.value / 100.0,
                        currency: cur.map(str::to_string),
                    },
                );
            }
        }
    }
    let (e, m) = best?;
    p.i = e;
    Some(m)
}

/// Finds the amounts of money in running (folded) text.
pub fn find_money(text: &str, lang: Lang) -> Vec<Found<Money>> {
    let toks = crate::lex::lex(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut p = P::new(&toks, i);
        match money(&mut p, lang, false) {
            Some(m) if p.i > i => {
                out.push(Found {
                    start: toks[i].start,
                    end: toks[p.i - 1].end,
                    value: m,
                });
                i = p.i;
            }
            _ => {
                // skip the rest of a number that is not an amount (keeps long digit runs linear)
                let mut q = P::new(&toks, i);
                i = match number(&mut q, lang, Mode::Money) {
                    Some(n) if n.digits && q.i > i + 1 => q.i - 1,
                    _ => i + 1,
                };
            }
        }
    }
    out
}

/// Hedges allowed before a whole-phrase amount ("about", "exactement", "à peu près").
const HEDGES: &[&str] = &[
    "a peu pres",
    "environ",
    "exactement",
    "quasi",
    "quasiment",
    "presque",
    "pres de",
    "plus de",
    "un peu plus de",
    "about",
    "around",
    "approximately",
    "roughly",
    "exactly",
    "nearly",
    "almost",
    "some",
    "a",
    "an",
    "more than",
    "over",
];

/// Reads a whole phrase as an amount of money.
pub(crate) fn phrase_money(toks: &[Tok], lang: Lang) -> Option<Money> {
    let p = P::new(toks, 0);
    let try_at = |mut q: P| money(&mut q, lang, true).filter(|_| q.done());
    try_at(p).or_else(|| {
        let mut q = p;
        (q.any(HEDGES)).then_some(()).and_then(|_| try_at(q))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lex;

    fn m(s: &str, lang: Lang) -> Vec<(f64, Option<String>)> {
        find_money(&crate::fold(s), lang)
            .into_iter()
            .map(|f| (f.value.amount, f.value.currency))
            .collect()
    }
    fn usd(v: f64) -> (f64, Option<String>) {
        (v, Some("USD".into()))
    }
    fn ph(s: &str, lang: Lang) -> Option<(f64, Option<String>)> {
        let f = crate::fold(s);
        phrase_money(&lex(&f), lang).map(|m| (m.amount, m.currency))
    }

    #[test]
    fn french_news_amounts() {
        assert_eq!(
            m("plus de 16,8 milliards de dollars d'aide", Lang::Fr),
            [usd(16.8e9)]
        );
        assert_eq!(m("425 millions de dollars", Lang::Fr), [usd(425e6)]);
        assert_eq!(
            m("un budget de 500 M€ et 2 Md€", Lang::Fr),
            [(500e6, Some("EUR".into())), (2e9, Some("EUR".into()))]
        );
        assert_eq!(
            m("100 millions de livres", Lang::Fr),
            [(100e6, Some("GBP".into()))]
        );
        assert_eq!(
            m("50 millions de dollars canadiens", Lang::Fr),
            [(50e6, Some("CAD".into()))]
        );
        assert_eq!(
            m("un million d'euros", Lang::Fr),
            [(1e6, Some("EUR".into()))]
        );
        assert_eq!(m("dix dollars", Lang::Fr), [usd(10.0)]);
        let f = find_money("soit plus de 16,8 milliards de dollars", Lang::Fr);
        assert_eq!(
            &"soit plus de 16,8 milliards de dollars"[f[0].start..f[0].end],
            "16,8 milliards de dollars"
        );
    }

    #[test]
    fn english_news_amounts() {
        assert_eq!(m("a $1.2 billion package", Lang::En), [usd(1.2e9)]);
        assert_eq!(
            m("€500m and £100 million", Lang::En),
            [(500e6, Some("EUR".into())), (100e6, Some("GBP".into()))]
        );
        assert_eq!(m("C$500 million", Lang::En), [(500e6, Some("CAD".into()))]);
        assert_eq!(m("it costs $10", Lang::En), [usd(10.0)]);
        assert_eq!(m("US$4.7 billion", Lang::En), [usd(4.7e9)]);
        assert_eq!(m("one of the tanks", Lang::En), []);
    }

    #[test]
    fn whole_phrases() {
        assert_eq!(ph("1 USD et 23 centimes", Lang::Fr), Some(usd(1.23)));
        assert_eq!(ph("10 000,00 $", Lang::Fr), Some(usd(10000.0)));
        assert_eq!(ph("EUR29,99", Lang::Fr), Some((29.99, Some("EUR".into()))));
        assert_eq!(ph("$20 43", Lang::En), Some(usd(20.43)));
        assert_eq!(
            ph("3 GBP and one", Lang::En),
            Some((3.01, Some("GBP".into())))
        );
        assert_eq!(ph("twenty dollar and 43", Lang::En), Some(usd(20.43)));
        assert_eq!(ph("a US$ 4.7 billion", Lang::En), Some(usd(4.7e9)));
        assert_eq!(
            ph("exactement £9", Lang::Fr),
            Some((9.0, Some("GBP".into())))
        );
        assert_eq!(
            ph("42 kuwaiti Dinar", Lang::En),
            Some((42.0, Some("KWD".into())))
        );
        assert_eq!(ph("five", Lang::En), None);
    }
}
