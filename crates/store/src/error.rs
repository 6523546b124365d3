//! The store's errors, each worded so the clerk (or support staff) knows what to do next.

use std::path::PathBuf;

/// What can go wrong with the local store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Neither the OS keyring nor a passphrase could supply the database key.
    #[error(
        "The local store is encrypted, but no key is available: the OS keyring could not be \
         reached ({reason}) and SHEBAO_STORE_PASSPHRASE is not set. Start the keyring service or \
         set SHEBAO_STORE_PASSPHRASE to the passphrase this store was created with."
    )]
    NoKey {
        /// Why the keyring could not be used.
        reason: String,
    },

    /// The key opened nothing: wrong passphrase, another machine's keyring, or not a store at all.
    #[error(
        "The local store at {path} cannot be read with this key: it was created with another key \
         (another passphrase or another computer's keyring) or is not a shebao store. Use the \
         passphrase it was created with, or restore a backup with `shebao restore FILE`."
    )]
    WrongKey {
        /// The database file.
        path: PathBuf,
    },

    /// The database file is damaged (integrity check failed).
    #[error(
        "The local store at {path} is damaged ({detail}). Nothing more will be written to it. \
         Restore your latest backup with `shebao restore FILE`, or send the file to support."
    )]
    Damaged {
        /// The database file.
        path: PathBuf,
        /// The first lines that SQLite's integrity check reported.
        detail: String,
    },

    /// The database was written by a newer shebao than this one.
    #[error(
        "The local store at {path} was written by a newer version of shebao (schema {found}, \
         this version knows {known}). Install the newer version."
    )]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this build knows.
        known: i64,
    },

    /// The folder for the store could not be created or read.
    #[error("The folder {path} for the local store cannot be used: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },

    /// No data folder could be found for this user.
    #[error(
        "No data folder could be found for this user account; pass --data-dir FOLDER to say \
         where the local store lives."
    )]
    NoDataDir,

    /// A file to import could not be read or made sense of.
    #[error("The file {path} could not be imported: {reason}")]
    Import {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A backup file is missing, damaged or not a backup of this store.
    #[error("The backup {path} cannot be used: {reason}. Nothing was changed in the local store.")]
    Backup {
        /// The backup file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },

    /// The thing asked for is not in the store.
    #[error("{what} is not in the local store.")]
    NotFound {
        /// What was looked for, as a clerk would name it.
        what: String,
    },

    /// Some other SQLite failure (disk full, file locked by another program, …).
    #[error(
        "The local store could not be read or written: {0}. Check the disk has free space and that no other program holds the file, then try again."
    )]
    Sqlite(#[from] rusqlite::Error),

    /// A stored JSON value does not parse; only a bug or a hand-edited file causes this.
    #[error(
        "A record in the local store is not valid JSON ({0}); restore a backup or contact support."
    )]
    Json(#[from] serde_json::Error),

    /// Schema migration failed.
    #[error(
        "The local store could not be brought up to date ({0}); your data is unchanged. Contact support."
    )]
    Migration(#[from] rusqlite_migration::Error),
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
