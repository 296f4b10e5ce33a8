//! The pipeline: runs the stages over one document and collects records and
//! explanations.

use jiff::civil::Date;

use crate::assemble::assemble;
use crate::attribute::{attribute, bind_roles};
use crate::boilerplate::Boilerplate;
use crate::doc::Doc;
use crate::events::{continuation, section_heading_date, sentence_events, Context, Event, Outcome};
use crate::gazetteer::{DataError, Entry, Gazetteer};
use crate::langid::LangId;
use crate::segment::Segmenter;
use crate::text::{fold_chain, normalize};
use crate::voice::Voice;
use crate::{Document, ExplainLine, ExtractError, ExtractOptions, Extraction, Lang};

/// Articles up to this many sentences that name Ukraine take it as the default recipient
/// everywhere; longer documents only within a few sentences of a mention.
const SHORT_ARTICLE: usize = 40;

/// The compiled pipeline: gazetteers and lexicons loaded once. Share it across threads.
pub struct Extractor {
    gaz: Gazetteer,
    boiler: Boilerplate,
    seg: Segmenter,
    langid: LangId,
    fast_path: bool,
}

/// Reads `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a partial date stands for its first day).
pub fn parse_published(s: &str) -> Option<Date> {
    let s = s.trim();
    let s = s.get(..10.min(s.len()))?;
    let mut parts = s.split('-');
    let y: i16 = parts.next()?.parse().ok()?;
    let m: i8 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let d: i8 = parts
        .next()
        .map_or(Some(1), |p| p.get(..2).unwrap_or(p).parse().ok())?;
    Date::new(y, m, d).ok()
}

impl Extractor {
    /// Builds the extractor from the data files compiled into the binary.
    pub fn new() -> Result<Extractor, DataError> {
        Ok(Extractor {
            gaz: Gazetteer::load()?,
            boiler: Boilerplate::load()?,
            seg: Segmenter::new(),
            langid: LangId::new(),
            fast_path: true,
        })
    }

    /// Turns the fast path on (the default) or off. With it, sentences that cannot report
    /// an event are found by [`crate::prefilter::candidates`]: a document without a
    /// candidate sentence skips every stage after segmentation, and the sentence stages
    /// stop after the last candidate sentence and the lists that follow it. The output is
    /// the same either way; the slow path is kept to prove it (`fastpath` tests,
    /// `scripts/fastpath-check.sh`). `--explain` always takes the slow path.
    pub fn set_fast_path(&mut self, on: bool) {
        self.fast_path = on;
    }

    pub fn fast_path(&self) -> bool {
        self.fast_path
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Extracts aid records from one document. Never panics on any text.
    pub fn extract(
        &self,
        doc: &Document,
        opts: &ExtractOptions,
    ) -> Result<Extraction, ExtractError> {
        let norm = normalize(&doc.text, &fold_chain());
        let lang_code = match doc.lang.as_deref().map(|l| l.trim().to_ascii_lowercase()) {
            Some(l) if !l.is_empty() => l,
            _ => self
                .langid
                .detect(&norm.text)
                .unwrap_or_else(|| "en".to_string()),
        };
        let lang = match lang_code.get(..2).unwrap_or(&lang_code) {
            "fr" => Lang::Fr,
            "en" => Lang::En,
            _ => return Err(ExtractError::UnsupportedLanguage(lang_code)),
        };

        let mut published = doc.published.as_deref().and_then(parse_published);
        let mut published_text = doc.published.clone().filter(|_| published.is_some());
        if published.is_none() {
            if let Some((d, s)) = crate::pubdate::find_in_text(&norm.text, lang) {
                published = Some(d);
                published_text = Some(s);
            }
        }

        let boiler = self.boiler.find(&norm.text);
        let source = boiler.source.clone().map(|r| {
            let o = norm.map.to_orig_start(r.start)..norm.map.to_orig_end(r.end);
            doc.text.get(o).unwrap_or("").trim().to_string()
        });
        let sentences = self.seg.split(&norm, &doc.text, lang);
        // fast path: the last sentence that could report an event, if any
        let crate::gazetteer::Scan { hits, words } = self.gaz.scan(norm.text.as_bytes());
        let mut last_candidate = None;
        let mut cands = Vec::new();
        if self.fast_path && !opts.explain {
            cands = crate::prefilter::candidates(&hits, lang, &sentences);
            // (a boilerplate sentence is skipped before its events are read)
            last_candidate = cands
                .iter()
                .zip(&sentences)
                .rposition(|(&c, s)| c && !boiler.contains(s.range.start));
            if last_candidate.is_none() {
                return Ok(Extraction {
                    capped_sentences: sentences.iter().filter(|s| s.capped).count(),
                    records: Vec::new(),
                    lang: lang_code,
                    published: published_text,
                    source,
                    explain: Vec::new(),
                });
            }
        }
        let mentions = self
            .gaz
            .find_with(&norm, &doc.text, lang, norm.text.as_bytes(), &hits);
        drop(hits);
        let d = Doc {
            id: &doc.id,
            orig: &doc.text,
            norm,
            lang,
            reference: published,
            reference_text: published_text.clone(),
            boiler,
            sentences,
            mentions,
            words,
        };

        let mut ctx = Context::default();
        // sentences that name Ukraine: the default recipient near them (a short article about
        // Ukraine is about Ukraine throughout; a long briefing only around those sentences)
        let mut ukr_at = vec![false; d.sentences.len()];
        for m in &d.mentions {
            // (Ukraine's leaders and bodies speak of Ukraine too: "Zelensky appeals to
            // the West to send tanks")
            let ukr = match m.entry {
                Entry::Country(i, _) => self.gaz.countries[i as usize].codes == ["UKR"],
                Entry::Person(i) => self.gaz.people[i as usize].country.as_deref() == Some("UKR"),
                Entry::Institution(i) => {
                    self.gaz.institutions[i as usize].country.as_deref() == Some("UKR")
                }
                _ => false,
            };
            if ukr && !d.boiler.contains(m.start) {
                let si = d.sentences.partition_point(|s| s.range.end <= m.start);
                if si < ukr_at.len() {
                    ukr_at[si] = true;
                }
            }
        }
        let short = d.sentences.len() <= SHORT_ARTICLE && ukr_at.iter().any(|&b| b);
        // a document whose headline names Ukraine ("Fact Sheet: ... Support for Ukraine")
        // is about Ukraine throughout, however long
        let titled = d.sentences.first().is_some_and(|s| s.headline) && ukr_at[0];
        ctx.short_article = short;
        bind_roles(&d, &self.gaz, &mut ctx);
        let voice = Voice::find(&d, &self.gaz, doc.source.as_deref(), doc.url.as_deref());

        let mut events: Vec<Event> = Vec::new();
        let mut open_list = false;
        let mut list_len = 0usize;
        let mut explain_at: Vec<(usize, Outcome, usize)> = Vec::new();
        // (fast path) headings whose date has not been read yet
        let mut headings: Vec<usize> = Vec::new();
        for si in 0..d.sentences.len() {
            // fast path: past the last candidate sentence no sentence reports an event, and
            // once no event is recent enough to take a list continuation none ever is again
            if last_candidate.is_some_and(|last| si > last)
                && !events
                    .iter()
                    .any(|e| !e.secondary && e.sentence + 2 + list_len >= si)
            {
                break;
            }
            let r = d.sentences[si].range.clone();
            let ms = d.mentions_in(&r);
            let notable = ms
                .iter()
                .any(|m| matches!(m.entry, Entry::Trigger(..) | Entry::Weapon(_)));
            if d.boiler.contains(r.start) {
                if notable && opts.explain {
                    explain_at.push((si, Outcome::Boilerplate, events.len()));
                }
                continue;
            }
            if last_candidate.is_some() {
                // fast path: a heading's date is read only when a candidate sentence
                // follows it (only `sentence_events` reads it)
                if d.sentences[si].headline {
                    headings.push(si);
                }
            } else if let Some(d) = section_heading_date(&d, si) {
                ctx.section_date = Some(d);
            }
            let near = ukr_at[si.saturating_sub(3)..(si + 2).min(ukr_at.len())]
                .iter()
                .any(|&b| b);
            ctx.default_recipient = (short || titled || near).then(|| "UKR".to_string());
            // a reporter's turn in a transcript asks, it asserts nothing
            if voice.reporter_at(r.start) {
                if notable && opts.explain {
                    explain_at.push((si, Outcome::Question, events.len()));
                }
                continue;
            }
            let mut attr = attribute(&d, &self.gaz, &r, &mut ctx);
            match &mut attr.speaker {
                None => attr.speaker = voice.speaker_at(r.start),
                // "the United States has said ..." in the President's remarks: the country
                // speaking through the document's speaker is that speaker
                Some(sp) if sp.name.is_none() => {
                    if let Some(v) = voice
                        .speaker_at(r.start)
                        .filter(|v| v.country == sp.country)
                    {
                        sp.name = v.name;
                        sp.person = v.person;
                    }
                }
                Some(_) => {}
            }
            let before = events.len();
            // (fast path: a sentence without a trigger and an aid object reports nothing,
            // and `sentence_events` would leave the context as it was)
            let (evs, outcome) = if last_candidate.is_some() && !cands[si] {
                (Vec::new(), Outcome::NoTrigger)
            } else {
                // (the latest heading with a date, as the slow path would have set it)
                if let Some(date) = headings
                    .drain(..)
                    .rev()
                    .find_map(|j| section_heading_date(&d, j))
                {
                    ctx.section_date = Some(date);
                }
                sentence_events(&d, &self.gaz, si, &attr, &mut ctx)
            };
            if evs.is_empty() {
                // a sentence listing the contents of the aid just reported
                let recent = events
                    .iter_mut()
                    .rev()
                    .find(|e: &&mut Event| !e.secondary && e.sentence + 2 + list_len >= si);
                if let Some(ev) = recent {
                    let (used, opens) = continuation(&d, &self.gaz, si, open_list, ev);
                    open_list = opens;
                    list_len = if used { list_len + 1 } else { 0 };
                    if used && notable && opts.explain {
                        explain_at.push((si, Outcome::Events, before));
                    }
                    if used {
                        continue;
                    }
                } else {
                    open_list = false;
                }
            } else {
                // "The package includes:" ends a sentence that reported the event itself
                open_list = d.text()[r.clone()].trim_end().ends_with(':');
                list_len = 0;
            }
            events.extend(evs);
            if notable && opts.explain {
                explain_at.push((si, outcome, before));
            }
        }
        let records = assemble(&d, &events);

        let mut explain = Vec::new();
        if opts.explain {
            for (si, outcome, _) in explain_at {
                let r = d.orig_span(&d.sentences[si].range);
                let fed: Vec<usize> = records
                    .iter()
                    .enumerate()
                    .filter(|(_, rec)| rec.evidence.iter().any(|e| e.start == r.start))
                    .map(|(i, _)| i)
                    .collect();
                let outcome_text = if fed.is_empty() {
                    outcome.describe().to_string()
                } else {
                    fed.iter()
                        .map(|&i| {
                            let rec = &records[i];
                            let items: Vec<&str> =
                                rec.items.iter().map(|i| i.name.as_str()).collect();
                            format!(
                                "fed record {} ({} {} {})",
                                i,
                                rec.status,
                                rec.donors.join("+"),
                                items.join(", ")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                explain.push(ExplainLine {
                    doc_id: doc.id.clone(),
                    start: r.start,
                    end: r.end,
                    sentence: doc.text.get(r).unwrap_or("").to_string(),
                    record: fed.first().copied(),
                    outcome: outcome_text,
                });
            }
        }

        let capped_sentences = d.sentences.iter().filter(|s| s.capped).count();
        Ok(Extraction {
            capped_sentences,
            records,
            lang: lang_code,
            published: published_text,
            source,
            explain,
        })
    }
}
