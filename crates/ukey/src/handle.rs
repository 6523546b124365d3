//! Card handles: the client's way to ask one inserted card for something. A handle names one
//! insertion (a generation number); once that card is pulled, every request on it fails with
//! "card removed", even if a card is put back into the same reader.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_channel::oneshot;

use crate::card::{CardIdentity, CardPin, CardSignature, Challenge, KeyAlgorithm};
use crate::deadline::Outcome;
use crate::error::{Operation, UKeyError};

/// How long a card gets for one request before the client gives up on it, unless
/// [`crate::watch_with_timeout`] says otherwise.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One inserted card. Cheap to clone; equal handles name the same insertion.
#[derive(Clone)]
pub struct CardHandle {
    inner: Arc<HandleInner>,
}

struct HandleInner {
    reader: String,
    generation: u64,
    timeout: Duration,
    present: AtomicBool,
    /// Why the card's session ended, if it ended while the card was still in the reader (for
    /// example: not a UKey).
    ended_with: Mutex<Option<UKeyError>>,
    /// The kind of key, once the card was read.
    key_algorithm: OnceLock<KeyAlgorithm>,
    requests: Sender<Request>,
}

pub(crate) enum Request {
    Read(Outcome<CardIdentity>),
    VerifyPin(CardPin, Outcome<()>),
    Sign(Box<Challenge>, Outcome<CardSignature>),
    Stop,
}

impl CardHandle {
    pub(crate) fn new(
        reader: &str,
        generation: u64,
        timeout: Duration,
        requests: Sender<Request>,
    ) -> Self {
        CardHandle {
            inner: Arc::new(HandleInner {
                reader: reader.to_owned(),
                generation,
                timeout,
                present: AtomicBool::new(true),
                ended_with: Mutex::new(None),
                key_algorithm: OnceLock::new(),
                requests,
            }),
        }
    }

    /// The reader the card is in.
    pub fn reader(&self) -> &str {
        &self.inner.reader
    }

    /// A number that grows with every insertion the watcher sees.
    pub fn generation(&self) -> u64 {
        self.inner.generation
    }

    /// False once the card was pulled out.
    pub fn is_present(&self) -> bool {
        self.inner.present.load(Ordering::SeqCst)
    }

    /// How the card signs, known once it was read ([`crate::CardEvent::CardRead`]): what a
    /// login tells the agency beside the signature.
    pub fn key_algorithm(&self) -> Option<KeyAlgorithm> {
        self.inner.key_algorithm.get().copied()
    }

    pub(crate) fn set_key_algorithm(&self, algorithm: KeyAlgorithm) {
        let _ = self.inner.key_algorithm.set(algorithm);
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn mark_removed(&self) {
        self.inner.present.store(false, Ordering::SeqCst);
        let _ = self.inner.requests.send(Request::Stop);
    }

    pub(crate) fn mark_ended(&self, error: UKeyError) {
        *self
            .inner
            .ended_with
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(error);
    }

    /// Reads the unit's data again.
    pub fn read_identity(&self) -> Pending<CardIdentity> {
        self.request(Operation::Reading, Request::Read)
    }

    /// Presents the PIN to the card.
    pub fn verify_pin(&self, pin: CardPin) -> Pending<()> {
        self.request(Operation::VerifyingPin, |reply| {
            Request::VerifyPin(pin, reply)
        })
    }

    /// Signs the agency's 32-byte login challenge.
    pub fn sign(&self, challenge: Challenge) -> Pending<CardSignature> {
        self.request(Operation::Signing, |reply| {
            Request::Sign(Box::new(challenge), reply)
        })
    }

    fn request<T: Send + 'static>(
        &self,
        operation: Operation,
        make: impl FnOnce(Outcome<T>) -> Request,
    ) -> Pending<T> {
        let (sender, receiver) = oneshot::channel();
        let outcome = Outcome::new(self.inner.timeout, operation, move |result| {
            let _ = sender.send(result);
        });
        let pending = Pending { receiver };
        if !self.is_present() {
            outcome.deliver(Err(UKeyError::CardRemoved));
            return pending;
        }
        if let Some(error) = self.ended_error() {
            outcome.deliver(Err(error));
            return pending;
        }
        // A send fails only when the session has ended; the outcome then reports the card gone
        // as it is dropped.
        let _ = self.inner.requests.send(make(outcome));
        pending
    }

    fn ended_error(&self) -> Option<UKeyError> {
        self.inner
            .ended_with
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl PartialEq for CardHandle {
    fn eq(&self, other: &Self) -> bool {
        self.inner.generation == other.inner.generation
    }
}

impl Eq for CardHandle {}

impl std::fmt::Debug for CardHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardHandle")
            .field("reader", &self.inner.reader)
            .field("generation", &self.inner.generation)
            .field("present", &self.is_present())
            .finish()
    }
}

/// The answer to a card request, on its way. Await it in async code (an iced `Task`), or call
/// [`wait`](Pending::wait) in blocking code. It always resolves: with the answer, an error, or
/// a timeout (after [`REQUEST_TIMEOUT`] by default).
#[must_use = "a card request does nothing useful unless its answer is awaited"]
pub struct Pending<T> {
    receiver: oneshot::Receiver<Result<T, UKeyError>>,
}

impl<T> Pending<T> {
    /// Blocks the calling thread until the answer arrives. Not for a GUI thread.
    pub fn wait(self) -> Result<T, UKeyError> {
        futures_executor::block_on(self)
    }
}

impl<T> Future for Pending<T> {
    type Output = Result<T, UKeyError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.receiver).poll(cx) {
            Poll::Ready(Ok(result)) => Poll::Ready(result),
            Poll::Ready(Err(oneshot::Canceled)) => Poll::Ready(Err(UKeyError::ServiceStopped)),
            Poll::Pending => Poll::Pending,
        }
    }
}
