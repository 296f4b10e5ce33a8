//! The store commands run end to end on a temporary SQLite file: ingest, ledger,
//! ledger show, export, search. Fixture articles are written for these tests.

use std::path::Path;
use std::process::{Command, Output};

const FR: &str = r#"{"id": "fr-pkg", "published": "2022-08-25", "lang": "fr", "source": "exemple.fr", "text": "Washington a annoncé mercredi une nouvelle aide militaire de 2,98 milliards de dollars pour l’Ukraine. Le paquet comprend six systèmes NASAMS et des obus de 155 mm."}"#;
const EN: &str = r#"{"id": "en-pkg", "published": "2022-08-24", "lang": "en", "source": "example.com", "text": "The United States announced a $2.98 billion security assistance package for Ukraine on Wednesday. The package includes six NASAMS air defense systems."}"#;
const EN2: &str = r#"{"id": "en-nasams", "published": "2022-11-08", "lang": "en", "source": "example.org", "text": "The first two NASAMS systems have been delivered to Ukraine, the Pentagon said on Monday."}"#;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_aidledger")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .env_remove("AIDLEDGER_DB")
        .output()
        .expect("runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn setup() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("docs.jsonl"), format!("{FR}\n{EN}\n{EN2}\n")).unwrap();
    t
}

#[test]
fn ingest_is_idempotent_and_the_ledger_lists_commitments() {
    let t = setup();
    let o = run(t.path(), &["ingest", "docs.jsonl", "--db", "l.db"]);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("3 documents added, 0 replaced, 0 unchanged"),
        "{err}"
    );
    let o = run(t.path(), &["ingest", "docs.jsonl", "--db", "l.db"]);
    let (_, err) = text(&o);
    assert!(
        err.contains("0 documents added, 0 replaced, 3 unchanged"),
        "{err}"
    );

    let o = run(t.path(), &["ledger", "--db", "l.db", "--format", "json"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let cs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The $2.98 billion package of the French and the English article is one commitment
    // from two outlets, with six NASAMS in it; the delivery of two NASAMS names no
    // package and stands alone as a transfer.
    let packages: Vec<&serde_json::Value> = cs.iter().filter(|c| c["kind"] == "package").collect();
    assert_eq!(packages.len(), 1, "{out}");
    let pkg = packages[0];
    assert_eq!(pkg["value"]["amount"], 2.98e9, "{out}");
    assert_eq!(pkg["sources"].as_array().unwrap().len(), 2, "{out}");
    assert!(
        pkg["contents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["name"] == "NASAMS" && i["pledged"][0]["value"] == 6),
        "{out}"
    );
    let transfers: Vec<&serde_json::Value> =
        cs.iter().filter(|c| c["kind"] == "transfer").collect();
    assert_eq!(transfers.len(), 1, "{out}");
    let nasams = transfers;
    assert_eq!(nasams[0]["item"], "NASAMS", "{out}");
    assert_eq!(nasams[0]["status"], "delivered", "{out}");

    // filters
    let o = run(
        t.path(),
        &[
            "ledger",
            "--db",
            "l.db",
            "--format",
            "json",
            "--status",
            "delivered",
        ],
    );
    let (out, _) = text(&o);
    assert!(
        out.lines().count() >= 1 && out.lines().all(|l| l.contains("delivered")),
        "{out}"
    );
    let o = run(t.path(), &["ledger", "--db", "l.db", "--donor", "deu"]);
    let (out, _) = text(&o);
    assert!(out.contains("(no commitments match)"), "{out}");

    // kind and item filters: the item filter finds the package that contains NASAMS
    let o = run(
        t.path(),
        &[
            "ledger", "--db", "l.db", "--format", "json", "--kind", "transfer",
        ],
    );
    let (out, _) = text(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains(r#""kind":"transfer""#), "{out}");
    let o = run(
        t.path(),
        &[
            "ledger", "--db", "l.db", "--format", "json", "--item", "nasams",
        ],
    );
    assert_eq!(text(&o).0.lines().count(), 2, "{}", text(&o).0);
    let o = run(t.path(), &["ledger", "--db", "l.db", "--kind", "loan"]);
    assert!(!o.status.success());

    // the figures: one package counted once, from both articles; the systems roll-up
    let o = run(
        t.path(),
        &["ledger", "--db", "l.db", "--sums", "--format", "json"],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let sums: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(sums["donor"], "USA");
    assert_eq!(sums["sums"]["committed"]["USD"], 2.98e9, "{out}");
    assert_eq!(sums["sums"]["by_kind"]["transfer"], 1, "{out}");
    let o = run(
        t.path(),
        &["ledger", "--db", "l.db", "--sums", "--year", "2021"],
    );
    assert!(text(&o).0.contains("(no commitments match)"));
    let o = run(
        t.path(),
        &["ledger", "--db", "l.db", "--systems", "--format", "json"],
    );
    let (out, _) = text(&o);
    let rolled: serde_json::Value = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["system"] == "NASAMS")
        .expect("NASAMS rolled up");
    assert_eq!(
        (
            rolled["pledged"].as_u64(),
            rolled["packages"].as_u64(),
            rolled["delivered"].as_u64()
        ),
        (Some(6), Some(1), Some(2)),
        "{out}"
    );

    // show by id prefix
    let id = nasams[0]["id"].as_str().unwrap();
    let o = run(t.path(), &["ledger", "show", &id[..8], "--db", "l.db"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("DELIVERED") && out.contains("en-nasams"),
        "{out}"
    );
    assert!(out.contains("transfer; announced 2022-11-07"), "{out}");
    assert!(
        out.contains("contains NASAMS; delivered 2 (en-nasams)"),
        "{out}"
    );
}

#[test]
fn export_and_search() {
    let t = setup();
    assert!(
        run(t.path(), &["ingest", "docs.jsonl", "--db", "l.db", "-q"])
            .status
            .success()
    );
    let o = run(t.path(), &["export", "--db", "l.db", "--format", "csv"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.starts_with(
            "id,kind,donor,recipient,announced,status,value,currency,items,sources,flags,confirmed\n"
        ),
        "{out}"
    );
    // one row per commitment: the package and the transfer
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains(",package,USA,UKR,2022-08-24,")
                && l.contains(",2980000000,USD,6 NASAMS")),
        "{out}"
    );
    let o = run(t.path(), &["export", "--db", "l.db", "--format", "jsonl"]);
    let (out, _) = text(&o);
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    for r in &rows {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 12, "{r}");
        assert_eq!(r["confirmed"], false, "{r}");
    }
    let o = run(
        t.path(),
        &[
            "export", "--db", "l.db", "--what", "records", "--format", "jsonl",
        ],
    );
    let (out, _) = text(&o);
    assert!(
        out.lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
            && out.lines().count() >= 3,
        "{out}"
    );
    // accents do not matter; hostile queries are harmless
    let o = run(t.path(), &["search", "systemes", "--db", "l.db"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("fr-pkg"), "{out}");
    for q in ["\"", "') OR 1=1 --", "*", "AND ("] {
        let o = run(t.path(), &["search", q, "--db", "l.db"]);
        assert!(o.status.success(), "query {q:?}: {}", text(&o).1);
    }
}

#[test]
fn unwritable_database_is_a_clear_error() {
    let t = setup();
    let o = run(
        t.path(),
        &["ingest", "docs.jsonl", "--db", "no/such/dir/l.db"],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("no/such/dir/l.db"), "{err}");
}

/// Sanity before storage: a package of 105 HIMARS is flagged, shown with its flag in
/// the export, kept out of the sums until `ledger confirm`, and back out after
/// `--undo`.
#[test]
fn flagged_commitments_count_once_confirmed() {
    const ODD: &str = r#"{"id": "odd-pkg", "published": "2022-09-09", "lang": "en", "source": "example.net", "text": "The United States announced a $675 million security assistance package for Ukraine on Thursday. The package includes 105 HIMARS launchers."}"#;
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("odd.jsonl"), format!("{ODD}\n")).unwrap();
    let o = run(t.path(), &["ingest", "odd.jsonl", "--db", "l.db"]);
    assert!(o.status.success(), "{}", text(&o).1);
    let o = run(t.path(), &["export", "--db", "l.db", "--format", "csv"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let row = out
        .lines()
        .find(|l| l.contains(",package,"))
        .unwrap_or_else(|| panic!("a package row: {out}"));
    assert!(row.contains("quantity_out_of_scale"), "{row}");
    assert!(!row.ends_with(",yes"), "not confirmed yet: {row}");
    let id = row.split(',').next().unwrap().to_string();
    // the export's last column says whether a person confirmed the row
    let package_row = |dir: &Path| -> String {
        let o = run(dir, &["export", "--db", "l.db", "--format", "csv"]);
        assert!(o.status.success(), "{}", text(&o).1);
        let out = text(&o).0;
        out.lines()
            .find(|l| l.starts_with(&id))
            .unwrap_or_else(|| panic!("the package row: {out}"))
            .to_string()
    };

    let sums = |dir: &Path| -> serde_json::Value {
        let o = run(
            dir,
            &["ledger", "--db", "l.db", "--sums", "--format", "json"],
        );
        let (out, err) = text(&o);
        assert!(o.status.success(), "{err}");
        serde_json::from_str(out.lines().next().expect("one line")).unwrap()
    };
    let before = sums(t.path());
    assert_eq!(before["sums"]["flagged"], 1, "{before}");
    assert!(before["sums"]["committed"].get("USD").is_none(), "{before}");

    let o = run(t.path(), &["ledger", "confirm", &id[..8], "--db", "l.db"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("confirmed (quantity_out_of_scale)"), "{out}");
    let after = sums(t.path());
    assert_eq!(after["sums"]["flagged"], 0, "{after}");
    assert_eq!(after["sums"]["confirmed"], 1, "{after}");
    assert_eq!(after["sums"]["committed"]["USD"], 675e6, "{after}");
    let o = run(t.path(), &["ledger", "confirm", "--list", "--db", "l.db"]);
    assert!(text(&o).0.starts_with(&id), "{}", text(&o).0);
    assert!(
        package_row(t.path()).ends_with(",yes"),
        "confirmed in the export"
    );

    let o = run(
        t.path(),
        &["ledger", "confirm", &id, "--undo", "--db", "l.db"],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    assert_eq!(sums(t.path())["sums"]["flagged"], 1);
    assert!(
        !package_row(t.path()).ends_with(",yes"),
        "unconfirmed again"
    );
    // an unflagged or unknown commitment cannot be confirmed
    let o = run(
        t.path(),
        &["ledger", "confirm", "ffffffffffff", "--db", "l.db"],
    );
    assert!(!o.status.success());
    assert!(text(&o).1.contains("no commitment"), "{}", text(&o).1);
}
