//! The two kinds of key a unit's UKey may hold, as the agency registers and checks them:
//! SM2 (a UKey of the card profile, `auth::card`) and ECDSA P-256 (a PKCS#11 token, which
//! signs SHA-256 of the nonce). A unit's key is registered with its kind, and a login is
//! checked with that kind only: a P-256 signature never passes for an SM2 unit, nor the reverse.

use std::fmt;

use p256::ecdsa::signature::Verifier;
use serde::{Deserialize, Serialize};
use x509_parser::der_parser::oid::Oid;
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::card;

const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const CURVE_P256: &str = "1.2.840.10045.3.1.7";
const CURVE_SM2: &str = "1.2.156.10197.1.301";

/// The kind of a unit's card key, and so of the signature its login carries
/// (`signature_algorithm` of `POST /login`, the `card_key_algorithm` of the unit's row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum CardKeyAlgorithm {
    /// SM2 over SM3(Z ‖ nonce), user id "1234567812345678".
    #[default]
    #[serde(rename = "sm2")]
    Sm2,
    /// ECDSA on P-256 over SHA-256 of the nonce, r ‖ s.
    #[serde(rename = "ecdsa-p256")]
    EcdsaP256,
}

impl CardKeyAlgorithm {
    /// The name on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CardKeyAlgorithm::Sm2 => "sm2",
            CardKeyAlgorithm::EcdsaP256 => "ecdsa-p256",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sm2" => Some(CardKeyAlgorithm::Sm2),
            "ecdsa-p256" => Some(CardKeyAlgorithm::EcdsaP256),
            _ => None,
        }
    }
}

impl fmt::Display for CardKeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A card's public key with its kind: what the agency registers for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardKey {
    pub algorithm: CardKeyAlgorithm,
    /// The uncompressed SEC1 point (65 bytes, `04 ‖ x ‖ y`).
    pub point: Vec<u8>,
}

/// Why a card key given by an operator was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardKeyError {
    #[error(
        "the card public key must be an uncompressed SM2 or P-256 point (130 hex digits starting \
         04) or a PEM public key (-----BEGIN PUBLIC KEY-----)"
    )]
    Unreadable,
    #[error("the card public key is not a point on the SM2 or the P-256 curve")]
    NotOnCurve,
    #[error("the card key is on a curve other than SM2 and P-256 ({0})")]
    OtherCurve(String),
    #[error("the certificate cannot be read: {0}")]
    Certificate(String),
}

impl CardKey {
    /// A key as an operator types it: the uncompressed point in hex (its curve found by which
    /// curve it lies on), or a PEM public key (SubjectPublicKeyInfo).
    pub fn parse(text: &str) -> Result<Self, CardKeyError> {
        let text = text.trim();
        if text.starts_with("-----BEGIN") {
            let (_, pem) = x509_parser::pem::parse_x509_pem(text.as_bytes())
                .map_err(|_| CardKeyError::Unreadable)?;
            if pem.label != "PUBLIC KEY" {
                return Err(CardKeyError::Unreadable);
            }
            return Self::from_spki_der(&pem.contents);
        }
        let point = hex::decode(text).map_err(|_| CardKeyError::Unreadable)?;
        if point.len() != 65 || point[0] != 4 {
            return Err(CardKeyError::Unreadable);
        }
        // A random point lies on one of the two curves at most; an SM2 key stays SM2.
        [CardKeyAlgorithm::Sm2, CardKeyAlgorithm::EcdsaP256]
            .into_iter()
            .map(|algorithm| CardKey {
                algorithm,
                point: point.clone(),
            })
            .find(CardKey::is_valid)
            .ok_or(CardKeyError::NotOnCurve)
    }

    /// The key of a certificate (PEM or DER), such as the one on a unit's PKCS#11 token.
    pub fn from_certificate(bytes: &[u8]) -> Result<Self, CardKeyError> {
        let der = match x509_parser::pem::parse_x509_pem(bytes) {
            Ok((_, pem)) if pem.label == "CERTIFICATE" => pem.contents,
            Ok((_, pem)) => {
                return Err(CardKeyError::Certificate(format!(
                    "a PEM {} where a CERTIFICATE was expected",
                    pem.label
                )));
            }
            Err(_) => bytes.to_vec(),
        };
        let (_, certificate) = x509_parser::parse_x509_certificate(&der)
            .map_err(|e| CardKeyError::Certificate(e.to_string()))?;
        Self::from_spki(certificate.public_key())
    }

    fn from_spki_der(der: &[u8]) -> Result<Self, CardKeyError> {
        let (_, spki) =
            SubjectPublicKeyInfo::from_der(der).map_err(|_| CardKeyError::Unreadable)?;
        Self::from_spki(&spki)
    }

    fn from_spki(spki: &SubjectPublicKeyInfo<'_>) -> Result<Self, CardKeyError> {
        let kind = spki.algorithm.algorithm.to_id_string();
        if kind != EC_PUBLIC_KEY {
            return Err(CardKeyError::OtherCurve(format!("not an EC key: {kind}")));
        }
        let curve = spki
            .algorithm
            .parameters
            .clone()
            .and_then(|parameters| Oid::try_from(parameters).ok())
            .map(|oid| oid.to_id_string())
            .unwrap_or_default();
        let algorithm = match curve.as_str() {
            CURVE_SM2 => CardKeyAlgorithm::Sm2,
            CURVE_P256 => CardKeyAlgorithm::EcdsaP256,
            other => return Err(CardKeyError::OtherCurve(other.to_owned())),
        };
        let key = CardKey {
            algorithm,
            point: spki.subject_public_key.data.to_vec(),
        };
        if key.is_valid() {
            Ok(key)
        } else {
            Err(CardKeyError::NotOnCurve)
        }
    }

    /// Whether the point is an uncompressed point on the key's curve.
    pub fn is_valid(&self) -> bool {
        is_valid_point(self.algorithm, &self.point)
    }
}

/// Whether `point` is an uncompressed point on the curve of `algorithm`.
pub fn is_valid_point(algorithm: CardKeyAlgorithm, point: &[u8]) -> bool {
    match algorithm {
        CardKeyAlgorithm::Sm2 => card::is_valid_public_key(point),
        CardKeyAlgorithm::EcdsaP256 => {
            point.len() == 65
                && point[0] == 4
                && p256::ecdsa::VerifyingKey::from_sec1_bytes(point).is_ok()
        }
    }
}

/// True if `signature` (r ‖ s, 64 bytes) is the signature over `nonce` of the key `point` of
/// the kind `algorithm`.
pub fn signature_matches(
    algorithm: CardKeyAlgorithm,
    point: &[u8],
    nonce: &[u8],
    signature: &[u8],
) -> bool {
    match algorithm {
        CardKeyAlgorithm::Sm2 => card::signature_matches(point, nonce, signature),
        CardKeyAlgorithm::EcdsaP256 => {
            let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
                return false;
            };
            let Ok(signature) = p256::ecdsa::Signature::from_slice(signature) else {
                return false;
            };
            key.verify(nonce, &signature).is_ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::SigningKey;
    use p256::ecdsa::signature::Signer;
    use p256::pkcs8::EncodePublicKey;

    fn p256_card() -> SigningKey {
        SigningKey::from_slice(&[5u8; 32]).expect("valid secret")
    }

    #[test]
    fn a_p256_signature_over_the_nonce_passes_only_as_ecdsa_p256() {
        let card = p256_card();
        let point = card
            .verifying_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        let nonce = [3u8; 32];
        let signature: p256::ecdsa::Signature = card.sign(&nonce);
        let bytes = signature.to_bytes();
        assert!(signature_matches(
            CardKeyAlgorithm::EcdsaP256,
            &point,
            &nonce,
            &bytes
        ));
        assert!(!signature_matches(
            CardKeyAlgorithm::Sm2,
            &point,
            &nonce,
            &bytes
        ));
        assert!(!signature_matches(
            CardKeyAlgorithm::EcdsaP256,
            &point,
            &[4u8; 32],
            &bytes
        ));
    }

    #[test]
    fn a_hex_point_or_a_pem_key_is_read_with_its_curve() {
        let card = p256_card();
        let point = card
            .verifying_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        let from_hex = CardKey::parse(&hex::encode(&point)).expect("a P-256 point");
        assert_eq!(from_hex.algorithm, CardKeyAlgorithm::EcdsaP256);
        let pem = card
            .verifying_key()
            .to_public_key_pem(p256::pkcs8::LineEnding::LF)
            .expect("PEM");
        let from_pem = CardKey::parse(&pem).expect("a PEM public key");
        assert_eq!(from_pem, from_hex);

        let sm2 = sm2::dsa::SigningKey::from_slice(card::DEFAULT_USER_ID, &[7u8; 32])
            .expect("valid secret");
        let sm2_point = sm2.verifying_key().to_sec1_bytes();
        let from_hex = CardKey::parse(&hex::encode(&sm2_point)).expect("an SM2 point");
        assert_eq!(from_hex.algorithm, CardKeyAlgorithm::Sm2);

        assert_eq!(
            CardKey::parse(&format!("04{}", "11".repeat(64))),
            Err(CardKeyError::NotOnCurve)
        );
        assert_eq!(CardKey::parse("zz"), Err(CardKeyError::Unreadable));
        assert_eq!(
            CardKey::parse("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"),
            Err(CardKeyError::Unreadable)
        );
    }

    #[test]
    fn the_wire_names_are_fixed() {
        for algorithm in [CardKeyAlgorithm::Sm2, CardKeyAlgorithm::EcdsaP256] {
            assert_eq!(CardKeyAlgorithm::parse(algorithm.as_str()), Some(algorithm));
            let json = serde_json::to_string(&algorithm).expect("serializes");
            assert_eq!(json, format!("\"{}\"", algorithm.as_str()));
        }
        assert_eq!(CardKeyAlgorithm::parse("rsa"), None);
    }
}
