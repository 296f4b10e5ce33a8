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
mod heads;
pub mod items;
pub mod langid;
pub mod model;
pub mod pipeline;
pub mod prefilter;
pub mod pubdate;
pub mod roles;
pub mod segment;
pub mod tense;
pub mod text;
pub mod voice;

pub use aidledger_parse::Lang;
pub use model::{Document, Evidence, Item, Kind, Record, Status, StatusGroup, Value};
pub use pipeline::Extractor;

use serde::Serialize;

/// Revision of the extraction rules (the code of the stages). Bump it with every change
/// of the rules that can change records: stored documents read by an older revision are
/// re-extracted (`aidledger ingest`, `aidledger reextract`).
pub const RULES_REVISION: u32 = 2;

/// Every data file compiled into the extractor, for [`extractor_version`].
const DATA_FILES: [&str; 13] = [
    include_str!("../../../data/gazetteer/countries.tsv"),
    include_str!("../../../data/gazetteer/equipment.tsv"),
    include_str!("../../../data/gazetteer/institutions.tsv"),
    include_str!("../../../data/gazetteer/people.tsv"),
    include_str!("../../../data/gazetteer/roles.tsv"),
    include_str!("../../../data/gazetteer/weapons.tsv"),
    include_str!("../../../data/lexicon/abbreviations.txt"),
    include_str!("../../../data/lexicon/belligerents.tsv"),
    include_str!("../../../data/lexicon/boilerplate.tsv"),
    include_str!("../../../data/lexicon/cues.tsv"),
    include_str!("../../../data/lexicon/dollars.tsv"),
    include_str!("../../../data/lexicon/stopwords.tsv"),
    include_str!("../../../data/lexicon/triggers.tsv"),
];

/// The version of the extractor and its data, stored with every document it read:
/// `0.1.0+rules.2.data.1a2b3c4d`, where the last part is a hash (FNV-1a) of all data
/// files, so that editing a lexicon changes it without anyone remembering to.
pub fn extractor_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for f in DATA_FILES {
            for b in f.bytes().chain(std::iter::once(0)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!(
            "{}+rules.{RULES_REVISION}.data.{:08x}",
            env!("CARGO_PKG_VERSION"),
            h >> 32
        )
    })
}

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
    /// Pieces an overlong run of text without sentence punctuation was cut into
    /// ([`segment::MAX_SENTENCE`]); 0 for ordinary text.
    pub capped_sentences: usize,
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
