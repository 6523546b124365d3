//! Every way talking to a UKey can fail, each worded so that a clerk or a support person knows
//! what to do next. Messages are Chinese first, then English, always in that order.

use std::sync::Arc;
use std::time::Duration;

/// What the client was doing when an exchange ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Connecting to the card and reading the unit's data from it.
    Reading,
    /// Signing the agency's login challenge.
    Signing,
    /// Checking the PIN.
    VerifyingPin,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Operation::Reading => "读卡 (reading the card)",
            Operation::Signing => "签名 (signing)",
            Operation::VerifyingPin => "校验 PIN (checking the PIN)",
        })
    }
}

/// A failure of the UKey, its reader or the PC/SC service. `Clone` so it can travel in GUI
/// messages; the underlying PC/SC error is shared, not copied.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UKeyError {
    #[error(
        "智能卡服务未运行：请启动 PC/SC 服务（Windows：Smart Card 服务；Linux：pcscd）后重试。 \
         (The smart-card service is not running: start PC/SC — the Windows Smart Card service or \
         pcscd on Linux — and try again.)"
    )]
    NoService,
    #[error(
        "未找到读卡器：请插入 UKey；如已插入，请换一个 USB 口或重新安装 UKey 驱动。 \
         (No card reader found: plug in the UKey; if it is plugged in, try another USB port or \
         reinstall its driver.)"
    )]
    NoReader,
    #[error(
        "读卡器“{reader}”中没有卡：请插入 UKey。 (No card in reader “{reader}”: insert the UKey.)"
    )]
    NoCard { reader: String },
    #[error(
        "这不是社保 UKey（卡中没有 shebao-ukey/1 应用）：请插入经办机构发放的 UKey。 \
         (This is not a shebao UKey — the card has no shebao-ukey/1 application: insert the key \
         the agency issued.)"
    )]
    NotShebaoCard,
    #[error(
        "UKey 已被拔出或重置：请重新插入 UKey 后再试。 \
         (The UKey was removed or reset: insert it again and retry.)"
    )]
    CardRemoved,
    #[error(
        "PIN 错误，还可以再试 {tries_left} 次；全部用完后 UKey 将被锁定。 \
         (Wrong PIN; {tries_left} tries left before the UKey locks.)"
    )]
    WrongPin { tries_left: u8 },
    #[error(
        "UKey 的 PIN 已被锁定：请携带 UKey 到经办机构解锁。 \
         (The UKey's PIN is blocked: take the key to the agency to unblock it.)"
    )]
    PinBlocked,
    #[error(
        "PIN 错误；连续输错多次后 UKey 将被锁定。 \
         (Wrong PIN; the key locks after too many wrong tries.)"
    )]
    WrongPinTriesUnknown,
    #[error("PIN 应为 1 至 16 位字符，请重新输入。 (A PIN has 1 to 16 characters: type it again.)")]
    PinFormat,
    #[error(
        "这把 UKey 要求先输入 PIN 才能签名：请输入 PIN。 \
         (This UKey needs its PIN before it signs: enter the PIN.)"
    )]
    PinRequired,
    #[error(
        "UKey 的应答无法识别（{detail}）：请拔出后重新插入；若仍出错，请联系经办机构更换 UKey。 \
         (The UKey gave an answer that cannot be understood ({detail}): reinsert it; if this \
         persists, ask the agency for a new key.)"
    )]
    MalformedAnswer { detail: String },
    #[error(
        "UKey 在 {} 秒内没有应答（{operation}）：请拔出后重新插入。 \
         (The UKey did not answer within {} s while {operation}: reinsert it.)",
        after.as_secs_f32(), after.as_secs_f32()
    )]
    Timeout {
        operation: Operation,
        after: Duration,
    },
    #[error(
        "PKCS#11 模块 {path} 不存在：请在“设置”中或用 --pkcs11 填写 UKey 厂商提供的 PKCS#11 库的路径。 \
         (The PKCS#11 module {path} does not exist: give the path of the token vendor's PKCS#11 \
         library in the settings or with --pkcs11.)"
    )]
    ModuleMissing { path: String },
    #[error(
        "{path} 不是 PKCS#11 模块（{detail}）：请填写 UKey 厂商提供的 PKCS#11 库（Windows 上是 .dll，\
         Linux 上是 .so）。 ({path} is not a PKCS#11 module ({detail}): give the token vendor's \
         PKCS#11 library, a .dll on Windows or a .so on Linux.)"
    )]
    NotPkcs11Module { path: String, detail: String },
    #[error(
        "PKCS#11 模块出错（{detail}）：请重新插入 UKey；若仍出错，请重新安装 UKey 驱动或联系技术支持。 \
         (The PKCS#11 module failed ({detail}): reinsert the key; if this persists, reinstall \
         its driver or call support.)"
    )]
    ModuleFailed { detail: String },
    #[error(
        "UKey 中没有本单位的证书（{detail}）：请插入经办机构发放的 UKey。 \
         (The key holds no unit certificate ({detail}): insert the key the agency issued.)"
    )]
    NoUnitCertificate { detail: String },
    #[error(
        "UKey 的密钥无法用于登录（{detail}）：请联系经办机构更换 UKey。 \
         (The key's key pair cannot sign the login ({detail}): ask the agency for another key.)"
    )]
    UnusableKey { detail: String },
    #[error(
        "读卡服务已停止：请重新启动本程序。 (The card service has stopped: restart the program.)"
    )]
    ServiceStopped,
    #[error(
        "智能卡服务出错（{0}）：请重新插入 UKey；若仍出错，请重启电脑或联系技术支持。 \
         (The smart-card service failed ({0}): reinsert the UKey; if this persists, restart the \
         computer or call support.)"
    )]
    Pcsc(Arc<pcsc::Error>),
}

impl UKeyError {
    pub(crate) fn malformed(detail: impl Into<String>) -> Self {
        UKeyError::MalformedAnswer {
            detail: detail.into(),
        }
    }

    /// True when the error means the card is gone, so its handle is no longer good.
    pub fn is_card_gone(&self) -> bool {
        matches!(self, UKeyError::CardRemoved | UKeyError::NoCard { .. })
    }
}

/// The PC/SC error codes of an exchange with a card, sorted into the cases a clerk can act on.
/// (Connecting maps "no smart card" to [`UKeyError::NoCard`] itself: there it means the reader is
/// empty, during an exchange it means the card just left.)
pub(crate) fn from_pcsc(error: pcsc::Error) -> UKeyError {
    use pcsc::Error as E;
    match error {
        E::NoService | E::ServiceStopped | E::Shutdown => UKeyError::NoService,
        E::NoReadersAvailable | E::UnknownReader | E::ReaderUnavailable => UKeyError::NoReader,
        // A transmit that the reader could not complete almost always means the card left the
        // reader in the middle of it; pcsc-lite reports exactly that for a vpcd card pulled
        // mid-exchange.
        E::RemovedCard
        | E::ResetCard
        | E::NotTransacted
        | E::NoSmartcard
        | E::UnpoweredCard
        | E::CommDataLost
        | E::UnresponsiveCard => UKeyError::CardRemoved,
        E::UnsupportedCard | E::InvalidAtr => UKeyError::NotShebaoCard,
        other => UKeyError::Pcsc(Arc::new(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_removal_code_reads_as_card_removed() {
        for code in [
            pcsc::Error::RemovedCard,
            pcsc::Error::ResetCard,
            pcsc::Error::NotTransacted,
            pcsc::Error::NoSmartcard,
        ] {
            assert!(matches!(from_pcsc(code), UKeyError::CardRemoved));
        }
    }

    #[test]
    fn messages_tell_tries_left() {
        let text = UKeyError::WrongPin { tries_left: 2 }.to_string();
        assert!(text.contains("2"), "{text}");
    }
}
