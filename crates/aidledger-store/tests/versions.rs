//! The store's side of re-extraction on SQLite: counting documents by extractor
//! version, and reading the outdated ones back page by page, each exactly once.

mod common;

use aidledger_core::extractor_version;
use aidledger_store::Store;
use common::*;

#[test]
fn outdated_documents_are_counted_and_paged_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("v.db").to_str().unwrap()).unwrap();
    store.ingest_batch(&docs(0..7)).unwrap();
    let current = extractor_version();
    let c = store.version_counts(current).unwrap();
    assert_eq!((c.documents, c.outdated), (7, 0));
    assert!(store
        .stored_documents(Some(current), None, 10)
        .unwrap()
        .is_empty());

    store.set_extractor_version("0.0.1+old").unwrap();
    // two documents stored again: they carry the current version
    store.ingest_batch(&[doc(2, 1), doc(5, 1)]).unwrap();
    let c = store.version_counts(current).unwrap();
    assert_eq!((c.documents, c.outdated), (7, 5));

    // pages of 2, in id order, only the outdated ones, with their stored text
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .stored_documents(Some(current), after.as_deref(), 2)
            .unwrap();
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for d in &page {
            let i: usize = d.id["doc-".len()..].parse().unwrap();
            assert_eq!(d.text, doc(i, 0).0.text);
        }
        seen.extend(page.into_iter().map(|d| d.id));
    }
    assert_eq!(
        seen,
        ["doc-0000", "doc-0001", "doc-0003", "doc-0004", "doc-0006"]
    );
    // every document when no version is given
    assert_eq!(store.stored_documents(None, None, 100).unwrap().len(), 7);
    assert_eq!(
        store
            .stored_documents(None, Some("doc-0004"), 100)
            .unwrap()
            .len(),
        2
    );

    // an unchanged document stored again takes the current version, records as they were
    let records = store.record_count().unwrap();
    store.ingest_batch(&[doc(0, 0)]).unwrap();
    assert_eq!(store.version_counts(current).unwrap().outdated, 4);
    assert_eq!(store.record_count().unwrap(), records);
}
