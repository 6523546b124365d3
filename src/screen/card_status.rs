//! What the login screen knows of the readers and the UKey, folded from the watcher's events.

use shebao_ukey::{CardEvent, CardHandle, CardIdentity};

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
    pub fn badge(&self) -> (&'static str, Tone) {
        match self {
            CardStatus::Looking => ("正在查找读卡器", Tone::Waiting),
            CardStatus::NoService(_) => ("智能卡服务未运行", Tone::Bad),
            CardStatus::Empty { readers: 0 } => ("未找到读卡器", Tone::Bad),
            CardStatus::Empty { .. } => ("请插入 UKey", Tone::Waiting),
            CardStatus::Reading { .. } => ("正在读取 UKey", Tone::Waiting),
            CardStatus::Read { .. } => ("UKey 已就绪", Tone::Good),
            CardStatus::Unreadable { .. } => ("UKey 无法读取", Tone::Bad),
        }
    }

    /// What the clerk should do, when there is something to do.
    pub fn advice(&self) -> Option<&str> {
        match self {
            CardStatus::Looking | CardStatus::Reading { .. } | CardStatus::Read { .. } => None,
            CardStatus::NoService(reason) => Some(reason),
            CardStatus::Empty { readers: 0 } => {
                Some("没有找到读卡器：请插好本单位的 UKey；如已插入，请换一个 USB 口。")
            }
            CardStatus::Empty { .. } => Some("请插入本单位的 UKey，单位编号和名称会自动显示。"),
            CardStatus::Unreadable { reason, .. } => Some(reason),
        }
    }
}
