//! The state every request handler shares.

use std::sync::Arc;

use shebao_core::reference::ReferenceData;

use crate::clock::SharedClock;
use crate::db::Db;
use crate::limits::{Limits, RateLimiter};
use crate::problem::Problem;

/// The running agency: its database, clock, reference data and limits.
pub struct App {
    pub db: Db,
    pub clock: SharedClock,
    pub reference: ReferenceData,
    /// `GET /reference`, serialized once.
    pub reference_json: Vec<u8>,
    pub limits: Limits,
    /// Every captcha is this text (tests on loopback only).
    pub test_captcha: Option<String>,
    pub login_by_address: RateLimiter,
    pub login_by_unit: RateLimiter,
}

pub type AppState = Arc<App>;

impl App {
    pub fn new(
        db: Db,
        clock: SharedClock,
        reference: ReferenceData,
        limits: Limits,
        test_captcha: Option<String>,
    ) -> Self {
        let reference_json = serde_json::to_vec(&reference).unwrap_or_default();
        Self {
            db,
            clock,
            reference,
            reference_json,
            login_by_address: RateLimiter::new(limits.login_per_address),
            login_by_unit: RateLimiter::new(limits.login_per_unit),
            limits,
            test_captcha,
        }
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }
}

/// Runs blocking work (SQLite, Argon2) off the async threads.
pub async fn blocking<T, F>(app: &AppState, work: F) -> Result<T, Problem>
where
    T: Send + 'static,
    F: FnOnce(&App) -> Result<T, Problem> + Send + 'static,
{
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || work(&app))
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "a blocking task failed");
            Err(Problem::internal())
        })
}
