use aidledger_core::gazetteer::{flatten, Gazetteer};
use aidledger_core::text::{fold_chain, normalize};
use std::io::BufRead;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let f = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut texts = Vec::new();
    for line in f.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        texts.push(v["text"].as_str().unwrap_or("").to_string());
    }
    let g = Gazetteer::load().unwrap();
    let chain = fold_chain();
    let t = Instant::now();
    let norms: Vec<_> = texts.iter().map(|t| normalize(t, &chain)).collect();
    eprintln!("normalize {:?}", t.elapsed());
    let t = Instant::now();
    let flats: Vec<_> = norms.iter().map(|n| flatten(&n.text)).collect();
    eprintln!("flatten {:?}", t.elapsed());
    let bytes: usize = flats.iter().map(|f| f.len()).sum();
    let t = Instant::now();
    let mut n = 0;
    for f in &flats {
        n += g.hits(f).len();
    }
    eprintln!("hits {:?} bytes {} hits {}", t.elapsed(), bytes, n);
    let t = Instant::now();
    let mut nw = 0;
    for n in &norms {
        nw += aidledger_core::doc::tokenize(&n.text).len();
    }
    eprintln!("tokenize {:?} words {nw}", t.elapsed());
    let seg = aidledger_core::segment::Segmenter::new();
    let (mut cb, mut cd) = (0usize, 0usize);
    let t = Instant::now();
    for ((n, f), txt) in norms.iter().zip(&flats).zip(&texts) {
        let sents = seg.split(n, txt, aidledger_core::Lang::En);
        let c = aidledger_core::prefilter::candidates(&g.hits(f), aidledger_core::Lang::En, &sents);
        if c.iter().any(|&x| x) {
            cb += f.len();
            cd += 1;
        }
    }
    eprintln!("cand docs {cd} bytes {cb} of {bytes} ({:?})", t.elapsed());
}
#[allow(dead_code)]
fn unused() {}
