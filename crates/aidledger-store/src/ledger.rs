//! The ledger in the store: rebuilding the commitments (all of them, or only those of
//! the parties a write touched), confirmations of flagged commitments, and lists and
//! sums computed in SQL from the per-commitment figures `aidledger_ledger::figures`
//! defines (`docs/ledger.md`, "Figures" and "Incremental rebuilds").

use std::collections::{BTreeMap, BTreeSet};

use aidledger_ledger::figures::{Sums, Tally};
use aidledger_ledger::{Commitment, Kind, Party, SourcedRecord};

use crate::db::{self, Conn, DbError, TxKind, Val};
use crate::query::{order_sql, page_sql, where_sql};
use crate::rows::{
    commitment_row, load_records_where, parse_commitment_row, Scope, COMMITMENT_COLUMNS,
};
use crate::{count, read, LedgerFilter, Store, StoreError};

/// The order of a ledger list. Every order ends on the id, so that pages are stable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Latest last date first (commitments without dates last), then donor and item.
    #[default]
    Date,
    /// Most distinct outlets first.
    Sources,
    /// Largest amount reported at any stage first (`figures::max_value`).
    Value,
    /// By donor, then item.
    Donor,
    /// By item, then donor.
    Item,
}

/// A column the ledger page sorts by ([`Store::commitments_sorted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Donor,
    Item,
    Category,
    /// The latest stage, in the order of `Status::ALL`.
    Stage,
    First,
    Last,
    /// The stated value, else the largest reported at any stage.
    Value,
    /// Distinct outlets.
    Sources,
}

impl SortKey {
    fn sql(self) -> String {
        match self {
            SortKey::Donor => "c.donor_key".into(),
            SortKey::Item => "c.item_key".into(),
            SortKey::Category => "c.category_key".into(),
            SortKey::Stage => {
                let mut case = String::from("CASE c.status");
                for (i, s) in aidledger_core::Status::ALL.iter().enumerate() {
                    case += &format!(" WHEN '{}' THEN {i}", s.as_str());
                }
                case + " END"
            }
            SortKey::First => "c.first_date".into(),
            SortKey::Last => "c.last_date".into(),
            SortKey::Value => "coalesce(c.amount, c.max_amount)".into(),
            SortKey::Sources => "c.n_sources".into(),
        }
    }
}

/// One page of a list, with the number of all that match.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// How many commitments match the filter (on all pages).
    pub total: usize,
    pub items: Vec<Commitment>,
}

/// What [`Store::sums_by`] groups commitments by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumsBy {
    Donor,
    /// Donor and recipient.
    Party,
    /// Category, `(none)` when unknown.
    Category,
    /// The latest status.
    Status,
    /// The month (`YYYY-MM`) of the first date, `unknown` without one.
    Month,
}

/// The sums of one group of [`Store::sums_by`].
#[derive(Debug, Clone, PartialEq)]
pub struct SumsGroup {
    pub key: String,
    /// The recipient, when grouped by [`SumsBy::Party`].
    pub recipient: Option<String>,
    /// Commitments in the group.
    pub count: usize,
    pub sums: Sums,
}

/// A person's confirmation of a flagged commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirmation {
    pub commitment_id: String,
    /// The flags it had when confirmed.
    pub flags: Vec<String>,
    /// Unix time (seconds).
    pub confirmed_at: i64,
    /// Whether the ledger holds a commitment of this id now.
    pub present: bool,
}

/// Marks the parties of a document's stored records as touched (before its records are
/// replaced).
pub(crate) fn mark_doc_dirty(c: &mut dyn Conn, doc_id: &str) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO ledger_dirty (donor, recipient)
         SELECT DISTINCT donor, recipient FROM record_parties WHERE doc_id = $1
         ON CONFLICT DO NOTHING",
        &[Val::text(doc_id)],
    )?;
    Ok(())
}

/// Writes the parties of a new record and marks them touched.
pub(crate) fn write_parties(
    c: &mut dyn Conn,
    doc_id: &Val,
    ord: &Val,
    parties: &[(String, String)],
) -> Result<(), DbError> {
    for (donor, recipient) in parties {
        c.execute(
            "INSERT INTO record_parties (doc_id, ord, donor, recipient) VALUES ($1, $2, $3, $4)",
            &[
                doc_id.clone(),
                ord.clone(),
                Val::text(donor),
                Val::text(recipient),
            ],
        )?;
        c.execute(
            "INSERT INTO ledger_dirty (donor, recipient) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[Val::text(donor), Val::text(recipient)],
        )?;
    }
    Ok(())
}

/// The value of the `commitments_stale` mark: `0`, `parts` or `1` (anything else reads
/// as `1`).
fn stale_mark(c: &mut dyn Conn) -> Result<String, DbError> {
    let rows = c.query(
        "SELECT value FROM meta WHERE key = 'commitments_stale'",
        &[],
    )?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .and_then(Val::as_str)
        .unwrap_or("1")
        .to_string())
}

/// Rewrites `record_parties` from all records (after a migration, with a full rebuild).
fn rewrite_parties(c: &mut dyn Conn) -> Result<(), DbError> {
    c.execute("DELETE FROM record_parties", &[])?;
    let rows = c.query("SELECT doc_id, ord, donors, recipient FROM records", &[])?;
    for r in rows {
        let [doc_id, ord, donors, recipient]: [Val; 4] = r
            .try_into()
            .map_err(|_| DbError::new("a record row of the wrong width"))?;
        let donors: Vec<String> =
            serde_json::from_str(donors.as_str().unwrap_or("[]")).map_err(|e| {
                DbError::new(format!(
                    "record {}: donors: {e}",
                    doc_id.as_str().unwrap_or("")
                ))
            })?;
        let parties: Vec<(String, String)> =
            aidledger_ledger::parties_of(&donors, recipient.as_str())
                .into_iter()
                .map(|(d, r)| (d, r.unwrap_or_default()))
                .collect();
        for (donor, recipient) in parties {
            c.execute(
                "INSERT INTO record_parties (doc_id, ord, donor, recipient) VALUES ($1, $2, $3, $4)",
                &[doc_id.clone(), ord.clone(), Val::text(&donor), Val::text(&recipient)],
            )?;
        }
    }
    Ok(())
}

/// Writes commitments and their statuses (ids must be new to the table).
fn insert_commitments(c: &mut dyn Conn, cs: &[Commitment]) -> Result<(), DbError> {
    let rows = cs
        .iter()
        .map(commitment_row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = BTreeSet::new();
    for r in &rows {
        if !seen.insert(r.id.as_str()) {
            return Err(DbError::new(format!(
                "merge gave two commitments with the id {}",
                r.id
            )));
        }
    }
    for r in &rows {
        c.execute(
            "INSERT INTO commitments (id, donor, recipient, item, category, donor_key, recipient_key,
                 item_key, category_key, status, first_date, last_date, n_sources, json,
                 kind, announced, amount, currency, flags, year, max_amount, summable, committed,
                 delivered, n_docs)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                 $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)",
            &r.params,
        )?;
        for s in &r.statuses {
            c.execute(
                "INSERT INTO commitment_statuses (commitment_id, status) VALUES ($1, $2)",
                &[Val::text(&r.id), Val::text(s)],
            )?;
        }
    }
    for cm in cs {
        let cited: BTreeSet<&str> = cm.doc_ids.iter().map(String::as_str).collect();
        for doc in cited {
            c.execute(
                "INSERT INTO commitment_documents (commitment_id, doc_id) VALUES ($1, $2)",
                &[Val::text(&cm.id), Val::text(doc)],
            )?;
        }
        for (i, f) in aidledger_ledger::figures::system_facts(cm)
            .iter()
            .enumerate()
        {
            let q = |v: Option<u64>| {
                v.map_or(Val::Null, |v| {
                    Val::Int(i64::try_from(v).unwrap_or(i64::MAX))
                })
            };
            c.execute(
                "INSERT INTO commitment_systems (commitment_id, ord, donor, kind, flagged, name,
                     category, pledged, delivered, sources)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    Val::text(&f.commitment),
                    Val::Int(i as i64),
                    Val::text(&f.donor),
                    Val::text(f.kind.as_str()),
                    Val::Int(f.flagged.into()),
                    Val::text(&f.name),
                    Val::opt_text(f.category.as_deref()),
                    q(f.pledged),
                    q(f.delivered),
                    Val::Text(serde_json::to_string(&f.sources).unwrap_or_else(|_| "[]".into())),
                ],
            )?;
        }
        for (i, (month, status)) in aidledger_ledger::figures::stage_months(cm)
            .iter()
            .enumerate()
        {
            c.execute(
                "INSERT INTO commitment_stage_months (commitment_id, ord, month, status)
                 VALUES ($1, $2, $3, $4)",
                &[
                    Val::text(&cm.id),
                    Val::Int(i as i64),
                    Val::text(month),
                    Val::text(status.as_str()),
                ],
            )?;
        }
    }
    Ok(())
}

/// Deletes the per-commitment rows that go with the commitments `which` selects (a
/// subquery of ids, or `None` for all).
fn delete_commitment_rows(c: &mut dyn Conn, which: Option<&str>) -> Result<(), DbError> {
    for table in [
        "commitment_statuses",
        "commitment_systems",
        "commitment_stage_months",
        "commitment_documents",
    ] {
        match which {
            Some(ids) => c.execute(
                &format!("DELETE FROM {table} WHERE commitment_id IN ({ids})"),
                &[],
            )?,
            None => c.execute(&format!("DELETE FROM {table}"), &[])?,
        };
    }
    Ok(())
}

/// Recomputes the commitments of the parties in `ledger_dirty` only.
fn rebuild_parts(c: &mut dyn Conn) -> Result<(), DbError> {
    let only: BTreeSet<Party> = c
        .query("SELECT donor, recipient FROM ledger_dirty", &[])?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter().map(Val::into_string);
            let donor = it.next().flatten().unwrap_or_default();
            let recipient = it.next().flatten().filter(|r| !r.is_empty());
            (donor, recipient)
        })
        .collect();
    let records = load_records_where(c, Scope::Dirty)?;
    let commitments = aidledger_ledger::merge_parties(&records, &only);
    const OF_DIRTY: &str = "SELECT c.id FROM commitments c JOIN ledger_dirty d
         ON c.donor = d.donor AND coalesce(c.recipient, '') = d.recipient";
    delete_commitment_rows(c, Some(OF_DIRTY))?;
    c.execute(
        &format!("DELETE FROM commitments WHERE id IN ({OF_DIRTY})"),
        &[],
    )?;
    insert_commitments(c, &commitments)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Store {
    /// Brings the commitments up to date with the records, in one transaction that
    /// clears the stale mark: after an ingest, only the commitments of the parties
    /// (donor and recipient) whose records changed are recomputed (with
    /// `aidledger_ledger::merge_parties`, which gives exactly what a full merge gives
    /// for them); after a migration, or with `force`, all of them (with
    /// `aidledger_ledger::merge`). A no-op when nothing is stale and not `force`.
    /// Returns the number of commitments in the ledger.
    pub fn rebuild_commitments(&mut self, force: bool) -> Result<usize, StoreError> {
        if !force && !self.commitments_stale()? {
            return self.commitment_count();
        }
        let shown = self.shown.clone();
        let conn = self.conn.get_mut().as_mut();
        let r = db::transaction(conn, TxKind::Write, |c| {
            // checked again under the write lock: another process may have rebuilt
            match (force, stale_mark(c)?.as_str()) {
                (false, "0") => return count(c, "commitments"),
                (false, "parts") => rebuild_parts(c)?,
                _ => replace_commitments(c, aidledger_ledger::merge)?,
            }
            finish_rebuild(c)
        });
        r.map_err(|e| rebuild_error(&shown, e))
    }

    /// A full rebuild with another merge function (for tests of the ledger queries on
    /// hand-made commitments, and for experiments). A no-op when not stale unless
    /// `force`.
    pub fn rebuild_commitments_with(
        &mut self,
        force: bool,
        merge: impl Fn(&[SourcedRecord]) -> Vec<Commitment>,
    ) -> Result<usize, StoreError> {
        if !force && !self.commitments_stale()? {
            return self.commitment_count();
        }
        let shown = self.shown.clone();
        let conn = self.conn.get_mut().as_mut();
        let r = db::transaction(conn, TxKind::Write, |c| {
            if force || stale_mark(c)? != "0" {
                replace_commitments(c, &merge)?;
            }
            finish_rebuild(c)
        });
        r.map_err(|e| rebuild_error(&shown, e))
    }

    /// Confirms a flagged commitment by its full id: it then counts in every sum. The
    /// confirmation is kept by id, across rebuilds and re-extraction. `None` when no
    /// commitment has this id; refused ([`StoreError::Invalid`]) when it has no flag.
    pub fn confirm(&mut self, id: &str) -> Result<Option<Confirmation>, StoreError> {
        let Some(c) = self.commitment(id)? else {
            return Ok(None);
        };
        if c.flags.is_empty() {
            return Err(StoreError::Invalid(format!(
                "commitment {id} has no flag: it counts in the sums already"
            )));
        }
        let flags = serde_json::to_string(&c.flags).unwrap_or_else(|_| "[]".into());
        let at = now();
        let shown = self.shown.clone();
        let conn = self.conn.get_mut().as_mut();
        db::transaction(conn, TxKind::Write, |t| {
            t.execute(
                "DELETE FROM confirmations WHERE commitment_id = $1",
                &[Val::text(id)],
            )?;
            t.execute(
                "INSERT INTO confirmations (commitment_id, flags, confirmed_at) VALUES ($1, $2, $3)",
                &[Val::text(id), Val::text(&flags), Val::Int(at)],
            )?;
            // the sums change: cached figures must go
            crate::live::bump_generation(t)?;
            Ok(())
        })
        .map_err(|e| StoreError::Db(format!("{shown}: confirm {id}: {}", e.msg)))?;
        Ok(Some(Confirmation {
            commitment_id: id.to_string(),
            flags: c.flags,
            confirmed_at: at,
            present: true,
        }))
    }

    /// The ids of commitments that start with `prefix`, at most `limit` of them, in id
    /// order (for "a unique prefix of an id is enough").
    pub fn commitment_ids_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        if prefix.is_empty() || crate::check_document_id(prefix).is_err() {
            return Ok(Vec::new());
        }
        let pattern = format!("{}%", crate::query::like_escape(prefix));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| {
            c.query(
                "SELECT id FROM commitments WHERE id LIKE $1 ESCAPE '\\' ORDER BY id LIMIT $2",
                &[Val::text(&pattern), Val::Int(limit)],
            )
        })
        .map_err(|e| self.db_err("look up a commitment id", e))?;
        Ok(rows
            .into_iter()
            .filter_map(|r| r.into_iter().next().and_then(Val::into_string))
            .collect())
    }

    /// Withdraws the confirmation of a commitment (by full id). Whether there was one.
    pub fn unconfirm(&mut self, id: &str) -> Result<bool, StoreError> {
        if crate::check_document_id(id).is_err() {
            // no commitment id looks so; written, it would be rewritten (NUL → space)
            return Ok(false);
        }
        let shown = self.shown.clone();
        let conn = self.conn.get_mut().as_mut();
        db::transaction(conn, TxKind::Write, |t| {
            let n = t.query(
                "SELECT 1 FROM confirmations WHERE commitment_id = $1",
                &[Val::text(id)],
            )?;
            t.execute(
                "DELETE FROM confirmations WHERE commitment_id = $1",
                &[Val::text(id)],
            )?;
            crate::live::bump_generation(t)?;
            Ok(!n.is_empty())
        })
        .map_err(|e| StoreError::Db(format!("{shown}: withdraw confirmation {id}: {}", e.msg)))
    }

    /// Every confirmation, by commitment id.
    pub fn confirmations(&self) -> Result<Vec<Confirmation>, StoreError> {
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| {
            c.query(
                "SELECT k.commitment_id, k.flags, k.confirmed_at,
                     CASE WHEN EXISTS (SELECT 1 FROM commitments c WHERE c.id = k.commitment_id) THEN 1 ELSE 0 END
                 FROM confirmations k ORDER BY k.commitment_id",
                &[],
            )
        })
        .map_err(|e| self.db_err("read the confirmations", e))?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut it = r.into_iter();
                let id = it.next().and_then(Val::into_string).unwrap_or_default();
                let flags = it
                    .next()
                    .and_then(Val::into_string)
                    .and_then(|f| serde_json::from_str(&f).ok())
                    .unwrap_or_default();
                let at = it.next().and_then(|v| v.as_i64()).unwrap_or(0);
                let present = it.next().and_then(|v| v.as_i64()) == Some(1);
                Confirmation {
                    commitment_id: id,
                    flags,
                    confirmed_at: at,
                    present,
                }
            })
            .collect())
    }

    /// One page of the commitments that pass the filter (and were announced in `year`,
    /// by `figures::year`), in `order`, cut by the filter's `limit` and `offset` in
    /// SQL, with the number of all that match.
    pub fn commitments_page(
        &self,
        filter: &LedgerFilter,
        order: Order,
        year: Option<&str>,
    ) -> Result<Page, StoreError> {
        filter
            .check()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let (cond, params) = where_sql(filter, year);
        self.read_page(filter, &cond, params, order_sql(order))
    }

    /// One page (`filter.limit`, `filter.offset`) of the commitments that pass `cond`
    /// (SQL over `c`, with `params`), in `order`, with how many pass in all.
    fn read_page(
        &self,
        filter: &LedgerFilter,
        cond: &str,
        params: Vec<Val>,
        order: &str,
    ) -> Result<Page, StoreError> {
        let mut page_params = params.clone();
        let page = page_sql(filter.limit, filter.offset, &mut page_params);
        let list = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE 1 = 1{cond} ORDER BY {order}{page}"
        );
        let total = format!("SELECT count(*) FROM commitments c WHERE 1 = 1{cond}");
        let mut conn = self.conn.borrow_mut();
        let (n, rows) = read(conn.as_mut(), |c| {
            let n = c.query(&total, &params)?;
            let rows = c.query(&list, &page_params)?;
            Ok((n, rows))
        })
        .map_err(|e| self.db_err("read the ledger", e))?;
        let total = n
            .first()
            .and_then(|r| r.first())
            .and_then(Val::as_i64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        let items = rows
            .into_iter()
            .map(parse_commitment_row)
            .collect::<Result<_, _>>()
            .map_err(|e| self.db_err("read the ledger", e))?;
        Ok(Page { total, items })
    }

    /// One page (`filter.limit`, `filter.offset`) of the commitments that pass the filter
    /// and whose donor, recipient, item (a package's contents included) or category
    /// contains `text` (any case), sorted by `key` (descending when `desc`; commitments
    /// without the figure last, ties by id), with how many match in all: the ledger
    /// page's query, in SQL.
    pub fn commitments_sorted(
        &self,
        filter: &LedgerFilter,
        text: Option<&str>,
        key: SortKey,
        desc: bool,
    ) -> Result<Page, StoreError> {
        filter
            .check()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let (mut cond, mut params) = where_sql(filter, None);
        if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
            if t.chars().count() > crate::MAX_FILTER_CHARS {
                return Err(StoreError::Invalid(format!(
                    "the text filter is {} characters long; at most {} are allowed",
                    t.chars().count(),
                    crate::MAX_FILTER_CHARS
                )));
            }
            params.push(Val::text(&format!(
                "%{}%",
                crate::query::like_escape(&t.to_lowercase())
            )));
            let n = params.len();
            cond += &format!(
                " AND (c.donor_key LIKE ${n} ESCAPE '\\' OR coalesce(c.recipient_key, '') LIKE ${n} ESCAPE '\\'
                     OR c.item_key LIKE ${n} ESCAPE '\\' OR coalesce(c.category_key, '') LIKE ${n} ESCAPE '\\')"
            );
        }
        let dir = if desc { "DESC" } else { "ASC" };
        let order = format!("{} {dir} NULLS LAST, c.id", key.sql());
        self.read_page(filter, &cond, params, &order)
    }

    /// The sums (`aidledger_ledger::figures::Sums`) of the commitments that pass the
    /// filter, per group, computed in SQL from the figures stored per commitment: the
    /// same numbers as `figures::sums` over the same commitments, without reading them.
    /// Groups come sorted by key (and recipient).
    pub fn sums_by(
        &self,
        filter: &LedgerFilter,
        by: SumsBy,
        year: Option<&str>,
    ) -> Result<Vec<SumsGroup>, StoreError> {
        filter
            .check()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let (key, second) = match by {
            SumsBy::Donor => ("c.donor", "CAST(NULL AS TEXT)"),
            SumsBy::Party => ("c.donor", "c.recipient"),
            SumsBy::Category => ("coalesce(c.category, '(none)')", "CAST(NULL AS TEXT)"),
            SumsBy::Status => ("c.status", "CAST(NULL AS TEXT)"),
            SumsBy::Month => (
                "CASE WHEN length(c.first_date) >= 7 THEN substr(c.first_date, 1, 7) ELSE 'unknown' END",
                "CAST(NULL AS TEXT)",
            ),
        };
        let (cond, params) = where_sql(filter, year);
        let sql = format!(
            "SELECT {key}, {second}, c.kind, c.summable, c.committed, c.delivered,
                 CASE WHEN c.flags = '[]' THEN 0 ELSE 1 END,
                 CASE WHEN k.commitment_id IS NULL THEN 0 ELSE 1 END,
                 c.currency, count(*), sum(c.amount)
             FROM commitments c LEFT JOIN confirmations k ON k.commitment_id = c.id
             WHERE 1 = 1{cond}
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
        );
        let mut conn = self.conn.borrow_mut();
        let rows = read(conn.as_mut(), |c| c.query(&sql, &params))
            .map_err(|e| self.db_err("sum the ledger", e))?;
        let mut groups: BTreeMap<(String, Option<String>), (usize, Sums)> = BTreeMap::new();
        for r in rows {
            let [key, second, kind, summable, committed, delivered, flagged, confirmed, currency, n, amount]: [Val; 11] =
                r.try_into().map_err(|_| self.db_err("sum the ledger", DbError::new("a row of the wrong width")))?;
            let kind_text = kind.into_string().unwrap_or_default();
            let kind = Kind::parse(&kind_text).ok_or_else(|| {
                self.db_err(
                    "sum the ledger",
                    DbError::new(format!("unknown kind {kind_text:?}")),
                )
            })?;
            let one = |v: &Val| v.as_i64() == Some(1);
            let t = Tally {
                kind,
                summable: one(&summable),
                committed: one(&committed),
                delivered: one(&delivered),
                flagged: one(&flagged),
                confirmed: one(&confirmed),
                currency: currency.into_string(),
            };
            let n = n
                .as_i64()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0);
            let g = groups
                .entry((key.into_string().unwrap_or_default(), second.into_string()))
                .or_default();
            g.0 += n;
            g.1.add(&t, n, amount.as_f64().unwrap_or(0.0));
        }
        Ok(groups
            .into_iter()
            .map(|((key, recipient), (count, sums))| SumsGroup {
                key,
                recipient,
                count,
                sums,
            })
            .collect())
    }
}

/// Clears the stale mark and the touched parties; the number of commitments.
/// A full rebuild's writes: every commitment recomputed by `merge` from all the records,
/// in place of the stored ones and their rows.
fn replace_commitments(
    c: &mut dyn Conn,
    merge: impl Fn(&[SourcedRecord]) -> Vec<Commitment>,
) -> Result<(), DbError> {
    let records = load_records_where(c, Scope::All)?;
    let commitments = merge(&records);
    delete_commitment_rows(c, None)?;
    c.execute("DELETE FROM commitments", &[])?;
    insert_commitments(c, &commitments)?;
    rewrite_parties(c)
}

fn rebuild_error(shown: &str, e: DbError) -> StoreError {
    StoreError::Db(format!(
        "{shown}: rebuild the commitments (the ledger is unchanged): {}",
        e.msg
    ))
}

fn finish_rebuild(c: &mut dyn Conn) -> Result<usize, DbError> {
    c.execute("DELETE FROM ledger_dirty", &[])?;
    c.execute(
        "UPDATE meta SET value = '0' WHERE key = 'commitments_stale'",
        &[],
    )?;
    crate::live::bump_generation(c)?;
    count(c, "commitments")
}
