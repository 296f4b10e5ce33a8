//! `aidledger text`: the main text of a web page, as extract and ingest read it.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};

use flate2::bufread::MultiGzDecoder;

use crate::cli::{TextArgs, TextFormat};
use crate::input::thousands;
use crate::Fatal;

/// Language of a page: the one it declares, else the one its text reads as (French or
/// English only; `None` for anything else or too little text).
pub fn page_lang(page: &aidledger_html::Page) -> (Option<String>, &'static str) {
    if let Some(l) = &page.lang {
        return (Some(l.clone()), "html");
    }
    let folded = aidledger_parse::fold(&page.text());
    let got = aidledger_core::langid::LangId::new().detect(&folded);
    match got.as_deref() {
        Some("fr") | Some("en") => (got, "detected"),
        _ => (None, "unknown"),
    }
}

pub fn run(args: TextArgs) -> Result<(), Fatal> {
    let name = args.input.display().to_string();
    let raw: Box<dyn Read> = if name == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(
            File::open(&args.input)
                .map_err(|e| Fatal::Usage(format!("{name}: cannot open: {e}")))?,
        )
    };
    let mut head = BufReader::new(raw);
    let gz = {
        use std::io::BufRead;
        let b = head
            .fill_buf()
            .map_err(|e| Fatal::Io(format!("{name}: {e}")))?;
        b.starts_with(&[0x1f, 0x8b])
    };
    let stream: Box<dyn Read> = if gz {
        Box::new(MultiGzDecoder::new(head))
    } else {
        Box::new(head)
    };
    let max = args.max_doc_bytes;
    let mut bytes = Vec::new();
    stream
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Fatal::Io(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(Fatal::Io(format!(
            "{name}: larger than --max-doc-bytes ({} bytes)",
            thousands(max)
        )));
    }
    let page = aidledger_html::read_page(
        &bytes,
        &aidledger_html::PageOptions {
            url: args.url.as_deref(),
            ..Default::default()
        },
    );
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let text = if args.body {
        page.body.clone()
    } else {
        page.text()
    };
    let res = match args.format {
        TextFormat::Text => {
            if text.is_empty() {
                writeln!(io::stderr(), "warning: {name}: no article text found").ok();
                Ok(())
            } else {
                writeln!(out, "{text}")
            }
        }
        TextFormat::Json => {
            let (lang, lang_from) = page_lang(&page);
            let v = serde_json::json!({
                "title": page.title,
                "published": page.published,
                "published_from": page.published_from.map(|d| d.as_str()),
                "lang": lang,
                "lang_from": lang_from,
                "url": page.url,
                "domain": page.domain,
                "encoding": page.encoding,
                "body": page.body,
                "text": text,
            });
            writeln!(out, "{v}")
        }
    };
    match res.and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Fatal::BrokenPipe),
        Err(e) => Err(Fatal::Io(format!("text: {e}"))),
    }
}
