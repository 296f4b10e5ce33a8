//! Normalisation stage: folds text for matching while keeping a map back to the
//! original byte offsets, so every span found in folded text can be reported as a
//! span of the text the user gave.
//!
//! Each normaliser is a small unit behind [`CharNormalizer`]; [`normalize`] runs a
//! chain of them over the text one *cluster* at a time (a base character and the
//! combining marks that follow it). Wherever a cluster changes length, the
//! [`OffsetMap`] records it; spans are mapped back through those records. A cluster
//! is the smallest unit the map knows, so mapped offsets always fall on character
//! boundaries of the original.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One normalisation step, applied to one cluster at a time.
pub trait CharNormalizer: Send + Sync {
    /// Appends the normalised form of `cluster` to `out`.
    fn apply(&self, cluster: &str, out: &mut String);
    /// The normalised form of one ASCII byte; every normaliser maps ASCII to ASCII,
    /// one byte to one byte, which lets [`normalize`] skip the general path.
    fn ascii(&self, b: u8) -> u8 {
        b
    }
}

/// Unicode canonical composition (NFC): "e" + U+0301 becomes "é".
pub struct Nfc;
impl CharNormalizer for Nfc {
    fn apply(&self, cluster: &str, out: &mut String) {
        out.extend(cluster.nfc());
    }
}

/// Typographic quotes, apostrophes, dashes and ellipses become their ASCII forms.
pub struct Typography;
impl CharNormalizer for Typography {
    fn apply(&self, cluster: &str, out: &mut String) {
        for c in cluster.chars() {
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
                | '\u{00B4}' | '`' => out.push('\''),
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
                | '\u{2033}' | '\u{2039}' | '\u{203A}' => out.push('"'),
                '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
                | '\u{2212}' => out.push('-'),
                '\u{2026}' => out.push_str("..."),
                _ => out.push(c),
            }
        }
    }
}

/// Non-breaking and other spaces become a plain space; invisible characters (zero
/// width spaces, soft hyphens, byte order marks) are dropped; control characters other
/// than the newline become a space.
pub struct Spaces;
impl CharNormalizer for Spaces {
    fn apply(&self, cluster: &str, out: &mut String) {
        for c in cluster.chars() {
            match c {
                '\n' => out.push('\n'),
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
                c if c.is_whitespace() || c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    fn ascii(&self, b: u8) -> u8 {
        if b != b'\n' && (b.is_ascii_control() || b == b'\t') {
            b' '
        } else {
            b
        }
    }
}

/// Lowercasing (full Unicode).
pub struct Lowercase;
impl CharNormalizer for Lowercase {
    fn apply(&self, cluster: &str, out: &mut String) {
        for c in cluster.chars() {
            out.extend(c.to_lowercase());
        }
    }
    fn ascii(&self, b: u8) -> u8 {
        b.to_ascii_lowercase()
    }
}

/// Removes diacritics ("é" → "e") and spells out ligatures ("œ" → "oe").
pub struct StripDiacritics;
impl CharNormalizer for StripDiacritics {
    fn apply(&self, cluster: &str, out: &mut String) {
        for c in cluster.nfd() {
            if is_combining_mark(c) {
                continue;
            }
            match c {
                'œ' => out.push_str("oe"),
                'Œ' => out.push_str("OE"),
                'æ' => out.push_str("ae"),
                'Æ' => out.push_str("AE"),
                'ß' => out.push_str("ss"),
                'ø' => out.push('o'),
                'Ø' => out.push('O'),
                'ł' => out.push('l'),
                'Ł' => out.push('L'),
                'đ' => out.push('d'),
                'Đ' => out.push('D'),
                'ı' => out.push('i'),
                c => out.push(c),
            }
        }
    }
}

/// The chain used for matching: NFC, typography, spaces, lowercase, no diacritics.
pub fn fold_chain() -> [&'static dyn CharNormalizer; 5] {
    [&Nfc, &Typography, &Spaces, &Lowercase, &StripDiacritics]
}

/// A cluster whose normalised form has a different byte length than the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    norm_start: usize,
    norm_end: usize,
    orig_start: usize,
    orig_end: usize,
}

/// Maps byte offsets of a normalised text back to the original (and forth).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    edits: Vec<Edit>,
    orig_len: usize,
    norm_len: usize,
}

impl OffsetMap {
    /// Original offset of a normalised offset used as a span start. An offset inside a
    /// changed cluster maps to the start of that cluster.
    pub fn to_orig_start(&self, n: usize) -> usize {
        self.map_n(n, false)
    }

    /// Original offset of a normalised offset used as a span end (exclusive). An offset
    /// inside a changed cluster maps to the end of that cluster.
    pub fn to_orig_end(&self, n: usize) -> usize {
        self.map_n(n, true)
    }

    fn map_n(&self, n: usize, round_up: bool) -> usize {
        let n = n.min(self.norm_len);
        let i = self.edits.partition_point(|e| e.norm_start <= n);
        if i == 0 {
            return n.min(self.orig_len);
        }
        let e = self.edits[i - 1];
        let o = if n >= e.norm_end {
            e.orig_end + (n - e.norm_end)
        } else if n == e.norm_start || !round_up {
            e.orig_start
        } else {
            e.orig_end
        };
        o.min(self.orig_len)
    }

    /// Normalised offset of an original offset (a character boundary of the original).
    pub fn to_norm(&self, o: usize) -> usize {
        let o = o.min(self.orig_len);
        let i = self.edits.partition_point(|e| e.orig_start <= o);
        if i == 0 {
            return o.min(self.norm_len);
        }
        let e = self.edits[i - 1];
        let n = if o >= e.orig_end {
            e.norm_end + (o - e.orig_end)
        } else {
            e.norm_start
        };
        n.min(self.norm_len)
    }
}

/// The lines of `text`, as `text.split('\n')` gives them (a last empty line after a
/// final newline included), found with a vectorised byte search: every stage that reads
/// a document line by line (segmentation, boilerplate) starts here.
pub fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(&text[start..nl]);
        start = nl + 1;
    }
    out.push(&text[start..]);
    out
}

/// Normalised text with its map back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    pub map: OffsetMap,
}

const NOT_YET: u16 = u16::MAX;

/// From this length on, [`normalize`] computes its ASCII table whole before it starts.
const WHOLE_TABLE_FROM: usize = 512;

/// How many distinct non-ASCII characters [`normalize`] remembers the folded form of.
const MEMO_CHARS: usize = 32;

/// Runs `chain` over `input`, cluster by cluster, recording length changes.
///
/// Runs of ASCII bytes take a fast path: every normaliser maps an ASCII byte to one
/// byte ([`CharNormalizer::ascii`]), so a run is copied through a table of the whole
/// chain's mapping (filled in as bytes are met in a short text, at once in a long one).
/// Only the last byte of a run can start a longer cluster (a combining mark after it); it
/// then goes through the general path like any other character.
pub fn normalize(input: &str, chain: &[&dyn CharNormalizer]) -> Normalized {
    // the chain's output for each ASCII byte, filled in when the byte is first met
    // (short strings, folded by the thousand, meet few of them)
    let mut table = [NOT_YET; 128];
    // a long text fills the table at once and, when the chain keeps ASCII in ASCII (as
    // `CharNormalizer::ascii` promises), copies its runs through it without a check a byte
    let mut whole: Option<[u8; 128]> = None;
    if input.len() >= WHOLE_TABLE_FROM {
        let mut t = [0u8; 128];
        for (b, slot) in t.iter_mut().enumerate() {
            *slot = chain.iter().fold(b as u8, |out, n| n.ascii(out));
        }
        whole = t.iter().all(|b| b.is_ascii()).then_some(t);
    }
    let mut text: Vec<u8> = Vec::with_capacity(input.len());
    let mut edits = Vec::new();
    let mut buf_a = String::new();
    let mut buf_b = String::new();
    // the folded form of the non-ASCII characters met so far (a text repeats a few:
    // no-break spaces, typographic quotes, dashes, accented letters)
    let mut memo: Vec<(char, String)> = Vec::new();
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run_end = bytes[i..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(bytes.len(), |p| i + p);
        if run_end > i {
            // one byte in, one byte out, unless a combining mark follows the run's last byte
            let stop = if next_is_combining(input, run_end) {
                run_end - 1
            } else {
                run_end
            };
            if let Some(t) = &whole {
                text.extend(bytes[i..stop].iter().map(|&b| t[usize::from(b & 0x7f)]));
            } else {
                for &b in &bytes[i..stop] {
                    let slot = &mut table[usize::from(b)];
                    if *slot == NOT_YET {
                        *slot = u16::from(chain.iter().fold(b, |out, n| n.ascii(out)));
                    }
                    let out = *slot as u8;
                    if out.is_ascii() {
                        text.push(out);
                    } else {
                        let mut tmp = [0u8; 4];
                        text.extend_from_slice(char::from(out).encode_utf8(&mut tmp).as_bytes());
                    }
                }
            }
            i = stop;
            if i == run_end {
                continue;
            }
        }
        let end = cluster_end(input, i);
        let cluster = &input[i..end];
        // a cluster of one character met before is folded as it was then
        let single = cluster
            .chars()
            .next()
            .filter(|c| c.len_utf8() == cluster.len());
        if let Some((_, out)) = single.and_then(|c| memo.iter().find(|(k, _)| *k == c)) {
            buf_a.clear();
            buf_a.push_str(out);
        } else {
            buf_a.clear();
            buf_a.push_str(cluster);
            for n in chain {
                buf_b.clear();
                n.apply(&buf_a, &mut buf_b);
                std::mem::swap(&mut buf_a, &mut buf_b);
            }
            if let Some(c) = single.filter(|_| memo.len() < MEMO_CHARS) {
                memo.push((c, buf_a.clone()));
            }
        }
        // offsets inside the cluster map one to one only when one character became one
        // character of the same length ("Д" → "д"); "ß" → "ss" keeps the length but not
        // the character boundaries
        let one_to_one = buf_a.len() == cluster.len()
            && buf_a.chars().count() == 1
            && cluster.chars().count() == 1;
        if !one_to_one && buf_a != cluster {
            let norm_start = text.len();
            edits.push(Edit {
                norm_start,
                norm_end: norm_start + buf_a.len(),
                orig_start: i,
                orig_end: end,
            });
        }
        text.extend_from_slice(buf_a.as_bytes());
        i = end;
    }
    // only whole characters were appended, so this is valid UTF-8
    let text = String::from_utf8(text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let norm_len = text.len();
    Normalized {
        text,
        map: OffsetMap {
            edits,
            orig_len: input.len(),
            norm_len,
        },
    }
}

fn next_is_combining(s: &str, i: usize) -> bool {
    match s.as_bytes().get(i) {
        Some(&b) if b >= 0x80 => s[i..].chars().next().is_some_and(is_combining_mark),
        _ => false,
    }
}

/// End of the cluster starting at `i`: one character and the combining marks after it.
fn cluster_end(s: &str, i: usize) -> usize {
    let mut it = s[i..].char_indices();
    let (_, first) = it.next().expect("cluster_end called at end of text");
    let mut end = i + first.len_utf8();
    for (off, c) in it {
        if !is_combining_mark(c) {
            break;
        }
        end = i + off + c.len_utf8();
    }
    end
}

/// Folds a string for matching (no offset map): what gazetteer aliases go through.
pub fn fold(s: &str) -> String {
    normalize(s, &fold_chain()).text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_french_typography() {
        let n = normalize("L’Ukraine a reçu « deux » NASAMS", &fold_chain());
        assert_eq!(n.text, "l'ukraine a recu \" deux \" nasams");
    }

    #[test]
    fn maps_spans_back_to_original() {
        let orig = "Les États-Unis accélèrent l’expédition";
        let n = normalize(orig, &fold_chain());
        let s = n.text.find("accelerent").unwrap();
        let e = s + "accelerent".len();
        let (os, oe) = (n.map.to_orig_start(s), n.map.to_orig_end(e));
        assert_eq!(&orig[os..oe], "accélèrent");
        let s = n.text.find("l'expedition").unwrap();
        assert_eq!(
            &orig[n.map.to_orig_start(s)..n.map.to_orig_end(s + 12)],
            "l’expédition"
        );
        assert_eq!(
            n.map.to_norm(orig.find("accélèrent").unwrap()),
            n.text.find("accelerent").unwrap()
        );
    }

    #[test]
    fn combining_marks_and_nbsp() {
        let orig = "Cafe\u{301}\u{a0}OTAN";
        let n = normalize(orig, &fold_chain());
        assert_eq!(n.text, "cafe otan");
        let s = n.text.find("otan").unwrap();
        assert_eq!(
            &orig[n.map.to_orig_start(s)..n.map.to_orig_end(s + 4)],
            "OTAN"
        );
        // the accented cluster maps as a whole
        assert_eq!(
            &orig[n.map.to_orig_start(0)..n.map.to_orig_end(4)],
            "Cafe\u{301}"
        );
    }

    #[test]
    fn dropped_characters_and_ligatures() {
        let orig = "a\u{200B}b cœur";
        let n = normalize(orig, &fold_chain());
        assert_eq!(n.text, "ab coeur");
        let s = n.text.find("coeur").unwrap();
        assert_eq!(
            &orig[n.map.to_orig_start(s)..n.map.to_orig_end(s + 5)],
            "cœur"
        );
    }

    #[test]
    fn same_length_changes_keep_char_boundaries() {
        let orig = "Straße x";
        let n = normalize(orig, &fold_chain());
        assert_eq!(n.text, "strasse x");
        for i in 0..=n.text.len() {
            assert!(
                orig.is_char_boundary(n.map.to_orig_start(i))
                    && orig.is_char_boundary(n.map.to_orig_end(i))
            );
        }
    }

    #[test]
    fn lone_combining_mark_does_not_panic() {
        let n = normalize("\u{301}x", &fold_chain());
        assert_eq!(n.text, "x");
    }

    /// The byte-at-a-time normaliser that [`normalize`] replaced; its fast path must give
    /// the same text and the same map.
    fn reference_normalize(input: &str, chain: &[&dyn CharNormalizer]) -> Normalized {
        let mut text = String::with_capacity(input.len());
        let mut edits = Vec::new();
        let mut buf_a = String::new();
        let mut buf_b = String::new();
        let bytes = input.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // ASCII fast path: one byte in, one byte out, unless a combining mark follows.
            if b.is_ascii() && !next_is_combining(input, i + 1) {
                let mut out = b;
                for n in chain {
                    out = n.ascii(out);
                }
                text.push(out as char);
                i += 1;
                continue;
            }
            let end = cluster_end(input, i);
            let cluster = &input[i..end];
            buf_a.clear();
            buf_a.push_str(cluster);
            for n in chain {
                buf_b.clear();
                n.apply(&buf_a, &mut buf_b);
                std::mem::swap(&mut buf_a, &mut buf_b);
            }
            // offsets inside the cluster map one to one only when one character became one
            // character of the same length ("Д" → "д"); "ß" → "ss" keeps the length but not
            // the character boundaries
            let one_to_one = buf_a.len() == cluster.len()
                && buf_a.chars().count() == 1
                && cluster.chars().count() == 1;
            if !one_to_one && buf_a != cluster {
                let norm_start = text.len();
                edits.push(Edit {
                    norm_start,
                    norm_end: norm_start + buf_a.len(),
                    orig_start: i,
                    orig_end: end,
                });
            }
            text.push_str(&buf_a);
            i = end;
        }
        let norm_len = text.len();
        Normalized {
            text,
            map: OffsetMap {
                edits,
                orig_len: input.len(),
                norm_len,
            },
        }
    }

    #[test]
    fn split_lines_is_split_at_newlines() {
        for t in ["", "\n", "a", "a\n", "\na\n\nb", "é\n\u{a0}x\n\n"] {
            assert_eq!(split_lines(t), t.split('\n').collect::<Vec<_>>(), "{t:?}");
        }
    }

    #[test]
    fn fast_path_equals_byte_at_a_time_on_samples() {
        for s in [
            "",
            "A",
            "e\u{301}",
            "Cafe\u{301}\u{301}x",
            "\u{301}",
            "a\tb\r\nC\u{7}",
            "L’Ukraine a reçu « deux » NASAMS – ok…",
            "Straße ŒUVRE ﬁn ＡＢＣ\u{a0}\u{200B}x",
            "THE UNITED STATES WILL SEND HIMARS.\n\nKyiv",
            // long enough for the whole ASCII table, with more distinct characters than
            // the memo keeps, each met again later
            &"Ça coûte 5\u{a0}€ — « Été » L’ŒUVRE e\u{301} ß ﬁ Ａ Д ж ё ü ö ä ñ ç à è ì ò ù â ê î ô û ë ï ÿ æ ø å … ‘ ’ “ ” • \u{200B}\t\r\n"
                .repeat(20),
        ] {
            assert_eq!(
                normalize(s, &fold_chain()),
                reference_normalize(s, &fold_chain()),
                "{s:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_path_equals_byte_at_a_time(
            cs in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('\u{0}', '\u{7f}'),
                    proptest::sample::select(vec!['\u{301}', '\u{308}', 'é', 'É', '’', '«', '\u{a0}', '\u{200B}', 'ß', 'œ', 'Д', 'ﬁ', 'Ａ', '…']),
                    proptest::char::any(),
                ],
                0..60,
            )
        ) {
            let s: String = cs.into_iter().collect();
            proptest::prop_assert_eq!(normalize(&s, &fold_chain()), reference_normalize(&s, &fold_chain()));
        }

        // (long texts take the whole-table path and remember characters)
        #[test]
        fn fast_path_equals_byte_at_a_time_on_long_text(
            cs in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::char::range('\u{0}', '\u{7f}'),
                    2 => proptest::sample::select(vec!['\u{301}', '\u{308}', 'é', 'É', '’', '«', '\u{a0}', '\u{200B}', 'ß', 'œ', 'Д', 'ﬁ', 'Ａ', '…']),
                    1 => proptest::char::any(),
                ],
                500..1500,
            )
        ) {
            let s: String = cs.into_iter().collect();
            proptest::prop_assert_eq!(normalize(&s, &fold_chain()), reference_normalize(&s, &fold_chain()));
        }

        #[test]
        fn mapped_spans_are_char_boundaries(s in "\\PC{0,40}", a in 0usize..200, b in 0usize..200) {
            let n = normalize(&s, &fold_chain());
            // callers map character boundaries of the folded text
            let floor = |mut x: usize| { x = x.min(n.text.len()); while !n.text.is_char_boundary(x) { x -= 1; } x };
            let (a, b) = (floor(a), floor(b));
            let (lo, hi) = (a.min(b), a.max(b));
            let (os, oe) = (n.map.to_orig_start(lo), n.map.to_orig_end(hi));
            proptest::prop_assert!(os <= oe && oe <= s.len());
            proptest::prop_assert!(s.is_char_boundary(os) && s.is_char_boundary(oe));
        }
    }
}
