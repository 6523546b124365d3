//! What a clerk's Windows PC brings, checked on every platform and, in `cargo xtask test`, on the
//! Windows build under Wine (whose user profile is `C:\users\张三 Zhang`): a data folder in a
//! profile whose name has Chinese characters and a space, backups beside it, and one store open
//! twice at once, by the window and by the command line. On Windows an open file cannot be
//! replaced, so a restore while the window holds the store is refused and harms nothing.

mod common;

use std::path::Path;

use common::{UNIT, hire, keys};
use shebao_store::{DataDir, KeySource, Store};

fn open_at(folder: &Path, keys: &KeySource) -> Store {
    Store::open_unit(&DataDir::at(folder), UNIT, keys).expect("the store opens")
}

#[test]
fn a_data_folder_in_a_chinese_profile_with_spaces_keeps_and_backs_up_the_store() {
    let temp = tempfile::tempdir().unwrap();
    let profile = temp.path().join("Users").join("张三 Zhang");
    let data = profile.join("AppData").join("Roaming").join("社保 数据");
    let keys = keys();
    let mut store = open_at(&data, &keys);
    store.save_draft(&hire(1)).unwrap();
    assert!(
        store.path().starts_with(&data),
        "{}",
        store.path().display()
    );

    let backup = profile.join("Documents").join("备份 2026年11月.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    store.backup_to(&backup).unwrap();
    store.save_draft(&hire(2)).unwrap();
    drop(store);

    let restored = Store::restore_unit(&DataDir::at(&data), UNIT, &keys, &backup, None)
        .expect("the backup restores");
    assert_eq!(restored.draft_count().unwrap(), 1);
    drop(restored);
    assert_eq!(open_at(&data, &keys).draft_count().unwrap(), 1);
}

#[test]
fn the_window_and_the_command_line_share_one_open_store() {
    let temp = tempfile::tempdir().unwrap();
    let keys = keys();
    let mut window = open_at(temp.path(), &keys);
    window.save_draft(&hire(1)).unwrap();

    // The command line opens the same store while the window holds it.
    let mut command_line = open_at(temp.path(), &keys);
    assert_eq!(command_line.draft_count().unwrap(), 1);
    command_line.save_draft(&hire(2)).unwrap();
    let backup = temp.path().join("备份.db");
    command_line.backup_to(&backup).unwrap();
    drop(command_line);

    // The window sees what the command line saved, and goes on working.
    assert_eq!(window.draft_count().unwrap(), 2);
    window.save_draft(&hire(3)).unwrap();
    assert_eq!(window.draft_count().unwrap(), 3);
    window.integrity_check().unwrap();
}

/// Windows keeps a file open in one program from being renamed by another: the store the
/// window holds cannot be swapped for a backup. The restore says so, and the store stays whole.
#[cfg(windows)]
#[test]
fn a_restore_while_the_window_holds_the_store_is_refused_and_harms_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let keys = keys();
    let mut window = open_at(temp.path(), &keys);
    window.save_draft(&hire(1)).unwrap();
    let backup = temp.path().join("备份.db");
    window.backup_to(&backup).unwrap();
    window.save_draft(&hire(2)).unwrap();

    let data = DataDir::at(temp.path());
    let refused = Store::restore_unit(&data, UNIT, &keys, &backup, None);
    assert!(refused.is_err(), "the open store was replaced");
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("is open in another shebao"), "{message}");
    assert_eq!(window.draft_count().unwrap(), 2);
    window.save_draft(&hire(3)).unwrap();
    window.integrity_check().unwrap();

    // Once the window has closed the store, the same restore goes through.
    drop(window);
    let restored = Store::restore_unit(&data, UNIT, &keys, &backup, None).expect("the restore");
    assert_eq!(restored.draft_count().unwrap(), 1);
}
