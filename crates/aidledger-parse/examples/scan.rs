//! Prints what the scanners find in a text read from stdin (folded first):
//! `scan --lang fr|en [--ref 2022-10-12] [--prefer past|future]`.

use aidledger_parse::{find_money, find_numbers, find_times, fold, Lang, Prefer};
use jiff::civil::Date;
use std::io::Read;

fn main() {
    let mut lang = Lang::En;
    let mut reference: Option<Date> = None;
    let mut prefer = Prefer::Past;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().map(String::as_str).unwrap_or_default();
        match a.as_str() {
            "--lang" => lang = if v == "fr" { Lang::Fr } else { Lang::En },
            "--ref" => reference = Some(v.parse().unwrap_or_else(|e| panic!("bad --ref {v}: {e}"))),
            "--prefer" => {
                prefer = if v == "future" {
                    Prefer::Future
                } else {
                    Prefer::Past
                }
            }
            _ => panic!("unknown argument {a}"),
        }
    }
    let mut raw = String::new();
    std::io::stdin().read_to_string(&mut raw).expect("stdin");
    let text = fold(&raw);
    let t0 = std::time::Instant::now();
    let nums = find_numbers(&text, lang);
    let t1 = std::time::Instant::now();
    let money = find_money(&text, lang);
    let t2 = std::time::Instant::now();
    let times = find_times(&text, lang, reference, prefer);
    let t3 = std::time::Instant::now();
    let elapsed = format!(
        "numbers {:?}, money {:?}, times {:?}",
        t1 - t0,
        t2 - t1,
        t3 - t2
    );
    for f in &nums {
        println!("NUM   {:?} = {}", &text[f.start..f.end], f.value);
    }
    for f in &money {
        println!(
            "MONEY {:?} = {} {:?}",
            &text[f.start..f.end],
            f.value.amount,
            f.value.currency
        );
    }
    for f in &times {
        println!(
            "TIME  {:?} = {} ({:?}, end {:?})",
            &text[f.start..f.end],
            f.value.record_date(),
            f.value.grain,
            f.value.end
        );
    }
    eprintln!("{} bytes: {elapsed}", text.len());
}
