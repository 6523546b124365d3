//! Online backup to a file and restore from one.
//!
//! A backup is a complete SQLCipher database encrypted with the same key as the store, so it
//! opens only with that key: the keyring entry of this PC (or the same passphrase). It is
//! written to a temporary name and renamed, so a half-written backup never replaces a good one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;

use crate::error::{Result, StoreError};
use crate::key::StoreKey;
use crate::store::{Store, check_integrity, open_keyed};

impl Store {
    /// Copy the whole store to `to` while it stays in use.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        let failed = |reason: String| StoreError::Backup {
            path: to.to_path_buf(),
            reason,
        };
        let partial = with_suffix(to, "partial");
        let _ = std::fs::remove_file(&partial);
        {
            let mut dst = open_keyed(&partial, self.key())?;
            Backup::new(&self.conn, &mut dst)?
                .run_to_completion(1024, Duration::ZERO, None)
                .map_err(|e| failed(e.to_string()))?;
            check_integrity(&dst, &partial)?;
        }
        std::fs::rename(&partial, to).map_err(|e| failed(e.to_string()))?;
        tracing::info!(path = %to.display(), "store backed up");
        Ok(())
    }

    /// Replace the store at `path` (damaged or not) with the backup `from`, then open it.
    /// The file it replaces is kept beside it as `store.db.replaced` for support.
    pub fn restore(path: &Path, unit_no: &str, key: StoreKey, from: &Path) -> Result<Store> {
        let refuse = |reason: String| StoreError::Backup {
            path: from.to_path_buf(),
            reason,
        };
        if !from.is_file() {
            return Err(refuse("the file does not exist".into()));
        }
        {
            let src = open_keyed(from, &key).map_err(|e| match e {
                StoreError::WrongKey { .. } => refuse(
                    "it is not a backup of this unit's store, or was made with another key".into(),
                ),
                other => refuse(other.to_string()),
            })?;
            check_integrity(&src, from).map_err(|e| refuse(e.to_string()))?;
            let partial = with_suffix(path, "restoring");
            let _ = std::fs::remove_file(&partial);
            let mut dst = open_keyed(&partial, &key)?;
            Backup::new(&src, &mut dst)?
                .run_to_completion(1024, Duration::ZERO, None)
                .map_err(|e| refuse(e.to_string()))?;
            drop(dst);
            if path.exists() {
                std::fs::rename(path, with_suffix(path, "replaced"))
                    .map_err(|e| refuse(format!("the current store cannot be moved aside: {e}")))?;
            }
            for stale in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(with_suffix_raw(path, stale));
            }
            std::fs::rename(&partial, path).map_err(|e| refuse(e.to_string()))?;
        }
        tracing::info!(path = %path.display(), "store restored from a backup");
        Store::open(path, unit_no, key)
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    with_suffix_raw(path, &format!(".{suffix}"))
}

fn with_suffix_raw(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
