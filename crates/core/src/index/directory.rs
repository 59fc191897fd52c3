//! The index folder as tantivy sees it: a memory-mapped directory that can also be searched when
//! it cannot be written (a read-only mount, another user's archive).
//!
//! tantivy takes a "meta lock" (creating `.tantivy-meta.lock`) each time a reader loads a commit,
//! so that a writer's garbage collection in the same folder does not delete files under it. In a
//! folder where no file can be created there is no writer to guard against, so that lock is
//! skipped there; the writer lock never is (a writer in a read-only folder fails, and says why).

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};

/// A directory that searches without the meta lock where the lock file cannot be created.
#[derive(Clone, Debug)]
pub struct IndexDirectory<D: Directory + Clone = MmapDirectory> {
    inner: D,
}

impl IndexDirectory<MmapDirectory> {
    pub fn open(dir: &Path) -> crate::Result<Self> {
        let inner = MmapDirectory::open(dir).map_err(|e| crate::Error::unusable_folder(dir, e))?;
        Ok(IndexDirectory { inner })
    }
}

impl<D: Directory + Clone> IndexDirectory<D> {
    pub fn new(inner: D) -> Self {
        IndexDirectory { inner }
    }
}

/// Whether a lock failed because the folder cannot be written.
fn is_unwritable(error: &LockError) -> bool {
    match error {
        LockError::IoError(error) => matches!(
            error.kind(),
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
        ),
        LockError::LockBusy => false,
    }
}

impl<D: Directory + Clone> Directory for IndexDirectory<D> {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(error) if lock.filepath == META_LOCK.filepath && is_unwritable(&error) => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::directory::{RamDirectory, INDEX_WRITER_LOCK};

    /// A directory whose lock files cannot be created, like a read-only mount.
    #[derive(Clone, Debug, Default)]
    struct Unwritable(RamDirectory);

    impl Directory for Unwritable {
        fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
            self.0.get_file_handle(path)
        }
        fn delete(&self, path: &Path) -> Result<(), DeleteError> {
            self.0.delete(path)
        }
        fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
            self.0.exists(path)
        }
        fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
            self.0.open_write(path)
        }
        fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
            self.0.atomic_read(path)
        }
        fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
            self.0.atomic_write(path, data)
        }
        fn sync_directory(&self) -> io::Result<()> {
            Ok(())
        }
        fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
            Err(LockError::IoError(Arc::new(io::Error::from(
                io::ErrorKind::ReadOnlyFilesystem,
            ))))
        }
        fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
            self.0.watch(watch_callback)
        }
    }

    #[test]
    fn a_read_only_folder_is_searched_without_the_meta_lock_but_never_written() {
        let mut schema = tantivy::schema::Schema::builder();
        let text = schema.add_text_field("text", tantivy::schema::TEXT);
        let ram = Unwritable::default();
        // Build an index in the same storage while it is still writable.
        {
            let index = tantivy::Index::create(
                ram.0.clone(),
                schema.build(),
                tantivy::IndexSettings::default(),
            )
            .unwrap();
            let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
            writer.add_document(tantivy::doc!(text => "جنيف")).unwrap();
            writer.commit().unwrap();
        }
        let directory = IndexDirectory::new(ram.clone());
        assert!(directory.acquire_lock(&META_LOCK).is_ok());
        assert!(directory.acquire_lock(&INDEX_WRITER_LOCK).is_err());
        // Without the wrapper, opening a reader fails on the meta lock; with it, it searches.
        let bare = tantivy::Index::open(ram).unwrap();
        assert!(bare.reader().is_err());
        let index = tantivy::Index::open(directory).unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs(), 1);
        assert!(index
            .writer::<tantivy::TantivyDocument>(15_000_000)
            .is_err());
    }
}
