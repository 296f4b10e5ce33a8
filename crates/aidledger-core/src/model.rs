//! Input documents and output records, as `SCHEMA.md` defines them.

use serde::{Deserialize, Serialize};

/// One input document (a line of documents JSONL, or a text file).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub text: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// ISO 639-1 code; detected when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// Stage of an aid event's life (GUIDELINES.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Requested,
    Considering,
    Pledged,
    Approved,
    Expedited,
    Delivered,
    Refused,
    Blocked,
    Suspended,
    Resumed,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Requested,
        Status::Considering,
        Status::Pledged,
        Status::Approved,
        Status::Expedited,
        Status::Delivered,
        Status::Refused,
        Status::Blocked,
        Status::Suspended,
        Status::Resumed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Requested => "requested",
            Status::Considering => "considering",
            Status::Pledged => "pledged",
            Status::Approved => "approved",
            Status::Expedited => "expedited",
            Status::Delivered => "delivered",
            Status::Refused => "refused",
            Status::Blocked => "blocked",
            Status::Suspended => "suspended",
            Status::Resumed => "resumed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The scorer's status groups: records of one group describe the same stage family.
    pub fn group(self) -> StatusGroup {
        match self {
            Status::Requested => StatusGroup::Request,
            Status::Considering | Status::Pledged | Status::Approved => StatusGroup::Commit,
            Status::Expedited | Status::Delivered => StatusGroup::Deliver,
            Status::Refused | Status::Blocked | Status::Suspended => StatusGroup::Stop,
            Status::Resumed => StatusGroup::Resume,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusGroup {
    Request,
    Commit,
    Deliver,
    Stop,
    Resume,
}

/// One item of a record: a named system or a generic phrase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    pub quantity: Option<u64>,
    pub category: Option<String>,
}

/// An amount of money in units with its ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value {
    pub amount: f64,
    pub currency: String,
}

/// A span of the original document text: UTF-8 byte offsets, end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// What kind of figure a record reports (SCHEMA.md `kind`): the ledger keeps packages,
/// transfers, cumulative totals and budgets apart, and never sums totals or budgets
/// with packages.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One announced tranche or bilateral pledge.
    #[default]
    Package,
    /// A shipment or delivery of items.
    Transfer,
    /// A cumulative figure: "has provided more than $16.8 billion since ...".
    Total,
    /// An appropriation or fund that later packages draw from.
    Budget,
    /// An appeal for aid.
    Request,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Package,
        Kind::Transfer,
        Kind::Total,
        Kind::Budget,
        Kind::Request,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Package => "package",
            Kind::Transfer => "transfer",
            Kind::Total => "total",
            Kind::Budget => "budget",
            Kind::Request => "request",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One aid record (SCHEMA.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub doc_id: String,
    pub status: Status,
    pub donors: Vec<String>,
    pub recipient: Option<String>,
    pub items: Vec<Item>,
    pub value: Option<Value>,
    pub date: Option<String>,
    pub asserted_by: Option<String>,
    pub evidence: Vec<Evidence>,
    pub confidence: f64,
    /// What kind of figure this is; records written before the field existed read as
    /// packages.
    #[serde(default)]
    pub kind: Kind,
    /// Doubts a person should confirm before the record counts in any sum:
    /// `date_before_war`, `date_after_publication`, `value_out_of_scale`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}
