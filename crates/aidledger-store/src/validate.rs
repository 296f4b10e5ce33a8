//! Checks of what callers hand the store, shared by the command line and the web API so
//! that both accept and refuse exactly the same things.
//!
//! * [`check_document_id`]: a document id is stored as given, never rewritten, so an id
//!   that could not be stored faithfully (NUL, which PostgreSQL refuses) or that could
//!   pass for another one when shown (control characters, bidirectional overrides, line
//!   separators, nothing but whitespace) is refused.
//! * [`LedgerFilter::check`]: the text filters of the ledger are bounded
//!   ([`MAX_FILTER_CHARS`]), so no filter can make a query fail (SQLite refuses `LIKE`
//!   patterns longer than 50,000 bytes) or cost more than a normal one.

use std::collections::HashMap;

use aidledger_core::{Document, Extraction};

use crate::{LedgerFilter, StoreError};

/// Longest document id accepted, in bytes (the web pages look up ids of at most this).
pub const MAX_ID_BYTES: usize = 1000;

/// Longest text filter accepted (`item`, `donor`, `recipient`, `category`, `since`,
/// `until`), in characters.
pub const MAX_FILTER_CHARS: usize = 200;

/// Why a document id is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// The id is empty or holds only whitespace.
    Empty,
    /// The id is longer than [`MAX_ID_BYTES`].
    TooLong { bytes: usize },
    /// The id holds a character that is invisible or changes how text around it is
    /// shown: a C0 or C1 control character (NUL, tab, newline, escape, DEL, ...), a
    /// bidirectional formatting character, or a line or paragraph separator.
    BadChar {
        /// The id, as given.
        id: String,
        /// The character.
        ch: char,
        /// Its position in the id, counted in characters from 1.
        at: usize,
    },
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdError::Empty => f.write_str("the id is empty or only whitespace"),
            IdError::TooLong { bytes } => write!(
                f,
                "the id is {bytes} bytes long; at most {MAX_ID_BYTES} are allowed"
            ),
            IdError::BadChar { id, ch, at } => write!(
                f,
                "the id {} holds {} (U+{:04X}) at character {at}; ids may not hold control or \
                 invisible formatting characters",
                shown_id(id),
                char_kind(*ch),
                *ch as u32
            ),
        }
    }
}

impl std::error::Error for IdError {}

/// The id quoted with every character that is not printable escaped (`"a\u{0}b"`), cut
/// to 80 characters.
fn shown_id(id: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in id.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        if refused_char(c) || c == '"' || c == '\\' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

fn char_kind(c: char) -> &'static str {
    if c == '\0' {
        "a NUL character"
    } else if c.is_control() {
        "a control character"
    } else if matches!(c, '\u{2028}' | '\u{2029}') {
        "a line or paragraph separator"
    } else {
        "a bidirectional formatting character"
    }
}

/// Characters an id may not hold: Unicode `Cc` (C0, DEL, C1), bidirectional marks,
/// embeddings, overrides and isolates, and the line and paragraph separators.
fn refused_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Checks a document id (see [`IdError`] for what is refused). Ids are compared and
/// stored exactly as given: `"a"` and `"a "` are two ids.
pub fn check_document_id(id: &str) -> Result<(), IdError> {
    if id.trim().is_empty() {
        return Err(IdError::Empty);
    }
    if let Some((i, ch)) = id.chars().enumerate().find(|(_, c)| refused_char(*c)) {
        return Err(IdError::BadChar {
            id: id.to_string(),
            ch,
            at: i + 1,
        });
    }
    if id.len() > MAX_ID_BYTES {
        return Err(IdError::TooLong { bytes: id.len() });
    }
    Ok(())
}

/// A ledger filter that is too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// The filter's name: `item`, `donor`, `recipient`, `category`, `since`, `until`.
    pub field: &'static str,
    /// Its length in characters.
    pub chars: usize,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} filter is {} characters long; at most {MAX_FILTER_CHARS} are allowed",
            self.field, self.chars
        )
    }
}

impl std::error::Error for FilterError {}

/// Checks one text filter by its name (as [`LedgerFilter::check`] does for all).
pub fn check_filter(field: &'static str, value: &str) -> Result<(), FilterError> {
    // counting stops past the limit: a huge value costs no more than a long one
    let chars = value.chars().take(MAX_FILTER_CHARS + 1).count();
    if chars > MAX_FILTER_CHARS {
        return Err(FilterError {
            field,
            chars: value.chars().count(),
        });
    }
    Ok(())
}

impl LedgerFilter {
    /// Refuses text filters longer than [`MAX_FILTER_CHARS`] (the first one found, in
    /// the order item, donor, recipient, category, since, until).
    pub fn check(&self) -> Result<(), FilterError> {
        for (field, value) in [
            ("item", &self.item),
            ("donor", &self.donor),
            ("recipient", &self.recipient),
            ("category", &self.category),
            ("since", &self.since),
            ("until", &self.until),
        ] {
            if let Some(v) = value {
                check_filter(field, v)?;
            }
        }
        Ok(())
    }
}

/// Refuses a batch with an id [`check_document_id`] refuses or an id given twice.
pub(crate) fn check_batch_ids(docs: &[(Document, Extraction)]) -> Result<(), StoreError> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(docs.len());
    for (i, (d, _)) in docs.iter().enumerate() {
        check_document_id(&d.id)
            .map_err(|e| StoreError::Invalid(format!("document {} of the batch: {e}", i + 1)))?;
        if let Some(first) = seen.insert(&d.id, i) {
            return Err(StoreError::Invalid(format!(
                "documents {} and {} of the batch have the same id {:?}; nothing was stored",
                first + 1,
                i + 1,
                d.id
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_ids() {
        for id in [
            "a",
            "a b",
            "wh/articles/2022-03/x.html",
            "é—中文😀",
            "  padded  ",
            "=1+1",
            &"x".repeat(MAX_ID_BYTES),
        ] {
            assert_eq!(check_document_id(id), Ok(()), "{id:?}");
        }
    }

    #[test]
    fn control_and_invisible_characters_are_refused() {
        for (id, ch, at) in [
            ("a\u{0}b", '\u{0}', 2),
            ("\u{1}x", '\u{1}', 1),
            ("a\tb", '\t', 2),
            ("a\nb", '\n', 2),
            ("a\rb", '\r', 2),
            ("x\u{1b}[31m", '\u{1b}', 2),
            ("del\u{7f}", '\u{7f}', 4),
            ("c1\u{85}", '\u{85}', 3),
            ("c1\u{9f}", '\u{9f}', 3),
            ("evil\u{202e}txt.exe", '\u{202e}', 5),
            ("a\u{2066}b", '\u{2066}', 2),
            ("a\u{200f}", '\u{200f}', 2),
            ("line\u{2028}sep", '\u{2028}', 5),
        ] {
            let e = check_document_id(id).unwrap_err();
            assert_eq!(
                e,
                IdError::BadChar {
                    id: id.to_string(),
                    ch,
                    at
                },
                "{id:?}"
            );
            // the message shows the id without the character itself
            let msg = e.to_string();
            assert!(!msg.contains(ch), "{msg:?}");
            assert!(msg.contains(&format!("U+{:04X}", ch as u32)), "{msg}");
        }
        assert_eq!(
            check_document_id("a\u{0}b").unwrap_err().to_string(),
            "the id \"a\\u{0}b\" holds a NUL character (U+0000) at character 2; ids may not \
             hold control or invisible formatting characters"
        );
    }

    #[test]
    fn empty_and_long_ids_are_refused() {
        for id in ["", " ", "\u{3000}", "   "] {
            assert_eq!(check_document_id(id), Err(IdError::Empty), "{id:?}");
        }
        // whitespace made of control characters is refused as empty
        assert_eq!(check_document_id("\t\n"), Err(IdError::Empty));
        assert_eq!(
            check_document_id(&"x".repeat(MAX_ID_BYTES + 1)),
            Err(IdError::TooLong {
                bytes: MAX_ID_BYTES + 1
            })
        );
    }

    #[test]
    fn filters_are_bounded() {
        let ok = LedgerFilter {
            item: Some("x".repeat(MAX_FILTER_CHARS)),
            donor: Some("USA".into()),
            ..Default::default()
        };
        assert_eq!(ok.check(), Ok(()));
        let long = LedgerFilter {
            item: Some("é".repeat(50_000)),
            ..Default::default()
        };
        let e = long.check().unwrap_err();
        assert_eq!(
            e,
            FilterError {
                field: "item",
                chars: 50_000
            }
        );
        assert_eq!(
            e.to_string(),
            "the item filter is 50000 characters long; at most 200 are allowed"
        );
        let f = LedgerFilter {
            category: Some("c".repeat(MAX_FILTER_CHARS + 1)),
            ..Default::default()
        };
        assert_eq!(f.check().unwrap_err().field, "category");
    }
}
