//! The store's schema, written once as data and rendered to SQL for each backend.
//!
//! [`MIGRATIONS`] is the list of versioned migrations. Each is a list of [`Step`]s:
//! tables, indexes (both rendered from the same definition for SQLite and PostgreSQL,
//! with the backend's types: `TEXT`/`INTEGER`/`REAL` on SQLite in `STRICT` tables,
//! `TEXT COLLATE "C"`/`BIGINT`/`DOUBLE PRECISION` on PostgreSQL, so that text compares
//! and sorts byte-wise on both), and backend-specific SQL where the backends differ
//! (full-text search: an FTS5 table on SQLite, a `tsvector` column on PostgreSQL).
//!
//! The version a database is at is the `schema_version` row of the `meta` table. Opening
//! a database applies, in one transaction, the migrations above its version; a database
//! whose version is above [`LATEST_VERSION`] is refused (`StoreError::NewerSchema`)
//! before anything is written. To change the schema, append a migration: never edit a
//! released one.
//!
//! [`describe`] renders the logical schema as Markdown; the crate's `README.md` holds
//! that text and a test keeps the two in sync.

/// The two backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// UTF-8 text; compared byte-wise on both backends.
    Text,
    /// 64-bit signed integer.
    Int,
    /// 64-bit IEEE float.
    Real,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Type,
    pub nullable: bool,
    pub doc: &'static str,
}

/// A foreign key (always `ON DELETE CASCADE`).
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub columns: &'static [&'static str],
    pub table: &'static str,
    pub ref_columns: &'static [&'static str],
}

/// A table of the logical schema.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub doc: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
    /// SQLite only: an extra `INTEGER PRIMARY KEY` column of this name (a rowid that
    /// `VACUUM` keeps, for the FTS5 index); the primary key above becomes `UNIQUE`.
    /// Not part of the logical schema (not dumped, not on PostgreSQL).
    pub sqlite_rowid: Option<&'static str>,
}

/// An index.
#[derive(Debug, Clone, Copy)]
pub struct Index {
    pub name: &'static str,
    pub table: &'static str,
    pub columns: &'static [&'static str],
}

/// One step of a migration.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    CreateTable(Table),
    CreateIndex(Index),
    /// A column added to an existing table, with the value existing rows take.
    AddColumn {
        table: &'static str,
        column: Column,
        /// SQL literal for existing rows (`'package'`, `'[]'`); also the column's default.
        default: &'static str,
    },
    /// Backend-specific SQL (one or more statements).
    Sql {
        sqlite: &'static str,
        postgres: &'static str,
    },
}

/// A versioned migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub description: &'static str,
    pub steps: &'static [Step],
}

const fn col(name: &'static str, ty: Type, doc: &'static str) -> Column {
    Column {
        name,
        ty,
        nullable: false,
        doc,
    }
}

const fn opt(name: &'static str, ty: Type, doc: &'static str) -> Column {
    Column {
        name,
        ty,
        nullable: true,
        doc,
    }
}

use Type::{Int, Real, Text};

/// Characters folded by the PostgreSQL full-text search (`aidledger_fold`, with
/// [`FOLD_PUNCT`]): the
/// letters of U+00C0..U+024F whose canonical decomposition is an ASCII letter and
/// combining marks, upper and lower case.
pub const FOLD_FROM: &str = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ";
/// What [`FOLD_FROM`] folds to, character by character (lower-case base letters).
pub const FOLD_TO: &str = "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyy";

/// Punctuation the PostgreSQL full-text search turns into spaces before its parser
/// sees the text (so that "SAMP/T", "IRIS-T" or an e-mail address are plain words, as
/// in SQLite's `unicode61` tokenizer, not one `file`, `hword` or `email` token).
pub const FOLD_PUNCT: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’‚“”„«»‹›–—…·•";

/// The latest schema version this build knows.
pub const LATEST_VERSION: i64 = 5;

/// All migrations, oldest first; versions are 1, 2, 3... without gaps.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    description: "documents, records with evidence, commitments, full-text search",
    steps: &[
        Step::CreateTable(Table {
            name: "meta",
            doc: "Store-wide settings: `schema_version` (the migration the database is at) and `commitments_stale` (`1` when the commitments must be rebuilt from all records, `parts` when only those of the parties in `ledger_dirty`, `0` when they are up to date).",
            columns: &[col("key", Text, "setting name"), col("value", Text, "setting value")],
            primary_key: &["key"],
            foreign_keys: &[],
            sqlite_rowid: None,
        }),
        Step::CreateTable(Table {
            name: "documents",
            doc: "One row per ingested document. Metadata missing from the document is taken from its extraction (language, publication date, source).",
            columns: &[
                col("id", Text, "document id"),
                opt("url", Text, "URL"),
                opt("source", Text, "outlet or domain"),
                opt("published", Text, "publication date, `YYYY-MM-DD`, `YYYY-MM` or `YYYY`"),
                opt("lang", Text, "ISO 639-1 code"),
                opt("title", Text, "title"),
                col("text", Text, "full text (evidence offsets are UTF-8 byte offsets into it)"),
                col("content_hash", Text, "SHA-256 (hex) of id, text and the metadata above: an unchanged hash means an unchanged document"),
            ],
            primary_key: &["id"],
            foreign_keys: &[],
            sqlite_rowid: Some("doc_rowid"),
        }),
        Step::CreateTable(Table {
            name: "records",
            doc: "The aid records extracted from a document, in extraction order.",
            columns: &[
                col("doc_id", Text, "document"),
                col("ord", Int, "position of the record in its document's extraction (0-based)"),
                col("status", Text, "stage: requested, considering, pledged, approved, expedited, delivered, refused, blocked, suspended, resumed"),
                col("donors", Text, "JSON array of donor codes"),
                opt("recipient", Text, "recipient code"),
                col("items", Text, "JSON array of items (`name`, `quantity`, `category`)"),
                opt("value_amount", Real, "value in units of the currency"),
                opt("value_currency", Text, "ISO 4217 code of the value"),
                opt("date", Text, "date of the event"),
                opt("asserted_by", Text, "who said so"),
                opt("confidence", Real, "extractor confidence, 0 to 1"),
            ],
            primary_key: &["doc_id", "ord"],
            foreign_keys: &[ForeignKey { columns: &["doc_id"], table: "documents", ref_columns: &["id"] }],
            sqlite_rowid: None,
        }),
        Step::CreateTable(Table {
            name: "evidence",
            doc: "Evidence spans of a record: UTF-8 byte offsets into the document text (end exclusive) and the quoted text.",
            columns: &[
                col("doc_id", Text, "document"),
                col("record_ord", Int, "the record's `ord`"),
                col("ord", Int, "position of the span in the record's evidence (0-based)"),
                col("start_byte", Int, "start offset"),
                col("end_byte", Int, "end offset (exclusive)"),
                col("text", Text, "the span's text"),
            ],
            primary_key: &["doc_id", "record_ord", "ord"],
            foreign_keys: &[ForeignKey { columns: &["doc_id", "record_ord"], table: "records", ref_columns: &["doc_id", "ord"] }],
            sqlite_rowid: None,
        }),
        Step::CreateTable(Table {
            name: "commitments",
            doc: "The ledger: commitments merged from all records by `aidledger_ledger::merge`, replaced as a whole by each rebuild. The `*_key` columns are the values lower-cased (by Rust, the same on both backends) for the case-insensitive filters.",
            columns: &[
                col("id", Text, "stable commitment id"),
                col("donor", Text, "donor code"),
                opt("recipient", Text, "recipient code"),
                col("item", Text, "item name for display"),
                opt("category", Text, "item category"),
                col("donor_key", Text, "`donor` lower-cased"),
                opt("recipient_key", Text, "`recipient` lower-cased"),
                col("item_key", Text, "`item` lower-cased"),
                opt("category_key", Text, "`category` lower-cased"),
                col("status", Text, "latest stage reached"),
                opt("first_date", Text, "earliest date across stages"),
                opt("last_date", Text, "latest date across stages"),
                col("n_sources", Int, "number of distinct outlets"),
                col("json", Text, "the whole commitment as JSON (what is read back)"),
            ],
            primary_key: &["id"],
            foreign_keys: &[],
            sqlite_rowid: None,
        }),
        Step::CreateTable(Table {
            name: "commitment_statuses",
            doc: "Every stage status a commitment has (its stages' and its latest), for the status filter.",
            columns: &[col("commitment_id", Text, "commitment"), col("status", Text, "a status one of its stages has")],
            primary_key: &["commitment_id", "status"],
            foreign_keys: &[ForeignKey { columns: &["commitment_id"], table: "commitments", ref_columns: &["id"] }],
            sqlite_rowid: None,
        }),
        Step::CreateIndex(Index { name: "commitments_donor", table: "commitments", columns: &["donor_key"] }),
        Step::CreateIndex(Index { name: "commitments_recipient", table: "commitments", columns: &["recipient_key"] }),
        Step::CreateIndex(Index { name: "commitments_category", table: "commitments", columns: &["category_key"] }),
        Step::CreateIndex(Index { name: "commitments_status", table: "commitments", columns: &["status"] }),
        Step::CreateIndex(Index { name: "commitments_first_date", table: "commitments", columns: &["first_date"] }),
        Step::CreateIndex(Index { name: "commitments_last_date", table: "commitments", columns: &["last_date"] }),
        Step::CreateIndex(Index { name: "commitments_n_sources", table: "commitments", columns: &["n_sources"] }),
        Step::CreateIndex(Index {
            name: "commitment_statuses_status",
            table: "commitment_statuses",
            columns: &["status", "commitment_id"],
        }),
        Step::Sql {
            // An external-content FTS5 index over documents(title, text), kept in sync by
            // triggers; accents are ignored ("systemes" finds "systèmes").
            sqlite: "
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='doc_rowid',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.doc_rowid, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.doc_rowid, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.doc_rowid, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.doc_rowid, new.title, new.text);
END;",
            // A generated tsvector column over the accent-folded title and text with the
            // 'simple' configuration (no stemming, no stop words, like FTS5), GIN-indexed.
            // Only the first 100,000 characters are indexed: a tsvector holds at most
            // 1 MB, which 100,000 characters cannot exceed even as one-character words
            // (about 12 bytes each); a longer document would otherwise fail to store.
            // The folding is a plain translate() so that it needs no extension (unaccent
            // may not be installable).
            postgres: "
CREATE FUNCTION aidledger_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $fold$ SELECT translate(t, '{FOLD_FROM}', '{FOLD_TO}') $fold$;
ALTER TABLE documents ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple',
        aidledger_fold(left(coalesce(title, '') || ' ' || text, 100000)))) STORED;
CREATE INDEX documents_search ON documents USING gin (search);",
        },
    ],
}, Migration {
    version: 2,
    description: "records carry their kind and flags; documents the extractor version that read them",
    steps: &[
        Step::AddColumn {
            table: "records",
            column: col("kind", Text, "what figure the record reports: package, transfer, total, budget, request (records stored before version 2 read as package)"),
            default: "'package'",
        },
        Step::AddColumn {
            table: "records",
            column: col("flags", Text, "JSON array of doubts a person should confirm (`date_before_war`, `date_after_publication`, `value_out_of_scale`)"),
            default: "'[]'",
        },
        Step::AddColumn {
            table: "documents",
            column: opt("extractor", Text, "version of the extractor and its data that produced the document's records (`aidledger_core::EXTRACTOR_VERSION`); empty for documents stored before version 2"),
            default: "NULL",
        },
    ],
}, Migration {
    version: 3,
    description: "commitments are packages, transfers, requests, totals and budgets (docs/ledger.md): their kind, announcement date, stated value and flags are columns, and `item_key` holds the item and the names of its contents (so that an item filter finds the packages that contain it); the ledger is rebuilt",
    steps: &[
        Step::AddColumn {
            table: "commitments",
            column: col("kind", Text, "package, transfer, request, total or budget (commitments stored before version 3 read as package until the rebuild the migration asks for)"),
            default: "'package'",
        },
        Step::AddColumn {
            table: "commitments",
            column: opt("announced", Text, "announcement date (a package's anchor date)"),
            default: "NULL",
        },
        Step::AddColumn {
            table: "commitments",
            column: opt("amount", Real, "value as stated, in units of `currency`"),
            default: "NULL",
        },
        Step::AddColumn {
            table: "commitments",
            column: opt("currency", Text, "currency of `amount`"),
            default: "NULL",
        },
        Step::AddColumn {
            table: "commitments",
            column: col("flags", Text, "JSON array of sanity flags; a flagged commitment counts in no sum"),
            default: "'[]'",
        },
        Step::CreateIndex(Index { name: "commitments_kind", table: "commitments", columns: &["kind"] }),
        Step::CreateIndex(Index { name: "commitments_announced", table: "commitments", columns: &["announced"] }),
        Step::Sql {
            // The stored commitments are of the previous model: the opening that applies
            // this migration rebuilds them from the records (Store::open).
            sqlite: "UPDATE meta SET value = '1' WHERE key = 'commitments_stale';",
            postgres: "UPDATE meta SET value = '1' WHERE key = 'commitments_stale';",
        },
    ],
}, Migration {
    version: 4,
    description: "sanity confirmations that survive rebuilds; the parties of each record and the parties a write touched, so that a rebuild recomputes only those; per-commitment figures (`aidledger_ledger::figures::tally`) as columns for sums, sorts and year filters in SQL; the ledger is rebuilt",
    steps: &[
        Step::CreateTable(Table {
            name: "confirmations",
            doc: "Flagged commitments a person confirmed (`aidledger ledger confirm ID`): they count in the sums. Kept by id across rebuilds and re-extraction; a confirmation whose commitment no longer exists stays (listed by `ledger confirm --list`) and applies again if the commitment comes back.",
            columns: &[
                col("commitment_id", Text, "the confirmed commitment's id"),
                col("flags", Text, "JSON array of the flags the commitment had when confirmed"),
                col("confirmed_at", Int, "when (Unix time, seconds)"),
            ],
            primary_key: &["commitment_id"],
            foreign_keys: &[],
            sqlite_rowid: None,
        }),
        Step::CreateTable(Table {
            name: "record_parties",
            doc: "The donor and recipient pairs a record may feed (`aidledger_ledger::parties`), written with the record: which commitments a write touches.",
            columns: &[
                col("doc_id", Text, "document"),
                col("ord", Int, "the record's `ord`"),
                col("donor", Text, "donor code as the ledger writes it"),
                col("recipient", Text, "recipient code as the ledger writes it, empty for none"),
            ],
            primary_key: &["doc_id", "ord", "donor"],
            foreign_keys: &[ForeignKey { columns: &["doc_id", "ord"], table: "records", ref_columns: &["doc_id", "ord"] }],
            sqlite_rowid: None,
        }),
        Step::CreateIndex(Index { name: "record_parties_party", table: "record_parties", columns: &["donor", "recipient"] }),
        Step::CreateTable(Table {
            name: "ledger_dirty",
            doc: "The parties whose records changed since the last rebuild (when `commitments_stale` is `parts`): the next rebuild recomputes their commitments only.",
            columns: &[
                col("donor", Text, "donor code"),
                col("recipient", Text, "recipient code, empty for none"),
            ],
            primary_key: &["donor", "recipient"],
            foreign_keys: &[],
            sqlite_rowid: None,
        }),
        Step::AddColumn {
            table: "commitments",
            column: opt("year", Text, "the year it was announced (`figures::year`)"),
            default: "NULL",
        },
        Step::AddColumn {
            table: "commitments",
            column: opt("max_amount", Real, "the largest amount reported at any stage (`figures::max_value`), for the value sort"),
            default: "NULL",
        },
        Step::AddColumn {
            table: "commitments",
            column: col("summable", Int, "1 when `figures::summable` (a package or transfer with a value)"),
            default: "0",
        },
        Step::AddColumn {
            table: "commitments",
            column: col("committed", Int, "1 when `figures::is_committed`"),
            default: "0",
        },
        Step::AddColumn {
            table: "commitments",
            column: col("delivered", Int, "1 when `figures::is_delivered`"),
            default: "0",
        },
        Step::AddColumn {
            table: "commitments",
            column: col("n_docs", Int, "number of documents"),
            default: "0",
        },
        Step::CreateIndex(Index { name: "commitments_party", table: "commitments", columns: &["donor", "recipient"] }),
        Step::CreateIndex(Index { name: "commitments_year", table: "commitments", columns: &["year"] }),
        Step::Sql {
            // the new columns and record_parties are filled by the full rebuild that
            // the opening applying this migration runs (Store::open)
            sqlite: "UPDATE meta SET value = '1' WHERE key = 'commitments_stale';",
            postgres: "UPDATE meta SET value = '1' WHERE key = 'commitments_stale';",
        },
    ],
}, Migration {
    version: 5,
    description: "per commitment, its named systems, its dated stages and the documents it cites, so that the systems roll-up, the activity chart and an article's commitments read those rows, not the whole ledger; the ledger is rebuilt",
    steps: &[
        Step::CreateTable(Table {
            name: "commitment_systems",
            doc: "One row per named system of a package or transfer (`aidledger_ledger::figures::system_facts`): what the systems roll-up is computed from. Written with the commitment, replaced with it.",
            columns: &[
                col("commitment_id", Text, "the commitment"),
                col("ord", Int, "position of the system in the commitment's contents"),
                col("donor", Text, "the commitment's donor"),
                col("kind", Text, "the commitment's kind (package or transfer)"),
                col("flagged", Int, "1 when the commitment has sanity flags"),
                col("name", Text, "the system's name"),
                opt("category", Text, "its category"),
                opt("pledged", Int, "the package's pledged quantity (`figures::quantity`)"),
                opt("delivered", Int, "the delivered quantity (`figures::quantity`)"),
                col("sources", Text, "JSON array of the commitment's outlets"),
            ],
            primary_key: &["commitment_id", "ord"],
            foreign_keys: &[],
            sqlite_rowid: None,
        }),
        Step::CreateTable(Table {
            name: "commitment_stage_months",
            doc: "One row per dated stage of a commitment (`aidledger_ledger::figures::stage_months`): the overview's activity chart counts them.",
            columns: &[
                col("commitment_id", Text, "the commitment"),
                col("ord", Int, "position of the stage"),
                col("month", Text, "`YYYY-MM` of the stage's date"),
                col("status", Text, "the stage"),
            ],
            primary_key: &["commitment_id", "ord"],
            foreign_keys: &[],
            sqlite_rowid: None,
        }),
        Step::CreateTable(Table {
            name: "commitment_documents",
            doc: "The documents each commitment cites (its `doc_ids`): which commitments an article feeds, found by an index instead of reading the ledger.",
            columns: &[
                col("commitment_id", Text, "the commitment"),
                col("doc_id", Text, "a document it cites"),
            ],
            primary_key: &["commitment_id", "doc_id"],
            foreign_keys: &[],
            sqlite_rowid: None,
        }),
        Step::CreateIndex(Index { name: "commitment_documents_doc", table: "commitment_documents", columns: &["doc_id"] }),
        Step::Sql {
            // the new tables are filled by the full rebuild that the opening applying
            // this migration runs (Store::open)
            sqlite: "UPDATE meta SET value = '1' WHERE key = 'commitments_stale';",
            postgres: "UPDATE meta SET value = '1' WHERE key = 'commitments_stale';",
        },
    ],
}];

/// The first schema version whose commitments are of the current ledger model: opening a
/// database below it rebuilds the ledger right after the migration.
pub const LEDGER_MODEL_VERSION: i64 = 5;

/// The tables of the logical schema, in creation order.
/// A table as the latest migration leaves it: its columns include those added later.
#[derive(Debug, Clone)]
pub struct TableNow {
    pub name: &'static str,
    pub doc: &'static str,
    pub columns: Vec<Column>,
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
}

/// The tables of the logical schema after every migration.
pub fn tables() -> Vec<TableNow> {
    let mut out: Vec<TableNow> = Vec::new();
    for s in MIGRATIONS.iter().flat_map(|m| m.steps.iter()) {
        match s {
            Step::CreateTable(t) => out.push(TableNow {
                name: t.name,
                doc: t.doc,
                columns: t.columns.to_vec(),
                primary_key: t.primary_key,
                foreign_keys: t.foreign_keys,
            }),
            Step::AddColumn { table, column, .. } => {
                if let Some(t) = out.iter_mut().find(|t| t.name == *table) {
                    t.columns.push(*column);
                }
            }
            _ => {}
        }
    }
    out
}

fn sql_type(ty: Type, backend: Backend) -> &'static str {
    match (backend, ty) {
        (Backend::Sqlite, Type::Text) => "TEXT",
        (Backend::Sqlite, Type::Int) => "INTEGER",
        (Backend::Sqlite, Type::Real) => "REAL",
        (Backend::Postgres, Type::Text) => "TEXT COLLATE \"C\"",
        (Backend::Postgres, Type::Int) => "BIGINT",
        (Backend::Postgres, Type::Real) => "DOUBLE PRECISION",
    }
}

/// The SQL of one step for one backend.
pub fn render(step: &Step, backend: Backend) -> String {
    match step {
        Step::CreateTable(t) => {
            let mut parts: Vec<String> = Vec::new();
            let rowid = t.sqlite_rowid.filter(|_| backend == Backend::Sqlite);
            if let Some(r) = rowid {
                parts.push(format!("{r} INTEGER PRIMARY KEY"));
            }
            for c in t.columns {
                let null = if c.nullable { "" } else { " NOT NULL" };
                parts.push(format!("{} {}{null}", c.name, sql_type(c.ty, backend)));
            }
            let key = t.primary_key.join(", ");
            if rowid.is_some() {
                parts.push(format!("UNIQUE ({key})"));
            } else {
                parts.push(format!("PRIMARY KEY ({key})"));
            }
            for fk in t.foreign_keys {
                parts.push(format!(
                    "FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE CASCADE",
                    fk.columns.join(", "),
                    fk.table,
                    fk.ref_columns.join(", ")
                ));
            }
            let strict = if backend == Backend::Sqlite {
                " STRICT"
            } else {
                ""
            };
            format!(
                "CREATE TABLE {} (\n    {}\n){strict};",
                t.name,
                parts.join(",\n    ")
            )
        }
        Step::AddColumn {
            table,
            column,
            default,
        } => {
            let null = if column.nullable { "" } else { " NOT NULL" };
            format!(
                "ALTER TABLE {table} ADD COLUMN {} {}{null} DEFAULT {default};",
                column.name,
                sql_type(column.ty, backend)
            )
        }
        Step::CreateIndex(i) => format!(
            "CREATE INDEX {} ON {} ({});",
            i.name,
            i.table,
            i.columns.join(", ")
        ),
        Step::Sql { sqlite, postgres } => match backend {
            Backend::Sqlite => sqlite.to_string(),
            Backend::Postgres => {
                let from = format!("{FOLD_FROM}{FOLD_PUNCT}").replace('\'', "''");
                let to = format!("{FOLD_TO}{}", " ".repeat(FOLD_PUNCT.chars().count()));
                postgres
                    .replace("{FOLD_FROM}", &from)
                    .replace("{FOLD_TO}", &to)
            }
        },
    }
}

/// The SQL of one migration for one backend.
pub fn render_migration(m: &Migration, backend: Backend) -> String {
    m.steps
        .iter()
        .map(|s| render(s, backend))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The logical schema as Markdown (one section per table), as in the crate's README.
pub fn describe() -> String {
    let mut out = String::new();
    for t in tables() {
        out.push_str(&format!(
            "### `{}`\n\n{}\n\n| column | type | null | meaning |\n|---|---|---|---|\n",
            t.name, t.doc
        ));
        for c in &t.columns {
            let ty = match c.ty {
                Type::Text => "text",
                Type::Int => "integer",
                Type::Real => "real",
            };
            let key = if t.primary_key.contains(&c.name) {
                " (key)"
            } else {
                ""
            };
            let null = if c.nullable { "yes" } else { "no" };
            out.push_str(&format!(
                "| `{}`{key} | {ty} | {null} | {} |\n",
                c.name, c.doc
            ));
        }
        out.push('\n');
    }
    out.push_str("### Indexes\n\n");
    for m in MIGRATIONS {
        for s in m.steps {
            if let Step::CreateIndex(i) = s {
                out.push_str(&format!(
                    "* `{}` on `{}` ({})\n",
                    i.name,
                    i.table,
                    i.columns.join(", ")
                ));
            }
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_tables_have_the_same_length() {
        assert_eq!(FOLD_FROM.chars().count(), FOLD_TO.chars().count());
        assert!(FOLD_TO.chars().all(|c| c.is_ascii_lowercase()));
        assert!(!FOLD_FROM.contains('\''));
        let sql = render(
            &MIGRATIONS[0].steps[MIGRATIONS[0].steps.len() - 1],
            Backend::Postgres,
        );
        assert!(
            sql.contains("'ÀÁ")
                && sql.contains("ǰ")
                && sql.contains("''")
                && !sql.contains("{FOLD")
        );
    }

    #[test]
    fn migrations_are_numbered_without_gaps() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
        assert_eq!(MIGRATIONS.last().map(|m| m.version), Some(LATEST_VERSION));
    }

    #[test]
    fn keys_and_indexes_name_existing_columns() {
        let ts = tables();
        let has = |t: &str, c: &str| {
            ts.iter()
                .any(|x| x.name == t && x.columns.iter().any(|y| y.name == c))
        };
        for t in &ts {
            for k in t.primary_key {
                assert!(has(t.name, k), "{}.{k}", t.name);
            }
            for fk in t.foreign_keys {
                for (a, b) in fk.columns.iter().zip(fk.ref_columns) {
                    assert!(has(t.name, a) && has(fk.table, b));
                }
            }
        }
        for m in MIGRATIONS {
            for s in m.steps {
                if let Step::CreateIndex(i) = s {
                    for c in i.columns {
                        assert!(has(i.table, c), "{}.{c}", i.table);
                    }
                }
            }
        }
    }

    /// The README's schema section is `describe()`; run the tests with
    /// `AIDLEDGER_UPDATE_README=1` to rewrite it after a schema change.
    #[test]
    fn readme_documents_the_schema() {
        const BEGIN: &str = "<!-- schema:begin (generated by schema::describe) -->\n";
        const END: &str = "<!-- schema:end -->";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).expect("README.md");
        let (Some(b), Some(e)) = (readme.find(BEGIN), readme.find(END)) else {
            panic!("README.md lacks the schema markers");
        };
        let current = &readme[b + BEGIN.len()..e];
        if current != describe() {
            if std::env::var_os("AIDLEDGER_UPDATE_README").is_some() {
                let updated = format!(
                    "{}{}{}",
                    &readme[..b + BEGIN.len()],
                    describe(),
                    &readme[e..]
                );
                std::fs::write(path, updated).expect("write README.md");
            } else {
                panic!("crates/aidledger-store/README.md is out of date: run the tests with AIDLEDGER_UPDATE_README=1");
            }
        }
    }

    #[test]
    fn renders_per_backend_types() {
        let docs = render(&MIGRATIONS[0].steps[1], Backend::Sqlite);
        assert!(
            docs.contains("doc_rowid INTEGER PRIMARY KEY")
                && docs.contains("UNIQUE (id)")
                && docs.ends_with("STRICT;")
        );
        let docs = render(&MIGRATIONS[0].steps[1], Backend::Postgres);
        assert!(
            docs.contains("id TEXT COLLATE \"C\" NOT NULL") && docs.contains("PRIMARY KEY (id)")
        );
        assert!(!docs.contains("doc_rowid"));
    }
}
