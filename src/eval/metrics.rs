//! The measures: nDCG@k with the grade as gain, P@k, and the unjudged share of a top k.
//!
//! A ranked list is given as the grade of each hit in order, `None` for a hit no
//! assessor graded: it counts as 0 in nDCG and P@k, and [`unjudged`] reports how many
//! there were, so that a system which finds what the pool never held is not scored
//! in silence.
//!
//! ```
//! use quorum::eval::metrics::{dcg, ndcg, precision, unjudged};
//! // Grades 2, 0, 1: DCG = 2/log2(2) + 0/log2(3) + 1/log2(4) = 2.5.
//! assert_eq!(dcg(&[2.0, 0.0, 1.0], 10), 2.5);
//! // The ideal order of the judged grades {2, 1, 0} has DCG 2 + 1/log2(3).
//! let ranked = [Some(2.0), Some(0.0), Some(1.0)];
//! let ideal = 2.0 + 1.0 / 3f64.log2();
//! assert!((ndcg(&ranked, &[0.0, 1.0, 2.0], 10).unwrap() - 2.5 / ideal).abs() < 1e-12);
//! // P@10 counts the hits graded 1 or more, over 10 places, whatever the list's length.
//! assert_eq!(precision(&ranked, 10), 0.2);
//! // One hit of four was never graded.
//! assert_eq!(unjudged(&[Some(2.0), None, Some(0.0), Some(1.0)], 10), 0.25);
//! ```

/// The grade from which a passage counts as relevant for P@k: 1, "partly about the need".
pub const RELEVANT: f64 = 1.0;

/// Discounted cumulative gain of the first `k` gains: `Σ gain_i / log2(i + 1)`, ranks
/// from 1 (the linear gain of trec_eval's `ndcg_cut`).
pub fn dcg(gains: &[f64], k: usize) -> f64 {
    gains
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, gain)| gain / (i as f64 + 2.0).log2())
        .sum()
}

/// nDCG@k of a ranked list against every grade judged for the need (`judged`, in any
/// order): the list's DCG over the DCG of the judged grades sorted best first. `None`
/// when no judged passage has a positive grade, since no list can then earn anything.
pub fn ndcg(ranked: &[Option<f64>], judged: &[f64], k: usize) -> Option<f64> {
    let mut ideal: Vec<f64> = judged.to_vec();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let best = dcg(&ideal, k);
    if best <= 0.0 {
        return None;
    }
    let gains: Vec<f64> = ranked.iter().map(|g| g.unwrap_or(0.0)).collect();
    Some(dcg(&gains, k) / best)
}

/// P@k: the share of `k` places that hold a passage graded [`RELEVANT`] or more. A list
/// shorter than `k` loses the places it leaves empty.
pub fn precision(ranked: &[Option<f64>], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let relevant = ranked
        .iter()
        .take(k)
        .filter(|g| g.is_some_and(|g| g >= RELEVANT))
        .count();
    relevant as f64 / k as f64
}

/// The share of the first `k` hits that no assessor graded; 0 for an empty list.
pub fn unjudged(ranked: &[Option<f64>], k: usize) -> f64 {
    let top = ranked.len().min(k);
    if top == 0 {
        return 0.0;
    }
    ranked.iter().take(k).filter(|g| g.is_none()).count() as f64 / top as f64
}
