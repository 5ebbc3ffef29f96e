//! The command line: exit codes, errors, --queries, and the other subcommands.

use std::path::PathBuf;

use crate::util::{index, quorum};

fn small_index() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    std::fs::write(
        docs.join("a.jsonl"),
        concat!(
            r#"{"id": "d1", "lang": "fr", "title": "Article premier", "text": "Les contingents arrivent.\n\nLa paix revient."}"#, "\n",
            r#"{"id": "d1", "lang": "en", "text": "The contingents arrive."}"#, "\n",
        ),
    )
    .expect("write");
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    (dir, index_dir)
}

#[test]
fn exit_status_is_0_with_hits_1_without_2_on_error() {
    let (_dir, index) = small_index();
    quorum()
        .args(["search", "--index"])
        .arg(&index)
        .arg("contingents")
        .assert()
        .code(0);
    quorum()
        .args(["search", "--index"])
        .arg(&index)
        .arg("zzzz")
        .assert()
        .code(1);
    let output = quorum()
        .args(["search", "--index"])
        .arg(&index)
        .arg("\"maintien de la paix")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unbalanced quote"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn what_people_type_never_panics() {
    let (_dir, index) = small_index();
    for query in [
        "-",
        "S/RES/2086 (2013)",
        "((paix)",
        "AND",
        "l'",
        "’",
        "a/",
        "*",
        "~",
        "year:abc",
        "\u{a0}",
    ] {
        let output = quorum()
            .args(["search", "--index"])
            .arg(&index)
            .arg(query)
            .output()
            .expect("runs");
        let code = output.status.code();
        assert!(matches!(code, Some(0..=2)), "{query:?}: {code:?}");
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains("panicked"),
            "{query:?}"
        );
    }
}

#[test]
fn missing_index_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = quorum()
        .args(["search", "--index"])
        .arg(dir.path().join("none"))
        .arg("paix")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no index in"));
}

#[test]
fn queries_file_runs_every_line_in_order() {
    let (dir, index) = small_index();
    let file = dir.path().join("queries.tsv");
    std::fs::write(
        &file,
        "\u{feff}q1\tcontingents\r\n\ncontingents arrive\nbad\t\"unbalanced\n# a note\nq4\tzzzz\n",
    )
    .expect("write");
    let output = quorum()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg("--queries")
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(2),
        "a failed line makes the run exit 2"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let qids: Vec<&str> = lines
        .iter()
        .map(|l| l["qid"].as_str().expect("qid is a string"))
        .collect();
    assert_eq!(qids, ["q1", "3", "bad", "q4"]);
    assert_eq!(lines[0]["query"], "contingents");
    assert!(lines[0]["total_hits"].as_u64() > Some(0));
    assert!(lines[2]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("unbalanced quote"));
    assert_eq!(lines[3]["total_hits"], 0);
}

#[test]
fn lang_keeps_only_that_language() {
    let (_dir, index) = small_index();
    let response = crate::util::search_json(&index, &["--lang", "en", "contingents"]);
    assert_eq!(response["total_hits"], 1);
    assert_eq!(response["hits"][0]["lang"], "en");
}

#[test]
fn show_prints_passages_in_order() {
    let (_dir, index) = small_index();
    let output = quorum()
        .args(["show", "d1", "--lang", "fr", "--json", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    // One shape whatever matches: an object with a `documents` list.
    assert_eq!(shown["documents"].as_array().map(Vec::len), Some(1));
    let doc = &shown["documents"][0];
    assert_eq!(doc["title"], "Article premier");
    assert_eq!(doc["passages"][1]["passage"], 2);
    assert_eq!(doc["passages"][1]["text"], "La paix revient.");
    // Without --lang both twins are shown.
    let output = quorum()
        .args(["show", "d1", "--json", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(shown["documents"].as_array().map(Vec::len), Some(2));
}

#[test]
fn stats_counts_per_language() {
    let (_dir, index) = small_index();
    let output = quorum()
        .args(["stats", "--json", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(stats["documents"]["fr"], 1);
    assert_eq!(stats["documents"]["en"], 1);
    assert_eq!(stats["passages"]["fr"], 2);
    assert!(stats["terms"]["body_fr"].as_u64() > Some(0));
    // Where the bytes go: positions only in the body fields (and symbols), the
    // passages in the store.
    let space = &stats["space"];
    assert!(space["store"]["bytes"].as_u64() > Some(0), "{space}");
    assert!(
        space["positions"]["fields"]["body_fr"].as_u64() > Some(0),
        "{space}"
    );
    assert!(
        space["positions"]["fields"]
            .get("forms")
            .is_none_or(|b| b == 0),
        "{space}"
    );
    assert!(
        space["postings"]["fields"]["forms"].as_u64() > Some(0),
        "{space}"
    );
}

#[test]
fn search_without_count_ranks_the_same_page() {
    let (_dir, index) = small_index();
    let search = |extra: &[&str]| {
        crate::util::json_of(
            quorum()
                .args(["search", "--json", "--limit", "1", "--index"])
                .arg(&index)
                .args(extra)
                .arg("contingents"),
        )
    };
    let counted = search(&[]);
    let top_only = search(&["--no-count"]);
    assert_eq!(counted["counted"], true);
    assert_eq!(counted["total_hits"], 2);
    assert_eq!(top_only["hits"][0]["id"], counted["hits"][0]["id"]);
    assert_eq!(top_only["hits"][0]["lang"], counted["hits"][0]["lang"]);
    // Once the page is full, the search may skip the other match, and then says so.
    let total = top_only["total_hits"].as_u64().unwrap_or(0);
    assert!((1..=2).contains(&total), "{top_only}");
    assert!(top_only["counted"] == false || total == 2, "{top_only}");
    let all = search(&["--count-all"]);
    assert_eq!(all["counted"], true);
    assert_eq!(all["total_hits"], 2);
}

#[test]
fn analyze_shows_tokens_with_offsets() {
    let output = quorum()
        .args(["analyze", "--lang", "fr", "--json", "l’Organisation œuvre"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let analyzed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let body = &analyzed["fields"][0];
    assert_eq!(body["field"], "body_fr");
    assert_eq!(body["tokens"][0]["text"], "organis");
    assert_eq!(body["tokens"][0]["from"], 4);
    assert_eq!(body["tokens"][1]["text"], "oeuvr");
}

#[test]
fn completions_are_printed() {
    let output = quorum()
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("quorum"));
}

#[test]
fn bad_input_is_reported_and_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    std::fs::write(docs.join("good.txt"), "Les contingents.").expect("write");
    std::fs::write(docs.join("empty.txt"), "").expect("write");
    std::fs::write(docs.join("binary.txt"), b"\x00\x01\x02PK\x00").expect("write");
    std::fs::write(
        docs.join("records.jsonl"),
        "{\"id\": \"1\", \"text\": \"La paix.\"}\n{broken\n{\"id\": \"3\"}\n{\"id\": \"4\", \"text\": \"La sécurité.\"}\n",
    )
    .expect("write");
    std::fs::write(
        docs.join("latin1.txt"),
        b"Les op\xe9rations de maintien de la paix.",
    )
    .expect("write");
    let output = crate::util::succeeds(
        quorum()
            .args(["index", "--json", "--index"])
            .arg(dir.path().join("index"))
            .arg(&docs),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    for needle in [
        "empty.txt",
        "binary.txt",
        "records.jsonl:2",
        "records.jsonl:3",
        "latin1.txt",
    ] {
        assert!(
            stderr.contains(needle),
            "stderr does not name {needle}: {stderr}"
        );
    }
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(summary["added"], 4, "{summary}");
    assert_eq!(summary["skipped"]["invalid_json"], 1);
    assert_eq!(summary["skipped"]["missing_text"], 1);
    assert_eq!(summary["skipped"]["empty"], 1);
    assert_eq!(summary["skipped"]["binary"], 1);
    let response = crate::util::search_json(&dir.path().join("index"), &["opérations"]);
    assert_eq!(
        response["hits"][0]["id"], "latin1.txt",
        "windows-1252 decoded"
    );
}

#[test]
fn explain_shows_why_a_hit_scored() {
    let (_dir, index) = small_index();
    let response = crate::util::search_json(&index, &["--explain", "contingents arrivent"]);
    let explanation = &response["hits"][0]["explanation"];
    assert!(
        explanation["length_prior"].as_f64().is_some(),
        "{explanation}"
    );
    assert!(
        explanation["query"]["value"].as_f64().is_some(),
        "{explanation}"
    );
}

#[test]
fn bench_times_the_query_set() {
    let (dir, index) = small_index();
    let file = dir.path().join("q.tsv");
    std::fs::write(&file, "# a note\na\tcontingents\nb\tzzzz\n").expect("write");
    let bench = |extra: &[&str]| {
        crate::util::json_of(
            quorum()
                .args([
                    "bench",
                    "--iterations",
                    "3",
                    "--warmup",
                    "1",
                    "--threads",
                    "2",
                ])
                .args(extra)
                .arg("--json")
                .arg("--index")
                .arg(&index)
                .arg("--queries")
                .arg(&file),
        )
    };
    let report = bench(&[]);
    assert_eq!(report["queries"], 2);
    assert_eq!(report["iterations"], 3);
    let per_query = report["per_query"].as_array().expect("per_query");
    assert_eq!(per_query[0]["qid"], "a");
    assert_eq!(per_query[0]["query"], "contingents");
    assert_eq!(per_query[0]["hits"], 2);
    assert_eq!(per_query[1]["hits"], 0);
    for q in per_query {
        let median = q["median_us"].as_f64().expect("median_us");
        let p95 = q["p95_us"].as_f64().expect("p95_us");
        let p99 = q["p99_us"].as_f64().expect("p99_us");
        let max = q["max_us"].as_f64().expect("max_us");
        assert!(
            median > 0.0 && median <= p95 && p95 <= p99 && p99 <= max,
            "{q}"
        );
        // Each run's search part lies inside its whole time, so its median does too.
        let search = q["median_search_us"].as_f64().expect("median_search_us");
        assert!(search > 0.0 && search <= median, "{q}");
    }
    let search_sum: f64 = per_query
        .iter()
        .filter_map(|q| q["median_search_us"].as_f64())
        .sum();
    let reported = report["sum_median_search_us"]
        .as_f64()
        .expect("sum_median_search_us");
    assert!(
        (reported - search_sum).abs() < 0.2,
        "{reported} vs {search_sum}"
    );
    let sum: f64 = per_query
        .iter()
        .filter_map(|q| q["median_us"].as_f64())
        .sum();
    let reported = report["sum_median_us"].as_f64().expect("sum_median_us");
    assert!((reported - sum).abs() < 0.2, "{reported} vs {sum}");
    assert!(report["qps"].as_f64() > Some(0.0));
    assert!(report["qps_threads"].as_f64() > Some(0.0));
    assert_eq!(report["threads"], 2);
    // --no-count ranks the page alone: the same page, a count no larger.
    let top_only = bench(&["--no-count"]);
    assert_eq!(top_only["count"], false);
    let hits = top_only["per_query"][0]["hits"].as_u64().expect("hits");
    assert!((1..=2).contains(&hits), "{hits}");
    // The shipped query sets run by default, every class of them.
    let report = crate::util::json_of(
        quorum()
            .args([
                "bench",
                "--iterations",
                "1",
                "--warmup",
                "0",
                "--json",
                "--index",
            ])
            .arg(&index),
    );
    assert!(
        report["queries"].as_u64() > Some(40),
        "{}",
        report["queries"]
    );
    let classes: Vec<&str> = report["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .filter_map(|c| c["class"].as_str())
        .collect();
    assert_eq!(
        classes,
        [
            "single",
            "multi",
            "phrase",
            "accents",
            "symbols",
            "prefix-fuzzy",
            "filters"
        ]
    );
    // A folder of sets gives one class per file.
    let sets = dir.path().join("sets");
    std::fs::create_dir(&sets).expect("mkdir");
    std::fs::write(sets.join("b-rare.tsv"), "zzzz\n").expect("write");
    std::fs::write(sets.join("a-common.tsv"), "contingents\n").expect("write");
    let report = crate::util::json_of(
        quorum()
            .args(["bench", "--iterations", "1", "--json", "--index"])
            .arg(&index)
            .arg("--queries")
            .arg(&sets),
    );
    assert_eq!(report["per_query"][0]["qid"], "a-common-1");
    assert_eq!(report["per_query"][1]["class"], "b-rare");
}

/// Regression: searching an index built by an older version panicked inside tantivy
/// (a schema field out of bounds); it must say to rebuild.
#[test]
fn searching_an_outdated_index_says_to_rebuild() {
    let (_dir, index) = small_index();
    let generation = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    let meta_path = index.join(generation.trim()).join("quorum.json");
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("meta")).expect("json");
    meta["schema_version"] = 0.into();
    std::fs::write(&meta_path, serde_json::to_vec(&meta).expect("json")).expect("write");
    for command in [&["search", "contingents"][..], &["stats"], &["show", "d1"]] {
        let output = quorum()
            .args(command)
            .arg("--index")
            .arg(&index)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("--rebuild"), "{command:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{command:?}: {stderr}");
    }
}

#[test]
fn flags_may_follow_the_query_words() {
    let (_dir, index) = small_index();
    let response = crate::util::json_of(
        quorum()
            .args(["search", "contingents", "arrivent", "--json", "--index"])
            .arg(&index),
    );
    assert_eq!(response["query"], "contingents arrivent");
    let output = quorum()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .args(["--", "-zzzz", "contingents"])
        .output()
        .expect("runs");
    let response: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(response["query"], "-zzzz contingents");
    assert_eq!(response["total_hits"], 2);
}

/// Regression: a first run on a path that does not exist left an empty index behind,
/// which later searches took for a real one.
#[test]
fn a_missing_path_creates_no_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let output = quorum()
        .args(["index", "--index"])
        .arg(&index)
        .arg(dir.path().join("nowhere"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no such file or folder"));
    assert!(!index.join("CURRENT").exists());
}

/// The progress bar is drawn on a terminal only: piped output has none, and under a
/// pseudo-terminal (`script`, from util-linux) it shows bytes, speed and ETA.
#[test]
fn progress_bar_only_on_a_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    std::fs::write(docs.join("a.txt"), "Les contingents arrivent.").expect("write");
    let output = quorum()
        .args(["index", "--index"])
        .arg(dir.path().join("piped"))
        .arg(&docs)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("ETA"));

    let Ok(script) = which_script() else {
        eprintln!("skipped the terminal half of progress_bar_only_on_a_terminal: no `script`");
        return;
    };
    let binary = assert_cmd::cargo::cargo_bin("quorum");
    let command = format!(
        "{} index --index {} {}",
        binary.display(),
        dir.path().join("tty").display(),
        docs.display()
    );
    let log = dir.path().join("typescript");
    let status = std::process::Command::new(script)
        .args(["-qec", &command])
        .arg(&log)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("script runs");
    assert!(status.success());
    let typescript =
        String::from_utf8_lossy(&std::fs::read(&log).expect("typescript")).into_owned();
    assert!(
        typescript.contains("ETA"),
        "no progress bar on a terminal: {typescript}"
    );
    assert!(typescript.contains("added 1"), "{typescript}");
}

fn which_script() -> Result<std::path::PathBuf, ()> {
    ["/usr/bin/script", "/bin/script"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.is_file())
        .ok_or(())
}

/// A document in a language quorum does not stem keeps its language code, is found
/// through the plain chain (accents folded, no stemming), and is counted under it.
#[test]
fn other_languages_use_the_plain_chain_and_keep_their_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    std::fs::write(
        docs.join("es.jsonl"),
        "{\"id\": \"es1\", \"lang\": \"es\", \"text\": \"Las operaciones de mantenimiento de la paz.\"}\n",
    )
    .expect("write");
    let index = dir.path().join("index");
    crate::util::index(&index, &[&docs]);
    let response = crate::util::search_json(&index, &["mantenimiento"]);
    assert_eq!(response["hits"][0]["lang"], "es", "{response}");
    // No stemming: another inflection does not match, an unaccented form does.
    assert_eq!(
        crate::util::search_json(&index, &["operacion"])["total_hits"],
        0
    );
    assert_eq!(
        crate::util::search_json(&index, &["OPERACIONES"])["total_hits"],
        1
    );
    let stats = crate::util::json_of(quorum().args(["stats", "--json", "--index"]).arg(&index));
    assert_eq!(stats["documents"]["es"], 1);
}

/// An index with one long document (2,000 passages), for output larger than a pipe's
/// buffer.
fn long_index() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    let text: Vec<String> = (1..=2000)
        .map(|n| format!("Les contingents arrivent au poste numéro {n}."))
        .collect();
    let record = serde_json::json!({"id": "long", "lang": "fr", "text": text.join("\n\n")});
    std::fs::write(docs.join("long.jsonl"), format!("{record}\n")).expect("write");
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    (dir, index_dir)
}

/// Runs quorum with `args`, reads `read` bytes of its output and closes the pipe,
/// and returns the exit code and stderr.
fn with_closed_pipe(args: &[&std::ffi::OsStr], read: usize) -> (Option<i32>, String) {
    use std::io::Read;
    let binary = assert_cmd::cargo::cargo_bin("quorum");
    let mut child = std::process::Command::new(binary)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("QUORUM_INDEX")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("quorum starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut start = vec![0; read];
    stdout.read_exact(&mut start).expect("the first bytes");
    drop(stdout);
    let output = child.wait_with_output().expect("quorum ends");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

// issue 9, item 7
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let (_dir, index) = long_index();
    let long_text = "Les contingents arrivent. ".repeat(2000);
    let i = index.as_os_str();
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    let commands: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![os("show"), os("long"), os("--index"), i],
        vec![os("show"), os("long"), os("--json"), os("--index"), i],
        vec![
            os("search"),
            os("contingents"),
            os("--limit"),
            os("1000"),
            os("--index"),
            i,
        ],
        vec![
            os("search"),
            os("contingents"),
            os("--limit"),
            os("1000"),
            os("--json"),
            os("--index"),
            i,
        ],
        vec![
            os("analyze"),
            os("--lang"),
            os("fr"),
            std::ffi::OsStr::new(long_text.as_str()),
        ],
        vec![
            os("analyze"),
            os("--json"),
            std::ffi::OsStr::new(long_text.as_str()),
        ],
        vec![os("completions"), os("zsh")],
        vec![os("stats"), os("--index"), i],
        vec![os("stats"), os("--json"), os("--index"), i],
        vec![os("export"), os("--index"), i],
    ];
    for args in commands {
        // Output that fits the pipe's buffer may be written before the reader goes:
        // read one byte of that, all of it being written at once.
        let (code, stderr) = with_closed_pipe(&args, 1);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

// issue 9, item 7: output smaller than a pipe's buffer, the reader gone first.
#[test]
fn a_pipe_closed_before_any_output_ends_quietly() {
    use std::io::Read;
    let (_dir, index) = small_index();
    for args in [&["stats", "--json"][..], &["stats"], &["show", "d1"]] {
        let binary = assert_cmd::cargo::cargo_bin("quorum");
        // A reader that closes before quorum writes: a pipe made by a shell whose
        // next command exits at once (`quorum stats | true`).
        let mut child = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "sleep 0.3; exec \"$0\" {} --index \"$1\"; ",
                args.join(" ")
            ))
            .arg(&binary)
            .arg(&index)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("sh starts");
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr");
        let status = child.wait().expect("ends");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

// issue 9, item 8
#[test]
fn an_index_run_that_indexes_nothing_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).expect("mkdir");
    std::fs::write(bad.join("empty.txt"), "").expect("write");
    std::fs::write(bad.join("binary.txt"), b"\x00\x01\x02PK\x00").expect("write");
    std::fs::write(bad.join("broken.jsonl"), "{broken\n").expect("write");
    let index_dir = dir.path().join("index");
    let output = quorum()
        .args(["index", "--json", "--index"])
        .arg(&index_dir)
        .arg(&bad)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nothing could be indexed"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(summary["added"], 0);
    // One good file among the bad ones: the run succeeds, and so does the next one,
    // which finds it unchanged.
    std::fs::write(bad.join("good.txt"), "Les contingents.").expect("write");
    for _ in 0..2 {
        let output = quorum()
            .args(["index", "--index"])
            .arg(&index_dir)
            .arg(&bad)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0));
    }
    // Every command lists its exit codes.
    for command in [
        &["--help"][..],
        &["index", "--help"],
        &["search", "--help"],
        &["search", "-h"],
        &["stats", "--help"],
        &["show", "--help"],
        &["analyze", "--help"],
        &["bench", "--help"],
        &["completions", "--help"],
    ] {
        let output = crate::util::succeeds(quorum().args(command));
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(help.contains("Exit codes"), "{command:?}: {help}");
    }
}

// issue 9, item 9 (tantivy's log lines)
#[test]
fn a_damaged_index_gives_one_plain_error_line() {
    let (_dir, index) = small_index();
    let generation = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    let generation = index.join(generation.trim());
    let segment_file = std::fs::read_dir(&generation)
        .expect("generation")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "term"))
        .expect("a segment's term file");
    let bytes = std::fs::read(&segment_file).expect("read");
    std::fs::write(&segment_file, &bytes[..bytes.len() / 2]).expect("truncate");
    for command in [&["search", "contingents"][..], &["stats"], &["show", "d1"]] {
        let output = quorum()
            .env_remove("RUST_LOG")
            .args(command)
            .arg("--index")
            .arg(&index)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{command:?}: {stderr}");
        assert!(stderr.starts_with("quorum: "), "{command:?}: {stderr}");
        assert!(stderr.contains("damaged"), "{command:?}: {stderr}");
        assert!(!stderr.contains("ERROR"), "{command:?}: {stderr}");
        assert!(!stderr.contains('\x1b'), "{command:?}: {stderr}");
    }
}

// issue 9, item 11
#[test]
fn a_hyphen_word_after_the_query_is_an_exclusion() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    std::fs::write(docs.join("iraq.txt"), "Sanctions against Iraq.").expect("write");
    std::fs::write(docs.join("libya.txt"), "Sanctions against Libya.").expect("write");
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    // `--index` first: after `--` everything is the query.
    let run = |args: &[&str]| {
        quorum()
            .arg("search")
            .arg("--index")
            .arg(&index_dir)
            .args(args)
            .output()
            .expect("runs")
    };
    for (args, query) in [
        (&["sanctions", "-Iraq", "--json"][..], "sanctions -Iraq"),
        (&["--json", "sanctions", "-Iraq"], "sanctions -Iraq"),
        (&["--json", "--", "-Iraq", "sanctions"], "-Iraq sanctions"),
        (
            &["sanctions", "--json", "-Iraq", "--limit", "5"],
            "sanctions -Iraq",
        ),
    ] {
        let output = run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        let response: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(response["query"], query, "{args:?}");
        assert_eq!(response["total_hits"], 1, "{args:?}");
        assert_eq!(response["hits"][0]["id"], "libya.txt", "{args:?}");
    }
    // Human output too.
    let output = run(&["sanctions", "-Iraq"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("1 passage matches \"sanctions -Iraq\""),
        "{stdout}"
    );
    // A mistyped long flag is still an error, not a query word.
    assert_eq!(run(&["sanctions", "--jsn"]).status.code(), Some(2));
    // --help lists the query syntax, `--` and the exit codes.
    let output = crate::util::succeeds(quorum().args(["search", "--help"]));
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "+word",
        "id:",
        "year:[1990 TO 1994]",
        "year:>1990",
        "`--`",
        "Exit codes",
    ] {
        assert!(
            help.contains(needle),
            "search --help lacks {needle}: {help}"
        );
    }
}

/// The human output of a search.
fn search_text(index: &std::path::Path, args: &[&str]) -> String {
    let output = quorum()
        .arg("search")
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .expect("runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// issue 9, item 12
#[test]
fn search_headers_count_the_right_unit_and_number_across_pages() {
    let (_dir, long) = long_index();
    let grouped = search_text(&long, &["--group", "contingents"]);
    assert!(
        grouped.starts_with("1 document matches \"contingents\""),
        "{grouped}"
    );
    let page = search_text(&long, &["--offset", "10", "--limit", "2", "contingents"]);
    assert!(page.starts_with("2000 passages match"), "{page}");
    assert!(page.contains(", showing 11–12"), "{page}");
    assert!(page.contains("\n11. long"), "{page}");
    assert!(page.contains("\n12. long"), "{page}");
    assert!(!page.contains("\n1. "), "{page}");
    let (_dir, small) = small_index();
    let one = search_text(&small, &["--lang", "en", "contingents"]);
    assert!(
        one.starts_with("1 passage matches \"contingents\""),
        "{one}"
    );
    // A very long query is cut in the header, on a character boundary.
    let query = "é".repeat(10_000);
    let header = search_text(&small, &[&query]);
    let first = header
        .lines()
        .find(|l| l.contains("match"))
        .unwrap_or_default();
    assert!(
        first.contains(&format!("\"{}…\"", "é".repeat(80))),
        "{first}"
    );
    assert!(first.chars().count() < 200, "{first}");
}

// issue 9, item 12
#[test]
fn bench_refuses_zero_threads() {
    let (_dir, index) = small_index();
    let output = quorum()
        .args(["bench", "--threads", "0", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1 or more"), "{stderr}");
}

// issue 9, item 12
#[test]
fn explain_names_fields_and_sums_up_clauses() {
    let (_dir, index) = small_index();
    let summary = search_text(&index, &["--explain", "contingents", "--lang", "fr"]);
    let explained: Vec<&str> = summary.lines().filter(|l| l.starts_with("   | ")).collect();
    assert!(explained.len() <= 10, "{summary}");
    assert!(explained[0].contains("length prior"), "{summary}");
    assert!(summary.contains("body_fr:\"contingent\""), "{summary}");
    assert!(!summary.contains("field="), "{summary}");
    // `--explain QUERY` reads the query; `--explain=raw` prints tantivy's tree.
    assert!(
        summary.starts_with("1 passage matches \"contingents\""),
        "{summary}"
    );
    let raw = search_text(&index, &["--explain=raw", "contingents", "--lang", "fr"]);
    assert!(raw.contains("\"description\""), "{raw}");
    assert!(raw.lines().count() > 30, "{raw}");
    // JSON keeps the tree.
    let response = crate::util::search_json(&index, &["--explain", "contingents"]);
    assert!(response["hits"][0]["explanation"]["query"]["details"].is_array());
}

// issue 9, item 12
#[test]
fn color_is_chosen_with_a_flag() {
    let (_dir, index) = small_index();
    let always = search_text(&index, &["--color", "always", "contingents"]);
    assert!(always.contains("\x1b["), "{always}");
    for args in [&["--color", "never", "contingents"][..], &["contingents"]] {
        let plain = search_text(&index, args);
        assert!(!plain.contains('\x1b'), "{args:?}: {plain}");
    }
}

// issue 9, item 12
#[test]
fn stats_list_types_years_and_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    std::fs::write(
        docs.join("a.jsonl"),
        concat!(
            r#"{"id": "r1", "lang": "en", "doc_type": "resolution", "year": 1990, "text": "One.\n\nTwo."}"#, "\n",
            r#"{"id": "r2", "lang": "en", "doc_type": "resolution", "year": 1994, "text": "Three."}"#, "\n",
            r#"{"id": "p1", "lang": "fr", "doc_type": "presidential_statement", "year": 2015, "text": "Quatre."}"#, "\n",
        ),
    )
    .expect("write");
    std::fs::write(docs.join("b.txt"), "Sans date.").expect("write");
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    let stats = crate::util::json_of(
        quorum()
            .args(["stats", "--json", "--index"])
            .arg(&index_dir),
    );
    assert_eq!(stats["doc_types"]["resolution"], 2, "{stats}");
    assert_eq!(stats["doc_types"]["presidential_statement"], 1, "{stats}");
    assert_eq!(stats["years"]["first"], 1990);
    assert_eq!(stats["years"]["last"], 2015);
    assert_eq!(stats["years"]["by_decade"]["1990"], 2);
    assert_eq!(stats["years"]["by_decade"]["2010"], 1);
    assert_eq!(stats["years"]["undated"], 1);
    assert_eq!(stats["source_files"], 2);
    assert_eq!(stats["sources"][0]["documents"], 3);
    assert!(stats["sources"][0]["path"]
        .as_str()
        .is_some_and(|p| p.ends_with("a.jsonl")));
    let output = crate::util::succeeds(quorum().args(["stats", "--index"]).arg(&index_dir));
    let text = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "types      resolution 2, presidential_statement 1",
        "years      1990–2015",
        "1990s",
        "sources    2 files",
    ] {
        assert!(text.contains(needle), "stats lacks {needle:?}: {text}");
    }
}

// issue 9, item 13
#[test]
fn the_first_search_works_from_any_folder() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let home = tempfile::tempdir().expect("temp dir");
    let run = || {
        quorum()
            .current_dir(elsewhere.path())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(["search", "--json", "contingents"])
            .output()
            .expect("runs")
    };
    let output = run();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let response: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(response["total_hits"].as_u64() > Some(0), "{response}");
    // Built in the per-user data folder, from the seed written there; nothing in
    // the working directory.
    let data = home.path().join("data").join("quorum");
    assert!(data.join("index").join("CURRENT").is_file(), "{stderr}");
    assert!(data
        .join("corpus")
        .join("000_371f281f3ae292af.txt")
        .is_file());
    assert_eq!(std::fs::read_dir(elsewhere.path()).expect("dir").count(), 0);
    // The second search finds the index built.
    let output = run();
    assert_eq!(output.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("first run"));
    // --help says where the index is.
    let output = crate::util::succeeds(quorum().args(["search", "--help"]));
    assert!(String::from_utf8_lossy(&output.stdout).contains("per-user data folder"));
}
