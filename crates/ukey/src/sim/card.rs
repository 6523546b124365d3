//! A simulated UKey: the unit's data, its SM2 key, its PIN and PIN policy, and the card file
//! (TOML) that keeps them between runs of `shebao-card-sim`.

use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sm2::SecretKey;
use sm2::dsa::SigningKey;
use sm2::elliptic_curve::rand_core::OsRng;
use sm2::elliptic_curve::sec1::ToEncodedPoint;

use crate::profile;

/// Failures of the simulator: its card file, its keys, its connection to the vpcd driver.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot read or write the card file {path}")]
    CardFileIo {
        path: String,
        source: std::io::Error,
    },
    #[error("the card file {path} is not a valid card file: {detail}")]
    CardFileFormat { path: String, detail: String },
    #[error("the card's secret key is not a valid SM2 key")]
    BadKey,
    #[error("the card data is not valid: {0}")]
    BadCardData(String),
    #[error(
        "cannot reach the vpcd reader on {address}; is pcscd running with the vsmartcard-vpcd \
         driver installed? (`cargo xtask test` sets both up.)"
    )]
    VpcdUnreachable {
        address: String,
        source: std::io::Error,
    },
    #[error("the connection to vpcd failed")]
    Vpcd(#[from] std::io::Error),
}

/// When the card demands VERIFY before it signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PinPolicy {
    /// INTERNAL AUTHENTICATE answers `69 82` until the PIN was verified since power-on.
    #[default]
    BeforeSign,
    /// The card signs without a PIN (VERIFY still checks it).
    Never,
}

/// The card file as stored on disk. Its `Debug` leaves out the PIN and the secret key.
#[derive(Clone, Serialize, Deserialize)]
pub struct CardFile {
    pub unit_no: String,
    pub name: String,
    pub uscc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    #[serde(default)]
    pub pin_policy: PinPolicy,
    /// The SM2 secret scalar, 32 bytes in hex.
    pub secret_key: String,
}

impl CardFile {
    /// A new card with a fresh SM2 key pair.
    pub fn generate(unit_no: &str, name: &str, uscc: &str, pin: Option<&str>) -> Self {
        let secret = SecretKey::random(&mut OsRng);
        CardFile {
            unit_no: unit_no.to_owned(),
            name: name.to_owned(),
            uscc: uscc.to_owned(),
            pin: pin.map(str::to_owned),
            pin_policy: PinPolicy::BeforeSign,
            secret_key: hex::encode(secret.to_bytes()),
        }
    }

    pub fn load(path: &Path) -> Result<Self, SimError> {
        let text = std::fs::read_to_string(path).map_err(|source| SimError::CardFileIo {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| SimError::CardFileFormat {
            path: path.display().to_string(),
            detail: e.to_string(),
        })
    }

    /// Writes the card file. It holds the secret key and the PIN, so it is created readable by
    /// its owner only (0600 on Unix) from the first byte: written beside its final name with
    /// that mode, then renamed over it, so neither a reader in between nor an older file with a
    /// wider mode ever sees the secrets.
    pub fn save(&self, path: &Path) -> Result<(), SimError> {
        let text = toml::to_string_pretty(self).map_err(|e| SimError::CardFileFormat {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        let io_error = |source| SimError::CardFileIo {
            path: path.display().to_string(),
            source,
        };
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let _ = std::fs::remove_file(&partial);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&partial).and_then(|mut file| {
            std::io::Write::write_all(&mut file, text.as_bytes())?;
            file.sync_all()
        });
        if let Err(source) = written.and_then(|()| std::fs::rename(&partial, path)) {
            let _ = std::fs::remove_file(&partial);
            return Err(io_error(source));
        }
        Ok(())
    }

    /// The card this file describes, ready to be inserted.
    pub fn to_card(&self) -> Result<SimCard, SimError> {
        SimCard::new(self)
    }
}

impl std::fmt::Debug for CardFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardFile")
            .field("unit_no", &self.unit_no)
            .field("name", &self.name)
            .field("uscc", &self.uscc)
            .field("pin", &self.pin.as_ref().map(|_| "***"))
            .field("pin_policy", &self.pin_policy)
            .finish_non_exhaustive()
    }
}

/// A simulated UKey. Its PIN try counter lives here, so it survives pulling the card out and
/// putting it back, as on a real key. Its `Debug` leaves out the PIN and the key.
pub struct SimCard {
    aid: Vec<u8>,
    unit_no: Vec<u8>,
    unit_name: Vec<u8>,
    credit_code: Vec<u8>,
    public_key: [u8; profile::PUBLIC_KEY_LEN],
    signing_key: SigningKey,
    pin: Option<String>,
    pin_policy: PinPolicy,
    pin_tries_left: Mutex<u8>,
}

impl std::fmt::Debug for SimCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimCard")
            .field("unit_no", &String::from_utf8_lossy(&self.unit_no))
            .field("public_key", &hex::encode(self.public_key))
            .field("pin", &self.pin.as_ref().map(|_| "***"))
            .field("pin_policy", &self.pin_policy)
            .finish_non_exhaustive()
    }
}

/// Tries a fresh PIN has.
pub const PIN_TRIES: u8 = 3;

impl SimCard {
    pub fn new(file: &CardFile) -> Result<Self, SimError> {
        if file.unit_no.is_empty()
            || file.unit_no.len() > profile::UNIT_NO_MAX
            || !file.unit_no.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(SimError::BadCardData(format!(
                "the unit number must be 1 to {} digits",
                profile::UNIT_NO_MAX
            )));
        }
        if file.uscc.len() != 18 || !file.uscc.is_ascii() {
            return Err(SimError::BadCardData(
                "the credit code must have 18 characters".into(),
            ));
        }
        let secret_bytes = hex::decode(file.secret_key.trim()).map_err(|_| SimError::BadKey)?;
        let secret = SecretKey::from_slice(&secret_bytes).map_err(|_| SimError::BadKey)?;
        let signing_key =
            SigningKey::new(profile::SM2_USER_ID, &secret).map_err(|_| SimError::BadKey)?;
        let point = secret.public_key().to_encoded_point(false);
        let public_key: [u8; profile::PUBLIC_KEY_LEN] =
            point.as_bytes().try_into().map_err(|_| SimError::BadKey)?;
        Ok(SimCard {
            aid: profile::AID.to_vec(),
            unit_no: file.unit_no.as_bytes().to_vec(),
            unit_name: file.name.as_bytes().to_vec(),
            credit_code: file.uscc.as_bytes().to_vec(),
            public_key,
            signing_key,
            pin: file.pin.clone(),
            pin_policy: file.pin_policy,
            pin_tries_left: Mutex::new(PIN_TRIES),
        })
    }

    /// The same card answering to another application identifier: a card of another kind,
    /// which must be told apart from a UKey (its SELECT of our AID answers `6A 82`).
    pub fn with_aid(mut self, aid: &[u8]) -> Self {
        self.aid = aid.to_vec();
        self
    }

    pub fn public_key(&self) -> &[u8; profile::PUBLIC_KEY_LEN] {
        &self.public_key
    }

    pub(crate) fn aid(&self) -> &[u8] {
        &self.aid
    }

    pub(crate) fn file(&self, sfi: u8) -> Option<&[u8]> {
        match sfi {
            profile::sfi::UNIT_NO => Some(&self.unit_no),
            profile::sfi::UNIT_NAME => Some(&self.unit_name),
            profile::sfi::CREDIT_CODE => Some(&self.credit_code),
            profile::sfi::PUBLIC_KEY => Some(&self.public_key),
            _ => None,
        }
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.signing_key
    }

    pub(crate) fn pin(&self) -> Option<&str> {
        self.pin.as_deref()
    }

    pub(crate) fn pin_required_for_signing(&self) -> bool {
        self.pin.is_some() && self.pin_policy == PinPolicy::BeforeSign
    }

    /// The try counter; a poisoned lock still holds a valid count.
    pub(crate) fn with_tries<T>(&self, f: impl FnOnce(&mut u8) -> T) -> T {
        let mut guard = self
            .pin_tries_left
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

/// Signs `challenge` as the card would, for `shebao-card-sim sign` and tests of the agency.
pub fn sign_challenge(
    card: &SimCard,
    challenge: &[u8],
) -> Result<[u8; profile::SIGNATURE_LEN], SimError> {
    use sm2::dsa::signature::Signer;
    let signature: sm2::dsa::Signature = card
        .signing_key()
        .try_sign(challenge)
        .map_err(|_| SimError::BadKey)?;
    Ok(signature.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_file_keeps_its_key_across_save_and_load() {
        let path = std::env::temp_dir().join(format!("shebao-card-{}.toml", std::process::id()));
        let file = CardFile::generate("3301", "单位", "91350100M000100Y43", Some("1234"));
        file.save(&path).expect("saved");
        let loaded = CardFile::load(&path).expect("loaded");
        let _ = std::fs::remove_file(&path);
        assert_eq!(loaded.pin.as_deref(), Some("1234"));
        assert_eq!(loaded.pin_policy, PinPolicy::BeforeSign);
        let (before, after) = (
            file.to_card().expect("valid"),
            loaded.to_card().expect("valid"),
        );
        assert_eq!(before.public_key(), after.public_key());
    }

    #[test]
    fn a_card_file_is_readable_by_its_owner_only_from_the_start() {
        let dir = std::env::temp_dir().join(format!("shebao-card-mode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("card.toml");
        // An older file with a wide mode must not keep it.
        std::fs::write(&path, "old").expect("old file");
        let file = CardFile::generate("3301", "单位", "91350100M000100Y43", Some("1234"));
        file.save(&path).expect("saved");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("saved")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
        }
        assert!(CardFile::load(&path).is_ok());
        let leftovers = std::fs::read_dir(&dir).expect("dir").count();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(leftovers, 1, "no partial file is left behind");
    }

    #[test]
    fn neither_the_pin_nor_the_key_shows_in_debug_output() {
        let file = CardFile::generate("3301", "单位", "91350100M000100Y43", Some("975312"));
        let card = file.to_card().expect("valid");
        for text in [format!("{file:?}"), format!("{card:?}")] {
            assert!(!text.contains("975312"), "{text}");
            assert!(!text.contains(&file.secret_key), "{text}");
            assert!(text.contains("3301"), "{text}");
        }
    }

    #[test]
    fn bad_card_data_is_refused_with_a_reason() {
        let mut file = CardFile::generate("33A1", "单位", "91350100M000100Y43", None);
        assert!(matches!(file.to_card(), Err(SimError::BadCardData(_))));
        file.unit_no = "3301".into();
        file.secret_key = "00".into();
        assert!(matches!(file.to_card(), Err(SimError::BadKey)));
    }
}
