//! Conversions between the store's types and table rows: documents and records
//! prepared for writing, commitments to rows and back, and records read back with
//! their documents' metadata.

use std::collections::{BTreeSet, HashMap};

use aidledger_core::{Document, Evidence, Extraction, Item, Kind, Record, Status, Value};
use aidledger_ledger::{figures, Commitment, SourcedRecord};
use sha2::{Digest, Sha256};

use crate::db::{Conn, DbError, Val};
use crate::DocumentSummary;

/// One document ready to write: everything computed before the transaction opens
/// (the text is borrowed from the caller's document).
pub(crate) struct PreparedDoc<'a> {
    pub(crate) id: &'a str,
    pub(crate) url: Option<&'a str>,
    pub(crate) source: Option<&'a str>,
    pub(crate) published: Option<&'a str>,
    pub(crate) lang: Option<&'a str>,
    pub(crate) title: Option<&'a str>,
    pub(crate) text: &'a str,
    pub(crate) hash: String,
    pub(crate) records: Vec<PreparedRecord>,
}

pub(crate) struct PreparedRecord {
    pub(crate) params: Vec<Val>,
    pub(crate) evidence: Vec<[Val; 3]>,
    /// (donor, recipient or "") pairs of `aidledger_ledger::parties`.
    pub(crate) parties: Vec<(String, String)>,
}

/// A commitment ready to write: its row of `commitments` and its statuses.
pub(crate) struct CommitmentRow {
    pub(crate) id: String,
    pub(crate) params: Vec<Val>,
    pub(crate) statuses: BTreeSet<&'static str>,
}

/// SHA-256 over the document's id, text and metadata, each field length-prefixed (and
/// a missing field told apart from an empty one).
pub(crate) fn content_hash(fields: &[Option<&str>]) -> String {
    let mut h = Sha256::new();
    h.update(b"aidledger-document-v1\0");
    for f in fields {
        match f {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

fn to_i64(n: usize, what: &str) -> Result<i64, String> {
    i64::try_from(n).map_err(|_| format!("{what} {n} is too large to store"))
}

fn to_json<T: serde::Serialize>(doc_id: &str, v: &T) -> Result<String, String> {
    serde_json::to_string(v).map_err(|e| format!("document {doc_id}: {e}"))
}

/// A document and its extraction as rows to write. A document's language,
/// publication date and source, when it names none, are those of its extraction.
pub(crate) fn prepare_doc((doc, ex): &(Document, Extraction)) -> Result<PreparedDoc<'_>, String> {
    let lang = doc
        .lang
        .as_deref()
        .or(Some(ex.lang.as_str()).filter(|l| !l.is_empty()));
    let published = doc
        .published
        .as_deref()
        .or_else(|| non_empty(&ex.published));
    let source = doc.source.as_deref().or_else(|| non_empty(&ex.source));
    // the records are part of what is stored: a newer extractor that reads the same
    // text differently replaces them on the next ingest
    let records_json = to_json(&doc.id, &ex.records)?;
    let hash = content_hash(&[
        Some(&doc.id),
        Some(&doc.text),
        doc.url.as_deref(),
        source,
        published,
        lang,
        doc.title.as_deref(),
        Some(&records_json),
    ]);
    let mut records = Vec::with_capacity(ex.records.len());
    for (i, r) in ex.records.iter().enumerate() {
        // sanity before storage: the record's flags as the ledger computes them from
        // the record and its document (docs/ledger.md, rule "sanity")
        let sourced = SourcedRecord {
            record: r.clone(),
            source: source.map(str::to_string),
            published: published.map(str::to_string),
            url: doc.url.clone(),
            title: doc.title.clone(),
        };
        let flags = aidledger_ledger::sanity::record_flags(&sourced);
        let parties = party_rows(&sourced);
        let params = vec![
            Val::text(&doc.id),
            Val::Int(to_i64(i, "record number")?),
            Val::text(r.status.as_str()),
            Val::Text(to_json(&doc.id, &r.donors)?),
            Val::opt_text(r.recipient.as_deref()),
            Val::Text(to_json(&doc.id, &r.items)?),
            Val::opt_real(r.value.as_ref().map(|v| v.amount)),
            Val::opt_text(r.value.as_ref().map(|v| v.currency.as_str())),
            Val::opt_text(r.date.as_deref()),
            Val::opt_text(r.asserted_by.as_deref()),
            Val::Real(r.confidence),
            Val::text(r.kind.as_str()),
            Val::Text(to_json(&doc.id, &flags)?),
        ];
        let evidence = r
            .evidence
            .iter()
            .map(|e| {
                Ok([
                    Val::Int(to_i64(e.start, "evidence offset")?),
                    Val::Int(to_i64(e.end, "evidence offset")?),
                    Val::text(&e.text),
                ])
            })
            .collect::<Result<Vec<_>, String>>()?;
        records.push(PreparedRecord {
            params,
            evidence,
            parties,
        });
    }
    Ok(PreparedDoc {
        id: &doc.id,
        url: doc.url.as_deref(),
        source,
        published,
        lang,
        title: doc.title.as_deref(),
        text: &doc.text,
        hash,
        records,
    })
}

/// The parties of a record as rows of `record_parties` (no recipient is "").
pub(crate) fn party_rows(r: &SourcedRecord) -> Vec<(String, String)> {
    aidledger_ledger::parties(r)
        .into_iter()
        .map(|(d, r)| (d, r.unwrap_or_default()))
        .collect()
}

/// What the item filter searches: the display item, then each content's name.
fn item_text(c: &Commitment) -> String {
    let mut t = c.item.clone();
    for i in &c.contents {
        t.push_str("; ");
        t.push_str(&i.name);
    }
    t
}

pub(crate) fn commitment_row(c: &Commitment) -> Result<CommitmentRow, DbError> {
    let json =
        serde_json::to_string(c).map_err(|e| DbError::new(format!("commitment {}: {e}", c.id)))?;
    let lower = |s: Option<&str>| Val::opt_text(s.map(|s| s.to_lowercase()).as_deref());
    let mut statuses: BTreeSet<&'static str> = c.stages.iter().map(|s| s.status.as_str()).collect();
    statuses.insert(c.status.as_str());
    let n_sources = i64::try_from(c.sources.len()).unwrap_or(i64::MAX);
    Ok(CommitmentRow {
        id: c.id.clone(),
        params: vec![
            Val::text(&c.id),
            Val::text(&c.donor),
            Val::opt_text(c.recipient.as_deref()),
            Val::text(&c.item),
            Val::opt_text(c.category.as_deref()),
            lower(Some(&c.donor)),
            lower(c.recipient.as_deref()),
            // the item and the names of the contents, so that an item filter finds
            // the packages that contain it
            lower(Some(&item_text(c))),
            lower(c.category.as_deref()),
            Val::text(c.status.as_str()),
            Val::opt_text(c.first_date.as_deref()),
            Val::opt_text(c.last_date.as_deref()),
            Val::Int(n_sources),
            Val::Text(json),
            Val::text(c.kind.as_str()),
            Val::opt_text(c.announced.as_deref()),
            c.value.as_ref().map_or(Val::Null, |v| Val::Real(v.amount)),
            Val::opt_text(c.value.as_ref().map(|v| v.currency.as_str())),
            Val::Text(serde_json::to_string(&c.flags).unwrap_or_else(|_| "[]".into())),
            Val::opt_text(figures::year(c)),
            figures::max_value(c).map_or(Val::Null, Val::Real),
            Val::Int(figures::summable(c).into()),
            Val::Int(figures::is_committed(c).into()),
            Val::Int(figures::is_delivered(c).into()),
            Val::Int(i64::try_from(c.doc_ids.len()).unwrap_or(i64::MAX)),
        ],
        statuses,
    })
}

pub(crate) fn parse_commitment(v: Option<Val>) -> Result<Commitment, DbError> {
    let json = v
        .and_then(Val::into_string)
        .ok_or_else(|| DbError::new("a commitment without JSON"))?;
    serde_json::from_str(&json)
        .map_err(|e| DbError::new(format!("a stored commitment does not parse: {e}")))
}

/// The columns a commitment is read back from: its JSON and whether it is confirmed
/// (with [`parse_commitment_row`]); `c` is the commitments table.
pub(crate) const COMMITMENT_COLUMNS: &str = "c.json, CASE WHEN EXISTS (SELECT 1 FROM confirmations k WHERE k.commitment_id = c.id) THEN 1 ELSE 0 END";

/// A commitment from a row of [`COMMITMENT_COLUMNS`].
pub(crate) fn parse_commitment_row(row: Vec<Val>) -> Result<Commitment, DbError> {
    let mut it = row.into_iter();
    let mut c = parse_commitment(it.next())?;
    c.confirmed = it.next().and_then(|v| v.as_i64()) == Some(1);
    Ok(c)
}

pub(crate) fn summary(row: Vec<Val>) -> DocumentSummary {
    let mut it = row.into_iter();
    let mut next = || it.next().and_then(Val::into_string);
    DocumentSummary {
        id: next().unwrap_or_default(),
        title: next(),
        url: next(),
        source: next(),
        published: next(),
        lang: next(),
    }
}

/// Records with their document's metadata, of all documents or of one, in document
/// then record order.
pub(crate) fn load_records(
    c: &mut dyn Conn,
    doc: Option<&str>,
) -> Result<Vec<SourcedRecord>, DbError> {
    match doc {
        Some(id) => load_records_where(c, Scope::Doc(id)),
        None => load_records_where(c, Scope::All),
    }
}

/// Which records [`load_records_where`] reads.
pub(crate) enum Scope<'a> {
    All,
    Doc(&'a str),
    /// The documents with a record of a party in `ledger_dirty`.
    Dirty,
}

const DIRTY_DOCS: &str = "SELECT rp.doc_id FROM record_parties rp JOIN ledger_dirty d ON rp.donor = d.donor AND rp.recipient = d.recipient";

pub(crate) fn load_records_where(
    c: &mut dyn Conn,
    scope: Scope<'_>,
) -> Result<Vec<SourcedRecord>, DbError> {
    let dirty_doc = format!(" WHERE id IN ({DIRTY_DOCS})");
    let dirty_rec = format!(" WHERE doc_id IN ({DIRTY_DOCS})");
    let (where_doc, where_rec, params) = match scope {
        Scope::Doc(id) => (" WHERE id = $1", " WHERE doc_id = $1", vec![Val::text(id)]),
        Scope::All => ("", "", vec![]),
        Scope::Dirty => (dirty_doc.as_str(), dirty_rec.as_str(), vec![]),
    };
    struct DocMeta {
        source: Option<String>,
        published: Option<String>,
        url: Option<String>,
        title: Option<String>,
    }
    let mut docs: HashMap<String, DocMeta> = HashMap::new();
    for r in c.query(
        // only documents that have records: a ledger of a million articles, most without
        // aid, does not hold every article's metadata in memory to rebuild
        &format!(
            "SELECT id, source, published, url, title FROM documents{where_doc}{}",
            if where_doc.is_empty() {
                " WHERE id IN (SELECT DISTINCT doc_id FROM records)"
            } else {
                ""
            }
        ),
        &params,
    )? {
        let mut it = r.into_iter().map(Val::into_string);
        let id = it.next().flatten().unwrap_or_default();
        let mut next = || it.next().flatten();
        docs.insert(
            id,
            DocMeta {
                source: next(),
                published: next(),
                url: next(),
                title: next(),
            },
        );
    }
    let mut evidence: HashMap<(String, i64), Vec<Evidence>> = HashMap::new();
    let ev_rows = c.query(
        &format!("SELECT doc_id, record_ord, start_byte, end_byte, text FROM evidence{where_rec} ORDER BY doc_id, record_ord, ord"),
        &params,
    )?;
    for r in ev_rows {
        let [doc_id, ord, start, end, text]: [Val; 5] = r
            .try_into()
            .map_err(|_| DbError::new("an evidence row of the wrong width"))?;
        let offset = |v: &Val| {
            v.as_i64()
                .and_then(|x| usize::try_from(x).ok())
                .ok_or_else(|| DbError::new("a bad evidence offset"))
        };
        let e = Evidence {
            start: offset(&start)?,
            end: offset(&end)?,
            text: text.into_string().unwrap_or_default(),
        };
        evidence
            .entry((
                doc_id.into_string().unwrap_or_default(),
                ord.as_i64().unwrap_or(-1),
            ))
            .or_default()
            .push(e);
    }
    let rows = c.query(
        &format!(
            "SELECT doc_id, ord, status, donors, recipient, items, value_amount, value_currency, date, asserted_by,
                 confidence, kind, flags FROM records{where_rec} ORDER BY doc_id, ord"
        ),
        &params,
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let [doc_id, ord, status, donors, recipient, items, amount, currency, date, asserted_by, confidence, kind, flags]: [Val; 13] =
            r.try_into().map_err(|_| DbError::new("a record row of the wrong width"))?;
        let doc_id = doc_id.into_string().unwrap_or_default();
        let ord = ord.as_i64().unwrap_or(-1);
        let status_text = status.into_string().unwrap_or_default();
        let status = Status::parse(&status_text).ok_or_else(|| {
            DbError::new(format!(
                "record {doc_id}#{ord}: unknown status {status_text:?}"
            ))
        })?;
        let donors: Vec<String> = serde_json::from_str(donors.as_str().unwrap_or("[]"))
            .map_err(|e| DbError::new(format!("record {doc_id}#{ord}: donors: {e}")))?;
        let items: Vec<Item> = serde_json::from_str(items.as_str().unwrap_or("[]"))
            .map_err(|e| DbError::new(format!("record {doc_id}#{ord}: items: {e}")))?;
        let value = match (amount.as_f64(), currency.into_string()) {
            (Some(amount), Some(currency)) => Some(Value { amount, currency }),
            _ => None,
        };
        let record = Record {
            doc_id: doc_id.clone(),
            status,
            donors,
            recipient: recipient.into_string(),
            items,
            value,
            date: date.into_string(),
            asserted_by: asserted_by.into_string(),
            evidence: evidence.remove(&(doc_id.clone(), ord)).unwrap_or_default(),
            confidence: confidence.as_f64().unwrap_or(f64::NAN),
            kind: {
                let k = kind.into_string().unwrap_or_default();
                Kind::parse(&k).ok_or_else(|| {
                    DbError::new(format!("record {doc_id}#{ord}: unknown kind {k:?}"))
                })?
            },
            flags: serde_json::from_str(flags.as_str().unwrap_or("[]"))
                .map_err(|e| DbError::new(format!("record {doc_id}#{ord}: flags: {e}")))?,
        };
        let meta = docs.get(&doc_id);
        out.push(SourcedRecord {
            source: meta
                .and_then(|m| m.source.clone())
                .or_else(|| Some(doc_id.clone())),
            published: meta.and_then(|m| m.published.clone()),
            url: meta.and_then(|m| m.url.clone()),
            title: meta.and_then(|m| m.title.clone()),
            record,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_tells_missing_from_empty() {
        assert_ne!(
            content_hash(&[Some("a"), None]),
            content_hash(&[Some("a"), Some("")])
        );
        assert_ne!(
            content_hash(&[Some("ab"), Some("")]),
            content_hash(&[Some("a"), Some("b")])
        );
        assert_eq!(content_hash(&[Some("a")]).len(), 64);
    }
}
