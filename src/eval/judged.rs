//! The judged set's files: the written needs (`needs.tsv`) and the judgments
//! (`qrels.tsv`), read line by line. A bad line is a [`Problem`] that names the file and
//! the line; it is skipped and the rest is read.
//!
//! `needs.tsv`: `id<TAB>lang<TAB>query<TAB>need`. `qrels.tsv`:
//! `need<TAB>id<TAB>lang<TAB>passage<TAB>grade<TAB>assessor<TAB>date`, grade 0, 1 or 2.
//! In both, `#` starts a note line and blank lines are skipped.
//!
//! ```
//! use quorum::eval::judged::Qrels;
//! use quorum::eval::PassageKey;
//! let text = "# need\tid\tlang\tpassage\tgrade\tassessor\tdate\n\
//!             en-1\ta\ten\t3\t2\tann\t2026-12-01\n\
//!             en-1\ta\ten\t3\t1\tbob\t2026-12-02\n\
//!             en-1\tb\ten\t1\t7\tbob\t2026-12-02\n";
//! let qrels = Qrels::parse("qrels.tsv", text);
//! // Two assessors graded a#3: it takes the mean of their grades.
//! assert_eq!(qrels.grade("en-1", &PassageKey::new("a", "en", 3)), Some(1.5));
//! assert_eq!(qrels.problems[0].to_string(), "qrels.tsv:4: grade `7` is not 0, 1 or 2 (line skipped)");
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{Error, PassageKey, Problem};
use crate::Lang;

/// One written information need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    /// Its id (`en-05`).
    pub id: String,
    /// The language the user writes the query in.
    pub lang: Lang,
    /// The query as a user would type it.
    pub query: String,
    /// What the user wants, written for an assessor who sees no system.
    pub need: String,
}

/// The needs of a file, and the lines that were skipped.
#[derive(Clone, Debug, Default)]
pub struct Needs {
    /// In file order.
    pub needs: Vec<Need>,
    /// The lines skipped.
    pub problems: Vec<Problem>,
}

/// The lines of a judged-set file that hold data: `(1-based line, fields)`.
fn records(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        (!line.trim().is_empty() && !line.starts_with('#'))
            .then(|| (i + 1, line.split('\t').map(str::trim).collect()))
    })
}

fn problem(path: &str, line: usize, message: impl Into<String>) -> Problem {
    Problem {
        path: path.to_string(),
        line,
        message: message.into(),
    }
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

impl Needs {
    /// Reads a needs file.
    pub fn load(path: &Path) -> Result<Needs, Error> {
        Ok(Needs::parse(&path.display().to_string(), &read(path)?))
    }

    /// Parses the text of a needs file; `path` names it in problems.
    pub fn parse(path: &str, text: &str) -> Needs {
        let mut out = Needs::default();
        let mut seen = BTreeSet::new();
        for (line, fields) in records(text) {
            let [id, lang, query, need] = fields[..] else {
                out.problems.push(problem(
                    path,
                    line,
                    format!(
                        "{} fields where id, lang, query and need were expected, tab-separated",
                        fields.len()
                    ),
                ));
                continue;
            };
            let lang = Lang::parse(lang);
            let message = match &lang {
                Lang::Fr | Lang::En if id.is_empty() || query.is_empty() || need.is_empty() => {
                    Some("an empty id, query or need".to_string())
                }
                Lang::Fr | Lang::En if !seen.insert(id.to_string()) => {
                    Some(format!("need `{id}` is defined twice"))
                }
                Lang::Fr | Lang::En => None,
                Lang::Other(code) => Some(format!("language `{code}` is not fr or en")),
            };
            if let Some(message) = message {
                out.problems.push(problem(path, line, message));
                continue;
            }
            out.needs.push(Need {
                id: id.to_string(),
                lang,
                query: query.to_string(),
                need: need.to_string(),
            });
        }
        out
    }
}

/// One judgment, as a line of `qrels.tsv` holds it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Judgment {
    /// The need's id.
    pub need: String,
    /// The passage judged.
    pub key: PassageKey,
    /// 0 (not about the need), 1 (partly, or in passing), 2 (about the need).
    pub grade: u8,
    /// Who graded it.
    pub assessor: String,
    /// When (`YYYY-MM-DD`).
    pub date: String,
}

impl Judgment {
    /// The line of `qrels.tsv` that holds it.
    pub fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.need,
            self.key.id,
            self.key.lang,
            self.key.passage,
            self.grade,
            self.assessor,
            self.date
        )
    }
}

/// The header line of `qrels.tsv`.
pub const QRELS_HEADER: &str = "# need\tid\tlang\tpassage\tgrade\tassessor\tdate";

/// The judgments of a file, and the lines that were skipped.
#[derive(Clone, Debug, Default)]
pub struct Qrels {
    /// In file order.
    pub judgments: Vec<Judgment>,
    /// The lines skipped.
    pub problems: Vec<Problem>,
    /// Per need, per passage, the grades given.
    grades: BTreeMap<String, BTreeMap<PassageKey, Vec<u8>>>,
}

impl Qrels {
    /// Reads a qrels file; a file that does not exist holds no judgments yet.
    pub fn load(path: &Path) -> Result<Qrels, Error> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Qrels::parse(&path.display().to_string(), &text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Qrels::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Parses the text of a qrels file; `path` names it in problems.
    pub fn parse(path: &str, text: &str) -> Qrels {
        let mut out = Qrels::default();
        for (line, fields) in records(text) {
            let [need, id, lang, passage, grade, assessor, date] = fields[..] else {
                out.problems.push(problem(
                    path,
                    line,
                    format!(
                        "{} fields where need, id, lang, passage, grade, assessor and date were expected, tab-separated",
                        fields.len()
                    ),
                ));
                continue;
            };
            let Ok(passage) = passage.parse::<u64>() else {
                out.problems.push(problem(
                    path,
                    line,
                    format!("passage `{passage}` is not a number"),
                ));
                continue;
            };
            let Some(grade) = parse_grade(grade) else {
                out.problems.push(problem(
                    path,
                    line,
                    format!("grade `{grade}` is not 0, 1 or 2"),
                ));
                continue;
            };
            if need.is_empty() || id.is_empty() || lang.is_empty() || assessor.is_empty() {
                out.problems
                    .push(problem(path, line, "an empty need, id, lang or assessor"));
                continue;
            }
            out.add(Judgment {
                need: need.to_string(),
                key: PassageKey::new(id, lang, passage),
                grade,
                assessor: assessor.to_string(),
                date: date.to_string(),
            });
        }
        out
    }

    /// Adds a judgment. One by the same assessor of the same passage for the same need
    /// replaces it: a passage graded again takes its new grade.
    pub fn add(&mut self, judgment: Judgment) {
        if let Some(old) = self.judgments.iter_mut().find(|j| {
            j.need == judgment.need && j.key == judgment.key && j.assessor == judgment.assessor
        }) {
            *old = judgment.clone();
        } else {
            self.judgments.push(judgment.clone());
        }
        let grades: Vec<u8> = self
            .judgments
            .iter()
            .filter(|j| j.need == judgment.need && j.key == judgment.key)
            .map(|j| j.grade)
            .collect();
        self.grades
            .entry(judgment.need)
            .or_default()
            .insert(judgment.key, grades);
    }

    /// The grade of a passage for a need: the mean of its assessors' grades, `None`
    /// when no one graded it.
    pub fn grade(&self, need: &str, key: &PassageKey) -> Option<f64> {
        let grades = self.grades.get(need)?.get(key)?;
        Some(grades.iter().map(|&g| f64::from(g)).sum::<f64>() / grades.len() as f64)
    }

    /// Every grade judged for a need, one a passage.
    pub fn judged(&self, need: &str) -> Vec<f64> {
        self.grades.get(need).map_or_else(Vec::new, |passages| {
            passages
                .keys()
                .filter_map(|key| self.grade(need, key))
                .collect()
        })
    }

    /// The needs with at least one judgment.
    pub fn needs(&self) -> impl Iterator<Item = &str> {
        self.grades.keys().map(String::as_str)
    }

    /// The file's text: the header, then the judgments sorted by need, passage and
    /// assessor.
    pub fn to_text(&self) -> String {
        let mut sorted = self.judgments.clone();
        sorted.sort_by(|a, b| (&a.need, &a.key, &a.assessor).cmp(&(&b.need, &b.key, &b.assessor)));
        let mut out = String::from(QRELS_HEADER);
        out.push('\n');
        for j in &sorted {
            out.push_str(&j.to_line());
            out.push('\n');
        }
        out
    }
}

/// A grade as typed: `0`, `1` or `2`.
pub fn parse_grade(text: &str) -> Option<u8> {
    match text.trim() {
        "0" => Some(0),
        "1" => Some(1),
        "2" => Some(2),
        _ => None,
    }
}
