//! The systems that `quorum eval` measures and pools: quorum's current ranking
//! ([`Quorum`]), the plain BM25 baseline ([`super::baseline::Baseline`]), another
//! quorum binary run on the same index ([`External`], so that "quorum before this
//! change" can be pooled and measured), and a fixed list ([`Fixed`], for tests).
//!
//! ```
//! use quorum::eval::systems::{Fixed, System};
//! use quorum::eval::PassageKey;
//! let mut fixed = Fixed::new("fixed", vec![("en-1", vec![PassageKey::new("a", "en", 1)])]);
//! let need = quorum::eval::judged::Needs::parse("n", "en-1\ten\tpeace\tPeace.").needs.remove(0);
//! assert_eq!(fixed.top(&need, 10)?[0].key.id, "a");
//! # Ok::<(), quorum::eval::Error>(())
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

use super::judged::Need;
use super::{Error, PassageKey};
use crate::search::{Engine, Request};

/// A passage a system returned, with its text for the assessors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Which passage.
    pub key: PassageKey,
    /// Its text.
    pub text: String,
    /// The other records that hold the same passage (`also_in`): a hit stands for its
    /// copies, so where the passage shown was never graded, a graded copy's grade is its.
    pub copies: Vec<PassageKey>,
}

/// A ranking to measure.
pub trait System {
    /// Its name in reports and in the pool's key.
    fn name(&self) -> &str;
    /// Its first `depth` passages for a need's query, best first.
    fn top(&mut self, need: &Need, depth: usize) -> Result<Vec<Found>, Error>;
}

/// quorum's ranking as `quorum search` gives it by default: every language, the
/// default matching rule.
pub struct Quorum<'a> {
    engine: &'a Engine,
}

impl<'a> Quorum<'a> {
    /// The ranking of an open engine.
    pub fn new(engine: &'a Engine) -> Quorum<'a> {
        Quorum { engine }
    }
}

impl System for Quorum<'_> {
    fn name(&self) -> &str {
        "quorum"
    }

    fn top(&mut self, need: &Need, depth: usize) -> Result<Vec<Found>, Error> {
        let request = Request {
            limit: depth,
            ..Request::new(need.query.as_str())
        };
        let response = self.engine.search(&request)?;
        Ok(response
            .hits
            .into_iter()
            .map(|hit| Found {
                key: PassageKey::new(hit.id, hit.lang, hit.passage),
                text: hit.text,
                copies: hit
                    .also_in
                    .into_iter()
                    .map(|c| PassageKey::new(c.id, c.lang, c.passage))
                    .collect(),
            })
            .collect())
    }
}

/// Another quorum binary, run as `BIN search --index DIR --json --limit N -- QUERY`
/// for each need: its hits' `id`, `lang`, `passage` and `text` are all it needs, and
/// every quorum since the first prints them.
pub struct External {
    name: String,
    bin: PathBuf,
    index: PathBuf,
}

impl External {
    /// The binary `bin` on the index `index`, named after the binary's file name.
    pub fn new(bin: &Path, index: &Path) -> External {
        let name = bin
            .file_name()
            .map_or_else(|| "external".into(), |n| n.to_string_lossy().into_owned());
        External {
            name,
            bin: bin.to_path_buf(),
            index: index.to_path_buf(),
        }
    }

    /// The same binary under another name (two `--also` binaries of the same file name).
    pub fn named(mut self, name: impl Into<String>) -> External {
        self.name = name.into();
        self
    }
}

impl System for External {
    fn name(&self) -> &str {
        &self.name
    }

    fn top(&mut self, need: &Need, depth: usize) -> Result<Vec<Found>, Error> {
        let fail = |detail: String| Error::External {
            bin: self.bin.clone(),
            query: need.query.clone(),
            detail,
        };
        let output = Command::new(&self.bin)
            .arg("search")
            .arg("--index")
            .arg(&self.index)
            .arg("--json")
            .arg("--limit")
            .arg(depth.to_string())
            .arg("--")
            .arg(&need.query)
            .env("NO_COLOR", "1")
            .output()
            .map_err(|e| fail(format!("could not run it: {e}")))?;
        // Exit status 1 is a search without hits, which still prints its response.
        if !matches!(output.status.code(), Some(0 | 1)) {
            return Err(fail(format!(
                "it exited with {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let response: serde_json::Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| fail(format!("it printed no JSON ({e})")))?;
        let hits = response["hits"]
            .as_array()
            .ok_or_else(|| fail("its JSON has no `hits` list".into()))?;
        hits.iter()
            .take(depth)
            .map(|hit| {
                let field = |name: &str| hit[name].as_str().map(str::to_string);
                match (field("id"), field("lang"), hit["passage"].as_u64()) {
                    (Some(id), Some(lang), Some(passage)) => Ok(Found {
                        key: PassageKey::new(id, lang, passage),
                        text: field("text").unwrap_or_default(),
                        copies: copies_of(hit),
                    }),
                    _ => Err(fail("a hit lacks its id, lang or passage".into())),
                }
            })
            .collect()
    }
}

/// The copies a hit of `search --json` lists in `also_in` (none from a binary older than
/// the field).
fn copies_of(hit: &serde_json::Value) -> Vec<PassageKey> {
    hit["also_in"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| {
            Some(PassageKey::new(
                c["id"].as_str()?.to_string(),
                c["lang"].as_str()?.to_string(),
                c["passage"].as_u64()?,
            ))
        })
        .collect()
}

/// A fixed ranking per need id, for tests and examples. Its passages have no text.
pub struct Fixed {
    name: String,
    lists: Vec<(String, Vec<PassageKey>)>,
}

impl Fixed {
    /// The lists, by need id.
    pub fn new(name: &str, lists: Vec<(&str, Vec<PassageKey>)>) -> Fixed {
        Fixed {
            name: name.to_string(),
            lists: lists
                .into_iter()
                .map(|(need, keys)| (need.to_string(), keys))
                .collect(),
        }
    }
}

impl System for Fixed {
    fn name(&self) -> &str {
        &self.name
    }

    fn top(&mut self, need: &Need, depth: usize) -> Result<Vec<Found>, Error> {
        Ok(self
            .lists
            .iter()
            .find(|(id, _)| *id == need.id)
            .map(|(_, keys)| {
                keys.iter()
                    .take(depth)
                    .map(|key| Found {
                        key: key.clone(),
                        text: String::new(),
                        copies: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }
}
