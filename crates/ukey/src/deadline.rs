//! Deadlines for exchanges that PC/SC cannot time out itself: a transmit to a card that stopped
//! answering blocks inside the service. The caller gets a timeout error on time; the stuck call
//! finishes (or not) on its own thread, and its late result is dropped.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use crate::error::{Operation, UKeyError};

type Deliver<T> = Box<dyn FnOnce(Result<T, UKeyError>) + Send>;

/// The one outcome of an operation: whichever comes first of the operation's result and its
/// deadline is delivered, the other is dropped. Dropped undelivered, it reports the card gone
/// (the only reason a card session drops pending work).
pub(crate) struct Outcome<T: Send + 'static> {
    slot: Arc<Mutex<Option<Deliver<T>>>>,
    /// Dropping this wakes the deadline thread so it ends early.
    _done: mpsc::Sender<()>,
}

impl<T: Send + 'static> Outcome<T> {
    pub fn new(
        timeout: Duration,
        operation: Operation,
        deliver: impl FnOnce(Result<T, UKeyError>) + Send + 'static,
    ) -> Self {
        let slot: Arc<Mutex<Option<Deliver<T>>>> = Arc::new(Mutex::new(Some(Box::new(deliver))));
        let (done, finished) = mpsc::channel::<()>();
        let timer_slot = slot.clone();
        let spawned = thread::Builder::new()
            .name("ukey-deadline".into())
            .spawn(move || {
                if let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(timeout)
                    && let Some(deliver) = take(&timer_slot)
                {
                    deliver(Err(UKeyError::Timeout {
                        operation,
                        after: timeout,
                    }));
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("no deadline thread for {operation}: {e}");
        }
        Outcome { slot, _done: done }
    }

    /// Delivers `result` unless the deadline already passed; says whether it was delivered.
    pub fn deliver(self, result: Result<T, UKeyError>) -> bool {
        match take(&self.slot) {
            Some(deliver) => {
                deliver(result);
                true
            }
            None => false,
        }
    }
}

impl<T: Send + 'static> Drop for Outcome<T> {
    fn drop(&mut self) {
        if let Some(deliver) = take(&self.slot) {
            deliver(Err(UKeyError::CardRemoved));
        }
    }
}

fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().unwrap_or_else(PoisonError::into_inner).take()
}

/// Runs blocking `work` on its own thread and waits at most `timeout` for it.
pub(crate) fn run_within<T: Send + 'static>(
    timeout: Duration,
    operation: Operation,
    work: impl FnOnce() -> Result<T, UKeyError> + Send + 'static,
) -> Result<T, UKeyError> {
    let (sender, receiver) = mpsc::channel();
    thread::Builder::new()
        .name("ukey-exchange".into())
        .spawn(move || {
            let _ = sender.send(work());
        })
        .map_err(|_| UKeyError::ServiceStopped)?;
    match receiver.recv_timeout(timeout) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => Err(UKeyError::Timeout {
            operation,
            after: timeout,
        }),
        Err(RecvTimeoutError::Disconnected) => Err(UKeyError::ServiceStopped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stuck_exchange_reports_a_timeout() {
        let result: Result<(), _> =
            run_within(Duration::from_millis(20), Operation::Signing, || {
                thread::sleep(Duration::from_secs(2));
                Ok(())
            });
        assert!(matches!(result, Err(UKeyError::Timeout { .. })));
    }

    #[test]
    fn the_first_outcome_wins() {
        let (sender, receiver) = mpsc::channel();
        let outcome = Outcome::new(Duration::from_secs(30), Operation::Reading, move |r| {
            let _ = sender.send(r);
        });
        assert!(outcome.deliver(Ok(7)));
        assert!(matches!(receiver.recv(), Ok(Ok(7))));
        assert!(receiver.recv().is_err(), "only one outcome is delivered");
    }

    #[test]
    fn a_late_result_loses_to_the_deadline() {
        let (sender, receiver) = mpsc::channel();
        let outcome = Outcome::new(Duration::from_millis(10), Operation::Signing, move |r| {
            let _ = sender.send(r);
        });
        let first = receiver.recv().expect("the deadline delivers");
        assert!(matches!(first, Err(UKeyError::Timeout { .. })));
        assert!(!outcome.deliver(Ok(1)));
    }
}
