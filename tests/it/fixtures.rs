//! Real-world files made at test time: PDFs laid out like UN documents (a masthead, a
//! header and a footer on every page, a two-column page), a Word `.docx`, HTML pages with
//! their chrome, all holding real sentences of the shared corpus. `benches/formats.rs`
//! uses the same generators, so that what is measured is what is tested.

use std::io::Write;
use std::path::Path;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

/// Aligned French and English sentences of the shared corpus (`unpc_testsets`), each
/// between 90 and 260 bytes and written in Windows-1252 (what the standard PDF fonts
/// hold), or `None` when the corpus is absent.
pub fn sentences(corpus: &Path, n: usize) -> Vec<(String, String)> {
    let read = |lang: &str| -> Vec<(String, String)> {
        let path = corpus.join(format!("unpc_testsets/sentences.{lang}.jsonl"));
        let text = std::fs::read_to_string(&path).expect("the corpus sentences are readable");
        text.lines()
            .filter_map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).ok()?;
                Some((
                    v["id"].as_str()?.to_string(),
                    v["text"].as_str()?.to_string(),
                ))
            })
            .collect()
    };
    let en: std::collections::HashMap<String, String> = read("en").into_iter().collect();
    let fits = |s: &str| {
        (90..=260).contains(&s.len())
            && !encoding_rs::WINDOWS_1252.encode(s).2
            && s.ends_with('.')
            && !s.contains(char::is_control)
    };
    read("fr")
        .into_iter()
        .filter_map(|(id, fr)| {
            let en = en.get(&id)?;
            (fits(&fr) && fits(en)).then(|| (fr, en.clone()))
        })
        .take(n)
        .collect()
}

/// A string shown at a place of a page.
#[derive(Clone, Debug)]
pub struct Placed {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

fn placed(x: f32, y: f32, size: f32, text: &str) -> Placed {
    Placed {
        x,
        y,
        size,
        text: text.to_string(),
    }
}

/// Writes a PDF whose pages show the given strings in Helvetica (WinAnsi), with an
/// information title.
pub fn pdf(pages: &[Vec<Placed>], title: Option<&str>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for page in pages {
        let mut operations = Vec::new();
        for p in page {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&p.text);
            operations.extend([
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), p.size.into()]),
                Operation::new(
                    "Tm",
                    vec![
                        1.into(),
                        0.into(),
                        0.into(),
                        1.into(),
                        p.x.into(),
                        p.y.into(),
                    ],
                ),
                Operation::new("Tj", vec![Object::string_literal(bytes.into_owned())]),
                Operation::new("ET", vec![]),
            ]);
        }
        let content = Content { operations }
            .encode()
            .expect("the content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => resources,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    if let Some(title) = title {
        let info = doc.add_object(dictionary! { "Title" => lopdf::text_string(title) });
        doc.trailer.set("Info", info);
    }
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("the PDF is written");
    out
}

/// Words cut into lines of at most `width` bytes.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// What a UN document in PDF is made of.
pub struct UnPdf<'a> {
    pub symbol: &'a str,
    pub french: bool,
    pub title: &'a str,
    /// The body's paragraphs, laid out a few per page.
    pub paragraphs: &'a [String],
    pub per_page: usize,
    /// Two paragraphs set in two columns, written line by line across both, on a page
    /// of their own after the others.
    pub columns: Option<(&'a str, &'a str)>,
    /// Whether the information title is set (else the title is only the large line).
    pub info_title: bool,
}

/// The job number in the footer of every page.
pub const JOB: &str = "13-20805";

/// A UN document: a masthead on the first page, the symbol at the top and the job
/// number and page number at the bottom of every page, a title set large.
pub fn un_pdf(d: &UnPdf) -> Vec<u8> {
    let (distr, date, organ, nations) = if d.french {
        (
            "Distr. générale",
            "21 janvier 2013",
            "Conseil de sécurité",
            "Nations Unies",
        )
    } else {
        (
            "Distr.: General",
            "21 January 2013",
            "Security Council",
            "United Nations",
        )
    };
    let lang = if d.french { "F" } else { "E" };
    let mut pages: Vec<Vec<Placed>> = Vec::new();
    let chunks: Vec<&[String]> = d.paragraphs.chunks(d.per_page.max(1)).collect();
    let total = chunks.len() + usize::from(d.columns.is_some());
    for (n, chunk) in chunks.iter().enumerate() {
        let mut page = vec![placed(400.0, 800.0, 10.0, d.symbol)];
        let mut y = 770.0;
        if n == 0 {
            for line in [nations, organ, distr, date] {
                page.push(placed(72.0, y, 9.0, line));
                y -= 12.0;
            }
            y -= 20.0;
            page.push(placed(72.0, y, 16.0, d.title));
            y -= 30.0;
        }
        for paragraph in chunk.iter() {
            for line in wrap(paragraph, 90) {
                page.push(placed(72.0, y, 10.0, &line));
                y -= 12.0;
            }
            y -= 12.0;
        }
        footer(&mut page, lang, n + 1, total);
        pages.push(page);
    }
    if let Some((left, right)) = d.columns {
        let mut page = vec![placed(400.0, 800.0, 10.0, d.symbol)];
        let (left, right) = (wrap(left, 40), wrap(right, 40));
        let mut y = 760.0;
        for i in 0..left.len().max(right.len()) {
            if let Some(l) = left.get(i) {
                page.push(placed(72.0, y, 10.0, l));
            }
            if let Some(r) = right.get(i) {
                page.push(placed(320.0, y, 10.0, r));
            }
            y -= 12.0;
        }
        footer(&mut page, lang, total, total);
        pages.push(page);
    }
    pdf(&pages, d.info_title.then_some(d.title))
}

fn footer(page: &mut Vec<Placed>, lang: &str, n: usize, total: usize) {
    page.push(placed(72.0, 40.0, 8.0, &format!("{JOB} ({lang})")));
    page.push(placed(500.0, 40.0, 8.0, &format!("{n}/{total}")));
}

/// A PDF whose only page shows an image: a scan without a text layer.
pub fn scanned_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    ));
    let resources = doc.add_object(dictionary! { "XObject" => dictionary! { "Im1" => image } });
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"q 500 0 0 700 50 50 cm /Im1 Do Q".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()], "Resources" => resources,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("the PDF is written");
    out
}

/// A PDF that asks for a password: its trailer names a standard security handler whose
/// keys the empty password does not open.
pub fn encrypted_pdf(paragraph: &str) -> Vec<u8> {
    let plain = pdf(&[vec![placed(72.0, 700.0, 10.0, paragraph)]], None);
    let mut doc = Document::load_mem(&plain).expect("the plain PDF loads");
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 2, "R" => 3, "Length" => 128, "P" => -3904,
        "O" => Object::string_literal(vec![0x4Au8; 32]),
        "U" => Object::string_literal(vec![0x7Bu8; 32]),
    });
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(vec![1u8; 16]),
            Object::string_literal(vec![1u8; 16]),
        ],
    );
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("the PDF is written");
    out
}

/// A `.docx` with its core title, a styled heading, paragraphs, and a page header part
/// that must not be read.
pub fn docx(title: Option<&str>, heading: &str, paragraphs: &[String]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut body = String::new();
    body.push_str(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>",
        xml_escape(heading)
    ));
    for p in paragraphs {
        // Two runs per paragraph, as Word writes them after an edit.
        let cut = p.find(' ').unwrap_or(0);
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r></w:p>",
            xml_escape(&p[..cut]),
            xml_escape(&p[cut..])
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_string()),
        ("word/document.xml", document),
        ("word/header1.xml", format!("<w:hdr xmlns:w=\"w\"><w:p><w:r><w:t>{JOB} HEADER</w:t></w:r></w:p></w:hdr>")),
        ("docProps/core.xml", format!(
            "<?xml version=\"1.0\"?><cp:coreProperties xmlns:cp=\"cp\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">{}</cp:coreProperties>",
            title.map(|t| format!("<dc:title>{}</dc:title>", xml_escape(t))).unwrap_or_default()
        )),
    ];
    for (name, content) in parts {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// A zip archive that is not a `.docx`.
pub fn plain_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .expect("zip entry");
    zip.write_all(b"Le Conseil").expect("zip write");
    zip.finish().expect("zip finish").into_inner()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An HTML page with the usual chrome around a `main` element holding the paragraphs;
/// `charset` is declared in a `meta` element and the page encoded in it.
pub fn html(
    title: &str,
    paragraphs: &[String],
    charset: &'static encoding_rs::Encoding,
) -> Vec<u8> {
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"{}\"><title>{title}</title>\
         <style>body {{ font-family: serif }}</style>\
         <script>var tracker = \"Conseil chrome script\";</script></head><body>\
         <header><a href=\"/\">Accueil ONU chrome</a></header>\
         <nav><ul><li><a href=\"/fr\">Français navigation chrome</a></li><li>English</li></ul></nav>\
         <main><h1>{title}</h1>",
        charset.name()
    );
    for p in paragraphs {
        page.push_str(&format!("<p>\n  {}\n</p>\n", html_escape(p)));
    }
    page.push_str(
        "<ul><li>Point un de la liste</li></ul></main>\
         <aside>Voir aussi chrome</aside><footer>© Nations Unies pied chrome</footer>\
         <script>document.write(\"chrome\")</script></body></html>",
    );
    charset.encode(&page).0.into_owned()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}
