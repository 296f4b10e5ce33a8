//! Number, money and date normalisers for French and English news text.
//!
//! Two kinds of entry points:
//! - scanners (`find_numbers`, `find_money`, `find_times`) look for expressions in running
//!   text and return byte spans into the text they were given. The extraction pipeline calls
//!   them on *folded* text: lowercase, diacritics removed, typographic quotes and apostrophes
//!   straightened (`'` and `"`), non-breaking spaces turned into plain spaces.
//! - `parse_phrase` reads one whole phrase (as the `aidledger parse` command does) and
//!   folds it itself, so raw phrases such as "Août 2013" work.

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
