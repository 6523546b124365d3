//! What the login screen knows of the readers and the UKey, folded from the watcher's events.

use shebao_ukey::{CardEvent, CardHandle, CardIdentity};

use crate::fl;
use crate::widget::Tone;

#[derive(Debug, Clone, Default)]
pub enum CardStatus {
    /// Watching has just begun.
    #[default]
    Looking,
    /// The smart-card service is not running.
    NoService(String),
    /// Readers are plugged in but none holds a card.
    Empty { readers: usize },
    /// A card went in; it is being read.
    Reading { readers: usize },
    /// A UKey of a unit was read.
    Read {
        readers: usize,
        card: CardHandle,
        identity: CardIdentity,
    },
    /// A card is in but is not a readable UKey.
    Unreadable { readers: usize, reason: String },
}

impl CardStatus {
    /// The state after `event`.
    pub fn apply(&mut self, event: &CardEvent) {
        let readers = self.readers();
        *self = match event {
            CardEvent::ReaderAdded { .. } => match std::mem::take(self) {
                CardStatus::Looking | CardStatus::NoService(_) => CardStatus::Empty { readers: 1 },
                other => other.with_readers(readers + 1),
            },
            CardEvent::ReaderRemoved { .. } => match std::mem::take(self) {
                CardStatus::Looking | CardStatus::NoService(_) => CardStatus::Empty { readers: 0 },
                other => other.with_readers(readers.saturating_sub(1)),
            },
            CardEvent::CardInserted { .. } => CardStatus::Reading { readers },
            CardEvent::CardRead { card, identity } => CardStatus::Read {
                readers,
                card: card.clone(),
                identity: identity.clone(),
            },
            CardEvent::CardUnreadable { error, .. } => CardStatus::Unreadable {
                readers,
                reason: error.to_string(),
            },
            CardEvent::CardRemoved { card } => match self {
                // Only the card that is shown leaving empties the reader.
                CardStatus::Read { card: shown, .. } if shown != card => return,
                _ => CardStatus::Empty { readers },
            },
            CardEvent::ServiceUnavailable { error } => CardStatus::NoService(error.to_string()),
            CardEvent::ServiceRestored => CardStatus::Looking,
        };
    }

    fn readers(&self) -> usize {
        match self {
            CardStatus::Looking | CardStatus::NoService(_) => 0,
            CardStatus::Empty { readers }
            | CardStatus::Reading { readers }
            | CardStatus::Read { readers, .. }
            | CardStatus::Unreadable { readers, .. } => *readers,
        }
    }

    fn with_readers(mut self, n: usize) -> Self {
        match &mut self {
            CardStatus::Looking | CardStatus::NoService(_) => {}
            CardStatus::Empty { readers }
            | CardStatus::Reading { readers }
            | CardStatus::Read { readers, .. }
            | CardStatus::Unreadable { readers, .. } => *readers = n,
        }
        self
    }

    /// The UKey that was read, if one is in.
    pub fn card(&self) -> Option<(&CardHandle, &CardIdentity)> {
        match self {
            CardStatus::Read { card, identity, .. } => Some((card, identity)),
            _ => None,
        }
    }

    /// A few words for the reader badge.
    pub fn badge(&self) -> (String, Tone) {
        match self {
            CardStatus::Looking => (fl!("card-looking"), Tone::Waiting),
            CardStatus::NoService(_) => (fl!("card-no-service"), Tone::Bad),
            CardStatus::Empty { readers: 0 } => (fl!("card-no-reader"), Tone::Bad),
            CardStatus::Empty { .. } => (fl!("card-insert"), Tone::Waiting),
            CardStatus::Reading { .. } => (fl!("card-reading"), Tone::Waiting),
            CardStatus::Read { .. } => (fl!("card-ready"), Tone::Good),
            CardStatus::Unreadable { .. } => (fl!("card-unreadable"), Tone::Bad),
        }
    }

    /// What the clerk should do, when there is something to do. The service's and the card's
    /// own reasons come from the UKey crate as they are.
    pub fn advice(&self) -> Option<String> {
        match self {
            CardStatus::Looking | CardStatus::Reading { .. } | CardStatus::Read { .. } => None,
            CardStatus::NoService(reason) => Some(reason.clone()),
            CardStatus::Empty { readers: 0 } => Some(fl!("card-advice-no-reader")),
            CardStatus::Empty { .. } => Some(fl!("card-advice-insert")),
            CardStatus::Unreadable { reason, .. } => Some(reason.clone()),
        }
    }
}
