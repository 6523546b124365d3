//! 备份与恢复: back the unit's store up to a file the clerk chooses, restore one after a
//! confirmation that says what will be replaced, the daily automatic backups kept for a week,
//! and the backup password with which backups restore on another computer (its recovery code is
//! shown once, when it is set). The page also says where the store's key is kept.

use std::path::PathBuf;

use iced::widget::{button, column, row, text, text_input};
use iced::{Alignment, Element, Length, Task};
use shebao_store::vault::VaultKind;
use shebao_store::{BackupPassword, DailyBackup, KeyHome, StoreError, daily_backups};

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
    /// The backup was made on another computer (or before a keyring reset): its backup
    /// password (or recovery code) is asked for.
    pub needs_password: bool,
}

/// How a restore ended, when it did not fail outright.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restore {
    /// Restored from this file; the restored store brings the backup password it had.
    Done(PathBuf, Protection),
    WrongPassword,
}

/// Where the key is and whether a backup password is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protection {
    pub key_home: KeyHome,
    /// When the backup password was set (RFC 3339).
    pub password_set_at: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The daily backup was made if due; the list of them.
    Daily(Result<Vec<DailyBackup>, Failure>),
    Protection(Result<Protection, Failure>),
    BackupPath(String),
    BackUp,
    BackedUp(Result<PathBuf, Failure>),
    RestorePath(String),
    /// Pick one of the daily backups to restore.
    UseDaily(PathBuf),
    AskRestore,
    Asked(Result<Replaced, Failure>),
    RestorePassword(String),
    ConfirmRestore,
    CancelRestore,
    Restored(Result<Restore, Failure>),
    NewPassword(String),
    NewPasswordAgain(String),
    SetPassword,
    /// The password is set; the recovery code to show once.
    PasswordSet(Result<String, Failure>),
    Close,
}

pub struct Backup {
    session: Session,
    daily: Option<Result<Vec<DailyBackup>, Failure>>,
    protection: Option<Result<Protection, Failure>>,
    backup_path: String,
    restore_path: String,
    confirming: Option<Replaced>,
    restore_password: String,
    new_password: String,
    new_password_again: String,
    /// Shown once, right after the password was set; gone when the page closes.
    recovery_code: Option<String>,
    busy: bool,
    outcome: Option<Result<String, String>>,
}

/// The folder of the daily backups.
pub fn daily_dir(session: &Session) -> PathBuf {
    session
        .data_dir()
        .unit_backups(session.unit_no())
        .unwrap_or_else(|_| session.data_dir().root().join("backups"))
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

/// Where the store's key is and whether a backup password is set.
pub async fn protection(session: Session) -> Result<Protection, Failure> {
    off_thread(move || {
        let store = session.store();
        Ok(Protection {
            key_home: store.key_home(),
            password_set_at: store.backup_password_set_at()?,
        })
    })
    .await
}

/// Where the store's key is kept, as the clerk reads it (also on 关于).
pub fn key_home_text(home: KeyHome, unit_no: &str) -> String {
    let entry = shebao_store::store_key_entry(unit_no);
    match home {
        KeyHome::Keyring(VaultKind::SecretService) => fl!("key-home-secret-service", entry = entry),
        KeyHome::Keyring(VaultKind::WindowsCredentialManager) => {
            fl!("key-home-windows", entry = entry)
        }
        KeyHome::Keyring(VaultKind::MacKeychain) => fl!("key-home-macos", entry = entry),
        KeyHome::Keyring(VaultKind::Memory | VaultKind::None) | KeyHome::Given => {
            fl!("key-home-memory")
        }
        KeyHome::Passphrase => fl!("key-home-passphrase"),
    }
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
        let task = Task::batch([
            Task::perform(daily(session.clone()), Message::Daily),
            Task::perform(protection(session.clone()), Message::Protection),
        ]);
        let page = Self {
            session,
            daily: None,
            protection: None,
            backup_path,
            restore_path: String::new(),
            confirming: None,
            restore_password: String::new(),
            new_password: String::new(),
            new_password_again: String::new(),
            recovery_code: None,
            busy: false,
            outcome: None,
        };
        (page, task)
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Daily(daily) => self.daily = Some(daily),
            Message::Protection(protection) => self.protection = Some(protection),
            Message::BackupPath(path) => self.backup_path = path,
            Message::RestorePath(path) => self.restore_path = path,
            Message::UseDaily(path) => self.restore_path = path.display().to_string(),
            Message::RestorePassword(p) => self.restore_password = p,
            Message::NewPassword(p) => self.new_password = p,
            Message::NewPasswordAgain(p) => self.new_password_again = p,
            Message::BackUp => return self.back_up(),
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
            Message::Asked(Ok(replaced)) => {
                self.restore_password.clear();
                self.outcome = None;
                self.confirming = Some(replaced);
            }
            Message::Asked(Err(f)) => self.outcome = Some(Err(f.message())),
            Message::CancelRestore => self.confirming = None,
            Message::ConfirmRestore => return self.restore(),
            Message::Restored(done) => {
                self.busy = false;
                match done {
                    Ok(Restore::Done(from, protection)) => {
                        self.confirming = None;
                        self.protection = Some(Ok(protection));
                        self.outcome = Some(Ok(fl!(
                            "backup-restored",
                            path = from.display().to_string()
                        )));
                        // Everything counted on the home page may have changed.
                        return Action::StoreChanged;
                    }
                    Ok(Restore::WrongPassword) => {
                        self.outcome = Some(Err(fl!("backup-wrong-password")));
                    }
                    Err(f) => {
                        self.confirming = None;
                        self.outcome = Some(Err(f.message()));
                    }
                }
            }
            Message::SetPassword => return self.set_password(),
            Message::PasswordSet(done) => {
                self.busy = false;
                match done {
                    Ok(code) => {
                        self.new_password.clear();
                        self.new_password_again.clear();
                        self.recovery_code = Some(code);
                        self.outcome = Some(Ok(fl!("backup-password-set")));
                        let job = self.session.clone();
                        return Action::Run(Task::perform(protection(job), Message::Protection));
                    }
                    Err(f) => self.outcome = Some(Err(f.message())),
                }
            }
            Message::Close => return Action::Close,
        }
        Action::None
    }

    fn back_up(&mut self) -> Action<Message> {
        let to = PathBuf::from(self.backup_path.trim());
        if to.as_os_str().is_empty() {
            self.outcome = Some(Err(fl!("backup-path-missing")));
            return Action::None;
        }
        self.busy = true;
        let job = self.session.clone();
        Action::Run(Task::perform(
            off_thread(move || {
                if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| Failure::Other(format!("{}：{e}", dir.display())))?;
                }
                job.store().backup_to(&to)?;
                Ok(to)
            }),
            Message::BackedUp,
        ))
    }

    fn restore(&mut self) -> Action<Message> {
        let Some(replaced) = &self.confirming else {
            return Action::None;
        };
        let password = replaced
            .needs_password
            .then(|| BackupPassword::new(self.restore_password.clone()));
        if password
            .as_ref()
            .is_some_and(|_| self.restore_password.is_empty())
        {
            self.outcome = Some(Err(fl!("backup-password-needed")));
            return Action::None;
        }
        self.busy = true;
        let (job, from) = (self.session.clone(), replaced.from.clone());
        Action::Run(Task::perform(
            off_thread(move || {
                let mut store = job.store();
                match store.replace_from_backup(&from, password.as_ref()) {
                    Ok(()) => Ok(Restore::Done(
                        from,
                        Protection {
                            key_home: store.key_home(),
                            password_set_at: store.backup_password_set_at()?,
                        },
                    )),
                    Err(StoreError::WrongBackupPassword { .. }) => Ok(Restore::WrongPassword),
                    Err(e) => Err(e.into()),
                }
            }),
            Message::Restored,
        ))
    }

    fn set_password(&mut self) -> Action<Message> {
        if self.new_password != self.new_password_again {
            self.outcome = Some(Err(fl!("backup-password-differ")));
            return Action::None;
        }
        self.busy = true;
        let job = self.session.clone();
        let password = BackupPassword::new(self.new_password.clone());
        Action::Run(Task::perform(
            off_thread(move || Ok(job.store().set_backup_password(&password)?.to_string())),
            Message::PasswordSet,
        ))
    }

    pub fn view(&self) -> Element<'_, Message> {
        if let Some(replaced) = &self.confirming {
            return self.confirmation(replaced);
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
        page = page.push(self.outcome_line());
        page = page.push(self.password_section());
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

    fn outcome_line(&self) -> Element<'_, Message> {
        match &self.outcome {
            Some(Ok(done)) => text(done.clone()).style(text::success).into(),
            Some(Err(e)) => text(e.clone()).style(text::danger).into(),
            None => column![].into(),
        }
    }

    /// The key's home, the backup password's state, the fields to set it, and the recovery
    /// code right after.
    fn password_section(&self) -> Element<'_, Message> {
        let mut section = column![text(fl!("backup-password-title")).size(16)].spacing(10);
        match &self.protection {
            None => section = section.push(text(fl!("page-loading"))),
            Some(Err(f)) => section = section.push(text(f.message()).style(text::danger)),
            Some(Ok(p)) => {
                section = section.push(text(fl!(
                    "backup-key-home",
                    home = key_home_text(p.key_home, self.session.unit_no())
                )));
                section = section.push(match &p.password_set_at {
                    Some(at) => text(fl!("backup-password-is-set", at = local_day(at))),
                    None => text(fl!("backup-password-not-set")).style(text::danger),
                });
            }
        }
        if let Some(code) = &self.recovery_code {
            section = section.push(text(fl!("backup-recovery-code-explained")));
            section = section.push(text(code.clone()).size(22));
        }
        let idle = !self.busy;
        let ready = idle && !self.new_password.is_empty();
        section
            .push(
                row![
                    text_input(&fl!("backup-password-new"), &self.new_password)
                        .secure(true)
                        .on_input(Message::NewPassword)
                        .width(220),
                    text_input(&fl!("backup-password-again"), &self.new_password_again)
                        .secure(true)
                        .on_input(Message::NewPasswordAgain)
                        .on_submit(Message::SetPassword)
                        .width(220),
                    button(text(fl!("backup-password-save")))
                        .on_press_maybe(ready.then_some(Message::SetPassword)),
                ]
                .spacing(10)
                .align_y(Alignment::Center),
            )
            .into()
    }

    fn confirmation<'a>(&'a self, replaced: &'a Replaced) -> Element<'a, Message> {
        let mut page = column![text(fl!(
            "backup-confirm",
            path = replaced.from.display().to_string(),
            drafts = replaced.drafts.to_string(),
            declarations = replaced.declarations.to_string()
        ))]
        .spacing(14);
        if replaced.needs_password {
            page = page.push(text(fl!("backup-needs-password")));
            page = page.push(
                text_input(&fl!("backup-password-or-code"), &self.restore_password)
                    .secure(true)
                    .on_input(Message::RestorePassword)
                    .on_submit(Message::ConfirmRestore)
                    .width(360),
            );
        }
        let idle = !self.busy;
        page.push(self.outcome_line())
            .push(
                row![
                    button(text(fl!("backup-confirm-yes")))
                        .style(button::danger)
                        .on_press_maybe(idle.then_some(Message::ConfirmRestore)),
                    button(text(fl!("backup-confirm-no")))
                        .style(button::secondary)
                        .on_press(Message::CancelRestore),
                ]
                .spacing(10),
            )
            .into()
    }
}

/// The day of an RFC 3339 time, in local time.
fn local_day(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

fn what_is_replaced(session: &Session, from: PathBuf) -> Result<Replaced, Failure> {
    let store = session.store();
    Ok(Replaced {
        drafts: store.draft_count()?,
        declarations: store.declarations(None)?.len(),
        needs_password: store.backup_needs_password(&from)?,
        from,
    })
}

#[cfg(test)]
#[path = "backup_tests.rs"]
mod tests;
