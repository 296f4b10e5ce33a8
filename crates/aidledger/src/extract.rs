//! The `extract` command: reads inputs, extracts in parallel batches, writes in order.
//!
//! A reader thread turns the inputs into [`InputItem`]s and hands them over in batches of
//! at most [`BATCH_DOCS`] documents or about [`BATCH_BYTES`] of text through a channel that
//! holds two batches, so at most about four batches are in memory at once whatever the
//! input size. The main thread extracts each batch on the rayon pool (`--jobs`), then
//! reports problems and writes records in input order. All stderr output comes from the
//! main thread.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use aidledger_core::{Document, ExtractError, ExtractOptions, Extraction, Extractor};
use rayon::prelude::*;

use crate::cli::ExtractArgs;
use crate::input::{
    thousands, InputItem, InputReader, InputSpec, Level, ProblemKind, ReaderOptions,
};
use crate::output;
use crate::Fatal;

/// Most documents in one batch.
pub const BATCH_DOCS: usize = 256;
/// A batch is closed once it holds this many bytes of input.
pub const BATCH_BYTES: u64 = 8 << 20;
/// Messages shown per input file before the rest are only counted.
const MESSAGES_PER_FILE: u32 = 20;
/// "ignored" notes shown in a run before the rest are only counted.
const IGNORED_NOTES: u32 = 20;

/// Receives each batch of extracted documents, in input order (`aidledger ingest`).
pub type BatchConsumer<'a> = &'a mut dyn FnMut(Vec<(Document, Extraction)>) -> Result<(), Fatal>;

/// Runs `aidledger extract`.
pub fn run(args: ExtractArgs) -> Result<(), Fatal> {
    run_with(args, None)
}

/// Runs the read-extract loop; records go to the output, or, with a consumer, to it
/// (one call per batch, after the batch's problems have been reported).
pub fn run_with(args: ExtractArgs, mut consumer: Option<BatchConsumer>) -> Result<(), Fatal> {
    let start = Instant::now();
    let specs = input_specs(&args)?;
    let mut sink = Sink::open(args.output.as_deref())?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.input.jobs as usize)
        .thread_name(|i| format!("aidledger-worker-{i}"))
        .build()
        .map_err(|e| Fatal::Io(format!("cannot start worker threads: {e}")))?;

    let reader_opts = ReaderOptions {
        max_doc_bytes: args.input.max_doc_bytes,
        format: args.input.format.into(),
        default_published: args.input.published.clone(),
    };
    let (tx, rx) = sync_channel::<Vec<InputItem>>(2);
    let reader_thread = std::thread::Builder::new()
        .name("aidledger-reader".into())
        .spawn(move || {
            let mut batch = Vec::with_capacity(BATCH_DOCS);
            let mut bytes = 0u64;
            for item in InputReader::new(specs, reader_opts) {
                bytes += item.bytes;
                batch.push(item);
                if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
                    if tx
                        .send(std::mem::replace(
                            &mut batch,
                            Vec::with_capacity(BATCH_DOCS),
                        ))
                        .is_err()
                    {
                        return;
                    }
                    bytes = 0;
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        })
        .map_err(|e| Fatal::Io(format!("cannot start the reader thread: {e}")))?;

    crate::panics::install_hook();
    let extractor =
        Extractor::new().map_err(|e| Fatal::Io(format!("built-in data files are broken: {e}")))?;
    let opts = ExtractOptions {
        explain: args.explain,
    };
    // No progress line on a terminal that also shows the records: they would mix.
    let to_stdout = args
        .output
        .as_deref()
        .map_or(true, |p| p.as_os_str() == "-");
    let records_on_terminal = to_stdout && io::stdout().is_terminal();
    let mut msgs = Messages::new(args.input.quiet, records_on_terminal, start);
    let mut stats = Stats::default();

    if args.pretty {
        sink.line(&output::pretty_header())?;
    }
    for batch in rx {
        let outcomes: Vec<Option<Outcome>> = pool.install(|| {
            batch
                .par_iter()
                .map(|item| {
                    item.result
                        .as_ref()
                        .ok()
                        .map(|doc| extract_one(&extractor, doc, &opts))
                })
                .collect()
        });
        let mut pending = consumer.as_ref().map(|_| Vec::with_capacity(batch.len()));
        for (item, outcome) in batch.iter().zip(outcomes) {
            handle(
                item,
                outcome,
                &args,
                &mut sink,
                &mut msgs,
                &mut stats,
                pending.as_mut(),
            )?;
        }
        if let (Some(consume), Some(docs)) = (consumer.as_mut(), pending) {
            consume(docs)?;
        }
        sink.flush()?;
        msgs.progress(&stats);
    }
    if reader_thread.join().is_err() {
        return Err(Fatal::Io(
            "internal error: the input reader failed (see the message above)".into(),
        ));
    }
    sink.finish()?;
    if !args.input.quiet {
        msgs.plain(&stats.summary(start.elapsed()));
    }
    Ok(())
}

/// Inputs from the command line; a missing path or an interactive stdin is a usage error.
fn input_specs(args: &ExtractArgs) -> Result<Vec<InputSpec>, Fatal> {
    let specs: Vec<InputSpec> = args
        .input
        .inputs
        .iter()
        .map(|a| InputSpec::from_arg(a))
        .collect();
    for spec in &specs {
        if let InputSpec::Path(p) = spec {
            if !p.exists() && std::fs::symlink_metadata(p).is_err() {
                return Err(Fatal::Usage(format!("input not found: {}", p.display())));
            }
        }
    }
    if specs.is_empty() {
        if io::stdin().is_terminal() {
            return Err(Fatal::Usage(
                "no input: name files or folders, or pipe documents JSONL into stdin \
                 (use \"-\" to type them; see aidledger extract --help)"
                    .into(),
            ));
        }
        return Ok(vec![InputSpec::Stdin]);
    }
    Ok(specs)
}

/// What extraction made of one document.
enum Outcome {
    Done(Extraction),
    Unsupported(String),
    Crashed(String),
}

fn extract_one(extractor: &Extractor, doc: &Document, opts: &ExtractOptions) -> Outcome {
    match crate::panics::catch(|| extractor.extract(doc, opts)) {
        Ok(Ok(ext)) => Outcome::Done(ext),
        Ok(Err(ExtractError::UnsupportedLanguage(lang))) => Outcome::Unsupported(lang),
        Err(msg) => Outcome::Crashed(msg),
    }
}

/// Reports, counts and writes one item, in input order.
fn handle(
    item: &InputItem,
    outcome: Option<Outcome>,
    args: &ExtractArgs,
    sink: &mut Sink,
    msgs: &mut Messages,
    stats: &mut Stats,
    pending: Option<&mut Vec<(Document, Extraction)>>,
) -> Result<(), Fatal> {
    stats.bytes += item.bytes;
    let doc = match &item.result {
        Err(p) => match p.kind.level() {
            Level::Note => {
                if p.kind == ProblemKind::Ignored {
                    stats.ignored += 1;
                } else {
                    stats.empty += 1;
                }
                if !args.input.quiet {
                    msgs.note(item, &p.detail, p.kind == ProblemKind::Ignored);
                }
                return Ok(());
            }
            Level::Document => {
                stats.docs_read += 1;
                *stats.skipped.entry(p.kind.label()).or_default() += 1;
                return msgs.problem(item, &format!("skipped: {}", p.detail), args.input.strict);
            }
            Level::File => {
                *stats.failed_files.entry(p.kind.label()).or_default() += 1;
                return msgs.problem(item, &p.detail, args.input.strict);
            }
        },
        Ok(doc) => doc,
    };
    stats.docs_read += 1;
    for w in &item.warnings {
        stats.warnings += 1;
        msgs.problem(item, w, args.input.strict)?;
    }
    let ext = match outcome {
        Some(Outcome::Done(ext)) => ext,
        Some(Outcome::Unsupported(lang)) => {
            *stats.skipped.entry("unsupported language").or_default() += 1;
            let detail = format!(
                "skipped: document {:?}: unsupported language ({lang})",
                doc.id
            );
            return msgs.problem(item, &detail, args.input.strict);
        }
        Some(Outcome::Crashed(msg)) => {
            *stats.skipped.entry("extractor failure").or_default() += 1;
            let detail = format!(
                "skipped: document {:?}: internal error in the extractor: {msg}",
                doc.id
            );
            return msgs.problem(item, &detail, args.input.strict);
        }
        None => {
            return Err(Fatal::Io(
                "internal error: a document was not processed".into(),
            ))
        }
    };
    stats.processed += 1;
    stats.records += ext.records.len() as u64;
    if let Some(pending) = pending {
        stats.verb = "extracted";
        pending.push((doc.clone(), ext));
        return Ok(());
    }
    if args.pretty {
        for row in output::pretty_rows(&doc.id, &ext.records) {
            sink.line(&row)?;
        }
        for line in &ext.explain {
            sink.line(&format!("    explain: {}", output::explain_text(line)))?;
        }
    } else {
        for record in &ext.records {
            sink.record(record)?;
        }
        for line in &ext.explain {
            msgs.plain(&format!("explain: {}", output::explain_text(line)));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------

#[derive(Default)]
struct Stats {
    docs_read: u64,
    processed: u64,
    skipped: BTreeMap<&'static str, u64>,
    failed_files: BTreeMap<&'static str, u64>,
    ignored: u64,
    empty: u64,
    warnings: u64,
    records: u64,
    bytes: u64,
    /// What happened to the records: "written" (default) or "stored".
    verb: &'static str,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

fn breakdown(map: &BTreeMap<&'static str, u64>) -> String {
    let mut parts: Vec<(&str, u64)> = map.iter().map(|(k, v)| (*k, *v)).collect();
    parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    parts
        .iter()
        .map(|(k, v)| format!("{} {k}", thousands(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Stats {
    fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// `aidledger: 3 documents read, 2 processed, 1 skipped (1 not valid JSON); 0 records written; 0.01 s, 1.20 MB/s`
    fn summary(&self, elapsed: Duration) -> String {
        let mut s = format!(
            "aidledger: {} read, {} processed, {} skipped",
            plural(self.docs_read, "document", "documents"),
            thousands(self.processed),
            thousands(self.skipped_total())
        );
        if !self.skipped.is_empty() {
            s.push_str(&format!(" ({})", breakdown(&self.skipped)));
        }
        s.push_str(&format!(
            "; {} {}",
            plural(self.records, "record", "records"),
            if self.verb.is_empty() {
                "written"
            } else {
                self.verb
            }
        ));
        let failed: u64 = self.failed_files.values().sum();
        if failed > 0 {
            s.push_str(&format!(
                "; {} ({})",
                plural(failed, "input file failed", "input files failed"),
                breakdown(&self.failed_files)
            ));
        }
        if self.warnings > 0 {
            s.push_str(&format!(
                "; {}",
                plural(self.warnings, "warning", "warnings")
            ));
        }
        if self.ignored > 0 {
            s.push_str(&format!(
                "; {}",
                plural(self.ignored, "file ignored", "files ignored")
            ));
        }
        if self.empty > 0 {
            s.push_str(&format!(
                "; {}",
                plural(self.empty, "empty file", "empty files")
            ));
        }
        let secs = elapsed.as_secs_f64();
        s.push_str(&format!(
            "; {secs:.2} s, {:.2} MB/s",
            mb_per_s(self.bytes, secs)
        ));
        s
    }
}

fn mb_per_s(bytes: u64, secs: f64) -> f64 {
    if secs <= 0.0 {
        0.0
    } else {
        bytes as f64 / 1e6 / secs
    }
}

// ---------------------------------------------------------------------------------------

/// Everything written to stderr: messages with per-file caps, explain lines, progress.
struct Messages {
    err: io::Stderr,
    quiet: bool,
    start: Instant,
    progress_enabled: bool,
    progress_shown: bool,
    last_progress: Instant,
    file: u64,
    file_messages: u32,
    ignored_shown: u32,
}

impl Messages {
    fn new(quiet: bool, records_on_terminal: bool, start: Instant) -> Self {
        let err = io::stderr();
        let progress_enabled = !quiet && !records_on_terminal && err.is_terminal();
        Messages {
            err,
            quiet,
            start,
            progress_enabled,
            progress_shown: false,
            last_progress: start,
            file: 0,
            file_messages: 0,
            ignored_shown: 0,
        }
    }

    /// Writes one line; errors on stderr are ignored (nowhere left to report them).
    fn plain(&mut self, line: &str) {
        let mut e = self.err.lock();
        if self.progress_shown {
            let _ = e.write_all(b"\r\x1b[2K");
            self.progress_shown = false;
        }
        let _ = writeln!(e, "{line}");
    }

    /// A warning (or, under --strict, the fatal error) about an item.
    fn problem(&mut self, item: &InputItem, detail: &str, strict: bool) -> Result<(), Fatal> {
        if strict {
            return Err(Fatal::Strict(format!("{}: {detail}", item.origin)));
        }
        if item.file_index != self.file {
            self.file = item.file_index;
            self.file_messages = 0;
        }
        self.file_messages += 1;
        if self.file_messages <= MESSAGES_PER_FILE {
            self.plain(&format!("warning: {}: {detail}", item.origin));
        } else if self.file_messages == MESSAGES_PER_FILE + 1 {
            let file = file_of(&item.origin);
            self.plain(&format!(
                "note: {file}: more problems in this file are counted but not shown"
            ));
        }
        Ok(())
    }

    fn note(&mut self, item: &InputItem, detail: &str, ignored: bool) {
        if ignored {
            self.ignored_shown += 1;
            if self.ignored_shown > IGNORED_NOTES {
                if self.ignored_shown == IGNORED_NOTES + 1 {
                    self.plain("note: more ignored files are counted but not listed");
                }
                return;
            }
        }
        self.plain(&format!("note: {}: {detail}", item.origin));
    }

    fn progress(&mut self, stats: &Stats) {
        if !self.progress_enabled || self.quiet {
            return;
        }
        let now = Instant::now();
        let elapsed = now - self.start;
        if elapsed < Duration::from_secs(2) || now - self.last_progress < Duration::from_millis(250)
        {
            return;
        }
        self.last_progress = now;
        let line = format!(
            "aidledger: {} documents, {} records, {:.1} MB, {:.2} MB/s, {:.0} s",
            thousands(stats.docs_read),
            thousands(stats.records),
            stats.bytes as f64 / 1e6,
            mb_per_s(stats.bytes, elapsed.as_secs_f64()),
            elapsed.as_secs_f64()
        );
        let mut e = self.err.lock();
        let _ = write!(e, "\r\x1b[2K{line}");
        let _ = e.flush();
        self.progress_shown = true;
    }
}

/// `path:17` → `path`.
fn file_of(origin: &str) -> &str {
    match origin.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => origin,
    }
}

// ---------------------------------------------------------------------------------------

/// Where records go: stdout; or for `--output`, a temporary file in the same folder renamed
/// over the output file at the end (through a symbolic link, the file it points to); or,
/// when `--output` names a device or a pipe, that device or pipe, written directly.
struct Sink {
    out: BufWriter<Box<dyn Write>>,
    file: Option<(tempfile::TempPath, PathBuf)>,
}

impl Sink {
    fn open(path: Option<&Path>) -> Result<Sink, Fatal> {
        let path = match path {
            Some(p) if p.as_os_str() != "-" => p,
            _ => {
                return Ok(Sink {
                    out: BufWriter::with_capacity(1 << 16, Box::new(io::stdout())),
                    file: None,
                })
            }
        };
        let cannot =
            |e: &dyn std::fmt::Display| Fatal::Io(format!("cannot write {}: {e}", path.display()));
        let target = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(cannot(&"it is a folder")),
            Ok(m) if !m.is_file() => {
                // A device or a pipe (/dev/null, a FIFO): write to it directly, never rename onto it.
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| cannot(&e))?;
                return Ok(Sink {
                    out: BufWriter::with_capacity(1 << 16, Box::new(f)),
                    file: None,
                });
            }
            // A link to a file: replace the file it points to, not the link.
            Ok(_) => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
            Err(_) => path.to_path_buf(),
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(cannot(&format!("folder {} does not exist", dir.display())));
        }
        let tmp = tempfile::Builder::new()
            .prefix(".aidledger-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| cannot(&e.kind()))?;
        let (file, temp_path) = tmp.into_parts();
        Ok(Sink {
            out: BufWriter::with_capacity(1 << 16, Box::new(file)),
            file: Some((temp_path, target)),
        })
    }

    fn record(&mut self, r: &aidledger_core::Record) -> Result<(), Fatal> {
        output::write_record_jsonl(&mut self.out, r).map_err(|e| self.write_error(e))
    }

    fn line(&mut self, s: &str) -> Result<(), Fatal> {
        writeln!(self.out, "{s}").map_err(|e| self.write_error(e))
    }

    fn flush(&mut self) -> Result<(), Fatal> {
        self.out.flush().map_err(|e| self.write_error(e))
    }

    fn write_error(&self, e: io::Error) -> Fatal {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Fatal::BrokenPipe;
        }
        match &self.file {
            Some((_, path)) => Fatal::Io(format!("cannot write {}: {e}", path.display())),
            None => Fatal::Io(format!("cannot write to stdout: {e}")),
        }
    }

    /// Flushes, and moves the temporary file into place.
    fn finish(mut self) -> Result<(), Fatal> {
        self.flush()?;
        if let Some((temp_path, path)) = self.file.take() {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path)
                    .map(|m| m.permissions().mode() & 0o7777)
                    .unwrap_or(0o644);
                let _ = std::fs::set_permissions(&temp_path, std::fs::Permissions::from_mode(mode));
            }
            drop(self.out);
            temp_path
                .persist(&path)
                .map_err(|e| Fatal::Io(format!("cannot write {}: {}", path.display(), e.error)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        let mut s = Stats {
            docs_read: 3,
            processed: 2,
            records: 0,
            bytes: 1_000_000,
            ..Default::default()
        };
        s.skipped.insert("not valid JSON", 1);
        let line = s.summary(Duration::from_millis(500));
        assert_eq!(
            line,
            "aidledger: 3 documents read, 2 processed, 1 skipped (1 not valid JSON); 0 records written; 0.50 s, 2.00 MB/s"
        );
    }

    #[test]
    fn origins_to_files() {
        assert_eq!(file_of("a/b.jsonl:17"), "a/b.jsonl");
        assert_eq!(file_of("c:/x.txt"), "c:/x.txt");
        assert_eq!(file_of("x.txt"), "x.txt");
    }
}
