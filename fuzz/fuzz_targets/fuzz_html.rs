//! The HTML reader (aidledger-html) on any bytes under any declared charset: no panic,
//! and what it reports is well formed (a date shaped YYYY-MM or YYYY-MM-DD, a body
//! without NUL characters).
#![no_main]

use aidledger_html::{read_html, read_page, PageOptions};
use libfuzzer_sys::fuzz_target;

const CHARSETS: [Option<&str>; 6] = [
    None,
    Some("utf-8"),
    Some("windows-1252"),
    Some("iso-8859-1"),
    Some("shift_jis"),
    Some("no-such-charset"),
];
const URLS: [Option<&str>; 4] = [
    None,
    Some("https://example.com/2022/08/24/news/package.html"),
    Some("http://example.org/a?b=c#d"),
    Some("not a url"),
];

fn check(page: &aidledger_html::Page) {
    if let Some(d) = &page.published {
        let ok = d.len() >= 7
            && d.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            })
            && (d.len() == 7 || d.len() == 10);
        assert!(ok, "published {d:?} is not YYYY-MM or YYYY-MM-DD");
    }
    assert!(!page.body.contains('\0'), "NUL in the body");
    let _ = page.text();
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let opts = PageOptions {
        url: URLS[usize::from(flags >> 4) % URLS.len()],
        charset: CHARSETS[usize::from(flags & 15) % CHARSETS.len()],
        fallback_date: (flags & 0x80 != 0).then_some("2022-08-24T10:00:00Z"),
    };
    check(&read_page(rest, &opts));
    if let Ok(s) = std::str::from_utf8(rest) {
        check(&read_html(s, opts.url));
    }
});
