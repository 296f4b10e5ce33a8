//! Streaming reader for input documents.
//!
//! [`InputReader`] walks the inputs given on the command line in order and yields one
//! [`InputItem`] per document, per skipped document, and per file-level event (a file that
//! could not be read, a corrupt gzip stream, an empty file, a file ignored in a folder).
//! The extraction pipeline only ever sees documents that passed every check here.
//!
//! # Inputs
//!
//! - `-`: standard input, read as documents JSONL (gzip is recognised by its magic bytes).
//! - a file named `*.jsonl`, `*.json`, `*.ndjson`: documents JSONL, one JSON object per line.
//! - a file named `*.gz` (`*.jsonl.gz`, `*.json.gz`, `*.ndjson.gz`, plain `*.gz`): gzip
//!   compressed documents JSONL, decoded as a stream (concatenated gzip members are read
//!   one after the other). `*.txt.gz`, `*.text.gz`, `*.md.gz` are compressed text files.
//! - a file named `*.txt`, `*.text`, `*.md`: one document whose id is the file stem
//!   (`notes/kyiv.txt` → `kyiv`) and whose text is the whole file.
//! - a folder: walked recursively in sorted (byte-wise name) order. Files with other
//!   extensions and special files (pipes, sockets, devices) are ignored with a note; hidden
//!   entries (names starting with `.`) are skipped silently; symbolic links are followed,
//!   but a link back to a folder being walked (a loop) or to a folder already read is not.
//! - a file named explicitly with any other extension (or none, like `/dev/fd/63`) is read
//!   as documents JSONL. [`Format`] overrides the choice for stdin and explicitly named files.
//!
//! Every plain file, and stdin, is also checked for the gzip magic bytes, so compressed data
//! under another name is decoded too.
//!
//! # Checks on documents JSONL
//!
//! Blank lines are ignored. A UTF-8 byte order mark at the start of a file is dropped.
//! A line is skipped (yielding an item with an [`InputProblem`]) when it is longer than
//! the size limit (the line is read in chunks and discarded, never held whole), is not
//! valid UTF-8, is not valid JSON, is not a JSON object, has no non-empty string `id`
//! (a missing id is **not** derived from the line number: the scorer matches records to
//! documents by id, so a document without one is skipped), has no string `text`, or has a
//! `text` holding NUL characters. Optional fields (`published`, `source`, `url`, `title`,
//! `lang`) that are present but not strings, or a `published` that is not a date, are
//! dropped with a warning and the document is kept. A `published` written as a full
//! timestamp (`2024-10-11T08:00:00Z`) keeps its date part. A file whose first line starts
//! with `[` is a JSON array, not JSON Lines, and is skipped whole with a hint.
//!
//! Duplicate ids give a warning and the document is kept. To keep memory flat, ids are
//! remembered as 64-bit hashes (8 bytes per document).
//!
//! # Checks on text files
//!
//! The file is skipped when it is larger than the size limit, holds NUL bytes (binary
//! data), or is not valid UTF-8; the message names the line of the offending byte. A file
//! holding only whitespace gives an "empty file" note.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use aidledger_core::Document;
use flate2::bufread::MultiGzDecoder;

/// Default for `--max-doc-bytes`: 32 MiB.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 32 << 20;

const READ_BUFFER: usize = 256 << 10;

/// How to read stdin and files named explicitly on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// By file name (see the module documentation); stdin and unknown names are JSONL.
    #[default]
    Auto,
    /// Documents JSONL, whatever the name.
    Jsonl,
    /// One text document per input, whatever the name (stdin's id is `stdin`).
    Text,
}

/// Settings of an [`InputReader`].
#[derive(Debug, Clone)]
pub struct ReaderOptions {
    /// Largest accepted document: a JSONL line (without its line ending) or a text file.
    pub max_doc_bytes: u64,
    pub format: Format,
    /// Filled into `published` of every document that has none (`--published`).
    pub default_published: Option<String>,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            format: Format::Auto,
            default_published: None,
        }
    }
}

/// One input named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    Stdin,
    Path(PathBuf),
}

impl InputSpec {
    /// `-` is stdin, anything else a path.
    pub fn from_arg(arg: &std::ffi::OsStr) -> InputSpec {
        if arg == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(arg))
        }
    }
}

/// One thing the reader found: a document, a skipped document, or a file-level event.
#[derive(Debug)]
pub struct InputItem {
    /// Where it comes from: `path:line` for a JSONL line, `path` for a text file or a
    /// file-level event (`path:line` when the event happened at a known line).
    pub origin: String,
    /// Serial number of the file the item comes from (one per opened file or stdin), so
    /// that messages can be capped per file.
    pub file_index: u64,
    /// Bytes of (decompressed) input this item accounts for.
    pub bytes: u64,
    pub result: Result<Document, InputProblem>,
    /// Problems that did not stop the document: duplicate id, dropped optional fields.
    pub warnings: Vec<String>,
}

/// Why an input item is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub kind: ProblemKind,
    /// Human-readable detail, e.g. `not valid JSON (expected value at column 1)`.
    pub detail: String,
}

/// Kinds of [`InputProblem`]; see [`ProblemKind::level`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    // One document skipped.
    InvalidJson,
    NotObject,
    BadId,
    BadText,
    InvalidUtf8,
    TooLarge,
    Binary,
    // A whole file (or its rest) skipped.
    Unreadable,
    CorruptGzip,
    ReadError,
    DirectoryLoop,
    JsonArray,
    // Notes: nothing was lost.
    Empty,
    Ignored,
}

/// How serious a [`ProblemKind`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// One document was skipped.
    Document,
    /// A file, or the rest of it, was skipped.
    File,
    /// Nothing was lost (empty file, file of another type in a folder).
    Note,
}

impl ProblemKind {
    pub fn level(self) -> Level {
        use ProblemKind::*;
        match self {
            InvalidJson | NotObject | BadId | BadText | InvalidUtf8 | TooLarge | Binary => {
                Level::Document
            }
            Unreadable | CorruptGzip | ReadError | DirectoryLoop | JsonArray => Level::File,
            Empty | Ignored => Level::Note,
        }
    }

    /// Short label used in the summary line.
    pub fn label(self) -> &'static str {
        use ProblemKind::*;
        match self {
            InvalidJson => "not valid JSON",
            NotObject => "not a JSON object",
            BadId => "no valid id",
            BadText => "no valid text",
            InvalidUtf8 => "invalid UTF-8",
            TooLarge => "too large",
            Binary => "binary data",
            Unreadable => "unreadable",
            CorruptGzip => "corrupt gzip",
            ReadError => "read error",
            DirectoryLoop => "directory loop",
            JsonArray => "JSON array instead of JSON Lines",
            Empty => "empty",
            Ignored => "ignored",
        }
    }
}

fn problem(kind: ProblemKind, detail: impl Into<String>) -> InputProblem {
    InputProblem {
        kind,
        detail: detail.into(),
    }
}

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
// Field checks

/// Checks a publication date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (a real calendar date), or a
/// timestamp starting with `YYYY-MM-DD` followed by `T` or a space, whose date part is kept.
pub fn parse_published(s: &str) -> Result<String, String> {
    let t = s.trim();
    let bad = || format!("{s:?} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)");
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let date_part = if t.len() > 10
        && (t.as_bytes()[10] == b'T' || t.as_bytes()[10] == b' ')
        && t.is_char_boundary(10)
    {
        &t[..10]
    } else {
        t
    };
    let parts: Vec<&str> = date_part.split('-').collect();
    let ok_lens = match parts.len() {
        1 => parts[0].len() == 4,
        2 => parts[0].len() == 4 && parts[1].len() == 2,
        3 => parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2,
        _ => false,
    };
    if !ok_lens || !parts.iter().all(|p| digits(p)) {
        return Err(bad());
    }
    let y: i16 = parts[0].parse().map_err(|_| bad())?;
    let m: i8 = if parts.len() > 1 {
        parts[1].parse().map_err(|_| bad())?
    } else {
        1
    };
    let d: i8 = if parts.len() > 2 {
        parts[2].parse().map_err(|_| bad())?
    } else {
        1
    };
    if y < 1 {
        return Err(bad());
    }
    if jiff::civil::Date::new(y, m, d).is_err() {
        return Err(format!("{s:?} is not a calendar date"));
    }
    Ok(date_part.to_string())
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// serde_json's message without its " at line L column C" suffix, plus our own column.
fn json_error_detail(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let hint = if e.classify() == serde_json::error::Category::Eof {
        "; a document must be on one line"
    } else {
        ""
    };
    format!("not valid JSON ({msg} at column {}{hint})", e.column())
}

fn utf8_detail(bytes: &[u8], err: std::str::Utf8Error, with_line: bool) -> (u64, String) {
    let at = err.valid_up_to();
    let (line, col) = line_col(bytes, at);
    let b = bytes[at];
    if with_line {
        (
            line,
            format!("not valid UTF-8 (invalid byte 0x{b:02x} at line {line}, column {col})"),
        )
    } else {
        (
            line,
            format!("not valid UTF-8 (invalid byte 0x{b:02x} at column {col})"),
        )
    }
}

/// 1-based line and byte column of byte offset `at`.
fn line_col(bytes: &[u8], at: usize) -> (u64, u64) {
    let before = &bytes[..at];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map(|i| i + 1).unwrap_or(0);
    (line, (at - line_start) as u64 + 1)
}

/// Turns one JSONL line into a document, or says why not. Returns warnings about dropped
/// optional fields alongside the document.
pub fn parse_jsonl_document(line: &[u8]) -> Result<(Document, Vec<String>), InputProblem> {
    let s = match std::str::from_utf8(line) {
        Ok(s) => s,
        Err(e) => {
            return Err(problem(
                ProblemKind::InvalidUtf8,
                utf8_detail(line, e, false).1,
            ))
        }
    };
    let value: serde_json::Value = serde_json::from_str(s)
        .map_err(|e| problem(ProblemKind::InvalidJson, json_error_detail(&e)))?;
    let mut map = match value {
        serde_json::Value::Object(m) => m,
        other => {
            return Err(problem(
                ProblemKind::NotObject,
                format!("not a JSON object (found {})", json_type(&other)),
            ))
        }
    };
    let id = match map.remove("id") {
        None => return Err(problem(ProblemKind::BadId, "missing \"id\"")),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => {
            return Err(problem(ProblemKind::BadId, "\"id\" is empty"))
        }
        Some(serde_json::Value::String(s)) => s,
        Some(other) => {
            return Err(problem(
                ProblemKind::BadId,
                format!("\"id\" is {}, not a string", json_type(&other)),
            ))
        }
    };
    let text = match map.remove("text") {
        None => {
            return Err(problem(
                ProblemKind::BadText,
                format!("document {id:?}: missing \"text\""),
            ))
        }
        Some(serde_json::Value::String(s)) => s,
        Some(other) => {
            return Err(problem(
                ProblemKind::BadText,
                format!(
                    "document {id:?}: \"text\" is {}, not a string",
                    json_type(&other)
                ),
            ))
        }
    };
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return Err(problem(
            ProblemKind::Binary,
            format!("document {id:?}: \"text\" holds NUL characters (binary data?)"),
        ));
    }
    let mut warnings = Vec::new();
    let mut opt = |name: &str| -> Option<String> {
        match map.remove(name) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s),
            Some(other) => {
                warnings.push(format!(
                    "document {id:?}: ignored \"{name}\": {}, not a string",
                    json_type(&other)
                ));
                None
            }
        }
    };
    let published = opt("published");
    let source = opt("source");
    let url = opt("url");
    let title = opt("title");
    let lang = opt("lang");
    let published = match published {
        Some(p) => match parse_published(&p) {
            Ok(p) => Some(p),
            Err(e) => {
                warnings.push(format!("document {id:?}: ignored \"published\": {e}"));
                None
            }
        },
        None => None,
    };
    Ok((
        Document {
            id,
            text,
            published,
            source,
            url,
            title,
            lang,
        },
        warnings,
    ))
}

/// Checks the bytes of a text file and makes them a document (`origin` names the file in
/// messages; problems name the line).
pub fn text_document(id: String, mut bytes: Vec<u8>) -> Result<Document, (u64, InputProblem)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if let Some(at) = memchr::memchr(0, &bytes) {
        let (line, col) = line_col(&bytes, at);
        return Err((
            line,
            problem(
                ProblemKind::Binary,
                format!("binary data (NUL byte at line {line}, column {col})"),
            ),
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let err = e.utf8_error();
            let bytes = e.into_bytes();
            let (line, detail) = utf8_detail(&bytes, err, true);
            return Err((line, problem(ProblemKind::InvalidUtf8, detail)));
        }
    };
    if text.trim().is_empty() {
        return Err((0, problem(ProblemKind::Empty, "empty file")));
    }
    Ok(Document {
        id,
        text,
        ..Default::default()
    })
}

// ---------------------------------------------------------------------------------------
// File types

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jsonl,
    Text,
}

/// Kind by name, and whether the name says gzip. `None`: not a document file.
fn kind_by_name(path: &Path) -> Option<(Kind, bool)> {
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
        _ if gz => Some((Kind::Jsonl, true)),
        _ => None,
    }
}

/// Id of a text file: its name without the `.gz` and the last extension.
fn text_id(path: &Path) -> String {
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

type Stream = Box<dyn BufRead + Send>;

/// Wraps a raw stream: decodes gzip when the name says so or the magic bytes are there.
/// `Ok(None)` for an empty stream.
fn open_stream(raw: Box<dyn Read + Send>, gz_by_name: bool) -> io::Result<Option<(Stream, bool)>> {
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

fn read_failure(gz: bool, e: &io::Error) -> InputProblem {
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

// ---------------------------------------------------------------------------------------
// The reader

struct JsonlSource {
    name: String,
    reader: Stream,
    gz: bool,
    file_index: u64,
    line: u64,
    /// Lines that were not blank.
    nonblank: u64,
}

struct DirFrame {
    canonical: PathBuf,
    entries: Vec<PathBuf>,
    next: usize,
}

/// Iterator over the [`InputItem`]s of a list of inputs; see the module documentation.
pub struct InputReader {
    opts: ReaderOptions,
    specs: VecDeque<InputSpec>,
    dirs: Vec<DirFrame>,
    /// Canonical folder → how it was first named, for "already read" notes.
    seen_dirs: HashMap<PathBuf, String>,
    current: Option<JsonlSource>,
    line_buf: Vec<u8>,
    ids: HashSet<u64>,
    files: u64,
}

impl InputReader {
    pub fn new(specs: Vec<InputSpec>, opts: ReaderOptions) -> Self {
        InputReader {
            opts,
            specs: specs.into(),
            dirs: Vec::new(),
            seen_dirs: HashMap::new(),
            current: None,
            line_buf: Vec::new(),
            ids: HashSet::new(),
            files: 0,
        }
    }

    fn next_file_index(&mut self) -> u64 {
        self.files += 1;
        self.files
    }

    fn event(&mut self, origin: String, kind: ProblemKind, detail: impl Into<String>) -> InputItem {
        let file_index = self.next_file_index();
        InputItem {
            origin,
            file_index,
            bytes: 0,
            result: Err(problem(kind, detail)),
            warnings: Vec::new(),
        }
    }

    /// Final touches on a good document: duplicate check, `--published` default.
    fn finish_doc(&mut self, mut doc: Document, warnings: &mut Vec<String>) -> Document {
        let mut h = DefaultHasher::new();
        doc.id.hash(&mut h);
        if !self.ids.insert(h.finish()) {
            warnings.push(format!("duplicate id {:?} (seen before); kept", doc.id));
        }
        if doc.published.is_none() {
            doc.published = self.opts.default_published.clone();
        }
        doc
    }

    /// Next line item of the current JSONL source, or `None` when it is done.
    fn next_line(&mut self) -> Option<InputItem> {
        let max = self.opts.max_doc_bytes;
        loop {
            let src = self.current.as_mut()?;
            let read = read_line_limited(&mut src.reader, &mut self.line_buf, max);
            match read {
                Err(e) => {
                    let src = self.current.take()?;
                    let origin = format!("{}:{}", src.name, src.line + 1);
                    return Some(InputItem {
                        origin,
                        file_index: src.file_index,
                        bytes: 0,
                        result: Err(read_failure(src.gz, &e)),
                        warnings: Vec::new(),
                    });
                }
                Ok(LineRead::Eof) => {
                    let src = self.current.take()?;
                    if src.nonblank == 0 {
                        return Some(InputItem {
                            origin: src.name,
                            file_index: src.file_index,
                            bytes: 0,
                            result: Err(problem(
                                ProblemKind::Empty,
                                "no documents (only blank lines)",
                            )),
                            warnings: Vec::new(),
                        });
                    }
                    return None;
                }
                Ok(LineRead::TooLong { len, consumed }) => {
                    src.line += 1;
                    src.nonblank += 1;
                    return Some(InputItem {
                        origin: format!("{}:{}", src.name, src.line),
                        file_index: src.file_index,
                        bytes: consumed,
                        result: Err(problem(
                            ProblemKind::TooLarge,
                            format!(
                                "line of {} bytes is larger than --max-doc-bytes ({} bytes)",
                                thousands(len),
                                thousands(max)
                            ),
                        )),
                        warnings: Vec::new(),
                    });
                }
                Ok(LineRead::Line { consumed }) => {
                    src.line += 1;
                    let mut bytes: &[u8] = &self.line_buf;
                    if src.line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                        bytes = &bytes[3..];
                    }
                    let first = bytes.iter().position(|b| !b.is_ascii_whitespace());
                    let Some(first) = first else { continue };
                    src.nonblank += 1;
                    let origin = format!("{}:{}", src.name, src.line);
                    let file_index = src.file_index;
                    if src.nonblank == 1 && bytes[first] == b'[' {
                        let src = self.current.take()?;
                        return Some(InputItem {
                            origin: src.name,
                            file_index,
                            bytes: consumed,
                            result: Err(problem(
                                ProblemKind::JsonArray,
                                "a JSON array, not JSON Lines (one document object per line); \
                                 file skipped (convert it with: jq -c '.[]')",
                            )),
                            warnings: Vec::new(),
                        });
                    }
                    let parsed = parse_jsonl_document(bytes);
                    let item = match parsed {
                        Ok((doc, mut warnings)) => {
                            let doc = self.finish_doc(doc, &mut warnings);
                            InputItem {
                                origin,
                                file_index,
                                bytes: consumed,
                                result: Ok(doc),
                                warnings,
                            }
                        }
                        Err(p) => InputItem {
                            origin,
                            file_index,
                            bytes: consumed,
                            result: Err(p),
                            warnings: Vec::new(),
                        },
                    };
                    return Some(item);
                }
            }
        }
    }

    /// Opens one file (or stdin) of a known kind. Returns an item for text files and for
    /// problems; JSONL files become the current source.
    fn open(
        &mut self,
        name: String,
        path: Option<&Path>,
        kind: Kind,
        gz_by_name: bool,
    ) -> Option<InputItem> {
        let raw: Box<dyn Read + Send> = match path {
            None => Box::new(io::stdin()),
            Some(p) => match File::open(p) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    return Some(self.event(
                        name,
                        ProblemKind::Unreadable,
                        format!("cannot open: {e}"),
                    ))
                }
            },
        };
        let file_index = self.next_file_index();
        let opened = match open_stream(raw, gz_by_name) {
            Ok(Some(s)) => s,
            Ok(None) => {
                return Some(InputItem {
                    origin: name,
                    file_index,
                    bytes: 0,
                    result: Err(problem(ProblemKind::Empty, "empty file")),
                    warnings: Vec::new(),
                })
            }
            Err(e) => {
                return Some(InputItem {
                    origin: name,
                    file_index,
                    bytes: 0,
                    result: Err(problem(
                        ProblemKind::Unreadable,
                        format!("cannot read: {e}"),
                    )),
                    warnings: Vec::new(),
                })
            }
        };
        let (mut reader, gz) = opened;
        match kind {
            Kind::Jsonl => {
                self.current = Some(JsonlSource {
                    name,
                    reader,
                    gz,
                    file_index,
                    line: 0,
                    nonblank: 0,
                });
                None
            }
            Kind::Text => {
                let max = self.opts.max_doc_bytes;
                let mut buf = Vec::new();
                let item = |result, bytes| InputItem {
                    origin: String::new(),
                    file_index,
                    bytes,
                    result,
                    warnings: Vec::new(),
                };
                if let Err(e) = reader
                    .by_ref()
                    .take(max.saturating_add(1))
                    .read_to_end(&mut buf)
                {
                    let mut it = item(Err(read_failure(gz, &e)), buf.len() as u64);
                    it.origin = name;
                    return Some(it);
                }
                if buf.len() as u64 > max {
                    let rest = io::copy(&mut reader, &mut io::sink());
                    let size = match rest {
                        Ok(n) => thousands(buf.len() as u64 + n),
                        Err(_) => format!("more than {}", thousands(max)),
                    };
                    let mut it = item(
                        Err(problem(
                            ProblemKind::TooLarge,
                            format!(
                                "file of {size} bytes is larger than --max-doc-bytes ({} bytes)",
                                thousands(max)
                            ),
                        )),
                        buf.len() as u64,
                    );
                    it.origin = name;
                    return Some(it);
                }
                let bytes = buf.len() as u64;
                let id = path.map(text_id).unwrap_or_else(|| "stdin".to_string());
                match text_document(id, buf) {
                    Ok(doc) => {
                        let mut warnings = Vec::new();
                        let doc = self.finish_doc(doc, &mut warnings);
                        Some(InputItem {
                            origin: name,
                            file_index,
                            bytes,
                            result: Ok(doc),
                            warnings,
                        })
                    }
                    Err((line, p)) => {
                        let origin = if line > 0 {
                            format!("{name}:{line}")
                        } else {
                            name
                        };
                        Some(InputItem {
                            origin,
                            file_index,
                            bytes,
                            result: Err(p),
                            warnings: Vec::new(),
                        })
                    }
                }
            }
        }
    }

    /// Enters a folder: returns an item when it cannot be read or must not be followed.
    fn enter_dir(&mut self, path: &Path) -> Option<InputItem> {
        let name = path.display().to_string();
        let canonical = match fs::canonicalize(path) {
            Ok(c) => c,
            Err(e) => {
                return Some(self.event(
                    name,
                    ProblemKind::Unreadable,
                    format!("cannot read folder: {e}"),
                ))
            }
        };
        if let Some(anc) = self.dirs.iter().find(|f| f.canonical == canonical) {
            let detail = format!(
                "directory loop (leads back to {}); not followed",
                anc.canonical.display()
            );
            return Some(self.event(name, ProblemKind::DirectoryLoop, detail));
        }
        if let Some(first) = self.seen_dirs.get(&canonical) {
            let detail = format!("ignored: same folder as {first}, already read");
            return Some(self.event(name, ProblemKind::Ignored, detail));
        }
        let rd = match fs::read_dir(path) {
            Ok(rd) => rd,
            Err(e) => {
                return Some(self.event(
                    name,
                    ProblemKind::Unreadable,
                    format!("cannot read folder: {e}"),
                ))
            }
        };
        let mut entries = Vec::new();
        for entry in rd {
            match entry {
                Ok(e) => {
                    if e.file_name().to_string_lossy().starts_with('.') {
                        continue;
                    }
                    entries.push(e.path());
                }
                Err(e) => {
                    return Some(self.event(
                        name,
                        ProblemKind::Unreadable,
                        format!("cannot list folder: {e}"),
                    ));
                }
            }
        }
        entries.sort();
        self.seen_dirs.insert(canonical.clone(), name);
        self.dirs.push(DirFrame {
            canonical,
            entries,
            next: 0,
        });
        None
    }

    /// Handles one entry found in a folder.
    fn dir_entry(&mut self, path: PathBuf) -> Option<InputItem> {
        let name = path.display().to_string();
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                return Some(self.event(name, ProblemKind::Unreadable, format!("cannot read: {e}")))
            }
        };
        if meta.is_dir() {
            return self.enter_dir(&path);
        }
        if !meta.is_file() {
            return Some(self.event(name, ProblemKind::Ignored, "ignored: not a regular file"));
        }
        match kind_by_name(&path) {
            Some((kind, gz)) => self.open(name, Some(&path), kind, gz),
            None => Some(self.event(
                name,
                ProblemKind::Ignored,
                "ignored: not a document file (.jsonl, .json, .ndjson, .gz, .txt, .text, .md)",
            )),
        }
    }

    /// Handles one input named on the command line.
    fn spec(&mut self, spec: InputSpec) -> Option<InputItem> {
        match spec {
            InputSpec::Stdin => {
                let kind = if self.opts.format == Format::Text {
                    Kind::Text
                } else {
                    Kind::Jsonl
                };
                self.open("<stdin>".to_string(), None, kind, false)
            }
            InputSpec::Path(path) => {
                let name = path.display().to_string();
                let meta = match fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => {
                        return Some(self.event(
                            name,
                            ProblemKind::Unreadable,
                            format!("cannot read: {e}"),
                        ))
                    }
                };
                if meta.is_dir() {
                    return self.enter_dir(&path);
                }
                let by_name = kind_by_name(&path);
                let gz = by_name.map(|(_, gz)| gz).unwrap_or(false);
                let kind = match self.opts.format {
                    Format::Jsonl => Kind::Jsonl,
                    Format::Text => Kind::Text,
                    Format::Auto => by_name.map(|(k, _)| k).unwrap_or(Kind::Jsonl),
                };
                self.open(name, Some(&path), kind, gz)
            }
        }
    }
}

impl Iterator for InputReader {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_line() {
                    return Some(item);
                }
                continue;
            }
            if let Some(frame) = self.dirs.last_mut() {
                if frame.next < frame.entries.len() {
                    let path = std::mem::take(&mut frame.entries[frame.next]);
                    frame.next += 1;
                    if let Some(item) = self.dir_entry(path) {
                        return Some(item);
                    }
                } else {
                    self.dirs.pop();
                }
                continue;
            }
            let spec = self.specs.pop_front()?;
            if let Some(item) = self.spec(spec) {
                return Some(item);
            }
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(specs: Vec<InputSpec>, opts: ReaderOptions) -> Vec<InputItem> {
        InputReader::new(specs, opts).collect()
    }

    fn ok_ids(items: &[InputItem]) -> Vec<String> {
        items
            .iter()
            .filter_map(|i| i.result.as_ref().ok())
            .map(|d| d.id.clone())
            .collect()
    }

    #[test]
    fn line_reader_limits_and_discards() {
        let data = b"short\nthis line is long\nlast";
        let mut r = io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 8).unwrap(),
            LineRead::Line { consumed: 6 }
        );
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 8).unwrap(),
            LineRead::TooLong {
                len: 17,
                consumed: 18
            }
        );
        assert!(buf.is_empty());
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 8).unwrap(),
            LineRead::Line { consumed: 4 }
        );
        assert_eq!(buf, b"last");
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 8).unwrap(),
            LineRead::Eof
        );
    }

    #[test]
    fn line_reader_exact_limit_and_unterminated_long_line() {
        let data = b"12345678\n123456789";
        let mut r = io::BufReader::with_capacity(3, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 8).unwrap(),
            LineRead::Line { consumed: 9 }
        );
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 8).unwrap(),
            LineRead::TooLong {
                len: 9,
                consumed: 9
            }
        );
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 8).unwrap(),
            LineRead::Eof
        );
    }

    #[test]
    fn jsonl_document_checks() {
        let ok = parse_jsonl_document(
            br#"{"id":"a","text":"Hello","published":"2024-10-11T08:00:00Z","lang":"en"}"#,
        )
        .unwrap();
        assert_eq!(ok.0.id, "a");
        assert_eq!(ok.0.published.as_deref(), Some("2024-10-11"));
        assert!(ok.1.is_empty());

        let e = parse_jsonl_document(b"nope").unwrap_err();
        assert_eq!(e.kind, ProblemKind::InvalidJson);
        assert_eq!(e.detail, "not valid JSON (expected ident at column 2)");
        let e = parse_jsonl_document(b"{\"id\":").unwrap_err();
        assert!(e.detail.contains("one line"), "{}", e.detail);
        assert_eq!(
            parse_jsonl_document(b"[1,2]").unwrap_err().detail,
            "not a JSON object (found an array)"
        );
        assert_eq!(
            parse_jsonl_document(br#"{"text":"x"}"#).unwrap_err().detail,
            "missing \"id\""
        );
        assert_eq!(
            parse_jsonl_document(br#"{"id":7,"text":"x"}"#)
                .unwrap_err()
                .detail,
            "\"id\" is a number, not a string"
        );
        assert_eq!(
            parse_jsonl_document(br#"{"id":" ","text":"x"}"#)
                .unwrap_err()
                .kind,
            ProblemKind::BadId
        );
        assert_eq!(
            parse_jsonl_document(br#"{"id":"a"}"#).unwrap_err().kind,
            ProblemKind::BadText
        );
        assert_eq!(
            parse_jsonl_document(br#"{"id":"a","text":null}"#)
                .unwrap_err()
                .kind,
            ProblemKind::BadText
        );
        assert_eq!(
            parse_jsonl_document(br#"{"id":"a","text":"x\u0000y"}"#)
                .unwrap_err()
                .kind,
            ProblemKind::Binary
        );
        let e = parse_jsonl_document(b"{\"id\":\"a\",\"text\":\"caf\xe9\"}").unwrap_err();
        assert_eq!(e.kind, ProblemKind::InvalidUtf8);
        assert_eq!(e.detail, "not valid UTF-8 (invalid byte 0xe9 at column 22)");

        let (doc, w) = parse_jsonl_document(
            br#"{"id":"a","text":"x","published":"last week","source":3,"url":null}"#,
        )
        .unwrap();
        assert_eq!(doc.published, None);
        assert_eq!(doc.source, None);
        assert_eq!(w.len(), 2, "{w:?}");
    }

    #[test]
    fn published_formats() {
        assert_eq!(parse_published("2024").unwrap(), "2024");
        assert_eq!(parse_published("2024-02").unwrap(), "2024-02");
        assert_eq!(parse_published("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(parse_published("2024-02-29 10:00").unwrap(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13",
            "24",
            "2024-1-05",
            "yesterday",
            "",
            "2024-02-3x",
            "2024/02/03",
        ] {
            assert!(parse_published(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_documents() {
        let d = text_document("kyiv".into(), b"\xEF\xBB\xBFHello\nworld".to_vec()).unwrap();
        assert_eq!(d.text, "Hello\nworld");
        let (line, p) = text_document("x".into(), b"a\nb\nc\0d".to_vec()).unwrap_err();
        assert_eq!((line, p.kind), (3, ProblemKind::Binary));
        let (line, p) = text_document("x".into(), b"a\n\xff".to_vec()).unwrap_err();
        assert_eq!((line, p.kind), (2, ProblemKind::InvalidUtf8));
        assert_eq!(
            text_document("x".into(), b" \n\t".to_vec())
                .unwrap_err()
                .1
                .kind,
            ProblemKind::Empty
        );
    }

    #[test]
    fn names_and_ids() {
        assert_eq!(
            kind_by_name(Path::new("a/b.JSONL")),
            Some((Kind::Jsonl, false))
        );
        assert_eq!(
            kind_by_name(Path::new("b.jsonl.gz")),
            Some((Kind::Jsonl, true))
        );
        assert_eq!(kind_by_name(Path::new("b.gz")), Some((Kind::Jsonl, true)));
        assert_eq!(
            kind_by_name(Path::new("b.txt.gz")),
            Some((Kind::Text, true))
        );
        assert_eq!(kind_by_name(Path::new("b.md")), Some((Kind::Text, false)));
        assert_eq!(kind_by_name(Path::new("b.csv")), None);
        assert_eq!(kind_by_name(Path::new("jsonl")), None);
        assert_eq!(text_id(Path::new("x/kyiv.txt")), "kyiv");
        assert_eq!(text_id(Path::new("x/kyiv.report.txt.gz")), "kyiv.report");
        assert_eq!(thousands(52428800), "52,428,800");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn reader_walks_folders_in_order_and_reports() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/sub")).unwrap();
        fs::write(root.join("b/sub/z.txt"), "Some text").unwrap();
        fs::write(
            root.join("b/a.jsonl"),
            "{\"id\":\"j1\",\"text\":\"t\"}\n\n{bad\n{\"id\":\"j1\",\"text\":\"t\"}\n",
        )
        .unwrap();
        fs::write(root.join("a.csv"), "x,y").unwrap();
        fs::write(root.join(".hidden.jsonl"), "junk").unwrap();
        fs::write(root.join("empty.jsonl"), "").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"id\":\"g1\",\"text\":\"t\"}\n").unwrap();
        fs::write(root.join("c.jsonl.gz"), gz.finish().unwrap()).unwrap();

        let items = read_all(
            vec![InputSpec::Path(root.to_path_buf())],
            ReaderOptions::default(),
        );
        let summary: Vec<(String, Option<ProblemKind>)> = items
            .iter()
            .map(|i| {
                let o = i
                    .origin
                    .strip_prefix(&root.display().to_string())
                    .unwrap()
                    .to_string();
                (o, i.result.as_ref().err().map(|p| p.kind))
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("/a.csv".to_string(), Some(ProblemKind::Ignored)),
                ("/b/a.jsonl:1".to_string(), None),
                ("/b/a.jsonl:3".to_string(), Some(ProblemKind::InvalidJson)),
                ("/b/a.jsonl:4".to_string(), None),
                ("/b/sub/z.txt".to_string(), None),
                ("/c.jsonl.gz:1".to_string(), None),
                ("/empty.jsonl".to_string(), Some(ProblemKind::Empty)),
            ]
        );
        assert_eq!(items[3].warnings.len(), 1, "duplicate id warned");
        assert_eq!(ok_ids(&items), vec!["j1", "j1", "z", "g1"]);
    }

    #[cfg(unix)]
    #[test]
    fn reader_detects_directory_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("d")).unwrap();
        fs::write(root.join("d/x.txt"), "hello").unwrap();
        std::os::unix::fs::symlink(root, root.join("d/loop")).unwrap();
        let items = read_all(
            vec![InputSpec::Path(root.to_path_buf())],
            ReaderOptions::default(),
        );
        let kinds: Vec<_> = items
            .iter()
            .map(|i| i.result.as_ref().err().map(|p| p.kind))
            .collect();
        assert_eq!(kinds, vec![Some(ProblemKind::DirectoryLoop), None]);
    }

    #[test]
    fn truncated_gzip_keeps_earlier_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        for i in 0..2000 {
            writeln!(
                gz,
                "{{\"id\":\"d{i}\",\"text\":\"some words {i} {}\"}}",
                "x".repeat(i % 50)
            )
            .unwrap();
        }
        let bytes = gz.finish().unwrap();
        let path = dir.path().join("t.jsonl.gz");
        fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let items = read_all(vec![InputSpec::Path(path)], ReaderOptions::default());
        let last = items.last().unwrap();
        assert_eq!(
            last.result.as_ref().unwrap_err().kind,
            ProblemKind::CorruptGzip
        );
        assert!(items.len() > 100);
        assert!(items[..items.len() - 1].iter().all(|i| i.result.is_ok()));
    }

    #[test]
    fn json_array_file_is_skipped_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("arr.json");
        fs::write(&path, "[\n {\"id\":\"a\",\"text\":\"t\"}\n]\n").unwrap();
        let items = read_all(vec![InputSpec::Path(path)], ReaderOptions::default());
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].result.as_ref().unwrap_err().kind,
            ProblemKind::JsonArray
        );
    }

    #[test]
    fn default_published_fills_missing_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        fs::write(
            &path,
            "{\"id\":\"a\",\"text\":\"t\"}\n{\"id\":\"b\",\"text\":\"t\",\"published\":\"2020\"}\n",
        )
        .unwrap();
        let opts = ReaderOptions {
            default_published: Some("2024-10".into()),
            ..Default::default()
        };
        let items = read_all(vec![InputSpec::Path(path)], opts);
        let p: Vec<_> = items
            .iter()
            .map(|i| i.result.as_ref().unwrap().published.clone().unwrap())
            .collect();
        assert_eq!(p, vec!["2024-10", "2020"]);
    }

    #[test]
    fn text_file_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        fs::write(&path, "a".repeat(100)).unwrap();
        let opts = ReaderOptions {
            max_doc_bytes: 10,
            ..Default::default()
        };
        let items = read_all(vec![InputSpec::Path(path)], opts);
        let p = items[0].result.as_ref().unwrap_err();
        assert_eq!(p.kind, ProblemKind::TooLarge);
        assert!(p.detail.contains("file of 100 bytes"), "{}", p.detail);
    }
}
