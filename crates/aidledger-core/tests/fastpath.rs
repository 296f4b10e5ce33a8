//! The fast path (issue 9) changes nothing: every document below is extracted by an
//! extractor with the fast path on and by one with it off, and the two extractions
//! (records, language, publication date, source, capped sentences) must be equal.
//!
//! The documents are short articles and transcripts written for this test, in English
//! and French, and many more built from their sentences shuffled and joined in a
//! pseudo-random order, so that speaker labels, datelines, headlines, lists after a
//! package and pronouns meet their antecedents at every distance.

use aidledger_core::segment::Segmenter;
use aidledger_core::text::{fold_chain, normalize};
use aidledger_core::{Document, ExtractOptions, Extraction, Extractor, Lang};

fn extractors() -> &'static (Extractor, Extractor) {
    static E: std::sync::OnceLock<(Extractor, Extractor)> = std::sync::OnceLock::new();
    E.get_or_init(|| {
        let fast = Extractor::new().expect("data files load");
        let mut slow = Extractor::new().expect("data files load");
        slow.set_fast_path(false);
        assert!(fast.fast_path() && !slow.fast_path());
        (fast, slow)
    })
}

fn json(e: &Result<Extraction, aidledger_core::ExtractError>) -> String {
    match e {
        Ok(x) => serde_json::to_string(x).expect("serialisable"),
        Err(err) => format!("error: {err}"),
    }
}

/// Extracts `doc` both ways, asserts equal output, returns the number of records.
fn same(doc: &Document) -> usize {
    let (fast, slow) = extractors();
    let opts = ExtractOptions::default();
    let (a, b) = (fast.extract(doc, &opts), slow.extract(doc, &opts));
    assert_eq!(json(&a), json(&b), "fast and slow paths differ on {doc:?}");
    a.map_or(0, |x| x.records.len())
}

/// Whether the prefilter finds no candidate sentence (the fast path skips the document).
fn skipped(text: &str, lang: Lang) -> bool {
    let (fast, _) = extractors();
    let norm = normalize(text, &fold_chain());
    let sentences = Segmenter::new().split(&norm, text, lang);
    let hits = fast.gazetteer().hits(norm.text.as_bytes());
    !aidledger_core::prefilter::candidates(&hits, lang, &sentences).contains(&true)
}

fn doc(id: &str, text: &str, lang: Option<&str>, published: Option<&str>) -> Document {
    Document {
        id: id.into(),
        text: text.into(),
        published: published.map(str::to_string),
        lang: lang.map(str::to_string),
        ..Default::default()
    }
}

const EN: &[&str] = &[
    "Remarks by the Press Secretary on the week ahead",
    "Tuesday, March 7",
    "Briefing of Friday",
    "WASHINGTON, March 3, 2023 — The weather in the capital stayed mild all week.",
    "MS. JEAN-PIERRE: Good afternoon, everyone.",
    "The United States will send Ukraine 31 Abrams tanks, the President said on Tuesday.",
    "The package includes:",
    "• 155mm artillery rounds;",
    "• additional HIMARS ammunition;",
    "• Javelin anti-armor systems.",
    "Q: Will the U.S. deliver F-16 jets this year?",
    "MR. KIRBY: We have nothing to announce on that today.",
    "Germany delivered two more IRIS-T systems to Kyiv last week.",
    "These systems arrived in Ukraine on Friday, the ministry said.",
    "We talked about the economy, jobs and the price of eggs.",
    "The Secretary of Defense, Lloyd Austin, approved a $400 million package of security assistance.",
    "Britain pledged Storm Shadow missiles, Prime Minister Rishi Sunak announced.",
    "The committee will consider the farm bill next month.",
    "“We’re sending Patriot batteries,” the spokesman said — “they’re on their way.”",
    "Canada has refused to send its Leopard 2 tanks to Ukraine.",
    "Poland asked Berlin for permission to re-export Leopard tanks.",
    "The new ＨＩＭＡＲＳ launchers were handed over in Rzeszów.",
    "She visited a school in Ohio and spoke with teachers about reading.",
    "In total, the United States has committed more than $30 billion in military aid since February 2022.",
    "Thank you very much.",
    "The United States strongly condemns the attack.",
    "Norway will donate NASAMS air defense systems, its defence minister said.",
];

const FR: &[&str] = &[
    "Le point presse du ministère",
    "Mardi 28 mai",
    "Jeudi",
    "PARIS, 12 octobre 2022 — Le temps est resté doux toute la semaine à Paris.",
    "La France a livré six canons Caesar supplémentaires à l’Ukraine, a annoncé le ministre.",
    "Ces systèmes sont arrivés en Ukraine la semaine dernière.",
    "L’Allemagne fournira quatre systèmes IRIS-T à Kiev, a déclaré le chancelier Olaf Scholz.",
    "Le président a parlé de l’école, des retraites et du prix du pain.",
    "« Nous enverrons des chars Leclerc », a promis le ministre des Armées.",
    "Les États-Unis ont approuvé une aide militaire de 800 millions de dollars pour l’Ukraine.",
    "Le paquet comprend :",
    "- des obus de 155 mm ;",
    "- des missiles antichars Javelin.",
    "Le Royaume-Uni a reçu une demande de Kiev pour des avions de combat.",
    "La Pologne a refusé de céder ses MiG-29 sans l’accord de l’OTAN.",
    "Le conseil municipal examinera le budget le mois prochain.",
    "Les Pays-Bas ont livre\u{301} des obusiers PzH 2000 a\u{300} l’armée ukrainienne.",
    "Merci à tous.",
    "La Suède enverra des canons Archer, selon le ministre de la Défense.",
    "L’Ukraine a reçu les premiers chars Leopard 2 promis par l’Allemagne.",
    "Le porte-parole du Pentagone, John Kirby, a répondu aux questions.",
];

/// The articles as written, one document each.
#[test]
fn written_articles_are_the_same_both_ways() {
    let mut records = 0;
    for (i, text) in [
        EN.join(" "),
        EN.join("\n"),
        EN.join("\n\n"),
        FR.join(" "),
        FR.join("\n\n"),
        // no candidate sentence at all: the fast path skips these
        "The weather was fine in Kyiv today. Schools reopened and buses ran on time.".into(),
        "Il a fait beau à Lyon. Les écoles ont rouvert.\n\nLa source: www.example.org".into(),
        "date 2024-10-11\n\nA quiet day at the White House.".into(),
        // a run without punctuation, cut into capped pieces
        "the united states will send weapons to ukraine and ".repeat(120),
        "the weather was fine and the schools were open and ".repeat(120),
    ]
    .iter()
    .enumerate()
    {
        for lang in [None, Some("en"), Some("fr")] {
            for published in [None, Some("2023-02-01")] {
                records += same(&doc(&format!("w{i}"), text, lang, published));
            }
        }
    }
    assert!(records > 20, "the fixtures must make records: {records}");
    // both paths of the fast path are taken
    assert!(skipped(
        "The weather was fine in Kyiv today. Schools reopened and buses ran on time.",
        Lang::En
    ));
    assert!(!skipped(&EN.join(" "), Lang::En));
    assert!(!skipped(&FR.join(" "), Lang::Fr));
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Documents made of the fixtures' sentences in a pseudo-random order, with fillers
/// between them (sentences that cannot report an event), so that a candidate sentence
/// sits at every distance from its context.
#[test]
fn shuffled_documents_are_the_same_both_ways() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut records, mut skipped_docs, mut docs) = (0, 0, 0);
    for (pool, lang) in [(EN, "en"), (FR, "fr")] {
        for n in 0..150 {
            let mut text = String::new();
            let len = 1 + rng.below(14);
            for _ in 0..len {
                let s = pool[rng.below(pool.len())];
                // mostly sentences that cannot report anything: few candidates per document
                let s = if rng.below(3) == 0 {
                    s
                } else {
                    pool[[1, 5, 12, 20, 22][rng.below(5)].min(pool.len() - 1)]
                };
                text.push_str(s);
                text.push_str([" ", "\n", "\n\n", " ", "  "][rng.below(5)]);
            }
            let d = doc(
                &format!("{lang}{n}"),
                &text,
                (n % 4 != 0).then_some(lang),
                (n % 3 != 0).then_some("2023-05-04"),
            );
            records += same(&d);
            docs += 1;
            if skipped(&text, if lang == "fr" { Lang::Fr } else { Lang::En }) {
                skipped_docs += 1;
            }
        }
    }
    assert!(records > 100, "the documents must make records: {records}");
    assert!(
        skipped_docs > 10 && skipped_docs < docs,
        "some documents, not all, must be skipped: {skipped_docs} of {docs}"
    );
}

/// `--explain` takes the slow path: its lines are the same with the fast path on.
#[test]
fn explain_is_the_same_both_ways() {
    let (fast, slow) = extractors();
    let opts = ExtractOptions { explain: true };
    let d = doc("x", &EN.join(" "), Some("en"), Some("2023-02-01"));
    let (a, b) = (fast.extract(&d, &opts), slow.extract(&d, &opts));
    assert_eq!(json(&a), json(&b));
    assert!(!a.unwrap().explain.is_empty());
}
