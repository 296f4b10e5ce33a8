//! What a record item is about: named system, generic phrase or vague aid word, and the
//! normalised keys commitments are grouped by.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Normalised key of a named system: lowercase, without spaces, hyphens, dots,
/// slashes or underscores (SCHEMA.md: "matching ignores case, spaces and hyphens").
/// `IRIS-T`, `Iris T` and `irist` are one system.
pub(crate) fn system_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '‑' | '–' | '.' | '/' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Normalised key of a generic phrase: lowercase, hyphens as spaces, one space between
/// words, British spellings made American (`defence`, `armour`) and every word made
/// singular by a plain English rule (`systems` → `system`, `supplies` → `supply`).
/// `air defence systems` and `air-defense system` are one phrase.
pub(crate) fn generic_key(name: &str) -> String {
    let lower = name.to_lowercase().replace(['-', '‐', '‑', '–', '_'], " ");
    lower
        .split_whitespace()
        .map(|w| singular(&american(w)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn american(word: &str) -> String {
    match word {
        "defence" => "defense".into(),
        "defences" => "defenses".into(),
        "armour" => "armor".into(),
        "armoured" => "armored".into(),
        "armours" => "armors".into(),
        _ => word.to_string(),
    }
}

fn singular(word: &str) -> String {
    let n = word.chars().count();
    if n > 4 && word.ends_with("ies") {
        format!("{}y", &word[..word.len() - 3])
    } else if n > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// Generic phrases so vague that one commitment each would flood the ledger with lines
/// that say nothing ("USA → UKR, weapons", "USA → UKR, military aid", ...). Items with
/// these phrases are grouped per (donor, recipient, category) instead. Written as
/// [`generic_key`] gives them.
const VAGUE: &[&str] = &[
    "aid",
    "aid package",
    "advanced weapon",
    "arm",
    "assistance",
    "defense aid",
    "defense assistance",
    "defensive equipment",
    "defensive weapon",
    "equipment",
    "help",
    "lethal aid",
    "lethal defensive weapon",
    "lethal weapon",
    "materiel",
    "military aid",
    "military aid package",
    "military assistance",
    "military equipment",
    "military hardware",
    "military package",
    "military support",
    "military supply",
    "nato standard weapon",
    "non lethal aid",
    "offensive weapon",
    "package",
    "security aid",
    "security assistance",
    "security assistance package",
    "soviet era weapon",
    "support",
    "supply",
    "weapon",
    "weapon and equipment",
    "weapon package",
    "weaponry",
    "weapon system",
    "western weapon",
];

/// Whether a generic phrase (as [`generic_key`] gives it) is one of the vague words.
pub(crate) fn is_vague(key: &str) -> bool {
    VAGUE.contains(&key)
}

/// Display name of the commitment that groups the vague items of one category.
pub(crate) fn vague_label(category: &str) -> String {
    match category {
        "other" => "military aid (unspecified)".to_string(),
        c => format!("{} (unspecified)", c.replace('_', " ")),
    }
}

/// What an item is to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Named,
    Generic,
    /// Category `not_aid` ("nuclear weapons"): never aid, ignored.
    Ignored,
}

/// Names the project's gazetteer knows, as (named systems, generic phrases), both by
/// [`system_key`]. Loaded once; empty if the data cannot be read (then the
/// capitalisation rule alone decides).
fn gazetteer_names() -> &'static (HashSet<String>, HashSet<String>) {
    static NAMES: OnceLock<(HashSet<String>, HashSet<String>)> = OnceLock::new();
    NAMES.get_or_init(|| match aidledger_core::gazetteer::Gazetteer::load() {
        Ok(g) => (
            g.weapons.iter().map(|w| system_key(&w.name)).collect(),
            g.equipment.iter().map(|e| system_key(&e.name)).collect(),
        ),
        Err(_) => (HashSet::new(), HashSet::new()),
    })
}

/// Named or generic: a name of the weapons gazetteer is named, a phrase of the
/// equipment gazetteer is generic ("MANPADS", "Western weapons", "Foreign Military
/// Financing" start with a capital yet are generic), and any other name is named when
/// it starts with a capital letter or a digit (SCHEMA.md's canonical names), generic
/// otherwise.
pub(crate) fn item_kind(name: &str, category: Option<&str>) -> ItemKind {
    if category.is_some_and(|c| c.trim().eq_ignore_ascii_case("not_aid")) {
        return ItemKind::Ignored;
    }
    let key = system_key(name);
    if key.is_empty() {
        return ItemKind::Ignored;
    }
    let (weapons, equipment) = gazetteer_names();
    if weapons.contains(&key) {
        return ItemKind::Named;
    }
    if equipment.contains(&key) {
        return ItemKind::Generic;
    }
    match name.trim().chars().next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => ItemKind::Named,
        _ => ItemKind::Generic,
    }
}

/// What a document without a named outlet or address counts as: all such documents
/// together are one outlet, never one each (an article id is no outlet).
pub const UNKNOWN_OUTLET: &str = "unknown outlet";

/// Normalised outlet: the source trimmed, lowercase, without a leading `www.`; else the
/// host of the document's address; else [`UNKNOWN_OUTLET`].
pub(crate) fn outlet(source: Option<&str>, url: Option<&str>) -> String {
    let clean = |s: &str| {
        let s = s.trim().to_lowercase();
        let s = s.strip_prefix("www.").map(str::to_string).unwrap_or(s);
        (!s.is_empty()).then_some(s)
    };
    source
        .and_then(clean)
        .or_else(|| {
            let rest = url?.trim().split_once("://")?.1;
            let host = rest.split(['/', '?', '#']).next()?;
            let host = host.rsplit('@').next()?.split(':').next()?;
            clean(host).filter(|h| h.contains('.'))
        })
        .unwrap_or_else(|| UNKNOWN_OUTLET.to_string())
}

/// Donor and recipient codes: trimmed, uppercase.
pub(crate) fn party(code: &str) -> String {
    code.trim().to_uppercase()
}

/// FNV-1a 64-bit hash of `text`, as 16 lowercase hex digits.
pub(crate) fn fnv1a64_hex(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_names_ignore_case_spaces_hyphens() {
        assert_eq!(system_key("IRIS-T"), system_key("Iris T"));
        assert_eq!(system_key("PzH 2000"), "pzh2000");
    }

    #[test]
    fn generic_phrases_fold_spelling_and_plural() {
        assert_eq!(generic_key("air defence systems"), "air defense system");
        assert_eq!(generic_key("Air-defense system"), "air defense system");
        assert_eq!(generic_key("medical supplies"), "medical supply");
        assert_eq!(generic_key("weapons"), "weapon");
        assert!(is_vague(&generic_key("military aid")));
        assert!(is_vague(&generic_key("arms")));
        assert!(!is_vague(&generic_key("artillery ammunition")));
    }

    #[test]
    fn named_or_generic() {
        assert_eq!(item_kind("NASAMS", Some("air_defense")), ItemKind::Named);
        assert_eq!(
            item_kind("155mm howitzer", Some("artillery")),
            ItemKind::Named
        );
        assert_eq!(item_kind("Some New System", None), ItemKind::Named);
        assert_eq!(
            item_kind("artillery ammunition", Some("ammunition")),
            ItemKind::Generic
        );
        assert_eq!(item_kind("MANPADS", Some("air_defense")), ItemKind::Generic);
        assert_eq!(
            item_kind("Western weapons", Some("other")),
            ItemKind::Generic
        );
        assert_eq!(
            item_kind("nuclear weapons", Some("not_aid")),
            ItemKind::Ignored
        );
        assert_eq!(item_kind("  ", None), ItemKind::Ignored);
    }

    #[test]
    fn fnv_known_values() {
        // Reference values of FNV-1a 64.
        assert_eq!(fnv1a64_hex(""), "cbf29ce484222325");
        assert_eq!(fnv1a64_hex("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn outlets() {
        assert_eq!(outlet(Some(" WWW.Lemonde.fr "), None), "lemonde.fr");
        assert_eq!(
            outlet(None, Some("https://www.Reuters.com/world/europe/x?y=1")),
            "reuters.com"
        );
        assert_eq!(
            outlet(Some(""), Some("https://user@news.example:8080/a")),
            "news.example"
        );
        // never the article id: documents without outlet or address are one unknown outlet
        assert_eq!(outlet(None, None), UNKNOWN_OUTLET);
        assert_eq!(outlet(Some("  "), Some("not a url")), UNKNOWN_OUTLET);
    }
}
