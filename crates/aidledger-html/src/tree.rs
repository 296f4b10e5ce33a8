//! A compact copy of the parsed page: elements and text only, no scripts or styles,
//! in document (pre-)order so that a parent always comes before its children and
//! every pass over it is a loop, never a recursion (100,000 nested elements are fine).

use scraper::{Html, Node as SNode};

pub(crate) const NONE: u32 = u32::MAX;

pub(crate) struct Node {
    /// Lower-case tag name; empty for a text node.
    pub tag: Box<str>,
    /// Text of a text node.
    pub text: Box<str>,
    pub parent: u32,
    pub children: Vec<u32>,
    /// `class` and `id`, lower case, at most 256 bytes.
    pub names: Box<str>,
    /// `hidden`, `aria-hidden="true"`, `display:none`, a `role` of navigation and such.
    pub hidden: bool,
    pub role: Box<str>,
}

pub(crate) struct Tree {
    pub nodes: Vec<Node>,
}

/// Elements whose content is never text to read.
const DROP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "select", "option", "textarea", "button", "input", "head", "link",
    "meta", "title", "map", "dialog",
];

fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl Tree {
    pub fn build(html: &Html) -> Tree {
        use ego_tree_edge::walk;
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<u32> = Vec::new();
        let mut skip_depth = 0usize; // >0 while inside a dropped element
        walk(html, |ev| match ev {
            Ev::Open(n) => match n {
                SNode::Element(el) => {
                    let tag = el.name();
                    if skip_depth > 0 || DROP.contains(&tag) {
                        skip_depth += 1;
                        return;
                    }
                    let mut names = String::new();
                    for a in ["class", "id"] {
                        if let Some(v) = el.attr(a) {
                            names.push_str(&clip(v, 128).to_ascii_lowercase());
                            names.push(' ');
                        }
                    }
                    if let Some(v) = el.attr("itemprop") {
                        names.push_str("itemprop-");
                        names.push_str(&clip(v, 64).to_ascii_lowercase());
                    }
                    let style = el.attr("style").map(|s| clip(s, 256).to_ascii_lowercase());
                    let hidden = el.attr("hidden").is_some()
                        || el
                            .attr("aria-hidden")
                            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                        || style.as_deref().is_some_and(|s| {
                            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                            s.contains("display:none") || s.contains("visibility:hidden")
                        });
                    let role = el
                        .attr("role")
                        .map(|r| clip(r, 64).to_ascii_lowercase())
                        .unwrap_or_default();
                    let parent = stack.last().copied().unwrap_or(NONE);
                    let id = nodes.len() as u32;
                    if parent != NONE {
                        nodes[parent as usize].children.push(id);
                    }
                    nodes.push(Node {
                        tag: tag.to_ascii_lowercase().into(),
                        text: "".into(),
                        parent,
                        children: Vec::new(),
                        names: names.into(),
                        hidden,
                        role: role.into(),
                    });
                    stack.push(id);
                }
                SNode::Text(t) => {
                    if skip_depth > 0 {
                        return;
                    }
                    let Some(&parent) = stack.last() else { return };
                    let id = nodes.len() as u32;
                    nodes[parent as usize].children.push(id);
                    nodes.push(Node {
                        tag: "".into(),
                        text: t.text.as_ref().into(),
                        parent,
                        children: Vec::new(),
                        names: "".into(),
                        hidden: false,
                        role: "".into(),
                    });
                }
                _ => {}
            },
            Ev::Close(n) => {
                if let SNode::Element(_) = n {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else {
                        stack.pop();
                    }
                }
            }
        });
        Tree { nodes }
    }

    pub fn is_text(&self, i: u32) -> bool {
        self.nodes[i as usize].tag.is_empty()
    }

    pub fn tag(&self, i: u32) -> &str {
        &self.nodes[i as usize].tag
    }
}

pub(crate) enum Ev<'a> {
    Open(&'a SNode),
    Close(&'a SNode),
}

mod ego_tree_edge {
    use super::Ev;
    use scraper::Html;

    /// Visits the parsed tree in order without recursion.
    pub fn walk(html: &Html, mut f: impl FnMut(Ev)) {
        for edge in html.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(n) => f(Ev::Open(n.value())),
                ego_tree::iter::Edge::Close(n) => f(Ev::Close(n.value())),
            }
        }
    }
}
