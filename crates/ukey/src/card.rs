//! Reading and using a card of the profile `shebao-ukey/1` over any [`CardChannel`]: the same
//! code runs against a real key through PC/SC and against the in-process simulator.

use std::fmt;

use crate::apdu::{CardChannel, Response, exchange};
use crate::error::UKeyError;
use crate::profile::{self, sfi, sw};

/// The kind of key a UKey holds, and so the kind of signature it makes over the challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// SM2 over SM3(Z ‖ challenge) with the default user id: the card profile `shebao-ukey/1`,
    /// and a PKCS#11 token whose module offers SM2.
    Sm2,
    /// ECDSA on P-256 over SHA-256 of the challenge: a PKCS#11 token (CKM_ECDSA).
    EcdsaP256,
}

/// What a UKey says about the unit it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardIdentity {
    /// 单位编号: the agency's number of the unit, digits only.
    pub unit_no: String,
    /// 单位名称.
    pub unit_name: String,
    /// 统一社会信用代码, as stored on the card (18 characters).
    pub credit_code: String,
    /// The card's public key, uncompressed SEC1 (`04 ‖ x ‖ y`), on the curve of
    /// `key_algorithm`.
    pub public_key: [u8; profile::PUBLIC_KEY_LEN],
    /// How the card signs.
    pub key_algorithm: KeyAlgorithm,
}

impl CardIdentity {
    /// The unit's data as a key holds it, checked the same way whatever the key: a unit number
    /// of 1 to 20 digits, an 18-character credit code, an uncompressed public key.
    pub(crate) fn checked(
        unit_no: String,
        unit_name: String,
        credit_code: String,
        public_key: &[u8],
        key_algorithm: KeyAlgorithm,
    ) -> Result<Self, UKeyError> {
        check_unit_no(&unit_no)?;
        if credit_code.len() != 18 || !credit_code.is_ascii() {
            return Err(UKeyError::malformed(
                "信用代码不是 18 位 / credit code not 18 characters",
            ));
        }
        let public_key: [u8; profile::PUBLIC_KEY_LEN] = public_key
            .try_into()
            .map_err(|_| UKeyError::malformed("公钥长度不对 / public key of wrong length"))?;
        if public_key[0] != 0x04 {
            return Err(UKeyError::malformed(
                "公钥不是非压缩格式 / public key not uncompressed",
            ));
        }
        Ok(CardIdentity {
            unit_no,
            unit_name,
            credit_code,
            public_key,
            key_algorithm,
        })
    }
}

/// The agency's login challenge.
pub type Challenge = [u8; profile::CHALLENGE_LEN];

/// An SM2 signature r‖s made by the card.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CardSignature(pub [u8; profile::SIGNATURE_LEN]);

impl fmt::Debug for CardSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardSignature({})", hex::encode(self.0))
    }
}

/// A card PIN. Its `Debug` never shows the digits, so it cannot leak into a log.
#[derive(Clone, PartialEq, Eq)]
pub struct CardPin(String);

impl CardPin {
    pub fn new(pin: impl Into<String>) -> Self {
        CardPin(pin.into())
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CardPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardPin(***)")
    }
}

/// A card whose `shebao-ukey/1` application has been selected.
pub struct UKeyCard<C> {
    channel: C,
}

impl<C: CardChannel> UKeyCard<C> {
    /// Selects the application; a card without it is [`UKeyError::NotShebaoCard`].
    pub fn select(mut channel: C) -> Result<Self, UKeyError> {
        reserved(&mut channel, select_application)?;
        Ok(UKeyCard { channel })
    }

    /// Reads the four files.
    pub fn read_identity(&mut self) -> Result<CardIdentity, UKeyError> {
        reserved(&mut self.channel, read_identity)
    }

    /// Reads only the unit number, the one thing the login screen needs at once.
    pub fn read_unit_no(&mut self) -> Result<String, UKeyError> {
        reserved(&mut self.channel, read_unit_no)
    }

    /// Presents the PIN. A wrong one reports the tries left; a blocked one is its own error.
    pub fn verify_pin(&mut self, pin: &CardPin) -> Result<(), UKeyError> {
        reserved(&mut self.channel, |channel| verify_pin(channel, pin))
    }

    /// Signs the challenge with the card's SM2 key (INTERNAL AUTHENTICATE).
    pub fn sign(&mut self, challenge: &Challenge) -> Result<CardSignature, UKeyError> {
        reserved(&mut self.channel, |channel| sign(channel, challenge))
    }
}

/// Runs one operation with the card reserved (see [`CardChannel::reserved`]).
fn reserved<T>(
    channel: &mut dyn CardChannel,
    mut operation: impl FnMut(&mut dyn CardChannel) -> Result<T, UKeyError>,
) -> Result<T, UKeyError> {
    let mut answer = None;
    channel.reserved(&mut |reserved_channel| {
        answer = Some(operation(reserved_channel)?);
        Ok(())
    })?;
    // `reserved` runs the work exactly once when it answers Ok.
    answer.ok_or(UKeyError::CardRemoved)
}

fn select_application(channel: &mut dyn CardChannel) -> Result<(), UKeyError> {
    let answer = exchange(channel, &profile::select_command())?;
    match answer.sw {
        sw::OK => Ok(()),
        sw::NOT_FOUND | sw::INS_NOT_SUPPORTED | sw::CLA_NOT_SUPPORTED | sw::WRONG_P1P2 => {
            Err(UKeyError::NotShebaoCard)
        }
        other => Err(unexpected("SELECT", other)),
    }
}

/// Reads the four files.
fn read_identity(channel: &mut dyn CardChannel) -> Result<CardIdentity, UKeyError> {
    let unit_no = read_text(channel, sfi::UNIT_NO, "单位编号 / unit number")?;
    // A bad unit number is reported before the other files are read.
    check_unit_no(&unit_no)?;
    let unit_name = read_text(channel, sfi::UNIT_NAME, "单位名称 / unit name")?;
    let credit_code = read_text(channel, sfi::CREDIT_CODE, "信用代码 / credit code")?;
    let key = read_file(channel, sfi::PUBLIC_KEY)?;
    CardIdentity::checked(unit_no, unit_name, credit_code, &key, KeyAlgorithm::Sm2)
}

fn check_unit_no(unit_no: &str) -> Result<(), UKeyError> {
    if unit_no.is_empty()
        || unit_no.len() > profile::UNIT_NO_MAX
        || !unit_no.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(UKeyError::malformed("单位编号格式不对 / bad unit number"));
    }
    Ok(())
}

/// Reads only the unit number, the one thing the login screen needs at once.
fn read_unit_no(channel: &mut dyn CardChannel) -> Result<String, UKeyError> {
    read_text(channel, sfi::UNIT_NO, "单位编号 / unit number")
}

/// Presents the PIN. A wrong one reports the tries left; a blocked one is its own error.
fn verify_pin(channel: &mut dyn CardChannel, pin: &CardPin) -> Result<(), UKeyError> {
    if pin.as_bytes().is_empty() || pin.as_bytes().len() > 16 {
        // Nothing the card could accept; do not spend a try on it.
        return Err(UKeyError::PinFormat);
    }
    let answer = exchange(channel, &profile::verify_command(pin.as_bytes()))?;
    pin_status(answer.sw)
}

/// Signs the challenge with the card's SM2 key (INTERNAL AUTHENTICATE).
fn sign(channel: &mut dyn CardChannel, challenge: &Challenge) -> Result<CardSignature, UKeyError> {
    let answer = exchange(channel, &profile::internal_authenticate_command(challenge))?;
    match answer.sw {
        sw::OK => {
            let signature: [u8; profile::SIGNATURE_LEN] =
                answer.data.try_into().map_err(|data: Vec<u8>| {
                    UKeyError::malformed(format!(
                        "签名 {} 字节 / signature of {} bytes",
                        data.len(),
                        data.len()
                    ))
                })?;
            Ok(CardSignature(signature))
        }
        sw::SECURITY_NOT_SATISFIED => Err(UKeyError::PinRequired),
        sw::PIN_BLOCKED => Err(UKeyError::PinBlocked),
        other => Err(unexpected("INTERNAL AUTHENTICATE", other)),
    }
}

fn read_text(channel: &mut dyn CardChannel, sfi: u8, what: &str) -> Result<String, UKeyError> {
    let bytes = read_file(channel, sfi)?;
    String::from_utf8(bytes)
        .map(|text| text.trim_end_matches('\0').to_owned())
        .map_err(|_| UKeyError::malformed(format!("{what} 不是 UTF-8 / not UTF-8")))
}

/// READ BINARY by short file id, then by offset while the card keeps filling whole chunks.
fn read_file(channel: &mut dyn CardChannel, sfi: u8) -> Result<Vec<u8>, UKeyError> {
    let first = exchange(channel, &profile::read_first_command(sfi))?;
    let mut content = file_chunk(first, sfi, true)?.unwrap_or_default();
    let mut last_len = content.len();
    while last_len == profile::READ_CHUNK {
        if content.len() >= profile::FILE_MAX {
            return Err(UKeyError::malformed(format!(
                "文件 {sfi:02X} 过长 / file {sfi:02X} too long"
            )));
        }
        let offset = u16::try_from(content.len()).unwrap_or(u16::MAX);
        let next = exchange(channel, &profile::read_next_command(offset))?;
        match file_chunk(next, sfi, false)? {
            Some(chunk) => {
                last_len = chunk.len();
                content.extend_from_slice(&chunk);
            }
            None => break,
        }
    }
    Ok(content)
}

/// The data of one READ BINARY answer; `None` when a continuation read finds the end of the file.
fn file_chunk(answer: Response, sfi: u8, first: bool) -> Result<Option<Vec<u8>>, UKeyError> {
    match answer.sw {
        sw::OK | sw::END_OF_FILE => Ok(Some(answer.data)),
        sw::OFFSET_OUTSIDE | sw::WRONG_P1P2 if !first => Ok(None),
        sw::NOT_FOUND => Err(UKeyError::malformed(format!(
            "卡中没有文件 {sfi:02X} / file {sfi:02X} missing"
        ))),
        other => Err(unexpected("READ BINARY", other)),
    }
}

fn pin_status(status: u16) -> Result<(), UKeyError> {
    match status {
        sw::OK => Ok(()),
        sw::PIN_BLOCKED => Err(UKeyError::PinBlocked),
        s if s & 0xFFF0 == sw::WRONG_PIN_BASE => {
            let tries_left = (s & 0x0F) as u8;
            if tries_left == 0 {
                Err(UKeyError::PinBlocked)
            } else {
                Err(UKeyError::WrongPin { tries_left })
            }
        }
        other => Err(unexpected("VERIFY", other)),
    }
}

fn unexpected(command: &str, status: u16) -> UKeyError {
    UKeyError::malformed(format!("{command} → {status:04X}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_status_words_become_the_clerk_facing_errors() {
        assert!(pin_status(0x9000).is_ok());
        assert!(matches!(
            pin_status(0x63C2),
            Err(UKeyError::WrongPin { tries_left: 2 })
        ));
        assert!(matches!(pin_status(0x63C0), Err(UKeyError::PinBlocked)));
        assert!(matches!(pin_status(0x6983), Err(UKeyError::PinBlocked)));
    }

    #[test]
    fn a_pin_never_shows_in_debug_output() {
        assert_eq!(format!("{:?}", CardPin::new("123456")), "CardPin(***)");
    }
}
