//! The unit's UKey: the SM2 signature its card makes over the login nonce.
//!
//! The card signs SM3(Z ‖ nonce) with the default user id "1234567812345678" (PROTOCOL.md §1);
//! the `sm2` crate computes Z and the digest from the public key and the message.

use sm2::dsa::signature::Verifier;
use sm2::dsa::{Signature, VerifyingKey};

/// The user id every shebao card signs with.
pub const DEFAULT_USER_ID: &str = "1234567812345678";

/// Checks that a card public key (uncompressed SEC1, 65 bytes) is a point on the SM2 curve.
pub fn is_valid_public_key(sec1: &[u8]) -> bool {
    sec1.len() == 65 && sec1[0] == 4 && VerifyingKey::from_sec1_bytes(DEFAULT_USER_ID, sec1).is_ok()
}

/// True if `signature` (r ‖ s, 64 bytes) is the card's signature over `nonce`.
pub fn signature_matches(public_key: &[u8], nonce: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_sec1_bytes(DEFAULT_USER_ID, public_key) else {
        return false;
    };
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    key.verify(nonce, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sm2::dsa::SigningKey;
    use sm2::dsa::signature::Signer;

    #[test]
    fn only_the_registered_card_signature_over_this_nonce_passes() {
        let card = SigningKey::from_slice(DEFAULT_USER_ID, &[7u8; 32]).expect("valid secret");
        let other = SigningKey::from_slice(DEFAULT_USER_ID, &[9u8; 32]).expect("valid secret");
        let public = card.verifying_key().to_sec1_bytes();
        assert!(is_valid_public_key(&public));
        let nonce = [1u8; 32];
        let signature: Signature = card.sign(&nonce);
        assert!(signature_matches(&public, &nonce, &signature.to_bytes()));
        assert!(!signature_matches(
            &public,
            &[2u8; 32],
            &signature.to_bytes()
        ));
        let forged: Signature = other.sign(&nonce);
        assert!(!signature_matches(&public, &nonce, &forged.to_bytes()));
        assert!(!signature_matches(&public, &nonce, &[0u8; 64]));
        assert!(!is_valid_public_key(&[4u8; 65]));
    }
}
