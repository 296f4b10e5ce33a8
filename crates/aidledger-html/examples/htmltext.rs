//! Development aid: the main text of the page on standard input (URL in `PAGE_URL`).
use std::io::Read;
fn main() {
    let mut b = Vec::new();
    std::io::stdin().read_to_end(&mut b).unwrap();
    let url = std::env::var("PAGE_URL").ok();
    let p = aidledger_html::read_page(&b, &aidledger_html::PageOptions { url: url.as_deref(), ..Default::default() });
    if std::env::var("NO_TITLE").is_ok() {
        print!("{}", p.body);
    } else {
        print!("{}", p.text());
    }
    if std::env::var("META").is_ok() {
        eprintln!("{:?} {:?} {:?} {:?} {:?}", p.title, p.published, p.published_from, p.lang, p.domain);
    }
}
