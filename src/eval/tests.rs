//! Unit tests of the measures and the judged set's files, on hand-computed examples.

use super::judged::{Needs, Qrels};
use super::metrics::{dcg, ndcg, precision, unjudged};
use super::pool::{entries, key_lines, merge, read_graded, render, Key};
use super::report::{evaluate, Repeats};
use super::systems::{Fixed, Found};
use super::PassageKey;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// issue 10, section 4: the measures of the judged set, each on a list computed by hand.
#[test]
fn ndcg_matches_hand_computed_lists() {
    // A perfect list scores 1.
    let perfect = [Some(2.0), Some(1.0), Some(0.0)];
    assert_eq!(ndcg(&perfect, &[1.0, 2.0, 0.0], 10), Some(1.0));
    // 0, 2: DCG = 2/log2(3) = 1.26186; ideal 2: nDCG = 0.63093.
    let late = [Some(0.0), Some(2.0)];
    assert!(close(
        ndcg(&late, &[2.0, 0.0], 10).unwrap(),
        1.0 / 3f64.log2()
    ));
    // A relevant passage the list never found lowers the ideal's reach, not the gain:
    // list 2 against judged {2, 2}: 2 / (2 + 2/log2(3)) = 0.61315.
    let found_one = [Some(2.0)];
    let expected = 2.0 / (2.0 + 2.0 / 3f64.log2());
    assert!(close(ndcg(&found_one, &[2.0, 2.0], 10).unwrap(), expected));
    // Unjudged counts as 0.
    assert_eq!(
        ndcg(&[None, Some(1.0)], &[1.0], 10),
        ndcg(&[Some(0.0), Some(1.0)], &[1.0], 10)
    );
    // Nothing relevant judged: undefined, not 0.
    assert_eq!(ndcg(&[Some(0.0)], &[0.0], 10), None);
    // The cut: the 11th place earns nothing at depth 10.
    let mut eleventh = vec![Some(0.0); 10];
    eleventh.push(Some(2.0));
    assert_eq!(ndcg(&eleventh, &[2.0], 10), Some(0.0));
    assert!(close(dcg(&[1.0; 3], 2), 1.0 + 1.0 / 3f64.log2()));
}

#[test]
fn precision_and_unjudged_share_count_places_of_ten() {
    let ranked = [Some(2.0), Some(1.0), Some(0.0), None, Some(0.5)];
    // 2 and 1 are relevant; 0.5 (two assessors, 1 and 0) is not.
    assert_eq!(precision(&ranked, 10), 0.2);
    assert_eq!(unjudged(&ranked, 10), 0.2);
    assert_eq!(precision(&[], 10), 0.0);
    assert_eq!(unjudged(&[], 10), 0.0);
}

#[test]
fn bad_lines_of_needs_name_file_and_line_and_the_rest_is_read() {
    let text = "# id\tlang\tquery\tneed\n\
                en-1\ten\tpeace\tPeace.\n\
                en-2\tes\tpaz\tPaz.\n\
                en-3\ten\tonly three\n\
                en-1\ten\tagain\tAgain.\n\
                fr-1\tfr\tpaix\tLa paix.\n";
    let needs = Needs::parse("needs.tsv", text);
    let ids: Vec<&str> = needs.needs.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["en-1", "fr-1"]);
    let problems: Vec<String> = needs.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "needs.tsv:3: language `es` is not fr or en (line skipped)",
            "needs.tsv:4: 3 fields where id, lang, query and need were expected, tab-separated (line skipped)",
            "needs.tsv:5: need `en-1` is defined twice (line skipped)",
        ]
    );
}

#[test]
fn a_regraded_passage_takes_its_new_grade_and_round_trips() {
    let mut qrels = Qrels::parse("q", "n\ta\ten\t1\t0\tann\t2026-12-01\n");
    let again = Qrels::parse("q", "n\ta\ten\t1\t2\tann\t2026-12-02\n");
    qrels.add(again.judgments[0].clone());
    assert_eq!(qrels.judgments.len(), 1);
    assert_eq!(qrels.grade("n", &PassageKey::new("a", "en", 1)), Some(2.0));
    let read = Qrels::parse("q", &qrels.to_text());
    assert_eq!(read.judgments, qrels.judgments);
    assert!(read.problems.is_empty());
}

#[test]
fn pool_entries_name_no_system_and_merge_back_to_every_copy() {
    let need = Needs::parse("n", "en-1\ten\tpeace\tThe user wants passages about peace.")
        .needs
        .remove(0);
    let found = |id: &str, text: &str| Found {
        key: PassageKey::new(id, "en", 1),
        text: text.into(),
        copies: Vec::new(),
    };
    let lists = vec![
        (
            "quorum".to_string(),
            vec![found("s-1", "Peace\nin Cyprus."), found("s-2", "War.")],
        ),
        (
            "baseline".to_string(),
            vec![found("doc-1", "Peace in  Cyprus."), found("s-3", "Truce.")],
        ),
    ];
    let pool = entries(&need, &lists, 10, 7);
    assert_eq!(pool.len(), 3);
    // The same seed gives the same order; the order is not any system's.
    assert_eq!(pool, entries(&need, &lists, 10, 7));
    let text = render(&need, &pool);
    for word in ["quorum", "baseline", "s-1", "doc-1", "s-3"] {
        assert!(!text.contains(word), "the pool file shows {word}:\n{text}");
    }
    assert!(text.contains("| Peace\n| in Cyprus.\n"), "{text}");
    let mut key_text = String::from(super::pool::KEY_HEADER);
    for line in key_lines(&need, &pool) {
        key_text.push('\n');
        key_text.push_str(&line);
    }
    let key = Key::parse("key.tsv", &key_text);
    assert!(key.problems.is_empty());
    let cyprus = pool.iter().find(|e| e.text.contains("Cyprus")).unwrap();
    assert_eq!(cyprus.keys.len(), 2);
    // The assessor grades the Cyprus entry 2 and writes nonsense for another.
    let mut graded_text = String::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix('[') {
            current = id.trim_end_matches(']').to_string();
        }
        if line == "grade:" && current == cyprus.entry {
            graded_text.push_str("grade: 2\n");
        } else if line == "grade:" && current != pool[0].entry && current != cyprus.entry {
            graded_text.push_str("grade: 3\n");
        } else {
            graded_text.push_str(line);
            graded_text.push('\n');
        }
    }
    let graded = read_graded("en-1.txt", &graded_text);
    assert_eq!(graded.grades, [(cyprus.entry.clone(), 2)]);
    assert_eq!(graded.problems.len(), 1, "{:?}", graded.problems);
    assert!(graded.problems[0].to_string().starts_with("en-1.txt:"));
    let mut qrels = Qrels::default();
    let merged = merge(&mut qrels, &key, &graded, "ann", "2026-12-01");
    assert_eq!(merged.judgments, 2);
    assert_eq!(
        qrels.grade("en-1", &PassageKey::new("s-1", "en", 1)),
        Some(2.0)
    );
    assert_eq!(
        qrels.grade("en-1", &PassageKey::new("doc-1", "en", 1)),
        Some(2.0)
    );
}

#[test]
fn evaluate_reports_by_language_over_needs_with_relevant_passages() {
    let needs = Needs::parse(
        "n",
        "en-1\ten\tpeace\tPeace.\nfr-1\tfr\tpaix\tLa paix.\nfr-2\tfr\tguerre\tLa guerre.\n",
    );
    let qrels = Qrels::parse(
        "q",
        "en-1\ta\ten\t1\t2\tann\td\nfr-1\tb\tfr\t1\t1\tann\td\nfr-2\tc\tfr\t1\t0\tann\td\n",
    );
    let key = |id: &str, lang: &str| PassageKey::new(id, lang, 1);
    let mut system = Fixed::new(
        "fixed",
        vec![
            ("en-1", vec![key("a", "en")]),
            ("fr-1", vec![key("x", "fr"), key("b", "fr")]),
            ("fr-2", vec![key("c", "fr")]),
        ],
    );
    let report = evaluate(&needs.needs, &qrels, &mut system, 10, Repeats::Count).unwrap();
    // fr-2 has nothing relevant: it does not count.
    assert_eq!(report.overall.needs, 2);
    assert_eq!(report.by_lang["en"].ndcg, 1.0);
    assert!(close(report.by_lang["fr"].ndcg, 1.0 / 3f64.log2()));
    assert!(close(report.overall.ndcg, (1.0 + 1.0 / 3f64.log2()) / 2.0));
    assert_eq!(report.by_lang["fr"].unjudged, 0.5);
    assert_eq!(report.overall.precision, 0.1);
}
