//! WARC archives (`.warc`, `.warc.gz`): response records holding HTML pages become
//! documents, one at a time.
//!
//! The archive is read as a stream (gzip members one after the other), so memory stays
//! bounded by `--max-doc-bytes` whatever the archive's size: a record's block is read
//! up to that size, a larger one is skipped (read and discarded) as too large.
//!
//! - `response` records whose HTTP `Content-Type` is `text/html` or
//!   `application/xhtml+xml` (and `resource` records of those types) are pages: their
//!   text comes from `aidledger_html`, with `WARC-Target-URI` as the page's address and
//!   `WARC-Date` as the publication date when the page gives none. The document id is
//!   the record id (`<urn:uuid:...>` without its wrapping).
//! - other responses (images, PDF, JSON...) are skipped and counted ("not HTML");
//!   `warcinfo`, `request`, `metadata`, `revisit` and `conversion` records are not
//!   documents and pass silently.
//! - a damaged archive yields every record read before the damage, then one file-level
//!   problem saying where reading stopped (a truncated or corrupt gzip member, a record
//!   cut short, a header that is not WARC).

use std::io::{self, BufRead, Read};

use aidledger_core::Document;

use super::fields::{check_id, page_document};
use super::files::Stream;
use super::{problem, thousands, InputProblem, ProblemKind};

/// A WARC being read.
pub(crate) struct WarcSource {
    pub name: String,
    pub reader: Stream,
    pub gz: bool,
    pub file_index: u64,
    /// Records read whole so far (for messages).
    pub records: u64,
    /// Bytes of (decompressed) archive read so far.
    pub offset: u64,
    pub pages: u64,
}

/// What one step of [`WarcSource::next_record`] gives.
pub(crate) enum Step {
    /// A page made into a document (with the bytes of its record).
    Doc(Box<Document>, u64),
    /// A record skipped (not HTML, too large, no text...).
    Skip(InputProblem, u64),
    /// A record that is no document (warcinfo, request...): nothing to report.
    Pass,
    /// The archive cannot be read on: a problem for the rest of the file.
    Broken(InputProblem),
    End,
}

const MAX_HEADER_LINE: usize = 64 << 10;
const MAX_HEADER_LINES: usize = 512;

impl WarcSource {
    /// Reads one header line (without CRLF); `None` at the end of the archive.
    fn line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<()>> {
        buf.clear();
        let n = (&mut self.reader)
            .take(MAX_HEADER_LINE as u64 + 1)
            .read_until(b'\n', buf)?;
        self.offset += n as u64;
        if n == 0 {
            return Ok(None);
        }
        if buf.len() > MAX_HEADER_LINE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "header line longer than 64 KiB",
            ));
        }
        while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
            buf.pop();
        }
        Ok(Some(()))
    }

    fn broken(&self, what: String) -> Step {
        let kind = if self.gz {
            ProblemKind::CorruptGzip
        } else {
            ProblemKind::ReadError
        };
        Step::Broken(problem(
            kind,
            format!(
                "{what} in record {}, after {} (byte {} of the {}archive); rest of file skipped",
                thousands(self.records + 1),
                plural_records(self.records),
                thousands(self.offset),
                if self.gz { "decompressed " } else { "" }
            ),
        ))
    }

    fn io_broken(&self, e: &io::Error) -> Step {
        if self.gz && e.kind() != io::ErrorKind::InvalidData
            || e.kind() == io::ErrorKind::UnexpectedEof
        {
            self.broken(format!("truncated or corrupt data ({e})"))
        } else {
            self.broken(format!("unreadable record ({e})"))
        }
    }

    pub fn next_record(&mut self, max: u64) -> Step {
        let mut line = Vec::new();
        // version line, after any blank lines between records
        loop {
            match self.line(&mut line) {
                Ok(None) => return Step::End,
                Ok(Some(())) if line.is_empty() => continue,
                Ok(Some(())) => break,
                Err(e) => return self.io_broken(&e),
            }
        }
        if !line.starts_with(b"WARC/") {
            let shown = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
            return self.broken(format!("not a WARC record header ({shown:?})"));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            match self.line(&mut line) {
                Ok(None) => return self.broken("archive ends inside a record header".into()),
                Ok(Some(())) if line.is_empty() => break,
                Ok(Some(())) => {
                    if headers.len() >= MAX_HEADER_LINES {
                        return self.broken("record header of more than 512 lines".into());
                    }
                    let l = String::from_utf8_lossy(&line);
                    if let Some((k, v)) = l.split_once(':') {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                Err(e) => return self.io_broken(&e),
            }
        }
        let get = |k: &str| {
            headers
                .iter()
                .find(|(hk, _)| hk == k)
                .map(|(_, v)| v.as_str())
        };
        let Some(len) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return self.broken("record without a valid Content-Length".into());
        };
        let rtype = get("warc-type").unwrap_or("").to_ascii_lowercase();
        let ctype = get("content-type").unwrap_or("").to_ascii_lowercase();
        let is_response = rtype == "response" && ctype.starts_with("application/http");
        let is_resource = rtype == "resource" && is_html_type(&ctype);
        if !(is_response || is_resource) || len > max {
            // skip the block without holding it
            match io::copy(&mut (&mut self.reader).take(len), &mut io::sink()) {
                Ok(n) if n == len => {
                    self.offset += n;
                    self.records += 1;
                }
                Ok(n) => {
                    self.offset += n;
                    return self.broken("archive ends inside a record".into());
                }
                Err(e) => return self.io_broken(&e),
            }
            if !(is_response || is_resource) {
                return Step::Pass;
            }
            return Step::Skip(
                problem(
                    ProblemKind::TooLarge,
                    format!(
                        "record of {} bytes is larger than --max-doc-bytes ({} bytes)",
                        thousands(len),
                        thousands(max)
                    ),
                ),
                len,
            );
        }
        let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
        match (&mut self.reader).take(len).read_to_end(&mut block) {
            Ok(n) => {
                self.offset += n as u64;
                if (n as u64) < len {
                    return self.broken("archive ends inside a record".into());
                }
                self.records += 1;
            }
            Err(e) => return self.io_broken(&e),
        }
        let uri =
            get("warc-target-uri").map(|u| u.trim_matches(|c| c == '<' || c == '>').to_string());
        let date = get("warc-date").map(str::to_string);
        let id = get("warc-record-id")
            .map(|r| {
                let r = r.trim_matches(|c| c == '<' || c == '>');
                r.strip_prefix("urn:uuid:").unwrap_or(r).to_string()
            })
            .unwrap_or_else(|| format!("{}#{}", self.name, self.records));
        let (body, charset) = if is_response {
            match http_body(&block, max) {
                Ok(b) => b,
                Err((kind, why)) => {
                    return Step::Skip(problem(kind, format!("record {id}: {why}")), len)
                }
            }
        } else {
            (block, charset_param(&ctype))
        };
        if let Err(p) = check_id(&id) {
            return Step::Skip(p, len);
        }
        let page = aidledger_html::read_page(
            &body,
            &aidledger_html::PageOptions {
                url: uri.as_deref(),
                charset: charset.as_deref(),
                fallback_date: date.as_deref(),
            },
        );
        if page.body.trim().is_empty() {
            return Step::Skip(
                problem(
                    ProblemKind::BadText,
                    format!(
                        "record {id} ({}): no article text found in the page",
                        uri.as_deref().unwrap_or("no URI")
                    ),
                ),
                len,
            );
        }
        self.pages += 1;
        Step::Doc(Box::new(page_document(id, page)), len)
    }
}

fn plural_records(n: u64) -> String {
    format!("{} record{}", thousands(n), if n == 1 { "" } else { "s" })
}

fn is_html_type(ct: &str) -> bool {
    let mime = ct.split(';').next().unwrap_or("").trim();
    mime == "text/html" || mime == "application/xhtml+xml"
}

fn charset_param(ct: &str) -> Option<String> {
    aidledger_html::charset_of_content_type(ct)
}

/// The body of an HTTP response held in a record, and its charset, when it is HTML;
/// chunked transfer coding and gzip or deflate content coding are undone (never past
/// `max` bytes: a compression bomb stops there).
fn http_body(block: &[u8], max: u64) -> Result<(Vec<u8>, Option<String>), (ProblemKind, String)> {
    let not_html = |m: String| (ProblemKind::NotHtml, m);
    let end = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)))
        .ok_or_else(|| not_html("HTTP response without a header end".into()))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    if !status.starts_with("HTTP/") {
        return Err(not_html("not an HTTP response".into()));
    }
    let code: u32 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut ctype = String::new();
    let mut chunked = false;
    let mut coding = String::new();
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => ctype = v.trim().to_ascii_lowercase(),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                "content-encoding" => coding = v.trim().to_ascii_lowercase(),
                _ => {}
            }
        }
    }
    if !is_html_type(&ctype) {
        return Err(not_html(format!(
            "not HTML ({})",
            if ctype.is_empty() {
                "no Content-Type"
            } else {
                ctype.split(';').next().unwrap_or("")
            }
        )));
    }
    if !(200..300).contains(&code) {
        return Err(not_html(format!("HTTP status {code}, not a page")));
    }
    let mut body = block[end.1..].to_vec();
    if chunked {
        body = dechunk(&body).ok_or_else(|| not_html("broken chunked transfer coding".into()))?;
    }
    match coding.as_str() {
        "" | "identity" => {}
        "gzip" | "x-gzip" => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&body[..])
                .take(max + 1)
                .read_to_end(&mut out)
                .map_err(|e| not_html(format!("gzip content coding: {e}")))?;
            body = out;
        }
        "deflate" => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&body[..])
                .take(max + 1)
                .read_to_end(&mut out)
                .map_err(|e| not_html(format!("deflate content coding: {e}")))?;
            body = out;
        }
        other => return Err(not_html(format!("unsupported content coding {other}"))),
    }
    if body.len() as u64 > max {
        return Err((
            ProblemKind::TooLarge,
            format!(
                "page of more than {} bytes once decoded (--max-doc-bytes)",
                thousands(max)
            ),
        ));
    }
    Ok((body, charset_param(&ctype)))
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let nl = find(b, b"\r\n")?;
        let size_s = std::str::from_utf8(&b[..nl]).ok()?;
        let size = usize::from_str_radix(size_s.split(';').next()?.trim(), 16).ok()?;
        b = &b[nl + 2..];
        if size == 0 {
            return Some(out);
        }
        if b.len() < size {
            out.extend_from_slice(b);
            return Some(out);
        }
        out.extend_from_slice(&b[..size]);
        b = b.get(size + 2..).unwrap_or(&[]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}
