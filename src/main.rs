//! The `fahras` binary: parses the command line, dispatches to `fahras::cli`, maps errors to exit
//! codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fahras::cli;

#[derive(Debug, Parser)]
#[command(
    name = "fahras",
    version,
    about = "Search engine for archives of Arabic news"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show how text is cut into words and normalized into search terms.
    Analyze(cli::analyze::AnalyzeArgs),
    /// Index folders of articles (new, changed and removed files since the last run).
    Index(cli::index::IndexArgs),
    /// Search the index: ranked passages with highlighted hits.
    Search(cli::search::SearchArgs),
    /// Show a whole article, with a query's hits highlighted.
    Show(cli::show::ShowArgs),
    /// Collections: list, remove, and curate by hand (add, drop, note, show).
    Collections(cli::collections::CollectionsArgs),
    /// Export every article matching a query, with citations (CSV, JSON Lines, RIS, CSL-JSON).
    Export(cli::export::ExportArgs),
    /// Saved searches: add, list, run (`--new`: what arrived since the last run), rm.
    Saved(cli::saved::SavedArgs),
    /// Report how the articles group into copies (near-duplicates).
    Duplicates(cli::duplicates::DuplicatesArgs),
    /// Serve the search page and JSON API on a local address.
    Serve(cli::serve::ServeArgs),
    /// Compute passage vectors for searching by meaning (new and changed passages only).
    Embed(cli::embed::EmbedArgs),
    /// The sentence encoder that searches by meaning: fetch it, or say where it is looked for.
    Model(cli::embed::ModelArgs),
    /// "More like this": the articles nearest an article by meaning.
    Similar(cli::embed::SimilarArgs),
    /// Evaluate ranking on a judged collection (trec_eval measures).
    Eval(cli::eval::EvalArgs),
    /// Show what the index holds.
    Stats(cli::stats::StatsArgs),
}

/// Whether `--long` of `subcommand` takes a value (read from the command line's definition).
fn takes_value(subcommand: &str, long: &str) -> bool {
    use clap::CommandFactory;
    Cli::command()
        .find_subcommand(subcommand)
        .and_then(|command| {
            command
                .get_arguments()
                .find(|arg| arg.get_long() == Some(long))
                .map(|arg| arg.get_action().takes_values())
        })
        .unwrap_or(false)
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(cli::search::protect_exclusions(
        std::env::args_os().collect(),
        takes_value,
    ));
    let result = match &cli.command {
        Command::Analyze(args) => cli::analyze::run(args),
        Command::Index(args) => cli::index::run(args),
        Command::Stats(args) => cli::stats::run(args),
        Command::Search(args) => cli::search::run(args),
        Command::Show(args) => cli::show::run(args),
        Command::Eval(args) => cli::eval::run(args),
        Command::Serve(args) => cli::serve::run(args),
        Command::Collections(args) => cli::collections::run(args),
        Command::Duplicates(args) => cli::duplicates::run(args),
        Command::Export(args) => cli::export::run(args),
        Command::Saved(args) => cli::saved::run(args),
        Command::Embed(args) => cli::embed::run(args),
        Command::Model(args) => cli::embed::run_model(args),
        Command::Similar(args) => cli::embed::run_similar(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if cli::output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fahras: {err:#}");
            ExitCode::FAILURE
        }
    }
}
