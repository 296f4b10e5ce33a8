//! The documents reader of the `aidledger` command on any bytes: one JSONL line through
//! `parse_jsonl_document`, then the whole input as a file through `InputReader` in each
//! format (JSONL, text, HTML, WARC, by name). No panic, no hang, and every document it
//! lets through has an id the store accepts and a text without NUL.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use aidledger_cli::input::{parse_jsonl_document, Format, InputReader, InputSpec, ReaderOptions};
use aidledger_core::Document;
use libfuzzer_sys::fuzz_target;

const FORMATS: [(Format, &str); 6] = [
    (Format::Auto, "docs.jsonl"),
    (Format::Auto, "notes.txt"),
    (Format::Jsonl, "input"),
    (Format::Text, "input"),
    (Format::Html, "input"),
    (Format::Warc, "input"),
];

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("aidledger-fuzz-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("scratch folder");
        d
    })
}

fn check(doc: &Document) {
    assert!(
        aidledger_store::check_document_id(&doc.id).is_ok(),
        "a document with the id {:?} got through",
        doc.id
    );
    assert!(!doc.text.contains('\0'), "a text with NUL got through");
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    for line in rest.split(|&b| b == b'\n') {
        if let Ok((doc, _warnings)) = parse_jsonl_document(line) {
            check(&doc);
        }
    }
    let (format, name) = FORMATS[usize::from(flags & 7) % FORMATS.len()];
    let path = scratch().join(name);
    std::fs::write(&path, rest).expect("scratch file");
    let opts = ReaderOptions {
        // small enough that the fuzzer reaches the "too large" paths
        max_doc_bytes: if flags & 8 != 0 { 64 } else { 1 << 20 },
        format,
        default_published: (flags & 16 != 0).then(|| "2022-08-24".to_string()),
        later_duplicate_wins: flags & 32 != 0,
    };
    // (a reader that never ends is caught by libFuzzer's -timeout)
    for item in InputReader::new(vec![InputSpec::Path(path)], opts) {
        if let Ok(doc) = &item.result {
            check(doc);
        }
    }
});
