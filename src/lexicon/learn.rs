//! Learning the table: aligned French and English texts in, term pairs and weights out.
//!
//! 1. [`read`] pairs the records of JSON Lines files by id (a French and an English
//!    record with the same id are one pair), and never takes a held-out record: an id
//!    of the UN Parallel Corpus testset (`unpc-testset-…`), or a regroup whose
//!    `sentence_ids` name one, or a record that repeats a held-out sentence word for
//!    word (the devset holds a hundred, such as `Agenda item 35`). A line that cannot
//!    be read is skipped with its file and line named.
//! 2. Each text becomes the terms the index holds: its body chain's stems, a compound
//!    as its joined stem, numbers left out (they are written alike in both languages).
//! 3. IBM Model 1 (Brown et al. 1993), trained by EM in each direction, gives `t(f|e)`
//!    and `t(e|f)`, with a NULL word on the source side.
//! 4. Each target term is aligned to its most probable source term of the pair (the
//!    Viterbi alignment of Model 1). The target terms aligned to one source term that
//!    stand within [`PHRASE_GAP`] positions of each other are one unit, so that
//!    `peacekeeping` gives the phrase `maintien de la paix` (`maintien`, and `paix` three
//!    positions on). A source term's weight for a unit is the share of the pairs that
//!    hold the source term in which the unit was aligned to it.
//!
//! ```
//! use quorum::lexicon::learn::{learn, Pair};
//! let pair = |id: &str, fr: &str, en: &str| Pair { id: id.into(), fr: fr.into(), en: en.into() };
//! let pairs = vec![
//!     pair("1", "Les opérations de maintien de la paix.", "Peacekeeping operations."),
//!     pair("2", "Le maintien de la paix au Soudan.", "Peacekeeping in the Sudan."),
//!     pair("3", "Les opérations au Soudan.", "Operations in the Sudan."),
//! ];
//! let lexicon = learn(&pairs, &Default::default());
//! let found = lexicon.translations(&quorum::Lang::En, "peacekeep");
//! assert_eq!(found[0].terms, [(0, "maintien".to_string()), (3, "paix".to_string())]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{Lexicon, Translation};
use crate::analysis;
use crate::Lang;

/// Target terms aligned to one source term form one unit when each stands at most this
/// many positions after the one before it (`maintien de la paix`: 3).
pub const PHRASE_GAP: usize = 3;
/// A unit of more terms than this is not kept as a phrase.
pub const PHRASE_TERMS: usize = 3;
/// A translation weighs at least this much to be kept.
pub const MIN_WEIGHT: f32 = 0.1;
/// The most translations kept for one term.
pub const TOP: usize = 4;
/// A unit aligned to a term in fewer pairs than this is not kept: a term seen once
/// aligns with whatever else is rare in its pair.
pub const MIN_COUNT: u32 = 2;

/// How the table is learned.
#[derive(Clone, Debug)]
pub struct Options {
    /// EM iterations of Model 1, in each direction.
    pub iterations: usize,
    /// The fewest pairs in which a unit must be aligned to a term ([`MIN_COUNT`]).
    pub min_count: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            iterations: 8,
            min_count: MIN_COUNT,
        }
    }
}

/// One aligned pair: the French and English texts of one id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The id both records share.
    pub id: String,
    /// The French text.
    pub fr: String,
    /// The English text.
    pub en: String,
}

/// The pairs read from parallel files, and what was left out.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The pairs, in id order.
    pub pairs: Vec<Pair>,
    /// Records of the held-out testset, never learned from.
    pub held_out: usize,
    /// Records without a twin in the other language.
    pub unpaired: usize,
    /// Records in another language than French or English.
    pub other_lang: usize,
    /// A second record of one id and language (a copy, as `sample/` holds): the first is kept.
    pub repeated: usize,
    /// Lines that could not be read, each as `file:line: why`.
    pub skipped: Vec<String>,
}

/// Whether an id belongs to the held-out half of the UN Parallel Corpus sentences,
/// which measures cross-language search and must never be learned from.
pub fn is_held_out(id: &str) -> bool {
    id.starts_with("unpc-testset-")
}

/// The files of the learning set in the shared corpus: the devset half of the UN
/// Parallel Corpus sentences (the testset half of the same files is held out by
/// [`read`]), the Charter and the Declaration.
pub fn learning_set(corpus: &Path) -> Vec<PathBuf> {
    [
        "unpc_testsets/sentences.fr.jsonl",
        "unpc_testsets/sentences.en.jsonl",
        "un_charter/charter.fr.jsonl",
        "un_charter/charter.en.jsonl",
        "udhr/udhr.fr.jsonl",
        "udhr/udhr.en.jsonl",
    ]
    .iter()
    .map(|p| corpus.join(p))
    .collect()
}

/// Reads JSON Lines files (and the `.jsonl` files under folders) and pairs their records
/// by id. A record needs `id`, `lang` and `text`; a held-out record is counted and
/// dropped, whatever file it is in, and so is a record whose text repeats a held-out
/// sentence (or, for a regroup, holds one as a line).
pub fn read(paths: &[PathBuf]) -> std::io::Result<Corpus> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .build()
                .filter_map(Result::ok)
                .map(|e| e.into_path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "jsonl"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    let mut corpus = Corpus::default();
    let mut records: Vec<Record> = Vec::new();
    for file in &files {
        read_records(file, &mut records, &mut corpus.skipped)?;
    }
    // The held-out sentences, by text: the devset repeats some testset sentences word
    // for word (`Agenda item 35`, and longer ones), and those are held out too.
    let held_out: std::collections::HashSet<(&Lang, &str)> = records
        .iter()
        .filter(|r| r.held_out)
        .map(|r| (&r.lang, r.text.as_str()))
        .collect();
    let mut texts: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    for record in &records {
        let repeats_held_out = held_out.contains(&(&record.lang, record.text.as_str()))
            || (record.regroup
                && record
                    .text
                    .lines()
                    .any(|line| held_out.contains(&(&record.lang, line))));
        if record.held_out || repeats_held_out {
            corpus.held_out += 1;
            continue;
        }
        let slot = texts.entry(record.id.clone()).or_default();
        let side = match record.lang {
            Lang::Fr => &mut slot.0,
            Lang::En => &mut slot.1,
            Lang::Other(_) => {
                corpus.other_lang += 1;
                continue;
            }
        };
        if side.is_some() {
            corpus.repeated += 1;
        } else {
            *side = Some(record.text.clone());
        }
    }
    for (id, texts) in texts {
        match texts {
            (Some(fr), Some(en)) => corpus.pairs.push(Pair { id, fr, en }),
            _ => corpus.unpaired += 1,
        }
    }
    Ok(corpus)
}

/// One record of a parallel file.
struct Record {
    id: String,
    lang: Lang,
    text: String,
    /// A testset sentence, or a regroup of some.
    held_out: bool,
    /// A regroup of sentences (it lists `sentence_ids`), one sentence a line.
    regroup: bool,
}

/// Reads the records of one JSON Lines file, naming each line it skips.
fn read_records(
    file: &Path,
    records: &mut Vec<Record>,
    skipped: &mut Vec<String>,
) -> std::io::Result<()> {
    let named =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", file.display()));
    let reader = std::io::BufReader::new(std::fs::File::open(file).map_err(named)?);
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(named)?;
        let at = || format!("{}:{}", file.display(), n + 1);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record: serde_json::Value = match std::str::from_utf8(&line)
            .map_err(|e| e.to_string())
            .and_then(|l| serde_json::from_str(l).map_err(|e| e.to_string()))
        {
            Ok(record) => record,
            Err(error) => {
                skipped.push(format!("{}: not a JSON record ({error})", at()));
                continue;
            }
        };
        let field = |name: &str| record.get(name).and_then(|v| v.as_str());
        let (Some(id), Some(lang), Some(text)) = (field("id"), field("lang"), field("text")) else {
            skipped.push(format!(
                "{}: a record needs \"id\", \"lang\" and \"text\"",
                at()
            ));
            continue;
        };
        let sentence_ids = record.get("sentence_ids").and_then(|v| v.as_array());
        let regroups_held_out =
            sentence_ids.is_some_and(|ids| ids.iter().filter_map(|v| v.as_str()).any(is_held_out));
        records.push(Record {
            id: id.to_string(),
            lang: Lang::parse(lang),
            text: text.to_string(),
            held_out: is_held_out(id) || regroups_held_out,
            regroup: sentence_ids.is_some(),
        });
    }
    Ok(())
}

/// The terms of a text as the index holds them in its language's body field, with their
/// positions: a compound's joined stem stands for its parts, and numbers are left out.
pub fn terms(lang: &Lang, text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for token in analysis::analyze(analysis::body_analyzer(lang), text) {
        if token.position_length > 1 {
            let first = token.position + 1 - token.position_length;
            while out.last().is_some_and(|(p, _)| *p >= first) {
                out.pop();
            }
        }
        if !token.text.chars().any(|c| c.is_ascii_digit()) {
            out.push((token.position, token.text));
        }
    }
    out
}

/// Learns the table from aligned pairs.
pub fn learn(pairs: &[Pair], options: &Options) -> Lexicon {
    let mut vocab = [Vocab::default(), Vocab::default()];
    let sentences: Vec<[Vec<(usize, u32)>; 2]> = pairs
        .iter()
        .map(|pair| {
            [
                vocab[0].ids(terms(&Lang::Fr, &pair.fr)),
                vocab[1].ids(terms(&Lang::En, &pair.en)),
            ]
        })
        .collect();
    let mut lexicon = Lexicon::empty();
    lexicon.pairs = pairs.len();
    lexicon.ids_hash = ids_hash(pairs.iter().map(|p| p.id.as_str()));
    // French to English: English targets aligned to French sources, and the reverse.
    for (source, target, lang) in [(0, 1, Lang::Fr), (1, 0, Lang::En)] {
        let model = Model1::train(&sentences, source, target, vocab[source].len(), options);
        for (term, translations) in model.units(
            &sentences,
            [source, target],
            [&vocab[source], &vocab[target]],
            options,
        ) {
            lexicon.insert(lang.clone(), term, translations);
        }
    }
    lexicon
}

/// The hash that the table records of the ids it learned from: blake3 of the sorted ids,
/// one per line.
pub fn ids_hash<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let mut sorted: Vec<&str> = ids.collect();
    sorted.sort_unstable();
    let mut hasher = blake3::Hasher::new();
    for id in sorted {
        hasher.update(id.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// Term numbers for one language.
#[derive(Default)]
struct Vocab {
    ids: HashMap<String, u32>,
    terms: Vec<String>,
}

impl Vocab {
    fn ids(&mut self, terms: Vec<(usize, String)>) -> Vec<(usize, u32)> {
        terms
            .into_iter()
            .map(|(position, term)| {
                let next = self.terms.len() as u32;
                let id = *self.ids.entry(term.clone()).or_insert(next);
                if id == next {
                    self.terms.push(term);
                }
                (position, id)
            })
            .collect()
    }

    fn len(&self) -> usize {
        self.terms.len()
    }
}

/// IBM Model 1 in one direction: `t(target | source)` for every pair of terms that
/// share a sentence pair, the source side with a NULL word.
struct Model1 {
    /// For each sentence pair, the cells of its (source + NULL) × target grid, row by
    /// row, as indexes into `t`.
    cells: Vec<Vec<u32>>,
    t: Vec<f32>,
}

impl Model1 {
    fn train(
        sentences: &[[Vec<(usize, u32)>; 2]],
        source: usize,
        target: usize,
        sources: usize,
        options: &Options,
    ) -> Model1 {
        let null = sources as u32;
        let mut index: HashMap<(u32, u32), u32> = HashMap::new();
        let mut owner: Vec<u32> = Vec::new();
        let cells: Vec<Vec<u32>> = sentences
            .iter()
            .map(|pair| {
                let mut cells = Vec::new();
                for e in pair[source].iter().map(|(_, e)| *e).chain([null]) {
                    for &(_, f) in &pair[target] {
                        let next = owner.len() as u32;
                        let cell = *index.entry((e, f)).or_insert(next);
                        if cell == next {
                            owner.push(e);
                        }
                        cells.push(cell);
                    }
                }
                cells
            })
            .collect();
        // Uniform start: every target of a source equally likely.
        let mut t = vec![1.0f32; owner.len()];
        let mut count = vec![0.0f32; owner.len()];
        let mut total = vec![0.0f32; sources + 1];
        for _ in 0..options.iterations {
            count.iter_mut().for_each(|c| *c = 0.0);
            total.iter_mut().for_each(|c| *c = 0.0);
            for (pair, cells) in sentences.iter().zip(&cells) {
                let width = pair[target].len();
                if width == 0 {
                    continue;
                }
                let rows = cells.len() / width;
                for j in 0..width {
                    let z: f32 = (0..rows).map(|i| t[cells[i * width + j] as usize]).sum();
                    if z <= 0.0 {
                        continue;
                    }
                    for i in 0..rows {
                        let cell = cells[i * width + j] as usize;
                        count[cell] += t[cell] / z;
                    }
                }
            }
            for (cell, c) in count.iter().enumerate() {
                total[owner[cell] as usize] += c;
            }
            for (cell, value) in t.iter_mut().enumerate() {
                let sum = total[owner[cell] as usize];
                *value = if sum > 0.0 { count[cell] / sum } else { 0.0 };
            }
        }
        Model1 { cells, t }
    }

    /// Each source term's translation units, from the Viterbi alignment of every pair.
    fn units(
        &self,
        sentences: &[[Vec<(usize, u32)>; 2]],
        [source, target]: [usize; 2],
        [sources, targets]: [&Vocab; 2],
        options: &Options,
    ) -> Vec<(String, Vec<Translation>)> {
        // For each source term: in how many pairs it stands, and in how many each unit
        // was aligned to it.
        let mut seen: HashMap<u32, u32> = HashMap::new();
        let mut aligned: HashMap<u32, HashMap<Vec<(usize, u32)>, u32>> = HashMap::new();
        for (pair, cells) in sentences.iter().zip(&self.cells) {
            let width = pair[target].len();
            let rows = pair[source].len();
            let mut by_source: HashMap<u32, Vec<(usize, u32)>> = HashMap::new();
            for j in 0..width {
                // Row `rows` is NULL: a target aligned there belongs to no source term.
                let best = (0..=rows)
                    .max_by(|&a, &b| {
                        self.t[cells[a * width + j] as usize]
                            .total_cmp(&self.t[cells[b * width + j] as usize])
                    })
                    .unwrap_or(rows);
                if best < rows {
                    by_source
                        .entry(pair[source][best].1)
                        .or_default()
                        .push(pair[target][j]);
                }
            }
            let mut distinct: Vec<u32> = pair[source].iter().map(|(_, e)| *e).collect();
            distinct.sort_unstable();
            distinct.dedup();
            for e in distinct {
                *seen.entry(e).or_default() += 1;
                let Some(mut targets) = by_source.remove(&e) else {
                    continue;
                };
                targets.sort_unstable();
                let mut units: Vec<Vec<(usize, u32)>> = Vec::new();
                for (position, f) in targets {
                    match units.last_mut() {
                        Some(unit)
                            if unit.last().is_some_and(|(p, _)| position <= p + PHRASE_GAP)
                                && !unit.iter().any(|(_, g)| *g == f) =>
                        {
                            unit.push((position, f))
                        }
                        _ => units.push(vec![(position, f)]),
                    }
                }
                let mut counted: Vec<Vec<(usize, u32)>> = Vec::new();
                for unit in units {
                    let pieces: Vec<Vec<(usize, u32)>> = if unit.len() > PHRASE_TERMS {
                        unit.into_iter().map(|t| vec![t]).collect()
                    } else {
                        vec![unit]
                    };
                    for piece in pieces {
                        let base = piece[0].0;
                        let key: Vec<(usize, u32)> =
                            piece.into_iter().map(|(p, f)| (p - base, f)).collect();
                        // Once per pair.
                        if !counted.contains(&key) {
                            *aligned
                                .entry(e)
                                .or_default()
                                .entry(key.clone())
                                .or_default() += 1;
                            counted.push(key);
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (e, units) in aligned {
            let n = seen.get(&e).copied().unwrap_or(1).max(1) as f32;
            let mut translations: Vec<Translation> = units
                .into_iter()
                .filter(|(_, count)| *count >= options.min_count)
                .map(|(unit, count)| Translation {
                    terms: unit
                        .into_iter()
                        .map(|(p, f)| (p, targets.terms[f as usize].clone()))
                        .collect(),
                    weight: count as f32 / n,
                })
                .filter(|t| t.weight >= MIN_WEIGHT)
                .collect();
            translations.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.terms.cmp(&b.terms)));
            translations.truncate(TOP);
            if !translations.is_empty() {
                out.push((sources.terms[e as usize].clone(), translations));
            }
        }
        out
    }
}
