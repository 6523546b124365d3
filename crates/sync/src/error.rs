//! The errors of talking to the agency, each a sentence a clerk can act on.

use std::time::Duration;

use crate::problem::Problem;

/// What can go wrong between the client and the agency.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The agency could not be reached (no network, server down, timeout).
    #[error(
        "This needs a connection to the agency, which could not be reached ({reason}). Your work \
         is kept; it will be sent when the connection returns."
    )]
    NeedsConnection {
        /// What failed, without any personal data.
        reason: String,
    },

    /// No session, or the session expired: log in again.
    #[error("You are not logged in, or your session has expired. Log in again (`shebao login`).")]
    LoginRequired,

    /// The agency refused the login (wrong password, wrong captcha, or the card is not the one
    /// registered for the unit; the agency does not say which).
    #[error(
        "The agency refused the login: the password or the captcha is wrong, or this UKey is not \
         registered for the unit. Check them and try again with a new captcha."
    )]
    LoginRefused,

    /// Too many failed logins.
    #[error(
        "Too many failed logins: the agency has locked the unit for {} minutes. Wait, then try \
         again.", .retry_after.as_secs().div_ceil(60)
    )]
    LockedOut {
        /// How long the agency asks to wait.
        retry_after: Duration,
    },

    /// The unit still has its initial password.
    #[error(
        "The agency requires a new password before anything else: run `shebao password` to \
         change the initial password."
    )]
    PasswordChangeRequired,

    /// Changing the password: the current password given is not the unit's.
    #[error("The current password is wrong; type the unit's password as it is now.")]
    WrongOldPassword,

    /// Changing the password: the agency does not accept the new one.
    #[error("The agency does not accept the new password: {reason}")]
    WeakPassword { reason: String },

    /// The captcha challenge expired or was already used.
    #[error("The captcha has expired; run `shebao login` again for a new one.")]
    ChallengeExpired,

    /// The agency found invalid items (nothing was stored).
    #[error("The agency refused {} invalid item(s); nothing was stored. Correct them and submit again.", .problem.errors.len().max(1))]
    Invalid {
        /// The problem with its per-item errors.
        problem: Problem,
    },

    /// The thing asked for does not exist at the agency (or belongs to another unit).
    #[error("The agency has no such record.")]
    NotFound,

    /// Another process of this unit is already syncing.
    #[error(
        "Another shebao window or command is already syncing this unit; try again when it has finished."
    )]
    SyncInProgress,

    /// The agency answered with an error not covered above.
    #[error("The agency answered with an error (HTTP {}): {}", .problem.status, .problem.sentence())]
    Agency {
        /// The problem document.
        problem: Problem,
    },

    /// The agency's answer did not have the shape of API v1.
    #[error(
        "The agency's answer could not be understood ({0}); the agency may run a different version."
    )]
    Protocol(String),

    /// The CA file or the TLS setup is unusable.
    #[error("The connection settings are unusable: {0}")]
    Setup(String),

    /// The card could not sign the login challenge.
    #[error("The UKey could not sign the login: {0}")]
    Card(String),

    /// The local store failed.
    #[error(transparent)]
    Store(#[from] shebao_store::StoreError),

    /// The OS keyring failed while keeping the session token.
    #[error("The session could not be kept in the OS keyring ({0}); log in again.")]
    Vault(#[from] shebao_store::vault::VaultError),
}

impl SyncError {
    /// Whether trying again later, unchanged, may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::NeedsConnection { .. } => true,
            Self::Agency { problem } => problem.status >= 500 || problem.status == 408,
            _ => false,
        }
    }
}

/// The sync crate's result type.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;
