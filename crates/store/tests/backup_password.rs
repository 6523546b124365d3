//! Backups that carry their own way in: each path a clerk can take when the keyring's key is
//! not there, and the lock that keeps a restore from pulling a store from under a window.

mod common;

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{UNIT, hire};
use shebao_store::vault::{MemoryVault, SecretVault};
use shebao_store::{
    BackupPassword, DataDir, KeySource, Store, StoreError, backup_info, store_key_entry,
};

const PASSWORD: &str = "柜台-2026-备份";

/// A computer (or a user profile): its own data folder and its own keyring.
struct Computer {
    data: tempfile::TempDir,
    vault: Arc<MemoryVault>,
}

impl Computer {
    fn new() -> Self {
        Self {
            data: tempfile::tempdir().expect("a temporary folder"),
            vault: Arc::new(MemoryVault::new()),
        }
    }

    fn dir(&self) -> DataDir {
        DataDir::at(self.data.path())
    }

    fn keys(&self) -> KeySource {
        KeySource::new(self.vault.clone(), None)
    }

    fn open(&self) -> Result<Store, StoreError> {
        Store::open_unit(&self.dir(), UNIT, &self.keys())
    }

    fn restore(&self, from: &Path, password: Option<&str>) -> Result<Store, StoreError> {
        let password = password.map(BackupPassword::new);
        Store::restore_unit(&self.dir(), UNIT, &self.keys(), from, password.as_ref())
    }
}

/// A store with three drafts and a backup password, backed up to a file outside the folder.
fn backed_up(office: &Computer) -> (PathBuf, String, tempfile::TempDir) {
    let usb = tempfile::tempdir().expect("a temporary folder");
    let mut store = office.open().expect("the store opens");
    store
        .save_drafts(&[hire(1), hire(2), hire(3)])
        .expect("drafts saved");
    let code = store
        .set_backup_password(&BackupPassword::new(PASSWORD))
        .expect("the password is set");
    let file = usb.path().join("unit.shebao-backup");
    store.backup_to(&file).expect("the backup is written");
    (file, code.to_string(), usb)
}

#[test]
fn a_new_computer_restores_a_backup_with_its_password() {
    let office = Computer::new();
    let (file, _, _usb) = backed_up(&office);

    let new_pc = Computer::new();
    let err = new_pc.restore(&file, None).unwrap_err();
    assert!(
        matches!(err, StoreError::BackupPasswordNeeded { .. }),
        "{err}"
    );
    assert!(!new_pc.dir().unit_store(UNIT).unwrap().exists());

    let store = new_pc.restore(&file, Some(PASSWORD)).unwrap();
    assert_eq!(store.draft_count().unwrap(), 3);
    drop(store);
    // The new computer's keyring now holds a key of its own, and the store opens with it.
    assert!(new_pc.vault.get(&store_key_entry(UNIT)).unwrap().is_some());
    let store = new_pc.open().unwrap();
    assert_eq!(store.draft_count().unwrap(), 3);
    // The backup password came along: the new computer's backups open with it elsewhere.
    assert!(store.backup_password_set_at().unwrap().is_some());
    let again = new_pc.data.path().join("again.shebao-backup");
    store.backup_to(&again).unwrap();
    let third = Computer::new();
    assert_eq!(
        third
            .restore(&again, Some(PASSWORD))
            .unwrap()
            .draft_count()
            .unwrap(),
        3
    );
}

#[test]
fn the_recovery_code_opens_the_backup_however_it_is_typed() {
    let office = Computer::new();
    let (file, code, _usb) = backed_up(&office);
    let typed = code.to_lowercase().replace('-', " ");
    let store = Computer::new().restore(&file, Some(&typed)).unwrap();
    assert_eq!(store.draft_count().unwrap(), 3);
}

#[test]
fn after_a_keyring_reset_the_store_is_lost_and_a_backup_brings_it_back() {
    let office = Computer::new();
    let (file, _, _usb) = backed_up(&office);
    office.vault.delete(&store_key_entry(UNIT)).unwrap();

    let err = office.open().unwrap_err();
    assert!(matches!(err, StoreError::KeyLost { .. }), "{err}");
    assert!(err.to_string().contains("shebao restore"), "{err}");
    assert!(err.to_string().contains("shebao fresh-store"), "{err}");

    let store = office.restore(&file, Some(PASSWORD)).unwrap();
    assert_eq!(store.draft_count().unwrap(), 3);
    let unit_dir = office.dir().unit_dir(UNIT).unwrap();
    let kept: Vec<String> = std::fs::read_dir(&unit_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store.db.replaced-"))
        .collect();
    assert!(
        kept.iter()
            .any(|n| !n.ends_with("-wal") && !n.ends_with("-shm")),
        "the unreadable store is kept aside: {kept:?}"
    );
}

#[test]
fn a_wrong_password_says_so_and_changes_nothing() {
    let office = Computer::new();
    let (file, _, _usb) = backed_up(&office);
    let home = Computer::new();
    let mut store = home.open().unwrap();
    store.save_draft(&hire(9)).unwrap();
    let files = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(home.dir().unit_dir(UNIT).unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            // The journal comes and goes with the open connection.
            .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
            .collect();
        names.sort();
        names
    };
    let before = files();

    for wrong in ["柜台-2026-备分", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"] {
        let err = store
            .replace_from_backup(&file, Some(&BackupPassword::new(wrong)))
            .unwrap_err();
        assert!(
            matches!(err, StoreError::WrongBackupPassword { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("Nothing was changed"), "{err}");
    }
    assert_eq!(store.draft_count().unwrap(), 1, "the store is as it was");
    drop(store);
    let err = home.restore(&file, Some("wrong password")).unwrap_err();
    assert!(
        matches!(err, StoreError::WrongBackupPassword { .. }),
        "{err}"
    );
    assert_eq!(home.open().unwrap().draft_count().unwrap(), 1);
    assert_eq!(before, files(), "no file was added or moved");
}

fn spoil(path: &Path, at: u64) {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .expect("the backup opens");
    f.seek(SeekFrom::Start(at)).expect("seek");
    let mut byte = [0u8; 1];
    f.read_exact(&mut byte).expect("read");
    f.seek(SeekFrom::Start(at)).expect("seek");
    f.write_all(&[byte[0] ^ 0x20]).expect("write");
}

#[test]
fn a_damaged_backup_says_so_and_changes_nothing() {
    let office = Computer::new();
    let (file, _, usb) = backed_up(&office);
    let len = std::fs::metadata(&file).unwrap().len();
    // A changed byte in the header (a slot), in the middle of the data, and a file cut short.
    let header = usb.path().join("header.shebao-backup");
    std::fs::copy(&file, &header).unwrap();
    spoil(&header, 400);
    let middle = usb.path().join("middle.shebao-backup");
    std::fs::copy(&file, &middle).unwrap();
    spoil(&middle, len / 2);
    let short = usb.path().join("short.shebao-backup");
    std::fs::copy(&file, &short).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&short)
        .unwrap()
        .set_len(len - 1000)
        .unwrap();

    let home = Computer::new();
    for damaged in [&header, &middle, &short] {
        let err = home.restore(damaged, Some(PASSWORD)).unwrap_err();
        assert!(
            matches!(err, StoreError::BackupDamaged { .. }),
            "{}: {err}",
            damaged.display()
        );
        assert!(err.to_string().contains("damaged"), "{err}");
    }
    assert!(!home.dir().unit_store(UNIT).unwrap().exists());
    assert!(backup_info(&header).is_err());
    assert!(backup_info(&file).unwrap().opens_with_password);
}

#[test]
fn a_restore_is_refused_while_the_store_is_open_elsewhere() {
    let office = Computer::new();
    let (file, _, _usb) = backed_up(&office);
    let mut window = office.open().unwrap();
    window.save_draft(&hire(4)).unwrap();

    let err = office.restore(&file, Some(PASSWORD)).unwrap_err();
    assert!(matches!(err, StoreError::InUse { .. }), "{err}");
    let err = Store::start_fresh(&office.dir(), UNIT, &office.keys()).unwrap_err();
    assert!(
        matches!(err, StoreError::NothingToRecover { .. }),
        "a store that opens is never set aside: {err}"
    );
    // The window's store and its write-ahead log are untouched: it keeps working.
    window.save_draft(&hire(5)).unwrap();
    assert_eq!(window.draft_count().unwrap(), 5);
    drop(window);
    assert_eq!(office.open().unwrap().draft_count().unwrap(), 5);
}

#[test]
fn backups_before_a_password_open_only_on_their_computer() {
    let office = Computer::new();
    let store = office.open().unwrap();
    let file = office.data.path().join("early.shebao-backup");
    store.backup_to(&file).unwrap();
    assert!(!backup_info(&file).unwrap().opens_with_password);
    assert!(!store.backup_needs_password(&file).unwrap());
    drop(store);
    assert!(office.restore(&file, None).is_ok());
    let err = Computer::new().restore(&file, Some(PASSWORD)).unwrap_err();
    assert!(
        err.to_string().contains("before a backup password"),
        "{err}"
    );
}

#[test]
fn a_short_backup_password_is_refused() {
    let office = Computer::new();
    let mut store = office.open().unwrap();
    let err = store
        .set_backup_password(&BackupPassword::new("1234567"))
        .unwrap_err();
    assert!(matches!(err, StoreError::BackupPasswordTooShort { min: 8 }));
    assert!(store.backup_password_set_at().unwrap().is_none());
}

#[test]
fn a_fresh_store_keeps_the_lost_one_aside() {
    let office = Computer::new();
    let mut store = office.open().unwrap();
    store.save_draft(&hire(1)).unwrap();
    drop(store);
    office.vault.delete(&store_key_entry(UNIT)).unwrap();
    let lost = office.dir().unit_store(UNIT).unwrap();
    let before = std::fs::read(&lost).unwrap();

    let fresh = Store::start_fresh(&office.dir(), UNIT, &office.keys()).unwrap();
    assert_eq!(fresh.store.draft_count().unwrap(), 0);
    assert_eq!(std::fs::read(&fresh.set_aside).unwrap(), before);
    let name = fresh.set_aside.file_name().unwrap().to_string_lossy();
    assert!(name.starts_with("store.db.lost-"), "{name}");
    drop(fresh);
    assert_eq!(office.open().unwrap().draft_count().unwrap(), 0);
}

#[test]
fn the_daily_backup_carries_the_password_too() {
    let office = Computer::new();
    let (_, _, _usb) = backed_up(&office);
    let store = office.open().unwrap();
    let dir = office.dir().unit_backups(UNIT).unwrap();
    let made = store
        .daily_backup(&dir, chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap())
        .unwrap()
        .unwrap();
    drop(store);
    let restored = Computer::new().restore(&made, Some(PASSWORD)).unwrap();
    assert_eq!(restored.draft_count().unwrap(), 3);
}

#[cfg(unix)]
#[test]
fn the_store_and_its_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let office = Computer::new();
    let (file, _, _usb) = backed_up(&office);
    let mut store = office.open().unwrap();
    store.save_draft(&hire(7)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let unit_dir = office.dir().unit_dir(UNIT).unwrap();
    assert_eq!(mode(&unit_dir), 0o700);
    for entry in std::fs::read_dir(&unit_dir).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    assert_eq!(mode(&file), 0o600);
}
