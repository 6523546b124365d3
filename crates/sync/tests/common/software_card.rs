//! A software card for the tests: an SM2 key that signs like a UKey, with no card reader in
//! between, so the sync tests exercise the agency's signature check without PC/SC.

use sm2::dsa::SigningKey;
use sm2::dsa::signature::Signer;

use shebao_sync::{ChallengeSigner, SignatureAlgorithm, SignerError};

/// The SM2 user id of the card profile.
pub const SM2_USER_ID: &str = "1234567812345678";

/// A card that signs in software.
pub struct SoftwareCard {
    /// The unit number on the card.
    pub unit_no: String,
    /// The unit name on the card.
    pub name: String,
    /// The unified social credit code on the card.
    pub uscc: String,
    key: SigningKey,
}

impl std::fmt::Debug for SoftwareCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoftwareCard")
            .field("unit_no", &self.unit_no)
            .finish_non_exhaustive()
    }
}

impl SoftwareCard {
    /// A card for `unit_no` with the secret scalar `secret` (tests).
    pub fn from_secret(unit_no: &str, secret: &[u8]) -> Result<Self, SignerError> {
        Ok(Self {
            unit_no: unit_no.to_owned(),
            name: String::new(),
            uscc: String::new(),
            key: signing_key(secret)?,
        })
    }

    /// The public key as an uncompressed SEC1 point (65 bytes), as the agency registers it.
    pub fn public_key(&self) -> Vec<u8> {
        self.key.verifying_key().to_sec1_bytes().to_vec()
    }
}

fn signing_key(secret: &[u8]) -> Result<SigningKey, SignerError> {
    SigningKey::from_slice(SM2_USER_ID, secret)
        .map_err(|_| SignerError("the card's secret key is not a valid SM2 key".into()))
}

impl ChallengeSigner for SoftwareCard {
    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::Sm2
    }

    fn sign(&self, nonce: &[u8; 32]) -> Result<[u8; 64], SignerError> {
        let signature: sm2::dsa::Signature = self
            .key
            .try_sign(nonce)
            .map_err(|e| SignerError(e.to_string()))?;
        Ok(signature.to_bytes())
    }
}
