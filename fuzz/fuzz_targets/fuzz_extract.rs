//! The text pipeline (`Extractor::extract`) on any text, valid UTF-8 or bytes decoded
//! lossily: no panic, and every evidence span (and explained sentence) is a slice of the
//! document's text holding exactly the evidence text.
#![no_main]

use std::sync::OnceLock;

use aidledger_core::{Document, ExtractOptions, Extractor};
use libfuzzer_sys::fuzz_target;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::new().expect("the compiled-in data loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    // valid UTF-8 is read as it is, anything else as the reader of a web page would decode it
    let text = match std::str::from_utf8(rest) {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(rest).into_owned(),
    };
    let lang = match flags & 3 {
        0 => None,
        1 => Some("en".to_string()),
        2 => Some("fr".to_string()),
        _ => Some("de".to_string()),
    };
    let published = match (flags >> 2) & 3 {
        0 => None,
        1 => Some("2022-08-24".to_string()),
        2 => Some("2023-02".to_string()),
        _ => Some("not a date".to_string()),
    };
    let doc = Document {
        id: "fuzz".to_string(),
        text,
        published,
        source: None,
        url: None,
        title: None,
        lang,
    };
    let opts = ExtractOptions {
        explain: flags & 16 != 0,
    };
    let Ok(ex) = extractor().extract(&doc, &opts) else {
        return;
    };
    for r in &ex.records {
        assert_eq!(r.doc_id, doc.id);
        for e in &r.evidence {
            assert!(e.start <= e.end, "evidence {}..{}", e.start, e.end);
            assert_eq!(
                doc.text.get(e.start..e.end),
                Some(e.text.as_str()),
                "evidence {}..{} is not the slice it claims of a text of {} bytes",
                e.start,
                e.end,
                doc.text.len()
            );
        }
        assert!(
            r.confidence.is_finite() && (0.0..=1.0).contains(&r.confidence),
            "confidence {}",
            r.confidence
        );
    }
    for line in &ex.explain {
        assert_eq!(
            doc.text.get(line.start..line.end),
            Some(line.sentence.as_str())
        );
        if let Some(i) = line.record {
            assert!(
                i < ex.records.len(),
                "explain line names record {i} of {}",
                ex.records.len()
            );
        }
    }
});
