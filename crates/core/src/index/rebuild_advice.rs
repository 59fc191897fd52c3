//! What to tell a user whose index this build of fahras cannot read: the commands that rebuild
//! it as it was built (settings, folders or files, collections, read from its manifest), and
//! what a rebuild keeps.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{manifest, IndexSettings, Manifest, DEFAULT_INDEX_DIR};

/// How to rebuild the index in `dir`, whose last commit is `payload`: the commands, with the
/// settings it was built with (a rebuild takes the defaults otherwise) and, when its manifest
/// can say, the folders or files it was built from and their collections, and what a rebuild
/// keeps.
pub(super) fn for_index(dir: &Path, payload: &str, settings: &IndexSettings) -> String {
    let index_flag = if dir == Path::new(DEFAULT_INDEX_DIR) {
        String::new()
    } else {
        format!(" --index {}", shell_word(&dir.display().to_string()))
    };
    let mut flags = index_flag.clone();
    let defaults = IndexSettings::default();
    if settings.stemmer != defaults.stemmer {
        flags.push_str(&format!(" --stemmer {}", settings.stemmer));
    }
    if settings.passage_min_words != defaults.passage_min_words {
        flags.push_str(&format!(" --passage-min {}", settings.passage_min_words));
    }
    if settings.passage_max_words != defaults.passage_max_words {
        flags.push_str(&format!(" --passage-max {}", settings.passage_max_words));
    }
    // What the index does not record, the user must give again.
    let mut after = "add any --json-field, --exclude or --follow-links it was built with, which \
                     the index does not record; its collections and saved searches are kept"
        .to_owned();
    if crate::semantic::store::folder(dir).is_dir() {
        after.push_str(&format!(
            ", and so are its passage vectors: `fahras embed{index_flag}` afterwards puts them \
             back without encoding any again"
        ));
    }
    let roots = Manifest::load(dir, payload)
        .map(|manifest| roots_by_collection(&manifest))
        .unwrap_or_default();
    let root_count: usize = roots.values().map(BTreeSet::len).sum();
    if root_count == 0 || root_count > MAX_ROOTS_ADVISED {
        return format!(
            "rebuild it from the folders it was built from: `fahras index --rebuild{flags} \
             FOLDER...` ({after})"
        );
    }
    // Files named alone first: one filed under its own collection inside a folder of another
    // stays in its own only if it is indexed before the folder (the folder's run then finds it
    // unchanged).
    let mut groups: Vec<(&String, &BTreeSet<PathBuf>)> = roots.iter().collect();
    groups.sort_by_key(|(_, roots)| roots.iter().any(|root| root.is_dir()));
    let commands: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(n, (collection, roots))| {
            let rebuild = if n == 0 { " --rebuild" } else { "" };
            let named_by_root = roots
                .iter()
                .all(|root| root.file_name().is_some_and(|name| *name == ***collection));
            let collection_flag = if named_by_root {
                String::new()
            } else {
                format!(" --collection {}", shell_word(collection))
            };
            let paths: Vec<String> = roots
                .iter()
                .map(|p| shell_word(&p.display().to_string()))
                .collect();
            format!(
                "`fahras index{rebuild}{flags}{collection_flag} {}`",
                paths.join(" ")
            )
        })
        .collect();
    format!(
        "rebuild it from what it was built from: {} ({after})",
        commands.join(", then ")
    )
}

/// A rebuild is advised by its folders up to this many; past it, in general terms.
const MAX_ROOTS_ADVISED: usize = 6;

/// The folders (or files) an index was built from, by collection: each file's path without
/// the part relative to its root. A file named on the command line has its own name as its
/// relative path, as a file at the top of a folder does; it is taken for a folder's only when
/// another file of its collection is in that folder or the folder bears the collection's name.
fn roots_by_collection(manifest: &Manifest) -> BTreeMap<String, BTreeSet<PathBuf>> {
    // Each file with the folder its relative path starts from, and how many files of each
    // collection start from each folder (counted once, not file against file).
    let files: Vec<(PathBuf, PathBuf, &manifest::FileRecord)> = manifest
        .files
        .iter()
        .filter_map(|(key, record)| {
            let path = manifest::key_path(key)?;
            let folder = path
                .ancestors()
                .nth(record.relative.split('/').count())?
                .to_path_buf();
            Some((path, folder, record))
        })
        .collect();
    let mut per_folder: BTreeMap<(&str, &Path), usize> = BTreeMap::new();
    for (_, folder, record) in &files {
        *per_folder
            .entry((record.collection.as_str(), folder.as_path()))
            .or_default() += 1;
    }
    let mut roots: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
    for (path, folder, record) in &files {
        let named_alone = !record.relative.contains('/')
            && per_folder[&(record.collection.as_str(), folder.as_path())] == 1
            && folder
                .file_name()
                .is_none_or(|name| *name != *record.collection);
        let root = if named_alone { path } else { folder };
        roots
            .entry(record.collection.clone())
            .or_default()
            .insert(root.clone());
    }
    roots
}

/// `word` as one word of a shell command: quoted when it holds a space or a quote.
fn shell_word(word: &str) -> String {
    if word
        .chars()
        .all(|c| !c.is_whitespace() && !matches!(c, '\'' | '"' | '\\' | '$' | '`'))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_of(files: &[(&str, &str, &str)]) -> Manifest {
        let mut manifest = Manifest::new(IndexSettings::default());
        for (path, relative, collection) in files {
            manifest.files.insert(
                (*path).to_owned(),
                manifest::FileRecord::sample(relative, collection),
            );
        }
        manifest
    }

    #[test]
    fn the_roots_of_an_index_are_its_folders_or_the_files_named_alone() {
        let manifest = manifest_of(&[
            // A folder, files at its top and below.
            ("/news/ant/a.txt", "a.txt", "ant"),
            ("/news/ant/bbc/b.txt", "bbc/b.txt", "ant"),
            // A file named on the command line: its relative path is its name.
            ("/data/passages.tsv", "passages.tsv", "passages.tsv"),
            // A folder's only file, its collection named otherwise: named alone.
            ("/news/b/c.txt", "c.txt", "extra"),
            // A folder's only file, the collection named after the folder: the folder.
            ("/news/cnn/d.txt", "d.txt", "cnn"),
        ]);
        let roots = roots_by_collection(&manifest);
        let list = |name: &str| -> Vec<PathBuf> { roots[name].iter().cloned().collect() };
        assert_eq!(list("ant"), [PathBuf::from("/news/ant")]);
        assert_eq!(list("passages.tsv"), [PathBuf::from("/data/passages.tsv")]);
        assert_eq!(list("extra"), [PathBuf::from("/news/b/c.txt")]);
        assert_eq!(list("cnn"), [PathBuf::from("/news/cnn")]);
    }

    #[test]
    fn a_path_with_a_space_or_a_quote_is_quoted_for_the_shell() {
        assert_eq!(shell_word("/news/ant"), "/news/ant");
        assert_eq!(shell_word("my news"), "'my news'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
