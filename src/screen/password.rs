//! 修改密码, forced after a first login with an initial password: until it is changed the
//! agency answers nothing else.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Alignment, Element, Length, Task};

use super::failure::Failure;
use super::session::{self, Session};
use crate::fl;
use crate::widget::Field;

const INPUT_WIDTH: f32 = 220.0;
/// The agency's rule is not published; this keeps the initial password from being "changed"
/// into something as weak.
const MIN_LENGTH: usize = 8;

#[derive(Debug, Clone)]
pub enum Message {
    OldTyped(String),
    NewTyped(String),
    ConfirmTyped(String),
    Submit,
    Changed(Result<Session, Failure>),
}

pub enum Action {
    None,
    Run(Task<Message>),
    Changed(Session),
    /// The session ended at the agency meanwhile.
    LoginRequired,
}

#[derive(Debug, Default, Clone)]
struct Errors {
    old: Option<String>,
    new: Option<String>,
    confirm: Option<String>,
    form: Option<String>,
}

pub struct ChangePassword {
    session: Session,
    old: String,
    new: String,
    confirm: String,
    errors: Errors,
    busy: bool,
}

impl ChangePassword {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let screen = Self {
            session,
            old: String::new(),
            new: String::new(),
            confirm: String::new(),
            errors: Errors::default(),
            busy: false,
        };
        (screen, Task::none())
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::OldTyped(s) => (self.old, self.errors.old) = (s, None),
            Message::NewTyped(s) => (self.new, self.errors.new) = (s, None),
            Message::ConfirmTyped(s) => (self.confirm, self.errors.confirm) = (s, None),
            Message::Submit => return self.submit(),
            Message::Changed(Ok(session)) => return Action::Changed(session),
            Message::Changed(Err(Failure::LoginRequired)) => return Action::LoginRequired,
            Message::Changed(Err(failure)) => {
                self.busy = false;
                match failure {
                    Failure::WrongOldPassword => self.errors.old = Some(failure.message()),
                    Failure::WeakPassword(_) => self.errors.new = Some(failure.message()),
                    other => self.errors.form = Some(other.message()),
                }
            }
        }
        Action::None
    }

    fn submit(&mut self) -> Action {
        if self.busy {
            return Action::None;
        }
        self.errors = check(&self.old, &self.new, &self.confirm);
        if self.errors.old.is_some() || self.errors.new.is_some() || self.errors.confirm.is_some() {
            return Action::None;
        }
        self.busy = true;
        Action::Run(Task::perform(
            session::change_password(self.session.clone(), self.old.clone(), self.new.clone()),
            Message::Changed,
        ))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let input = |placeholder: String, value, on_input: fn(String) -> Message| {
            text_input(&placeholder, value)
                .secure(true)
                .on_input_maybe((!self.busy).then_some(on_input))
                .on_submit(Message::Submit)
                .width(INPUT_WIDTH)
        };
        let submit = button(text(if self.busy {
            fl!("password-submitting")
        } else {
            fl!("password-submit")
        }))
        .padding([6, 28])
        .on_press_maybe((!self.busy).then_some(Message::Submit));
        let mut actions = row![text("").width(crate::widget::field::LABEL_WIDTH), submit]
            .spacing(10)
            .align_y(Alignment::Center);
        if let Some(error) = &self.errors.form {
            actions = actions.push(text(error).size(13).style(text::danger));
        }
        let page = column![
            text(fl!("password-heading")).size(24),
            text(fl!(
                "password-explain",
                unit_no = self.session.unit_no(),
                unit_name = self.session.unit_name()
            )),
            Field::new(
                fl!("password-old"),
                input(fl!("password-old"), &self.old, Message::OldTyped)
            )
            .required()
            .error(self.errors.old.as_deref()),
            Field::new(
                fl!("password-new"),
                input(fl!("password-new"), &self.new, Message::NewTyped)
            )
            .required()
            .error(self.errors.new.as_deref()),
            Field::new(
                fl!("password-confirm"),
                input(
                    fl!("password-confirm-placeholder"),
                    &self.confirm,
                    Message::ConfirmTyped
                )
            )
            .required()
            .error(self.errors.confirm.as_deref()),
            actions,
        ]
        .spacing(16)
        .max_width(760)
        .width(Length::Fill);
        container(page).padding(40).center_x(Length::Fill).into()
    }
}

/// The mistakes the clerk can be told of before asking the agency.
fn check(old: &str, new: &str, confirm: &str) -> Errors {
    let mut errors = Errors::default();
    if old.is_empty() {
        errors.old = Some(fl!("password-old-missing"));
    }
    if new.chars().count() < MIN_LENGTH {
        errors.new = Some(fl!("password-too-short", min = MIN_LENGTH));
    } else if new == old {
        errors.new = Some(fl!("password-same"));
    } else if new.chars().all(|c| c.is_ascii_digit()) {
        // The agency refuses digits-only passwords; say so before asking it.
        errors.new = Some(fl!("password-digits-only"));
    }
    if confirm != new {
        errors.confirm = Some(fl!("password-mismatch"));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_confirmation_is_caught_before_the_agency_is_asked() {
        let errors = check("888888", "Shebao-2026", "Shebao-2025");
        assert_eq!(errors.confirm, Some(fl!("password-mismatch")));
        assert!(errors.old.is_none() && errors.new.is_none());
    }

    #[test]
    fn the_initial_password_cannot_be_kept_or_shortened() {
        let same = check("88888888", "88888888", "88888888");
        assert_eq!(same.new, Some(fl!("password-same")));
        let short = check("888888", "123", "123");
        assert_eq!(short.new, Some(fl!("password-too-short", min = 8)));
        assert!(short.new.is_some_and(|e| e.contains('8')));
        let digits = check("888888", "12345678", "12345678");
        assert_eq!(digits.new, Some(fl!("password-digits-only")));
    }
}
