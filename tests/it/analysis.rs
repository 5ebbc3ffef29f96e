//! Tests: analysis.
//!
//! Table-driven tests check every token of a text as `(term, position, from, to)`,
//! like tantivy's `assert_token`, so that a change to a filter shows up as a readable
//! diff of terms and offsets. Each rule of `src/analysis` has a section; the whole French
//! and English chains come after the rules, and the property tests (proptest) close the
//! file: every analyzer, the raw tokenizer and every filter alone, over arbitrary text
//! and over text built from the pieces that have broken tokenizers before.

use proptest::prelude::*;
use quorum::analysis::{
    analyze, build, register, tokenize, Elision, FoldAccents, Ligatures, Nfc, Rewrite, Stem,
    UnifyMarks, ALL, EN, EXACT, FOLDED, FORMS, FR, FRENCH_ARTICLES, MAX_WORD_BYTES, PLAIN, SYMBOL,
};
use rust_stemmers::Algorithm;
use tantivy::tokenizer::{SimpleTokenizer, Token, TokenStream, Tokenizer, TokenizerManager};
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// One expected token: term, position, offset_from, offset_to.
type Row<'a> = (&'a str, usize, usize, usize);

/// Runs `analyzer` over `text` and checks every token against `expected`.
#[track_caller]
fn assert_tokens(analyzer: &str, text: &str, expected: &[Row]) {
    check_rows(analyzer, text, &analyze(analyzer, text), expected);
}

/// The same for the raw tokenizer, before any filter.
#[track_caller]
fn assert_raw_tokens(text: &str, expected: &[Row]) {
    check_rows("tokenize", text, &tokenize(text), expected);
}

/// Compares tokens with rows and panics with a line-by-line diff. Each line also shows
/// the slice of the original text the offsets point at, which is what snippets show,
/// so an offset that is off by one byte is visible at a glance.
#[track_caller]
fn check_rows(label: &str, text: &str, tokens: &[Token], expected: &[Row]) {
    for token in tokens {
        let (from, to) = (token.offset_from, token.offset_to);
        assert!(
            from <= to && to <= text.len(),
            "{label} {text:?}: offsets {from}..{to} of {:?} outside 0..{}",
            token.text,
            text.len()
        );
        assert!(
            text.is_char_boundary(from) && text.is_char_boundary(to),
            "{label} {text:?}: offsets {from}..{to} of {:?} not on char boundaries",
            token.text
        );
    }
    let line = |term: &str, position: usize, from: usize, to: usize| {
        let slice = text.get(from..to).unwrap_or("<not a slice>");
        format!("{term:?} @{position} {from}..{to} {slice:?}")
    };
    let actual: Vec<String> = tokens
        .iter()
        .map(|t| line(&t.text, t.position, t.offset_from, t.offset_to))
        .collect();
    let wanted: Vec<String> = expected
        .iter()
        .map(|&(term, position, from, to)| line(term, position, from, to))
        .collect();
    if actual != wanted {
        let mut diff = String::new();
        for i in 0..actual.len().max(wanted.len()) {
            match (wanted.get(i), actual.get(i)) {
                (Some(w), Some(a)) if w == a => diff.push_str(&format!("    {w}\n")),
                (w, a) => {
                    if let Some(w) = w {
                        diff.push_str(&format!("  - {w}\n"));
                    }
                    if let Some(a) = a {
                        diff.push_str(&format!("  + {a}\n"));
                    }
                }
            }
        }
        panic!("{label} {text:?}: tokens differ (- expected, + actual)\n{diff}");
    }
}

/// The terms alone, for tests about which terms two spellings share.
fn terms(analyzer: &str, text: &str) -> Vec<String> {
    analyze(analyzer, text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// The `position_length` of every token: 1 for words, the number of parts for the
/// joined form of a compound.
fn position_lengths(analyzer: &str, text: &str) -> Vec<usize> {
    analyze(analyzer, text)
        .into_iter()
        .map(|t| t.position_length)
        .collect()
}

/// Whether every char of a term that is no letter or digit (an apostrophe, a slash, a
/// dot, a mark) sits between two that are. Otherwise the term is not one word when read
/// again: NFC can move a mark to the front
/// (`\u{345}\u{301}`), and folding can strip an alphabetic mark next to a connector
/// (`ো.0` gives `.0`, `S/RES/\u{345}/2086` gives `s/res//2086`).
fn connectors_between_word_chars(term: &str) -> bool {
    let chars: Vec<char> = term.chars().collect();
    chars.iter().enumerate().all(|(i, &c)| {
        c.is_alphanumeric()
            || (i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()))
    })
}

/// Whether a term kept an upper-case letter that has no lower case (`𝒞`): read again,
/// a lower-case letter before it makes a camel-case boundary.
fn has_uncased_capital(term: &str) -> bool {
    term.chars().any(char::is_uppercase)
}

/// Whether a term should come back unchanged when analyzed again, by EXACT or FOLDED.
/// Each exclusion is a case where it cannot:
/// - a term over MAX_WORD_BYTES is skipped by the tokenizer; lowercasing can lengthen a
///   word (`Ⱥ` is 2 bytes, `ⱥ` 3), so a term may be longer than its source run;
/// - elision strips one article, so `l’l’a` gives `l'a`, which loses `l'` again, and
///   folding after elision can make an article (`ĺ’a` folds to `l'a`);
/// - every connector or mark must sit between word chars to be one word again (see
///   `connectors_between_word_chars`);
/// - a capital without a lower case (`𝒞`) survives lowercasing and, read again, makes
///   a camel-case boundary after a lower-case letter;
/// - ligatures are expanded after NFC, so `œ\u{301}` gives `oe\u{301}`, which is not
///   NFC and composes to `oé` when read again; and folding after the ligature step
///   can uncover one (`ǽ` folds to `æ`).
fn reads_back(term: &str) -> bool {
    !term.is_empty()
        && connectors_between_word_chars(term)
        && term.len() <= MAX_WORD_BYTES
        && !is_elidable(term)
        && !has_uncased_capital(term)
        && term.nfc().eq(term.chars())
        && !term.contains(['œ', 'æ'])
}

/// Whether the elision filter would strip something from this (lowercased, unified)
/// term: the mirror of its rule, used to say where idempotence cannot hold.
fn is_elidable(term: &str) -> bool {
    term.split_once('\'')
        .is_some_and(|(head, tail)| FRENCH_ARTICLES.contains(&head) && !tail.is_empty())
}

// ---------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------

#[test]
fn every_analyzer_is_registered_and_unknown_names_give_nothing() {
    let manager = TokenizerManager::default();
    register(&manager);
    for name in ALL {
        assert!(manager.get(name).is_some(), "{name} is not registered");
        assert!(build(name).is_some(), "{name} does not build");
    }
    assert!(build("no_such_analyzer").is_none());
    assert!(analyze("no_such_analyzer", "paix").is_empty());
}

#[test]
fn empty_and_blank_texts_give_no_tokens() {
    for name in ALL {
        for text in ["", " ", "\n\t", "\u{a0}\u{202f}", "<< >>", "-\n", "’'/.,"] {
            assert_tokens(name, text, &[]);
        }
    }
}

// ---------------------------------------------------------------------------------------
// NFC: decomposed accents are one word and one term, with offsets over the source bytes
// ---------------------------------------------------------------------------------------

#[test]
fn nfc_composes_decomposed_accents() {
    // `e` + U+0301 is 3 bytes in the source: the offsets cover them, the term is composed.
    assert_raw_tokens("accompagne\u{301}", &[("accompagne\u{301}", 0, 0, 12)]);
    assert_tokens(EXACT, "accompagne\u{301}", &[("accompagné", 0, 0, 12)]);
    assert_tokens(SYMBOL, "accompagne\u{301}", &[("accompagné", 0, 0, 12)]);
    assert_tokens(FOLDED, "accompagne\u{301}", &[("accompagne", 0, 0, 12)]);
    assert_tokens(PLAIN, "accompagne\u{301}", &[("accompagne", 0, 0, 12)]);
    // The composed and decomposed spellings index the same terms in every chain.
    for name in ALL {
        assert_eq!(
            terms(name, "accompagne\u{301} re\u{301}solution"),
            terms(name, "accompagné résolution"),
            "{name}"
        );
    }
}

#[test]
fn nfc_keeps_a_word_that_simple_tokenizer_splits() {
    // tantivy's SimpleTokenizer cuts at the combining mark, which is not alphanumeric;
    // this is why quorum has a tokenizer of its own.
    let text = "re\u{301}solution";
    let mut simple = SimpleTokenizer::default();
    let mut stream = simple.token_stream(text);
    let mut split = Vec::new();
    while let Some(token) = stream.next() {
        split.push(token.text.clone());
    }
    assert_eq!(split, ["re", "solution"]);
    assert_tokens(EXACT, text, &[("résolution", 0, 0, 12)]);
}

// ---------------------------------------------------------------------------------------
// Separators: no-break spaces separate words like spaces
// ---------------------------------------------------------------------------------------

#[test]
fn no_break_spaces_separate_words() {
    let rows: &[(&str, &[Row])] = &[
        (
            "résolution\u{a0}2086\u{a0}(2013)",
            &[
                ("résolution", 0, 0, 11),
                ("2086", 1, 13, 17),
                ("2013", 2, 20, 24),
            ],
        ),
        (
            "résolution\u{202f}2086",
            &[("résolution", 0, 0, 11), ("2086", 1, 14, 18)],
        ),
        ("<<\u{a0}paix\u{a0}>>", &[("paix", 0, 4, 8)]),
    ];
    for (text, expected) in rows {
        assert_tokens(EXACT, text, expected);
    }
}

// ---------------------------------------------------------------------------------------
// Marks: apostrophes and hyphens of every kind unified, soft hyphens dropped
// ---------------------------------------------------------------------------------------

#[test]
fn apostrophes_are_unified() {
    // `aujourd` is no article, so these show unification without elision.
    assert_tokens(
        EXACT,
        "aujourd'hui aujourd’hui aujourdʼhui aujourd‘hui",
        &[
            ("aujourd'hui", 0, 0, 11),
            ("aujourd'hui", 1, 12, 25),
            ("aujourd'hui", 2, 26, 38),
            ("aujourd'hui", 3, 39, 52),
        ],
    );
    // SYMBOL has no elision: the article stays, with the unified apostrophe.
    assert_tokens(
        SYMBOL,
        "l'État l’État lʼÉtat l‘État",
        &[
            ("l'état", 0, 0, 7),
            ("l'état", 1, 8, 17),
            ("l'état", 2, 18, 26),
            ("l'état", 3, 27, 36),
        ],
    );
}

#[test]
fn hyphens_are_unified() {
    // A hyphen survives in a term only inside a document symbol; elsewhere it splits a
    // compound, and U+2010 and U+2011 must split it the same way as `-`.
    assert_tokens(
        SYMBOL,
        "S/2011\u{2010}1 S/2011\u{2011}1 S/2011-1",
        &[
            ("s/2011-1", 0, 0, 10),
            ("s/2011-1", 1, 11, 21),
            ("s/2011-1", 2, 22, 30),
        ],
    );
    for hyphen in ['\u{2010}', '\u{2011}'] {
        let text = format!("peace{hyphen}keeping");
        assert_tokens(
            EXACT,
            &text,
            &[
                ("peace", 0, 0, 5),
                ("keeping", 1, 8, 15),
                ("peacekeeping", 1, 0, 15),
            ],
        );
    }
}

#[test]
fn soft_hyphens_are_dropped() {
    // The tokenizer keeps U+00AD inside the word; the term loses it.
    assert_raw_tokens("main\u{ad}tien", &[("main\u{ad}tien", 0, 0, 10)]);
    assert_tokens(EXACT, "main\u{ad}tien", &[("maintien", 0, 0, 10)]);
}

// ---------------------------------------------------------------------------------------
// Lowercase
// ---------------------------------------------------------------------------------------

#[test]
fn lowercase() {
    let text = "CONSEIL DE SÉCURITÉ";
    assert_raw_tokens(
        text,
        &[
            ("CONSEIL", 0, 0, 7),
            ("DE", 1, 8, 10),
            ("SÉCURITÉ", 2, 11, 21),
        ],
    );
    assert_tokens(
        EXACT,
        text,
        &[
            ("conseil", 0, 0, 7),
            ("de", 1, 8, 10),
            ("sécurité", 2, 11, 21),
        ],
    );
    assert_tokens(SYMBOL, "S/PRST/2001/3", &[("s/prst/2001/3", 0, 0, 13)]);
}

// ---------------------------------------------------------------------------------------
// French elision
// ---------------------------------------------------------------------------------------

/// The elided forms of French, written out here so that the test does not only repeat
/// `FRENCH_ARTICLES`.
const ARTICLES: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Every apostrophe the tokenizer accepts, with its length in bytes: elision moves
/// `offset_from` by the article plus that length.
const APOSTROPHES: [(char, usize); 4] = [('\'', 1), ('’', 3), ('ʼ', 2), ('‘', 3)];

#[test]
fn the_article_list_is_the_french_one() {
    let mut listed = FRENCH_ARTICLES.to_vec();
    listed.sort_unstable();
    let mut ours = ARTICLES.to_vec();
    ours.sort_unstable();
    assert_eq!(listed, ours);
}

#[test]
fn elision_strips_every_article_with_every_apostrophe() {
    for article in ARTICLES {
        for (apostrophe, width) in APOSTROPHES {
            let text = format!("{article}{apostrophe}Organisation");
            let from = article.len() + width;
            // Slicing the source at the offsets gives the word without its article.
            assert_eq!(&text[from..], "Organisation");
            assert_tokens(EXACT, &text, &[("organisation", 0, from, text.len())]);
            assert_tokens(FOLDED, &text, &[("organisation", 0, from, text.len())]);
            assert_tokens(FR, &text, &[("organis", 0, from, text.len())]);
            // The English chain does not elide: the token keeps the article and starts
            // where the source word starts.
            let en = analyze(EN, &text);
            assert_eq!(en.len(), 1, "{text:?}: {en:?}");
            assert_eq!((en[0].position, en[0].offset_from), (0, 0), "{text:?}");
            assert!(en[0].text.starts_with(&format!("{article}'")), "{en:?}");
        }
    }
}

#[test]
fn elision_rows() {
    let rows: &[(&str, &str, &[Row])] = &[
        // `’` is 3 bytes, `'` is 1: the offsets move by 4 and by 2.
        (EXACT, "l’Organisation", &[("organisation", 0, 4, 16)]),
        (EXACT, "l'Organisation", &[("organisation", 0, 2, 14)]),
        (EXACT, "L’Organisation", &[("organisation", 0, 4, 16)]),
        (EXACT, "QU’IL", &[("il", 0, 5, 7)]),
        (EXACT, "Lorsqu’il", &[("il", 0, 9, 11)]),
        (EXACT, "jusqu’à", &[("à", 0, 8, 10)]),
        // Not an article: nothing goes.
        (EXACT, "aujourd’hui", &[("aujourd'hui", 0, 0, 13)]),
        (EXACT, "presqu’île", &[("presqu'île", 0, 0, 13)]),
        // An apostrophe with no word after it is no connector, so there is nothing to
        // elide and the article stays as a word.
        (EXACT, "l’", &[("l", 0, 0, 1)]),
        (EXACT, "'l'", &[("l", 0, 1, 2)]),
        // Only the first article goes.
        (EXACT, "l’l’a", &[("l'a", 0, 4, 9)]),
        // Elision comes before the stop words, so the elided word can be one.
        (FR, "qu’il j’ai jusqu’à", &[]),
        (FR, "d’abord", &[("abord", 0, 4, 9)]),
        (EN, "l’Organisation", &[("l'organis", 0, 0, 16)]),
        (EN, "d’Ivoire", &[("d'ivoir", 0, 0, 10)]),
    ];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
}

// ---------------------------------------------------------------------------------------
// Ligatures
// ---------------------------------------------------------------------------------------

#[test]
fn ligatures_are_expanded() {
    assert_tokens(
        EXACT,
        "œuvre Œuvre cœur ex æquo",
        &[
            ("oeuvre", 0, 0, 6),
            ("oeuvre", 1, 7, 13),
            ("coeur", 2, 14, 19),
            ("ex", 3, 20, 22),
            ("aequo", 4, 23, 28),
        ],
    );
    assert_eq!(terms(FR, "œuvre oeuvre Œuvre"), ["oeuvr", "oeuvr", "oeuvr"]);
    assert_eq!(terms(FOLDED, "cœur coeur"), ["coeur", "coeur"]);
    // The symbol field keeps what was written but for case and marks.
    assert_tokens(SYMBOL, "Œuvre", &[("œuvre", 0, 0, 6)]);
}

// ---------------------------------------------------------------------------------------
// Accent folding
// ---------------------------------------------------------------------------------------

#[test]
fn accents_are_folded_in_folded_plain_and_stemmed_chains() {
    assert_tokens(FOLDED, "opérations", &[("operations", 0, 0, 11)]);
    assert_tokens(PLAIN, "Opérations", &[("operations", 0, 0, 11)]);
    assert_tokens(EXACT, "sécurité", &[("sécurité", 0, 0, 10)]);
    // Letters that do not decompose are mapped by hand.
    assert_tokens(
        FOLDED,
        "Straße Søren",
        &[("strasse", 0, 0, 7), ("soren", 1, 8, 14)],
    );
}

#[test]
fn accented_and_unaccented_spellings_share_a_stem() {
    // Stemmed apart, `sécurité` and `securite` would give different stems, and a query
    // typed without accents would miss the text (French folds `-ité` before stemming).
    assert_tokens(
        FR,
        "sécurité securite",
        &[("securit", 0, 0, 10), ("securit", 1, 11, 19)],
    );
    assert_tokens(
        EN,
        "sécurité securite",
        &[("securit", 0, 0, 10), ("securit", 1, 11, 19)],
    );
    assert_eq!(terms(FR, "négociations"), terms(FR, "negociations"));
}

// ---------------------------------------------------------------------------------------
// Stemming
// ---------------------------------------------------------------------------------------

#[test]
fn inflections_share_a_stem() {
    let rows: &[(&str, &str, &[Row])] = &[
        (
            FR,
            "contingent contingents",
            &[("contingent", 0, 0, 10), ("contingent", 1, 11, 22)],
        ),
        (
            FR,
            "fournisseurs fournisseur",
            &[("fournisseur", 0, 0, 12), ("fournisseur", 1, 13, 24)],
        ),
        (
            FR,
            "négociation négociations",
            &[("negoci", 0, 0, 12), ("negoci", 1, 13, 26)],
        ),
        (
            FR,
            "décide décidé décidés",
            &[
                ("decid", 0, 0, 7),
                ("decid", 1, 8, 16),
                ("decid", 2, 17, 26),
            ],
        ),
        (
            EN,
            "resolutions resolution",
            &[("resolut", 0, 0, 11), ("resolut", 1, 12, 22)],
        ),
        (
            EN,
            "peacekeepers peacekeeper",
            &[("peacekeep", 0, 0, 12), ("peacekeep", 1, 13, 24)],
        ),
        (
            EN,
            "condemns condemned condemning",
            &[
                ("condemn", 0, 0, 8),
                ("condemn", 1, 9, 18),
                ("condemn", 2, 19, 29),
            ],
        ),
        // Numbers and symbols are left alone.
        (
            FR,
            "7453e S/RES/2086",
            &[("7453e", 0, 0, 5), ("s/res/2086", 1, 6, 16)],
        ),
        (
            EN,
            "1990s S/RES/2086",
            &[("1990s", 0, 0, 5), ("s/res/2086", 1, 6, 16)],
        ),
    ];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
    // The unstemmed chains keep the inflections apart.
    assert_eq!(
        terms(FOLDED, "contingent contingents"),
        ["contingent", "contingents"]
    );
}

// issue 10, section 3: folding before stemming hid `-ée` and `-ées` from Snowball, whose
// French suffixes carry their accents, so `contrôlée` stemmed to `controle` and
// `contrôlé` to `control`. The stem is now taken on the accented word, then folded.
#[test]
fn folded_feminine_participles_share_their_stem() {
    let rows: &[(&str, &str, &[Row])] = &[
        (
            FR,
            "contrôlé contrôlée contrôlées controlee",
            &[
                ("control", 0, 0, 10),
                ("control", 1, 11, 22),
                ("control", 2, 23, 35),
                ("control", 3, 36, 45),
            ],
        ),
        (
            FR,
            "décidé décidée appliqué appliquées menacé menacées",
            &[
                ("decid", 0, 0, 8),
                ("decid", 1, 9, 18),
                ("appliqu", 2, 19, 28),
                ("appliqu", 3, 29, 40),
                ("menac", 4, 41, 48),
                ("menac", 5, 49, 58),
            ],
        ),
        (
            FR,
            "représenté représentée",
            &[("represent", 0, 0, 12), ("represent", 1, 13, 26)],
        ),
    ];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
}

// issue 10, section 3: a word typed without accents, in a query or in a document written
// without them, must still meet its accented form: `-ee` gets its accent back before
// stemming, `-ité` and `-ès` are folded first as before.
#[test]
fn unaccented_words_reach_the_stem_of_their_accented_form() {
    let rows: &[(&str, &str, &[Row])] = &[
        (
            FR,
            "sécurité securite opérations operations",
            &[
                ("securit", 0, 0, 10),
                ("securit", 1, 11, 19),
                ("oper", 2, 20, 31),
                ("oper", 3, 32, 42),
            ],
        ),
        (
            FR,
            "première premiere premier",
            &[
                ("premi", 0, 0, 9),
                ("premi", 1, 10, 18),
                ("premi", 2, 19, 26),
            ],
        ),
        (
            FR,
            "progrès progres",
            &[("progr", 0, 0, 8), ("progr", 1, 9, 16)],
        ),
    ];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
}

// issue 10, section 3: Snowball keeps a final `s` after `u` (`rendus` ≠ `rendu`); quorum
// drops it, except in the words whose `-us` is no plural.
#[test]
fn plurals_in_us_lose_their_s_but_abus_and_plus_keep_it() {
    let rows: &[(&str, &str, &[Row])] = &[
        (
            FR,
            "rendu rendus issus élus détenus prévus conclus",
            &[
                ("rendu", 0, 0, 5),
                ("rendu", 1, 6, 12),
                ("issu", 2, 13, 18),
                ("elu", 3, 19, 24),
                ("detenu", 4, 25, 33),
                ("prevu", 5, 34, 41),
                ("conclu", 6, 42, 49),
            ],
        ),
        (
            FR,
            "abus plus tous virus",
            &[
                ("abus", 0, 0, 4),
                ("plus", 1, 5, 9),
                ("tous", 2, 10, 14),
                ("virus", 3, 15, 20),
            ],
        ),
    ];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
}

// issue 10, section 3: Snowball already joins `-aux`, `-ale` and `-ales` to `-al` (checked
// over the corpus vocabulary); `travaux` is the one irregular plural it misses.
#[test]
fn french_plurals_in_aux_and_feminines_in_ale_share_the_al_stem() {
    let rows: &[(&str, &str, &[Row])] = &[(
        FR,
        "national nationaux nationale nationales travail travaux",
        &[
            ("national", 0, 0, 8),
            ("national", 1, 9, 18),
            ("national", 2, 19, 28),
            ("national", 3, 29, 39),
            ("travail", 4, 40, 47),
            ("travail", 5, 48, 55),
        ],
    )];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
}

// issue 10, section 3: Snowball leaves irregular and Latin plurals apart from their
// singular (`women`, `children`, `crises`, `criteria`); `-ies`/`-y` it joins already.
#[test]
fn english_irregular_plurals_share_their_singular_stem() {
    let rows: &[(&str, &str, &[Row])] = &[
        (
            EN,
            "woman women women's child children",
            &[
                ("woman", 0, 0, 5),
                ("woman", 1, 6, 11),
                ("woman", 2, 12, 19),
                ("child", 3, 20, 25),
                ("child", 4, 26, 34),
            ],
        ),
        (
            EN,
            "crisis crises criteria criterion spokesmen",
            &[
                ("crisi", 0, 0, 6),
                ("crisi", 1, 7, 13),
                ("criterion", 2, 14, 22),
                ("criterion", 3, 23, 32),
                ("spokesman", 4, 33, 42),
            ],
        ),
        (
            EN,
            "country countries policy policies",
            &[
                ("countri", 0, 0, 7),
                ("countri", 1, 8, 17),
                ("polici", 2, 18, 24),
                ("polici", 3, 25, 33),
            ],
        ),
    ];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
}

// ---------------------------------------------------------------------------------------
// Stop words
// ---------------------------------------------------------------------------------------

#[test]
fn stop_words_leave_their_positions_empty() {
    // `paix` stays at position 3, so the phrase "maintien de la paix" still lines up.
    assert_tokens(
        FR,
        "maintien de la paix",
        &[("maintien", 0, 0, 8), ("paix", 3, 15, 19)],
    );
    assert_tokens(
        EN,
        "maintenance of the peace",
        &[("mainten", 0, 0, 11), ("peac", 3, 19, 24)],
    );
}

#[test]
fn stop_words_are_removed_before_folding() {
    // The list has `même`: folded first, the word would be `meme` and stay.
    assert_tokens(FR, "même", &[]);
    assert_tokens(FR, "MÊME", &[]);
    // A consequence of that order, pinned so that a change is deliberate: the unaccented
    // spelling is no stop word.
    assert_tokens(FR, "meme", &[("mem", 0, 0, 4)]);
}

#[test]
fn stop_word_only_texts_are_kept_by_exact() {
    assert_tokens(FR, "le la les de", &[]);
    assert_tokens(EN, "the of and", &[]);
    assert_tokens(
        EXACT,
        "le la les de",
        &[
            ("le", 0, 0, 2),
            ("la", 1, 3, 5),
            ("les", 2, 6, 9),
            ("de", 3, 10, 12),
        ],
    );
    assert_tokens(FOLDED, "the of", &[("the", 0, 0, 3), ("of", 1, 4, 6)]);
}

#[test]
fn symbols_survive_single_letter_stop_words() {
    // French has `s` and English `a` as stop words; a lone letter goes, the symbol stays.
    assert_tokens(FR, "S/PRST/2001/3 S", &[("s/prst/2001/3", 0, 0, 13)]);
    assert_tokens(EN, "A/69/767 a", &[("a/69/767", 0, 0, 8)]);
    assert_tokens(FR, "A/69/767", &[("a/69/767", 0, 0, 8)]);
    assert_tokens(EN, "S/PRST/2001/3", &[("s/prst/2001/3", 0, 0, 13)]);
}

// ---------------------------------------------------------------------------------------
// Compounds: parts at their own positions, the joined form at the last part's position
// ---------------------------------------------------------------------------------------

#[test]
fn compound_parts_and_joined_form() {
    let text = "peace-keeping operations";
    assert_tokens(
        EN,
        text,
        &[
            ("peac", 0, 0, 5),
            ("keep", 1, 6, 13),
            ("peacekeep", 1, 0, 13),
            ("oper", 2, 14, 24),
        ],
    );
    assert_eq!(position_lengths(EN, text), [1, 1, 2, 1]);
    assert_tokens(
        FR,
        "Haut-Commissariat",
        &[
            ("haut", 0, 0, 4),
            ("commissariat", 1, 5, 17),
            ("hautcommissariat", 1, 0, 17),
        ],
    );
    assert_eq!(position_lengths(FR, "Haut-Commissariat"), [1, 1, 2]);
    // Three parts; the stop word `le` leaves its position empty, the joined form stays.
    assert_tokens(
        EXACT,
        "cessez-le-feu",
        &[
            ("cessez", 0, 0, 6),
            ("le", 1, 7, 9),
            ("feu", 2, 10, 13),
            ("cessezlefeu", 2, 0, 13),
        ],
    );
    assert_eq!(position_lengths(EXACT, "cessez-le-feu"), [1, 1, 1, 3]);
    assert_tokens(
        FR,
        "cessez-le-feu",
        &[
            ("cess", 0, 0, 6),
            ("feu", 2, 10, 13),
            ("cessezlefeu", 2, 0, 13),
        ],
    );
}

#[test]
fn every_spelling_of_a_compound_meets_the_others() {
    assert_tokens(EXACT, "peacekeeping", &[("peacekeeping", 0, 0, 12)]);
    assert_tokens(
        EXACT,
        "peace keeping",
        &[("peace", 0, 0, 5), ("keeping", 1, 6, 13)],
    );
    assert_tokens(
        EXACT,
        "peace-keeping",
        &[
            ("peace", 0, 0, 5),
            ("keeping", 1, 6, 13),
            ("peacekeeping", 1, 0, 13),
        ],
    );
    // The hyphenated text holds the terms of both other spellings, at positions that
    // phrase queries of either spelling match.
    for name in [EN, FR, EXACT, FOLDED, PLAIN] {
        let hyphenated = terms(name, "peace-keeping");
        for other in ["peacekeeping", "peace keeping"] {
            for term in terms(name, other) {
                assert!(
                    hyphenated.contains(&term),
                    "{name}: {term} of {other:?} missing"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Line-end hyphenation
// ---------------------------------------------------------------------------------------

#[test]
fn line_end_hyphens() {
    let rows: &[(&str, &str, &[Row])] = &[
        // A hard-wrap break: one word whose offsets cover the hyphen and the line break.
        (EXACT, "para-\ngraph", &[("paragraph", 0, 0, 11)]),
        (EXACT, "meet-\n   ing", &[("meeting", 0, 0, 12)]),
        (EN, "meet-\n   ing", &[("meet", 0, 0, 12)]),
        (EXACT, "para-  \r\n\tgraph", &[("paragraph", 0, 0, 15)]),
        // After a compound prefix the hyphen is a real one.
        (
            EXACT,
            "self-\nsufficiency",
            &[
                ("self", 0, 0, 4),
                ("sufficiency", 1, 6, 17),
                ("selfsufficiency", 1, 0, 17),
            ],
        ),
        (
            EXACT,
            "ex-\nYougoslavie",
            &[
                ("ex", 0, 0, 2),
                ("yougoslavie", 1, 4, 15),
                ("exyougoslavie", 1, 0, 15),
            ],
        ),
        // A blank line is a paragraph break, and a digit does not continue a word.
        (
            EXACT,
            "para-\n\ngraph",
            &[("para", 0, 0, 4), ("graph", 1, 7, 12)],
        ),
        (EXACT, "item-\n2", &[("item", 0, 0, 4), ("2", 1, 6, 7)]),
        (EXACT, "la-\n", &[("la", 0, 0, 2)]),
    ];
    for (analyzer, text, expected) in rows {
        assert_tokens(analyzer, text, expected);
    }
    assert_eq!(position_lengths(EXACT, "self-\nsufficiency"), [1, 1, 2]);
    assert_eq!(&"para-\ngraph"[0..11], "para-\ngraph");
}

// ---------------------------------------------------------------------------------------
// Document symbols and glued labels
// ---------------------------------------------------------------------------------------

#[test]
fn document_symbols_are_whole_tokens() {
    let rows: &[(&str, &[Row])] = &[
        ("S/PRST/2001/3", &[("s/prst/2001/3", 0, 0, 13)]),
        (
            "S/RES/2086 (2013)",
            &[("s/res/2086", 0, 0, 10), ("2013", 1, 12, 16)],
        ),
        ("A/69/767", &[("a/69/767", 0, 0, 8)]),
        ("S/2015/129", &[("s/2015/129", 0, 0, 10)]),
        // A sentence's final dot is not part of the symbol.
        (
            "voir S/2015/129.",
            &[("voir", 0, 0, 4), ("s/2015/129", 1, 5, 15)],
        ),
        ("S/25704/Add.1", &[("s/25704/add.1", 0, 0, 13)]),
        ("E/CN.4/2005/L.1", &[("e/cn.4/2005/l.1", 0, 0, 15)]),
        // Link labels glued to a symbol or a word in the seed corpus.
        (
            "(S/PRST/2001/3)Document PDF",
            &[
                ("s/prst/2001/3", 0, 1, 14),
                ("document", 1, 15, 23),
                ("pdf", 2, 24, 27),
            ],
        ),
        (
            "séanceDocument",
            &[("séance", 0, 0, 7), ("document", 1, 7, 15)],
        ),
        // A slash without a digit separates words.
        ("and/or", &[("and", 0, 0, 3), ("or", 1, 4, 6)]),
    ];
    for (text, expected) in rows {
        assert_tokens(SYMBOL, text, expected);
        assert_tokens(EXACT, text, expected);
    }
    assert_raw_tokens("S/25704/Add.1", &[("S/25704/Add.1", 0, 0, 13)]);
    assert_tokens(
        FR,
        "séanceDocument",
        &[("seanc", 0, 0, 7), ("docu", 1, 7, 15)],
    );
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

#[test]
fn numbers() {
    let rows: &[(&str, &[Row])] = &[
        ("1,5", &[("1,5", 0, 0, 3)]),
        ("1.5", &[("1.5", 0, 0, 3)]),
        ("7453e", &[("7453e", 0, 0, 5)]),
        // A space groups thousands in French; the tokenizer cannot tell it from two
        // numbers, so they are two tokens.
        ("11 240", &[("11", 0, 0, 2), ("240", 1, 3, 6)]),
        ("11\u{202f}240", &[("11", 0, 0, 2), ("240", 1, 5, 8)]),
        // A comma after a number, before a space, is punctuation.
        ("2013, le", &[("2013", 0, 0, 4), ("le", 1, 6, 8)]),
    ];
    for (text, expected) in rows {
        assert_tokens(EXACT, text, expected);
    }
}

// ---------------------------------------------------------------------------------------
// Guillemets
// ---------------------------------------------------------------------------------------

#[test]
fn guillemets_produce_no_tokens() {
    // UN French texts often write guillemets as `<<` and `>>`.
    let rows: &[(&str, &[Row])] = &[
        ("<< >>", &[]),
        ("<<>>", &[]),
        (
            "<< Nations Unies >>",
            &[("nations", 0, 3, 10), ("unies", 1, 11, 16)],
        ),
        ("<<paix>>", &[("paix", 0, 2, 6)]),
        ("« paix »", &[("paix", 0, 3, 7)]),
    ];
    for name in ALL {
        for (text, expected) in rows {
            if expected.is_empty() || name == EXACT {
                assert_tokens(name, text, expected);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Whole chains
// ---------------------------------------------------------------------------------------

const FRENCH_SENTENCE: &str = "L’Organisation des Nations Unies œuvre au maintien de la paix";
const ENGLISH_SENTENCE: &str = "The Security Council’s peace-keeping operations";

#[test]
fn french_sentence_through_every_chain() {
    let text = FRENCH_SENTENCE;
    assert_tokens(
        FR,
        text,
        &[
            ("organis", 0, 4, 16),
            ("nation", 2, 21, 28),
            ("uni", 3, 29, 34),
            ("oeuvr", 4, 35, 41),
            ("maintien", 6, 45, 53),
            ("paix", 9, 60, 64),
        ],
    );
    // The English chain neither elides nor drops French stop words.
    assert_tokens(
        EN,
        text,
        &[
            ("l'organis", 0, 0, 16),
            ("des", 1, 17, 20),
            ("nation", 2, 21, 28),
            ("uni", 3, 29, 34),
            ("oeuvr", 4, 35, 41),
            ("au", 5, 42, 44),
            ("maintien", 6, 45, 53),
            ("de", 7, 54, 56),
            ("la", 8, 57, 59),
            ("paix", 9, 60, 64),
        ],
    );
    let exact: &[Row] = &[
        ("organisation", 0, 4, 16),
        ("des", 1, 17, 20),
        ("nations", 2, 21, 28),
        ("unies", 3, 29, 34),
        ("oeuvre", 4, 35, 41),
        ("au", 5, 42, 44),
        ("maintien", 6, 45, 53),
        ("de", 7, 54, 56),
        ("la", 8, 57, 59),
        ("paix", 9, 60, 64),
    ];
    assert_tokens(EXACT, text, exact);
    // No accents here (the ligature is written out first), so folding changes nothing
    // and the forms field gets no twins.
    assert_tokens(FOLDED, text, exact);
    assert_tokens(FORMS, text, exact);
    assert_tokens(
        SYMBOL,
        text,
        &[
            ("l'organisation", 0, 0, 16),
            ("des", 1, 17, 20),
            ("nations", 2, 21, 28),
            ("unies", 3, 29, 34),
            ("œuvre", 4, 35, 41),
            ("au", 5, 42, 44),
            ("maintien", 6, 45, 53),
            ("de", 7, 54, 56),
            ("la", 8, 57, 59),
            ("paix", 9, 60, 64),
        ],
    );
}

#[test]
fn english_sentence_through_every_chain() {
    let text = ENGLISH_SENTENCE;
    assert_tokens(
        EN,
        text,
        &[
            ("secur", 1, 4, 12),
            ("council", 2, 13, 24),
            ("peac", 3, 25, 30),
            ("keep", 4, 31, 38),
            ("peacekeep", 4, 25, 38),
            ("oper", 5, 39, 49),
        ],
    );
    assert_eq!(position_lengths(EN, text), [1, 1, 1, 1, 2, 1]);
    // The French chain on English text: nothing elided or dropped, French stems (the
    // French stemmer takes the `s` of `council’s` and leaves the apostrophe).
    assert_tokens(
        FR,
        text,
        &[
            ("the", 0, 0, 3),
            ("security", 1, 4, 12),
            ("council'", 2, 13, 24),
            ("peac", 3, 25, 30),
            ("keeping", 4, 31, 38),
            ("peacekeeping", 4, 25, 38),
            ("oper", 5, 39, 49),
        ],
    );
    let exact: &[Row] = &[
        ("the", 0, 0, 3),
        ("security", 1, 4, 12),
        ("council's", 2, 13, 24),
        ("peace", 3, 25, 30),
        ("keeping", 4, 31, 38),
        ("peacekeeping", 4, 25, 38),
        ("operations", 5, 39, 49),
    ];
    assert_tokens(EXACT, text, exact);
    assert_tokens(FOLDED, text, exact);
    assert_tokens(FORMS, text, exact);
    assert_tokens(SYMBOL, text, exact);
    assert_tokens(PLAIN, text, exact);
}

// ---------------------------------------------------------------------------------------
// Regressions: bugs these tests found, now fixed
// ---------------------------------------------------------------------------------------

#[test]
fn folding_never_leaves_an_empty_term() {
    // U+0345 COMBINING GREEK YPOGEGRAMMENI is alphabetic, so the tokenizer used to start
    // a word on it, which folding then emptied. A word never starts on a mark now, and
    // `l’` before a mark is a word of its own (the article, a stop word in French).
    for name in [FR, EN, PLAIN, FOLDED] {
        assert_tokens(name, "\u{345}", &[]);
    }
    assert_tokens(FR, "l’\u{345} paix", &[("paix", 1, 7, 11)]);
}

#[test]
fn elision_offsets_after_a_line_end_hyphen() {
    // `lors-\nqu’il` is one word, `lorsqu’il`, whose text lost the hyphen and the line
    // break. Elision used to move `offset_from` by the 9 bytes of `lorsqu’` in the token
    // text, landing at byte 9 of the source, inside `’`, where slicing for a snippet
    // panics. It must land at byte 11, where `il` starts.
    assert_tokens(EXACT, "lors-\nqu’il", &[("il", 0, 11, 13)]);
    assert_tokens(EXACT, "jus-\nqu’à", &[("à", 0, 10, 12)]);
    assert_tokens(FR, "jus-\nqu’au bout", &[("bout", 1, 13, 17)]);
}

#[test]
fn modifier_letter_apostrophe_is_an_apostrophe_at_word_edges() {
    // U+02BC MODIFIER LETTER APOSTROPHE is alphanumeric (Lm), so a word may start or end
    // on it, while inside a word it is a connector like `’`. The three spellings should
    // give the same term, and a lone `ʼ` no term at all (today it gives the term `'`).
    assert_tokens(EXACT, "’paix’", &[("paix", 0, 3, 7)]);
    assert_tokens(EXACT, "ʼpaixʼ", &[("paix", 0, 2, 6)]);
    assert_tokens(EXACT, "ʼ", &[]);
    assert_tokens(EXACT, "lʼʼa", &[("l", 0, 0, 1), ("a", 1, 5, 6)]);
    // After `lʼ` a soft hyphen continues the word; elision leaves only it, and the
    // unified term is empty. In English, `ʼ'S` gives `''s`, which the stemmer empties.
    assert_tokens(EXACT, "lʼ\u{ad}", &[("l", 0, 0, 1)]);
    assert_tokens(EN, "ʼ'S", &[("s", 0, 3, 4)]);
}

#[test]
fn a_slash_without_a_digit_does_not_keep_dots() {
    // The tokenizer lets a dot continue a run that has a slash, for symbols such as
    // `E/CN.4/2005/L.1`. When the run has no digit it is split into words at its
    // slashes, but the dots stay inside the words, where everywhere else a dot before a
    // letter ends a word (`or.Then` alone gives `or`, `then`).
    assert_tokens(EXACT, "or.Then", &[("or", 0, 0, 2), ("then", 1, 3, 7)]);
    assert_tokens(
        EXACT,
        "and/or.Then",
        &[("and", 0, 0, 3), ("or", 1, 4, 6), ("then", 2, 7, 11)],
    );
    assert_tokens(
        EXACT,
        "E/CN.e",
        &[("e", 0, 0, 1), ("cn", 1, 2, 4), ("e", 2, 5, 6)],
    );
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// Pieces that have broken tokenizers before: every apostrophe and hyphen, line ends,
/// decomposed accents, ligatures, symbol prefixes, no-break spaces, number separators,
/// words that are articles or stop words, camel case, CJK, emoji (with a modifier),
/// guillemets, soft hyphens, letters whose lowercase is longer, and U+0345, an
/// alphabetic combining mark.
const PALETTE: &[&str] = &[
    "'",
    "’",
    "ʼ",
    "‘",
    "-",
    "\u{2010}",
    "\u{2011}",
    "\n",
    "-\n",
    "-\n  ",
    "\r\n",
    " ",
    "  ",
    "\t",
    "\u{a0}",
    "\u{202f}",
    "e\u{301}",
    "\u{301}",
    "œ",
    "Œ",
    "æ",
    "/",
    "S/RES/",
    "A/",
    "E/CN.",
    "Add.",
    "2086",
    "7",
    "0",
    ".",
    ",",
    "l",
    "L",
    "qu",
    "jusqu",
    "s",
    "S",
    "a",
    "de",
    "même",
    "paix",
    "Organisation",
    "État",
    "sécurité",
    "peace",
    "keeping",
    "self",
    "para",
    "séance",
    "Document",
    "lors",
    "-\nqu’il",
    "中文",
    "安全理事会",
    "😀",
    "👍🏽",
    "<<",
    ">>",
    "«",
    "»",
    "(",
    ")",
    "\u{ad}",
    "ß",
    "İ",
    "Ⱥ",
    "\u{345}",
    "가",
];

fn palette_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PALETTE), 0..32).prop_map(|pieces| pieces.concat())
}

/// Arbitrary strings, palette strings, and the two mixed.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        palette_text(),
        (palette_text(), any::<String>(), palette_text()).prop_map(|(a, b, c)| a + &b + &c),
    ]
}

/// The invariants every token stream keeps: offsets inside the text and on char
/// boundaries, positions never going back, no empty term.
fn check_invariants(label: &str, text: &str, tokens: &[Token]) -> Result<(), TestCaseError> {
    let mut last_position = 0;
    for token in tokens {
        let (from, to) = (token.offset_from, token.offset_to);
        prop_assert!(
            from <= to && to <= text.len(),
            "{label}: {token:?} outside {text:?}"
        );
        prop_assert!(
            text.is_char_boundary(from) && text.is_char_boundary(to),
            "{label}: {token:?} not on char boundaries of {text:?}"
        );
        prop_assert!(
            !token.text.is_empty(),
            "{label}: empty term {token:?} in {text:?}"
        );
        prop_assert!(
            token.position >= last_position,
            "{label}: position goes back at {token:?} in {text:?}"
        );
        prop_assert!(token.position_length >= 1, "{label}: {token:?}");
        last_position = token.position;
    }
    Ok(())
}

/// Applies one filter to a copy of a token.
fn apply<R: Rewrite>(filter: &R, token: &Token, source: &str) -> Token {
    let mut state = filter.start();
    let mut token = token.clone();
    filter.rewrite(&mut state, &mut token, source);
    token
}

/// The tokens of `text` as the filters see them in the chains: composed and lowercased.
fn lowered_tokens(text: &str) -> Vec<Token> {
    tokenize(text)
        .into_iter()
        .map(|token| {
            let mut token = apply(&Nfc, &token, text);
            token.text = token.text.to_lowercase();
            token
        })
        .collect()
}

proptest! {
    // No regression files: this module owns only tests/it/analysis.rs, so a failing
    // case found here is pinned as a table row instead.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_analyzer_keeps_its_invariants(text in any_text()) {
        check_invariants("tokenize", &text, &tokenize(&text))?;
        for name in ALL {
            check_invariants(name, &text, &analyze(name, &text))?;
        }
    }

    #[test]
    fn compound_joined_forms_span_their_parts(text in palette_text()) {
        // A joined form comes right after its parts and covers them.
        let tokens = tokenize(&text);
        for (i, token) in tokens.iter().enumerate() {
            if token.position_length > 1 {
                let parts = &tokens[i - token.position_length..i];
                prop_assert_eq!(parts[0].offset_from, token.offset_from);
                prop_assert_eq!(parts[parts.len() - 1].offset_to, token.offset_to);
                prop_assert_eq!(parts[parts.len() - 1].position, token.position);
                let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
                prop_assert_eq!(&joined, &token.text);
            }
        }
    }

    #[test]
    fn exact_is_idempotent(text in any_text()) {
        // Analyzing the exact terms again gives them back, where that can hold: see
        // `reads_back` for the cases where it cannot.
        let first = terms(EXACT, &text);
        prop_assume!(first.iter().all(|t| reads_back(t)));
        prop_assert_eq!(terms(EXACT, &first.join(" ")), first);
    }

    #[test]
    fn folded_is_idempotent(text in any_text()) {
        // Folding is idempotent: the folded terms, analyzed again by FOLDED, come back
        // unchanged, within the limits `reads_back` lists.
        let first = terms(FOLDED, &text);
        prop_assume!(first.iter().all(|t| reads_back(t)));
        prop_assert_eq!(terms(FOLDED, &first.join(" ")), first);
    }

    #[test]
    fn lossless_filters_alone_keep_offsets_and_are_idempotent(text in any_text()) {
        for token in tokenize(&text) {
            for (name, once) in [
                ("nfc", apply(&Nfc, &token, &text)),
                ("unify", apply(&UnifyMarks, &token, &text)),
                ("ligatures", apply(&Ligatures, &token, &text)),
                ("fold", apply(&FoldAccents, &token, &text)),
            ] {
                prop_assert_eq!(
                    (once.offset_from, once.offset_to, once.position),
                    (token.offset_from, token.offset_to, token.position),
                    "{} moved offsets", name
                );
                let twice = match name {
                    "nfc" => apply(&Nfc, &once, &text),
                    "unify" => apply(&UnifyMarks, &once, &text),
                    "ligatures" => apply(&Ligatures, &once, &text),
                    _ => apply(&FoldAccents, &once, &text),
                };
                prop_assert_eq!(&twice.text, &once.text, "{} is not idempotent", name);
            }
        }
    }

    #[test]
    fn elision_alone_moves_offset_from_by_what_it_strips(text in any_text()) {
        for token in lowered_tokens(&text) {
            let elided = apply(&Elision::FRENCH, &token, &text);
            prop_assert_eq!(elided.offset_to, token.offset_to);
            prop_assert!(elided.offset_from >= token.offset_from);
            prop_assert!(elided.offset_from <= elided.offset_to);
            prop_assert!(text.is_char_boundary(elided.offset_from));
            prop_assert!(!elided.text.is_empty());
            // A token whose text is not a verbatim slice (a line-end hyphen stripped, a
            // compound joined) moves by the source's bytes, not the text's.
            let source = text[token.offset_from..token.offset_to].to_lowercase();
            if source.nfc().collect::<String>() != token.text {
                continue;
            }
            let stripped = token.text.len() - elided.text.len();
            prop_assert_eq!(elided.offset_from - token.offset_from, stripped);
            prop_assert!(!elided.text.is_empty());
            prop_assert!(token.text.ends_with(&elided.text));
        }
    }

    #[test]
    fn stemming_alone_keeps_offsets_numbers_and_symbols(text in any_text()) {
        for token in lowered_tokens(&text) {
            for algorithm in [Algorithm::French, Algorithm::English] {
                let stemmed = apply(&Stem(algorithm), &token, &text);
                prop_assert_eq!(
                    (stemmed.offset_from, stemmed.offset_to),
                    (token.offset_from, token.offset_to)
                );
                if token.text.chars().any(|c| c.is_ascii_digit() || c == '/') {
                    prop_assert_eq!(&stemmed.text, &token.text);
                }
            }
        }
    }
}
