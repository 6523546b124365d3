//! 备份与恢复: back the unit's store up to a file the clerk chooses (encrypted with the store's
//! own key, so only this unit on this PC — or the same passphrase — can open it), restore one
//! after a confirmation that says what will be replaced, and the daily automatic backups kept
//! for a week in the data folder.

use std::path::PathBuf;

use iced::widget::{button, column, row, text, text_input};
use iced::{Alignment, Element, Length, Task};
use shebao_store::{DailyBackup, daily_backups};

use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;

/// What a restore would replace, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    pub from: PathBuf,
    pub drafts: u64,
    pub declarations: usize,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The daily backup was made if due; the list of them.
    Daily(Result<Vec<DailyBackup>, Failure>),
    BackupPath(String),
    BackUp,
    BackedUp(Result<PathBuf, Failure>),
    RestorePath(String),
    /// Pick one of the daily backups to restore.
    UseDaily(PathBuf),
    AskRestore,
    Asked(Result<Replaced, Failure>),
    ConfirmRestore,
    CancelRestore,
    Restored(Result<PathBuf, Failure>),
    Close,
}

pub struct Backup {
    session: Session,
    daily: Option<Result<Vec<DailyBackup>, Failure>>,
    backup_path: String,
    restore_path: String,
    confirming: Option<Replaced>,
    busy: bool,
    outcome: Option<Result<String, String>>,
}

/// The folder of the daily backups.
pub fn daily_dir(session: &Session) -> PathBuf {
    session
        .data_dir()
        .root()
        .join("backups")
        .join(session.unit_no())
}

/// Make today's automatic backup if it is not there yet; the app may call this after login.
pub async fn daily(session: Session) -> Result<Vec<DailyBackup>, Failure> {
    off_thread(move || {
        let dir = daily_dir(&session);
        session
            .store()
            .daily_backup(&dir, chrono::Local::now().date_naive())?;
        Ok(daily_backups(&dir))
    })
    .await
}

impl Backup {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let day = chrono::Local::now().format("%Y%m%d");
        let backup_path = session
            .data_dir()
            .root()
            .join("exports")
            .join(format!("shebao-{}-{day}.shebao-backup", session.unit_no()))
            .display()
            .to_string();
        let task = Task::perform(daily(session.clone()), Message::Daily);
        let page = Self {
            session,
            daily: None,
            backup_path,
            restore_path: String::new(),
            confirming: None,
            busy: false,
            outcome: None,
        };
        (page, task)
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Daily(daily) => self.daily = Some(daily),
            Message::BackupPath(path) => self.backup_path = path,
            Message::RestorePath(path) => self.restore_path = path,
            Message::UseDaily(path) => self.restore_path = path.display().to_string(),
            Message::BackUp => {
                let to = PathBuf::from(self.backup_path.trim());
                if to.as_os_str().is_empty() {
                    self.outcome = Some(Err(fl!("backup-path-missing")));
                    return Action::None;
                }
                self.busy = true;
                let job = self.session.clone();
                return Action::Run(Task::perform(
                    off_thread(move || {
                        if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
                            std::fs::create_dir_all(dir)
                                .map_err(|e| Failure::Other(format!("{}：{e}", dir.display())))?;
                        }
                        job.store().backup_to(&to)?;
                        Ok(to)
                    }),
                    Message::BackedUp,
                ));
            }
            Message::BackedUp(done) => {
                self.busy = false;
                self.outcome = Some(match done {
                    Ok(path) => Ok(fl!("backup-done", path = path.display().to_string())),
                    Err(f) => Err(f.message()),
                });
            }
            Message::AskRestore => {
                let from = PathBuf::from(self.restore_path.trim());
                if !from.is_file() {
                    self.outcome = Some(Err(fl!("backup-restore-missing")));
                    return Action::None;
                }
                let job = self.session.clone();
                return Action::Run(Task::perform(
                    off_thread(move || what_is_replaced(&job, from)),
                    Message::Asked,
                ));
            }
            Message::Asked(Ok(replaced)) => self.confirming = Some(replaced),
            Message::Asked(Err(f)) => self.outcome = Some(Err(f.message())),
            Message::CancelRestore => self.confirming = None,
            Message::ConfirmRestore => {
                let Some(replaced) = self.confirming.take() else {
                    return Action::None;
                };
                self.busy = true;
                let job = self.session.clone();
                return Action::Run(Task::perform(
                    off_thread(move || {
                        job.store().replace_from_backup(&replaced.from)?;
                        Ok(replaced.from)
                    }),
                    Message::Restored,
                ));
            }
            Message::Restored(done) => {
                self.busy = false;
                match done {
                    Ok(from) => {
                        self.outcome = Some(Ok(fl!(
                            "backup-restored",
                            path = from.display().to_string()
                        )));
                        // Everything counted on the home page may have changed.
                        return Action::StoreChanged;
                    }
                    Err(f) => self.outcome = Some(Err(f.message())),
                }
            }
            Message::Close => return Action::Close,
        }
        Action::None
    }

    pub fn view(&self) -> Element<'_, Message> {
        if let Some(replaced) = &self.confirming {
            return column![
                text(fl!(
                    "backup-confirm",
                    path = replaced.from.display().to_string(),
                    drafts = replaced.drafts.to_string(),
                    declarations = replaced.declarations.to_string()
                )),
                row![
                    button(text(fl!("backup-confirm-yes")))
                        .style(button::danger)
                        .on_press(Message::ConfirmRestore),
                    button(text(fl!("backup-confirm-no")))
                        .style(button::secondary)
                        .on_press(Message::CancelRestore),
                ]
                .spacing(10),
            ]
            .spacing(14)
            .into();
        }
        let idle = !self.busy;
        let backup = row![
            text(fl!("backup-to")).width(120),
            text_input("", &self.backup_path)
                .on_input(Message::BackupPath)
                .width(Length::Fill),
            button(text(fl!("backup-now"))).on_press_maybe(idle.then_some(Message::BackUp)),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let restore = row![
            text(fl!("backup-restore-from")).width(120),
            text_input(&fl!("backup-restore-placeholder"), &self.restore_path)
                .on_input(Message::RestorePath)
                .width(Length::Fill),
            button(text(fl!("backup-restore")))
                .style(button::secondary)
                .on_press_maybe(idle.then_some(Message::AskRestore)),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let mut page = column![text(fl!("backup-explained")).size(13), backup, restore].spacing(14);
        match &self.outcome {
            Some(Ok(done)) => page = page.push(text(done.clone()).style(text::success)),
            Some(Err(e)) => page = page.push(text(e.clone()).style(text::danger)),
            None => {}
        }
        page = page.push(
            text(fl!(
                "backup-daily",
                days = shebao_store::DAILY_KEPT.to_string()
            ))
            .size(16),
        );
        page = match &self.daily {
            None => page.push(text(fl!("page-loading"))),
            Some(Err(f)) => page.push(text(f.message()).style(text::danger)),
            Some(Ok(list)) => page.push(column(list.iter().map(|b| {
                row![
                    text(b.day.format("%Y-%m-%d").to_string()).width(120),
                    text(fl!("backup-size", kb = b.bytes.div_ceil(1024).to_string())).width(120),
                    button(text(fl!("backup-use")))
                        .style(button::text)
                        .on_press(Message::UseDaily(b.path.clone())),
                ]
                .spacing(10)
                .align_y(Alignment::Center)
                .into()
            }))),
        };
        page.push(button(text(fl!("page-close"))).on_press(Message::Close))
            .into()
    }
}

fn what_is_replaced(session: &Session, from: PathBuf) -> Result<Replaced, Failure> {
    let store = session.store();
    Ok(Replaced {
        drafts: store.draft_count()?,
        declarations: store.declarations(None)?.len(),
        from,
    })
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;
    use crate::screen::testing;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn back_up_then_restore_after_saying_what_is_replaced() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        let (mut page, _) = Backup::new(session.clone());
        let list = daily(session.clone()).await;
        assert_eq!(
            list.as_ref().map(Vec::len).unwrap(),
            1,
            "today's backup is made"
        );
        let _ = page.update(Message::Daily(list));

        let file = data.path().join("mine.shebao-backup");
        let _ = page.update(Message::BackupPath(file.display().to_string()));
        session.store().backup_to(&file).unwrap();
        let _ = page.update(Message::BackedUp(Ok(file.clone())));
        session
            .store()
            .save_draft(&shebao_store::NewDraft {
                kind: shebao_store::DeclarationKind::Hire,
                period: "2026-11".into(),
                item: serde_json::json!({"name": "张三"}),
            })
            .unwrap();

        let _ = page.update(Message::RestorePath(file.display().to_string()));
        assert!(matches!(page.update(Message::AskRestore), Action::Run(_)));
        let replaced = what_is_replaced(&session, file.clone());
        let _ = page.update(Message::Asked(replaced));
        let mut ui = simulator(page.view());
        let warning = fl!(
            "backup-confirm",
            path = file.display().to_string(),
            drafts = "1",
            declarations = "0"
        );
        assert!(ui.find(warning.as_str()).is_ok());
        ui.click(fl!("backup-confirm-yes").as_str()).unwrap();
        let messages: Vec<_> = ui.into_messages().collect();
        assert!(matches!(messages[..], [Message::ConfirmRestore]));
        session.store().replace_from_backup(&file).unwrap();
        assert!(matches!(
            page.update(Message::Restored(Ok(file))),
            Action::StoreChanged
        ));
        assert_eq!(
            session.store().draft_count().unwrap(),
            0,
            "the backup's data is back"
        );
    }
}
