//! Sealing the backup key: a backup's database is encrypted under a random 256-bit key, and the
//! file carries that key wrapped (XChaCha20-Poly1305) in up to three slots, each under a key
//! derived from one way in:
//!
//! - the backup password the clerk set: Argon2id (64 MiB, 3 passes), since a password may be
//!   guessed;
//! - the recovery code shown once when the password was set: HKDF-SHA256, since the code is
//!   already 125 random bits;
//! - this computer's store key: HKDF-SHA256 of the raw key (Argon2id of a passphrase), so a
//!   restore on the same computer needs nothing typed.
//!
//! Each slot has its own random salt and nonce; the unit number and the slot's kind are bound in
//! as associated data, so a slot cannot be moved to another unit's backup or posing as another
//! kind.

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Result, StoreError};
use crate::key::{StoreKey, hex, random_bytes, unhex};

/// A backup password (or, typed in its place, a recovery code). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupPassword(String);

impl BackupPassword {
    /// The shortest backup password accepted when one is set.
    pub const MIN_CHARS: usize = 8;

    /// What the clerk typed.
    pub fn new(typed: impl Into<String>) -> Self {
        Self(typed.into())
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BackupPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BackupPassword(..)")
    }
}

/// The recovery code: 25 characters of Crockford's base 32 (no I, L, O or U), shown in five
/// groups of five. `Display` shows it; `Debug` does not.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 25;

impl RecoveryCode {
    pub(crate) fn random() -> Result<Self> {
        let bytes: [u8; CODE_LEN] = random_bytes()?;
        // 256 is a multiple of 32, so each symbol is uniform.
        Ok(Self(
            bytes
                .iter()
                .map(|b| CODE_ALPHABET[usize::from(b % 32)] as char)
                .collect(),
        ))
    }

    /// What was typed, read as a recovery code if it is one: case, spaces and dashes do not
    /// matter, and O, I and L are read as 0, 1 and 1.
    pub(crate) fn parse(typed: &str) -> Option<Self> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        let valid = code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b));
        valid.then_some(Self(code))
    }
}

impl fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = (0..CODE_LEN)
            .step_by(5)
            .map(|i| &self.0[i..i + 5])
            .collect();
        f.write_str(&groups.join("-"))
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(..)")
    }
}

/// The key a backup's database is encrypted under.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BackupKey(pub(crate) [u8; 32]);

impl fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BackupKey(..)")
    }
}

impl BackupKey {
    pub(crate) fn random() -> Result<Self> {
        Ok(Self(random_bytes()?))
    }

    pub(crate) fn as_store_key(&self) -> StoreKey {
        StoreKey::Raw(self.0)
    }
}

/// Which way in a slot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SlotKind {
    Password,
    RecoveryCode,
    StoreKey,
}

impl SlotKind {
    fn label(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::RecoveryCode => "recovery-code",
            Self::StoreKey => "store-key",
        }
    }
}

/// How a slot's wrapping key is derived, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kdf", rename_all = "kebab-case")]
pub(crate) enum Kdf {
    Argon2id {
        m_kib: u32,
        t: u32,
        p: u32,
        salt: String,
    },
    HkdfSha256 {
        salt: String,
    },
}

/// One wrapped copy of the backup key, as written in the file's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Slot {
    pub(crate) kind: SlotKind,
    #[serde(flatten)]
    kdf: Kdf,
    nonce: String,
    wrapped: String,
}

/// A secret a slot is opened with.
pub(crate) enum Secret<'a> {
    Password(&'a BackupPassword),
    RecoveryCode(&'a RecoveryCode),
    StoreKey(&'a StoreKey),
}

impl Secret<'_> {
    fn kind(&self) -> SlotKind {
        match self {
            Self::Password(_) => SlotKind::Password,
            Self::RecoveryCode(_) => SlotKind::RecoveryCode,
            Self::StoreKey(_) => SlotKind::StoreKey,
        }
    }

    /// The material and whether it was chosen by a person (and so needs the slow KDF).
    fn material(&self) -> (&[u8], bool) {
        match self {
            Self::Password(p) => (p.as_str().as_bytes(), true),
            Self::RecoveryCode(c) => (c.0.as_bytes(), false),
            Self::StoreKey(StoreKey::Raw(raw)) => (raw.as_slice(), false),
            Self::StoreKey(StoreKey::Passphrase(p)) => (p.as_bytes(), true),
        }
    }
}

/// Argon2id's cost for what people choose: RFC 9106's second recommendation in memory and
/// passes, one lane (the office PCs have two cores).
const ARGON2_M_KIB: u32 = 64 * 1024;
const ARGON2_T: u32 = 3;
const ARGON2_P: u32 = 1;

/// What a header may ask of Argon2id, so a hostile file cannot make a restore take a gigabyte
/// or an hour.
const ARGON2_MAX_M_KIB: u32 = 1024 * 1024;
const ARGON2_MAX_T: u32 = 16;
const ARGON2_MAX_P: u32 = 8;

fn aad(kind: SlotKind, unit_no: &str) -> Vec<u8> {
    format!("shebao backup key v1 {} {unit_no}", kind.label()).into_bytes()
}

/// Wrap `key` for `unit_no` so that `secret` opens it.
pub(crate) fn seal(secret: &Secret<'_>, unit_no: &str, key: &BackupKey) -> Result<Slot> {
    let salt: [u8; 16] = random_bytes()?;
    let (material, chosen) = secret.material();
    let kdf = if chosen {
        Kdf::Argon2id {
            m_kib: ARGON2_M_KIB,
            t: ARGON2_T,
            p: ARGON2_P,
            salt: hex(&salt),
        }
    } else {
        Kdf::HkdfSha256 { salt: hex(&salt) }
    };
    let wrapping = derive(&kdf, material, secret.kind()).map_err(|e| StoreError::NoKey {
        reason: format!("the backup key could not be sealed: {e}"),
    })?;
    let nonce: [u8; 24] = random_bytes()?;
    let kind = secret.kind();
    let wrapped = XChaCha20Poly1305::new(&wrapping.into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &key.0,
                aad: &aad(kind, unit_no),
            },
        )
        .map_err(|_| StoreError::NoKey {
            reason: "the backup key could not be sealed".into(),
        })?;
    Ok(Slot {
        kind,
        kdf,
        nonce: hex(&nonce),
        wrapped: hex(&wrapped),
    })
}

/// Why a slot did not give the key.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unseal {
    /// The secret is not the one the slot was sealed with (or the slot was altered).
    WrongSecret,
    /// The slot cannot be read at all: the header is damaged.
    Damaged(String),
}

/// The backup key in `slot`, if `secret` opens it.
pub(crate) fn unseal(
    slot: &Slot,
    secret: &Secret<'_>,
    unit_no: &str,
) -> std::result::Result<BackupKey, Unseal> {
    let damaged = |what: &str| Unseal::Damaged(format!("its {} slot {what}", slot.kind.label()));
    let nonce: [u8; 24] = unhex(&slot.nonce)
        .and_then(|n| n.try_into().ok())
        .ok_or_else(|| damaged("has no valid nonce"))?;
    let wrapped = unhex(&slot.wrapped).ok_or_else(|| damaged("is not hexadecimal"))?;
    let (material, _) = secret.material();
    let wrapping = derive(&slot.kdf, material, slot.kind).map_err(|e| damaged(&e))?;
    let key = XChaCha20Poly1305::new(&wrapping.into())
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &wrapped,
                aad: &aad(slot.kind, unit_no),
            },
        )
        .map_err(|_| Unseal::WrongSecret)?;
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| damaged("holds no 256-bit key"))?;
    Ok(BackupKey(key))
}

fn derive(kdf: &Kdf, material: &[u8], kind: SlotKind) -> std::result::Result<[u8; 32], String> {
    let mut out = [0u8; 32];
    match kdf {
        Kdf::Argon2id { m_kib, t, p, salt } => {
            let salt = unhex(salt).ok_or("has a salt that is not hexadecimal")?;
            let sane = (8..=ARGON2_MAX_M_KIB).contains(m_kib)
                && (1..=ARGON2_MAX_T).contains(t)
                && (1..=ARGON2_MAX_P).contains(p);
            if !sane {
                return Err(format!("asks for Argon2id m={m_kib} KiB t={t} p={p}"));
            }
            let params = Params::new(*m_kib, *t, *p, Some(out.len())).map_err(|e| e.to_string())?;
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password_into(material, &salt, &mut out)
                .map_err(|e| e.to_string())?;
        }
        Kdf::HkdfSha256 { salt } => {
            let salt = unhex(salt).ok_or("has a salt that is not hexadecimal")?;
            Hkdf::<Sha256>::new(Some(&salt), material)
                .expand(aad(kind, "").as_slice(), &mut out)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_way_in_opens_its_own_slot_and_nothing_else_does() {
        let key = BackupKey::random().unwrap();
        let password = BackupPassword::new("correct horse battery");
        let code = RecoveryCode::random().unwrap();
        let store = StoreKey::Raw([9; 32]);
        for secret in [
            Secret::Password(&password),
            Secret::RecoveryCode(&code),
            Secret::StoreKey(&store),
        ] {
            let slot = seal(&secret, "1001", &key).unwrap();
            assert_eq!(unseal(&slot, &secret, "1001").unwrap(), key);
            assert_eq!(
                unseal(&slot, &secret, "1002").unwrap_err(),
                Unseal::WrongSecret,
                "bound to the unit"
            );
        }
        let slot = seal(&Secret::Password(&password), "1001", &key).unwrap();
        let wrong = BackupPassword::new("correct horse battery!");
        assert_eq!(
            unseal(&slot, &Secret::Password(&wrong), "1001").unwrap_err(),
            Unseal::WrongSecret
        );
    }

    #[test]
    fn a_hostile_cost_is_refused_before_any_work() {
        let key = BackupKey::random().unwrap();
        let password = BackupPassword::new("correct horse battery");
        let mut slot = seal(&Secret::Password(&password), "1001", &key).unwrap();
        if let Kdf::Argon2id { m_kib, .. } = &mut slot.kdf {
            *m_kib = u32::MAX;
        }
        assert!(matches!(
            unseal(&slot, &Secret::Password(&password), "1001"),
            Err(Unseal::Damaged(_))
        ));
    }

    #[test]
    fn a_recovery_code_reads_back_however_it_is_typed() {
        let code = RecoveryCode::random().unwrap();
        let shown = code.to_string();
        assert_eq!(shown.len(), 29);
        assert_eq!(RecoveryCode::parse(&shown), Some(code.clone()));
        let sloppy = shown.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryCode::parse(&sloppy), Some(code));
        assert_eq!(
            RecoveryCode::parse("0O1IL-00000-00000-00000-00000")
                .unwrap()
                .0,
            "0011100000000000000000000"
        );
        assert_eq!(RecoveryCode::parse("correct horse battery"), None);
    }
}
