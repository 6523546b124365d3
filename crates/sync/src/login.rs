//! Logging in: challenge and captcha, the card's signature of the nonce, the password.
//!
//! The card is reached through [`ChallengeSigner`], so this crate does not depend on how the
//! UKey is read (PC/SC, the simulator, or a test key).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use crate::client::AgencyClient;
use crate::error::{Result, SyncError};
use crate::wire::{LoginRequest, SignatureAlgorithm, UnitSummary};

/// The card's refusal or failure to sign, as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SignerError(pub String);

/// Whatever holds the unit's key: signs the agency's 32-byte challenge, returning the 64-byte
/// signature r‖s of the kind [`ChallengeSigner::algorithm`] names (SM2 for a UKey of the card
/// profile, ECDSA P-256 for a PKCS#11 token).
pub trait ChallengeSigner {
    /// The kind of signature [`ChallengeSigner::sign`] makes.
    fn algorithm(&self) -> SignatureAlgorithm;
    /// Sign `nonce`.
    fn sign(&self, nonce: &[u8; 32]) -> Result<[u8; 64], SignerError>;
}

/// A signing function with the algorithm it signs with.
impl<F> ChallengeSigner for (SignatureAlgorithm, F)
where
    F: Fn(&[u8; 32]) -> Result<[u8; 64], SignerError>,
{
    fn algorithm(&self) -> SignatureAlgorithm {
        self.0
    }

    fn sign(&self, nonce: &[u8; 32]) -> Result<[u8; 64], SignerError> {
        (self.1)(nonce)
    }
}

/// A login half done: the challenge is issued and its captcha shown, the clerk has not answered
/// yet. Serializable so a command-line login can span two invocations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    /// The unit.
    pub unit_no: String,
    /// The challenge's id.
    pub challenge_id: String,
    /// The nonce, base64.
    nonce: String,
    /// When the challenge expires (RFC 3339).
    pub expires_at: String,
    /// The captcha image (PNG bytes).
    #[serde(skip)]
    pub captcha_png: Vec<u8>,
}

impl PendingLogin {
    /// Whether the challenge has expired (so a new one is needed).
    pub fn is_expired(&self) -> bool {
        match chrono::DateTime::parse_from_rfc3339(&self.expires_at) {
            Ok(at) => at <= chrono::Utc::now(),
            Err(_) => false,
        }
    }

    /// The pending login as text, to keep between two runs of the command line.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The pending login kept by [`PendingLogin::to_text`], if the text is one.
    pub fn from_text(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    fn nonce(&self) -> Result<[u8; 32]> {
        BASE64
            .decode(&self.nonce)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| SyncError::Protocol("the login nonce is not 32 bytes of base64".into()))
    }
}

/// A logged-in session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    /// The bearer token (never logged).
    pub token: String,
    /// When it expires (RFC 3339).
    pub expires_at: String,
    /// Whether the agency demands a new password before anything else.
    pub must_change_password: bool,
    /// The unit as the agency describes it.
    pub unit: UnitSummary,
}

impl Session {
    /// Whether the token has expired by the local clock.
    pub fn is_expired(&self) -> bool {
        match chrono::DateTime::parse_from_rfc3339(&self.expires_at) {
            Ok(at) => at <= chrono::Utc::now(),
            Err(_) => false,
        }
    }
}

/// Ask the agency for a challenge and its captcha.
pub async fn start_login(client: &AgencyClient, unit_no: &str) -> Result<PendingLogin> {
    let answer = client.challenge(unit_no).await?;
    let captcha_png = BASE64
        .decode(answer.captcha_png.as_bytes())
        .map_err(|e| SyncError::Protocol(format!("the captcha image is not base64: {e}")))?;
    let pending = PendingLogin {
        unit_no: unit_no.to_owned(),
        challenge_id: answer.challenge_id,
        nonce: answer.nonce,
        expires_at: answer.expires_at,
        captcha_png,
    };
    pending.nonce()?;
    Ok(pending)
}

/// Answer the challenge: the card signs the nonce, and the password and captcha go with it.
pub async fn finish_login(
    client: &AgencyClient,
    pending: &PendingLogin,
    password: &str,
    captcha: &str,
    signer: &dyn ChallengeSigner,
) -> Result<Session> {
    if pending.is_expired() {
        return Err(SyncError::ChallengeExpired);
    }
    let signature = signer
        .sign(&pending.nonce()?)
        .map_err(|e| SyncError::Card(e.0))?;
    let request = LoginRequest {
        challenge_id: &pending.challenge_id,
        unit_no: &pending.unit_no,
        password,
        captcha: captcha.trim(),
        card_signature: BASE64.encode(signature),
        signature_algorithm: signer.algorithm(),
    };
    let answer = client.login(&request).await?;
    tracing::info!(
        must_change_password = answer.must_change_password,
        "logged in"
    );
    Ok(Session {
        token: answer.token,
        expires_at: answer.expires_at,
        must_change_password: answer.must_change_password,
        unit: answer.unit,
    })
}
