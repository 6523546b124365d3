//! shebao-sync: the client side of the agency API v1.
//!
//! The only code of the client that talks HTTP: [`AgencyClient`] covers every call of the API
//! (problem documents become typed [`SyncError`]s); [`login`] runs the login with the card's
//! signature through a [`ChallengeSigner`]; [`TokenHome`] keeps the session token (OS keyring,
//! or inside the encrypted store where there is no keyring); [`SyncEngine`] sends the outbox
//! with retries under one idempotency key per declaration and applies the agency's changes
//! feed, reference data, roster and announcements to the store, one transaction per step,
//! under a per-unit lock so two processes never sync the same unit at once.

mod backoff;
mod client;
mod engine;
mod error;
pub mod lock;
pub mod login;
pub mod problem;
mod runtime;
mod session;
pub mod wire;

pub use backoff::Backoff;
pub use client::{AgencyClient, ClientConfig};
pub use engine::{SendReport, SyncEngine, SyncReport};
pub use error::{Result, SyncError};
pub use login::{ChallengeSigner, PendingLogin, Session, SignerError, finish_login, start_login};
pub use runtime::block_on;
pub use session::TokenHome;
pub use wire::SignatureAlgorithm;
