//! What an indexing run has to do, decided before any file is read: which files to read, which
//! are unchanged, which are gone. A pure function of the run's options, the listing of the files
//! found (paths, sizes and modification times, as the walk gathered them) and the manifest, so
//! it is tested without touching the disk.

use std::collections::HashSet;
use std::path::PathBuf;

use super::manifest::{self, Manifest};
use crate::ingest::walk;

/// A file found by the walk, with the key and collection it is indexed under.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub key: String,
    pub found: walk::FoundFile,
    pub collection: String,
    /// The name of the folder the file was found under (qualifies ids that would collide).
    pub root_name: String,
    pub size: u64,
    pub modified_ns: i128,
}

/// The files under the run's roots, as found on disk.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// The roots of the run, canonical.
    pub roots: Vec<PathBuf>,
    /// Every file found, once, in walk order.
    pub files: Vec<Candidate>,
    /// Keys of files found whose size and modification time could not be read: skipped this
    /// run, but still there (their passages stay).
    pub unreadable: Vec<String>,
}

/// What a run has to do.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Files to open (new, or changed by size or modification time), in walk order.
    pub to_read: Vec<Candidate>,
    /// Files whose size and modification time match the manifest: not even opened.
    pub unchanged: u64,
    /// Manifest keys of files under this run's roots that are gone.
    pub removed: Vec<String>,
}

/// The plan for `listing` against `manifest`. With `rebuild` the index has just been emptied:
/// every file is read and nothing is left to remove, whatever the manifest says.
pub(crate) fn plan(listing: Listing, manifest: &Manifest, rebuild: bool) -> Plan {
    let indexed = |candidate: &Candidate| {
        !rebuild
            && manifest.files.get(&candidate.key).is_some_and(|record| {
                record.size == candidate.size && record.modified_ns == candidate.modified_ns
            })
    };
    let (unchanged, to_read): (Vec<Candidate>, Vec<Candidate>) =
        listing.files.into_iter().partition(|c| indexed(c));
    let found: HashSet<&str> = unchanged
        .iter()
        .chain(&to_read)
        .map(|c| c.key.as_str())
        .chain(listing.unreadable.iter().map(String::as_str))
        .collect();
    let under_a_root = |key: &str| {
        manifest::key_path(key)
            .is_some_and(|path| listing.roots.iter().any(|root| path.starts_with(root)))
    };
    let removed = if rebuild {
        Vec::new()
    } else {
        manifest
            .files
            .keys()
            .filter(|key| !found.contains(key.as_str()) && under_a_root(key))
            .cloned()
            .collect()
    };
    Plan {
        to_read,
        unchanged: unchanged.len() as u64,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::manifest::{FileRecord, IndexSettings};

    fn candidate(path: &str, size: u64, modified_ns: i128) -> Candidate {
        let path = PathBuf::from(path);
        Candidate {
            key: manifest::file_key(&path),
            found: walk::FoundFile {
                relative: path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
                top_folder: None,
            },
            collection: "news".to_owned(),
            root_name: "news".to_owned(),
            size,
            modified_ns,
        }
    }

    fn manifest(files: &[(&str, u64, i128)]) -> Manifest {
        let mut manifest = Manifest::new(IndexSettings::default());
        for &(path, size, modified_ns) in files {
            manifest.files.insert(
                path.to_owned(),
                FileRecord {
                    size,
                    modified_ns,
                    hash: 1,
                    ..FileRecord::sample(path.rsplit('/').next().unwrap(), "news")
                },
            );
        }
        manifest
    }

    fn listing(files: Vec<Candidate>) -> Listing {
        Listing {
            roots: vec![PathBuf::from("/news")],
            files,
            unreadable: Vec::new(),
        }
    }

    fn keys(candidates: &[Candidate]) -> Vec<&str> {
        candidates.iter().map(|c| c.key.as_str()).collect()
    }

    #[test]
    fn a_new_index_reads_everything() {
        let files = vec![
            candidate("/news/b.txt", 10, 1),
            candidate("/news/a.txt", 20, 2),
        ];
        let plan = plan(listing(files), &manifest(&[]), false);
        assert_eq!(keys(&plan.to_read), ["/news/b.txt", "/news/a.txt"]);
        assert_eq!(plan.unchanged, 0);
        assert!(plan.removed.is_empty());
    }

    #[test]
    fn new_and_changed_files_are_read_unchanged_ones_are_not() {
        let indexed = manifest(&[
            ("/news/same.txt", 10, 1),
            ("/news/longer.txt", 10, 1),
            ("/news/touched.txt", 10, 1),
        ]);
        let files = vec![
            candidate("/news/same.txt", 10, 1),
            candidate("/news/longer.txt", 11, 1),
            candidate("/news/touched.txt", 10, 2),
            candidate("/news/new.txt", 5, 1),
        ];
        let plan = plan(listing(files), &indexed, false);
        // A touched file is read: its hash decides whether its content changed.
        assert_eq!(
            keys(&plan.to_read),
            ["/news/longer.txt", "/news/touched.txt", "/news/new.txt"]
        );
        assert_eq!(plan.unchanged, 1);
        assert!(plan.removed.is_empty());
    }

    #[test]
    fn files_gone_from_a_root_of_this_run_are_removed_others_stay() {
        let indexed = manifest(&[
            ("/news/kept.txt", 10, 1),
            ("/news/gone.txt", 10, 1),
            ("/news/sub/gone too.txt", 10, 1),
            ("/newsletter/other root.txt", 10, 1),
            ("/archive/other root.txt", 10, 1),
            ("/news/unreadable.txt", 10, 1),
        ]);
        let mut listing = listing(vec![candidate("/news/kept.txt", 10, 1)]);
        listing.unreadable.push("/news/unreadable.txt".to_owned());
        let plan = plan(listing, &indexed, false);
        assert!(plan.to_read.is_empty());
        assert_eq!(plan.unchanged, 1);
        // Removed files are listed in key order; a file found but unreadable is not removed.
        assert_eq!(plan.removed, ["/news/gone.txt", "/news/sub/gone too.txt"]);
    }

    #[test]
    fn a_rebuild_reads_everything_and_removes_nothing() {
        let indexed = manifest(&[("/news/same.txt", 10, 1), ("/news/gone.txt", 10, 1)]);
        let files = vec![candidate("/news/same.txt", 10, 1)];
        let plan = plan(listing(files), &indexed, true);
        assert_eq!(keys(&plan.to_read), ["/news/same.txt"]);
        assert_eq!(plan.unchanged, 0);
        assert!(plan.removed.is_empty());
    }
}
