//! Counts for paged lists: how many commitments pass a filter and how many documents
//! match a search, without reading them (the pages show "72 articles match" and page
//! through them).

use crate::db::Val;
use crate::query::{filter_sql, search_terms};
use crate::{read, LedgerFilter, Store, StoreError};

impl Store {
    /// How many commitments pass `filter` (its `limit` and `offset` are ignored).
    pub fn commitments_count(&self, filter: &LedgerFilter) -> Result<usize, StoreError> {
        filter
            .check()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let unpaged = LedgerFilter {
            limit: None,
            offset: None,
            ..filter.clone()
        };
        let (sql, params) = filter_sql(&unpaged);
        let sql = format!("SELECT COUNT(*) FROM ({sql}) AS t");
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| c.query(&sql, &params))
            .map_err(|e| self.db_err("count the ledger", e))?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Val::as_i64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0))
    }

    /// How many documents [`Store::search`] would find with no limit.
    pub fn search_count(&self, query: &str) -> Result<usize, StoreError> {
        let terms = search_terms(query);
        if terms.is_empty() {
            return Ok(0);
        }
        let mut conn = self.conn.borrow_mut();
        read(conn.as_mut(), |c| c.search(&terms, i64::MAX))
            .map(|rows| rows.len())
            .map_err(|e| self.db_err("search", e))
    }
}
