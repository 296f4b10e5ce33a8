//! Command-line definitions (clap derive).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::{parse_published, Format};

#[derive(Debug, Parser)]
#[command(
    name = "aidledger",
    version,
    about = "Extract military-aid records (who gives what to whom, when) from French and English news",
    long_about = "Extract military-aid records (who gives what to whom, when) from French and English \
                  news.\n\nEach record says who gives what to whom, at which stage (requested, pledged, \
                  delivered, ...), how much it is worth, when, and who said so, with the exact text \
                  spans that support it. Records are written as JSON Lines (see docs/records.md).",
    after_help = "Exit codes: 0 the run completed (documents may have been skipped, see the summary); \
                  1 fatal error (output not writable, a problem under --strict); 2 usage error \
                  (bad flag or value, input path not found)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract aid records from documents (JSONL, gzip JSONL, text files, folders, stdin)
    #[command(long_about = EXTRACT_LONG_ABOUT, after_long_help = EXTRACT_EXAMPLES)]
    Extract(ExtractArgs),
    /// Normalise number, money and date phrases, one phrase per line, stdin to stdout
    #[command(long_about = PARSE_LONG_ABOUT, after_long_help = PARSE_EXAMPLES)]
    Parse(ParseArgs),
    /// Extract records from documents and store them with the merged commitments
    #[command(long_about = INGEST_LONG_ABOUT)]
    Ingest(IngestArgs),
    /// Extract stored documents again with this version of the extractor
    #[command(long_about = REEXTRACT_LONG_ABOUT)]
    Reextract(ReextractArgs),
    /// List the commitments of the ledger, or show one with its timeline and evidence
    #[command(args_conflicts_with_subcommands = true)]
    Ledger(LedgerArgs),
    /// Export stored commitments (one row each: id, kind, donor, recipient, announced,
    /// status, value, currency, items, sources, flags) or records (one row per item) as
    /// CSV or JSON Lines
    ///
    /// CSV cells of text that begin with =, +, -, @, a tab or a carriage return get a
    /// ' in front, so that a spreadsheet shows them as text instead of running them as
    /// formulas (CSV injection); quantities and values stay numbers.
    Export(ExportArgs),
    /// Full-text search over stored documents, with their records
    Search(SearchArgs),
    /// Print the main text of a web page (headline and article body), as extract reads it
    #[command(long_about = TEXT_LONG_ABOUT)]
    Text(TextArgs),
    /// Serve the ledger: a JSON API (/api, /api/openapi.json) and web pages
    Serve(ServeArgs),
}

const TEXT_LONG_ABOUT: &str = "Print the main text of a web page, as extract and ingest read it.

Reads one HTML page (a file, a .gz file, or - for standard input; any charset: a byte
order mark, then <meta charset>, checked against the bytes) and prints its headline, a
blank line and its article body, paragraphs separated by blank lines. Navigation,
related links, cookie notices, comments, share buttons and rating widgets are left out.

--format json prints one JSON object: title, published (YYYY-MM-DD) and where it was
found (article:published_time, json-ld, meta, time, dateline, url), lang (from <html
lang>, else detected: fr or en), url, domain, encoding, body and text.";

#[derive(Debug, Args)]
pub struct TextArgs {
    /// The page: a file (.html, .htm, .html.gz, ...) or - for standard input
    #[arg(value_name = "FILE", default_value = "-")]
    pub input: PathBuf,
    /// Output: the text, or JSON with the metadata
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextFormat,
    /// The page's address (dates in it, and the source domain)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Print the article body alone, without the headline (what benchmarks of article
    /// extraction compare)
    #[arg(long)]
    pub body: bool,
    /// Largest page read, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_DOC_BYTES)]
    pub max_doc_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Address to listen on (loopback by default; give 0.0.0.0:PORT to expose it)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Accept writes (POST /api/documents) from clients sending this bearer token;
    /// without it the server is read-only
    #[arg(
        long,
        value_name = "TOKEN",
        env = "AIDLEDGER_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Largest request body; a larger declared Content-Length is refused with 413 before
    /// it is read
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Longest time one request may take, reading its body included; a slower one gets
    /// 503 with Retry-After
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub request_timeout: f64,
    /// Requests answered at a time; one more gets 503 with Retry-After: 1 at once
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub max_in_flight: usize,
    /// Time a connection has to send a complete request head before it is closed
    /// (slow-loris protection)
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub header_timeout: f64,
    /// Open connections at a time; further ones are closed at once
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub max_connections: usize,
    /// Read-only store connections that answer reads side by side (0: reads share the
    /// one connection that writes)
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub read_connections: usize,
}

const INGEST_LONG_ABOUT: &str = "Extract records from documents and store them.

Reads documents like `extract` (same inputs, same handling of bad input), stores each
document (id, url, source, published, lang, title, text, content hash) with its records
and their evidence, then merges all stored records into commitments (see
docs/ledger.md).

Re-ingesting an unchanged document does nothing; a changed one has its records
replaced. Work is committed in batches: a run that is interrupted (even killed) leaves
a consistent database, and running the same command again completes it.

Ids are stored exactly as given. A document whose id is empty, only whitespace, longer
than 1000 bytes, or holds a control character (NUL, tab, newline, escape, DEL, C1) or a
bidirectional formatting character is skipped with a warning naming the file and line
(an error with --strict), like other bad input.

The same id twice in one run: the later document wins. A warning names the id and
where the later one was found (an error with --strict); the earlier document is not
stored, or is replaced, and the summary counts neither it nor its records:
  warning: docs.jsonl:40: duplicate id \"a1\" (seen before): this later document replaces the earlier one

The database is an SQLite file by default (aidledger.db, created if missing; nothing to
install), or a PostgreSQL server given as --db postgres://user@host:port/dbname.";

/// Where the ledger lives: an SQLite file, `sqlite:PATH`, or `postgres://...`.
#[derive(Debug, Args, Clone)]
pub struct DbArg {
    /// Database: an SQLite file path, sqlite:PATH, or postgres://URL
    ///
    /// ingest (and serve --token) create a missing SQLite file; ledger, export, search
    /// and serve open it read-only (nothing written, no -wal/-shm files left behind) and
    /// say so when there is none.
    #[arg(
        long,
        value_name = "URL",
        env = "AIDLEDGER_DB",
        default_value = "aidledger.db"
    )]
    pub db: String,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub db: DbArg,
    /// Leave stored documents read by an older extractor as they are (by default they
    /// are extracted again, as `aidledger reextract` does)
    #[arg(long)]
    pub no_reextract: bool,
}

const REEXTRACT_LONG_ABOUT: &str =
    "Extract stored documents again with this version of the extractor.

Every stored document remembers the extractor version (code and data files) that read
it. reextract reads again, from its stored text and metadata, each document read by
another version (every document with --all), replaces its records, then rebuilds the
ledger once. Documents are read from the database in batches, so memory stays bounded.
A document the extractor fails on is left as it was (and named). `aidledger ingest`
does the same on its own unless given --no-reextract.

The database must exist: reextract creates none.";

#[derive(Debug, Args)]
pub struct ReextractArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Extract every stored document again, not only those of another extractor version
    /// (and rebuild the ledger even if no record changed)
    #[arg(long)]
    pub all: bool,
    /// Only count the documents that would be extracted again; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// No summary line and no progress (errors are still printed)
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Latest date first
    Date,
    /// Most sources first
    Sources,
    /// Largest value first
    Value,
    Donor,
    Item,
}

#[derive(Debug, Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub show: Option<LedgerCommand>,
    #[command(flatten)]
    pub db: DbArg,
    /// Only this donor (ISO 3166-1 alpha-3 code such as USA, or NATO, EU)
    #[arg(long, value_name = "CODE")]
    pub donor: Option<String>,
    /// Only this recipient (ISO alpha-3 code)
    #[arg(long, value_name = "CODE")]
    pub recipient: Option<String>,
    /// Only items whose name contains this text ("nasams", "howitzer"); % and _ match
    /// themselves; at most 200 characters (as every text filter)
    #[arg(long, value_name = "TEXT")]
    pub item: Option<String>,
    /// Only this category (air_defense, artillery, armor, ...)
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Only commitments that reached this stage (pledged, delivered, refused, ...)
    #[arg(long, value_name = "STATUS", value_parser = parse_status)]
    pub status: Option<aidledger_core::Status>,
    /// Only commitments with a date on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_published_arg)]
    pub since: Option<String>,
    /// Only commitments with a date on or before DATE
    #[arg(long, value_name = "DATE", value_parser = parse_published_arg)]
    pub until: Option<String>,
    /// Only commitments reported by at least N distinct outlets
    #[arg(long, value_name = "N")]
    pub min_sources: Option<usize>,
    /// Order of the lines
    #[arg(long, value_enum, default_value = "date")]
    pub sort: SortKey,
    /// Output: an aligned table, JSON Lines, or CSV (text cells neutralised against
    /// spreadsheet formulas, as in export)
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    /// At most N lines (cut in the database, after the order)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Skip the first N lines (with --limit, to page through the ledger)
    #[arg(long, value_name = "N")]
    pub offset: Option<usize>,
    /// Only commitments of this kind: package, transfer, request, total, budget
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<aidledger_core::Kind>,
    /// Only commitments announced in this year (YYYY)
    #[arg(long, value_name = "YYYY", value_parser = parse_year)]
    pub year: Option<String>,
    /// Instead of the lines, the sums of the selected commitments per donor and
    /// recipient: committed and delivered values per currency, counts per kind, flagged
    /// (docs/ledger.md, "Figures": the same numbers as the overview and the API)
    #[arg(long, conflicts_with = "systems")]
    pub sums: bool,
    /// Instead of the lines, the systems roll-up of the selected commitments per donor:
    /// quantities pledged (in how many packages) and delivered
    #[arg(long)]
    pub systems: bool,
}

fn parse_kind(s: &str) -> Result<aidledger_core::Kind, String> {
    aidledger_core::Kind::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
        format!(
            "{s:?} is not a kind: one of {}",
            aidledger_core::Kind::ALL.map(|k| k.as_str()).join(", ")
        )
    })
}

fn parse_year(s: &str) -> Result<String, String> {
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?} is not a year (YYYY)"))
    }
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Confirm a flagged commitment after checking its sources: it then counts in every
    /// sum. Kept across rebuilds and re-extraction (docs/ledger.md, "Sanity")
    Confirm {
        /// Commitment id (as listed; a unique prefix is enough)
        #[arg(required_unless_present = "list")]
        id: Option<String>,
        /// Withdraw the confirmation instead
        #[arg(long, conflicts_with = "list")]
        undo: bool,
        /// List the confirmations instead
        #[arg(long)]
        list: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Show one commitment: its timeline, each stage with its evidence sentences
    Show {
        /// Commitment id (as listed; a unique prefix is enough)
        id: String,
        /// Output: readable text or JSON
        #[arg(long, value_enum, default_value = "table")]
        format: TableFormat,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    Records,
    Commitments,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export
    #[arg(long, value_enum, default_value = "commitments")]
    pub what: ExportWhat,
    /// Output format
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Write to FILE instead of stdout
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to look for (accents and case are ignored)
    pub query: String,
    /// At most N documents
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Output: a readable list or JSON Lines
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    #[command(flatten)]
    pub db: DbArg,
}

fn parse_status(s: &str) -> Result<aidledger_core::Status, String> {
    aidledger_core::Status::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
        let all: Vec<&str> = aidledger_core::Status::ALL
            .iter()
            .map(|s| s.as_str())
            .collect();
        format!("unknown status {s:?}; one of: {}", all.join(", "))
    })
}

const EXTRACT_LONG_ABOUT: &str = "Extract aid records from documents.

Reads documents in input order, extracts in parallel batches, and writes the records in
input order: one JSON object per line (docs/records.md), to stdout or to --output. Memory
stays flat whatever the input size: files are streamed, gzip is decoded as a stream, and
a document larger than --max-doc-bytes is skipped without being held in memory.

Bad input never stops the run (unless --strict): each problem gives one line on stderr
naming the file and line, the document is skipped and counted, and the run goes on:
  warning: docs.jsonl:17: skipped: not valid JSON (expected value at column 1)
  warning: docs.jsonl:18: skipped: missing \"id\"
  warning: news.jsonl.gz:912: corrupt or truncated gzip data (...); rest of file skipped
  warning: docs.jsonl:40: duplicate id \"a1\" (seen before); kept
  note: corpus/readme.csv: ignored: not a document file (...)
Documents without an \"id\" are skipped (no id is made up: records must point at their
document), and so are documents whose id is only whitespace or holds a control or
bidirectional formatting character (no id is rewritten either). After 20 messages
about one file, further ones are only counted.

A summary line ends every run on stderr (unless --quiet):
  aidledger: 3 documents read, 2 processed, 1 skipped (1 not valid JSON); 4 records written; 0.02 s, 1.10 MB/s
When stderr is a terminal (and the records do not go to that terminal) and the run takes
more than 2 seconds, a progress line is shown.

Ids (of records and commitments) are shown cut to fit: 10 characters in tables, 16 in
JSON, 8 in the README's examples. Wherever a command takes an id, any unique prefix of
it works.";

const EXTRACT_EXAMPLES: &str = "\
Examples:
  # Records of a JSONL corpus into a file, progress and summary on stderr:
  aidledger extract corpus/docs.jsonl.gz -o records.jsonl

  # A folder of articles (text files named <id>.txt) published in October 2024, as a table,
  # with the reasons sentences did or did not give records:
  aidledger extract articles/ --published 2024-10 --pretty --explain

  # From a pipe, stopping at the first bad line:
  zcat dump.jsonl.gz | aidledger extract --strict - > records.jsonl

  # Saved web pages and a crawl archive (pages without a date of their own take the
  # archive's capture date):
  aidledger extract saved/page.html crawl/news.warc.gz -o records.jsonl

  # A plain-text article from a pipe:
  pbpaste | aidledger extract --format text --published 2024-10-11 -";

const PARSE_LONG_ABOUT: &str = "Normalise number, money and date phrases.

Reads one phrase per line on stdin (\"deux cents\", \"425 millions de dollars\", \"mardi
dernier\", \"in March\") and writes one JSON object per line on stdout with what was
understood: the number, the amount and currency, the resolved date or interval. Relative
dates are resolved against --ref.";

const PARSE_EXAMPLES: &str = "\
Examples:
  echo 'mardi dernier' | aidledger parse --lang fr --ref 2013-02-12T04:30:00
  printf '425 million dollars\\nnext week\\n' | aidledger parse --lang en --ref 2022-10-11 --prefer future";

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Documents to read, in this order [default: stdin]
    ///
    /// A file: *.jsonl, *.json, *.ndjson (documents JSONL: {"id", "text",
    /// "published"?, "source"?, "url"?, "title"?, "lang"?} per line); *.gz,
    /// *.jsonl.gz (gzip-compressed JSONL, gzip is also recognised by content); *.txt,
    /// *.text, *.md (one document, id = the file name without extension:
    /// articles/kyiv-0412.txt has id "kyiv-0412"); *.html, *.htm, *.html.gz (a web
    /// page: its headline and article body are the text, see `aidledger text`; title,
    /// date, language, URL and domain come from the page); *.warc, *.warc.gz (a web
    /// archive: each HTML response is a document). A JSONL line may hold a page in
    /// "html" instead of "text". A folder: walked recursively in sorted order; other
    /// files are ignored with a note, hidden ones (".name") silently. "-": stdin,
    /// sniffed: WARC, HTML, JSONL, else plain text (with a note). A file with another
    /// name given here is sniffed the same way.
    #[arg(verbatim_doc_comment, value_name = "INPUT")]
    pub inputs: Vec<OsString>,

    /// Stop at the first problem with the input (exit code 1)
    ///
    /// Every warning becomes a fatal error: a skipped document, an unreadable or
    /// corrupt file, a duplicate id, an ignored field. Notes (empty file, file of
    /// another type in a folder) stay notes. Records of the documents before the
    /// problem have been written to stdout; with --output the file is not written.
    #[arg(verbatim_doc_comment, long)]
    pub strict: bool,

    /// Publication date for documents that have none: YYYY, YYYY-MM or YYYY-MM-DD
    ///
    /// Relative dates in the text ("mardi", "last week") are resolved against it.
    /// Without it, a document with no "published" field (every text file) is dated
    /// from its own text (a "date 2024-10" header line or a dateline), or its
    /// relative dates stay unresolved.
    #[arg(verbatim_doc_comment, long, value_name = "DATE", value_parser = parse_published_arg)]
    pub published: Option<String>,

    /// Largest document accepted: a JSONL line or a text file
    ///
    /// A bare number of bytes, or with a suffix K, M, G (powers of 1024, "KiB", "MB"
    /// are read the same): 32M, 500K, 1G. Larger documents are skipped with a message
    /// giving their size; they are read in chunks and discarded, never held in memory
    /// whole.
    #[arg(verbatim_doc_comment, long, value_name = "SIZE", default_value = "32MiB", value_parser = parse_size)]
    pub max_doc_bytes: u64,

    /// Worker threads for extraction, 1 to 1024 [default: 0 = one per CPU core]
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0, hide_default_value = true,
          value_parser = clap::value_parser!(u16).range(0..=1024))]
    pub jobs: u16,

    /// How to read stdin and files named on the command line
    ///
    /// auto: by file name (see INPUT), stdin and unknown names by their first bytes.
    /// jsonl: always documents JSONL. text: each input is one text document (stdin's
    /// id is "stdin"). html: each input is one web page. warc: each input is a web
    /// archive. Files found in folders are always chosen by name.
    #[arg(
        verbatim_doc_comment,
        long,
        value_enum,
        value_name = "FORMAT",
        default_value = "auto"
    )]
    pub format: FormatArg,

    /// No summary line, no progress, no notes (warnings and errors are still printed)
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Extract every document through the slow path (same output, more CPU): for
    /// scripts/fastpath-check.sh, which proves the fast path changes nothing
    #[arg(long, hide = true)]
    pub no_fast_path: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Write records to FILE instead of stdout
    ///
    /// The records go to a temporary file next to FILE, renamed to FILE when the run
    /// has completed: an aborted run (a fatal error, a problem under --strict) leaves
    /// FILE as it was (a run killed by a signal may leave a hidden .aidledger-*.tmp file
    /// there). A device or a pipe (/dev/null, a FIFO) is written to directly. "-" means
    /// stdout.
    #[arg(verbatim_doc_comment, short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write a table for people instead of JSON Lines
    ///
    /// One row per record: document, status, donors → recipient, items with
    /// quantities, value, date, asserted by, first evidence span; long cells are cut
    /// with "…". Documents without records get a "(no records)" row.
    #[arg(verbatim_doc_comment, long)]
    pub pretty: bool,

    /// Also tell, sentence by sentence, why records were or were not made
    ///
    /// One line per sentence holding a trigger word or a weapon name:
    ///   doc-id @start..end: outcome: "sentence"
    /// (start and end are UTF-8 byte offsets into the document text). With JSON Lines
    /// output the explain lines go to stderr, prefixed "explain: ", so the records stay
    /// clean; with --pretty they go into the table, under the rows of their document.
    #[arg(verbatim_doc_comment, long)]
    pub explain: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Jsonl,
    Text,
    Html,
    Warc,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Auto => Format::Auto,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Text => Format::Text,
            FormatArg::Html => Format::Html,
            FormatArg::Warc => Format::Warc,
        }
    }
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Language of the phrases
    #[arg(long, value_enum)]
    pub lang: LangArg,

    /// Reference time for relative dates: 2013-02-12T04:30:00 or 2013-02-12 [default: today, local time, 00:00]
    ///
    /// "mardi dernier" read on 2013-02-12 is 2013-02-05. Without --ref, today's local
    /// date at midnight is used, so results of relative dates change from day to day:
    /// give --ref for anything reproducible.
    #[arg(verbatim_doc_comment, long = "ref", value_name = "DATETIME", value_parser = parse_ref)]
    pub reference: Option<jiff::civil::DateTime>,

    /// Resolve underspecified dates ("mardi", "in March") to the past or the future of --ref
    ///
    /// past: the most recent matching date at or before --ref (news reporting).
    /// future: the next matching date after --ref (Duckling's convention).
    #[arg(verbatim_doc_comment, long, value_enum, default_value = "past")]
    pub prefer: PreferArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Fr,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferArg {
    Past,
    Future,
}

fn parse_published_arg(s: &str) -> Result<String, String> {
    parse_published(s)
}

/// `--ref`: a civil datetime (`2013-02-12T04:30:00`) or a date (`2013-02-12`, at midnight).
pub fn parse_ref(s: &str) -> Result<jiff::civil::DateTime, String> {
    let t = s.trim();
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        return Ok(dt);
    }
    if let Ok(d) = t.parse::<jiff::civil::Date>() {
        return Ok(d.to_datetime(jiff::civil::Time::midnight()));
    }
    Err(format!(
        "{s:?} is not a date or datetime (expected 2013-02-12T04:30:00 or 2013-02-12)"
    ))
}

/// `--max-doc-bytes`: bytes, with an optional K/M/G suffix (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad = || format!("{s:?} is not a size (expected bytes, or a number with K, M or G: 32M)");
    let n: u64 = num.parse().map_err(|_| bad())?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(bad()),
    };
    let v = n.checked_mul(mult).ok_or_else(bad)?;
    if v == 0 {
        return Err("the size must be more than 0".into());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("32MiB").unwrap(), 32 << 20);
        assert_eq!(parse_size("500k").unwrap(), 500 << 10);
        assert_eq!(parse_size("1G").unwrap(), 1 << 30);
        assert_eq!(parse_size("1234").unwrap(), 1234);
        assert!(parse_size("0").is_err());
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn refs() {
        assert_eq!(
            parse_ref("2013-02-12T04:30:00").unwrap().to_string(),
            "2013-02-12T04:30:00"
        );
        assert_eq!(
            parse_ref("2013-02-12").unwrap().to_string(),
            "2013-02-12T00:00:00"
        );
        assert!(parse_ref("12/02/2013").is_err());
    }
}
