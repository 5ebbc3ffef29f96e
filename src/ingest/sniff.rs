//! Telling a file's format from its first bytes, so that content wins over a wrong
//! extension.
//!
//! A PDF starts with `%PDF-` (readers accept it anywhere in the first kilobyte), a Word
//! `.docx` is a zip (`PK\x03\x04`) holding `word/document.xml`, an old binary Word `.doc` is
//! an OLE compound file (`D0 CF 11 E0 A1 B1 1A E1`), and an HTML page opens, after
//! whitespace, a byte order mark or comments, with `<!doctype html` or `<html`. Anything
//! else is left to the extension: plain text, Markdown and JSON Lines have no magic.
//!
//! ```
//! use quorum::ingest::sniff::{sniff, Sniffed};
//!
//! assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Sniffed::Pdf));
//! assert_eq!(sniff(b"\xEF\xBB\xBF  <!DOCTYPE html><html>"), Some(Sniffed::Html));
//! assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1...."), Some(Sniffed::Ole));
//! assert_eq!(sniff(b"PK\x03\x04...."), Some(Sniffed::Zip));
//! assert_eq!(sniff(b"Le Conseil de securite,"), None);
//! ```

/// How many bytes of a file [`sniff`] looks at.
pub const HEAD: usize = 1024;

/// A format told by its magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// `%PDF-` in the first kilobyte.
    Pdf,
    /// A zip archive: a `.docx` when it holds `word/document.xml`, which only reading the
    /// archive tells.
    Zip,
    /// An OLE compound file: an old binary Word `.doc` (or another legacy Office file, or a
    /// password-protected `.docx`, which Office also wraps in one).
    Ole,
    /// An HTML page.
    Html,
}

/// The format the first bytes of a file show, or `None` for a text without magic.
pub fn sniff(head: &[u8]) -> Option<Sniffed> {
    let head = &head[..head.len().min(HEAD)];
    if head.starts_with(b"PK\x03\x04") {
        return Some(Sniffed::Zip);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(Sniffed::Ole);
    }
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(Sniffed::Pdf);
    }
    if is_html(head) {
        return Some(Sniffed::Html);
    }
    None
}

/// Whether a text opens like an HTML page: after a byte order mark, whitespace and
/// comments, `<!doctype html` or `<html`, in any case.
fn is_html(head: &[u8]) -> bool {
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        let start = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        rest = &rest[start..];
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
            continue;
        }
        let lower = rest[..rest.len().min(14)].to_ascii_lowercase();
        return lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_are_told_apart() {
        let cases: &[(&[u8], Option<Sniffed>)] = &[
            (b"%PDF-1.4", Some(Sniffed::Pdf)),
            (b"\r\n%PDF-1.4", Some(Sniffed::Pdf)),
            (b"PK\x03\x04\x14\x00", Some(Sniffed::Zip)),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00", Some(Sniffed::Ole)),
            (b"<!DOCTYPE html>", Some(Sniffed::Html)),
            (b"<!doctype HTML>", Some(Sniffed::Html)),
            (b"\n  <html lang=\"fr\">", Some(Sniffed::Html)),
            (b"<!-- saved -->\n<html>", Some(Sniffed::Html)),
            (b"<!-- unclosed", None),
            (b"<p>a fragment</p>", None),
            (b"{\"id\": 1}", None),
            (b"The PDF-1 format", None),
            (b"", None),
        ];
        for (head, want) in cases {
            assert_eq!(sniff(head), *want, "{:?}", String::from_utf8_lossy(head));
        }
    }
}
