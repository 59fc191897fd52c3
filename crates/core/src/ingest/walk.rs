//! Walking the folders to index: stable order, no hidden files, ignore rules, links not followed
//! unless asked.
//!
//! What is skipped, as users know it from ripgrep and fd:
//! - hidden files and folders (`.git`, `.DS_Store`);
//! - whatever a `.fahrasignore` file (gitignore syntax, in the folder or any folder below the
//!   root) or an `--exclude GLOB` names;
//! - documentation at the top of an indexed folder (README, LICENSE, CHANGELOG… — an archive's
//!   own notes, not articles): listed in the run's summary; pass such a file by name to index it;
//! - symbolic links, unless `follow_links`: a link can lead out of the folder (to `/etc`) or to a
//!   file the walk reaches anyway. When they are followed, each file is still indexed once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

/// The name of the per-folder ignore file.
pub const IGNORE_FILE_NAME: &str = ".fahrasignore";

/// Which files a walk yields.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow symbolic links (each file is still read once).
    pub follow_links: bool,
    /// Globs (gitignore syntax) of files and folders not to index.
    pub excludes: Vec<String>,
}

/// A file found under one of the roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// The path as walked.
    pub path: PathBuf,
    /// Path relative to its root, with `/` separators (for ids and display).
    pub relative: String,
    /// The first folder under the root (the outlet, in archives laid out by outlet), if any.
    pub top_folder: Option<String>,
}

/// Something the walk could not read (a folder without permission, a broken link) or a rule it
/// could not use (a bad glob).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<FoundFile>,
    /// Documentation files at the top of the root, not indexed (relative paths).
    pub root_documents: Vec<String>,
    /// Symbolic links not followed.
    pub links_skipped: u64,
}

/// Whether `name`, directly under an indexed folder, is the archive's documentation rather than
/// an article: README, LICENSE, COPYING, CHANGELOG, NOTICE, AUTHORS, CONTRIBUTING, CITATION, in
/// any case and with any extension (`UPSTREAM_README.md` too).
pub fn is_root_document(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or(&upper);
    const NAMES: [&str; 9] = [
        "LICENSE",
        "LICENCE",
        "COPYING",
        "CHANGELOG",
        "CHANGES",
        "NOTICE",
        "AUTHORS",
        "CONTRIBUTING",
        "CITATION",
    ];
    let named = |n: &str| {
        stem.strip_prefix(n)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphabetic()))
    };
    upper.contains("README") || NAMES.iter().any(|n| named(n))
}

/// All regular files under `root` (or `root` itself when it is a file), sorted by name.
pub fn walk(root: &Path, options: &WalkOptions, problems: &mut Vec<WalkProblem>) -> Walked {
    let mut walked = Walked::default();
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .hidden(true)
        .parents(false)
        .add_custom_ignore_filename(IGNORE_FILE_NAME)
        .follow_links(options.follow_links)
        .sort_by_file_name(|a, b| a.cmp(b));
    if !options.excludes.is_empty() {
        let mut overrides = OverrideBuilder::new(root);
        for glob in &options.excludes {
            // In an override, `!glob` excludes what matches and leaves everything else alone.
            if let Err(err) = overrides.add(&format!("!{glob}")) {
                problems.push(WalkProblem {
                    path: PathBuf::from(glob),
                    message: format!("--exclude {glob:?}: {err}"),
                });
            }
        }
        match overrides.build() {
            Ok(overrides) => {
                builder.overrides(overrides);
            }
            Err(err) => problems.push(WalkProblem {
                path: root.to_path_buf(),
                message: format!("--exclude: {err}"),
            }),
        }
    }
    // Files reached twice through links are read once.
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(WalkProblem {
                    path: error_path(&err).unwrap_or_else(|| root.to_path_buf()),
                    message: err.to_string(),
                });
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_symlink() {
            // Only reached when links are not followed.
            walked.links_skipped += 1;
            continue;
        }
        if !file_type.is_file() {
            continue;
        }
        if options.follow_links || entry.path_is_symlink() {
            let canonical = entry
                .path()
                .canonicalize()
                .unwrap_or_else(|_| entry.path().to_path_buf());
            if !seen.insert(canonical) {
                continue;
            }
        }
        let relative_path = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let relative = if relative_path.as_os_str().is_empty() {
            entry.file_name().to_string_lossy().into_owned()
        } else {
            relative_path
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        if entry.depth() == 1 && is_root_document(&entry.file_name().to_string_lossy()) {
            walked.root_documents.push(relative);
            continue;
        }
        let top_folder = relative_path
            .components()
            .next()
            .filter(|_| relative_path.components().count() > 1)
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        walked.files.push(FoundFile {
            path: entry.path().to_path_buf(),
            relative,
            top_folder,
        });
    }
    walked
}

/// The path an error of the walk is about, when it names one.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_documentation_is_recognised_by_name() {
        for name in [
            "README",
            "README.md",
            "readme.txt",
            "UPSTREAM_README.md",
            "LICENSE",
            "LICENSE-MIT.txt",
            "COPYING",
            "CHANGELOG.md",
        ] {
            assert!(is_root_document(name), "{name}");
        }
        for name in [
            "BB-culture-37-20180220.txt",
            "saudinewsnet.jsonl",
            "licensed-content.txt",
        ] {
            assert!(!is_root_document(name), "{name}");
        }
    }
}
