//! The SQL of the ledger filters and the words of a search query.

use crate::db::Val;
use crate::LedgerFilter;

/// The SQL and parameters of a ledger query.
pub(crate) fn filter_sql(f: &LedgerFilter) -> (String, Vec<Val>) {
    let mut sql = String::from("SELECT c.json FROM commitments c WHERE 1 = 1");
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
    sql += " ORDER BY c.last_date DESC NULLS LAST, c.donor_key, c.item_key, c.id";
    if f.limit.is_some() || f.offset.is_some() {
        let limit = f
            .limit
            .map(|l| i64::try_from(l).unwrap_or(i64::MAX))
            .unwrap_or(i64::MAX);
        let offset = i64::try_from(f.offset.unwrap_or(0)).unwrap_or(i64::MAX);
        sql += &format!(
            " LIMIT {} OFFSET {}",
            p(Val::Int(limit)),
            p(Val::Int(offset))
        );
    }
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
