//! What `extract` (and `ingest`) tell on stderr: the counts of a run and its summary
//! line ([`Stats`]), and messages about the input with per-file caps, explain lines and
//! the progress line ([`Messages`]).

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::input::{thousands, InputItem};
use crate::Fatal;

/// Messages shown per input file before the rest are only counted.
const MESSAGES_PER_FILE: u32 = 20;
/// "ignored" notes shown in a run before the rest are only counted.
const IGNORED_NOTES: u32 = 20;

#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) docs_read: u64,
    pub(crate) processed: u64,
    pub(crate) skipped: BTreeMap<&'static str, u64>,
    pub(crate) failed_files: BTreeMap<&'static str, u64>,
    pub(crate) ignored: u64,
    pub(crate) empty: u64,
    /// WARC responses that were not HTML pages.
    pub(crate) not_html: u64,
    pub(crate) warnings: u64,
    /// Documents dropped for a later one with the same id (`ingest`).
    pub(crate) superseded: u64,
    /// Records written or extracted, without those of superseded documents.
    pub(crate) records: u64,
    /// Pieces of overlong sentences cut at the extractor's bound (text without punctuation).
    pub(crate) capped_sentences: u64,
    pub(crate) bytes: u64,
    /// What happened to the records: "written" (default) or "stored".
    pub(crate) verb: &'static str,
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
    pub(crate) fn summary(&self, elapsed: Duration) -> String {
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
        if self.superseded > 0 {
            s.push_str(&format!(
                "; {} (a later document with the same id replaced {})",
                plural(
                    self.superseded,
                    "earlier duplicate dropped",
                    "earlier duplicates dropped"
                ),
                if self.superseded == 1 { "it" } else { "each" }
            ));
        }
        if self.capped_sentences > 0 {
            s.push_str(&format!(
                "; {} (text without sentence punctuation)",
                plural(
                    self.capped_sentences,
                    "overlong sentence piece",
                    "overlong sentence pieces"
                )
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
        if self.not_html > 0 {
            s.push_str(&format!(
                "; {} not HTML, passed over",
                plural(self.not_html, "WARC response", "WARC responses")
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
pub(crate) struct Messages {
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
    pub(crate) fn new(quiet: bool, records_on_terminal: bool, start: Instant) -> Self {
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
    /// Control characters (from file names, say) are written escaped (`\u{1b}`), so no
    /// input can drive the terminal.
    pub(crate) fn plain(&mut self, line: &str) {
        let mut e = self.err.lock();
        if self.progress_shown {
            let _ = e.write_all(b"\r\x1b[2K");
            self.progress_shown = false;
        }
        let _ = writeln!(e, "{}", printable(line));
    }

    /// A warning (or, under --strict, the fatal error) about an item.
    pub(crate) fn problem(
        &mut self,
        item: &InputItem,
        detail: &str,
        strict: bool,
    ) -> Result<(), Fatal> {
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

    pub(crate) fn note(&mut self, item: &InputItem, detail: &str, ignored: bool) {
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

    pub(crate) fn progress(&mut self, stats: &Stats) {
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

/// The text with its control characters escaped.
pub(crate) fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// `path:17` → `path`.
fn file_of(origin: &str) -> &str {
    match origin.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => origin,
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
