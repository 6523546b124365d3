//! `unit issue-token`: an agency hands out a PKCS#11 token it bought as a unit's key. The key
//! pair is generated on the token (the private key never leaves it); the unit's certificate,
//! signed by the agency's CA, goes beside it with the same CKA_ID; the public key is registered
//! as the unit's P-256 card key. The layout is the one shebao reads (docs/protocol-notes.md,
//! "PKCS#11 tokens").

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, Utc};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, DnValue, ExtendedKeyUsagePurpose, Issuer,
    KeyPair, KeyUsagePurpose, PublicKeyData, SerialNumber, SignatureAlgorithm,
};
use x509_parser::prelude::FromDer;

use super::IssueToken;
use super::operator::{Opening, OperatorError, check_unit_no, open_unit};
use crate::auth::card_key::{CardKey, CardKeyAlgorithm};
use crate::clock::SystemClock;
use crate::storage::{Storage, StorageError};
use crate::tls::{self, TlsPaths};

/// DER of the OID of P-256 (prime256v1), the CKA_EC_PARAMS of the key pair.
const P256_PARAMS: [u8; 10] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// The subject's serialNumber and organizationIdentifier.
const SERIAL_NUMBER: [u64; 4] = [2, 5, 4, 5];
const ORGANIZATION_IDENTIFIER: [u64; 4] = [2, 5, 4, 97];
/// How long a unit's certificate is valid.
const CERTIFICATE_YEARS: i32 = 5;

/// Why a token could not be issued; each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the PKCS#11 module {0} does not exist: give the path of the token's .so or .dll")]
    ModuleMissing(String),
    #[error("{path} is not a PKCS#11 module: {detail}")]
    NotPkcs11 { path: String, detail: String },
    #[error("the PKCS#11 module failed: {0}")]
    Module(String),
    #[error("no initialised token is in the module's slots: initialise one with its vendor's tool")]
    NoToken,
    #[error("no token is labelled {0:?}; the module holds: {1}")]
    NoSuchToken(String, String),
    #[error("the module holds several tokens ({0}): choose one with --token LABEL")]
    SeveralTokens(String),
    #[error("the token's user PIN is wrong")]
    WrongPin,
    #[error("the token's user PIN is locked: unblock it with the token's security officer PIN")]
    PinLocked,
    #[error("unit {0} is not open yet: give --name, --uscc and --password to open it")]
    NewUnitDetails(String),
    #[error(
        "the agency's CA key {0} is missing (the server uses a certificate of its own): put the \
         CA that is to sign unit certificates there as ca.pem and ca-key.pem"
    )]
    NoCa(String),
    #[error("cannot read the agency's CA in {0}: {1}")]
    Ca(String, String),
    #[error("the token's public key is not a P-256 point")]
    BadPoint,
    #[error("cannot make the unit's certificate: {0}")]
    Certificate(String),
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
}

fn module_error(error: Error) -> TokenError {
    match error {
        Error::Pkcs11(RvError::PinIncorrect, _) => TokenError::WrongPin,
        Error::Pkcs11(RvError::PinLocked, _) => TokenError::PinLocked,
        other => TokenError::Module(other.to_string()),
    }
}

/// The unit the token is for: already open, or to be opened with what the operator gave.
enum Holder {
    Open {
        id: i64,
        name: String,
        uscc: String,
    },
    New {
        name: String,
        uscc: String,
        password: String,
    },
}

pub(super) async fn run(
    storage: &Storage,
    data_dir: &Path,
    issue: &IssueToken,
    clock: &SystemClock,
    out: &mut dyn Write,
) -> Result<(), OperatorError> {
    check_unit_no(&issue.unit_no)?;
    let holder = match storage.unit_by_number(issue.unit_no.clone()).await? {
        Some(unit) => Holder::Open {
            id: unit.id,
            name: unit.record.name,
            uscc: unit.record.uscc,
        },
        None => match (&issue.name, &issue.uscc, &issue.password) {
            (Some(name), Some(uscc), Some(password)) => Holder::New {
                name: name.clone(),
                uscc: uscc.clone(),
                password: password.clone(),
            },
            _ => return Err(TokenError::NewUnitDetails(issue.unit_no.clone()).into()),
        },
    };
    let (name, uscc) = match &holder {
        Holder::Open { name, uscc, .. } | Holder::New { name, uscc, .. } => {
            (name.clone(), uscc.clone())
        }
    };
    // The module's calls block; they run beside the async threads.
    let written = {
        let (data_dir, issue) = (data_dir.to_path_buf(), issue.clone());
        let name = name.clone();
        tokio::task::spawn_blocking(move || write_token(&data_dir, &issue, &name, &uscc))
            .await
            .map_err(|e| StorageError::Task(e.to_string()))??
    };
    match &holder {
        Holder::Open { id, .. } => {
            storage
                .replace_card_key(*id, written.key.point.clone(), written.key.algorithm)
                .await?
        }
        Holder::New {
            name,
            uscc,
            password,
        } => {
            let opening = Opening {
                unit_no: &issue.unit_no,
                name,
                uscc,
                password,
            };
            open_unit(storage, &opening, &written.key, clock).await?;
        }
    }
    writeln!(
        out,
        "issued token {:?} to unit {} ({name}): a P-256 key pair generated on the token \
         (CKA_ID {}), the unit's certificate signed by the agency's CA beside it{}; the key is \
         registered{}",
        written.label,
        issue.unit_no,
        hex::encode(written.key_id),
        if written.removed > 0 {
            format!(", {} object(s) of an earlier unit removed", written.removed)
        } else {
            String::new()
        },
        if matches!(holder, Holder::Open { .. }) {
            " in place of the unit's earlier card key, and its sessions have ended"
        } else {
            " and the unit opened; it must change its password at first login"
        }
    )?;
    Ok(())
}

/// What was written on the token.
struct Written {
    key: CardKey,
    key_id: [u8; 16],
    label: String,
    removed: usize,
}

/// Makes the unit's key pair on the token and writes its certificate beside it.
fn write_token(
    data_dir: &Path,
    issue: &IssueToken,
    name: &str,
    uscc: &str,
) -> Result<Written, TokenError> {
    let ca = agency_ca(data_dir)?;
    let module = load(&issue.module)?;
    let (slot, label) = find_token(&module, issue.token.as_deref())?;
    let session = module.open_rw_session(slot).map_err(module_error)?;
    session
        .login(UserType::User, Some(&AuthPin::from(issue.pin.as_str())))
        .or_else(|e| match e {
            Error::Pkcs11(RvError::UserAlreadyLoggedIn, _) => Ok(()),
            e => Err(module_error(e)),
        })?;
    let removed = remove_unit_objects(&session)?;
    let key_id: [u8; 16] = rand::random();
    let point = generate_key_pair(&session, &key_id, &issue.unit_no)?;
    let key = CardKey {
        algorithm: CardKeyAlgorithm::EcdsaP256,
        point: point.clone(),
    };
    if !key.is_valid() {
        return Err(TokenError::BadPoint);
    }
    let certificate = unit_certificate(&issue.unit_no, name, uscc, point, &ca)?;
    store_certificate(&session, &certificate, &key_id, &issue.unit_no)?;
    let _ = session.logout();
    Ok(Written {
        key,
        key_id,
        label,
        removed,
    })
}

/// The agency's private CA, made with the server's TLS identity when there is none yet.
fn agency_ca(data_dir: &Path) -> Result<Issuer<'static, KeyPair>, TokenError> {
    let paths = TlsPaths::in_data_dir(data_dir);
    tls::ensure_identity(&paths)?;
    let shown = |path: &Path| path.display().to_string();
    if !paths.ca_key.exists() {
        return Err(TokenError::NoCa(shown(&paths.ca_key)));
    }
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| TokenError::Ca(shown(path), e.to_string()))
    };
    let key = KeyPair::from_pem(&read(&paths.ca_key)?)
        .map_err(|e| TokenError::Ca(shown(&paths.ca_key), e.to_string()))?;
    Issuer::from_ca_cert_pem(&read(&paths.ca_cert)?, key)
        .map_err(|e| TokenError::Ca(shown(&paths.ca_cert), e.to_string()))
}

fn load(path: &Path) -> Result<Pkcs11, TokenError> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(TokenError::ModuleMissing(shown));
    }
    let module = Pkcs11::new(path).map_err(|e| TokenError::NotPkcs11 {
        path: shown,
        detail: e.to_string(),
    })?;
    match module.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => Ok(module),
        Err(e) => Err(module_error(e)),
    }
}

/// The initialised token labelled `wanted`, or the only one.
fn find_token(module: &Pkcs11, wanted: Option<&str>) -> Result<(Slot, String), TokenError> {
    let mut tokens = Vec::new();
    for slot in module.get_slots_with_token().map_err(module_error)? {
        let info = module.get_token_info(slot).map_err(module_error)?;
        if info.token_initialized() {
            tokens.push((slot, info.label().trim().to_owned()));
        }
    }
    let labels = || {
        tokens
            .iter()
            .map(|(_, label)| format!("{label:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(label) => tokens
            .iter()
            .find(|(_, l)| l == label)
            .cloned()
            .ok_or_else(|| TokenError::NoSuchToken(label.to_owned(), labels())),
        None => match tokens.as_slice() {
            [] => Err(TokenError::NoToken),
            [only] => Ok(only.clone()),
            _ => Err(TokenError::SeveralTokens(labels())),
        },
    }
}

/// Removes the certificates that name a unit, with the keys of their CKA_ID, so the token holds
/// one unit's key only. Returns how many objects went.
fn remove_unit_objects(session: &Session) -> Result<usize, TokenError> {
    let certificates = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(module_error)?;
    let mut removed = 0;
    for certificate in certificates {
        let attributes = session
            .get_attributes(certificate, &[AttributeType::Value, AttributeType::Id])
            .map_err(module_error)?;
        let (mut value, mut id) = (Vec::new(), Vec::new());
        for attribute in attributes {
            match attribute {
                Attribute::Value(v) => value = v,
                Attribute::Id(i) => id = i,
                _ => {}
            }
        }
        if !names_a_unit(&value) {
            continue;
        }
        let mut objects = vec![certificate];
        for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
            objects.extend(
                session
                    .find_objects(&[Attribute::Class(class), Attribute::Id(id.clone())])
                    .map_err(module_error)?,
            );
        }
        for object in objects {
            session.destroy_object(object).map_err(module_error)?;
            removed += 1;
        }
    }
    Ok(removed)
}

fn names_a_unit(der: &[u8]) -> bool {
    x509_parser::certificate::X509Certificate::from_der(der).is_ok_and(|(_, certificate)| {
        certificate
            .subject()
            .iter_attributes()
            .any(|attribute| attribute.attr_type().to_id_string() == "2.5.4.5")
    })
}

/// Generates the P-256 key pair on the token and answers its public point.
fn generate_key_pair(session: &Session, id: &[u8], unit_no: &str) -> Result<Vec<u8>, TokenError> {
    let label = format!("shebao unit {unit_no}").into_bytes();
    let public = [
        Attribute::Token(true),
        Attribute::Private(false),
        Attribute::Verify(true),
        Attribute::EcParams(P256_PARAMS.to_vec()),
        Attribute::Id(id.to_vec()),
        Attribute::Label(label.clone()),
    ];
    let private = [
        Attribute::Token(true),
        Attribute::Private(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
        Attribute::Sign(true),
        Attribute::Id(id.to_vec()),
        Attribute::Label(label),
    ];
    let (public_key, _) = session
        .generate_key_pair(&Mechanism::EccKeyPairGen, &public, &private)
        .map_err(module_error)?;
    ec_point(session, public_key)
}

/// CKA_EC_POINT holds the point wrapped in a DER OCTET STRING; a few modules give it bare.
fn ec_point(session: &Session, public_key: ObjectHandle) -> Result<Vec<u8>, TokenError> {
    let attributes = session
        .get_attributes(public_key, &[AttributeType::EcPoint])
        .map_err(module_error)?;
    let value = attributes
        .into_iter()
        .find_map(|attribute| match attribute {
            Attribute::EcPoint(point) => Some(point),
            _ => None,
        })
        .ok_or(TokenError::BadPoint)?;
    match value.as_slice() {
        [0x04, 0x41, point @ ..] if point.len() == 65 => Ok(point.to_vec()),
        point if point.len() == 65 => Ok(point.to_vec()),
        _ => Err(TokenError::BadPoint),
    }
}

/// The token's public key as rcgen signs a certificate for it.
struct TokenKey(Vec<u8>);

impl PublicKeyData for TokenKey {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

/// The unit's certificate: the subject names the unit (serialNumber, O, organizationIdentifier)
/// and the key is the token's.
fn unit_certificate(
    unit_no: &str,
    name: &str,
    uscc: &str,
    point: Vec<u8>,
    ca: &Issuer<'static, KeyPair>,
) -> Result<Vec<u8>, TokenError> {
    let failed = |e: rcgen::Error| TokenError::Certificate(e.to_string());
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
    let mut subject = DistinguishedName::new();
    subject.push(
        DnType::CustomDnType(SERIAL_NUMBER.to_vec()),
        DnValue::PrintableString(unit_no.try_into().map_err(failed)?),
    );
    subject.push(
        DnType::OrganizationName,
        DnValue::Utf8String(name.to_owned()),
    );
    subject.push(
        DnType::CustomDnType(ORGANIZATION_IDENTIFIER.to_vec()),
        DnValue::PrintableString(uscc.try_into().map_err(failed)?),
    );
    subject.push(DnType::CommonName, DnValue::Utf8String(name.to_owned()));
    params.distinguished_name = subject;
    params.serial_number = Some(SerialNumber::from_slice(&rand::random::<[u8; 16]>()));
    let today = Utc::now().date_naive();
    params.not_before = rcgen::date_time_ymd(today.year(), today.month() as u8, 1);
    params.not_after =
        rcgen::date_time_ymd(today.year() + CERTIFICATE_YEARS, today.month() as u8, 1);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.use_authority_key_identifier_extension = true;
    let certificate = params.signed_by(&TokenKey(point), ca).map_err(failed)?;
    Ok(certificate.der().to_vec())
}

/// Writes the certificate onto the token beside the key pair (same CKA_ID).
fn store_certificate(
    session: &Session,
    der: &[u8],
    id: &[u8],
    unit_no: &str,
) -> Result<(), TokenError> {
    let (_, parsed) = x509_parser::certificate::X509Certificate::from_der(der)
        .map_err(|e| TokenError::Certificate(e.to_string()))?;
    session
        .create_object(&[
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::CertificateType(CertificateType::X_509),
            Attribute::Token(true),
            Attribute::Private(false),
            Attribute::Subject(parsed.subject().as_raw().to_vec()),
            Attribute::Id(id.to_vec()),
            Attribute::Label(format!("shebao unit {unit_no}").into_bytes()),
            Attribute::Value(der.to_vec()),
        ])
        .map_err(module_error)?;
    Ok(())
}
