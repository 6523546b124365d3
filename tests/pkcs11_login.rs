//! A unit whose key is a PKCS#11 token (SoftHSM2, in a token store of this test's own) through
//! the `shebao` binary against the real agency: `shebao card --pkcs11` shows the unit from the
//! token's certificate, a wrong PIN is refused with the token's word on the tries, the right one
//! logs in with a P-256 signature the agency checks against the key it registered from the
//! unit's certificate, and a module path that is wrong or not PKCS#11 is named in the error.

#[path = "../crates/sync/tests/common/mod.rs"]
mod common;
#[path = "../crates/ukey/tests/support/softhsm.rs"]
mod softhsm;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::Parser as _;

use common::{CAPTCHA, INITIAL_PASSWORD, TestAgency};

const UNIT_NO: &str = "3501002470";
const PIN: &str = "314159";

struct Desk<'a> {
    agency: &'a TestAgency,
    data: &'a Path,
    module: &'a Path,
    conf: &'a Path,
}

impl Desk<'_> {
    fn shebao(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_shebao"));
        command
            .arg("--data-dir")
            .arg(self.data)
            .arg("--agency")
            .arg(self.agency.url())
            .arg("--ca")
            .arg(self.agency.ca())
            .arg("--pkcs11")
            .arg(self.module)
            .args(args)
            .env("SOFTHSM2_CONF", self.conf)
            .env("SHEBAO_STORE_PASSPHRASE", "pkcs11-passphrase")
            .env_remove("SHEBAO_UKEY_PIN")
            .env_remove("SHEBAO_SIM_CARD")
            .stdin(Stdio::null());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("shebao runs")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_shows_its_unit_refuses_a_wrong_pin_and_logs_in() {
    let Some(module) = softhsm::module() else {
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let store = softhsm::Store::new_in(&files.path().join("store"));
    let unit = softhsm::Unit {
        unit_no: UNIT_NO,
        name: "令牌登录单位",
        uscc: "91350100M000100Y43",
    };
    let token = softhsm::unit_token(&module, &store, files.path(), "shebao-cli", PIN, &unit);
    let agency = TestAgency::start(None).await;
    // The operator registers the token's key from the unit's certificate.
    let certificate = files.path().join("shebao-cli-cert.der");
    let cli = shebao_agency::cli::Cli::try_parse_from([
        "shebao-agency",
        "--data-dir",
        agency.dir.to_str().expect("utf-8"),
        "unit",
        "add",
        "--unit-no",
        UNIT_NO,
        "--name",
        unit.name,
        "--uscc",
        unit.uscc,
        "--password",
        INITIAL_PASSWORD,
        "--card-certificate",
        certificate.to_str().expect("utf-8"),
    ])
    .expect("the operator's command line");
    let mut report = Vec::new();
    shebao_agency::cli::run_operator(&cli, &mut report)
        .await
        .expect("the unit is opened with the certificate's key");
    assert!(text(&report).contains("ecdsa-p256"), "{}", text(&report));

    let data = files.path().join("client");
    let desk = Desk {
        agency: &agency,
        data: &data,
        module: &module,
        conf: &store.conf,
    };

    let out = desk.shebao(&["card"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains(UNIT_NO) && shown.contains(unit.name),
        "{shown}"
    );
    assert!(shown.contains(unit.uscc), "{shown}");

    let out = desk.shebao(&["login"], &[]);
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));

    // A wrong PIN: the token refuses, no login happens, and the key is not used up.
    let out = desk.shebao(
        &["login", "--captcha", CAPTCHA],
        &[
            ("SHEBAO_PASSWORD", INITIAL_PASSWORD),
            ("SHEBAO_UKEY_PIN", "000000"),
        ],
    );
    assert_eq!(out.status.code(), Some(10), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Wrong PIN"),
        "{}",
        text(&out.stderr)
    );

    // The right PIN: the token signs, the agency checks the P-256 signature and logs in (the
    // initial password then asks for a new one, exit 5).
    let out = desk.shebao(&["login"], &[]);
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));
    let out = desk.shebao(
        &["login", "--captcha", CAPTCHA],
        &[
            ("SHEBAO_PASSWORD", INITIAL_PASSWORD),
            ("SHEBAO_UKEY_PIN", PIN),
        ],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(UNIT_NO), "{}", text(&out.stdout));
    token.delete();
}

#[test]
fn a_module_that_is_missing_or_not_pkcs11_is_named() {
    let files = tempfile::tempdir().unwrap();
    let run = |module: &Path| {
        Command::new(env!("CARGO_BIN_EXE_shebao"))
            .arg("--data-dir")
            .arg(files.path())
            .arg("--pkcs11")
            .arg(module)
            .arg("card")
            .stdin(Stdio::null())
            .output()
            .expect("shebao runs")
    };
    let missing = files.path().join("vendor-pkcs11.so");
    let out = run(&missing);
    assert_eq!(out.status.code(), Some(10));
    let told = text(&out.stderr);
    assert!(
        told.contains("vendor-pkcs11.so") && told.contains("does not exist"),
        "{told}"
    );

    let not_pkcs11 = files.path().join("readme.so");
    std::fs::write(&not_pkcs11, "not a library").unwrap();
    let out = run(&not_pkcs11);
    assert_eq!(out.status.code(), Some(10));
    let told = text(&out.stderr);
    assert!(told.contains("is not a PKCS#11 module"), "{told}");
}
