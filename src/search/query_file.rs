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

/// The queries of one file of a query set, named by its class: the file's stem
/// (`benches/queries/phrase.tsv` holds the class `phrase`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuerySet {
    /// The file's stem.
    pub class: String,
    /// Its queries, in order.
    pub queries: Vec<QueryLine>,
}

/// A query file or folder that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("reading {path}")]
pub struct LoadError {
    /// The file or folder.
    pub path: std::path::PathBuf,
    /// The OS error.
    #[source]
    pub source: std::io::Error,
}

/// Reads a query file as one set, or every `.tsv` file of a folder as a set each, in
/// file name order, as `bench --queries` and the criterion benches take them.
pub fn load(path: &std::path::Path) -> Result<Vec<QuerySet>, LoadError> {
    let set = |file: &std::path::Path| -> Result<QuerySet, LoadError> {
        let text = std::fs::read_to_string(file).map_err(|source| LoadError {
            path: file.to_path_buf(),
            source,
        })?;
        Ok(QuerySet {
            class: file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            queries: parse(&text),
        })
    };
    if !path.is_dir() {
        return Ok(vec![set(path)?]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| LoadError {
        path: path.to_path_buf(),
        source,
    })?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    files.iter().map(|file| set(file)).collect()
}
