//! Ingestion: files → [`Document`]s with their language and [`Passage`]s.
//!
//! [`discover`] lists the `.txt`, `.md`, `.jsonl`, `.pdf`, `.docx`, `.html`/`.htm` (and
//! `.doc`, to say it is not read) files under the roots a user gives,
//! in a deterministic order, and [`read_file`] turns one file into a stream of [`Item`]s:
//! documents, and for whatever could not be read, a [`Skip`] that says why, or a
//! [`Warning`] when something was read but not as written (a legacy encoding, bad bytes
//! replaced, a field of the wrong type). A note about the corpus found in a folder
//! (`README.md`) is a skip too, so that it is named rather than dropped in silence.
//! Nothing here panics on a file's content, and nothing here knows about indexes.
//!
//! This file holds the types the rest of the crate sees. The work is in the modules:
//! `walk` finds files; `reader` is the per-file state machine behind [`read_file`];
//! `format` is the seam where a format turns bytes into text and metadata, or a skip
//! (`markdown`, `jsonl`, `pdf`, `docx` and `html` hold what is particular to each; `sniff`
//! tells a format by its first bytes, and `symbol` reads a UN symbol, language and date
//! from a file name and first lines); `decode` turns bytes
//! into text, for a whole file or line by line; `detect` decides languages; `passages`
//! cuts a text into passages.
//!
//! ```
//! use quorum::ingest::{discover, read_file, Item, LangSource, Options};
//! use quorum::Lang;
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("res.jsonl"),
//!     "{\"id\": \"S/RES/1 (1946)\", \"lang\": \"en\", \"date\": \"1946-01-25\", \
//!       \"text\": \"The Security Council,\\n\\nDecides to remain seized.\"}\n\
//!      {\"id\": 2}\n",
//! )?;
//! let files = discover(&[dir.path().to_path_buf()])?;
//! let items: Vec<Item> = files.iter().flat_map(|f| read_file(f, &Options::default())).collect();
//! let Item::Document(doc) = &items[0] else { panic!("expected a document") };
//! assert_eq!((doc.id.as_str(), doc.lang.clone(), doc.lang_source), ("S/RES/1 (1946)", Lang::En, LangSource::Metadata));
//! assert_eq!((doc.year, doc.line), (Some(1946), Some(1)));
//! let passages: Vec<&str> = doc.passages.iter().map(|p| &doc.text[p.range.clone()]).collect();
//! assert_eq!(passages, ["The Security Council,", "Decides to remain seized."]);
//! let Item::Skip(skip) = &items[1] else { panic!("expected a skip") };
//! assert!(skip.to_string().ends_with("res.jsonl:2: missing field `text` (skipped)"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod decode;
pub mod detect;
pub mod docx;
pub mod evidence;
mod format;
pub mod html;
pub mod jsonl;
pub mod markdown;
pub mod passages;
pub mod pdf;
pub(crate) mod reader;
#[doc(hidden)]
pub mod shared;
pub mod sniff;
pub mod symbol;
pub mod walk;

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::lang::Lang;

pub use passages::{split_passages, PASSAGE_TARGET};
pub use reader::{read_file, FileItems};
pub use walk::{discover, FileKind, SourceFile};

/// A document read from a file, with its passages.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The JSONL `id` (a number written out); for `.txt` and `.md`, the path relative to
    /// the root with `/` separators, or the file name when the root is the file.
    pub id: String,
    /// The document's language.
    pub lang: Lang,
    /// Where [`Document::lang`] came from.
    pub lang_source: LangSource,
    /// The full BCP 47 tag the metadata gave, when it says more than the language
    /// (`fr-CA`, `en-GB`): [`Document::lang`] holds its primary language. It is not
    /// indexed (the schema has no field for it yet).
    pub lang_tag: Option<String>,
    /// The UN document symbol, such as `S/RES/242 (1967)`.
    pub symbol: Option<String>,
    /// The title: JSONL `title`, the first `# ` heading of a `.md` file, a PDF's
    /// information title, a `.docx`'s `dc:title` or an HTML page's `<title>`, else their
    /// first heading.
    pub title: Option<String>,
    /// The date, as the metadata writes it.
    pub date: Option<String>,
    /// JSONL `year`, or else the leading four digits of `date`.
    pub year: Option<i64>,
    /// The kind of document, such as `resolution`.
    pub doc_type: Option<String>,
    /// The file it was read from, as the walk found it.
    pub path: PathBuf,
    /// The 1-based line of a JSONL record; `None` for `.txt` and `.md`.
    pub line: Option<usize>,
    /// The full text, decoded but otherwise unchanged (a byte order mark is dropped); for
    /// PDF, Word and HTML, the text extracted from the file, which passages slice.
    pub text: String,
    /// The passages, in order.
    pub passages: Vec<Passage>,
}

/// A passage of a document: what is indexed and ranked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// Byte range into [`Document::text`]: on char boundaries, trimmed of surrounding
    /// whitespace, never empty.
    pub range: Range<usize>,
    /// The passage's language: the document's, except where a document whose language was
    /// detected holds a long passage reliably detected as the other language.
    pub lang: Lang,
}

/// Where a document's language came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LangSource {
    /// The record's `lang` field.
    Metadata,
    /// The `--lang` flag ([`LangChoice::Fixed`]).
    Flag,
    /// Detection by whatlang.
    Detected,
    /// Nothing told the language (a text without letters, or even evidence): French.
    Default,
}

impl LangSource {
    /// A short stable label: `metadata`, `flag`, `detected` or `default`.
    pub fn label(self) -> &'static str {
        match self {
            LangSource::Metadata => "metadata",
            LangSource::Flag => "flag",
            LangSource::Detected => "detected",
            LangSource::Default => "default",
        }
    }
}

/// The language to assume for documents whose metadata does not give one (`--lang`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LangChoice {
    /// Detect each document's language (`--lang auto`).
    #[default]
    Auto,
    /// Take this language (`--lang fr` or `--lang en`).
    Fixed(Lang),
}

/// How files are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The language of documents without `lang` metadata.
    pub lang: LangChoice,
    /// The size in bytes that long paragraphs are cut to; see [`split_passages`].
    pub passage_target: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            lang: LangChoice::Auto,
            passage_target: PASSAGE_TARGET,
        }
    }
}

/// Something that was not indexed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line, for a JSONL record.
    pub line: Option<usize>,
    /// Why.
    pub reason: SkipReason,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.path, self.line)?;
        write!(f, "{} (skipped)", self.reason)
    }
}

/// Why something was skipped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    /// A JSONL line that is not JSON; the message says where it breaks.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// A JSONL line that is JSON but not an object: what it is (`an array`, `a string`,
    /// `a number`, `a boolean`, `null`).
    #[error("a JSON object with `id` and `text` was expected, found {0}")]
    NotAnObject(&'static str),
    /// A JSONL record without a required field (`id` or `text`), or with it null.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A JSONL record whose required field has the wrong type, or a blank `id`.
    #[error("field `{field}` should be {expected}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
    },
    /// A JSONL record whose `text` is empty or whitespace only.
    #[error("empty text")]
    EmptyText,
    /// A file that is empty or holds only whitespace.
    #[error("empty file")]
    EmptyFile,
    /// A file that is not text (a NUL byte or many control characters at its start).
    #[error("binary file")]
    Binary,
    /// A file that could not be read; the message is the system's.
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// A file that was listed but no longer existed when it was read.
    #[error("file vanished before it was read")]
    Vanished,
    /// A file whose extension is not one that is read (only when such a file is handed
    /// to [`read_file`] directly: [`discover`] never lists one).
    #[error("not a .txt, .md, .jsonl, .pdf, .docx, .html or .htm file")]
    Unsupported,
    /// An old binary Word file (`.doc`), or an Office file wrapped in one by a password.
    #[error("an old binary Word file (.doc) or a password-protected Office file, which quorum does not read: convert it to .docx or PDF")]
    OldWord,
    /// A PDF that cannot be read, and why.
    #[error("{0}")]
    Pdf(pdf::PdfError),
    /// A `.docx` that cannot be read, and why.
    #[error("{0}")]
    Docx(docx::DocxError),
    /// A format's parser panicked on the file.
    #[error("the {format} reader failed on this file: {message}")]
    ReaderFailed {
        /// The format's name.
        format: &'static str,
        /// The panic's message.
        message: String,
    },
    /// A format's parser took longer than the time limit on the file.
    #[error("reading it as {format} took longer than {seconds} s and was given up")]
    TimedOut {
        /// The format's name.
        format: &'static str,
        /// The limit.
        seconds: u64,
    },
    /// A file under a folder whose name is a note's (`README.md`, `LICENSE-MIT.txt`; see
    /// [`walk::is_note`]): it describes the corpus, and is named so that the user sees it
    /// was left out.
    #[error("a note about the corpus (README, LICENSE, ...), not a document")]
    Note,
    /// A document whose key (id and language) an earlier document of the same run
    /// already had: the first in path order wins, and is named.
    #[error(
        "duplicate of id `{id}` and language `{lang}`: the copy at {}{} is kept",
        kept.display(),
        kept_line.map(|line| format!(":{line}")).unwrap_or_default()
    )]
    Duplicate {
        /// The document id.
        id: String,
        /// Its language code.
        lang: String,
        /// The file of the copy kept.
        kept: PathBuf,
        /// Its JSONL line.
        kept_line: Option<usize>,
    },
}

impl SkipReason {
    /// A short stable snake_case label for summary counts.
    pub fn label(&self) -> &'static str {
        match self {
            // Counted with invalid JSON, as it was before it had its own message.
            SkipReason::InvalidJson(_) | SkipReason::NotAnObject(_) => "invalid_json",
            SkipReason::MissingField("id") => "missing_id",
            SkipReason::MissingField("text") => "missing_text",
            SkipReason::MissingField(_) => "missing_field",
            SkipReason::InvalidField { .. } => "invalid_field",
            SkipReason::EmptyText => "empty_text",
            SkipReason::EmptyFile => "empty",
            SkipReason::Binary => "binary",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::Vanished => "vanished",
            SkipReason::Unsupported => "unsupported",
            SkipReason::OldWord => "doc",
            SkipReason::Pdf(pdf::PdfError::Truncated) => "truncated",
            SkipReason::Pdf(pdf::PdfError::Encrypted) => "encrypted",
            SkipReason::Pdf(pdf::PdfError::Broken(_)) => "broken_pdf",
            SkipReason::Pdf(pdf::PdfError::NoText { .. }) => "no_text_layer",
            SkipReason::Docx(docx::DocxError::Zip(_)) => "broken_zip",
            SkipReason::Docx(docx::DocxError::NotDocx) => "not_docx",
            SkipReason::Docx(docx::DocxError::Xml(_)) => "broken_docx",
            SkipReason::ReaderFailed { .. } => "reader_failed",
            SkipReason::TimedOut { .. } => "timed_out",
            SkipReason::Note => "note",
            SkipReason::Duplicate { .. } => "duplicate",
        }
    }
}

/// Something that was read, but not quite as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line it is about: a JSONL record's, or the first line of a text file
    /// where bad bytes were replaced.
    pub line: Option<usize>,
    /// What happened, such as `decoded as windows-1252 (not UTF-8)`.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.path, self.line)?;
        f.write_str(&self.message)
    }
}

fn write_location(f: &mut fmt::Formatter<'_>, path: &Path, line: Option<usize>) -> fmt::Result {
    match line {
        Some(line) => write!(f, "{}:{line}: ", path.display()),
        None => write!(f, "{}: ", path.display()),
    }
}

/// One item of the stream that reading files yields, in path and line order.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A document to index.
    Document(Document),
    /// Something not indexed.
    Skip(Skip),
    /// Something indexed, with a caveat.
    Warning(Warning),
}

/// Errors that stop ingestion before any file is read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A root given by the user does not exist.
    #[error("{0}: no such file or folder")]
    RootNotFound(PathBuf),
    /// A root given by the user exists but could not be examined.
    #[error("{path}: cannot read")]
    Root {
        /// The root.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A root given by the user is a file of a kind that is not read.
    #[error("{0}: not a .txt, .md, .jsonl, .pdf, .docx, .html or .htm file")]
    UnsupportedRoot(PathBuf),
}

#[cfg(test)]
mod tests;
