//! 设置: the agency's address and CA file, the card reader, the language, the theme and how
//! often feedback is fetched, kept in `settings.toml` in the data folder (see
//! [`crate::config`]). Notices from reading the file (a field that fell back to its default)
//! are shown at the top so the clerk sees what to put right.

pub mod password;

use std::path::PathBuf;

use iced::widget::{button, column, pick_list, row, text, text_input};
use iced::{Alignment, Element, Task};

use super::page::Action;
use super::session::Session;
use crate::config::{self, ConfigError, POLL_RANGE, Settings, ThemeChoice};
use crate::fl;
use crate::i18n::Language;
use crate::widget::Field;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageChoice(pub Language);

impl std::fmt::Display for LanguageChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.native_name())
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    AgencyUrl(String),
    CaFile(String),
    Reader(String),
    Language(LanguageChoice),
    Theme(ThemeChoice),
    Poll(String),
    Save,
    Close,
}

pub struct SettingsPage {
    file: PathBuf,
    settings: Settings,
    /// What reading the file set aside.
    notices: Vec<String>,
    ca_file: String,
    reader: String,
    poll: String,
    poll_error: Option<String>,
    saved: Option<Result<(), String>>,
    /// The language the interface speaks now.
    applied_language: Language,
    /// The fields' labels, kept so the form's elements can borrow them.
    labels: [String; 6],
}

impl SettingsPage {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let file = config::path(session.data_dir().root());
        let loaded = Settings::load(&file);
        let settings = loaded.settings;
        let page = Self {
            file,
            ca_file: settings
                .ca_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            reader: settings.reader.clone().unwrap_or_default(),
            poll: settings.poll_seconds.to_string(),
            applied_language: settings.language,
            settings,
            notices: loaded.notices,
            poll_error: None,
            saved: None,
            labels: [
                fl!("settings-agency-url"),
                fl!("settings-ca-file"),
                fl!("settings-reader"),
                fl!("settings-language"),
                fl!("settings-theme"),
                fl!("settings-poll"),
            ],
        };
        (page, Task::none())
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        self.saved = None;
        match message {
            Message::AgencyUrl(url) => self.settings.agency_url = url,
            Message::CaFile(file) => self.ca_file = file,
            Message::Reader(reader) => self.reader = reader,
            Message::Language(choice) => self.settings.language = choice.0,
            Message::Theme(theme) => self.settings.theme = theme,
            Message::Poll(poll) => {
                self.poll = poll;
                self.poll_error = None;
            }
            Message::Save => self.save(),
            Message::Close => return Action::Close,
        }
        Action::None
    }

    fn save(&mut self) {
        match self.poll.trim().parse::<u64>() {
            Ok(n) if POLL_RANGE.contains(&n) => self.settings.poll_seconds = n,
            _ => {
                self.poll_error = Some(fl!(
                    "settings-poll-range",
                    min = POLL_RANGE.start().to_string(),
                    max = POLL_RANGE.end().to_string()
                ));
                return;
            }
        }
        let url = self.settings.agency_url.trim();
        if !url.is_empty() && !url.starts_with("https://") {
            self.saved = Some(Err(fl!("settings-url-https")));
            return;
        }
        self.settings.agency_url = url.to_owned();
        let ca = self.ca_file.trim();
        self.settings.ca_file = (!ca.is_empty()).then(|| PathBuf::from(ca));
        let reader = self.reader.trim();
        self.settings.reader = (!reader.is_empty()).then(|| reader.to_owned());
        self.saved = Some(
            self.settings
                .save(&self.file)
                .map_err(|e: ConfigError| e.to_string()),
        );
        if matches!(self.saved, Some(Ok(()))) {
            self.notices.clear();
            crate::preferences::set(crate::preferences::Preferences {
                theme: self.settings.theme.preference(),
                feedback_poll_seconds: self.settings.poll_seconds,
                ..crate::preferences::current()
            });
            if self.settings.language != self.applied_language {
                crate::i18n::select(self.settings.language);
                self.applied_language = self.settings.language;
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let [url, ca, reader, language, theme, poll] = &self.labels;
        let mut page = column![].spacing(14);
        for notice in &self.notices {
            page = page.push(text(notice).size(13).style(text::danger));
        }
        let mut actions = row![
            button(text(fl!("settings-save"))).on_press(Message::Save),
            button(text(fl!("page-close")))
                .style(button::secondary)
                .on_press(Message::Close),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        match &self.saved {
            Some(Ok(())) => {
                actions = actions.push(text(fl!("settings-saved")).style(text::success))
            }
            Some(Err(e)) => actions = actions.push(text(e).size(13).style(text::danger)),
            None => {}
        }
        page.push(Field::new(
            url,
            text_input("https://…/api/v1", &self.settings.agency_url)
                .on_input(Message::AgencyUrl)
                .width(420),
        ))
        .push(Field::new(
            ca,
            text_input(&fl!("settings-ca-placeholder"), &self.ca_file)
                .on_input(Message::CaFile)
                .width(420),
        ))
        .push(Field::new(
            reader,
            text_input(&fl!("settings-reader-placeholder"), &self.reader)
                .on_input(Message::Reader)
                .width(420),
        ))
        .push(Field::new(
            language,
            pick_list(
                Language::ALL.map(LanguageChoice),
                Some(LanguageChoice(self.settings.language)),
                Message::Language,
            ),
        ))
        .push(Field::new(
            theme,
            pick_list(ThemeChoice::ALL, Some(self.settings.theme), Message::Theme),
        ))
        .push(
            Field::new(
                poll,
                text_input("60", &self.poll)
                    .on_input(Message::Poll)
                    .width(100),
            )
            .error(self.poll_error.as_deref()),
        )
        .push(text(fl!("settings-when")).size(13))
        .push(actions)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;
    use crate::screen::testing;

    #[test]
    fn a_bad_field_is_noticed_and_saving_puts_it_right() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        let file = config::path(session.data_dir().root());
        std::fs::write(&file, "poll_seconds = \"often\"\ntheme = \"dark\"\n").unwrap();
        let (mut page, _) = SettingsPage::new(session);
        assert_eq!(page.settings.theme, ThemeChoice::Dark);
        let mut ui = simulator(page.view());
        let notice = fl!("settings-notice-field", field = "poll_seconds");
        assert!(ui.find(notice.as_str()).is_ok());
        drop(ui);

        let _ = page.update(Message::Poll("5".into()));
        let _ = page.update(Message::Save);
        assert!(page.poll_error.is_some(), "out of range is refused here");
        let _ = page.update(Message::Poll("120".into()));
        let _ = page.update(Message::AgencyUrl("https://agency.example/api/v1".into()));
        let _ = page.update(Message::Save);
        let mut ui = simulator(page.view());
        assert!(ui.find(fl!("settings-saved").as_str()).is_ok());
        assert!(ui.find(notice.as_str()).is_err());
        let again = Settings::load(&file);
        assert!(again.notices.is_empty());
        assert_eq!(again.settings.poll_seconds, 120);
        assert_eq!(again.settings.theme, ThemeChoice::Dark);
    }
}
