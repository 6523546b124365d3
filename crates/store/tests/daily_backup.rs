//! The daily backup keeps a week, and a backup restored into the open store replaces its data.

mod common;

use chrono::NaiveDate;
use common::{hire, keys, open};
use shebao_store::{DAILY_KEPT, daily_backups};

#[test]
fn a_week_of_daily_backups_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, &keys());
    let backups = dir.path().join("backups");
    for day in 1..=10 {
        let today = NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        assert!(store.daily_backup(&backups, today).unwrap().is_some());
        assert!(
            store.daily_backup(&backups, today).unwrap().is_none(),
            "one a day"
        );
    }
    let kept = daily_backups(&backups);
    assert_eq!(kept.len(), DAILY_KEPT);
    assert_eq!(kept[0].day, NaiveDate::from_ymd_opt(2026, 11, 10).unwrap());
    assert_eq!(kept[6].day, NaiveDate::from_ymd_opt(2026, 11, 4).unwrap());
}

#[test]
fn restoring_into_the_open_store_replaces_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    store.save_draft(&hire(1)).unwrap();
    let backup = dir.path().join("before.shebao-backup");
    store.backup_to(&backup).unwrap();
    store.save_draft(&hire(2)).unwrap();
    assert_eq!(store.draft_count().unwrap(), 2);

    store.replace_from_backup(&backup, None).unwrap();
    assert_eq!(store.draft_count().unwrap(), 1);

    let error = store
        .replace_from_backup(&dir.path().join("missing"), None)
        .unwrap_err();
    assert!(error.to_string().contains("Nothing was changed"));
    assert_eq!(store.draft_count().unwrap(), 1, "the store stays usable");
}
