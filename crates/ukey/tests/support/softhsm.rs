//! Tokens on SoftHSM2 for the PKCS#11 tests, made the way an agency makes them: the token
//! initialised with `softhsm2-util`, a P-256 key pair generated on it with OpenSC's
//! `pkcs11-tool`, and the unit's certificate for that key written beside it with the same
//! CKA_ID. `cargo xtask test` installs both tools, points `SOFTHSM2_CONF` at a token store of
//! its own and names the module in `SHEBAO_SOFTHSM_MODULE`.
//!
//! A SoftHSM token is a directory in the store's token directory. A token is made whole in a
//! store of its own and then moved into the watched store in one rename, as a USB token is
//! plugged in whole; deleting is the reverse rename, pulling it out.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rcgen::{CertificateParams, DistinguishedName, DnType, DnValue, KeyPair};
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

pub const MODULE_VAR: &str = "SHEBAO_SOFTHSM_MODULE";
pub const SO_PIN: &str = "87654321";
pub const KEY_ID: &str = "5eba01";

/// The SoftHSM module the tests use, or `None` (with the reason printed) when this run was not
/// set up for it. Under `cargo xtask test` (`SHEBAO_REQUIRE_ALL_LEGS=1`) a missing set-up fails
/// the test instead, so CI can never skip this leg silently.
pub fn module() -> Option<PathBuf> {
    match std::env::var_os(MODULE_VAR) {
        Some(path) => {
            assert!(
                std::env::var_os("SOFTHSM2_CONF").is_some(),
                "{MODULE_VAR} is set but SOFTHSM2_CONF is not: the tokens would land in the \
                 system's SoftHSM store; run the tests with `cargo xtask test`"
            );
            Some(PathBuf::from(path))
        }
        None if std::env::var("SHEBAO_REQUIRE_ALL_LEGS").as_deref() == Ok("1") => panic!(
            "{MODULE_VAR} is not set although every leg is required: `cargo xtask test` sets it \
             after installing softhsm2 and opensc"
        ),
        None => {
            println!(
                "skipped: {MODULE_VAR} is not set, so there is no SoftHSM2 token to test with; \
                 run `cargo xtask test`, which installs softhsm2 and opensc and sets it up"
            );
            None
        }
    }
}

/// A SoftHSM token store: its configuration file and its token directory.
#[derive(Debug, Clone)]
pub struct Store {
    pub conf: PathBuf,
    pub tokens: PathBuf,
}

impl Store {
    /// The store of this process (`SOFTHSM2_CONF`), which the module in this process reads.
    pub fn of_process() -> Store {
        let conf = PathBuf::from(std::env::var_os("SOFTHSM2_CONF").expect("SOFTHSM2_CONF"));
        let text = std::fs::read_to_string(&conf).expect("the SoftHSM configuration");
        let tokens = text
            .lines()
            .filter_map(|line| line.trim().strip_prefix("directories.tokendir"))
            .filter_map(|rest| rest.trim().strip_prefix('='))
            .map(|dir| PathBuf::from(dir.trim()))
            .next()
            .expect("directories.tokendir in the SoftHSM configuration");
        Store { conf, tokens }
    }

    /// A new store in `dir`: for a token being made, or for the `shebao` processes a test
    /// starts (with `SOFTHSM2_CONF` set to [`Store::conf`]) so no other test's tokens show.
    pub fn new_in(dir: &Path) -> Store {
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens).expect("token directory");
        let conf = dir.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .expect("SoftHSM configuration");
        Store { conf, tokens }
    }
}

/// The unit a test token is for.
pub struct Unit<'a> {
    pub unit_no: &'a str,
    pub name: &'a str,
    pub uscc: &'a str,
}

/// A token being made, in a store of its own until [`Token::plug_into`].
pub struct Token {
    pub module: PathBuf,
    pub label: String,
    pub pin: String,
    /// The token's public key, uncompressed (empty until a key is generated).
    pub public_key: Vec<u8>,
    /// Where the token's files are now.
    store: Store,
    /// Where the token is made: `SOFTHSM2_CONF` of the tools.
    workshop: PathBuf,
    /// The directory SoftHSM made for the token, within `store.tokens`.
    directory: String,
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|e| {
        panic!("{command:?} does not run ({e}); `cargo xtask test` installs it")
    });
    assert!(
        output.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Initialises a token in a store of its own under `dir`.
pub fn init_token(module: &Path, dir: &Path, label: &str, pin: &str) -> Token {
    let workshop = dir.join(format!("workshop-{label}"));
    let store = Store::new_in(&workshop);
    run(Command::new("softhsm2-util")
        .env("SOFTHSM2_CONF", &store.conf)
        .args([
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            SO_PIN,
            "--pin",
            pin,
        ]));
    let directory = std::fs::read_dir(&store.tokens)
        .expect("token directory")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .next()
        .expect("softhsm2-util made the token's directory");
    Token {
        module: module.to_owned(),
        label: label.to_owned(),
        pin: pin.to_owned(),
        public_key: Vec::new(),
        workshop: store.conf.clone(),
        store,
        directory,
    }
}

impl Token {
    fn tool(&self) -> Command {
        let mut command = Command::new("pkcs11-tool");
        command
            .env("SOFTHSM2_CONF", &self.workshop)
            .arg("--module")
            .arg(&self.module)
            .args(["--token-label", &self.label, "--login", "--pin", &self.pin]);
        command
    }

    /// Generates the P-256 key pair on the token (before it is plugged in).
    pub fn generate_key(&mut self, dir: &Path) {
        run(self.tool().args([
            "--keypairgen",
            "--key-type",
            "EC:prime256v1",
            "--id",
            KEY_ID,
            "--label",
            "unit key",
        ]));
        let der = dir.join(format!("{}-public.der", self.label));
        run(self
            .tool()
            .args(["--read-object", "--type", "pubkey", "--id", KEY_ID, "-o"])
            .arg(&der));
        let bytes = std::fs::read(&der).expect("the public key was written");
        let (_, spki) = SubjectPublicKeyInfo::from_der(&bytes).expect("a SubjectPublicKeyInfo");
        self.public_key = spki.subject_public_key.data.to_vec();
        assert_eq!(self.public_key.len(), 65, "an uncompressed P-256 point");
    }

    /// Writes the unit's certificate for the token's key beside it, signed by a test CA
    /// (before the token is plugged in); answers the certificate's file.
    pub fn write_certificate(&self, dir: &Path, unit: &Unit<'_>) -> PathBuf {
        let der = unit_certificate(&self.public_key, unit);
        let path = dir.join(format!("{}-cert.der", self.label));
        std::fs::write(&path, der).expect("certificate file");
        run(self.tool().arg("--write-object").arg(&path).args([
            "--type",
            "cert",
            "--id",
            KEY_ID,
            "--label",
            "unit certificate",
        ]));
        path
    }

    /// Moves the finished token into `store` in one rename: the token is plugged in.
    pub fn plug_into(&mut self, store: &Store) {
        std::fs::rename(
            self.store.tokens.join(&self.directory),
            store.tokens.join(&self.directory),
        )
        .expect("the token moves into the store");
        self.store = store.clone();
    }

    /// Moves the token out of its store in one rename, as a USB token is pulled out.
    pub fn delete(&self) {
        self.pull_out().expect("the token leaves the store");
    }

    fn pull_out(&self) -> std::io::Result<()> {
        let out = self
            .store
            .tokens
            .join(format!(".pulled-{}", self.directory));
        std::fs::rename(self.store.tokens.join(&self.directory), &out)?;
        std::fs::remove_dir_all(out)
    }
}

/// A test that fails half-way still takes its token out, so the next test's watch does not
/// find it (and hold a session on it).
impl Drop for Token {
    fn drop(&mut self) {
        let _ = self.pull_out();
    }
}

/// A token with the unit's P-256 key and certificate, plugged into `store`: what the tests log
/// in with.
pub fn unit_token(
    module: &Path,
    store: &Store,
    dir: &Path,
    label: &str,
    pin: &str,
    unit: &Unit<'_>,
) -> Token {
    let mut token = init_token(module, dir, label, pin);
    token.generate_key(dir);
    token.write_certificate(dir, unit);
    token.plug_into(store);
    token
}

struct TokenKey(Vec<u8>);

impl rcgen::PublicKeyData for TokenKey {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

fn unit_certificate(point: &[u8], unit: &Unit<'_>) -> Vec<u8> {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA");
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    let mut subject = DistinguishedName::new();
    subject.push(
        DnType::CustomDnType(vec![2, 5, 4, 5]),
        DnValue::Utf8String(unit.unit_no.to_owned()),
    );
    subject.push(
        DnType::OrganizationName,
        DnValue::Utf8String(unit.name.to_owned()),
    );
    subject.push(
        DnType::CustomDnType(vec![2, 5, 4, 97]),
        DnValue::Utf8String(unit.uscc.to_owned()),
    );
    params.distinguished_name = subject;
    params
        .signed_by(&TokenKey(point.to_vec()), &issuer)
        .expect("certificate")
        .der()
        .to_vec()
}
