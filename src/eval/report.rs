//! The report of `quorum eval`: each system's nDCG@10, P@10 and unjudged share, per
//! need, per language and overall.
//!
//! A need counts in the means once some passage is graded 1 or more for it: before
//! that, no ranking can earn anything on it, and a mean over it would only measure
//! how far the grading has gone. [`Summary::needs`] says how many counted.

use std::collections::BTreeMap;

use serde::Serialize;

use super::judged::{Need, Qrels};
use super::metrics::{ndcg, precision, unjudged};
use super::systems::System;
use super::Error;

/// One need's scores for one system.
#[derive(Clone, Debug, Serialize)]
pub struct NeedScore {
    /// The need's id.
    pub need: String,
    /// Its language.
    pub lang: String,
    /// Its query.
    pub query: String,
    /// Hits returned (at most the depth).
    pub hits: usize,
    /// nDCG at the depth; null when no passage is graded relevant for this need.
    pub ndcg: Option<f64>,
    /// P at the depth.
    pub precision: f64,
    /// The share of the hits returned that no assessor graded.
    pub unjudged: f64,
}

/// Means over the needs that count.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// The needs with a passage graded relevant, over which the means are taken.
    pub needs: usize,
    /// Mean nDCG at the depth.
    pub ndcg: f64,
    /// Mean P at the depth.
    pub precision: f64,
    /// Mean unjudged share of the hits.
    pub unjudged: f64,
}

impl Summary {
    fn of<'a>(scores: impl Iterator<Item = &'a NeedScore>) -> Summary {
        let mut out = Summary::default();
        for score in scores {
            let Some(ndcg) = score.ndcg else { continue };
            out.needs += 1;
            out.ndcg += ndcg;
            out.precision += score.precision;
            out.unjudged += score.unjudged;
        }
        if out.needs > 0 {
            let n = out.needs as f64;
            out.ndcg /= n;
            out.precision /= n;
            out.unjudged /= n;
        }
        out
    }
}

/// One system's report.
#[derive(Clone, Debug, Serialize)]
pub struct SystemReport {
    /// The system's name.
    pub system: String,
    /// Every need.
    pub overall: Summary,
    /// The needs of each language, by code.
    pub by_lang: BTreeMap<String, Summary>,
    /// Each need, in the needs file's order.
    pub per_need: Vec<NeedScore>,
}

/// How a passage shown twice on one page counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeats {
    /// The second showing gains nothing: it tells the user nothing new (the default).
    Zero,
    /// Each showing gains its grade, as TREC counts distinct documents.
    Count,
}

/// Scores one system on every need, at `depth`.
pub fn evaluate(
    needs: &[Need],
    qrels: &Qrels,
    system: &mut dyn System,
    depth: usize,
    repeats: Repeats,
) -> Result<SystemReport, Error> {
    let mut per_need = Vec::with_capacity(needs.len());
    for need in needs {
        let found = system.top(need, depth)?;
        // A passage shown again (the same words in another record, as a UNPC sentence and
        // the document that regroups it) tells the user nothing new: it gains nothing the
        // second time, whichever system shows it.
        let mut shown = std::collections::HashSet::new();
        let ranked: Vec<Option<f64>> = found
            .iter()
            .take(depth)
            .map(|f| {
                // A system that gives no text (a fixed ranking in a test) repeats nothing.
                let first =
                    f.text.is_empty() || shown.insert(crate::index::passage::copy_hash(&f.text));
                if first || repeats == Repeats::Count {
                    // A hit stands for its copies: a graded copy grades it.
                    qrels
                        .grade(&need.id, &f.key)
                        .or_else(|| f.copies.iter().find_map(|copy| qrels.grade(&need.id, copy)))
                } else {
                    Some(0.0)
                }
            })
            .collect();
        per_need.push(NeedScore {
            need: need.id.clone(),
            lang: need.lang.code().to_string(),
            query: need.query.clone(),
            hits: ranked.len(),
            ndcg: ndcg(&ranked, &qrels.judged(&need.id), depth),
            precision: precision(&ranked, depth),
            unjudged: unjudged(&ranked, depth),
        });
    }
    let mut langs: Vec<&str> = per_need.iter().map(|s| s.lang.as_str()).collect();
    langs.sort_unstable();
    langs.dedup();
    let by_lang = langs
        .iter()
        .map(|lang| {
            let of_lang = per_need.iter().filter(|s| s.lang == *lang);
            (lang.to_string(), Summary::of(of_lang))
        })
        .collect();
    Ok(SystemReport {
        system: system.name().to_string(),
        overall: Summary::of(per_need.iter()),
        by_lang,
        per_need,
    })
}

/// What `quorum eval --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The depth of every measure (10).
    pub depth: usize,
    /// Needs in the needs file.
    pub needs: usize,
    /// Needs with at least one judgment.
    pub judged_needs: usize,
    /// Needs with a passage graded 1 or more: those the means are over.
    pub scored_needs: usize,
    /// Judgments read.
    pub judgments: usize,
    /// One report per system, in the order asked.
    pub systems: Vec<SystemReport>,
}

impl Report {
    /// A report of `systems` on the needs, with the counts of the judged set.
    pub fn new(needs: &[Need], qrels: &Qrels, depth: usize, systems: Vec<SystemReport>) -> Report {
        let judged = |need: &Need| qrels.needs().any(|n| n == need.id);
        Report {
            depth,
            needs: needs.len(),
            judged_needs: needs.iter().filter(|n| judged(n)).count(),
            scored_needs: needs
                .iter()
                .filter(|n| {
                    qrels
                        .judged(&n.id)
                        .iter()
                        .any(|&g| g >= super::metrics::RELEVANT)
                })
                .count(),
            judgments: qrels.judgments.len(),
            systems,
        }
    }
}
