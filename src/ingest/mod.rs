//! Ingestion: files → [`Document`]s with their language and [`Passage`]s.
//!
//! [`discover`] lists the `.txt`, `.md` and `.jsonl` files under the roots a user gives,
//! in a deterministic order, and [`read_file`] turns one file into a stream of [`Item`]s:
//! documents, and for whatever could not be read, a [`Skip`] that says why, or a
//! [`Warning`] when something was read but not as written (a legacy encoding, a field of
//! the wrong type). Nothing here panics on a file's content, and nothing here knows about
//! indexes.
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
pub mod jsonl;
pub mod passages;
pub mod walk;

use std::collections::VecDeque;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::lang::Lang;

pub use passages::{split_passages, PASSAGE_TARGET};
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
    /// The UN document symbol, such as `S/RES/242 (1967)`.
    pub symbol: Option<String>,
    /// The title: JSONL `title`, or the first `# ` heading of a `.md` file.
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
    /// The full text, decoded but otherwise unchanged (a byte order mark is dropped).
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
    /// Detection gave nothing; stop-word counts decided, French on a tie.
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
    /// A JSONL line that is not a JSON object; the message says where it breaks.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
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
    /// A file whose extension is not `.txt`, `.md` or `.jsonl` (only when such a file is
    /// handed to [`read_file`] directly: [`discover`] never lists one).
    #[error("not a .txt, .md or .jsonl file")]
    Unsupported,
    /// A document whose key (id and language) an earlier document of the same run
    /// already had: the first in path order wins.
    #[error("duplicate of an earlier document with id `{0}` and language `{1}`")]
    Duplicate(String, String),
}

impl SkipReason {
    /// A short stable snake_case label for summary counts.
    pub fn label(&self) -> &'static str {
        match self {
            SkipReason::InvalidJson(_) => "invalid_json",
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
            SkipReason::Duplicate(..) => "duplicate",
        }
    }
}

/// Something that was read, but not quite as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line, for a JSONL record.
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
    /// A root given by the user is a file that is not `.txt`, `.md` or `.jsonl`.
    #[error("{0}: not a .txt, .md or .jsonl file")]
    UnsupportedRoot(PathBuf),
}

/// Reads one file into documents, skips and warnings, lazily.
///
/// A `.txt` or `.md` file is read and decoded whole when the iterator is first advanced.
/// A JSONL file under [`STREAM_JSONL_BYTES`] is too, then parsed one line at a time; a
/// larger one is streamed line by line, so memory stays bounded whatever its size. Only
/// one record's document exists at a time. Never panics, whatever the bytes.
pub fn read_file(file: &SourceFile, options: &Options) -> FileItems {
    FileItems {
        file: file.clone(),
        options: options.clone(),
        queue: VecDeque::new(),
        state: State::Unread,
    }
}

/// The items of one file; see [`read_file`].
#[derive(Debug)]
pub struct FileItems {
    file: SourceFile,
    options: Options,
    queue: VecDeque<Item>,
    state: State,
}

/// JSONL files larger than this are streamed rather than read whole.
pub const STREAM_JSONL_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug)]
enum State {
    Unread,
    /// A large JSONL file, streamed: `line` lines in.
    JsonlStream(Box<Stream>),
    /// A JSONL text, read up to byte `pos`, `line` lines in.
    Jsonl {
        text: String,
        pos: usize,
        line: usize,
    },
    Done,
}

impl Iterator for FileItems {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            match std::mem::replace(&mut self.state, State::Done) {
                State::Unread => self.open(),
                State::Jsonl { text, pos, line } => {
                    let mut lines = jsonl::Lines::resume(&text, pos, line);
                    let Some((number, content)) = lines.next() else {
                        continue;
                    };
                    self.record(number, content);
                    let (pos, line) = lines.position();
                    self.state = State::Jsonl { text, pos, line };
                }
                State::JsonlStream(mut stream) => {
                    if let Some((number, content)) = self.stream_line(&mut stream) {
                        self.record(number, &content);
                        self.state = State::JsonlStream(stream);
                    }
                }
                State::Done => return None,
            }
        }
    }
}

/// The reading state of a streamed JSONL file.
#[derive(Debug)]
struct Stream {
    reader: std::io::BufReader<std::fs::File>,
    line: usize,
    /// The legacy encoding found at the first line that is not UTF-8.
    encoding: Option<&'static encoding_rs::Encoding>,
    /// Whether any non-blank line was seen (a file of blank lines is empty).
    content: bool,
    buf: Vec<u8>,
}

impl FileItems {
    /// Opens a large JSONL file for streaming, or `None` to read it whole (a UTF-16
    /// file, whose lines cannot be cut at a byte `\n`).
    fn open_stream(&mut self) -> Option<Stream> {
        use std::io::BufRead;
        let file = std::fs::File::open(&self.file.path).ok()?;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let head = reader.fill_buf().ok()?;
        let bom = match encoding_rs::Encoding::for_bom(head) {
            Some((encoding, _)) if encoding != encoding_rs::UTF_8 => return None,
            Some((_, len)) => len,
            None => 0,
        };
        if decode::looks_binary(&head[bom..]) {
            self.skip(None, SkipReason::Binary);
            return Some(Stream {
                reader,
                line: usize::MAX,
                encoding: None,
                content: true,
                buf: Vec::new(),
            });
        }
        reader.consume(bom);
        Some(Stream {
            reader,
            line: 0,
            encoding: None,
            content: false,
            buf: Vec::new(),
        })
    }

    /// The next non-blank line of a streamed file, decoded; `None` at the end (after
    /// queueing a skip for an empty or unreadable file).
    fn stream_line(&mut self, stream: &mut Stream) -> Option<(usize, String)> {
        use std::io::BufRead;
        if stream.line == usize::MAX {
            return None;
        }
        loop {
            stream.buf.clear();
            match stream.reader.read_until(b'\n', &mut stream.buf) {
                Ok(0) => {
                    if !stream.content {
                        self.skip(None, SkipReason::EmptyFile);
                    }
                    return None;
                }
                Ok(_) => {}
                Err(err) => {
                    self.skip(
                        Some(stream.line + 1),
                        SkipReason::Unreadable(err.to_string()),
                    );
                    return None;
                }
            }
            stream.line += 1;
            let mut bytes = stream.buf.as_slice();
            bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => text.to_string(),
                Err(_) => {
                    let encoding = match stream.encoding {
                        Some(encoding) => encoding,
                        None => {
                            let mut detector = chardetng::EncodingDetector::new();
                            detector.feed(bytes, true);
                            let encoding = detector.guess(None, false);
                            self.warn(
                                Some(stream.line),
                                format!("decoded as {} (not UTF-8)", encoding.name()),
                            );
                            stream.encoding = Some(encoding);
                            encoding
                        }
                    };
                    encoding.decode_without_bom_handling(bytes).0.into_owned()
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            stream.content = true;
            return Some((stream.line, text));
        }
    }
}

impl FileItems {
    fn skip(&mut self, line: Option<usize>, reason: SkipReason) {
        self.queue.push_back(Item::Skip(Skip {
            path: self.file.path.clone(),
            line,
            reason,
        }));
    }

    fn warn(&mut self, line: Option<usize>, message: String) {
        self.queue.push_back(Item::Warning(Warning {
            path: self.file.path.clone(),
            line,
            message,
        }));
    }

    /// Reads and decodes the file, queueing what it gives and setting the next state.
    fn open(&mut self) {
        let path = &self.file.path;
        let Some(kind) = self.file.kind() else {
            return self.skip(None, SkipReason::Unsupported);
        };
        let large = std::fs::metadata(path).is_ok_and(|m| m.len() > STREAM_JSONL_BYTES);
        if kind == FileKind::JsonLines && large {
            if let Some(stream) = self.open_stream() {
                self.state = State::JsonlStream(Box::new(stream));
                return;
            }
        }
        let path = &self.file.path;
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return self.skip(None, SkipReason::Vanished)
            }
            Err(err) => {
                // discover lists a folder it could not walk; reading the folder again
                // gives the real reason (usually permissions) rather than "is a directory".
                let message = match std::fs::read_dir(path) {
                    Err(dir_err) if path.is_dir() => dir_err.to_string(),
                    _ => err.to_string(),
                };
                return self.skip(None, SkipReason::Unreadable(message));
            }
        };
        let text = match decode::decode(bytes) {
            decode::Decoded::Binary => return self.skip(None, SkipReason::Binary),
            decode::Decoded::Empty => return self.skip(None, SkipReason::EmptyFile),
            decode::Decoded::Text { text, encoding } => {
                if let Some(encoding) = encoding {
                    self.warn(None, format!("decoded as {} (not UTF-8)", encoding.name()));
                }
                text
            }
        };
        match kind {
            FileKind::JsonLines => {
                self.state = State::Jsonl {
                    text,
                    pos: 0,
                    line: 0,
                }
            }
            FileKind::Text | FileKind::Markdown => {
                let title = match kind {
                    FileKind::Markdown => markdown_title(&text),
                    FileKind::Text | FileKind::JsonLines => None,
                };
                let meta = Meta {
                    id: self.file.id(),
                    title,
                    ..Meta::default()
                };
                let doc = build(meta, text, None, &self.file.path, &self.options);
                self.queue.push_back(Item::Document(doc));
            }
        }
    }

    /// Parses one JSONL line and queues its warnings and its document or skip.
    fn record(&mut self, number: usize, content: &str) {
        match jsonl::parse_line(content) {
            Err(reason) => self.skip(Some(number), reason),
            Ok((record, warnings)) => {
                for warning in warnings {
                    self.warn(Some(number), warning);
                }
                let meta = Meta {
                    id: record.id,
                    lang: record.lang,
                    symbol: record.symbol,
                    title: record.title,
                    date: record.date,
                    year: record.year,
                    doc_type: record.doc_type,
                };
                let doc = build(
                    meta,
                    record.text,
                    Some(number),
                    &self.file.path,
                    &self.options,
                );
                self.queue.push_back(Item::Document(doc));
            }
        }
    }
}

/// A document's metadata before its language is decided.
#[derive(Default)]
struct Meta {
    id: String,
    lang: Option<Lang>,
    symbol: Option<String>,
    title: Option<String>,
    date: Option<String>,
    year: Option<i64>,
    doc_type: Option<String>,
}

/// Passages that all take the document's language.
fn same_lang(ranges: Vec<Range<usize>>, lang: &Lang) -> Vec<Passage> {
    ranges
        .into_iter()
        .map(|range| Passage {
            range,
            lang: lang.clone(),
        })
        .collect()
}

/// Decides a document's language and cuts it into passages.
fn build(
    meta: Meta,
    text: String,
    line: Option<usize>,
    path: &Path,
    options: &Options,
) -> Document {
    let ranges = split_passages(&text, options.passage_target);
    let (lang, lang_source, passages) = match (meta.lang, &options.lang) {
        (Some(lang), _) => {
            let passages = same_lang(ranges, &lang);
            (lang, LangSource::Metadata, passages)
        }
        (None, LangChoice::Fixed(lang)) => {
            (lang.clone(), LangSource::Flag, same_lang(ranges, lang))
        }
        (None, LangChoice::Auto) => detect::detect_passages(&text, ranges),
    };
    Document {
        id: meta.id,
        lang,
        lang_source,
        symbol: meta.symbol,
        title: meta.title,
        date: meta.date,
        year: meta.year,
        doc_type: meta.doc_type,
        path: path.to_path_buf(),
        line,
        text,
        passages,
    }
}

/// The text of the first level-one ATX heading (`# Title`) of a Markdown text.
fn markdown_title(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        // CommonMark allows up to three spaces of indentation before a heading.
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = line[indent..].strip_prefix('#')?;
        if indent > 3 || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            return None;
        }
        let title = rest.trim().trim_end_matches('#').trim();
        (!title.is_empty()).then(|| title.to_string())
    })
}

#[cfg(test)]
pub(crate) mod tests_support {
    use std::path::PathBuf;

    /// The shared corpus folder: `$QUORUM_SHARED/corpus`, else `../shared/corpus` beside
    /// the crate, else `/work/shared/corpus`; `None`, with a note printed, when absent.
    pub(crate) fn shared_corpus() -> Option<PathBuf> {
        let candidates: Vec<PathBuf> = match std::env::var_os("QUORUM_SHARED") {
            Some(shared) => vec![PathBuf::from(shared)],
            None => vec![
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
                PathBuf::from("/work/shared"),
            ],
        };
        let found = candidates
            .iter()
            .map(|shared| shared.join("corpus"))
            .find(|corpus| corpus.is_dir());
        if found.is_none() {
            println!("skipped: ../shared/corpus not found (set QUORUM_SHARED)");
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const EN: &str = "The Security Council, recalling all its previous resolutions on the situation in the region, expresses its deep concern at the continuing violence and calls upon all parties to respect international humanitarian law and to protect civilians.";
    const FR: &str = "Le Conseil de sécurité, rappelant toutes ses résolutions antérieures sur la situation dans la région, se déclare profondément préoccupé par la poursuite des violences et demande à toutes les parties de respecter le droit international humanitaire.";

    #[test]
    fn large_jsonl_is_streamed_with_the_same_rules() {
        // Over STREAM_JSONL_BYTES, so read line by line: good lines around a broken one
        // and a Windows-1252 one are all handled as in a small file.
        let filler = format!(
            "{{\"id\": \"f\", \"lang\": \"en\", \"text\": \"{}\"}}\n",
            "x ".repeat(500)
        );
        let mut content = Vec::new();
        content.extend_from_slice(b"\xef\xbb\xbf{\"id\": \"first\", \"text\": \"La paix.\"}\r\n\n");
        content.extend_from_slice(b"{broken\n");
        content.extend_from_slice(
            b"{\"id\": \"latin\", \"lang\": \"fr\", \"text\": \"Les op\xe9rations.\"}\n",
        );
        while content.len() as u64 <= STREAM_JSONL_BYTES {
            content.extend_from_slice(filler.as_bytes());
        }
        content.extend_from_slice(b"{\"id\": \"last\", \"text\": \"La fin.\"}");
        let (_dir, items) = ingest(&[("big.jsonl", &content)], &Options::default());
        let docs: Vec<&Document> = items
            .iter()
            .filter_map(|i| match i {
                Item::Document(d) if d.id != "f" => Some(d),
                _ => None,
            })
            .collect();
        let ids: Vec<(&str, Option<usize>)> =
            docs.iter().map(|d| (d.id.as_str(), d.line)).collect();
        assert_eq!(ids[..2], [("first", Some(1)), ("latin", Some(4))]);
        assert_eq!(ids.last().map(|d| d.0), Some("last"));
        assert_eq!(docs[1].text, "Les opérations.");
        let skips: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                Item::Skip(s) => Some(s.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(skips.len(), 1, "{skips:?}");
        assert!(skips[0].contains("big.jsonl:3: invalid JSON"), "{skips:?}");
        assert!(items
            .iter()
            .any(|i| matches!(i, Item::Warning(w) if w.message.contains("windows-1252"))));
    }

    /// Writes `files` under a new temp dir and reads everything in it.
    fn ingest(files: &[(&str, &[u8])], options: &Options) -> (tempfile::TempDir, Vec<Item>) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (rel, content) in files {
            let path = dir.path().join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).expect("create test folder");
            }
            fs::write(path, content).expect("write test file");
        }
        let items = read_all(&[dir.path().to_path_buf()], options);
        (dir, items)
    }

    fn read_all(roots: &[PathBuf], options: &Options) -> Vec<Item> {
        discover(roots)
            .expect("discover")
            .iter()
            .flat_map(|f| read_file(f, options))
            .collect()
    }

    /// A one-line summary of an item, to compare streams in tables.
    fn summary(item: &Item) -> String {
        let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
        match item {
            Item::Document(d) => format!("doc {} {}", d.id, d.lang),
            Item::Skip(s) => format!(
                "skip {}:{} {}",
                name(&s.path).unwrap_or_default(),
                s.line.map_or(String::new(), |l| l.to_string()),
                s.reason.label()
            ),
            Item::Warning(w) => format!("warn {} {}", name(&w.path).unwrap_or_default(), w.message),
        }
    }

    fn documents(items: &[Item]) -> Vec<&Document> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Document(d) => Some(d),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn files_give_documents_skips_and_warnings() {
        let fr = Options {
            lang: LangChoice::Fixed(Lang::Fr),
            ..Options::default()
        };
        // (case name, files to write, expected stream summary)
        type Case<'a> = (&'a str, &'a [(&'a str, &'a [u8])], &'a [&'a str]);
        let cases: &[Case] = &[
            ("plain text", &[("a/b.txt", b"Le Conseil.")], &["doc a/b.txt fr"]),
            ("bom", &[("x.txt", b"\xef\xbb\xbfLe Conseil.")], &["doc x.txt fr"]),
            (
                "windows-1252",
                &[("w.txt", b"Les op\xe9rations de maintien de la paix du Conseil de s\xe9curit\xe9.")],
                &["warn w.txt decoded as windows-1252 (not UTF-8)", "doc w.txt fr"],
            ),
            ("binary", &[("b.txt", b"\x00\x01\x02abc")], &["skip b.txt: binary"]),
            ("empty", &[("e.txt", b"")], &["skip e.txt: empty"]),
            ("whitespace", &[("e.md", b" \n\t\r\n")], &["skip e.md: empty"]),
            (
                "invalid line in the middle",
                &[(
                    "c.jsonl",
                    b"{\"id\":\"a\",\"text\":\"Un.\"}\n{\"id\":\"b\",\"text\":\n\n{\"id\":\"c\",\"text\":\"Trois.\"}\n",
                )],
                &["doc a fr", "skip c.jsonl:2 invalid_json", "doc c fr"],
            ),
            (
                "missing fields and numeric id",
                &[(
                    "m.jsonl",
                    b"{\"text\":\"x\"}\r\n{\"id\":\"a\"}\r\n{\"id\":7,\"text\":\"Sept.\"}\r\n{\"id\":\"e\",\"text\":\"  \"}",
                )],
                &["skip m.jsonl:1 missing_id", "skip m.jsonl:2 missing_text", "doc 7 fr", "skip m.jsonl:4 empty_text"],
            ),
            (
                "metadata language wins over the flag",
                &[("l.jsonl", b"{\"id\":\"a\",\"lang\":\"en\",\"text\":\"Le Conseil.\"}\n{\"id\":\"b\",\"lang\":\"es\",\"text\":\"El Consejo.\"}")],
                &["doc a en", "doc b es"],
            ),
            (
                "bad optional field",
                &[("o.jsonl", b"{\"id\":\"a\",\"text\":\"Le Conseil.\",\"title\":{}}")],
                &["warn o.jsonl field `title` is an object, not a string (ignored)", "doc a fr"],
            ),
            (
                "path order across kinds",
                &[("z.md", b"# T"), ("a/z.jsonl", b"{\"id\":1,\"text\":\"x\"}"), ("a/b.txt", b"y")],
                &["doc a/b.txt fr", "doc 1 fr", "doc z.md fr"],
            ),
        ];
        for (name, files, want) in cases {
            let (_dir, items) = ingest(files, &fr);
            let got: Vec<String> = items.iter().map(summary).collect();
            assert_eq!(got, *want, "case {name}");
        }
    }

    #[test]
    fn documents_carry_their_metadata() {
        let line = br#"{"id":"S/RES/827 (1993)","lang":"en","symbol":"S/RES/827 (1993)","title":"T","date":"1993-05-25","doc_type":"resolution","text":"RESOLUTION 827 (1993)\n\nThe Security Council,"}"#;
        let (dir, items) = ingest(
            &[
                ("r.jsonl", line),
                ("n.md", b"intro\n# Le titre #\n\nCorps."),
                ("\u{e9}.txt", b"\xef\xbb\xbfCorps."),
            ],
            &Options::default(),
        );
        let docs = documents(&items);
        assert_eq!(docs.len(), 3, "{items:?}");
        let (md, res, txt) = (docs[0], docs[1], docs[2]);
        assert_eq!(
            (md.id.as_str(), md.title.as_deref(), md.line),
            ("n.md", Some("Le titre"), None)
        );
        assert_eq!(md.path, dir.path().join("n.md"));
        assert_eq!(res.id, "S/RES/827 (1993)");
        assert_eq!(res.symbol.as_deref(), Some("S/RES/827 (1993)"));
        assert_eq!(
            (res.date.as_deref(), res.year),
            (Some("1993-05-25"), Some(1993))
        );
        assert_eq!(
            (res.doc_type.as_deref(), res.line),
            (Some("resolution"), Some(1))
        );
        assert_eq!(res.passages.len(), 2);
        assert_eq!(
            (txt.id.as_str(), txt.text.as_str(), txt.title.as_deref()),
            ("é.txt", "Corps.", None)
        );
        for doc in docs {
            for passage in &doc.passages {
                assert!(!doc.text[passage.range.clone()].trim().is_empty());
            }
        }
    }

    #[test]
    fn a_file_root_gives_its_name_as_id() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("one.txt");
        fs::write(&file, EN).expect("write");
        let items = read_all(&[file], &Options::default());
        let docs = documents(&items);
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (docs[0].id.as_str(), docs[0].lang_source),
            ("one.txt", LangSource::Detected)
        );
    }

    #[test]
    fn languages_come_from_metadata_flag_or_detection() {
        let cases: &[(&str, LangChoice, Lang, LangSource)] = &[
            (EN, LangChoice::Auto, Lang::En, LangSource::Detected),
            (FR, LangChoice::Auto, Lang::Fr, LangSource::Detected),
            (EN, LangChoice::Fixed(Lang::Fr), Lang::Fr, LangSource::Flag),
            (
                "12 345 / 678",
                LangChoice::Auto,
                Lang::Fr,
                LangSource::Default,
            ),
        ];
        for (text, choice, lang, source) in cases {
            let options = Options {
                lang: choice.clone(),
                ..Options::default()
            };
            let (_dir, items) = ingest(&[("t.txt", text.as_bytes())], &options);
            let docs = documents(&items);
            assert_eq!(docs.len(), 1, "{text:?}: {items:?}");
            assert_eq!(
                (&docs[0].lang, docs[0].lang_source),
                (lang, *source),
                "{text:?}"
            );
        }
    }

    #[test]
    fn mixed_french_and_english_text_gets_passage_languages() {
        let text = format!("{EN}\n\n{EN}\n\n{FR}\n\nShort line.");
        let want = [Lang::En, Lang::En, Lang::Fr, Lang::En];
        let cases: &[(LangChoice, &[Lang])] = &[
            (LangChoice::Auto, &want),
            // A language the user fixed is not second-guessed.
            (
                LangChoice::Fixed(Lang::En),
                &[Lang::En, Lang::En, Lang::En, Lang::En],
            ),
        ];
        for (choice, want) in cases {
            let options = Options {
                lang: choice.clone(),
                ..Options::default()
            };
            let (_dir, items) = ingest(&[("mixed.txt", text.as_bytes())], &options);
            let docs = documents(&items);
            assert_eq!(docs.len(), 1);
            assert_eq!(docs[0].lang, Lang::En);
            let got: Vec<Lang> = docs[0].passages.iter().map(|p| p.lang.clone()).collect();
            assert_eq!(got, *want, "{choice:?}");
        }
    }

    #[test]
    fn unreadable_file_is_skipped() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("locked.txt");
        fs::write(&path, "Le Conseil.").expect("write");
        let files = discover(&[dir.path().to_path_buf()]).expect("discover");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod");
        if fs::read(&path).is_ok() {
            println!("note: running as a user who can read a chmod 000 file (root?); unreadable assertion skipped");
            return;
        }
        let items: Vec<Item> = read_file(&files[0], &Options::default()).collect();
        let [Item::Skip(skip)] = items.as_slice() else {
            panic!("expected one skip, got {items:?}");
        };
        assert_eq!(skip.reason.label(), "unreadable");
        assert!(
            skip.to_string().contains("locked.txt: unreadable: "),
            "{skip}"
        );
    }

    #[test]
    fn vanished_file_is_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("gone.txt");
        fs::write(&path, "Le Conseil.").expect("write");
        let files = discover(&[dir.path().to_path_buf()]).expect("discover");
        fs::remove_file(&path).expect("remove");
        let items: Vec<Item> = read_file(&files[0], &Options::default()).collect();
        let got: Vec<String> = items.iter().map(summary).collect();
        assert_eq!(got, ["skip gone.txt: vanished"]);
    }

    #[test]
    fn skips_and_warnings_display_their_place() {
        let cases: &[(Item, &str)] = &[
            (
                Item::Skip(Skip {
                    path: "corpus/x.jsonl".into(),
                    line: Some(12),
                    reason: SkipReason::InvalidJson("expected `,` or `}` at column 40".into()),
                }),
                "corpus/x.jsonl:12: invalid JSON: expected `,` or `}` at column 40 (skipped)",
            ),
            (
                Item::Skip(Skip {
                    path: "a.txt".into(),
                    line: None,
                    reason: SkipReason::Binary,
                }),
                "a.txt: binary file (skipped)",
            ),
            (
                Item::Warning(Warning {
                    path: "w.txt".into(),
                    line: None,
                    message: "decoded as windows-1252 (not UTF-8)".into(),
                }),
                "w.txt: decoded as windows-1252 (not UTF-8)",
            ),
        ];
        for (item, want) in cases {
            let got = match item {
                Item::Skip(s) => s.to_string(),
                Item::Warning(w) => w.to_string(),
                Item::Document(d) => d.id.clone(),
            };
            assert_eq!(got, *want);
        }
    }

    #[test]
    fn markdown_titles() {
        let cases: &[(&str, Option<&str>)] = &[
            ("# Titre\ncorps", Some("Titre")),
            ("intro\n  # Deux #\n", Some("Deux")),
            ("## Sous-titre\n# Titre", Some("Titre")),
            ("#Pas un titre", None),
            ("    # code", None),
            ("#\n# Vrai", Some("Vrai")),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(markdown_title(text).as_deref(), *want, "{text:?}");
        }
    }

    /// Reads the whole shared corpus: every record must give a document, with the
    /// language its metadata declares.
    #[test]
    fn shared_corpus_reads_without_skips() {
        let Some(corpus) = tests_support::shared_corpus() else {
            return;
        };
        let items = read_all(&[corpus], &Options::default());
        let mut per_file: std::collections::BTreeMap<String, usize> = Default::default();
        for item in &items {
            match item {
                Item::Document(d) => {
                    assert_eq!(d.lang_source, LangSource::Metadata, "{}", d.id);
                    assert!(!d.passages.is_empty(), "{}", d.id);
                    let name = d.path.file_name().map(|n| n.to_string_lossy().into_owned());
                    *per_file.entry(name.unwrap_or_default()).or_default() += 1;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        let want = [
            ("charter.en.jsonl", 112),
            ("charter.fr.jsonl", 112),
            ("docs.en.jsonl", 1463),
            ("docs.fr.jsonl", 1463),
            ("resolutions.en.jsonl", 902),
            ("sample.en.jsonl", 318),
            ("sample.fr.jsonl", 280),
            ("sentences.en.jsonl", 8000),
            ("sentences.fr.jsonl", 8000),
            ("udhr.en.jsonl", 31),
            ("udhr.fr.jsonl", 31),
        ];
        let got: Vec<(&str, usize)> = per_file.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(got, want);
    }
}
