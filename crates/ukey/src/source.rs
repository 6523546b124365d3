//! The `CardSource` seam: where cards come from. Production always uses PC/SC; the demo can
//! use simulated readers inside the process when the PC/SC service is absent. Both feed the
//! same watcher and the same card-reading code.

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use crate::apdu::CardChannel;
use crate::error::UKeyError;
use crate::sim::SimulatedReaders;

/// Where the client finds its UKey.
#[derive(Debug, Clone)]
pub enum CardSource {
    /// Real readers through the system's PC/SC service (winscard, pcsc-lite).
    Pcsc,
    /// Simulated readers in this process (demo and tests).
    Simulated(SimulatedReaders),
}

impl PartialEq for CardSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (CardSource::Pcsc, CardSource::Pcsc) => true,
            (CardSource::Simulated(a), CardSource::Simulated(b)) => a.id() == b.id(),
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

/// Opens a channel to the card in a reader; shared by the card sessions.
pub(crate) trait Connector: Send + Sync {
    fn connect(&self, reader: &str) -> Result<Box<dyn CardChannel>, UKeyError>;
}

/// Interrupts a waiting [`ReaderWatch::next_snapshot`] so the watcher can stop promptly.
pub(crate) type Wake = Arc<dyn Fn() + Send + Sync>;

impl CardSource {
    pub(crate) fn open(&self) -> (Box<dyn ReaderWatch>, Arc<dyn Connector>, Wake) {
        match self {
            CardSource::Pcsc => crate::pcsc_backend::open(),
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
    fn connect(&self, reader: &str) -> Result<Box<dyn CardChannel>, UKeyError> {
        Ok(Box::new(SimulatedReaders::connect(self, reader)?))
    }
}
