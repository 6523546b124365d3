//! Files and folders only their owner can read: the store, its lock and journal, backups.
//! They are created with their final mode (0600 files, 0700 folders on Unix), never made first
//! and narrowed afterwards. SQLite gives the database's journal files the mode of the database.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Create `dir` and its missing parents, each readable by its owner only.
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Open `path` for writing, creating it readable by its owner only; `truncate` empties it.
pub(crate) fn create_private_file(path: &Path, truncate: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options
        .read(true)
        .write(true)
        .create(true)
        .truncate(truncate);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// `path` with `suffix` appended to its file name (`store.db` → `store.db.lock`).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn files_and_folders_are_born_private() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("units").join("1001");
        create_private_dir(&folder).unwrap();
        let file = folder.join("store.db");
        drop(create_private_file(&file, true).unwrap());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&dir.path().join("units")), 0o700);
        assert_eq!(mode(&file), 0o600);
    }
}
