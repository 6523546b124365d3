//! The stream of card events from the watcher thread to the client. One queue serves two kinds
//! of consumer: a GUI polls it as a `futures::Stream` (iced's `Subscription::run`), a command
//! line or a test blocks on it with a timeout.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use futures_core::Stream;

use crate::card::CardIdentity;
use crate::error::UKeyError;
use crate::handle::CardHandle;

/// Something that happened to the readers or cards.
#[derive(Debug, Clone)]
pub enum CardEvent {
    /// A reader appeared (or was there when watching began).
    ReaderAdded { reader: String },
    /// A reader was unplugged.
    ReaderRemoved { reader: String },
    /// A card went into a reader; reading it has begun.
    CardInserted { card: CardHandle },
    /// The card was read: it is a UKey of this unit.
    CardRead {
        card: CardHandle,
        identity: CardIdentity,
    },
    /// The card could not be read (another kind of card, a broken one, pulled mid-read…).
    CardUnreadable { card: CardHandle, error: UKeyError },
    /// The card left its reader; its handle is no longer good.
    CardRemoved { card: CardHandle },
    /// The PC/SC service is gone; watching resumes by itself when it returns.
    ServiceUnavailable { error: UKeyError },
    /// The PC/SC service is back.
    ServiceRestored,
}

#[derive(Default)]
struct QueueState {
    events: VecDeque<CardEvent>,
    waker: Option<Waker>,
    /// The watcher stopped; nothing more will come.
    closed: bool,
    /// The consumer went away; the watcher should stop.
    abandoned: bool,
}

#[derive(Default)]
pub(crate) struct EventQueue {
    state: Mutex<QueueState>,
    arrived: Condvar,
}

impl EventQueue {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues an event; false once nobody listens any more.
    pub fn send(&self, event: CardEvent) -> bool {
        let mut state = self.lock();
        if state.abandoned {
            return false;
        }
        tracing::debug!(?event, "card event");
        state.events.push_back(event);
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
        self.arrived.notify_all();
        true
    }

    pub fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
        self.arrived.notify_all();
    }

    pub fn is_abandoned(&self) -> bool {
        self.lock().abandoned
    }

    fn abandon(&self) {
        self.lock().abandoned = true;
    }
}

/// Stops the watcher when the consumer drops the stream.
pub(crate) struct StopOnDrop(pub Box<dyn Fn() + Send + Sync>);

/// The events of one watch. Dropping it stops the watcher and its card sessions.
pub struct CardEvents {
    queue: Arc<EventQueue>,
    stop: StopOnDrop,
}

/// Why [`CardEvents::recv_timeout`] returned without an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecvError {
    Timeout,
    /// The watcher stopped.
    Closed,
}

impl CardEvents {
    pub(crate) fn new(queue: Arc<EventQueue>, stop: StopOnDrop) -> Self {
        CardEvents { queue, stop }
    }

    /// The next event, waiting at most `timeout`.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<CardEvent, RecvError> {
        let deadline = Instant::now() + timeout;
        let mut state = self.queue.lock();
        loop {
            if let Some(event) = state.events.pop_front() {
                return Ok(event);
            }
            if state.closed {
                return Err(RecvError::Closed);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(RecvError::Timeout);
            }
            state = self
                .queue
                .arrived
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

impl Stream for CardEvents {
    type Item = CardEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<CardEvent>> {
        let mut state = self.queue.lock();
        if let Some(event) = state.events.pop_front() {
            return Poll::Ready(Some(event));
        }
        if state.closed {
            return Poll::Ready(None);
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for CardEvents {
    fn drop(&mut self) {
        self.queue.abandon();
        (self.stop.0)();
    }
}

impl std::fmt::Debug for CardEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardEvents")
    }
}
