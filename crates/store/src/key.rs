//! The key that opens a unit's encrypted database, and where it comes from.
//!
//! Order of choice (see the crate docs for why):
//! 1. `SHEBAO_STORE_PASSPHRASE` set: SQLCipher derives the key from the passphrase itself
//!    (PBKDF2-HMAC-SHA512 with the salt in the file's first page). A store created this way must
//!    always be opened this way.
//! 2. Otherwise the OS keyring holds a random 256-bit key under `store-key/<unit number>`,
//!    created together with the database.
//! 3. No passphrase and no keyring: [`StoreError::NoKey`], never a key file on disk.

use std::fmt;
use std::sync::Arc;

use crate::error::{Result, StoreError};
use crate::vault::{SecretVault, VaultError};

/// The environment variable that holds the fallback passphrase.
pub const PASSPHRASE_VAR: &str = "SHEBAO_STORE_PASSPHRASE";

/// A database key. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreKey {
    /// 32 random bytes, used by SQLCipher as the raw key.
    Raw([u8; 32]),
    /// A passphrase the clerk chose; SQLCipher derives the key.
    Passphrase(String),
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Raw(_) => f.write_str("StoreKey::Raw(..)"),
            Self::Passphrase(_) => f.write_str("StoreKey::Passphrase(..)"),
        }
    }
}

impl StoreKey {
    /// A fresh random raw key.
    pub fn random() -> Result<Self> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| StoreError::NoKey {
            reason: format!("the system's random number source failed: {e}"),
        })?;
        Ok(Self::Raw(key))
    }

    /// The value for `PRAGMA key = …`, quoted as SQLCipher expects.
    pub(crate) fn pragma_value(&self) -> String {
        match self {
            Self::Raw(bytes) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
                format!("\"x'{hex}'\"")
            }
            Self::Passphrase(p) => format!("'{}'", p.replace('\'', "''")),
        }
    }
}

/// Where keys come from: the keyring, and the passphrase if the clerk gave one.
#[derive(Clone)]
pub struct KeySource {
    vault: Arc<dyn SecretVault>,
    passphrase: Option<String>,
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySource")
            .field("passphrase", &self.passphrase.is_some())
            .finish()
    }
}

impl KeySource {
    /// Keys from `vault`, or from `passphrase` if given.
    pub fn new(vault: Arc<dyn SecretVault>, passphrase: Option<String>) -> Self {
        Self {
            vault,
            passphrase: passphrase.filter(|p| !p.is_empty()),
        }
    }

    /// Keys from `vault`, or from the `SHEBAO_STORE_PASSPHRASE` variable if it is set.
    pub fn from_env(vault: Arc<dyn SecretVault>) -> Self {
        Self::new(vault, std::env::var(PASSPHRASE_VAR).ok())
    }

    /// The vault, for other secrets (the session token) that live beside the key.
    pub fn vault(&self) -> &Arc<dyn SecretVault> {
        &self.vault
    }

    /// The key for `unit_no`'s store; `create` says whether the database is about to be made,
    /// in which case a missing keyring key is generated and saved first.
    pub fn key_for(&self, unit_no: &str, create: bool) -> Result<StoreKey> {
        if let Some(p) = &self.passphrase {
            tracing::warn!(
                "the local store is opened with the passphrase from {PASSPHRASE_VAR}, not with a \
                 key from the OS keyring"
            );
            return Ok(StoreKey::Passphrase(p.clone()));
        }
        let name = format!("store-key/{unit_no}");
        let unavailable = |e: VaultError| StoreError::NoKey {
            reason: e.to_string(),
        };
        match self.vault.get(&name).map_err(unavailable)? {
            Some(bytes) => {
                let raw: [u8; 32] = bytes.try_into().map_err(|_| StoreError::NoKey {
                    reason: "the keyring entry for this unit is not a database key".into(),
                })?;
                Ok(StoreKey::Raw(raw))
            }
            None if create => {
                let key = StoreKey::random()?;
                if let StoreKey::Raw(bytes) = &key {
                    self.vault.set(&name, bytes).map_err(unavailable)?;
                }
                Ok(key)
            }
            None => Err(StoreError::NoKey {
                reason: "the keyring holds no key for this unit's store (was it made on another \
                         computer, or with a passphrase?)"
                    .into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{MemoryVault, NoVault};

    #[test]
    fn a_new_store_gets_a_random_key_that_is_found_again() {
        let keys = KeySource::new(Arc::new(MemoryVault::new()), None);
        let first = keys.key_for("1001", true).unwrap();
        assert_eq!(keys.key_for("1001", false).unwrap(), first);
        assert_ne!(keys.key_for("1002", true).unwrap(), first);
    }

    #[test]
    fn without_a_keyring_and_without_a_passphrase_there_is_no_key() {
        let keys = KeySource::new(Arc::new(NoVault), None);
        let err = keys.key_for("1001", true).unwrap_err();
        assert!(err.to_string().contains("SHEBAO_STORE_PASSPHRASE"), "{err}");
    }

    #[test]
    fn a_passphrase_replaces_the_keyring() {
        let keys = KeySource::new(Arc::new(NoVault), Some("it's secret".into()));
        let key = keys.key_for("1001", true).unwrap();
        assert_eq!(key.pragma_value(), "'it''s secret'");
        assert_eq!(format!("{key:?}"), "StoreKey::Passphrase(..)");
    }
}
