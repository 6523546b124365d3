//! What the screens' tests share: a unit's UKey read from the in-process simulator, and the
//! app's services with no agency behind them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shebao_store::vault::MemoryVault;
use shebao_store::{DataDir, KeySource};
use shebao_sync::TokenHome;
use shebao_ukey::sim::{CardFile, SimulatedReaders};
use shebao_ukey::{CardEvent, CardEvents, CardSource};

use super::card_status::CardStatus;
use super::session::Services;

pub const UNIT_NO: &str = "3501000001";
pub const UNIT_NAME: &str = "福州示例科技有限公司";

/// The simulator's readers, and the watch whose events fold into a [`CardStatus`].
pub struct Readers {
    pub readers: SimulatedReaders,
    pub events: CardEvents,
    pub status: CardStatus,
}

impl Readers {
    /// One empty reader, watched until the watcher has reported it.
    pub fn empty() -> Self {
        let readers = SimulatedReaders::new(1);
        let events = shebao_ukey::watch(CardSource::Simulated(readers.clone()));
        let mut watched = Self {
            readers,
            events,
            status: CardStatus::default(),
        };
        watched.until(|e| matches!(e, CardEvent::ReaderAdded { .. }));
        watched
    }

    /// A reader holding the unit's UKey, already read.
    pub fn with_card() -> Self {
        let mut watched = Self::empty();
        watched.insert();
        watched
    }

    pub fn insert(&mut self) {
        self.insert_card(&CardFile::generate(
            UNIT_NO,
            UNIT_NAME,
            "91350100M000100Y43",
            None,
        ));
    }

    pub fn insert_card(&mut self, file: &CardFile) {
        let card = file.to_card().expect("the card file is valid");
        self.readers.insert(0, Arc::new(card));
        self.until(|e| matches!(e, CardEvent::CardRead { .. }));
    }

    pub fn pull(&mut self) {
        self.readers.pull(0);
        self.until(|e| matches!(e, CardEvent::CardRemoved { .. }));
    }

    /// Folds events into the status until one matches, as the app does.
    pub fn until(&mut self, wanted: impl Fn(&CardEvent) -> bool) -> CardEvent {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self
                .events
                .recv_timeout(left)
                .expect("the watcher reports in time");
            self.status.apply(&event);
            if wanted(&event) {
                return event;
            }
        }
    }
}

/// Services whose agency is unreachable by construction (no address).
pub fn services(data: &std::path::Path) -> Services {
    Services {
        data_dir: DataDir::at(data),
        keys: KeySource::new(Arc::new(MemoryVault::new()), Some("test passphrase".into())),
        tokens: TokenHome::Store,
        agency: Err("no agency in this test".into()),
    }
}

/// A logged-in unit with no agency behind it, for the pages' tests: its store lives in `data`.
/// The readers are returned too, since pulling the key is part of some tests.
pub fn offline_session(data: &std::path::Path) -> (super::session::Session, Readers) {
    let readers = Readers::with_card();
    let (card, _) = readers.status.card().expect("the card was read");
    let session = super::session::Session::offline(&services(data), card.clone());
    (session, readers)
}
