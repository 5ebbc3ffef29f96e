//! Tests of cutting texts into passages: tables, properties, and the real corpus.

use super::*;
use proptest::prelude::*;

fn pieces(text: &str, target: usize) -> Vec<&str> {
    split_passages(text, target)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

#[test]
fn passages_of_small_texts() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("empty", "", &[]),
        ("whitespace only", " \n\t\r\n \u{a0}\n", &[]),
        ("one line", "The Security Council,", &["The Security Council,"]),
        ("trimmed", "  \n  Hello  \n\n", &["Hello"]),
        ("blank line", "One.\n\nTwo.", &["One.", "Two."]),
        ("blank line crlf", "One.\r\n\r\nTwo.\r\n", &["One.", "Two."]),
        ("blank line with spaces", "One.\n  \t \nTwo.", &["One.", "Two."]),
        (
            "seed indentation with no-break spaces",
            "Titre\n\n\n\u{a0} \u{a0} Le 14\u{a0}janvier 2002, le Conseil.",
            &["Titre", "Le 14\u{a0}janvier 2002, le Conseil."],
        ),
        (
            // unsc_resolutions_en, S/RES/242 (1967): hard wraps inside a paragraph.
            "resolution hard wrap",
            "Emphasizing the inadmissibility of the acquisition\nof territory by war and the need to work for a just\nand lasting peace in which every State in the area can\nlive in security,",
            &["Emphasizing the inadmissibility of the acquisition\nof territory by war and the need to work for a just\nand lasting peace in which every State in the area can\nlive in security,"],
        ),
        (
            // S/RES/501 (1982): one wrap falls after a comma before a digit, the others
            // do not look like separators, so the paragraph stays whole.
            "resolution wrap after comma",
            "Recalling its resolutions 425 (1978), 426 (1978), 427\n(1978), 434 (1978), 444 (1979), 450 (1979), 459 (1979),\n467 (1980), 474 (1980), 483 (1980), 488 (1981), 490 (1981)\nand 498 (1981),",
            &["Recalling its resolutions 425 (1978), 426 (1978), 427\n(1978), 434 (1978), 444 (1979), 450 (1979), 459 (1979),\n467 (1980), 474 (1980), 483 (1980), 488 (1981), 490 (1981)\nand 498 (1981),"],
        ),
        (
            "resolution header",
            "Resolution 242 (1967)\nof 22 November 1967\n\nThe Security Council,",
            &["Resolution 242 (1967)\nof 22 November 1967", "The Security Council,"],
        ),
        (
            "resolution words like Minister for Foreign Affairs",
            "the Minister for\nForeign Affairs of Iran,\nconcerning violations of the\nsovereignty of the State,",
            &["the Minister for\nForeign Affairs of Iran,\nconcerning violations of the\nsovereignty of the State,"],
        ),
        (
            // UDHR preamble: one paragraph per line, each line long.
            "udhr preamble",
            "Whereas recognition of the inherent dignity and of the equal and inalienable rights of all members of the human family is the foundation of freedom, justice and peace in the world,\nWhereas disregard and contempt for human rights have resulted in barbarous acts which have outraged the conscience of mankind,",
            &[
                "Whereas recognition of the inherent dignity and of the equal and inalienable rights of all members of the human family is the foundation of freedom, justice and peace in the world,",
                "Whereas disregard and contempt for human rights have resulted in barbarous acts which have outraged the conscience of mankind,",
            ],
        ),
        (
            // unpc docs.fr.jsonl: a title line, then one sentence per line.
            "unpc docs title line",
            "Soixante-neuvième session\nCes deux derniers mois, les forces armées azerbaïdjanaises n'ont cessé de commettre des actes de provocation et de subversion.",
            &[
                "Soixante-neuvième session",
                "Ces deux derniers mois, les forces armées azerbaïdjanaises n'ont cessé de commettre des actes de provocation et de subversion.",
            ],
        ),
        (
            "short sentences one per line",
            "Le Conseil décide :\nIl prie le Secrétaire général.\nIl décide de rester saisi.",
            &["Le Conseil décide :", "Il prie le Secrétaire général.", "Il décide de rester saisi."],
        ),
        (
            // S/RES/1 (1946): a paragraph on one long line with a stray break.
            "stray break after a long line",
            "3. The Security Council directs the Military Staff Committee thereupon, as its first task, to draw up proposals for its organization (including the appropriate secretarial staff) and procedure, and to submit these\nproposals to the Security Council.",
            &["3. The Security Council directs the Military Staff Committee thereupon, as its first task, to draw up proposals for its organization (including the appropriate secretarial staff) and procedure, and to submit these\nproposals to the Security Council."],
        ),
        (
            // A line never ends with an article or preposition, even before a capital.
            "function word before a proper noun",
            "terms of this resolution shall be kept in the custody of the\nRegistrar of the Court, in accordance with the practice of the Court.",
            &["terms of this resolution shall be kept in the custody of the\nRegistrar of the Court, in accordance with the practice of the Court."],
        ),
        (
            // un_charter, Article 13: a list in lower case after a colon.
            "charter list items",
            "The General Assembly shall initiate studies and make recommendations for the purpose of:\npromoting international co-operation in the political field;\npromoting international co-operation in the economic field.",
            &[
                "The General Assembly shall initiate studies and make recommendations for the purpose of:",
                "promoting international co-operation in the political field;",
                "promoting international co-operation in the economic field.",
            ],
        ),
        (
            "list item closed by and",
            "To achieve international co-operation in solving international problems of an economic, social, cultural, or humanitarian character; and\nTo be a centre for harmonizing the actions of nations in the attainment of these common ends.",
            &[
                "To achieve international co-operation in solving international problems of an economic, social, cultural, or humanitarian character; and",
                "To be a centre for harmonizing the actions of nations in the attainment of these common ends.",
            ],
        ),
        (
            // S/RES/827 (1993): a vote list wrapped after commas stays whole.
            "wrapped list of names",
            "Adopted at the 301st meeting by 9 votes to none,\nwith 2 abstentions (Poland,\nUnion of Soviet Socialist\nRepublics).",
            &["Adopted at the 301st meeting by 9 votes to none,\nwith 2 abstentions (Poland,\nUnion of Soviet Socialist\nRepublics)."],
        ),
        (
            "short clause line then wrapped paragraph",
            "The Security Council,\nHaving heard the statements by the representatives of the\nSoviet Union and Iran in the course of its meetings of 28 and",
            &["The Security Council,", "Having heard the statements by the representatives of the\nSoviet Union and Iran in the course of its meetings of 28 and"],
        ),
    ];
    for (name, text, want) in cases {
        assert_eq!(pieces(text, PASSAGE_TARGET), *want, "case {name}");
    }
}

#[test]
fn long_paragraphs_are_cut_at_sentence_ends() {
    let sentence = "The Council decides to remain seized of the matter. ";
    let text = sentence.repeat(100);
    let got = pieces(&text, 300);
    assert!(got.len() > 10, "{} passages", got.len());
    for p in &got {
        assert!(p.ends_with("matter."), "cut inside a sentence: {p:?}");
        assert!(p.len() <= 450, "passage of {} bytes", p.len());
    }
}

#[test]
fn sentence_ends_skip_abbreviations() {
    let cases: &[(&str, &[&str])] = &[
        ("See No. 5 of it. Then more.", &["See No. 5 of it."]),
        (
            "Le M. Ban Ki-moon est là. Puis.",
            &["Le M. Ban Ki-moon est là."],
        ),
        ("Under art. 2 we act. Then.", &["Under art. 2 we act."]),
        (
            "1. Affirms the rule. 2. Decides.",
            &["1. Affirms the rule."],
        ),
        ("It was 1994. The end.", &["It was 1994."]),
        ("Mr. Smith spoke. Para. 3 too.", &["Mr. Smith spoke."]),
        ("He said \"stop.\" Then left.", &["He said \"stop.\""]),
        ("Why? Because. lower case.", &["Why?"]),
        (
            "see S/25704 and Add.1 Done. X",
            &["see S/25704 and Add.1 Done."],
        ),
    ];
    for (text, want) in cases {
        let ends = sentence_ends(text, 0..text.len());
        let got: Vec<&str> = ends.iter().take(1).map(|&e| &text[..e]).collect();
        assert_eq!(got, *want, "text {text:?}");
    }
}

#[test]
fn text_without_sentence_ends_is_cut_at_whitespace_or_char_boundary() {
    let cases: &[(&str, String)] = &[
        ("words", "mot ".repeat(10_000)),
        ("one huge word", "é".repeat(10_000)),
        ("mixed widths", "a€𝄞".repeat(3_000)),
    ];
    for (name, text) in cases {
        let got = split_passages(text, 1000);
        assert!(got.len() > 5, "case {name}");
        for r in &got {
            assert!(r.len() <= 1500, "case {name}: passage of {} bytes", r.len());
            assert!(r.len() >= 100, "case {name}: passage of {} bytes", r.len());
        }
    }
}

#[test]
fn huge_paragraphs_are_cut_in_linear_time() {
    // Quadratic work on 4 MB would take minutes even in a debug build, and CI's time bound
    // catches that; no clock is read here, since a shared machine's load would make a
    // time bound fail on its own.
    let cases: &[(&str, String)] = &[
        ("one line of words", "peace ".repeat(700_000)),
        (
            "one line of sentences",
            "The Council decides. ".repeat(200_000),
        ),
        ("one word", "x".repeat(4_000_000)),
        ("many short lines", "a,\nB\n".repeat(700_000)),
    ];
    for (name, text) in cases {
        let got = split_passages(text, PASSAGE_TARGET);
        assert!(
            got.iter().all(|r| r.len() <= 2 * PASSAGE_TARGET),
            "case {name}"
        );
    }
}

#[test]
fn tiny_targets_are_raised() {
    // With a target of 0 every word would be a passage; raised to MIN_TARGET, each
    // passage holds a few of the 100 words.
    let text = "word ".repeat(100);
    let got = split_passages(&text, 0);
    assert!(got.len() <= 40, "{} passages", got.len());
}

/// Checks every invariant that callers rely on.
fn check_invariants(text: &str, ranges: &[Range<usize>], target: usize) {
    let mut covered = 0;
    for r in ranges {
        assert!(r.start < r.end, "empty range {r:?}");
        assert!(r.start >= covered, "overlap or disorder at {r:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        let p = &text[r.clone()];
        assert_eq!(p, p.trim(), "untrimmed {r:?}");
        assert!(
            text[covered..r.start].chars().all(char::is_whitespace),
            "text left out before {r:?}"
        );
        assert!(r.len() <= 2 * target.max(MIN_TARGET) + 4, "too long: {r:?}");
        covered = r.end;
    }
    assert!(text[covered..].chars().all(char::is_whitespace));
}

proptest! {
    #[test]
    fn any_text_gives_valid_passages(text in "\\PC*", target in 0usize..400) {
        check_invariants(&text, &split_passages(&text, target), target);
    }

    #[test]
    fn prose_like_text_gives_valid_passages(
        text in "([A-Za-zéÉ’ ]{0,30}[.,;:!?]?[ \n\r\t\u{a0}]{0,3}){0,80}",
        target in 0usize..300,
    ) {
        check_invariants(&text, &split_passages(&text, target), target);
    }
}

/// On the real corpus, single line breaks are joined where they are hard wraps
/// (the 1946–94 resolutions) and kept where they separate (the Declaration, the
/// Charter, the one-sentence-per-line `docs.*`), and no passage outgrows its bound.
#[test]
fn passages_of_the_real_corpus() {
    let Some(corpus) = crate::ingest::tests::shared_corpus() else {
        return;
    };
    // (file, lowest and highest share of non-blank lines that start a passage)
    let expected: [(&str, f64, f64); 7] = [
        ("unsc_resolutions_en/resolutions.en.jsonl", 0.2, 0.4),
        ("udhr/udhr.en.jsonl", 1.0, 1.0),
        ("udhr/udhr.fr.jsonl", 1.0, 1.0),
        ("unpc_testsets/docs.en.jsonl", 0.9, 1.0),
        ("unpc_testsets/docs.fr.jsonl", 0.9, 1.0),
        ("un_charter/charter.en.jsonl", 0.95, 1.0),
        ("un_charter/charter.fr.jsonl", 0.95, 1.0),
    ];
    for (file, low, high) in expected {
        let content = std::fs::read_to_string(corpus.join(file)).expect("a corpus file");
        let (mut passages, mut lines, mut biggest) = (0usize, 0usize, 0usize);
        for line in content.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
            let text = value["text"].as_str().expect("a text");
            let ranges = split_passages(text, PASSAGE_TARGET);
            passages += ranges.len();
            lines += text.lines().filter(|l| !l.trim().is_empty()).count();
            biggest = ranges
                .iter()
                .map(|r| r.len())
                .max()
                .unwrap_or(0)
                .max(biggest);
        }
        let share = passages as f64 / lines as f64;
        println!(
            "{file}: {passages} passages for {lines} non-blank lines, largest {biggest} bytes"
        );
        assert!(
            (low..=high).contains(&share),
            "{file}: {passages} passages for {lines} lines ({share:.2}, expected {low}..={high})"
        );
        assert!(
            biggest <= PASSAGE_TARGET * 3 / 2,
            "{file}: a passage of {biggest} bytes"
        );
    }
}
