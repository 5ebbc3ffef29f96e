//! `quorum show ID`: a document's metadata and its passages in order, numbered as
//! search numbers them.

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use super::{IndexDir, LangArg, Outcome};
use crate::index::build::{stored_str, stored_u64};
use crate::index::store::Store;

/// Arguments of `quorum show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document id.
    pub id: String,
    /// Only the document in this language (ids are shared by French and English twins).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    #[command(flatten)]
    pub index: IndexDir,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Shown {
    id: String,
    lang: String,
    symbol: Option<String>,
    title: Option<String>,
    date: Option<String>,
    year: Option<i64>,
    doc_type: Option<String>,
    path: Option<String>,
    passages: Vec<ShownPassage>,
}

#[derive(Serialize)]
struct ShownPassage {
    passage: u64,
    lang: String,
    start: Option<u64>,
    end: Option<u64>,
    text: String,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let generation = Store::new(&dir).open_current()?;
    let f = &generation.fields;
    let reader = &generation.reader;
    let searcher = reader.searcher();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(f.id, &args.id),
            IndexRecordOption::Basic,
        )),
    )];
    if let Some(lang) = args.lang {
        let key = crate::index::schema::doc_key(&args.id, &lang.lang());
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.key, &key),
                IndexRecordOption::Basic,
            )),
        ));
    }
    let query = BooleanQuery::new(clauses);
    let limit = searcher.num_docs().max(1) as usize;
    let found = searcher
        .search(&query, &TopDocs::with_limit(limit).order_by_score())
        .with_context(|| format!("searching {}", dir.display()))?;
    let mut docs: Vec<(String, u64, TantivyDocument)> = Vec::new();
    for (_, address) in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        let key = stored_str(&doc, f.key).unwrap_or_default();
        docs.push((key, stored_u64(&doc, f.passage).unwrap_or(0), doc));
    }
    docs.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut shown: Vec<Shown> = Vec::new();
    for (key, _, doc) in &docs {
        let lang = key.rsplit('\u{1f}').next().unwrap_or_default().to_string();
        if shown.last().is_none_or(|s| s.lang != lang) {
            shown.push(Shown {
                id: args.id.clone(),
                lang: lang.clone(),
                symbol: stored_str(doc, f.symbol),
                title: stored_str(doc, f.title),
                date: stored_str(doc, f.date),
                year: doc
                    .get_first(f.year)
                    .and_then(|v| tantivy::schema::Value::as_i64(&v)),
                doc_type: stored_str(doc, f.doc_type),
                path: stored_str(doc, f.path),
                passages: Vec::new(),
            });
        }
        if let Some(current) = shown.last_mut() {
            current.passages.push(ShownPassage {
                passage: stored_u64(doc, f.passage).unwrap_or(0),
                lang: stored_str(doc, f.lang).unwrap_or_default(),
                start: stored_u64(doc, f.start),
                end: stored_u64(doc, f.end),
                text: stored_str(doc, f.text).unwrap_or_default(),
            });
        }
    }
    if shown.is_empty() {
        anyhow::bail!("no document with id {:?} in {}", args.id, dir.display());
    }
    if args.json {
        let value = if shown.len() == 1 {
            serde_json::to_value(&shown[0])?
        } else {
            serde_json::to_value(&shown)?
        };
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(Outcome::Success);
    }
    for doc in &shown {
        println!("id       {}", doc.id);
        println!("lang     {}", doc.lang);
        for (name, value) in [
            ("symbol", &doc.symbol),
            ("title", &doc.title),
            ("date", &doc.date),
            ("type", &doc.doc_type),
            ("path", &doc.path),
        ] {
            if let Some(value) = value {
                println!("{name:<8} {value}");
            }
        }
        if let Some(year) = doc.year {
            println!("year     {year}");
        }
        for p in &doc.passages {
            println!(
                "\n[{}] ({}, bytes {}..{})",
                p.passage,
                p.lang,
                p.start.unwrap_or(0),
                p.end.unwrap_or(0)
            );
            println!("{}", p.text);
        }
        println!();
    }
    Ok(Outcome::Success)
}
