//! `shebao backup`, `restore`, `backup-password` and `fresh-store` as processes: a restore is
//! refused while another process has the store open; a new profile restores with the backup
//! password given on standard input or in the environment; a wrong one changes nothing; a
//! store whose key no longer fits is kept aside by a fresh start. (The store key comes from the
//! passphrase here; `os_keyring_cli.rs` does the same with a real keyring.)

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use shebao_store::vault::NoVault;
use shebao_store::{DataDir, DeclarationKind, KeySource, NewDraft, Store};

const UNIT: &str = "3501000042";
const PASSWORD: &str = "counter-backup-2026";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `shebao --data-dir DATA --unit UNIT ARGS` with the store passphrase `passphrase`.
fn shebao(
    data: &Path,
    passphrase: &str,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shebao"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(["--unit", UNIT])
        .args(args)
        .env("SHEBAO_STORE_PASSPHRASE", passphrase)
        .env_remove("SHEBAO_BACKUP_PASSWORD")
        .env_remove("SHEBAO_NEW_BACKUP_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("shebao runs");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(input) = stdin {
        pipe.write_all(input.as_bytes()).expect("stdin written");
    }
    drop(pipe);
    child.wait_with_output().expect("shebao ends")
}

fn keys(passphrase: &str) -> KeySource {
    KeySource::new(Arc::new(NoVault), Some(passphrase.into()))
}

fn draft(name: &str) -> NewDraft {
    NewDraft {
        kind: DeclarationKind::Hire,
        period: "2026-11".into(),
        item: serde_json::json!({ "name": name }),
    }
}

#[test]
fn a_backup_restores_in_a_new_profile_with_its_password_and_never_under_an_open_store() {
    let office = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let file = usb.path().join("unit.shebao-backup");
    let file_arg = file.to_str().unwrap();
    let mut store = Store::open_unit(&DataDir::at(office.path()), UNIT, &keys("office")).unwrap();
    store.save_drafts(&[draft("张三"), draft("李四")]).unwrap();

    let out = shebao(
        office.path(),
        "office",
        &["backup-password", "--password-stdin"],
        &[],
        Some("short\n"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = shebao(
        office.path(),
        "office",
        &["backup-password", "--password-stdin"],
        &[],
        Some(&format!("{PASSWORD}\n")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let code = text(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Recovery code / 恢复码: ")
                .map(str::to_owned)
        })
        .expect("the recovery code is shown");
    let out = shebao(office.path(), "office", &["backup", file_arg], &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // This process still has the store open, as a window would: the restore is refused.
    let out = shebao(office.path(), "office", &["restore", file_arg], &[], None);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("open in another shebao window"));
    store.save_draft(&draft("王五")).unwrap();
    assert_eq!(
        store.draft_count().unwrap(),
        3,
        "the open store lost nothing"
    );
    drop(store);

    // A new profile: another folder, another key. It needs the backup password.
    let profile = tempfile::tempdir().unwrap();
    let out = shebao(profile.path(), "profile", &["restore", file_arg], &[], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("SHEBAO_BACKUP_PASSWORD"));
    let out = shebao(
        profile.path(),
        "profile",
        &["restore", file_arg],
        &[("SHEBAO_BACKUP_PASSWORD", "counter-backup-2025")],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Nothing was changed"));
    assert!(
        !DataDir::at(profile.path())
            .unit_store(UNIT)
            .unwrap()
            .exists()
    );
    let out = shebao(
        profile.path(),
        "profile",
        &["restore", file_arg, "--password-stdin"],
        &[],
        Some(&format!("{PASSWORD}\n")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 draft(s)"),
        "{}",
        text(&out.stdout)
    );

    // And a third with the recovery code in place of the password.
    let third = tempfile::tempdir().unwrap();
    let out = shebao(
        third.path(),
        "third",
        &["restore", file_arg],
        &[("SHEBAO_BACKUP_PASSWORD", &code)],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_store_that_no_longer_opens_is_kept_aside_by_a_fresh_start() {
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open_unit(&DataDir::at(data.path()), UNIT, &keys("first")).unwrap();
    store.save_draft(&draft("张三")).unwrap();
    drop(store);

    let out = shebao(data.path(), "second", &["fresh-store"], &[], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Drafts not yet submitted"),
        "{}",
        text(&out.stderr)
    );
    let out = shebao(data.path(), "first", &["fresh-store", "--yes"], &[], None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a store that opens is left alone: {}",
        text(&out.stderr)
    );

    let out = shebao(data.path(), "second", &["fresh-store", "--yes"], &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let unit_dir = DataDir::at(data.path()).unit_dir(UNIT).unwrap();
    let aside: Vec<_> = std::fs::read_dir(&unit_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("store.db.lost-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the old store is kept aside");
    let old = Store::open(
        &aside[0].path(),
        UNIT,
        shebao_store::StoreKey::Passphrase("first".into()),
    )
    .unwrap();
    assert_eq!(
        old.draft_count().unwrap(),
        1,
        "and still opens with its key"
    );
    let out = shebao(data.path(), "second", &["drafts", "list"], &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
