//! Text folding: the canonical form every scanner works on.
//!
//! Folding lowercases, removes diacritics (NFD, then combining marks dropped), straightens
//! typographic quotes and apostrophes, turns the various non-breaking and thin spaces into
//! plain spaces and dashes/minus signs into `-`. The lexicons of this crate are written in
//! folded form ("fevrier", "aout", "annee").

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds `s`: lowercase, no diacritics, straight quotes, plain spaces, ASCII hyphens.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
            '\u{00A0}'
            | '\u{202F}'
            | '\u{2007}'
            | '\u{2009}'
            | '\u{200A}'
            | '\u{2002}'..='\u{2006}' => out.push(' '),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
                out.push('-')
            }
            c if c.is_uppercase() => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_accents_case_quotes_spaces() {
        assert_eq!(fold("Août 2013"), "aout 2013");
        assert_eq!(fold("l’année DERNIÈRE"), "l'annee derniere");
        assert_eq!(fold("«\u{a0}Élysée\u{202f}»"), "\" elysee \"");
        assert_eq!(fold("2014–2015 — fin"), "2014-2015 - fin");
        assert_eq!(fold("16,8\u{a0}milliards"), "16,8 milliards");
        assert_eq!(fold("Zéro “deux”"), "zero \"deux\"");
    }

    #[test]
    fn idempotent() {
        for s in ["Quatre-vingt-dix-sept", "Jan. 19, 2022", "ÉTÉ « ça »"] {
            let once = fold(s);
            assert_eq!(fold(&once), once);
        }
    }
}
