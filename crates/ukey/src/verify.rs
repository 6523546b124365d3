//! Checking a card's signature, as the agency does at login.

use sm2::dsa::signature::Verifier;
use sm2::dsa::{Signature, VerifyingKey};

use crate::profile;

/// True when `signature` (r‖s) is the card's SM2 signature of `challenge` under
/// `public_key` (uncompressed SEC1), with the profile's user id.
pub fn signature_is_valid(public_key: &[u8], challenge: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_sec1_bytes(profile::SM2_USER_ID, public_key) else {
        return false;
    };
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    key.verify(challenge, &signature).is_ok()
}
