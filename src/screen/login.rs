//! 登录: the UKey gives the unit number and name, the clerk types the unit password and the
//! captcha (and the card's PIN when the card asks for it).

use iced::widget::{button, column, container, image, row, text, text_input};
use iced::{Alignment, Element, Length, Task};
use shebao_sync::PendingLogin;

use super::card_status::CardStatus;
use super::failure::Failure;
use super::notices::{self, Notices};
use super::session::{self, Credentials, HomeSnapshot, Services, Session};
use crate::fl;
use crate::widget::{Field, badge};

const INPUT_WIDTH: f32 = 220.0;

#[derive(Debug, Clone)]
pub enum Message {
    PasswordTyped(String),
    CaptchaTyped(String),
    PinTyped(String),
    /// 看不清楚？换一张
    NewCaptcha,
    CaptchaArrived(Result<PendingLogin, Failure>),
    Submit,
    /// 离线工作: open the store without logging in.
    WorkOffline,
    Answered(Result<(Session, HomeSnapshot), Failure>),
    Notices(notices::Message),
}

pub enum Action {
    None,
    Run(Task<Message>),
    LoggedIn(Session, HomeSnapshot),
}

/// The errors shown beside the fields they concern.
#[derive(Debug, Default, Clone)]
struct Errors {
    password: Option<String>,
    captcha: Option<String>,
    pin: Option<String>,
    /// Beside the 登录 button: lock-outs, no connection, anything not about one field.
    form: Option<String>,
}

#[derive(Debug, Default)]
enum Captcha {
    #[default]
    None,
    Loading,
    Shown {
        pending: PendingLogin,
        image: image::Handle,
    },
}

pub struct Login {
    services: Services,
    captcha: Captcha,
    password: String,
    captcha_text: String,
    /// `Some` once the card has asked for its PIN.
    pin: Option<String>,
    errors: Errors,
    busy: bool,
    /// Why the clerk is back here (the UKey was pulled, the session expired).
    notice: Option<String>,
    /// The agency could not be reached: offline work on the drafts is offered.
    offline: bool,
    announcements: Notices,
}

impl Login {
    pub fn new(
        services: Services,
        card: &CardStatus,
        notice: Option<String>,
    ) -> (Self, Task<Message>) {
        let (announcements, fetch) = Notices::load(services.clone());
        let mut login = Self {
            services,
            captcha: Captcha::None,
            password: String::new(),
            captcha_text: String::new(),
            pin: None,
            errors: Errors::default(),
            busy: false,
            notice,
            offline: false,
            announcements,
        };
        let task = login.card_changed(card);
        (login, Task::batch([task, fetch.map(Message::Notices)]))
    }

    /// A card came or went: fetch a captcha for the new unit, or forget the old one.
    pub fn card_changed(&mut self, card: &CardStatus) -> Task<Message> {
        let unit = card.card().map(|(_, identity)| identity.unit_no.clone());
        let shown = match &self.captcha {
            Captcha::Shown { pending, .. } => Some(pending.unit_no.clone()),
            Captcha::None | Captcha::Loading => None,
        };
        match unit {
            Some(unit) if shown.as_ref() != Some(&unit) => self.fetch_captcha(unit),
            Some(_) => Task::none(),
            None => {
                self.captcha = Captcha::None;
                self.captcha_text.clear();
                self.pin = None;
                self.errors = Errors::default();
                self.busy = false;
                Task::none()
            }
        }
    }

    fn fetch_captcha(&mut self, unit_no: String) -> Task<Message> {
        self.captcha = Captcha::Loading;
        self.captcha_text.clear();
        Task::perform(
            session::fetch_captcha(self.services.clone(), unit_no),
            Message::CaptchaArrived,
        )
    }

    pub fn update(&mut self, message: Message, card: &CardStatus) -> Action {
        match message {
            Message::PasswordTyped(s) => {
                self.password = s;
                self.errors.password = None;
            }
            Message::CaptchaTyped(s) => {
                self.captcha_text = s;
                self.errors.captcha = None;
            }
            Message::PinTyped(s) => {
                self.pin = Some(s);
                self.errors.pin = None;
            }
            Message::NewCaptcha => {
                if let Some((_, identity)) = card.card() {
                    return Action::Run(self.fetch_captcha(identity.unit_no.clone()));
                }
            }
            Message::CaptchaArrived(Ok(pending)) => {
                // A captcha for a card that has since left is of no use.
                if card.card().map(|(_, i)| &i.unit_no) == Some(&pending.unit_no) {
                    self.offline = false;
                    let image = image::Handle::from_bytes(pending.captcha_png.clone());
                    self.captcha = Captcha::Shown { pending, image };
                }
            }
            Message::CaptchaArrived(Err(failure)) => {
                self.captcha = Captcha::None;
                self.offline = matches!(failure, Failure::Offline);
                self.errors.form = Some(failure.message());
            }
            Message::Submit => return self.submit(card),
            Message::WorkOffline => {
                let Some((handle, identity)) = card.card() else {
                    return Action::None;
                };
                if self.busy {
                    return Action::None;
                }
                self.busy = true;
                return Action::Run(Task::perform(
                    session::work_offline(self.services.clone(), handle.clone(), identity.clone()),
                    Message::Answered,
                ));
            }
            Message::Answered(Ok((session, snapshot))) => {
                self.busy = false;
                return Action::LoggedIn(session, snapshot);
            }
            Message::Answered(Err(failure)) => {
                self.busy = false;
                return self.refused(failure, card);
            }
            Message::Notices(message) => {
                return Action::Run(self.announcements.update(message).map(Message::Notices));
            }
        }
        Action::None
    }

    fn submit(&mut self, card: &CardStatus) -> Action {
        if self.busy {
            return Action::None;
        }
        let Some((handle, _)) = card.card() else {
            self.errors.form = Some(fl!("login-insert-card"));
            return Action::None;
        };
        self.errors = Errors::default();
        if self.password.is_empty() {
            self.errors.password = Some(fl!("login-password-missing"));
        }
        if self.captcha_text.trim().is_empty() {
            self.errors.captcha = Some(fl!("login-captcha-missing"));
        }
        if self.pin.as_ref().is_some_and(String::is_empty) {
            self.errors.pin = Some(fl!("login-pin-missing"));
        }
        let Captcha::Shown { pending, .. } = &self.captcha else {
            self.errors
                .captcha
                .get_or_insert_with(|| fl!("login-captcha-none"));
            return Action::None;
        };
        if self.errors.password.is_some()
            || self.errors.captcha.is_some()
            || self.errors.pin.is_some()
        {
            return Action::None;
        }
        self.busy = true;
        self.notice = None;
        let answer = Credentials {
            password: self.password.clone(),
            captcha: self.captcha_text.clone(),
            pin: self.pin.clone(),
        };
        Action::Run(Task::perform(
            session::log_in(
                self.services.clone(),
                handle.clone(),
                pending.clone(),
                answer,
            ),
            Message::Answered,
        ))
    }

    /// Put a refusal beside the field it concerns; a challenge is single-use, so every refusal
    /// that reached the agency needs a fresh captcha.
    fn refused(&mut self, failure: Failure, card: &CardStatus) -> Action {
        let message = failure.message();
        let mut fresh_captcha = true;
        match failure {
            Failure::LoginRefused => {
                self.password.clear();
                self.errors.password = Some(message);
            }
            Failure::CaptchaExpired => self.errors.captcha = Some(message),
            Failure::Card(shebao_ukey::UKeyError::PinRequired) => {
                self.pin = Some(String::new());
                self.errors.pin = Some(fl!("login-pin-required"));
            }
            Failure::Card(
                shebao_ukey::UKeyError::WrongPin { .. }
                | shebao_ukey::UKeyError::WrongPinTriesUnknown
                | shebao_ukey::UKeyError::PinBlocked
                | shebao_ukey::UKeyError::PinFormat,
            ) => {
                self.pin = Some(String::new());
                self.errors.pin = Some(message);
            }
            Failure::Offline | Failure::Setup(_) => {
                fresh_captcha = false;
                self.offline = matches!(failure, Failure::Offline);
                self.errors.form = Some(message);
            }
            _ => self.errors.form = Some(message),
        }
        match card.card() {
            Some((_, identity)) if fresh_captcha => {
                Action::Run(self.fetch_captcha(identity.unit_no.clone()))
            }
            _ => Action::None,
        }
    }

    pub fn view<'a>(&'a self, card: &'a CardStatus) -> Element<'a, Message> {
        let (reader_state, tone) = card.badge();
        let identity = card.card().map(|(_, identity)| identity);
        let shown = |value: Option<&'a str>| -> Element<'a, Message> {
            text(value.unwrap_or("—")).into()
        };
        let mut form = column![
            row![
                text(fl!("login-card-state")).width(crate::widget::field::LABEL_WIDTH),
                badge(reader_state, tone)
            ]
            .spacing(10),
            Field::new(
                fl!("login-unit-no"),
                shown(identity.map(|i| i.unit_no.as_str()))
            ),
            Field::new(
                fl!("login-unit-name"),
                shown(identity.map(|i| i.unit_name.as_str()))
            ),
        ]
        .spacing(14);
        if let Some(advice) = card.advice() {
            form = form.push(text(advice).size(13));
        }
        let ready = identity.is_some() && !self.busy;
        let submit = ready.then_some(Message::Submit);
        let password = text_input(&fl!("login-password"), &self.password)
            .secure(true)
            .on_input_maybe(ready.then_some(Message::PasswordTyped as fn(String) -> Message))
            .on_submit_maybe(submit.clone())
            .width(INPUT_WIDTH);
        form = form.push(
            Field::new(fl!("login-password"), password)
                .required()
                .error(self.errors.password.as_deref()),
        );
        if let Some(pin) = &self.pin {
            let input = text_input(&fl!("login-pin-placeholder"), pin)
                .secure(true)
                .on_input_maybe(ready.then_some(Message::PinTyped as fn(String) -> Message))
                .on_submit_maybe(submit.clone())
                .width(INPUT_WIDTH);
            form = form.push(
                Field::new(fl!("login-pin"), input)
                    .required()
                    .error(self.errors.pin.as_deref()),
            );
        }
        let captcha_input = text_input(&fl!("login-captcha"), &self.captcha_text)
            .on_input_maybe(ready.then_some(Message::CaptchaTyped as fn(String) -> Message))
            .on_submit_maybe(submit.clone())
            .width(120);
        let picture: Element<'a, Message> = match &self.captcha {
            Captcha::Shown { image: handle, .. } => image(handle.clone()).height(36).into(),
            Captcha::Loading => text(fl!("login-captcha-loading")).size(13).into(),
            Captcha::None => text("").into(),
        };
        let another = button(text(fl!("login-captcha-another")).size(13))
            .style(button::text)
            .on_press_maybe(identity.is_some().then_some(Message::NewCaptcha));
        form = form.push(
            Field::new(
                fl!("login-captcha"),
                // At 150 % the link goes under the picture rather than out of sight.
                row![captcha_input, picture, another]
                    .spacing(8)
                    .align_y(Alignment::Center)
                    .wrap(),
            )
            .required()
            .error(self.errors.captcha.as_deref()),
        );
        let login = button(text(if self.busy {
            fl!("login-submitting")
        } else {
            fl!("login-submit")
        }))
        .padding([6, 28])
        .on_press_maybe(submit);
        let mut actions = row![text("").width(crate::widget::field::LABEL_WIDTH), login]
            .spacing(10)
            .align_y(Alignment::Center);
        if let Some(error) = &self.errors.form {
            actions = actions.push(text(error).size(13).style(text::danger).width(Length::Fill));
        }
        form = form.push(actions);
        if self.offline && identity.is_some() {
            let work_offline = button(text(if self.busy {
                fl!("login-offline-opening")
            } else {
                fl!("login-offline-work")
            }))
            .style(button::secondary)
            .padding([6, 20])
            .on_press_maybe((!self.busy).then_some(Message::WorkOffline));
            form = form.push(
                row![
                    text("").width(crate::widget::field::LABEL_WIDTH),
                    column![
                        text(fl!("login-offline-offer"))
                            .size(13)
                            .style(text::warning),
                        work_offline
                    ]
                    .spacing(8)
                    .width(Length::Fill)
                ]
                .spacing(10),
            );
        }
        let mut page = column![text(fl!("login-heading")).size(24)].spacing(24);
        if let Some(notice) = &self.notice {
            page = page.push(text(notice).style(text::warning));
        }
        page = page.push(form);
        let page = row![
            page.width(Length::Fill),
            self.announcements.view().map(Message::Notices)
        ]
        .spacing(24);
        container(page)
            .padding(40)
            .max_width(1024)
            .center_x(Length::Fill)
            .into()
    }
}

#[cfg(test)]
#[path = "login_tests.rs"]
mod tests;
