//! A person's history: every declaration about one ID number and what the agency answered, in
//! time order. Any page can show it: [`open`] gives the component and the task that fills it;
//! its [`Action::Close`] means "back to where it was opened from".

use iced::widget::{button, column, row, scrollable, text};
use iced::{Element, Length, Task};
use shebao_store::PersonEvent;

use super::declarations::labels;
use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::table::{Column, TableState, table};

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Vec<PersonEvent>, Failure>),
    Scrolled(scrollable::Viewport),
    Selected(usize),
    Back,
}

pub struct PersonHistory {
    document_no: String,
    /// `None` while being read.
    events: Option<Result<Vec<PersonEvent>, Failure>>,
    table: TableState,
}

/// The history of the person with `document_no`, and the task that reads it from the store.
pub fn open(session: Session, document_no: String) -> (PersonHistory, Task<Message>) {
    let wanted = document_no.clone();
    let task = Task::perform(
        off_thread(move || Ok(session.store().person_history(&wanted)?)),
        Message::Loaded,
    );
    let page = PersonHistory {
        document_no,
        events: None,
        table: TableState::default(),
    };
    (page, task)
}

impl PersonHistory {
    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(events) => {
                self.events = Some(events);
                Action::None
            }
            Message::Scrolled(viewport) => {
                self.table.scrolled(viewport);
                Action::None
            }
            Message::Selected(i) => {
                self.table.selected = Some(i);
                Action::None
            }
            Message::Back => Action::Close,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let name = self
            .events
            .as_ref()
            .and_then(|e| e.as_ref().ok())
            .and_then(|events| events.iter().rev().find_map(|e| e.name.clone()))
            .unwrap_or_default();
        let heading = row![
            text(fl!(
                "history-heading",
                name = name,
                document = self.document_no.clone()
            ))
            .size(16)
            .width(Length::Fill),
            button(text(fl!("history-back"))).on_press(Message::Back),
        ]
        .spacing(10);
        let body: Element<'_, Message> = match &self.events {
            None => text(fl!("page-loading")).into(),
            Some(Err(failure)) => text(failure.message()).style(text::danger).into(),
            Some(Ok(events)) if events.is_empty() => text(fl!("history-none")).into(),
            Some(Ok(events)) => self.events_table(events),
        };
        column![heading, body].spacing(12).into()
    }

    fn events_table<'a>(&'a self, events: &'a [PersonEvent]) -> Element<'a, Message> {
        let columns = [
            Column::new(fl!("query-col-created"), 150),
            Column::new(fl!("query-col-kind"), 120),
            Column::new(fl!("query-col-period"), 80),
            Column::new(fl!("query-col-state"), 170),
            Column::new(fl!("query-col-verdict"), 90),
            Column::new(fl!("query-col-reason"), Length::Fill),
        ];
        table(
            &columns,
            events.len(),
            &self.table,
            move |i| {
                let e = &events[i];
                let state = shebao_core::state::DeclarationState::parse(e.state.as_str(), true);
                vec![
                    text(e.at.get(..16).unwrap_or(&e.at).replace('T', " ")).into(),
                    text(labels::kind(e.kind)).into(),
                    text(e.period.clone()).into(),
                    text(labels::state(state)).into(),
                    text(labels::verdict(e.accepted)).into(),
                    text(e.reason.clone().unwrap_or_default()).into(),
                ]
            },
            Message::Scrolled,
            Some(Message::Selected),
        )
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;
    use shebao_store::{DeclarationKind, DeclarationState};

    use super::*;

    #[test]
    fn the_history_lists_each_answer_with_its_reason() {
        let mut page = PersonHistory {
            document_no: "11010519491231002X".into(),
            events: None,
            table: TableState::default(),
        };
        let event = |kind, accepted, reason: Option<&str>, at: &str| PersonEvent {
            declaration_id: 1,
            kind,
            period: "2026-11".into(),
            state: DeclarationState::PartlySucceeded,
            line: 1,
            name: Some("张三".into()),
            accepted,
            reason: reason.map(str::to_owned),
            at: at.into(),
        };
        let _ = page.update(Message::Loaded(Ok(vec![
            event(
                DeclarationKind::Hire,
                Some(false),
                Some("缴费基数低于下限"),
                "2026-11-01T08:00:00Z",
            ),
            event(
                DeclarationKind::Hire,
                Some(true),
                None,
                "2026-11-09T08:00:00Z",
            ),
        ])));
        let mut ui = simulator(page.view());
        assert!(ui.find("缴费基数低于下限").is_ok());
        assert!(ui.find("2026-11-01 08:00").is_ok());
        assert!(ui.find(fl!("query-item-accepted").as_str()).is_ok());
        assert!(
            ui.find(
                fl!(
                    "history-heading",
                    name = "张三",
                    document = "11010519491231002X"
                )
                .as_str()
            )
            .is_ok()
        );
        ui.click(fl!("history-back").as_str()).unwrap();
        for message in ui.into_messages() {
            assert!(matches!(page.update(message), Action::Close));
        }
    }
}
