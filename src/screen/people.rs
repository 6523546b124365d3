//! 人员信息: the unit's insured people as the agency last listed them (cached for offline
//! use), searchable by name or ID number, with their insurance types and declared wage; any
//! person leads to their history, and the list exports to a file.

use std::sync::Arc;

use iced::widget::{button, column, row, scrollable, text, text_input};
use iced::{Alignment, Element, Length, Task};
use serde_json::Value;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_sync::{SyncEngine, block_on};

use super::export::{self, ExportError, Format, Sheet};
use super::failure::Failure;
use super::page::Action;
use super::person_history::{self, PersonHistory};
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::table::{Column, TableState, table};

/// One insured person, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub document_no: String,
    pub name: String,
    pub wage: String,
    /// The insurance types by name (code where the reference data lacks it).
    pub insurance: String,
    pub insured_from: String,
    search: String,
}

impl Person {
    fn from_roster(entry: &Value, reference: Option<&ReferenceData>) -> Person {
        let text = |k: &str| {
            entry
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let insurance = entry
            .get("insurance_types")
            .and_then(Value::as_array)
            .map(|codes| {
                codes
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|code| {
                        reference
                            .and_then(|r| r.name_of(CodeTable::InsuranceTypes, code))
                            .unwrap_or(code)
                            .to_owned()
                    })
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default();
        let (document_no, name) = (text("document_no"), text("name"));
        Person {
            search: format!("{name} {document_no}").to_uppercase(),
            document_no,
            name,
            wage: text("wage"),
            insurance,
            insured_from: text("insured_from"),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Arc<Vec<Person>>, Failure>),
    Search(String),
    Scrolled(scrollable::Viewport),
    Selected(usize),
    History,
    HistoryPage(person_history::Message),
    ExportPath(String),
    Export,
    Refresh,
    Refreshed(Result<(), Failure>),
    Close,
}

pub struct People {
    session: Session,
    people: Option<Result<Arc<Vec<Person>>, Failure>>,
    search: String,
    shown: Vec<usize>,
    table: TableState,
    history: Option<PersonHistory>,
    export_path: String,
    exported: Option<Result<usize, ExportError>>,
    refreshing: bool,
    problem: Option<String>,
}

fn read(session: &Session) -> Result<Arc<Vec<Person>>, Failure> {
    let store = session.store();
    let reference = store
        .reference()?
        .and_then(|(_, body)| ReferenceData::from_json(&body.to_string()).ok());
    let roster = store.roster()?;
    Ok(Arc::new(
        roster
            .iter()
            .map(|p| Person::from_roster(p, reference.as_ref()))
            .collect(),
    ))
}

impl People {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let export_path = export::default_path(session.data_dir().root(), "people", Format::Xlsx);
        let page = Self {
            session,
            people: None,
            search: String::new(),
            shown: Vec::new(),
            table: TableState::default(),
            history: None,
            export_path,
            exported: None,
            refreshing: false,
            problem: None,
        };
        let task = page.load();
        (page, task)
    }

    fn load(&self) -> Task<Message> {
        let job = self.session.clone();
        Task::perform(off_thread(move || read(&job)), Message::Loaded)
    }

    fn refilter(&mut self) -> Task<Message> {
        let wanted = self.search.trim().to_uppercase();
        self.shown = match &self.people {
            Some(Ok(people)) => people
                .iter()
                .enumerate()
                .filter(|(_, p)| wanted.is_empty() || p.search.contains(&wanted))
                .map(|(i, _)| i)
                .collect(),
            _ => Vec::new(),
        };
        self.table.reset()
    }

    fn selected(&self) -> Option<&Person> {
        let people = self.people.as_ref()?.as_ref().ok()?;
        people.get(*self.shown.get(self.table.selected?)?)
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(people) => {
                self.people = Some(people);
                Action::Run(self.refilter())
            }
            Message::Search(search) => {
                self.search = search;
                Action::Run(self.refilter())
            }
            Message::Scrolled(viewport) => {
                self.table.scrolled(viewport);
                Action::None
            }
            Message::Selected(i) => {
                self.table.selected = Some(i);
                Action::None
            }
            Message::History => {
                let Some(person) = self.selected() else {
                    return Action::None;
                };
                let (history, task) =
                    person_history::open(self.session.clone(), person.document_no.clone());
                self.history = Some(history);
                Action::Run(task.map(Message::HistoryPage))
            }
            Message::HistoryPage(message) => match self.history.as_mut().map(|h| h.update(message))
            {
                Some(Action::Close) => {
                    self.history = None;
                    Action::None
                }
                Some(other) => other.map(Message::HistoryPage),
                None => Action::None,
            },
            Message::ExportPath(path) => {
                self.export_path = path;
                Action::None
            }
            Message::Export => {
                self.exported = Some(export::write(
                    &self.sheet(),
                    std::path::Path::new(self.export_path.trim()),
                    Format::of(std::path::Path::new(self.export_path.trim())),
                ));
                Action::None
            }
            Message::Refresh => {
                self.refreshing = true;
                self.problem = None;
                let job = self.session.clone();
                Action::Run(Task::perform(
                    off_thread(move || {
                        let engine = SyncEngine::new(job.client().clone());
                        block_on(engine.pull_roster(&mut job.store()))??;
                        Ok(())
                    }),
                    Message::Refreshed,
                ))
            }
            Message::Refreshed(done) => {
                self.refreshing = false;
                match done {
                    Ok(()) => Action::Run(self.load()),
                    Err(Failure::LoginRequired) => Action::LoginRequired,
                    Err(failure) => {
                        self.problem = Some(failure.message());
                        Action::None
                    }
                }
            }
            Message::Close => Action::Close,
        }
    }

    /// The people shown, as the export writes them.
    fn sheet(&self) -> Sheet {
        let people = match &self.people {
            Some(Ok(people)) => people.as_slice(),
            _ => &[],
        };
        Sheet {
            headings: vec![
                fl!("query-col-name"),
                fl!("query-col-document"),
                fl!("people-col-wage"),
                fl!("people-col-insurance"),
                fl!("people-col-insured-from"),
            ],
            rows: self
                .shown
                .iter()
                .map(|&i| {
                    let p = &people[i];
                    vec![
                        p.name.clone(),
                        p.document_no.clone(),
                        p.wage.clone(),
                        p.insurance.clone(),
                        p.insured_from.clone(),
                    ]
                })
                .collect(),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        if let Some(history) = &self.history {
            return history.view().map(Message::HistoryPage);
        }
        let refresh = button(text(if self.refreshing {
            fl!("people-refreshing")
        } else {
            fl!("people-refresh")
        }))
        .style(button::secondary)
        .on_press_maybe((!self.refreshing).then_some(Message::Refresh));
        let bar = row![
            text_input(&fl!("query-search-placeholder"), &self.search)
                .on_input(Message::Search)
                .width(Length::Fill),
            button(text(fl!("query-person-history")))
                .style(button::secondary)
                .on_press_maybe(self.selected().map(|_| Message::History)),
            refresh,
            button(text(fl!("page-close"))).on_press(Message::Close),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let mut page = column![bar].spacing(10);
        if let Some(problem) = &self.problem {
            page = page.push(text(problem).size(13).style(text::danger));
        }
        let body: Element<'_, Message> = match &self.people {
            None => text(fl!("page-loading")).into(),
            Some(Err(failure)) => text(failure.message()).style(text::danger).into(),
            Some(Ok(people)) if people.is_empty() => text(fl!("people-none")).into(),
            Some(Ok(people)) => column![
                text(fl!(
                    "people-count",
                    shown = self.shown.len(),
                    total = people.len()
                ))
                .size(13),
                self.list(people),
            ]
            .spacing(6)
            .into(),
        };
        page.push(export::bar(
            &self.export_path,
            Message::ExportPath,
            Message::Export,
            self.exported.as_ref(),
        ))
        .push(body)
        .into()
    }

    fn list<'a>(&'a self, people: &'a [Person]) -> Element<'a, Message> {
        let columns = [
            Column::new(fl!("query-col-name"), 120),
            Column::new(fl!("query-col-document"), 190),
            Column::new(fl!("people-col-wage"), 100),
            Column::new(fl!("people-col-insurance"), Length::Fill),
            Column::new(fl!("people-col-insured-from"), 100),
        ];
        table(
            &columns,
            self.shown.len(),
            &self.table,
            move |i| {
                let p = &people[self.shown[i]];
                vec![
                    text(p.name.clone()).into(),
                    text(p.document_no.clone()).into(),
                    text(p.wage.clone()).into(),
                    text(p.insurance.clone()).into(),
                    text(p.insured_from.clone()).into(),
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
    use serde_json::json;

    use super::*;
    use crate::screen::testing;

    #[test]
    fn the_roster_is_searchable_and_exports_what_is_shown() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        {
            let mut store = session.store();
            store
                .save_reference(
                    "demo",
                    &serde_json::from_str(ReferenceData::demo_json()).unwrap(),
                )
                .unwrap();
            store
                .replace_roster(&[
                    json!({"document_type": "01", "document_no": "11010519491231002X",
                           "name": "张三", "wage": "6500.00", "insurance_types": ["110", "310"],
                           "insured_from": "2026-01"}),
                    json!({"document_type": "01", "document_no": "440524188001010014",
                           "name": "李四", "wage": "8000.00", "insurance_types": ["110"],
                           "insured_from": "2025-07"}),
                ])
                .unwrap();
        }
        let (mut page, _) = People::new(session.clone());
        let _ = page.update(Message::Loaded(read(&session)));
        let reference = ReferenceData::demo();
        let pension = reference.name_of(CodeTable::InsuranceTypes, "110").unwrap();
        let mut ui = simulator(page.view());
        assert!(ui.find("张三").is_ok() && ui.find("李四").is_ok());
        assert!(ui.find(pension).is_ok(), "insurance types by name");
        drop(ui);

        let _ = page.update(Message::Search("002x".into()));
        let mut ui = simulator(page.view());
        assert!(ui.find("张三").is_ok());
        assert!(ui.find("李四").is_err());
        drop(ui);

        let file = data.path().join("people.csv");
        let _ = page.update(Message::ExportPath(file.display().to_string()));
        let _ = page.update(Message::Export);
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.contains("张三") && !written.contains("李四"));
        let mut ui = simulator(page.view());
        assert!(ui.find(fl!("export-done", rows = "1").as_str()).is_ok());
    }
}
