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
    assert_eq!(shown["title"], "Article premier");
    assert_eq!(shown["passages"][1]["passage"], 2);
    assert_eq!(shown["passages"][1]["text"], "La paix revient.");
    // Without --lang both twins are shown.
    let output = quorum()
        .args(["show", "d1", "--json", "--index"])
        .arg(&index)
        .output()
        .expect("runs");
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(shown.as_array().map(Vec::len), Some(2));
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
    assert_eq!(top_only["counted"], false);
    assert_eq!(top_only["hits"][0]["id"], counted["hits"][0]["id"]);
    assert_eq!(top_only["hits"][0]["lang"], counted["hits"][0]["lang"]);
    assert!(top_only["total_hits"].as_u64() >= Some(1));
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
    }
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
