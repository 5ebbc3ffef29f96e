//! Query files, as `search --queries`, `bench` and the criterion benches read them: one
//! query per line, `QID<TAB>QUERY` or a bare query; blank lines and lines starting with
//! `#` (notes) are skipped, a byte-order mark and `\r` line ends are allowed.
//!
//! ```
//! use quorum::search::query_file::parse;
//! let lines = parse("\u{feff}# a note\nq1\tSecurity Council\r\n\nmaintien de la paix\n");
//! assert_eq!(lines.len(), 2);
//! assert_eq!((lines[0].line, lines[0].qid.as_deref(), lines[0].query.as_str()), (2, Some("q1"), "Security Council"));
//! assert_eq!((lines[1].line, lines[1].qid.as_deref(), lines[1].query.as_str()), (4, None, "maintien de la paix"));
//! ```

/// One query of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryLine {
    /// Its line, from 1.
    pub line: usize,
    /// The id before the tab, if any.
    pub qid: Option<String>,
    /// The query.
    pub query: String,
}

/// The queries of a query file's text.
pub fn parse(text: &str) -> Vec<QueryLine> {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .split('\n')
        .enumerate()
        .map(|(n, line)| (n + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(line, text)| {
            let (qid, query) = match text.split_once('\t') {
                Some((qid, query)) => (Some(qid.to_string()), query),
                None => (None, text),
            };
            QueryLine {
                line,
                qid,
                query: query.to_string(),
            }
        })
        .collect()
}
