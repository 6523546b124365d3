//! Where secrets live: the database key and the agency session token.
//!
//! The OS keyring is the real home ([`OsKeyring`]); [`MemoryVault`] serves tests and machines
//! where a secret only has to last for one process.

use std::collections::HashMap;
use std::sync::Mutex;

/// The keyring could not be used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VaultError {
    /// No keyring service answers (typical on a server or a desktop without a Secret Service).
    #[error("the OS keyring is not available ({0})")]
    Unavailable(String),
    /// The keyring answered with an error.
    #[error("the OS keyring refused the request ({0})")]
    Refused(String),
}

/// A place that keeps small secrets by name.
pub trait SecretVault: Send + Sync {
    /// The secret stored under `name`, or `None` if there is none.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, VaultError>;
    /// Store `secret` under `name`, replacing any earlier one.
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), VaultError>;
    /// Forget the secret under `name`; forgetting a missing one is not an error.
    fn delete(&self, name: &str) -> Result<(), VaultError>;
}

/// The operating system's keyring: Windows Credential Manager, macOS Keychain, or the Secret
/// Service (GNOME Keyring, KWallet) on Linux.
#[derive(Debug, Clone)]
pub struct OsKeyring {
    service: String,
}

impl OsKeyring {
    /// Secrets filed under the service name `service` (the app uses `"shebao"`).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(&self.service, name).map_err(classify)
    }
}

fn classify(e: keyring::Error) -> VaultError {
    match e {
        keyring::Error::NoDefaultStore | keyring::Error::NoStorageAccess(_) => {
            VaultError::Unavailable(e.to_string())
        }
        keyring::Error::PlatformFailure(_) => VaultError::Unavailable(e.to_string()),
        other => VaultError::Refused(other.to_string()),
    }
}

impl SecretVault for OsKeyring {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, VaultError> {
        match self.entry(name)?.get_secret() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), VaultError> {
        self.entry(name)?.set_secret(secret).map_err(classify)
    }

    fn delete(&self, name: &str) -> Result<(), VaultError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }
}

/// Secrets kept in memory for the life of the process; for tests.
#[derive(Debug, Default)]
pub struct MemoryVault {
    secrets: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemoryVault {
    /// An empty vault.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SecretVault for MemoryVault {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, VaultError> {
        Ok(self
            .secrets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned())
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), VaultError> {
        self.secrets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_owned(), secret.to_vec());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), VaultError> {
        self.secrets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        Ok(())
    }
}

/// A vault that never works: what a machine without a keyring looks like, for tests.
#[derive(Debug, Default)]
pub struct NoVault;

impl SecretVault for NoVault {
    fn get(&self, _: &str) -> Result<Option<Vec<u8>>, VaultError> {
        Err(VaultError::Unavailable("no keyring on this machine".into()))
    }
    fn set(&self, _: &str, _: &[u8]) -> Result<(), VaultError> {
        Err(VaultError::Unavailable("no keyring on this machine".into()))
    }
    fn delete(&self, _: &str) -> Result<(), VaultError> {
        Err(VaultError::Unavailable("no keyring on this machine".into()))
    }
}
