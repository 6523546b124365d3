//! Unit passwords, kept as Argon2id hashes (PHC strings).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct PasswordHashError(String);

/// The shortest password a unit may choose for itself.
pub const MIN_LENGTH: usize = 8;

fn hasher() -> Argon2<'static> {
    // OWASP's first Argon2id profile: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> Result<String, PasswordHashError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordHashError(e.to_string()))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordHashError(e.to_string()))
}

/// Checks a password against a stored hash; a damaged hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time of one verification without a stored hash, so that an unknown unit number
/// answers as slowly as a wrong password.
pub fn verify_nothing(password: &str) {
    let mut out = [0u8; 32];
    let _ = hasher().hash_password_into(password.as_bytes(), b"shebao-no-such-unit", &mut out);
}

/// Why a new password is not acceptable; the message is shown to the clerk.
pub fn weakness(old: &str, new: &str) -> Option<&'static str> {
    if new.chars().count() < MIN_LENGTH {
        return Some("the new password must have at least 8 characters");
    }
    if new == old {
        return Some("the new password must differ from the old one");
    }
    if new.chars().all(|c| c.is_ascii_digit()) {
        return Some("the new password must not be digits only");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("888888").expect("hashes");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("888888", &stored));
        assert!(!verify("888889", &stored));
        assert!(!verify("888888", "not a hash"));
    }

    #[test]
    fn weak_new_passwords_are_named() {
        assert!(weakness("888888", "12345678").is_some());
        assert!(weakness("888888", "short1").is_some());
        assert!(weakness("Secret-2026", "Secret-2026").is_some());
        assert_eq!(weakness("888888", "Secret-2026"), None);
    }
}
