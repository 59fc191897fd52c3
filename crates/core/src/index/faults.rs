//! Named fault points of the indexing run, for crash tests that do not depend on timing.
//!
//! `FAHRAS_FAULT=<point>` (or `<point>=<n>` for counted points) makes an indexing run (or, for
//! `curation-before-commit`, a change to the curation database) abort the
//! process, as `kill -9` or a power cut would (no destructor runs, no file is flushed), at that
//! point. Tests kill a run at each point, run it again, and check the result equals a clean
//! build. Only the indexing run, the curation store and `fahras embed` read the variable; an unknown point name is an error at start,
//! so a misspelt test cannot pass by never crashing.

use std::sync::OnceLock;

/// The environment variable that names the fault point.
pub const VARIABLE: &str = "FAHRAS_FAULT";

/// Where an indexing run can be made to die.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// The first run created the index folder but has not committed anything yet.
    AfterCreate,
    /// Passages were handed to the writer, before the run's first commit of them.
    BeforeFirstCommit,
    /// After this many passages were handed to the writer.
    AfterDocuments(u64),
    /// A commit's manifest file is on disk; the commit naming it is not.
    AfterManifestWrite,
    /// A commit is durable; the manifests it replaced are not yet removed.
    AfterCommit,
    /// Segments are being merged after the last commit.
    DuringMerge,
    /// Not a crash: after this many passages the run stops and waits until its standard input
    /// is closed, so that a test can send it a real Ctrl-C (SIGINT) at a known point.
    PauseAfterDocuments(u64),
    /// A change to the curation database is written inside its transaction, not committed.
    CurationBeforeCommit,
    /// `fahras embed` wrote this many batches of vectors (and nothing else yet).
    EmbedAfterBatches(u64),
}

const NAMES: [&str; 9] = [
    "after-create",
    "before-first-commit",
    "after-documents=N",
    "after-manifest-write",
    "after-commit",
    "during-merge",
    "pause-after-documents=N",
    "curation-before-commit",
    "embed-after-batches=N",
];

impl Point {
    fn parse(text: &str) -> Result<Point, String> {
        Ok(match text.trim() {
            "after-create" => Point::AfterCreate,
            "before-first-commit" => Point::BeforeFirstCommit,
            "after-manifest-write" => Point::AfterManifestWrite,
            "after-commit" => Point::AfterCommit,
            "during-merge" => Point::DuringMerge,
            "curation-before-commit" => Point::CurationBeforeCommit,
            other => {
                let count = |n: &str| {
                    n.parse::<u64>()
                        .map_err(|_| format!("{VARIABLE}: {other:?}: N must be a number"))
                };
                if let Some(n) = other.strip_prefix("after-documents=") {
                    Point::AfterDocuments(count(n)?)
                } else if let Some(n) = other.strip_prefix("embed-after-batches=") {
                    Point::EmbedAfterBatches(count(n)?)
                } else if let Some(n) = other.strip_prefix("pause-after-documents=") {
                    Point::PauseAfterDocuments(count(n)?)
                } else {
                    return Err(format!(
                        "{VARIABLE}: unknown fault point {other:?} (one of: {})",
                        NAMES.join(", ")
                    ));
                }
            }
        })
    }
}

fn configured() -> &'static Result<Option<Point>, String> {
    static POINT: OnceLock<Result<Option<Point>, String>> = OnceLock::new();
    POINT.get_or_init(|| match std::env::var(VARIABLE) {
        Ok(value) if !value.trim().is_empty() => Point::parse(&value).map(Some),
        _ => Ok(None),
    })
}

/// Checks the variable at the start of a run: a name that is set but unknown is an error.
pub fn check() -> Result<(), String> {
    configured().clone().map(|_| ())
}

/// Whether a fault point is set at all (so the hot loop can skip counting).
pub fn armed() -> bool {
    matches!(configured(), Ok(Some(_)))
}

/// Dies here when `point` is the configured fault point.
pub fn at(point: Point) {
    if let Ok(Some(configured)) = configured() {
        if *configured == point {
            die(point);
        }
    }
}

/// Dies once `documents` passages have been handed to the writer, when that is the configured
/// point.
pub fn after_documents(documents: u64) {
    match configured() {
        Ok(Some(Point::AfterDocuments(n))) if documents >= *n => die(Point::AfterDocuments(*n)),
        Ok(Some(Point::PauseAfterDocuments(n))) if documents >= *n => pause_once(*n),
        _ => {}
    }
}

/// Dies once `batches` batches of vectors are written, when that is the configured point.
pub fn after_embedded_batches(batches: u64) {
    if let Ok(Some(Point::EmbedAfterBatches(n))) = configured() {
        if batches >= *n {
            die(Point::EmbedAfterBatches(*n));
        }
    }
}

fn pause_once(documents: u64) {
    use std::io::Read;
    use std::sync::atomic::{AtomicBool, Ordering};
    static PAUSED: AtomicBool = AtomicBool::new(false);
    if PAUSED.swap(true, Ordering::SeqCst) {
        return;
    }
    eprintln!(
        "fahras: paused after {documents} passages ({VARIABLE}); waiting for standard input to close"
    );
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

fn die(point: Point) -> ! {
    eprintln!("fahras: fault point {point:?} reached ({VARIABLE}); aborting");
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_point_parses_and_others_are_refused() {
        for name in NAMES {
            let name = name.replace('N', "5");
            assert!(Point::parse(&name).is_ok(), "{name}");
        }
        assert_eq!(
            Point::parse("after-documents=12"),
            Ok(Point::AfterDocuments(12))
        );
        assert!(Point::parse("after-comit").is_err());
        assert!(Point::parse("after-documents=x").is_err());
    }
}
