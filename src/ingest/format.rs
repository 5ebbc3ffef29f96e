//! The formats that are read, and the seam where a new one plugs in.
//!
//! A format is a [`FileKind`]: the extensions that select it, and one function that turns
//! a file's bytes into what [`FileKind::extract`] returns, the text of one document with
//! the metadata the format knows of it, a text of JSON Lines records (each then read by
//! [`record`]), or a skip with its reason. The reader (`reader.rs`) does everything
//! around it: it opens the file, decodes and streams a JSONL file line by line, reports
//! skips and warnings with their place, decides languages and cuts passages. A format that is not text
//! (PDF, Word) needs no decoding; one that is (HTML) decodes with [`super::decode`] first.
//!
//! Adding a format means a variant here, its extensions in [`FileKind::of`], and its
//! function in [`FileKind::extract`]: the matches have no `_ =>` arm, so the compiler
//! lists any place left to touch.

use std::path::Path;

use super::decode::{self, Decoded};
use super::{jsonl, markdown, SkipReason};
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
}

impl FileKind {
    /// The kind of a path from its extension, compared without regard to case.
    pub fn of(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(FileKind::Text),
            "md" => Some(FileKind::Markdown),
            "jsonl" => Some(FileKind::JsonLines),
            _ => None,
        }
    }

    /// What the format makes of a whole file's bytes.
    pub(crate) fn extract(self, bytes: Vec<u8>) -> Extracted {
        match self {
            FileKind::Text => text(bytes),
            FileKind::Markdown => markdown(bytes),
            FileKind::JsonLines => json_lines(bytes),
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

/// What a format made of a file.
#[derive(Debug)]
pub(crate) struct Extracted {
    /// What was read, but not as written (a legacy encoding, bad bytes replaced), with
    /// the 1-based line it is about when it is about one, in the order found.
    pub(crate) warnings: Vec<(Option<usize>, String)>,
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

/// Decodes the bytes of a text format and hands the text to `content`, or skips a
/// binary or empty file.
fn decoded(bytes: Vec<u8>, content: impl FnOnce(String) -> Content) -> Extracted {
    let (content, warnings) = match decode::decode(bytes) {
        Decoded::Binary => (Content::Skip(SkipReason::Binary), Vec::new()),
        Decoded::Empty => (Content::Skip(SkipReason::EmptyFile), Vec::new()),
        Decoded::Text {
            text,
            encoding,
            replaced,
        } => {
            let mut warnings: Vec<(Option<usize>, String)> = encoding
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
            (content(text), warnings)
        }
    };
    Extracted { warnings, content }
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
