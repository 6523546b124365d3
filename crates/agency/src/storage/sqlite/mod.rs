//! The SQLite backend: one file in the data directory, in WAL mode so that the operator command
//! line, or a second server process, can work on it while a server runs.
//!
//! SQLite allows one writer at a time, so the server keeps one connection for writes behind a
//! mutex and a few for reads; the async interface runs them on blocking threads.

pub mod announcements;
mod backend;
pub mod declarations;
pub mod dues;
pub mod people;
pub mod processing;
pub mod sessions;
pub mod units;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{Migration, StorageError};

/// The schema's history; `PRAGMA user_version` records how far a database has come.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "card key algorithm",
        sql: include_str!("migrations/0002_card_key_algorithm.sql"),
    },
    Migration {
        version: 3,
        name: "login calls",
        sql: include_str!("migrations/0003_login_calls.sql"),
    },
];

const READERS: usize = 4;

/// The name of the database file in the data directory.
pub const FILE_NAME: &str = "agency.sqlite3";

/// The database of one data directory.
#[derive(Debug)]
pub struct Db {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl Db {
    /// Opens (and on first use creates, or brings up to date) `agency.sqlite3` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StorageError> {
        let path = data_dir.join(FILE_NAME);
        let open = || -> Result<Connection, StorageError> {
            let conn = Connection::open(&path).map_err(|source| StorageError::Open {
                path: path.clone(),
                source,
            })?;
            conn.busy_timeout(Duration::from_secs(10))?;
            conn.pragma_update(None, "foreign_keys", true)?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            Ok(conn)
        };
        let mut writer = open()?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| open().map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// Runs `work` in one immediate transaction on the writer connection: it commits when `work`
    /// succeeds and rolls back otherwise.
    pub fn write<T, E>(&self, work: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StorageError>,
    {
        let mut conn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StorageError::from)?;
        let value = work(&tx)?;
        tx.commit().map_err(StorageError::from)?;
        Ok(value)
    }

    /// Runs `work` on one of the read connections.
    pub fn read<T, E>(&self, work: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E> {
        let index = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        let conn = self.readers[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        work(&conn)
    }
}

/// Applies the migrations the database lacks, in one immediate transaction, so that two
/// processes opening a database at once apply each step once.
fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if found > known {
        return Err(StorageError::NewerSchema { found, known });
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > found) {
        tx.execute_batch(migration.sql)
            .map_err(|e| StorageError::Migration {
                version: migration.version,
                name: migration.name,
                detail: e.to_string(),
            })?;
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(())
}

/// The SQLite backend behind the storage interface.
#[derive(Debug, Clone)]
pub struct SqliteStorage {
    db: Arc<Db>,
}

impl SqliteStorage {
    pub fn new(db: Arc<Db>) -> Self {
        Self { db }
    }

    /// The database itself, for the tools that work on SQLite directly (`migrate-to`, tests).
    pub fn db(&self) -> &Arc<Db> {
        &self.db
    }

    /// Runs `work` in a write transaction on a blocking thread.
    async fn write<T, E>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || db.write(work))
            .await
            .map_err(|e| StorageError::Task(e.to_string()))?
    }

    /// Runs `work` on a read connection on a blocking thread.
    async fn read<T>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError>
    where
        T: Send + 'static,
    {
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || db.read(work))
            .await
            .map_err(|e| StorageError::Task(e.to_string()))?
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A fresh database in its own temporary directory.
    pub fn temp_db(name: &str) -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("shebao-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        (Db::open(&dir).expect("database opens"), dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_from_before_recorded_versions_is_brought_up_to_date() {
        let dir = std::env::temp_dir().join(format!("shebao-db-old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        {
            let conn = Connection::open(dir.join(FILE_NAME)).expect("opens");
            conn.execute_batch(MIGRATIONS[0].sql).expect("old schema");
            conn.execute(
                "INSERT INTO units (unit_no, name, uscc, card_public_key, password_hash, \
                 password_is_initial, opened_at) VALUES ('1', 'n', 'u', x'04', 'h', 1, 0)",
                [],
            )
            .expect("old unit");
        }
        let db = Db::open(&dir).expect("migrates");
        let algorithm: String = db
            .read(|conn| -> Result<_, StorageError> {
                Ok(conn.query_row("SELECT card_key_algorithm FROM units", [], |r| r.get(0))?)
            })
            .expect("read");
        assert_eq!(algorithm, "sm2", "old units hold SM2 cards");
        drop(db);
        // Opening again applies nothing twice.
        Db::open(&dir).expect("opens again");
        let _ = std::fs::remove_dir_all(dir);
    }
}
