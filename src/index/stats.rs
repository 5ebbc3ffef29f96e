//! Statistics of an index: documents and passages per language, document types,
//! years and source files, terms, size on disk, and when it was built.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use super::store::Generation;
use super::Result;

/// What `quorum stats` reports.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// The generation directory.
    pub path: String,
    /// Documents (keys) per language.
    pub documents: BTreeMap<String, u64>,
    /// Passages per language.
    pub passages: BTreeMap<String, u64>,
    /// Documents per document type (`resolution`, ...); documents without one are not
    /// counted here.
    pub doc_types: BTreeMap<String, u64>,
    /// The documents' years.
    pub years: Years,
    /// The source files with the most documents, most first (at most
    /// [`SOURCES_LISTED`]).
    pub sources: Vec<Source>,
    /// Distinct source files.
    pub source_files: u64,
    /// Distinct terms per indexed text field, summed over segments.
    pub terms: BTreeMap<String, u64>,
    /// Segments.
    pub segments: usize,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Bytes by part of the index (`postings`, `positions`, `terms`, `fast`,
    /// `fieldnorms`, `store`, `deletes`) and, within each, by field: where the size
    /// goes.
    pub space: BTreeMap<String, Space>,
    /// When the generation was created (seconds since the epoch).
    pub built_at: u64,
    /// When it was last updated.
    pub updated_at: u64,
    /// Analysis version of the build.
    pub analysis_version: u32,
    /// Schema version of the build.
    pub schema_version: u32,
}

/// Source files listed in [`Stats::sources`].
pub const SOURCES_LISTED: usize = 10;

/// The years of an index's documents.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Years {
    /// The earliest year, if any document has one.
    pub first: Option<i64>,
    /// The latest.
    pub last: Option<i64>,
    /// Documents per decade, keyed by its first year (`1990` for 1990–1999).
    pub by_decade: BTreeMap<i64, u64>,
    /// Documents without a year.
    pub undated: u64,
}

/// A source file and how many documents it gave.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    /// The canonical path of the file.
    pub path: String,
    /// Its documents (keys) in the index.
    pub documents: u64,
}

/// The bytes of one part of the index, summed over segments.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Space {
    /// All fields.
    pub bytes: u64,
    /// Per field, where the part is per field.
    pub fields: BTreeMap<String, u64>,
}

/// Computes the statistics of a generation.
pub fn stats(generation: &Generation) -> Result<Stats> {
    // A damaged file shows as a tantivy error or a panic; its checksum says which.
    match super::guard::quietly(|| counted(generation)) {
        Ok(Err(error)) => Err(generation.damaged().unwrap_or(error)),
        Ok(stats) => stats,
        Err(panic) => Err(generation.damaged().unwrap_or(super::Error::Corrupt {
            dir: generation.dir.clone(),
            detail: format!("reading it failed: {panic}"),
        })),
    }
}

fn counted(generation: &Generation) -> Result<Stats> {
    let reader = &generation.reader;
    let searcher = reader.searcher();
    let mut documents = BTreeMap::new();
    let mut passages = BTreeMap::new();
    let mut terms = BTreeMap::new();
    let mut doc_types = BTreeMap::new();
    let mut years = Years::default();
    let mut sources: BTreeMap<String, u64> = BTreeMap::new();
    let io = |e| super::Error::io(generation.dir.clone(), e);
    let f = &generation.fields;
    let text_fields = [f.body_fr, f.body_en, f.body_other, f.forms];
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let passage = fast.u64(super::schema::PASSAGE)?;
        if let Some(lang) = fast.str(super::schema::LANG)? {
            let mut code = String::new();
            for doc in segment.doc_ids_alive() {
                let Some(ord) = lang.term_ords(doc).next() else {
                    continue;
                };
                code.clear();
                lang.ord_to_str(ord, &mut code)
                    .map_err(|e| super::Error::io(generation.dir.clone(), e))?;
                *passages.entry(code.clone()).or_insert(0) += 1;
                if passage.first(doc) == Some(1) {
                    *documents.entry(code.clone()).or_insert(0) += 1;
                }
            }
        }
        // A document is counted once, at its first passage.
        let firsts: Vec<u32> = segment
            .doc_ids_alive()
            .filter(|doc| passage.first(*doc) == Some(1))
            .collect();
        let year = fast.i64(super::schema::YEAR)?;
        for &doc in &firsts {
            match year.first(doc) {
                Some(y) => {
                    years.first = Some(years.first.map_or(y, |first| first.min(y)));
                    years.last = Some(years.last.map_or(y, |last| last.max(y)));
                    *years.by_decade.entry(y.div_euclid(10) * 10).or_insert(0) += 1;
                }
                None => years.undated += 1,
            }
        }
        if let Some(source) = fast.str(super::schema::SOURCE)? {
            let mut per_ord: BTreeMap<u64, u64> = BTreeMap::new();
            for &doc in &firsts {
                if let Some(ord) = source.term_ords(doc).next() {
                    *per_ord.entry(ord).or_insert(0) += 1;
                }
            }
            let mut path = String::new();
            for (ord, n) in per_ord {
                path.clear();
                source.ord_to_str(ord, &mut path).map_err(io)?;
                *sources.entry(path.clone()).or_insert(0) += n;
            }
        }
        // Types are not a fast field: each type's postings, at first passages.
        let types = segment.inverted_index(f.doc_type)?;
        let mut stream = types.terms().stream().map_err(io)?;
        while stream.advance() {
            let name = String::from_utf8_lossy(stream.key()).into_owned();
            let mut postings = types
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                .map_err(io)?;
            let mut n = 0;
            while postings.doc() != TERMINATED {
                let doc = postings.doc();
                if passage.first(doc) == Some(1) && !segment.is_deleted(doc) {
                    n += 1;
                }
                postings.advance();
            }
            if n > 0 {
                *doc_types.entry(name).or_insert(0) += n;
            }
        }
        for field in text_fields {
            let inverted = segment.inverted_index(field)?;
            *terms
                .entry(f.schema.get_field_name(field).to_string())
                .or_insert(0) += inverted.terms().num_terms() as u64;
        }
    }
    let space = space_usage(&searcher).map_err(io)?;
    let source_files = sources.len() as u64;
    let mut sources: Vec<Source> = sources
        .into_iter()
        .map(|(path, documents)| Source { path, documents })
        .collect();
    // Most documents first; ties in path order.
    sources.sort_by_key(|s| std::cmp::Reverse(s.documents));
    sources.truncate(SOURCES_LISTED);
    Ok(Stats {
        space,
        path: generation.dir.display().to_string(),
        documents,
        passages,
        doc_types,
        years,
        sources,
        source_files,
        terms,
        segments: searcher.segment_readers().len(),
        size_bytes: dir_size(&generation.dir),
        built_at: generation.meta.built_at,
        updated_at: generation.meta.updated_at,
        analysis_version: generation.meta.analysis_version,
        schema_version: generation.meta.schema_version,
    })
}

/// tantivy's account of where the bytes of each segment go, summed.
fn space_usage(searcher: &tantivy::Searcher) -> std::io::Result<BTreeMap<String, Space>> {
    let usage = searcher.space_usage()?;
    let mut space: BTreeMap<String, Space> = BTreeMap::new();
    for segment in usage.segments() {
        let per_field = [
            ("postings", segment.postings()),
            ("positions", segment.positions()),
            ("terms", segment.termdict()),
            ("fast", segment.fast_fields()),
            ("fieldnorms", segment.fieldnorms()),
        ];
        for (part, fields) in per_field {
            let entry = space.entry(part.to_string()).or_default();
            entry.bytes += fields.total().get_bytes();
            for field in fields.fields() {
                *entry
                    .fields
                    .entry(field.field_name().to_string())
                    .or_default() += field.total().get_bytes();
            }
        }
        space.entry("store".into()).or_default().bytes += segment.store().total().get_bytes();
        space.entry("deletes".into()).or_default().bytes += segment.deletes().get_bytes();
    }
    Ok(space)
}

/// Bytes of every file under `dir`.
fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
