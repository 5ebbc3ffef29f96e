//! The order of a page: by relevance (the ranking), or by date, oldest or newest first
//! (`sort=date`, `sort=-date`, `quorum search --sort`).
//!
//! A date order needs every match, not the best page: the tiers that a page visits are
//! collected whole, and the passages are then ordered by their document's year within
//! each tier (the passages with every word still come first), relevance breaking ties.
//! Undated passages come last either way.
//!
//! ```
//! use quorum::search::Sort;
//! assert_eq!("-date".parse::<Sort>(), Ok(Sort::Newest));
//! assert_eq!(Sort::Oldest.to_string(), "date");
//! assert!("year".parse::<Sort>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use tantivy::{DocAddress, Score, Searcher};

use crate::index::schema;

/// The order of the hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    /// The ranking's order (the default).
    #[default]
    #[serde(rename = "relevance")]
    Relevance,
    /// Oldest document first.
    #[serde(rename = "date")]
    Oldest,
    /// Newest document first.
    #[serde(rename = "-date")]
    Newest,
}

impl Sort {
    /// Every value, as typed.
    pub const NAMES: [&'static str; 3] = ["relevance", "date", "-date"];

    /// How many hits of each tier must be collected for a page that needs `need`: all
    /// of them for a date order.
    pub(crate) fn depth(self, need: usize) -> usize {
        match self {
            Sort::Relevance => need,
            Sort::Oldest | Sort::Newest => usize::MAX,
        }
    }

    /// Puts ranked hits (score, address, tier) in this order: by year within each
    /// tier, the ranking's order kept among equal years.
    pub(crate) fn apply(self, searcher: &Searcher, ranked: &mut [(Score, DocAddress, usize)]) {
        let newest = match self {
            Sort::Relevance => return,
            Sort::Oldest => false,
            Sort::Newest => true,
        };
        let columns: Vec<Option<tantivy::columnar::Column<i64>>> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().i64(schema::YEAR).ok())
            .collect();
        let year = |address: DocAddress| {
            columns
                .get(address.segment_ord as usize)
                .and_then(Option::as_ref)
                .and_then(|column| column.first(address.doc_id))
        };
        // Undated last, whichever way the years run.
        ranked.sort_by_cached_key(|&(_, address, tier)| {
            let key = match year(address) {
                Some(y) if newest => (false, -y),
                Some(y) => (false, y),
                None => (true, 0),
            };
            (tier, key)
        });
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sort::Relevance => "relevance",
            Sort::Oldest => "date",
            Sort::Newest => "-date",
        })
    }
}

/// A sort value that is none of [`Sort::NAMES`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown sort {0:?}: relevance, date or -date")]
pub struct UnknownSort(pub String);

impl FromStr for Sort {
    type Err = UnknownSort;

    fn from_str(text: &str) -> Result<Sort, UnknownSort> {
        match text {
            "relevance" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Oldest),
            "-date" => Ok(Sort::Newest),
            _ => Err(UnknownSort(text.to_string())),
        }
    }
}
