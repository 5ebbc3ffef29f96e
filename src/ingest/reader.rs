//! Reading one file into the [`Item`]s it gives: the per-file state machine.
//!
//! [`read_file`] opens a file, hands its bytes to its format ([`FileKind::extract`]) or,
//! for a JSONL file, streams it line by line, and turns each text and its metadata into a
//! [`Document`] with its language and passages. Skips and warnings are queued with their
//! place (the file, and the line of a JSONL record or of bad bytes) in the order they are
//! found.
//!
//! A file's kind is its extension's, unless its first bytes show another format
//! ([`FileKind::by_content`]), which then wins with a warning. The parsers of PDF, Word
//! and HTML run on a worker thread under `catch_unwind` with a time limit
//! ([`TIME_LIMIT`]): a file that makes one panic or loop is skipped with the reason, and the
//! run goes on. A worker that loops is left behind (a thread cannot be killed) and ends
//! with the process.

use std::collections::VecDeque;
use std::io::BufRead;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use super::decode::{self, LineDecoder, LineDecoding, Start};
use super::format::{self, Content, Extracted, Text};
use super::{
    detect, jsonl, sniff, split_passages, walk, Document, FileKind, Item, LangChoice, LangSource,
    Options, Passage, Skip, SkipReason, SourceFile, Warning,
};

/// How long the parser of a PDF, Word or HTML file may take on one file.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The stack of a parser's worker thread: deeply nested objects of a hostile file must not
/// overflow it, which would abort the process rather than unwind.
const WORKER_STACK: usize = 256 << 20;
use crate::lang::Lang;

/// Reads one file into documents, skips and warnings, lazily.
///
/// A `.txt` or `.md` file is read and decoded whole when the iterator is first advanced.
/// A JSONL file is streamed, each line decoded and parsed alone, whatever its size: memory
/// stays bounded, and a line in another encoding is read as such without changing how
/// the others are, with a warning that names it. Only one record's document exists at a
/// time. Never panics, whatever the bytes.
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

#[derive(Debug)]
enum State {
    Unread,
    /// A JSONL file, streamed.
    JsonlStream(Box<Stream>),
    /// A JSONL text decoded whole (UTF-16), read up to byte `pos`, `line` lines in.
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
    /// Keeps the legacy encoding found at the first line in one.
    decoder: LineDecoder,
    /// Lines after the first decoded from that legacy encoding, and lines with invalid
    /// UTF-8 after the first, named together at the end of the file.
    legacy_lines: Vec<usize>,
    replaced_lines: Vec<usize>,
    /// Whether a line with invalid UTF-8 was already warned about.
    replaced_warned: bool,
    /// Whether any non-blank line was seen (a file of blank lines is empty).
    content: bool,
    buf: Vec<u8>,
}

impl FileItems {
    /// Opens a JSONL file for streaming, or `None` to read it whole (a UTF-16 file, whose
    /// lines cannot be cut at a byte `\n`, or one that cannot be opened, whose reading
    /// then reports why).
    fn open_stream(&mut self) -> Option<Stream> {
        let file = std::fs::File::open(&self.file.path).ok()?;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let head = reader.fill_buf().ok()?;
        // A file whose first bytes show another format is read whole, as that format.
        if sniff::sniff(head).is_some() {
            return None;
        }
        let (line, content) = match decode::start(head) {
            Start::Utf16 { .. } => return None,
            Start::Binary => {
                self.skip(None, SkipReason::Binary);
                // A stream at line usize::MAX gives no lines, and `content` keeps it from
                // also being reported empty.
                (usize::MAX, true)
            }
            Start::Text { bom_len } => {
                reader.consume(bom_len);
                (0, false)
            }
        };
        Some(Stream {
            reader,
            line,
            decoder: LineDecoder::default(),
            legacy_lines: Vec::new(),
            replaced_lines: Vec::new(),
            replaced_warned: false,
            content,
            buf: Vec::new(),
        })
    }

    /// The next non-blank line of a streamed file, decoded; `None` at the end (after
    /// queueing a skip for an empty or unreadable file).
    fn stream_line(&mut self, stream: &mut Stream) -> Option<(usize, String)> {
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
                    self.name_other_lines(stream);
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
            let bytes = stream.buf.as_slice();
            let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let line = decode::decode_line(bytes, &mut stream.decoder);
            match line.decoding {
                LineDecoding::Utf8 => {}
                LineDecoding::Legacy {
                    encoding,
                    first: true,
                } => self.warn(Some(stream.line), decode::decoded_as(encoding)),
                LineDecoding::Legacy { first: false, .. } => stream.legacy_lines.push(stream.line),
                LineDecoding::Replaced(_) if !stream.replaced_warned => {
                    stream.replaced_warned = true;
                    self.warn(Some(stream.line), decode::REPLACED.to_string());
                }
                LineDecoding::Replaced(_) => stream.replaced_lines.push(stream.line),
            }
            if line.text.trim().is_empty() {
                continue;
            }
            stream.content = true;
            return Some((stream.line, line.text.into_owned()));
        }
    }

    /// At the end of a streamed file, names the lines that were decoded like one already
    /// warned about, in one warning each rather than one a line.
    fn name_other_lines(&mut self, stream: &mut Stream) {
        let legacy = std::mem::take(&mut stream.legacy_lines);
        if let (false, Some(encoding)) = (legacy.is_empty(), stream.decoder.encoding()) {
            let message = format!(
                "{} also on {}",
                decode::decoded_as(encoding),
                decode::lines(&legacy)
            );
            self.warn(None, message);
        }
        let replaced = std::mem::take(&mut stream.replaced_lines);
        if !replaced.is_empty() {
            self.warn(
                None,
                format!("{} also on {}", decode::REPLACED, decode::lines(&replaced)),
            );
        }
    }

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

    /// Reads the file and hands it to its format, queueing what it gives and setting the
    /// next state.
    fn open(&mut self) {
        let Some(by_extension) = self.file.kind() else {
            return self.skip(None, SkipReason::Unsupported);
        };
        // A note named as a root is read: the user asked for it.
        if self.file.path != self.file.root && walk::is_note(&self.file.path) {
            return self.skip(None, SkipReason::Note);
        }
        if by_extension == FileKind::JsonLines {
            if let Some(stream) = self.open_stream() {
                self.state = State::JsonlStream(Box::new(stream));
                return;
            }
        }
        let path = self.file.path.clone();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return self.skip(None, SkipReason::Vanished)
            }
            Err(err) => {
                // discover lists a folder it could not walk; reading the folder again
                // gives the real reason (usually permissions) rather than "is a directory".
                let message = match std::fs::read_dir(&path) {
                    Err(dir_err) if path.is_dir() => dir_err.to_string(),
                    _ => err.to_string(),
                };
                return self.skip(None, SkipReason::Unreadable(message));
            }
        };
        let (kind, disagreement) = by_extension.by_content(&bytes);
        if let Some(warning) = disagreement {
            self.warn(None, warning);
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let extracted = if kind.is_parsed() {
            guarded(kind, bytes, name, TIME_LIMIT)
        } else {
            kind.extract(bytes, &name)
        };
        for (line, warning) in extracted.warnings {
            self.warn(line, warning);
        }
        match extracted.content {
            Content::Skip(reason) => self.skip(None, reason),
            Content::Records(text) => {
                self.state = State::Jsonl {
                    text,
                    pos: 0,
                    line: 0,
                }
            }
            Content::Document(text) => {
                let doc = build(text, None, &self.file, &self.options);
                self.queue.push_back(Item::Document(doc));
            }
        }
    }

    /// Reads one JSONL line and queues its warnings and its document or skip.
    fn record(&mut self, number: usize, content: &str) {
        match format::record(content) {
            Err(reason) => self.skip(Some(number), reason),
            Ok((text, warnings)) => {
                for warning in warnings {
                    self.warn(Some(number), warning);
                }
                let doc = build(text, Some(number), &self.file, &self.options);
                self.queue.push_back(Item::Document(doc));
            }
        }
    }
}

/// Why a guarded call gave no answer.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// It panicked, with this message.
    Panicked(String),
    /// It took longer than the limit.
    TimedOut,
}

/// The name of the parsers' worker threads.
const WORKER: &str = "quorum-parser";

/// Keeps the panic hook quiet on the parsers' workers: their panic becomes a skip that
/// names the file, and the default hook's `thread panicked at` line would only add noise
/// without the file's name. Every other thread's panic is reported as before.
fn quiet_workers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(WORKER) {
                previous(info);
            }
        }));
    });
}

/// Runs `work` on a worker thread under `catch_unwind`, waiting at most `limit`.
fn run_limited<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Failure> {
    quiet_workers();
    let (tx, rx) = mpsc::channel();
    let job = move || {
        // The receiver is gone only after a timeout, when the answer is not wanted.
        let _ = tx.send(panic::catch_unwind(AssertUnwindSafe(work)));
    };
    let spawned = std::thread::Builder::new()
        .name(WORKER.to_string())
        .stack_size(WORKER_STACK)
        .spawn(job);
    if let Err(err) = spawned {
        return Err(Failure::Panicked(format!("no worker thread: {err}")));
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(payload)) => Err(Failure::Panicked(panic_message(payload.as_ref()))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Failure::TimedOut),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Failure::Panicked(
            "the worker stopped without an answer".to_string(),
        )),
    }
}

/// The message a panic carried.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// A parsed format's extraction under [`run_limited`]: a panic or a timeout is a skip.
fn guarded(kind: FileKind, bytes: Vec<u8>, name: String, limit: Duration) -> Extracted {
    let reason = match run_limited(limit, move || kind.extract(bytes, &name)) {
        Ok(extracted) => return extracted,
        Err(Failure::Panicked(message)) => SkipReason::ReaderFailed {
            format: kind.name(),
            message,
        },
        Err(Failure::TimedOut) => SkipReason::TimedOut {
            format: kind.name(),
            seconds: limit.as_secs(),
        },
    };
    Extracted {
        warnings: Vec::new(),
        content: Content::Skip(reason),
    }
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
fn build(text: Text, line: Option<usize>, file: &SourceFile, options: &Options) -> Document {
    let Text { text, meta } = text;
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
        id: meta.id.unwrap_or_else(|| file.id()),
        lang,
        lang_source,
        lang_tag: meta.lang_tag,
        symbol: meta.symbol,
        title: meta.title,
        date: meta.date,
        year: meta.year,
        doc_type: meta.doc_type,
        path: file.path.clone(),
        line,
        text,
        passages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_or_a_loop_in_a_parser_gives_a_failure() {
        assert_eq!(run_limited(Duration::from_secs(5), || 1 + 1), Ok(2));
        assert_eq!(
            run_limited(Duration::from_secs(5), || -> u8 { panic!("bad object") }),
            Err(Failure::Panicked("bad object".to_string()))
        );
        let looping = run_limited(Duration::from_millis(50), || loop {
            std::thread::sleep(Duration::from_millis(10));
        });
        assert_eq!(looping, Err(Failure::TimedOut));
    }
}
