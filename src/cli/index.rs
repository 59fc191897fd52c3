//! `fahras index`: build or update the index from folders of articles.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::analysis::StemmerKind;
use crate::index::writer::{self, IndexOptions, Reporter, Stage};
use crate::index::{IndexSettings, RunSummary};
use crate::ingest::{walk::WalkOptions, JsonFields};

use super::search::count_of;

/// What `fahras index` reads when no folder is named.
const DEFAULT_CORPUS: &str = "corpus";

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Files or folders to index.
    #[arg(default_value = DEFAULT_CORPUS)]
    pub paths: Vec<PathBuf>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Start over: delete the index and build it anew.
    #[arg(long)]
    pub rebuild: bool,
    /// Threads for reading and analysis (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Memory budget of the index writer, in MB.
    #[arg(long, default_value_t = 256)]
    pub memory: usize,
    /// No progress and no summary.
    #[arg(long)]
    pub quiet: bool,
    /// Exit with an error when any file is skipped or has warnings.
    #[arg(long)]
    pub strict: bool,
    /// Map a JSON key to an article field, e.g. `text=article_body` (repeatable).
    #[arg(long = "json-field", value_name = "FIELD=KEY")]
    pub json_fields: Vec<String>,
    /// Collection the files are filed under (default: the name of each folder indexed).
    #[arg(long, value_parser = collection_name)]
    pub collection: Option<String>,
    /// Stemmer of the stemmed fields (a new index only; recorded in it).
    #[arg(long, value_parser = super::choice::<StemmerKind>())]
    pub stemmer: Option<StemmerKind>,
    /// Shortest passage, in words (a new index only; recorded in it).
    #[arg(long)]
    pub passage_min: Option<usize>,
    /// Longest passage, in words (a new index only; recorded in it).
    #[arg(long)]
    pub passage_max: Option<usize>,
    /// Do not index files or folders matching this glob (gitignore syntax, repeatable); a
    /// `.fahrasignore` file in a folder does the same for that folder.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub excludes: Vec<String>,
    /// Follow symbolic links (by default they are skipped: a link can lead out of the folder);
    /// each file is still indexed once.
    #[arg(long)]
    pub follow_links: bool,
    /// Commit after this many bytes of input (tests use small values to exercise recovery).
    #[arg(long, hide = true, default_value_t = writer::COMMIT_EVERY_BYTES)]
    pub commit_every: u64,
}

/// Progress and warnings on standard error: a bar on a terminal, periodic lines otherwise.
struct TerminalReporter {
    bar: Option<ProgressBar>,
    quiet: bool,
    total_bytes: AtomicU64,
    done_bytes: AtomicU64,
    total_files: AtomicU64,
    done_files: AtomicU64,
    last_line: Mutex<Instant>,
}

impl TerminalReporter {
    fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                // Decimal MB, as the summary says; no ETA: early estimates ("3h") mislead.
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {msg} {bytes}/{total_bytes}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        TerminalReporter {
            bar,
            quiet,
            total_bytes: AtomicU64::new(0),
            done_bytes: AtomicU64::new(0),
            total_files: AtomicU64::new(0),
            done_files: AtomicU64::new(0),
            last_line: Mutex::new(Instant::now()),
        }
    }

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Reporter for TerminalReporter {
    fn planned(&self, files: usize, bytes: u64) {
        self.total_bytes.store(bytes, Ordering::Relaxed);
        self.total_files.store(files as u64, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_length(bytes);
            bar.set_message(format!("0/{files} files"));
        } else if !self.quiet && files > 0 {
            eprintln!(
                "reading {} ({:.1} MB)",
                super::search::count_of(files, "file", "files"),
                bytes as f64 / 1e6
            );
        }
    }

    fn file_done(&self, bytes: u64) {
        let done = self.done_bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let files = self.done_files.fetch_add(1, Ordering::Relaxed) + 1;
        let total_files = self.total_files.load(Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            bar.set_message(format!("{files}/{total_files} files"));
        } else if !self.quiet {
            let mut last = self.last_line.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() >= Duration::from_secs(5) {
                *last = Instant::now();
                let total = self.total_bytes.load(Ordering::Relaxed).max(1);
                eprintln!(
                    "read {files}/{total_files} files, {:.1}/{:.1} MB ({:.0}%)",
                    done as f64 / 1e6,
                    total as f64 / 1e6,
                    done as f64 * 100.0 / total as f64
                );
            }
        }
    }

    fn warning(&self, file: &str, line: Option<usize>, message: &str) {
        if self.quiet {
            return;
        }
        match line {
            Some(line) => self.say(&format!("warning: {file}:{line}: {message}")),
            None => self.say(&format!("warning: {file}: {message}")),
        }
    }

    fn encoding(&self, file: &str, encoding: &str) {
        if !self.quiet {
            self.say(&format!("note: {file}: read as {encoding}"));
        }
    }

    fn stage(&self, stage: Stage) {
        let message = match stage {
            Stage::Reading => return,
            Stage::Committing => "committing (making the new passages durable)…",
            Stage::Merging => "merging index segments…",
        };
        match &self.bar {
            Some(bar) => {
                bar.set_style(
                    ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_message(message);
                bar.enable_steady_tick(Duration::from_millis(200));
            }
            None if !self.quiet => eprintln!("{message}"),
            None => {}
        }
    }
}

pub fn run(args: &IndexArgs) -> anyhow::Result<()> {
    let mut json_fields = JsonFields::default();
    for spec in &args.json_fields {
        json_fields.set_override(spec).map_err(anyhow::Error::msg)?;
    }
    for path in &args.paths {
        if !path.exists() {
            if args.paths == [PathBuf::from(DEFAULT_CORPUS)] {
                // No folder named, and the default one is not here: say what to name.
                anyhow::bail!(
                    "no folder `{DEFAULT_CORPUS}` here (what `fahras index` reads when no folder \
                     is named): name the folders or files to index, `fahras index [--index \
                     DIR] FOLDER...`"
                );
            }
            anyhow::bail!("{}: no such file or folder", path.display());
        }
    }
    if let (Some(min), Some(max)) = (args.passage_min, args.passage_max) {
        if min > max {
            anyhow::bail!("--passage-min ({min}) must not be larger than --passage-max ({max})");
        }
    }
    if args.passage_min == Some(0) || args.passage_max == Some(0) {
        anyhow::bail!("passage lengths must be at least 1 word");
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let settings = (args.stemmer.is_some()
        || args.passage_min.is_some()
        || args.passage_max.is_some())
    .then(|| {
        let defaults = IndexSettings::default();
        let min = args.passage_min.unwrap_or(defaults.passage_min_words);
        IndexSettings {
            stemmer: args.stemmer.unwrap_or(defaults.stemmer),
            passage_min_words: min,
            passage_max_words: args
                .passage_max
                .unwrap_or(defaults.passage_max_words)
                .max(min),
        }
    });
    let interrupt = Arc::new(AtomicBool::new(false));
    watch_ctrl_c(&interrupt, args.quiet);
    let options = IndexOptions {
        roots: args.paths.clone(),
        index_dir: args.index.clone(),
        rebuild: args.rebuild,
        threads,
        memory_mb: args.memory,
        settings,
        json_fields,
        collection: args.collection.clone(),
        commit_every_bytes: args.commit_every.max(1),
        walk: WalkOptions {
            follow_links: args.follow_links,
            excludes: args.excludes.clone(),
        },
        interrupt: Some(interrupt),
    };
    let reporter = TerminalReporter::new(args.quiet);
    let summary = writer::run(&options, &reporter);
    reporter.finish();
    let summary = summary?;
    if !args.quiet {
        for document in &summary.root_documents {
            eprintln!(
                "note: {document}: documentation at the top of the folder, not indexed (name the file to index it)"
            );
        }
        eprintln!("{}", describe(&summary));
    }
    if summary.index_articles > 0 {
        after_run(&args.index, args.quiet);
    }
    if summary.interrupted {
        anyhow::bail!(
            "interrupted: the {} files read so far are indexed and committed; run the same command again to index the rest",
            summary.new + summary.changed
        );
    }
    if summary.index_articles == 0 {
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        if summary.files_seen == 0 {
            anyhow::bail!(
                "nothing to index in {}: no file found (hidden files, ignored files, links and the index folder itself are not read)",
                paths.join(", ")
            );
        }
        anyhow::bail!(
            "nothing indexed: none of the {} files in {} holds an article fahras can read (see the warnings above)",
            summary.files_seen,
            paths.join(", ")
        );
    }
    if args.strict && (summary.skipped > 0 || summary.warnings > 0) {
        anyhow::bail!(
            "--strict: {} file(s) skipped, {} warning(s)",
            summary.skipped,
            summary.warnings
        );
    }
    Ok(())
}

/// The curation database after a run: what it keeps of the curated articles still in the index
/// is brought up to date, and (unless quiet) each saved search with new articles is named. The
/// run itself is committed by then, so a problem here is a warning, not a failure.
fn after_run(index: &std::path::Path, quiet: bool) {
    if let Err(error) = super::collections::refresh_records(index) {
        eprintln!("warning: {error:#}");
    }
    if quiet {
        return;
    }
    match super::saved::new_article_lines(index) {
        Ok(lines) => {
            for line in lines {
                eprintln!("{line}");
            }
        }
        Err(error) => eprintln!("warning: saved searches: {error:#}"),
    }
}

/// Ctrl-C stops the run cleanly: the first asks it to commit what it has and stop; a second
/// ends the process at once (the last commit stays intact either way).
fn watch_ctrl_c(interrupt: &Arc<AtomicBool>, quiet: bool) {
    let flag = Arc::clone(interrupt);
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        if !quiet {
            eprintln!("\nstopping: committing what is indexed so far (Ctrl-C again to quit now)…");
        }
    });
}

/// The one-paragraph summary printed at the end of a run.
pub fn describe(s: &RunSummary) -> String {
    let mb = s.bytes as f64 / 1e6;
    let rate = if s.seconds > 0.0 { mb / s.seconds } else { 0.0 };
    let mut extras = String::new();
    if s.title_only > 0 {
        extras.push_str(&format!(" ({} with a title only)", s.title_only));
    }
    let mut skipped_notes = Vec::new();
    if !s.root_documents.is_empty() {
        skipped_notes.push(format!("{} documentation", s.root_documents.len()));
    }
    if s.links_skipped > 0 {
        skipped_notes.push(format!("{} links not followed", s.links_skipped));
    }
    let skipped_notes = if skipped_notes.is_empty() {
        String::new()
    } else {
        format!(" (and {})", skipped_notes.join(", "))
    };
    format!(
        "files: {} seen, {} new, {} changed, {} removed, {} unchanged, {} skipped{skipped_notes}; \
         {}{extras}, {} indexed from {:.1} MB in {:.2} s ({:.1} MB/s); {} warnings; \
         the index holds {}",
        s.files_seen,
        s.new,
        s.changed,
        s.removed,
        s.unchanged,
        s.skipped,
        count_of(s.articles as usize, "article", "articles"),
        count_of(s.passages as usize, "passage", "passages"),
        mb,
        s.seconds,
        rate,
        s.warnings,
        count_of(s.index_articles as usize, "article", "articles")
    )
}

/// A `--collection` value: a name someone can read and type again (a blank one made a
/// collection listed as "(? – ?)" that no filter could name).
fn collection_name(value: &str) -> Result<String, String> {
    let name = value.trim();
    if name.is_empty() {
        return Err("a collection needs a name".to_owned());
    }
    Ok(name.to_owned())
}
