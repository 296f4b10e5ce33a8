//! Crash safety and concurrency across processes on one SQLite file.
//!
//! The test binary re-runs itself as an ingester (the `child_ingest` test, which does
//! nothing unless `AIDLEDGER_STORE_CHILD_DB` is set): the parent kills such children
//! with SIGKILL at random moments, then lets one run to the end, and compares the
//! database with that of an uninterrupted run.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aidledger_store::Store;
use common::*;

const CHILD_DB: &str = "AIDLEDGER_STORE_CHILD_DB";
const CHILD_RANGE: &str = "AIDLEDGER_STORE_CHILD_RANGE";
const BATCH: usize = 5;

/// The ingest run: documents of the range in batches, a rebuild every 40 batches and
/// at the end (as the CLI does once).
fn run_ingest(path: &str, from: usize, to: usize) {
    let mut store = Store::open(path).expect("open");
    let docs = docs(from..to);
    for (k, b) in docs.chunks(BATCH).enumerate() {
        store.ingest_batch(b).expect("ingest");
        if k % 40 == 39 {
            store.rebuild_commitments(false).expect("rebuild");
        }
    }
    store.rebuild_commitments(false).expect("rebuild");
}

fn range_of(s: &str) -> (usize, usize) {
    let (a, b) = s.split_once("..").expect("FROM..TO");
    (a.parse().expect("FROM"), b.parse().expect("TO"))
}

/// The child's side: an ingest, when asked for by the parent.
#[test]
fn child_ingest() {
    let Ok(path) = std::env::var(CHILD_DB) else {
        return;
    };
    let (from, to) = range_of(&std::env::var(CHILD_RANGE).unwrap_or_else(|_| "0..600".into()));
    run_ingest(&path, from, to);
}

fn spawn_child(path: &str, from: usize, to: usize) -> Child {
    let exe = std::env::current_exe().expect("test binary");
    Command::new(exe)
        .args(["child_ingest", "--exact", "--test-threads", "1", "--quiet"])
        .env(CHILD_DB, path)
        .env(CHILD_RANGE, format!("{from}..{to}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the ingester")
}

/// xorshift64*, seeded from the clock unless AIDLEDGER_TEST_SEED is set.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("AIDLEDGER_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        eprintln!("kill test seed: {seed} (AIDLEDGER_TEST_SEED={seed} repeats the delays)");
        Rng(seed | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

#[test]
fn killed_ingests_resume_to_the_uninterrupted_state() {
    const DOCS: usize = 600;
    let dir = tempfile::tempdir().unwrap();

    // the uninterrupted run (also in a child, to time it)
    let clean = dir.path().join("clean.db").to_string_lossy().into_owned();
    let start = Instant::now();
    let status = spawn_child(&clean, 0, DOCS).wait().unwrap();
    assert!(status.success(), "the uninterrupted ingest failed");
    let full = start.elapsed();
    eprintln!("uninterrupted ingest of {DOCS} documents: {full:?}");

    let path = dir.path().join("killed.db").to_string_lossy().into_owned();
    let mut rng = Rng::new();
    let mut killed_running = 0;
    let mut stored = 0;
    for round in 0..5 {
        let mut child = spawn_child(&path, 0, DOCS);
        // a random moment within what is left of the work (the first kill early, to hit
        // the schema creation)
        let left = 20 + full.as_millis() as u64 * (DOCS - stored) as u64 / DOCS as u64;
        let max = if round == 0 { 30 } else { left };
        let delay = Duration::from_millis(rng.below(max));
        std::thread::sleep(delay);
        let was_running = child.try_wait().unwrap().is_none();
        child.kill().ok(); // SIGKILL
        let status = child.wait().unwrap();
        if was_running {
            killed_running += 1;
        } else {
            assert!(status.success(), "an ingester failed before it was killed");
        }
        // whatever the moment, the file is a consistent database
        let store = Store::open(&path).expect("open after a kill");
        store.check_integrity().expect("integrity after a kill");
        stored = store.documents().unwrap().len();
        drop(store);
        eprintln!(
            "kill {round}: after {delay:?}, running: {was_running}, {stored} documents stored"
        );
    }
    assert!(
        killed_running >= 3,
        "only {killed_running} of 5 kills hit a running ingester: the workload is too short"
    );

    // the re-run completes the work
    let status = spawn_child(&path, 0, DOCS).wait().unwrap();
    assert!(status.success(), "the resumed ingest failed");
    let resumed = Store::open(&path).unwrap();
    resumed.check_integrity().unwrap();
    let clean_store = Store::open(&clean).unwrap();
    let (a, b) = (resumed.dump().unwrap(), clean_store.dump().unwrap());
    assert_eq!(a, b, "{}", diff(&a, &b));
    assert_eq!(resumed.documents().unwrap().len(), DOCS);
    assert!(!resumed.commitments_stale().unwrap());
}

#[test]
fn a_kill_between_ingest_and_rebuild_is_completed_by_the_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db").to_string_lossy().into_owned();
    {
        // as if killed right after the last batch: records stored, no rebuild
        let mut s = Store::open(&path).unwrap();
        ingest(&mut s, &docs(0..50), BATCH);
        assert!(s.commitments_stale().unwrap());
    }
    run_ingest(&path, 0, 50); // every batch unchanged, but the mark is still set
    let clean = dir.path().join("clean.db").to_string_lossy().into_owned();
    run_ingest(&clean, 0, 50);
    let (a, b) = (
        Store::open(&path).unwrap().dump().unwrap(),
        Store::open(&clean).unwrap().dump().unwrap(),
    );
    assert_eq!(a, b, "{}", diff(&a, &b));
}

#[test]
fn concurrent_processes_equal_a_sequential_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db").to_string_lossy().into_owned();
    // overlapping sets, started together on a file that does not exist yet
    let mut a = spawn_child(&path, 0, 300);
    let mut b = spawn_child(&path, 150, 450);
    let mut c = spawn_child(&path, 100, 200);
    assert!(a.wait().unwrap().success(), "ingester a failed");
    assert!(b.wait().unwrap().success(), "ingester b failed");
    assert!(c.wait().unwrap().success(), "ingester c failed");
    let seq = dir
        .path()
        .join("sequential.db")
        .to_string_lossy()
        .into_owned();
    run_ingest(&seq, 0, 300);
    run_ingest(&seq, 150, 450);
    let shared = Store::open(&path).unwrap();
    shared.check_integrity().unwrap();
    let (x, y) = (
        shared.dump().unwrap(),
        Store::open(&seq).unwrap().dump().unwrap(),
    );
    assert_eq!(x, y, "{}", diff(&x, &y));
    assert_eq!(shared.documents().unwrap().len(), 450);
}
