//! 关于: what a support person asks for on the phone — the version, where the data and the log
//! are, which keyring holds the store's key, which agency the app talks to, and which reference
//! data it holds.

use iced::widget::{button, column, row, text};
use iced::{Element, Length, Task};
use shebao_store::KeyHome;

use super::backup::key_home_text;
use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;

#[derive(Debug, Clone)]
pub enum Message {
    /// The reference data's version in the store, if it holds any.
    ReferenceRead(Result<Option<String>, Failure>),
    /// Where the store's key is kept.
    KeyHomeRead(Result<KeyHome, Failure>),
    Close,
}

pub struct About {
    session: Session,
    /// `None` while it is being read.
    reference: Option<Result<Option<String>, Failure>>,
    key_home: Option<Result<KeyHome, Failure>>,
}

impl About {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let job = session.clone();
        let task = Task::perform(
            off_thread(move || {
                let reference = job.store().reference()?;
                Ok(reference.map(|(version, _)| version))
            }),
            Message::ReferenceRead,
        );
        let job = session.clone();
        let key_home = Task::perform(
            off_thread(move || Ok(job.store().key_home())),
            Message::KeyHomeRead,
        );
        let about = Self {
            session,
            reference: None,
            key_home: None,
        };
        (about, Task::batch([task, key_home]))
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::ReferenceRead(read) => {
                self.reference = Some(read);
                Action::None
            }
            Message::KeyHomeRead(read) => {
                self.key_home = Some(read);
                Action::None
            }
            Message::Close => Action::Close,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let data = self.session.data_dir().root();
        let reference = match &self.reference {
            None => fl!("page-loading"),
            Some(Ok(Some(version))) => version.clone(),
            Some(Ok(None)) => fl!("about-reference-none"),
            Some(Err(failure)) => failure.message(),
        };
        let key_home = match &self.key_home {
            None => fl!("page-loading"),
            Some(Ok(home)) => key_home_text(*home, self.session.unit_no()),
            Some(Err(failure)) => failure.message(),
        };
        let line = |label: String, value: String| {
            row![text(label).width(160), text(value).width(Length::Fill)].spacing(10)
        };
        column![
            line(fl!("about-version"), env!("CARGO_PKG_VERSION").to_owned()),
            line(fl!("about-data"), data.display().to_string()),
            line(fl!("about-key"), key_home),
            line(
                fl!("about-log"),
                data.join("logs").join("shebao.log").display().to_string()
            ),
            line(
                fl!("about-agency"),
                self.session.client().base_url().to_owned()
            ),
            line(fl!("about-reference"), reference),
            button(text(fl!("page-close"))).on_press(Message::Close),
        ]
        .spacing(12)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;
    use crate::screen::testing;

    #[test]
    fn about_names_the_data_folder_and_the_agency() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        let mut about = About {
            session,
            reference: Some(Ok(None)),
            key_home: Some(Ok(KeyHome::Passphrase)),
        };
        let mut ui = simulator(about.view());
        assert!(ui.find(fl!("key-home-passphrase").as_str()).is_ok());
        assert!(ui.find(env!("CARGO_PKG_VERSION")).is_ok());
        assert!(ui.find(data.path().display().to_string().as_str()).is_ok());
        assert!(ui.find("https://127.0.0.1:9/api/v1").is_ok());
        assert!(ui.find(fl!("about-reference-none").as_str()).is_ok());
        ui.click(fl!("page-close").as_str()).unwrap();
        for message in ui.into_messages() {
            assert!(matches!(about.update(message), Action::Close));
        }
    }
}
