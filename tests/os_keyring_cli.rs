//! The app against a real OS keyring (GNOME Keyring over the Secret Service), process by
//! process: the store key and the session token one `shebao` process writes, the next one
//! reads; `secret-tool` finds them under the documented names; a keyring reset and a backup
//! password; and a locked keyring that says "unlock your keyring" instead of falling back.
//!
//! `cargo xtask test` runs these in a private D-Bus session with an unlocked GNOME Keyring and
//! SHEBAO_REQUIRE_SECRET_SERVICE=1, so there they must pass; a plain `cargo test` skips them.

#[path = "../crates/store/tests/common/secret_service.rs"]
mod secret_service;

#[path = "../crates/sync/tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{CAPTCHA, INITIAL_PASSWORD, PASSWORD, SoftwareCard, TestAgency};
use shebao_store::vault::{KEYRING_SERVICE, OsKeyring};
use shebao_store::{DataDir, DeclarationKind, KeySource, NewDraft, Store, StoreKey};
use shebao_ukey::sim::CardFile;

const FALLBACK_WARNING: &str = "no OS keyring is available";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Run `shebao` with `args`: never with the passphrase fallback, on the session bus given.
fn shebao(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shebao"));
    command
        .args(args)
        .env_remove("SHEBAO_STORE_PASSPHRASE")
        .env_remove("SHEBAO_UKEY_PIN")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("shebao runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input.as_bytes()).expect("stdin written");
    }
    let out = child.wait_with_output().expect("shebao ends");
    assert!(
        !text(&out.stderr).contains(FALLBACK_WARNING),
        "the passphrase fallback was used: {}",
        text(&out.stderr)
    );
    out
}

fn secret_tool(args: &[&str]) -> Output {
    Command::new("secret-tool")
        .args(args)
        .output()
        .expect("secret-tool runs (package libsecret-tools)")
}

fn lookup(entry: &str) -> Option<String> {
    let out = secret_tool(&["lookup", "service", KEYRING_SERVICE, "username", entry]);
    out.status.success().then(|| text(&out.stdout))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_key_and_the_session_token_pass_from_process_to_process() {
    if !secret_service::required() {
        return;
    }
    let agency = TestAgency::start(None).await;
    let unit = secret_service::fresh_unit("35");
    let files = tempfile::tempdir().unwrap();
    let card_path = files.path().join("card.toml");
    let card = CardFile::generate(&unit, "示例单位", "91350100M000100Y43", None);
    card.save(&card_path).unwrap();
    let secret: Vec<u8> = (0..card.secret_key.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&card.secret_key[i..i + 2], 16).unwrap())
        .collect();
    agency.open_unit(&SoftwareCard::from_secret(&unit, &secret).unwrap());
    let data = files.path().join("client");
    let (ca, url) = (agency.ca(), agency.url());
    let base = [
        "--data-dir",
        data.to_str().unwrap(),
        "--agency",
        &url,
        "--ca",
        ca.to_str().unwrap(),
        "--sim-card",
        card_path.to_str().unwrap(),
    ];
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let all: Vec<&str> = base.iter().chain(args).copied().collect();
        shebao(&all, env, None)
    };

    // One process makes the store (and its key) and keeps the session token.
    assert_eq!(run(&["login"], &[]).status.code(), Some(8));
    let out = run(
        &["login", "--captcha", CAPTCHA],
        &[("SHEBAO_PASSWORD", INITIAL_PASSWORD)],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    // The next ones find both: the token to change the password, then key and token to sync.
    let out = run(
        &["password"],
        &[
            ("SHEBAO_PASSWORD", INITIAL_PASSWORD),
            ("SHEBAO_NEW_PASSWORD", PASSWORD),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&["sync"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // secret-tool finds both under the service name "shebao".
    let token = lookup(&format!("session/{unit}")).expect("the token is in the keyring");
    assert!(token.contains("\"token\""), "{token}");
    let key = lookup(&format!("store-key/{unit}")).expect("the key is in the keyring");
    let key = key.trim();
    assert_eq!(key.len(), 64);
    let raw: [u8; 32] = (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(&key[i..i + 2], 16).unwrap())
        .collect::<Vec<u8>>()
        .try_into()
        .unwrap();
    // The store on disk is encrypted under exactly that key: no passphrase was involved.
    let path = DataDir::at(&data).unit_store(&unit).unwrap();
    let store = Store::open(&path, &unit, StoreKey::Raw(raw)).expect("the keyring's key opens it");
    assert!(store.declarations(None).is_ok());
}

#[test]
fn after_a_keyring_reset_a_backup_comes_back_with_its_password() {
    if !secret_service::required() {
        return;
    }
    let unit = secret_service::fresh_unit("35");
    let files = tempfile::tempdir().unwrap();
    let data = files.path().join("client");
    let backup = files.path().join("unit.shebao-backup");
    let keys = KeySource::new(Arc::new(OsKeyring::new(KEYRING_SERVICE)), None);
    {
        let mut store = Store::open_unit(&DataDir::at(&data), &unit, &keys).unwrap();
        store
            .save_draft(&NewDraft {
                kind: DeclarationKind::Hire,
                period: "2026-11".into(),
                item: serde_json::json!({ "name": "王五" }),
            })
            .unwrap();
    }
    let local = ["--data-dir", data.to_str().unwrap(), "--unit", &unit];
    let run = |args: &[&str], stdin: Option<&str>| {
        let all: Vec<&str> = local.iter().chain(args).copied().collect();
        shebao(&all, &[], stdin)
    };
    let out = run(
        &["backup-password", "--password-stdin"],
        Some("柜台备份-2026\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&["backup", backup.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The keyring is reset: the key is gone, and the store says so plainly.
    let cleared = secret_tool(&[
        "clear",
        "service",
        KEYRING_SERVICE,
        "username",
        &format!("store-key/{unit}"),
    ]);
    assert!(cleared.status.success());
    let out = run(&["drafts", "list"], None);
    assert_eq!(out.status.code(), Some(6), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no longer in the OS keyring"),
        "{}",
        text(&out.stderr)
    );

    // Without a terminal and without a password the restore says how to give one.
    let out = run(&["restore", backup.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--password-stdin"));
    let out = run(
        &["restore", backup.to_str().unwrap(), "--password-stdin"],
        Some("柜台备份-2025\n"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("does not open"));
    let out = run(
        &["restore", backup.to_str().unwrap(), "--password-stdin"],
        Some("柜台备份-2026\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 draft(s)"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        lookup(&format!("store-key/{unit}")).is_some(),
        "a new key was kept"
    );
    let out = run(&["drafts", "list"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// A D-Bus session of this test's own, with a GNOME Keyring it starts and stops.
struct PrivateSession {
    bus: Child,
    address: String,
    keyring: Option<Child>,
    dir: PathBuf,
}

impl PrivateSession {
    fn start(dir: &Path) -> Self {
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon runs (package dbus-daemon)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus prints its address");
        let runtime = dir.join("run");
        std::fs::create_dir_all(&runtime).expect("the runtime folder is made");
        Self {
            bus,
            address: address.trim().to_owned(),
            keyring: None,
            dir: dir.to_path_buf(),
        }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.address.clone()),
            ("XDG_DATA_HOME", self.dir.join("data").display().to_string()),
            (
                "XDG_RUNTIME_DIR",
                self.dir.join("run").display().to_string(),
            ),
        ]
    }

    /// Start GNOME Keyring: with `password` its login keyring is unlocked (made if new);
    /// without, it stays locked.
    fn start_keyring(&mut self, password: Option<&str>) {
        self.stop_keyring();
        let mut command = Command::new("gnome-keyring-daemon");
        command
            .args(["--foreground", "--components=secrets"])
            .envs(self.env())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if password.is_some() {
            command.arg("--unlock");
        }
        let mut child = command.spawn().expect("gnome-keyring-daemon runs");
        {
            let mut stdin = child.stdin.take().expect("stdin");
            if let Some(password) = password {
                stdin
                    .write_all(password.as_bytes())
                    .expect("the password is given");
            }
        }
        self.keyring = Some(child);
        self.until_secrets_owned(true);
    }

    fn stop_keyring(&mut self) {
        if let Some(mut child) = self.keyring.take() {
            let _ = child.kill();
            let _ = child.wait();
            self.until_secrets_owned(false);
        }
    }

    /// Wait until the Secret Service's name is (or is no longer) on the bus.
    fn until_secrets_owned(&self, owned: bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let out = Command::new("dbus-send")
                .arg(format!("--bus={}", self.address))
                .args([
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .expect("dbus-send runs");
            if text(&out.stdout).contains(if owned { "true" } else { "false" }) {
                return;
            }
            assert!(Instant::now() < deadline, "the keyring did not (dis)appear");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PrivateSession {
    fn drop(&mut self) {
        self.stop_keyring();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

#[test]
fn a_locked_keyring_asks_to_be_unlocked_and_takes_no_fallback() {
    if !secret_service::required() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut session = PrivateSession::start(dir.path());
    session.start_keyring(Some("login-password"));
    let unit = secret_service::fresh_unit("35");
    let data = dir.path().join("client");
    let env = session.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let local = ["--data-dir", data.to_str().unwrap(), "--unit", &unit];
    let run = |args: &[&str]| {
        let all: Vec<&str> = local.iter().chain(args).copied().collect();
        shebao(&all, &env, None)
    };
    let backup = dir.path().join("b.shebao-backup");
    let out = run(&["backup", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The desktop session ends and a new one starts without unlocking the keyring.
    session.start_keyring(None);
    let out = run(&["drafts", "list"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("Unlock your keyring"), "{stderr}");
    assert!(!stderr.contains("SHEBAO_STORE_PASSPHRASE"), "{stderr}");
}
