//! AidLedger's extraction pipeline.
//!
//! A [`Document`] goes through stages that each add annotations to one [`doc::Doc`]:
//! normalise (with a map back to original byte offsets), strip boilerplate, segment
//! sentences, match gazetteers, read numbers and dates, classify status, attribute
//! speakers, and assemble [`Record`]s with evidence spans into the original text.

pub mod assemble;
pub mod attribute;
pub mod boilerplate;
pub mod doc;
pub mod events;
pub mod gazetteer;
pub mod langid;
pub mod model;
pub mod pipeline;
pub mod pubdate;
pub mod segment;
pub mod tense;
pub mod text;
pub mod voice;

pub use aidledger_parse::Lang;
pub use model::{Document, Evidence, Item, Kind, Record, Status, StatusGroup, Value};
pub use pipeline::Extractor;

use serde::Serialize;

/// Options for one extraction run.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Collect an [`ExplainLine`] for every sentence holding a trigger word or a weapon name.
    pub explain: bool,
}

/// What the pipeline made of one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extraction {
    pub records: Vec<Record>,
    /// Language the document was processed as (`fr`, `en`).
    pub lang: String,
    /// Publication date used to resolve relative dates, if any was found.
    pub published: Option<String>,
    /// Source named in the text ("La source: www.rt.com"), when the document had none.
    pub source: Option<String>,
    /// Filled when [`ExtractOptions::explain`] is set.
    pub explain: Vec<ExplainLine>,
}

/// Why a sentence with a trigger word or weapon name did or did not feed a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainLine {
    pub doc_id: String,
    /// Byte span of the sentence in the original text.
    pub start: usize,
    pub end: usize,
    pub sentence: String,
    /// Index into [`Extraction::records`] of the record the sentence fed, if any.
    pub record: Option<usize>,
    /// Human-readable outcome: "fed record 2 (expedited USA NASAMS)", "no donor", "negated"...
    pub outcome: String,
}

/// Why a document could not be processed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// The document's language is neither French nor English (the detected or given code).
    UnsupportedLanguage(String),
}

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExtractError::UnsupportedLanguage(l) => write!(f, "unsupported language: {l}"),
        }
    }
}

impl std::error::Error for ExtractError {}
