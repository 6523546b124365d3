//! The `CardSource` seam: where cards come from. Production uses PC/SC for UKeys of our card
//! profile, or a PKCS#11 module for the tokens sold with one; the demo can use simulated
//! readers inside the process when the PC/SC service is absent. All of them feed the same
//! watcher, so a token and a UKey surface as the same events.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use crate::apdu::CardChannel;
use crate::card::{CardIdentity, CardPin, CardSignature, Challenge, UKeyCard};
use crate::error::UKeyError;
use crate::pkcs11::Pkcs11Module;
use crate::sim::SimulatedReaders;

/// Where the client finds its UKey.
#[derive(Debug, Clone)]
pub enum CardSource {
    /// Real readers through the system's PC/SC service (winscard, pcsc-lite).
    Pcsc,
    /// Simulated readers in this process (demo and tests).
    Simulated(SimulatedReaders),
    /// The slots of a PKCS#11 module: each token in a slot is a key holding the unit's
    /// certificate and key pair.
    Pkcs11(Pkcs11Module),
}

impl PartialEq for CardSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (CardSource::Pcsc, CardSource::Pcsc) => true,
            (CardSource::Simulated(a), CardSource::Simulated(b)) => a.id() == b.id(),
            (CardSource::Pkcs11(a), CardSource::Pkcs11(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for CardSource {}

/// Lets a GUI key its card subscription on the source.
impl Hash for CardSource {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            CardSource::Pcsc => 0usize.hash(state),
            CardSource::Simulated(readers) => readers.id().hash(state),
            CardSource::Pkcs11(module) => module.hash(state),
        }
    }
}

/// What the watcher sees of one reader at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReaderSnapshot {
    pub name: String,
    /// `Some(insertion counter)` while a card is in the reader. A changed counter with a card
    /// still present means it was swapped between two looks.
    pub card: Option<u32>,
}

pub(crate) type Snapshot = Vec<ReaderSnapshot>;

/// Watches readers for one watcher thread.
pub(crate) trait ReaderWatch: Send {
    /// The current readers and cards, after waiting up to `timeout` for a change.
    fn next_snapshot(&mut self, timeout: Duration) -> Result<Snapshot, UKeyError>;
}

/// Opens the key in a reader; shared by the card sessions.
pub(crate) trait Connector: Send + Sync {
    fn connect(&self, reader: &str) -> Result<Box<dyn InsertedKey>, UKeyError>;
}

/// One inserted key, opened: a UKey of the card profile or a PKCS#11 token. The card session
/// thread owns it and serves the handle's requests with it.
pub(crate) trait InsertedKey: Send {
    fn read_identity(&mut self) -> Result<CardIdentity, UKeyError>;
    fn verify_pin(&mut self, pin: &CardPin) -> Result<(), UKeyError>;
    fn sign(&mut self, challenge: &Challenge) -> Result<CardSignature, UKeyError>;
}

impl<C: CardChannel> InsertedKey for UKeyCard<C> {
    fn read_identity(&mut self) -> Result<CardIdentity, UKeyError> {
        UKeyCard::read_identity(self)
    }

    fn verify_pin(&mut self, pin: &CardPin) -> Result<(), UKeyError> {
        UKeyCard::verify_pin(self, pin)
    }

    fn sign(&mut self, challenge: &Challenge) -> Result<CardSignature, UKeyError> {
        UKeyCard::sign(self, challenge)
    }
}

/// Interrupts a waiting [`ReaderWatch::next_snapshot`] so the watcher can stop promptly.
pub(crate) type Wake = Arc<dyn Fn() + Send + Sync>;

impl CardSource {
    pub(crate) fn open(&self) -> (Box<dyn ReaderWatch>, Arc<dyn Connector>, Wake) {
        match self {
            CardSource::Pcsc => crate::pcsc_backend::open(),
            CardSource::Pkcs11(module) => crate::pkcs11::open(module),
            CardSource::Simulated(readers) => {
                let wake_readers = readers.clone();
                (
                    Box::new(SimulatedWatch {
                        readers: readers.clone(),
                        seen_version: None,
                    }),
                    Arc::new(readers.clone()),
                    Arc::new(move || wake_readers.wake()),
                )
            }
        }
    }
}

struct SimulatedWatch {
    readers: SimulatedReaders,
    seen_version: Option<u64>,
}

impl ReaderWatch for SimulatedWatch {
    fn next_snapshot(&mut self, timeout: Duration) -> Result<Snapshot, UKeyError> {
        match self.seen_version {
            None => {
                let (version, snapshot) = self.readers.wait_for_change(u64::MAX, Duration::ZERO);
                self.seen_version = Some(version);
                Ok(snapshot)
            }
            Some(seen) => {
                let (version, snapshot) = self.readers.wait_for_change(seen, timeout);
                self.seen_version = Some(version);
                Ok(snapshot)
            }
        }
    }
}

impl Connector for SimulatedReaders {
    fn connect(&self, reader: &str) -> Result<Box<dyn InsertedKey>, UKeyError> {
        let channel = SimulatedReaders::connect(self, reader)?;
        Ok(Box::new(UKeyCard::select(channel)?))
    }
}
