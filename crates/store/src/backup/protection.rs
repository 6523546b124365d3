//! The unit's backup key and the ways in that every backup carries, kept inside the encrypted
//! store (a small named value), so a restored store keeps its backup password.
//!
//! The key is made at the first backup. Setting the backup password makes a new key, sealed
//! under the password and under a new recovery code: a backup opens with the password (or code)
//! that was set when it was made, and an old password no longer opens new backups.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::seal::{BackupKey, BackupPassword, RecoveryCode, Secret, Slot, seal};
use crate::error::{Result, StoreError};
use crate::key::{hex, unhex};
use crate::store::{Store, now};

const RECORD: &str = "backup-protection";

#[derive(Serialize, Deserialize)]
struct Protection {
    key: String,
    /// When the backup password was set; `None` before it ever was.
    password_set_at: Option<String>,
    /// The password's and the recovery code's slots.
    slots: Vec<Slot>,
}

impl Store {
    /// Set (or change) the backup password. Every backup made from now on opens, on any
    /// computer, with this password or with the recovery code returned here, which is shown to
    /// the clerk once and never kept in the clear.
    pub fn set_backup_password(&mut self, password: &BackupPassword) -> Result<RecoveryCode> {
        if password.as_str().chars().count() < BackupPassword::MIN_CHARS {
            return Err(StoreError::BackupPasswordTooShort {
                min: BackupPassword::MIN_CHARS,
            });
        }
        let key = BackupKey::random()?;
        let code = RecoveryCode::random()?;
        let slots = vec![
            seal(&Secret::Password(password), self.unit_no(), &key)?,
            seal(&Secret::RecoveryCode(&code), self.unit_no(), &key)?,
        ];
        self.save_protection(&Protection {
            key: hex(&key.0),
            password_set_at: Some(now()),
            slots,
        })?;
        tracing::info!("the backup password was set");
        Ok(code)
    }

    /// When the backup password was set (RFC 3339), or `None` if it never was.
    pub fn backup_password_set_at(&self) -> Result<Option<String>> {
        Ok(self.protection_record()?.and_then(|p| p.password_set_at))
    }

    /// The backup key and the password's and recovery code's slots; a key is made (without
    /// slots) if the store has none yet.
    pub(crate) fn backup_protection(&self) -> Result<(BackupKey, Vec<Slot>)> {
        if let Some(p) = self.protection_record()? {
            let key = unhex(&p.key)
                .and_then(|k| <[u8; 32]>::try_from(k).ok())
                .map(BackupKey)
                .ok_or_else(|| StoreError::NotFound {
                    what: "A valid backup key".into(),
                })?;
            return Ok((key, p.slots));
        }
        let key = BackupKey::random()?;
        self.save_protection(&Protection {
            key: hex(&key.0),
            password_set_at: None,
            slots: Vec::new(),
        })?;
        Ok((key, Vec::new()))
    }

    fn protection_record(&self) -> Result<Option<Protection>> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM sync_state WHERE name = ?1",
                [RECORD],
                |r| r.get(0),
            )
            .optional()?;
        Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
    }

    fn save_protection(&self, protection: &Protection) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_state (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (RECORD, serde_json::to_string(protection)?),
        )?;
        Ok(())
    }
}
