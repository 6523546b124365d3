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

    /// The OS keyring answered but is locked: the clerk must unlock it; no fallback is taken.
    #[error(
        "The OS keyring that holds the local store's key is locked ({reason}). Unlock your \
         keyring (log in to the desktop, or unlock the \"Login\" keyring in Passwords and Keys) \
         and try again."
    )]
    KeyringLocked {
        /// What the keyring said.
        reason: String,
    },

    /// The unit's store exists but the keyring no longer holds its key.
    #[error(
        "The key of unit {unit_no}'s local store ({path}) is no longer in the OS keyring: this \
         happens on a new computer, a new Windows profile or after the keyring was reset. The \
         store cannot be read without it. Either restore a backup with `shebao restore FILE` \
         (it asks for the backup password), or start a fresh store with `shebao fresh-store`: \
         drafts not yet submitted are then lost, while everything submitted comes back from the \
         agency at the next sync. The old file is kept aside, never deleted."
    )]
    KeyLost {
        /// The unit.
        unit_no: String,
        /// The store that can no longer be read.
        path: PathBuf,
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

    /// A backup made elsewhere (another computer, or before the keyring was reset) needs the
    /// backup password or the recovery code.
    #[error(
        "The backup {path} was made with another key than this computer's: give its backup \
         password (or the recovery code shown when the password was set)."
    )]
    BackupPasswordNeeded {
        /// The backup file.
        path: PathBuf,
    },

    /// The backup password or recovery code given does not open the backup.
    #[error(
        "The backup password (or recovery code) does not open the backup {path}. Nothing was \
         changed. Type the password that was set when this backup was made."
    )]
    WrongBackupPassword {
        /// The backup file.
        path: PathBuf,
    },

    /// The backup file is damaged (cut short, changed on disk, or not a backup at all).
    #[error(
        "The backup {path} is damaged ({detail}). Nothing was changed. Use another backup: the \
         daily ones are kept for a week."
    )]
    BackupDamaged {
        /// The backup file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },

    /// A backup password that is too easy to guess.
    #[error("The backup password is too short: use at least {min} characters.")]
    BackupPasswordTooShort {
        /// The least length accepted.
        min: usize,
    },

    /// The store is open in another shebao process, so it cannot be replaced now.
    #[error(
        "The local store {path} is open in another shebao window or command. Close it, then try \
         again."
    )]
    InUse {
        /// The database file.
        path: PathBuf,
    },

    /// A fresh store was asked for although the current one opens with its key.
    #[error(
        "The local store {path} opens with its key: there is nothing to recover, and it was left \
         as it is."
    )]
    NothingToRecover {
        /// The database file.
        path: PathBuf,
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
