//! Tokeniser and token cursor shared by the number, money and time grammars.
//!
//! Tokens are maximal runs of letters (`Word`), maximal runs of ASCII digits (`Num`) or
//! single other characters (`Punct`); whitespace separates tokens and is remembered in
//! [`Tok::sp`]. Letters and digits are split apart, so "14april" is `14` + `april` and
//! "500m" is `500` + `m` (with `sp == false` on `m`).

/// Token class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Num,
    Punct,
}

/// One token with its byte span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Whitespace (or the start of the text) precedes the token.
    pub sp: bool,
}

fn class(c: char) -> u8 {
    if c.is_ascii_digit() {
        1
    } else if c.is_alphabetic() {
        2
    } else if c.is_whitespace() {
        0
    } else {
        3
    }
}

/// Splits `s` into tokens.
pub(crate) fn lex(s: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::with_capacity(s.len() / 4 + 1);
    let mut sp = true;
    let mut iter = s.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        let cl = class(c);
        if cl == 0 {
            sp = true;
            continue;
        }
        let mut end = start + c.len_utf8();
        if cl != 3 {
            while let Some(&(i, d)) = iter.peek() {
                if class(d) != cl {
                    break;
                }
                end = i + d.len_utf8();
                iter.next();
            }
        }
        let kind = match cl {
            1 => Kind::Num,
            2 => Kind::Word,
            _ => Kind::Punct,
        };
        toks.push(Tok {
            text: &s[start..end],
            start,
            end,
            kind,
            sp,
        });
        sp = false;
    }
    toks
}

/// A position in a token slice; cheap to copy, so grammars backtrack by copying it.
#[derive(Clone, Copy)]
pub(crate) struct P<'a, 'b> {
    pub toks: &'b [Tok<'a>],
    pub i: usize,
}

fn same_class_continues(rest: &str, tok: &str) -> bool {
    match (rest.chars().next(), tok.chars().last()) {
        (Some(a), Some(b)) => {
            let (ca, cb) = (class(a), class(b));
            ca == cb && ca != 3
        }
        _ => false,
    }
}

impl<'a, 'b> P<'a, 'b> {
    pub fn new(toks: &'b [Tok<'a>], i: usize) -> Self {
        P { toks, i }
    }
    pub fn peek(&self) -> Option<&'b Tok<'a>> {
        self.toks.get(self.i)
    }
    pub fn peek_at(&self, k: usize) -> Option<&'b Tok<'a>> {
        self.toks.get(self.i + k)
    }
    pub fn done(&self) -> bool {
        self.i >= self.toks.len()
    }
    /// Previous token (before the cursor), if any.
    pub fn prev(&self) -> Option<&'b Tok<'a>> {
        self.i.checked_sub(1).and_then(|j| self.toks.get(j))
    }
    /// Current token is glued to the previous one (no whitespace between).
    pub fn attached(&self) -> bool {
        self.peek().is_some_and(|t| !t.sp)
    }
    /// Matches a pattern written as folded text: tokens of the pattern must equal the next
    /// tokens. Where the pattern has a space the text may or may not have one; where the
    /// pattern glues two tokens ("us$", "l'an") the text must glue them too. A `-` in the
    /// pattern is optional (and then spacing is free).
    #[inline]
    pub fn text(&mut self, pat: &str) -> bool {
        // fast reject on the first byte (patterns never start with a space)
        match (self.toks.get(self.i), pat.as_bytes().first()) {
            (Some(t), Some(&b)) if b != b'-' && t.text.as_bytes()[0] != b => false,
            _ => self.text_slow(pat),
        }
    }

    fn text_slow(&mut self, pat: &str) -> bool {
        let save = self.i;
        let mut rest = pat;
        let mut first = true;
        let mut free = true;
        loop {
            let trimmed = rest.trim_start();
            if trimmed.len() != rest.len() {
                free = true;
            }
            rest = trimmed;
            if rest.is_empty() {
                return true;
            }
            let glued = !first && !free;
            let tok = self.toks.get(self.i);
            match tok {
                Some(tok)
                    if rest.starts_with(tok.text)
                        && !same_class_continues(&rest[tok.text.len()..], tok.text)
                        && !(glued && tok.sp) =>
                {
                    rest = &rest[tok.text.len()..];
                    self.i += 1;
                    free = false;
                }
                _ => {
                    if let Some(r) = rest.strip_prefix('-') {
                        rest = r;
                        free = true;
                        continue;
                    }
                    self.i = save;
                    return false;
                }
            }
            first = false;
        }
    }
    /// First pattern of `pats` that matches (list longer patterns first).
    pub fn any(&mut self, pats: &[&str]) -> bool {
        pats.iter().any(|p| self.text(p))
    }
    /// Longest matching pattern of a table, returning its value.
    pub fn map<T: Copy>(&mut self, table: &[(&str, T)]) -> Option<T> {
        let first = self.peek()?.text.as_bytes()[0];
        let mut best: Option<(usize, T)> = None;
        for &(pat, v) in table {
            if pat.as_bytes().first() != Some(&first) && !pat.starts_with('-') {
                continue;
            }
            let mut q = *self;
            if q.text(pat) && best.is_none_or(|(e, _)| q.i > e) {
                best = Some((q.i, v));
            }
        }
        let (e, v) = best?;
        self.i = e;
        Some(v)
    }
    pub fn punct(&mut self, c: &str) -> bool {
        match self.peek() {
            Some(t) if t.kind == Kind::Punct && t.text == c => {
                self.i += 1;
                true
            }
            _ => false,
        }
    }
    /// A digit token; returns its text.
    pub fn digits(&mut self) -> Option<&'a str> {
        match self.peek() {
            Some(t) if t.kind == Kind::Num => {
                self.i += 1;
                Some(t.text)
            }
            _ => None,
        }
    }
    /// A digit token of 1..=max_len digits, as an integer.
    pub fn int(&mut self, max_len: usize) -> Option<i64> {
        match self.peek() {
            Some(t) if t.kind == Kind::Num && t.text.len() <= max_len => {
                self.i += 1;
                t.text.parse().ok()
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_letters_digits_punct() {
        let t = lex("le 14april, 500m€ l'an");
        let texts: Vec<_> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            ["le", "14", "april", ",", "500", "m", "€", "l", "'", "an"]
        );
        assert!(t[1].sp && !t[2].sp && !t[5].sp && !t[6].sp);
    }

    #[test]
    fn text_patterns() {
        let toks = lex("aujourd'hui avant hier quatre-vingt");
        let mut p = P::new(&toks, 0);
        assert!(p.text("aujourd'hui"));
        assert!(p.text("avant-hier"));
        assert!(!p.text("quatres"));
        assert!(p.text("quatre-vingt"));
        assert!(p.done());
        let toks = lex("annees");
        assert!(!P::new(&toks, 0).text("annee"));
        let toks = lex("a $ us$");
        assert!(!P::new(&toks, 0).text("a$"));
        assert!(P::new(&toks, 0).text("a $"));
        assert!(P::new(&toks, 2).text("us$"));
    }
}
