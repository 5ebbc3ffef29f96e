//! One PDF page's content stream → its lines of text, in reading order.
//!
//! The text operators are interpreted with their positions (the text matrix times the
//! current transformation matrix): each string shown is a run with where it starts, its
//! estimated width and its font size. Runs on one baseline make a line, with a space
//! where the gap between two runs is wider than a space. A page in two columns written
//! line by line across both (a baseline holding a run of each column, split by a wide
//! gap at the same place on several lines) is read column by column within each band of
//! such lines, so that the columns do not interleave; a page that writes each column whole
//! is read in the order written, which is already right. A vertical gap clearly wider than
//! the page's usual line spacing starts a new paragraph.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Document, Encoding, Object, ObjectId};

/// A line of a page, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) text: String,
    /// Whether a paragraph starts here (a wide vertical gap before it, or a column's top).
    pub(crate) paragraph: bool,
    /// The largest font size on the line, in points.
    pub(crate) size: f32,
}

/// A string shown, where it starts and ends on the page.
#[derive(Debug, Clone)]
struct Run {
    x: f32,
    y: f32,
    end: f32,
    size: f32,
    text: String,
}

/// A line being built: its runs in the order shown.
#[derive(Debug)]
struct RawLine {
    y: f32,
    runs: Vec<Run>,
}

/// A font's decoding and glyph widths.
struct Font<'a> {
    encoding: Encoding<'a>,
    /// Widths in thousandths of an em, from `FirstChar`, for one-byte fonts.
    widths: Option<(u32, Vec<f32>)>,
    /// A composite (Type0) font, whose codes are two bytes.
    two_byte: bool,
}

type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` for PDF's row-vector matrices.
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// The lines of a page; an error when its content cannot be decoded.
pub(crate) fn page_lines(doc: &Document, page: ObjectId) -> lopdf::Result<Vec<Line>> {
    let fonts = fonts(doc, page);
    let content = doc.get_page_content_with_limit(page, lopdf::DEFAULT_MAX_DECOMPRESSED_SIZE)?;
    let content = Content::decode(&content)?;
    let runs = interpret(&content.operations, &fonts);
    Ok(order(lines(runs)))
}

fn fonts<'a>(doc: &'a Document, page: ObjectId) -> BTreeMap<Vec<u8>, Font<'a>> {
    let Ok(fonts) = doc.get_page_fonts(page) else {
        return BTreeMap::new();
    };
    fonts
        .into_iter()
        .filter_map(|(name, dict)| {
            let encoding = dict
                .get_font_encoding_with_limit(doc, lopdf::DEFAULT_MAX_DECOMPRESSED_SIZE)
                .ok()?;
            let two_byte = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
            let widths = (|| {
                let first = dict.get_deref(b"FirstChar", doc).ok()?.as_i64().ok()?;
                let widths = dict.get_deref(b"Widths", doc).ok()?.as_array().ok()?;
                let widths = widths
                    .iter()
                    .map(|w| doc.dereference(w).ok().and_then(|(_, w)| w.as_float().ok()))
                    .collect::<Option<Vec<f32>>>()?;
                Some((u32::try_from(first).ok()?, widths))
            })();
            Some((
                name,
                Font {
                    encoding,
                    widths,
                    two_byte,
                },
            ))
        })
        .collect()
}

/// The text state the operators change.
struct State<'f, 'a> {
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    font: Option<&'f Font<'a>>,
    size: f32,
    leading: f32,
    runs: Vec<Run>,
}

/// Interprets a page's operators into runs.
fn interpret(
    operations: &[lopdf::content::Operation],
    fonts: &BTreeMap<Vec<u8>, Font>,
) -> Vec<Run> {
    let mut s = State {
        ctm: IDENTITY,
        stack: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        font: None,
        size: 12.0,
        leading: 0.0,
        runs: Vec::new(),
    };
    for op in operations {
        let nums: Vec<f32> = op
            .operands
            .iter()
            .filter_map(|o| o.as_float().ok())
            .collect();
        match (op.operator.as_str(), nums.as_slice()) {
            ("q", _) => s.stack.push(s.ctm),
            ("Q", _) => s.ctm = s.stack.pop().unwrap_or(IDENTITY),
            ("cm", &[a, b, c, d, e, f]) => s.ctm = mul(&[a, b, c, d, e, f], &s.ctm),
            ("BT", _) => {
                s.tm = IDENTITY;
                s.tlm = IDENTITY;
            }
            ("Tf", _) => {
                s.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| fonts.get(name));
                if let Some(size) = op.operands.get(1).and_then(|o| o.as_float().ok()) {
                    s.size = size;
                }
            }
            ("TL", &[leading]) => s.leading = leading,
            ("Td", &[tx, ty]) => s.next_line(tx, ty),
            ("TD", &[tx, ty]) => {
                s.leading = -ty;
                s.next_line(tx, ty);
            }
            ("Tm", &[a, b, c, d, e, f]) => {
                s.tm = [a, b, c, d, e, f];
                s.tlm = s.tm;
            }
            ("T*", _) => s.next_line(0.0, -s.leading),
            ("Tj", _) => s.show(&op.operands),
            ("TJ", _) => {
                if let Some(Object::Array(items)) = op.operands.first() {
                    s.show(items);
                }
            }
            ("'", _) => {
                s.next_line(0.0, -s.leading);
                s.show(&op.operands);
            }
            ("\"", _) => {
                s.next_line(0.0, -s.leading);
                s.show(op.operands.get(2..).unwrap_or_default());
            }
            _ => {}
        }
    }
    s.runs
}

impl State<'_, '_> {
    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = mul(&translate(tx, ty), &self.tlm);
        self.tm = self.tlm;
    }

    /// Shows strings (and, in a `TJ` array, the kerning numbers between them) as one run.
    fn show(&mut self, items: &[Object]) {
        let Some(font) = self.font else { return };
        let m = mul(&self.tm, &self.ctm);
        let scale = (m[2] * m[2] + m[3] * m[3]).sqrt();
        let (x, y) = (m[4], m[5]);
        let mut text = String::new();
        let mut advance = 0.0f32;
        for item in items {
            match item {
                Object::String(bytes, _) => {
                    let _ = font.encoding.write_to_string(bytes, &mut text);
                    advance += font.width(bytes) * self.size;
                }
                Object::Integer(_) | Object::Real(_) => {
                    let n = item.as_float().unwrap_or(0.0);
                    advance -= n / 1000.0 * self.size;
                    // A wide negative kerning is how many producers write a space.
                    if n < -200.0 && !text.ends_with(' ') {
                        text.push(' ');
                    }
                }
                _ => {}
            }
        }
        self.tm = mul(&translate(advance, 0.0), &self.tm);
        let end = mul(&self.tm, &self.ctm)[4];
        if !text.is_empty() {
            self.runs.push(Run {
                x,
                y,
                end: end.max(x),
                size: (self.size * scale).abs().max(1.0),
                text,
            });
        }
    }
}

impl Font<'_> {
    /// The width of a string in ems.
    fn width(&self, bytes: &[u8]) -> f32 {
        if self.two_byte {
            return bytes.len() as f32 / 2.0 * 0.5;
        }
        match &self.widths {
            Some((first, widths)) => bytes
                .iter()
                .map(|&b| {
                    u32::from(b)
                        .checked_sub(*first)
                        .and_then(|i| widths.get(i as usize))
                        .copied()
                        .filter(|w| *w > 0.0)
                        .unwrap_or(500.0)
                        / 1000.0
                })
                .sum(),
            // The standard fonts carry no widths in the file: half an em is their mean.
            None => bytes.len() as f32 * 0.5,
        }
    }
}

/// Runs on one baseline, in the order shown, make a line.
fn lines(runs: Vec<Run>) -> Vec<RawLine> {
    let mut out: Vec<RawLine> = Vec::new();
    for run in runs {
        match out.last_mut() {
            Some(line) if (line.y - run.y).abs() <= 0.3 * run.size => line.runs.push(run),
            _ => out.push(RawLine {
                y: run.y,
                runs: vec![run],
            }),
        }
    }
    out
}

/// The x where a line's second column starts: the start of the first run after a gap
/// wider than two font sizes.
fn split_at(line: &RawLine) -> Option<f32> {
    line.runs.windows(2).find_map(|w| {
        let gap = w[1].x - w[0].end;
        (gap > 2.0 * w[0].size.max(w[1].size)).then_some(w[1].x)
    })
}

/// Reading order: bands of two-column lines are read left column first.
fn order(raw: Vec<RawLine>) -> Vec<Line> {
    let splits: Vec<Option<f32>> = raw.iter().map(split_at).collect();
    let mut gutters: Vec<f32> = splits.iter().flatten().copied().collect();
    gutters.sort_by(f32::total_cmp);
    // Two columns need several split lines that agree on where the right one starts.
    let gutter = gutters
        .get(gutters.len() / 2)
        .copied()
        .filter(|g| gutters.iter().filter(|x| (*x - g).abs() < 12.0).count() >= 3);
    let Some(gutter) = gutter else {
        return flow(raw.iter().map(|l| (l.y, l.runs.as_slice())).collect());
    };
    // The columns span the baselines of the split lines, and a little more for a column
    // one line longer than the other; a page header or footer lies further off.
    let split_lines = || {
        raw.iter()
            .zip(&splits)
            .filter(|(_, s)| s.is_some_and(|x| (x - gutter).abs() < 12.0))
    };
    let size = split_lines()
        .flat_map(|(l, _)| l.runs.iter().map(|r| r.size))
        .fold(0.0f32, f32::max);
    let top = split_lines().map(|(l, _)| l.y).fold(f32::MIN, f32::max) + 2.5 * size;
    let bottom = split_lines().map(|(l, _)| l.y).fold(f32::MAX, f32::min) - 2.5 * size;
    let above: Vec<&RawLine> = raw.iter().filter(|l| l.y > top).collect();
    let below: Vec<&RawLine> = raw.iter().filter(|l| l.y < bottom).collect();
    let mut out = flow(above.iter().map(|l| (l.y, l.runs.as_slice())).collect());
    let mut band: Vec<&RawLine> = Vec::new();
    let in_columns = |line: &RawLine| {
        // A line is in the band unless one run crosses the gutter (a full-width line).
        !line
            .runs
            .iter()
            .any(|r| r.x < gutter - 1.0 && r.end > gutter + 1.0)
    };
    for line in raw.iter().filter(|l| (bottom..=top).contains(&l.y)) {
        if in_columns(line) {
            band.push(line);
        } else {
            out.extend(columns(&band, gutter));
            band.clear();
            out.extend(flow(vec![(line.y, line.runs.as_slice())]));
        }
    }
    out.extend(columns(&band, gutter));
    let mut rest = flow(below.iter().map(|l| (l.y, l.runs.as_slice())).collect());
    if let Some(first) = rest.first_mut() {
        first.paragraph = true;
    }
    out.append(&mut rest);
    out
}

/// A band of lines read as a left column, then a right one.
fn columns(band: &[&RawLine], gutter: f32) -> Vec<Line> {
    let mut left: Vec<(f32, Vec<Run>)> = Vec::new();
    let mut right: Vec<(f32, Vec<Run>)> = Vec::new();
    for line in band {
        let (l, r): (Vec<Run>, Vec<Run>) = line
            .runs
            .iter()
            .cloned()
            .partition(|run| run.x < gutter - 1.0);
        if !l.is_empty() {
            left.push((line.y, l));
        }
        if !r.is_empty() {
            right.push((line.y, r));
        }
    }
    let mut out = flow(left.iter().map(|(y, runs)| (*y, runs.as_slice())).collect());
    let mut right = flow(
        right
            .iter()
            .map(|(y, runs)| (*y, runs.as_slice()))
            .collect(),
    );
    if let Some(first) = right.first_mut() {
        first.paragraph = true;
    }
    out.append(&mut right);
    out
}

/// The line spacing: the most frequent gap between baselines, to half a point (the
/// smaller on a tie), since paragraph gaps are fewer than line gaps.
fn usual_gap(gaps: impl Iterator<Item = f32>) -> Option<f32> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for gap in gaps.filter(|g| *g > 0.5) {
        *counts.entry((gap * 2.0).round() as i64).or_default() += 1;
    }
    let most = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .map(|(half_points, _)| half_points as f32 / 2.0)
}

/// Lines in the order given, with spaces between runs and paragraph starts from the
/// vertical gaps.
fn flow(lines: Vec<(f32, &[Run])>) -> Vec<Line> {
    let usual = usual_gap(lines.windows(2).map(|w| w[0].0 - w[1].0));
    let mut out = Vec::new();
    let mut previous_y: Option<f32> = None;
    for (y, runs) in lines {
        let mut text = String::new();
        let mut end: Option<f32> = None;
        let mut size = 0.0f32;
        for run in runs {
            if let Some(end) = end {
                let spaced = text.ends_with(char::is_whitespace)
                    || run.text.starts_with(char::is_whitespace);
                if !spaced && run.x - end > 0.15 * run.size {
                    text.push(' ');
                }
            }
            text.push_str(&run.text);
            end = Some(run.end);
            size = size.max(run.size);
        }
        let text = text.trim_end().to_string();
        if text.trim().is_empty() {
            continue;
        }
        let paragraph = match (previous_y, usual) {
            (Some(prev), Some(usual)) => {
                let gap = prev - y;
                gap < 0.0 || gap > 1.45 * usual
            }
            _ => false,
        };
        previous_y = Some(y);
        out.push(Line {
            text,
            paragraph,
            size,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x: f32, y: f32, text: &str) -> Run {
        Run {
            x,
            y,
            end: x + text.len() as f32 * 5.0,
            size: 10.0,
            text: text.to_string(),
        }
    }

    fn texts(lines: &[Line]) -> Vec<(&str, bool)> {
        lines
            .iter()
            .map(|l| (l.text.as_str(), l.paragraph))
            .collect()
    }

    #[test]
    fn runs_on_a_baseline_join_with_spaces_where_there_is_a_gap() {
        let runs = vec![
            run(72.0, 700.0, "Le Con"),
            run(102.0, 700.0, "seil"),
            run(130.0, 700.0, "décide"),
            run(72.0, 688.0, "de rester saisi."),
            run(72.0, 660.0, "Nouveau paragraphe."),
        ];
        let lines = order(lines(runs));
        assert_eq!(
            texts(&lines),
            [
                ("Le Conseil décide", false),
                ("de rester saisi.", false),
                ("Nouveau paragraphe.", true)
            ]
        );
    }

    #[test]
    fn two_columns_written_across_do_not_interleave() {
        let mut runs = vec![run(
            72.0,
            740.0,
            "Un titre sur toute la largeur de la page, bien long",
        )];
        for (i, (l, r)) in [
            ("gauche un", "droite un"),
            ("gauche deux", "droite deux"),
            ("gauche trois", "droite trois"),
        ]
        .iter()
        .enumerate()
        {
            let y = 700.0 - 12.0 * i as f32;
            runs.push(run(72.0, y, l));
            runs.push(run(320.0, y, r));
        }
        runs.push(run(
            72.0,
            600.0,
            "Pied de page sur toute la largeur de la page, bien long",
        ));
        let got: Vec<String> = order(lines(runs)).into_iter().map(|l| l.text).collect();
        assert_eq!(
            got,
            [
                "Un titre sur toute la largeur de la page, bien long",
                "gauche un",
                "gauche deux",
                "gauche trois",
                "droite un",
                "droite deux",
                "droite trois",
                "Pied de page sur toute la largeur de la page, bien long",
            ]
        );
    }

    #[test]
    fn matrices_compose_as_pdf_does() {
        let m = mul(&translate(10.0, 5.0), &[2.0, 0.0, 0.0, 2.0, 100.0, 200.0]);
        assert_eq!(m, [2.0, 0.0, 0.0, 2.0, 120.0, 210.0]);
    }
}
