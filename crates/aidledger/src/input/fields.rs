//! Checks of one document: a JSONL line's fields, a text file's bytes.

use aidledger_core::Document;
use aidledger_store::{check_document_id, IdError};

use super::{problem, InputProblem, ProblemKind};

// ---------------------------------------------------------------------------------------
// Field checks

/// Checks a publication date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (a real calendar date), or a
/// timestamp starting with `YYYY-MM-DD` followed by `T` or a space, whose date part is kept.
pub fn parse_published(s: &str) -> Result<String, String> {
    let t = s.trim();
    let bad = || format!("{s:?} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)");
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let date_part = if t.len() > 10
        && (t.as_bytes()[10] == b'T' || t.as_bytes()[10] == b' ')
        && t.is_char_boundary(10)
    {
        &t[..10]
    } else {
        t
    };
    let parts: Vec<&str> = date_part.split('-').collect();
    let ok_lens = match parts.len() {
        1 => parts[0].len() == 4,
        2 => parts[0].len() == 4 && parts[1].len() == 2,
        3 => parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2,
        _ => false,
    };
    if !ok_lens || !parts.iter().all(|p| digits(p)) {
        return Err(bad());
    }
    let y: i16 = parts[0].parse().map_err(|_| bad())?;
    let m: i8 = if parts.len() > 1 {
        parts[1].parse().map_err(|_| bad())?
    } else {
        1
    };
    let d: i8 = if parts.len() > 2 {
        parts[2].parse().map_err(|_| bad())?
    } else {
        1
    };
    if y < 1 {
        return Err(bad());
    }
    if jiff::civil::Date::new(y, m, d).is_err() {
        return Err(format!("{s:?} is not a calendar date"));
    }
    Ok(date_part.to_string())
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// serde_json's message without its " at line L column C" suffix, plus our own column.
fn json_error_detail(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let hint = if e.classify() == serde_json::error::Category::Eof {
        "; a document must be on one line"
    } else {
        ""
    };
    format!("not valid JSON ({msg} at column {}{hint})", e.column())
}

fn utf8_detail(bytes: &[u8], err: std::str::Utf8Error, with_line: bool) -> (u64, String) {
    let at = err.valid_up_to();
    let (line, col) = line_col(bytes, at);
    let b = bytes[at];
    if with_line {
        (
            line,
            format!("not valid UTF-8 (invalid byte 0x{b:02x} at line {line}, column {col})"),
        )
    } else {
        (
            line,
            format!("not valid UTF-8 (invalid byte 0x{b:02x} at column {col})"),
        )
    }
}

/// 1-based line and byte column of byte offset `at`.
pub(crate) fn line_col(bytes: &[u8], at: usize) -> (u64, u64) {
    let before = &bytes[..at];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map(|i| i + 1).unwrap_or(0);
    (line, (at - line_start) as u64 + 1)
}

/// Turns one JSONL line into a document, or says why not. Returns warnings about dropped
/// optional fields alongside the document.
pub fn parse_jsonl_document(line: &[u8]) -> Result<(Document, Vec<String>), InputProblem> {
    let s = match std::str::from_utf8(line) {
        Ok(s) => s,
        Err(e) => {
            return Err(problem(
                ProblemKind::InvalidUtf8,
                utf8_detail(line, e, false).1,
            ))
        }
    };
    let value: serde_json::Value = serde_json::from_str(s)
        .map_err(|e| problem(ProblemKind::InvalidJson, json_error_detail(&e)))?;
    let mut map = match value {
        serde_json::Value::Object(m) => m,
        other => {
            return Err(problem(
                ProblemKind::NotObject,
                format!("not a JSON object (found {})", json_type(&other)),
            ))
        }
    };
    let id = match map.remove("id") {
        None => return Err(problem(ProblemKind::BadId, "missing \"id\"")),
        Some(serde_json::Value::String(s)) => {
            check_id(&s)?;
            s
        }
        Some(other) => {
            return Err(problem(
                ProblemKind::BadId,
                format!("\"id\" is {}, not a string", json_type(&other)),
            ))
        }
    };
    // a page in "html" (when there is no "text"): its extracted main text is the text
    let mut page = None;
    if !map.contains_key("text") {
        if let Some(serde_json::Value::String(h)) = map.get("html") {
            let url = map.get("url").and_then(|u| u.as_str());
            page = Some(aidledger_html::read_html(h, url));
        }
    }
    let text = match (map.remove("text"), page.as_ref()) {
        (Some(serde_json::Value::String(s)), _) => s,
        (Some(other), _) => {
            return Err(problem(
                ProblemKind::BadText,
                format!(
                    "document {id:?}: \"text\" is {}, not a string",
                    json_type(&other)
                ),
            ))
        }
        (None, Some(p)) => p.text(),
        (None, None) => {
            return Err(problem(
                ProblemKind::BadText,
                if map.contains_key("html") {
                    format!("document {id:?}: \"html\" is not a string")
                } else {
                    format!("document {id:?}: missing \"text\" (or \"html\")")
                },
            ))
        }
    };
    if page.as_ref().is_some_and(|p| p.body.trim().is_empty()) {
        return Err(problem(
            ProblemKind::BadText,
            format!("document {id:?}: no article text found in \"html\""),
        ));
    }
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return Err(problem(
            ProblemKind::Binary,
            format!("document {id:?}: \"text\" holds NUL characters (binary data?)"),
        ));
    }
    let mut warnings = Vec::new();
    let mut opt = |name: &str| -> Option<String> {
        match map.remove(name) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s),
            Some(other) => {
                warnings.push(format!(
                    "document {id:?}: ignored \"{name}\": {}, not a string",
                    json_type(&other)
                ));
                None
            }
        }
    };
    let published = opt("published");
    let source = opt("source");
    let url = opt("url");
    let title = opt("title");
    let lang = opt("lang");
    // the page's own metadata fills what the line does not give
    let (published, source, url, title, lang) = match &page {
        Some(pg) => (
            published.or_else(|| pg.published.clone()),
            source.or_else(|| pg.domain.clone()),
            url.or_else(|| pg.url.clone()),
            title.or_else(|| pg.title.clone()),
            lang.or_else(|| pg.lang.clone().filter(|l| l == "fr" || l == "en")),
        ),
        None => (published, source, url, title, lang),
    };
    let published = match published {
        Some(p) => match parse_published(&p) {
            Ok(p) => Some(p),
            Err(e) => {
                warnings.push(format!("document {id:?}: ignored \"published\": {e}"));
                None
            }
        },
        None => None,
    };
    Ok((
        Document {
            id,
            text,
            published,
            source,
            url,
            title,
            lang,
        },
        warnings,
    ))
}

/// Checks a document id with the store's rules ([`check_document_id`]: no control or
/// invisible formatting characters, not empty): ids are never rewritten, so one that
/// cannot be kept as it is skips its document.
pub(crate) fn check_id(id: &str) -> Result<(), InputProblem> {
    match check_document_id(id) {
        Ok(()) => Ok(()),
        Err(IdError::Empty) => Err(problem(ProblemKind::BadId, "\"id\" is empty")),
        Err(e) => Err(problem(ProblemKind::BadId, format!("bad \"id\": {e}"))),
    }
}

/// Makes an HTML page (any charset) a document: its text is the page's headline and
/// article body ([`aidledger_html::Page::text`]); title, date, language, address and
/// source domain come from the page.
pub fn html_document(
    id: String,
    bytes: &[u8],
    url: Option<&str>,
) -> Result<Document, InputProblem> {
    check_id(&id)?;
    let page = aidledger_html::read_page(
        bytes,
        &aidledger_html::PageOptions {
            url,
            ..Default::default()
        },
    );
    if page.body.trim().is_empty() {
        return Err(problem(
            ProblemKind::BadText,
            "no article text found in the page",
        ));
    }
    Ok(page_document(id, page))
}

pub(crate) fn page_document(id: String, page: aidledger_html::Page) -> Document {
    Document {
        id,
        text: page.text(),
        published: page.published.clone(),
        source: page.domain.clone(),
        url: page.url.clone(),
        title: page.title.clone(),
        lang: page.lang.clone().filter(|l| l == "fr" || l == "en"),
    }
}

/// Checks the bytes of a text file and makes them a document (`origin` names the file in
/// messages; problems name the line).
/// The id (from the file name) is checked first.
pub fn text_document(id: String, mut bytes: Vec<u8>) -> Result<Document, (u64, InputProblem)> {
    check_id(&id).map_err(|p| (0, p))?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if let Some(at) = memchr::memchr(0, &bytes) {
        let (line, col) = line_col(&bytes, at);
        return Err((
            line,
            problem(
                ProblemKind::Binary,
                format!("binary data (NUL byte at line {line}, column {col})"),
            ),
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let err = e.utf8_error();
            let bytes = e.into_bytes();
            let (line, detail) = utf8_detail(&bytes, err, true);
            return Err((line, problem(ProblemKind::InvalidUtf8, detail)));
        }
    };
    if text.trim().is_empty() {
        return Err((0, problem(ProblemKind::Empty, "empty file")));
    }
    Ok(Document {
        id,
        text,
        ..Default::default()
    })
}
