//! Re-extraction: finding the stored documents whose records were made by another
//! extractor version (the `documents.extractor` column), and reading them back as
//! documents, a page at a time, so that the caller can extract them again and store
//! the result with [`Store::ingest_batch_each`] (which sets the version).

use aidledger_core::Document;

use crate::db::Val;
use crate::{read, Store, StoreError};

/// How many stored documents there are, and how many of them were read by another
/// extractor version than the current one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VersionCounts {
    pub documents: usize,
    pub outdated: usize,
}

fn as_count(v: Option<&Val>) -> usize {
    v.and_then(Val::as_i64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

impl Store {
    /// All documents, and those whose `extractor` is not `version` (a missing one, from
    /// a database made before the column existed, counts as another version).
    pub fn version_counts(&self, version: &str) -> Result<VersionCounts, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| {
            c.query(
                "SELECT count(*), count(CASE WHEN COALESCE(extractor, '') <> $1 THEN 1 END) FROM documents",
                &[Val::text(version)],
            )
        })
        .map_err(|e| self.db_err("count the documents by extractor version", e))?;
        let row = rows.first();
        Ok(VersionCounts {
            documents: as_count(row.and_then(|r| r.first())),
            outdated: as_count(row.and_then(|r| r.get(1))),
        })
    }

    /// Up to `limit` stored documents, with their text and metadata, whose id sorts
    /// after `after` (all when `None`), in id order: only those whose extractor is not
    /// `version`, or every one when `version` is `None`. Pass the last id of a page as
    /// `after` to read the next page; a page shorter than `limit` is the last.
    pub fn stored_documents(
        &self,
        version: Option<&str>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Document>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut conn = self.conn.borrow_mut();
        // only the conditions asked for (PostgreSQL cannot type a parameter that is
        // only tested for NULL)
        let mut conds = Vec::new();
        let mut params = Vec::new();
        if let Some(a) = after {
            params.push(Val::text(a));
            conds.push(format!("id > ${}", params.len()));
        }
        if let Some(v) = version {
            params.push(Val::text(v));
            conds.push(format!("COALESCE(extractor, '') <> ${}", params.len()));
        }
        params.push(Val::Int(limit));
        let sql = format!(
            "SELECT id, text, published, source, url, title, lang FROM documents{}{} ORDER BY id LIMIT ${}",
            if conds.is_empty() { "" } else { " WHERE " },
            conds.join(" AND "),
            params.len()
        );
        let rows = read(conn.as_mut(), |c| c.query(&sql, &params))
            .map_err(|e| self.db_err("read the documents to re-extract", e))?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut it = row.into_iter();
                let mut next = || it.next().and_then(Val::into_string);
                Document {
                    id: next().unwrap_or_default(),
                    text: next().unwrap_or_default(),
                    published: next(),
                    source: next(),
                    url: next(),
                    title: next(),
                    lang: next(),
                }
            })
            .collect())
    }

    /// How many records are stored (of all documents).
    pub fn record_count(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| {
            c.query("SELECT count(*) FROM records", &[])
        })
        .map_err(|e| self.db_err("count the records", e))?;
        Ok(as_count(rows.first().and_then(|r| r.first())))
    }

    /// Sets the extractor version stored with every document, as an older AidLedger
    /// would have left it. For tests of re-extraction.
    #[doc(hidden)]
    pub fn set_extractor_version(&mut self, version: &str) -> Result<(), StoreError> {
        let shown = self.shown.clone();
        let conn = self.conn.get_mut().as_mut();
        crate::db::transaction(conn, crate::db::TxKind::Write, |c| {
            c.execute("UPDATE documents SET extractor = $1", &[Val::text(version)])
                .map(|_| ())
        })
        .map_err(|e| StoreError::Db(format!("{shown}: set the extractor version: {}", e.msg)))
    }
}
