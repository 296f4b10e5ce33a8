//! Query parameters of the API: read strictly (unknown and repeated names refused),
//! text filters bounded ([`aidledger_store::MAX_FILTER_CHARS`]), numbers and dates
//! checked, every problem a 400 naming the parameter.

use std::collections::HashMap;

use aidledger_core::{Kind, Status};
use aidledger_store::validate::check_filter;
use aidledger_store::LedgerFilter;
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;

use crate::api::ApiError;

/// The query string as name → value, refusing unknown and repeated names. Empty values
/// count as absent (HTML forms send every field).
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    pub(crate) fn read(
        q: Result<Query<Vec<(String, String)>>, QueryRejection>,
        allowed: &[&str],
    ) -> Result<Params, ApiError> {
        let Query(pairs) =
            q.map_err(|e| ApiError::bad_request(format!("bad query string: {}", e.body_text())))?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {k:?}; this endpoint takes: {}",
                    allowed.join(", ")
                )));
            }
            if map.contains_key(&k) {
                return Err(ApiError::bad_request(format!(
                    "parameter {k:?} given twice"
                )));
            }
            map.insert(k, v);
        }
        map.retain(|_, v| !v.trim().is_empty());
        Ok(Params(map))
    }

    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).map(|v| v.trim().to_string())
    }

    /// A text filter of the ledger, at most [`aidledger_store::MAX_FILTER_CHARS`] long.
    pub(crate) fn filter(&self, name: &'static str) -> Result<Option<String>, ApiError> {
        let v = self.text(name);
        if let Some(v) = &v {
            check_filter(name, v).map_err(|e| {
                ApiError::bad_request(format!(
                    "parameter {name} is {} characters long; at most {} are allowed",
                    e.chars,
                    aidledger_store::MAX_FILTER_CHARS
                ))
            })?;
        }
        Ok(v)
    }

    pub(crate) fn number(&self, name: &str) -> Result<Option<usize>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
                ApiError::bad_request(format!(
                    "parameter {name} must be a non-negative integer, not {v:?}"
                ))
            }),
        }
    }

    pub(crate) fn date(&self, name: &'static str) -> Result<Option<String>, ApiError> {
        match self.filter(name)? {
            None => Ok(None),
            Some(d) if valid_date(&d) => Ok(Some(d)),
            Some(d) => Err(ApiError::bad_request(format!(
                "parameter {name} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {d:?}"
            ))),
        }
    }
}

use aidledger_ledger::is_record_date as valid_date;

pub(crate) const FILTER_PARAMS: [&str; 9] = [
    "kind",
    "donor",
    "recipient",
    "item",
    "category",
    "status",
    "since",
    "until",
    "min_sources",
];

pub(crate) fn ledger_filter(p: &Params) -> Result<LedgerFilter, ApiError> {
    let kind = match p.text("kind") {
        None => None,
        Some(k) => Some(Kind::parse(&k.to_ascii_lowercase()).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown kind {k:?}; one of: {}",
                Kind::ALL.map(Kind::as_str).join(", ")
            ))
        })?),
    };
    let status = match p.text("status") {
        None => None,
        Some(s) => Some(Status::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown status {s:?}; one of: {}",
                Status::ALL.map(Status::as_str).join(", ")
            ))
        })?),
    };
    Ok(LedgerFilter {
        donor: p.filter("donor")?,
        recipient: p.filter("recipient")?,
        item: p.filter("item")?,
        category: p.filter("category")?,
        status,
        since: p.date("since")?,
        until: p.date("until")?,
        min_sources: p.number("min_sources")?,
        kind,
        limit: None,
        offset: None,
    })
}
