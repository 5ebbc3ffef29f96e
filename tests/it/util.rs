//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `quorum` binary, with no colour and no inherited index location.
pub fn quorum() -> Command {
    let mut cmd = Command::cargo_bin("quorum").expect("the quorum binary is built by cargo test");
    cmd.env("NO_COLOR", "1").env_remove("QUORUM_INDEX");
    // A test that runs outside the repository must not fill the user's data folder:
    // the per-user default lives in a folder of the test run's own.
    cmd.env("XDG_DATA_HOME", test_data_home());
    cmd
}

/// A per-user data folder for the test runs, under cargo's target folder.
fn test_data_home() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("data-home")
}

/// The shared data folder: `$QUORUM_SHARED`, or `../shared` beside the repository.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("QUORUM_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// The real corpus ([`quorum::ingest::shared::corpus_dir`]), or `None` after printing
/// why the calling test is skipped.
pub fn shared_corpus(test: &str) -> Option<PathBuf> {
    let corpus = quorum::ingest::shared::corpus_dir();
    if corpus.is_none() {
        eprintln!(
            "skipped {test}: {} not found (set QUORUM_SHARED to the folder that holds corpus/)",
            shared_dir().join("corpus").display()
        );
    }
    corpus
}

/// The repository's shipped corpus.
pub fn shipped_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Runs `quorum search --json` and returns the parsed response.
pub fn search_json(index: &Path, args: &[&str]) -> serde_json::Value {
    let output = quorum()
        .arg("search")
        .arg("--index")
        .arg(index)
        .arg("--json")
        .args(args)
        .output()
        .expect("quorum runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "search {args:?} printed no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// `(id, lang, passage)` of each hit of a JSON response.
pub fn hit_keys(response: &serde_json::Value) -> Vec<(String, String, u64)> {
    response["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| {
                    (
                        h["id"].as_str().unwrap_or_default().to_string(),
                        h["lang"].as_str().unwrap_or_default().to_string(),
                        h["passage"].as_u64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Builds an index of `paths` into `index` and asserts success.
pub fn index(index: &Path, paths: &[&Path]) -> String {
    let output = succeeds(
        quorum()
            .arg("index")
            .arg("--index")
            .arg(index)
            .arg("--quiet")
            .args(paths),
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a command that must succeed, and returns its output.
pub fn succeeds(command: &mut Command) -> std::process::Output {
    let output = command.output().expect("quorum runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs a command that must succeed and print JSON, and returns what it printed.
pub fn json_of(command: &mut Command) -> serde_json::Value {
    let output = succeeds(command);
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}
