//! Turning a file's bytes into text: UTF-8 first, a detected legacy encoding otherwise.
//!
//! UTF-8 is taken as it is, with its byte order mark stripped. A UTF-16 file with a byte
//! order mark is decoded as such. Anything else that is not valid UTF-8 is handed to
//! chardetng, which guesses a legacy encoding (French text saved on Windows is usually
//! windows-1252), and encoding_rs decodes it; the caller is told which encoding was used so
//! that it can warn. Binary files and files with no text are recognised and not decoded.
//!
//! A large file read line by line goes through the same rules: [`start`] looks at its
//! first bytes (byte order mark, binary), and [`decode_line`] decodes each line, taking the
//! legacy encoding found at the first line that is not UTF-8 for every later one.
//!
//! ```
//! use quorum::ingest::decode::{decode, decode_line, Decoded, LineDecoder};
//!
//! // "opérations" as windows-1252 saves it: é is the single byte 0xE9.
//! let bytes = b"Les op\xe9rations de maintien de la paix".to_vec();
//! let Decoded::Text { text, encoding } = decode(bytes) else { panic!("not text") };
//! assert_eq!(text, "Les opérations de maintien de la paix");
//! assert_eq!(encoding.map(|e| e.name()), Some("windows-1252"));
//!
//! let mut decoder = LineDecoder::default();
//! let first = decode_line(b"La paix", &mut decoder);
//! assert_eq!((first.text.as_ref(), first.found), ("La paix", None));
//! let second = decode_line(b"La s\xe9curit\xe9 internationale", &mut decoder);
//! assert_eq!(second.text, "La sécurité internationale");
//! assert_eq!(second.found.map(|e| e.name()), Some("windows-1252"));
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
/// `String` without a copy: a large JSONL file is held in memory once, not twice.
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    match start(&bytes) {
        Start::Utf16 { encoding, bom_len } => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            return finish(text.into_owned(), Some(encoding));
        }
        Start::Binary => return Decoded::Binary,
        Start::Text { bom_len } => {
            bytes.drain(..bom_len);
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => finish(text, None),
        Err(err) => {
            // The whole text is one line to a decoder that has seen nothing yet.
            let bytes = err.into_bytes();
            let line = decode_line(&bytes, &mut LineDecoder::default());
            finish(line.text.into_owned(), line.found)
        }
    }
}

fn finish(text: String, encoding: Option<&'static Encoding>) -> Decoded {
    if text.trim().is_empty() {
        Decoded::Empty
    } else {
        Decoded::Text { text, encoding }
    }
}

/// What [`decode_line`] remembers from one line of a file to the next.
#[derive(Clone, Debug, Default)]
pub struct LineDecoder {
    /// The legacy encoding found at the first line that was not UTF-8.
    encoding: Option<&'static Encoding>,
}

/// One decoded line; see [`decode_line`].
#[derive(Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// The text, borrowed when the line was valid UTF-8.
    pub text: Cow<'a, str>,
    /// The legacy encoding, on the line where it was first found (the caller warns once).
    pub found: Option<&'static Encoding>,
}

/// Decodes one line of a file, without its line ending and after [`start`] has looked at
/// the file's first bytes: UTF-8 as it is, anything else in the legacy encoding chardetng
/// guesses from the first line that is not UTF-8, which `decoder` keeps for the lines after.
pub fn decode_line<'a>(bytes: &'a [u8], decoder: &mut LineDecoder) -> Line<'a> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Line {
            text: Cow::Borrowed(text),
            found: None,
        };
    }
    let (encoding, found) = match decoder.encoding {
        Some(encoding) => (encoding, None),
        None => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            // UTF-8 is ruled out: the bytes were just found not to be valid UTF-8.
            let encoding = detector.guess(None, false);
            decoder.encoding = Some(encoding);
            (encoding, Some(encoding))
        }
    };
    Line {
        text: encoding.decode_without_bom_handling(bytes).0,
        found,
    }
}

/// The warning for a text decoded from a legacy encoding.
pub(crate) fn decoded_as(encoding: &'static Encoding) -> String {
    format!("decoded as {} (not UTF-8)", encoding.name())
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
            Decoded::Text { text, encoding } => (text, encoding.map(|e| e.name())),
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
        // (line, text, encoding reported on that line)
        let lines: &[(&[u8], &str, Option<&str>)] = &[
            (b"La paix", "La paix", None),
            (
                b"Les op\xe9rations de maintien de la paix",
                "Les opérations de maintien de la paix",
                Some("windows-1252"),
            ),
            ("opérations".as_bytes(), "opérations", None),
            (b"s\xe9curit\xe9", "sécurité", None),
        ];
        let mut decoder = LineDecoder::default();
        for (bytes, text, found) in lines {
            let line = decode_line(bytes, &mut decoder);
            assert_eq!(
                (line.text.as_ref(), line.found.map(|e| e.name())),
                (*text, *found),
                "{bytes:?}"
            );
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
            prop_assert_eq!(decode(s.clone().into_bytes()), Decoded::Text { text: s, encoding: None });
        }
    }
}
