//! `quorum export`: every passage as JSON Lines, to stdout or to a new file.

use std::path::{Path, PathBuf};

use crate::util::{index, quorum, succeeds};

const EN: &str = "The Security Council, recalling all its previous resolutions on the situation in the region, expresses its deep concern at the continuing violence and calls upon all parties to respect international humanitarian law and to protect civilians.";
const FR: &str = "Le Conseil de sécurité, rappelant toutes ses résolutions antérieures sur la situation dans la région, se déclare profondément préoccupé par la poursuite des violences et demande à toutes les parties de respecter le droit international humanitaire.";

/// Twins of one passage each, and a text file of mixed languages, detected: English,
/// with a French passage.
fn small_index() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs");
    std::fs::write(
        docs.join("a.jsonl"),
        concat!(
            r#"{"id": "d1", "lang": "fr", "title": "Article premier", "text": "Les contingents arrivent."}"#, "\n",
            r#"{"id": "d1", "lang": "en", "text": "The contingents arrive."}"#, "\n",
        ),
    )
    .expect("write");
    std::fs::write(docs.join("mixed.txt"), format!("{EN}\n\n{EN}\n\n{FR}")).expect("write");
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    (dir, index_dir)
}

/// `(id, lang, doc_lang, passage, text)` of a line.
type Row = (String, String, String, u64, String);

/// The rows of each line, sorted: the export's order is the index's.
fn lines_of(jsonl: &[u8]) -> Vec<Row> {
    let text = std::str::from_utf8(jsonl).expect("UTF-8");
    let mut lines: Vec<_> = text
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?} is not JSON: {e}"));
            let s = |key: &str| v[key].as_str().unwrap_or_default().to_string();
            (
                s("id"),
                s("lang"),
                s("doc_lang"),
                v["passage"].as_u64().unwrap_or_default(),
                s("text"),
            )
        })
        .collect();
    lines.sort();
    lines
}

fn export(index: &Path, args: &[&str]) -> std::process::Output {
    succeeds(quorum().arg("export").arg("--index").arg(index).args(args))
}

fn line(id: &str, lang: &str, doc: &str, n: u64, text: &str) -> Row {
    (id.into(), lang.into(), doc.into(), n, text.into())
}

#[test]
fn export_writes_every_passage_once() {
    let (_dir, index) = small_index();
    let all = lines_of(&export(&index, &[]).stdout);
    let expected = vec![
        line("d1", "en", "en", 1, "The contingents arrive."),
        line("d1", "fr", "fr", 1, "Les contingents arrivent."),
        line("mixed.txt", "en", "en", 1, EN),
        line("mixed.txt", "en", "en", 2, EN),
        line("mixed.txt", "fr", "en", 3, FR),
    ];
    assert_eq!(all, expected);
    // `--lang` keeps the passages of that language, as `search --lang` does: the
    // French passage of the English document too.
    let english = lines_of(&export(&index, &["--lang", "en"]).stdout);
    let french = lines_of(&export(&index, &["--lang", "fr"]).stdout);
    let (want_fr, want_en): (Vec<_>, Vec<_>) = expected.into_iter().partition(|l| l.1 == "fr");
    assert_eq!((english, french), (want_en, want_fr));
}

#[test]
fn export_out_writes_a_new_file_and_never_over_one() {
    let (dir, index) = small_index();
    let out = dir.path().join("passages.jsonl");
    let printed = export(&index, &[]).stdout;
    let output = export(&index, &["--out", out.to_str().expect("UTF-8 path")]);
    assert!(output.stdout.is_empty(), "--out prints nothing on stdout");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("5 passages written"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        lines_of(&std::fs::read(&out).expect("written")),
        lines_of(&printed)
    );

    // A file that exists, whether made by an export or not, is left as it is.
    for content in [
        &b"notes of someone else\n"[..],
        &std::fs::read(&out).expect("read"),
    ] {
        std::fs::write(&out, content).expect("write");
        let output = export_failing(&index, &out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("exists: it is left as it is"), "{stderr}");
        assert_eq!(std::fs::read(&out).expect("read"), content);
    }
}

#[test]
fn export_without_an_index_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("passages.jsonl");
    let output = export_failing(&dir.path().join("none"), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no index in"), "{stderr}");
    assert!(
        !out.exists(),
        "no file is made when there is nothing to export"
    );
}

/// `quorum export --index INDEX --out OUT`, run to its end whatever its exit code.
fn export_failing(index: &Path, out: &Path) -> std::process::Output {
    quorum()
        .arg("export")
        .arg("--index")
        .arg(index)
        .arg("--out")
        .arg(out)
        .output()
        .expect("quorum runs")
}
