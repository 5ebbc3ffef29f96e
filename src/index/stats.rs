//! Statistics of an index: documents and passages per language, terms, size on
//! disk, and when it was built.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

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
    let reader = &generation.reader;
    let searcher = reader.searcher();
    let mut documents = BTreeMap::new();
    let mut passages = BTreeMap::new();
    let mut terms = BTreeMap::new();
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
        for field in text_fields {
            let inverted = segment.inverted_index(field)?;
            *terms
                .entry(f.schema.get_field_name(field).to_string())
                .or_insert(0) += inverted.terms().num_terms() as u64;
        }
    }
    let space = space_usage(&searcher).map_err(|e| super::Error::io(generation.dir.clone(), e))?;
    Ok(Stats {
        space,
        path: generation.dir.display().to_string(),
        documents,
        passages,
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
