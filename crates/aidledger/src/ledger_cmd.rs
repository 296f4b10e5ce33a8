//! The store commands that read: `ledger` (and `ledger show`), `export`, `search`
//! (`ingest` is in `ingest_cmd`).
//!
//! Thin layers over `aidledger_store`: they open the database named by `--db` read-only,
//! run one store operation and format its result for people (aligned tables) or
//! programs (JSON Lines, CSV). Every CSV goes through `aidledger_store::csv`, which
//! neutralises cells a spreadsheet would run as formulas.

use std::io::{self, BufWriter, Write};

use aidledger_core::{Record, Value};
use aidledger_ledger::{figures, Commitment, SourcedRecord, Stage};
use aidledger_store::csv::write_csv;
use aidledger_store::{LedgerFilter, Order, Store, StoreError, SumsBy, SumsGroup};

use crate::cli::{
    DbArg, ExportArgs, ExportFormat, ExportWhat, LedgerArgs, LedgerCommand, SearchArgs, SortKey,
    TableFormat,
};
use crate::output::{human_amount, truncate};
use crate::Fatal;

/// Opens the store read-only: these commands never write, work on a database in a
/// folder the user cannot write, and create no database where there is none.
fn open(db: &DbArg) -> Result<Store, Fatal> {
    Store::open_read_only(&db.db).map_err(|e| store_fatal(&db.db, e))
}

pub(crate) fn store_fatal(db: &str, e: StoreError) -> Fatal {
    match e {
        // the message names the file already
        StoreError::Missing(_) => Fatal::Io(e.to_string()),
        StoreError::Invalid(m) => Fatal::Usage(m),
        e => Fatal::Io(format!("{db}: {e}")),
    }
}

fn out_err(e: io::Error) -> Fatal {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Fatal::BrokenPipe
    } else {
        Fatal::Io(format!("cannot write the output: {e}"))
    }
}

/// `aidledger ledger`, `aidledger ledger show ID` and `aidledger ledger confirm ID`.
pub fn ledger(args: LedgerArgs) -> Result<(), Fatal> {
    match args.show {
        Some(LedgerCommand::Show { id, format, db }) => return show(&id, format, &db),
        Some(LedgerCommand::Confirm { id, undo, list, db }) => {
            return confirm(id.as_deref(), undo, list, &db)
        }
        None => {}
    }
    let filter = LedgerFilter {
        donor: args.donor.map(|d| d.to_ascii_uppercase()),
        recipient: args.recipient.map(|d| d.to_ascii_uppercase()),
        item: args.item,
        category: args.category,
        status: args.status,
        since: args.since,
        until: args.until,
        min_sources: args.min_sources,
        kind: args.kind,
        limit: args.limit,
        offset: args.offset,
    };
    filter.check().map_err(|e| {
        Fatal::Usage(format!(
            "--{} is {} characters long; at most {} are allowed",
            e.field,
            e.chars,
            aidledger_store::MAX_FILTER_CHARS
        ))
    })?;
    let store = open(&args.db)?;
    let year = args.year.as_deref();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.sums {
        let groups = store
            .sums_by(&filter, SumsBy::Party, year)
            .map_err(|e| store_fatal(&args.db.db, e))?;
        write_sums(&mut out, &groups, args.format).map_err(out_err)?;
        return out.flush().map_err(out_err);
    }
    if args.systems {
        let all = LedgerFilter {
            limit: None,
            offset: None,
            ..filter
        };
        let cs = store
            .commitments_page(&all, Order::Date, year)
            .map_err(|e| store_fatal(&args.db.db, e))?
            .items;
        write_systems(&mut out, &cs, args.format).map_err(out_err)?;
        return out.flush().map_err(out_err);
    }
    let order = match args.sort {
        SortKey::Date => Order::Date,
        SortKey::Sources => Order::Sources,
        SortKey::Value => Order::Value,
        SortKey::Donor => Order::Donor,
        SortKey::Item => Order::Item,
    };
    let cs = store
        .commitments_page(&filter, order, year)
        .map_err(|e| store_fatal(&args.db.db, e))?
        .items;
    match args.format {
        TableFormat::Json => {
            for c in &cs {
                let line = serde_json::to_string(c).map_err(|e| Fatal::Io(e.to_string()))?;
                writeln!(out, "{line}").map_err(out_err)?;
            }
        }
        TableFormat::Csv => write_commitments_csv(&mut out, &cs).map_err(out_err)?,
        TableFormat::Table => {
            writeln!(out, "{}", ledger_header()).map_err(out_err)?;
            for c in &cs {
                writeln!(out, "{}", ledger_row(c)).map_err(out_err)?;
            }
            if cs.is_empty() {
                writeln!(out, "(no commitments match)").map_err(out_err)?;
            }
        }
    }
    out.flush().map_err(out_err)
}

/// `ledger --sums`: the sums ([`figures::Sums`], computed by the store in SQL from the
/// figures of each commitment) of the selected commitments per donor and recipient.
fn write_sums(out: &mut dyn Write, groups: &[SumsGroup], format: TableFormat) -> io::Result<()> {
    let sums: Vec<((&String, &Option<String>), &figures::Sums)> = groups
        .iter()
        .map(|g| ((&g.key, &g.recipient), &g.sums))
        .collect();
    let money = |m: &std::collections::BTreeMap<String, f64>| -> String {
        if m.is_empty() {
            return "-".into();
        }
        m.iter()
            .map(|(cur, v)| format!("{} {cur}", human_amount(*v)))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    match format {
        TableFormat::Table => {
            writeln!(
                out,
                "{:<11}  {:<22}  {:<22}  {:<40}  {:>7}",
                "DONOR→RECIP", "COMMITTED", "DELIVERED", "COMMITMENTS BY KIND", "FLAGGED"
            )?;
            for ((donor, recipient), s) in &sums {
                let kinds: Vec<String> =
                    s.by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
                writeln!(
                    out,
                    "{:<11}  {:<22}  {:<22}  {:<40}  {:>7}",
                    format!("{donor}→{}", recipient.as_deref().unwrap_or("?")),
                    money(&s.committed),
                    money(&s.delivered),
                    kinds.join(", "),
                    s.flagged
                )?;
            }
            if sums.is_empty() {
                writeln!(out, "(no commitments match)")?;
            }
        }
        TableFormat::Json | TableFormat::Csv => {
            for ((donor, recipient), s) in &sums {
                let line = serde_json::json!({"donor": donor, "recipient": recipient, "sums": s});
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// `ledger --systems`: [`figures::systems`] per donor of the selected commitments.
fn write_systems(out: &mut dyn Write, cs: &[Commitment], format: TableFormat) -> io::Result<()> {
    let rows = figures::systems(cs, true);
    match format {
        TableFormat::Table => {
            writeln!(
                out,
                "{:<6}  {:<24}  {:>8}  {:>8}  {:>9}  {:>3}",
                "DONOR", "SYSTEM", "PLEDGED", "PACKAGES", "DELIVERED", "SRC"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<6}  {:<24}  {:>8}  {:>8}  {:>9}  {:>3}",
                    r.donor.as_deref().unwrap_or("all"),
                    truncate(&r.system, 24),
                    r.pledged,
                    r.packages,
                    r.delivered,
                    r.sources.len()
                )?;
            }
            if rows.is_empty() {
                writeln!(out, "(no systems in the selected commitments)")?;
            }
        }
        TableFormat::Json | TableFormat::Csv => {
            for r in &rows {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string(r).map_err(io::Error::other)?
                )?;
            }
        }
    }
    Ok(())
}

fn short_id(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

fn stage_summary(s: &Stage) -> String {
    let mut t = s.status.as_str().to_string();
    if let Some(q) = s.quantities.first() {
        t = format!("{} {t}", q.value);
    }
    if let Some(d) = s.dates.first() {
        t.push(' ');
        t.push_str(&d.value);
    }
    t
}

fn value_text(v: &Value) -> String {
    format!("{} {}", human_amount(v.amount), v.currency)
}

fn ledger_header() -> String {
    format!(
        "{:<10}  {:<8}  {:<11}  {:<10}  {:<30}  {:<11}  {:<40}  {:>10}  {:>3}  {}",
        "ID",
        "KIND",
        "DONOR→RECIP",
        "ANNOUNCED",
        "ITEMS",
        "STATUS",
        "TIMELINE",
        "VALUE",
        "SRC",
        "FLAGS"
    )
}

fn ledger_row(c: &Commitment) -> String {
    let timeline: Vec<String> = c.stages.iter().map(stage_summary).collect();
    let r = figures::row(c);
    let items = if r.items.is_empty() {
        c.item.clone()
    } else {
        r.items.join(", ")
    };
    let value = c
        .value
        .as_ref()
        .map(value_text)
        .unwrap_or_else(|| "-".into());
    format!(
        "{:<10}  {:<8}  {:<11}  {:<10}  {:<30}  {:<11}  {:<40}  {:>10}  {:>3}  {}",
        short_id(&c.id),
        r.kind,
        format!("{}→{}", c.donor, c.recipient.as_deref().unwrap_or("?")),
        c.announced.as_deref().unwrap_or("-"),
        truncate(&items, 30),
        c.status.as_str(),
        truncate(&timeline.join(" · "), 40),
        truncate(&value, 10),
        c.sources.len(),
        r.flags.join(",")
    )
}

/// `aidledger ledger confirm ID [--undo]`, `aidledger ledger confirm --list`.
fn confirm(id: Option<&str>, undo: bool, list: bool, db: &DbArg) -> Result<(), Fatal> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if list {
        let store = open(db)?;
        let cs = store.confirmations().map_err(|e| store_fatal(&db.db, e))?;
        for c in &cs {
            writeln!(
                out,
                "{}  {}  confirmed at {} (Unix time){}",
                c.commitment_id,
                c.flags.join(", "),
                c.confirmed_at,
                if c.present {
                    ""
                } else {
                    "; no such commitment in the ledger now"
                }
            )
            .map_err(out_err)?;
        }
        if cs.is_empty() {
            writeln!(out, "(no confirmations)").map_err(out_err)?;
        }
        return out.flush().map_err(out_err);
    }
    let id = id.unwrap_or_default();
    let mut store = Store::open(&db.db).map_err(|e| store_fatal(&db.db, e))?;
    let full = resolve(&store, id, db)?.id;
    if undo {
        let had = store.unconfirm(&full).map_err(|e| store_fatal(&db.db, e))?;
        let msg = if had {
            "confirmation withdrawn: kept out of the sums again"
        } else {
            "was not confirmed: nothing done"
        };
        writeln!(out, "{full}: {msg}").map_err(out_err)?;
    } else {
        let c = store
            .confirm(&full)
            .map_err(|e| match e {
                StoreError::Invalid(m) => Fatal::Usage(m),
                e => store_fatal(&db.db, e),
            })?
            .ok_or_else(|| Fatal::Usage(format!("no commitment with id {full:?}")))?;
        writeln!(
            out,
            "{full}: confirmed ({}): it counts in the sums",
            c.flags.join(", ")
        )
        .map_err(out_err)?;
    }
    out.flush().map_err(out_err)
}

/// The commitment of an id or a unique prefix of one.
fn resolve(store: &Store, id: &str, db: &DbArg) -> Result<Commitment, Fatal> {
    if let Some(c) = store.commitment(id).map_err(|e| store_fatal(&db.db, e))? {
        return Ok(c);
    }
    // a unique prefix of an id is enough (looked up in the database)
    let hits = store
        .commitment_ids_with_prefix(id, 2)
        .map_err(|e| store_fatal(&db.db, e))?;
    let found = match hits.as_slice() {
        [one] => store.commitment(one).map_err(|e| store_fatal(&db.db, e))?,
        [] => None,
        _ => {
            return Err(Fatal::Usage(format!(
                "several commitments start with {id:?}: give more of the id"
            )))
        }
    };
    found.ok_or_else(|| Fatal::Usage(format!("no commitment with id {id:?} in {}", db.db)))
}

/// `aidledger ledger show ID`: the timeline, each stage with its figures and evidence.
fn show(id: &str, format: TableFormat, db: &DbArg) -> Result<(), Fatal> {
    let store = open(db)?;
    let c = resolve(&store, id, db)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if format == TableFormat::Json {
        let line = serde_json::to_string_pretty(&c).map_err(|e| Fatal::Io(e.to_string()))?;
        writeln!(out, "{line}").map_err(out_err)?;
        return out.flush().map_err(out_err);
    }
    let w = |out: &mut BufWriter<_>, s: String| writeln!(out, "{s}").map_err(out_err);
    w(
        &mut out,
        format!(
            "{}  {} → {}: {}",
            c.id,
            c.donor,
            c.recipient.as_deref().unwrap_or("?"),
            c.item
        ),
    )?;
    w(
        &mut out,
        format!(
            "{}; announced {}; value as stated {}; category {}; now {}; {} sources; {} documents",
            c.kind,
            c.announced.as_deref().unwrap_or("-"),
            c.value
                .as_ref()
                .map(value_text)
                .unwrap_or_else(|| "-".into()),
            c.category.as_deref().unwrap_or("-"),
            c.status,
            c.sources.len(),
            c.doc_ids.len()
        ),
    )?;
    if !c.flags.is_empty() && c.confirmed {
        w(
            &mut out,
            format!(
                "FLAGGED {}, CONFIRMED by a person: counts in the sums (`aidledger ledger confirm --undo {}` withdraws it)",
                c.flags.join(", "),
                c.id
            ),
        )?;
    } else if !c.flags.is_empty() {
        w(
            &mut out,
            format!(
                "FLAGGED {}: kept out of every sum until confirmed (`aidledger ledger confirm {}`)",
                c.flags.join(", "),
                c.id
            ),
        )?;
    }
    let reported = |r: &[aidledger_ledger::Reported<u64>]| -> String {
        r.iter()
            .map(|q| format!("{} ({})", q.value, q.doc_ids.join(", ")))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    for i in &c.contents {
        let mut line = format!("contains {}", i.name);
        if !i.pledged.is_empty() {
            line.push_str(&format!("; pledged {}", reported(&i.pledged)));
        }
        if !i.delivered.is_empty() {
            line.push_str(&format!("; delivered {}", reported(&i.delivered)));
        }
        w(&mut out, line)?;
    }
    for p in &c.series {
        w(
            &mut out,
            format!(
                "total {} by {} ({})",
                value_text(&p.value),
                p.date.as_deref().unwrap_or("?"),
                p.doc_ids.join(", ")
            ),
        )?;
    }
    for s in &c.stages {
        w(&mut out, String::new())?;
        let dates: Vec<String> = s
            .dates
            .iter()
            .map(|d| format!("{} ({})", d.value, d.doc_ids.join(", ")))
            .collect();
        w(
            &mut out,
            format!(
                "{}  {}",
                s.status.as_str().to_uppercase(),
                if dates.is_empty() {
                    "undated".into()
                } else {
                    dates.join("; ")
                }
            ),
        )?;
        for q in &s.quantities {
            w(
                &mut out,
                format!("  quantity {} ({})", q.value, q.doc_ids.join(", ")),
            )?;
        }
        for v in &s.values {
            w(
                &mut out,
                format!(
                    "  value {} ({})",
                    value_text(&v.value),
                    v.doc_ids.join(", ")
                ),
            )?;
        }
        for a in &s.asserted_by {
            w(
                &mut out,
                format!("  said by {} ({})", a.value, a.doc_ids.join(", ")),
            )?;
        }
        w(&mut out, format!("  sources: {}", s.sources.join(", ")))?;
        for e in &s.evidence {
            w(
                &mut out,
                format!(
                    "  - {} [{} {}..{}{}]",
                    truncate(&crate::output::collapse_ws(&e.text), 160),
                    e.doc_id,
                    e.start,
                    e.end,
                    e.published
                        .as_deref()
                        .map(|p| format!(", {p}"))
                        .unwrap_or_default()
                ),
            )?;
        }
    }
    out.flush().map_err(out_err)
}

/// The analyst's columns of a commitment ([`figures::ROW_COLUMNS`]), one row per
/// commitment; lists are joined with "; ".
fn commitment_rows(cs: &[Commitment]) -> Vec<Vec<String>> {
    cs.iter()
        .map(|c| {
            let r = figures::row(c);
            vec![
                r.id,
                r.kind,
                r.donor,
                r.recipient.unwrap_or_default(),
                r.announced.unwrap_or_default(),
                r.status,
                r.value.map(format_amount).unwrap_or_default(),
                r.currency.unwrap_or_default(),
                r.items.join("; "),
                r.sources.join("; "),
                r.flags.join("; "),
                if r.confirmed { "yes" } else { "" }.to_string(),
            ]
        })
        .collect()
}

fn record_rows(rs: &[SourcedRecord]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for sr in rs {
        let r: &Record = &sr.record;
        let items: Vec<Option<&aidledger_core::Item>> = if r.items.is_empty() {
            vec![None]
        } else {
            r.items.iter().map(Some).collect()
        };
        for donor in &r.donors {
            for it in &items {
                rows.push(vec![
                    r.doc_id.clone(),
                    donor.clone(),
                    r.recipient.clone().unwrap_or_default(),
                    r.date.clone().unwrap_or_default(),
                    r.status.as_str().to_string(),
                    it.map(|i| i.name.clone()).unwrap_or_default(),
                    it.and_then(|i| i.category.clone()).unwrap_or_default(),
                    it.and_then(|i| i.quantity)
                        .map(|q| q.to_string())
                        .unwrap_or_default(),
                    r.value
                        .as_ref()
                        .map(|v| format_amount(v.amount))
                        .unwrap_or_default(),
                    r.value
                        .as_ref()
                        .map(|v| v.currency.clone())
                        .unwrap_or_default(),
                    sr.source.clone().unwrap_or_default(),
                    r.asserted_by.clone().unwrap_or_default(),
                    r.evidence
                        .first()
                        .map(|e| crate::output::collapse_ws(&e.text))
                        .unwrap_or_default(),
                ]);
            }
        }
    }
    rows
}

const RECORD_COLUMNS: [&str; 13] = [
    "document",
    "donor",
    "recipient",
    "date",
    "status",
    "item",
    "category",
    "quantity",
    "value",
    "currency",
    "source",
    "asserted_by",
    "evidence",
];

fn format_amount(a: f64) -> String {
    if a.fract() == 0.0 && a.abs() < 1e18 {
        format!("{}", a as i64)
    } else {
        format!("{a}")
    }
}

/// The columns of the CSV exports that hold numbers AidLedger wrote: quantity, value
/// (written as numbers; every other cell is text, neutralised against formulas).
const NUMERIC_COLUMNS: [usize; 2] = [7, 8];

/// The column of the commitments CSV that holds a number: value.
const COMMITMENT_NUMERIC: [usize; 1] = [6];

fn write_commitments_csv(out: &mut dyn Write, cs: &[Commitment]) -> io::Result<()> {
    write_csv(
        out,
        &figures::ROW_COLUMNS,
        &commitment_rows(cs),
        &COMMITMENT_NUMERIC,
    )
}

/// `aidledger export`.
pub fn export(args: ExportArgs) -> Result<(), Fatal> {
    let store = open(&args.db)?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) if p.as_os_str() != "-" => {
            Box::new(BufWriter::new(std::fs::File::create(p).map_err(|e| {
                Fatal::Io(format!("cannot create {}: {e}", p.display()))
            })?))
        }
        _ => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match args.what {
        ExportWhat::Commitments => {
            let cs = store
                .commitments(&LedgerFilter::default())
                .map_err(|e| store_fatal(&args.db.db, e))?;
            match args.format {
                ExportFormat::Csv => write_commitments_csv(&mut out, &cs).map_err(out_err)?,
                ExportFormat::Jsonl => {
                    for c in &cs {
                        let line = serde_json::to_string(&figures::row(c))
                            .map_err(|e| Fatal::Io(e.to_string()))?;
                        writeln!(out, "{line}").map_err(out_err)?;
                    }
                }
            }
        }
        ExportWhat::Records => {
            let rs = store.records().map_err(|e| store_fatal(&args.db.db, e))?;
            match args.format {
                ExportFormat::Csv => write_csv(
                    &mut out,
                    &RECORD_COLUMNS,
                    &record_rows(&rs),
                    &NUMERIC_COLUMNS,
                )
                .map_err(out_err)?,
                ExportFormat::Jsonl => {
                    for r in &rs {
                        let line = serde_json::to_string(&r.record)
                            .map_err(|e| Fatal::Io(e.to_string()))?;
                        writeln!(out, "{line}").map_err(out_err)?;
                    }
                }
            }
        }
    }
    out.flush().map_err(out_err)
}

/// `aidledger search QUERY`.
pub fn search(args: SearchArgs) -> Result<(), Fatal> {
    let store = open(&args.db)?;
    let hits = store
        .search(&args.query, args.limit)
        .map_err(|e| store_fatal(&args.db.db, e))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (doc, records) in &hits {
        if args.format == TableFormat::Json {
            let v = serde_json::json!({
                "id": doc.id, "title": doc.title, "url": doc.url, "source": doc.source,
                "published": doc.published, "lang": doc.lang, "records": records,
            });
            writeln!(out, "{v}").map_err(out_err)?;
            continue;
        }
        writeln!(
            out,
            "{}  {}  {}  {}",
            doc.id,
            doc.published.as_deref().unwrap_or("-"),
            doc.source.as_deref().unwrap_or("-"),
            truncate(doc.title.as_deref().unwrap_or(""), 80)
        )
        .map_err(out_err)?;
        for r in records {
            let items: Vec<&str> = r.items.iter().map(|i| i.name.as_str()).collect();
            writeln!(
                out,
                "    {} {}→{} {}{}",
                r.status,
                r.donors.join("+"),
                r.recipient.as_deref().unwrap_or("?"),
                items.join(", "),
                r.value
                    .as_ref()
                    .map(|v| format!(" {}", value_text(v)))
                    .unwrap_or_default()
            )
            .map_err(out_err)?;
        }
    }
    if hits.is_empty() && args.format != TableFormat::Json {
        writeln!(out, "(no documents match {:?})", args.query).map_err(out_err)?;
    }
    out.flush().map_err(out_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_without_exponent() {
        assert_eq!(format_amount(16_800_000_000.0), "16800000000");
        assert_eq!(format_amount(2.5), "2.5");
    }

    /// One row per commitment with the analyst's columns; a text cell that starts like
    /// a formula (an item, an outlet, a flag) is neutralised, the value stays a number.
    #[test]
    fn commitment_csv_rows_and_neutralised_cells() {
        use aidledger_core::{Item, Kind, Record, Status, Value};
        let mut r = SourcedRecord::new(Record {
            doc_id: "d1".into(),
            status: Status::Approved,
            donors: vec!["USA".into()],
            recipient: Some("UKR".into()),
            items: vec![Item {
                name: "=cmd".into(),
                quantity: None,
                category: None,
            }],
            value: Some(Value {
                amount: 400e6,
                currency: "USD".into(),
            }),
            date: Some("2022-11-04".into()),
            asserted_by: None,
            evidence: vec![],
            confidence: 0.9,
            kind: Kind::Package,
            flags: vec!["@odd".into()],
        });
        r.source = Some("-src.example".into());
        r.published = Some("2022-11-04".into());
        let cs = aidledger_ledger::merge(&[r]);
        let mut out = Vec::new();
        write_commitments_csv(&mut out, &cs).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], figures::ROW_COLUMNS.join(","));
        assert_eq!(lines.len(), 2, "{text}");
        let cells: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(
            &cells[1..],
            [
                "package",
                "USA",
                "UKR",
                "2022-11-04",
                "approved",
                "400000000",
                "USD",
                "'=cmd",
                "'-src.example",
                "'@odd",
                ""
            ]
        );
        // a person confirmed the flagged commitment: the row says so
        let mut cs = cs;
        cs[0].confirmed = true;
        let mut out = Vec::new();
        write_commitments_csv(&mut out, &cs).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.lines().nth(1).unwrap().ends_with(",'@odd,yes"),
            "{text}"
        );
    }
}
