//! Word `.docx` files: the text of `word/document.xml` and the title of
//! `docProps/core.xml`, read with `zip` and `quick-xml`.
//!
//! Each paragraph (`w:p`) becomes one block of the text, blocks separated by a blank line
//! so that they survive as passages; runs (`w:t`) are joined as written, a tab (`w:tab`)
//! is a tab and a break (`w:br`, `w:cr`) a line end. Page headers and footers live in
//! parts of their own (`word/header1.xml`, ...), so they never reach the text. The title is
//! the core properties' `dc:title`, else the first paragraph styled `Title` or
//! `Heading1`.
//!
//! ```
//! use std::io::Write;
//! use quorum::ingest::docx;
//!
//! let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
//! zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default())?;
//! zip.write_all(r#"<w:document xmlns:w="w"><w:body>
//!   <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Maintien de la paix</w:t></w:r></w:p>
//!   <w:p><w:r><w:t xml:space="preserve">Le Conseil </w:t></w:r><w:r><w:t>décide.</w:t></w:r></w:p>
//! </w:body></w:document>"#.as_bytes())?;
//! let bytes = zip.finish()?.into_inner();
//! let doc = docx::read(&bytes)?;
//! assert_eq!(doc.text, "Maintien de la paix\n\nLe Conseil décide.");
//! assert_eq!(doc.title.as_deref(), Some("Maintien de la paix"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

/// The most bytes a part of the archive may inflate to: a zip bomb stops there.
const MAX_PART: u64 = 256 << 20;

/// The text and title of a `.docx`.
#[derive(Debug, PartialEq, Eq)]
pub struct Docx {
    /// The paragraphs, each followed by a blank line but the last.
    pub text: String,
    /// `dc:title`, or the first `Title` or `Heading1` paragraph.
    pub title: Option<String>,
}

/// Why a `.docx` could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// Not a zip archive that can be read (a truncated file loses its central directory).
    #[error("not a readable zip archive (truncated or damaged): {0}")]
    Zip(String),
    /// A zip without `word/document.xml`.
    #[error("a zip archive without word/document.xml, not a Word .docx")]
    NotDocx,
    /// A part that is not well-formed XML.
    #[error("word/document.xml is damaged: {0}")]
    Xml(String),
}

/// Reads a `.docx` held in memory.
///
/// # Errors
///
/// See [`DocxError`].
pub fn read(bytes: &[u8]) -> Result<Docx, DocxError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Zip(e.to_string()))?;
    let document = part(&mut archive, "word/document.xml")?.ok_or(DocxError::NotDocx)?;
    let (text, heading) = paragraphs(&document).map_err(DocxError::Xml)?;
    // A damaged core.xml costs only the title.
    let title = part(&mut archive, "docProps/core.xml")
        .ok()
        .flatten()
        .and_then(|core| core_title(&core))
        .or(heading);
    Ok(Docx { text, title })
}

/// Whether a zip archive held in memory is a `.docx` (holds `word/document.xml`).
pub fn is_docx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|archive| archive.index_for_name("word/document.xml").is_some())
}

/// A part of the archive, or `None` when it has none of that name.
fn part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, DocxError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Zip(e.to_string())),
    };
    let mut out = Vec::new();
    file.take(MAX_PART)
        .read_to_end(&mut out)
        .map_err(|e| DocxError::Zip(format!("{name}: {e}")))?;
    Ok(Some(out))
}

/// The paragraphs of `word/document.xml` and the first heading.
fn paragraphs(xml: &[u8]) -> Result<(String, Option<String>), String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut text = String::new();
    let mut paragraph = String::new();
    let mut heading = None;
    let mut styled_heading = false;
    let mut in_text = false;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
            Event::Text(t) if in_text => paragraph.push_str(&t),
            Event::GeneralRef(r) if in_text => push_reference(&r, &mut paragraph),
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => paragraph.push('\t'),
                "br" | "cr" => paragraph.push('\n'),
                "pStyle" => {
                    styled_heading = e.attributes().flatten().any(|a| {
                        a.key.local_name().as_ref() == "val"
                            && matches!(a.value.as_ref(), "Title" | "Heading1" | "Titre" | "Titre1")
                    })
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "p" => {
                let para = paragraph.trim();
                if !para.is_empty() {
                    if styled_heading && heading.is_none() {
                        heading = Some(para.to_string());
                    }
                    if !text.is_empty() {
                        text.push_str("\n\n");
                    }
                    text.push_str(para);
                }
                paragraph.clear();
                styled_heading = false;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok((text, heading))
}

/// The character an entity or character reference stands for (`&amp;`, `&#8217;`).
fn push_reference(reference: &quick_xml::events::BytesRef, out: &mut String) {
    if let Some(c) = reference.resolve_char_ref().ok().flatten() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(reference) {
        out.push_str(s);
    }
}

/// `dc:title` of `docProps/core.xml`, when not blank.
fn core_title(xml: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == "title" => break,
            Event::Text(t) if in_title => title.push_str(&t),
            Event::GeneralRef(r) if in_title => push_reference(&r, &mut title),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_keep_breaks_tabs_and_entities() {
        let xml = br#"<w:document xmlns:w="w"><w:body>
            <w:p><w:r><w:t>Un</w:t><w:tab/><w:t>deux</w:t><w:br/><w:t>trois &amp; l&#8217;ONU</w:t></w:r></w:p>
            <w:p></w:p>
            <w:p><w:r><w:t>Fin.</w:t></w:r></w:p>
        </w:body></w:document>"#;
        let (text, heading) = paragraphs(xml).expect("well-formed");
        assert_eq!(text, "Un\tdeux\ntrois & l\u{2019}ONU\n\nFin.");
        assert_eq!(heading, None);
    }

    #[test]
    fn core_title_is_read() {
        let xml = br#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:title>R&#233;solution  2086</dc:title></cp:coreProperties>"#;
        assert_eq!(core_title(xml).as_deref(), Some("Résolution 2086"));
        assert_eq!(
            core_title(b"<cp:coreProperties><dc:title> </dc:title></cp:coreProperties>"),
            None
        );
    }

    #[test]
    fn bad_archives_are_errors() {
        assert!(matches!(read(b"PK\x03\x04garbage"), Err(DocxError::Zip(_))));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .expect("start");
        let bytes = zip.finish().expect("finish").into_inner();
        assert_eq!(read(&bytes), Err(DocxError::NotDocx));
        assert!(!is_docx(&bytes));
    }
}
