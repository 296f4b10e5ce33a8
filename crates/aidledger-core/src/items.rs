//! Items of an event: named systems and generic equipment with their quantities
//! ("deux des huit systèmes"), the origin of an item on the receiving side ("German
//! Leopard 2 tanks"), and the sentences after an event that spell out what it contains
//! or what it is worth. Part of the event stage (`events.rs`).

use std::ops::Range;

use aidledger_parse::{find_money, find_numbers};

use crate::doc::Doc;
use crate::events::{actor_codes, Event};
use crate::gazetteer::{CountryForm, Cue, Entry, Gazetteer, Mention};
use crate::{Item, Value};

/// The country an item comes from, named right before it: "German Leopard 2 tanks",
/// "U.S. Bradley vehicles", "chars allemands" (a demonym right after it, in French).
pub(crate) fn item_origin(
    doc: &Doc,
    gaz: &Gazetteer,
    ms: &[Mention],
    item_ms: &[Mention],
    name: &str,
) -> Option<String> {
    let named = |m: &Mention| match m.entry {
        Entry::Weapon(i) => gaz.weapons[i as usize].name == name,
        Entry::Equipment(i) => gaz.equipment[i as usize].name == name,
        _ => false,
    };
    let m = item_ms.iter().find(|m| named(m))?;
    // no word between the country and the item
    let w = doc.word_at(m.start);
    ms.iter()
        .filter(|c| {
            matches!(
                c.entry,
                Entry::Country(_, CountryForm::Demonym | CountryForm::Name)
            )
        })
        .find(|c| {
            (c.end <= m.start && doc.word_at(c.end) == w)
                || (doc.lang == crate::Lang::Fr
                    && c.start >= m.end
                    && doc.word_at(m.end) == doc.word_at(c.start))
        })
        .and_then(|c| actor_codes(gaz, c))
        .map(|(codes, _)| codes[0].clone())
}

/// "Le paquet comprend des HIMARS", "The package includes:" followed by a list: a
/// sentence that spells out what the aid just reported contains adds its items to that
/// event (and its span to the evidence). Returns whether it did, and whether a list opens.
pub fn continuation(
    doc: &Doc,
    gaz: &Gazetteer,
    si: usize,
    open_list: bool,
    ev: &mut Event,
) -> (bool, bool) {
    let r = doc.sentences[si].range.clone();
    let ms = doc.mentions_in(&r);
    let includes = ms
        .iter()
        .any(|m| matches!(m.entry, Entry::Cue(Cue::Includes, _)));
    let first = doc.orig_text(&r).trim_start().chars().next();
    // "- 4 HIMARS", "2. Stinger", "(1) the authority to ..."
    let list_item = open_list
        && (matches!(first, Some('-' | '*' | '•' | '–' | '—' | '('))
            || first.is_some_and(|c| c.is_ascii_digit()));
    let opens = doc.text()[r.clone()].trim_end().ends_with(':');
    // "It is worth $1 billion.": the amount of the aid just reported
    let worth = ms
        .iter()
        .any(|m| matches!(m.entry, Entry::Cue(Cue::Worth, _)));
    if worth && ev.value.is_none() {
        let value = find_money(&doc.text()[r.clone()], doc.lang)
            .into_iter()
            .find_map(|m| {
                m.value.currency.map(|c| Value {
                    amount: m.value.amount,
                    currency: c,
                })
            });
        if value.is_some() {
            ev.value = value;
            ev.extra_spans.push(r);
            return (true, opens);
        }
    }
    if !(includes || list_item) {
        return (false, false);
    }
    let item_ms: Vec<&Mention> = ms
        .iter()
        .filter(|m| matches!(m.entry, Entry::Weapon(_) | Entry::Equipment(_)))
        .collect();
    let numbers: Vec<(Range<usize>, f64)> = find_numbers(&doc.text()[r.clone()], doc.lang)
        .into_iter()
        .map(|f| (f.start + r.start..f.end + r.start, f.value))
        .filter(|(s, _)| {
            !ms.iter()
                .any(|m| matches!(m.entry, Entry::Weapon(_)) && m.start < s.end && s.start < m.end)
        })
        .collect();
    let (mut items, _) = items_with_quantities(doc, gaz, &item_ms, &numbers, false);
    let funding = items
        .iter()
        .any(|i| i.category.as_deref() == Some("funding"));
    items.retain(|i| i.category.as_deref() != Some("funding"));
    // an item of a list under an event without an amount may state it ("(2) the
    // authority ... to direct the drawdown of up to $100 million in defense articles")
    if list_item && ev.value.is_none() && (funding || !items.is_empty()) {
        ev.value = find_money(&doc.text()[r.clone()], doc.lang)
            .into_iter()
            .find_map(|m| {
                m.value.currency.map(|c| Value {
                    amount: m.value.amount,
                    currency: c,
                })
            });
        if ev.value.is_some() && items.is_empty() {
            ev.extra_spans.push(r);
            return (true, opens || open_list);
        }
    }
    if items.is_empty() {
        return (opens && includes, opens && includes);
    }
    for it in items {
        match ev.items.iter_mut().find(|i| i.name == it.name) {
            Some(ex) => {
                if ex.quantity.is_none() {
                    ex.quantity = it.quantity;
                }
            }
            None => ev.items.push(it),
        }
    }
    ev.extra_spans.push(r);
    (true, opens || (list_item && open_list))
}

/// Items of a head with quantities read from the numbers right before each item
/// ("deux des huit systèmes ... NASAMS" gives 2, and 8 as the total).
pub(crate) fn items_with_quantities(
    doc: &Doc,
    gaz: &Gazetteer,
    item_ms: &[&Mention],
    numbers: &[(Range<usize>, f64)],
    secondary: bool,
) -> (Vec<Item>, Option<u64>) {
    let mut items: Vec<Item> = Vec::new();
    let mut total = None;
    for (k, m) in item_ms.iter().enumerate() {
        let (name, category, named) = match m.entry {
            Entry::Weapon(i) => (
                &gaz.weapons[i as usize].name,
                &gaz.weapons[i as usize].category,
                true,
            ),
            Entry::Equipment(i) => (
                &gaz.equipment[i as usize].name,
                &gaz.equipment[i as usize].category,
                false,
            ),
            _ => continue,
        };
        if category == "not_aid" {
            continue;
        }
        // a generic phrase right next to a named system describes it: keep the name only
        if !named {
            let next_named = item_ms.get(k + 1).is_some_and(|n| {
                matches!(n.entry, Entry::Weapon(_)) && n.start.saturating_sub(m.end) <= 4
            });
            // "six NASAMS air defense systems": the phrase after the name too
            let prev_named = k > 0
                && matches!(item_ms[k - 1].entry, Entry::Weapon(_))
                && m.start.saturating_sub(item_ms[k - 1].end) <= 1;
            if next_named || prev_named {
                continue;
            }
        }
        // where the item phrase starts, including a generic phrase right before it
        let mut start = m.start;
        if named && k > 0 {
            let p = item_ms[k - 1];
            if matches!(p.entry, Entry::Equipment(_)) && m.start - p.end <= 4 {
                start = p.start;
            }
        }
        let mut qty = None;
        // a calibre ("105mm howitzers", "obus de 155 mm") is part of the item, not a count
        let caliber = |r: &Range<usize>| {
            let after = doc
                .text()
                .get(r.end..(r.end + 4).min(doc.text().len()))
                .unwrap_or("");
            let after = after.trim_start_matches([' ', '-']);
            after.starts_with("mm") || after.starts_with("millim")
        };
        while let Some(c) = numbers.iter().rev().find(|(r, _)| {
            r.end <= start && caliber(r) && doc.word_at(r.end) + 2 >= doc.word_at(start)
        }) {
            if c.0.start >= start {
                break;
            }
            start = c.0.start;
        }
        let numbers: Vec<&(Range<usize>, f64)> =
            numbers.iter().filter(|(r, _)| !caliber(r)).collect();
        let w = doc.word_at(start);
        // number directly before (allowing "de"/"of" in between: "150 obus")
        if let Some(n) = numbers.iter().rev().find(|(r, _)| {
            r.end <= start && doc.word_at(r.end.saturating_sub(1)) + 1 >= w.saturating_sub(1)
        }) {
            let nw = doc.word_at(n.0.start);
            let q = n.1;
            if (1.0..1e6).contains(&q) && q.fract() == 0.0 {
                qty = Some(q as u64);
                // "deux des huit": a part before "des" + the whole
                if nw >= 1 && doc.word_is(gaz, nw - 1, Cue::PartOf) {
                    if let Some(p) = numbers.iter().rev().find(|(r, _)| {
                        r.end <= doc.words[nw - 1].start
                            && doc.word_at(r.end.saturating_sub(1)) + 1 >= nw - 1
                    }) {
                        if p.1 >= 1.0 && p.1.fract() == 0.0 {
                            total = Some(q as u64);
                            qty = Some(p.1 as u64);
                        }
                    }
                }
            }
        }
        if secondary {
            qty = total.or(qty);
        }
        if let Some(ex) = items.iter_mut().find(|i| i.name == *name) {
            if ex.quantity.is_none() {
                ex.quantity = qty;
            }
            continue;
        }
        items.push(Item {
            name: name.clone(),
            quantity: qty,
            category: Some(category.clone()),
        });
        let _ = named;
    }
    (items, total)
}
