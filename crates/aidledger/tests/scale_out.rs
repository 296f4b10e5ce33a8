//! Scale-out (docs/scale-out.md): shards of the input ingested by separate `aidledger
//! ingest` processes at the same time into one PostgreSQL ledger give the same ledger as
//! one process reading everything. Needs the test server of scripts/ci-postgres.sh
//! (`AIDLEDGER_TEST_PG`); skipped without it, except in CI, where it fails.

use std::path::Path;
use std::process::Command;

const VAR: &str = "AIDLEDGER_TEST_PG";
const EXAMPLES: &str = include_str!("../../../examples/articles.jsonl");

fn base_url(test: &str) -> Option<String> {
    match std::env::var(VAR) {
        Ok(u) if !u.is_empty() => Some(u),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{VAR} is not set in CI: run `eval \"$(bash scripts/ci-postgres.sh)\"` first")
        }
        _ => {
            skipped(
                test,
                &format!("{VAR} is not set (see scripts/ci-postgres.sh)"),
            );
            None
        }
    }
}

/// Says that `test` did not run, on a line `scripts/test.sh` counts as skipped (not as
/// passed); written straight to stderr, which the test harness does not capture.
fn skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let line = format!("AIDLEDGER-SKIP {test}: {why}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// A fresh schema on the test server; the store URL whose search_path is it.
fn schema(base: &str, name: &str) -> (String, String) {
    let schema = format!("aidledger_scale_{name}_{}", std::process::id());
    let mut admin = postgres::Client::connect(base, postgres::NoTls).expect("admin connection");
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("create the schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    (
        schema.clone(),
        format!("{base}{sep}options=-csearch_path%3D{schema}"),
    )
}

fn drop_schema(base: &str, schema: &str) {
    if let Ok(mut admin) = postgres::Client::connect(base, postgres::NoTls) {
        let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aidledger"))
}

/// Documents JSONL: the bundled examples under many ids, so the shards share donors,
/// systems and packages (commitments merge across shards).
fn write_corpus(dir: &Path) -> (Vec<std::path::PathBuf>, std::path::PathBuf) {
    let mut all = String::new();
    let mut shards = [String::new(), String::new()];
    for k in 0..40 {
        for (j, line) in EXAMPLES.lines().enumerate() {
            let mut d: serde_json::Value = serde_json::from_str(line).unwrap();
            d["id"] = format!("copy-{k}-{j}").into();
            let l = format!("{d}\n");
            all.push_str(&l);
            shards[(k + j) % 2].push_str(&l);
        }
    }
    let whole = dir.join("all.jsonl");
    std::fs::write(&whole, all).unwrap();
    let parts: Vec<_> = shards
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let p = dir.join(format!("shard-{i}.jsonl"));
            std::fs::write(&p, s).unwrap();
            p
        })
        .collect();
    (parts, whole)
}

fn export(url: &str, what: &str) -> String {
    let out = bin()
        .args(["export", "--what", what, "--format", "jsonl", "--db", url])
        .output()
        .expect("run export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn two_concurrent_ingest_processes_build_the_ledger_one_process_builds() {
    let Some(base) =
        base_url("two_concurrent_ingest_processes_build_the_ledger_one_process_builds")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (shards, whole) = write_corpus(dir.path());
    let (s_shared, shared) = schema(&base, "shared");
    let (s_single, single) = schema(&base, "single");

    // two processes at once, one shard each, into one ledger
    let children: Vec<_> = shards
        .iter()
        .map(|p| {
            bin()
                .args(["ingest", "--quiet", "--db", &shared])
                .arg(p)
                .spawn()
                .expect("spawn ingest")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a shard's ingest failed");
    }
    // one process, everything
    let st = bin()
        .args(["ingest", "--quiet", "--db", &single])
        .arg(&whole)
        .status()
        .unwrap();
    assert!(st.success());

    let (a, b) = (
        export(&shared, "commitments"),
        export(&single, "commitments"),
    );
    assert!(!a.trim().is_empty(), "the ledger is empty");
    assert_eq!(a, b, "the sharded ledger differs from the single run's");
    assert_eq!(export(&shared, "records"), export(&single, "records"));
    drop_schema(&base, &s_shared);
    drop_schema(&base, &s_single);
}
