//! Where secrets live: the database key and the agency session token.
//!
//! The OS keyring is the real home ([`OsKeyring`]); [`MemoryVault`] serves tests and machines
//! where a secret only has to last for one process.
//!
//! A keyring that answers but is locked is not the same as no keyring: the first must be
//! unlocked by the clerk ([`VaultError::Locked`]), and only the second may fall back to a
//! passphrase.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The service name under which the app files its secrets in the OS keyring.
pub const KEYRING_SERVICE: &str = "shebao";

/// The keyring could not be used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VaultError {
    /// No keyring service answers (typical on a server or a desktop without a Secret Service).
    #[error("the OS keyring is not available ({0})")]
    Unavailable(String),
    /// The keyring is there but locked, or the clerk dismissed its unlock prompt.
    #[error("the OS keyring is locked ({0})")]
    Locked(String),
    /// The keyring answered with an error.
    #[error("the OS keyring refused the request ({0})")]
    Refused(String),
}

/// Which keyring a vault is, as the clerk would name it (设置 → 关于 shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultKind {
    /// Windows Credential Manager (凭据管理器).
    WindowsCredentialManager,
    /// The macOS Keychain.
    MacKeychain,
    /// The freedesktop Secret Service: GNOME Keyring or KWallet.
    SecretService,
    /// Memory only, for the life of the process (tests).
    Memory,
    /// No keyring at all.
    None,
}

impl VaultKind {
    /// The keyring of the platform this build runs on.
    pub const fn platform() -> Self {
        if cfg!(windows) {
            Self::WindowsCredentialManager
        } else if cfg!(target_os = "macos") {
            Self::MacKeychain
        } else {
            Self::SecretService
        }
    }
}

/// A place that keeps small secrets by name.
pub trait SecretVault: Send + Sync {
    /// The secret stored under `name`, or `None` if there is none.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, VaultError>;
    /// Store `secret` under `name`, replacing any earlier one.
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), VaultError>;
    /// Forget the secret under `name`; forgetting a missing one is not an error.
    fn delete(&self, name: &str) -> Result<(), VaultError>;
    /// Which keyring this is.
    fn kind(&self) -> VaultKind;
}

/// The operating system's keyring: Windows Credential Manager, macOS Keychain, or the Secret
/// Service (GNOME Keyring, KWallet) on Linux. An entry is found by the service name given here
/// and the entry's name: on Linux `secret-tool lookup service shebao username store-key/UNIT`
/// prints the store's key.
#[derive(Debug, Clone)]
pub struct OsKeyring {
    service: String,
}

impl OsKeyring {
    /// Secrets filed under the service name `service` (the app uses [`KEYRING_SERVICE`]).
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
        // No session bus, no Secret Service on it, no credential store on the platform.
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) => {
            VaultError::Unavailable(e.to_string())
        }
        // The keyring answered: it is locked, or its unlock prompt was dismissed (or could
        // not be shown, as on a desktop without a prompter).
        keyring::Error::NoStorageAccess(_) => VaultError::Locked(e.to_string()),
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

    fn kind(&self) -> VaultKind {
        VaultKind::platform()
    }
}

/// Secrets kept in memory for the life of the process; for tests. It can be locked, as a
/// keyring is when the clerk's desktop session has not unlocked it.
#[derive(Debug, Default)]
pub struct MemoryVault {
    secrets: Mutex<HashMap<String, Vec<u8>>>,
    locked: AtomicBool,
}

impl MemoryVault {
    /// An empty vault.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lock or unlock it: while locked every call answers [`VaultError::Locked`].
    pub fn set_locked(&self, locked: bool) {
        self.locked.store(locked, Ordering::SeqCst);
    }

    fn secrets(&self) -> Result<MutexGuard<'_, HashMap<String, Vec<u8>>>, VaultError> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(VaultError::Locked("the test vault is locked".into()));
        }
        Ok(self.secrets.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl SecretVault for MemoryVault {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, VaultError> {
        Ok(self.secrets()?.get(name).cloned())
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), VaultError> {
        self.secrets()?.insert(name.to_owned(), secret.to_vec());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), VaultError> {
        self.secrets()?.remove(name);
        Ok(())
    }

    fn kind(&self) -> VaultKind {
        VaultKind::Memory
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
    fn kind(&self) -> VaultKind {
        VaultKind::None
    }
}
