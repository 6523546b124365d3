//! The unit's UKey for the subcommands that log in: found through `shebao-ukey` (PC/SC, a
//! token through the PKCS#11 module of `--pkcs11` or the settings, or the in-process simulator
//! with `--sim-card`), and offered to the login as its challenge signer.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use shebao_sync::{ChallengeSigner, SignatureAlgorithm, SignerError};
use shebao_ukey::pkcs11::Pkcs11Module;
use shebao_ukey::sim::{CardFile, SimulatedReaders};
use shebao_ukey::{
    CardEvent, CardEvents, CardHandle, CardIdentity, CardPin, CardSource, KeyAlgorithm, RecvError,
    UKeyError,
};

use super::context::Failure;
use super::exit;

/// How long to look for a readable card. A card already in a vpcd reader is seen within one
/// poll (~400 ms); a real reader answers at once.
const FIND_TIMEOUT: Duration = Duration::from_secs(5);

/// The environment variable a script sets to answer the card's PIN request.
pub const PIN_VAR: &str = "SHEBAO_UKEY_PIN";

/// A UKey that was read, kept open for signing.
pub struct ClerkCard {
    pub identity: CardIdentity,
    handle: CardHandle,
    // Dropping the event stream stops the watcher, and with it the handle.
    _events: CardEvents,
}

/// The card source the options ask for: the simulator with a card file, else the tokens of a
/// PKCS#11 module, else PC/SC.
pub fn source(sim_card: Option<&Path>, pkcs11: Option<PathBuf>) -> Result<CardSource, Failure> {
    let Some(path) = sim_card else {
        return Ok(match pkcs11 {
            Some(module) => CardSource::Pkcs11(Pkcs11Module::new(module)),
            None => CardSource::Pcsc,
        });
    };
    let card = CardFile::load(path)
        .and_then(|file| file.to_card())
        .map_err(|e| {
            Failure::new(
                exit::BAD_INPUT,
                format!(
                    "卡文件 {} 不可用 / the card file is unusable: {e}",
                    path.display()
                ),
            )
        })?;
    let readers = SimulatedReaders::new(1);
    readers.insert(0, Arc::new(card));
    Ok(CardSource::Simulated(readers))
}

/// Waits for the first readable UKey in any reader.
pub fn find(source: CardSource) -> Result<ClerkCard, Failure> {
    let mut events = shebao_ukey::watch(source);
    let deadline = Instant::now() + FIND_TIMEOUT;
    let mut readers = 0usize;
    let mut unreadable: Option<UKeyError> = None;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(CardEvent::CardRead { card, identity }) => {
                return Ok(ClerkCard {
                    identity,
                    handle: card,
                    _events: events,
                });
            }
            Ok(CardEvent::CardUnreadable { error, .. }) => unreadable = Some(error),
            Ok(CardEvent::ReaderAdded { .. }) => readers += 1,
            Ok(CardEvent::ServiceUnavailable { error }) => {
                return Err(Failure::new(exit::NO_CARD, error.to_string()));
            }
            Ok(_) => {}
            Err(RecvError::Timeout | RecvError::Closed) => break,
        }
    }
    let message = match unreadable {
        Some(error) => error.to_string(),
        None if readers == 0 => {
            "没有找到读卡器：请插好 UKey 的读卡器。(No card reader was found: plug in the UKey.)"
                .to_owned()
        }
        None => "读卡器中没有 UKey：请插入本单位的 UKey。(No UKey is in the reader: insert the \
                 unit's UKey.)"
            .to_owned(),
    };
    Err(Failure::new(exit::NO_CARD, message))
}

/// The login's name for the kind of signature a card makes.
pub fn signature_algorithm(key: KeyAlgorithm) -> SignatureAlgorithm {
    match key {
        KeyAlgorithm::Sm2 => SignatureAlgorithm::Sm2,
        KeyAlgorithm::EcdsaP256 => SignatureAlgorithm::EcdsaP256,
    }
}

impl ChallengeSigner for ClerkCard {
    fn algorithm(&self) -> SignatureAlgorithm {
        signature_algorithm(self.identity.key_algorithm)
    }

    fn sign(&self, nonce: &[u8; 32]) -> Result<[u8; 64], SignerError> {
        let signer_error = |e: UKeyError| SignerError(e.to_string());
        match self.handle.sign(*nonce).wait() {
            Ok(signature) => Ok(signature.0),
            // The card wants its PIN before it signs: ask once, then sign again.
            Err(UKeyError::PinRequired) => {
                let pin = pin().map_err(|e| SignerError(e.to_string()))?;
                self.handle.verify_pin(pin).wait().map_err(signer_error)?;
                self.handle
                    .sign(*nonce)
                    .wait()
                    .map(|signature| signature.0)
                    .map_err(signer_error)
            }
            Err(e) => Err(signer_error(e)),
        }
    }
}

/// The PIN from the environment, or asked for on the terminal.
fn pin() -> io::Result<CardPin> {
    if let Ok(pin) = std::env::var(PIN_VAR) {
        return Ok(CardPin::new(pin));
    }
    let pin = rpassword::prompt_password("UKey PIN: ")?;
    Ok(CardPin::new(pin.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_file_is_found_and_signs_once_its_pin_is_verified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("card.toml");
        CardFile::generate(
            "3501000001",
            "示例单位",
            "91350100M000100Y43",
            Some("123456"),
        )
        .save(&path)
        .unwrap();
        let card = find(source(Some(&path), None).unwrap()).unwrap();
        assert_eq!(card.identity.unit_no, "3501000001");
        card.handle
            .verify_pin(CardPin::new("123456"))
            .wait()
            .unwrap();
        let nonce = [9u8; 32];
        let signature = card.sign(&nonce).unwrap();
        assert!(shebao_ukey::verify::signature_is_valid(
            &card.identity.public_key,
            &nonce,
            &signature
        ));
    }

    #[test]
    fn an_unreadable_card_file_is_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("card.toml");
        std::fs::write(&path, "unit_no = 5").unwrap();
        let failure = source(Some(&path), None).err().unwrap();
        assert_eq!(failure.code, exit::BAD_INPUT);
    }
}
