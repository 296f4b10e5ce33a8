//! Per-stage throughput of the extraction pipeline (issue 9), on a short news article in
//! each language (`benches/texts/{en,fr}.txt`, written for this benchmark).
//!
//! Every benchmark reports `Throughput::Bytes` of the *original* article text, so the
//! figures of the stages can be compared with each other and with the whole
//! `Extractor::extract`. Stages that work on folded text get it prepared outside the
//! timed loop.
//!
//! ```text
//! cargo bench -p aidledger-core --bench stages              # full run, about 1 minute
//! cargo bench -p aidledger-core --bench stages -- --quick   # quick run
//! cargo bench -p aidledger-core --bench stages -- fr/       # one language
//! ```

use std::hint::black_box;
use std::time::Duration;

use aidledger_core::gazetteer::Gazetteer;
use aidledger_core::segment::Segmenter;
use aidledger_core::text::{fold_chain, normalize};
use aidledger_core::{Document, ExtractOptions, Extractor, Lang};
use aidledger_parse::Prefer;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const TEXTS: [(&str, Lang, &str); 2] = [
    ("en", Lang::En, include_str!("texts/en.txt")),
    ("fr", Lang::Fr, include_str!("texts/fr.txt")),
];

/// Publication date of both articles, used to resolve relative dates ("mardi", "last week").
const PUBLISHED: &str = "2024-03-14";

fn stages(c: &mut Criterion) {
    let extractor = Extractor::new().expect("data files compile");
    let gazetteer = Gazetteer::load().expect("gazetteer loads");
    let segmenter = Segmenter::new();
    let chain = fold_chain();
    let reference = Some(jiff::civil::date(2024, 3, 14));
    let opts = ExtractOptions::default();

    for (code, lang, text) in TEXTS {
        let mut g = c.benchmark_group(code);
        g.throughput(Throughput::Bytes(text.len() as u64));

        let norm = normalize(text, &chain);
        // sanity: the stages find something in these texts, so they do real work
        assert!(segmenter.split(&norm, text, lang).len() > 10);
        assert!(gazetteer.find(&norm, text, lang).len() > 20);
        let folded = norm.text.as_str();
        assert!(!aidledger_parse::find_money(folded, lang).is_empty());

        g.bench_function("normalize", |b| {
            b.iter(|| normalize(black_box(text), &chain))
        });
        g.bench_function("segment", |b| {
            b.iter(|| segmenter.split(black_box(&norm), text, lang))
        });
        g.bench_function("gazetteer", |b| {
            b.iter(|| gazetteer.find(black_box(&norm), text, lang))
        });
        g.bench_function("find_numbers", |b| {
            b.iter(|| aidledger_parse::find_numbers(black_box(folded), lang))
        });
        g.bench_function("find_money", |b| {
            b.iter(|| aidledger_parse::find_money(black_box(folded), lang))
        });
        g.bench_function("find_times", |b| {
            b.iter(|| aidledger_parse::find_times(black_box(folded), lang, reference, Prefer::Past))
        });

        let doc = Document {
            id: format!("bench-{code}"),
            text: text.to_string(),
            published: Some(PUBLISHED.to_string()),
            lang: Some(code.to_string()),
            ..Document::default()
        };
        let records = extractor.extract(&doc, &opts).expect("fr/en").records;
        assert!(!records.is_empty(), "{code}: no records");
        g.bench_function("extract", |b| {
            b.iter(|| extractor.extract(black_box(&doc), &opts))
        });
        // the same without the "lang" field: language identification included
        let undetected = Document {
            lang: None,
            ..doc.clone()
        };
        g.bench_function("extract_langid", |b| {
            b.iter(|| extractor.extract(black_box(&undetected), &opts))
        });
        g.finish();
    }
}

fn config() -> Criterion {
    // 16 benchmarks: about 50 s in all with these times, well under that with --quick
    Criterion::default()
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = stages
}
criterion_main!(benches);
