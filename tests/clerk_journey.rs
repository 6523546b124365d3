//! A clerk's first day through the `shebao` binary against the real agency: the UKey (the
//! simulator, with a PIN) is read, the captcha image is written, the login with the initial
//! password forces a password change, and only then does sync work. A wrong PIN is refused
//! with the tries left.

#[path = "../crates/sync/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{CAPTCHA, INITIAL_PASSWORD, PASSWORD, SoftwareCard, TestAgency};
use shebao_ukey::sim::CardFile;

const UNIT_NO: &str = "3501000077";
const PIN: &str = "246810";

struct Desk<'a> {
    agency: &'a TestAgency,
    data: &'a Path,
    card: &'a Path,
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
            .arg("--sim-card")
            .arg(self.card)
            .args(args)
            // No keyring daemon runs in the tests: the store key comes from the passphrase.
            .env("SHEBAO_STORE_PASSPHRASE", "journey-passphrase")
            .env_remove("SHEBAO_UKEY_PIN")
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
async fn first_login_reads_the_card_asks_the_pin_and_forces_a_new_password() {
    let agency = TestAgency::start(None).await;
    let files = tempfile::tempdir().unwrap();
    let card_path = files.path().join("card.toml");
    let card_file = CardFile::generate(UNIT_NO, "示例单位", "91350100M000100Y43", Some(PIN));
    card_file.save(&card_path).unwrap();
    let secret: Vec<u8> = (0..card_file.secret_key.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&card_file.secret_key[i..i + 2], 16).unwrap())
        .collect();
    agency.open_unit(&SoftwareCard::from_secret(UNIT_NO, &secret).unwrap());
    let data = files.path().join("client");
    let desk = Desk {
        agency: &agency,
        data: &data,
        card: &card_path,
    };

    // Without a captcha answer: the image is written and its path printed.
    let out = desk.shebao(&["login"], &[]);
    assert_eq!(out.status.code(), Some(8), "{}", text(&out.stderr));
    let image = text(&out.stdout).trim().to_owned();
    let png = std::fs::read(&image).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    // A wrong PIN: the card refuses and says how many tries are left; no login happens.
    let out = desk.shebao(
        &["login", "--captcha", CAPTCHA],
        &[
            ("SHEBAO_PASSWORD", INITIAL_PASSWORD),
            ("SHEBAO_UKEY_PIN", "000000"),
        ],
    );
    assert_eq!(out.status.code(), Some(10), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("2 tries left"),
        "{}",
        text(&out.stderr)
    );

    // The right PIN and the initial password: logged in, but a new password comes first.
    let out = desk.shebao(
        &["login", "--captcha", CAPTCHA],
        &[
            ("SHEBAO_PASSWORD", INITIAL_PASSWORD),
            ("SHEBAO_UKEY_PIN", PIN),
        ],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(UNIT_NO));
    let out = desk.shebao(&["sync"], &[]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));

    let out = desk.shebao(
        &["password"],
        &[
            ("SHEBAO_PASSWORD", INITIAL_PASSWORD),
            ("SHEBAO_NEW_PASSWORD", PASSWORD),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = desk.shebao(&["sync"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = desk.shebao(&["declarations"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("未提交"),
        "{}",
        text(&out.stdout)
    );
}
