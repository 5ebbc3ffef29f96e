//! Deciding whether a text is French or English when its metadata does not say.
//!
//! Detection uses whatlang restricted to French and English: unrestricted, it calls
//! `Article 2` Romanian and `S/PRST/2015/4` Latin. A document's language is decided by a
//! vote of its passages, each detected alone and weighted by its length: whatlang run on a
//! whole mixed text follows the language with the most distinctive trigrams (accented
//! French wins over twice as much English), not the one with the most text. When no
//! passage gets an answer (text without letters) the language with more stop-word hits
//! wins, and French when they tie, French being the language this engine exists for.
//! A passage then takes the other language than its document's only when it is long
//! enough and reliably detected as that language.
//!
//! ```
//! use quorum::ingest::detect::{detect, stop_word_lang, text_lang};
//! use quorum::Lang;
//!
//! let fr = detect("Le Conseil de sécurité décide de rester activement saisi de la question.");
//! assert_eq!(fr.map(|d| d.lang), Some(Lang::Fr));
//! assert_eq!(text_lang("The Council decides."), Lang::En);
//! assert_eq!(text_lang("12 345 / 678"), Lang::Fr); // no letters, no stop words: French
//! assert_eq!(stop_word_lang("the 42"), Lang::En);
//! assert_eq!(stop_word_lang("42"), Lang::Fr);
//! ```

use std::ops::Range;

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
    let detections: Vec<Option<Detection>> =
        ranges.iter().map(|r| detect(&text[r.clone()])).collect();
    let (mut fr, mut en) = (0usize, 0usize);
    for (range, detection) in ranges.iter().zip(&detections) {
        match detection.as_ref().map(|d| &d.lang) {
            Some(Lang::Fr) => fr += range.len(),
            Some(Lang::En) => en += range.len(),
            Some(Lang::Other(_)) | None => {}
        }
    }
    let (lang, source) = match (fr, en) {
        (0, 0) => (stop_word_lang(text), LangSource::Default),
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

/// The language of a text read alone, such as one given to `quorum analyze`: what
/// whatlang detects in (the start of) it, else the language with more stop-word hits.
///
/// A document is not read this way: [`detect_passages`] weighs its passages' detections.
pub fn text_lang(text: &str) -> Lang {
    detect(text)
        .map(|d| d.lang)
        .unwrap_or_else(|| stop_word_lang(text))
}

const FRENCH_STOP_WORDS: &[&str] = &[
    "le", "la", "les", "de", "des", "du", "et", "un", "une", "est", "que", "qui", "dans", "pour",
    "par", "sur", "au", "aux", "ne", "pas", "il", "elle", "ce", "cette", "sont", "l", "d", "qu",
    "à", "en",
];

const ENGLISH_STOP_WORDS: &[&str] = &[
    "the", "of", "and", "to", "is", "that", "for", "on", "with", "by", "as", "are", "be", "this",
    "it", "was", "which", "an", "from", "at", "or", "not", "has", "have", "its", "in",
];

/// The language with more stop-word hits in (the start of) `text`; French on a tie.
pub fn stop_word_lang(text: &str) -> Lang {
    let sample = &text[..floor_char_boundary(text, DETECT_SAMPLE)];
    let (mut fr, mut en) = (0usize, 0usize);
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.len() > 5 {
            continue;
        }
        let word = word.to_lowercase();
        // "en" and "in" are both words in both languages' lists on purpose: French "en" and
        // English "in" are frequent, and the other reading is rare.
        fr += usize::from(FRENCH_STOP_WORDS.contains(&word.as_str()));
        en += usize::from(ENGLISH_STOP_WORDS.contains(&word.as_str()));
    }
    if en > fr {
        Lang::En
    } else {
        Lang::Fr
    }
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
    fn stop_words_decide_when_detection_cannot() {
        let cases: &[(&str, Lang)] = &[
            ("", Lang::Fr),
            ("42", Lang::Fr),
            ("the", Lang::En),
            ("le", Lang::Fr),
            ("the le", Lang::Fr),
            ("of the S/RES/242", Lang::En),
            ("l'Article 2 de la Charte", Lang::Fr),
        ];
        for (text, want) in cases {
            assert_eq!(stop_word_lang(text), *want, "text {text:?}");
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
        let _ = stop_word_lang(&text);
        assert_eq!(floor_char_boundary(&text, DETECT_SAMPLE + 1), DETECT_SAMPLE);
        assert_eq!(floor_char_boundary("ab", 10), 2);
    }
}
