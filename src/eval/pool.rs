//! Pools for the assessors: for each need, the union of the first passages of every
//! system, one entry per distinct text, in an order that says nothing of who found it,
//! and a key that maps each entry back to its passages. [`read_graded`] reads the grades
//! the assessors wrote into a pool file, and [`merge`] turns them into judgments.
//!
//! A pool file shows, for each entry, its opaque id, the need and the passage, and a
//! `grade:` line for the assessor to fill in. The same text found as several passages
//! (a UNPC sentence and the same words in its `docs.*` regroup) is one entry, read
//! once, whose grade goes to every copy.
//!
//! ```
//! use quorum::eval::pool::{entries, read_graded, render};
//! use quorum::eval::systems::Found;
//! use quorum::eval::PassageKey;
//! let need = quorum::eval::judged::Needs::parse("n", "en-1\ten\tpeace\tThe user wants peace.").needs.remove(0);
//! let found = |id: &str, text: &str| Found { key: PassageKey::new(id, "en", 1), text: text.into(), copies: Vec::new() };
//! let lists = vec![
//!     ("quorum".to_string(), vec![found("a", "Peace."), found("b", "War and peace.")]),
//!     ("baseline".to_string(), vec![found("c", "Peace. "), found("a", "Peace.")]),
//! ];
//! let pool = entries(&need, &lists, 10, 1);
//! // `a` and `c` have the same text: one entry stands for both.
//! assert_eq!(pool.len(), 2);
//! let text = render(&need, &pool);
//! assert!(!text.contains("quorum") && !text.contains("baseline"));
//! let graded = read_graded("en-1.txt", &text.replacen("\ngrade:\n", "\ngrade: 2\n", 1));
//! assert_eq!(graded.grades, [(pool[0].entry.clone(), 2)]);
//! assert_eq!(graded.ungraded, 1);
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::judged::{parse_grade, Judgment, Need, Qrels};
use super::systems::Found;
use super::{Error, PassageKey, Problem};

/// One entry of a need's pool: a text and the passages that hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The opaque id: the need's id and a hash of the seed, the need and the text.
    pub entry: String,
    /// The passage's text, as the first system that found it returned it.
    pub text: String,
    /// Every passage with this text that a system returned, in key order.
    pub keys: Vec<PassageKey>,
    /// The systems that returned it (kept in the key only).
    pub systems: BTreeSet<String>,
}

/// The text two passages are compared by: their words, whatever the spacing.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pool of a need: the first `depth` passages of each system's list, one entry per
/// distinct text, ordered by a hash of `seed`, the need and the text, so that the
/// order is the same on every run and unrelated to any system's.
pub fn entries(need: &Need, lists: &[(String, Vec<Found>)], depth: usize, seed: u64) -> Vec<Entry> {
    let mut by_text: BTreeMap<String, Entry> = BTreeMap::new();
    for (system, found) in lists {
        for hit in found.iter().take(depth) {
            let text = normalized(&hit.text);
            let entry = by_text.entry(text.clone()).or_insert_with(|| {
                let mut hasher = blake3::Hasher::new();
                hasher.update(&seed.to_le_bytes());
                hasher.update(need.id.as_bytes());
                hasher.update(&[0]);
                hasher.update(text.as_bytes());
                let hash = hasher.finalize().to_hex();
                Entry {
                    entry: format!("{}-{}", need.id, &hash[..10]),
                    text: hit.text.trim().to_string(),
                    keys: Vec::new(),
                    systems: BTreeSet::new(),
                }
            });
            if !entry.keys.contains(&hit.key) {
                entry.keys.push(hit.key.clone());
                entry.keys.sort();
            }
            entry.systems.insert(system.clone());
        }
    }
    let mut out: Vec<Entry> = by_text.into_values().collect();
    out.sort_by(|a, b| a.entry.cmp(&b.entry));
    out
}

/// The instructions at the head of every pool file.
const INSTRUCTIONS: &str = "\
# Grade each passage below against the need, not against any words: write 0, 1 or 2
# after `grade:`.
#   2  the passage is about what the need asks for: the user would want to read it;
#   1  it is partly about it, or touches it in passing, or gives useful context;
#   0  it is not about it, even if it shares words with it.
# Leave `grade:` empty to skip a passage. Lines that start with `|` are the passage,
# exactly as the index holds it; lines that start with `#` are notes.
";

/// A pool file's text: the instructions, then each entry's id, need, empty grade and
/// passage. It names no system and no document.
pub fn render(need: &Need, entries: &[Entry]) -> String {
    let mut out = String::from(INSTRUCTIONS);
    out.push_str(&format!("# {} passages to grade.\n", entries.len()));
    for entry in entries {
        out.push_str(&format!(
            "\n[{}]\nneed: {}\ngrade:\n",
            entry.entry, need.need
        ));
        for line in entry.text.lines() {
            out.push('|');
            if !line.is_empty() {
                out.push(' ');
                out.push_str(line);
            }
            out.push('\n');
        }
    }
    out
}

/// The header line of a pool's key file.
pub const KEY_HEADER: &str = "# entry\tneed\tid\tlang\tpassage\tsystems";

/// The key file's lines for a need's entries: one a passage.
pub fn key_lines(need: &Need, entries: &[Entry]) -> Vec<String> {
    let mut out = Vec::new();
    for entry in entries {
        let systems: Vec<&str> = entry.systems.iter().map(String::as_str).collect();
        for key in &entry.keys {
            out.push(format!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                entry.entry,
                need.id,
                key.id,
                key.lang,
                key.passage,
                systems.join(",")
            ));
        }
    }
    out
}

/// Writes a need's pool file, `DIR/<need>.txt`. A file there that quorum did not write
/// ([`Error::NotAPool`]), or that already holds a grade ([`Error::Graded`]: writing over
/// it would lose the grading), is left alone.
pub fn write(dir: &Path, need: &Need, entries: &[Entry]) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = dir.join(format!("{}.txt", need.id));
    if let Some(old) = ours(&path, INSTRUCTIONS)? {
        if !read_graded(&path.display().to_string(), &old)
            .grades
            .is_empty()
        {
            return Err(Error::Graded(path));
        }
    }
    std::fs::write(&path, render(need, entries)).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// Writes a pool's key, `DIR/key.tsv`, over nothing but a key quorum wrote.
pub fn write_key(dir: &Path, lines: &[String]) -> Result<PathBuf, Error> {
    let path = dir.join("key.tsv");
    ours(&path, KEY_HEADER)?;
    std::fs::write(&path, lines.join("\n") + "\n").map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// The text of a file quorum wrote (it starts with `header`), `None` when there is no
/// file; any other file is [`Error::NotAPool`].
fn ours(path: &Path, header: &str) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(old) if old.starts_with(header) => Ok(Some(old)),
        Ok(_) => Err(Error::NotAPool(path.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            Err(Error::NotAPool(path.to_path_buf()))
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

/// What an assessor wrote in a pool file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graded {
    /// `(entry, grade)` in file order.
    pub grades: Vec<(String, u8)>,
    /// Entries left without a grade.
    pub ungraded: usize,
    /// Lines that could not be read, skipped.
    pub problems: Vec<Problem>,
}

/// Reads the grades of a pool file; `path` names it in problems.
pub fn read_graded(path: &str, text: &str) -> Graded {
    let mut out = Graded::default();
    let mut current: Option<(String, Option<u8>)> = None;
    let finish = |current: &mut Option<(String, Option<u8>)>, out: &mut Graded| match current.take()
    {
        Some((entry, Some(grade))) => out.grades.push((entry, grade)),
        Some((_, None)) => out.ungraded += 1,
        None => {}
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let problem = |message: String| Problem {
            path: path.to_string(),
            line: i + 1,
            message,
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || line.starts_with('#') || line.starts_with('|') {
            continue;
        }
        if let Some(entry) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            finish(&mut current, &mut out);
            current = Some((entry.trim().to_string(), None));
        } else if trimmed.starts_with("need:") {
            continue;
        } else if let Some(value) = trimmed.strip_prefix("grade:") {
            let value = value.trim();
            match (&mut current, parse_grade(value)) {
                (None, _) => out
                    .problems
                    .push(problem("a grade before any `[entry]` line".into())),
                (Some(_), _) if value.is_empty() => {}
                (Some((_, grade)), Some(g)) => *grade = Some(g),
                (Some(_), None) => out
                    .problems
                    .push(problem(format!("grade `{value}` is not 0, 1 or 2"))),
            }
        } else {
            out.problems.push(problem(format!(
                "`{trimmed}` is not an `[entry]`, `need:`, `grade:`, `|` passage or `#` note line"
            )));
        }
    }
    finish(&mut current, &mut out);
    out
}

/// A pool's key: entry id → `(need, passage)` for every passage the entry stands for.
#[derive(Clone, Debug, Default)]
pub struct Key {
    /// The passages of each entry.
    pub entries: BTreeMap<String, Vec<(String, PassageKey)>>,
    /// Lines skipped.
    pub problems: Vec<Problem>,
}

impl Key {
    /// Reads a key file.
    pub fn load(path: &Path) -> Result<Key, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Key::parse(&path.display().to_string(), &text))
    }

    /// Parses a key file's text; `path` names it in problems.
    pub fn parse(path: &str, text: &str) -> Key {
        let mut out = Key::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let parsed = match fields[..] {
                [entry, need, id, lang, passage, ..] => passage
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .map(|p| (entry, need, PassageKey::new(id, lang, p))),
                _ => None,
            };
            match parsed {
                Some((entry, need, key)) => out
                    .entries
                    .entry(entry.to_string())
                    .or_default()
                    .push((need.to_string(), key)),
                None => out.problems.push(Problem {
                    path: path.to_string(),
                    line: i + 1,
                    message: "not `entry, need, id, lang, passage, systems`, tab-separated".into(),
                }),
            }
        }
        out
    }
}

/// What [`merge`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Judgments added or replaced in the qrels (one per passage, copies included).
    pub judgments: usize,
    /// Grades whose entry the key does not know, skipped.
    pub unknown: Vec<String>,
}

/// Adds the grades of a pool file to `qrels`, one judgment for each passage its entry
/// stands for, by `assessor` on `date`.
pub fn merge(qrels: &mut Qrels, key: &Key, graded: &Graded, assessor: &str, date: &str) -> Merged {
    let mut out = Merged::default();
    for (entry, grade) in &graded.grades {
        let Some(passages) = key.entries.get(entry) else {
            out.unknown.push(entry.clone());
            continue;
        };
        for (need, passage) in passages {
            qrels.add(Judgment {
                need: need.clone(),
                key: passage.clone(),
                grade: *grade,
                assessor: assessor.to_string(),
                date: date.to_string(),
            });
            out.judgments += 1;
        }
    }
    out
}
