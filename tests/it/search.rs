//! Search end to end through the binary: the named cases on the real corpus, ranking
//! rules on small fixtures, and the JSON contract.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::util::{hit_keys, index, quorum, search_json, shared_corpus, shipped_corpus};

/// The real corpus indexed once for every test of this binary.
fn real_index(test: &str) -> Option<&'static Path> {
    static INDEX: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    let built = INDEX.get_or_init(|| {
        let corpus = shared_corpus("the real-corpus search tests")?;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("index");
        index(&path, &[&corpus]);
        Some((dir, path))
    });
    match built {
        Some((_, path)) => Some(path.as_path()),
        None => {
            eprintln!("skipped {test}: no shared corpus");
            None
        }
    }
}

fn texts(response: &serde_json::Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .map(|h| h["text"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts that some hit in the top `limit` has a text containing `needle`.
fn assert_finds(index: &Path, query: &[&str], needle: &str) {
    let response = search_json(index, query);
    let found = texts(&response);
    assert!(
        found.iter().any(|t| t.contains(needle)),
        "query {query:?}: no hit in the top 10 contains {needle:?}; got:\n{}",
        found.join("\n---\n")
    );
}

// The named cases of the core issue, each a query in one form finding the text in another.

#[test]
fn unaccented_query_finds_accented_text() {
    let Some(index) = real_index("unaccented_query_finds_accented_text") else {
        return;
    };
    assert_finds(index, &["--lang", "fr", "operations"], "opérations");
    assert_finds(index, &["--lang", "fr", "opérations"], "opérations");
    assert_finds(index, &["--lang", "fr", "securite"], "sécurité");
}

#[test]
fn ligature_is_found_without_it() {
    let Some(index) = real_index("ligature_is_found_without_it") else {
        return;
    };
    assert_finds(index, &["oeuvre"], "œuvre");
    assert_finds(index, &["œuvre"], "œuvre");
}

#[test]
fn elided_article_and_either_apostrophe() {
    let Some(index) = real_index("elided_article_and_either_apostrophe") else {
        return;
    };
    assert_finds(
        index,
        &["--lang", "fr", "organisation des Nations Unies"],
        "l'Organisation des Nations Unies",
    );
    let curly = search_json(index, &["--lang", "fr", "--limit", "50", "l’Organisation"]);
    let straight = search_json(index, &["--lang", "fr", "--limit", "50", "l'Organisation"]);
    assert_eq!(hit_keys(&curly), hit_keys(&straight));
    assert_eq!(curly["total_hits"], straight["total_hits"]);
    // The UDHR writes only U+2019: a straight apostrophe finds it.
    assert_finds(index, &["--lang", "fr", "l'homme dignité"], "l’homme");
}

#[test]
fn inflections_find_each_other() {
    let Some(index) = real_index("inflections_find_each_other") else {
        return;
    };
    assert_finds(index, &["--lang", "fr", "contingent"], "contingents");
    let singular = search_json(index, &["--lang", "fr", "contingent"]);
    let plural = search_json(index, &["--lang", "fr", "contingents"]);
    assert_eq!(singular["total_hits"], plural["total_hits"]);
    assert_finds(index, &["--lang", "fr", "fournisseur"], "fournisseurs");
    assert_finds(index, &["--lang", "fr", "résolutions"], "résolution ");
    assert_finds(index, &["--lang", "en", "sanction"], "sanctions");
    assert_finds(index, &["--lang", "en", "peacekeepers"], "peacekeeper");
}

#[test]
fn hyphen_variants_find_each_other() {
    let Some(index) = real_index("hyphen_variants_find_each_other") else {
        return;
    };
    // The 1946–94 resolutions write `peace-keeping`.
    let wanted = &[
        "--lang",
        "en",
        "--limit",
        "10",
        "type:resolution",
        "year:..1994",
    ];
    for spelling in ["peacekeeping", "peace-keeping", "peace keeping"] {
        let mut query = wanted.to_vec();
        query.push(spelling);
        assert_finds(index, &query, "peace-keeping");
    }
    for phrase in [
        "\"peacekeeping operations\"",
        "\"peace-keeping operations\"",
        "\"peace keeping operations\"",
    ] {
        let mut query = wanted.to_vec();
        query.push(phrase);
        assert_finds(index, &query, "peace-keeping operations");
    }
    // And the other way: the 2015 sentences write `peacekeeping`.
    assert_finds(
        index,
        &["--lang", "en", "peace-keeping", "year:2015"],
        "peacekeeping",
    );
}

#[test]
fn capitals_and_phrases() {
    let Some(index) = real_index("capitals_and_phrases") else {
        return;
    };
    assert_finds(index, &["CONSEIL DE SÉCURITÉ"], "Conseil de sécurité");
    let response = search_json(index, &["--limit", "50", "\"maintien de la paix\""]);
    let found = texts(&response);
    assert!(!found.is_empty(), "the phrase finds nothing");
    for text in &found {
        let flat = text
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            flat.contains("maintien de la paix"),
            "not the phrase: {text}"
        );
    }
}

#[test]
fn document_symbol_finds_its_document_first() {
    let Some(index) = real_index("document_symbol_finds_its_document_first") else {
        return;
    };
    for symbol in [
        "S/PRST/2015/4",
        "S/RES/242 (1967)",
        "A/69/767",
        "S/RES/2086 (2013)",
    ] {
        let response = search_json(index, &[symbol]);
        let Some(first) = response["hits"].get(0) else {
            // S/RES/2086 (2013) is cited in the seed, not in the shared corpus.
            assert_eq!(symbol, "S/RES/2086 (2013)", "{symbol} finds nothing");
            continue;
        };
        let hit_symbol = first["symbol"].as_str().unwrap_or_default();
        assert!(
            hit_symbol == symbol || first["text"].as_str().unwrap_or_default().contains(symbol),
            "{symbol}: first hit is {first}"
        );
    }
}

#[test]
fn information_needs_rank_passages_about_them_first() {
    let Some(index) = real_index("information_needs_rank_passages_about_them_first") else {
        return;
    };
    // Judged by reading: the top passages must hold every content word of the need, in
    // some inflection and case (`Protected` is `protection`'s word).
    let needs: &[(&[&str], &[&str])] = &[
        (
            &["pays fournisseurs de contingents"],
            &["pays", "fournisseurs", "contingents"],
        ),
        (&["protection of civilians"], &["protect", "civilian"]),
        (
            &["apartheid in South Africa"],
            &["apartheid", "South Africa"],
        ),
        (&["--lang", "fr", "droits de l'homme"], &["droits", "homme"]),
    ];
    for (query, words) in needs {
        let response = search_json(index, &[&["--limit", "5"], *query].concat());
        let found = texts(&response);
        assert!(found.len() >= 3, "{query:?}: fewer than 3 hits");
        for text in found.iter().take(3) {
            for word in *words {
                assert!(
                    text.replace('\n', " ")
                        .to_lowercase()
                        .contains(&word.to_lowercase()),
                    "{query:?}: a top-3 passage lacks {word:?}: {text}"
                );
            }
        }
    }
}

#[test]
fn shipped_corpus_answers_contingents_on_first_run() {
    // A fresh clone: no index yet, the default paths, the working directory at the root.
    let work = tempfile::tempdir().expect("temp dir");
    let corpus = work.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus dir");
    for entry in std::fs::read_dir(shipped_corpus()).expect("corpus/ exists") {
        let path = entry.expect("entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, corpus.join(name)).expect("copy");
        }
    }
    // A clone also holds index/README.md, which tells quorum it runs from its
    // repository (issue 9, item 13) rather than from anywhere else.
    std::fs::create_dir(work.path().join("index")).expect("index dir");
    std::fs::write(work.path().join("index/README.md"), "").expect("index README");
    let output = crate::util::succeeds(quorum().current_dir(work.path()).args([
        "search",
        "--json",
        "contingents",
    ]));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("building it from corpus/"),
        "no first-run notice: {stderr}"
    );
    let response: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let first = texts(&response);
    assert!(
        first[0].contains("pays fournisseurs de contingents")
            || first[0].contains("fournissent des contingents"),
        "first hit is not about the contributing countries: {}",
        first[0]
    );
    assert!(response["hits"][0]["snippet"]
        .as_str()
        .unwrap_or_default()
        .contains("<b>contingents</b>"));
    // corpus/README.md is a note, never a document.
    assert!(response["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|h| h["id"] != "README.md"));
    // The seed's symbol, glued to a link label, is still found.
    let output = quorum()
        .current_dir(work.path())
        .args(["search", "--json", "S/PRST/2001/3"])
        .output()
        .expect("quorum runs");
    let response: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(response["total_hits"], 1, "{response}");
    let output = quorum()
        .current_dir(work.path())
        .args(["search", "--json", "résolution 2086 (2013)"])
        .output()
        .expect("quorum runs");
    let response: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(response["total_all_words"], 1, "{response}");
    assert_eq!(
        response["hits"][0]["missing"],
        serde_json::json!([]),
        "{response}"
    );
    assert!(response["hits"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("2086"));
}

/// A folder of small fixture documents, indexed.
fn fixture(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs dir");
    for (name, text) in files {
        std::fs::write(docs.join(name), text).expect("write fixture");
    }
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    (dir, index_dir)
}

#[test]
fn exact_accents_rank_above_folded_matches() {
    let (_dir, index) = fixture(&[
        ("a.txt", "Le comité a parlé du péché des nations."),
        ("b.txt", "Le comité a parlé de la pêche des nations."),
    ]);
    let response = search_json(&index, &["pêche"]);
    assert_eq!(response["total_hits"], 2, "{response}");
    assert_eq!(response["hits"][0]["id"], "b.txt", "{response}");
    let response = search_json(&index, &["péché"]);
    assert_eq!(response["hits"][0]["id"], "a.txt", "{response}");
}

/// Equal scores are ordered by document fingerprint and passage: the same whether the
/// documents were indexed in one run (one segment) or one run each (three segments),
/// and a document's passages stand together in their own order.
#[test]
fn equal_scores_are_ordered_the_same_however_the_index_was_cut() {
    // The same length and the same matches, but not the same words: equal scores, and
    // not copies of one passage.
    let files = [
        ("c.txt", "Le Conseil de sécurité se réunit."),
        ("a.txt", "Le Conseil de sécurité se retire."),
        (
            "b.txt",
            "Le Conseil de sécurité se prononce.\n\nLe Conseil de sécurité se rassemble.",
        ),
    ];
    let (_dir, whole) = fixture(&files);
    let order = |index: &Path| -> Vec<(String, u64)> {
        hit_keys(&search_json(index, &["conseil"]))
            .into_iter()
            .map(|(id, _, passage)| (id, passage))
            .collect()
    };
    let once = order(&whole);
    assert_eq!(once.len(), 4, "{once:?}");
    let b: Vec<u64> = once
        .iter()
        .filter(|(id, _)| id == "b.txt")
        .map(|h| h.1)
        .collect();
    assert_eq!(b, [1, 2], "a document's passages in their order: {once:?}");
    let at = |id: &str| once.iter().position(|h| h.0 == id).unwrap();
    assert_eq!(
        at("b.txt") + 1,
        once.iter().rposition(|h| h.0 == "b.txt").unwrap()
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs dir");
    let cut = dir.path().join("index");
    for (name, text) in files {
        std::fs::write(docs.join(name), text).expect("write fixture");
        index(&cut, &[&docs]);
    }
    assert_eq!(
        order(&cut),
        once,
        "one segment per run gives the same order"
    );
}

/// Issue 14: a search counts every match up to its count limit, one segment at a time;
/// the segments searched after it was reached (all of them, with a limit of 0, which is
/// `--no-count`) skip what cannot make the page, and the count is then a lower bound
/// (`counted` false). The page is the same as with every match counted, for a single
/// word (a union of terms that tantivy prunes by blocks) and for several words.
#[test]
fn past_the_count_limit_the_page_is_the_same_and_the_count_a_lower_bound() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs dir");
    // Passages of different lengths score differently. A query of several words keeps
    // its 200 best passages for the reranks, so there are more than that.
    let filler = "les contingents de la force ont rendu compte au secrétariat de leurs travaux";
    for file in 0..4 {
        let passages: Vec<String> = (0..250)
            .map(|p| {
                let words = filler.split(' ').cycle().take(12 + p % 25 + 6 * file);
                format!(
                    "La mission {file} {p} {}.",
                    words.collect::<Vec<_>>().join(" ")
                )
            })
            .collect();
        std::fs::write(docs.join(format!("{file}.txt")), passages.join("\n\n"))
            .expect("write fixture");
    }
    let index_dir = dir.path().join("index");
    index(&index_dir, &[&docs]);
    for query in ["mission", "mission contingents"] {
        let (all, bounded) = count_limits(&index_dir, query, 0);
        assert_eq!(all.total_hits, 1000, "{query}");
        assert!(bounded.total_hits < 1000, "{query}: {}", bounded.total_hits);
        // A limit the matches do not pass leaves the count exact.
        let store = quorum::index::store::Store::new(index_dir.clone());
        let engine = quorum::search::Engine::open(&store).expect("open the index");
        let request = quorum::search::Request {
            limit: 3,
            count_limit: 1000,
            matching: quorum::search::Matching::All,
            ..quorum::search::Request::new(query)
        };
        let under = engine.search(&request).expect("search");
        assert!(under.counted, "{query}");
        assert_eq!(under.total_hits, 1000, "{query}");
    }

    // Several segments (a commit every megabyte): the first are counted whole, the
    // rest only as far as the page needs. Single words: a query of several words keeps
    // 200 passages per segment, more than these segments hold of any.
    let Some(corpus) =
        shared_corpus("past_the_count_limit_the_page_is_the_same_and_the_count_a_lower_bound")
    else {
        return;
    };
    let many = dir.path().join("many");
    crate::util::succeeds(
        quorum()
            .args(["index", "--quiet", "--commit-mb", "1", "--index"])
            .arg(&many)
            .arg(corpus.join("unpc_testsets/docs.en.jsonl"))
            .arg(corpus.join("unpc_testsets/docs.fr.jsonl")),
    );
    for query in ["operations", "Conseil", "development"] {
        let (all, bounded) = count_limits(&many, query, 100);
        assert!(all.total_hits > 100, "{query}: {}", all.total_hits);
        assert!(bounded.total_hits >= 100, "{query}: {}", bounded.total_hits);
    }
}

/// Searches `query` on `index` counting every match, then with `count_limit`; checks
/// that both give the same page, that the first count is exact and that the second is
/// a lower bound that says so. Gives both responses. Every word is required (`--match
/// all`): with the tiers of fewer words left unvisited, no count would be exact.
fn count_limits(
    index: &Path,
    query: &str,
    count_limit: usize,
) -> (quorum::search::Response, quorum::search::Response) {
    use quorum::search::{Engine, Request};
    let store = quorum::index::store::Store::new(index.to_path_buf());
    let engine = Engine::open(&store).expect("open the index");
    let search = |count_limit: usize| {
        let request = Request {
            limit: 3,
            count_limit,
            matching: quorum::search::Matching::All,
            ..Request::new(query)
        };
        engine.search(&request).expect("search")
    };
    let all = search(usize::MAX);
    let bounded = search(count_limit);
    assert!(all.counted, "{query}");
    assert!(!bounded.counted, "{query}: a lower bound past the limit");
    assert!(bounded.total_hits <= all.total_hits, "{query}");
    let page = |response: &quorum::search::Response| -> Vec<(String, u64, f32)> {
        response
            .hits
            .iter()
            .map(|h| (h.id.clone(), h.passage, h.score))
            .collect()
    };
    assert_eq!(page(&bounded), page(&all), "{query}");
    (all, bounded)
}

/// Issue 10, section 2: the same passage in several records (a sentence record and the
/// document that regroups it) is shown once, with the others listed, and counted.
#[test]
fn copies_of_a_passage_are_shown_once_with_the_others_listed() {
    let same = "Le Conseil de sécurité se réunit.";
    let (_dir, index) = fixture(&[
        ("c.txt", same),
        ("a.txt", same),
        ("b.txt", "LE CONSEIL DE SÉCURITÉ\nse réunit"),
        ("d.txt", "Le Conseil de sécurité se retire."),
    ]);
    let response = search_json(&index, &["conseil"]);
    assert_eq!(response["total_hits"], 4, "copies are counted: {response}");
    let ids: Vec<_> = hit_keys(&response).into_iter().map(|k| k.0).collect();
    assert_eq!(ids.len(), 2, "{response}");
    let first = response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] != "d.txt")
        .expect("the copies' hit");
    let copies: Vec<&str> = first["also_in"]
        .as_array()
        .expect("also_in is a list")
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let mut all: Vec<&str> = copies
        .iter()
        .copied()
        .chain([first["id"].as_str().unwrap()])
        .collect();
    all.sort();
    assert_eq!(all, ["a.txt", "b.txt", "c.txt"], "{response}");
    let other = response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "d.txt");
    assert_eq!(
        other.map(|h| h["also_in"].clone()),
        Some(serde_json::json!([]))
    );

    // The human output lists them under the hit.
    let output = quorum()
        .args(["search", "--index"])
        .arg(&index)
        .arg("conseil")
        .output()
        .expect("run quorum");
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("also in: "))
        .unwrap_or_else(|| panic!("no `also in:` line: {text}"));
    assert_eq!(line.matches("passage 1").count(), 2, "{line}");
    assert_eq!(text.matches("also in: ").count(), 1, "{text}");
}

/// Issue 10, section 1: passages with every word come first, then those that lack the
/// least informative word, and the page never starves; each hit says what it lacks.
#[test]
fn every_word_first_then_the_passages_that_lack_the_commonest() {
    let (_dir, index) = fixture(&[
        ("a.txt", "Les contingents sont arrivés."),
        ("b.txt", "La police est arrivée."),
        ("c.txt", "Les contingents et la police."),
        ("d.txt", "Les contingents de la mission."),
        ("e.txt", "La police et les contingents de la mission."),
    ]);
    let ids = |response: &serde_json::Value| -> Vec<(String, Vec<String>)> {
        response["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let missing = h["missing"].as_array().expect("missing is a list");
                (
                    h["id"].as_str().unwrap().to_string(),
                    missing
                        .iter()
                        .map(|m| m.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    };
    // `contingents` is in four passages, `police` in three, `mission` in two: the page
    // has the passages with all three, then those that lack `contingents`, the least
    // informative, then those with `mission` alone... then any word.
    let response = search_json(&index, &["contingents police mission"]);
    assert_eq!(response["total_all_words"], 1, "{response}");
    assert_eq!(response["operator"], "or");
    let hits = ids(&response);
    assert_eq!(hits[0], ("e.txt".into(), vec![]), "{response}");
    assert_eq!(
        hits[1],
        ("d.txt".into(), vec!["police".to_string()]),
        "{response}"
    );
    let rest: Vec<&str> = hits[2..].iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(rest.len(), 3, "every passage with any word: {response}");
    assert!(hits[2..]
        .iter()
        .all(|(_, missing)| missing.contains(&"mission".to_string())));
    assert_eq!(response["total_hits"], 5);

    // A full page from the first tier stops there: the count is then a lower bound.
    let response = search_json(&index, &["--limit", "1", "contingents police"]);
    assert_eq!(response["operator"], "and");
    assert_eq!(response["total_all_words"], 2);
    assert_eq!(response["counted"], false);

    // `--match all` keeps the strict conjunction.
    let response = search_json(&index, &["--match", "all", "contingents police mission"]);
    assert_eq!(response["total_hits"], 1);
    assert_eq!(response["counted"], true);
    assert_eq!(ids(&response), [("e.txt".to_string(), vec![])]);

    // `+word` and `AND` are never dropped; a word no passage has is announced.
    let response = search_json(&index, &["+police gendarmerie"]);
    assert!(ids(&response)
        .iter()
        .all(|(_, m)| m == &["gendarmerie".to_string()]));
    assert_eq!(response["total_hits"], 3);
    assert!(response["notice"]
        .as_str()
        .unwrap_or_default()
        .contains("`gendarmerie`"));
    let response = search_json(&index, &["police AND gendarmerie"]);
    assert_eq!(response["total_hits"], 0);
}

/// Issue 10, a case found by trying it: in a question typed in full, the words that
/// frame it (`what`, `say`, `about`) are dropped before the topic's words, however rare
/// they are in Council texts.
#[test]
fn the_words_that_frame_a_question_are_dropped_before_its_topic() {
    let (_dir, index) = fixture(&[
        ("a.txt", "What I want to say is that we agree."),
        (
            "b.txt",
            "The Council condemned the use of chemical weapons in Syria.",
        ),
        ("c.txt", "Chemical weapons were destroyed in Syria."),
        ("d.txt", "The Council met on chemical weapons in Syria."),
        ("e.txt", "The Council adopted the report."),
        ("f.txt", "The Council heard a briefing."),
    ]);
    let response = search_json(
        &index,
        &["what did the council say about chemical weapons in Syria"],
    );
    let hits = response["hits"].as_array().expect("hits");
    let mut first: Vec<&str> = hits[..2]
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    first.sort();
    assert_eq!(first, ["b.txt", "d.txt"], "{response}");
    assert_eq!(
        hits[0]["missing"],
        serde_json::json!(["what", "say", "about"]),
        "{response}"
    );
    let framing = hits.iter().position(|h| h["id"] == "a.txt");
    assert!(
        framing.is_none_or(|at| at > 2),
        "the passage with only `what` and `say` comes after the topic: {response}"
    );
}

/// Issue 10, section 2: a passage inside a document whose other passages match the
/// query beats the same mention in a document about something else.
#[test]
fn a_passage_in_a_document_about_the_need_ranks_first() {
    let (_dir, index) = fixture(&[
        (
            "a.txt",
            "Le Conseil examine les récoltes.\n\nUn embargo sur les armes se prolonge.",
        ),
        (
            "z.txt",
            "Le Conseil renforce l'embargo.\n\nUn embargo sur les armes se poursuit.\n\nLes armes saisies sont détruites.",
        ),
    ]);
    let response = search_json(&index, &["embargo armes"]);
    let hits = response["hits"].as_array().expect("hits");
    assert_eq!(hits[0]["id"], "z.txt", "{response}");
    assert_eq!(hits[0]["passage"], 2, "{response}");
    let stray = hits
        .iter()
        .find(|h| h["id"] == "a.txt")
        .expect("the stray mention is still found");
    assert!(
        stray["score"].as_f64() < hits[0]["score"].as_f64(),
        "{response}"
    );
}

/// Issue 14: the query's words as a phrase lift a passage, though they are no longer a
/// clause of the query but a rerank of the first pass's best passages.
#[test]
fn the_words_together_rank_above_the_same_words_apart() {
    let (_dir, index) = fixture(&[
        ("a.txt", "Security matters to the council today."),
        ("z.txt", "The security council matters to today."),
    ]);
    for limit in ["10", "1"] {
        let response = search_json(&index, &["security council", "--limit", limit]);
        let hits = response["hits"].as_array().expect("hits");
        assert_eq!(hits[0]["id"], "z.txt", "{response}");
        if limit == "10" {
            assert_eq!(hits.len(), 2, "{response}");
            assert!(
                hits[0]["score"].as_f64() > hits[1]["score"].as_f64(),
                "the phrase adds to the score: {response}"
            );
        }
    }
}

#[test]
fn json_has_every_field_and_null_metadata() {
    let (_dir, index) = fixture(&[("a.txt", "Premier paragraphe.\n\nLes contingents arrivent.")]);
    let response = search_json(&index, &["contingents"]);
    for field in ["query", "total_hits", "took_ms", "search_ms", "hits"] {
        assert!(response.get(field).is_some(), "missing {field}");
    }
    let hit = &response["hits"][0];
    for field in [
        "id", "lang", "passage", "score", "symbol", "title", "path", "snippet", "text",
    ] {
        assert!(hit.get(field).is_some(), "missing hit field {field}: {hit}");
    }
    assert_eq!(hit["passage"], 2);
    assert_eq!(hit["symbol"], serde_json::Value::Null);
    assert_eq!(hit["text"], "Les contingents arrivent.");
    assert_eq!(hit["snippet"], "Les <b>contingents</b> arrivent.");
}

#[test]
fn text_is_the_original_slice_and_snippets_follow_phrases() {
    let text = "The Council recalls the meet-\ning of peace-keeping\noperations in the area.";
    let (_dir, index) = fixture(&[("r.txt", text)]);
    let response = search_json(&index, &["\"peacekeeping operations\""]);
    assert_eq!(response["hits"][0]["text"], text);
    assert_eq!(
        response["hits"][0]["snippet"],
        "The Council recalls the meet-\ning of <b>peace-keeping\noperations</b> in the area."
    );
    let response = search_json(&index, &["meeting"]);
    assert_eq!(
        response["total_hits"], 1,
        "line-end hyphenation is repaired"
    );
}

#[test]
fn paging_and_grouping() {
    let (_dir, index) = fixture(&[
        ("a.txt", "La paix.\n\nLa paix encore.\n\nEt la paix."),
        ("b.txt", "La paix ici."),
    ]);
    let all = hit_keys(&search_json(&index, &["--limit", "10", "paix"]));
    assert_eq!(all.len(), 4);
    let page = hit_keys(&search_json(
        &index,
        &["--limit", "2", "--offset", "1", "paix"],
    ));
    assert_eq!(page, all[1..3]);
    let grouped = search_json(&index, &["--group", "paix"]);
    assert_eq!(grouped["total_hits"], 2);
    let ids: Vec<_> = hit_keys(&grouped).into_iter().map(|k| k.0).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

/// Issue 14: `--group` keeps each document's best passage for the best documents only,
/// rather than every match; the page and the count must be what collecting every match
/// gave. 90 documents, past the point where a segment starts to drop documents.
#[test]
fn grouping_past_the_bound_keeps_each_documents_best_passage_and_counts_them_all() {
    let texts: Vec<(String, String)> = (0..90)
        .map(|i| {
            let strong = " et la paix".repeat(1 + i % 7);
            let name = format!("d{i:02}.txt");
            let text = format!(
                "Un mot sur la paix dans ce document numéro {i}, parmi bien d'autres sujets du jour.\n\nLa paix{strong}, encore et toujours, pour tous les peuples du monde, texte {i}."
            );
            (name, text)
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let (_dir, index) = fixture(&files);
    let every = search_json(&index, &["--group", "--limit", "100", "paix"]);
    assert_eq!(every["total_hits"], 90, "{every}");
    let every = hit_keys(&every);
    assert_eq!(every.len(), 90);
    assert!(
        every.iter().all(|hit| hit.2 == 2),
        "the best passage stands: {every:?}"
    );
    for (limit, offset) in [("5", "0"), ("7", "3")] {
        let page = search_json(
            &index,
            &["--group", "--limit", limit, "--offset", offset, "paix"],
        );
        assert_eq!(page["total_hits"], 90, "{page}");
        let from: usize = offset.parse().unwrap();
        let to = from + limit.parse::<usize>().unwrap();
        assert_eq!(
            hit_keys(&page),
            every[from..to],
            "limit {limit} offset {offset}"
        );
    }
}

/// Issue 14: with `--group`, copies of one passage in several documents take one place
/// on the page. When a bounded pass kept too few documents for that, the page is still
/// full: 30 texts, each the whole of 8 documents.
#[test]
fn grouping_fills_the_page_when_copies_take_places() {
    let texts: Vec<(String, String)> = (0..240)
        .map(|i| {
            // Each text scores apart from the others: the longer, the lower.
            let pair = i / 8;
            let longer = " encore".repeat(pair);
            (
                format!("d{i:03}.txt"),
                format!("La paix et la paix, texte {pair}{longer}."),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let (_dir, index) = fixture(&files);
    let page = search_json(&index, &["--group", "--limit", "5", "paix"]);
    assert_eq!(page["total_hits"], 240, "{page}");
    let hits = page["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 5, "{page}");
    let mut shown: Vec<&str> = hits.iter().filter_map(|h| h["text"].as_str()).collect();
    shown.sort_unstable();
    shown.dedup();
    assert_eq!(shown.len(), 5, "each passage once: {page}");
}

#[test]
fn stop_word_only_query_answers() {
    let (_dir, index) = fixture(&[("a.txt", "Il est de la plus haute importance.")]);
    let response = search_json(&index, &["de la"]);
    assert_eq!(response["total_hits"], 1, "{response}");
}

#[test]
fn prefix_fuzzy_fields_and_negation() {
    let (_dir, index) = fixture(&[(
        "a.jsonl",
        concat!(
            r#"{"id": "r1", "lang": "fr", "year": 1993, "doc_type": "resolution", "symbol": "S/RES/827 (1993)", "text": "Les contingents au Liban."}"#,
            "\n",
            r#"{"id": "r2", "lang": "fr", "year": 2015, "doc_type": "other", "text": "Les contingents en Afrique."}"#,
            "\n",
        ),
    )]);
    let ids = |q: &[&str]| -> Vec<String> {
        hit_keys(&search_json(&index, q))
            .into_iter()
            .map(|k| k.0)
            .collect()
    };
    assert_eq!(ids(&["contin*"]).len(), 2);
    assert_eq!(ids(&["contingentz~"]).len(), 2);
    assert_eq!(ids(&["contingents -Liban"]), ["r2"]);
    assert_eq!(ids(&["contingents year:1990..1994"]), ["r1"]);
    assert_eq!(ids(&["type:resolution"]), ["r1"]);
    assert_eq!(ids(&["symbol:S/RES/827"]), ["r1"]);
    assert_eq!(ids(&["S/RES/827 (1993)"]), ["r1"]);
    assert_eq!(ids(&["Liban OR Afrique"]).len(), 2);
}

/// A quoted phrase after `NOT` excludes the passages that hold the phrase, and only them:
/// those with its words apart stay, and so do those of a segment where the phrase never
/// occurs (where tantivy's exclusion asks the phrase's scorer about a document before its
/// first match, see fuzz/fuzz_targets/common/mod.rs).
#[test]
fn a_negated_phrase_excludes_only_the_passages_that_hold_it() {
    let (_dir, index) = fixture(&[(
        "a.jsonl",
        concat!(
            r#"{"id": "p1", "lang": "fr", "text": "Les opérations de maintien de la paix."}"#,
            "\n",
            r#"{"id": "p2", "lang": "fr", "text": "La paix et le maintien des opérations."}"#,
            "\n",
            r#"{"id": "p3", "lang": "fr", "text": "La paix revient."}"#,
            "\n",
        ),
    )]);
    let mut ids: Vec<String> =
        hit_keys(&search_json(&index, &["paix NOT \"maintien de la paix\""]))
            .into_iter()
            .map(|k| k.0)
            .collect();
    ids.sort();
    assert_eq!(ids, ["p2", "p3"]);
    let ids: Vec<String> = hit_keys(&search_json(&index, &["paix NOT \"conseil de sécurité\""]))
        .into_iter()
        .map(|k| k.0)
        .collect();
    assert_eq!(ids.len(), 3);
}

/// Known-item evaluation in the way held-out queries are typed: for sentences of the real
/// corpus (every 97th, both languages), a query of four of their longest words, typed
/// without accents, in capitals, with the other apostrophe, or with the elided article
/// dropped, must find the sentence in the top 10. All run through one `--queries` file.
#[test]
fn known_items_survive_the_ways_people_type() {
    // 95.0% of 141 measured 2026-12-01: the floor sits below it.
    const INFLECTED_FLOOR: f64 = 0.92;
    let Some(index) = real_index("known_items_survive_the_ways_people_type") else {
        return;
    };
    let corpus = crate::util::shared_dir().join("corpus/unpc_testsets");
    let mut lines = Vec::new();
    let mut inflected = Vec::new();
    let mut wanted = Vec::new();
    for lang in ["fr", "en"] {
        let text = std::fs::read_to_string(corpus.join(format!("sentences.{lang}.jsonl")))
            .expect("sentences file");
        for (n, line) in text.lines().enumerate().filter(|(n, _)| n % 97 == 0) {
            let record: serde_json::Value = serde_json::from_str(line).expect("json");
            let sentence = record["text"].as_str().unwrap_or_default();
            let mut words: Vec<&str> = sentence
                .split(|c: char| c.is_whitespace() || ",.;:()«»<>\"".contains(c))
                .filter(|w| {
                    w.chars().count() >= 6
                        && w.chars()
                            .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
                })
                .collect();
            if words.len() < 4 {
                continue;
            }
            words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            words.truncate(4);
            let typed: Vec<String> = words
                .iter()
                .map(|w| match n % 4 {
                    // Without accents, as typed on an English keyboard.
                    0 => quorum::analysis::analyze(quorum::analysis::FOLDED, w)
                        .into_iter()
                        .map(|t| t.text)
                        .collect::<Vec<_>>()
                        .join(" "),
                    1 => w.to_uppercase(),
                    2 => w.replace('\'', "’"),
                    // Without the elided article.
                    _ => w.split(['\'', '’']).next_back().unwrap_or(w).to_string(),
                })
                .collect();
            lines.push(format!("{lang}-{n}\t{}", typed.join(" ")));
            // The same words in another number: a plural made singular, a singular
            // plural (`nationale` → `nationales`, `resolutions` → `resolution`).
            let other: Vec<String> = words
                .iter()
                .map(|w| match w.strip_suffix('s') {
                    Some(singular) => singular.to_string(),
                    None => format!("{w}s"),
                })
                .collect();
            inflected.push(format!("{lang}-{n}\t{}", other.join(" ")));
            wanted.push((
                lang,
                record["id"].as_str().unwrap_or_default().to_string(),
                sentence.to_string(),
            ));
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let found_share = |name: &str, lines: &[String]| -> (f64, Vec<String>) {
        let file = dir.path().join(name);
        std::fs::write(&file, lines.join("\n")).expect("write");
        let output = quorum()
            .args(["search", "--json", "--limit", "10", "--index"])
            .arg(index)
            .arg("--queries")
            .arg(&file)
            .output()
            .expect("runs");
        let responses: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        assert_eq!(responses.len(), wanted.len());
        let mut missed = Vec::new();
        for (response, (lang, id, sentence)) in responses.iter().zip(&wanted) {
            let found = response["hits"].as_array().into_iter().flatten().any(|h| {
                let copies = h["also_in"].as_array().into_iter().flatten();
                h["lang"] == *lang
                    && (h["id"] == id.as_str()
                        || h["text"].as_str() == Some(sentence.as_str())
                        || copies.into_iter().any(|c| c["id"] == id.as_str()))
            });
            if !found {
                missed.push(format!("{} → {id}", response["query"]));
            }
        }
        (1.0 - missed.len() as f64 / wanted.len() as f64, missed)
    };
    let (rate, missed) = found_share("known.tsv", &lines);
    eprintln!(
        "known items found in the top 10: {:.1}% of {}",
        rate * 100.0,
        wanted.len()
    );
    assert!(
        rate >= 0.95,
        "found {:.1}%; missed:\n{}",
        rate * 100.0,
        missed.join("\n")
    );
    // Issue 10, section 4: the inflected variant, reported on its own. Its floor is below
    // the figure measured on 2026-12-01 (printed above it).
    let (rate, missed) = found_share("inflected.tsv", &inflected);
    eprintln!(
        "known items typed in another number found in the top 10: {:.1}% of {}",
        rate * 100.0,
        wanted.len()
    );
    assert!(
        rate >= INFLECTED_FLOOR,
        "found {:.1}%; missed:\n{}",
        rate * 100.0,
        missed.join("\n")
    );
}

/// The judged information needs of `benches/judged.tsv`: precision at 8 over passages
/// read and judged by hand. The judgments were made on this ranking's own top 8, so
/// the figure guards against regressions rather than proving quality.
#[test]
fn judged_needs_keep_their_precision() {
    let Some(index) = real_index("judged_needs_keep_their_precision") else {
        return;
    };
    let judged = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/judged.tsv"),
    )
    .expect("benches/judged.tsv");
    let mut precisions = Vec::new();
    for line in judged
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut fields = line.split('\t');
        let (Some(qid), Some(query), Some(relevant)) =
            (fields.next(), fields.next(), fields.next())
        else {
            panic!("malformed judged line: {line}");
        };
        let relevant: Vec<&str> = relevant.split(',').collect();
        let response = search_json(index, &["--limit", "8", query]);
        // A hit stands for its copies: it is relevant when one of them was judged so.
        let hits = response["hits"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|hit| {
                std::iter::once(&hit["id"])
                    .chain(
                        hit["also_in"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|c| &c["id"]),
                    )
                    .any(|id| relevant.contains(&id.as_str().unwrap_or_default()))
            })
            .count();
        let precision = hits as f64 / 8.0;
        eprintln!("{qid:<14} P@8 {precision:.3}  {query}");
        precisions.push(precision);
    }
    let mean = precisions.iter().sum::<f64>() / precisions.len() as f64;
    eprintln!("mean P@8 over {} judged needs: {mean:.3}", precisions.len());
    assert!(precisions.len() >= 10);
    // 0.762 measured 2026-12-01. It was 0.838 while the page could show the same passage
    // twice (a sentence record and its document), which counted one judgment twice; with
    // copies shown once, the page holds more distinct passages, graded as the file says.
    assert!(mean >= 0.7, "mean P@8 fell to {mean:.3}");
}

/// Issue 9, item 2: an exclusion held only when the query had a positive word. The query
/// is compiled once per language and the copies are joined with OR, so the English copy of
/// `NOT paix` (which cannot see French stems) let every French passage through.
#[test]
fn exclusion_holds_in_every_language_when_only_filters_are_positive() {
    let (_dir, index) = fixture(&[(
        "a.jsonl",
        concat!(
            r#"{"id": "fr-paix", "lang": "fr", "year": 1990, "text": "La paix au Liban."}"#,
            "\n",
            r#"{"id": "fr-contingents", "lang": "fr", "year": 1990, "text": "Les contingents au Liban."}"#,
            "\n",
            r#"{"id": "en-iraq", "lang": "en", "year": 1990, "text": "Iraq invaded Kuwait."}"#,
            "\n",
            r#"{"id": "en-kuwait", "lang": "en", "year": 1990, "text": "Sanctions against Kuwait."}"#,
            "\n",
            r#"{"id": "en-peace", "lang": "en", "year": 1991, "text": "Peace in Iraq."}"#,
            "\n",
            r#"{"id": "es-paz", "lang": "es", "year": 1990, "text": "La paz en Irak."}"#,
            "\n",
        ),
    )]);
    let ids = |q: &[&str]| -> Vec<String> {
        let mut ids: Vec<String> = hit_keys(&search_json(&index, q))
            .into_iter()
            .map(|k| k.0)
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(
        ids(&["year:1990 -Iraq"]),
        ["en-kuwait", "es-paz", "fr-contingents", "fr-paix"]
    );
    assert_eq!(ids(&["lang:fr -paix"]), ["fr-contingents"]);
    assert_eq!(
        ids(&["NOT paix"]),
        [
            "en-iraq",
            "en-kuwait",
            "en-peace",
            "es-paz",
            "fr-contingents"
        ]
    );
    assert_eq!(
        ids(&["--", "-paz"]),
        [
            "en-iraq",
            "en-kuwait",
            "en-peace",
            "fr-contingents",
            "fr-paix"
        ]
    );
    assert_eq!(ids(&["--lang", "fr", "NOT paix"]), ["fr-contingents"]);
    assert_eq!(ids(&["Kuwait -Iraq"]), ["en-kuwait"]);
    assert_eq!(
        ids(&["year:1990 -(Iraq OR paix)"]),
        ["en-kuwait", "es-paz", "fr-contingents"]
    );
}

/// Issue 9, item 10: queries that answered nothing in silence. Each now either finds what
/// the user obviously meant (`S/PRST/2015/*`, `id:` with the symbol's year) or says, in
/// `notices` and in `notice`, what quorum did with what it does not support.
#[test]
fn unsupported_operators_and_unknown_values_are_announced() {
    let Some(index) = real_index("unsupported_operators_and_unknown_values_are_announced") else {
        return;
    };
    let notices = |response: &serde_json::Value| -> Vec<String> {
        response["notices"]
            .as_array()
            .expect("notices is a list")
            .iter()
            .map(|n| n.as_str().unwrap_or_default().to_string())
            .collect()
    };
    let plain = search_json(index, &["paix"]);
    assert!(notices(&plain).is_empty(), "{plain}");
    assert!(plain.get("notice").is_none(), "{plain}");

    let boosted = search_json(index, &["paix^2"]);
    assert_eq!(
        boosted["total_hits"], plain["total_hits"],
        "paix^2 searches paix"
    );
    assert!(notices(&boosted)[0].contains("boosts"), "{boosted}");
    assert_eq!(
        boosted["notice"].as_str(),
        Some(notices(&boosted)[0].as_str())
    );

    let wildcard = search_json(index, &["p*ix"]);
    assert!(
        notices(&wildcard)[0].contains("wildcard inside a word"),
        "{wildcard}"
    );

    let capped = search_json(index, &["paix~99"]);
    assert!(capped["total_hits"].as_u64().unwrap() > 0);
    assert!(notices(&capped)[0].contains("at most 2"), "{capped}");

    let german = search_json(index, &["lang:de"]);
    assert_eq!(german["total_hits"], 0);
    let notice = &notices(&german)[0];
    assert!(
        notice.contains("`de`") && notice.contains("`en`, `fr`"),
        "{notice}"
    );

    let kind = search_json(index, &["type:prst"]);
    let notice = &notices(&kind)[0];
    assert!(
        notice.contains("`prst`") && notice.contains("`resolution`"),
        "{notice}"
    );

    let statements = search_json(index, &["--limit", "50", "S/PRST/2015/*"]);
    let symbols: Vec<&str> = statements["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["symbol"].as_str())
        .collect();
    assert!(!symbols.is_empty(), "{statements}");
    assert!(
        symbols.iter().all(|s| s.starts_with("S/PRST/2015/")),
        "{symbols:?}"
    );

    let by_id = search_json(index, &["id:S/RES/242 (1967)"]);
    assert_eq!(by_id["total_hits"], 15, "the resolution's 15 passages");
    assert!(by_id["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["id"] == "S/RES/242 (1967)"));
}

/// Issue 10, section 2: a query that names a document shows it first, in its own order,
/// with the documents that cite it after; `résolution N (YYYY)` and `resolution N` name
/// `S/RES/N (YYYY)` as its symbol does.
#[test]
fn a_named_document_comes_first_in_its_own_order() {
    let Some(index) = real_index("a_named_document_comes_first_in_its_own_order") else {
        return;
    };
    for query in [
        "S/RES/242 (1967)",
        "résolution 242 (1967)",
        "resolution 242",
    ] {
        let response = search_json(index, &["--limit", "20", query]);
        let hits = hit_keys(&response);
        let own: Vec<u64> = hits
            .iter()
            .take_while(|k| k.0 == "S/RES/242 (1967)")
            .map(|k| k.2)
            .collect();
        assert_eq!(own, (1..=15).collect::<Vec<u64>>(), "{query}: {hits:?}");
        if query != "S/RES/242 (1967)" {
            assert!(hits.len() > 15, "{query}: the citing documents follow");
        }
    }
}

/// Issue 10, section 2: a phrase of stop words matched any passage that held its words
/// (`"to be or not to be"`: 1,157 passages, none with the phrase). Where the index cannot
/// hold such a phrase as one, each candidate's text must show it.
#[test]
fn a_phrase_of_stop_words_matches_the_phrase_or_nothing() {
    let (_dir, index) = fixture(&[
        (
            "a.txt",
            "The question is whether to be or not to be a member.",
        ),
        ("b.txt", "Not all States want to be bound, or to act."),
        ("c.txt", "Il est de la plus haute importance."),
        ("d.txt", "La plus haute importance est de mise."),
    ]);
    let ids = |q: &str| -> Vec<String> {
        hit_keys(&search_json(&index, &[q]))
            .into_iter()
            .map(|k| k.0)
            .collect()
    };
    assert_eq!(ids("\"to be or not to be\""), ["a.txt"]);
    assert_eq!(ids("\"est de la\""), ["c.txt"]);
    assert_eq!(ids("\"the question\""), ["a.txt"]);
    assert!(ids("\"to be or not to be a State\"").is_empty());
}

/// A phrase of stop words is checked on its candidates' text best first, until the page is
/// full and `VERIFY_LIMIT` (1,000) candidates were read: the count is then a lower bound.
#[test]
fn a_phrase_of_stop_words_checks_a_bounded_number_of_candidates() {
    let text: Vec<String> = (0..1200)
        .map(|i| {
            if i % 2 == 0 {
                format!("Le rapport {i} de la mission est paru.")
            } else {
                format!("La mission {i} a rendu le rapport de mise.")
            }
        })
        .collect();
    let joined = text.join("\n\n");
    let (_dir, index) = fixture(&[("a.txt", joined.as_str())]);
    let response = search_json(&index, &["--limit", "5", "\"de la\""]);
    assert_eq!(response["counted"], false, "{}", response["counted"]);
    let total = response["total_hits"].as_u64().unwrap();
    assert!(
        (400..600).contains(&total),
        "half of 1,000 checked: {total}"
    );
    for text in texts(&response) {
        assert!(text.contains("de la"), "{text}");
    }
}

/// Issue 10, section 2: a query whose words show its language prefers that language's
/// passages (a boost, not a filter); where they do not (`contingents`), both stay equal.
#[test]
fn the_query_language_is_preferred_when_its_words_show_it() {
    let (_dir, index) = fixture(&[(
        "a.jsonl",
        concat!(
            r#"{"id": "r1", "lang": "en", "text": "The resolution on the contingents was adopted."}"#,
            "\n",
            r#"{"id": "r1", "lang": "fr", "text": "La résolution sur les contingents a été adoptée."}"#,
            "\n",
            r#"{"id": "r2", "lang": "en", "text": "The resolution was adopted."}"#,
            "\n",
            r#"{"id": "r3", "lang": "fr", "text": "Le rapport a été adopté."}"#,
            "\n",
        ),
    )]);
    let langs = |q: &str| -> Vec<String> {
        hit_keys(&search_json(&index, &[q]))
            .into_iter()
            .map(|k| k.1)
            .collect()
    };
    assert_eq!(langs("résolution contingents")[0], "fr");
    assert_eq!(langs("resolution the contingents")[0], "en");
    // Not a filter: the other language's passage is still there.
    assert_eq!(langs("résolution contingents").len(), 3);
    // The preference is what puts French first: analyzed as French alone (`--lang fr`,
    // where no preference applies), the French passage scores a factor 1.1 less when the
    // query's French stop words show its language; for `contingents`, which shows none,
    // it scores the same.
    let score = |args: &[&str]| -> f64 {
        let response = search_json(&index, args);
        response["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "r1" && h["lang"] == "fr")
            .and_then(|h| h["score"].as_f64())
            .unwrap_or_else(|| panic!("{args:?}: {response}"))
    };
    let preferred = score(&["les contingents de la résolution"]);
    let alone = score(&["--lang", "fr", "les contingents de la résolution"]);
    assert!(
        (preferred / alone - 1.1).abs() < 1e-3,
        "{preferred} / {alone}"
    );
    let neutral = score(&["contingents"]) / score(&["--lang", "fr", "contingents"]);
    assert!((neutral - 1.0).abs() < 1e-3, "{neutral}");
}

// issue 10, "Cases found by trying it": highlighting a phrase marked every occurrence of
// each of its words, so the `paix` that opens this passage was bold too.
#[test]
fn a_highlighted_phrase_marks_the_phrase_not_its_words_elsewhere() {
    let text = "La paix est fragile. Le Conseil œuvre au maintien de la paix dans la région.";
    let (_dir, index) = fixture(&[("a.txt", text)]);
    let snippet = |query: &str| {
        let response = search_json(&index, &[query]);
        response["hits"][0]["snippet"]
            .as_str()
            .unwrap_or_else(|| panic!("no hit for {query}: {response}"))
            .to_string()
    };
    assert_eq!(
        snippet("\"maintien de la paix\""),
        "La paix est fragile. Le Conseil œuvre au <b>maintien de la paix</b> dans la région."
    );
    // A phrase and a bare word: both are marked, each in its own way.
    assert_eq!(
        snippet("\"maintien de la paix\" région"),
        "La paix est fragile. Le Conseil œuvre au <b>maintien de la paix</b> dans la <b>région</b>."
    );
    // Bare words keep marking every occurrence.
    assert_eq!(
        snippet("maintien paix"),
        "La <b>paix</b> est fragile. Le Conseil œuvre au <b>maintien</b> de la <b>paix</b> dans la région."
    );
}

// issue 10: `2086 (2013)` is a phrase of a number and its year; the other `2013` of the
// passage is not part of it.
#[test]
fn a_number_with_its_year_is_marked_as_one_phrase() {
    let text = "Rappelant sa résolution 2086 (2013), adoptée en janvier 2013.";
    let (_dir, index) = fixture(&[("a.txt", text)]);
    for query in ["2086 (2013)", "\"2086 (2013)\""] {
        let response = search_json(&index, &[query]);
        assert_eq!(
            response["hits"][0]["snippet"],
            "Rappelant sa résolution <b>2086 (2013)</b>, adoptée en janvier 2013.",
            "{query}: {response}"
        );
    }
}

// issue 10: a symbol with its year and a hyphenated compound match only as a whole, so
// they are marked as a whole: not the year elsewhere, not a part standing alone.
#[test]
fn a_symbol_or_a_compound_is_marked_as_a_whole() {
    let text = "Recalling S/RES/2086 (2013) of 2013. Peace-keeping and peacekeeping; peace alone.";
    let (_dir, index) = fixture(&[("a.txt", text)]);
    let response = search_json(&index, &["S/RES/2086 (2013)"]);
    assert_eq!(
        response["hits"][0]["snippet"],
        "Recalling <b>S/RES/2086 (2013)</b> of 2013. Peace-keeping and peacekeeping; peace alone.",
        "{response}"
    );
    let response = search_json(&index, &["peace-keeping"]);
    assert_eq!(
        response["hits"][0]["snippet"],
        "Recalling S/RES/2086 (2013) of 2013. <b>Peace-keeping</b> and <b>peacekeeping</b>; peace alone.",
        "{response}"
    );
}

/// The scores of a response's hits, in order.
fn scores(response: &serde_json::Value) -> Vec<f64> {
    response["hits"]
        .as_array()
        .map(|hits| hits.iter().filter_map(|h| h["score"].as_f64()).collect())
        .unwrap_or_default()
}

/// Issue 10, "Prefix and fuzzy queries are not ranked": tantivy's automaton queries
/// scored every match alike, so ties fell to the key order (`a.txt` first here). Expanded
/// from the dictionary, the word as typed ranks first, then the form that shares its
/// stem, then the form one edit away with another stem.
#[test]
fn fuzzy_words_rank_the_exact_then_the_closer_forms() {
    let (_dir, index) = fixture(&[
        ("a.txt", "Les continents sont arrivés."),
        ("b.txt", "Le contingent est arrivé."),
        ("c.txt", "Les contingents sont arrivés."),
    ]);
    let response = search_json(&index, &["contingents~"]);
    let ids: Vec<String> = hit_keys(&response).into_iter().map(|k| k.0).collect();
    assert_eq!(ids, ["c.txt", "b.txt", "a.txt"], "{response}");
    let scores = scores(&response);
    assert!(
        scores.windows(2).all(|w| w[0] > w[1]),
        "each closer form scores higher: {scores:?}"
    );
    // Highlighting still marks the forms the automaton matched.
    assert_eq!(
        response["hits"][2]["snippet"], "Les <b>continents</b> sont arrivés.",
        "{response}"
    );
}

/// Issue 10, "Prefix and fuzzy queries are not ranked": `sécur*` ranked English
/// "Security" as high as French `sécurité`. The prefix is typed with an accent, which
/// only the French passages write: the English one matches only once accents are
/// folded, so it comes after both French ones, as `sécurité` does for the plain word.
/// Typed without the accent, the prefix says nothing of the language, and still finds
/// all three.
#[test]
fn accented_prefix_ranks_the_completions_that_keep_the_accent_first() {
    let (_dir, index) = fixture(&[
        ("a.txt", "The Security Council met."),
        ("b.txt", "Le Conseil de sécurité réuni."),
        ("c.txt", "Une situation sécuritaire tendue."),
    ]);
    let response = search_json(&index, &["sécur*"]);
    let ids: Vec<String> = hit_keys(&response).into_iter().map(|k| k.0).collect();
    assert_eq!(ids.len(), 3, "{response}");
    assert_eq!(ids.last().map(String::as_str), Some("a.txt"), "{response}");
    let scores = scores(&response);
    assert!(
        scores[1] > scores[2],
        "the folded match scores less: {scores:?}"
    );
    assert!(
        response["hits"][2]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<b>Security</b>")),
        "{response}"
    );
    assert_eq!(search_json(&index, &["secur*"])["total_hits"], 3);
}

/// Issue 10, "Prefix and fuzzy queries are not ranked", on the real corpus: every hit of
/// `sécurité~2`, `sécur*` and `contingents~` scored 6.000 or 3.000, and the top hits
/// were English "Security". Now the scores differ, the accented queries put French
/// passages first, and `contingents~` puts the word as typed first.
#[test]
fn prefix_and_fuzzy_queries_are_ranked_on_the_real_corpus() {
    let Some(index) = real_index("prefix_and_fuzzy_queries_are_ranked_on_the_real_corpus") else {
        return;
    };
    for query in ["sécurité~2", "sécur*"] {
        let response = search_json(index, &[query]);
        let langs: Vec<String> = hit_keys(&response).into_iter().map(|k| k.1).collect();
        assert_eq!(langs.len(), 10, "{response}");
        assert!(langs.iter().all(|l| l == "fr"), "{query}: {langs:?}");
        let scores = scores(&response);
        assert!(
            scores.windows(2).any(|w| w[0] > w[1]),
            "{query}: {scores:?}"
        );
    }
    let response = search_json(index, &["contingents~"]);
    let texts = texts(&response);
    assert!(
        texts[..3]
            .iter()
            .all(|t| t.to_lowercase().contains("contingents")),
        "{texts:?}"
    );
}

/// Issue 10, "Cases found by trying it": `Article 51` ranked the Charter's Article 51 17th,
/// below headings of other documents. A query that is a document's title finds it first.
#[test]
fn a_query_that_is_a_title_finds_that_document_first() {
    let Some(index) = real_index("a_query_that_is_a_title_finds_that_document_first") else {
        return;
    };
    for query in ["Article 51", "article 51"] {
        let response = search_json(index, &["--limit", "4", query]);
        let ids: Vec<String> = hit_keys(&response).into_iter().map(|k| k.0).collect();
        assert!(
            ids.iter().filter(|id| *id == "un-charter:51").count() == 2,
            "{query}: {ids:?}"
        );
    }
}

/// Issue 10, "Cases found by trying it": none of the top 10 for `l'Organisation` held
/// `l'Organisation`, though 273 passages do: the index keeps neither the article nor the
/// capital. The first passages are reranked by whether their text holds the word as typed.
#[test]
fn an_elided_word_as_typed_ranks_first() {
    let (_dir, index) = fixture(&[
        (
            "a.txt",
            "Les organisations régionales et les organisations non gouvernementales.",
        ),
        ("b.txt", "Le rôle de l’Organisation dans la région."),
        ("c.txt", "Une organisation régionale."),
    ]);
    for query in ["l'Organisation", "l’Organisation"] {
        let response = search_json(&index, &[query]);
        assert_eq!(response["hits"][0]["id"], "b.txt", "{query}: {response}");
        assert_eq!(response["total_hits"], 3, "{query}: a boost, not a filter");
    }
}

/// Two indexes of the same texts cut into segments differently answer alike: which
/// passages the document context reranks, and which copy stands for a passage, never
/// depend on segments (they once did, through the segment-local drop of copies and
/// ties settled by address).
#[test]
fn the_same_texts_cut_into_other_segments_rank_alike() {
    let Some(corpus) = shared_corpus("the_same_texts_cut_into_other_segments_rank_alike") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        corpus.join("unpc_testsets/sentences.en.jsonl"),
        corpus.join("unpc_testsets/docs.en.jsonl"),
    ];
    let one = dir.path().join("one");
    let many = dir.path().join("many");
    index(&one, &[&files[0], &files[1]]);
    crate::util::succeeds(
        quorum()
            .args(["index", "--quiet", "--commit-mb", "1", "--index"])
            .arg(&many)
            .arg(&files[1])
            .arg(&files[0]),
    );
    for query in [
        "peacekeeping operations",
        "Security Council",
        "désarmement nucléaire",
        "financing",
    ] {
        let answer = |index: &Path| {
            let mut response = search_json(index, &[query, "--limit", "20"]);
            for timing in ["took_ms", "search_ms"] {
                response.as_object_mut().map(|r| r.remove(timing));
            }
            for hit in response["hits"].as_array_mut().into_iter().flatten() {
                hit.as_object_mut().map(|h| h.remove("path"));
            }
            response
        };
        assert_eq!(answer(&one), answer(&many), "{query}");
    }
    // `--group` too, for single words: a segment gives its best documents only, and a
    // page whose documents' passages are copies of one another (a sentence record and
    // the document that regroups it) reaches past some segment's last; the search then
    // collects more documents (it once showed a page that lacked some).
    for query in ["financing", "implementation", "development"] {
        let answer =
            |index: &Path| hit_keys(&search_json(index, &[query, "--group", "--limit", "20"]));
        assert_eq!(answer(&one), answer(&many), "--group {query}");
    }
}
