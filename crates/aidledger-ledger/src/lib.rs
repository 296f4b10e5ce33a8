//! The ledger: aid records from many articles merged into commitments.
//!
//! A [`Commitment`] is one announced package or bilateral pledge (donor, recipient,
//! announcement date, value as stated, contents), a transfer that could not be tied to
//! a package, an appeal, a donor's series of cumulative totals, or a budget envelope
//! ([`Commitment::kind`]), with a timeline of [`Stage`]s as articles report them, every
//! figure kept with the documents that report it, and every evidence sentence.
//! [`merge`] is a pure, deterministic function of its input records: the same records
//! in any order give the same commitments with the same ids. The figures every view
//! shows (sums per currency, counts, system roll-ups) are defined once, in
//! [`figures`]. The rules are written in `docs/ledger.md`.

use serde::{Deserialize, Serialize};

pub use aidledger_core::{Document, Kind, Record, Status, Value};

mod cluster;
mod dates;
mod entries;
pub mod figures;
mod keys;
pub use keys::UNKNOWN_OUTLET;
mod merge;
pub mod sanity;
mod summary;

pub use cluster::{PACKAGE_WINDOW_DAYS, RESTATEMENT_WINDOW_DAYS, TRANSFER_WINDOW_DAYS};
pub use merge::{merge, merge_parties, parties, parties_of, Party, PACKAGE_TOLERANCE};

/// Whether `date` is a record date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a month
/// 01-12 and a day 01-31.
pub fn is_record_date(date: &str) -> bool {
    dates::precision(date) > 0
}

/// A record with what the ledger needs to know of the document it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourcedRecord {
    pub record: Record,
    /// Outlet or domain of the document ("rt.com", "whitehouse.gov"); the document id
    /// stands in when the document names none.
    pub source: Option<String>,
    /// The document's publication date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub published: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
}

/// A figure as reported, with the documents that report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reported<T> {
    pub value: T,
    /// Documents that report this figure, sorted.
    pub doc_ids: Vec<String>,
    /// Distinct outlets of those documents (the document id when it names none), sorted.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// One evidence sentence behind a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub doc_id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub published: Option<String>,
    pub source: Option<String>,
}

/// One stage of a commitment's life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub status: Status,
    /// Dates as reported, most precise first; conflicting dates are all kept.
    pub dates: Vec<Reported<String>>,
    pub quantities: Vec<Reported<u64>>,
    pub values: Vec<Reported<Value>>,
    /// Who said so (`asserted_by` of the records), each with its documents.
    pub asserted_by: Vec<Reported<String>>,
    /// Distinct outlets that report this stage, sorted: how many independent sources
    /// corroborate it.
    pub sources: Vec<String>,
    /// Evidence spans of every record of this stage, by document and offset.
    pub evidence: Vec<EvidenceRef>,
    /// Documents that report this stage, sorted.
    #[serde(default)]
    pub doc_ids: Vec<String>,
}

/// What a commitment is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// A named system ("NASAMS").
    System { name: String },
    /// A package known by its value (in units) and currency, and the month it was reported.
    Package {
        amount: u64,
        currency: String,
        month: Option<String>,
    },
    /// Generic equipment ("artillery ammunition"), or several items named together.
    Generic { name: String },
    /// A donor's reported cumulative totals to one recipient, in one currency.
    Total { currency: String },
    /// A budget envelope (appropriation, fund) known by its amount (in units).
    Budget { amount: u64, currency: String },
}

/// One thing a commitment contains: a named system or a generic item, with the
/// quantities reported for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Content {
    /// The spelling written most often.
    pub name: String,
    pub category: Option<String>,
    /// Whether it is a named system (roll-ups are made of these) or a generic item.
    pub named: bool,
    /// Quantities as pledged (records considering, pledged or approved), ascending.
    pub pledged: Vec<Reported<u64>>,
    /// Quantities as delivered (records delivered), ascending.
    pub delivered: Vec<Reported<u64>>,
}

/// One reported cumulative figure of a `total` commitment: "USD 16.8 bn by 2022-10-11".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The figure's date (the record's date, else the publication date), if any.
    pub date: Option<String>,
    pub value: Value,
    pub doc_ids: Vec<String>,
    pub sources: Vec<String>,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// Stable id derived from donor, recipient, kind and key (hex).
    pub id: String,
    /// `package` (an announced package or pledge), `transfer` (a delivery that names
    /// no package), `request`, `total` (a series of cumulative figures) or `budget`.
    #[serde(default)]
    pub kind: Kind,
    pub donor: String,
    pub recipient: Option<String>,
    pub subject: Subject,
    /// Item name for display: the system or generic name, or "package".
    pub item: String,
    pub category: Option<String>,
    /// Stages in life order (requested, considering, pledged, approved, expedited,
    /// delivered, refused, blocked, suspended, resumed), each with its own dates.
    pub stages: Vec<Stage>,
    /// The latest stage reached, by the order above and then by date.
    pub status: Status,
    /// Earliest and latest dates across all stages.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Distinct outlets across all stages.
    pub sources: Vec<String>,
    pub doc_ids: Vec<String>,
    /// The announcement date: the date of the report the commitment is anchored on.
    #[serde(default)]
    pub announced: Option<String>,
    /// The value as stated by the anchor report (other reported values are in the
    /// stages); none for totals, which are a series.
    #[serde(default)]
    pub value: Option<Value>,
    /// What the commitment contains, by name.
    #[serde(default)]
    pub contents: Vec<Content>,
    /// Doubts from [`sanity`]: a flagged commitment is shown but kept out of every sum
    /// until a person confirms it.
    #[serde(default)]
    pub flags: Vec<String>,
    /// Whether a person confirmed the flagged commitment (`aidledger ledger confirm`):
    /// then it counts in the sums like an unflagged one. `merge` leaves it false; the
    /// store sets it from its confirmations, which survive rebuilds.
    #[serde(default)]
    pub confirmed: bool,
    /// The dated cumulative figures of a `total` commitment, by date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Point>,
}

impl SourcedRecord {
    /// A record with no document metadata (its outlet is unknown).
    pub fn new(record: Record) -> SourcedRecord {
        SourcedRecord {
            record,
            source: None,
            published: None,
            url: None,
            title: None,
        }
    }

    /// A record with the metadata of the document it was extracted from.
    pub fn from_document(doc: &Document, record: Record) -> SourcedRecord {
        SourcedRecord {
            record,
            source: doc.source.clone(),
            published: doc.published.clone(),
            url: doc.url.clone(),
            title: doc.title.clone(),
        }
    }

    /// The outlet the ledger counts this record under: the source trimmed, lowercase,
    /// without a leading `www.`; else the host of the document's address; else
    /// [`UNKNOWN_OUTLET`] (documents without either count as one outlet together).
    pub fn outlet(&self) -> String {
        keys::outlet(self.source.as_deref(), self.url.as_deref())
    }
}

impl Stage {
    /// The most precise reported date (the earliest of equal precision), if any.
    pub fn date(&self) -> Option<&str> {
        self.dates.first().map(|d| d.value.as_str())
    }

    /// The quantity when every document that gives one agrees.
    pub fn quantity(&self) -> Option<u64> {
        match self.quantities.as_slice() {
            [q] => Some(q.value),
            _ => None,
        }
    }
}

impl Subject {
    /// "system", "package", "generic", "total" or "budget".
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::System { .. } => "system",
            Subject::Package { .. } => "package",
            Subject::Generic { .. } => "generic",
            Subject::Total { .. } => "total",
            Subject::Budget { .. } => "budget",
        }
    }
}

impl Commitment {
    /// The stage of this status, if reported.
    pub fn stage(&self, status: Status) -> Option<&Stage> {
        self.stages.iter().find(|s| s.status == status)
    }

    /// Whether a stage of this status is reported.
    pub fn has_stage(&self, status: Status) -> bool {
        self.stage(status).is_some()
    }

    /// One line for analysts, e.g. `USA → UKR, 8 NASAMS: approved 2022-08, 2 expedited
    /// 2022-10-11, delivered 2022-11 (2 sources)`. Conflicting figures read `4 or 6`.
    pub fn summary(&self) -> String {
        summary::summary(self)
    }
}
