//! The daily automatic backup, kept for a week in the unit's backup folder
//! ([`DataDir::unit_backups`](crate::DataDir::unit_backups)). It is a backup like any other:
//! after the backup password is set, it too restores on a new computer.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::Result;
use crate::private::create_private_dir;
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
            create_private_dir(dir).map_err(|source| crate::StoreError::Folder {
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
}
