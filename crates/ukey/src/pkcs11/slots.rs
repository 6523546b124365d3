//! A module's slots as the watcher's readers: a slot is a reader, an initialised token in it a
//! card. A token taken out and another put in between two looks is told apart by its serial
//! number and label, so it counts as a new insertion, as PC/SC's event counter does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cryptoki::error::{Error, RvError};
use cryptoki::slot::Slot;

use super::library::{self, Library};
use super::token::TokenSession;
use super::{Pkcs11Module, from_pkcs11};
use crate::error::UKeyError;
use crate::source::{Connector, InsertedKey, ReaderSnapshot, ReaderWatch, Snapshot, Wake};

/// The slots seen last, by the name the watcher knows them by.
type SlotNames = Arc<Mutex<HashMap<String, Slot>>>;

/// The module once loaded; shared so that stopping the watch can wake it.
type Loaded = Arc<Mutex<Option<Arc<Library>>>>;

pub(crate) fn open(module: &Pkcs11Module) -> (Box<dyn ReaderWatch>, Arc<dyn Connector>, Wake) {
    let loaded: Loaded = Arc::default();
    let names: SlotNames = Arc::default();
    let wake_loaded = loaded.clone();
    let wake: Wake = Arc::new(move || {
        let library = wake_loaded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(library) = library {
            library.wake();
        }
    });
    (
        Box::new(SlotWatch {
            module: module.clone(),
            loaded: loaded.clone(),
            names: names.clone(),
            tokens: HashMap::new(),
            next_insertion: 1,
            seen: None,
        }),
        Arc::new(SlotConnector { loaded, names }),
        wake,
    )
}

struct SlotWatch {
    module: Pkcs11Module,
    loaded: Loaded,
    names: SlotNames,
    /// The token in each slot (serial number and label) and its insertion number.
    tokens: HashMap<Slot, (String, u32)>,
    next_insertion: u32,
    /// The module's slot-event count at the last look.
    seen: Option<u64>,
}

impl SlotWatch {
    fn library(&self) -> Result<Arc<Library>, UKeyError> {
        let mut slot = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(library) = slot.as_ref() {
            return Ok(library.clone());
        }
        let library = library::load(self.module.path())?;
        *slot = Some(library.clone());
        Ok(library)
    }
}

impl ReaderWatch for SlotWatch {
    fn next_snapshot(&mut self, timeout: Duration) -> Result<Snapshot, UKeyError> {
        let library = self.library()?;
        // The count is taken before looking, so an event during the look is not lost.
        self.seen = Some(match self.seen {
            None => library.version(),
            Some(seen) => library.wait_for_change(seen, timeout),
        });
        library.refresh()?;
        let slots = list_slots(&library)?;
        let mut names = HashMap::new();
        let mut snapshot = Vec::new();
        for found in slots {
            let card = match found.token {
                None => {
                    self.tokens.remove(&found.slot);
                    None
                }
                Some(token) => {
                    let insertion = match self.tokens.get(&found.slot) {
                        Some((known, insertion)) if *known == token => *insertion,
                        _ => {
                            let insertion = self.next_insertion;
                            self.next_insertion = self.next_insertion.wrapping_add(1);
                            self.tokens.insert(found.slot, (token, insertion));
                            insertion
                        }
                    };
                    Some(insertion)
                }
            };
            names.insert(found.name.clone(), found.slot);
            snapshot.push(ReaderSnapshot {
                name: found.name,
                card,
            });
        }
        self.tokens
            .retain(|slot, _| names.values().any(|s| s == slot));
        *self.names.lock().unwrap_or_else(PoisonError::into_inner) = names;
        Ok(snapshot)
    }
}

/// One slot as a look found it.
pub(crate) struct FoundSlot {
    pub slot: Slot,
    /// The slot's description, made unique within the module.
    pub name: String,
    /// The token's serial number and label, when an initialised token is in the slot.
    pub token: Option<String>,
}

/// Every slot of the module, with the token in it. A slot that vanishes during the look (its
/// token just left) is left out; an uninitialised token counts as no token.
pub(crate) fn list_slots(library: &Library) -> Result<Vec<FoundSlot>, UKeyError> {
    let _calls = library.calls();
    let slots = library.ctx.get_all_slots().map_err(from_pkcs11)?;
    let mut found: Vec<FoundSlot> = Vec::with_capacity(slots.len());
    for slot in slots {
        let info = match library.ctx.get_slot_info(slot) {
            Ok(info) => info,
            Err(e) if is_gone(&e) => continue,
            Err(e) => return Err(from_pkcs11(e)),
        };
        let mut name = info.slot_description().trim().to_owned();
        if name.is_empty() || found.iter().any(|f| f.name == name) {
            name = format!("{name} #{}", slot.id());
        }
        let token = if info.token_present() {
            match library.ctx.get_token_info(slot) {
                Ok(token) if token.token_initialized() => Some(format!(
                    "{} {}",
                    token.serial_number().trim(),
                    token.label().trim()
                )),
                Ok(_) => None,
                // SoftHSM2 answers CKR_GENERAL_ERROR for a token deleted under it.
                Err(e)
                    if is_gone(&e)
                        || matches!(
                            e,
                            Error::Pkcs11(RvError::GeneralError | RvError::DeviceError, _)
                        ) =>
                {
                    None
                }
                Err(e) => return Err(from_pkcs11(e)),
            }
        } else {
            None
        };
        found.push(FoundSlot { slot, name, token });
    }
    Ok(found)
}

fn is_gone(error: &Error) -> bool {
    matches!(
        error,
        Error::Pkcs11(
            RvError::SlotIdInvalid
                | RvError::TokenNotPresent
                | RvError::TokenNotRecognized
                | RvError::DeviceRemoved,
            _
        )
    )
}

struct SlotConnector {
    loaded: Loaded,
    names: SlotNames,
}

impl Connector for SlotConnector {
    fn connect(&self, reader: &str) -> Result<Box<dyn InsertedKey>, UKeyError> {
        let library = self
            .loaded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or(UKeyError::ServiceStopped)?;
        let slot = self
            .names
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(reader)
            .copied()
            .ok_or(UKeyError::CardRemoved)?;
        Ok(Box::new(TokenSession::open(library, slot)?))
    }
}
