//! The SQL of the ledger filters and the words of a search query.

use crate::db::Val;
use crate::rows::COMMITMENT_COLUMNS;
use crate::{LedgerFilter, Order};

/// The conditions of a ledger filter (and of a year of announcement), as SQL over the
/// commitments table `c` starting with " AND ...", with their parameters.
pub(crate) fn where_sql(f: &LedgerFilter, year: Option<&str>) -> (String, Vec<Val>) {
    let mut sql = String::new();
    let mut params: Vec<Val> = Vec::new();
    let mut p = |v: Val| {
        params.push(v);
        format!("${}", params.len())
    };
    if let Some(d) = &f.donor {
        sql += &format!(" AND c.donor_key = {}", p(Val::text(&d.to_lowercase())));
    }
    if let Some(r) = &f.recipient {
        sql += &format!(" AND c.recipient_key = {}", p(Val::text(&r.to_lowercase())));
    }
    if let Some(i) = &f.item {
        let pattern = format!("%{}%", like_escape(&i.to_lowercase()));
        sql += &format!(
            " AND c.item_key LIKE {} ESCAPE '\\'",
            p(Val::text(&pattern))
        );
    }
    if let Some(cat) = &f.category {
        sql += &format!(
            " AND c.category_key = {}",
            p(Val::text(&cat.to_lowercase()))
        );
    }
    if let Some(s) = f.status {
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM commitment_statuses s WHERE s.commitment_id = c.id AND s.status = {})",
            p(Val::text(s.as_str()))
        );
    }
    // A date is on or after `since` when, cut to the precision of `since`, it is not
    // smaller, or when it is a less precise date that contains `since`.
    if let Some(s) = &f.since {
        let len = p(Val::Int(s.chars().count() as i64));
        let s = p(Val::text(s));
        sql += &format!(
            " AND c.last_date IS NOT NULL AND (substr(c.last_date, 1, {len}) >= {s} OR substr({s}, 1, length(c.last_date)) = c.last_date)"
        );
    }
    if let Some(u) = &f.until {
        let len = p(Val::Int(u.chars().count() as i64));
        let u = p(Val::text(u));
        sql += &format!(
            " AND c.first_date IS NOT NULL AND (substr(c.first_date, 1, {len}) <= {u} OR substr({u}, 1, length(c.first_date)) = c.first_date)"
        );
    }
    if let Some(k) = f.kind {
        sql += &format!(" AND c.kind = {}", p(Val::text(k.as_str())));
    }
    if let Some(n) = f.min_sources {
        sql += &format!(
            " AND c.n_sources >= {}",
            p(Val::Int(i64::try_from(n).unwrap_or(i64::MAX)))
        );
    }
    if let Some(y) = year {
        sql += &format!(" AND c.year = {}", p(Val::text(y)));
    }
    (sql, params)
}

/// The order of a ledger list (`Order`), as SQL over `c`; every order ends on the id,
/// so pages never overlap.
pub(crate) fn order_sql(o: Order) -> &'static str {
    match o {
        Order::Date => "c.last_date DESC NULLS LAST, c.donor_key, c.item_key, c.id",
        Order::Sources => "c.n_sources DESC, c.last_date DESC NULLS LAST, c.id",
        Order::Value => "c.max_amount DESC NULLS LAST, c.last_date DESC NULLS LAST, c.id",
        Order::Donor => "c.donor_key, c.item_key, c.id",
        Order::Item => "c.item_key, c.donor_key, c.id",
    }
}

/// `LIMIT ... OFFSET ...` with parameters appended to `params`, or nothing.
pub(crate) fn page_sql(
    limit: Option<usize>,
    offset: Option<usize>,
    params: &mut Vec<Val>,
) -> String {
    if limit.is_none() && offset.is_none() {
        return String::new();
    }
    let limit = limit.map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX));
    let offset = i64::try_from(offset.unwrap_or(0)).unwrap_or(i64::MAX);
    params.push(Val::Int(limit));
    params.push(Val::Int(offset));
    format!(" LIMIT ${} OFFSET ${}", params.len() - 1, params.len())
}

/// The SQL and parameters of a ledger query: commitments as [`COMMITMENT_COLUMNS`],
/// latest first, paged by the filter's limit and offset.
pub(crate) fn filter_sql(f: &LedgerFilter) -> (String, Vec<Val>) {
    let (cond, mut params) = where_sql(f, None);
    let page = page_sql(f.limit, f.offset, &mut params);
    let sql = format!(
        "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE 1 = 1{cond} ORDER BY {}{page}",
        order_sql(Order::Date)
    );
    (sql, params)
}

/// Escapes `%`, `_` and `\` for `LIKE ... ESCAPE '\'`.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The words of a search query: runs of letters and digits (what both full-text
/// indexes see as tokens), at most 64 of them.
pub(crate) fn search_terms(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(64)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_drop_syntax() {
        assert_eq!(search_terms("') OR 1=1 --"), ["OR", "1", "1"]);
        assert_eq!(search_terms("\"systèmes\" AND ("), ["systèmes", "AND"]);
        assert!(search_terms("* \" ' -- ;").is_empty());
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
