//! The state every request handler shares.

use std::sync::Arc;

use shebao_core::reference::ReferenceData;

use crate::clock::SharedClock;
use crate::limits::Limits;
use crate::problem::Problem;
use crate::storage::Storage;

/// The running agency: its storage, clock, reference data and limits.
pub struct App {
    pub storage: Storage,
    pub clock: SharedClock,
    pub reference: Arc<ReferenceData>,
    /// `GET /reference`, serialized once.
    pub reference_json: Vec<u8>,
    pub limits: Limits,
    /// Every captcha is this text (tests on loopback only).
    pub test_captcha: Option<String>,
}

pub type AppState = Arc<App>;

impl App {
    pub fn new(
        storage: Storage,
        clock: SharedClock,
        reference: ReferenceData,
        limits: Limits,
        test_captcha: Option<String>,
    ) -> Self {
        let reference_json = serde_json::to_vec(&reference).unwrap_or_default();
        Self {
            storage,
            clock,
            reference: Arc::new(reference),
            reference_json,
            limits,
            test_captcha,
        }
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }
}

/// Runs CPU-heavy work (Argon2, the captcha picture) off the async threads.
pub async fn cpu<T, F>(work: F) -> Result<T, Problem>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, Problem> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "a blocking task failed");
            Err(Problem::internal())
        })
}
