//! HTML pages: the text a reader sees, without the page's chrome, parsed with `scraper`
//! (html5ever, the parser of Servo, which repairs real-world markup as browsers do).
//!
//! The page is decoded in the charset it declares (`<meta charset>` or `http-equiv`
//! `Content-Type`, read in its first kilobytes), else as a text file is. What is read is
//! the `main` element where there is one, else the `article` elements, else the whole
//! body; `script`, `style`, `nav`, `header`, `footer`, `aside`, `noscript`, `form` and
//! the like, and anything `hidden`, are dropped. Each block (`p`, `li`, headings,
//! `blockquote`, `td`, ...) becomes one paragraph of the text, separated from the next by
//! a blank line so that it survives as a passage; whitespace inside a block is made single,
//! as a browser shows it, and `br` is a line end. The title is `<title>`, else the first
//! `h1`.
//!
//! ```
//! use quorum::ingest::html;
//!
//! let page = html::read("<html><head><title>S/RES/2086</title><script>var x;</script></head>
//!   <body><nav><a href=/>Accueil</a></nav><main><h1>Résolution</h1>
//!   <p>Le Conseil de   sécurité,</p><ul><li>décide</li></ul></main>
//!   <footer>© ONU</footer></body></html>");
//! assert_eq!(page.text, "Résolution\n\nLe Conseil de sécurité,\n\ndécide");
//! assert_eq!(page.title.as_deref(), Some("S/RES/2086"));
//! ```

use encoding_rs::Encoding;
use scraper::{ElementRef, Html, Node, Selector};

/// The text and title of a page.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    /// The blocks, separated by blank lines.
    pub text: String,
    /// `<title>`, else the first `h1`.
    pub title: Option<String>,
}

/// How many bytes are searched for a declared charset, as browsers do.
const CHARSET_SCAN: usize = 4096;

/// Elements that are the page's chrome or not text at all: dropped with all they hold.
const CHROME: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "form", "template",
    "iframe", "svg", "button", "select", "textarea", "menu", "dialog", "object", "head",
];

/// Elements that make a block of their own.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "td",
    "th",
    "dt",
    "dd",
    "div",
    "pre",
    "section",
    "article",
    "main",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "caption",
    "figcaption",
    "figure",
    "address",
    "hr",
    "details",
    "summary",
    "center",
    "body",
];

/// The encoding a page declares in its first kilobytes, if encoding_rs knows its label.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(CHARSET_SCAN)].to_ascii_lowercase();
    let mut rest = head.as_slice();
    while let Some(at) = find(rest, b"<meta") {
        rest = &rest[at + 5..];
        let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(at) = find(tag, b"charset=") {
            let value = &tag[at + 8..];
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let len = value
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value[..len]) {
                return Some(encoding);
            }
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads a decoded page.
pub fn read(source: &str) -> Page {
    let document = Html::parse_document(source);
    let title = select_text(&document, "title").or_else(|| select_text(&document, "h1"));
    let roots: Vec<ElementRef> = match select_all(&document, "main").into_iter().next() {
        Some(main) => vec![main],
        None => match select_all(&document, "article") {
            articles if !articles.is_empty() => outermost(articles),
            _ => vec![document.root_element()],
        },
    };
    let mut text = Text::default();
    for root in roots {
        text.walk(root);
    }
    text.flush();
    Page {
        text: text.out,
        title,
    }
}

fn select_all<'a>(document: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    match Selector::parse(selector) {
        Ok(selector) => document.select(&selector).collect(),
        Err(_) => Vec::new(),
    }
}

/// The articles not inside another article, which would read it twice.
fn outermost(articles: Vec<ElementRef>) -> Vec<ElementRef> {
    articles
        .iter()
        .filter(|a| {
            !a.ancestors()
                .any(|n| ElementRef::wrap(n).is_some_and(|e| e.value().name() == "article"))
        })
        .copied()
        .collect()
}

/// The text of the first element a selector finds, with whitespace made single.
fn select_text(document: &Html, selector: &str) -> Option<String> {
    let element = select_all(document, selector).into_iter().next()?;
    let text = collapse(&element.text().collect::<String>());
    (!text.is_empty()).then_some(text)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The blocks of text found so far.
#[derive(Default)]
struct Text {
    out: String,
    /// The lines of the current block (`br` ends one), as written.
    lines: Vec<String>,
    line: String,
    /// How many `pre` elements are open: their whitespace is kept.
    pre: usize,
}

impl Text {
    /// Walks an element's tree without recursion, so that deep markup cannot overflow the
    /// stack.
    fn walk(&mut self, root: ElementRef) {
        let mut skipping = 0usize;
        for edge in root.traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => match node.value() {
                    Node::Element(e) if skipping > 0 || is_chrome(e) => skipping += 1,
                    Node::Element(e) => {
                        let name = e.name();
                        if name == "br" {
                            self.break_line();
                        } else if BLOCKS.contains(&name) {
                            self.flush();
                        }
                        if name == "pre" {
                            self.pre += 1;
                        }
                    }
                    Node::Text(t) if skipping == 0 => self.line.push_str(t),
                    _ => {}
                },
                ego_tree::iter::Edge::Close(node) => match node.value() {
                    Node::Element(_) if skipping > 0 => skipping -= 1,
                    Node::Element(e) => {
                        if BLOCKS.contains(&e.name()) {
                            self.flush();
                        }
                        if e.name() == "pre" {
                            self.pre = self.pre.saturating_sub(1);
                        }
                    }
                    _ => {}
                },
            }
        }
    }

    fn break_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.lines.push(line);
    }

    /// Ends the current block.
    fn flush(&mut self) {
        self.break_line();
        let lines: Vec<String> = std::mem::take(&mut self.lines)
            .into_iter()
            .map(|line| {
                if self.pre > 0 {
                    line.trim_end().to_string()
                } else {
                    collapse(&line)
                }
            })
            .collect();
        let block = lines.join("\n");
        let block = block.trim_matches('\n');
        if block.trim().is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        self.out.push_str(block);
    }
}

/// Whether an element is chrome ([`CHROME`]), hidden, or a landmark of navigation.
fn is_chrome(e: &scraper::node::Element) -> bool {
    CHROME.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || matches!(
            e.attr("role"),
            Some("navigation" | "banner" | "contentinfo" | "search" | "complementary")
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_charsets_are_found() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (
                b"<html><head><meta charset=\"windows-1252\">",
                Some("windows-1252"),
            ),
            (b"<META CHARSET=utf-8>", Some("UTF-8")),
            (
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
                Some("windows-1252"),
            ),
            (
                b"<meta name=\"x\" content=\"y\"><meta charset='koi8-r'>",
                Some("KOI8-R"),
            ),
            (b"<meta charset=\"no-such\">", None),
            (b"<p>charset=utf-8</p>", None),
        ];
        for (head, want) in cases {
            assert_eq!(
                declared_charset(head).map(Encoding::name),
                *want,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn chrome_is_dropped_and_blocks_kept() {
        let page = read(
            "<!doctype html><title> Page </title><body>\
             <header>Nations Unies</header><div role=navigation>Menu</div>\
             <p>Un<br>deux  trois</p><table><tr><td>A</td><td>B</td></tr></table>\
             <pre>  x  y\n  z</pre><p hidden>caché</p><aside>Voir aussi</aside>\
             <form><label>Recherche</label></form><style>p{}</style></body>",
        );
        assert_eq!(page.text, "Un\ndeux trois\n\nA\n\nB\n\n  x  y\n  z");
        assert_eq!(page.title.as_deref(), Some("Page"));
    }

    #[test]
    fn articles_are_read_when_there_is_no_main() {
        let page = read(
            "<body><p>Hors article</p><article><h2>Un</h2><article><p>Deux</p></article></article></body>",
        );
        assert_eq!(page.text, "Un\n\nDeux");
        assert_eq!(page.title, None);
    }

    #[test]
    fn deep_markup_does_not_overflow() {
        let source = format!(
            "{}texte profond{}",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        assert_eq!(read(&source).text, "texte profond");
    }
}
