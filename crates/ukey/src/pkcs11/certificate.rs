//! The unit's certificate on a PKCS#11 token (docs/protocol-notes.md, "PKCS#11 tokens"): an
//! X.509 certificate whose subject names the unit — serialNumber (2.5.4.5) the unit number,
//! O (2.5.4.10) the unit name, organizationIdentifier (2.5.4.97) the credit code — and whose
//! public key, a P-256 or SM2 point, is that of the key pair beside it on the token.

use x509_parser::der_parser::oid::Oid;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::card::KeyAlgorithm;

const SERIAL_NUMBER: &str = "2.5.4.5";
const ORGANIZATION: &str = "2.5.4.10";
const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const CURVE_P256: &str = "1.2.840.10045.3.1.7";
const CURVE_SM2: &str = "1.2.156.10197.1.301";

/// What the certificate says of the unit and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnitCertificate {
    pub unit_no: String,
    pub unit_name: String,
    pub credit_code: String,
    /// The uncompressed point.
    pub public_key: Vec<u8>,
    pub key_algorithm: KeyAlgorithm,
}

/// Reads a DER certificate as the unit's; the error says what is missing, for the clerk's
/// "no unit certificate" message.
pub(crate) fn parse(der: &[u8]) -> Result<UnitCertificate, String> {
    let (_, certificate) = X509Certificate::from_der(der)
        .map_err(|e| format!("证书无法解析 / the certificate cannot be parsed: {e}"))?;
    let subject_text = |oid: &str, what: &str| -> Result<String, String> {
        certificate
            .subject()
            .iter_attributes()
            .find(|attribute| attribute.attr_type().to_id_string() == oid)
            .ok_or_else(|| format!("证书主体缺少 {what} / the subject has no {what} ({oid})"))?
            .as_str()
            .map(|text| text.trim().to_owned())
            .map_err(|_| format!("证书中的 {what} 不是文本 / {what} is not text"))
    };
    let unit_no = subject_text(SERIAL_NUMBER, "serialNumber")?;
    let unit_name = subject_text(ORGANIZATION, "O")?;
    let credit_code = subject_text(ORGANIZATION_IDENTIFIER, "organizationIdentifier")?;
    let key = certificate.public_key();
    if key.algorithm.algorithm.to_id_string() != EC_PUBLIC_KEY {
        return Err(format!(
            "证书的密钥不是椭圆曲线密钥 / the key is not an EC key ({})",
            key.algorithm.algorithm.to_id_string()
        ));
    }
    let curve = key
        .algorithm
        .parameters
        .clone()
        .and_then(|parameters| Oid::try_from(parameters).ok())
        .map(|oid| oid.to_id_string())
        .unwrap_or_default();
    let key_algorithm = match curve.as_str() {
        CURVE_P256 => KeyAlgorithm::EcdsaP256,
        CURVE_SM2 => KeyAlgorithm::Sm2,
        other => {
            return Err(format!(
                "证书的密钥曲线不受支持 / the key's curve is neither P-256 nor SM2 ({other})"
            ));
        }
    };
    Ok(UnitCertificate {
        unit_no,
        unit_name,
        credit_code,
        public_key: key.subject_public_key.data.to_vec(),
        key_algorithm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, DistinguishedName, DnType, DnValue, KeyPair};

    fn certificate(subject: &[(DnType, &str)]) -> (Vec<u8>, Vec<u8>) {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        for (kind, value) in subject {
            name.push(kind.clone(), DnValue::Utf8String((*value).to_owned()));
        }
        params.distinguished_name = name;
        let certificate = params.self_signed(&key).expect("certificate");
        (certificate.der().to_vec(), key.public_key_raw().to_vec())
    }

    fn unit_subject() -> Vec<(DnType, &'static str)> {
        vec![
            (DnType::CustomDnType(vec![2, 5, 4, 5]), "3501000123"),
            (DnType::OrganizationName, "福州示例有限公司"),
            (
                DnType::CustomDnType(vec![2, 5, 4, 97]),
                "91350100M000100Y43",
            ),
            (DnType::CommonName, "3501000123"),
        ]
    }

    #[test]
    fn the_subject_names_the_unit_and_the_key_is_p256() {
        let (der, point) = certificate(&unit_subject());
        let unit = parse(&der).expect("a unit certificate");
        assert_eq!(unit.unit_no, "3501000123");
        assert_eq!(unit.unit_name, "福州示例有限公司");
        assert_eq!(unit.credit_code, "91350100M000100Y43");
        assert_eq!(unit.public_key, point);
        assert_eq!(unit.key_algorithm, KeyAlgorithm::EcdsaP256);
    }

    #[test]
    fn a_certificate_without_the_unit_number_says_so() {
        let mut subject = unit_subject();
        subject.remove(0);
        let (der, _) = certificate(&subject);
        let error = parse(&der).expect_err("not a unit certificate");
        assert!(error.contains("serialNumber"), "{error}");
        assert!(parse(b"not DER").is_err());
    }
}
