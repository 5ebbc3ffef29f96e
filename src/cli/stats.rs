//! `quorum stats`: documents and passages per language, terms, size, build time.

use anyhow::Context;

use super::{IndexDir, Outcome};
use crate::index::stats::stats;
use crate::index::store::Store;

/// Arguments of `quorum stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexDir,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let store = Store::new(&dir);
    let generation = store.open_current()?;
    let stats = stats(&generation).with_context(|| format!("reading {}", dir.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(Outcome::Success);
    }
    println!("index      {}", stats.path);
    for (lang, docs) in &stats.documents {
        let passages = stats.passages.get(lang).copied().unwrap_or(0);
        println!("{lang:<10} {docs} documents, {passages} passages");
    }
    for (field, terms) in &stats.terms {
        println!("terms      {field}: {terms} (summed over segments)");
    }
    println!("segments   {}", stats.segments);
    println!("size       {:.1} MB", stats.size_bytes as f64 / 1e6);
    for (part, space) in &stats.space {
        let fields: Vec<String> = space
            .fields
            .iter()
            .filter(|(_, bytes)| **bytes > 0)
            .map(|(field, bytes)| format!("{field} {:.1}", *bytes as f64 / 1e6))
            .collect();
        println!(
            "space      {part:<10} {:>7.1} MB{}",
            space.bytes as f64 / 1e6,
            if fields.is_empty() {
                String::new()
            } else {
                format!("  ({})", fields.join(", "))
            }
        );
    }
    println!("built      {}", super::index::format_time(stats.built_at));
    println!("updated    {}", super::index::format_time(stats.updated_at));
    println!(
        "versions   analysis {}, schema {}",
        stats.analysis_version, stats.schema_version
    );
    Ok(Outcome::Success)
}
