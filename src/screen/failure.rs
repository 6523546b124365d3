//! Why a job failed, in the terms a screen needs to put the message beside the right field.
//! `Clone` because it travels in messages; the sentences are for the clerk.

use std::time::Duration;

use shebao_store::StoreError;
use shebao_sync::SyncError;
use shebao_ukey::UKeyError;

use crate::fl;

#[derive(Debug, Clone)]
pub enum Failure {
    /// The agency refused the password, the captcha or the card; it does not say which.
    LoginRefused,
    /// The captcha's challenge expired or was used.
    CaptchaExpired,
    /// Too many failed logins.
    LockedOut { retry_after: Duration },
    /// The agency could not be reached.
    Offline,
    /// The session ended at the agency: log in again.
    LoginRequired,
    /// The clerk works offline, without a session: this needs the agency and a login.
    NotLoggedIn,
    /// The agency wants the initial password changed first.
    PasswordChangeRequired,
    /// Changing the password: the old password given is wrong.
    WrongOldPassword,
    /// Changing the password: the agency refused the new one, saying why.
    WeakPassword(String),
    /// The card refused or failed (PIN wanted, wrong PIN, pulled out…).
    Card(UKeyError),
    /// The app was started without a usable agency address or CA.
    Setup(String),
    /// The local store cannot be used.
    Store(String),
    /// Anything else, as a sentence.
    Other(String),
}

impl Failure {
    /// The sentence shown to the clerk, in the interface's language.
    pub fn message(&self) -> String {
        match self {
            Failure::LoginRefused => fl!("failure-login-refused"),
            Failure::CaptchaExpired => fl!("failure-captcha-expired"),
            Failure::LockedOut { retry_after } => fl!(
                "failure-locked-out",
                minutes = retry_after.as_secs().div_ceil(60).max(1)
            ),
            Failure::Offline => fl!("failure-offline"),
            Failure::LoginRequired => fl!("failure-login-required"),
            Failure::NotLoggedIn => fl!("failure-not-logged-in"),
            Failure::PasswordChangeRequired => fl!("failure-password-change-required"),
            Failure::WrongOldPassword => fl!("failure-wrong-old-password"),
            Failure::WeakPassword(reason) => fl!("failure-weak-password", reason = reason),
            Failure::Card(e) => e.to_string(),
            Failure::Setup(s) => fl!("failure-setup", reason = s),
            Failure::Store(s) => fl!("failure-store", reason = s),
            Failure::Other(s) => s.clone(),
        }
    }
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::LoginRefused => Failure::LoginRefused,
            SyncError::ChallengeExpired => Failure::CaptchaExpired,
            SyncError::LockedOut { retry_after } => Failure::LockedOut { retry_after },
            SyncError::NeedsConnection { .. } => Failure::Offline,
            SyncError::LoginRequired => Failure::LoginRequired,
            SyncError::PasswordChangeRequired => Failure::PasswordChangeRequired,
            SyncError::WrongOldPassword => Failure::WrongOldPassword,
            SyncError::WeakPassword { reason } => Failure::WeakPassword(reason),
            SyncError::Setup(s) => Failure::Setup(s),
            SyncError::Store(e) => e.into(),
            e if e.is_transient() => Failure::Offline,
            e => Failure::Other(e.to_string()),
        }
    }
}

impl From<UKeyError> for Failure {
    fn from(e: UKeyError) -> Self {
        Failure::Card(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e.to_string())
    }
}
