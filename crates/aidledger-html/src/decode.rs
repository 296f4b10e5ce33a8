//! Bytes of a page to text: byte order mark, then the charset of a `Content-Type`
//! header, then a `<meta charset>` in the first 4 KiB; UTF-8 by default.
//!
//! A declared charset is not trusted blindly: bytes that are valid UTF-8 and hold
//! non-ASCII characters are read as UTF-8 whatever the page says (a legacy charset almost
//! never yields valid multi-byte UTF-8 by chance), and a page declared UTF-8 that is not
//! valid UTF-8 is read as windows-1252, the superset of ISO-8859-1 that browsers use.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Which charset a page was decoded with, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Encoding name (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// The declared charset was overruled by the bytes.
    pub declared_wrong: bool,
}

/// Decodes a page; `header_charset` is the charset of an HTTP `Content-Type`, if known.
pub fn decode(bytes: &[u8], header_charset: Option<&str>) -> Decoded {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
            declared_wrong: false,
        };
    }
    let declared = header_charset
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| sniff_meta_charset(&bytes[..bytes.len().min(4096)]));
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    let ascii = valid_utf8 && bytes.is_ascii();
    let (enc, wrong) = match declared {
        // UTF-16 declared in a meta tag cannot be right (the tag was read as ASCII)
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => (UTF_8, true),
        Some(e) if e == UTF_8 => {
            if valid_utf8 {
                (UTF_8, false)
            } else {
                (WINDOWS_1252, true)
            }
        }
        Some(e) => {
            if valid_utf8 && !ascii {
                (UTF_8, true)
            } else {
                (e, false)
            }
        }
        None => {
            if valid_utf8 {
                (UTF_8, false)
            } else {
                (WINDOWS_1252, false)
            }
        }
    };
    let enc = if enc == UTF_8 && !valid_utf8 {
        WINDOWS_1252
    } else {
        enc
    };
    let (text, _, _) = enc.decode(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        declared_wrong: wrong,
    }
}

/// The charset named by `<meta charset=...>` or `<meta http-equiv content="...; charset=...">`.
fn sniff_meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let mut j = from + i + 7;
        from = j;
        // only inside a tag: the last '<' before must be a <meta
        let tag_start = lower[..j].iter().rposition(|&b| b == b'<');
        let tag_end = lower[..j].iter().rposition(|&b| b == b'>');
        match (tag_start, tag_end) {
            (Some(s), e) if e.is_none_or(|e| e < s) && lower[s..].starts_with(b"<meta") => {}
            _ => continue,
        }
        while j < lower.len() && lower[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= lower.len() || lower[j] != b'=' {
            continue;
        }
        j += 1;
        while j < lower.len()
            && (lower[j].is_ascii_whitespace() || lower[j] == b'"' || lower[j] == b'\'')
        {
            j += 1;
        }
        let end = lower[j..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
            .map_or(lower.len(), |k| j + k);
        if let Some(e) = Encoding::for_label(&lower[j..end]) {
            return Some(e);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The charset parameter of a `Content-Type` value (`text/html; charset=ISO-8859-1`).
pub fn charset_of_content_type(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
    })
}
