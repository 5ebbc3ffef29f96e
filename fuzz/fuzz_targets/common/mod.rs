//! The invariants the fuzz targets check, and the small index that queries run against,
//! built once per process. The property tests of `cargo test` (tests/it/props.rs) include
//! this file too, so a target and its property test check the same things.
//!
//! Every check panics with what it found, which libFuzzer and proptest both report.

#![allow(dead_code)] // each target uses a part

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use quorum::analysis::{self, analyze};
use quorum::index::{build, store::Store};
use quorum::search::parse::parse;
use quorum::search::query::{compile, Highlight};
use quorum::search::snippet::{self, Snippet};
use quorum::search::terms::QueryTerms;
use quorum::search::{Engine, Filters, Matching, Operator, Request};
use quorum::Lang;
use tantivy::schema::Field;
use tantivy::tokenizer::Token;

/// The passages of the small index: French and English, with symbols, years, compounds,
/// elisions, accents and stop words, so that most query features find something.
const RECORDS: &str = r#"{"id": "S/RES/2086 (2013)", "lang": "fr", "symbol": "S/RES/2086 (2013)", "year": 2013, "doc_type": "resolution", "title": "Opérations de maintien de la paix", "text": "Le Conseil de sécurité,\n\nRéaffirmant son attachement aux buts et principes de la Charte des Nations Unies,\n\nSoulignant que les opérations de maintien de la paix des Nations Unies doivent respecter la souveraineté, l’intégrité territoriale et l’indépendance politique des États,\n\nDécide de rester saisi de la question."}
{"id": "S/RES/2086 (2013)", "lang": "en", "symbol": "S/RES/2086 (2013)", "year": 2013, "doc_type": "resolution", "title": "Peacekeeping operations", "text": "The Security Council,\n\nReaffirming its commitment to the purposes and principles of the Charter of the United Nations,\n\nUnderlining that United Nations peace-keeping operations should respect the sovereignty, territorial integrity and political independence of States,\n\nDecides to remain seized of the matter."}
{"id": "S/PRST/2015/4", "lang": "fr", "symbol": "S/PRST/2015/4", "year": 2015, "doc_type": "presidential_statement", "text": "Il rappelle la décision qu'il a placé Boko Haram sur la Liste relative aux sanctions contre Al-Qaida. Les pays fournisseurs de contingents œuvrent à l’élimination des mines (voir S/2015/29, par. 4 a))."}
{"id": "udhr-1", "lang": "en", "year": 1948, "doc_type": "declaration", "title": "Universal Declaration of Human Rights", "text": "All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood. To be or not to be: HIV/AIDS, and/or km/h, 1,5 per cent."}
"#;

/// The engine over the small index, built the first time it is asked in a folder of the
/// system's temporary folder named by the process id. The engine reads its files as long
/// as it lives, and libFuzzer exits without running destructors, so the folder stays
/// behind; each process removes those of processes that are gone.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        remove_stale();
        let dir = std::env::temp_dir().join(format!("{PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let records = dir.join("passages.jsonl");
        std::fs::write(&records, RECORDS).expect("writing the passages");
        let store = Store::new(dir.join("index"));
        build::run(
            &store,
            &build::Options::new(vec![records]),
            &mut build::Silent,
        )
        .expect("building the small index");
        let engine = Engine::open(&store).expect("opening the small index");
        if std::env::var_os("QUORUM_FUZZ_TRACE").is_some() {
            trace_contained_panics(&engine);
        }
        engine
    })
}

/// Prints where every panic happened, even one the library contains and reports as an
/// error without its place (`QUORUM_FUZZ_TRACE=1`, for finding a crash's cause). A first
/// search installs the library's own hook, which this one then runs before.
fn trace_contained_panics(engine: &Engine) {
    let _ = engine.search(&Request::new("paix"));
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!(
            "panic: {info}\n{}",
            std::backtrace::Backtrace::force_capture()
        );
        previous(info);
    }));
}

const PREFIX: &str = "quorum-fuzz-index-";

/// Removes the index folders of processes that no longer run (where `/proc` tells).
fn remove_stale() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else {
            continue;
        };
        let proc = Path::new("/proc");
        if proc.is_dir() && !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The invariants every token stream keeps: offsets inside the text and on char
/// boundaries, positions never going back, no empty term.
pub fn check_tokens(label: &str, text: &str, tokens: &[Token]) {
    let mut last_position = 0;
    for token in tokens {
        let (from, to) = (token.offset_from, token.offset_to);
        assert!(
            from <= to && to <= text.len(),
            "{label}: {token:?} outside the text ({} bytes)",
            text.len()
        );
        assert!(
            text.is_char_boundary(from) && text.is_char_boundary(to),
            "{label}: {token:?} not on char boundaries"
        );
        assert!(!token.text.is_empty(), "{label}: empty term {token:?}");
        assert!(
            token.position >= last_position,
            "{label}: position goes back at {token:?}"
        );
        assert!(token.position_length >= 1, "{label}: {token:?}");
        last_position = token.position;
    }
}

/// Whether a contained failure (a parser's panic caught and reported as a skip) should
/// crash the target instead, so that libFuzzer keeps the input: `QUORUM_FUZZ_STRICT=1`.
pub fn strict() -> bool {
    static STRICT: OnceLock<bool> = OnceLock::new();
    *STRICT.get_or_init(|| std::env::var_os("QUORUM_FUZZ_STRICT").is_some_and(|v| v == "1"))
}

/// Reads a snippet's HTML back into its text, entities decoded, and the byte ranges of
/// that text in `<b>`. Panics unless the HTML is escaped text with balanced, unnested,
/// non-empty `<b>` spans.
pub fn read_html(html: &str) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut open: Option<usize> = None;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<b>") {
            assert!(open.is_none(), "<b> inside <b> in {html:?}");
            open = Some(text.len());
            rest = after;
        } else if let Some(after) = rest.strip_prefix("</b>") {
            let start = open
                .take()
                .unwrap_or_else(|| panic!("</b> without <b> in {html:?}"));
            assert!(start < text.len(), "empty <b></b> in {html:?}");
            marks.push(start..text.len());
            rest = after;
        } else if c == '&' {
            let (decoded, after) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]
                .iter()
                .find_map(|(entity, c)| rest.strip_prefix(entity).map(|after| (*c, after)))
                .unwrap_or_else(|| panic!("unescaped & in {html:?}"));
            text.push(decoded);
            rest = after;
        } else {
            assert!(c != '<' && c != '>', "unescaped {c} in {html:?}");
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    assert!(open.is_none(), "<b> never closed in {html:?}");
    (text, marks)
}

/// [`read_html`] for its checks alone.
pub fn check_html(html: &str) {
    read_html(html);
}

/// A query as typed parses, or gives an error that points inside it; a query that parses
/// runs against the small index, as typed and with `--lang en --cross --all --group`,
/// and answers without an error, with well-formed snippets.
pub fn check_query(input: &str) {
    match parse(input) {
        Err(error) => {
            assert!(
                error.offset <= input.len() && input.is_char_boundary(error.offset),
                "{error:?}"
            );
            assert!(!error.message.is_empty(), "{error:?}");
            let shown = error.to_string();
            assert!(shown.starts_with("syntax error at column "), "{shown}");
        }
        Ok(_) => {
            let plain = Request::new(input);
            let mut cross = Request::new(input).with_lang(Lang::En);
            cross.cross = true;
            cross.matching = Matching::All;
            cross.group = true;
            for request in [plain, cross] {
                let response = match engine().search(&request) {
                    Ok(response) => response,
                    Err(error) if known(&error.to_string()) => {
                        eprintln!("known: {:?}: {error}", request.query);
                        continue;
                    }
                    Err(error) => panic!("{request:?}: {error}"),
                };
                assert!(response.hits.len() <= request.limit, "{response:?}");
                for hit in &response.hits {
                    check_html(&hit.snippet);
                }
            }
        }
    }
}

/// Failures of tantivy's own debug assertions, which the targets let pass so as to look
/// further (fuzz builds turn on every crate's debug assertions; quorum's builds turn
/// tantivy's off, see Cargo.toml). Each must go when tantivy fixes it.
///
/// tantivy 0.27's `Exclude::new` asks its exclusion set, a fresh scorer, whether it holds
/// the first document left, which may come before the scorer's own first match;
/// `DocSet::seek_danger` allows that, but `PhraseScorer::seek_danger` asserts it cannot
/// happen (`paix NOT "maintien conseil"`, found 2026-12-03). Without the assertion the
/// phrase scorer only seeks its intersection forward, and the exclusion answers right
/// (`a_negated_phrase_excludes_only_the_passages_that_hold_it` in tests/it/search.rs).
const KNOWN: &[&str] = &["should be greater than or equal to doc"];

fn known(message: &str) -> bool {
    KNOWN.iter().any(|known| message.contains(known))
}

/// Snippets of `text` for `query`, parsed, derived and compiled against the small index
/// as a search does, with the highlight applied in each language's chains: every `<b>`
/// balanced, the rest escaped, the window a slice of the text with its marks, and every
/// mark starting and ending on a token the query matched (or the bracket its span took
/// in).
pub fn check_snippets(query: &str, text: &str) {
    let Ok(parsed) = parse(query) else {
        return;
    };
    let generation = engine().generation();
    let fields = &generation.fields;
    let searcher = generation.reader.searcher();
    let terms = QueryTerms::derive(&parsed.root, None, Some((fields, &searcher)));
    let filters = Filters::default();
    let Some(compiled) = compile(
        &parsed.root,
        &terms,
        fields,
        &searcher,
        &filters,
        Operator::And,
    ) else {
        return;
    };
    for lang in [Lang::Fr, Lang::En, Lang::Other(String::new())] {
        // The chains a hit's snippet is marked with (`Engine::hit`).
        let chains = [
            (fields.body(&lang), analysis::body_analyzer(&lang)),
            (fields.forms, analysis::EXACT),
        ];
        let marks = snippet::matches(text, &chains, &compiled.highlight);
        check_marks(text, &marks, &chains, &compiled.highlight);
        check_cut(text, &marks, &snippet::snippet(text, &marks));
    }
}

/// The marks are sorted, apart, inside the text on char boundaries, and each starts and
/// ends on a matched token's edge or a bracket.
pub fn check_marks(
    text: &str,
    marks: &[Range<usize>],
    chains: &[(Field, &str)],
    highlight: &Highlight,
) {
    let matched = matched_tokens(text, chains, highlight);
    let mut last_end = 0;
    for mark in marks {
        assert!(
            last_end <= mark.start && mark.start < mark.end && mark.end <= text.len(),
            "{mark:?} after {last_end} in {} bytes",
            text.len()
        );
        assert!(text.is_char_boundary(mark.start) && text.is_char_boundary(mark.end));
        let starts = matched.iter().any(|t| t.start == mark.start)
            || text[mark.start..].starts_with(['(', '[']);
        let ends =
            matched.iter().any(|t| t.end == mark.end) || text[..mark.end].ends_with([')', ']']);
        assert!(
            starts && ends,
            "{mark:?} ({:?}) is not on matched tokens {matched:?}",
            &text[mark.clone()]
        );
        last_end = mark.end;
    }
}

/// The offsets of every token in `text` whose term the highlight names: in a field's
/// terms or phrases, or a folded form its prefixes or fuzzy words reach.
fn matched_tokens(
    text: &str,
    chains: &[(Field, &str)],
    highlight: &Highlight,
) -> Vec<Range<usize>> {
    let mut matched = Vec::new();
    for (field, analyzer) in chains {
        let mut wanted: Vec<&str> = Vec::new();
        if let Some(terms) = highlight.terms.get(field) {
            wanted.extend(terms.iter().map(String::as_str));
        }
        if let Some(phrases) = highlight.phrases.get(field) {
            wanted.extend(phrases.iter().flatten().map(|(_, term)| term.as_str()));
        }
        if wanted.is_empty() {
            continue;
        }
        for token in analyze(analyzer, text) {
            if wanted.contains(&token.text.as_str()) {
                matched.push(token.offset_from..token.offset_to);
            }
        }
    }
    for token in analyze(analysis::FOLDED, text) {
        let prefix = highlight
            .prefixes
            .iter()
            .any(|p| token.text.starts_with(p.as_str()));
        let fuzzy = highlight
            .fuzzy
            .iter()
            .any(|(word, distance)| edit_distance(word, &token.text) <= usize::from(*distance));
        if prefix || fuzzy {
            matched.push(token.offset_from..token.offset_to);
        }
    }
    matched
}

/// Levenshtein distance over chars, written out so that the check does not share the
/// library's.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The window is a slice of the text holding exactly the marks that fit in it, shifted,
/// and its HTML reads back to that text and those marks.
pub fn check_cut(text: &str, marks: &[Range<usize>], cut: &Snippet) {
    let html = cut.to_html();
    let (shown, bold) = read_html(&html);
    let shown = if cut.cut_before {
        shown.strip_prefix('…').expect("a cut window starts with …")
    } else {
        &shown
    };
    let shown = if cut.cut_after {
        shown.strip_suffix('…').expect("a cut window ends with …")
    } else {
        shown
    };
    assert_eq!(shown, cut.text, "{html}");
    let lead = usize::from(cut.cut_before) * '…'.len_utf8();
    let bold: Vec<Range<usize>> = bold.iter().map(|b| b.start - lead..b.end - lead).collect();
    assert_eq!(bold, cut.marks, "{html}");
    if !cut.cut_before {
        assert!(text.starts_with(&cut.text));
    }
    if !cut.cut_after {
        assert!(text.ends_with(&cut.text));
    }
    if text.len() <= snippet::SNIPPET_BYTES {
        assert_eq!(cut.text, text);
    }
    // Some place of the window in the text gives exactly its marks.
    let placed = text.match_indices(cut.text.as_str()).any(|(start, _)| {
        let end = start + cut.text.len();
        let inside: Vec<Range<usize>> = marks
            .iter()
            .filter(|m| m.start >= start && m.end <= end)
            .map(|m| m.start - start..m.end - start)
            .collect();
        inside == cut.marks
    });
    assert!(
        placed,
        "the window's marks {:?} are not the text's {marks:?}",
        cut.marks
    );
}
