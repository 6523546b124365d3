//! One token, opened in a session of its own: the unit read from its certificate, the PIN
//! checked with `C_Login`, the challenge signed with the private key of the same CKA_ID. The
//! private key never leaves the token; only the challenge's digest goes in and the signature
//! comes out.

use std::sync::Arc;

use cryptoki::error::{Error, RvError};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, SessionState, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use sha2::{Digest, Sha256};

use super::certificate::{self, UnitCertificate};
use super::from_pkcs11;
use super::library::{Library, OpenSession};
use crate::card::{CardIdentity, CardPin, CardSignature, Challenge, KeyAlgorithm};
use crate::error::UKeyError;
use crate::profile;
use crate::source::InsertedKey;

/// The unit's key pair on the token, once its certificate was read.
struct UnitKey {
    /// The CKA_ID the certificate and the private key share.
    id: Vec<u8>,
    algorithm: KeyAlgorithm,
}

pub(crate) struct TokenSession {
    library: Arc<Library>,
    slot: Slot,
    /// Closed when dropped, before `_counted` uncounts it.
    session: Session,
    _counted: OpenSession,
    key: Option<UnitKey>,
}

impl TokenSession {
    pub fn open(library: Arc<Library>, slot: Slot) -> Result<Self, UKeyError> {
        let (session, counted) = {
            let _calls = library.calls();
            let session = library.ctx.open_ro_session(slot).map_err(from_pkcs11)?;
            (session, library.session_opened())
        };
        Ok(TokenSession {
            library,
            slot,
            session,
            _counted: counted,
            key: None,
        })
    }

    /// The first certificate on the token that names a unit, with its CKA_ID.
    fn unit_certificate(&self) -> Result<(UnitCertificate, Vec<u8>), UKeyError> {
        let certificates = self
            .session
            .find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
            ])
            .map_err(from_pkcs11)?;
        let mut refused = None;
        for object in certificates {
            let (value, id) = self.value_and_id(object)?;
            match certificate::parse(&value) {
                Ok(unit) => return Ok((unit, id)),
                Err(reason) => refused = refused.or(Some(reason)),
            }
        }
        Err(UKeyError::NoUnitCertificate {
            detail: refused.unwrap_or_else(|| {
                "令牌中没有 X.509 证书 / no X.509 certificate on the token".to_owned()
            }),
        })
    }

    fn value_and_id(&self, object: ObjectHandle) -> Result<(Vec<u8>, Vec<u8>), UKeyError> {
        let attributes = self
            .session
            .get_attributes(object, &[AttributeType::Value, AttributeType::Id])
            .map_err(from_pkcs11)?;
        let (mut value, mut id) = (Vec::new(), Vec::new());
        for attribute in attributes {
            match attribute {
                Attribute::Value(bytes) => value = bytes,
                Attribute::Id(bytes) => id = bytes,
                _ => {}
            }
        }
        Ok((value, id))
    }

    fn logged_in(&self) -> Result<bool, UKeyError> {
        let state = self
            .session
            .get_session_info()
            .map_err(from_pkcs11)?
            .session_state();
        Ok(matches!(state, SessionState::RoUser | SessionState::RwUser))
    }

    /// The private key beside the certificate. Tokens keep private keys private, so before
    /// the PIN it is not even found: that is a PIN request, not a missing key.
    fn private_key(&self, id: &[u8]) -> Result<ObjectHandle, UKeyError> {
        let found = self
            .session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Id(id.to_vec()),
            ])
            .map_err(from_pkcs11)?;
        match found.first() {
            Some(key) => Ok(*key),
            None if !self.logged_in()? => Err(UKeyError::PinRequired),
            None => Err(UKeyError::UnusableKey {
                detail:
                    "证书旁没有 CKA_ID 相同的私钥 / no private key with the certificate's CKA_ID"
                        .to_owned(),
            }),
        }
    }

    /// The signing mechanism for the key and what it signs: CKM_ECDSA over the SHA-256 digest,
    /// which nearly every token offers, else CKM_ECDSA_SHA256 over the challenge itself.
    fn mechanism(
        &self,
        algorithm: KeyAlgorithm,
        challenge: &Challenge,
    ) -> Result<(Mechanism<'static>, Vec<u8>), UKeyError> {
        let offered = self
            .library
            .ctx
            .get_mechanism_list(self.slot)
            .map_err(from_pkcs11)?;
        match algorithm {
            KeyAlgorithm::EcdsaP256 if offered.contains(&MechanismType::ECDSA) => {
                Ok((Mechanism::Ecdsa, Sha256::digest(challenge).to_vec()))
            }
            KeyAlgorithm::EcdsaP256 if offered.contains(&MechanismType::ECDSA_SHA256) => {
                Ok((Mechanism::EcdsaSha256, challenge.to_vec()))
            }
            KeyAlgorithm::EcdsaP256 => Err(UKeyError::UnusableKey {
                detail: "模块不提供 CKM_ECDSA / the module offers no CKM_ECDSA".to_owned(),
            }),
            KeyAlgorithm::Sm2 => Err(UKeyError::UnusableKey {
                detail: "模块不提供 SM2 签名机制 / the module offers no SM2 signing mechanism"
                    .to_owned(),
            }),
        }
    }

    /// Why a login failed, as the token tells it: PKCS#11 has no try counter, only flags for
    /// "the last try" and "locked".
    fn wrong_pin(&self) -> UKeyError {
        match self.library.ctx.get_token_info(self.slot) {
            Ok(token) if token.user_pin_locked() => UKeyError::PinBlocked,
            Ok(token) if token.user_pin_final_try() => UKeyError::WrongPin { tries_left: 1 },
            _ => UKeyError::WrongPinTriesUnknown,
        }
    }
}

impl InsertedKey for TokenSession {
    fn read_identity(&mut self) -> Result<CardIdentity, UKeyError> {
        let (unit, id) = self.unit_certificate()?;
        let identity = CardIdentity::checked(
            unit.unit_no,
            unit.unit_name,
            unit.credit_code,
            &unit.public_key,
            unit.key_algorithm,
        )?;
        self.key = Some(UnitKey {
            id,
            algorithm: unit.key_algorithm,
        });
        Ok(identity)
    }

    fn verify_pin(&mut self, pin: &CardPin) -> Result<(), UKeyError> {
        let text = pin.as_str();
        if text.is_empty() || text.len() > 64 {
            // Nothing the token could accept; do not spend a try on it.
            return Err(UKeyError::PinFormat);
        }
        match self
            .session
            .login(UserType::User, Some(&AuthPin::from(text)))
        {
            Ok(()) | Err(Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
            Err(Error::Pkcs11(RvError::PinIncorrect, _)) => Err(self.wrong_pin()),
            Err(Error::Pkcs11(RvError::PinLenRange, _)) => Err(UKeyError::PinFormat),
            Err(error) => Err(from_pkcs11(error)),
        }
    }

    fn sign(&mut self, challenge: &Challenge) -> Result<CardSignature, UKeyError> {
        if self.key.is_none() {
            self.read_identity()?;
        }
        let Some(UnitKey { id, algorithm }) = &self.key else {
            return Err(UKeyError::ServiceStopped);
        };
        let (mechanism, data) = self.mechanism(*algorithm, challenge)?;
        let private_key = self.private_key(id)?;
        let signature = self
            .session
            .sign(&mechanism, private_key, &data)
            .map_err(from_pkcs11)?;
        let signature: [u8; profile::SIGNATURE_LEN] =
            signature.try_into().map_err(|data: Vec<u8>| {
                UKeyError::malformed(format!(
                    "签名 {} 字节 / signature of {} bytes",
                    data.len(),
                    data.len()
                ))
            })?;
        Ok(CardSignature(signature))
    }
}
