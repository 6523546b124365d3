//! The agency's storage: one interface, two backends.
//!
//! SQLite (one file in the data directory, the default) suits the demo, the tests and a small
//! office; PostgreSQL suits a city, where several `serve` processes share one database. Every
//! business rule (validation, the processing rules, the lockout and rate-limit policies, what
//! an idempotency key means) lives above this interface and is written once; each operation
//! here is one atomic step of the agency's work, so that what must happen together happens in
//! one transaction whichever backend runs it.
//!
//! Where a step needs a rule in the middle of its transaction (the lockout after a failed
//! login, the judging of a declaration's items) the rule is handed in as a value and the
//! backend calls it between its reads and its writes.

pub mod migrate;
pub mod postgres;
pub mod sqlite;
mod types;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use types::*;

use crate::auth::LockoutPolicy;
use crate::processing::{Judgement, ProcessError, Processed};

/// A storage failure; it carries no personal data, so it may be logged.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::PgError),
    #[error("cannot reach PostgreSQL: {0}")]
    Unreachable(String),
    #[error(
        "the database address {0:?} is not one this server knows: give postgres://… (or \
         postgresql://…), or leave it out for the SQLite file in the data directory"
    )]
    UnknownAddress(String),
    #[error("migration {version} ({name}) failed: {detail}")]
    Migration {
        version: i64,
        name: &'static str,
        detail: String,
    },
    #[error(
        "the database has schema version {found}, newer than this server's {known}: run a newer \
         shebao-agency"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("another server changed the same records at the same time; try again")]
    Conflict,
    #[error("a stored value is damaged: {0}")]
    Corrupt(String),
    #[error("a database task failed: {0}")]
    Task(String),
}

/// One step of a backend's schema history: applied once, in order, and recorded.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Where the agency keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `agency.sqlite3` in the data directory.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`postgres://user@host:port/db?…`), and how many
    /// connections this process may hold.
    Postgres { address: String, pool_size: usize },
}

/// The default number of PostgreSQL connections one server process holds.
pub const DEFAULT_POOL_SIZE: usize = 16;

impl Location {
    /// The location an operator names: `database` as given by `--database`, if any.
    pub fn from_options(
        data_dir: &Path,
        database: Option<&str>,
        pool_size: usize,
    ) -> Result<Location, StorageError> {
        match database.map(str::trim).filter(|d| !d.is_empty()) {
            None => Ok(Location::Sqlite(data_dir.to_path_buf())),
            Some(address)
                if address.starts_with("postgres://") || address.starts_with("postgresql://") =>
            {
                Ok(Location::Postgres {
                    address: address.to_owned(),
                    pool_size: pool_size.max(1),
                })
            }
            Some(other) => Err(StorageError::UnknownAddress(postgres::without_password(
                other,
            ))),
        }
    }
}

/// The storage of a running agency: cheap to clone, shared by every request.
#[derive(Clone)]
pub enum Storage {
    Sqlite(sqlite::SqliteStorage),
    Postgres(postgres::PgStorage),
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.backend_name())
    }
}

impl Storage {
    /// Opens (and on first use creates or migrates) the database at `location`.
    pub async fn open(location: &Location) -> Result<Storage, StorageError> {
        match location {
            Location::Sqlite(data_dir) => {
                let dir = data_dir.clone();
                let db = tokio::task::spawn_blocking(move || sqlite::Db::open(&dir))
                    .await
                    .map_err(|e| StorageError::Task(e.to_string()))??;
                Ok(Storage::Sqlite(sqlite::SqliteStorage::new(Arc::new(db))))
            }
            Location::Postgres { address, pool_size } => Ok(Storage::Postgres(
                postgres::PgStorage::connect(address, *pool_size).await?,
            )),
        }
    }

    /// "SQLite" or "PostgreSQL", for logs and reports.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Storage::Sqlite(_) => "SQLite",
            Storage::Postgres(_) => "PostgreSQL",
        }
    }
}

/// Declares the storage interface once: the [`Backend`] trait each backend implements, and the
/// same methods on [`Storage`], which hand each call to the backend in use.
macro_rules! storage_interface {
    ($(
        $(#[$doc:meta])*
        fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> Result<$ok:ty, $err:ty>;
    )*) => {
        /// What a storage backend provides; each method is one atomic step.
        pub trait Backend: Send + Sync {
            $(
                $(#[$doc])*
                fn $name(&self $(, $arg: $ty)*)
                    -> impl std::future::Future<Output = Result<$ok, $err>> + Send;
            )*
        }

        impl Storage {
            $(
                $(#[$doc])*
                pub async fn $name(&self $(, $arg: $ty)*) -> Result<$ok, $err> {
                    match self {
                        Storage::Sqlite(backend) => backend.$name($($arg),*).await,
                        Storage::Postgres(backend) => backend.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

storage_interface! {
    /// Opens a unit with an initial password; `None` if the unit number is taken.
    fn open_unit(&self, unit: NewUnit, now: i64) -> Result<Option<i64>, StorageError>;
    fn unit_by_number(&self, unit_no: String) -> Result<Option<Unit>, StorageError>;
    fn unit_by_id(&self, id: i64) -> Result<Option<Unit>, StorageError>;
    /// Every unit, by unit number.
    fn units(&self) -> Result<Vec<Unit>, StorageError>;
    /// Stores the password the unit chose and ends its sessions but `keep` (the one in use).
    fn change_password(&self, unit_id: i64, hash: String, keep: Vec<u8>) -> Result<(), StorageError>;
    /// An operator's reset: a new initial password, no lock, no failures, no sessions. False
    /// if there is no such unit.
    fn reset_password(&self, unit_no: String, hash: String) -> Result<bool, StorageError>;
    /// Registers a new card key for the unit (a token issued in place of its UKey) and ends its
    /// sessions, in one write.
    fn replace_card_key(&self, unit_id: i64, card_public_key: Vec<u8>, algorithm: CardKeyAlgorithm) -> Result<(), StorageError>;
    /// Records a failed login at `now` and, in the same write, locks the unit if `policy` says
    /// so. Concurrent failures of one unit, from any server, are counted one after the other.
    fn record_login_failure(&self, unit_id: i64, now: i64, policy: LockoutPolicy) -> Result<LoginFailures, StorageError>;

    /// Counts one login call for `key` (a client address or a unit number, under `scope`) in the
    /// window that starts at `window_start`, and answers the calls counted in it so far; older
    /// windows of the scope are forgotten.
    fn count_login_call(&self, scope: &'static str, key: String, window_start: i64) -> Result<u32, StorageError>;
    /// Stores a challenge (and forgets the expired ones).
    fn insert_challenge(&self, challenge: Challenge, now: i64) -> Result<(), StorageError>;
    /// Takes a challenge for use: answers it only if it was not used before, and marks it used
    /// in the same write, so that two concurrent logins cannot both use it.
    fn take_challenge(&self, id: String) -> Result<Option<Challenge>, StorageError>;
    /// A successful login: forgets the unit's failures and the sessions idle since before
    /// `idle_since`, and stores the new token's digest.
    fn start_session(&self, unit_id: i64, token_digest: Vec<u8>, now: i64, idle_since: i64) -> Result<(), StorageError>;
    fn session(&self, token_digest: Vec<u8>) -> Result<Option<StoredSession>, StorageError>;
    fn touch_session(&self, token_digest: Vec<u8>, now: i64) -> Result<(), StorageError>;
    fn end_session(&self, token_digest: Vec<u8>) -> Result<(), StorageError>;

    /// Stores a declaration with its items, unless the unit already submitted one under the
    /// same idempotency key. The uniqueness of (unit, key) in the database decides, so
    /// concurrent duplicates, on one server or several, make one declaration.
    fn submit(&self, declaration: Submitting) -> Result<Submission, StorageError>;
    fn declaration_by_key(&self, unit_id: i64, key: String) -> Result<Option<Declaration>, StorageError>;
    /// The unit's declarations whose state changed after sequence `after`, oldest change first
    /// (at most `limit`, fewer if their outcomes pass [`MAX_OUTCOMES_PER_PAGE`]).
    fn changes(&self, unit_id: i64, after: i64, limit: u32) -> Result<Vec<Change>, StorageError>;
    fn mark_viewed(&self, unit_id: i64, declaration_id: i64, now: i64) -> Result<Viewing, StorageError>;
    /// Declarations waiting for the agency (submitted or processing), oldest first, with the
    /// unit number they belong to.
    fn waiting(&self) -> Result<Vec<(Declaration, String)>, StorageError>;
    /// Takes declaration `id` through processing to its final state as `judgement` decides,
    /// in one transaction (the operator's `process`).
    fn process(&self, id: i64, judgement: Judgement) -> Result<Processed, ProcessError>;
    /// Moves the declarations submitted at or before `submitted_by` to processing.
    fn start_due(&self, submitted_by: i64, now: i64) -> Result<usize, StorageError>;
    /// Finishes one declaration in processing that no other process is finishing, as
    /// `judgement` decides; `None` when there is none left. Each declaration is finished once,
    /// however many servers run this at the same time.
    fn finish_next(&self, judgement: Judgement) -> Result<Option<(i64, Processed)>, ProcessError>;

    /// What the agency knows of the person with this document number (type and details), with
    /// the look-up written to the audit trail in the same write.
    fn look_up_person(&self, unit_id: i64, document_no: String, now: i64) -> Result<Option<(String, String)>, StorageError>;
    /// A page of the unit's roster: entries after the roster cursor `after`, each with its cursor.
    fn roster_page(&self, unit_id: i64, after: i64, limit: u32) -> Result<Vec<(i64, RosterEntry)>, StorageError>;
    /// Settled dues of the unit for months `from..=to`.
    fn settled_dues(&self, unit_id: i64, from: String, to: String) -> Result<Vec<MonthlyDue>, StorageError>;

    /// Publishes an announcement and answers its id.
    fn publish(&self, announcement: NewAnnouncement) -> Result<i64, StorageError>;
    /// Announcements with an id above `after`, oldest first, at most `limit`.
    fn announcements(&self, after: i64, limit: u32) -> Result<Vec<Announcement>, StorageError>;
    fn attachment(&self, announcement_id: i64, name: String) -> Result<Option<Vec<u8>>, StorageError>;

    /// Sets up a whole unit in one transaction; `None` if its number is taken.
    fn seed(&self, seed: Seed) -> Result<Option<i64>, StorageError>;
    /// How many records of each kind the database holds.
    fn counts(&self) -> Result<Counts, StorageError>;
}

impl Storage {
    /// The whole roster of a unit (for dues).
    pub async fn roster(&self, unit_id: i64) -> Result<Vec<RosterEntry>, StorageError> {
        Ok(self
            .roster_page(unit_id, 0, u32::MAX)
            .await?
            .into_iter()
            .map(|(_, entry)| entry)
            .collect())
    }
}
