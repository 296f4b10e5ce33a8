//! Times the whole-document stages that run before the fast path decides, over every
//! text of a documents JSONL file (plain, not gzip): normalisation, the gazetteer's scan
//! (matches and words in one pass), segmentation and the candidate test. The criterion
//! benchmarks (`benches/stages.rs`) time one short article; this shows where a real
//! corpus spends its time. See BENCHMARKS.md.
//!
//!   gzip -dc ../shared/corpus/wh-briefings.jsonl.gz > /tmp/wh.jsonl
//!   cargo run --release -p aidledger-core --example stage_times -- /tmp/wh.jsonl [en|fr]

use std::io::BufRead;
use std::time::Instant;

use aidledger_core::gazetteer::Gazetteer;
use aidledger_core::segment::Segmenter;
use aidledger_core::text::{fold_chain, normalize};
use aidledger_core::{prefilter, Lang};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: stage_times DOCS.jsonl [en|fr]")?;
    let lang = match args.next().as_deref() {
        Some("fr") => Lang::Fr,
        _ => Lang::En,
    };
    let mut texts = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(&path)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        texts.push(v["text"].as_str().unwrap_or("").to_string());
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let gaz = Gazetteer::load().map_err(|e| e.to_string())?;
    let seg = Segmenter::new();
    let chain = fold_chain();
    let row = |name: &str, t: Instant| {
        let s = t.elapsed().as_secs_f64();
        println!(
            "{name:<24} {:>8.0} ms {:>8.0} MB/s",
            s * 1e3,
            bytes as f64 / s / 1e6
        );
    };
    println!(
        "{} documents, {:.1} MB of text",
        texts.len(),
        bytes as f64 / 1e6
    );

    let t = Instant::now();
    let norms: Vec<_> = texts.iter().map(|x| normalize(x, &chain)).collect();
    row("normalize", t);
    let t = Instant::now();
    let scans: Vec<_> = norms.iter().map(|n| gaz.scan(n.text.as_bytes())).collect();
    row("gazetteer scan", t);
    let t = Instant::now();
    let sentences: Vec<_> = norms
        .iter()
        .zip(&texts)
        .map(|(n, x)| seg.split(n, x, lang))
        .collect();
    row("segment", t);
    let t = Instant::now();
    let (mut docs, mut cand_bytes) = (0, 0);
    for ((s, sents), n) in scans.iter().zip(&sentences).zip(&norms) {
        if prefilter::candidates(&s.hits, lang, sents).contains(&true) {
            docs += 1;
            cand_bytes += n.text.len();
        }
    }
    row("candidate test", t);
    let hits: usize = scans.iter().map(|s| s.hits.len()).sum();
    let words: usize = scans.iter().map(|s| s.words.len()).sum();
    println!("{hits} alias matches, {words} words");
    println!(
        "{docs} documents ({:.0} % of the text) hold a candidate sentence",
        100.0 * cand_bytes as f64 / bytes.max(1) as f64
    );
    Ok(())
}
