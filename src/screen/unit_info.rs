//! 单位信息: the unit's record as the agency holds it, from the copy the last full sync kept,
//! with a button that asks the agency again.

use iced::widget::{button, column, row, text};
use iced::{Element, Length, Task};
use serde_json::Value;

use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Option<Value>, Failure>),
    Refresh,
    Close,
}

pub struct UnitInfo {
    session: Session,
    /// `None` while being read; `Some(Ok(None))` before the first sync brought it.
    record: Option<Result<Option<Value>, Failure>>,
    refreshing: bool,
    /// Why the last refresh failed, shown above the cached record.
    problem: Option<String>,
}

/// The record's fields in the order of the agency's form, with their labels.
fn fields() -> [(&'static str, String); 10] {
    [
        ("unit_no", fl!("unit-field-unit-no")),
        ("name", fl!("unit-field-name")),
        ("uscc", fl!("unit-field-uscc")),
        ("address", fl!("unit-field-address")),
        ("postal_code", fl!("unit-field-postal-code")),
        (
            "legal_representative",
            fl!("unit-field-legal-representative"),
        ),
        ("contact_person", fl!("unit-field-contact-person")),
        ("contact_phone", fl!("unit-field-contact-phone")),
        ("bank_name", fl!("unit-field-bank-name")),
        ("bank_account", fl!("unit-field-bank-account")),
    ]
}

impl UnitInfo {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let page = Self {
            session,
            record: None,
            refreshing: false,
            problem: None,
        };
        let task = page.read(false);
        (page, task)
    }

    /// Read the cached record; with `ask`, fetch it from the agency first.
    fn read(&self, ask: bool) -> Task<Message> {
        let job = self.session.clone();
        Task::perform(
            off_thread(move || {
                if ask {
                    let record = shebao_sync::block_on(job.client().unit())??;
                    job.store().save_unit_record(&record)?;
                }
                Ok(job.store().unit_record()?)
            }),
            Message::Loaded,
        )
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(Err(Failure::LoginRequired)) => Action::LoginRequired,
            Message::Loaded(record) => {
                self.refreshing = false;
                self.problem = None;
                // A failed refresh keeps the cached record on screen.
                if let (Err(failure), Some(Ok(Some(_)))) = (&record, &self.record) {
                    self.problem = Some(failure.message());
                    return Action::None;
                }
                self.record = Some(record);
                Action::None
            }
            Message::Refresh => {
                self.refreshing = true;
                Action::Run(self.read(true))
            }
            Message::Close => Action::Close,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let actions = row![
            button(text(if self.refreshing {
                fl!("people-refreshing")
            } else {
                fl!("people-refresh")
            }))
            .style(button::secondary)
            .on_press_maybe((!self.refreshing).then_some(Message::Refresh)),
            button(text(fl!("page-close"))).on_press(Message::Close),
        ]
        .spacing(10);
        let body: Element<'_, Message> = match &self.record {
            None => text(fl!("page-loading")).into(),
            Some(Err(failure)) => text(failure.message()).style(text::danger).into(),
            Some(Ok(None)) => text(fl!("unit-none")).into(),
            Some(Ok(Some(record))) => column(fields().into_iter().map(|(key, label)| {
                let value = match record.get(key) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                row![text(label).width(160), text(value).width(Length::Fill)]
                    .spacing(10)
                    .into()
            }))
            .spacing(10)
            .into(),
        };
        let problem = self
            .problem
            .as_ref()
            .map(|p| text(p).size(13).style(text::danger));
        column![actions].push(problem).push(body).spacing(14).into()
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;
    use serde_json::json;

    use super::*;
    use crate::screen::testing;

    #[test]
    fn the_cached_record_is_shown_field_by_field() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        let record = json!({"unit_no": testing::UNIT_NO, "name": testing::UNIT_NAME,
                            "uscc": "91350100M000100Y43", "address": "福州市鼓楼区五四路1号"});
        session.store().save_unit_record(&record).unwrap();
        let (mut page, _) = UnitInfo::new(session.clone());
        let _ = page.update(Message::Loaded(Ok(session.store().unit_record().unwrap())));
        let mut ui = simulator(page.view());
        assert!(ui.find(fl!("unit-field-address").as_str()).is_ok());
        assert!(ui.find("福州市鼓楼区五四路1号").is_ok());
        drop(ui);

        // Offline, a refresh fails but the cached record stays.
        let _ = page.update(Message::Refresh);
        let _ = page.update(Message::Loaded(Err(Failure::Offline)));
        let mut ui = simulator(page.view());
        assert!(ui.find("福州市鼓楼区五四路1号").is_ok());
        assert!(ui.find(Failure::Offline.message().as_str()).is_ok());
    }
}
