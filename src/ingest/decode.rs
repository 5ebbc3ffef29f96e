//! Turning a file's bytes into text: UTF-8 first, a detected legacy encoding otherwise.
//!
//! UTF-8 is taken as it is, with its byte order mark stripped. A UTF-16 file with a byte
//! order mark is decoded as such. Bytes that are not valid UTF-8 are judged by the valid
//! share around them: a text whose valid multi-byte UTF-8 characters outnumber its invalid
//! sequences is UTF-8 with a few bad bytes, which are replaced with U+FFFD on the lines
//! named to the caller, so that one stray byte does not turn every accent of a UTF-8 file
//! into mojibake. A text without that share is in a legacy encoding: chardetng guesses
//! which (French text saved on Windows is usually windows-1252), and encoding_rs decodes
//! it; the caller is told which encoding was used so that it can warn. A real
//! windows-1252 text has almost no valid multi-byte sequence by chance, so it stays
//! detected. Binary files and files with no text are recognised and not decoded.
//!
//! [`decode`] judges a whole text file at once. A file read line by line (every JSONL
//! file) goes through the same rules one line at a time: [`start`] looks at its first
//! bytes (byte order mark, binary), and [`decode_line`] decodes each line, taking the
//! legacy encoding found at the first line in one for every later one.
//!
//! ```
//! use quorum::ingest::decode::{decode, decode_line, Decoded, LineDecoder, LineDecoding};
//!
//! // "opérations" as windows-1252 saves it: é is the single byte 0xE9.
//! let bytes = b"Les op\xe9rations de maintien de la paix".to_vec();
//! let Decoded::Text { text, encoding, .. } = decode(bytes) else { panic!("not text") };
//! assert_eq!(text, "Les opérations de maintien de la paix");
//! assert_eq!(encoding.map(|e| e.name()), Some("windows-1252"));
//!
//! // UTF-8 with one stray byte on its second line stays UTF-8.
//! let bytes = b"La s\xc3\xa9curit\xc3\xa9\nLe Conseil \xff".to_vec();
//! let Decoded::Text { text, encoding, replaced } = decode(bytes) else { panic!("not text") };
//! assert_eq!((text.as_str(), encoding, replaced), ("La sécurité\nLe Conseil \u{fffd}", None, vec![2]));
//!
//! let mut decoder = LineDecoder::default();
//! let first = decode_line(b"La paix", &mut decoder);
//! assert_eq!((first.text.as_ref(), first.decoding), ("La paix", LineDecoding::Utf8));
//! let second = decode_line(b"La s\xe9curit\xe9 internationale", &mut decoder);
//! assert_eq!(second.text, "La sécurité internationale");
//! assert!(matches!(second.decoding, LineDecoding::Legacy { first: true, .. }));
//! ```

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

/// How much of the start of a file is looked at to tell binary from text.
const SNIFF_LEN: usize = 8 * 1024;

/// What a file's bytes turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded {
    /// Text, decoded.
    Text {
        /// The decoded text, without byte order mark.
        text: String,
        /// The encoding it was decoded from when that was not UTF-8 (the caller warns).
        encoding: Option<&'static Encoding>,
        /// The 1-based lines of a UTF-8 text where invalid bytes were replaced with
        /// U+FFFD (the caller warns), in order; empty when none were.
        replaced: Vec<usize>,
    },
    /// Not text: a NUL byte or many control characters near the start.
    Binary,
    /// No bytes, or whitespace only.
    Empty,
}

/// What the first bytes of a file say about how to read the rest; see [`start`].
#[derive(Debug, PartialEq, Eq)]
pub enum Start {
    /// A byte order mark of UTF-16, whose text is full of NUL bytes and whose lines cannot
    /// be cut at a byte `\n`: the file is decoded whole, from after the mark.
    Utf16 {
        /// UTF-16LE or UTF-16BE.
        encoding: &'static Encoding,
        /// The length of the mark.
        bom_len: usize,
    },
    /// Not text: a NUL byte or many control characters near the start.
    Binary,
    /// Text, to be decoded from after the UTF-8 byte order mark when there is one.
    Text {
        /// The length of the UTF-8 byte order mark, or 0.
        bom_len: usize,
    },
}

/// Looks at the start of a file (its first few kilobytes are enough): a UTF-16 byte order
/// mark, binary content, or text after an optional UTF-8 byte order mark.
pub fn start(head: &[u8]) -> Start {
    match Encoding::for_bom(head) {
        // UTF-16 is full of NUL bytes, so it is recognised before the binary test.
        Some((encoding, bom_len)) if encoding != UTF_8 => Start::Utf16 { encoding, bom_len },
        Some((_, bom_len)) if !looks_binary(&head[bom_len..]) => Start::Text { bom_len },
        None if !looks_binary(head) => Start::Text { bom_len: 0 },
        Some(_) | None => Start::Binary,
    }
}

/// Decodes a whole file's bytes; see the module docs.
///
/// Takes the bytes by value so that valid UTF-8, by far the common case, becomes a
/// `String` without a copy.
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    match start(&bytes) {
        Start::Utf16 { encoding, bom_len } => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            return finish(text.into_owned(), Some(encoding), Vec::new());
        }
        Start::Binary => return Decoded::Binary,
        Start::Text { bom_len } => {
            bytes.drain(..bom_len);
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => finish(text, None, Vec::new()),
        Err(err) => {
            let bytes = err.into_bytes();
            if mostly_utf8(&bytes) {
                let (text, replaced) = replace_invalid(&bytes);
                finish(text, None, replaced)
            } else {
                let encoding = guess_legacy(&bytes);
                let (text, _) = encoding.decode_without_bom_handling(&bytes);
                finish(text.into_owned(), Some(encoding), Vec::new())
            }
        }
    }
}

fn finish(text: String, encoding: Option<&'static Encoding>, replaced: Vec<usize>) -> Decoded {
    if text.trim().is_empty() {
        Decoded::Empty
    } else {
        Decoded::Text {
            text,
            encoding,
            replaced,
        }
    }
}

/// Whether bytes that are not valid UTF-8 are still mostly UTF-8: more valid multi-byte
/// characters than invalid sequences. Legacy text has next to no valid multi-byte
/// sequence (`Ã©` would need two unlikely bytes in a row), and ASCII with a few high
/// bytes is more likely a legacy text with a few accents than a damaged UTF-8 one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > invalid
}

/// Decodes bytes as UTF-8 with each invalid sequence replaced by U+FFFD, and the 1-based
/// lines where one was.
fn replace_invalid(bytes: &[u8]) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut lines = Vec::new();
    let mut line = 1;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        // A line feed is ASCII, so it is never inside an invalid sequence.
        line += valid.bytes().filter(|&b| b == b'\n').count();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            if lines.last() != Some(&line) {
                lines.push(line);
            }
        }
    }
    (text, lines)
}

/// The legacy encoding chardetng guesses for bytes that are not UTF-8.
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    // UTF-8 is ruled out: the bytes were found not to be valid UTF-8.
    detector.guess(None, false)
}

/// What [`decode_line`] remembers from one line of a file to the next.
#[derive(Clone, Debug, Default)]
pub struct LineDecoder {
    /// The legacy encoding found at the first line that was in one.
    encoding: Option<&'static Encoding>,
}

impl LineDecoder {
    /// The legacy encoding found so far, if any line was in one.
    pub fn encoding(&self) -> Option<&'static Encoding> {
        self.encoding
    }
}

/// One decoded line; see [`decode_line`].
#[derive(Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// The text, borrowed when the line was valid UTF-8.
    pub text: Cow<'a, str>,
    /// How it was decoded.
    pub decoding: LineDecoding,
}

/// How [`decode_line`] decoded a line, for the caller's warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineDecoding {
    /// Valid UTF-8.
    Utf8,
    /// UTF-8 with invalid sequences, this many, each replaced with U+FFFD.
    Replaced(usize),
    /// A legacy encoding.
    Legacy {
        /// The encoding.
        encoding: &'static Encoding,
        /// True on the line where it was found, the first in a legacy encoding.
        first: bool,
    },
}

/// Decodes one line of a file, without its line ending and after [`start`] has looked at
/// the file's first bytes: UTF-8 as it is; a line that is mostly UTF-8 with its bad bytes
/// replaced; any other in the legacy encoding chardetng guesses from the first such line,
/// which `decoder` keeps for the lines after. Each line is judged alone, so that one line
/// saved in Latin-1 among UTF-8 ones is read right and leaves the others alone.
pub fn decode_line<'a>(bytes: &'a [u8], decoder: &mut LineDecoder) -> Line<'a> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Line {
            text: Cow::Borrowed(text),
            decoding: LineDecoding::Utf8,
        };
    }
    if mostly_utf8(bytes) {
        let (text, _) = replace_invalid(bytes);
        let count = bytes
            .utf8_chunks()
            .filter(|c| !c.invalid().is_empty())
            .count();
        return Line {
            text: Cow::Owned(text),
            decoding: LineDecoding::Replaced(count),
        };
    }
    let (encoding, first) = match decoder.encoding {
        Some(encoding) => (encoding, false),
        None => {
            let encoding = guess_legacy(bytes);
            decoder.encoding = Some(encoding);
            (encoding, true)
        }
    };
    Line {
        text: encoding.decode_without_bom_handling(bytes).0,
        decoding: LineDecoding::Legacy { encoding, first },
    }
}

/// The warning for a text decoded from a legacy encoding.
pub(crate) fn decoded_as(encoding: &'static Encoding) -> String {
    format!("decoded as {} (not UTF-8)", encoding.name())
}

/// The warning for invalid UTF-8 replaced in a UTF-8 text.
pub(crate) const REPLACED: &str = "invalid UTF-8 replaced with U+FFFD";

/// Lines named in a warning: `line 4`, `lines 4, 9 and 12`, the first ten only
/// (`and 31 more`).
pub(crate) fn lines(lines: &[usize]) -> String {
    let noun = if lines.len() == 1 { "line" } else { "lines" };
    format!("{noun} {}", line_list(lines))
}

fn line_list(lines: &[usize]) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = lines.iter().take(SHOWN).map(usize::to_string).collect();
    match (lines.len(), shown.split_last()) {
        (_, None) => String::new(),
        (1, Some((last, _))) => last.clone(),
        (n, Some((last, rest))) if n <= SHOWN => format!("{} and {last}", rest.join(", ")),
        (n, Some(_)) => format!("{} and {} more", shown.join(", "), n - SHOWN),
    }
}

/// Whether the start of a file looks binary: a NUL byte, or more than one byte in ten
/// being a control character that text does not use.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return true;
    }
    // Tab, line feed, form feed, carriage return and escape occur in real text files.
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | 0x1b)) || b == 0x7f)
        .count();
    controls * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(decoded: Decoded) -> (String, Option<&'static str>) {
        match decoded {
            Decoded::Text {
                text,
                encoding,
                replaced,
            } => {
                assert!(replaced.is_empty(), "{replaced:?}");
                (text, encoding.map(|e| e.name()))
            }
            other => panic!("expected text, got {other:?}"),
        }
    }

    #[test]
    fn decodes_text() {
        let cases: &[(&str, &[u8], &str, Option<&str>)] = &[
            ("utf-8", "opérations".as_bytes(), "opérations", None),
            (
                "utf-8 bom",
                b"\xef\xbb\xbfop\xc3\xa9rations",
                "opérations",
                None,
            ),
            (
                "windows-1252",
                b"Les op\xe9rations de maintien de la paix du Conseil de s\xe9curit\xe9",
                "Les opérations de maintien de la paix du Conseil de sécurité",
                Some("windows-1252"),
            ),
            (
                "windows-1252 quotes",
                b"l\x92homme \xabtitre\xbb",
                "l\u{2019}homme «titre»",
                Some("windows-1252"),
            ),
            (
                "utf-16le bom",
                b"\xff\xfeo\x00\xe9\x00",
                "oé",
                Some("UTF-16LE"),
            ),
            (
                "utf-16be bom",
                b"\xfe\xff\x00o\x00\xe9",
                "oé",
                Some("UTF-16BE"),
            ),
            (
                "tabs and form feeds",
                b"a\tb\x0cc\r\n",
                "a\tb\x0cc\r\n",
                None,
            ),
        ];
        for (name, bytes, want, encoding) in cases {
            assert_eq!(
                text(decode(bytes.to_vec())),
                (want.to_string(), *encoding),
                "case {name}"
            );
        }
    }

    #[test]
    fn recognises_binary_and_empty() {
        let cases: &[(&str, &[u8], Decoded)] = &[
            ("nothing", b"", Decoded::Empty),
            ("bom only", b"\xef\xbb\xbf", Decoded::Empty),
            ("whitespace", b" \n\r\n\t ", Decoded::Empty),
            ("nul byte", b"%PDF-1.4\x00\x01", Decoded::Binary),
            ("controls", b"\x01\x02\x03\x04abcdef", Decoded::Binary),
            (
                "png header",
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                Decoded::Binary,
            ),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(decode(bytes.to_vec()), *want, "case {name}");
        }
    }

    #[test]
    fn starts_of_files() {
        let cases: &[(&str, &[u8], Start)] = &[
            ("utf-8", b"{\"id\": 1}", Start::Text { bom_len: 0 }),
            (
                "utf-8 bom",
                b"\xef\xbb\xbf{\"id\": 1}",
                Start::Text { bom_len: 3 },
            ),
            (
                "utf-16le bom",
                b"\xff\xfe{\x00",
                Start::Utf16 {
                    encoding: encoding_rs::UTF_16LE,
                    bom_len: 2,
                },
            ),
            ("nul byte", b"{\x00\x01", Start::Binary),
            ("binary after a bom", b"\xef\xbb\xbf\x00\x01", Start::Binary),
            ("nothing", b"", Start::Text { bom_len: 0 }),
        ];
        for (name, head, want) in cases {
            assert_eq!(start(head), *want, "case {name}");
        }
    }

    #[test]
    fn lines_keep_the_first_legacy_encoding() {
        let legacy = |first| LineDecoding::Legacy {
            encoding: encoding_rs::WINDOWS_1252,
            first,
        };
        // (line, text, how it was decoded)
        let lines: &[(&[u8], &str, LineDecoding)] = &[
            (b"La paix", "La paix", LineDecoding::Utf8),
            (
                b"Les op\xe9rations de maintien de la paix",
                "Les opérations de maintien de la paix",
                legacy(true),
            ),
            ("opérations".as_bytes(), "opérations", LineDecoding::Utf8),
            (b"s\xe9curit\xe9", "sécurité", legacy(false)),
            // Mostly UTF-8: the stray byte is replaced, the encoding kept for the others.
            (
                b"s\xc3\xa9curit\xc3\xa9 \xff",
                "sécurité \u{fffd}",
                LineDecoding::Replaced(1),
            ),
        ];
        let mut decoder = LineDecoder::default();
        for (bytes, text, decoding) in lines {
            let line = decode_line(bytes, &mut decoder);
            assert_eq!(
                (line.text.as_ref(), line.decoding),
                (*text, *decoding),
                "{bytes:?}"
            );
        }
    }

    // issue 9, item 3: one bad byte made a whole UTF-8 file windows-1252.
    #[test]
    fn the_valid_share_decides_between_utf8_and_a_legacy_encoding() {
        // (case, bytes, text, encoding, lines with replaced bytes)
        type Case<'a> = (&'a str, &'a [u8], &'a str, Option<&'a str>, &'a [usize]);
        let cases: &[Case] = &[
            (
                "utf-8 with one stray byte",
                b"Le Conseil de s\xc3\xa9curit\xc3\xa9\nd\xc3\xa9cide \xff.\n",
                "Le Conseil de sécurité\ndécide \u{fffd}.\n",
                None,
                &[2],
            ),
            (
                "utf-8 with bad bytes on two lines",
                b"\xff \xc3\xa9t\xc3\xa9\n\xc3\xa0 \xc3\xa9t\xc3\xa9\n\xfe\xfe\n",
                "\u{fffd} été\nà été\n\u{fffd}\u{fffd}\n",
                None,
                &[1, 3],
            ),
            (
                "windows-1252 with accents on every line",
                b"Le Conseil de s\xe9curit\xe9\nd\xe9cide de rester saisi.\n",
                "Le Conseil de sécurité\ndécide de rester saisi.\n",
                Some("windows-1252"),
                &[],
            ),
            (
                "windows-1252 that holds one valid utf-8 pair by chance",
                b"\xc3\xa9 \xe9t\xe9 \xe0 l\x92\xe9cole",
                "Ã© été à l\u{2019}école",
                Some("windows-1252"),
                &[],
            ),
            (
                "ascii with one high byte",
                b"Le Conseil de s\xe9curit\xe9",
                "Le Conseil de sécurité",
                Some("windows-1252"),
                &[],
            ),
        ];
        for (name, bytes, want, encoding, replaced) in cases {
            match decode(bytes.to_vec()) {
                Decoded::Text {
                    text,
                    encoding: got,
                    replaced: lines,
                } => assert_eq!(
                    (text.as_str(), got.map(|e| e.name()), lines.as_slice()),
                    (*want, *encoding, *replaced),
                    "case {name}"
                ),
                other => panic!("case {name}: {other:?}"),
            }
        }
    }

    #[test]
    fn warnings_name_lines() {
        let cases: &[(&[usize], &str)] = &[
            (&[4], "line 4"),
            (&[4, 9], "lines 4 and 9"),
            (&[1, 2, 3], "lines 1, 2 and 3"),
            (
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
                "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more",
            ),
        ];
        for (numbers, want) in cases {
            assert_eq!(lines(numbers), *want);
        }
    }

    proptest! {
        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = decode(bytes.clone());
            let _ = start(&bytes);
            let _ = decode_line(&bytes, &mut LineDecoder::default());
        }

        #[test]
        fn utf8_text_is_unchanged(s in "\\PC*") {
            prop_assume!(!s.trim().is_empty() && !s.starts_with('\u{feff}'));
            prop_assume!(!looks_binary(s.as_bytes()));
            let want = Decoded::Text { text: s.clone(), encoding: None, replaced: Vec::new() };
            prop_assert_eq!(decode(s.into_bytes()), want);
        }
    }
}
