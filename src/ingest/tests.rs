//! Tests of reading files into documents, skips and warnings, through [`read_file`].

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

/// The shared corpus, or `None` after saying that the calling test is skipped.
pub(crate) fn shared_corpus() -> Option<PathBuf> {
    let found = shared::corpus_dir();
    if found.is_none() {
        println!("skipped: ../shared/corpus not found (set QUORUM_SHARED)");
    }
    found
}

const EN: &str = "The Security Council, recalling all its previous resolutions on the situation in the region, expresses its deep concern at the continuing violence and calls upon all parties to respect international humanitarian law and to protect civilians.";
const FR: &str = "Le Conseil de sécurité, rappelant toutes ses résolutions antérieures sur la situation dans la région, se déclare profondément préoccupé par la poursuite des violences et demande à toutes les parties de respecter le droit international humanitaire.";

#[test]
fn large_jsonl_is_streamed_with_the_same_rules() {
    // Several times the reader's buffer, so that lines cross its boundaries: good lines
    // around a broken one and a Windows-1252 one are all handled as in a small file.
    let filler = format!(
        "{{\"id\": \"f\", \"lang\": \"en\", \"text\": \"{}\"}}\n",
        "x ".repeat(500)
    );
    let mut content = Vec::new();
    content.extend_from_slice(b"\xef\xbb\xbf{\"id\": \"first\", \"text\": \"La paix.\"}\r\n\n");
    content.extend_from_slice(b"{broken\n");
    content.extend_from_slice(
        b"{\"id\": \"latin\", \"lang\": \"fr\", \"text\": \"Les op\xe9rations.\"}\n",
    );
    while content.len() <= 3 << 20 {
        content.extend_from_slice(filler.as_bytes());
    }
    content.extend_from_slice(b"{\"id\": \"last\", \"text\": \"La fin.\"}");
    let (_dir, items) = ingest(&[("big.jsonl", &content)], &Options::default());
    let docs: Vec<&Document> = items
        .iter()
        .filter_map(|i| match i {
            Item::Document(d) if d.id != "f" => Some(d),
            _ => None,
        })
        .collect();
    let ids: Vec<(&str, Option<usize>)> = docs.iter().map(|d| (d.id.as_str(), d.line)).collect();
    assert_eq!(ids[..2], [("first", Some(1)), ("latin", Some(4))]);
    assert_eq!(ids.last().map(|d| d.0), Some("last"));
    assert_eq!(docs[1].text, "Les opérations.");
    let skips: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Skip(s) => Some(s.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert!(skips[0].contains("big.jsonl:3: invalid JSON"), "{skips:?}");
    assert!(items
        .iter()
        .any(|i| matches!(i, Item::Warning(w) if w.message.contains("windows-1252"))));
}

/// Writes `files` under a new temp dir and reads everything in it.
fn ingest(files: &[(&str, &[u8])], options: &Options) -> (tempfile::TempDir, Vec<Item>) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, content) in files {
        let path = dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create test folder");
        }
        fs::write(path, content).expect("write test file");
    }
    let items = read_all(&[dir.path().to_path_buf()], options);
    (dir, items)
}

fn read_all(roots: &[PathBuf], options: &Options) -> Vec<Item> {
    discover(roots)
        .expect("discover")
        .iter()
        .flat_map(|f| read_file(f, options))
        .collect()
}

/// A one-line summary of an item, to compare streams in tables.
fn summary(item: &Item) -> String {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    match item {
        Item::Document(d) => format!("doc {} {}", d.id, d.lang),
        Item::Skip(s) => format!(
            "skip {}:{} {}",
            name(&s.path).unwrap_or_default(),
            s.line.map_or(String::new(), |l| l.to_string()),
            s.reason.label()
        ),
        Item::Warning(w) => format!("warn {} {}", name(&w.path).unwrap_or_default(), w.message),
    }
}

fn documents(items: &[Item]) -> Vec<&Document> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Document(d) => Some(d),
            _ => None,
        })
        .collect()
}

#[test]
fn files_give_documents_skips_and_warnings() {
    let fr = Options {
        lang: LangChoice::Fixed(Lang::Fr),
        ..Options::default()
    };
    // (case name, files to write, expected stream summary)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a [u8])], &'a [&'a str]);
    let cases: &[Case] = &[
        ("plain text", &[("a/b.txt", b"Le Conseil.")], &["doc a/b.txt fr"]),
        ("bom", &[("x.txt", b"\xef\xbb\xbfLe Conseil.")], &["doc x.txt fr"]),
        (
            "windows-1252",
            &[("w.txt", b"Les op\xe9rations de maintien de la paix du Conseil de s\xe9curit\xe9.")],
            &["warn w.txt decoded as windows-1252 (not UTF-8)", "doc w.txt fr"],
        ),
        ("binary", &[("b.txt", b"\x00\x01\x02abc")], &["skip b.txt: binary"]),
        ("empty", &[("e.txt", b"")], &["skip e.txt: empty"]),
        ("whitespace", &[("e.md", b" \n\t\r\n")], &["skip e.md: empty"]),
        (
            "invalid line in the middle",
            &[(
                "c.jsonl",
                b"{\"id\":\"a\",\"text\":\"Un.\"}\n{\"id\":\"b\",\"text\":\n\n{\"id\":\"c\",\"text\":\"Trois.\"}\n",
            )],
            &["doc a fr", "skip c.jsonl:2 invalid_json", "doc c fr"],
        ),
        (
            "missing fields and numeric id",
            &[(
                "m.jsonl",
                b"{\"text\":\"x\"}\r\n{\"id\":\"a\"}\r\n{\"id\":7,\"text\":\"Sept.\"}\r\n{\"id\":\"e\",\"text\":\"  \"}",
            )],
            &["skip m.jsonl:1 missing_id", "skip m.jsonl:2 missing_text", "doc 7 fr", "skip m.jsonl:4 empty_text"],
        ),
        (
            "metadata language wins over the flag",
            &[("l.jsonl", b"{\"id\":\"a\",\"lang\":\"en\",\"text\":\"Le Conseil.\"}\n{\"id\":\"b\",\"lang\":\"es\",\"text\":\"El Consejo.\"}")],
            &["doc a en", "doc b es"],
        ),
        (
            "bad optional field",
            &[("o.jsonl", b"{\"id\":\"a\",\"text\":\"Le Conseil.\",\"title\":{}}")],
            &["warn o.jsonl field `title` is an object, not a string (ignored)", "doc a fr"],
        ),
        (
            "path order across kinds",
            &[("z.md", b"# T"), ("a/z.jsonl", b"{\"id\":1,\"text\":\"x\"}"), ("a/b.txt", b"y")],
            &["doc a/b.txt fr", "doc 1 fr", "doc z.md fr"],
        ),
    ];
    for (name, files, want) in cases {
        let (_dir, items) = ingest(files, &fr);
        let got: Vec<String> = items.iter().map(summary).collect();
        assert_eq!(got, *want, "case {name}");
    }
}

#[test]
fn documents_carry_their_metadata() {
    let line = br#"{"id":"S/RES/827 (1993)","lang":"en","symbol":"S/RES/827 (1993)","title":"T","date":"1993-05-25","doc_type":"resolution","text":"RESOLUTION 827 (1993)\n\nThe Security Council,"}"#;
    let (dir, items) = ingest(
        &[
            ("r.jsonl", line),
            ("n.md", b"intro\n# Le titre #\n\nCorps."),
            ("\u{e9}.txt", b"\xef\xbb\xbfCorps."),
        ],
        &Options::default(),
    );
    let docs = documents(&items);
    assert_eq!(docs.len(), 3, "{items:?}");
    let (md, res, txt) = (docs[0], docs[1], docs[2]);
    assert_eq!(
        (md.id.as_str(), md.title.as_deref(), md.line),
        ("n.md", Some("Le titre"), None)
    );
    assert_eq!(md.path, dir.path().join("n.md"));
    assert_eq!(res.id, "S/RES/827 (1993)");
    assert_eq!(res.symbol.as_deref(), Some("S/RES/827 (1993)"));
    assert_eq!(
        (res.date.as_deref(), res.year),
        (Some("1993-05-25"), Some(1993))
    );
    assert_eq!(
        (res.doc_type.as_deref(), res.line),
        (Some("resolution"), Some(1))
    );
    assert_eq!(res.passages.len(), 2);
    assert_eq!(
        (txt.id.as_str(), txt.text.as_str(), txt.title.as_deref()),
        ("é.txt", "Corps.", None)
    );
    for doc in docs {
        for passage in &doc.passages {
            assert!(!doc.text[passage.range.clone()].trim().is_empty());
        }
    }
}

#[test]
fn a_file_root_gives_its_name_as_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("one.txt");
    fs::write(&file, EN).expect("write");
    let items = read_all(&[file], &Options::default());
    let docs = documents(&items);
    assert_eq!(docs.len(), 1);
    assert_eq!(
        (docs[0].id.as_str(), docs[0].lang_source),
        ("one.txt", LangSource::Detected)
    );
}

#[test]
fn languages_come_from_metadata_flag_or_detection() {
    let cases: &[(&str, LangChoice, Lang, LangSource)] = &[
        (EN, LangChoice::Auto, Lang::En, LangSource::Detected),
        (FR, LangChoice::Auto, Lang::Fr, LangSource::Detected),
        (EN, LangChoice::Fixed(Lang::Fr), Lang::Fr, LangSource::Flag),
        (
            "12 345 / 678",
            LangChoice::Auto,
            Lang::Fr,
            LangSource::Default,
        ),
    ];
    for (text, choice, lang, source) in cases {
        let options = Options {
            lang: choice.clone(),
            ..Options::default()
        };
        let (_dir, items) = ingest(&[("t.txt", text.as_bytes())], &options);
        let docs = documents(&items);
        assert_eq!(docs.len(), 1, "{text:?}: {items:?}");
        assert_eq!(
            (&docs[0].lang, docs[0].lang_source),
            (lang, *source),
            "{text:?}"
        );
    }
}

#[test]
fn mixed_french_and_english_text_gets_passage_languages() {
    let text = format!("{EN}\n\n{EN}\n\n{FR}\n\nShort line.");
    let want = [Lang::En, Lang::En, Lang::Fr, Lang::En];
    let cases: &[(LangChoice, &[Lang])] = &[
        (LangChoice::Auto, &want),
        // A language the user fixed is not second-guessed.
        (
            LangChoice::Fixed(Lang::En),
            &[Lang::En, Lang::En, Lang::En, Lang::En],
        ),
    ];
    for (choice, want) in cases {
        let options = Options {
            lang: choice.clone(),
            ..Options::default()
        };
        let (_dir, items) = ingest(&[("mixed.txt", text.as_bytes())], &options);
        let docs = documents(&items);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].lang, Lang::En);
        let got: Vec<Lang> = docs[0].passages.iter().map(|p| p.lang.clone()).collect();
        assert_eq!(got, *want, "{choice:?}");
    }
}

#[test]
fn unreadable_file_is_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("locked.txt");
    fs::write(&path, "Le Conseil.").expect("write");
    let files = discover(&[dir.path().to_path_buf()]).expect("discover");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&path).is_ok() {
        println!("note: running as a user who can read a chmod 000 file (root?); unreadable assertion skipped");
        return;
    }
    let items: Vec<Item> = read_file(&files[0], &Options::default()).collect();
    let [Item::Skip(skip)] = items.as_slice() else {
        panic!("expected one skip, got {items:?}");
    };
    assert_eq!(skip.reason.label(), "unreadable");
    assert!(
        skip.to_string().contains("locked.txt: unreadable: "),
        "{skip}"
    );
}

#[test]
fn vanished_file_is_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gone.txt");
    fs::write(&path, "Le Conseil.").expect("write");
    let files = discover(&[dir.path().to_path_buf()]).expect("discover");
    fs::remove_file(&path).expect("remove");
    let items: Vec<Item> = read_file(&files[0], &Options::default()).collect();
    let got: Vec<String> = items.iter().map(summary).collect();
    assert_eq!(got, ["skip gone.txt: vanished"]);
}

#[test]
fn skips_and_warnings_display_their_place() {
    let cases: &[(Item, &str)] = &[
        (
            Item::Skip(Skip {
                path: "corpus/x.jsonl".into(),
                line: Some(12),
                reason: SkipReason::InvalidJson("expected `,` or `}` at column 40".into()),
            }),
            "corpus/x.jsonl:12: invalid JSON: expected `,` or `}` at column 40 (skipped)",
        ),
        (
            Item::Skip(Skip {
                path: "a.txt".into(),
                line: None,
                reason: SkipReason::Binary,
            }),
            "a.txt: binary file (skipped)",
        ),
        (
            Item::Warning(Warning {
                path: "w.txt".into(),
                line: None,
                message: "decoded as windows-1252 (not UTF-8)".into(),
            }),
            "w.txt: decoded as windows-1252 (not UTF-8)",
        ),
    ];
    for (item, want) in cases {
        let got = match item {
            Item::Skip(s) => s.to_string(),
            Item::Warning(w) => w.to_string(),
            Item::Document(d) => d.id.clone(),
        };
        assert_eq!(got, *want);
    }
}

/// Reads the whole shared corpus: every record must give a document, with the
/// language its metadata declares, and its one note is named as skipped.
#[test]
fn shared_corpus_reads_without_skips() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let items = read_all(std::slice::from_ref(&corpus), &Options::default());
    let mut per_file: std::collections::BTreeMap<String, usize> = Default::default();
    for item in &items {
        match item {
            Item::Skip(skip) if skip.reason == SkipReason::Note => {
                assert_eq!(skip.path, corpus.join("SOURCES.md"));
            }
            Item::Document(d) => {
                assert_eq!(d.lang_source, LangSource::Metadata, "{}", d.id);
                assert!(!d.passages.is_empty(), "{}", d.id);
                let name = d.path.file_name().map(|n| n.to_string_lossy().into_owned());
                *per_file.entry(name.unwrap_or_default()).or_default() += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let want = [
        ("charter.en.jsonl", 112),
        ("charter.fr.jsonl", 112),
        ("docs.en.jsonl", 1463),
        ("docs.fr.jsonl", 1463),
        ("resolutions.en.jsonl", 902),
        ("sample.en.jsonl", 318),
        ("sample.fr.jsonl", 280),
        ("sentences.en.jsonl", 8000),
        ("sentences.fr.jsonl", 8000),
        ("udhr.en.jsonl", 31),
        ("udhr.fr.jsonl", 31),
    ];
    let got: Vec<(&str, usize)> = per_file.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(got, want);
}
