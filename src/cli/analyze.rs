//! `fahras analyze`: print the token stream of some text, the way Elasticsearch's `_analyze`
//! does, so users can see why a word does or does not match.

use std::io::{Read, Write};

use anyhow::Context;

use crate::analysis::{self, AnalyzerKind, StemmerKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Which analyzer: exact (normalization only) or stem (normalization and stemming).
    #[arg(long, value_parser = super::choice::<AnalyzerKind>(), default_value = "stem")]
    pub analyzer: AnalyzerKind,
    /// Stemmer used by the stem analyzer.
    #[arg(long, value_parser = super::choice::<StemmerKind>(), default_value_t = StemmerKind::default())]
    pub stemmer: StemmerKind,
    /// Output: a table, or one JSON object per token.
    #[arg(long, value_enum, default_value = "text")]
    pub format: AnalyzeFormat,
    /// Text to analyze; `-` reads standard input.
    #[arg(required = true)]
    pub text: Vec<String>,
}

pub fn run(args: &AnalyzeArgs) -> anyhow::Result<()> {
    let text = if args.text.len() == 1 && args.text[0] == "-" {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .context("reading standard input (it must be UTF-8)")?;
        input
    } else {
        args.text.join(" ")
    };
    let mut analyzer = analysis::analyzer(args.analyzer, args.stemmer);
    let tokens = analysis::analyze(&mut analyzer, &text);
    let mut out = super::output::stdout();
    match args.format {
        AnalyzeFormat::Json => {
            for token in &tokens {
                serde_json::to_writer(&mut out, token)?;
                writeln!(out)?;
            }
        }
        AnalyzeFormat::Text => {
            for token in &tokens {
                writeln!(
                    out,
                    "{}\t{}\t{}..{}\t{}",
                    token.position, token.term, token.from, token.to, token.text
                )?;
            }
        }
    }
    super::output::finish(out)
}
