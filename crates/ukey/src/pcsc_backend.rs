//! The production path: readers and cards through the system's PC/SC service.

use std::ffi::CString;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use pcsc::{Context, Protocols, ReaderState, Scope, ShareMode, State};

use crate::apdu::CardChannel;
use crate::card::{CardIdentity, UKeyCard};
use crate::deadline::run_within;
use crate::error::{Operation, UKeyError, from_pcsc};
use crate::source::{Connector, InsertedKey, ReaderSnapshot, ReaderWatch, Snapshot, Wake};

/// A reader as `shebao card` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderStatus {
    pub name: String,
    pub card_present: bool,
}

/// Lists the PC/SC readers and whether each holds a card.
pub fn list_readers() -> Result<Vec<ReaderStatus>, UKeyError> {
    let context = establish()?;
    let names = reader_names(&context)?;
    if names.is_empty() {
        return Err(UKeyError::NoReader);
    }
    let mut states: Vec<ReaderState> = names
        .into_iter()
        .map(|name| ReaderState::new(name, State::UNAWARE))
        .collect();
    context
        .get_status_change(Duration::ZERO, &mut states)
        .or_else(|e| match e {
            pcsc::Error::Timeout => Ok(()),
            e => Err(from_pcsc(e)),
        })?;
    Ok(states
        .iter()
        .map(|state| ReaderStatus {
            name: state.name().to_string_lossy().into_owned(),
            card_present: state.event_state().contains(State::PRESENT),
        })
        .collect())
}

/// Connects to the card in `reader`, selects the application and reads the unit's data, giving
/// up after `timeout`.
pub fn read_card(reader: &str, timeout: Duration) -> Result<CardIdentity, UKeyError> {
    let reader = reader.to_owned();
    run_within(timeout, Operation::Reading, move || {
        UKeyCard::select(connect(&reader)?)?.read_identity()
    })
}

/// Connects to the card in `reader` for direct, blocking use (tools and benchmarks; the GUI
/// goes through [`crate::watch`]). Nothing here times out: use [`read_card`] where a stuck
/// card must not stop the caller.
pub fn connect(reader: &str) -> Result<Box<dyn CardChannel>, UKeyError> {
    let context = establish()?;
    let name = CString::new(reader).map_err(|_| UKeyError::NoReader)?;
    let card = context
        .connect(&name, ShareMode::Shared, Protocols::T1 | Protocols::T0)
        .map_err(|e| match e {
            pcsc::Error::NoSmartcard | pcsc::Error::RemovedCard => UKeyError::NoCard {
                reader: reader.to_owned(),
            },
            // The reader could not even agree on a protocol with this card.
            pcsc::Error::UnsupportedCard | pcsc::Error::InvalidAtr | pcsc::Error::ProtoMismatch => {
                UKeyError::NotShebaoCard
            }
            e => from_pcsc(e),
        })?;
    Ok(Box::new(PcscChannel { card: Some(card) }))
}

fn establish() -> Result<Context, UKeyError> {
    Context::establish(Scope::User).map_err(|e| match e {
        // Windows stops its Smart Card service when the last reader goes away, and a UKey is
        // its own reader: there, "no service" mostly means "UKey not plugged in".
        pcsc::Error::NoService | pcsc::Error::ServiceStopped if cfg!(windows) => {
            UKeyError::NoReader
        }
        e => from_pcsc(e),
    })
}

fn reader_names(context: &Context) -> Result<Vec<CString>, UKeyError> {
    match context.list_readers_owned() {
        Ok(names) => Ok(names),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(from_pcsc(e)),
    }
}

pub(crate) fn open() -> (Box<dyn ReaderWatch>, Arc<dyn Connector>, Wake) {
    let context: Arc<Mutex<Option<Context>>> = Arc::new(Mutex::new(None));
    let wake_context = context.clone();
    let wake: Wake = Arc::new(move || {
        let current = wake_context
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(context) = current {
            let _ = context.cancel();
        }
    });
    (
        Box::new(PcscWatch {
            context,
            states: Vec::new(),
            readers_changed: true,
        }),
        Arc::new(PcscConnector),
        wake,
    )
}

/// Watches with `SCardGetStatusChange`, the PnP pseudo-reader included so that readers plugged
/// in later are found without polling the reader list.
struct PcscWatch {
    context: Arc<Mutex<Option<Context>>>,
    /// The PnP pseudo-reader first, then one state per reader.
    states: Vec<ReaderState>,
    readers_changed: bool,
}

impl PcscWatch {
    fn context(&mut self) -> Result<Context, UKeyError> {
        let mut slot = self.context.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(context) = slot.as_ref() {
            return Ok(context.clone());
        }
        let context = establish()?;
        *slot = Some(context.clone());
        self.states = vec![ReaderState::new(pcsc::PNP_NOTIFICATION(), State::UNAWARE)];
        self.readers_changed = true;
        Ok(context)
    }

    fn forget_context(&mut self) {
        *self.context.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.states.clear();
    }

    /// Brings the reader states in line with the reader list, keeping what is known of readers
    /// that stay.
    fn refresh_readers(&mut self, context: &Context) -> Result<(), UKeyError> {
        let names = reader_names(context)?;
        let pnp = pcsc::PNP_NOTIFICATION();
        self.states.retain(|state| {
            state.name() == pnp || names.iter().any(|n| n.as_c_str() == state.name())
        });
        for name in names {
            if !self
                .states
                .iter()
                .any(|state| state.name() == name.as_c_str())
            {
                self.states.push(ReaderState::new(name, State::UNAWARE));
            }
        }
        self.readers_changed = false;
        Ok(())
    }

    fn snapshot(&self) -> Snapshot {
        let pnp = pcsc::PNP_NOTIFICATION();
        self.states
            .iter()
            .filter(|state| state.name() != pnp)
            .filter(|state| !is_gone(state.event_state()))
            .map(|state| ReaderSnapshot {
                name: state.name().to_string_lossy().into_owned(),
                card: state
                    .event_state()
                    .contains(State::PRESENT)
                    .then(|| state.event_count()),
            })
            .collect()
    }
}

fn is_gone(state: State) -> bool {
    state.intersects(State::UNKNOWN | State::IGNORE | State::UNAVAILABLE)
}

impl ReaderWatch for PcscWatch {
    fn next_snapshot(&mut self, timeout: Duration) -> Result<Snapshot, UKeyError> {
        let context = self.context()?;
        if self.readers_changed
            && let Err(error) = self.refresh_readers(&context)
        {
            self.forget_context();
            return Err(error);
        }
        match context.get_status_change(timeout, &mut self.states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout | pcsc::Error::Cancelled) => return Ok(self.snapshot()),
            Err(pcsc::Error::UnknownReader) => {
                self.readers_changed = true;
                return Ok(self.snapshot());
            }
            Err(e) => {
                self.forget_context();
                // A daemon that dies under us shows up as a broken connection to it.
                return Err(match e {
                    pcsc::Error::CommError | pcsc::Error::InternalError => UKeyError::NoService,
                    e => from_pcsc(e),
                });
            }
        }
        let pnp = pcsc::PNP_NOTIFICATION();
        for state in &mut self.states {
            let event = state.event_state();
            if event.contains(State::CHANGED) {
                if state.name() == pnp || is_gone(event) {
                    self.readers_changed = true;
                }
                state.sync_current_state();
            }
        }
        Ok(self.snapshot())
    }
}

/// Each card session gets its own PC/SC context (see [`connect`]): pcsc-lite serialises the calls of one context,
/// and a slow card must not hold up the watcher or another reader.
struct PcscConnector;

impl Connector for PcscConnector {
    fn connect(&self, reader: &str) -> Result<Box<dyn InsertedKey>, UKeyError> {
        Ok(Box::new(UKeyCard::select(connect(reader)?)?))
    }
}

/// During an exchange, a card that stops answering or a link that breaks means the card left
/// (a UKey half pulled out) far more often than anything else.
fn from_pcsc_transmit(error: pcsc::Error) -> UKeyError {
    match error {
        pcsc::Error::UnresponsiveCard | pcsc::Error::CommError | pcsc::Error::ProtoMismatch => {
            UKeyError::CardRemoved
        }
        other => from_pcsc(other),
    }
}

struct PcscChannel {
    /// Always `Some` until dropped.
    card: Option<pcsc::Card>,
}

impl Drop for PcscChannel {
    fn drop(&mut self) {
        // pcsc's own drop resets the card, which would cut off any other program using it and
        // power-cycle a card that was just put back; leaving it as it is harms no one.
        if let Some(card) = self.card.take() {
            let _ = card.disconnect(pcsc::Disposition::LeaveCard);
        }
    }
}

/// One PC/SC exchange, as the channel and its transactions both send it.
fn transmit_on(card: &pcsc::Card, command: &[u8]) -> Result<Vec<u8>, UKeyError> {
    let mut buffer = [0u8; pcsc::MAX_BUFFER_SIZE];
    let answer = card
        .transmit(command, &mut buffer)
        .map_err(from_pcsc_transmit)?;
    if answer.is_empty() {
        // A card always answers at least a status word. pcsc-lite hands back nothing when
        // the reader lost the card mid-exchange (vpcd does so when the card hangs up).
        return Err(UKeyError::CardRemoved);
    }
    Ok(answer.to_vec())
}

impl CardChannel for PcscChannel {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, UKeyError> {
        transmit_on(self.card.as_ref().ok_or(UKeyError::CardRemoved)?, command)
    }

    fn reserved(&mut self, work: &mut crate::apdu::Reserved<'_>) -> Result<(), UKeyError> {
        let card = self.card.as_mut().ok_or(UKeyError::CardRemoved)?;
        let transaction = card.transaction().map_err(from_pcsc_transmit)?;
        let outcome = work(&mut InTransaction(&transaction));
        // Ending leaves the card as it is; if the card is gone, ending fails and matters not.
        let _ = transaction.end(pcsc::Disposition::LeaveCard);
        outcome
    }
}

/// The channel while a transaction holds the card.
struct InTransaction<'a, 'tx>(&'a pcsc::Transaction<'tx>);

impl CardChannel for InTransaction<'_, '_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, UKeyError> {
        transmit_on(self.0, command)
    }

    /// Already reserved: PC/SC transactions do not nest.
    fn reserved(&mut self, work: &mut crate::apdu::Reserved<'_>) -> Result<(), UKeyError> {
        work(self)
    }
}
