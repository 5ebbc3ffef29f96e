//! `quorum stats`: documents and passages per language, terms, size, build time.

use std::io::Write;

use anyhow::Context;

use super::{IndexDir, Outcome};
use crate::index::stats::{stats, Stats};
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
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
        return Ok(Outcome::Success);
    }
    writeln!(out, "index      {}", stats.path)?;
    for (lang, docs) in &stats.documents {
        let passages = stats.passages.get(lang).copied().unwrap_or(0);
        writeln!(out, "{lang:<10} {docs} documents, {passages} passages")?;
    }
    print_contents(&mut out, &stats)?;
    for (field, terms) in &stats.terms {
        writeln!(out, "terms      {field}: {terms} (summed over segments)")?;
    }
    writeln!(out, "segments   {}", stats.segments)?;
    writeln!(out, "size       {:.1} MB", stats.size_bytes as f64 / 1e6)?;
    for (part, space) in &stats.space {
        let fields: Vec<String> = space
            .fields
            .iter()
            .filter(|(_, bytes)| **bytes > 0)
            .map(|(field, bytes)| format!("{field} {:.1}", *bytes as f64 / 1e6))
            .collect();
        writeln!(
            out,
            "space      {part:<10} {:>7.1} MB{}",
            space.bytes as f64 / 1e6,
            if fields.is_empty() {
                String::new()
            } else {
                format!("  ({})", fields.join(", "))
            }
        )?;
    }
    writeln!(out, "built      {}", format_time(stats.built_at))?;
    writeln!(out, "updated    {}", format_time(stats.updated_at))?;
    writeln!(
        out,
        "versions   analysis {}, schema {}",
        stats.analysis_version, stats.schema_version
    )?;
    Ok(Outcome::Success)
}

/// What the index holds: document types, years by decade, the biggest sources.
fn print_contents(out: &mut impl Write, stats: &Stats) -> std::io::Result<()> {
    if !stats.doc_types.is_empty() {
        let mut types: Vec<(&String, &u64)> = stats.doc_types.iter().collect();
        types.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
        let types: Vec<String> = types.iter().map(|(t, n)| format!("{t} {n}")).collect();
        writeln!(out, "types      {}", types.join(", "))?;
    }
    let years = &stats.years;
    if let (Some(first), Some(last)) = (years.first, years.last) {
        writeln!(
            out,
            "years      {first}–{last}{}",
            if years.undated > 0 {
                format!(" ({} documents undated)", years.undated)
            } else {
                String::new()
            }
        )?;
        let most = years.by_decade.values().copied().max().unwrap_or(1).max(1);
        for (decade, n) in &years.by_decade {
            // A bar of up to 40 marks, at least one for any decade with documents.
            let width = ((n * 40).div_ceil(most)) as usize;
            writeln!(out, "  {decade}s    {n:>7}  {}", "▇".repeat(width))?;
        }
    }
    if !stats.sources.is_empty() {
        writeln!(
            out,
            "sources    {} files; the most documents:",
            stats.source_files
        )?;
        for source in &stats.sources {
            writeln!(out, "  {:>7}  {}", source.documents, source.path)?;
        }
    }
    Ok(())
}

/// Formats seconds since the epoch as UTC `YYYY-MM-DD HH:MM:SS`.
fn format_time(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil-from-days (proleptic Gregorian), for a display without a time crate.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn times_print_as_utc_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_time(1_700_000_000), "2023-11-14 22:13:20 UTC");
    }
}
