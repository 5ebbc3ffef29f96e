//! PDF, Word and HTML files, legacy encodings, and bad files of each kind, end to end:
//! fixtures made here from real sentences of the shared corpus are indexed by `quorum
//! index` and found by `quorum search`, with the right passage text and metadata and
//! without page furniture or chrome.

use std::path::{Path, PathBuf};

use crate::fixtures::{self, UnPdf, JOB};
use crate::util::{quorum, search_json, shared_corpus, succeeds};

/// `quorum index --json`: the summary and what was said on stderr.
fn index(index: &Path, folder: &Path) -> (serde_json::Value, String) {
    let output = succeeds(
        quorum()
            .arg("index")
            .arg("--index")
            .arg(index)
            .arg("--json")
            .arg(folder),
    );
    let summary = serde_json::from_slice(&output.stdout).expect("a JSON summary");
    (
        summary,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The first words of a sentence, as a phrase query.
fn phrase(sentence: &str, words: usize) -> String {
    let words: Vec<&str> = sentence
        .split_whitespace()
        .take(words)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    format!("\"{}\"", words.join(" "))
}

/// Whitespace made single, as a passage's text reads once its line ends are joined.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The top hit of a search, which must have one.
fn top(index: &Path, query: &str) -> serde_json::Value {
    let response = search_json(index, &[query]);
    response["hits"][0].clone()
}

fn hits(index: &Path, query: &str) -> u64 {
    search_json(index, &[query])["total_hits"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

/// A temporary folder with an empty `docs/` in it.
fn docs_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("create folder");
    (dir, docs)
}

/// A French resolution in PDF, one paragraph a page, its symbol in the header.
fn resolution(symbol: &str, paragraphs: &[String]) -> Vec<u8> {
    fixtures::un_pdf(&UnPdf {
        symbol,
        french: true,
        title: "Résolution",
        paragraphs,
        per_page: 1,
        columns: None,
        info_title: true,
    })
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write a fixture");
}

#[test]
fn pdfs_round_trip_with_metadata_and_without_furniture() {
    let Some(corpus) = shared_corpus("pdfs_round_trip_with_metadata_and_without_furniture") else {
        return;
    };
    let sentences = fixtures::sentences(&corpus, 8);
    assert_eq!(sentences.len(), 8, "the corpus has aligned sentences");
    let (dir, docs) = docs_folder();
    for (french, name, title) in [
        (true, "S_RES_2086_2013_F.pdf", "Résolution 2086 (2013)"),
        (false, "S_RES_2086_2013_E.pdf", "Resolution 2086 (2013)"),
    ] {
        let pick = |s: &(String, String)| if french { s.0.clone() } else { s.1.clone() };
        let paragraphs: Vec<String> = sentences[..6].iter().map(pick).collect();
        let bytes = fixtures::un_pdf(&UnPdf {
            symbol: "S/RES/2086 (2013)",
            french,
            title,
            paragraphs: &paragraphs,
            per_page: 2,
            columns: Some((&pick(&sentences[6]), &pick(&sentences[7]))),
            // The English file has no information title: its title is its largest line.
            info_title: french,
        });
        write(&docs.join(name), &bytes);
    }
    let index_dir = dir.path().join("index");
    let (summary, stderr) = index(&index_dir, &docs);
    assert_eq!(summary["added"], 2, "{summary:#} {stderr}");
    assert_eq!(summary["skipped"], serde_json::json!({}), "{stderr}");
    for (french, lang, name, title) in [
        (
            true,
            "fr",
            "S_RES_2086_2013_F.pdf",
            "Résolution 2086 (2013)",
        ),
        (
            false,
            "en",
            "S_RES_2086_2013_E.pdf",
            "Resolution 2086 (2013)",
        ),
    ] {
        for pair in &sentences {
            let sentence = if french { &pair.0 } else { &pair.1 };
            let hit = top(&index_dir, &phrase(sentence, 7));
            // Twins: one id built from the symbol, one document per language.
            assert_eq!(hit["id"], "S/RES/2086 (2013)", "{sentence}: {hit:#}");
            assert_eq!(hit["lang"], lang, "{sentence}");
            assert_eq!(hit["symbol"], "S/RES/2086 (2013)");
            assert_eq!(hit["year"], 2013);
            assert_eq!(hit["doc_type"], "resolution");
            assert_eq!(hit["title"], title);
            assert!(
                hit["path"].as_str().is_some_and(|p| p.ends_with(name)),
                "{hit:#}"
            );
            // The paragraph whole, as a true slice: only its line ends differ from it.
            let text = hit["text"].as_str().expect("text");
            assert_eq!(flat(text), *sentence, "{hit:#}");
        }
    }
    for furniture in [JOB, "Distr", "Original", "2/4"] {
        assert_eq!(
            hits(&index_dir, &format!("\"{furniture}\"")),
            0,
            "{furniture}"
        );
    }
}

#[test]
fn docx_round_trips_with_its_title_and_without_its_page_header() {
    let Some(corpus) = shared_corpus("docx_round_trips_with_its_title_and_without_its_page_header")
    else {
        return;
    };
    let sentences = fixtures::sentences(&corpus, 6);
    let (dir, docs) = docs_folder();
    let english: Vec<String> = sentences[..3].iter().map(|s| s.1.clone()).collect();
    let french: Vec<String> = sentences[3..].iter().map(|s| s.0.clone()).collect();
    let title = "Statement by the President of the Security Council";
    write(
        &docs.join("S_PRST_2015_4_E.docx"),
        &fixtures::docx(Some(title), "Statement", &english),
    );
    write(
        &docs.join("rapport-fr.docx"),
        &fixtures::docx(None, "Rapport de la Mission", &french),
    );
    let index_dir = dir.path().join("index");
    let (summary, stderr) = index(&index_dir, &docs);
    assert_eq!(summary["added"], 2, "{summary:#} {stderr}");
    for sentence in &english {
        let hit = top(&index_dir, &phrase(sentence, 7));
        assert_eq!(hit["id"], "S/PRST/2015/4", "{hit:#}");
        assert_eq!(hit["lang"], "en");
        assert_eq!(hit["year"], 2015);
        assert_eq!(hit["doc_type"], "presidential_statement");
        assert_eq!(hit["title"], title);
        assert_eq!(hit["text"].as_str(), Some(sentence.as_str()), "{hit:#}");
    }
    for sentence in &french {
        let hit = top(&index_dir, &phrase(sentence, 7));
        // No symbol: the id is the path, as for a .txt; the language is the suffix's.
        assert_eq!(hit["id"], "rapport-fr.docx", "{hit:#}");
        assert_eq!(hit["lang"], "fr");
        assert_eq!(hit["symbol"], serde_json::Value::Null);
        assert_eq!(hit["title"], "Rapport de la Mission");
        assert_eq!(hit["text"].as_str(), Some(sentence.as_str()), "{hit:#}");
    }
    assert_eq!(
        hits(&index_dir, "HEADER"),
        0,
        "the page header part is not read"
    );
}

#[test]
fn html_round_trips_in_its_declared_charset_without_chrome() {
    let Some(corpus) = shared_corpus("html_round_trips_in_its_declared_charset_without_chrome")
    else {
        return;
    };
    let mut paragraphs: Vec<String> = fixtures::sentences(&corpus, 3)
        .into_iter()
        .map(|s| s.0)
        .collect();
    let own = "Le Conseil se félicite de l’œuvre accomplie par la Mission d’assistance.";
    paragraphs.push(own.to_string());
    let (dir, docs) = docs_folder();
    let title = "Lettre datée du 5 septembre 2014";
    let bytes = fixtures::html(title, &paragraphs, encoding_rs::WINDOWS_1252);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the page is written in windows-1252"
    );
    write(&docs.join("S_2014_648_F.html"), &bytes);
    let index_dir = dir.path().join("index");
    let (summary, stderr) = index(&index_dir, &docs);
    assert_eq!(summary["added"], 1, "{summary:#} {stderr}");
    assert_eq!(
        summary["warnings"], 0,
        "a declared charset is no surprise: {stderr}"
    );
    for sentence in &paragraphs {
        let hit = top(&index_dir, &phrase(sentence, 7));
        assert_eq!(hit["id"], "S/2014/648", "{hit:#}");
        assert_eq!(hit["lang"], "fr");
        assert_eq!(hit["year"], 2014);
        assert_eq!(hit["title"], title);
        assert_eq!(hit["text"].as_str(), Some(sentence.as_str()), "{hit:#}");
    }
    assert_eq!(top(&index_dir, "œuvre")["text"].as_str(), Some(own));
    assert_eq!(
        hits(&index_dir, "chrome"),
        0,
        "nav, header, footer, aside and scripts go"
    );
    assert_eq!(hits(&index_dir, "tracker"), 0);
}

#[test]
fn a_windows_1252_text_file_is_decoded_with_a_warning() {
    let (dir, docs) = docs_folder();
    let text = "Le Conseil de sécurité salue l’œuvre des contingents et rappelle ses résolutions antérieures sur la question.";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    write(&docs.join("ancien.txt"), &bytes);
    let index_dir = dir.path().join("index");
    let (summary, stderr) = index(&index_dir, &docs);
    assert_eq!(summary["added"], 1, "{summary:#}");
    assert!(
        stderr.contains("ancien.txt") && stderr.contains("windows-1252"),
        "{stderr}"
    );
    assert_eq!(top(&index_dir, "oeuvre")["text"].as_str(), Some(text));
}

#[test]
fn content_wins_over_the_extension_with_a_warning() {
    let (dir, docs) = docs_folder();
    let sentence =
        "Le Conseil de sécurité décide de proroger le mandat de la Force jusqu’au 31 décembre.";
    let pdf = resolution("S/RES/2087 (2013)", &[sentence.to_string()]);
    write(&docs.join("notes.txt"), &pdf);
    let html = "<!DOCTYPE html><title>Page</title><nav>Menu chrome</nav><p>The Council reaffirms its commitment to the sovereignty of the country.</p>";
    write(&docs.join("page.pdf"), html.as_bytes());
    let index_dir = dir.path().join("index");
    let (summary, stderr) = index(&index_dir, &docs);
    assert_eq!(summary["added"], 2, "{summary:#} {stderr}");
    assert!(
        stderr.contains("notes.txt: content is PDF, not text as the extension says: read as PDF"),
        "{stderr}"
    );
    assert!(
        stderr.contains("page.pdf: content is HTML, not PDF as the extension says: read as HTML"),
        "{stderr}"
    );
    let hit = top(&index_dir, "proroger");
    assert_eq!(hit["text"].as_str().map(flat).as_deref(), Some(sentence));
    assert_eq!(top(&index_dir, "proroger")["id"], "S/RES/2087 (2013)");
    assert_eq!(hits(&index_dir, "chrome"), 0);
}

#[test]
fn bad_files_are_named_counted_and_lose_nothing_indexed() {
    let (dir, docs) = docs_folder();
    let sentence = "Le Conseil de sécurité prie le Secrétaire général de lui présenter un rapport.";
    let good = resolution("S/RES/2086 (2013)", &[sentence.to_string()]);
    let good_path = docs.join("S_RES_2086_2013_F.pdf");
    write(&good_path, &good);
    let word = "The Security Council requests the Secretary-General to report on the situation.";
    let docx = fixtures::docx(Some("Report"), "Report", &[word.to_string()]);
    write(&docs.join("report-en.docx"), &docx);
    let index_dir = dir.path().join("index");
    let (summary, stderr) = index(&index_dir, &docs);
    assert_eq!(summary["added"], 2, "{summary:#} {stderr}");

    let mut broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R".to_vec();
    broken.extend(b"\nthis is not a PDF body\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("broken.pdf", broken, "broken_pdf", "broken PDF"),
        (
            "locked.pdf",
            fixtures::encrypted_pdf(sentence),
            "encrypted",
            "encrypted PDF: it needs a password",
        ),
        (
            "cut.pdf",
            good[..good.len() / 2].to_vec(),
            "truncated",
            "truncated PDF (it does not end with %%EOF)",
        ),
        (
            "scan.pdf",
            fixtures::scanned_pdf(),
            "no_text_layer",
            "no text layer in 1 page(s): a scanned image? OCR is needed",
        ),
        (
            "archive.docx",
            fixtures::plain_zip(),
            "not_docx",
            "a zip archive without word/document.xml, not a Word .docx",
        ),
        (
            "cut.docx",
            docx[..docx.len() / 2].to_vec(),
            "broken_zip",
            "not a readable zip archive (truncated or damaged)",
        ),
        (
            "old.doc",
            [
                &[0xD0u8, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
                &[0u8; 504][..],
            ]
            .concat(),
            "doc",
            "convert it to .docx or PDF",
        ),
    ];
    for (name, bytes, label, message) in cases {
        let path = docs.join(name);
        write(&path, &bytes);
        let (summary, stderr) = index(&index_dir, &docs);
        assert_eq!(
            summary["skipped"],
            serde_json::json!({ label: 1 }),
            "{name}: {summary:#} {stderr}"
        );
        assert_eq!(summary["unchanged"], 2, "{name}: {summary:#}");
        assert_eq!(summary["documents"], 2, "{name}: {summary:#}");
        let line = stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} is not named: {stderr}"));
        assert!(
            line.contains(message) && line.ends_with("(skipped)"),
            "{name}: {line}"
        );
        assert_eq!(
            top(&index_dir, "\"présenter un rapport\"")["text"].as_str(),
            Some(sentence)
        );
        assert_eq!(
            top(&index_dir, "\"report on the situation\"")["text"].as_str(),
            Some(word)
        );
        std::fs::remove_file(&path).expect("remove the bad file");
    }

    // A file that goes bad keeps what was indexed from it.
    write(&good_path, &good[..good.len() - 40]);
    let (summary, stderr) = index(&index_dir, &docs);
    assert_eq!(
        summary["skipped"],
        serde_json::json!({ "truncated": 1 }),
        "{stderr}"
    );
    assert_eq!(summary["documents"], 2, "{summary:#}");
    assert_eq!(
        top(&index_dir, "\"présenter un rapport\"")["id"],
        "S/RES/2086 (2013)"
    );
}

#[test]
fn damaged_pdfs_and_docx_never_stop_the_reading() {
    use quorum::ingest::{read_file, Item, Options, SourceFile};
    let (dir, docs) = docs_folder();
    let sentence = "Le Conseil de sécurité décide de demeurer activement saisi de la question.";
    let pdf = resolution(
        "S/RES/2086 (2013)",
        &[sentence.to_string(), sentence.to_string()],
    );
    let docx = fixtures::docx(Some("Titre"), "Titre", &[sentence.to_string()]);
    // A small linear congruential generator: the same damage on every run.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let (mut documents, mut skips) = (0, 0);
    for (name, original) in [("damaged.pdf", &pdf), ("damaged.docx", &docx)] {
        for round in 0..60 {
            let mut bytes = original.clone();
            for _ in 0..=round % 8 {
                let at = next() % bytes.len();
                bytes[at] = (next() % 256) as u8;
            }
            if round % 5 == 4 {
                bytes.truncate(next() % bytes.len());
            }
            let path = docs.join(name);
            write(&path, &bytes);
            let file = SourceFile {
                root: dir.path().to_path_buf(),
                path,
            };
            for item in read_file(&file, &Options::default()) {
                match item {
                    Item::Document(_) => documents += 1,
                    Item::Skip(skip) => {
                        assert!(skip.to_string().contains(name), "{skip}");
                        skips += 1;
                    }
                    Item::Warning(_) => {}
                }
            }
        }
    }
    assert_eq!(
        documents + skips,
        120,
        "each damaged file gives a document or a skip"
    );
    assert!(skips > 0, "some damage is fatal");
}
