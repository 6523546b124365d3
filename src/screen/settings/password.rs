//! 修改密码 as a page of 系统管理. The agency's rules are shown before the clerk types; the
//! agency judges the new password itself (through the same job as the forced change at first
//! login), and its answer is shown beside the field it concerns.

use iced::widget::{button, column, row, text, text_input};
use iced::{Alignment, Element, Task};

use crate::fl;
use crate::screen::failure::Failure;
use crate::screen::page::Action;
use crate::screen::session::{self, Session};
use crate::widget::Field;

#[derive(Debug, Clone)]
pub enum Message {
    Old(String),
    New(String),
    Confirm(String),
    Submit,
    Changed(Result<Session, Failure>),
    Close,
}

pub struct PasswordPage {
    session: Session,
    old: String,
    new: String,
    confirm: String,
    old_error: Option<String>,
    new_error: Option<String>,
    confirm_error: Option<String>,
    form_error: Option<String>,
    busy: bool,
    done: bool,
    /// The fields' labels, kept so the form's elements can borrow them.
    labels: [String; 3],
}

impl PasswordPage {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let page = Self {
            session,
            old: String::new(),
            new: String::new(),
            confirm: String::new(),
            old_error: None,
            new_error: None,
            confirm_error: None,
            form_error: None,
            busy: false,
            done: false,
            labels: [
                fl!("password-old"),
                fl!("password-new"),
                fl!("password-confirm"),
            ],
        };
        (page, Task::none())
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Old(s) => (self.old, self.old_error) = (s, None),
            Message::New(s) => (self.new, self.new_error) = (s, None),
            Message::Confirm(s) => (self.confirm, self.confirm_error) = (s, None),
            Message::Submit => {
                if self.busy {
                    return Action::None;
                }
                self.done = false;
                self.form_error = None;
                self.old_error = self.old.is_empty().then(|| fl!("password-old-missing"));
                self.confirm_error = (self.confirm != self.new).then(|| fl!("password-mismatch"));
                if self.old_error.is_some() || self.confirm_error.is_some() {
                    return Action::None;
                }
                self.busy = true;
                return Action::Run(Task::perform(
                    session::change_password(
                        self.session.clone(),
                        self.old.clone(),
                        self.new.clone(),
                    ),
                    Message::Changed,
                ));
            }
            Message::Changed(Ok(_)) => {
                self.busy = false;
                self.done = true;
                self.old.clear();
                self.new.clear();
                self.confirm.clear();
            }
            Message::Changed(Err(Failure::LoginRequired)) => return Action::LoginRequired,
            Message::Changed(Err(failure)) => {
                self.busy = false;
                match failure {
                    Failure::WrongOldPassword => self.old_error = Some(failure.message()),
                    Failure::WeakPassword(_) => self.new_error = Some(failure.message()),
                    other => self.form_error = Some(other.message()),
                }
            }
            Message::Close => return Action::Close,
        }
        Action::None
    }

    pub fn view(&self) -> Element<'_, Message> {
        let input = |value, on_input: fn(String) -> Message| {
            text_input("", value)
                .secure(true)
                .on_input_maybe((!self.busy).then_some(on_input))
                .on_submit(Message::Submit)
                .width(220)
        };
        let [old, new, confirm] = &self.labels;
        let mut actions = row![
            button(text(if self.busy {
                fl!("password-submitting")
            } else {
                fl!("password-submit")
            }))
            .on_press_maybe((!self.busy).then_some(Message::Submit)),
            button(text(fl!("page-close")))
                .style(button::secondary)
                .on_press(Message::Close),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        if self.done {
            actions = actions.push(text(fl!("password-changed")).style(text::success));
        }
        if let Some(error) = &self.form_error {
            actions = actions.push(text(error).size(13).style(text::danger));
        }
        column![
            text(fl!("password-rules")),
            Field::new(old, input(&self.old, Message::Old))
                .required()
                .error(self.old_error.as_deref()),
            Field::new(new, input(&self.new, Message::New))
                .required()
                .error(self.new_error.as_deref()),
            Field::new(confirm, input(&self.confirm, Message::Confirm))
                .required()
                .error(self.confirm_error.as_deref()),
            actions,
        ]
        .spacing(14)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;
    use crate::screen::testing;

    #[test]
    fn the_rules_come_first_and_a_mismatch_stays_here() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        let (mut page, _) = PasswordPage::new(session);
        let mut ui = simulator(page.view());
        assert!(ui.find(fl!("password-rules").as_str()).is_ok());
        drop(ui);
        let _ = page.update(Message::Old("Secret-2026".into()));
        let _ = page.update(Message::New("Another-2027".into()));
        let _ = page.update(Message::Confirm("Another-2028".into()));
        assert!(matches!(page.update(Message::Submit), Action::None));
        let _ = page.update(Message::Changed(Err(Failure::WeakPassword(
            "the new password must not be digits only".into(),
        ))));
        let mut ui = simulator(page.view());
        assert!(ui.find(fl!("password-mismatch").as_str()).is_ok());
        assert!(
            ui.find(
                Failure::WeakPassword("the new password must not be digits only".into())
                    .message()
                    .as_str()
            )
            .is_ok()
        );
    }
}
