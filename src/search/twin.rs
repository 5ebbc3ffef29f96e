//! A passage's twin: the passage of the same document in the other language.
//!
//! French and English documents with the same id are twins. When both have as many
//! passages, passage N's twin is passage N. Otherwise (a longer text cut differently
//! in each language) each passage's twin is the passage of the other document that
//! best matches its translated terms: each of its terms counts for itself (names and
//! numbers are written alike) and each of its translations in the [`Lexicon`] for its
//! weight, a candidate scores the share of its terms found so, over the square root of
//! both passages' sizes, and the distance between the two passages' relative places in
//! their documents takes up to half of that away.
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
    if from.len() == to.len() {
        return (0..from.len()).collect();
    }
    let candidates: Vec<HashSet<String>> = to.iter().map(|t| terms(to_lang, t)).collect();
    let place = |i: usize, n: usize| {
        if n > 1 {
            i as f64 / (n - 1) as f64
        } else {
            0.5
        }
    };
    from.iter()
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
            let mut best = (f64::NEG_INFINITY, 0);
            for (j, candidate) in candidates.iter().enumerate() {
                let found: f64 = candidate.iter().filter_map(|t| wanted.get(t)).sum();
                let size = ((own.len().max(1) * candidate.len().max(1)) as f64).sqrt();
                let distance = (place(i, from.len()) - place(j, to.len())).abs();
                let score = found / size * (1.0 - 0.5 * distance);
                if score > best.0 {
                    best = (score, j);
                }
            }
            best.1
        })
        .collect()
}

/// The distinct body terms of a text, numbers included.
fn terms(lang: &Lang, text: &str) -> HashSet<String> {
    analysis::analyze(analysis::body_analyzer(lang), text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}
