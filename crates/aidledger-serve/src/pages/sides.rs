//! The sides of the war (data/lexicon/belligerents.tsv): aid to Ukraine and supplies to
//! Russia are shown apart, never in one donor list.
//!
//! The file lists the parties that fight (`fighting`) and, for each donor, the parties
//! it never arms. A commitment is on the side of its recipient when the recipient
//! fights; else on the side its donor is not barred from (Iran, barred from arming
//! Ukraine, supplies Russia's side); else it is aid to someone else.

use std::sync::OnceLock;

const BELLIGERENTS: &str = include_str!("../../../../data/lexicon/belligerents.tsv");

struct Sides {
    /// The parties that fight, in file order.
    fighting: Vec<String>,
    /// (donor, recipient) pairs that never happen.
    barred: Vec<(String, String)>,
}

fn sides() -> &'static Sides {
    static S: OnceLock<Sides> = OnceLock::new();
    S.get_or_init(|| {
        let mut fighting: Vec<String> = Vec::new();
        let mut barred = Vec::new();
        for line in BELLIGERENTS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols.len() < 2 {
                continue;
            }
            if cols.get(2) == Some(&"fighting") && !fighting.iter().any(|f| f == cols[0]) {
                fighting.push(cols[0].to_string());
            }
            barred.push((cols[0].to_string(), cols[1].to_string()));
        }
        Sides { fighting, barred }
    })
}

/// The fighting party that aid from `donor` to `recipient` supports (`UKR`, `RUS`), if
/// any.
pub fn side_of(donor: &str, recipient: Option<&str>) -> Option<&'static str> {
    let s = sides();
    let donor = donor.trim().to_uppercase();
    let recipient = recipient.map(|r| r.trim().to_uppercase());
    if let Some(r) = &recipient {
        if let Some(f) = s.fighting.iter().find(|f| *f == r) {
            return Some(f.as_str());
        }
        return None;
    }
    // no recipient named: a donor that fights supplies itself; one barred from arming
    // a fighting party supplies the other one
    if let Some(f) = s.fighting.iter().find(|f| **f == donor) {
        return Some(f.as_str());
    }
    let barred: Vec<&String> = s
        .fighting
        .iter()
        .filter(|f| s.barred.iter().any(|(d, r)| *d == donor && r == *f))
        .collect();
    match barred.as_slice() {
        [one] => s.fighting.iter().find(|f| f != one).map(String::as_str),
        _ => None,
    }
}

/// The heading of a side's section.
pub fn heading(side: Option<&str>) -> String {
    match side {
        Some("UKR") => "Aid to Ukraine".into(),
        Some("RUS") => "Supplies to Russia".into(),
        Some(other) => format!("Aid to {other}"),
        None => "Aid to other recipients".into(),
    }
}

/// Sections in this order: Ukraine, Russia, any other fighting party, then the rest.
pub fn order(side: Option<&str>) -> (usize, String) {
    match side {
        Some("UKR") => (0, String::new()),
        Some("RUS") => (1, String::new()),
        Some(o) => (2, o.to_string()),
        None => (3, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_from_the_belligerents_file() {
        assert_eq!(side_of("USA", Some("UKR")), Some("UKR"));
        assert_eq!(side_of("IRN", Some("RUS")), Some("RUS"));
        assert_eq!(side_of("prk", Some("rus")), Some("RUS"));
        // no recipient: Iran and North Korea never arm Ukraine, so they supply Russia
        assert_eq!(side_of("IRN", None), Some("RUS"));
        assert_eq!(side_of("PRK", None), Some("RUS"));
        assert_eq!(side_of("GBR", None), Some("UKR"));
        assert_eq!(side_of("USA", Some("ISR")), None);
        assert_eq!(side_of("CHE", None), None);
        assert_eq!(heading(Some("RUS")), "Supplies to Russia");
    }
}
