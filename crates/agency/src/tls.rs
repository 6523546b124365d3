//! The server's TLS identity.
//!
//! An agency that deploys this server puts its own certificate in `<data-dir>/tls/` as
//! `server.pem` and `server-key.pem`. When there is none, the first start creates a private CA
//! (`ca.pem`, the file clients are told to trust) and a server certificate for localhost and
//! 127.0.0.1 signed by it, so that the demo and the tests speak real HTTPS without a public CA.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Why the TLS identity could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read or write the TLS files in {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot create the private CA or the server certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("the certificate or key in {path} is not valid PEM: {detail}")]
    Pem { path: PathBuf, detail: String },
    #[error("the server certificate and key do not form a usable TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// Where the TLS files of a data directory live.
#[derive(Debug, Clone)]
pub struct TlsPaths {
    pub dir: PathBuf,
    pub ca_cert: PathBuf,
    pub ca_key: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
}

impl TlsPaths {
    pub fn in_data_dir(data_dir: &Path) -> Self {
        let dir = data_dir.join("tls");
        Self {
            ca_cert: dir.join("ca.pem"),
            ca_key: dir.join("ca-key.pem"),
            server_cert: dir.join("server.pem"),
            server_key: dir.join("server-key.pem"),
            dir,
        }
    }
}

/// Makes sure a server certificate exists, creating the private CA and the certificate if not.
/// Returns true when it created them.
pub fn ensure_identity(paths: &TlsPaths) -> Result<bool, TlsError> {
    if paths.server_cert.exists() && paths.server_key.exists() {
        return Ok(false);
    }
    fs::create_dir_all(&paths.dir).map_err(|source| TlsError::Io {
        path: paths.dir.clone(),
        source,
    })?;

    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.distinguished_name = name("shebao-agency private CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params.not_after = rcgen::date_time_ymd(2046, 1, 1);
    let ca_cert = ca_params.self_signed(&ca_key)?;

    let server_key = KeyPair::generate()?;
    let mut server_params = CertificateParams::new(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ])?;
    server_params.distinguished_name = name("localhost");
    server_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server_params.not_after = rcgen::date_time_ymd(2036, 1, 1);
    let issuer = Issuer::new(ca_params, &ca_key);
    let server_cert = server_params.signed_by(&server_key, &issuer)?;

    write(&paths.ca_cert, ca_cert.pem().as_bytes(), false)?;
    write(&paths.ca_key, ca_key.serialize_pem().as_bytes(), true)?;
    // The chain a client receives: the server certificate followed by the CA that signed it.
    let chain = format!("{}{}", server_cert.pem(), ca_cert.pem());
    write(&paths.server_cert, chain.as_bytes(), false)?;
    write(
        &paths.server_key,
        server_key.serialize_pem().as_bytes(),
        true,
    )?;
    Ok(true)
}

fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name.push(DnType::OrganizationName, "shebao reference agency");
    name
}

fn write(path: &Path, contents: &[u8], secret: bool) -> Result<(), TlsError> {
    let io_error = |source| TlsError::Io {
        path: path.to_owned(),
        source,
    };
    fs::write(path, contents).map_err(io_error)?;
    if secret {
        restrict_to_owner(path).map_err(io_error)?;
    }
    Ok(())
}

#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// The rustls configuration for the files in `paths`, speaking HTTP/1.1 only.
pub fn server_config(paths: &TlsPaths) -> Result<Arc<ServerConfig>, TlsError> {
    let pem_error = |path: &Path| {
        let path = path.to_owned();
        move |e: rustls::pki_types::pem::Error| TlsError::Pem {
            path,
            detail: e.to_string(),
        }
    };
    let chain = CertificateDer::pem_file_iter(&paths.server_cert)
        .map_err(pem_error(&paths.server_cert))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(pem_error(&paths.server_cert))?;
    let key =
        PrivateKeyDer::from_pem_file(&paths.server_key).map_err(pem_error(&paths.server_key))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_start_creates_a_ca_and_a_usable_server_certificate_once() {
        let dir = std::env::temp_dir().join(format!("shebao-tls-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let paths = TlsPaths::in_data_dir(&dir);
        assert!(ensure_identity(&paths).expect("identity created"));
        let ca = fs::read_to_string(&paths.ca_cert).expect("ca.pem written");
        assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(server_config(&paths).is_ok());
        // A second start keeps the certificate clients already trust.
        assert!(!ensure_identity(&paths).expect("identity kept"));
        assert_eq!(fs::read_to_string(&paths.ca_cert).expect("ca.pem kept"), ca);
        let _ = fs::remove_dir_all(&dir);
    }
}
