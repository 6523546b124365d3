//! The store's lock between processes. Every process that has a unit's store open (the
//! window, a `shebao` command) holds it shared for as long as it is open; replacing the store's
//! file (a restore, a fresh start) needs it alone, so a running window never has its database
//! or its write-ahead log swapped away underneath it.
//!
//! The lock is an advisory lock on `store.db.lock` beside the database; the operating system
//! releases it when the holder exits, however it exits.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fs4::fs_std::FileExt;

use crate::error::{Result, StoreError};
use crate::private::{create_private_file, with_suffix};

/// How long an opening waits for a restore in another process to finish.
const WAIT_FOR_RESTORE: Duration = Duration::from_secs(30);

/// A held lock on one store.
#[derive(Debug)]
pub(crate) struct StoreLock {
    file: File,
    store: PathBuf,
}

impl StoreLock {
    /// Hold the lock together with other openers of `store`, waiting while a restore runs.
    pub(crate) fn shared(store: &Path) -> Result<Self> {
        let lock = Self::file(store)?;
        lock.wait_shared()?;
        Ok(lock)
    }

    /// Hold the lock alone, or say that another process has the store open.
    pub(crate) fn exclusive(store: &Path) -> Result<Self> {
        let lock = Self::file(store)?;
        // Fully qualified: std's `File` has inherent locking methods of the same names.
        if FileExt::try_lock_exclusive(&lock.file).map_err(|e| lock.failed(e))? {
            Ok(lock)
        } else {
            Err(lock.in_use())
        }
    }

    /// From shared to alone (this process must have closed its own connection first); if
    /// another process has the store open, back to shared and [`StoreError::InUse`].
    pub(crate) fn make_exclusive(&self) -> Result<()> {
        FileExt::unlock(&self.file).map_err(|e| self.failed(e))?;
        if FileExt::try_lock_exclusive(&self.file).map_err(|e| self.failed(e))? {
            return Ok(());
        }
        self.wait_shared()?;
        Err(self.in_use())
    }

    /// From alone back to shared, once the store's file is in place again.
    pub(crate) fn make_shared(&self) -> Result<()> {
        FileExt::unlock(&self.file).map_err(|e| self.failed(e))?;
        self.wait_shared()
    }

    /// Take the lock shared, waiting a bounded time for a restore elsewhere to finish.
    fn wait_shared(&self) -> Result<()> {
        let deadline = Instant::now() + WAIT_FOR_RESTORE;
        loop {
            if FileExt::try_lock_shared(&self.file).map_err(|e| self.failed(e))? {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(self.in_use());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn file(store: &Path) -> Result<Self> {
        let path = with_suffix(store, ".lock");
        let file = create_private_file(&path, false).map_err(|source| StoreError::Folder {
            path: path.clone(),
            source,
        })?;
        Ok(Self {
            file,
            store: store.to_path_buf(),
        })
    }

    fn in_use(&self) -> StoreError {
        StoreError::InUse {
            path: self.store.clone(),
        }
    }

    fn failed(&self, source: std::io::Error) -> StoreError {
        StoreError::Folder {
            path: with_suffix(&self.store, ".lock"),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers_share_the_lock_and_a_restore_needs_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store.db");
        let window = StoreLock::shared(&store).unwrap();
        let command = StoreLock::shared(&store).unwrap();
        assert!(matches!(
            StoreLock::exclusive(&store),
            Err(StoreError::InUse { .. })
        ));
        drop(command);
        // Only the window holds it now: it may have it alone, and others may not.
        window.make_exclusive().unwrap();
        assert!(matches!(
            StoreLock::exclusive(&store),
            Err(StoreError::InUse { .. })
        ));
        window.make_shared().unwrap();
        drop(window);
        let restore = StoreLock::exclusive(&store).unwrap();
        restore.make_shared().unwrap();
        StoreLock::shared(&store).unwrap();
    }
}
