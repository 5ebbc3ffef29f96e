//! Deciding whether a text is French or English when its metadata does not say.
//!
//! Detection uses whatlang restricted to French and English: unrestricted, it calls
//! `Article 2` Romanian and `S/PRST/2015/4` Latin. whatlang needs a few sentences: on a
//! heading or a name it guesses (`International Law Commission` was French), so a text
//! shorter than [`PASSAGE_DETECT_MIN_CHARS`] is decided first by the word evidence of
//! both languages ([`super::evidence`]: stop words, UN vocabulary, spelling), and by
//! whatlang only when that evidence is even.
//!
//! A document's language is decided by a vote weighted by length. Each passage long
//! enough votes alone: whatlang run on a whole mixed text follows the language with the
//! most distinctive trigrams (accented French wins over twice as much English), not the
//! one with the most text. The short passages are read together, as one text, so that a
//! document of headings and short paragraphs is detected from all of them at once rather
//! than from each guess. When nothing gives an answer (text without letters) the document
//! is French, the language this engine exists for. A passage then takes the other
//! language than its document's only when it is long enough and reliably detected as
//! that language.
//!
//! ```
//! use quorum::ingest::detect::{detect, text_lang};
//! use quorum::Lang;
//!
//! let fr = detect("Le Conseil de sécurité décide de rester activement saisi de la question.");
//! assert_eq!(fr.map(|d| d.lang), Some(Lang::Fr));
//! assert_eq!(text_lang("The Council decides."), Lang::En);
//! assert_eq!(text_lang("International Law Commission"), Lang::En);
//! assert_eq!(text_lang("12 345 / 678"), Lang::Fr); // nothing tells: French
//! ```

use std::ops::Range;

use super::evidence::evidence;
use super::{LangSource, Passage};
use crate::lang::Lang;

/// How much of a document's start is read to detect its language. Detection of a long
/// text gains nothing past a few pages, and a 100 MB text must not be read twice.
pub const DETECT_SAMPLE: usize = 16 * 1024;

/// Passages shorter than this (in chars) keep their document's language: detection on a
/// sentence or two is not trustworthy enough to override the document.
pub const PASSAGE_DETECT_MIN_CHARS: usize = 200;

/// What detection found.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// French or English.
    pub lang: Lang,
    /// whatlang's own judgement that the answer is reliable.
    pub reliable: bool,
}

/// Detects French or English in (the start of) `text`, or `None` when whatlang cannot
/// tell.
pub fn detect(text: &str) -> Option<Detection> {
    let sample = &text[..floor_char_boundary(text, DETECT_SAMPLE)];
    let detector =
        whatlang::Detector::with_allowlist(vec![whatlang::Lang::Fra, whatlang::Lang::Eng]);
    let info = detector.detect(sample)?;
    let lang = match info.lang() {
        whatlang::Lang::Fra => Lang::Fr,
        whatlang::Lang::Eng => Lang::En,
        // The allowlist holds only those two; anything else would be a whatlang bug, and
        // "no answer" is the safe reading of it.
        _ => return None,
    };
    Some(Detection {
        lang,
        reliable: info.is_reliable(),
    })
}

/// Decides the language of a document without metadata or flag from its passages, and
/// the language of each passage; see the module docs.
pub fn detect_passages(text: &str, ranges: Vec<Range<usize>>) -> (Lang, LangSource, Vec<Passage>) {
    let detections: Vec<Option<Detection>> = ranges
        .iter()
        .map(|r| {
            let passage = &text[r.clone()];
            is_long(passage).then(|| detect(passage)).flatten()
        })
        .collect();
    let (mut fr, mut en) = (0usize, 0usize);
    // The short passages (and long ones whatlang cannot tell) are read together, from a
    // sample of their start, and weigh as much as all of them.
    let (mut short, mut short_len) = (String::new(), 0usize);
    for (range, detection) in ranges.iter().zip(&detections) {
        match detection.as_ref().map(|d| &d.lang) {
            Some(Lang::Fr) => fr += range.len(),
            Some(Lang::En) => en += range.len(),
            Some(Lang::Other(_)) => {}
            None => {
                short_len += range.len();
                if short.len() < DETECT_SAMPLE {
                    if !short.is_empty() {
                        short.push('\n');
                    }
                    short.push_str(&text[range.clone()]);
                }
            }
        }
    }
    if !short.is_empty() {
        match decide(&short) {
            Some(Lang::Fr) => fr += short_len,
            Some(Lang::En) => en += short_len,
            Some(Lang::Other(_)) | None => {}
        }
    }
    let (lang, source) = match (fr, en) {
        (0, 0) => (Lang::Fr, LangSource::Default),
        (fr, en) if en > fr => (Lang::En, LangSource::Detected),
        _ => (Lang::Fr, LangSource::Detected),
    };
    let passages = ranges
        .into_iter()
        .zip(detections)
        .map(|(range, detection)| {
            let lang = passage_lang(&text[range.clone()], detection, &lang);
            Passage { range, lang }
        })
        .collect();
    (lang, source, passages)
}

/// The language of a text, or `None` when nothing tells: whatlang for a text long enough
/// for its trigrams, the word evidence of both languages ([`evidence`]) for a short one,
/// each falling back on the other.
fn decide(text: &str) -> Option<Lang> {
    let text = &text[..floor_char_boundary(text, DETECT_SAMPLE)];
    let whatlang = || detect(text).map(|d| d.lang);
    let words = || evidence(text).lang();
    if is_long(text) {
        whatlang().or_else(words)
    } else {
        words().or_else(whatlang)
    }
}

/// Whether a passage is long enough for its own detection to override its document's.
fn is_long(passage: &str) -> bool {
    // Counting chars is only needed when the byte length leaves a doubt.
    passage.len() >= PASSAGE_DETECT_MIN_CHARS && passage.chars().count() >= PASSAGE_DETECT_MIN_CHARS
}

/// The language of a passage of a document whose language was detected, from the
/// passage's own detection: the other language only when the passage is long enough and
/// reliably detected as it.
fn passage_lang(passage: &str, detection: Option<Detection>, document: &Lang) -> Lang {
    match detection {
        Some(Detection {
            lang,
            reliable: true,
        }) if is_long(passage) => lang,
        _ => document.clone(),
    }
}

/// The language of a text read alone, such as one given to `quorum analyze`: whatlang
/// or the word evidence, as for one passage of a document, and French when neither tells.
///
/// A document is not read this way: [`detect_passages`] weighs its passages' detections.
pub fn text_lang(text: &str) -> Lang {
    decide(text).unwrap_or(Lang::Fr)
}

/// The largest char boundary of `text` not after `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_french_and_english() {
        let cases: &[(&str, Option<Lang>)] = &[
            (
                "Le Conseil de sécurité réaffirme son attachement à la souveraineté du Liban.",
                Some(Lang::Fr),
            ),
            (
                "The Security Council reaffirms its commitment to the sovereignty of Lebanon.",
                Some(Lang::En),
            ),
            // Unrestricted whatlang calls these Romanian and Latin.
            ("Article 2", Some(Lang::En)),
            ("", None),
            ("S/PRST/2015/4", None),
            ("1234 5678", None),
        ];
        for (text, want) in cases {
            let got = detect(text).map(|d| d.lang);
            if let Some(want) = want {
                assert_eq!(got.as_ref(), Some(want), "text {text:?}");
            } else {
                assert!(
                    matches!(got, None | Some(Lang::Fr | Lang::En)),
                    "text {text:?}: {got:?}"
                );
            }
        }
    }

    #[test]
    fn passages_change_language_only_when_long_and_reliable() {
        let en = "The Security Council, recalling all its previous resolutions on the situation in the region, expresses its deep concern at the continuing violence and calls upon all parties to respect international humanitarian law and to protect civilians.";
        let fr = "Le Conseil de sécurité, rappelant toutes ses résolutions antérieures sur la situation dans la région, se déclare profondément préoccupé par la poursuite des violences et demande à toutes les parties de respecter le droit international humanitaire.";
        let cases: &[(&str, Lang, Lang)] = &[
            (en, Lang::Fr, Lang::En),
            (fr, Lang::En, Lang::Fr),
            (en, Lang::En, Lang::En),
            ("The Security Council decides.", Lang::Fr, Lang::Fr),
            (en, Lang::Other("es".into()), Lang::En),
        ];
        for (passage, document, want) in cases {
            assert_eq!(
                passage_lang(passage, detect(passage), document),
                *want,
                "{passage:?} in {document}"
            );
        }
    }

    #[test]
    fn sample_ends_on_a_char_boundary() {
        let text = "é".repeat(DETECT_SAMPLE);
        // Slicing the sample inside a 2-byte char would panic.
        let _ = detect(&text);
        let _ = text_lang(&text);
        assert_eq!(floor_char_boundary(&text, DETECT_SAMPLE + 1), DETECT_SAMPLE);
        assert_eq!(floor_char_boundary("ab", 10), 2);
    }
}
