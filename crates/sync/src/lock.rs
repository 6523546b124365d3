//! One sync at a time per unit, across processes (the GUI and a scheduled `shebao sync`).

use std::fs::{File, OpenOptions};
use std::path::Path;

use fs4::fs_std::FileExt;

use crate::error::{Result, SyncError};

/// Held while a sync runs; the operating system releases it when the holder exits, however
/// it exits, so a killed process never leaves a stale lock.
#[derive(Debug)]
pub struct SyncLock {
    _file: File,
}

impl SyncLock {
    /// Take the lock of the unit whose folder is `unit_dir`, or say that another process has it.
    pub fn acquire(unit_dir: &Path) -> Result<Self> {
        let path = unit_dir.join("sync.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                SyncError::Setup(format!(
                    "the lock file {} cannot be opened: {e}",
                    path.display()
                ))
            })?;
        match file.try_lock_exclusive() {
            Ok(true) => Ok(Self { _file: file }),
            Ok(false) => Err(SyncError::SyncInProgress),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Err(SyncError::SyncInProgress),
            Err(e) => Err(SyncError::Setup(format!(
                "the lock file {} cannot be locked: {e}",
                path.display()
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_sync_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = SyncLock::acquire(dir.path()).unwrap();
        assert!(matches!(
            SyncLock::acquire(dir.path()),
            Err(SyncError::SyncInProgress)
        ));
        drop(first);
        SyncLock::acquire(dir.path()).unwrap();
    }
}
