//! Where each unit's store lives on disk.

use std::path::{Path, PathBuf};

use crate::error::{Result, StoreError};

/// The folder that holds every unit's store on this PC (one database per unit, so several
/// units can share a PC and the inserted UKey picks the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The platform's data folder for the app (`~/.local/share/shebao` on Linux,
    /// `%APPDATA%\shebao\shebao\data` on Windows).
    pub fn platform() -> Result<Self> {
        let dirs =
            directories::ProjectDirs::from("", "shebao", "shebao").ok_or(StoreError::NoDataDir)?;
        Ok(Self {
            root: dirs.data_dir().to_path_buf(),
        })
    }

    /// An explicit folder (`--data-dir`).
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of one unit: its database, lock file and captcha images.
    pub fn unit_dir(&self, unit_no: &str) -> Result<PathBuf> {
        // The unit number becomes a folder name, so it must not be able to climb out.
        let plausible = !unit_no.is_empty()
            && unit_no.len() <= 32
            && unit_no
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plausible {
            return Err(StoreError::NotFound {
                what: format!("A unit numbered {unit_no:?} (a unit number is letters and digits)"),
            });
        }
        Ok(self.root.join("units").join(unit_no))
    }

    /// The database file of one unit.
    pub fn unit_store(&self, unit_no: &str) -> Result<PathBuf> {
        Ok(self.unit_dir(unit_no)?.join("store.db"))
    }

    /// The folder of one unit's daily automatic backups.
    pub fn unit_backups(&self, unit_no: &str) -> Result<PathBuf> {
        self.unit_dir(unit_no)?;
        Ok(self.root.join("backups").join(unit_no))
    }
}

/// The current month as YYYY-MM, the default period of new drafts.
pub fn this_month() -> String {
    chrono::Local::now().format("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit_has_its_own_file_and_no_unit_number_escapes_the_folder() {
        let data = DataDir::at("/tmp/x");
        assert_eq!(
            data.unit_store("1001").unwrap(),
            Path::new("/tmp/x/units/1001/store.db")
        );
        assert!(data.unit_store("../etc").is_err());
        assert!(data.unit_store("").is_err());
    }
}
