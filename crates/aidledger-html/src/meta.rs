//! Page metadata: title, publication date, language, URL and source domain.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// Where a publication date was found, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// `<meta property="article:published_time">` (or `og:published_time`).
    ArticlePublishedTime,
    /// JSON-LD `datePublished`.
    JsonLd,
    /// Another meta tag: `itemprop="datePublished"`, `name="date"`, `pubdate`, Dublin Core...
    Meta,
    /// `<time datetime="...">`.
    TimeElement,
    /// A date written at the top of the article text ("PARIS, 3 mars 2024 -").
    Dateline,
    /// `/2024/03/03/` or `2024-03-03` in the URL.
    Url,
    /// Given by the caller (a WARC record's date).
    Fallback,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::ArticlePublishedTime => "article:published_time",
            DateSource::JsonLd => "json-ld",
            DateSource::Meta => "meta",
            DateSource::TimeElement => "time",
            DateSource::Dateline => "dateline",
            DateSource::Url => "url",
            DateSource::Fallback => "fallback",
        }
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

static META: LazyLock<Selector> = LazyLock::new(|| sel("meta"));
static LD: LazyLock<Selector> = LazyLock::new(|| sel("script[type]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time[datetime]"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static HTML: LazyLock<Selector> = LazyLock::new(|| sel("html"));
static CANON: LazyLock<Selector> = LazyLock::new(|| sel("link[rel][href]"));

pub(crate) struct Meta {
    pub title: Option<String>,
    pub published: Option<(String, DateSource)>,
    pub lang: Option<String>,
    pub url: Option<String>,
    /// JSON-LD `articleBody`, for pages whose markup hides the text.
    pub ld_body: Option<String>,
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn el_text(e: ElementRef) -> String {
    squash(&e.text().collect::<String>())
}

pub(crate) fn read(html: &Html) -> Meta {
    let mut metas: Vec<(String, String)> = Vec::new(); // (key lower, content)
    for m in html.select(&META) {
        let v = m.value();
        let key = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"))
            .or_else(|| v.attr("http-equiv"));
        if let (Some(k), Some(c)) = (key, v.attr("content").or_else(|| v.attr("datetime"))) {
            if k.len() < 100 && c.len() < 10_000 {
                metas.push((k.to_ascii_lowercase(), c.trim().to_string()));
            }
        }
    }
    let meta = |keys: &[&str]| -> Option<&str> {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(mk, c)| mk == k && !c.is_empty())
                .map(|(_, c)| c.as_str())
        })
    };
    // JSON-LD
    let mut ld = LdFound::default();
    for s in html.select(&LD) {
        if !s
            .value()
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        {
            continue;
        }
        let raw: String = s.text().collect();
        if raw.len() > 4 << 20 {
            continue;
        }
        if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
            walk_ld(&v, &mut ld, 0);
        }
    }
    // Title: the page's own headline first
    let h1s: Vec<String> = html
        .select(&H1)
        .map(el_text)
        .filter(|t| !t.is_empty())
        .take(3)
        .collect();
    let title = h1s
        .first()
        .cloned()
        .or_else(|| meta(&["og:title", "twitter:title"]).map(squash))
        .or(ld.headline.clone())
        .or_else(|| {
            html.select(&TITLE)
                .next()
                .map(el_text)
                .filter(|t| !t.is_empty())
        });
    // Date
    let published = meta(&[
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
    ])
    .and_then(norm_date)
    .map(|d| (d, DateSource::ArticlePublishedTime))
    .or_else(|| {
        ld.date
            .as_deref()
            .and_then(norm_date)
            .map(|d| (d, DateSource::JsonLd))
    })
    .or_else(|| {
        meta(&[
            "datepublished",
            "date",
            "pubdate",
            "publishdate",
            "publish-date",
            "publication_date",
            "dc.date.issued",
            "dc.date",
            "dcterms.created",
            "dcterms.date",
            "sailthru.date",
            "parsely-pub-date",
            "article.published",
            "published_time",
            "og:updated_time",
            "article:modified_time",
        ])
        .and_then(norm_date)
        .map(|d| (d, DateSource::Meta))
    })
    .or_else(|| {
        html.select(&TIME)
            .filter_map(|t| t.value().attr("datetime"))
            .find_map(norm_date)
            .map(|d| (d, DateSource::TimeElement))
    });
    let lang = html
        .select(&HTML)
        .next()
        .and_then(|h| {
            h.value()
                .attr("lang")
                .or_else(|| h.value().attr("xml:lang"))
                .map(str::to_string)
        })
        .or_else(|| meta(&["content-language", "og:locale", "language"]).map(str::to_string))
        .or(ld.lang.clone())
        .and_then(|l| primary_lang(&l));
    let url = meta(&["og:url"]).map(str::to_string).or_else(|| {
        html.select(&CANON)
            .find(|l| {
                l.value()
                    .attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
            })
            .and_then(|l| l.value().attr("href"))
            .map(str::to_string)
    });
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    Meta {
        title,
        published,
        lang,
        url,
        ld_body: ld.body,
    }
}

#[derive(Default)]
struct LdFound {
    date: Option<String>,
    headline: Option<String>,
    body: Option<String>,
    lang: Option<String>,
}

fn walk_ld(v: &Value, f: &mut LdFound, depth: usize) {
    if depth > 20 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk_ld(x, f, depth + 1)),
        Value::Object(o) => {
            let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
            if f.date.is_none() {
                f.date = s("datePublished").or_else(|| s("dateCreated"));
            }
            if f.headline.is_none() {
                f.headline = s("headline").map(|h| squash(&h));
            }
            if f.body.is_none() {
                f.body = s("articleBody");
            }
            if f.lang.is_none() {
                f.lang = s("inLanguage");
            }
            for (_, x) in o.iter() {
                if x.is_object() || x.is_array() {
                    walk_ld(x, f, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// `fr-FR` → `fr`; `None` for anything that is not a language tag.
pub fn primary_lang(l: &str) -> Option<String> {
    let p = l.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())).then_some(p)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    ((1990..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1])
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})").unwrap());
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)").unwrap());
static DMY_NUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})").unwrap());

/// A date in a metadata value or free text: ISO (`2024-03-03T10:00:00Z`), compact
/// (`20240303`), or written out in English or French (`March 3, 2024`, `3 mars 2024`).
pub fn norm_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(c) = ISO.captures(s) {
        return ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = COMPACT.captures(s) {
        return ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = DMY_NUM.captures(s) {
        // day first, as in French and British usage; a US-style month first only when
        // the first number cannot be a month
        let (a, b, y): (u32, u32, i32) =
            (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        return ymd(y, b, a).or_else(|| ymd(y, a, b));
    }
    written_date(s).map(|(d, _)| d)
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("janvier", 1),
    ("janv", 1),
    ("february", 2),
    ("feb", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("march", 3),
    ("mar", 3),
    ("mars", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("may", 5),
    ("mai", 5),
    ("june", 6),
    ("jun", 6),
    ("juin", 6),
    ("july", 7),
    ("jul", 7),
    ("juillet", 7),
    ("juil", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("october", 10),
    ("oct", 10),
    ("octobre", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("december", 12),
    ("dec", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
];

static WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-zéû]{3,9})\.?,?\s+(\d{4})|([a-zéû]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
    )
    .unwrap()
});

fn month(w: &str) -> Option<u32> {
    let w = w.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// The first written-out date in `s` and where it ends.
pub(crate) fn written_date(s: &str) -> Option<(String, usize)> {
    written_date_at(s).map(|(d, r)| (d, r.end))
}

/// The first written-out date in `s` and where it is.
fn written_date_at(s: &str) -> Option<(String, std::ops::Range<usize>)> {
    for c in WRITTEN.captures_iter(s) {
        let range = c.get(0)?.range();
        let got = if let (Some(d), Some(m), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
            month(m.as_str())
                .and_then(|m| ymd(y.as_str().parse().ok()?, m, d.as_str().parse().ok()?))
        } else if let (Some(m), Some(d), Some(y)) = (c.get(4), c.get(5), c.get(6)) {
            month(m.as_str())
                .and_then(|m| ymd(y.as_str().parse().ok()?, m, d.as_str().parse().ok()?))
        } else {
            None
        };
        if let Some(g) = got {
            return Some((g, range));
        }
    }
    None
}

/// A date in numbers (`2024-03-03`, `3/3/2024`, `03.03.2024`) and where it is.
fn numeric_date_at(s: &str) -> Option<(String, std::ops::Range<usize>)> {
    static NUM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})\b").unwrap()
    });
    NUM.captures_iter(s)
        .find_map(|c| Some((norm_date(&c[1])?, c.get(0)?.range())))
}

/// A dateline at the head of the article text (its first three lines, within 300
/// characters): a date that stands on a short line of its own ("Published 3 March
/// 2024"), or that follows a place in capitals and precedes a dash, colon or
/// parenthesis ("KYIV, March 3, 2024 (Reuters) -", "WASHINGTON — Jan. 5, 2025 —",
/// "Paris, le 3 mars 2024 -"). A date inside the first sentence ("On 24 February 2022,
/// Russia invaded ...") is what the article is about, not when it was written: never.
pub(crate) fn dateline(text: &str) -> Option<String> {
    let mut end = text.len().min(300);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    for line in text[..end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
    {
        let Some((date, at)) = written_date_at(line).or_else(|| numeric_date_at(line)) else {
            continue;
        };
        let (before, after) = (&line[..at.start], line[at.end..].trim_start());
        let date_line = line.chars().count() <= 80 && !line.ends_with(['.', '!', '?']);
        let place_first = before.chars().count() <= 40
            && before.split_whitespace().all(|w| {
                let first = w.chars().next().unwrap_or(' ');
                !first.is_lowercase() || DATELINE_WORDS.contains(&w)
            });
        let separated = after.starts_with(['—', '–', '-', ':', '|', '(', '/']);
        if date_line || (place_first && separated) {
            return Some(date);
        }
    }
    None
}

/// Small words that a dateline may hold before its date ("Paris, le 3 mars",
/// "Berlin, den 3. März", "updated on").
const DATELINE_WORDS: &[&str] = &["le", "den", "am", "on", "du", "de", "updated", "published"];

static URL_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[/_-]((?:19|20)\d{2})[/_-]?(\d{2})[/_-]?(\d{2})(?:[/_.-]|$)|/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/").unwrap()
});
static URL_YM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/").unwrap());

/// A date in a page address: `/2024/03/03/`, `-20240303-`, `2024-03-03`; a month
/// alone (`/2024/03/`) gives `2024-03`.
pub fn url_date(url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    for c in URL_YMD.captures_iter(path) {
        let (y, m, d) = if let Some(y) = c.get(1) {
            (y, c.get(2)?, c.get(3)?)
        } else {
            (c.get(4)?, c.get(5)?, c.get(6)?)
        };
        if let Some(v) = ymd(
            y.as_str().parse().ok()?,
            m.as_str().parse().ok()?,
            d.as_str().parse().ok()?,
        ) {
            return Some(v);
        }
    }
    let c = URL_YM.captures(path)?;
    let (y, m): (i32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    ((1990..=2100).contains(&y) && (1..=12).contains(&m)).then(|| format!("{y:04}-{m:02}"))
}

/// Host of a URL without `www.`, lower case.
pub fn domain(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}
