//! PDF files: the text of each page, without the headers and footers that repeat on
//! every page, read with `lopdf`.
//!
//! Each page's content stream is read into lines in reading order (`layout.rs`: runs
//! placed by their coordinates, two columns written across the page read column by
//! column). Then the page furniture goes: a line among the first or last
//! [`EDGE_LINES`] of a page is dropped when the same line, up to its digits, stands at an
//! edge of most pages (the symbol line, the page number, the job number `13-20805 (F)`),
//! or when it is a line of the UN masthead that only the first page carries (`Distr.
//! générale`, `Original : anglais`, the date line alone, `Nations Unies`). The remaining
//! lines are kept as extracted, line ends and hyphens included, joined by line ends, with
//! a blank line where the vertical spacing shows a new paragraph: the passages and their
//! `text` are slices of that text, and the analysis joins `para-\ngraph` as it does in a
//! `.txt`. The first lines of the first page, furniture included, are kept apart: they
//! carry the symbol and the date.
//!
//! The title is the document information's `Title`, else the first-page line set in the
//! largest type when it is clearly larger than the body.
//!
//! ```
//! use lopdf::{dictionary, Document, Object, Stream};
//! use quorum::ingest::pdf::{self, PdfError};
//!
//! let mut doc = Document::with_version("1.5");
//! let pages = doc.new_object_id();
//! let font = doc.add_object(dictionary! {
//!     "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
//! });
//! let content = b"BT /F1 10 Tf 72 700 Td (The Security Council,) Tj \
//!                 0 -12 Td (Decides to remain seized.) Tj ET".to_vec();
//! let content = doc.add_object(Stream::new(dictionary! {}, content));
//! let page = doc.add_object(dictionary! {
//!     "Type" => "Page", "Parent" => pages, "Contents" => content,
//!     "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
//! });
//! let kids = dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 };
//! doc.objects.insert(pages, Object::Dictionary(kids));
//! let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
//! doc.trailer.set("Root", catalog);
//! let mut bytes = Vec::new();
//! doc.save_to(&mut bytes)?;
//!
//! let read = pdf::read(&bytes)?;
//! assert_eq!(read.text, "The Security Council,\nDecides to remain seized.");
//! assert_eq!(read.pages, 1);
//! assert_eq!(pdf::read(&bytes[..bytes.len() / 2]), Err(PdfError::Truncated));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod layout;

use std::sync::LazyLock;

use lopdf::Document;
use regex::Regex;

use self::layout::Line;

/// How many lines at the top and at the bottom of a page can be page furniture.
pub const EDGE_LINES: usize = 4;

/// What was read from a PDF.
#[derive(Debug, PartialEq, Eq)]
pub struct Pdf {
    /// The pages' text without their furniture.
    pub text: String,
    /// The document information's title, or the first page's largest line.
    pub title: Option<String>,
    /// The first page's first lines as extracted, furniture included.
    pub head: String,
    /// How many pages the file has.
    pub pages: usize,
}

/// Why a PDF could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The file does not end with `%%EOF`: it was cut short.
    #[error("truncated PDF (it does not end with %%EOF)")]
    Truncated,
    /// The file asks for a password.
    #[error("encrypted PDF: it needs a password, remove the protection first")]
    Encrypted,
    /// The parser could not make sense of the file.
    #[error("broken PDF: {0}")]
    Broken(String),
    /// Pages without any text: an image of text, which only OCR can read.
    #[error("no text layer in {pages} page(s): a scanned image? OCR is needed")]
    NoText {
        /// The pages of the file.
        pages: usize,
    },
}

/// A line of the masthead of a UN document, read alone: the distribution, the original
/// language, a date, the organ, the job number or a page number.
static MASTHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            distr\.?\s*:?\s*(?:g[ée]n[ée]rale?|limit[ée]e?|restreinte|restricted)
          | original\s*:\s*\p{L}+
          | nations\s+unies | united\s+nations
          | conseil\s+de\s+s[ée]curit[ée] | security\s+council
          | \d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\d{6})*\s*(?:\*\d+\*)?
          | \*\d+\*
          | \d{1,4}(?:/\d{1,4})?
          | [ivxlc]{1,7}
          | \d{1,2}(?:er)?\s+\p{L}+\s+\d{4}
          | \p{L}+\s+\d{1,2},\s+\d{4}
        )$",
    )
    .expect("the masthead pattern is valid")
});

/// Reads a PDF held in memory.
///
/// # Errors
///
/// See [`PdfError`].
pub fn read(bytes: &[u8]) -> Result<Pdf, PdfError> {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(PdfError::Truncated);
    }
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(
            lopdf::Error::Decryption(_)
            | lopdf::Error::InvalidPassword
            | lopdf::Error::UnsupportedSecurityHandler(_),
        ) => return Err(PdfError::Encrypted),
        Err(err) => return Err(PdfError::Broken(err.to_string())),
    };
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let page_ids: Vec<_> = doc.get_pages().into_values().collect();
    if page_ids.is_empty() {
        return Err(PdfError::Broken("no pages".to_string()));
    }
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut failures = Vec::new();
    for id in &page_ids {
        match layout::page_lines(&doc, *id) {
            Ok(lines) => pages.push(lines),
            Err(err) => {
                failures.push(err.to_string());
                pages.push(Vec::new());
            }
        }
    }
    if pages.iter().all(Vec::is_empty) {
        return Err(match failures.first() {
            Some(err) => PdfError::Broken(err.clone()),
            None => PdfError::NoText {
                pages: page_ids.len(),
            },
        });
    }
    let head = pages[0]
        .iter()
        .take(2 * EDGE_LINES)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let title = info_title(&doc).or_else(|| largest_line(&pages[0]));
    let text = join(drop_furniture(pages));
    Ok(Pdf {
        text,
        title,
        head,
        pages: page_ids.len(),
    })
}

/// The document information's `Title`, when not blank.
fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get_deref(b"Info", doc).ok()?.as_dict().ok()?;
    let title = lopdf::decode_text_string(info.get_deref(b"Title", doc).ok()?).ok()?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// The line set in the largest type on a page, when it is at least 1.3 times the body's
/// usual size (the median line's).
fn largest_line(lines: &[Line]) -> Option<String> {
    let mut sizes: Vec<f32> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let median = *sizes.get(sizes.len() / 2)?;
    let largest = lines.iter().max_by(|a, b| a.size.total_cmp(&b.size))?;
    (largest.size >= 1.3 * median && !MASTHEAD.is_match(largest.text.trim()))
        .then(|| largest.text.trim().to_string())
}

/// A line up to its digits, for comparing furniture across pages: `S/RES/2086 (2013)`
/// and `- 3 -` keep their shape whatever the page.
fn shape(line: &str) -> String {
    let mut out = String::new();
    let mut digits = false;
    for c in line.split_whitespace().flat_map(|w| w.chars().chain([' '])) {
        if c.is_ascii_digit() {
            if !digits {
                out.push('#');
            }
            digits = true;
        } else {
            digits = false;
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

/// The indices of a page's edge lines: its first and last [`EDGE_LINES`].
fn edges(len: usize) -> impl Iterator<Item = usize> {
    let top = 0..len.min(EDGE_LINES);
    let bottom = len.saturating_sub(EDGE_LINES).max(top.end)..len;
    top.chain(bottom)
}

/// Drops the page furniture; see the module docs.
fn drop_furniture(pages: Vec<Vec<Line>>) -> Vec<Vec<Line>> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for page in &pages {
        let mut seen = std::collections::HashSet::new();
        for i in edges(page.len()) {
            let key = shape(&page[i].text);
            if seen.insert(key.clone()) {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    let with_text = pages.iter().filter(|p| !p.is_empty()).count();
    // Most pages, and at least two: one page alone shows nothing that repeats.
    let needed = (with_text / 2 + 1).max(2);
    let mut first = true;
    pages
        .into_iter()
        .map(|page| {
            let len = page.len();
            let edge: std::collections::HashSet<usize> = edges(len).collect();
            // The first page's masthead runs longer than a running header.
            let masthead_lines = if first { 2 * EDGE_LINES } else { EDGE_LINES };
            first = false;
            let mut kept = Vec::with_capacity(len);
            let mut paragraph_pending = false;
            for (i, mut line) in page.into_iter().enumerate() {
                let repeated = edge.contains(&i)
                    && counts.get(&shape(&line.text)).copied().unwrap_or(0) >= needed;
                let masthead = (i < masthead_lines || i + EDGE_LINES >= len)
                    && MASTHEAD.is_match(line.text.trim());
                let furniture = repeated || masthead;
                if furniture {
                    paragraph_pending |= line.paragraph;
                    continue;
                }
                line.paragraph |= paragraph_pending;
                paragraph_pending = false;
                kept.push(line);
            }
            kept
        })
        .collect()
}

/// The pages' lines as one text: a line end between lines, a blank line before a
/// paragraph. A page's first line starts a paragraph when the page before ended a
/// sentence: the gap below a page header says nothing of a paragraph that runs on.
fn join(pages: Vec<Vec<Line>>) -> String {
    let mut text = String::new();
    for page in pages {
        for (i, line) in page.into_iter().enumerate() {
            if !text.is_empty() {
                let paragraph = if i == 0 {
                    ends_sentence(&text)
                } else {
                    line.paragraph
                };
                text.push_str(if paragraph { "\n\n" } else { "\n" });
            }
            text.push_str(&line.text);
        }
    }
    text
}

/// Whether a text ends a sentence: `.`, `!`, `?`, `:` or `;`, maybe before a closing
/// quote or bracket.
fn ends_sentence(text: &str) -> bool {
    let end = text.trim_end_matches(['"', '\u{201D}', '\u{BB}', ')', ']', ' ', '\u{A0}']);
    end.ends_with(['.', '!', '?', ':', ';'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line {
            text: text.to_string(),
            paragraph: false,
            size: 10.0,
        }
    }

    #[test]
    fn repeating_edges_and_masthead_lines_go() {
        let page = |n: usize, body: &[&str]| {
            let mut lines = vec![line("S/RES/2086 (2013)")];
            lines.extend(body.iter().map(|l| line(l)));
            lines.push(line(&format!("13-20805 (F) page {n}")));
            lines.push(line(&n.to_string()));
            lines
        };
        let mut first = vec![
            line("Nations Unies"),
            line("Distr. générale"),
            line("21 janvier 2013"),
        ];
        first.extend(page(
            1,
            &[
                "Le Conseil de sécurité,",
                "un",
                "deux",
                "trois",
                "quatre",
                "cinq,",
            ],
        ));
        let pages = vec![
            first,
            page(2, &["Rappelant", "six", "sept", "huit", "neuf", "dix."]),
            page(
                3,
                &["Décide", "onze", "douze", "treize", "quatorze", "quinze."],
            ),
        ];
        let text = join(drop_furniture(pages));
        assert_eq!(
            text,
            "Le Conseil de sécurité,\nun\ndeux\ntrois\nquatre\ncinq,\n\
             Rappelant\nsix\nsept\nhuit\nneuf\ndix.\n\n\
             Décide\nonze\ndouze\ntreize\nquatorze\nquinze."
        );
    }

    #[test]
    fn one_page_keeps_what_does_not_look_like_a_masthead() {
        let pages = vec![vec![
            line("S/RES/2086 (2013)"),
            line("Le Conseil"),
            line("3"),
        ]];
        assert_eq!(join(drop_furniture(pages)), "S/RES/2086 (2013)\nLe Conseil");
    }

    #[test]
    fn a_paragraph_runs_on_over_a_page_break() {
        let pages = vec![
            vec![line("Le Conseil décide de")],
            vec![line("rester saisi.")],
            vec![line("Fin.")],
        ];
        assert_eq!(join(pages), "Le Conseil décide de\nrester saisi.\n\nFin.");
    }

    #[test]
    fn shapes_ignore_digits() {
        assert_eq!(shape("13-20805  (F) 3/12"), "#-# (F) #/#");
        assert_eq!(shape("S/RES/2086 (2013)"), shape("S/RES/2087 (2014)"));
    }

    #[test]
    fn bad_files_are_told_apart() {
        assert_eq!(read(b"%PDF-1.4\n1 0 obj"), Err(PdfError::Truncated));
        assert!(matches!(
            read(b"%PDF-1.4\ngarbage\n%%EOF"),
            Err(PdfError::Broken(_))
        ));
    }
}
