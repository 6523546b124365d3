//! Both kinds of card key: a unit registered with a P-256 key (a PKCS#11 token) logs in with an
//! ECDSA signature over SHA-256 of the nonce and `signature_algorithm: "ecdsa-p256"`, and with
//! nothing else; an SM2 unit is not let in by a P-256 claim. Operators register a P-256 key as
//! a PEM public key or a certificate, and `unit issue-token` makes a SoftHSM2 token a unit's key.

mod common;
#[path = "../../ukey/tests/support/softhsm.rs"]
mod softhsm;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::{CAPTCHA, INITIAL_PASSWORD, TestAgency};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer;
use p256::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use x509_parser::prelude::FromDer;

async fn operator(agency: &TestAgency, args: &[&str]) -> Result<String, String> {
    common::operator_command(&agency.operator_options(), args).await
}

async fn add_unit(agency: &TestAgency, unit_no: &str, key: &[&str]) -> Result<String, String> {
    let mut args = vec![
        "unit",
        "add",
        "--unit-no",
        unit_no,
        "--name",
        "令牌单位",
        "--uscc",
        "91350100M000100Y43",
        "--password",
        INITIAL_PASSWORD,
    ];
    args.extend_from_slice(key);
    operator(agency, &args).await
}

/// Answers a fresh challenge for `unit_no` with `signature` made by `sign` over its nonce.
async fn log_in(
    agency: &TestAgency,
    unit_no: &str,
    algorithm: Option<&str>,
    sign: impl Fn(&[u8]) -> Vec<u8>,
) -> (StatusCode, Value) {
    let challenge = agency.challenge(unit_no).await;
    let nonce = BASE64
        .decode(challenge["nonce"].as_str().expect("nonce"))
        .expect("base64");
    let mut body = json!({
        "challenge_id": challenge["challenge_id"],
        "unit_no": unit_no,
        "password": INITIAL_PASSWORD,
        "captcha": CAPTCHA,
        "card_signature": BASE64.encode(sign(&nonce)),
    });
    if let Some(algorithm) = algorithm {
        body["signature_algorithm"] = json!(algorithm);
    }
    agency.call(Method::POST, "/login", None, Some(&body)).await
}

fn p256_signer(card: &SigningKey) -> impl Fn(&[u8]) -> Vec<u8> + '_ {
    move |nonce| {
        let signature: p256::ecdsa::Signature = card.sign(nonce);
        signature.to_bytes().to_vec()
    }
}

#[tokio::test]
async fn a_p256_unit_logs_in_with_its_ecdsa_signature_and_no_other() {
    let agency = TestAgency::start().await;
    let card = SigningKey::from_slice(&[0x2A; 32]).expect("key");
    let pem = card
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("PEM");
    let report = add_unit(&agency, "7001", &["--card-public-key", &pem])
        .await
        .expect("opened");
    assert!(report.contains("ecdsa-p256"), "{report}");

    let (status, body) = log_in(&agency, "7001", Some("ecdsa-p256"), p256_signer(&card)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["unit"]["unit_no"], "7001");

    // The same valid signature claimed as SM2 (or sent without a kind, which means SM2) is a
    // wrong signature: the unit's key is P-256.
    for claim in [Some("sm2"), None] {
        let (status, _) = log_in(&agency, "7001", claim, p256_signer(&card)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "claimed {claim:?}");
    }
    // Another P-256 key does not pass.
    let stranger = SigningKey::from_slice(&[0x2B; 32]).expect("key");
    let (status, _) = log_in(&agency, "7001", Some("ecdsa-p256"), p256_signer(&stranger)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An SM2 unit is not let in by a P-256 claim, even with a valid SM2 signature.
    let sm2_unit = agency.open_unit("7002").await;
    let sm2_sign = |nonce: &[u8]| {
        use sm2::dsa::signature::Signer as _;
        let signature: sm2::dsa::Signature = sm2_unit.card.sign(nonce);
        signature.to_bytes().to_vec()
    };
    let (status, _) = log_in(&agency, "7002", Some("ecdsa-p256"), sm2_sign).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = log_in(&agency, "7002", Some("sm2"), sm2_sign).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A kind the agency does not know is a bad request, not a login attempt.
    let (status, body) = log_in(&agency, "7001", Some("rsa"), p256_signer(&card)).await;
    assert!(
        status.is_client_error() && status != StatusCode::UNAUTHORIZED,
        "{status} {body}"
    );
    agency.stop().await;
}

#[tokio::test]
async fn a_certificate_registers_its_key_and_bad_keys_are_refused_with_the_reason() {
    let agency = TestAgency::start().await;
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
    let certificate = rcgen::CertificateParams::new(vec!["unit".to_owned()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    let file = agency.dir.join("unit-cert.pem");
    std::fs::write(&file, certificate.pem()).expect("certificate file");
    let report = add_unit(
        &agency,
        "7011",
        &["--card-certificate", file.to_str().expect("utf-8")],
    )
    .await
    .expect("opened from the certificate");
    assert!(report.contains("ecdsa-p256"), "{report}");
    let card = SigningKey::from_pkcs8_der(key.serialized_der()).expect("the same key");
    let (status, body) = log_in(&agency, "7011", Some("ecdsa-p256"), p256_signer(&card)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let not_on_a_curve = format!("04{}", "11".repeat(64));
    let refused = add_unit(&agency, "7012", &["--card-public-key", &not_on_a_curve])
        .await
        .expect_err("no such point");
    assert!(
        refused.contains("not a point on the SM2 or the P-256 curve"),
        "{refused}"
    );
    let neither = add_unit(&agency, "7013", &[])
        .await
        .expect_err("a key is required");
    assert!(neither.contains("card"), "{neither}");
    agency.stop().await;
}

#[tokio::test]
async fn an_issued_token_signs_the_login_with_the_key_it_made() {
    let Some(module) = softhsm::module() else {
        return;
    };
    let agency = TestAgency::start().await;
    let label = "shebao-issued";
    let pin = "112358";
    let workshop = tempfile::tempdir().expect("temp dir");
    let mut token = softhsm::init_token(&module, workshop.path(), label, pin);
    token.plug_into(&softhsm::Store::of_process());
    let module_arg = module.to_str().expect("utf-8");
    let issue = async |unit_no: &str, pin: &str, extra: &[&str]| -> Result<String, String> {
        let mut args = vec![
            "unit",
            "issue-token",
            "--unit-no",
            unit_no,
            "--module",
            module_arg,
            "--pin",
            pin,
            "--token",
            label,
        ];
        args.extend_from_slice(extra);
        operator(&agency, &args).await
    };
    let refused = issue("7021", pin, &[])
        .await
        .expect_err("a new unit needs its details");
    assert!(
        refused.contains("--name, --uscc and --password"),
        "{refused}"
    );
    let refused = issue(
        "7021",
        "000000",
        &[
            "--name",
            "发放单位",
            "--uscc",
            "91350100M000100Y43",
            "--password",
            INITIAL_PASSWORD,
        ],
    )
    .await
    .expect_err("a wrong PIN");
    assert!(refused.contains("PIN is wrong"), "{refused}");
    let report = issue(
        "7021",
        pin,
        &[
            "--name",
            "发放单位",
            "--uscc",
            "91350100M000100Y43",
            "--password",
            INITIAL_PASSWORD,
        ],
    )
    .await
    .expect("issued");
    assert!(
        report.contains("7021") && report.contains("opened"),
        "{report}"
    );

    // The token now holds the unit's certificate, signed by the agency's CA, and the key.
    let pkcs11 = Pkcs11::new(&module).expect("module");
    let _ = pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK));
    let slot = pkcs11
        .get_slots_with_token()
        .expect("slots")
        .into_iter()
        .find(|slot| {
            pkcs11
                .get_token_info(*slot)
                .is_ok_and(|info| info.label().trim() == label)
        })
        .expect("the issued token");
    let session = pkcs11.open_ro_session(slot).expect("session");
    session
        .login(UserType::User, Some(&AuthPin::from(pin)))
        .expect("logged in");
    let certificates = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .expect("certificates");
    assert_eq!(certificates.len(), 1, "one unit certificate");
    let attributes = session
        .get_attributes(certificates[0], &[AttributeType::Value, AttributeType::Id])
        .expect("attributes");
    let (mut der, mut id) = (Vec::new(), Vec::new());
    for attribute in attributes {
        match attribute {
            Attribute::Value(value) => der = value,
            Attribute::Id(value) => id = value,
            _ => {}
        }
    }
    let (_, certificate) =
        x509_parser::certificate::X509Certificate::from_der(&der).expect("X.509");
    let subject = certificate.subject().to_string();
    assert!(subject.contains("7021"), "{subject}");
    let ca_pem = std::fs::read(agency.dir.join("tls").join("ca.pem")).expect("the agency's CA");
    let (_, ca_pem) = x509_parser::pem::parse_x509_pem(&ca_pem).expect("PEM");
    let ca = ca_pem.parse_x509().expect("CA certificate");
    assert_eq!(
        certificate.issuer().to_string(),
        ca.subject().to_string(),
        "signed by the agency's CA"
    );

    let private_key = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(id),
        ])
        .expect("keys")
        .first()
        .copied()
        .expect("the private key beside the certificate");
    let token_signs = |nonce: &[u8]| {
        session
            .sign(&Mechanism::Ecdsa, private_key, &Sha256::digest(nonce))
            .expect("signed on the token")
    };
    let (status, body) = log_in(&agency, "7021", Some("ecdsa-p256"), token_signs).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    drop(session);
    token.delete();
    agency.stop().await;
}
