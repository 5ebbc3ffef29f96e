//! Cross-language search: the learning set and its held-out rule, the shipped table,
//! `quorum lexicon`, `search --cross` and the twins of `show`.

use std::path::Path;

use quorum::lexicon::learn::{self, is_held_out};
use quorum::lexicon::Lexicon;

use crate::util::{index, json_of, quorum, search_json, shared_corpus, succeeds};

/// The sentence ids that a `docs.*` regroup of the shared corpus is made of.
fn regrouped_ids(corpus: &Path) -> std::collections::HashMap<String, Vec<String>> {
    let mut out = std::collections::HashMap::new();
    for lang in ["fr", "en"] {
        let path = corpus.join(format!("unpc_testsets/docs.{lang}.jsonl"));
        for line in std::fs::read_to_string(path).expect("docs file").lines() {
            let record: serde_json::Value = serde_json::from_str(line).expect("a record");
            let ids = record["sentence_ids"]
                .as_array()
                .expect("sentence ids")
                .iter()
                .map(|v| v.as_str().expect("an id").to_string())
                .collect();
            out.insert(record["id"].as_str().expect("an id").to_string(), ids);
        }
    }
    out
}

#[test]
fn learning_never_takes_a_testset_sentence_whatever_files_it_is_given() {
    let Some(corpus) = shared_corpus("learning_never_takes_a_testset_sentence") else {
        return;
    };
    // The learning set: the devset half, the Charter and the Declaration, nothing else.
    let learned = learn::read(&learn::learning_set(&corpus)).expect("the learning set reads");
    assert!(learned.pairs.iter().all(|p| !is_held_out(&p.id)));
    let devset = learned
        .pairs
        .iter()
        .filter(|p| p.id.starts_with("unpc-devset-"))
        .count();
    let charter = learned
        .pairs
        .iter()
        .filter(|p| p.id.starts_with("un-charter:"))
        .count();
    let udhr = learned
        .pairs
        .iter()
        .filter(|p| p.id.starts_with("udhr:"))
        .count();
    assert_eq!((charter, udhr), (112, 31));
    // The devset sentences, less those that repeat a testset sentence word for word.
    assert!((3800..4000).contains(&devset), "{devset} devset pairs");
    assert_eq!(learned.pairs.len(), devset + 112 + 31);
    assert!(
        learned.held_out > 8000,
        "both languages of the 4,000 testset sentences, and the repeats: {}",
        learned.held_out
    );

    // The whole folder, with the regroups of `docs.*` and the copies of `sample/`:
    // no pair is a testset sentence or a regroup of one.
    let everything = learn::read(std::slice::from_ref(&corpus)).expect("the corpus reads");
    let regroups = regrouped_ids(&corpus);
    for pair in &everything.pairs {
        assert!(!is_held_out(&pair.id), "learned from {}", pair.id);
        if let Some(ids) = regroups.get(&pair.id) {
            assert!(
                !ids.iter().any(|id| is_held_out(id)),
                "learned from {}, a regroup of testset sentences",
                pair.id
            );
        }
    }
    // Nor a testset sentence under another id: the devset repeats some word for word.
    for lang in ["fr", "en"] {
        let testset: std::collections::HashSet<String> =
            std::fs::read_to_string(corpus.join(format!("unpc_testsets/sentences.{lang}.jsonl")))
                .expect("sentences")
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("record"))
                .filter(|r| r["id"].as_str().is_some_and(is_held_out))
                .map(|r| r["text"].as_str().expect("text").to_string())
                .collect();
        for pair in &everything.pairs {
            let text = if lang == "fr" { &pair.fr } else { &pair.en };
            assert!(
                !testset.contains(text)
                    && !text
                        .lines()
                        .any(|l| testset.contains(l) && pair.id.starts_with("unpc-doc:")),
                "{}: a testset sentence came in under another id",
                pair.id
            );
        }
    }
}

#[test]
fn the_shipped_table_is_current_and_was_learned_from_the_learning_set_only() {
    let shipped = Lexicon::shipped().expect("the shipped table is of this analysis version");
    let (french, english) = shipped.terms();
    assert!(
        french > 1000 && english > 1000,
        "{french} / {english} terms"
    );
    let Some(corpus) = shared_corpus("the_shipped_table_was_learned_from_the_learning_set") else {
        return;
    };
    let learned = learn::read(&learn::learning_set(&corpus)).expect("the learning set reads");
    assert_eq!(shipped.pairs, learned.pairs.len());
    assert_eq!(
        shipped.ids_hash,
        learn::ids_hash(learned.pairs.iter().map(|p| p.id.as_str())),
        "the shipped table was learned from other ids: make it again with \
         `quorum lexicon build --out src/lexicon/fr-en.tsv`"
    );
}

/// A small parallel corpus of JSON Lines, with a testset record and a bad line.
fn parallel_files(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let pairs = [
        (
            "p1",
            "Les opérations de maintien de la paix.",
            "Peacekeeping operations.",
        ),
        (
            "p2",
            "Le maintien de la paix au Soudan.",
            "Peacekeeping in the Sudan.",
        ),
        (
            "p3",
            "Les opérations au Soudan.",
            "Operations in the Sudan.",
        ),
        (
            "p4",
            "Le Conseil de sécurité au Soudan.",
            "The Security Council in the Sudan.",
        ),
        (
            "p5",
            "Le Conseil et le maintien de la paix.",
            "The Council and peacekeeping.",
        ),
        (
            "unpc-testset-0001",
            "Les réfugiés du Soudan.",
            "Refugees of the Sudan.",
        ),
    ];
    let record = |id: &str, lang: &str, text: &str| {
        serde_json::json!({"id": id, "lang": lang, "text": text}).to_string()
    };
    let fr: Vec<String> = pairs
        .iter()
        .map(|(id, fr, _)| record(id, "fr", fr))
        .collect();
    let mut en: Vec<String> = pairs
        .iter()
        .map(|(id, _, en)| record(id, "en", en))
        .collect();
    en.insert(2, "{not json".into());
    let (fr_path, en_path) = (dir.join("par.fr.jsonl"), dir.join("par.en.jsonl"));
    std::fs::write(&fr_path, fr.join("\n")).expect("write");
    std::fs::write(&en_path, en.join("\n")).expect("write");
    (fr_path, en_path)
}

#[test]
fn lexicon_build_learns_from_files_names_bad_lines_and_holds_out_the_testset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (fr, en) = parallel_files(dir.path());
    let table = dir.path().join("table.tsv");
    let output = succeeds(
        quorum()
            .args(["lexicon", "build"])
            .arg(&fr)
            .arg(&en)
            .arg("--out")
            .arg(&table),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:3: not a JSON record", en.display())),
        "{stderr}"
    );
    assert!(stderr.contains("5 aligned pairs"), "{stderr}");
    assert!(stderr.contains("2 held-out testset records"), "{stderr}");
    let text = std::fs::read_to_string(&table).expect("the table");
    assert!(
        !text.contains("refug"),
        "learned from the testset record:\n{text}"
    );
    let lexicon = Lexicon::parse(&text).expect("the table reads back");
    assert_eq!(lexicon.pairs, 5);
    let peacekeeping = lexicon.translations(&quorum::Lang::En, "peacekeep");
    assert_eq!(
        peacekeeping.first().map(|t| t.terms.clone()),
        Some(vec![(0, "maintien".to_string()), (3, "paix".to_string())]),
        "{text}"
    );

    let shown = json_of(
        quorum()
            .args([
                "lexicon",
                "show",
                "peacekeeping",
                "--lang",
                "en",
                "--json",
                "--lexicon",
            ])
            .arg(&table),
    );
    assert_eq!(shown[0]["term"], "peacekeep");
    assert_eq!(shown[0]["translations"][0]["text"], "maintien +3:paix");
    // A word with no translation exits 1, as a search without hits does.
    quorum()
        .args(["lexicon", "show", "zzzz", "--lexicon"])
        .arg(&table)
        .assert()
        .code(1);
    // `--out` writes over its own table, never over a file quorum did not make.
    succeeds(
        quorum()
            .args(["lexicon", "build"])
            .arg(&fr)
            .arg(&en)
            .arg("--out")
            .arg(&table),
    );
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my notes").expect("write");
    quorum()
        .args(["lexicon", "build"])
        .arg(&fr)
        .arg(&en)
        .arg("--out")
        .arg(&notes)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a quorum lexicon"));
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "my notes");
    // Nothing aligned: an error, and no table written.
    let lone = dir.path().join("lone.jsonl");
    std::fs::write(&lone, r#"{"id": "a", "lang": "fr", "text": "Seul."}"#).expect("write");
    let nothing = dir.path().join("nothing.tsv");
    quorum()
        .args(["lexicon", "build"])
        .arg(&lone)
        .arg("--out")
        .arg(&nothing)
        .assert()
        .code(2);
    assert!(!nothing.exists());
}

#[test]
fn a_table_of_another_analysis_version_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let table = dir.path().join("old.tsv");
    std::fs::write(
        &table,
        "# quorum lexicon\n# analysis 1\n# pairs 1 ids 0\nen\tpeac\tpaix\t0.9\n",
    )
    .expect("write");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("a.txt"), "Le maintien de la paix.").expect("write");
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    let output = quorum()
        .args(["search", "--cross", "--lexicon"])
        .arg(&table)
        .arg("--index")
        .arg(&index_dir)
        .arg("peace")
        .output()
        .expect("quorum runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("analysis version 1") && stderr.contains("quorum lexicon build"),
        "{stderr}"
    );
}

/// An index of French and English records, twins by id, with the shipped table's words.
fn bilingual_index(dir: &Path) -> std::path::PathBuf {
    let records = [
        ("c1", "fr", "Le Conseil de sécurité salue les pays fournisseurs de contingents des opérations de maintien de la paix."),
        ("c1", "en", "The Security Council commends the troop-contributing countries of peacekeeping operations."),
        ("c2", "fr", "La situation humanitaire au Soudan du Sud demeure préoccupante."),
        ("c2", "en", "The humanitarian situation in South Sudan remains of concern."),
        ("c3", "fr", "Le budget de la mission est approuvé."),
        ("c4", "en", "The budget of the mission is approved."),
        (
            "long",
            "fr",
            "Le Conseil de sécurité se compose de quinze Membres.\n\nL'Assemblée générale élit dix autres Membres.\n\nChaque membre a un représentant.",
        ),
        (
            "long",
            "en",
            "The Security Council shall consist of fifteen Members. The General Assembly shall elect ten other Members.\n\nEach member shall have one representative.",
        ),
    ];
    let lines: Vec<String> = records
        .iter()
        .map(|(id, lang, text)| {
            serde_json::json!({"id": id, "lang": lang, "text": text}).to_string()
        })
        .collect();
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).expect("mkdir");
    std::fs::write(docs.join("records.jsonl"), lines.join("\n")).expect("write");
    let index_dir = dir.join("index");
    index(&index_dir, &[&docs]);
    index_dir
}

#[test]
fn cross_finds_the_other_languages_passages_and_changes_nothing_without_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index_dir = bilingual_index(dir.path());
    let query = ["peacekeeping", "operations"];
    // Without --cross, only the word French shares (`operations`) finds the passage.
    let plain = search_json(&index_dir, &[&query[..], &["--lang", "fr"]].concat());
    assert_eq!(
        plain["hits"][0]["missing"],
        serde_json::json!(["peacekeeping"]),
        "{plain}"
    );
    let cross = search_json(
        &index_dir,
        &[&query[..], &["--lang", "fr", "--cross"]].concat(),
    );
    assert_eq!(cross["hits"][0]["id"], "c1", "{cross}");
    assert_eq!(cross["hits"][0]["lang"], "fr");
    assert_eq!(cross["hits"][0]["missing"], serde_json::json!([]));
    let snippet = cross["hits"][0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<b>maintien de la paix</b>"), "{snippet}");
    // Without a filter, both languages come, each marked with its own; the words as
    // typed rank first.
    let both = search_json(&index_dir, &[&query[..], &["--cross"]].concat());
    let langs: Vec<&str> = both["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["lang"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(langs.first(), Some(&"en"), "{both}");
    assert!(langs.contains(&"fr"), "{both}");
    // The other direction.
    let reverse = search_json(
        &index_dir,
        &["situation", "humanitaire", "--lang", "en", "--cross"],
    );
    assert_eq!(reverse["hits"][0]["id"], "c2", "{reverse}");
    assert_eq!(reverse["hits"][0]["lang"], "en");
    // Without --cross, a French passage never has `peacekeeping`.
    let before = search_json(&index_dir, &query);
    assert_eq!(before["hits"][0]["lang"], "en", "{before}");
    assert!(before["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter(|h| h["lang"] == "fr")
        .all(|h| h["missing"] == serde_json::json!(["peacekeeping"])));
}

#[test]
fn show_gives_each_passage_its_twin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index_dir = bilingual_index(dir.path());
    let shown = json_of(
        quorum()
            .args(["show", "c1", "--json", "--lang", "fr", "--index"])
            .arg(&index_dir),
    );
    let passage = &shown["documents"][0]["passages"][0];
    assert_eq!(passage["twin"]["lang"], "en");
    assert_eq!(passage["twin"]["passage"], 1);
    assert!(passage["twin"]["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("The Security Council commends")));
    // Ids without a twin in the other language have none.
    let alone = json_of(
        quorum()
            .args(["show", "c3", "--json", "--index"])
            .arg(&index_dir),
    );
    assert!(
        alone["documents"][0]["passages"][0].get("twin").is_none(),
        "{alone}"
    );
    // Three French passages, two English ones: each French passage's twin is the English
    // passage that holds its translation.
    let long = json_of(
        quorum()
            .args(["show", "long", "--json", "--index"])
            .arg(&index_dir),
    );
    let french = long["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["lang"] == "fr")
        .expect("the French document");
    let twins: Vec<u64> = french["passages"]
        .as_array()
        .expect("passages")
        .iter()
        .map(|p| p["twin"]["passage"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(twins, [1, 1, 2], "{long}");
    let human = succeeds(quorum().args(["show", "c1", "--index"]).arg(&index_dir));
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("⇄ en [1]: The Security Council commends"),
        "{human}"
    );
}

/// The Charter as one document per language, its articles joined, and where each
/// article starts in the text.
fn whole_charter(corpus: &Path, lang: &str) -> (String, Vec<usize>) {
    let path = corpus.join(format!("un_charter/charter.{lang}.jsonl"));
    let mut text = String::new();
    let mut starts = Vec::new();
    for line in std::fs::read_to_string(path).expect("the Charter").lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("a record");
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        starts.push(text.len());
        text.push_str(record["text"].as_str().expect("a text"));
    }
    (text, starts)
}

/// The articles a byte range of the whole Charter covers.
fn articles(starts: &[usize], start: usize, end: usize) -> std::ops::RangeInclusive<usize> {
    let of = |at: usize| starts.partition_point(|s| *s <= at).saturating_sub(1);
    of(start)..=of(end.saturating_sub(1).max(start))
}

#[test]
fn twins_of_the_whole_charter_land_on_the_same_article() {
    let Some(corpus) = shared_corpus("twins_of_the_whole_charter_land_on_the_same_article") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (fr, fr_starts) = whole_charter(&corpus, "fr");
    let (en, en_starts) = whole_charter(&corpus, "en");
    let lines = [("fr", &fr), ("en", &en)].map(|(lang, text)| {
        serde_json::json!({"id": "charter", "lang": lang, "text": text}).to_string()
    });
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("charter.jsonl"), lines.join("\n")).expect("write");
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    let shown = json_of(
        quorum()
            .args(["show", "charter", "--json", "--index"])
            .arg(&index_dir),
    );
    let documents = shown["documents"].as_array().expect("documents");
    let doc = |lang: &str| {
        documents
            .iter()
            .find(|d| d["lang"] == lang)
            .expect("both languages")
    };
    let range = |p: &serde_json::Value| {
        (
            p["start"].as_u64().expect("start") as usize,
            p["end"].as_u64().expect("end") as usize,
        )
    };
    let mut report = Vec::new();
    for (from, to, from_starts, to_starts) in [
        ("fr", "en", &fr_starts, &en_starts),
        ("en", "fr", &en_starts, &fr_starts),
    ] {
        let passages = doc(from)["passages"].as_array().expect("passages");
        let others = doc(to)["passages"].as_array().expect("passages");
        let (mut right, mut by_place) = (0, 0);
        for (i, p) in passages.iter().enumerate() {
            let (start, end) = range(p);
            let wanted = articles(from_starts, start, end);
            let lands = |q: &serde_json::Value| {
                let (start, end) = range(q);
                let got = articles(to_starts, start, end);
                got.start() <= wanted.end() && wanted.start() <= got.end()
            };
            let twin = p["twin"]["passage"].as_u64().expect("a twin") as usize;
            right += usize::from(lands(&others[twin - 1]));
            // The naive rule, for comparison: the passage at the same relative place.
            let place = (i * others.len()) / passages.len();
            by_place += usize::from(lands(&others[place.min(others.len() - 1)]));
        }
        let share = right as f64 / passages.len() as f64;
        report.push(format!(
            "{from} → {to}: {right} of {} passages ({share:.3}) land on their article; the same relative place: {by_place}",
            passages.len()
        ));
        assert!(share >= 0.9, "{}", report.join("\n"));
    }
    eprintln!("twins of the whole Charter:\n{}", report.join("\n"));
}
