//! `aidledger ingest`: extract like `extract`, store each batch in one transaction, then
//! merge all stored records into commitments.
//!
//! The same id twice in one run: the later document wins. The reader warns about it
//! (naming the id and where it was found); the earlier document is dropped, either
//! before it is stored (both in one batch) or by being replaced (in an earlier batch),
//! and the summaries count neither it nor its records: a run ends with the counts of a
//! run whose input held only the later document.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Instant;

use aidledger_cli::input::{id_hash, IdTable};
use aidledger_core::{Document, Extraction};
use aidledger_store::{IngestStats, Ingested, Store};

use crate::cli::{ExtractArgs, IngestArgs};
use crate::extract::Superseded;
use crate::ledger_cmd::store_fatal;
use crate::Fatal;

/// Run `aidledger ingest`.
pub fn ingest(args: IngestArgs) -> Result<(), Fatal> {
    let start = Instant::now();
    let db = args.db.db.clone();
    let mut store = Store::open(&db).map_err(|e| store_fatal(&db, e))?;
    let quiet = args.input.quiet;
    let mut tally = Tally::default();
    let extract_args = ExtractArgs {
        input: args.input,
        output: None,
        pretty: false,
        explain: false,
    };
    let mut consume = |docs: Vec<(Document, Extraction)>| -> Result<Superseded, Fatal> {
        tally
            .store(&mut store, docs)
            .map_err(|e| store_fatal(&db, e))
    };
    crate::extract::run_with(extract_args, Some(&mut consume))?;
    let totals = tally.totals;
    // documents stored by an older extractor are read again (those of this run carry
    // the current version already)
    let again = if args.no_reextract {
        None
    } else {
        let progress = !quiet && std::io::stderr().is_terminal();
        Some(crate::reextract_cmd::reextract_store(
            &mut store, &db, false, progress,
        )?)
    };
    let commitments = store
        .rebuild_commitments(false)
        .map_err(|e| store_fatal(&db, e))?;
    if !quiet {
        let again = match again {
            Some(r) if r.reextracted() + r.failed > 0 => format!(
                "; {} documents of an older extractor re-extracted ({} with new records){}",
                r.reextracted(),
                r.changed,
                if r.failed > 0 {
                    format!(", {} left as they were", r.failed)
                } else {
                    String::new()
                }
            ),
            _ => String::new(),
        };
        eprintln!(
            "aidledger: {db}: {} documents added, {} replaced, {} unchanged{again}; {} records stored; {} commitments in the ledger; {:.2} s",
            totals.added,
            totals.replaced,
            totals.unchanged,
            totals.records,
            commitments,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// What a document stored in this run counts for.
#[derive(Debug, Clone, Copy)]
struct Counted {
    /// What it is for the database as it was before the run.
    outcome: Ingested,
    /// Records stored: those extracted, or none for an unchanged document.
    stored: u32,
    /// Records extracted.
    extracted: u32,
}

impl Counted {
    /// The outcome in 2 bits and the records extracted in 30 (saturated): the records
    /// stored are those extracted unless the document was unchanged (then none), so
    /// they need no bits of their own.
    fn pack(self) -> u32 {
        let o = match self.outcome {
            Ingested::Added => 0,
            Ingested::Replaced => 1,
            Ingested::Unchanged => 2,
        };
        (o << 30) | self.extracted.min((1 << 30) - 1)
    }

    fn unpack(v: u32) -> Counted {
        let outcome = match v >> 30 {
            0 => Ingested::Added,
            1 => Ingested::Replaced,
            _ => Ingested::Unchanged,
        };
        let extracted = v & ((1 << 30) - 1);
        Counted {
            outcome,
            stored: if outcome == Ingested::Unchanged {
                0
            } else {
                extracted
            },
            extracted,
        }
    }
}

/// The counts of a run, corrected for documents replaced by later ones with the same id.
/// Ids are remembered as 64-bit hashes, like the reader's duplicate check.
#[derive(Default)]
struct Tally {
    totals: IngestStats,
    /// Every document stored in this run, by id hash, as [`Counted::pack`]: 16 bytes an
    /// entry, so a million documents take about 32 MB.
    seen: IdTable<u32>,
}

impl Tally {
    fn add(&mut self, outcome: Ingested, records: usize, sign: isize) {
        let n = match outcome {
            Ingested::Added => &mut self.totals.added,
            Ingested::Replaced => &mut self.totals.replaced,
            Ingested::Unchanged => &mut self.totals.unchanged,
        };
        *n = n.saturating_add_signed(sign);
        self.totals.records = self
            .totals
            .records
            .saturating_add_signed(sign * records as isize);
    }

    /// Stores one batch: of documents with the same id, only the last is stored; an id
    /// already stored in this run is replaced and counted once.
    fn store(
        &mut self,
        store: &mut Store,
        docs: Vec<(Document, Extraction)>,
    ) -> Result<Superseded, aidledger_store::StoreError> {
        let mut gone = Superseded::default();
        let last: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .map(|(i, (d, _))| (d.id.as_str(), i))
            .collect();
        let keep: Vec<bool> = docs
            .iter()
            .enumerate()
            .map(|(i, (d, _))| last[d.id.as_str()] == i)
            .collect();
        let mut batch = Vec::with_capacity(docs.len());
        for (doc, keep) in docs.into_iter().zip(keep) {
            if keep {
                batch.push(doc);
            } else {
                gone.docs += 1;
                gone.records += doc.1.records.len() as u64;
            }
        }
        let outcomes = store.ingest_batch_each(&batch)?;
        for ((d, x), outcome) in batch.iter().zip(outcomes) {
            let mut now = Counted {
                outcome,
                stored: if outcome == Ingested::Unchanged {
                    0
                } else {
                    x.records.len().min(u32::MAX as usize) as u32
                },
                extracted: x.records.len().min(u32::MAX as usize) as u32,
            };
            let key = id_hash(&d.id);
            if let Some(before) = self.seen.get(key).copied().map(Counted::unpack) {
                // stored earlier in this run, now replaced: it counts no more, and the
                // id is new, replaced or unchanged as the first one was
                gone.docs += 1;
                gone.records += before.extracted as u64;
                self.add(before.outcome, before.stored as usize, -1);
                if outcome == Ingested::Unchanged {
                    // the same document again: what the first one did stands
                    now.outcome = before.outcome;
                    now.stored = before.stored;
                } else if before.outcome != Ingested::Unchanged {
                    now.outcome = before.outcome;
                }
            }
            self.add(now.outcome, now.stored as usize, 1);
            self.seen.insert(key, now.pack());
        }
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_count_unpacks_to_itself() {
        for outcome in [Ingested::Added, Ingested::Replaced, Ingested::Unchanged] {
            for extracted in [0u32, 1, 7, (1 << 30) - 1] {
                let stored = if outcome == Ingested::Unchanged {
                    0
                } else {
                    extracted
                };
                let c = Counted {
                    outcome,
                    stored,
                    extracted,
                };
                let back = Counted::unpack(c.pack());
                assert_eq!(
                    (back.outcome, back.stored, back.extracted),
                    (outcome, stored, extracted)
                );
            }
        }
        // more records than 30 bits hold saturate instead of wrapping into the outcome
        let big = Counted {
            outcome: Ingested::Unchanged,
            stored: 0,
            extracted: u32::MAX,
        };
        assert_eq!(Counted::unpack(big.pack()).outcome, Ingested::Unchanged);
    }

    /// Document `id` at version `v`, with `n` records.
    fn doc(id: &str, v: u32, n: usize) -> (Document, Extraction) {
        let record = |i: usize| -> aidledger_core::Record {
            serde_json::from_value(serde_json::json!({
                "doc_id": id, "status": "pledged", "donors": ["USA"], "recipient": "UKR",
                "items": [{ "name": format!("item {i}") }], "value": null, "date": null,
                "asserted_by": null, "evidence": [], "confidence": 0.5
            }))
            .unwrap()
        };
        let d = Document {
            id: id.into(),
            text: format!("{id} version {v}"),
            ..Default::default()
        };
        let x = Extraction {
            records: (0..n).map(record).collect(),
            lang: "en".into(),
            ..Default::default()
        };
        (d, x)
    }

    fn counts(t: &Tally) -> (usize, usize, usize, usize) {
        let s = t.totals;
        (s.added, s.replaced, s.unchanged, s.records)
    }

    #[test]
    fn later_documents_replace_earlier_ones_in_the_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        store
            .ingest_batch(&[doc("old", 0, 1), doc("same", 0, 2)])
            .unwrap();

        let mut t = Tally::default();
        // one batch: the first "a" is never stored
        let gone = t
            .store(
                &mut store,
                vec![doc("a", 0, 3), doc("b", 0, 1), doc("a", 1, 2)],
            )
            .unwrap();
        assert_eq!(
            gone,
            Superseded {
                docs: 1,
                records: 3
            }
        );
        assert_eq!(counts(&t), (2, 0, 0, 3));
        // later batches: "a" again, identical (stays added, with its records), "old"
        // changed twice (one replaced), "same" unchanged then changed (replaced)
        let gone = t
            .store(
                &mut store,
                vec![doc("a", 1, 2), doc("old", 1, 4), doc("same", 0, 2)],
            )
            .unwrap();
        assert_eq!(
            gone,
            Superseded {
                docs: 1,
                records: 2
            }
        );
        assert_eq!(counts(&t), (2, 1, 1, 3 + 4));
        let gone = t
            .store(&mut store, vec![doc("old", 2, 5), doc("same", 1, 6)])
            .unwrap();
        assert_eq!(
            gone,
            Superseded {
                docs: 2,
                records: 4 + 2
            }
        );
        assert_eq!(counts(&t), (2, 2, 0, 3 + 5 + 6));
        // the store holds the last version of each
        let (_, text, records) = store.document("old").unwrap().unwrap();
        assert_eq!((text.as_str(), records.len()), ("old version 2", 5));
        assert_eq!(store.records().unwrap().len(), 2 + 1 + 5 + 6);
    }
}
