//! The second way to hold the unit's key: a token behind a PKCS#11 module (the vendor's
//! middleware, OpenSC, SoftHSM in the tests), through the `cryptoki` binding. The token
//! carries the unit's certificate and its key pair (docs/protocol-notes.md, "PKCS#11
//! tokens"); the watcher treats its slots as readers and its tokens as cards, so the client
//! sees the same events, handles and errors as with a UKey over PC/SC.

mod certificate;
mod library;
mod slots;
mod token;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cryptoki::error::{Error, RvError};

use crate::card::CardIdentity;
use crate::deadline::run_within;
use crate::error::{Operation, UKeyError};
use crate::source::{Connector, InsertedKey, ReaderWatch, Wake};

pub use library::POLL_INTERVAL;

/// A PKCS#11 module by its path: the vendor's `.dll` on Windows, `.so` on Linux. Loading waits
/// for the first use; [`Pkcs11Module::check`] loads it at once to report a wrong path early.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pkcs11Module {
    path: PathBuf,
}

/// What a module says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    pub manufacturer: String,
    pub description: String,
}

impl Pkcs11Module {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Pkcs11Module { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads and initialises the module (once per process): a path that does not exist or a
    /// library that is not PKCS#11 is a clear error here rather than a silent empty watch.
    pub fn check(&self) -> Result<ModuleInfo, UKeyError> {
        let library = library::load(&self.path)?;
        let info = library.ctx.get_library_info().map_err(from_pkcs11)?;
        Ok(ModuleInfo {
            manufacturer: info.manufacturer_id().trim().to_owned(),
            description: info.library_description().trim().to_owned(),
        })
    }
}

/// One slot of a module as `shebao card` reports it: the unit its token names, or why it
/// could not be read; `None` for an empty slot.
#[derive(Debug, Clone)]
pub struct SlotReport {
    pub slot: String,
    pub token: Option<Result<CardIdentity, UKeyError>>,
}

/// Reads every token of `module`, each within `timeout`: the blocking call behind
/// `shebao card --pkcs11`.
pub fn read_tokens(module: &Pkcs11Module, timeout: Duration) -> Result<Vec<SlotReport>, UKeyError> {
    let library = library::load(&module.path)?;
    library.refresh()?;
    let slots = slots::list_slots(&library)?;
    Ok(slots
        .into_iter()
        .map(|found| {
            let token = found.token.map(|_| {
                let library = library.clone();
                run_within(timeout, Operation::Reading, move || {
                    token::TokenSession::open(library, found.slot)?.read_identity()
                })
            });
            SlotReport {
                slot: found.name,
                token,
            }
        })
        .collect())
}

pub(crate) fn open(module: &Pkcs11Module) -> (Box<dyn ReaderWatch>, Arc<dyn Connector>, Wake) {
    slots::open(module)
}

/// A module's failure, sorted into the cases a clerk can act on, as for PC/SC.
pub(crate) fn from_pkcs11(error: Error) -> UKeyError {
    match error {
        Error::Pkcs11(rv, function) => match rv {
            RvError::PinLocked => UKeyError::PinBlocked,
            RvError::PinLenRange => UKeyError::PinFormat,
            RvError::UserNotLoggedIn => UKeyError::PinRequired,
            RvError::TokenNotPresent
            | RvError::TokenNotRecognized
            | RvError::DeviceRemoved
            | RvError::SessionHandleInvalid
            | RvError::SessionClosed
            | RvError::SlotIdInvalid => UKeyError::CardRemoved,
            other => UKeyError::ModuleFailed {
                detail: format!("{function}: {other}"),
            },
        },
        other => UKeyError::ModuleFailed {
            detail: other.to_string(),
        },
    }
}
