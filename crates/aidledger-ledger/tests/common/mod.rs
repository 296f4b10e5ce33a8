//! Fixture builder shared by the ledger tests. All fixture texts are written for these
//! tests.
#![allow(dead_code)]

use aidledger_core::{Evidence, Item, Kind, Record, Status, Value};
use aidledger_ledger::SourcedRecord;

/// A record of `doc` from USA to UKR at `status`; the builder methods fill the rest.
pub fn rec(doc: &str, status: Status) -> R {
    R(SourcedRecord {
        record: Record {
            doc_id: doc.into(),
            status,
            donors: vec!["USA".into()],
            recipient: Some("UKR".into()),
            items: vec![],
            value: None,
            date: None,
            asserted_by: None,
            evidence: vec![],
            confidence: 0.9,
            kind: Default::default(),
            flags: Vec::new(),
        },
        source: None,
        published: None,
        url: None,
        title: None,
    })
}

pub struct R(pub SourcedRecord);

impl R {
    pub fn source(mut self, s: &str) -> R {
        self.0.source = Some(s.into());
        self
    }
    pub fn published(mut self, p: &str) -> R {
        self.0.published = Some(p.into());
        self
    }
    pub fn donors(mut self, d: &[&str]) -> R {
        self.0.record.donors = d.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn recipient(mut self, r: Option<&str>) -> R {
        self.0.record.recipient = r.map(str::to_string);
        self
    }
    pub fn item(mut self, name: &str, quantity: Option<u64>, category: &str) -> R {
        self.0.record.items.push(Item {
            name: name.into(),
            quantity,
            category: Some(category.into()),
        });
        self
    }
    pub fn value(mut self, amount: f64, currency: &str) -> R {
        self.0.record.value = Some(Value {
            amount,
            currency: currency.into(),
        });
        self
    }
    pub fn date(mut self, d: &str) -> R {
        self.0.record.date = Some(d.into());
        self
    }
    pub fn kind(mut self, k: Kind) -> R {
        self.0.record.kind = k;
        self
    }
    pub fn by(mut self, who: &str) -> R {
        self.0.record.asserted_by = Some(who.into());
        self
    }
    /// An evidence span at `start` (the end is computed from the text's bytes).
    pub fn ev(mut self, start: usize, text: &str) -> R {
        self.0.record.evidence.push(Evidence {
            start,
            end: start + text.len(),
            text: text.into(),
        });
        self
    }
    pub fn done(self) -> SourcedRecord {
        self.0
    }
}

/// The NASAMS story across three documents from two outlets.
pub fn nasams() -> Vec<SourcedRecord> {
    vec![
        rec("kw-0801", Status::Approved)
            .source("kyivwire.example")
            .published("2022-08-26")
            .item("NASAMS", Some(8), "air_defense")
            .date("2022-08")
            .by("Pentagon")
            .ev(
                0,
                "The Pentagon signed off on eight NASAMS batteries for Kyiv.",
            )
            .done(),
        rec("jdp-1012", Status::Expedited)
            .source("journaldeparis.example")
            .published("2022-10-12")
            .item("NASAMS", Some(2), "air_defense")
            .date("2022-10-11")
            .by("John Kirby")
            .ev(
                57,
                "Washington accélère l'envoi de deux des huit NASAMS, a dit John Kirby mardi.",
            )
            .done(),
        rec("kw-1107", Status::Delivered)
            .source("kyivwire.example")
            .published("2022-11-07")
            .item("NASAMS", None, "air_defense")
            .date("2022-11")
            .ev(12, "The first NASAMS units have arrived in Ukraine.")
            .done(),
    ]
}

/// All permutations of `items` (Heap's algorithm), for small inputs.
pub fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    fn heap<T: Clone>(k: usize, a: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
        if k <= 1 {
            out.push(a.clone());
            return;
        }
        heap(k - 1, a, out);
        for i in 0..k - 1 {
            if k & 1 == 0 {
                a.swap(i, k - 1);
            } else {
                a.swap(0, k - 1);
            }
            heap(k - 1, a, out);
        }
    }
    let mut a = items.to_vec();
    let mut out = Vec::new();
    heap(a.len(), &mut a, &mut out);
    out
}
