//! The key that opens a unit's encrypted database, and where it comes from.
//!
//! Order of choice (see the crate docs for why):
//! 1. `SHEBAO_STORE_PASSPHRASE` set: SQLCipher derives the key from the passphrase itself
//!    (PBKDF2-HMAC-SHA512 with the salt in the file's first page). A store created this way must
//!    always be opened this way.
//! 2. Otherwise the OS keyring holds a random 256-bit key under `store-key/<unit number>`,
//!    created together with the database. It is kept as 64 hexadecimal characters, since KWallet
//!    keeps only text; a key kept as 32 raw bytes by earlier versions is read as well.
//! 3. No passphrase and no keyring: [`StoreError::NoKey`], never a key file on disk. A keyring
//!    that is there but locked is [`StoreError::KeyringLocked`]: the clerk unlocks it, and no
//!    fallback is taken.

use std::fmt;
use std::sync::Arc;

use crate::error::{Result, StoreError};
use crate::vault::{SecretVault, VaultError, VaultKind};

/// The environment variable that holds the fallback passphrase.
pub const PASSPHRASE_VAR: &str = "SHEBAO_STORE_PASSPHRASE";

/// The keyring entry of a unit's store key (under the service name the vault was made with).
pub fn store_key_entry(unit_no: &str) -> String {
    format!("store-key/{unit_no}")
}

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
        Ok(Self::Raw(random_bytes()?))
    }

    /// The value for `PRAGMA key = …`, quoted as SQLCipher expects.
    pub(crate) fn pragma_value(&self) -> String {
        match self {
            Self::Raw(bytes) => format!("\"x'{}'\"", hex(bytes).to_uppercase()),
            Self::Passphrase(p) => format!("'{}'", p.replace('\'', "''")),
        }
    }

    /// A raw key as kept in the keyring: the 64 hexadecimal characters, or (as earlier
    /// versions kept it) the 32 bytes themselves.
    fn from_keyring(kept: &[u8]) -> Option<Self> {
        if let Ok(raw) = <[u8; 32]>::try_from(kept) {
            return Some(Self::Raw(raw));
        }
        let text = std::str::from_utf8(kept).ok()?.trim();
        let bytes = unhex(text)?;
        Some(Self::Raw(bytes.try_into().ok()?))
    }
}

/// 32 bytes from the system's random number source.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::NoKey {
        reason: format!("the system's random number source failed: {e}"),
    })?;
    Ok(bytes)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Where a store's key is kept, as 设置 → 关于 and 备份与恢复 say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHome {
    /// A random key in this keyring.
    Keyring(VaultKind),
    /// Derived from the passphrase in `SHEBAO_STORE_PASSPHRASE`; nothing is kept.
    Passphrase,
    /// A key the caller passed in directly (support tools and tests).
    Given,
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

    /// Where the keys of this source are kept.
    pub fn home(&self) -> KeyHome {
        match self.passphrase {
            Some(_) => KeyHome::Passphrase,
            None => KeyHome::Keyring(self.vault.kind()),
        }
    }

    /// The key kept for `unit_no`'s store: the passphrase, or the keyring's entry; `None` when
    /// the keyring answers and holds none.
    pub fn existing_key(&self, unit_no: &str) -> Result<Option<StoreKey>> {
        if let Some(p) = &self.passphrase {
            tracing::warn!(
                "the local store is opened with the passphrase from {PASSPHRASE_VAR}, not with a \
                 key from the OS keyring"
            );
            return Ok(Some(StoreKey::Passphrase(p.clone())));
        }
        match self
            .vault
            .get(&store_key_entry(unit_no))
            .map_err(unusable)?
        {
            Some(kept) => {
                StoreKey::from_keyring(&kept)
                    .map(Some)
                    .ok_or_else(|| StoreError::NoKey {
                        reason: "the keyring entry for this unit is not a database key".into(),
                    })
            }
            None => Ok(None),
        }
    }

    /// A key for a store about to be made: the passphrase, or a new random key saved in the
    /// keyring before anything is encrypted with it (replacing any entry there).
    pub fn new_key(&self, unit_no: &str) -> Result<StoreKey> {
        if let Some(p) = &self.passphrase {
            return Ok(StoreKey::Passphrase(p.clone()));
        }
        let key = StoreKey::random()?;
        if let StoreKey::Raw(bytes) = &key {
            self.vault
                .set(&store_key_entry(unit_no), hex(bytes).as_bytes())
                .map_err(unusable)?;
        }
        Ok(key)
    }

    /// Forget the keyring's key of `unit_no` (a restore that failed after making one).
    pub(crate) fn forget_key(&self, unit_no: &str) -> Result<()> {
        if self.passphrase.is_none() {
            self.vault
                .delete(&store_key_entry(unit_no))
                .map_err(unusable)?;
        }
        Ok(())
    }
}

/// A keyring that cannot give the key: locked (the clerk unlocks it) or not there at all.
fn unusable(e: VaultError) -> StoreError {
    match e {
        VaultError::Locked(reason) => StoreError::KeyringLocked { reason },
        other => StoreError::NoKey {
            reason: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{MemoryVault, NoVault};

    #[test]
    fn a_new_key_is_random_kept_as_text_and_found_again() {
        let vault = Arc::new(MemoryVault::new());
        let keys = KeySource::new(vault.clone(), None);
        let first = keys.new_key("1001").unwrap();
        assert_eq!(keys.existing_key("1001").unwrap(), Some(first.clone()));
        assert_ne!(keys.new_key("1002").unwrap(), first);
        let kept = vault.get("store-key/1001").unwrap().unwrap();
        assert_eq!(kept.len(), 64);
        assert!(
            kept.iter().all(u8::is_ascii_hexdigit),
            "KWallet keeps text only"
        );
    }

    #[test]
    fn a_key_kept_as_raw_bytes_by_earlier_versions_still_opens() {
        let vault = Arc::new(MemoryVault::new());
        vault.set("store-key/1001", &[7u8; 32]).unwrap();
        let keys = KeySource::new(vault, None);
        assert_eq!(
            keys.existing_key("1001").unwrap(),
            Some(StoreKey::Raw([7u8; 32]))
        );
    }

    #[test]
    fn without_a_keyring_and_without_a_passphrase_there_is_no_key() {
        let keys = KeySource::new(Arc::new(NoVault), None);
        let err = keys.new_key("1001").unwrap_err();
        assert!(err.to_string().contains("SHEBAO_STORE_PASSPHRASE"), "{err}");
    }

    #[test]
    fn a_locked_keyring_asks_to_be_unlocked_and_offers_no_fallback() {
        let vault = Arc::new(MemoryVault::new());
        vault.set_locked(true);
        let keys = KeySource::new(vault, None);
        let err = keys.existing_key("1001").unwrap_err();
        assert!(matches!(err, StoreError::KeyringLocked { .. }), "{err}");
        assert!(err.to_string().contains("Unlock your keyring"), "{err}");
        assert!(!err.to_string().contains(PASSPHRASE_VAR), "{err}");
    }

    #[test]
    fn a_passphrase_replaces_the_keyring() {
        let keys = KeySource::new(Arc::new(NoVault), Some("it's secret".into()));
        let key = keys.new_key("1001").unwrap();
        assert_eq!(key.pragma_value(), "'it''s secret'");
        assert_eq!(format!("{key:?}"), "StoreKey::Passphrase(..)");
        assert_eq!(keys.home(), KeyHome::Passphrase);
    }
}
