//! The blocking core: one watcher thread turns reader snapshots into events and starts one
//! session thread per inserted card, which reads the card and then serves the requests made
//! through its [`CardHandle`].

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use crate::card::CardIdentity;
use crate::deadline::Outcome;
use crate::error::{Operation, UKeyError};
use crate::events::{CardEvent, CardEvents, EventQueue, StopOnDrop};
use crate::handle::{CardHandle, REQUEST_TIMEOUT, Request};
use crate::source::{CardSource, Connector, InsertedKey, ReaderWatch, Snapshot};

/// How long one wait for a reader change lasts. A stop request interrupts it, so this only
/// bounds how late a lost wake-up can make the watcher stop.
const WAIT_SLICE: Duration = Duration::from_secs(1);
/// How often to look for a PC/SC service that went away.
const SERVICE_RETRY: Duration = Duration::from_secs(2);

/// Starts watching `source`: readers and cards already present are reported first, then
/// changes as they happen. Watching stops when the returned stream is dropped.
pub fn watch(source: CardSource) -> CardEvents {
    watch_with_timeout(source, REQUEST_TIMEOUT)
}

/// [`watch`], with `timeout` for reading a card and for each request on it.
pub fn watch_with_timeout(source: CardSource, timeout: Duration) -> CardEvents {
    let queue = Arc::new(EventQueue::default());
    let stop = Arc::new(AtomicBool::new(false));
    let (reader_watch, connector, wake) = source.open();
    let stop_flag = stop.clone();
    let stopper = StopOnDrop(Box::new(move || {
        stop_flag.store(true, Ordering::SeqCst);
        wake();
    }));
    let watcher = Watcher {
        queue: queue.clone(),
        stop,
        connector,
        readers: BTreeMap::new(),
        next_generation: 1,
        service_down: false,
        timeout,
    };
    let spawned = thread::Builder::new()
        .name("ukey-watcher".into())
        .spawn(move || watcher.run(reader_watch));
    if spawned.is_err() {
        queue.send(CardEvent::ServiceUnavailable {
            error: UKeyError::ServiceStopped,
        });
        queue.close();
    }
    CardEvents::new(queue, stopper)
}

struct Watcher {
    queue: Arc<EventQueue>,
    stop: Arc<AtomicBool>,
    connector: Arc<dyn Connector>,
    /// Known readers and the card (insertion counter, handle) in each.
    readers: BTreeMap<String, Option<(u32, CardHandle)>>,
    next_generation: u64,
    service_down: bool,
    timeout: Duration,
}

impl Watcher {
    fn run(mut self, mut reader_watch: Box<dyn ReaderWatch>) {
        while !self.stopping() {
            match reader_watch.next_snapshot(WAIT_SLICE) {
                Ok(snapshot) => {
                    if self.service_down {
                        self.service_down = false;
                        self.queue.send(CardEvent::ServiceRestored);
                    }
                    self.apply(snapshot);
                }
                Err(error) => {
                    if !self.service_down {
                        self.service_down = true;
                        tracing::warn!(%error, "card service unavailable");
                        self.apply(Vec::new());
                        self.queue.send(CardEvent::ServiceUnavailable { error });
                    }
                    self.pause(SERVICE_RETRY);
                }
            }
        }
        for (_, card) in std::mem::take(&mut self.readers) {
            if let Some((_, handle)) = card {
                handle.mark_removed();
            }
        }
        self.queue.close();
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.queue.is_abandoned()
    }

    fn pause(&self, total: Duration) {
        let step = Duration::from_millis(100);
        let mut waited = Duration::ZERO;
        while waited < total && !self.stopping() {
            thread::sleep(step);
            waited += step;
        }
    }

    /// Turns the difference between what is known and `snapshot` into events.
    fn apply(&mut self, snapshot: Snapshot) {
        let gone: Vec<String> = self
            .readers
            .keys()
            .filter(|name| !snapshot.iter().any(|r| &r.name == *name))
            .cloned()
            .collect();
        for name in gone {
            self.remove_card(&name);
            self.readers.remove(&name);
            self.queue.send(CardEvent::ReaderRemoved { reader: name });
        }
        for reader in &snapshot {
            if !self.readers.contains_key(&reader.name) {
                self.readers.insert(reader.name.clone(), None);
                self.queue.send(CardEvent::ReaderAdded {
                    reader: reader.name.clone(),
                });
            }
        }
        for reader in snapshot {
            let known = self
                .readers
                .get(&reader.name)
                .and_then(|card| card.as_ref().map(|(count, _)| *count));
            if known.is_some() && known != reader.card {
                self.remove_card(&reader.name);
            }
            if let Some(count) = reader.card
                && known != Some(count)
            {
                self.insert_card(&reader.name, count);
            }
        }
    }

    fn remove_card(&mut self, reader: &str) {
        if let Some(Some((_, handle))) = self.readers.get_mut(reader).map(Option::take) {
            handle.mark_removed();
            self.queue.send(CardEvent::CardRemoved { card: handle });
        }
    }

    fn insert_card(&mut self, reader: &str, count: u32) {
        let (requests, inbox) = mpsc::channel();
        let handle = CardHandle::new(reader, self.next_generation, self.timeout, requests);
        self.next_generation += 1;
        self.readers
            .insert(reader.to_owned(), Some((count, handle.clone())));
        self.queue.send(CardEvent::CardInserted {
            card: handle.clone(),
        });
        let session = Session {
            handle: handle.clone(),
            connector: self.connector.clone(),
            queue: self.queue.clone(),
        };
        let spawned = thread::Builder::new()
            .name(format!("ukey-card-{}", handle.generation()))
            .spawn(move || session.run(inbox));
        if spawned.is_err() {
            handle.mark_ended(UKeyError::ServiceStopped);
            self.queue.send(CardEvent::CardUnreadable {
                card: handle,
                error: UKeyError::ServiceStopped,
            });
        }
    }
}

/// One inserted card, on its own thread.
struct Session {
    handle: CardHandle,
    connector: Arc<dyn Connector>,
    queue: Arc<EventQueue>,
}

impl Session {
    fn run(self, inbox: Receiver<Request>) {
        let reported = {
            let handle = self.handle.clone();
            let queue = self.queue.clone();
            Outcome::new(self.handle.timeout(), Operation::Reading, move |result| {
                let event = match result {
                    Ok(identity) => CardEvent::CardRead {
                        card: handle,
                        identity,
                    },
                    Err(error) => {
                        handle.mark_ended(error.clone());
                        CardEvent::CardUnreadable {
                            card: handle,
                            error,
                        }
                    }
                };
                queue.send(event);
            })
        };
        let mut card = match self.open() {
            Ok((card, identity)) => {
                tracing::info!(reader = self.handle.reader(), "UKey read");
                self.handle.set_key_algorithm(identity.key_algorithm);
                if !reported.deliver(Ok(identity)) {
                    return;
                }
                card
            }
            Err(error) => {
                tracing::info!(reader = self.handle.reader(), %error, "card unreadable");
                reported.deliver(Err(error));
                return;
            }
        };
        while let Ok(request) = inbox.recv() {
            match request {
                Request::Read(reply) => {
                    reply.deliver(card.read_identity());
                }
                Request::VerifyPin(pin, reply) => {
                    reply.deliver(card.verify_pin(&pin));
                }
                Request::Sign(challenge, reply) => {
                    reply.deliver(card.sign(&challenge));
                }
                Request::Stop => break,
            }
        }
    }

    fn open(&self) -> Result<(Box<dyn InsertedKey>, CardIdentity), UKeyError> {
        let mut key = self.connector.connect(self.handle.reader())?;
        let identity = key.read_identity()?;
        Ok((key, identity))
    }
}

#[cfg(test)]
#[path = "watcher_tests.rs"]
mod tests;
