//! Turning a file's bytes into text: UTF-8 first, a detected legacy encoding otherwise.
//!
//! UTF-8 is taken as it is, with its byte order mark stripped. A UTF-16 file with a byte
//! order mark is decoded as such. Anything else that is not valid UTF-8 is handed to
//! chardetng, which guesses a legacy encoding (French text saved on Windows is usually
//! windows-1252), and encoding_rs decodes it; the caller is told which encoding was used so
//! that it can warn. Binary files and files with no text are recognised and not decoded.
//!
//! ```
//! use quorum::ingest::decode::{decode, Decoded};
//!
//! // "opérations" as windows-1252 saves it: é is the single byte 0xE9.
//! let bytes = b"Les op\xe9rations de maintien de la paix".to_vec();
//! let Decoded::Text { text, encoding } = decode(bytes) else { panic!("not text") };
//! assert_eq!(text, "Les opérations de maintien de la paix");
//! assert_eq!(encoding.map(|e| e.name()), Some("windows-1252"));
//! ```

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

/// Decodes a whole file's bytes; see the module docs.
///
/// Takes the bytes by value so that valid UTF-8, by far the common case, becomes a
/// `String` without a copy: a large JSONL file is held in memory once, not twice.
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    let bom = Encoding::for_bom(&bytes);
    let text = match bom {
        Some((encoding, bom_len)) if encoding != UTF_8 => {
            // UTF-16 is full of NUL bytes, so it is decoded before the binary test.
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            return finish(text.into_owned(), Some(encoding));
        }
        Some((_, bom_len)) => {
            bytes.drain(..bom_len);
            bytes
        }
        None => bytes,
    };
    if looks_binary(&text) {
        return Decoded::Binary;
    }
    match String::from_utf8(text) {
        Ok(text) => finish(text, None),
        Err(err) => {
            let bytes = err.into_bytes();
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(&bytes, true);
            // UTF-8 is ruled out: the bytes were just found not to be valid UTF-8.
            let encoding = detector.guess(None, false);
            let (text, _) = encoding.decode_without_bom_handling(&bytes);
            finish(text.into_owned(), Some(encoding))
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

    proptest! {
        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = decode(bytes);
        }

        #[test]
        fn utf8_text_is_unchanged(s in "\\PC*") {
            prop_assume!(!s.trim().is_empty() && !s.starts_with('\u{feff}'));
            prop_assume!(!looks_binary(s.as_bytes()));
            prop_assert_eq!(decode(s.clone().into_bytes()), Decoded::Text { text: s, encoding: None });
        }
    }
}
