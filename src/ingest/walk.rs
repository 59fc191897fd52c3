//! Walking the folders to index: stable order, no hidden files, no symlink loops.

use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

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

/// Something the walk could not read (a folder without permission, a broken link).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

fn is_hidden(entry: &DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with('.'))
}

/// All regular files under `root` (or `root` itself when it is a file), sorted by name.
/// Symbolic links are followed; walkdir detects and reports loops.
pub fn walk(root: &Path, problems: &mut Vec<WalkProblem>) -> Vec<FoundFile> {
    let mut files = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
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
                let top_folder = relative_path
                    .components()
                    .next()
                    .filter(|_| relative_path.components().count() > 1)
                    .map(|c| c.as_os_str().to_string_lossy().into_owned());
                files.push(FoundFile {
                    path: entry.path().to_path_buf(),
                    relative,
                    top_folder,
                });
            }
            Ok(_) => {}
            Err(err) => problems.push(WalkProblem {
                path: err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf()),
                message: err.to_string(),
            }),
        }
    }
    files
}
