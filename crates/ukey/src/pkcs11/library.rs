//! Loading a PKCS#11 module, once per process, and hearing of its slot events.
//!
//! `C_Initialize` may be called once per process and module, so a loaded module stays loaded
//! until the process ends and every watch of the same path shares it. One thread per module
//! blocks in `C_WaitForSlotEvent`; a module that does not offer it is polled instead. Some of
//! those (SoftHSM2) list only the tokens that were there at `C_Initialize`: for them
//! [`Library::refresh`] initialises the module again, but only while no session is open on it
//! in this process, since `C_Finalize` ends every session (and the PIN's login with it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, RwLock, RwLockReadGuard};
use std::thread;
use std::time::{Duration, Instant};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};

use super::from_pkcs11;
use crate::error::UKeyError;

/// How often a module without slot events is asked for its slots. A token is shown this long
/// after it went in, at worst; each look is a few cheap calls into the module.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// One loaded and initialised module.
pub(crate) struct Library {
    pub ctx: Pkcs11,
    /// Held shared by every call outside a session (listing slots, opening a session), and
    /// alone by [`Library::refresh`], so no call runs while the module is re-initialised.
    calls: RwLock<()>,
    /// Sessions open on the module in this process.
    open_sessions: AtomicUsize,
    events: Mutex<Events>,
    changed: Condvar,
}

struct Events {
    /// Grows with every slot event the module reports.
    version: u64,
    /// Grows with every [`Library::wake`], so a waiting watcher can stop.
    wakes: u64,
    /// Whether `C_WaitForSlotEvent` works: unknown until the waiting thread has tried it.
    blocking_wait: Option<bool>,
}

impl Library {
    /// Leave to call the module outside a session; see [`Library::calls`].
    pub fn calls(&self) -> RwLockReadGuard<'_, ()> {
        self.calls.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a session opened (call with [`Library::calls`] held); the answer uncounts it when
    /// dropped, after the session itself was closed.
    pub fn session_opened(self: &Arc<Self>) -> OpenSession {
        self.open_sessions.fetch_add(1, Ordering::SeqCst);
        OpenSession(self.clone())
    }

    /// Initialises the module again so that it lists the tokens plugged in since, when it
    /// reports no slot events and no session of this process is open on it.
    pub fn refresh(&self) -> Result<(), UKeyError> {
        if self.events().blocking_wait == Some(true) {
            return Ok(());
        }
        let _alone = self.calls.write().unwrap_or_else(PoisonError::into_inner);
        if self.open_sessions.load(Ordering::SeqCst) > 0 {
            return Ok(());
        }
        // Finalizing a module that another part of the process finalized is no failure.
        let _ = self.ctx.clone().finalize();
        initialize(&self.ctx)
    }

    fn events(&self) -> MutexGuard<'_, Events> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current event count, to hand to [`Library::wait_for_change`] later.
    pub fn version(&self) -> u64 {
        self.events().version
    }

    /// Waits until a slot event after `seen`, a wake, or `timeout`; without slot events, waits
    /// one polling interval. Returns the event count to wait from next time.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let mut events = self.events();
        let woken_at = events.wakes;
        let limit = match events.blocking_wait {
            Some(true) => timeout,
            Some(false) | None => timeout.min(POLL_INTERVAL),
        };
        let deadline = Instant::now() + limit;
        while events.version == seen && events.wakes == woken_at {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            events = self
                .changed
                .wait_timeout(events, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        events.version
    }

    /// Ends every current [`Library::wait_for_change`] early.
    pub fn wake(&self) {
        self.events().wakes += 1;
        self.changed.notify_all();
    }

    fn record(&self, event: Option<bool>) {
        let mut events = self.events();
        match event {
            Some(supported) => events.blocking_wait = Some(supported),
            None => events.version += 1,
        }
        drop(events);
        self.changed.notify_all();
    }
}

/// Counts one open session of a [`Library`] until dropped.
pub(crate) struct OpenSession(Arc<Library>);

impl Drop for OpenSession {
    fn drop(&mut self) {
        self.0.open_sessions.fetch_sub(1, Ordering::SeqCst);
    }
}

fn initialize(ctx: &Pkcs11) -> Result<(), UKeyError> {
    match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        // Another part of this process initialised it first; it is usable all the same.
        Ok(()) | Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => Ok(()),
        Err(error) => Err(from_pkcs11(error)),
    }
}

fn loaded() -> MutexGuard<'static, HashMap<PathBuf, Arc<Library>>> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<Library>>>> = OnceLock::new();
    LOADED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// The module at `path`, loaded and initialised on first use. A failure is not remembered, so
/// a module installed later is found on the next try.
pub(crate) fn load(path: &Path) -> Result<Arc<Library>, UKeyError> {
    let mut modules = loaded();
    if let Some(library) = modules.get(path) {
        return Ok(library.clone());
    }
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(UKeyError::ModuleMissing { path: shown });
    }
    let ctx = Pkcs11::new(path).map_err(|error| match error {
        Error::LibraryLoading(e) => UKeyError::NotPkcs11Module {
            path: shown.clone(),
            detail: e.to_string(),
        },
        Error::MissingSymbol(symbol) => UKeyError::NotPkcs11Module {
            path: shown.clone(),
            detail: format!("没有 {symbol} / no {symbol}"),
        },
        other => from_pkcs11(other),
    })?;
    initialize(&ctx)?;
    let library = Arc::new(Library {
        ctx,
        calls: RwLock::new(()),
        open_sessions: AtomicUsize::new(0),
        events: Mutex::new(Events {
            version: 0,
            wakes: 0,
            blocking_wait: None,
        }),
        changed: Condvar::new(),
    });
    let waiting = library.clone();
    let spawned = thread::Builder::new()
        .name("pkcs11-slot-events".into())
        .spawn(move || wait_for_slot_events(&waiting));
    if spawned.is_err() {
        library.record(Some(false));
    }
    tracing::info!(module = %shown, "PKCS#11 module loaded");
    modules.insert(path.to_owned(), library.clone());
    Ok(library)
}

/// Blocks in `C_WaitForSlotEvent` for as long as the module answers it.
fn wait_for_slot_events(library: &Library) {
    let mut announced = false;
    loop {
        match library.ctx.wait_for_slot_event() {
            Ok(_) => {
                if !announced {
                    library.record(Some(true));
                    announced = true;
                }
                library.record(None);
            }
            Err(error) => {
                // CKR_FUNCTION_NOT_SUPPORTED is the usual answer; a module that cannot block
                // (CKR_NO_EVENT) or fails is polled just the same.
                tracing::debug!(%error, "no PKCS#11 slot events: polling the slots");
                library.record(Some(false));
                return;
            }
        }
    }
}
