//! A damaged index: files deleted, truncated or garbled while nothing has it open. Every
//! command says the index is damaged and suggests `--rebuild`, or answers; none panics.

use std::path::{Path, PathBuf};

use crate::util::{index, quorum, shipped_corpus};

const COMPONENTS: [&str; 6] = ["idx", "pos", "term", "store", "fast", "fieldnorm"];

/// A fresh index of the shipped corpus, and the generation folder that holds its files.
fn fresh(dir: &Path) -> (PathBuf, PathBuf) {
    let index_dir = dir.join("index");
    index(&index_dir, &[&shipped_corpus()]);
    let generation = std::fs::read_dir(&index_dir)
        .expect("the index folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("gen-"))
        })
        .expect("a generation");
    (index_dir, generation)
}

fn file_of(generation: &Path, extension: &str) -> PathBuf {
    std::fs::read_dir(generation)
        .expect("the generation")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == extension))
        .unwrap_or_else(|| panic!("a .{extension} file"))
}

/// Runs search, show and stats; returns each one's exit code and stderr.
fn commands(index_dir: &Path) -> Vec<(String, Option<i32>, String)> {
    let runs: [&[&str]; 4] = [
        &["search", "contingents"],
        &["search", "maintien de la paix"],
        &["search", "\"maintien de la paix\"", "--json"],
        &["stats"],
    ];
    runs.iter()
        .map(|args| {
            let output = quorum()
                .args(*args)
                .arg("--index")
                .arg(index_dir)
                .output()
                .expect("quorum runs");
            (
                args.join(" "),
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        })
        .collect()
}

#[test]
fn a_deleted_or_truncated_index_file_is_named_damaged_with_the_fix() {
    for component in COMPONENTS {
        for how in ["deleted", "truncated"] {
            let dir = tempfile::tempdir().expect("temp dir");
            let (index_dir, generation) = fresh(dir.path());
            let file = file_of(&generation, component);
            match how {
                "deleted" => std::fs::remove_file(&file).expect("remove"),
                _ => {
                    let length = std::fs::metadata(&file).expect("metadata").len();
                    let handle = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&file)
                        .expect("open");
                    handle.set_len(length / 2).expect("truncate");
                }
            }
            for (command, code, stderr) in commands(&index_dir) {
                assert!(
                    !stderr.contains("panicked"),
                    ".{component} {how}, {command}: {stderr}"
                );
                assert_eq!(code, Some(2), ".{component} {how}, {command}: {stderr}");
                assert!(
                    stderr.contains("is damaged") && stderr.contains("quorum index --rebuild"),
                    ".{component} {how}, {command}: {stderr}"
                );
            }
        }
    }
}

#[test]
fn a_garbled_index_file_never_makes_a_command_panic() {
    for component in COMPONENTS {
        let dir = tempfile::tempdir().expect("temp dir");
        let (index_dir, generation) = fresh(dir.path());
        let file = file_of(&generation, component);
        let mut bytes = std::fs::read(&file).expect("read");
        let n = bytes.len();
        for byte in bytes.iter_mut().skip(n / 3).take((n / 4).clamp(1, 4096)) {
            *byte = byte.wrapping_mul(31).wrapping_add(7);
        }
        std::fs::write(&file, bytes).expect("write");
        for (command, code, stderr) in commands(&index_dir) {
            assert!(
                !stderr.contains("panicked"),
                ".{component} garbled, {command}: {stderr}"
            );
            assert!(
                matches!(code, Some(0..=2)),
                ".{component} garbled, {command}: {stderr}"
            );
            if code == Some(2) {
                assert!(
                    stderr.contains("quorum index --rebuild"),
                    ".{component} garbled, {command}: {stderr}"
                );
            }
        }
    }
}
