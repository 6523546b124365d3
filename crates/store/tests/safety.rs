//! Encryption, damage, backup and restore, and opening the golden files of earlier schemas.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

use common::{UNIT, hire, keys, open};
use shebao_store::vault::{MemoryVault, NoVault};
use shebao_store::{DataDir, KeySource, SCHEMA_VERSION, Store, StoreError, StoreKey};

#[test]
fn the_file_on_disk_is_not_readable_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, &keys());
    let path = store.path().to_path_buf();
    drop(store);
    let bytes = std::fs::read(path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
}

/// What a program that finds the file gets: SQLite without a key, or SQLCipher with a guess.
fn assert_unreadable(path: &Path) {
    let plain =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("SQLite opens any file lazily");
    let read = plain.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    assert!(read.is_err(), "the store opened without its key: {read:?}");
    let guessed = rusqlite::Connection::open(path).expect("SQLite opens any file lazily");
    guessed
        .pragma_update(None, "key", "888888")
        .expect("a key can be set before the first read");
    let read = guessed.query_row("SELECT count(*) FROM drafts", [], |r| r.get::<_, i64>(0));
    assert!(
        read.is_err(),
        "the store opened with a guessed key: {read:?}"
    );
}

#[test]
fn without_its_key_the_store_cannot_be_read_by_any_sqlite_program() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    store.save_draft(&hire(1)).unwrap();
    let path = store.path().to_path_buf();
    // While the store is open, with its write-ahead log beside it, and after it is closed.
    assert_unreadable(&path);
    drop(store);
    assert_unreadable(&path);
}

#[test]
fn another_key_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(&dir, &keys()));
    // A fresh vault holds no key for an existing store.
    let err = Store::open_unit(&DataDir::at(dir.path()), UNIT, &keys()).unwrap_err();
    assert!(matches!(err, StoreError::KeyLost { .. }), "{err}");
    let path = DataDir::at(dir.path()).unit_store(UNIT).unwrap();
    let err = Store::open(&path, UNIT, StoreKey::Passphrase("guess".into())).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey { .. }), "{err}");
    assert!(err.to_string().contains("shebao restore"));
}

#[test]
fn without_a_keyring_the_passphrase_fallback_works() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeySource::new(Arc::new(NoVault), Some("correct horse".into()));
    let id = open(&dir, &keys).save_draft(&hire(1)).unwrap();
    assert_eq!(open(&dir, &keys).draft(id).unwrap().item["name"], "职工1");
    let err = Store::open_unit(
        &DataDir::at(dir.path()),
        UNIT,
        &KeySource::new(Arc::new(NoVault), None),
    )
    .unwrap_err();
    assert!(err.to_string().contains("SHEBAO_STORE_PASSPHRASE"), "{err}");
}

fn damage(path: &Path, offset: u64) {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("the file opens");
    f.seek(SeekFrom::Start(offset)).expect("seek");
    f.write_all(&[0x5a; 512]).expect("write");
}

#[test]
fn a_damaged_file_gives_the_clear_message_and_a_backup_brings_the_data_back() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keys();
    let backup = dir.path().join("backup.db");
    let path = {
        let mut store = open(&dir, &keys);
        let drafts: Vec<_> = (0..400).map(hire).collect();
        store.save_drafts(&drafts).unwrap();
        store.backup_to(&backup).unwrap();
        store.save_draft(&hire(999)).unwrap();
        store.path().to_path_buf()
    };
    // Fold the WAL into the main file, then spoil a page in the middle of it.
    {
        let store = open(&dir, &keys);
        drop(store);
    }
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(
        len > 8 * 4096,
        "the test needs a file of several pages, got {len}"
    );
    damage(&path, 4096 * 3 + 100);

    let err = Store::open_unit(&DataDir::at(dir.path()), UNIT, &keys).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("shebao restore"), "{err}");

    let store = Store::restore_unit(&DataDir::at(dir.path()), UNIT, &keys, &backup, None).unwrap();
    assert_eq!(store.draft_count().unwrap(), 400);
    assert_eq!(store.path(), path);
    store.integrity_check().unwrap();
}

#[test]
fn a_backup_made_with_another_key_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let backup = other.path().join("other.db");
    open(&other, &keys()).backup_to(&backup).unwrap();
    let keys = keys();
    let mut store = open(&dir, &keys);
    store.save_draft(&hire(1)).unwrap();
    drop(store);
    let err =
        Store::restore_unit(&DataDir::at(dir.path()), UNIT, &keys, &backup, None).unwrap_err();
    assert!(matches!(err, StoreError::Backup { .. }), "{err}");
    assert_eq!(open(&dir, &keys).draft_count().unwrap(), 1);
}

/// The passphrase of the golden files (test data only).
const GOLDEN_KEY: &str = "golden-file-key";

fn golden(version: i64) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/v{version}.db"))
}

/// Every released schema version has a golden file; each opens and migrates to the newest.
/// Only version 1 exists so far.
#[test]
fn golden_files_of_every_earlier_schema_open_with_their_data() {
    for version in 1..=SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("store.db");
        std::fs::copy(golden(version), &copy).unwrap();
        let store = Store::open(&copy, UNIT, StoreKey::Passphrase(GOLDEN_KEY.into())).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let drafts = store.drafts(None).unwrap();
        assert_eq!(drafts.len(), 2, "golden v{version}");
        assert_eq!(drafts[0].item["name"], "职工1");
        assert_eq!(store.declarations(None).unwrap().len(), 1);
        assert_eq!(
            store.changes_cursor().unwrap().as_deref(),
            Some("golden-cursor")
        );
        // Migrated, it has exactly the schema of a store created today.
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = open(&fresh_dir, &keys());
        assert_eq!(
            store.schema_sql().unwrap(),
            fresh.schema_sql().unwrap(),
            "golden v{version}"
        );
    }
}

/// Writes the golden file of the current schema. Run it once when a schema version is
/// released (`cargo test -p shebao-store -- --ignored write_golden`), then commit the file.
#[test]
#[ignore]
fn write_golden() {
    let path = golden(SCHEMA_VERSION);
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path, UNIT, StoreKey::Passphrase(GOLDEN_KEY.into())).unwrap();
    store.save_drafts(&[hire(1), hire(2), hire(3)]).unwrap();
    store.queue_drafts(None).unwrap();
    store.save_drafts(&[hire(1), hire(2)]).unwrap();
    store
        .set_sync_value(shebao_store::CHANGES_CURSOR, "golden-cursor")
        .unwrap();
    drop(store);
    // Fold the WAL into the file so the golden file is self-contained.
    let conn_check = Store::open(&path, UNIT, StoreKey::Passphrase(GOLDEN_KEY.into())).unwrap();
    drop(conn_check);
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
}

#[test]
fn a_memory_vault_keeps_keys_per_unit() {
    let vault = Arc::new(MemoryVault::new());
    let keys = KeySource::new(vault, None);
    assert_ne!(keys.new_key("1").unwrap(), keys.new_key("2").unwrap());
    assert_eq!(
        keys.existing_key("1").unwrap(),
        keys.existing_key("1").unwrap()
    );
}
