//! Tiny CLI around `run_parse_lines`, for the conformance checker:
//! `parse --lang fr|en --ref 2013-02-12T04:30:00 --prefer past|future < phrases`.

use aidledger_parse::{run_parse_lines, Lang, Prefer};
use jiff::civil::DateTime;

fn main() {
    let mut lang = Lang::En;
    let mut reference: DateTime = "2013-02-12T04:30:00".parse().expect("default reference");
    let mut prefer = Prefer::Past;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().map(String::as_str).unwrap_or_default();
        match a.as_str() {
            "--lang" => lang = if v == "fr" { Lang::Fr } else { Lang::En },
            "--ref" => reference = v.parse().unwrap_or_else(|e| panic!("bad --ref {v}: {e}")),
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
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    run_parse_lines(stdin.lock(), stdout.lock(), lang, reference, prefer).expect("I/O error");
}
