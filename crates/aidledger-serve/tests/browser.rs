//! The pages in a real browser: headless Chromium (`--dump-dom`, `--screenshot`) opens
//! the overview, the ledger filtered to one donor, a commitment with stages at several
//! dates, a package's page, the systems view and a search, at laptop (1366 px) and
//! phone (390 px) widths, and follows a quote to its article, where the evidence must
//! be highlighted in the rendered DOM. Screenshots go to `target/screenshots/`.
//!
//! Without Chromium (install it with `scripts/ci-chromium.sh`) the test is skipped with
//! a message, except when `CI` is set: then it fails. `CHROMIUM` names another binary.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aidledger_core::{Document, ExtractOptions, Extractor};
use aidledger_serve::state::AppState;
use aidledger_store::Store;

fn chromium() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(c) = std::env::var("CHROMIUM") {
        candidates.push(c.into());
    }
    candidates.extend(
        [
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ]
        .map(PathBuf::from),
    );
    candidates.into_iter().find(|p| p.is_file())
}

struct Browser {
    bin: PathBuf,
    profile: tempfile::TempDir,
}

impl Browser {
    fn run(&self, args: &[String]) -> String {
        let mut cmd = Command::new(&self.bin);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--mute-audio",
        ])
        .arg(format!("--user-data-dir={}", self.profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start chromium");
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stdout.read_to_string(&mut s);
            s
        });
        let err = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let out = out.join().unwrap();
                let err = err.join().unwrap();
                assert!(
                    status.success(),
                    "chromium {args:?} failed ({status}): {err}"
                );
                return out;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "chromium {args:?} took more than 90 s: {}",
                    err.join().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn dom(&self, url: &str) -> String {
        self.run(&[
            "--virtual-time-budget=3000".into(),
            "--dump-dom".into(),
            url.into(),
        ])
    }

    /// Written under a temporary name and renamed, so that concurrent runs never see
    /// (or remove) each other's half-written files.
    fn screenshot(&self, url: &str, path: &Path, w: u32, h: u32) {
        let tmp = path.with_extension(format!("{}.tmp.png", std::process::id()));
        self.run(&[
            format!("--screenshot={}", tmp.display()),
            format!("--window-size={w},{h}"),
            "--virtual-time-budget=3000".into(),
            url.into(),
        ]);
        let meta = std::fs::metadata(&tmp)
            .unwrap_or_else(|e| panic!("no screenshot {}: {e}", tmp.display()));
        assert!(meta.len() > 1000, "{} is nearly empty", tmp.display());
        std::fs::rename(&tmp, path).unwrap();
    }
}

fn serve() -> (SocketAddr, tokio::runtime::Runtime, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("browser.db").to_string_lossy().into_owned();
    let mut store = Store::open(&db).unwrap();
    let ex = Extractor::new().unwrap();
    let docs = [
        ("en-pkg", "2022-08-24", "example.com", "US announces package",
         "The United States announced a $2.98 billion security assistance package for Ukraine on Wednesday. The package includes six NASAMS air defense systems."),
        ("en-nasams", "2022-11-08", "example.org", "First NASAMS delivered",
         "The first two NASAMS systems have been delivered to Ukraine, the Pentagon said on Monday."),
        ("de-iris", "2022-10-12", "evil.example", "<script>alert(1)</script> IRIS-T",
         "<script>alert(1)</script> \"><img src=x onerror=alert(1)> javascript:alert(1) Germany has delivered the first IRIS-T air defence system to Ukraine, the German government said on Wednesday."),
        ("de-iris-pledge", "2022-06-01", "tagesschau.example", "Germany pledges IRIS-T",
         "Germany will send the IRIS-T air defence system to Ukraine, Chancellor Olaf Scholz said on Wednesday."),
        ("en-nasams-all", "2023-03-10", "example.net", "All six NASAMS delivered",
         "The United States has delivered all six NASAMS air defense systems to Ukraine, the Pentagon said on Friday."),
        ("us-total-1", "2022-10-14", "state.example", "Totals in October",
         "The United States has now committed more than $17.5 billion in security assistance to Ukraine since the beginning of the Administration."),
        ("us-total-2", "2023-02-24", "state.example", "Totals in February",
         "The United States has now committed more than $31.7 billion in security assistance to Ukraine since the beginning of the Administration."),
        ("ir-drones", "2022-10-18", "wire.example", "Drones for Russia",
         "Iran has delivered hundreds of Shahed drones to Russia, the White House said on Tuesday."),
    ];
    let batch: Vec<_> = docs
        .iter()
        .map(|(id, published, source, title, text)| {
            let d = Document {
                id: id.to_string(),
                text: text.to_string(),
                published: Some(published.to_string()),
                source: Some(source.to_string()),
                url: None,
                title: Some(title.to_string()),
                lang: Some("en".into()),
            };
            let e = ex.extract(&d, &ExtractOptions::default()).unwrap();
            (d, e)
        })
        .collect();
    store.ingest_batch(&batch).unwrap();
    store.rebuild_commitments(true).unwrap();
    let state = AppState::new(store, None, db);
    let app = aidledger_serve::pages::routes().with_state(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, rt, dir)
}

/// The first `href="PREFIX…"` value in the DOM.
fn first_href(dom: &str, prefix: &str) -> Option<String> {
    let needle = format!("href=\"{prefix}");
    let i = dom.find(&needle)? + "href=\"".len();
    let end = dom[i..].find('"')? + i;
    Some(dom[i..end].replace("&amp;", "&"))
}

/// Says that `test` did not run, on a line `scripts/test.sh` counts as skipped (not as
/// passed); written straight to stderr, which the test harness does not capture.
fn skipped(test: &str, why: &str) {
    use std::io::Write as _;
    let line = format!("AIDLEDGER-SKIP {test}: {why}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

#[test]
fn browser() {
    let Some(bin) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("Chromium is missing and CI is set: install it with scripts/ci-chromium.sh");
        }
        skipped(
            "browser",
            "no Chromium (run scripts/ci-chromium.sh, or set CHROMIUM)",
        );
        return;
    };
    let started = Instant::now();
    let b = Browser {
        bin,
        profile: tempfile::tempdir().unwrap(),
    };
    let (addr, _rt, _dir) = serve();
    let base = format!("http://{addr}");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // overview
    let home = b.dom(&format!("{base}/"));
    assert!(home.contains("<svg"), "{home}");
    assert!(home.contains("/ledger?donor=USA"));
    // aid to Ukraine and supplies to Russia apart
    let ukr = home.find("Aid to Ukraine").expect("a Ukraine section");
    let rus = home.find("Supplies to Russia").expect("a Russia section");
    assert!(ukr < rus);
    assert!(home[rus..].contains("/ledger?donor=IRN"), "{home}");
    assert!(home.contains("class=\"chart\""));
    assert!(home.contains("class=\"series\""), "{home}");
    b.screenshot(&format!("{base}/"), &shots.join("overview.png"), 1366, 1600);
    b.screenshot(
        &format!("{base}/"),
        &shots.join("overview-phone.png"),
        390,
        2200,
    );

    // the ledger of one donor
    let ledger_url = format!("{base}/ledger?donor=USA");
    let ledger = b.dom(&ledger_url);
    assert!(ledger.contains("NASAMS"), "{ledger}");
    assert!(!ledger.contains(">DEU<"), "{ledger}");
    b.screenshot(&ledger_url, &shots.join("ledger-usa.png"), 1366, 800);
    b.screenshot(&ledger_url, &shots.join("ledger-usa-phone.png"), 390, 900);

    // a commitment, then a quote's link to its article
    let commitment = first_href(&ledger, "/commitments/").expect("a commitment link");
    let page = b.dom(&format!("{base}{commitment}"));
    assert!(page.contains("class=\"timeline\""), "{page}");
    b.screenshot(
        &format!("{base}{commitment}"),
        &shots.join("commitment.png"),
        1366,
        1200,
    );
    let quote = first_href(&page, "/documents/")
        .filter(|h| h.contains("#ev-"))
        .expect("a quote link");
    let ev_id = quote.split('#').nth(1).unwrap().to_string();
    let article = b.dom(&format!("{base}{quote}"));
    let mark = format!("id=\"{ev_id}\"");
    let at = article
        .find(&mark)
        .unwrap_or_else(|| panic!("no {mark} in {article}"));
    let open = article[..at].rfind('<').unwrap();
    assert!(
        article[open..].starts_with("<mark class=\"ev status-"),
        "{}",
        &article[open..at + 20]
    );
    b.screenshot(
        &format!("{base}{quote}"),
        &shots.join("document.png"),
        1366,
        900,
    );

    // search: a count, snippets
    let search = b.dom(&format!("{base}/search?q=air+defence"));
    assert!(search.contains("articles match"), "{search}");
    assert!(search.contains("<mark class=\"hit\">"), "{search}");
    b.screenshot(
        &format!("{base}/search?q=air+defence"),
        &shots.join("search-phone.png"),
        390,
        1000,
    );

    // the package page: facts, contents, timeline; laptop and phone
    let packages = b.dom(&format!("{base}/ledger?donor=USA&kind=package"));
    let package = first_href(&packages, "/commitments/").expect("a package link");
    let page = b.dom(&format!("{base}{package}"));
    assert!(page.contains("<dt>Kind</dt><dd>package</dd>"), "{page}");
    assert!(page.contains("<td>NASAMS</td>"), "{page}");
    assert!(page.contains("class=\"timeline\""), "{page}");
    // its stages at two dates: drawn on a time axis, listed in date order
    assert!(page.contains("timeline-chart"), "{page}");
    let list = &page[page.find("<ol class=\"timeline\">").unwrap()..];
    let dates: Vec<&str> = list[..list.find("</ol>").unwrap()]
        .split("<span class=\"date\">")
        .skip(1)
        .filter_map(|p| p.split('<').next())
        .collect();
    assert!(dates.len() >= 2, "{page}");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    b.screenshot(
        &format!("{base}{package}"),
        &shots.join("package.png"),
        1366,
        1200,
    );
    b.screenshot(
        &format!("{base}{package}"),
        &shots.join("package-phone.png"),
        390,
        1400,
    );

    // the systems view
    let systems = b.dom(&format!("{base}/systems"));
    assert!(systems.contains(">NASAMS</a>"), "{systems}");
    assert!(
        systems.contains("<table class=\"ledger cards\">"),
        "{systems}"
    );
    b.screenshot(
        &format!("{base}/systems"),
        &shots.join("systems.png"),
        1366,
        800,
    );
    b.screenshot(
        &format!("{base}/systems"),
        &shots.join("systems-phone.png"),
        390,
        900,
    );

    // the hostile article: the script never became an element
    let evil = b.dom(&format!("{base}/documents/de-iris"));
    assert!(
        evil.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{evil}"
    );
    assert!(!evil.contains("<img"), "{evil}");
    b.screenshot(
        &format!("{base}/documents/de-iris"),
        &shots.join("document-phone.png"),
        390,
        1000,
    );

    eprintln!(
        "browser test: {:.1} s, screenshots in {}",
        started.elapsed().as_secs_f64(),
        shots.display()
    );
}
