//! `quorum search`: ranked passages for a query, or for every line of a file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::places::Places;
use super::{ColorChoice, IndexDir, LangArg, Outcome};
use crate::index::default;
use crate::index::store::Store;
use crate::search::{query_file, Engine, Matching, Request, Response, Sort};

/// `search --help`: the exit codes.
pub const AFTER_HELP: &str = "\
Exit codes: 0 with hits, 1 without, 2 on an error (with --queries: 2 when a line failed);
a closed pipe exits 0. `quorum search --help` lists the query syntax.";

/// `search --help`: the query syntax and the exit codes.
pub const AFTER_LONG_HELP: &str = "\
Query syntax:
  word word          every word must match (AND); when no passage has them all, any of them
  \"a phrase\"         the words in this order
  +word  -word       must match / must not match
  AND  OR  NOT       in capitals; (groups) with parentheses
  contin*            a prefix
  paix~  paix~2      fuzzy: up to 1 (or 2) letters off
  lang:fr            French (or en) passages only
  type:resolution    documents of that type
  year:1994          documents of that year; year:1990..1994 or year:[1990 TO 1994] a range,
                     year:>1990, year:>=1990, year:<2000 an open one
  symbol:S/RES/242   by document symbol; S/RES/2086 (2013) alone finds it too
  id:udhr:article-1  by document id

A word that starts with - after the first query word is part of the query
(`quorum search sanctions -Iraq`), unless it is one of the flags above; flags may come
before or after the query. A query that starts with -, or a word that looks like a flag,
goes after `--`: `quorum search --json -- -Iraq sanctions`.

Exit codes: 0 with hits, 1 without, 2 on an error (with --queries: 2 when a line failed);
a closed pipe (`quorum search ... | head`) exits 0.";

/// The longest query echoed whole in the header; a longer one is cut there.
const QUERY_SHOWN_CHARS: usize = 80;

/// `--explain`: how a score is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainMode {
    /// A few lines per hit: each clause's share of the score, fields named.
    Summary,
    /// tantivy's whole explanation tree, as JSON.
    Raw,
}

/// Arguments of `quorum search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words, "phrases", AND/OR/NOT, +word, -word, prefix*, fuzzy~,
    /// lang:fr, type:resolution, year:1990..1994, year:>1990, symbol:S/RES/242, id:ID
    /// (`--help` lists them all).
    /// Several words are joined with spaces: `quorum search maintien de la paix`; put
    /// a query that starts with `-` after `--`.
    #[arg(required_unless_present = "queries", num_args = 1..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexDir,
    /// How many results to print.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// How many results to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Analyze the query as this language and keep only its passages.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Print JSON (JSON Lines with --queries).
    #[arg(long)]
    pub json: bool,
    /// Run every line of FILE as a query (`QID<TAB>QUERY` or a bare query; `#` starts
    /// a note), in order, with the index opened once.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub queries: Option<PathBuf>,
    /// Which passages a query of several words admits: `frequency` (the default) shows
    /// the passages with every word first, then, while the page is not full, those that
    /// lack the least informative words (each hit says what it lacks); `all` shows only
    /// passages with every word.
    #[arg(long = "match", value_enum, default_value_t = MatchArg::Frequency, value_name = "RULE")]
    pub matching: MatchArg,
    /// Keep only the best passage of each document.
    #[arg(long)]
    pub group: bool,
    /// Show why each hit scored as it did: a few lines per hit, or tantivy's whole
    /// tree with `--explain=raw` (the `=` is needed; `--json` always has the tree).
    #[arg(
        long,
        value_enum,
        value_name = "HOW",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "summary"
    )]
    pub explain: Option<ExplainMode>,
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set), always,
    /// never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Rank the page without counting the matches: the search skips what cannot make
    /// the page from the start (whole blocks of passages, for a single word), and the
    /// count printed is then a lower bound.
    #[arg(long)]
    pub no_count: bool,
    /// Count every match. By default a search counts 10,000 matches exactly, then only
    /// those that can still make the page, and says "more than 10,000".
    #[arg(long, conflicts_with = "no_count")]
    pub count_all: bool,
    /// The order of the results: `relevance` (the default), `date` (oldest first) or
    /// `-date` (newest first); passages with every word come first either way.
    #[arg(long, value_name = "ORDER", default_value_t = Sort::Relevance, value_parser = parse_sort, allow_hyphen_values = true)]
    pub sort: Sort,
    /// Cross-language search: each word also finds its translations (English words
    /// find French passages, and the reverse), ranked below the words as typed. With
    /// `--lang`, only that language's passages are kept, and the query may be in either.
    #[arg(long)]
    pub cross: bool,
    /// The term table of `--cross`, made by `quorum lexicon build` [default: the one
    /// shipped in quorum].
    #[arg(long, value_name = "FILE", env = "QUORUM_LEXICON")]
    pub lexicon: Option<PathBuf>,
}

/// A `--sort` value.
fn parse_sort(text: &str) -> Result<Sort, String> {
    text.parse()
        .map_err(|e: crate::search::sort::UnknownSort| e.to_string())
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, default) = args.index.resolve();
    let store = Store::new(&dir);
    if default {
        build_default(&store, &dir)?;
    }
    let mut engine = Engine::open(&store).with_context(|| format!("opening {}", dir.display()))?;
    if let Some(path) = &args.lexicon {
        let lexicon = crate::lexicon::Lexicon::read(path)
            .with_context(|| format!("reading the lexicon {}", path.display()))?;
        engine = engine.with_lexicon(std::sync::Arc::new(lexicon));
    }
    let request = |query: &str| {
        let mut request = Request {
            limit: args.limit,
            offset: args.offset,
            group: args.group,
            explain: args.explain.is_some(),
            count: !args.no_count,
            count_limit: if args.count_all {
                usize::MAX
            } else {
                crate::search::COUNT_LIMIT
            },
            matching: args.matching.into(),
            sort: args.sort,
            cross: args.cross,
            ..Request::new(query)
        };
        match args.lang {
            // The words of a cross-language query may be in either language.
            Some(lang) if args.cross => request.filters.lang = Some(lang.lang()),
            Some(lang) => request = request.with_lang(lang.lang()),
            None => {}
        }
        request
    };
    let style = Style {
        color: super::color_stdout(args.color),
        explain: args.explain,
        offset: args.offset,
        group: args.group,
    };
    if let Some(file) = &args.queries {
        return run_batch(&engine, file, &request, args.json, style);
    }
    let query = args.query.join(" ");
    let response = engine.search(&request(&query))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
    } else {
        print_response(&mut out, &response, &engine, style)?;
    }
    Ok(if response.total_hits > 0 {
        Outcome::Success
    } else {
        Outcome::NoHits
    })
}

/// Builds the default index from corpus/ when there is none yet, or when another
/// version of quorum built it, telling the user on stderr (`search` and `serve`).
pub(super) fn build_default(store: &Store, dir: &std::path::Path) -> anyhow::Result<()> {
    let corpus = Places::current().corpus()?;
    let mut reporter = super::index::Terminal::new(false);
    let built = default::ensure_built(
        store,
        &corpus,
        &mut |building| eprintln!("{building}"),
        &mut reporter,
    )
    .with_context(|| format!("indexing into {}", dir.display()))?;
    if let Some(summary) = built {
        eprintln!(
            "indexed {} documents ({} passages) in {:.2} s",
            summary.documents, summary.passages, summary.seconds
        );
    }
    Ok(())
}

/// A `--match` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchArg {
    /// Every word first, then passages that lack the least informative words.
    Frequency,
    /// Only passages with every word.
    All,
}

impl From<MatchArg> for Matching {
    fn from(arg: MatchArg) -> Matching {
        match arg {
            MatchArg::Frequency => Matching::Frequency,
            MatchArg::All => Matching::All,
        }
    }
}

/// `--queries FILE`: one query per line, the index opened once.
fn run_batch(
    engine: &Engine,
    file: &PathBuf,
    request: &dyn Fn(&str) -> Request,
    json: bool,
    style: Style,
) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut out = std::io::stdout().lock();
    let (mut failed, mut any_hits) = (false, false);
    for entry in query_file::parse(&text) {
        let query = entry.query.as_str();
        let qid = entry.qid.unwrap_or_else(|| entry.line.to_string());
        match engine.search(&request(query)) {
            Ok(response) => {
                any_hits |= response.total_hits > 0;
                if json {
                    let mut value = serde_json::to_value(&response)?;
                    if let Some(object) = value.as_object_mut() {
                        object.insert("qid".into(), qid.into());
                    }
                    serde_json::to_writer(&mut out, &value)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "## {qid}: {query}")?;
                    print_response(&mut out, &response, engine, style)?;
                    writeln!(out)?;
                }
            }
            Err(e) => {
                failed = true;
                if json {
                    let value = serde_json::json!({"qid": qid, "error": e.to_string()});
                    serde_json::to_writer(&mut out, &value)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "## {qid}: {query}\nerror: {e}\n")?;
                }
                eprintln!("{}:{}: {e}", file.display(), entry.line);
            }
        }
    }
    Ok(if failed {
        Outcome::Failed
    } else if any_hits {
        Outcome::Success
    } else {
        Outcome::NoHits
    })
}

/// How a response is printed for people.
#[derive(Clone, Copy, Debug)]
struct Style {
    color: bool,
    explain: Option<ExplainMode>,
    /// The hits skipped (`--offset`), to number the page's hits.
    offset: usize,
    /// `--group`: the hits are documents.
    group: bool,
}

/// Prints a response for people: a ranked list with highlighted snippets.
fn print_response(
    out: &mut impl Write,
    response: &Response,
    engine: &Engine,
    style: Style,
) -> std::io::Result<()> {
    let color = style.color;
    for notice in &response.notices {
        writeln!(out, "note: {notice}")?;
    }
    writeln!(out, "{}", header(response, style))?;
    for (rank, hit) in response.hits.iter().enumerate() {
        let label = hit
            .symbol
            .as_deref()
            .or(hit.title.as_deref())
            .unwrap_or(&hit.id);
        let id = if label == hit.id {
            String::new()
        } else {
            format!(" [{}]", hit.id)
        };
        writeln!(out)?;
        // Numbered across pages: the first hit of `--offset 10` is the 11th.
        let heading = format!(
            "{}. {label}{id} · passage {} · {} · score {:.3}",
            style.offset + rank + 1,
            hit.passage,
            hit.lang,
            hit.score
        );
        if color {
            writeln!(out, "\x1b[1m{heading}\x1b[0m")?;
        } else {
            writeln!(out, "{heading}")?;
        }
        let snippet = hit
            .snippet_parts
            .as_ref()
            .map(|s| s.to_terminal(color))
            .unwrap_or_default();
        for line in snippet.lines().filter(|l| !l.trim().is_empty()) {
            writeln!(out, "   {}", line.trim())?;
        }
        if !hit.missing.is_empty() {
            writeln!(out, "   missing: {}", hit.missing.join(", "))?;
        }
        if let Some(line) = also_in_line(hit) {
            writeln!(out, "   {line}")?;
        }
        let Some(explanation) = &hit.explanation else {
            continue;
        };
        match style.explain {
            Some(ExplainMode::Summary) => {
                let name = |n: u32| engine.field_name(n).map(str::to_string);
                for line in super::explain::summary(explanation, &name) {
                    writeln!(out, "   | {line}")?;
                }
            }
            Some(ExplainMode::Raw) => {
                let pretty = serde_json::to_string_pretty(explanation).unwrap_or_default();
                for line in pretty.lines() {
                    writeln!(out, "   | {line}")?;
                }
            }
            None => {}
        }
    }
    Ok(())
}

/// `12 passages match "paix" (1.2 ms), showing 10`: documents with `--group`, the
/// query cut when it is long.
fn header(response: &Response, style: Style) -> String {
    let unit = match (style.group, response.total_hits == 1) {
        (true, true) => "document matches",
        (true, false) => "documents match",
        (false, true) => "passage matches",
        (false, false) => "passages match",
    };
    let shown = response.hits.len();
    let showing = if shown == response.total_hits && style.offset == 0 {
        String::new()
    } else if shown == 0 {
        ", none on this page".to_string()
    } else if shown == 1 {
        format!(", showing {}", style.offset + 1)
    } else {
        format!(", showing {}–{}", style.offset + 1, style.offset + shown)
    };
    // Past the count limit, the count is a bound, said as Elasticsearch's users read it.
    const _: () = assert!(crate::search::COUNT_LIMIT == 10_000, "the text says 10,000");
    let count = if response.counted {
        response.total_hits.to_string()
    } else if response.total_hits > crate::search::COUNT_LIMIT {
        "more than 10,000".to_string()
    } else {
        format!("at least {}", response.total_hits)
    };
    format!(
        "{count} {unit} {:?} ({:.1} ms){showing}",
        cut(&response.query, QUERY_SHOWN_CHARS),
        response.took_ms,
    )
}

/// `text` cut after `max` characters, with `…`.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The `also in:` line of a hit whose passage other records hold too: the first three
/// listed, and how many more there are.
fn also_in_line(hit: &crate::search::Hit) -> Option<String> {
    if hit.copies == 0 {
        return None;
    }
    let shown: Vec<String> = hit
        .also_in
        .iter()
        .take(3)
        .map(|c| format!("{} ({}, passage {})", c.id, c.lang, c.passage))
        .collect();
    let more = hit.copies.saturating_sub(shown.len());
    Some(if more == 0 {
        format!("also in: {}", shown.join("; "))
    } else {
        format!("also in: {} and {more} more", shown.join("; "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(total_hits: usize, counted: bool) -> Response {
        Response {
            query: "operations".into(),
            total_hits,
            total_all_words: total_hits,
            counted,
            took_ms: 1.0,
            search_ms: 1.0,
            hits: Vec::new(),
            operator: crate::search::Operator::And,
            notice: None,
            notices: Vec::new(),
        }
    }

    #[test]
    fn the_header_says_how_far_the_count_went() {
        let style = Style {
            color: false,
            explain: None,
            offset: 0,
            group: false,
        };
        let header = |total, counted| header(&response(total, counted), style);
        assert!(header(12, true).starts_with("12 passages match"));
        assert!(header(12, false).starts_with("at least 12 passages match"));
        // Past the count limit: Elasticsearch's users read the bound so.
        assert!(header(crate::search::COUNT_LIMIT + 2_381, false)
            .starts_with("more than 10,000 passages match"));
        assert!(header(10_000, true).starts_with("10000 passages match"));
    }
}
