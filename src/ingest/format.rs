//! The formats that are read, and the seam where a new one plugs in.
//!
//! A format is a [`FileKind`]: the extensions that select it, and one function that turns
//! a file's bytes into what [`FileKind::extract`] returns, the text of one document with
//! the metadata the format knows of it, a text of JSON Lines records (each then read by
//! [`record`]), or a skip with its reason. The reader (`reader.rs`) does everything
//! around it: it opens the file, decodes and streams a JSONL file line by line, reports
//! skips and warnings with their place, decides languages and cuts passages. A format that is not text
//! (PDF, Word) needs no decoding; one that is (HTML) decodes with [`super::decode`] first,
//! in the charset the page declares.
//!
//! A file's kind comes from its extension ([`FileKind::of`]) and then from its content
//! ([`FileKind::by_content`]): the magic bytes of [`super::sniff`] win over the extension,
//! with a warning that names both.
//!
//! PDF, Word and HTML carry their UN symbol, language and year in the file name or in
//! their first lines ([`super::symbol`]); a document whose symbol is found takes it as
//! its id, so that the French and English files of one symbol
//! (`S_RES_2086_2013_F.pdf`, `S_RES_2086_2013_E.pdf`) are twins under one id, as JSONL
//! records of one symbol are.
//!
//! Adding a format means a variant here, its extensions in [`FileKind::of`], and its
//! function in [`FileKind::extract`]: the matches have no `_ =>` arm, so the compiler
//! lists any place left to touch.

use std::path::Path;

use super::decode::{self, Decoded};
use super::sniff::{self, Sniffed};
use super::{docx, html, jsonl, markdown, pdf, symbol, SkipReason};
use crate::lang::Lang;

/// The kinds of file that are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `.txt`: one document, no title.
    Text,
    /// `.md`: one document, titled by its first `# ` heading.
    Markdown,
    /// `.jsonl`: one document per line.
    JsonLines,
    /// `.pdf`: one document, its pages without their headers and footers.
    Pdf,
    /// `.docx`: one document, a passage per paragraph at most.
    Docx,
    /// `.html` or `.htm`: one document, without the page's chrome.
    Html,
    /// `.doc`, old binary Word: never read, skipped with the advice to convert it.
    Doc,
}

impl FileKind {
    /// The kind of a path from its extension, compared without regard to case.
    pub fn of(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(FileKind::Text),
            "md" => Some(FileKind::Markdown),
            "jsonl" => Some(FileKind::JsonLines),
            "pdf" => Some(FileKind::Pdf),
            "docx" => Some(FileKind::Docx),
            "html" | "htm" => Some(FileKind::Html),
            "doc" => Some(FileKind::Doc),
            _ => None,
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Text => "text",
            FileKind::Markdown => "Markdown",
            FileKind::JsonLines => "JSON Lines",
            FileKind::Pdf => "PDF",
            FileKind::Docx => "Word .docx",
            FileKind::Html => "HTML",
            FileKind::Doc => "old binary Word .doc",
        }
    }

    /// Whether the format's parser is a crate of its own working on untrusted bytes, run
    /// under `catch_unwind` and a time limit.
    pub(crate) fn is_parsed(self) -> bool {
        match self {
            FileKind::Pdf | FileKind::Docx | FileKind::Html => true,
            FileKind::Text | FileKind::Markdown | FileKind::JsonLines | FileKind::Doc => false,
        }
    }

    /// The kind a file's content shows, given the kind its extension gave and the file's
    /// first bytes (`head`; the whole file for a zip, which only its directory tells apart),
    /// and a warning when the two disagree. Content wins: a `.txt` that is a PDF is read
    /// as a PDF, a `.pdf` that is text as text. A zip that is not a `.docx` keeps its
    /// extension's kind, whose reading then says what is wrong with it.
    pub fn by_content(self, head: &[u8]) -> (FileKind, Option<String>) {
        let found = match sniff::sniff(head) {
            // Readers find `%PDF-` anywhere in the first kilobyte, but a text that only
            // mentions it is not a PDF: another extension needs it first.
            Some(Sniffed::Pdf) if self != FileKind::Pdf && !head.starts_with(b"%PDF-") => self,
            Some(Sniffed::Pdf) => FileKind::Pdf,
            Some(Sniffed::Ole) => FileKind::Doc,
            Some(Sniffed::Zip) if docx::is_docx(head) => FileKind::Docx,
            Some(Sniffed::Zip) => return (self, None),
            Some(Sniffed::Html) => FileKind::Html,
            None => match self {
                // Formats with magic bytes whose content has none: text, or binary
                // that reading as text skips.
                FileKind::Pdf | FileKind::Docx | FileKind::Doc => FileKind::Text,
                // HTML is often a fragment, without a doctype.
                FileKind::Html | FileKind::Text | FileKind::Markdown | FileKind::JsonLines => self,
            },
        };
        if found == self {
            return (self, None);
        }
        let warning = format!(
            "content is {}, not {} as the extension says: read as {}",
            found.name(),
            self.name(),
            found.name()
        );
        (found, Some(warning))
    }

    /// What the format makes of a whole file's bytes; `name` is the file's name, which
    /// may carry the document's symbol and language.
    pub(crate) fn extract(self, bytes: Vec<u8>, name: &str) -> Extracted {
        match self {
            FileKind::Text => text(bytes),
            FileKind::Markdown => markdown(bytes),
            FileKind::JsonLines => json_lines(bytes),
            FileKind::Pdf => pdf(&bytes, name),
            FileKind::Docx => docx(&bytes, name),
            FileKind::Html => html(bytes, name),
            FileKind::Doc => skipped(SkipReason::OldWord),
        }
    }
}

/// What a format knows of a document besides its text.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    /// The id the format gives, or `None` for the file's own ([`super::SourceFile::id`]).
    pub(crate) id: Option<String>,
    pub(crate) lang: Option<Lang>,
    pub(crate) lang_tag: Option<String>,
    pub(crate) symbol: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) year: Option<i64>,
    pub(crate) doc_type: Option<String>,
}

/// The text of one document and its metadata, before its language is decided.
#[derive(Debug)]
pub(crate) struct Text {
    pub(crate) text: String,
    pub(crate) meta: Meta,
}

/// Warnings with the 1-based line each is about, when it is about one.
type Warnings = Vec<(Option<usize>, String)>;

/// What a format made of a file.
#[derive(Debug)]
pub(crate) struct Extracted {
    /// What was read, but not as written (a legacy encoding, bad bytes replaced), with
    /// the 1-based line it is about when it is about one, in the order found.
    pub(crate) warnings: Warnings,
    pub(crate) content: Content,
}

/// The content of [`Extracted`].
#[derive(Debug)]
pub(crate) enum Content {
    /// One document.
    Document(Text),
    /// A decoded text of JSON Lines records, each read by [`record`].
    Records(String),
    /// Nothing to index, and why.
    Skip(SkipReason),
}

/// A text file, decoded, as one document without metadata.
fn text(bytes: Vec<u8>) -> Extracted {
    decoded(bytes, |text| {
        Content::Document(Text {
            text,
            meta: Meta::default(),
        })
    })
}

/// A Markdown file, decoded, as one document titled by its first `# ` heading.
fn markdown(bytes: Vec<u8>) -> Extracted {
    decoded(bytes, |text| {
        let meta = Meta {
            title: markdown::title(&text),
            ..Meta::default()
        };
        Content::Document(Text { text, meta })
    })
}

/// A JSON Lines file decoded whole, which only a UTF-16 one is (the reader decodes any
/// other line by line); its records are read one at a time by [`record`].
fn json_lines(bytes: Vec<u8>) -> Extracted {
    decoded(bytes, Content::Records)
}

/// A PDF's text and metadata.
fn pdf(bytes: &[u8], name: &str) -> Extracted {
    match pdf::read(bytes) {
        Err(err) => skipped(SkipReason::Pdf(err)),
        Ok(pdf) => document(pdf.text, pdf.title, &pdf.head, name),
    }
}

/// A Word document's text and metadata.
fn docx(bytes: &[u8], name: &str) -> Extracted {
    match docx::read(bytes) {
        Err(err) => skipped(SkipReason::Docx(err)),
        Ok(docx) => {
            let head = head(docx.title.as_deref(), &docx.text);
            document(docx.text, docx.title, &head, name)
        }
    }
}

/// An HTML page, decoded in the charset it declares (else as a text file is), without
/// its chrome.
fn html(bytes: Vec<u8>, name: &str) -> Extracted {
    let declared = html::declared_charset(&bytes)
        .filter(|e| *e != encoding_rs::UTF_8 && encoding_rs::Encoding::for_bom(&bytes).is_none());
    let (source, mut warnings) = match declared {
        Some(encoding) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
            let warnings = if had_errors {
                vec![(None, decode::REPLACED.to_string())]
            } else {
                Vec::new()
            };
            (Ok(text.into_owned()), warnings)
        }
        None => decode_text(bytes),
    };
    let mut extracted = match source {
        Err(reason) => skipped(reason),
        Ok(source) => {
            let page = html::read(&source);
            let head = head(page.title.as_deref(), &page.text);
            document(page.text, page.title, &head, name)
        }
    };
    warnings.append(&mut extracted.warnings);
    extracted.warnings = warnings;
    extracted
}

/// Where a symbol or a date line may stand: the title, then the text's first lines.
fn head(title: Option<&str>, text: &str) -> String {
    title
        .into_iter()
        .chain(text.lines().filter(|l| !l.trim().is_empty()))
        .take(symbol::FIRST_LINES)
        .collect::<Vec<_>>()
        .join("\n")
}

/// One document of a parsed format, with the metadata its file name and first lines
/// (`head`) give; a document without text is skipped as empty.
fn document(text: String, title: Option<String>, head: &str, name: &str) -> Extracted {
    if text.trim().is_empty() {
        return skipped(SkipReason::EmptyFile);
    }
    let symbol = symbol::from_file_name(name).or_else(|| symbol::from_lines(head));
    let date = symbol::date_of(head);
    let year = symbol
        .as_deref()
        .and_then(symbol::year_of)
        .or(date.as_ref().map(|d| d.1));
    let doc_type = symbol
        .as_deref()
        .and_then(symbol::doc_type)
        .map(str::to_string);
    let meta = Meta {
        // Twins: the French and English files of one symbol share their id.
        id: symbol.clone(),
        lang: symbol::lang_of_file_name(name),
        lang_tag: None,
        symbol,
        title,
        date: date.map(|d| d.0),
        year,
        doc_type,
    };
    Extracted {
        warnings: Vec::new(),
        content: Content::Document(Text { text, meta }),
    }
}

fn skipped(reason: SkipReason) -> Extracted {
    Extracted {
        warnings: Vec::new(),
        content: Content::Skip(reason),
    }
}

/// Decodes the bytes of a text format and hands the text to `content`, or skips a
/// binary or empty file.
fn decoded(bytes: Vec<u8>, content: impl FnOnce(String) -> Content) -> Extracted {
    let (text, warnings) = decode_text(bytes);
    let content = match text {
        Ok(text) => content(text),
        Err(reason) => Content::Skip(reason),
    };
    Extracted { warnings, content }
}

/// The text of a text format's bytes, or why there is none (a binary or empty file), and
/// the warnings its decoding raised.
fn decode_text(bytes: Vec<u8>) -> (Result<String, SkipReason>, Warnings) {
    match decode::decode(bytes) {
        Decoded::Binary => (Err(SkipReason::Binary), Vec::new()),
        Decoded::Empty => (Err(SkipReason::EmptyFile), Vec::new()),
        Decoded::Text {
            text,
            encoding,
            replaced,
        } => {
            let mut warnings: Warnings = encoding
                .map(|e| (None, decode::decoded_as(e)))
                .into_iter()
                .collect();
            // One warning at the first line, naming the others, rather than one a line.
            if let Some((&first, others)) = replaced.split_first() {
                let message = if others.is_empty() {
                    decode::REPLACED.to_string()
                } else {
                    format!("{} (also on {})", decode::REPLACED, decode::lines(others))
                };
                warnings.push((Some(first), message));
            }
            (Ok(text), warnings)
        }
    }
}

/// One line of a JSON Lines file as a document and the warnings it raised, or why it is
/// skipped; see [`jsonl::parse_line`].
pub(crate) fn record(line: &str) -> Result<(Text, Vec<String>), SkipReason> {
    let (record, warnings) = jsonl::parse_line(line)?;
    let meta = Meta {
        id: Some(record.id),
        lang: record.lang,
        lang_tag: record.lang_tag,
        symbol: record.symbol,
        title: record.title,
        date: record.date,
        year: record.year,
        doc_type: record.doc_type,
    };
    let text = Text {
        text: record.text,
        meta,
    };
    Ok((text, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_wins_over_extensions() {
        let cases: &[(FileKind, &[u8], FileKind, bool)] = &[
            (FileKind::Text, b"%PDF-1.7\n", FileKind::Pdf, true),
            (
                FileKind::Text,
                b"Notes on the %PDF-1.7 header",
                FileKind::Text,
                false,
            ),
            (FileKind::Pdf, b"\r\n%PDF-1.7\n", FileKind::Pdf, false),
            (FileKind::Pdf, b"Le Conseil", FileKind::Text, true),
            (
                FileKind::Docx,
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
                FileKind::Doc,
                true,
            ),
            (
                FileKind::Docx,
                b"PK\x03\x04 not a docx",
                FileKind::Docx,
                false,
            ),
            (FileKind::Markdown, b"<!DOCTYPE html>", FileKind::Html, true),
            (FileKind::Html, b"<p>fragment</p>", FileKind::Html, false),
            (
                FileKind::JsonLines,
                b"{\"id\": 1}",
                FileKind::JsonLines,
                false,
            ),
        ];
        for (by_extension, head, want, warned) in cases {
            let (got, warning) = by_extension.by_content(head);
            assert_eq!(
                (got, warning.is_some()),
                (*want, *warned),
                "{by_extension:?} {head:?}"
            );
        }
    }
}
