//! The agency's SQLite database: one file in the data directory, in WAL mode so that the operator
//! command line can work on it while the server runs.
//!
//! SQLite allows one writer at a time, so the server keeps one connection for writes behind a
//! mutex and a few for reads; handlers reach them from blocking threads (`spawn_blocking`).

pub mod announcements;
pub mod declarations;
pub mod dues;
mod migrate;
pub mod people;
pub mod sessions;
pub mod units;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::Connection;

/// A database failure; it carries no personal data, so it may be logged.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("a stored value is damaged: {0}")]
    Corrupt(String),
}

const READERS: usize = 4;

/// The database of one data directory.
#[derive(Debug)]
pub struct Db {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl Db {
    /// Opens (and on first use creates) `agency.sqlite3` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, DbError> {
        let path = data_dir.join("agency.sqlite3");
        let open = || -> Result<Connection, DbError> {
            let conn = Connection::open(&path).map_err(|source| DbError::Open {
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
        writer.execute_batch(include_str!("schema.sql"))?;
        migrate::migrate(&mut writer)?;
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
    pub fn write<T, E>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let mut conn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(DbError::from)?;
        let value = work(&tx)?;
        tx.commit().map_err(DbError::from)?;
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

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A fresh database in its own temporary directory.
    pub fn temp_db(name: &str) -> (Db, PathBuf) {
        let dir = std::env::temp_dir().join(format!("shebao-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        (Db::open(&dir).expect("database opens"), dir)
    }
}
