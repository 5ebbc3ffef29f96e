//! Tests: building, updating and rebuilding an index through the `quorum` binary.
//!
//! Every test works in its own temporary directory. The tests that need a run to last
//! long enough to be interrupted (the writers' lock, search during `--rebuild`, SIGKILL)
//! write a synthetic or scaled corpus of a few MB: the debug binary indexes about
//! 0.5 MB/s on two shared cores, so a few MB give seconds of work, which is enough to
//! act while a run is going and keeps each test near or under a minute.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{hit_keys, quorum, shared_dir};

/// The binary, for runs that go on in the background (assert_cmd only runs to the end).
const QUORUM: &str = env!("CARGO_BIN_EXE_quorum");

/// A `docs/` folder under `root` holding `files`, and the index path beside it.
fn docs_folder(root: &Path, files: &[(&str, &str)]) -> (PathBuf, PathBuf) {
    let docs = root.join("docs");
    fs::create_dir(&docs).unwrap();
    for (name, text) in files {
        fs::write(docs.join(name), text).unwrap();
    }
    (docs, root.join("index"))
}

/// A hit set: `(id, lang, passage)` of every hit, without order or scores.
type HitSet = BTreeSet<(String, String, u64)>;

/// Runs `quorum index --index INDEX ARGS...` and returns its output, whatever its status.
fn run_index(index: &Path, args: &[&str], paths: &[&Path]) -> Output {
    quorum()
        .arg("index")
        .arg("--index")
        .arg(index)
        .args(args)
        .args(paths)
        .output()
        .expect("quorum runs")
}

/// Runs `quorum index --json` (plus `args`), asserts success and returns the summary.
fn index_json(index: &Path, args: &[&str], paths: &[&Path]) -> Value {
    crate::util::json_of(
        quorum()
            .args(["index", "--json", "--index"])
            .arg(index)
            .args(args)
            .args(paths),
    )
}

/// `(added, updated, removed, unchanged)` of a summary.
fn counts(summary: &Value) -> (u64, u64, u64, u64) {
    let n = |field: &str| {
        summary[field]
            .as_u64()
            .unwrap_or_else(|| panic!("summary has no `{field}`: {summary}"))
    };
    (n("added"), n("updated"), n("removed"), n("unchanged"))
}

/// The number of inputs skipped for `reason` (0 when the reason is absent).
fn skipped(summary: &Value, reason: &str) -> u64 {
    summary["skipped"][reason].as_u64().unwrap_or(0)
}

/// Runs `quorum search --json --limit 1000` and returns its exit code and parsed output.
fn search(index: &Path, query: &str) -> (i32, Option<Value>, String) {
    let output = quorum()
        .args(["search", "--json", "--limit", "1000", "--index"])
        .arg(index)
        .arg(query)
        .output()
        .expect("quorum runs");
    let code = output.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&output.stdout).ok();
    (
        code,
        json,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The hit set of a query, asserting that the search ran (hits or none) and that the
/// limit did not cut it, so two sets compare whole.
fn hit_set(index: &Path, query: &str) -> HitSet {
    let (code, json, stderr) = search(index, query);
    assert!(
        code == 0 || code == 1,
        "search {query:?} exited {code}: {stderr}"
    );
    let json = json.unwrap_or_else(|| panic!("search {query:?} printed no JSON: {stderr}"));
    // A hit stands for its copies (the same words in other records), which total_hits
    // counts: the set holds them all.
    let copies = json["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|hit| hit["also_in"].as_array().into_iter().flatten())
        .map(|copy| {
            (
                copy["id"].as_str().unwrap_or_default().to_string(),
                copy["lang"].as_str().unwrap_or_default().to_string(),
                copy["passage"].as_u64().unwrap_or_default(),
            )
        });
    let set: HitSet = hit_keys(&json).into_iter().chain(copies).collect();
    assert_eq!(
        json["total_hits"].as_u64(),
        Some(set.len() as u64),
        "search {query:?} has more hits than the limit: choose a rarer query"
    );
    set
}

/// The document ids that a query finds.
fn ids(index: &Path, query: &str) -> BTreeSet<String> {
    hit_set(index, query)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect()
}

/// A set of ids from string literals, for comparisons.
fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Total documents according to `quorum stats --json`, asserting that it exits 0.
fn stats_documents(index: &Path) -> u64 {
    let stats = crate::util::json_of(quorum().args(["stats", "--json", "--index"]).arg(index));
    stats["documents"]
        .as_object()
        .map(|langs| langs.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0)
}

/// The live generation's directory, read from `CURRENT`.
fn live_generation(index: &Path) -> PathBuf {
    let name = fs::read_to_string(index.join("CURRENT")).expect("the index has a CURRENT file");
    index.join(name.trim())
}

/// A JSONL record with a metadata language, so that no detection is involved.
fn record(id: &str, lang: &str, text: &str) -> String {
    serde_json::json!({"id": id, "lang": lang, "text": text}).to_string()
}

/// A `quorum` process in the background, killed (SIGKILL) if the test ends first, so
/// that a failing assertion does not leave it running.
struct Background {
    child: Child,
}

impl Background {
    fn spawn(args: &[&str], index: &Path, paths: &[&Path]) -> Background {
        let child = Command::new(QUORUM)
            .arg("index")
            .arg("--index")
            .arg(index)
            .args(args)
            .args(paths)
            .env("NO_COLOR", "1")
            .env_remove("QUORUM_INDEX")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("quorum starts");
        Background { child }
    }

    /// Waits until the process has used `cpu` of processor time, read from
    /// `/proc/PID/stat`, or has ended; returns whether it still runs.
    ///
    /// Processor time rather than wall time, because it measures how far the run has
    /// gone whatever else the machine is doing (other tests share its two cores).
    /// Where /proc is absent, it waits `cpu` of wall time instead.
    fn run_for_cpu(&mut self, cpu: Duration) -> bool {
        let stat = PathBuf::from(format!("/proc/{}/stat", self.child.id()));
        if !stat.exists() {
            std::thread::sleep(cpu);
            return self.running();
        }
        let used = |stat: &Path| -> Option<Duration> {
            let text = fs::read_to_string(stat).ok()?;
            // Fields after the command name: state, ppid, ..., utime (12th), stime (13th),
            // in clock ticks, which are 1/100 s on Linux.
            let fields: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
            let ticks: u64 =
                fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
            Some(Duration::from_millis(ticks * 10))
        };
        wait_until(Duration::from_secs(300), || {
            !self.running() || used(&stat).is_some_and(|u| u >= cpu)
        });
        self.running()
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the end and returns the exit status and stderr.
    fn wait(mut self) -> (std::process::ExitStatus, String) {
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
        }
        let status = self.child.wait().expect("quorum is waited for");
        (status, stderr)
    }

    /// SIGKILL (what `Child::kill` sends on unix), then reaps the process.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
fn wait_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    condition()
}

/// Writes `dir/synthetic.jsonl`: about `bytes` of English records `PREFIX-000001`, ...
/// made of pseudo-words, where the first `marked` records also hold `marker`.
///
/// Generated here rather than by `scale-corpus` so that the lock and search-during-
/// rebuild tests run without the shared data. Pseudo-words from a fixed generator give
/// tantivy a realistic amount of work (thousands of distinct terms) and never collide
/// with the marker words the tests search for.
fn synthetic_corpus(
    dir: &Path,
    prefix: &str,
    bytes: usize,
    marker: &str,
    marked: usize,
) -> PathBuf {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "be", "du", "fe", "go", "pi", "to", "wa",
        "ye",
    ];
    fs::create_dir_all(dir).expect("corpus dir");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // xorshift64: deterministic and good enough to spread words.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(bytes + 8192);
    let mut n = 0;
    while out.len() < bytes {
        n += 1;
        let mut paragraphs = Vec::new();
        for p in 0..3 + next() % 10 {
            let mut words = Vec::new();
            if p == 0 && n <= marked {
                words.push(marker.to_string());
            }
            for _ in 0..30 + next() % 50 {
                let r = next();
                let syllables = 2 + (r % 3) as usize;
                let word: String = (0..syllables)
                    .map(|i| SYLLABLES[((r >> (8 + 4 * i)) % 16) as usize])
                    .collect();
                words.push(word);
            }
            paragraphs.push(words.join(" ") + ".");
        }
        out.push_str(&record(
            &format!("{prefix}-{n:06}"),
            "en",
            &paragraphs.join("\n\n"),
        ));
        out.push('\n');
    }
    let path = dir.join("synthetic.jsonl");
    fs::write(&path, out).expect("corpus written");
    path
}

/// Writes a scaled corpus of real sentences with `scale-corpus`, or returns `None`
/// after saying why the test is skipped.
fn scaled_corpus(test: &str, dir: &Path, megabytes: u32) -> Option<PathBuf> {
    let tool = shared_dir().join("tools/scale-corpus");
    if !tool.is_file() {
        eprintln!(
            "skipped {test}: {} not found (set QUORUM_SHARED to the folder that holds tools/)",
            tool.display()
        );
        return None;
    }
    let output = Command::new("python3")
        .arg(&tool)
        .arg(dir)
        .arg(megabytes.to_string())
        .output();
    match output {
        Ok(output) if output.status.success() => Some(dir.to_path_buf()),
        Ok(output) => panic!(
            "scale-corpus failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(e) => {
            eprintln!("skipped {test}: python3 cannot run ({e})");
            None
        }
    }
}

const A_TXT: &str =
    "The Security Council discussed the zorvath report on peacekeeping operations.\n";
const B_TXT: &str = "The members of the Council welcomed the quillon agreement on the ceasefire.\n";
const B_TXT_CHANGED: &str =
    "The members of the Council welcomed the marbex agreement on the ceasefire.\n";
const C_TXT: &str = "The Council decided to extend the tolvink mission by six months.\n";
const E_TXT: &str = "The Council condemned the kestrum attacks against civilians.\n";

fn records_jsonl(r2: &str, with_r3: bool) -> String {
    let mut lines = vec![
        record(
            "r1",
            "en",
            "The Council reaffirms the grenwath principle of sovereignty.",
        ),
        record("r2", "en", r2),
    ];
    if with_r3 {
        lines.push(record(
            "r3",
            "en",
            "The Council requests the hovnar report within ninety days.",
        ));
    }
    lines.join("\n") + "\n"
}

/// Adding, changing and deleting files and JSONL records is each counted once, and
/// search sees each change; a run over unchanged input does no work.
#[test]
fn incremental_runs_count_and_reflect_each_change() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(
        tmp.path(),
        &[("a.txt", A_TXT), ("b.txt", B_TXT), ("c.txt", C_TXT)],
    );
    let r2_old = "The Council notes the pazzurk declaration on disarmament.";
    fs::write(docs.join("records.jsonl"), records_jsonl(r2_old, true)).unwrap();

    let first = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&first), (6, 0, 0, 0), "first run: {first}");
    assert_eq!(first["documents"], 6);
    assert_eq!(ids(&index, "quillon"), set(&["b.txt"]));
    assert_eq!(ids(&index, "hovnar"), set(&["r3"]));

    // One of each change: a new file, a changed file, a deleted file, a changed record
    // and a deleted record.
    fs::write(docs.join("e.txt"), E_TXT).unwrap();
    fs::write(docs.join("b.txt"), B_TXT_CHANGED).unwrap();
    fs::remove_file(docs.join("c.txt")).unwrap();
    let r2_new = "The Council notes the feldrix declaration on disarmament.";
    fs::write(docs.join("records.jsonl"), records_jsonl(r2_new, false)).unwrap();

    let second = index_json(&index, &[], &[&docs]);
    // added e.txt; updated b.txt and r2; removed c.txt and r3; unchanged a.txt and r1.
    assert_eq!(counts(&second), (1, 2, 2, 2), "second run: {second}");
    assert_eq!(second["documents"], 5);
    assert_eq!(second["rebuilt"], false);
    for (query, expected) in [
        ("zorvath", set(&["a.txt"])),
        ("quillon", set(&[])),
        ("marbex", set(&["b.txt"])),
        ("tolvink", set(&[])),
        ("kestrum", set(&["e.txt"])),
        ("grenwath", set(&["r1"])),
        ("pazzurk", set(&[])),
        ("feldrix", set(&["r2"])),
        ("hovnar", set(&[])),
    ] {
        assert_eq!(ids(&index, query), expected, "query {query:?}");
    }
    // A deleted document is gone as a whole, not only from the word index.
    let (code, _, stderr) = search(&index, "Council");
    assert_eq!(code, 0, "{stderr}");
    let all = ids(&index, "Council");
    assert_eq!(all, set(&["a.txt", "b.txt", "e.txt", "r1", "r2"]));

    let third = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&third), (0, 0, 0, 5), "third run: {third}");
    assert_eq!(third["passages"], 0, "an unchanged run writes nothing");
    let text = crate::util::index(&index, &[&docs]);
    assert!(
        text.contains("added 0, updated 0, removed 0, unchanged 5"),
        "{text}"
    );
    assert!(
        text.contains("nothing changed: no indexing work done"),
        "{text}"
    );
}

/// `--remove PATH` takes out the documents of PATH only, and leaves the file alone:
/// the next ordinary run adds it back.
#[test]
fn remove_takes_documents_out_but_keeps_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(tmp.path(), &[("a.txt", A_TXT), ("b.txt", B_TXT)]);
    let r2 = "The Council notes the pazzurk declaration on disarmament.";
    fs::write(docs.join("records.jsonl"), records_jsonl(r2, true)).unwrap();
    assert_eq!(counts(&index_json(&index, &[], &[&docs])), (5, 0, 0, 0));

    let removed = index_json(&index, &["--remove"], &[&docs.join("a.txt")]);
    assert_eq!(counts(&removed), (0, 0, 1, 0), "{removed}");
    assert_eq!(removed["documents"], 4);
    assert!(
        docs.join("a.txt").is_file(),
        "--remove must not delete the file"
    );
    assert_eq!(ids(&index, "zorvath"), set(&[]));
    assert_eq!(ids(&index, "quillon"), set(&["b.txt"]));

    // A JSONL file's documents go all together.
    let removed = index_json(&index, &["--remove"], &[&docs.join("records.jsonl")]);
    assert_eq!(counts(&removed), (0, 0, 3, 0), "{removed}");
    assert_eq!(ids(&index, "grenwath"), set(&[]));
    assert_eq!(ids(&index, "quillon"), set(&["b.txt"]));

    let again = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&again), (4, 0, 0, 1), "{again}");
    assert_eq!(ids(&index, "zorvath"), set(&["a.txt"]));

    // --remove without a path is an error, not "remove everything".
    let output = run_index(&index, &["--remove"], &[]);
    assert_eq!(output.status.code(), Some(2));
}

/// Two records with the same id and language in one run: the first in path order is
/// indexed, the other is skipped as a duplicate; the same id in another language is
/// not a duplicate.
#[test]
fn duplicate_keys_keep_the_first_in_path_order() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(tmp.path(), &[]);
    let a = [
        record(
            "S/RES/1",
            "en",
            "The Council decides on the vantrel question.",
        ),
        record("only-a", "en", "The Council notes the brisolt letter."),
    ];
    let b = [
        record(
            "S/RES/1",
            "en",
            "The Council decides on the quorphex question.",
        ),
        record(
            "S/RES/1",
            "fr",
            "Le Conseil décide de la question de droumelle.",
        ),
    ];
    // b.jsonl comes after a.jsonl in path order, whatever order they are written in.
    fs::write(docs.join("b.jsonl"), b.join("\n") + "\n").unwrap();
    fs::write(docs.join("a.jsonl"), a.join("\n") + "\n").unwrap();

    let summary = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&summary), (3, 0, 0, 0), "{summary}");
    assert_eq!(skipped(&summary, "duplicate"), 1, "{summary}");
    assert_eq!(summary["documents"], 3);
    assert_eq!(ids(&index, "vantrel"), set(&["S/RES/1"]));
    assert_eq!(ids(&index, "quorphex"), set(&[]), "the later duplicate won");
    assert_eq!(ids(&index, "droumelle"), set(&["S/RES/1"]));

    // The outcome is stable: a second run changes nothing and skips the same record.
    let again = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&again), (0, 0, 0, 3), "{again}");
    assert_eq!(skipped(&again, "duplicate"), 1, "{again}");
    assert_eq!(ids(&index, "vantrel"), set(&["S/RES/1"]));

    // Once the first holder is gone, the other takes the key over.
    fs::remove_file(docs.join("a.jsonl")).unwrap();
    let after = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&after), (0, 1, 1, 1), "{after}");
    assert_eq!(skipped(&after, "duplicate"), 0, "{after}");
    assert_eq!(ids(&index, "quorphex"), set(&["S/RES/1"]));
    assert_eq!(ids(&index, "vantrel"), set(&[]));
}

/// A second writer fails at once, with exit status 2 and a clear message, while the
/// first holds the lock; readers are not blocked; the lock dies with its process.
#[test]
fn a_second_writer_fails_at_once_while_the_first_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tmp.path().join("small");
    fs::create_dir(&small).unwrap();
    fs::write(small.join("a.txt"), A_TXT).unwrap();

    // The first writer must still be running when the second starts: if the input is
    // indexed before that, try again with a larger one.
    for megabytes in [3, 12] {
        let index = tmp.path().join(format!("index-{megabytes}"));
        let corpus = tmp.path().join(format!("big-{megabytes}"));
        synthetic_corpus(&corpus, "big", megabytes * 1_000_000, "lockmark", 1);
        let mut first = Background::spawn(&["--quiet"], &index, &[&corpus]);
        // The first build takes the lock and then publishes an empty generation, so
        // CURRENT existing means that the lock is held.
        let held = wait_until(Duration::from_secs(30), || {
            index.join("CURRENT").is_file() || !first.running()
        });
        assert!(held, "the first writer neither started nor ended in 30 s");
        if !first.running() {
            eprintln!("{megabytes} MB were indexed too fast to race: enlarging");
            continue;
        }

        let started = Instant::now();
        let outputs = [
            run_index(&index, &["--quiet"], &[&small]),
            run_index(&index, &["--quiet", "--rebuild"], &[&small]),
            run_index(&index, &["--quiet", "--remove"], &[&small.join("a.txt")]),
        ];
        let elapsed = started.elapsed();
        // Readers take no lock: a search answers from the last commit meanwhile.
        let (search_code, _, search_stderr) = search(&index, "lockmark");
        let still_running = first.running();
        if !still_running && outputs.iter().any(|o| o.status.success()) {
            eprintln!("the first writer ended during the check: enlarging");
            continue;
        }
        for output in &outputs {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
            assert!(
                stderr.contains("is being updated by another process"),
                "stderr: {stderr}"
            );
        }
        assert!(
            elapsed < Duration::from_secs(10),
            "a busy index should fail at once, three attempts took {elapsed:?}"
        );
        assert!(
            search_code == 0 || search_code == 1,
            "search during a write exited {search_code}: {search_stderr}"
        );

        // The OS releases the lock when its holder dies, even by SIGKILL.
        first.kill();
        assert!(index.join(".lock").exists(), "the lock file stays behind");
        let after = index_json(&index, &["--quiet"], &[&small]);
        assert_eq!(counts(&after).0, 1, "{after}");
        return;
    }
    panic!("even 12 MB were indexed before a second writer could start");
}

/// Searches during a `--rebuild` answer from the old index or from the new one, never
/// fail, and see the new one once it is swapped in.
#[test]
fn search_during_rebuild_answers_from_old_or_new() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old");
    let new = tmp.path().join("new");
    let index = tmp.path().join("index");
    synthetic_corpus(&old, "old", 30_000, "oldmarker", 5);
    synthetic_corpus(&new, "new", 3_000_000, "newmarker", 20);
    index_json(&index, &["--quiet"], &[&old]);
    let query = "oldmarker OR newmarker";
    let old_set = hit_set(&index, query);
    assert_eq!(old_set.len(), 5, "{old_set:?}");

    let mut rebuild = Background::spawn(&["--quiet", "--rebuild"], &index, &[&new]);
    let started = Instant::now();
    let mut seen: Vec<HitSet> = Vec::new();
    let mut during = 0;
    // Bounded: at most 300 searches or 90 s, whichever comes first.
    while rebuild.running() && seen.len() < 300 && started.elapsed() < Duration::from_secs(90) {
        let (code, json, stderr) = search(&index, query);
        assert!(
            code == 0 || code == 1,
            "search {} during the rebuild exited {code}: {stderr}",
            seen.len() + 1
        );
        let json = json.unwrap_or_else(|| panic!("no JSON during the rebuild: {stderr}"));
        seen.push(hit_keys(&json).into_iter().collect());
        if rebuild.running() {
            during += 1;
        }
    }
    let (status, stderr) = rebuild.wait();
    assert!(status.success(), "the rebuild failed: {stderr}");
    assert!(during > 0, "no search ran while the rebuild did");

    let new_set = hit_set(&index, query);
    assert_eq!(new_set.len(), 20, "{new_set:?}");
    assert!(new_set.iter().all(|(id, _, _)| id.starts_with("new-")));
    let mixed: Vec<&HitSet> = seen
        .iter()
        .filter(|s| **s != old_set && **s != new_set)
        .collect();
    assert!(
        mixed.is_empty(),
        "{} of {} searches answered from neither index, e.g. {:?}",
        mixed.len(),
        seen.len(),
        mixed.first()
    );
    eprintln!(
        "{} searches during the rebuild, {} of them answered by the old index",
        seen.len(),
        seen.iter().filter(|s| **s == old_set).count()
    );
    assert_eq!(ids(&index, "oldmarker"), set(&[]));
}

/// SIGKILL at several points of a build leaves an index that opens, and a run to the
/// end then gives the same documents and hits as a clean build.
#[test]
fn killed_builds_leave_an_index_that_opens_and_converges() {
    let tmp = tempfile::tempdir().unwrap();
    // 6 MB rather than 20: the debug binary needs about 10 s for it, and this test
    // builds the corpus twice (clean, then in interrupted runs).
    let Some(corpus) = scaled_corpus(
        "killed_builds_leave_an_index_that_opens_and_converges",
        &tmp.path().join("corpus"),
        6,
    ) else {
        return;
    };
    let french = corpus.join("scaled.fr.jsonl");
    let clean = tmp.path().join("clean");
    let killed = tmp.path().join("killed");
    let queries = [
        "\"territorial integrity\"",
        "réfugiés",
        "sanctions",
        "Kosovo",
        "désarmement",
        "mercenaries",
    ];

    let clean_summary = index_json(&clean, &["--quiet"], &[&corpus]);
    let clean_documents = clean_summary["documents"].as_u64().unwrap();
    let clean_hits: Vec<HitSet> = queries.iter().map(|q| hit_set(&clean, q)).collect();
    assert!(
        clean_hits.iter().all(|h| !h.is_empty()),
        "every query finds something"
    );

    // A first build killed early: it publishes an empty generation before any work,
    // so the index opens (and is empty) unless the kill came before even that.
    let run = Background::spawn(&["--quiet"], &killed, &[&corpus]);
    std::thread::sleep(Duration::from_millis(500));
    run.kill();
    if killed.join("CURRENT").is_file() {
        assert_eq!(stats_documents(&killed), 0);
        let (code, _, stderr) = search(&killed, "sanctions");
        assert!(code == 0 || code == 1, "search exited {code}: {stderr}");
    } else {
        let (code, _, stderr) = search(&killed, "sanctions");
        assert_eq!(code, 2);
        assert!(stderr.contains("no index"), "{stderr}");
    }

    // Commit the French half to the end, so that later kills have committed work to
    // lose. Every later run is below the 32 MB commit interval, so its kill must leave
    // exactly what was committed here.
    let french_summary = index_json(&killed, &["--quiet"], &[&french]);
    let french_documents = french_summary["documents"].as_u64().unwrap();
    assert!(french_documents > 0 && french_documents < clean_documents);

    // These runs have the English half to add (about 2 s of processor time in a debug
    // build, whose dependencies are optimized) and read scaled.en.jsonl first: kills
    // after 0.4 s and 1 s of processor time fall in the middle of the adding.
    for millis in [400, 1000] {
        let delay = Duration::from_millis(millis);
        let mut run = Background::spawn(&["--quiet"], &killed, &[&corpus]);
        assert!(
            run.run_for_cpu(delay),
            "the run ended within {delay:?} of processor time: the corpus is too small \
             to kill it part-way"
        );
        run.kill();
        assert_eq!(
            stats_documents(&killed),
            french_documents,
            "after a kill at {delay:?}"
        );
        let (code, _, stderr) = search(&killed, "réfugiés");
        assert_eq!(code, 0, "after a kill at {delay:?}: {stderr}");
    }

    // With a commit every MB, a kill once a mid-run commit is visible keeps what was
    // committed: more than the French half. Waiting for the commit itself, not for a
    // fixed time, keeps this independent of the machine's load.
    let mut run = Background::spawn(&["--quiet", "--commit-mb", "1"], &killed, &[&corpus]);
    let deadline = Instant::now() + Duration::from_secs(120);
    while stats_documents(&killed) <= french_documents {
        assert!(
            run.running(),
            "the run ended before a mid-run commit was seen"
        );
        assert!(Instant::now() < deadline, "no mid-run commit within 120 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    run.kill();
    let kept = stats_documents(&killed);
    assert!(
        kept > french_documents && kept <= clean_documents,
        "after a kill with commits every MB: {kept} documents, French half {french_documents}"
    );

    // A rebuild killed part-way leaves the old generation live.
    let live = live_generation(&killed);
    let mut run = Background::spawn(&["--quiet", "--rebuild"], &killed, &[&corpus]);
    // A rebuild redoes the whole corpus (about 4 s of processor time).
    assert!(
        run.run_for_cpu(Duration::from_millis(1500)),
        "the rebuild ended within 1.5 s of processor time"
    );
    run.kill();
    assert_eq!(live_generation(&killed), live);
    assert_eq!(stats_documents(&killed), kept);
    let newest = marked_generations(&killed)
        .into_iter()
        .max_by_key(|name| name.trim_start_matches("gen-").parse::<u64>().unwrap_or(0))
        .map(|name| killed.join(name))
        .unwrap();
    assert_ne!(newest, live, "the killed rebuild made a generation");

    let last = index_json(&killed, &["--quiet"], &[&corpus]);
    // issue 9, item 1: the interrupted rebuild's generation is quorum's, and goes.
    assert!(!newest.exists(), "{} is left", newest.display());
    let (added, updated, removed, unchanged) = counts(&last);
    assert_eq!(
        (added, updated, removed, unchanged),
        (clean_documents - kept, 0, 0, kept),
        "{last}"
    );
    assert_eq!(last["documents"].as_u64(), Some(clean_documents));
    assert_eq!(stats_documents(&killed), clean_documents);
    for (query, expected) in queries.iter().zip(&clean_hits) {
        assert_eq!(&hit_set(&killed, query), expected, "query {query}");
    }
}

/// An index built by another analysis or schema version is rebuilt by the next run,
/// which says so; search works before and after.
#[test]
fn a_version_change_rebuilds_the_index() {
    for field in ["analysis_version", "schema_version"] {
        let tmp = tempfile::tempdir().unwrap();
        let (docs, index) = docs_folder(tmp.path(), &[("a.txt", A_TXT), ("b.txt", B_TXT)]);
        index_json(&index, &[], &[&docs]);

        let meta_path = live_generation(&index).join("quorum.json");
        let mut meta: Value = serde_json::from_slice(&fs::read(&meta_path).unwrap()).unwrap();
        assert!(meta[field].is_u64(), "quorum.json has no {field}: {meta}");
        meta[field] = 0.into();
        fs::write(&meta_path, serde_json::to_vec_pretty(&meta).unwrap()).unwrap();
        let old_live = live_generation(&index);

        let summary = index_json(&index, &[], &[&docs]);
        assert_eq!(summary["rebuilt"], true, "{field}: {summary}");
        let reason = summary["rebuild_reason"].as_str().unwrap_or_else(|| {
            panic!("{field}: rebuild_reason is null: {summary}");
        });
        assert!(reason.contains("rebuilding"), "{reason}");
        // A rebuild starts from nothing, so every document counts as added.
        assert_eq!(counts(&summary), (2, 0, 0, 0), "{field}: {summary}");
        assert_ne!(
            live_generation(&index),
            old_live,
            "a new generation is live"
        );
        let meta: Value =
            serde_json::from_slice(&fs::read(live_generation(&index).join("quorum.json")).unwrap())
                .unwrap();
        assert_ne!(meta[field], 0, "{field}: {meta}");
        assert_eq!(ids(&index, "zorvath"), set(&["a.txt"]));

        // The text output names the reason too; the run after that is a no-op.
        let text = crate::util::index(&index, &[&docs]);
        assert!(text.contains("nothing changed"), "{field}: {text}");
    }
}

/// Builds an index of `docs/{a,b}.txt` and `other/e.txt`, then marks it as built by
/// analysis version 0, as an index left by an older quorum would be.
fn old_version_index(root: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let docs = root.join("docs");
    let other = root.join("other");
    let index = root.join("index");
    fs::create_dir(&docs).unwrap();
    fs::create_dir(&other).unwrap();
    fs::write(docs.join("a.txt"), A_TXT).unwrap();
    fs::write(docs.join("b.txt"), B_TXT).unwrap();
    fs::write(other.join("e.txt"), E_TXT).unwrap();
    assert_eq!(index_json(&index, &[], &[&docs, &other])["documents"], 3);
    set_analysis_version(&index, 0);
    (docs, other, index)
}

/// Rewrites the live generation's analysis version; returns the one it had.
fn set_analysis_version(index: &Path, version: u64) -> u64 {
    let meta_path = live_generation(index).join("quorum.json");
    let mut meta: Value = serde_json::from_slice(&fs::read(&meta_path).unwrap()).unwrap();
    let old = meta["analysis_version"].as_u64().unwrap();
    meta["analysis_version"] = version.into();
    fs::write(&meta_path, serde_json::to_vec_pretty(&meta).unwrap()).unwrap();
    old
}

/// A run that must not rebuild an outdated index from only part of it refuses, with
/// a pointer to `--rebuild`, and leaves the index as it was: with its version number
/// put back, every document is still there.
fn assert_refused_and_untouched(output: &Output, index: &Path) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--rebuild"), "{stderr}");
    // Search refuses an outdated index too.
    assert_eq!(search(index, "quillon").0, 2);
    set_analysis_version(index, quorum::analysis::ANALYSIS_VERSION.into());
    assert_eq!(ids(index, "zorvath"), set(&["a.txt"]), "{stderr}");
    assert_eq!(ids(index, "quillon"), set(&["b.txt"]), "{stderr}");
    assert_eq!(ids(index, "kestrum"), set(&["e.txt"]), "{stderr}");
}

/// `--remove` on an index of an older version must not publish an empty index: it
/// refuses.
#[test]
fn remove_on_an_old_version_index_keeps_the_other_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, _, index) = old_version_index(tmp.path());
    let output = run_index(&index, &["--json", "--remove"], &[&docs.join("a.txt")]);
    assert_refused_and_untouched(&output, &index);
}

/// The automatic rebuild after a version change, run on some of the indexed paths,
/// must not silently drop the documents of the others: it refuses, while a run on
/// every path rebuilds.
#[test]
fn an_automatic_rebuild_on_some_paths_keeps_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, other, index) = old_version_index(tmp.path());
    let output = run_index(&index, &["--json"], &[&docs]);
    assert_refused_and_untouched(&output, &index);
    set_analysis_version(&index, 0);
    let summary = index_json(&index, &[], &[&docs, &other]);
    assert_eq!(summary["rebuilt"], true, "{summary}");
    assert_eq!(ids(&index, "kestrum"), set(&["e.txt"]));
}

/// An index with one document whose live generation is then damaged by `damage`.
fn damaged_index(tmp: &Path, damage: impl FnOnce(&Path)) -> (PathBuf, PathBuf) {
    let (docs, index) = docs_folder(tmp, &[("a.txt", A_TXT)]);
    index_json(&index, &[], &[&docs]);
    damage(&live_generation(&index));
    (docs, index)
}

/// Search, stats and an ordinary run fail with status 2 and point to `--rebuild`,
/// and `--rebuild` repairs the index.
fn assert_rebuild_repairs(docs: &Path, index: &Path) {
    let (code, _, stderr) = search(index, "zorvath");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--rebuild"), "{stderr}");
    let stats = quorum()
        .args(["stats", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert_eq!(stats.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stats.stderr).contains("--rebuild"));
    let update = run_index(index, &["--quiet"], &[docs]);
    assert_eq!(update.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&update.stderr).contains("--rebuild"));

    let repaired = index_json(index, &["--rebuild"], &[docs]);
    assert_eq!(counts(&repaired), (1, 0, 0, 0), "{repaired}");
    assert_eq!(ids(index, "zorvath"), set(&["a.txt"]));
}

/// A damaged live generation: its tantivy `meta.json` emptied.
#[test]
fn a_truncated_meta_json_is_reported_and_rebuild_repairs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = damaged_index(tmp.path(), |generation| {
        fs::write(generation.join("meta.json"), b"").unwrap();
    });
    assert_rebuild_repairs(&docs, &index);
}

/// The same with a segment file cut short rather than meta.json: `Index::open_in_dir`
/// succeeds (it reads only meta.json), and the damage shows when segments are opened.
#[test]
fn a_truncated_segment_file_is_reported_and_rebuild_repairs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = damaged_index(tmp.path(), |generation| {
        let term_file = fs::read_dir(generation)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "term"))
            .expect("a segment has a .term file");
        fs::write(&term_file, b"").unwrap();
    });
    assert_rebuild_repairs(&docs, &index);
}

/// True when this process can read a file it has removed every permission from
/// (root can), so that an "unreadable" file would not be.
fn permissions_are_ignored(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let readable = fs::read(&probe).is_ok();
    fs::remove_file(&probe).unwrap();
    readable
}

/// Bad input under `--rebuild`: a broken JSONL line, an empty, a binary and an
/// unreadable file are skipped and counted, the rest is indexed; and an incremental
/// run that meets a file gone bad keeps what it had indexed from it.
#[test]
fn bad_input_is_skipped_and_never_loses_indexed_documents() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(tmp.path(), &[]);
    let as_root = permissions_are_ignored(tmp.path());
    if as_root {
        eprintln!("running as root: a chmod 000 file stays readable, unreadable files not tested");
    }
    fs::write(docs.join("a.txt"), A_TXT).unwrap();
    fs::write(docs.join("gone.txt"), C_TXT).unwrap();
    index_json(&index, &[], &[&docs]);

    let mixed = [
        record("m1", "en", "The Council welcomes the ostravel initiative."),
        "{\"id\": \"m2\", \"lang\": \"en\", \"text\": \"cut sh".to_string(),
        record("m3", "en", "The Council regrets the pelmonk incident."),
    ];
    fs::write(docs.join("mixed.jsonl"), mixed.join("\n") + "\n").unwrap();
    fs::write(docs.join("empty.txt"), b"").unwrap();
    fs::write(
        docs.join("blob.txt"),
        b"\x00\x01\x02PK\x03\x04\x00\xff\xfe binary",
    )
    .unwrap();
    fs::write(docs.join("locked.txt"), E_TXT).unwrap();
    fs::set_permissions(docs.join("locked.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::remove_file(docs.join("gone.txt")).unwrap();

    let output = run_index(&index, &["--json", "--rebuild"], &[&docs]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["rebuilt"], true);
    assert_eq!(skipped(&summary, "invalid_json"), 1, "{summary}");
    assert_eq!(skipped(&summary, "empty"), 1, "{summary}");
    assert_eq!(skipped(&summary, "binary"), 1, "{summary}");
    let mixed_path = docs.join("mixed.jsonl");
    assert!(
        stderr.contains(&format!("{}:2:", mixed_path.display())),
        "stderr should name mixed.jsonl:2: {stderr}"
    );
    assert_eq!(ids(&index, "ostravel"), set(&["m1"]));
    assert_eq!(ids(&index, "pelmonk"), set(&["m3"]));
    assert_eq!(
        ids(&index, "tolvink"),
        set(&[]),
        "a deleted file is not rebuilt"
    );
    if as_root {
        assert_eq!(ids(&index, "kestrum"), set(&["locked.txt"]));
    } else {
        assert_eq!(skipped(&summary, "unreadable"), 1, "{summary}");
        assert!(stderr.contains("locked.txt"), "{stderr}");
        assert_eq!(ids(&index, "kestrum"), set(&[]));
    }

    // Files that were fine go bad: a text file turns binary, a record's line breaks,
    // and (not as root) a file becomes unreadable. Their indexed documents stay.
    fs::set_permissions(docs.join("locked.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    index_json(&index, &[], &[&docs]);
    assert_eq!(ids(&index, "kestrum"), set(&["locked.txt"]));
    let before = stats_documents(&index);
    fs::write(docs.join("a.txt"), b"\x00\x00\x00\x00 now binary").unwrap();
    let broken = [
        "{\"id\": \"m1\", \"lang\": \"en\", \"te".to_string(),
        mixed[2].clone(),
    ];
    fs::write(&mixed_path, broken.join("\n") + "\n").unwrap();
    if !as_root {
        fs::set_permissions(docs.join("locked.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    }
    let summary = index_json(&index, &[], &[&docs]);
    let (_, _, removed, _) = counts(&summary);
    assert_eq!(removed, 0, "{summary}");
    assert_eq!(summary["documents"].as_u64(), Some(before), "{summary}");
    assert_eq!(skipped(&summary, "binary"), 2, "{summary}");
    assert_eq!(skipped(&summary, "invalid_json"), 1, "{summary}");
    assert_eq!(ids(&index, "zorvath"), set(&["a.txt"]));
    assert_eq!(ids(&index, "ostravel"), set(&["m1"]));
    assert_eq!(ids(&index, "pelmonk"), set(&["m3"]));
    assert_eq!(ids(&index, "kestrum"), set(&["locked.txt"]));
    fs::set_permissions(docs.join("locked.txt"), fs::Permissions::from_mode(0o644)).unwrap();

    // A file deleted between runs is removed, bad neighbours or not.
    fs::remove_file(docs.join("locked.txt")).unwrap();
    let summary = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&summary).2, 1, "{summary}");
    assert_eq!(ids(&index, "kestrum"), set(&[]));
}

/// A 10 MB text file of one line (no paragraph break anywhere) indexes without
/// crashing, cut into passages.
///
/// 10 MB rather than the 100 MB of the worst case: the debug binary analyses about
/// 0.5 MB/s, so 100 MB would take minutes; 10 MB is still far beyond any line or
/// passage buffer and takes about 20 s.
#[test]
fn a_huge_single_line_file_indexes() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(tmp.path(), &[]);
    const WORDS: [&str; 12] = [
        "council",
        "security",
        "resolution",
        "peace",
        "decides",
        "member",
        "states",
        "nations",
        "mission",
        "ceasefire",
        "parties",
        "calls",
    ];
    let mut line = String::with_capacity(10_000_100);
    let mut i: usize = 0;
    while line.len() < 10_000_000 {
        i = i.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        line.push_str(WORDS[(i >> 16) % WORDS.len()]);
        line.push(' ');
    }
    line.push_str("vandremox");
    fs::write(docs.join("one-line.txt"), &line).unwrap();

    let summary = index_json(&index, &["--quiet", "--rebuild"], &[&docs]);
    assert_eq!(counts(&summary), (1, 0, 0, 0), "{summary}");
    assert!(summary["passages"].as_u64().unwrap() > 100, "{summary}");
    let hits = hit_set(&index, "vandremox");
    assert_eq!(hits.len(), 1, "{hits:?}");
    // Unchanged, it costs a read but no indexing.
    let again = index_json(&index, &["--quiet"], &[&docs]);
    assert_eq!(counts(&again), (0, 0, 0, 1), "{again}");
}

/// The names in a folder, sorted, folders ending in `/`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                name + "/"
            } else {
                name
            }
        })
        .collect();
    names.sort();
    names
}

/// The generations that an index's marker says quorum made.
fn marked_generations(index: &Path) -> Vec<String> {
    let marker: Value =
        serde_json::from_slice(&fs::read(index.join("quorum-index.json")).expect("a marker"))
            .expect("the marker is JSON");
    assert_eq!(marker["format"], 1, "{marker}");
    assert_eq!(marker["quorum"], env!("CARGO_PKG_VERSION"), "{marker}");
    let mut names: Vec<String> = marker["generations"]
        .as_array()
        .expect("a list of generations")
        .iter()
        .map(|g| g.as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

// issue 9, item 1: `quorum index --index DIR` deleted `gen-*` folders it did not make.
#[test]
fn index_refuses_a_folder_it_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    let g2 = tmp.path().join("g2");
    fs::create_dir_all(g2.join("gen-0")).unwrap();
    fs::create_dir_all(g2.join("gen-7")).unwrap();
    fs::write(g2.join("gen-7/precious.txt"), "precious\n").unwrap();
    let some = tmp.path().join("some.txt");
    fs::write(&some, A_TXT).unwrap();

    let output = run_index(&g2, &[], &[&some]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("is not a quorum index") && stderr.contains("gen-0/, gen-7/"),
        "the refusal names what is there: {stderr}"
    );
    // Nothing was removed, and nothing was written either.
    assert_eq!(listing(&g2), ["gen-0/", "gen-7/"]);
    assert_eq!(
        fs::read_to_string(g2.join("gen-7/precious.txt")).unwrap(),
        "precious\n"
    );

    // A README and dotfiles do not count: the repository's own `index/` ships a README.
    let shipped = tmp.path().join("shipped");
    fs::create_dir(&shipped).unwrap();
    fs::write(shipped.join("README.md"), "# Default index\n").unwrap();
    fs::write(shipped.join(".gitignore"), "*\n").unwrap();
    let summary = index_json(&shipped, &[], &[&some]);
    assert_eq!(summary["documents"], 1, "{summary}");
    assert_eq!(marked_generations(&shipped), ["gen-1"]);
    assert!(shipped.join("README.md").is_file());
}

// issue 9, item 1: an index made before the marker is accepted and marked, and only the
// generations that hold quorum's metadata become its own.
#[test]
fn an_index_made_before_the_marker_is_accepted_and_marked() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(tmp.path(), &[("a.txt", A_TXT)]);
    index_json(&index, &[], &[&docs]);
    // What an older quorum left: CURRENT and gen-1/quorum.json, no marker. Beside it,
    // a folder of the user's that only looks like a generation.
    fs::remove_file(index.join("quorum-index.json")).unwrap();
    fs::create_dir(index.join("gen-0")).unwrap();
    fs::write(index.join("gen-0/notes.txt"), "mine\n").unwrap();

    fs::write(docs.join("b.txt"), B_TXT).unwrap();
    let summary = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&summary), (1, 0, 0, 1), "{summary}");
    assert_eq!(marked_generations(&index), ["gen-1"]);

    // Rebuilds collect quorum's old generations, never the user's folder.
    index_json(&index, &["--rebuild"], &[&docs]);
    index_json(&index, &["--rebuild"], &[&docs]);
    assert_eq!(marked_generations(&index), ["gen-2", "gen-3"]);
    assert!(
        !index.join("gen-1").exists(),
        "quorum's old generation is collected"
    );
    assert_eq!(
        fs::read_to_string(index.join("gen-0/notes.txt")).unwrap(),
        "mine\n"
    );
    assert_eq!(ids(&index, "quillon"), set(&["b.txt"]));
}

// issue 9, item 1: generations are cleaned up only when the marker names them, and a
// real interrupted rebuild's generation is one that it names.
#[test]
fn an_interrupted_rebuild_is_still_cleaned_up() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(tmp.path(), &[("a.txt", A_TXT)]);
    index_json(&index, &[], &[&docs]);
    // A folder of the user's dropped into the index, numbered past every generation.
    fs::create_dir(index.join("gen-9")).unwrap();
    fs::write(index.join("gen-9/precious.txt"), "precious\n").unwrap();

    for megabytes in [3, 12] {
        let corpus = tmp.path().join(format!("big-{megabytes}"));
        synthetic_corpus(&corpus, "big", megabytes * 1_000_000, "rebuildmark", 1);
        let mut run = Background::spawn(&["--quiet", "--rebuild"], &index, &[&corpus]);
        // The rebuild's generation is numbered past the user's gen-9.
        let started = wait_until(Duration::from_secs(60), || {
            index.join("gen-10/meta.json").is_file() || !run.running()
        });
        if !started || !run.running() {
            eprintln!("the rebuild ended before it could be interrupted: enlarging");
            let _ = run.wait();
            continue;
        }
        run.kill();
        assert_eq!(live_generation(&index), index.join("gen-1"));
        assert!(index.join("gen-10").is_dir());
        assert_eq!(marked_generations(&index), ["gen-1", "gen-10"]);

        let summary = index_json(&index, &[], &[&docs]);
        assert_eq!(counts(&summary), (0, 0, 0, 1), "{summary}");
        assert!(
            !index.join("gen-10").exists(),
            "the interrupted rebuild is removed"
        );
        assert_eq!(marked_generations(&index), ["gen-1"]);
        assert_eq!(
            fs::read_to_string(index.join("gen-9/precious.txt")).unwrap(),
            "precious\n"
        );
        return;
    }
    panic!("even a 12 MB rebuild ended before it could be interrupted");
}

// issue 9, item 4: `./corpus` or `corpus/` after `corpus` re-indexed every document,
// because the content hash took the path as it was typed.
#[test]
fn a_path_spelled_another_way_reindexes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    fs::create_dir_all(corpus.join("sub")).unwrap();
    fs::write(corpus.join("a.txt"), A_TXT).unwrap();
    fs::write(corpus.join("sub/b.txt"), B_TXT).unwrap();
    fs::write(
        corpus.join("r.jsonl"),
        records_jsonl("The Council notes.", true),
    )
    .unwrap();
    let index = tmp.path().join("index");
    let run = |spelling: &str| -> Value {
        crate::util::json_of(
            quorum()
                .current_dir(tmp.path())
                .args(["index", "--json", "--quiet", "--index"])
                .arg(&index)
                .arg(spelling),
        )
    };
    assert_eq!(counts(&run("corpus")), (5, 0, 0, 0));
    for spelling in ["./corpus", "corpus/", "./corpus/"] {
        let summary = run(spelling);
        assert_eq!(counts(&summary), (0, 0, 0, 5), "{spelling}: {summary}");
        assert_eq!(summary["moved"], 0, "{spelling}: {summary}");
        assert_eq!(summary["passages"], 0, "{spelling}: {summary}");
    }
}

// issue 9, item 5: a duplicate key did not say which copy won, and a flip of the
// winning copy with the same text counted as an update.
#[test]
fn duplicate_keys_name_both_copies_and_a_flip_is_no_update() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = docs_folder(tmp.path(), &[]);
    let shared = record("S/RES/9", "en", "The Council notes the vantrel letter.");
    // `a.jsonl` comes first in path order, so its copy wins over `b.jsonl`'s line 2.
    fs::write(docs.join("a.jsonl"), format!("{shared}\n")).unwrap();
    let b_only = record("only-b", "en", "The Council welcomes the brisolt report.");
    fs::write(docs.join("b.jsonl"), format!("{b_only}\n{shared}\n")).unwrap();

    let output = run_index(&index, &["--json"], &[&docs]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let a = docs.join("a.jsonl");
    let b = docs.join("b.jsonl");
    assert!(
        stderr.contains(&format!("{}:2: duplicate", b.display()))
            && stderr.contains(&format!("the copy at {}:1 is kept", a.display())),
        "the warning names the skipped copy and the kept one: {stderr}"
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(counts(&summary), (2, 0, 0, 0), "{summary}");
    let location = |path: &Path, line: u64| serde_json::json!({"path": path, "line": line});
    assert_eq!(
        summary["duplicates"],
        serde_json::json!([{
            "id": "S/RES/9",
            "lang": "en",
            "kept": location(&a, 1),
            "skipped": location(&b, 2),
        }]),
        "{summary}"
    );

    // `b.jsonl` alone: its copy wins now, with the same text, so nothing is updated,
    // and the document points at the copy that won.
    let alone = index_json(&index, &[], &[&b]);
    assert_eq!(counts(&alone), (0, 0, 0, 2), "{alone}");
    assert_eq!(alone["moved"], 1, "{alone}");
    assert_eq!(alone["duplicates"], serde_json::json!([]), "{alone}");
    let path_of = || {
        let response = crate::util::search_json(&index, &["vantrel"]);
        response["hits"][0]["path"].as_str().unwrap().to_string()
    };
    assert_eq!(path_of(), b.display().to_string());

    // The whole folder again: `a.jsonl` wins back, still no update.
    let whole = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&whole), (0, 0, 0, 2), "{whole}");
    assert_eq!(whole["moved"], 1, "{whole}");
    assert_eq!(path_of(), a.display().to_string());
    // And once it is settled, nothing moves.
    let settled = index_json(&index, &[], &[&docs]);
    assert_eq!(
        (settled["moved"].as_u64(), settled["passages"].as_u64()),
        (Some(0), Some(0))
    );

    // With another text, the copy that wins is an update.
    fs::write(
        docs.join("a.jsonl"),
        record("S/RES/9", "en", "The Council notes the quorphex letter.") + "\n",
    )
    .unwrap();
    let changed = index_json(&index, &[], &[&docs]);
    assert_eq!(counts(&changed), (0, 1, 0, 1), "{changed}");
    assert_eq!(ids(&index, "quorphex"), set(&["S/RES/9"]));
}

// issue 9, item 9: `--index` naming a regular file printed
// `File exists (os error 17): File exists (os error 17)`.
#[test]
fn an_index_path_that_is_a_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, _) = docs_folder(tmp.path(), &[("a.txt", A_TXT)]);
    let file = tmp.path().join("notes.txt");
    fs::write(&file, "mine\n").unwrap();
    let expected = format!("{} is a file, not an index folder", file.display());

    let output = run_index(&file, &[], &[&docs]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains(&expected), "stderr: {stderr}");
    assert!(!stderr.contains("os error"), "stderr: {stderr}");

    let (code, _, stderr) = search(&file, "quillon");
    assert_eq!(code, 2, "stderr: {stderr}");
    assert!(stderr.contains(&expected), "stderr: {stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine\n");
}

// issue 9, item 9: a path that does not exist, or a first build that indexes nothing,
// left an index folder holding only `.lock`.
#[test]
fn a_run_that_indexes_nothing_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("I");
    let output = run_index(&index, &[], &[&tmp.path().join("nosuch")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        !index.exists(),
        "the index folder is left: {:?}",
        listing(&index)
    );

    // A first build whose only input is skipped indexes nothing either.
    let (docs, _) = docs_folder(tmp.path(), &[("binary.txt", "\0\0\0\0binary")]);
    let output = run_index(&index, &[], &[&docs]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("binary"), "stderr: {stderr}");
    assert!(
        !index.exists(),
        "the index folder is left: {:?}",
        listing(&index)
    );
    let (code, _, stderr) = search(&index, "quillon");
    assert_eq!(code, 2, "stderr: {stderr}");
    assert!(stderr.contains("no index"), "stderr: {stderr}");

    // In a folder that was there before, only quorum's own files go.
    let shipped = tmp.path().join("shipped");
    fs::create_dir(&shipped).unwrap();
    fs::write(shipped.join("README.md"), "# Default index\n").unwrap();
    let output = run_index(&shipped, &[], &[&tmp.path().join("nosuch")]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(listing(&shipped), ["README.md"]);

    // An index that had documents keeps them when a later run fails.
    fs::write(docs.join("a.txt"), A_TXT).unwrap();
    index_json(&index, &[], &[&docs]);
    let output = run_index(&index, &[], &[&tmp.path().join("nosuch")]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stats_documents(&index), 1);
}
