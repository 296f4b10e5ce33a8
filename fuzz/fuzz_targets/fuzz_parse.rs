//! The number, money and date parsers of aidledger-parse on any text: no panic, every
//! span a slice of the text it was found in, every figure finite.
#![no_main]

use aidledger_parse::{
    find_money, find_numbers, find_times, fold, parse_phrase, Found, Lang, Prefer,
};
use jiff::civil::date;
use libfuzzer_sys::fuzz_target;

fn check_spans<T>(text: &str, found: &[Found<T>], what: &str) {
    for f in found {
        assert!(
            f.start <= f.end && text.get(f.start..f.end).is_some(),
            "{what} span {}..{} is not a slice of a text of {} bytes",
            f.start,
            f.end,
            text.len()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let lang = if flags & 1 == 0 { Lang::En } else { Lang::Fr };
    let prefer = if flags & 2 == 0 {
        Prefer::Past
    } else {
        Prefer::Future
    };
    let reference = (flags & 4 == 0).then(|| date(2022, 8, 24));
    let raw = String::from_utf8_lossy(rest);
    let folded = fold(&raw);
    // the scanners are given folded text by the extractor; raw text must not break them either
    for text in [folded.as_str(), raw.as_ref()] {
        let numbers = find_numbers(text, lang);
        check_spans(text, &numbers, "number");
        for n in &numbers {
            assert!(
                n.value.is_finite(),
                "number {} from {:?}",
                n.value,
                &text[n.start..n.end]
            );
        }
        let money = find_money(text, lang);
        check_spans(text, &money, "money");
        for m in &money {
            assert!(
                m.value.amount.is_finite(),
                "amount {} from {:?}",
                m.value.amount,
                &text[m.start..m.end]
            );
        }
        let times = find_times(text, lang, reference, prefer);
        check_spans(text, &times, "time");
        for t in &times {
            if let Some(end) = t.value.end {
                assert!(
                    end >= t.value.start,
                    "interval ends before it starts: {:?}",
                    t.value
                );
            }
        }
    }
    let phrase = parse_phrase(&raw, lang, date(2013, 2, 12).at(4, 30, 0, 0), prefer);
    if let Some(n) = phrase.number {
        assert!(n.is_finite(), "phrase number {n}");
    }
    if let Some(m) = phrase.money {
        assert!(m.amount.is_finite(), "phrase amount {}", m.amount);
    }
});
