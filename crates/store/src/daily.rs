//! The daily automatic backup, kept for a week, and restoring a backup into the store that is
//! open (the app's session keeps using the same `Store`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::Result;
use crate::store::Store;

/// How many daily backups are kept.
pub const DAILY_KEPT: usize = 7;

const PREFIX: &str = "daily-";
const SUFFIX: &str = ".shebao-backup";

/// One automatic backup in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyBackup {
    pub day: NaiveDate,
    pub path: PathBuf,
    pub bytes: u64,
}

/// The automatic backups in `dir`, newest first.
pub fn daily_backups(dir: &Path) -> Vec<DailyBackup> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<DailyBackup> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let day = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
            Some(DailyBackup {
                day: NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?,
                bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
                path: e.path(),
            })
        })
        .collect();
    found.sort_by_key(|b| std::cmp::Reverse(b.day));
    found
}

impl Store {
    /// Back up to `dir` unless today's backup is there, and delete all but the newest
    /// [`DAILY_KEPT`]. Returns the backup made, if one was.
    pub fn daily_backup(&self, dir: &Path, today: NaiveDate) -> Result<Option<PathBuf>> {
        let path = dir.join(format!("{PREFIX}{}{SUFFIX}", today.format("%Y-%m-%d")));
        let made = if path.exists() {
            None
        } else {
            std::fs::create_dir_all(dir).map_err(|source| crate::StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
            self.backup_to(&path)?;
            Some(path)
        };
        for old in daily_backups(dir).into_iter().skip(DAILY_KEPT) {
            if let Err(e) = std::fs::remove_file(&old.path) {
                tracing::warn!(error = %e, "an old daily backup cannot be deleted");
            }
        }
        Ok(made)
    }

    /// Replace this store's data with the backup `from` and keep using it. The current file is
    /// kept beside it as `store.db.replaced`. If the backup cannot be used, the store is
    /// reopened as it was and the error says why.
    pub fn replace_from_backup(&mut self, from: &Path) -> Result<()> {
        let (path, unit, key) = (
            self.path().to_path_buf(),
            self.unit_no().to_owned(),
            self.key().clone(),
        );
        // The file must be closed before it is moved aside (Windows refuses otherwise).
        self.conn = rusqlite::Connection::open_in_memory()?;
        match Store::restore(&path, &unit, key.clone(), from) {
            Ok(restored) => {
                *self = restored;
                Ok(())
            }
            Err(e) => {
                *self = Store::open(&path, &unit, key)?;
                Err(e)
            }
        }
    }
}
