//! Reading files: lines of bounded length, file types by name, gzip by name or magic
//! bytes.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use super::{problem, InputProblem, ProblemKind, READ_BUFFER};

// ---------------------------------------------------------------------------------------
// Chunked line reading

/// Result of [`read_line_limited`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRead {
    /// End of input, nothing read.
    Eof,
    /// A line (without its `\n`) is in the buffer; `consumed` counts the `\n` too.
    Line { consumed: u64 },
    /// The line was longer than the limit: it was read and discarded; `len` is its length
    /// without the `\n`. The buffer is empty.
    TooLong { len: u64, consumed: u64 },
}

/// Reads one line into `buf` (cleared first), holding at most `max` bytes of it: a longer
/// line is consumed in chunks up to its newline and discarded. A final line without a
/// newline counts as a line. A `\r` before the newline is kept (JSON treats it as space).
pub fn read_line_limited<R: BufRead + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: u64,
) -> io::Result<LineRead> {
    buf.clear();
    let mut len: u64 = 0; // line length so far, without newline
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(if len == 0 && !too_long {
                LineRead::Eof
            } else if too_long {
                LineRead::TooLong { len, consumed: len }
            } else {
                LineRead::Line { consumed: len }
            });
        }
        let (content, found) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i, true),
            None => (avail.len(), false),
        };
        if !too_long {
            if len + content as u64 > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&avail[..content]);
            }
        }
        len += content as u64;
        r.consume(content + found as usize);
        if found {
            return Ok(if too_long {
                LineRead::TooLong {
                    len,
                    consumed: len + 1,
                }
            } else {
                LineRead::Line { consumed: len + 1 }
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// File types

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Jsonl,
    Text,
    Html,
    Warc,
}

/// Kind by name, and whether the name says gzip. `None`: not a document file.
pub(crate) fn kind_by_name(path: &Path) -> Option<(Kind, bool)> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let (inner, gz) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let ext = match inner.rfind('.') {
        Some(i) if i > 0 => &inner[i + 1..],
        _ => "",
    };
    match ext {
        "jsonl" | "json" | "ndjson" => Some((Kind::Jsonl, gz)),
        "txt" | "text" | "md" => Some((Kind::Text, gz)),
        "html" | "htm" | "xhtml" => Some((Kind::Html, gz)),
        "warc" => Some((Kind::Warc, gz)),
        _ if gz => Some((Kind::Jsonl, true)),
        _ => None,
    }
}

/// Id of a text file: its name without the `.gz` and the last extension.
pub(crate) fn text_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stdin".into());
    let name = if name.to_ascii_lowercase().ends_with(".gz") {
        name[..name.len() - 3].to_string()
    } else {
        name
    };
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_string(),
        _ => name,
    }
}

pub(crate) type Stream = Box<dyn BufRead + Send>;

/// Wraps a raw stream: decodes gzip when the name says so or the magic bytes are there.
/// `Ok(None)` for an empty stream.
pub(crate) fn open_stream(
    raw: Box<dyn Read + Send>,
    gz_by_name: bool,
) -> io::Result<Option<(Stream, bool)>> {
    let mut inner = BufReader::with_capacity(READ_BUFFER, raw);
    let head = loop {
        match inner.fill_buf() {
            Ok(b) => break b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    if head.is_empty() {
        return Ok(None);
    }
    let gz = gz_by_name || head.starts_with(&[0x1f, 0x8b]);
    if gz {
        Ok(Some((
            Box::new(BufReader::with_capacity(
                READ_BUFFER,
                MultiGzDecoder::new(inner),
            )),
            true,
        )))
    } else {
        Ok(Some((Box::new(inner), false)))
    }
}

pub(crate) fn read_failure(gz: bool, e: &io::Error) -> InputProblem {
    if gz {
        problem(
            ProblemKind::CorruptGzip,
            format!("corrupt or truncated gzip data ({e}); rest of file skipped"),
        )
    } else {
        problem(
            ProblemKind::ReadError,
            format!("read error ({e}); rest of file skipped"),
        )
    }
}
