//! The store's key in a real OS keyring: on Linux the Secret Service (GNOME Keyring in the
//! tests). `cargo xtask test` runs these inside a private D-Bus session with an unlocked GNOME
//! Keyring and sets SHEBAO_REQUIRE_SECRET_SERVICE=1, so there they must pass; in a plain
//! `cargo test` they are skipped, and never touch the keyring of the person running them. The
//! Secret Service is Linux's: the Windows build leaves this file out (its Credential Manager is
//! checked by the Windows leg's journey).
#![cfg(target_os = "linux")]

#[path = "common/secret_service.rs"]
mod secret_service;

use std::process::Command;
use std::sync::Arc;

use shebao_store::vault::{KEYRING_SERVICE, OsKeyring, SecretVault, VaultKind};
use shebao_store::{DataDir, KeyHome, KeySource, Store, StoreError, StoreKey, store_key_entry};

/// What `secret-tool` finds under the documented service name and entry.
fn secret_tool_lookup(entry: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", KEYRING_SERVICE, "username", entry])
        .output()
        .expect("secret-tool runs (package libsecret-tools)");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn keyring() -> KeySource {
    KeySource::new(Arc::new(OsKeyring::new(KEYRING_SERVICE)), None)
}

#[test]
fn the_store_key_is_kept_in_the_secret_service_under_the_documented_name() {
    if !secret_service::required() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let unit = secret_service::fresh_unit("77");
    let keys = keyring();
    let mut store = Store::open_unit(&DataDir::at(data.path()), &unit, &keys)
        .expect("the store is created with a key in the Secret Service");
    assert_eq!(store.key_home(), KeyHome::Keyring(VaultKind::SecretService));
    store.save_draft(&draft()).unwrap();
    drop(store);

    let kept = secret_tool_lookup(&store_key_entry(&unit)).expect("secret-tool finds the key");
    assert_eq!(kept.trim().len(), 64, "{kept:?}");
    // That key, and nothing else, opens the file.
    let raw: Vec<u8> = (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(&kept.trim()[i..i + 2], 16).unwrap())
        .collect();
    let path = DataDir::at(data.path()).unit_store(&unit).unwrap();
    let opened = Store::open(&path, &unit, StoreKey::Raw(raw.try_into().unwrap())).unwrap();
    assert_eq!(opened.draft_count().unwrap(), 1);
}

#[test]
fn a_keyring_reset_is_reported_as_a_lost_key() {
    if !secret_service::required() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let unit = secret_service::fresh_unit("77");
    drop(Store::open_unit(&DataDir::at(data.path()), &unit, &keyring()).unwrap());
    let cleared = Command::new("secret-tool")
        .args([
            "clear",
            "service",
            KEYRING_SERVICE,
            "username",
            &store_key_entry(&unit),
        ])
        .status()
        .unwrap();
    assert!(cleared.success());
    assert_eq!(secret_tool_lookup(&store_key_entry(&unit)), None);

    let err = Store::open_unit(&DataDir::at(data.path()), &unit, &keyring()).unwrap_err();
    assert!(matches!(err, StoreError::KeyLost { .. }), "{err}");
}

#[test]
fn a_secret_written_here_is_read_back_by_name_and_forgotten() {
    if !secret_service::required() {
        return;
    }
    let vault = OsKeyring::new(KEYRING_SERVICE);
    let name = format!("session/{}", secret_service::fresh_unit("77"));
    vault.set(&name, b"{\"token\":\"t\"}").unwrap();
    assert_eq!(
        secret_tool_lookup(&name).as_deref(),
        Some("{\"token\":\"t\"}")
    );
    vault.delete(&name).unwrap();
    assert_eq!(vault.get(&name).unwrap(), None);
}

fn draft() -> shebao_store::NewDraft {
    shebao_store::NewDraft {
        kind: shebao_store::DeclarationKind::Hire,
        period: "2026-11".into(),
        item: serde_json::json!({ "name": "职工" }),
    }
}
