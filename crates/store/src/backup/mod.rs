//! Backups that carry their own way in, and restoring them.
//!
//! A backup is the whole store, copied online into a SQLCipher database under the unit's
//! backup key, in a file whose header carries that key sealed three ways (see `seal`): under
//! the backup password, under the recovery code, and under this computer's store key. So it
//! restores on this computer with nothing typed, and on a new computer, a new profile or after
//! a keyring reset with the backup password. Before a backup password is set, only the third
//! way exists. The format is in docs/backup-format.md.
//!
//! A backup is written to a temporary name and renamed, so a half-written backup never
//! replaces a good one. A restore reads and checks the backup completely (its digest, its key,
//! SQLite's integrity check) before it touches the store; it needs the store's lock alone, so it
//! never replaces a store that another window or command has open; and the file it replaces is
//! moved aside with its journal, never deleted.

mod file;
mod protection;
mod seal;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::Backup;

pub use file::BACKUP_FORMAT;
pub use seal::{BackupPassword, RecoveryCode};

use self::file::{Body, Header, Kind};
use self::seal::{BackupKey, Secret, SlotKind, Unseal, seal, unseal};
use crate::error::{Result, StoreError};
use crate::key::{KeySource, StoreKey};
use crate::location::DataDir;
use crate::lock::StoreLock;
use crate::private::{create_private_dir, create_private_file, with_suffix};
use crate::schema::SCHEMA_VERSION;
use crate::store::{Store, check_integrity, now, open_keyed};

/// What a backup file says about itself, read without any key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The unit it is a backup of; `None` for a backup of an earlier version, which does not say.
    pub unit_no: Option<String>,
    /// When it was made (RFC 3339, UTC); `None` for a backup of an earlier version.
    pub created_at: Option<String>,
    /// Whether it opens with a backup password (and recovery code), so on any computer.
    pub opens_with_password: bool,
}

/// Read what the backup `path` says about itself; a damaged one says so.
pub fn backup_info(path: &Path) -> Result<BackupInfo> {
    Ok(match file::read_header(path)? {
        Kind::Bare => BackupInfo {
            unit_no: None,
            created_at: None,
            opens_with_password: false,
        },
        Kind::Sealed(header) => BackupInfo {
            opens_with_password: header.slots.iter().any(|s| s.kind == SlotKind::Password),
            unit_no: Some(header.unit_no),
            created_at: Some(header.created_at),
        },
    })
}

impl Store {
    /// Copy the whole store to the backup file `to` while it stays in use.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        let failed = |reason: String| StoreError::Backup {
            path: to.to_path_buf(),
            reason,
        };
        let (key, mut slots) = self.backup_protection()?;
        slots.push(seal(&Secret::StoreKey(self.key()), self.unit_no(), &key)?);
        let body = with_suffix(to, ".partial-db");
        let partial = with_suffix(to, ".partial");
        let written = (|| {
            create_private_file(&body, true).map_err(|e| failed(e.to_string()))?;
            {
                let mut dst = open_keyed(&body, &key.as_store_key())?;
                Backup::new(&self.conn, &mut dst)?
                    .run_to_completion(1024, Duration::ZERO, None)
                    .map_err(|e| failed(e.to_string()))?;
                check_integrity(&dst, &body)?;
            }
            let header = Header {
                unit_no: self.unit_no().to_owned(),
                created_at: now(),
                schema_version: self.schema_version()?,
                written_by: env!("CARGO_PKG_VERSION").to_owned(),
                body: Body::of(&body).map_err(|e| failed(e.to_string()))?,
                slots,
            };
            file::write(&partial, &header, &body).map_err(|e| failed(e.to_string()))?;
            std::fs::rename(&partial, to).map_err(|e| failed(e.to_string()))
        })();
        remove_database(&body);
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written?;
        tracing::info!(path = %to.display(), "store backed up");
        Ok(())
    }

    /// Whether restoring the backup `from` into this store needs the backup password (it was
    /// made on another computer, in another profile, or before the keyring was reset).
    pub fn backup_needs_password(&self, from: &Path) -> Result<bool> {
        match file::read_header(from)? {
            Kind::Bare => Ok(false),
            Kind::Sealed(header) => {
                match backup_key(&header, from, self.unit_no(), Some(self.key()), None) {
                    Ok(_) => Ok(false),
                    Err(StoreError::BackupPasswordNeeded { .. }) => Ok(true),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// Restore the backup `from` as `unit_no`'s store under `data`, whether that store is
    /// missing (a new computer or profile), unreadable (its key lost, or damaged) or fine. The
    /// keyring's key is used when it opens the backup; otherwise `password` (the backup
    /// password or the recovery code) must. Refused while the store is open elsewhere. A store
    /// that is replaced is kept beside it as `store.db.replaced-<time>`.
    pub fn restore_unit(
        data: &DataDir,
        unit_no: &str,
        keys: &KeySource,
        from: &Path,
        password: Option<&BackupPassword>,
    ) -> Result<Store> {
        let path = data.unit_store(unit_no)?;
        if let Some(dir) = path.parent() {
            create_private_dir(dir).map_err(|source| StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let lock = StoreLock::exclusive(&path)?;
        let this_computer = keys.existing_key(unit_no)?;
        let scratch = with_suffix(&path, ".unpacking");
        let restored = (|| {
            let source = unpack(from, unit_no, this_computer.as_ref(), password, &scratch)?;
            let (key, made) = match this_computer {
                Some(key) => (key, false),
                None => (keys.new_key(unit_no)?, true),
            };
            match swap_in(&path, &source, &key) {
                Ok(()) => Ok(key),
                Err(e) => {
                    if made {
                        let _ = keys.forget_key(unit_no);
                    }
                    Err(e)
                }
            }
        })();
        remove_database(&scratch);
        let key = restored?;
        lock.make_shared()?;
        let mut store = Store::open_locked(&path, unit_no, key, lock)?;
        store.set_key_home(keys.home());
        tracing::info!(path = %path.display(), "store restored from a backup");
        Ok(store)
    }

    /// Replace this store's data with the backup `from` and keep using it (the window's
    /// 备份与恢复). If the backup cannot be used, or another process has the store open, nothing
    /// changes, the store stays usable, and the error says why.
    pub fn replace_from_backup(
        &mut self,
        from: &Path,
        password: Option<&BackupPassword>,
    ) -> Result<()> {
        let path = self.path().to_path_buf();
        let scratch = with_suffix(&path, ".unpacking");
        let replaced = (|| {
            let source = unpack(from, self.unit_no(), Some(self.key()), password, &scratch)?;
            // The file must be closed before it is moved aside (Windows refuses otherwise).
            self.conn = Connection::open_in_memory()?;
            self.lock.make_exclusive()?;
            let swapped = swap_in(&path, &source, self.key());
            self.lock.make_shared()?;
            swapped
        })();
        remove_database(&scratch);
        let reopened = self.connect();
        replaced?;
        reopened?;
        tracing::info!(path = %path.display(), "store restored from a backup");
        Ok(())
    }
}

/// Check the backup `from` whole and unpack its database to `scratch`, open under its key.
fn unpack(
    from: &Path,
    unit_no: &str,
    this_computer: Option<&StoreKey>,
    password: Option<&BackupPassword>,
    scratch: &Path,
) -> Result<Connection> {
    let refuse = |reason: String| StoreError::Backup {
        path: from.to_path_buf(),
        reason,
    };
    let damaged = |detail: String| StoreError::BackupDamaged {
        path: from.to_path_buf(),
        detail,
    };
    if !from.is_file() {
        return Err(refuse("the file does not exist".into()));
    }
    remove_database(scratch);
    let key = match file::read_header(from)? {
        Kind::Bare => {
            // An earlier version's backup: the database itself, under the store's own key.
            let key = this_computer.ok_or_else(|| {
                refuse(
                    "it was made by an earlier version of shebao and opens only with the key of \
                     the computer that made it"
                        .into(),
                )
            })?;
            // Not `fs::copy`, which would give the copy the original's mode.
            let mut copy = create_private_file(scratch, true).map_err(|e| refuse(e.to_string()))?;
            std::fs::File::open(from)
                .and_then(|mut original| std::io::copy(&mut original, &mut copy))
                .map_err(|e| refuse(e.to_string()))?;
            key.clone()
        }
        Kind::Sealed(header) => {
            if header.schema_version > SCHEMA_VERSION {
                return Err(refuse(format!(
                    "it was written by a newer shebao ({}); install that version",
                    header.written_by
                )));
            }
            let key = backup_key(&header, from, unit_no, this_computer, password)?;
            file::extract_body(from, &header, scratch)?;
            key.as_store_key()
        }
    };
    let source = open_keyed(scratch, &key).map_err(|e| match e {
        StoreError::WrongKey { .. } if this_computer == Some(&key) => {
            refuse("it is not a backup of this unit's store, or was made with another key".into())
        }
        StoreError::WrongKey { .. } | StoreError::Damaged { .. } => {
            damaged("its database does not open with its own key".into())
        }
        other => other,
    })?;
    check_integrity(&source, scratch).map_err(|e| match e {
        StoreError::Damaged { detail, .. } => damaged(detail),
        other => other,
    })?;
    let found: i64 = source.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(refuse(
            "it was written by a newer version of shebao; install that version".into(),
        ));
    }
    Ok(source)
}

/// The backup key in `header`: by this computer's key, else by the password or recovery code.
fn backup_key(
    header: &Header,
    from: &Path,
    unit_no: &str,
    this_computer: Option<&StoreKey>,
    password: Option<&BackupPassword>,
) -> Result<BackupKey> {
    if header.unit_no != unit_no {
        return Err(StoreError::Backup {
            path: from.to_path_buf(),
            reason: format!(
                "it is a backup of unit {}, not of unit {unit_no}",
                header.unit_no
            ),
        });
    }
    let code = password.and_then(|p| seal::RecoveryCode::parse(p.as_str()));
    let mut tries: Vec<(SlotKind, Secret<'_>)> = Vec::new();
    if let Some(key) = this_computer {
        tries.push((SlotKind::StoreKey, Secret::StoreKey(key)));
    }
    if let Some(code) = &code {
        tries.push((SlotKind::RecoveryCode, Secret::RecoveryCode(code)));
    }
    if let Some(password) = password {
        tries.push((SlotKind::Password, Secret::Password(password)));
    }
    for (kind, secret) in &tries {
        for slot in header.slots.iter().filter(|s| s.kind == *kind) {
            match unseal(slot, secret, unit_no) {
                Ok(key) => return Ok(key),
                Err(Unseal::WrongSecret) => {}
                Err(Unseal::Damaged(detail)) => {
                    return Err(StoreError::BackupDamaged {
                        path: from.to_path_buf(),
                        detail,
                    });
                }
            }
        }
    }
    let has_password = header.slots.iter().any(|s| s.kind == SlotKind::Password);
    Err(match (has_password, password) {
        (true, Some(_)) => StoreError::WrongBackupPassword {
            path: from.to_path_buf(),
        },
        (true, None) => StoreError::BackupPasswordNeeded {
            path: from.to_path_buf(),
        },
        (false, _) => StoreError::Backup {
            path: from.to_path_buf(),
            reason: "it was made before a backup password was set, so only the key of the \
                     computer that made it opens it"
                .into(),
        },
    })
}

/// Copy `source` into a new database at `path` under `key`, the current file (with its
/// journal) moved aside first.
fn swap_in(path: &Path, source: &Connection, key: &StoreKey) -> Result<()> {
    let failed = |reason: String| StoreError::Backup {
        path: path.to_path_buf(),
        reason,
    };
    let partial = with_suffix(path, ".restoring");
    remove_database(&partial);
    create_private_file(&partial, true).map_err(|e| failed(e.to_string()))?;
    let copied = (|| {
        let mut dst = open_keyed(&partial, key)?;
        Backup::new(source, &mut dst)?
            .run_to_completion(1024, Duration::ZERO, None)
            .map_err(|e| failed(e.to_string()))
    })();
    if let Err(e) = copied {
        remove_database(&partial);
        return Err(e);
    }
    if path.exists() {
        set_aside(path, "replaced")
            .map_err(|e| failed(format!("the current store cannot be moved aside: {e}")))?;
    }
    std::fs::rename(&partial, path).map_err(|e| failed(e.to_string()))
}

/// Move the database at `path` and its journal aside as `<name>.<why>-<time>`; never deleted.
pub(crate) fn set_aside(path: &Path, why: &str) -> std::io::Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut aside = with_suffix(path, &format!(".{why}-{stamp}"));
    for n in 2.. {
        if !aside.exists() {
            break;
        }
        aside = with_suffix(path, &format!(".{why}-{stamp}-{n}"));
    }
    std::fs::rename(path, &aside)?;
    // A journal still holding committed pages (after a crash) goes along, under the name
    // SQLite looks for beside the moved file.
    for journal in ["-wal", "-shm"] {
        let from = with_suffix(path, journal);
        if from.exists() {
            std::fs::rename(&from, with_suffix(&aside, journal))?;
        }
    }
    tracing::warn!(path = %aside.display(), "a store was moved aside");
    Ok(aside)
}

/// Remove a scratch database and its journal.
fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}
