//! Search: the stored articles matching every word of the query, best first, each with
//! a snippet of its text around the first hit (the words found marked), a truthful
//! count of all matches, and pages (previous and next keep the query). Without a
//! query, the list of stored articles, paged the same way.

use aidledger_core::Record;
use aidledger_store::{DocumentSummary, Store};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;

use super::document::record_line;
use super::{
    doc_href, href_with, number_param, page_of, param, parse_query, parse_query_lenient, Markup,
    PageResult,
};
use crate::state::AppState;

/// Articles per page.
const PAGE: usize = 20;
/// The largest offset (search reads the matches before it).
const MAX_OFFSET: usize = 10_000;
/// Characters of text shown before the first hit and in all.
const BEFORE: usize = 90;
const SNIPPET: usize = 280;

pub(super) async fn page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let read = parse_query(raw.as_deref())
        .and_then(|q| number_param(&q, "offset", 0, MAX_OFFSET).map(|o| (q, o)));
    let (q, offset) = match read {
        Ok(x) => x,
        Err(e) => {
            // the 400 page keeps the words the user typed in its form
            let typed = parse_query_lenient(raw.as_deref());
            let text = param(&typed, "q").unwrap_or("");
            let form = Markup::of(&FormTpl { q: text }).unwrap_or_else(|_| Markup::empty());
            return e.page_with("search", text, form);
        }
    };
    let text = param(&q, "q").unwrap_or("").to_string();
    // a page of results is kept, by its words and offset, until the next write
    let key = format!("search page {offset} {text}");
    match state
        .cached(key, move |store| Ok(render(store, &text, offset)))
        .await
        .as_deref()
    {
        Ok(Ok(body)) => super::html_response(axum::http::StatusCode::OK, body.clone()),
        Ok(Err(e)) => axum::response::IntoResponse::into_response(e.clone()),
        Err(e) => axum::response::IntoResponse::into_response(super::internal(&format!(
            "page failed: {e}"
        ))),
    }
}

/// One piece of a snippet: text, and whether it is a word of the query.
pub struct Bit {
    pub text: String,
    pub hit: bool,
}

struct Hit {
    href: String,
    title: String,
    source: Option<String>,
    published: Option<String>,
    snippet: Vec<Bit>,
    records: Vec<(&'static str, String, Option<String>)>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchTpl<'a> {
    q: &'a str,
    total: usize,
    from: usize,
    to: usize,
    hits: Vec<Hit>,
    prev: Option<String>,
    next: Option<String>,
    form: Markup,
}

#[derive(Template)]
#[template(path = "search_form.html")]
struct FormTpl<'a> {
    q: &'a str,
}

/// A result without snippet or records.
fn bare(d: &DocumentSummary) -> Hit {
    Hit {
        href: doc_href(&d.id),
        title: d.title.clone().unwrap_or_else(|| d.id.clone()),
        source: d.source.clone(),
        published: d.published.clone(),
        snippet: Vec::new(),
        records: Vec::new(),
    }
}

fn render(store: &Store, text: &str, offset: usize) -> PageResult {
    let (total, hits): (usize, Vec<Hit>) = if text.is_empty() {
        let docs = store.documents_page(offset, PAGE)?;
        let hits = docs.iter().map(bare).collect();
        (store.document_count()?, hits)
    } else {
        let total = store.search_count(text)?;
        let found = store.search(text, offset + PAGE)?;
        let terms = words(text);
        let mut hits = Vec::new();
        for (d, recs) in found.into_iter().skip(offset) {
            let body = store
                .document(&d.id)?
                .map(|(_, t, _)| t)
                .unwrap_or_default();
            hits.push(hit(&d, &recs, &body, &terms));
        }
        (total, hits)
    };
    let page_href = |o: usize| -> String {
        let o = o.to_string();
        href_with(
            "/search",
            &[("q", text), ("offset", if o == "0" { "" } else { &o })],
        )
    };
    let tpl = SearchTpl {
        q: text,
        total,
        from: if hits.is_empty() { 0 } else { offset + 1 },
        to: offset + hits.len(),
        prev: (offset > 0).then(|| page_href(offset.saturating_sub(PAGE))),
        next: (offset + hits.len() < total).then(|| page_href(offset + PAGE)),
        hits,
        form: Markup::of(&FormTpl { q: text })?,
    };
    page_of("Search", "search", text, &tpl)
}

fn hit(d: &DocumentSummary, recs: &[Record], body: &str, terms: &[String]) -> Hit {
    Hit {
        snippet: snippet(body, terms),
        records: recs
            .iter()
            .map(|r| {
                (
                    r.status.as_str(),
                    record_line(r),
                    r.evidence
                        .first()
                        .map(|e| format!("{}#ev-{}", doc_href(&d.id), e.start)),
                )
            })
            .collect(),
        ..bare(d)
    }
}

/// A character without case and accent, as the search compares them.
fn fold(c: char) -> char {
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        c => c,
    }
}

/// The words of a text with their byte ranges, folded ([`fold`]).
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            match &mut cur {
                Some((_, w)) => w.push(fold(c)),
                None => cur = Some((i, fold(c).to_string())),
            }
        } else if let Some((s, w)) = cur.take() {
            out.push((s, i, w));
        }
    }
    if let Some((s, w)) = cur {
        out.push((s, text.len(), w));
    }
    out
}

/// The query's words, folded.
fn words(q: &str) -> Vec<String> {
    tokens(q).into_iter().map(|(_, _, w)| w).collect()
}

/// The text around the first word of the query it contains (its start when none),
/// cut at word edges, with the query's words marked; `…` where cut.
pub fn snippet(text: &str, terms: &[String]) -> Vec<Bit> {
    let toks = tokens(text);
    if toks.is_empty() {
        return Vec::new();
    }
    let is_hit = |w: &str| terms.iter().any(|t| t == w);
    let first = toks.iter().position(|(_, _, w)| is_hit(w)).unwrap_or(0);
    // start BEFORE characters back, at a word's start
    let hit_start = toks[first].0;
    let back = text[..hit_start]
        .char_indices()
        .rev()
        .nth(BEFORE.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let a = toks
        .iter()
        .position(|(s, _, _)| *s >= back)
        .unwrap_or(first)
        .min(first);
    let start = toks[a].0;
    // end after SNIPPET characters, at a word's end
    let limit = text[start..]
        .char_indices()
        .nth(SNIPPET)
        .map(|(i, _)| start + i)
        .unwrap_or(text.len());
    let z = toks
        .iter()
        .rposition(|(_, e, _)| *e <= limit)
        .unwrap_or(first)
        .max(first);
    // the rest of the text when it all fits, else up to the white space after the word
    let end = if limit == text.len() {
        text.len()
    } else {
        let e = toks[z].1;
        text[e..]
            .find(char::is_whitespace)
            .map(|i| e + i)
            .unwrap_or(text.len())
    };
    let mut out = Vec::new();
    let mut push = |s: &str, hit: bool| {
        out.push(Bit {
            text: s.to_string(),
            hit,
        })
    };
    if start > 0 {
        push("…", false);
    }
    let mut at = start;
    for (s, e, w) in &toks[a..=z] {
        if is_hit(w) {
            if *s > at {
                let gap = &text[at..*s];
                push(&keep_edges(gap), false);
            }
            push(&text[*s..*e], true);
            at = *e;
        }
    }
    if end > at {
        push(&keep_edges(&text[at..end]), false);
    }
    if end < text.len() {
        push("…", false);
    }
    out
}

/// The snippet is one line: runs of white space become one space, those at the edges
/// of a piece included (the pieces join with them).
fn keep_edges(s: &str) -> String {
    let inner = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let lead = if s.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let trail = if s.ends_with(char::is_whitespace) && !inner.is_empty() {
        " "
    } else {
        ""
    };
    format!("{lead}{inner}{trail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(bits: &[Bit]) -> String {
        bits.iter()
            .map(|b| {
                if b.hit {
                    format!("[{}]", b.text)
                } else {
                    b.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn snippets_around_the_hit() {
        let long = "word ".repeat(100);
        let text = format!("{long}The Pentagon sent NASAMS to Kyiv.\n\nThen {long}");
        let s = joined(&snippet(&text, &words("nasams kyiv")));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("sent [NASAMS] to [Kyiv]. Then"), "{s}");
        assert!(s.chars().count() < SNIPPET + 20, "{s}");
        // accents and case do not matter
        let s = joined(&snippet("Livraison à l’Ukraine de CÉSAR.", &words("cesar")));
        assert_eq!(s, "Livraison à l’Ukraine de [CÉSAR].");
        // no hit: the start of the text
        let s = joined(&snippet("One two three.", &words("zzz")));
        assert_eq!(s, "One two three.");
        assert!(snippet("", &words("a")).is_empty());
    }
}
