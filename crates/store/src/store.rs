//! Opening a unit's database: key, pragmas, integrity check, migrations.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Result, StoreError};
use crate::key::{KeyHome, KeySource, StoreKey};
use crate::location::DataDir;
use crate::lock::StoreLock;
use crate::private::{create_private_dir, create_private_file};
use crate::schema::{SCHEMA_VERSION, migrations};

/// One unit's local store. All writes of the client's data go through it; each public method
/// that writes is one transaction that is on disk (WAL, `synchronous=FULL`) when it returns.
/// While it is open it holds the store's lock shared, so no other process replaces the file.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    unit_no: String,
    key: StoreKey,
    key_home: KeyHome,
    pub(crate) lock: StoreLock,
}

impl Store {
    /// Open (creating if needed) the store of `unit_no` under `data`, with the key from `keys`.
    /// A store whose key the keyring no longer holds gives [`StoreError::KeyLost`].
    pub fn open_unit(data: &DataDir, unit_no: &str, keys: &KeySource) -> Result<Self> {
        let path = data.unit_store(unit_no)?;
        let key = match keys.existing_key(unit_no)? {
            Some(key) => key,
            None if path.exists() => {
                return Err(StoreError::KeyLost {
                    unit_no: unit_no.to_owned(),
                    path,
                });
            }
            None => keys.new_key(unit_no)?,
        };
        let mut store = Self::open(&path, unit_no, key)?;
        store.set_key_home(keys.home());
        Ok(store)
    }

    /// Open (creating if needed) the database at `path` with `key`.
    pub fn open(path: &Path, unit_no: &str, key: StoreKey) -> Result<Self> {
        prepare_file(path)?;
        let lock = StoreLock::shared(path)?;
        Self::open_locked(path, unit_no, key, lock)
    }

    /// Create the database at `path` (which must not exist), whose lock the caller holds shared.
    pub(crate) fn open_locked_new(
        path: &Path,
        unit_no: &str,
        key: StoreKey,
        lock: StoreLock,
    ) -> Result<Self> {
        prepare_file(path)?;
        Self::open_locked(path, unit_no, key, lock)
    }

    /// Open the database at `path`, whose lock the caller holds shared.
    pub(crate) fn open_locked(
        path: &Path,
        unit_no: &str,
        key: StoreKey,
        lock: StoreLock,
    ) -> Result<Self> {
        let key_home = match key {
            StoreKey::Passphrase(_) => KeyHome::Passphrase,
            StoreKey::Raw(_) => KeyHome::Given,
        };
        let mut store = Self {
            conn: Connection::open_in_memory()?,
            path: path.to_path_buf(),
            unit_no: unit_no.to_owned(),
            key,
            key_home,
            lock,
        };
        store.connect()?;
        Ok(store)
    }

    /// (Re)open the connection to the file: key, integrity check, pragmas, migrations.
    pub(crate) fn connect(&mut self) -> Result<()> {
        self.conn = open_keyed(&self.path, &self.key)?;
        check_integrity(&self.conn, &self.path)?;
        self.configure()?;
        self.migrate()?;
        self.remember_unit()
    }

    /// Where this store's key is kept.
    pub fn key_home(&self) -> KeyHome {
        self.key_home
    }

    pub(crate) fn set_key_home(&mut self, home: KeyHome) {
        self.key_home = home;
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The unit this store belongs to.
    pub fn unit_no(&self) -> &str {
        &self.unit_no
    }

    pub(crate) fn key(&self) -> &StoreKey {
        &self.key
    }

    fn configure(&self) -> Result<()> {
        // WAL lets a sync read while the clerk saves; FULL makes every commit durable before it
        // returns, which is what "a saved draft is never lost" means.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let found: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        migrations().to_latest(&mut self.conn)?;
        Ok(())
    }

    fn remember_unit(&self) -> Result<()> {
        self.conn.execute(
            "INSERT INTO unit (id, unit_no, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO NOTHING",
            (&self.unit_no, now()),
        )?;
        Ok(())
    }

    /// Run SQLite's full integrity check (slower than the check at open, which skips indexes).
    pub fn integrity_check(&self) -> Result<()> {
        run_check(&self.conn, &self.path, "integrity_check")
    }

    /// The schema of the open file as SQL, one statement per table and index, by name: two
    /// stores with the same schema give the same list.
    pub fn schema_sql(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// The store's folder, and its file if it is new, made readable by their owner only before
/// SQLite writes anything into them.
fn prepare_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(|source| StoreError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    if !path.exists() {
        create_private_file(path, false).map_err(|source| StoreError::Folder {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// Open `path` and apply `key`, telling a wrong key from a damaged file as well as SQLCipher
/// allows (a damaged first page looks like a wrong key).
pub(crate) fn open_keyed(path: &Path, key: &StoreKey) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.execute_batch(&format!("PRAGMA key = {};", key.pragma_value()))?;
    // SQLCipher would print its own complaints about undecryptable pages on stderr; the
    // typed errors below say it better, so keep it quiet. (Keying first: the first key of the
    // process resets the log level to its default.)
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(conn),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(StoreError::WrongKey {
                path: path.to_path_buf(),
            })
        }
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseCorrupt) => {
            Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// The check at open: `quick_check` verifies every page and row (it skips only the
/// index-versus-table comparison), in time proportional to the file.
pub(crate) fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    run_check(conn, path, "quick_check")
}

fn run_check(conn: &Connection, path: &Path, pragma: &str) -> Result<()> {
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let rows: Vec<String> = {
        // The key was proven good before the check runs, so any failure while reading pages
        // here is damage: SQLCipher reports a page whose HMAC does not match as a plain error.
        let result = conn
            .prepare(&format!("PRAGMA {pragma}(20)"))
            .and_then(|mut stmt| {
                stmt.query_map([], |r| r.get::<_, String>(0))
                    .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            });
        match result {
            Ok(rows) => rows,
            Err(e) if is_busy(&e) => return Err(e.into()),
            Err(e) => return Err(damaged(e.to_string())),
        }
    };
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        // Enough to recognise the damage in a support call, not a page of SQLite internals.
        let lines: Vec<&str> = rows
            .iter()
            .flat_map(|r| r.lines())
            .filter(|l| !l.starts_with("***"))
            .take(2)
            .collect();
        Err(damaged(lines.join("; ")))
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// The current time as stored in the database (RFC 3339, UTC).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
