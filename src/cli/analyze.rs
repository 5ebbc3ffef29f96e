//! `quorum analyze TEXT`: the tokens each field gets, with positions and byte offsets.
//! People use it to see why something matched or did not.

use std::io::Write;

use serde::Serialize;

use super::{LangAuto, Outcome};
use crate::analysis::{self, analyze};
use crate::index::schema;
use crate::ingest::detect;
use crate::Lang;

/// Arguments of `quorum analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The text to analyze.
    pub text: String,
    /// The language of the text: fr, en, or auto (detect).
    #[arg(long, value_enum, default_value_t = LangAuto::Auto)]
    pub lang: LangAuto,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Field {
    field: &'static str,
    analyzer: &'static str,
    tokens: Vec<Token>,
}

#[derive(Serialize)]
struct Token {
    text: String,
    position: usize,
    position_length: usize,
    from: usize,
    to: usize,
}

#[derive(Serialize)]
struct Output<'a> {
    text: &'a str,
    lang: String,
    fields: Vec<Field>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let lang = match args.lang {
        LangAuto::Fr => Lang::Fr,
        LangAuto::En => Lang::En,
        LangAuto::Auto => detect::text_lang(&args.text),
    };
    let fields: Vec<Field> = [
        (
            schema::body_field_name(&lang),
            analysis::body_analyzer(&lang),
        ),
        (schema::FORMS, analysis::FORMS),
        (schema::SYMBOL, analysis::SYMBOL),
    ]
    .into_iter()
    .map(|(field, analyzer)| Field {
        field,
        analyzer,
        tokens: analyze(analyzer, &args.text)
            .into_iter()
            .map(|t| Token {
                text: t.text,
                position: t.position,
                position_length: t.position_length,
                from: t.offset_from,
                to: t.offset_to,
            })
            .collect(),
    })
    .collect();
    let output = Output {
        text: &args.text,
        lang: lang.code().to_string(),
        fields,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &output)?;
        writeln!(out)?;
        return Ok(Outcome::Success);
    }
    writeln!(out, "language: {}", output.lang)?;
    for field in &output.fields {
        writeln!(out, "\n{} ({})", field.field, field.analyzer)?;
        for t in &field.tokens {
            let span = if t.position_length > 1 {
                format!(" (joins {} words)", t.position_length)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  {:>3}  {:<24} {:>5}..{:<5} {:?}{}",
                t.position,
                t.text,
                t.from,
                t.to,
                &args.text[t.from..t.to],
                span
            )?;
        }
    }
    Ok(Outcome::Success)
}
