//! The readable part of a web page: its headline and article body as plain text, with
//! the page's title, publication date, language, address and source domain.
//!
//! ```
//! let page = aidledger_html::read_html(
//!     "<html lang='fr'><h1>Titre</h1><article><p>Premier paragraphe, assez long pour \
//!      compter comme texte d'article.</p></article><nav><a href='/'>Accueil</a></nav></html>",
//!     Some("https://www.exemple.fr/2024/03/03/titre"),
//! );
//! assert_eq!(page.title.as_deref(), Some("Titre"));
//! assert_eq!(page.lang.as_deref(), Some("fr"));
//! assert_eq!(page.domain.as_deref(), Some("exemple.fr"));
//! assert_eq!(page.published.as_deref(), Some("2024-03-03"));
//! assert!(page.body.starts_with("Premier paragraphe"));
//! assert!(!page.text().contains("Accueil"));
//! ```
//!
//! Parsing is html5ever's (the WHATWG algorithm: any byte string is a page), the
//! extraction is this crate's own (see `extract.rs`). Every pass over the tree is a
//! loop, so deeply nested markup cannot overflow the stack.

mod decode;
mod extract;
mod meta;
mod tree;

pub use decode::{charset_of_content_type, decode, Decoded};
pub use meta::{domain, norm_date, primary_lang, url_date, DateSource};

/// What was read from a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The headline (`<h1>`, else `og:title`, JSON-LD `headline`, `<title>`).
    pub title: Option<String>,
    /// The article body: paragraphs separated by a blank line (without the headline).
    pub body: String,
    /// `YYYY-MM-DD` (or `YYYY-MM` from a URL holding only a month).
    pub published: Option<String>,
    pub published_from: Option<DateSource>,
    /// Primary language subtag as the page declares it (`<html lang>`, `Content-Language`,
    /// `og:locale`, JSON-LD `inLanguage`); `None` when the page does not say.
    pub lang: Option<String>,
    /// The address given by the caller, else the page's `og:url` or canonical link.
    pub url: Option<String>,
    pub domain: Option<String>,
    /// Encoding the bytes were read with (`UTF-8` for pages given as text).
    pub encoding: &'static str,
}

impl Page {
    /// Headline and body, as the extractor should read them: the headline, a blank line,
    /// the body (the headline is left out when the body already starts with it).
    pub fn text(&self) -> String {
        match &self.title {
            Some(t) if !t.is_empty() && !self.body.starts_with(t.as_str()) => {
                if self.body.is_empty() {
                    t.clone()
                } else {
                    format!("{t}\n\n{}", self.body)
                }
            }
            _ => self.body.clone(),
        }
    }
}

/// Options of [`read_page`].
#[derive(Debug, Clone, Default)]
pub struct PageOptions<'a> {
    /// The page's address (a WARC record's target URI, a JSONL document's `url`).
    pub url: Option<&'a str>,
    /// Charset from an HTTP `Content-Type` header.
    pub charset: Option<&'a str>,
    /// Date to use when the page gives none (`YYYY-MM-DD`, or a timestamp).
    pub fallback_date: Option<&'a str>,
}

/// Reads a page given as bytes (any charset; see [`decode`]).
pub fn read_page(bytes: &[u8], opts: &PageOptions) -> Page {
    let d = decode(bytes, opts.charset);
    let mut p = read_html_with(&d.text, opts);
    p.encoding = d.encoding;
    p
}

/// Reads a page given as text.
pub fn read_html(html: &str, url: Option<&str>) -> Page {
    read_html_with(
        html,
        &PageOptions {
            url,
            ..Default::default()
        },
    )
}

/// Longest run of elements open at once that the parser is given; deeper markup is
/// cut back (see [`flatten_deep`]). Real pages stay far below.
const MAX_DEPTH: usize = 512;

fn read_html_with(html: &str, opts: &PageOptions) -> Page {
    let flat;
    let html = if needs_flattening(html) {
        flat = flatten_deep(html);
        flat.as_str()
    } else {
        html
    };
    let doc = scraper::Html::parse_document(html);
    let m = meta::read(&doc);
    let t = tree::Tree::build(&doc);
    drop(doc);
    let mut body = extract::main_text(&t);
    drop(t);
    if let Some(ld) = &m.ld_body {
        // a page whose markup hides the article (rendered by script) often carries it in
        // its JSON-LD
        let ld = ld.trim();
        if body.chars().count() < 200 && ld.chars().count() > 2 * body.chars().count() + 100 {
            body = ld.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    let url = opts
        .url
        .map(str::to_string)
        .filter(|u| !u.is_empty())
        .or(m.url);
    let domain = url.as_deref().and_then(domain);
    let mut published = m.published;
    if published.is_none() {
        published = meta::dateline(&body).map(|d| (d, DateSource::Dateline));
    }
    if published.is_none() {
        published = url
            .as_deref()
            .and_then(url_date)
            .map(|d| (d, DateSource::Url));
    }
    if published.is_none() {
        published = opts
            .fallback_date
            .and_then(norm_date)
            .map(|d| (d, DateSource::Fallback));
    }
    let title = m.title.filter(|t| !t.is_empty());
    // the headline is the title, not part of the body
    if let Some(t) = &title {
        if let Some(rest) = body.strip_prefix(t.as_str()) {
            if rest.is_empty() || rest.starts_with('\n') {
                body = rest.trim_start().to_string();
            }
        }
    }
    Page {
        title,
        body,
        published_from: published.as_ref().map(|p| p.1),
        published: published.map(|p| p.0),
        lang: m.lang,
        url,
        domain,
        encoding: "UTF-8",
    }
}

/// Cheap check: could the page nest deeper than [`MAX_DEPTH`]? Counts the start tags
/// of nesting elements minus end tags; only pages far over the limit pay for
/// [`flatten_deep`].
fn needs_flattening(html: &str) -> bool {
    let b = html.as_bytes();
    let mut depth: i64 = 0;
    let mut i = 0;
    while let Some(k) = memchr_lt(&b[i..]) {
        let j = i + k + 1;
        let closing = b.get(j) == Some(&b'/');
        let start = if closing { j + 1 } else { j };
        let end = b[start..]
            .iter()
            .take(12)
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len().min(start + 12), |e| start + e);
        if end > start && b[start].is_ascii_alphabetic() && nests(&html[start..end]) {
            if closing {
                depth -= 1;
            } else {
                depth += 1;
                if depth > MAX_DEPTH as i64 * 4 {
                    return true;
                }
            }
        }
        i = j;
    }
    false
}

/// Tags that open a level the parser keeps open until its end tag: not the void ones
/// (`<br>`), nor those closed by the next of their kind (`<p>`, `<li>`, `<td>`...).
fn nests(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !matches!(
        name.as_str(),
        "br" | "img"
            | "hr"
            | "meta"
            | "link"
            | "input"
            | "area"
            | "base"
            | "col"
            | "embed"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "p"
            | "li"
            | "td"
            | "th"
            | "tr"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "rt"
            | "rp"
            | "tbody"
            | "thead"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "keygen"
            | "frame"
    )
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

/// Drops the start tags (and their end tags) of container elements opened beyond
/// [`MAX_DEPTH`] levels, keeping their text: html5ever's tree builder checks the stack of
/// open elements on each new tag, which is quadratic in the nesting depth.
fn flatten_deep(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut depth: usize = 0;
    let mut dropped: Vec<bool> = Vec::new(); // per open start tag: was it dropped
    let mut i = 0;
    let mut last = 0;
    while let Some(k) = memchr_lt(&b[i..]) {
        let s = i + k;
        let Some(e) = b[s..].iter().position(|&c| c == b'>').map(|e| s + e + 1) else {
            break;
        };
        let inner = &html[s + 1..e - 1];
        let closing = inner.starts_with('/');
        let self_closing = inner.ends_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || !nests(&name) || self_closing {
            i = e;
            continue;
        }
        if closing {
            let was_dropped = dropped.pop().unwrap_or(false);
            depth = depth.saturating_sub(1);
            if was_dropped {
                out.push_str(&html[last..s]);
                last = e;
            }
        } else {
            depth += 1;
            let drop = depth > MAX_DEPTH;
            dropped.push(drop);
            if drop {
                out.push_str(&html[last..s]);
                out.push(' ');
                last = e;
            }
        }
        i = e;
    }
    out.push_str(&html[last..]);
    out
}
