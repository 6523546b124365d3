//! The 备份与恢复 page: backing up and restoring, a backup of another computer and its
//! password, and setting the backup password.

use iced_test::simulator;

use iced::futures::executor::block_on;

use super::*;
use crate::screen::hire::test_support::outputs;
use crate::screen::testing;

fn hire(name: &str) -> shebao_store::NewDraft {
    shebao_store::NewDraft {
        kind: shebao_store::DeclarationKind::Hire,
        period: "2026-11".into(),
        item: serde_json::json!({ "name": name }),
    }
}

/// Runs the job an action started and hands its one message back.
fn answer(action: Action<Message>) -> Message {
    let Action::Run(task) = action else {
        panic!("the page started no job");
    };
    let mut messages = outputs(task);
    assert_eq!(messages.len(), 1);
    messages.remove(0)
}

#[test]
fn back_up_then_restore_after_saying_what_is_replaced() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let (mut page, _) = Backup::new(session.clone());
    let list = block_on(daily(session.clone()));
    assert_eq!(
        list.as_ref().map(Vec::len).unwrap(),
        1,
        "today's backup is made"
    );
    let _ = page.update(Message::Daily(list));

    let file = data.path().join("mine.shebao-backup");
    let _ = page.update(Message::BackupPath(file.display().to_string()));
    let done = answer(page.update(Message::BackUp));
    let _ = page.update(done);
    session.store().save_draft(&hire("张三")).unwrap();

    let _ = page.update(Message::RestorePath(file.display().to_string()));
    let asked = answer(page.update(Message::AskRestore));
    let _ = page.update(asked);
    let mut ui = simulator(page.view());
    let warning = fl!(
        "backup-confirm",
        path = file.display().to_string(),
        drafts = "1",
        declarations = "0"
    );
    assert!(ui.find(warning.as_str()).is_ok());
    assert!(
        ui.find(fl!("backup-needs-password").as_str()).is_err(),
        "a backup of this computer needs no password"
    );
    ui.click(fl!("backup-confirm-yes").as_str()).unwrap();
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(matches!(messages[..], [Message::ConfirmRestore]));
    let restored = answer(page.update(Message::ConfirmRestore));
    assert!(matches!(page.update(restored), Action::StoreChanged));
    assert_eq!(
        session.store().draft_count().unwrap(),
        0,
        "the backup's data is back"
    );
}

#[test]
fn a_backup_of_another_computer_asks_for_its_password() {
    // Another computer: its own folder and passphrase, and a backup password.
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("office.shebao-backup");
    {
        let keys = shebao_store::KeySource::new(
            std::sync::Arc::new(shebao_store::vault::MemoryVault::new()),
            Some("another passphrase".into()),
        );
        let data = shebao_store::DataDir::at(elsewhere.path());
        let mut store = shebao_store::Store::open_unit(&data, testing::UNIT_NO, &keys).unwrap();
        store.save_draft(&hire("李四")).unwrap();
        store
            .set_backup_password(&BackupPassword::new("office-2026"))
            .unwrap();
        store.backup_to(&file).unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let (mut page, _) = Backup::new(session.clone());
    let _ = page.update(Message::RestorePath(file.display().to_string()));
    let asked = answer(page.update(Message::AskRestore));
    let _ = page.update(asked);
    let mut ui = simulator(page.view());
    assert!(ui.find(fl!("backup-needs-password").as_str()).is_ok());
    drop(ui);

    let _ = page.update(Message::RestorePassword("office-2025".into()));
    let wrong = answer(page.update(Message::ConfirmRestore));
    assert!(matches!(page.update(wrong), Action::None));
    let mut ui = simulator(page.view());
    assert!(ui.find(fl!("backup-wrong-password").as_str()).is_ok());
    drop(ui);
    assert_eq!(session.store().draft_count().unwrap(), 0, "nothing changed");

    let _ = page.update(Message::RestorePassword("office-2026".into()));
    let restored = answer(page.update(Message::ConfirmRestore));
    assert!(matches!(page.update(restored), Action::StoreChanged));
    assert_eq!(session.store().draft_count().unwrap(), 1);
}

#[test]
fn setting_the_password_shows_the_recovery_code_once_and_where_the_key_is() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let (mut page, _) = Backup::new(session.clone());
    let read = block_on(protection(session.clone()));
    let _ = page.update(Message::Protection(read));
    let mut ui = simulator(page.view());
    assert!(ui.find(fl!("backup-password-not-set").as_str()).is_ok());
    let home = fl!(
        "backup-key-home",
        home = key_home_text(KeyHome::Passphrase, testing::UNIT_NO)
    );
    assert!(ui.find(home.as_str()).is_ok());
    drop(ui);

    let _ = page.update(Message::NewPassword("counter-2026".into()));
    let _ = page.update(Message::NewPasswordAgain("counter-2025".into()));
    assert!(matches!(page.update(Message::SetPassword), Action::None));
    let _ = page.update(Message::NewPasswordAgain("counter-2026".into()));
    let set = answer(page.update(Message::SetPassword));
    let Message::PasswordSet(Ok(code)) = &set else {
        panic!("the password was not set: {set:?}");
    };
    let code = code.clone();
    let Action::Run(task) = page.update(set) else {
        panic!("the page reads the password's state again");
    };
    for m in outputs(task) {
        let _ = page.update(m);
    }
    let mut ui = simulator(page.view());
    assert!(ui.find(code.as_str()).is_ok(), "the code is shown");
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert!(
        ui.find(fl!("backup-password-is-set", at = today).as_str())
            .is_ok()
    );
    drop(ui);
    // The page closes: the code is not kept anywhere to be shown again.
    let (again, _) = Backup::new(session);
    assert!(again.recovery_code.is_none());
}
