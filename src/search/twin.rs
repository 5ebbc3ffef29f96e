//! A passage's twin: the passage of the same document in the other language.
//!
//! French and English documents with the same id are twins. A document of one passage
//! in each language is its own twin's. Otherwise each passage's twin is found by what it
//! says: each of its terms counts for itself (names and numbers are written alike) and
//! each of its translations in the [`Lexicon`] for its weight; a passage of the other
//! document scores the terms it holds so over the square root of both passages' sizes,
//! less [`PLACE_WEIGHT`] times the distance between their relative places; and the
//! twins are the alignment that keeps the passages' order with the best total score.
//! Counts that match are not trusted alone: the two languages' passages are cut at
//! paragraph breaks and sizes that drift apart (on the whole Charter, 245 passages in
//! each language, passage N is passage N's twin only about half the time).
//!
//! ```
//! use quorum::lexicon::Lexicon;
//! use quorum::search::twin::align;
//! use quorum::Lang;
//! let fr = ["Article 23. Le Conseil de sécurité se compose de quinze Membres.", "Article 24. Afin d'assurer l'action rapide."];
//! let en = ["Article 23.", "The Security Council shall consist of fifteen Members.", "Article 24. In order to ensure prompt action."];
//! let twins = align((&Lang::Fr, &fr[..]), (&Lang::En, &en[..]), &Lexicon::empty());
//! assert_eq!(twins, [0, 2]);
//! ```

use std::collections::{HashMap, HashSet};

use crate::analysis;
use crate::lexicon::Lexicon;
use crate::Lang;

/// For each passage of `from`, the index of its twin among the passages of `to`.
pub fn align(
    (from_lang, from): (&Lang, &[&str]),
    (to_lang, to): (&Lang, &[&str]),
    lexicon: &Lexicon,
) -> Vec<usize> {
    if to.is_empty() {
        return Vec::new();
    }
    if from.len() == to.len() && from.len() == 1 {
        return vec![0];
    }
    let candidates: Vec<HashSet<String>> = to.iter().map(|t| terms(to_lang, t)).collect();
    let place = |i: usize, n: usize| {
        if n > 1 {
            i as f64 / (n - 1) as f64
        } else {
            0.5
        }
    };
    // How well passage i matches passage j, for every pair.
    let scores: Vec<Vec<f64>> = from
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let own = terms(from_lang, text);
            let mut wanted: HashMap<String, f64> = HashMap::new();
            for term in &own {
                wanted.insert(term.clone(), 1.0);
                for translation in lexicon.translations(from_lang, term) {
                    for (_, target) in &translation.terms {
                        let weight = wanted.entry(target.clone()).or_default();
                        *weight = weight.max(f64::from(translation.weight));
                    }
                }
            }
            candidates
                .iter()
                .enumerate()
                .map(|(j, candidate)| {
                    let found: f64 = candidate.iter().filter_map(|t| wanted.get(t)).sum();
                    let size = ((own.len().max(1) * candidate.len().max(1)) as f64).sqrt();
                    let distance = (place(i, from.len()) - place(j, to.len())).abs();
                    found / size - PLACE_WEIGHT * distance
                })
                .collect()
        })
        .collect();
    monotone(&scores)
}

/// What a passage's distance from the other's relative place costs, against a score of
/// shared terms (1 when all are shared).
pub const PLACE_WEIGHT: f64 = 0.5;

/// The alignment with the best total score in which twins keep their order: passage
/// i + 1's twin is never before passage i's (a dynamic program over every pair).
fn monotone(scores: &[Vec<f64>]) -> Vec<usize> {
    let Some(width) = scores.first().map(Vec::len) else {
        return Vec::new();
    };
    // best[i][j]: the best total of passages 0..=i with passage i's twin at j; `from`
    // says where passage i - 1's twin was on that path.
    let mut best = vec![vec![0.0f64; width]; scores.len()];
    let mut from = vec![vec![0usize; width]; scores.len()];
    best[0].clone_from(&scores[0]);
    for i in 1..scores.len() {
        let (mut top, mut at) = (f64::NEG_INFINITY, 0);
        for j in 0..width {
            if best[i - 1][j] > top {
                (top, at) = (best[i - 1][j], j);
            }
            best[i][j] = top + scores[i][j];
            from[i][j] = at;
        }
    }
    let last = scores.len() - 1;
    let mut j = (0..width)
        .max_by(|&a, &b| best[last][a].total_cmp(&best[last][b]))
        .unwrap_or(0);
    let mut out = vec![0; scores.len()];
    for i in (0..scores.len()).rev() {
        out[i] = j;
        j = from[i][j];
    }
    out
}

/// The distinct body terms of a text, numbers included.
fn terms(lang: &Lang, text: &str) -> HashSet<String> {
    analysis::analyze(analysis::body_analyzer(lang), text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}
