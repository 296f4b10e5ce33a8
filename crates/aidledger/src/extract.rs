//! The `extract` command: reads inputs, extracts in parallel batches, writes in order.
//!
//! A reader thread turns the inputs into [`InputItem`]s and hands them over in batches of
//! at most [`BATCH_DOCS`] documents or about [`BATCH_BYTES`] of text through a channel that
//! holds two batches, so at most about four batches are in memory at once whatever the
//! input size. The main thread extracts each batch on the rayon pool (`--jobs`), then
//! reports problems and writes records in input order. All stderr output comes from the
//! main thread.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use aidledger_core::{Document, ExtractError, ExtractOptions, Extraction, Extractor};
use rayon::prelude::*;

use crate::cli::ExtractArgs;
use crate::input::{InputItem, InputReader, InputSpec, Level, ProblemKind, ReaderOptions};
use crate::output;
use crate::report::{Messages, Stats};
use crate::Fatal;

/// Most documents in one batch.
pub const BATCH_DOCS: usize = 256;
/// A batch is closed once it holds this many bytes of input.
pub const BATCH_BYTES: u64 = 8 << 20;

/// Receives each batch of extracted documents, in input order (`aidledger ingest`), and
/// says which of the documents it was given earlier it dropped for a later one.
pub type BatchConsumer<'a> =
    &'a mut dyn FnMut(Vec<(Document, Extraction)>) -> Result<Superseded, Fatal>;

/// Documents a [`BatchConsumer`] dropped because a later document has the same id, and
/// their records, which the summary then does not count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Superseded {
    pub docs: u64,
    pub records: u64,
}

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
        later_duplicate_wins: consumer.is_some(),
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
    let mut extractor =
        Extractor::new().map_err(|e| Fatal::Io(format!("built-in data files are broken: {e}")))?;
    extractor.set_fast_path(!args.input.no_fast_path);
    let opts = ExtractOptions {
        explain: args.explain,
    };
    // No progress line on a terminal that also shows the records: they would mix.
    let to_stdout = args.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
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
            let gone = consume(docs)?;
            stats.superseded += gone.docs;
            stats.records = stats.records.saturating_sub(gone.records);
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
            Level::Note if p.kind == ProblemKind::NotHtml => {
                // counted in the summary; one line each would drown a crawl's messages
                stats.not_html += 1;
                return Ok(());
            }
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
    stats.capped_sentences += ext.capped_sentences as u64;
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
