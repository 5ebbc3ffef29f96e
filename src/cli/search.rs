//! `quorum search`: ranked passages for a query, or for every line of a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{IndexDir, LangArg, Outcome, DEFAULT_CORPUS};
use crate::index::default;
use crate::index::store::Store;
use crate::search::{query_file, Engine, Matching, Request, Response};

/// Arguments of `quorum search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words, "phrases", AND/OR/NOT, -word, prefix*, fuzzy~, lang:fr,
    /// type:resolution, year:1990..1994, symbol:S/RES/242.
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
    /// Show why each hit scored as it did.
    #[arg(long)]
    pub explain: bool,
    /// Rank the page without counting every match, where the query allows tantivy to
    /// skip what cannot make the page (a single word): the count printed is then a
    /// lower bound. Other queries are counted anyway.
    #[arg(long)]
    pub no_count: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, default) = args.index.resolve();
    let store = Store::new(&dir);
    if default {
        // The default index builds itself from corpus/ when there is none yet, or
        // when another version of quorum built it.
        let mut reporter = super::index::Terminal::new(false);
        let built = default::ensure_built(
            &store,
            Path::new(DEFAULT_CORPUS),
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
    }
    let engine = Engine::open(&store).with_context(|| format!("opening {}", dir.display()))?;
    let request = |query: &str| {
        let mut request = Request {
            limit: args.limit,
            offset: args.offset,
            group: args.group,
            explain: args.explain,
            count: !args.no_count,
            matching: args.matching.into(),
            ..Request::new(query)
        };
        if let Some(lang) = args.lang {
            request = request.with_lang(lang.lang());
        }
        request
    };
    if let Some(file) = &args.queries {
        return run_batch(&engine, file, &request, args.json);
    }
    let query = args.query.join(" ");
    let response = engine.search(&request(&query))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
    } else {
        print_response(&mut out, &response, args.explain)?;
    }
    Ok(if response.total_hits > 0 {
        Outcome::Success
    } else {
        Outcome::NoHits
    })
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
                    print_response(&mut out, &response, false)?;
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

/// Prints a response for people: a ranked list with highlighted snippets.
fn print_response(out: &mut impl Write, response: &Response, explain: bool) -> std::io::Result<()> {
    let color = super::color_stdout();
    for notice in &response.notices {
        writeln!(out, "note: {notice}")?;
    }
    let shown = response.hits.len();
    writeln!(
        out,
        "{}{} passage{} match {:?} ({:.1} ms){}",
        if response.counted { "" } else { "at least " },
        response.total_hits,
        if response.total_hits == 1 { "" } else { "s" },
        response.query,
        response.took_ms,
        if shown < response.total_hits {
            format!(", showing {shown}")
        } else {
            String::new()
        }
    )?;
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
        let heading = format!(
            "{}. {label}{id} · passage {} · {} · score {:.3}",
            rank + 1,
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
        if explain {
            if let Some(explanation) = &hit.explanation {
                let pretty = serde_json::to_string_pretty(explanation).unwrap_or_default();
                for line in pretty.lines() {
                    writeln!(out, "   | {line}")?;
                }
            }
        }
    }
    Ok(())
}
