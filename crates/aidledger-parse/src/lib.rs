//! Number, money and date normalisers for French and English news text.
//!
//! Two kinds of entry points:
//! - scanners (`find_numbers`, `find_money`, `find_times`) look for expressions in running
//!   text and return byte spans into the text they were given. The extraction pipeline calls
//!   them on *folded* text: lowercase, diacritics removed, typographic quotes and apostrophes
//!   straightened (`'` and `"`), non-breaking spaces turned into plain spaces.
//! - `parse_phrase` reads one whole phrase (as the `aidledger parse` command does) and
//!   folds it itself, so raw phrases such as "Août 2013" work.
//!
//! Conventions for dates:
//! - `Prefer::Past` resolves an underspecified date to the most recent one at or before the
//!   reference ("mardi" in a Tuesday paper is that Tuesday, "en décembre" in January is the
//!   previous December); `Prefer::Future` follows Duckling (next occurrence after it).
//! - Without a reference only dates fully given by the text are returned.
//! - Parts of a period keep the grain of the period and give the days in `start`/`end`:
//!   "fin août" is 21 August to 1 September with `Grain::Month`, "fin 2021" is 1 November
//!   2021 to 1 January 2022 with `Grain::Year`, so [`TimeValue::record_date`] gives "2022-08"
//!   and "2021".
//! - Weeks start on Monday; "la semaine dernière" is the Monday of the previous week.
//!
//! Module map: `fold` (text folding), `lex` (tokens and pattern matching), `number`,
//! `money`, `time` (with `spec`, `rel`, `holiday`, `cal`, `lexicon`), `phrase` (whole
//! phrases and the JSON lines of the `parse` command).

use jiff::civil::Date;

/// Languages the normalisers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fr,
    En,
}

/// Direction in which an underspecified date ("mardi", "in March") is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prefer {
    /// The most recent matching date at or before the reference (news reporting).
    #[default]
    Past,
    /// The next matching date after the reference (Duckling's convention).
    Future,
}

/// Precision of a resolved date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grain {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// A resolved date or date interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeValue {
    pub start: Date,
    /// Exclusive end for intervals ("du 3 au 5 mars"), `None` for an instant.
    pub end: Option<Date>,
    pub grain: Grain,
}

/// An amount of money; `amount` is in units (425 millions -> 425000000).
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub amount: f64,
    /// ISO 4217 code when known (`USD`, `EUR`, `GBP`, `CAD`...).
    pub currency: Option<String>,
}

/// A value found in text, with its byte span in the text given to the scanner.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    pub start: usize,
    pub end: usize,
    pub value: T,
}

/// What `parse_phrase` understood of a whole phrase.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhraseResult {
    pub number: Option<f64>,
    pub money: Option<Money>,
    pub time: Option<TimeValue>,
}

mod fold;
mod lex;
mod money;
mod number;
mod phrase;
mod time;

pub use fold::fold;
pub use money::find_money;
pub use number::find_numbers;
pub use phrase::{parse_phrase, run_parse_lines};
pub use time::find_times;

#[cfg(test)]
mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn check_spans<T>(text: &str, found: &[Found<T>]) {
        let mut last = 0;
        for f in found {
            assert!(f.start < f.end && f.end <= text.len());
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert!(f.start >= last, "overlapping spans");
            last = f.end;
        }
    }

    fn scan_all(s: &str) {
        let text = fold(s);
        for lang in [Lang::Fr, Lang::En] {
            check_spans(&text, &find_numbers(&text, lang));
            check_spans(&text, &find_money(&text, lang));
            for r in [
                None,
                Some(jiff::civil::date(2022, 10, 11)),
                Some(jiff::civil::date(9999, 12, 31)),
                Some(jiff::civil::date(-9999, 1, 1)),
            ] {
                for prefer in [Prefer::Past, Prefer::Future] {
                    check_spans(&text, &find_times(&text, lang, r, prefer));
                }
            }
            let _ = parse_phrase(
                s,
                lang,
                jiff::civil::date(9999, 12, 31).at(0, 0, 0, 0),
                Prefer::Future,
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn scanners_never_panic(s in "\\PC{0,80}") {
            scan_all(&s);
        }

        #[test]
        fn scanners_never_panic_on_date_like_text(
            s in proptest::collection::vec(prop_oneof![
                Just("le"), Just("du"), Just("au"), Just("-"), Just("/"), Just("."), Just(","), Just("9999"),
                Just("0"), Just("31"), Just("12"), Just("1er"), Just("mars"), Just("dernier"), Just("prochain"),
                Just("fin"), Just("mi"), Just("the"), Just("of"), Just("last"), Just("next"), Just("week"),
                Just("semaine"), Just("il y a"), Just("ago"), Just("99999999"), Just("quatre-vingt"), Just("millions"),
                Just("$"), Just("€"), Just("de"), Just("dollars"), Just("la veille du"), Just("noel"), Just("easter"),
                Just("lundi"), Just("friday"), Just("q4"), Just("trimestre"), Just("2013"), Just("a.d."), Just("bc"),
            ], 0..12)
        ) {
            scan_all(&s.join(" "));
            scan_all(&s.concat());
        }
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        for s in [
            "9999-12-31",
            "le lendemain du 31 decembre 9999",
            "-9999",
            "31/12/9999",
            "in 9999 years",
            "dans 9999 ans",
            "9999 bc",
        ] {
            scan_all(s);
        }
    }

    #[test]
    fn fast_on_a_large_text() {
        let chunk = "Les États-Unis accélèrent l’expédition de deux des huit systèmes NASAMS, a déclaré mardi John Kirby. \
            Washington avait approuvé, fin août, 16,8 milliards de dollars; le 19 janvier 2022, $1.2 billion last week. ";
        let text = fold(&chunk.repeat(1_000_000 / chunk.len() + 1));
        let t0 = std::time::Instant::now();
        let n = find_times(
            &text,
            Lang::Fr,
            Some(jiff::civil::date(2022, 10, 11)),
            Prefer::Past,
        )
        .len()
            + find_numbers(&text, Lang::Fr).len()
            + find_money(&text, Lang::Fr).len();
        assert!(n > 0);
        // generous bound: debug builds are much slower than release
        assert!(t0.elapsed().as_secs() < 60);
    }
}
