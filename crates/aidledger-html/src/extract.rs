//! Main-text extraction: which part of the page is the article.
//!
//! The scoring follows the idea of Mozilla's Readability (paragraphs vote for the
//! elements that hold them, link-heavy and boilerplate-named elements lose), written
//! anew on [`Tree`], with more cleaning of its own: elements named or marked as
//! navigation, sharing, comments, cookie notices, newsletters, ratings or related links
//! are removed before scoring, and inside the chosen element any block that is mostly
//! links or named as boilerplate is dropped again.

use crate::tree::{Tree, NONE};

/// Blocks: each starts a new paragraph in the output.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "center",
    "html",
];

/// Elements always left out of the article.
const ALWAYS_OUT: &[&str] = &[
    "nav",
    "footer",
    "aside",
    "form",
    "menu",
    "figcaption",
    "label",
];

/// Words of `class`/`id` (split at anything not a letter or digit) that mark boilerplate
/// whatever else the element is called (`post-share-item`, `article-comments`).
const STRONG: &[&str] = &[
    "comment",
    "comments",
    "share",
    "shares",
    "sharing",
    "sharebar",
    "social",
    "related",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "subscribe",
    "subscription",
    "outbrain",
    "taboola",
    "disqus",
    "recommended",
    "recommendations",
    "breadcrumb",
    "breadcrumbs",
    "rating",
    "ratings",
    "promo",
    "sponsored",
    "advert",
    "advertisement",
    "livefyre",
    "shoutbox",
    "signup",
    "popular",
    "trending",
    "recirc",
    "ad",
    "ads",
    "dfp",
];

/// Words that mark boilerplate unless the element also carries a content word
/// ([`POSITIVE`]) or holds most of the page's paragraphs.
const WEAK: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "sidebar",
    "widget",
    "footer",
    "masthead",
    "header",
    "banner",
    "toolbar",
    "pagination",
    "pager",
    "popup",
    "modal",
    "overlay",
    "lightbox",
    "skip",
    "tags",
    "tag",
    "byline",
    "author",
    "caption",
    "credit",
    "credits",
    "meta",
    "date",
    "timestamp",
    "dateline",
    "bio",
    "print",
    "follow",
    "login",
    "account",
    "toc",
    "embed",
    "video",
    "gallery",
    "slideshow",
    "carousel",
    "teaser",
    "disclaimer",
    "community",
    "combx",
    "email",
    "hidden",
    "more",
    "readmore",
    "playlist",
    "sponsor",
    "paywall",
    "extra",
    "supplemental",
    "dropdown",
    "search",
    "rail",
];

/// Words of `class`/`id` that mark content.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "text",
    "blog",
    "story",
    "hentry",
    "prose",
    "articlebody",
    "articletext",
    "storytext",
    "postbody",
    "entrytext",
];

fn words(names: &str) -> impl Iterator<Item = &str> {
    names
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Word pieces of `names` (class and id split at anything not a letter or digit).
fn has_any(names: &str, list: &[&str]) -> bool {
    words(names).any(|w| list.contains(&w))
}

/// Pieces that mark boilerplate even inside a longer word (`relatedposts`,
/// `commentlist`, `socialbar`).
const STRONG_PIECES: &[&str] = &[
    "related",
    "comment",
    "sharing",
    "social",
    "newsletter",
    "cookie",
    "taboola",
    "outbrain",
    "disqus",
    "recommend",
    "breadcrumb",
    "advert",
];

fn strong(names: &str) -> bool {
    has_any(names, STRONG) || words(names).any(|w| STRONG_PIECES.iter().any(|p| w.contains(p)))
}

fn class_weight(names: &str) -> f64 {
    let mut w = 0.0;
    if strong(names) || has_any(names, WEAK) {
        w -= 25.0;
    }
    if has_any(names, POSITIVE) {
        w += 25.0;
    }
    if names.contains("itemprop-articlebody") {
        w += 50.0;
    }
    w
}

/// Per-node figures, indexed like `Tree::nodes`.
struct Stats {
    /// Kept out of the article before scoring.
    out: Vec<bool>,
    /// Characters of text (whitespace runs counted once) under the node.
    chars: Vec<u32>,
    /// Of which inside links.
    link_chars: Vec<u32>,
    commas: Vec<u32>,
    /// `<p>` descendants, and `<li>`.
    ps: Vec<u32>,
    lis: Vec<u32>,
    /// A block descendant.
    has_block: Vec<bool>,
}

fn text_chars(s: &str) -> (u32, u32) {
    let mut n = 0u32;
    let mut commas = 0u32;
    let mut space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                n += 1;
                space = true;
            }
        } else {
            n += 1;
            space = false;
            if c == ',' || c == '،' || c == '，' {
                commas += 1;
            }
        }
    }
    (n, commas)
}

fn removed_by_name(t: &Tree, raw: &Raw, i: usize) -> bool {
    let n = &t.nodes[i];
    if n.hidden {
        return true;
    }
    let tag = &*n.tag;
    if tag == "form" {
        // a form around the whole page (ASP.NET) is no search box
        return !holds_much(raw, i);
    }
    if ALWAYS_OUT.contains(&tag) {
        return true;
    }
    if matches!(
        &*n.role,
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "dialog"
            | "alertdialog"
            | "menu"
            | "menubar"
            | "search"
    ) {
        return true;
    }
    if matches!(tag, "html" | "body" | "article" | "main" | "p" | "h1") {
        return false;
    }
    let names = &*n.names;
    if names.is_empty() || names.contains("itemprop-articlebody") {
        return false;
    }
    if holds_much(raw, i) {
        return false;
    }
    if strong(names) {
        return true;
    }
    has_any(names, WEAK) && !has_any(names, POSITIVE) && !holds_much(raw, i) && !prose(raw, i)
}

/// Running text: 500 characters or more outside links, at most a fifth in links. A
/// weak name ("paywall", "hidden", "more") does not remove that.
fn prose(raw: &Raw, i: usize) -> bool {
    raw.p_chars[i] >= 500 && raw.p_chars[i] as f64 >= 0.8 * raw.all_chars[i] as f64
}

/// The element holds most of the page's paragraph text: naming it a sidebar or a
/// header is a site's quirk, not a reason to lose the article.
fn holds_much(raw: &Raw, i: usize) -> bool {
    raw.p_chars[i] as f64 > 0.5 * raw.total_p_chars as f64 && raw.p_chars[i] > 500
}

/// Text outside links per node, before any removal.
struct Raw {
    p_chars: Vec<u32>,
    all_chars: Vec<u32>,
    total_p_chars: u32,
}

fn raw_stats(t: &Tree) -> Raw {
    let n = t.nodes.len();
    let mut p_chars = vec![0u32; n];
    let mut all_chars = vec![0u32; n];
    let mut in_p = vec![false; n];
    for i in 0..n {
        let p = t.nodes[i].parent;
        // text outside links
        in_p[i] = (p == NONE || in_p[p as usize]) && &*t.nodes[i].tag != "a";
    }
    for i in (0..n).rev() {
        if t.nodes[i].tag.is_empty() {
            all_chars[i] = text_chars(&t.nodes[i].text).0;
            if in_p[i] {
                p_chars[i] = all_chars[i];
            }
        }
        let p = t.nodes[i].parent;
        if p != NONE {
            p_chars[p as usize] += p_chars[i];
            all_chars[p as usize] += all_chars[i];
        }
    }
    let total_p_chars = (0..n)
        .filter(|&i| t.nodes[i].parent == NONE)
        .map(|i| p_chars[i])
        .sum();
    Raw {
        p_chars,
        all_chars,
        total_p_chars,
    }
}

fn stats(t: &Tree) -> Stats {
    let n = t.nodes.len();
    let mut s = Stats {
        out: vec![false; n],
        chars: vec![0; n],
        link_chars: vec![0; n],
        commas: vec![0; n],
        ps: vec![0; n],
        lis: vec![0; n],
        has_block: vec![false; n],
    };
    let raw = raw_stats(t);
    // top-down: an element inside a removed one is removed
    for i in 0..n {
        let p = t.nodes[i].parent;
        s.out[i] = (p != NONE && s.out[p as usize])
            || (!t.is_text(i as u32) && removed_by_name(t, &raw, i));
    }
    // bottom-up: children come after their parent in the vector
    let mut in_link = vec![false; n];
    for i in 0..n {
        let p = t.nodes[i].parent;
        in_link[i] = (p != NONE && in_link[p as usize]) || &*t.nodes[i].tag == "a";
    }
    for i in (0..n).rev() {
        if s.out[i] {
            continue;
        }
        let node = &t.nodes[i];
        if node.tag.is_empty() {
            let (c, k) = text_chars(&node.text);
            s.chars[i] = c;
            s.commas[i] = k;
            if in_link[i] {
                s.link_chars[i] = c;
            }
        }
        let tag = &*node.tag;
        if tag == "p" {
            s.ps[i] += 1;
        } else if tag == "li" {
            s.lis[i] += 1;
        }
        let p = node.parent;
        if p != NONE {
            let p = p as usize;
            s.chars[p] += s.chars[i];
            s.link_chars[p] += s.link_chars[i];
            s.commas[p] += s.commas[i];
            s.ps[p] += s.ps[i];
            s.lis[p] += s.lis[i];
            if BLOCK.contains(&tag) || s.has_block[i] {
                s.has_block[p] = true;
            }
        }
    }
    s
}

impl Stats {
    fn link_density(&self, i: usize) -> f64 {
        if self.chars[i] == 0 {
            0.0
        } else {
            self.link_chars[i] as f64 / self.chars[i] as f64
        }
    }
}

/// Elements of the article, in document order, and the text they make.
pub(crate) fn main_text(t: &Tree) -> String {
    let n = t.nodes.len();
    if n == 0 {
        return String::new();
    }
    let s = stats(t);
    let mut score = vec![0.0f64; n];
    let mut scored = vec![false; n];
    let init = |i: usize, score: &mut Vec<f64>, scored: &mut Vec<bool>| {
        if scored[i] {
            return;
        }
        scored[i] = true;
        let base = match t.tag(i as u32) {
            "div" | "article" | "main" | "section" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        };
        score[i] = base + class_weight(&t.nodes[i].names);
    };
    for i in 0..n {
        if s.out[i] || t.is_text(i as u32) {
            continue;
        }
        let tag = t.tag(i as u32);
        let para = match tag {
            "p" | "pre" => true,
            "td" | "blockquote" | "div" | "section" | "article" => !s.has_block[i],
            _ => false,
        };
        // (chars, commas, first element to credit)
        let (chars, commas, mut a) = if para {
            (s.chars[i], s.commas[i], t.nodes[i].parent)
        } else if matches!(
            tag,
            "div" | "section" | "article" | "td" | "blockquote" | "main"
        ) {
            // text written straight into a container beside its blocks is a paragraph of
            // that container ("<div><p class=title>..</p><small>..</small>The text...</div>")
            let (mut c, mut k, mut l) = (0u32, 0u32, 0u32);
            for &ch in &t.nodes[i].children {
                let ch = ch as usize;
                if s.out[ch] || BLOCK.contains(&t.tag(ch as u32)) || s.has_block[ch] {
                    continue;
                }
                c += s.chars[ch];
                k += s.commas[ch];
                l += s.link_chars[ch];
            }
            if c < 25 || l * 2 > c {
                continue;
            }
            (c, k, i as u32)
        } else {
            continue;
        };
        if chars < 25 {
            continue;
        }
        let content = 1.0 + commas as f64 + (chars as f64 / 100.0).min(3.0);
        let mut level = 0;
        while a != NONE && level < 5 {
            let ai = a as usize;
            if t.tag(a).is_empty() || matches!(t.tag(a), "html") {
                break;
            }
            init(ai, &mut score, &mut scored);
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            score[ai] += content / div;
            a = t.nodes[ai].parent;
            level += 1;
        }
    }
    let mut top = NONE;
    let mut best = f64::MIN;
    for i in 0..n {
        if !scored[i] || s.out[i] {
            continue;
        }
        score[i] *= 1.0 - s.link_density(i);
        if score[i] > best {
            best = score[i];
            top = i as u32;
        }
    }
    if top == NONE {
        // no paragraph anywhere: the body, cleaned
        top = (0..n).find(|&i| t.tag(i as u32) == "body").unwrap_or(0) as u32;
        best = 0.0;
    }
    // The article split in several boxes that score alike: their nearest common
    // ancestor holding at least three of the others is the article.
    // (boxes apart from the top: neither its ancestors nor inside it)
    let mut ranked: Vec<usize> = (0..n)
        .filter(|&i| {
            scored[i]
                && !s.out[i]
                && top != NONE
                && !is_ancestor(t, i as u32, top as usize)
                && !is_ancestor(t, top, i)
        })
        .collect();
    ranked.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    let alts: Vec<usize> = ranked
        .into_iter()
        .take(5)
        .filter(|&i| score[i] >= 0.75 * best)
        .collect();
    if alts.len() >= 3 {
        let mut a = t.nodes[top as usize].parent;
        while a != NONE && !matches!(t.tag(a), "body" | "html") {
            let held = alts.iter().filter(|&&c| is_ancestor(t, a, c)).count();
            if held >= 3 {
                top = a;
                break;
            }
            a = t.nodes[a as usize].parent;
        }
    }
    // A parent that gathers nearly as much as the top is the better choice.
    let mut cur = top as usize;
    loop {
        let p = t.nodes[cur].parent;
        if p == NONE || matches!(t.tag(p), "body" | "html") {
            break;
        }
        let pi = p as usize;
        if scored[pi] && score[pi] >= best * 0.9 && score[pi] > 0.0 {
            cur = pi;
        } else {
            break;
        }
    }
    // Wrappers that hold nothing but the top ("<div><div><div>article</div></div></div>")
    // add no text: climb through them, so that the siblings looked at below are those
    // of the outermost wrapper (a lead paragraph written beside the wrappers).
    let top_score = score[cur].max(best);
    loop {
        let p = t.nodes[cur].parent;
        if p == NONE || matches!(t.tag(p), "body" | "html") || !only_child(t, &s, p as usize, cur) {
            break;
        }
        cur = p as usize;
    }
    let top = cur;
    // Siblings that belong to the article
    let mut roots: Vec<usize> = Vec::new();
    let parent = t.nodes[top].parent;
    if parent != NONE {
        let thresh = (top_score * 0.2).max(10.0);
        for &c in &t.nodes[parent as usize].children {
            let c = c as usize;
            if c == top {
                roots.push(c);
                continue;
            }
            if s.out[c] || t.is_text(c as u32) {
                continue;
            }
            let mut bonus = 0.0;
            if !t.nodes[top].names.is_empty() && t.nodes[c].names == t.nodes[top].names {
                bonus = top_score * 0.2;
            }
            let ld = s.link_density(c);
            let ok = (scored[c] && score[c] + bonus >= thresh)
                || (t.tag(c as u32) == "p"
                    && ((s.chars[c] > 80 && ld < 0.25)
                        || (s.chars[c] > 0
                            && s.chars[c] <= 80
                            && ld == 0.0
                            && ends_sentence(t, c))));
            if ok {
                roots.push(c);
            }
        }
    } else {
        roots.push(top);
    }
    // Twins: boxes named exactly like the top elsewhere on the page (an article cut in
    // chunks between ads)
    let top_names = &t.nodes[top].names;
    if top_names.split_ascii_whitespace().count() >= 2 {
        for i in 0..n {
            if i != top
                && !s.out[i]
                && t.nodes[i].names == *top_names
                && t.nodes[i].tag == t.nodes[top].tag
                && s.chars[i] > 100
                && s.link_density(i) < 0.3
                && !roots
                    .iter()
                    .any(|&r| is_ancestor(t, r as u32, i) || is_ancestor(t, i as u32, r))
            {
                roots.push(i);
            }
        }
        roots.sort_unstable();
    }
    // Clean and write
    let mut keep = vec![true; n];
    for &r in &roots {
        mark_clean(t, &s, &score, &scored, r, &mut keep);
    }
    let mut out = Writer::default();
    for &r in &roots {
        write(t, &s, &keep, r, &mut out);
    }
    out.finish()
}

/// Whether `child` is all that `parent` holds: no other element (other than removed
/// ones) and no text besides white space.
fn only_child(t: &Tree, s: &Stats, parent: usize, child: usize) -> bool {
    t.nodes[parent].children.iter().all(|&c| {
        let c = c as usize;
        c == child || s.out[c] || (t.is_text(c as u32) && s.chars[c] == 0)
    })
}

fn is_ancestor(t: &Tree, a: u32, mut c: usize) -> bool {
    while c as u32 != NONE {
        if c as u32 == a {
            return true;
        }
        c = t.nodes[c].parent as usize;
    }
    false
}

fn ends_sentence(t: &Tree, i: usize) -> bool {
    let mut text = String::new();
    collect_text(t, i, &mut text);
    let tr = text.trim_end();
    tr.ends_with('.')
        || tr.ends_with('!')
        || tr.ends_with('?')
        || tr.ends_with('»')
        || tr.ends_with('"')
}

fn collect_text(t: &Tree, root: usize, out: &mut String) {
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        let node = &t.nodes[i];
        if node.tag.is_empty() {
            out.push_str(&node.text);
        }
        for &c in node.children.iter().rev() {
            stack.push(c as usize);
        }
    }
}

/// Readability's conditional cleaning, and more: inside the article, drop the blocks
/// that look like lists of links, widgets or leftovers.
fn mark_clean(t: &Tree, s: &Stats, score: &[f64], scored: &[bool], root: usize, keep: &mut [bool]) {
    let mut stack = vec![root];
    while let Some(i) = stack.pop() {
        if s.out[i] {
            keep[i] = false;
            continue;
        }
        let tag = t.tag(i as u32);
        // an article inside the article is a teaser of another one
        if i != root && tag == "article" && s.chars[i] * 2 < s.chars[root] {
            keep[i] = false;
            continue;
        }
        if i != root && drop_block(t, s, score, scored, i, tag) {
            keep[i] = false;
            continue;
        }
        for &c in &t.nodes[i].children {
            stack.push(c as usize);
        }
    }
}

fn drop_block(t: &Tree, s: &Stats, score: &[f64], scored: &[bool], i: usize, tag: &str) -> bool {
    let chars = s.chars[i];
    let ld = s.link_density(i);
    match tag {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            // a heading that is a link is a teaser; a heading is kept otherwise
            ld > 0.5
        }
        "div" | "section" | "ul" | "ol" | "table" | "header" | "dl" | "center" | "article" => {
            if chars == 0 {
                return false;
            }
            let weight = class_weight(&t.nodes[i].names);
            if s.commas[i] >= 10 && ld < 0.3 {
                return false;
            }
            let p = s.ps[i] as f64;
            let li = s.lis[i] as f64;
            let list = matches!(tag, "ul" | "ol");
            let sc = if scored[i] { score[i] } else { 0.0 };
            weight + sc < 0.0
                || (!list && li > p + 2.0 && ld > 0.2)
                || (weight < 25.0 && ld > 0.33)
                || (weight >= 25.0 && ld > 0.5)
                || (list && ld > 0.25)
        }
        "p" => ld > 0.6 && chars < 200,
        _ => false,
    }
}

#[derive(Default)]
struct Writer {
    out: String,
    /// A paragraph break is due before the next text.
    pending_break: u8,
    space: bool,
}

impl Writer {
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if self.pending_break > 0 {
                if !self.out.is_empty() {
                    self.out.push_str(if self.pending_break >= 2 {
                        "\n\n"
                    } else {
                        "\n"
                    });
                }
                self.pending_break = 0;
                self.space = false;
            } else if self.space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push(c);
        }
    }
    fn block(&mut self) {
        self.pending_break = 2;
    }
    fn line(&mut self) {
        self.pending_break = self.pending_break.max(1);
    }
    fn finish(self) -> String {
        self.out
    }
}

fn write(t: &Tree, s: &Stats, keep: &[bool], root: usize, w: &mut Writer) {
    // (node, closing?) stack
    let mut stack = vec![(root, false)];
    while let Some((i, closing)) = stack.pop() {
        let node = &t.nodes[i];
        if closing {
            if BLOCK.contains(&&*node.tag) {
                w.block();
            }
            continue;
        }
        if !keep[i] || s.out[i] {
            continue;
        }
        if node.tag.is_empty() {
            w.text(&node.text);
            continue;
        }
        let tag = &*node.tag;
        if tag == "br" {
            w.line();
            continue;
        }
        if BLOCK.contains(&tag) {
            w.block();
        }
        stack.push((i, true));
        for &c in node.children.iter().rev() {
            stack.push((c as usize, false));
        }
    }
}
