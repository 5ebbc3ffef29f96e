//! Faults during indexing, injected through `QUORUM_FAULT` (src/index/fault.rs), which
//! numbers every write a run makes (tantivy's segment files and `meta.json`, quorum's
//! marker, `CURRENT` and `quorum.json`): SIGKILL at many of them, inside commits too;
//! SIGTERM at several; a disk that fills up after a number of bytes; and a read-only
//! index folder.
//!
//! After each fault the index must open (or, for a first build that had committed
//! nothing, say that there is no index), hold only whole documents, each as one of the
//! builds it lay between wrote it, and a run without the fault must converge on a clean
//! build's passages, documents and hits exactly: 0 lost, 0 duplicated.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// The binary, run with `std::process::Command` to see the signal that ended it.
const QUORUM: &str = env!("CARGO_BIN_EXE_quorum");

/// Input between two commits in the fault runs, in MB: about one commit every three
/// documents, so that a run of the fixture makes a dozen commits and kills land in
/// and between many of them.
const COMMIT_MB: &str = "0.001";

const QUERIES: [&str; 5] = [
    "sanctions",
    "réfugiés",
    "\"maintien de la paix\"",
    "mandate",
    "kestrum",
];

/// One document of the fixture: its file (a `.txt`, or a line of `records.jsonl`) and
/// its text.
struct Doc {
    name: String,
    text: String,
}

/// The paragraphs the fixture's documents are made of, French and English.
const FRENCH: [&str; 5] = [
    "Le Conseil de sécurité décide de proroger le mandat de la mission jusqu'au 31 mars {n}.",
    "Il condamne les attaques contre les réfugiés et le personnel humanitaire dans la région {n}.",
    "Le Conseil souligne l'importance du maintien de la paix et de la sécurité internationales.",
    "Il décide d'imposer des sanctions ciblées aux personnes qui entravent le processus {n}.",
    "Le Conseil prie le Secrétaire général de lui présenter un rapport dans les {n} jours.",
];
const ENGLISH: [&str; 5] = [
    "The Security Council decides to extend the mandate of the mission until 31 March {n}.",
    "It condemns the attacks against refugees and humanitarian personnel in region {n}.",
    "The Council stresses the importance of the maintenance of international peace and security.",
    "It decides to impose targeted sanctions on individuals who obstruct the kestrum process {n}.",
    "The Council requests the Secretary-General to report to it within {n} days.",
];

/// The fixture's documents in `version` 1 or 2. Version 2 drops three files and a
/// record, changes two files and two records, and adds four files and two records.
fn fixture(version: u32) -> Vec<Doc> {
    let mut docs = Vec::new();
    let paragraphs = |i: usize, salt: usize| -> String {
        let sentences = if i.is_multiple_of(2) {
            &FRENCH
        } else {
            &ENGLISH
        };
        (0..3 + i % 3)
            .map(|k| sentences[(i + k) % 5].replace("{n}", &(1990 + i * 7 + k + salt).to_string()))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    for i in 0..24 {
        let dropped = version == 2 && [3, 11, 17].contains(&i);
        if dropped {
            continue;
        }
        let changed = version == 2 && [5, 14].contains(&i);
        docs.push(Doc {
            name: format!("doc-{i:02}.txt"),
            text: paragraphs(i, if changed { 1000 } else { 0 }) + "\n",
        });
    }
    if version == 2 {
        for i in 24..28 {
            docs.push(Doc {
                name: format!("doc-{i:02}.txt"),
                text: paragraphs(i, 0) + "\n",
            });
        }
    }
    let records = if version == 1 { 0..16 } else { 0..18 };
    for i in records {
        if version == 2 && i == 9 {
            continue;
        }
        let salt = if version == 2 && [2, 7].contains(&i) {
            500
        } else {
            0
        };
        let lang = if i % 2 == 0 { "fr" } else { "en" };
        let text = paragraphs(i + 40, salt);
        docs.push(Doc {
            name: "records.jsonl".into(),
            text: serde_json::json!({"id": format!("r{i:02}"), "lang": lang, "text": text})
                .to_string(),
        });
    }
    docs
}

/// Writes `version` of the fixture into `docs`, replacing what was there.
fn write_fixture(docs: &Path, version: u32) {
    let _ = fs::remove_dir_all(docs);
    fs::create_dir_all(docs).unwrap();
    let mut records = String::new();
    for doc in fixture(version) {
        if doc.name == "records.jsonl" {
            records.push_str(&doc.text);
            records.push('\n');
        } else {
            fs::write(docs.join(&doc.name), &doc.text).unwrap();
        }
    }
    fs::write(docs.join("records.jsonl"), records).unwrap();
}

/// How a run ended.
struct Ended {
    code: Option<i32>,
    signal: Option<i32>,
    stderr: String,
}

/// `quorum index --quiet --index INDEX ARGS PATH` with `QUORUM_FAULT=fault`.
fn index(index: &Path, docs: &Path, args: &[&str], fault: Option<&str>) -> Ended {
    let mut cmd = quorum_command();
    cmd.arg("index")
        .arg("--quiet")
        .arg("--index")
        .arg(index)
        .args(args)
        .arg(docs);
    match fault {
        Some(fault) => cmd.env("QUORUM_FAULT", fault),
        None => cmd.env_remove("QUORUM_FAULT"),
    };
    let output = cmd.output().expect("quorum runs");
    Ended {
        code: output.status.code(),
        signal: output.status.signal(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn quorum_command() -> Command {
    let mut cmd = Command::new(QUORUM);
    cmd.env("NO_COLOR", "1")
        .env_remove("QUORUM_INDEX")
        .env_remove("QUORUM_FAULT")
        .env(
            "XDG_DATA_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("data-home"),
        )
        .stdin(Stdio::null());
    cmd
}

/// A run that must succeed.
fn index_ok(index_dir: &Path, docs: &Path, args: &[&str]) {
    let ended = index(index_dir, docs, args, None);
    assert_eq!(ended.code, Some(0), "index failed: {}", ended.stderr);
}

/// One fault point of a trace: its number, the bytes written before it, what it does
/// and to which file.
#[derive(Clone, Debug)]
struct Point {
    n: u64,
    bytes: u64,
    op: String,
    file: String,
}

/// Parses `quorum: fault point N (bytes B): OP FILE` lines.
fn points(stderr: &str) -> Vec<Point> {
    stderr
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("quorum: fault point ")?;
            let (n, rest) = rest.split_once(" (bytes ")?;
            let (bytes, rest) = rest.split_once("): ")?;
            let (op, file) = rest.split_once(' ')?;
            let file = file.split(": SIG").next().unwrap_or(file);
            Some(Point {
                n: n.parse().ok()?,
                bytes: bytes.parse().ok()?,
                op: op.to_string(),
                file: file.to_string(),
            })
        })
        .collect()
}

/// The points of a run without a fault, to choose where to put one.
fn trace(index_dir: &Path, docs: &Path, args: &[&str]) -> Vec<Point> {
    let ended = index(index_dir, docs, args, Some("trace"));
    assert_eq!(ended.code, Some(0), "traced run failed: {}", ended.stderr);
    let points = points(&ended.stderr);
    assert!(
        !points.is_empty(),
        "no fault point traced: {}",
        ended.stderr
    );
    points
}

/// `count` points spread over the whole trace, plus the first of each named kind (a
/// segment file, tantivy's `meta.json` inside a commit, `CURRENT`, `quorum.json`, the
/// marker), so that each kind is hit even when the spread misses it.
fn choose(trace: &[Point], count: usize) -> Vec<u64> {
    let total = trace.len() as u64;
    let mut chosen: BTreeSet<u64> = (1..=count as u64)
        .map(|i| (i * total / (count as u64 + 1)).max(1))
        .collect();
    let named: [(&str, &str); 6] = [
        ("open_write", ".store"),
        ("terminate", ".idx"),
        ("atomic_write", "meta.json"),
        ("rename", "CURRENT"),
        ("rename", "quorum.json"),
        ("write_temporary", "quorum-index.tmp"),
    ];
    for (op, file) in named {
        if let Some(point) = trace.iter().find(|p| p.op == op && p.file.ends_with(file)) {
            chosen.insert(point.n);
        }
    }
    chosen.into_iter().collect()
}

/// A document's passages: `(passage, lang, text)` in passage order.
type Passages = Vec<(u64, String, String)>;
/// Every document of an index by `(id, doc_lang)`.
type Snapshot = BTreeMap<(String, String), Passages>;

/// Every passage of the index through `quorum export`, asserting that no passage
/// appears twice and that each document's passages are numbered 1..=n.
fn snapshot(index_dir: &Path) -> Snapshot {
    let output = quorum_command()
        .arg("export")
        .arg("--index")
        .arg(index_dir)
        .output()
        .expect("quorum runs");
    assert!(
        output.status.success(),
        "export of {} failed: {}",
        index_dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut docs = Snapshot::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let passage: Value = serde_json::from_str(line).expect("an export line is JSON");
        let text = |field: &str| passage[field].as_str().unwrap_or_default().to_string();
        docs.entry((text("id"), text("doc_lang")))
            .or_default()
            .push((
                passage["passage"].as_u64().unwrap_or(0),
                text("lang"),
                text("text"),
            ));
    }
    for (key, passages) in &mut docs {
        passages.sort();
        let numbers: Vec<u64> = passages.iter().map(|p| p.0).collect();
        let expected: Vec<u64> = (1..=passages.len() as u64).collect();
        assert_eq!(numbers, expected, "{key:?}: a passage is missing or twice");
    }
    docs
}

/// Documents according to `quorum stats --json`, asserting that it exits 0.
fn stats_documents(index_dir: &Path) -> u64 {
    let output = quorum_command()
        .args(["stats", "--json", "--index"])
        .arg(index_dir)
        .output()
        .expect("quorum runs");
    assert!(
        output.status.success(),
        "stats failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stats: Value = serde_json::from_slice(&output.stdout).expect("stats JSON");
    stats["documents"]
        .as_object()
        .map(|langs| langs.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0)
}

/// A hit: `(id, lang, passage)`.
type Hit = (String, String, u64);

/// Every hit of a query, copies included.
fn hits(index_dir: &Path, query: &str) -> BTreeSet<Hit> {
    hits_with(quorum_command(), index_dir, query)
}

/// [`hits`], run by `cmd`.
fn hits_with(mut cmd: Command, index_dir: &Path, query: &str) -> BTreeSet<Hit> {
    let output = cmd
        .args(["search", "--json", "--limit", "1000", "--index"])
        .arg(index_dir)
        .arg(query)
        .output()
        .expect("quorum runs");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "search {query:?} printed no JSON: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let key = |hit: &Value| {
        (
            hit["id"].as_str().unwrap_or_default().to_string(),
            hit["lang"].as_str().unwrap_or_default().to_string(),
            hit["passage"].as_u64().unwrap_or_default(),
        )
    };
    // A hit lists at most ten of its copies (the first in tie order) and counts them all.
    let mut set = BTreeSet::new();
    let mut counted = 0;
    for hit in json["hits"].as_array().into_iter().flatten() {
        set.insert(key(hit));
        counted += 1 + hit["copies"].as_u64().unwrap_or_default();
        for copy in hit["also_in"].as_array().into_iter().flatten() {
            set.insert(key(copy));
        }
    }
    assert_eq!(json["total_hits"].as_u64(), Some(counted), "{query}");
    set
}

/// What a clean build of one version holds.
struct Reference {
    docs: Snapshot,
    hits: Vec<BTreeSet<Hit>>,
}

impl Reference {
    fn of(index_dir: &Path) -> Reference {
        let docs = snapshot(index_dir);
        assert_eq!(stats_documents(index_dir), docs.len() as u64);
        Reference {
            docs,
            hits: QUERIES.iter().map(|q| hits(index_dir, q)).collect(),
        }
    }

    /// Asserts that the index holds exactly this: passages, documents and hits.
    fn assert_same(&self, index_dir: &Path, context: &str) {
        let docs = snapshot(index_dir);
        let lost: Vec<_> = self
            .docs
            .keys()
            .filter(|k| !docs.contains_key(*k))
            .collect();
        let extra: Vec<_> = docs
            .keys()
            .filter(|k| !self.docs.contains_key(*k))
            .collect();
        assert!(
            lost.is_empty() && extra.is_empty(),
            "{context}: lost {lost:?}, unexpected {extra:?}"
        );
        for (key, passages) in &self.docs {
            assert_eq!(&docs[key], passages, "{context}: {key:?} differs");
        }
        assert_eq!(
            stats_documents(index_dir),
            self.docs.len() as u64,
            "{context}"
        );
        for (query, expected) in QUERIES.iter().zip(&self.hits) {
            assert_eq!(
                &hits(index_dir, query),
                expected,
                "{context}: query {query}"
            );
        }
    }
}

/// Asserts that an index left by a fault holds only whole documents, each as
/// `before` or `after` has it, and returns how many it holds.
fn assert_between(index_dir: &Path, before: &Snapshot, after: &Snapshot, context: &str) -> u64 {
    let docs = snapshot(index_dir);
    for (key, passages) in &docs {
        assert!(
            before.get(key) == Some(passages) || after.get(key) == Some(passages),
            "{context}: {key:?} is neither as before nor as after the run: {passages:?}"
        );
    }
    let documents = stats_documents(index_dir);
    assert_eq!(documents, docs.len() as u64, "{context}");
    documents
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The generation folders on disk, and those the marker lists.
fn generations(index_dir: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let on_disk = fs::read_dir(index_dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with("gen-"))
                .collect()
        })
        .unwrap_or_default();
    let listed = fs::read(index_dir.join("quorum-index.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|marker| {
            marker["generations"].as_array().map(|names| {
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(String::from))
                    .collect()
            })
        })
        .unwrap_or_default();
    (on_disk, listed)
}

/// The live generation's name.
fn live(index_dir: &Path) -> Option<String> {
    fs::read_to_string(index_dir.join("CURRENT"))
        .ok()
        .map(|name| name.trim().to_string())
}

/// After a converging run: every generation on disk is one quorum listed, and the
/// live one is there.
fn assert_tidy(index_dir: &Path, context: &str) {
    let (on_disk, listed) = generations(index_dir);
    let live = live(index_dir).unwrap_or_else(|| panic!("{context}: no CURRENT"));
    assert!(on_disk.contains(&live), "{context}: {live} is not on disk");
    assert!(
        on_disk.is_subset(&listed),
        "{context}: generations {on_disk:?}, marker lists {listed:?}"
    );
}

/// Where a killed run's stderr says the kill came.
fn kill_line(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.ends_with(": SIGKILL") || l.ends_with(": SIGTERM"))
        .unwrap_or("")
        .to_string()
}

/// What the kills of one scenario did: how many ran, and where they landed.
struct Sweep {
    killed: usize,
    inside_commit: usize,
    quorum_files: usize,
}

/// Kills a run at each chosen point: `start` (a folder copied to a fresh index first,
/// or none for a first build), then `args`; checks what is left and that a clean run
/// converges on `after`.
#[allow(clippy::too_many_arguments)]
fn sweep(
    tmp: &Path,
    docs: &Path,
    start: Option<&Path>,
    args: &[&str],
    chosen: &[u64],
    before: &Snapshot,
    after: &Reference,
    name: &str,
) -> Sweep {
    let mut sweep = Sweep {
        killed: 0,
        inside_commit: 0,
        quorum_files: 0,
    };
    for &n in chosen {
        let index_dir = tmp.join(format!("{name}-{n}"));
        if let Some(start) = start {
            copy_tree(start, &index_dir);
        }
        let live_before = live(&index_dir);
        let ended = index(&index_dir, docs, args, Some(&format!("kill:{n}")));
        let context = format!("{name}, kill at point {n} ({})", kill_line(&ended.stderr));
        if ended.signal.is_none() {
            // Fewer points than in the trace (a merge that did not happen this time):
            // the run finished, and must have converged.
            assert_eq!(ended.code, Some(0), "{context}: {}", ended.stderr);
            after.assert_same(&index_dir, &context);
            continue;
        }
        assert_eq!(ended.signal, Some(9), "{context}: {}", ended.stderr);
        sweep.killed += 1;
        let line = kill_line(&ended.stderr);
        if [
            ".idx",
            ".pos",
            ".term",
            ".store",
            ".fast",
            ".fieldnorm",
            "meta.json",
        ]
        .iter()
        .any(|f| line.contains(f))
        {
            sweep.inside_commit += 1;
        }
        if ["CURRENT", "quorum.json", "quorum-index", "quorum.tmp"]
            .iter()
            .any(|f| line.contains(f))
        {
            sweep.quorum_files += 1;
        }
        if live(&index_dir).is_none() {
            // Only a first build killed before it published its empty generation.
            assert!(start.is_none(), "{context}: CURRENT is gone");
            let output = quorum_command()
                .args(["search", "--index"])
                .arg(&index_dir)
                .arg("sanctions")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{context}: {stderr}");
            assert!(stderr.contains("no index"), "{context}: {stderr}");
        } else {
            assert_between(&index_dir, before, &after.docs, &context);
            if args.contains(&"--rebuild") && live(&index_dir) == live_before {
                // The old generation is still live, and whole.
                let docs = snapshot(&index_dir);
                assert_eq!(&docs, before, "{context}: the live generation changed");
            }
        }
        index_ok(&index_dir, docs, &[]);
        after.assert_same(&index_dir, &format!("{context}, then a clean run"));
        assert_tidy(&index_dir, &context);
        let _ = fs::remove_dir_all(&index_dir);
    }
    sweep
}

/// Version 1 indexed, as the starting point of updates; the docs folder then holds
/// version 2, with its clean build as the reference.
struct Setup {
    tmp: tempfile::TempDir,
    docs: PathBuf,
    v1_index: PathBuf,
    v1: Reference,
    v2_index: PathBuf,
    v2: Reference,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write_fixture(&docs, 1);
    let v1_index = tmp.path().join("v1");
    index_ok(&v1_index, &docs, &["--commit-mb", COMMIT_MB]);
    let v1 = Reference::of(&v1_index);
    write_fixture(&docs, 2);
    let v2_index = tmp.path().join("v2");
    index_ok(&v2_index, &docs, &[]);
    let v2 = Reference::of(&v2_index);
    assert!(
        v2.hits.iter().all(|h| !h.is_empty()),
        "every query finds something"
    );
    assert_ne!(v1.docs, v2.docs);
    Setup {
        tmp,
        docs,
        v1_index,
        v1,
        v2_index,
        v2,
    }
}

/// SIGKILL at points spread over a first build that commits every few documents, and
/// at the first of each kind (a segment file, `meta.json` in a commit, `CURRENT`,
/// `quorum.json`, the marker).
#[test]
fn sigkill_during_a_first_build_at_many_points_loses_and_duplicates_nothing() {
    let s = setup();
    let traced = s.tmp.path().join("traced");
    let trace = trace(&traced, &s.docs, &["--commit-mb", COMMIT_MB]);
    s.v2.assert_same(&traced, "the traced build");
    let chosen = choose(&trace, 10);
    let sweep = sweep(
        s.tmp.path(),
        &s.docs,
        None,
        &["--commit-mb", COMMIT_MB],
        &chosen,
        &Snapshot::new(),
        &s.v2,
        "first build",
    );
    eprintln!(
        "first build: {} points traced, {} kills, {} inside a commit, {} at quorum's files",
        trace.len(),
        sweep.killed,
        sweep.inside_commit,
        sweep.quorum_files
    );
    assert!(
        sweep.killed >= 12,
        "only {} kills of {chosen:?}",
        sweep.killed
    );
    assert!(sweep.inside_commit >= 4 && sweep.quorum_files >= 2);
}

/// SIGKILL at points spread over an update (adds, changes and removals, with commits
/// every few documents) and over a `--rebuild`.
#[test]
fn sigkill_during_an_update_or_a_rebuild_at_many_points_loses_and_duplicates_nothing() {
    let s = setup();
    let traced = s.tmp.path().join("traced");
    copy_tree(&s.v1_index, &traced);
    let update = trace(&traced, &s.docs, &["--commit-mb", COMMIT_MB]);
    s.v2.assert_same(&traced, "the traced update");
    let chosen = choose(&update, 8);
    let updates = sweep(
        s.tmp.path(),
        &s.docs,
        Some(&s.v1_index),
        &["--commit-mb", COMMIT_MB],
        &chosen,
        &s.v1.docs,
        &s.v2,
        "update",
    );

    let traced = s.tmp.path().join("traced-rebuild");
    copy_tree(&s.v2_index, &traced);
    let rebuild = trace(&traced, &s.docs, &["--rebuild", "--commit-mb", COMMIT_MB]);
    s.v2.assert_same(&traced, "the traced rebuild");
    let chosen = choose(&rebuild, 6);
    let rebuilds = sweep(
        s.tmp.path(),
        &s.docs,
        Some(&s.v2_index),
        &["--rebuild", "--commit-mb", COMMIT_MB],
        &chosen,
        &s.v2.docs,
        &s.v2,
        "rebuild",
    );
    eprintln!(
        "update: {} points traced, {} kills ({} inside a commit); rebuild: {} points, {} kills \
         ({} inside a commit, {} at quorum's files)",
        update.len(),
        updates.killed,
        updates.inside_commit,
        rebuild.len(),
        rebuilds.killed,
        rebuilds.inside_commit,
        rebuilds.quorum_files
    );
    assert!(updates.killed >= 8 && rebuilds.killed >= 6);
    assert!(updates.inside_commit >= 3 && rebuilds.inside_commit >= 2);
    assert!(rebuilds.quorum_files >= 1);
}

/// The documents count a stopped run's message gives: `(N documents)`.
fn documents_in_message(stderr: &str) -> Option<u64> {
    let (_, rest) = stderr.rsplit_once('(')?;
    rest.split_once(" documents)")?.0.parse().ok()
}

/// SIGTERM, sent by the fault hook at chosen points of an update and of a rebuild:
/// the run stops at the next document boundary (a commit under way is finished),
/// says what the index kept, exits 143, and a re-run finishes.
#[test]
fn sigterm_stops_at_a_document_boundary_and_says_what_was_kept() {
    let s = setup();
    let traced = s.tmp.path().join("traced");
    copy_tree(&s.v1_index, &traced);
    let update = trace(&traced, &s.docs, &["--commit-mb", COMMIT_MB]);
    let mut stopped = 0;
    for n in choose(&update, 5) {
        let index_dir = s.tmp.path().join(format!("term-{n}"));
        copy_tree(&s.v1_index, &index_dir);
        let ended = index(
            &index_dir,
            &s.docs,
            &["--commit-mb", COMMIT_MB],
            Some(&format!("term:{n}")),
        );
        let context = format!("SIGTERM at point {n} ({})", kill_line(&ended.stderr));
        assert_eq!(ended.signal, None, "{context}: {}", ended.stderr);
        if ended.code == Some(0) {
            s.v2.assert_same(&index_dir, &context);
            continue;
        }
        stopped += 1;
        assert_eq!(ended.code, Some(143), "{context}: {}", ended.stderr);
        assert!(
            ended.stderr.contains("stopped by SIGTERM"),
            "{context}: {}",
            ended.stderr
        );
        let documents = assert_between(&index_dir, &s.v1.docs, &s.v2.docs, &context);
        assert!(
            ended.stderr.contains("keeps its last commit") || ended.stderr.contains("is complete"),
            "{context}: {}",
            ended.stderr
        );
        assert_eq!(
            documents_in_message(&ended.stderr),
            Some(documents),
            "{context}: {}",
            ended.stderr
        );
        assert!(
            ended.stderr.contains("run the same command again")
                || ended.stderr.contains("nothing is left to do"),
            "{context}: {}",
            ended.stderr
        );
        index_ok(&index_dir, &s.docs, &[]);
        s.v2.assert_same(&index_dir, &format!("{context}, then a clean run"));
    }
    assert!(stopped >= 4, "only {stopped} runs were stopped");

    // A rebuild stopped part-way removes its unfinished generation.
    let traced = s.tmp.path().join("traced-rebuild");
    copy_tree(&s.v1_index, &traced);
    let rebuild = trace(&traced, &s.docs, &["--rebuild", "--commit-mb", COMMIT_MB]);
    let middle = rebuild[rebuild.len() / 2].n;
    let index_dir = s.tmp.path().join("term-rebuild");
    copy_tree(&s.v1_index, &index_dir);
    let live_before = live(&index_dir);
    let ended = index(
        &index_dir,
        &s.docs,
        &["--rebuild", "--commit-mb", COMMIT_MB],
        Some(&format!("term:{middle}")),
    );
    assert_eq!(ended.code, Some(143), "{}", ended.stderr);
    assert!(
        ended.stderr.contains("stopped by SIGTERM")
            && ended.stderr.contains("unfinished generation was removed")
            && ended
                .stderr
                .contains("run the same command again to rebuild"),
        "{}",
        ended.stderr
    );
    assert_eq!(live(&index_dir), live_before);
    let (on_disk, _) = generations(&index_dir);
    assert_eq!(on_disk, live_before.iter().cloned().collect());
    s.v1.assert_same(&index_dir, "after a stopped rebuild");
    index_ok(&index_dir, &s.docs, &["--rebuild"]);
    s.v2.assert_same(&index_dir, "after a stopped rebuild, then a clean run");
}

/// A real SIGTERM from outside, while the run is writing, has the same effect.
#[test]
fn sigterm_from_another_process_stops_the_run_gracefully() {
    let s = setup();
    let index_dir = s.tmp.path().join("index");
    copy_tree(&s.v1_index, &index_dir);
    let mut child = quorum_command()
        .arg("index")
        .arg("--quiet")
        .arg("--index")
        .arg(&index_dir)
        .args(["--commit-mb", COMMIT_MB])
        .arg(&s.docs)
        // Traced, so that the signal is sent once the run writes.
        .env("QUORUM_FAULT", "trace")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("open_write") {
            break;
        }
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    for line in lines {
        seen.push_str(&line.unwrap());
        seen.push('\n');
    }
    let status = child.wait().unwrap();
    if status.code() == Some(0) {
        // The run had finished before the signal came.
        s.v2.assert_same(&index_dir, "a run that finished before SIGTERM");
        return;
    }
    assert_eq!(status.code(), Some(143), "{seen}");
    assert!(seen.contains("stopped by SIGTERM"), "{seen}");
    assert_between(&index_dir, &s.v1.docs, &s.v2.docs, "after SIGTERM");
    index_ok(&index_dir, &s.docs, &[]);
    s.v2.assert_same(&index_dir, "after SIGTERM, then a clean run");
}

/// A disk that fills up at several points of an update: the run fails with exit 2 and
/// a message that says the disk is full and names the file, the index keeps its last
/// commit with every hit it had, and a run with space converges.
#[test]
fn a_full_disk_fails_the_run_cleanly_and_keeps_the_last_commit() {
    let s = setup();
    // One commit at the end (the default interval): a full disk anywhere before it
    // leaves version 1 exactly.
    let traced = s.tmp.path().join("traced");
    copy_tree(&s.v1_index, &traced);
    let update = trace(&traced, &s.docs, &[]);
    let total = update.last().map(|p| p.bytes).unwrap_or(0);
    let meta = update
        .iter()
        .find(|p| p.op == "atomic_write" && p.file.ends_with("meta.json"))
        .expect("the update commits meta.json");
    assert!(total > 0 && meta.bytes > 0);
    let budgets = [
        0,
        meta.bytes / 4,
        meta.bytes / 2,
        meta.bytes - 1,
        meta.bytes,
    ];
    for budget in budgets {
        let index_dir = s.tmp.path().join(format!("full-{budget}"));
        copy_tree(&s.v1_index, &index_dir);
        let ended = index(
            &index_dir,
            &s.docs,
            &[],
            Some(&format!("disk-full:{budget}")),
        );
        let context = format!("disk full after {budget} bytes");
        assert_eq!(ended.code, Some(2), "{context}: {}", ended.stderr);
        assert!(
            ended.stderr.contains("the disk is full: could not write")
                && ended.stderr.contains(&index_dir.display().to_string())
                && ended.stderr.contains("No space left on device"),
            "{context}: {}",
            ended.stderr
        );
        assert!(
            ended.stderr.contains(&format!(
                "keeps its last commit ({} documents)",
                s.v1.docs.len()
            )) && ended
                .stderr
                .contains("free some space, then run the same command again to finish"),
            "{context}: {}",
            ended.stderr
        );
        assert!(!ended.stderr.contains("panicked"), "{context}");
        s.v1.assert_same(&index_dir, &context);
        index_ok(&index_dir, &s.docs, &[]);
        s.v2.assert_same(&index_dir, &format!("{context}, then a run with space"));
    }

    // With commits every few documents, a full disk keeps the commits made before.
    let traced = s.tmp.path().join("traced-commits");
    copy_tree(&s.v1_index, &traced);
    let update = trace(&traced, &s.docs, &["--commit-mb", COMMIT_MB]);
    let total = update.last().map(|p| p.bytes).unwrap_or(0);
    for budget in [total / 3, 2 * total / 3] {
        let index_dir = s.tmp.path().join(format!("full-commits-{budget}"));
        copy_tree(&s.v1_index, &index_dir);
        let ended = index(
            &index_dir,
            &s.docs,
            &["--commit-mb", COMMIT_MB],
            Some(&format!("disk-full:{budget}")),
        );
        let context = format!("disk full after {budget} bytes, commits every few documents");
        assert_eq!(ended.code, Some(2), "{context}: {}", ended.stderr);
        assert!(
            ended.stderr.contains("the disk is full"),
            "{context}: {}",
            ended.stderr
        );
        let documents = assert_between(&index_dir, &s.v1.docs, &s.v2.docs, &context);
        assert_eq!(documents_in_message(&ended.stderr), Some(documents));
        index_ok(&index_dir, &s.docs, &[]);
        s.v2.assert_same(&index_dir, &format!("{context}, then a run with space"));
    }

    // A rebuild on a full disk removes its unfinished generation and keeps the old. A
    // rebuild writes less than an update with many commits: its own trace sets the limit.
    let traced = s.tmp.path().join("traced-rebuild");
    copy_tree(&s.v1_index, &traced);
    let rebuild = trace(&traced, &s.docs, &["--rebuild"]);
    let rebuild_total = rebuild.last().map(|p| p.bytes).unwrap_or(0);
    let index_dir = s.tmp.path().join("full-rebuild");
    copy_tree(&s.v1_index, &index_dir);
    let live_before = live(&index_dir);
    let ended = index(
        &index_dir,
        &s.docs,
        &["--rebuild"],
        Some(&format!("disk-full:{}", rebuild_total / 2)),
    );
    assert_eq!(ended.code, Some(2), "{}", ended.stderr);
    assert!(
        ended.stderr.contains("the disk is full")
            && ended.stderr.contains("unfinished generation was removed"),
        "{}",
        ended.stderr
    );
    assert_eq!(live(&index_dir), live_before);
    let (on_disk, _) = generations(&index_dir);
    assert_eq!(on_disk, live_before.iter().cloned().collect());
    s.v1.assert_same(&index_dir, "after a rebuild on a full disk");

    // A first build on a full disk leaves nothing, and says so.
    let index_dir = s.tmp.path().join("full-first");
    let ended = index(&index_dir, &s.docs, &[], Some("disk-full:2000"));
    assert_eq!(ended.code, Some(2), "{}", ended.stderr);
    assert!(
        ended.stderr.contains("the disk is full") && ended.stderr.contains("nothing was kept"),
        "{}",
        ended.stderr
    );
    assert!(
        !index_dir.exists(),
        "the failed first build left its folder"
    );
    index_ok(&index_dir, &s.docs, &[]);
    s.v2.assert_same(&index_dir, "a first build after a full disk");
}

/// A mistyped `QUORUM_FAULT` fails the run rather than running without the fault.
#[test]
fn a_fault_variable_that_cannot_be_read_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write_fixture(&docs, 1);
    let index_dir = tmp.path().join("index");
    let ended = index(&index_dir, &docs, &[], Some("kill:soon"));
    assert_eq!(ended.code, Some(2), "{}", ended.stderr);
    assert!(ended.stderr.contains("QUORUM_FAULT"), "{}", ended.stderr);
    assert!(!index_dir.exists());
}

/// How this test can run quorum without the right to write the index: as an
/// unprivileged user through `setpriv` when it runs as root (whom permissions do not
/// stop), or with the write bits taken off otherwise.
enum ReadOnly {
    /// Runs quorum as `nobody`, from a copy of the binary it can execute.
    Setpriv(PathBuf),
    /// The index's write bits are off.
    Chmod,
}

impl ReadOnly {
    fn command(&self) -> Command {
        match self {
            ReadOnly::Setpriv(binary) => {
                let mut cmd = Command::new("setpriv");
                cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                    .arg(binary)
                    .env("NO_COLOR", "1")
                    .env_remove("QUORUM_INDEX")
                    .env_remove("QUORUM_FAULT")
                    .env("XDG_DATA_HOME", "/nonexistent")
                    .stdin(Stdio::null());
                cmd
            }
            ReadOnly::Chmod => quorum_command(),
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Sets the mode of every file and folder under `dir`.
fn set_modes(dir: &Path, file_mode: u32, dir_mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(dir_mode)).unwrap();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            set_modes(&entry.path(), file_mode, dir_mode);
        } else {
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(file_mode)).unwrap();
        }
    }
}

/// Lists a folder tree with each file's size, to show nothing was written.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            for (name, size) in listing(&path) {
                out.push((
                    format!("{}/{name}", entry.file_name().to_string_lossy()),
                    size,
                ));
            }
        } else {
            out.push((
                entry.file_name().to_string_lossy().into_owned(),
                entry.metadata().map(|m| m.len()).unwrap_or(0),
            ));
        }
    }
    out.sort();
    out
}

/// A read-only index folder: search, stats, export and serve work (tantivy's reader
/// takes its meta lock by creating `.tantivy-meta.lock`, which quorum's directory
/// skips where it cannot be created), and `quorum index` fails clearly, writing nothing.
#[test]
fn a_read_only_index_is_searched_and_served_and_index_fails_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write_fixture(&docs, 1);
    let index_dir = tmp.path().join("index");
    index_ok(&index_dir, &docs, &[]);
    let reference = Reference::of(&index_dir);
    let mode = if is_root() {
        if Command::new("setpriv").arg("--version").output().is_err() {
            eprintln!(
                "skipped a_read_only_index_is_searched_and_served_and_index_fails_clearly: \
                 running as root, whom permissions do not stop, and setpriv (util-linux) is \
                 not installed to run quorum as another user"
            );
            return;
        }
        // `nobody` must reach the index and run the binary: the temporary folder is
        // private to root, and the binary may lie under a private home.
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let binary = tmp.path().join("quorum");
        fs::copy(QUORUM, &binary).unwrap();
        fs::set_permissions(&binary, fs::Permissions::from_mode(0o755)).unwrap();
        set_modes(&index_dir, 0o644, 0o755);
        set_modes(&docs, 0o644, 0o755);
        ReadOnly::Setpriv(binary)
    } else {
        set_modes(&index_dir, 0o444, 0o555);
        ReadOnly::Chmod
    };
    let before = listing(&index_dir);

    for (query, expected) in QUERIES.iter().zip(&reference.hits) {
        let found = hits_with(mode.command(), &index_dir, query);
        assert_eq!(&found, expected, "search {query} on a read-only index");
    }
    for args in [&["stats"][..], &["export"][..]] {
        let output = mode
            .command()
            .args(args)
            .arg("--index")
            .arg(&index_dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?} on a read-only index: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let mut server = mode
        .command()
        .arg("serve")
        .arg("--index")
        .arg(&index_dir)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(server.stderr.take().unwrap());
    let (addr, _) = crate::server::wait_for_address(&mut server, &mut stderr);
    let reply = crate::server::get(addr, "/api/search?q=sanctions");
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.json()["total_hits"].as_u64().unwrap_or(0) > 0,
        "{}",
        reply.body
    );

    let output = mode
        .command()
        .arg("index")
        .arg("--quiet")
        .arg("--index")
        .arg(&index_dir)
        .arg(&docs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is read-only for this process")
            && stderr.contains(&index_dir.display().to_string())
            && stderr.contains("searching and serving it still work"),
        "{stderr}"
    );
    assert_eq!(
        listing(&index_dir),
        before,
        "the refused run wrote something"
    );
    if matches!(mode, ReadOnly::Chmod) {
        set_modes(&index_dir, 0o644, 0o755);
    }
}
