//! [`InputReader`]: the inputs, in order, as [`InputItem`]s.

use std::collections::{HashMap, VecDeque};
use std::fs::{self, File};
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use aidledger_core::Document;

use super::fields::{html_document, text_document};
use super::files::{
    kind_by_name, open_stream, read_failure, read_line_limited, text_id, Kind, LineRead, Stream,
};
use super::warc::{Step, WarcSource};
use super::{
    parse_jsonl_document, problem, thousands, Format, InputItem, InputSpec, ProblemKind,
    ReaderOptions,
};

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
    warc: Option<WarcSource>,
    line_buf: Vec<u8>,
    ids: super::IdTable<()>,
    files: u64,
    /// The "no publication date" warning was given (once per run).
    warned_undated: bool,
}

impl InputReader {
    pub fn new(specs: Vec<InputSpec>, opts: ReaderOptions) -> Self {
        InputReader {
            opts,
            specs: specs.into(),
            dirs: Vec::new(),
            seen_dirs: HashMap::new(),
            current: None,
            warc: None,
            line_buf: Vec::new(),
            ids: super::IdTable::default(),
            files: 0,
            warned_undated: false,
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
        if self.ids.insert(super::id_hash(&doc.id), ()).is_some() {
            warnings.push(if self.opts.later_duplicate_wins {
                format!(
                    "duplicate id {:?} (seen before): this later document replaces the earlier one",
                    doc.id
                )
            } else {
                format!("duplicate id {:?} (seen before); kept", doc.id)
            });
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

    /// Next item of the current WARC, or `None` when it is done.
    fn next_record(&mut self) -> Option<InputItem> {
        let max = self.opts.max_doc_bytes;
        loop {
            let src = self.warc.as_mut()?;
            let origin = format!("{}#{}", src.name, src.records + 1);
            let file_index = src.file_index;
            let item = |result, bytes| InputItem {
                origin: origin.clone(),
                file_index,
                bytes,
                result,
                warnings: Vec::new(),
            };
            match src.next_record(max) {
                Step::Pass => continue,
                Step::Doc(doc, bytes) => {
                    let mut warnings = Vec::new();
                    let doc = self.finish_doc(*doc, &mut warnings);
                    let mut it = item(Ok(doc), bytes);
                    it.warnings = warnings;
                    return Some(it);
                }
                Step::Skip(p, bytes) => return Some(item(Err(p), bytes)),
                Step::Broken(p) => {
                    let src = self.warc.take()?;
                    let mut it = item(Err(p), 0);
                    it.origin = src.name;
                    return Some(it);
                }
                Step::End => {
                    let src = self.warc.take()?;
                    if src.records == 0 {
                        let mut it = item(Err(problem(ProblemKind::Empty, "no WARC records")), 0);
                        it.origin = src.name;
                        return Some(it);
                    }
                    return None;
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
        sniff: bool,
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
        let mut note = None;
        let kind = if sniff {
            let (k, n) = sniff_kind(&mut reader);
            note = n;
            k
        } else {
            kind
        };
        match kind {
            Kind::Warc => {
                self.warc = Some(WarcSource {
                    name,
                    reader,
                    gz,
                    file_index,
                    records: 0,
                    offset: 0,
                    pages: 0,
                });
                None
            }
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
            Kind::Text | Kind::Html => {
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
                let made = if kind == Kind::Html {
                    html_document(id, &buf, None).map_err(|p| (0, p))
                } else {
                    text_document(id, buf)
                };
                match made {
                    Ok(doc) => {
                        let mut warnings: Vec<String> = note.into_iter().collect();
                        let doc = self.finish_doc(doc, &mut warnings);
                        if doc.published.is_none() && !self.warned_undated {
                            self.warned_undated = true;
                            warnings.push(format!(
                                "document {:?} has no publication date: dates are read from the text \
                                 alone and relative ones ('on Tuesday') stay unresolved; give \
                                 --published YYYY-MM-DD (said once per run)",
                                doc.id
                            ));
                        }
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
            Some((kind, gz)) => self.open(name, Some(&path), kind, gz, false),
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
                let (kind, sniff) = match self.opts.format {
                    Format::Text => (Kind::Text, false),
                    Format::Html => (Kind::Html, false),
                    Format::Warc => (Kind::Warc, false),
                    Format::Jsonl => (Kind::Jsonl, false),
                    Format::Auto => (Kind::Jsonl, true),
                };
                self.open("<stdin>".to_string(), None, kind, false, sniff)
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
                let (kind, sniff) = match self.opts.format {
                    Format::Jsonl => (Kind::Jsonl, false),
                    Format::Text => (Kind::Text, false),
                    Format::Html => (Kind::Html, false),
                    Format::Warc => (Kind::Warc, false),
                    Format::Auto => match by_name {
                        Some((k, _)) => (k, false),
                        None => (Kind::Jsonl, true),
                    },
                };
                self.open(name, Some(&path), kind, gz, sniff)
            }
        }
    }
}

impl Iterator for InputReader {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if self.warc.is_some() {
                if let Some(item) = self.next_record() {
                    return Some(item);
                }
                continue;
            }
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

/// What a stream of unknown kind holds, by its first character: `<` HTML, `{` or `[`
/// JSONL, anything else plain text (with a note for the user).
fn sniff_kind(reader: &mut Stream) -> (Kind, Option<String>) {
    let head = match reader.fill_buf() {
        Ok(h) => h,
        Err(_) => return (Kind::Jsonl, None),
    };
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"WARC/") {
        return (Kind::Warc, None);
    }
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => (Kind::Html, None),
        Some(b'{') | Some(b'[') | None => (Kind::Jsonl, None),
        Some(_) => (
            Kind::Text,
            Some(
                "does not start like JSON Lines ('{') or HTML ('<'): read as one plain-text \
                 document (say --format text to do so without this note, --format jsonl to insist on JSON)"
                    .to_string(),
            ),
        ),
    }
}
