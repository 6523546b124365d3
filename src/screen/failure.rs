//! Why a job failed, in the terms a screen needs to put the message beside the right field.
//! `Clone` because it travels in messages; the sentences are for the clerk.

use std::time::Duration;

use shebao_store::StoreError;
use shebao_sync::SyncError;
use shebao_ukey::UKeyError;

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
    /// The sentence shown to the clerk.
    pub fn message(&self) -> String {
        match self {
            Failure::LoginRefused => {
                "单位密码或验证码不正确（或此 UKey 未在经办机构登记），请重新输入。".into()
            }
            Failure::CaptchaExpired => "验证码已过期，已换一张，请重新输入。".into(),
            Failure::LockedOut { retry_after } => format!(
                "登录失败次数过多，单位已被锁定，请 {} 分钟后再试。",
                retry_after.as_secs().div_ceil(60).max(1)
            ),
            Failure::Offline => {
                "无法连接经办机构，请检查网络。已录入的数据都保存在本机，不会丢失。".into()
            }
            Failure::LoginRequired => "登录已过期，请重新登录。".into(),
            Failure::PasswordChangeRequired => "请先修改初始密码。".into(),
            Failure::WrongOldPassword => "原密码不正确。".into(),
            Failure::WeakPassword(reason) => format!("经办机构不接受这个新密码：{reason}"),
            Failure::Card(e) => e.to_string(),
            Failure::Setup(s) => format!("连接设置不可用：{s}"),
            Failure::Store(s) => format!("本机数据库无法使用：{s}"),
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
