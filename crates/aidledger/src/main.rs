//! `aidledger`: command-line front end of the AidLedger extractor.
//!
//! - `aidledger extract`: documents in (JSONL, gzip JSONL, text files, folders, stdin),
//!   records out (JSON Lines or a table). See [`extract`] and [`input`].
//! - `aidledger text`: the main text of a web page (see `aidledger_html`).
//! - `aidledger parse`: number, money and date phrases in, JSON lines out.
//! - `aidledger ingest`, `reextract`, `ledger`, `export`, `search`: the store (SQLite by default,
//!   PostgreSQL with `--db postgres://...`). See [`ingest_cmd`] and [`ledger_cmd`].
//!
//! Exit codes: 0 when the run completed (even if documents were skipped), 1 for a fatal
//! error (output not writable, a problem under `--strict`, an internal error), 2 for usage
//! errors (bad flags or values, an input path that does not exist). A closed stdout (as in
//! `aidledger extract docs.jsonl | head`) ends the run quietly with 0.

mod cli;
mod extract;
mod ingest_cmd;
mod ledger_cmd;
mod output;
mod panics;
mod reextract_cmd;
mod report;
mod text_cmd;

use aidledger_cli::input;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, LangArg, ParseArgs, PreferArg};

/// Why a command stopped early.
#[derive(Debug)]
pub enum Fatal {
    /// Bad command line (exit 2).
    Usage(String),
    /// I/O or internal error (exit 1).
    Io(String),
    /// A problem with the input under `--strict` (exit 1).
    Strict(String),
    /// stdout was closed by the reader: stop quietly (exit 0).
    BrokenPipe,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Parse(args) => run_parse(args),
        Command::Ingest(args) => ingest_cmd::ingest(args),
        Command::Reextract(args) => reextract_cmd::run(args),
        Command::Ledger(args) => ledger_cmd::ledger(args),
        Command::Export(args) => ledger_cmd::export(args),
        Command::Search(args) => ledger_cmd::search(args),
        Command::Text(args) => text_cmd::run(args),
        Command::Serve(args) => serve_limits(&args).and_then(|limits| {
            aidledger_serve::run(aidledger_serve::ServeOptions {
                db: args.db.db,
                addr: args.addr,
                token: args.token,
                limits,
            })
            .map_err(Fatal::Io)
        }),
    };
    // messages may quote input (file names, ids): no control character gets through
    let shown = |m: &str| report::printable(m).into_owned();
    let (code, msg) = match result {
        Ok(()) | Err(Fatal::BrokenPipe) => (0, None),
        Err(Fatal::Usage(m)) => (2, Some(format!("{}\n(see aidledger --help)", shown(&m)))),
        Err(Fatal::Io(m)) => (1, Some(shown(&m))),
        Err(Fatal::Strict(m)) => (1, Some(format!("{}\n(stopped by --strict)", shown(&m)))),
    };
    if let Some(m) = msg {
        let _ = writeln!(io::stderr(), "error: {m}");
    }
    ExitCode::from(code)
}

/// `aidledger parse`: one JSON line per input line, computed by `aidledger_parse`.
fn run_parse(args: ParseArgs) -> Result<(), Fatal> {
    let lang = match args.lang {
        LangArg::Fr => aidledger_parse::Lang::Fr,
        LangArg::En => aidledger_parse::Lang::En,
    };
    let prefer = match args.prefer {
        PreferArg::Past => aidledger_parse::Prefer::Past,
        PreferArg::Future => aidledger_parse::Prefer::Future,
    };
    let reference = args.reference.unwrap_or_else(|| {
        jiff::Zoned::now()
            .date()
            .to_datetime(jiff::civil::Time::midnight())
    });
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let input = stdin.lock();
    let stdout = io::stdout();
    let result = if interactive {
        // Answer each typed phrase at once.
        let mut out = stdout.lock();
        parse_lines(input, &mut out, lang, reference, prefer).and_then(|_| out.flush())
    } else {
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        parse_lines(input, &mut out, lang, reference, prefer).and_then(|_| out.flush())
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Fatal::BrokenPipe),
        Err(e) => Err(Fatal::Io(format!("parse: {e}"))),
    }
}

/// The normalisers' line protocol, from `aidledger_parse`.
fn parse_lines(
    input: impl io::BufRead,
    output: impl Write,
    lang: aidledger_parse::Lang,
    reference: jiff::civil::DateTime,
    prefer: aidledger_parse::Prefer,
) -> io::Result<()> {
    aidledger_parse::run_parse_lines(input, output, lang, reference, prefer)
}

/// The limits given to `serve`, checked: positive, finite times and counts.
fn serve_limits(args: &cli::ServeArgs) -> Result<aidledger_serve::Limits, Fatal> {
    let secs = |name: &str, v: f64| {
        if v.is_finite() && v > 0.0 && v <= 86_400.0 {
            Ok(std::time::Duration::from_secs_f64(v))
        } else {
            Err(Fatal::Usage(format!(
                "--{name} must be a number of seconds above 0 and at most 86400"
            )))
        }
    };
    let count = |name: &str, v: usize| {
        if v > 0 {
            Ok(v)
        } else {
            Err(Fatal::Usage(format!("--{name} must be at least 1")))
        }
    };
    Ok(aidledger_serve::Limits {
        max_body_bytes: count("max-body-bytes", args.max_body_bytes)?,
        request_timeout: secs("request-timeout", args.request_timeout)?,
        max_in_flight: count("max-in-flight", args.max_in_flight)?,
        header_timeout: secs("header-timeout", args.header_timeout)?,
        max_connections: count("max-connections", args.max_connections)?,
        read_connections: args.read_connections,
    })
}
