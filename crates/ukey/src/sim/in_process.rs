//! Simulated readers inside the client process, for the demo on a PC without a PC/SC service
//! and for unit tests: cards are inserted and pulled by calling methods, and the watcher sees
//! them exactly as it sees PC/SC readers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::apdu::CardChannel;
use crate::error::UKeyError;
use crate::sim::applet::Applet;
use crate::sim::card::SimCard;
use crate::source::{ReaderSnapshot, Snapshot};

/// A bank of simulated readers. Cloning gives another handle on the same readers.
#[derive(Clone, Debug)]
pub struct SimulatedReaders {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<BankState>,
    changed: Condvar,
}

#[derive(Debug)]
struct BankState {
    /// Bumped on every change, so a watcher knows whether to look again.
    version: u64,
    woken: bool,
    slots: Vec<Slot>,
}

#[derive(Debug)]
struct Slot {
    name: String,
    /// False once the reader was unplugged; the slot keeps its index so others keep theirs.
    plugged: bool,
    insertions: u32,
    card: Option<Inserted>,
}

#[derive(Debug, Clone)]
struct Inserted {
    card: Arc<SimCard>,
    /// Cleared when the card is pulled; every channel to this insertion then fails.
    present: Arc<AtomicBool>,
    /// What goes wrong, and on which instruction byte.
    fault: Option<(Fault, u8)>,
}

/// A way for a simulated card to misbehave in the middle of an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The clerk pulls the card out as the command arrives.
    PulledOut,
    /// The card stops answering (until it is pulled out).
    Hangs,
}

impl SimulatedReaders {
    /// `count` empty readers named "Simulated UKey reader 0", "… 1" and so on.
    pub fn new(count: usize) -> Self {
        let slots = (0..count)
            .map(|i| Slot {
                name: format!("Simulated UKey reader {i}"),
                plugged: true,
                insertions: 0,
                card: None,
            })
            .collect();
        SimulatedReaders {
            shared: Arc::new(Shared {
                state: Mutex::new(BankState {
                    version: 0,
                    woken: false,
                    slots,
                }),
                changed: Condvar::new(),
            }),
        }
    }

    pub fn reader_name(&self, slot: usize) -> Option<String> {
        self.lock().slots.get(slot).map(|s| s.name.clone())
    }

    /// Plugs in one more reader; returns its slot.
    pub fn plug_reader(&self) -> usize {
        let mut state = self.lock();
        let slot = state.slots.len();
        state.slots.push(Slot {
            name: format!("Simulated UKey reader {slot}"),
            plugged: true,
            insertions: 0,
            card: None,
        });
        state.version += 1;
        self.shared.changed.notify_all();
        slot
    }

    /// Unplugs reader `slot`, card and all.
    pub fn unplug_reader(&self, slot: usize) {
        self.pull(slot);
        let mut state = self.lock();
        if let Some(target) = state.slots.get_mut(slot) {
            target.plugged = false;
            state.version += 1;
            self.shared.changed.notify_all();
        }
    }

    /// Puts `card` into reader `slot`, pulling out whatever was there.
    pub fn insert(&self, slot: usize, card: Arc<SimCard>) {
        self.insert_inner(slot, card, None);
    }

    /// Like [`insert`](Self::insert), but the card misbehaves as soon as a command with
    /// instruction byte `ins` reaches it: pulled out mid-exchange, or struck dumb.
    pub fn insert_faulty(&self, slot: usize, card: Arc<SimCard>, fault: Fault, ins: u8) {
        self.insert_inner(slot, card, Some((fault, ins)));
    }

    fn insert_inner(&self, slot: usize, card: Arc<SimCard>, fault: Option<(Fault, u8)>) {
        let mut state = self.lock();
        let Some(target) = state.slots.get_mut(slot).filter(|s| s.plugged) else {
            return;
        };
        if let Some(old) = target.card.take() {
            old.present.store(false, Ordering::SeqCst);
        }
        target.insertions = target.insertions.wrapping_add(1);
        target.card = Some(Inserted {
            card,
            present: Arc::new(AtomicBool::new(true)),
            fault,
        });
        state.version += 1;
        self.shared.changed.notify_all();
    }

    /// Pulls the card out of reader `slot`.
    pub fn pull(&self, slot: usize) {
        self.pull_if(slot, |_| true);
    }

    /// Pulls the card out of `slot` if it is still the insertion `present` belongs to.
    fn pull_insertion(&self, slot: usize, present: &Arc<AtomicBool>) {
        self.pull_if(slot, |inserted| Arc::ptr_eq(&inserted.present, present));
    }

    fn pull_if(&self, slot: usize, which: impl FnOnce(&Inserted) -> bool) {
        let mut state = self.lock();
        let Some(target) = state.slots.get_mut(slot) else {
            return;
        };
        if !target.card.as_ref().is_some_and(which) {
            return;
        }
        if let Some(old) = target.card.take() {
            old.present.store(false, Ordering::SeqCst);
            target.insertions = target.insertions.wrapping_add(1);
            state.version += 1;
            self.shared.changed.notify_all();
        }
    }

    fn lock(&self) -> MutexGuard<'_, BankState> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until something changed after `seen_version`, or `timeout`, or a wake-up.
    pub(crate) fn wait_for_change(&self, seen_version: u64, timeout: Duration) -> (u64, Snapshot) {
        let state = self.lock();
        let (mut state, _) = self
            .shared
            .changed
            .wait_timeout_while(state, timeout, |s| s.version == seen_version && !s.woken)
            .unwrap_or_else(PoisonError::into_inner);
        state.woken = false;
        (state.version, snapshot_of(&state))
    }

    pub(crate) fn wake(&self) {
        self.lock().woken = true;
        self.shared.changed.notify_all();
    }

    pub(crate) fn connect(&self, reader: &str) -> Result<SimChannel, UKeyError> {
        let state = self.lock();
        let (index, slot) = state
            .slots
            .iter()
            .enumerate()
            .find(|(_, s)| s.name == reader && s.plugged)
            .ok_or(UKeyError::NoReader)?;
        let inserted = slot.card.clone().ok_or_else(|| UKeyError::NoCard {
            reader: reader.to_owned(),
        })?;
        Ok(SimChannel {
            applet: Applet::new(inserted.card.clone()),
            inserted,
            bank: self.clone(),
            slot: index,
        })
    }

    /// A stable identity, so a GUI subscription keyed on the source stays the same one.
    pub(crate) fn id(&self) -> usize {
        Arc::as_ptr(&self.shared) as usize
    }
}

fn snapshot_of(state: &BankState) -> Snapshot {
    state
        .slots
        .iter()
        .filter(|slot| slot.plugged)
        .map(|slot| ReaderSnapshot {
            name: slot.name.clone(),
            card: slot.card.as_ref().map(|_| slot.insertions),
        })
        .collect()
}

/// A connection to one insertion of a simulated card.
#[derive(Debug)]
pub(crate) struct SimChannel {
    applet: Applet,
    inserted: Inserted,
    bank: SimulatedReaders,
    slot: usize,
}

impl CardChannel for SimChannel {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, UKeyError> {
        if !self.inserted.present.load(Ordering::SeqCst) {
            return Err(UKeyError::CardRemoved);
        }
        match self.inserted.fault {
            Some((Fault::PulledOut, ins)) if command.get(1) == Some(&ins) => {
                self.bank.pull_insertion(self.slot, &self.inserted.present);
                return Err(UKeyError::CardRemoved);
            }
            Some((Fault::Hangs, ins)) if command.get(1) == Some(&ins) => {
                // Like a real card gone mute: nothing comes back until it leaves the reader.
                while self.inserted.present.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                return Err(UKeyError::CardRemoved);
            }
            _ => {}
        }
        Ok(self.applet.process(command))
    }

    /// Only this process reaches a simulated card, and each channel is its own card session.
    fn reserved(&mut self, work: &mut crate::apdu::Reserved<'_>) -> Result<(), UKeyError> {
        work(self)
    }
}
