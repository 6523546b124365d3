//! Picking people from the unit's roster: a search box (name or document number) over a
//! windowed table of the insured people; a click picks or unpicks a person. Several people can
//! be picked at once (leavers), or one at a time (a person change).

use std::collections::BTreeMap;

use iced::widget::{column, row, scrollable, text, text_input};
use iced::{Element, Length, Task};
use shebao_store::RosterPerson;

use crate::fl;
use crate::widget::table::{self, Column, TableState};

/// An identity number as lists show it: the first six and the last four characters, so a list
/// on a screen or a screenshot does not give away a birth date.
pub fn masked(no: &str) -> String {
    let chars: Vec<char> = no.chars().collect();
    if chars.len() <= 10 {
        return no.to_owned();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// Where the roster on screen comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RosterSource {
    /// The copy in the store, while the agency is asked for a fresh one.
    #[default]
    Cached,
    /// Just fetched from the agency.
    Fresh,
    /// The copy in the store: the agency could not be reached.
    Offline,
}

#[derive(Debug, Clone)]
pub enum Message {
    Search(String),
    Scrolled(scrollable::Viewport),
    /// A row of the filtered list was clicked.
    Toggle(usize),
}

#[derive(Debug, Default)]
pub struct RosterPicker {
    roster: Vec<RosterPerson>,
    pub source: RosterSource,
    search: String,
    /// Indices into `roster` of the people the search finds.
    found: Vec<usize>,
    /// The picked people by document number (a person being edited stays picked even when the
    /// roster no longer lists them).
    picked: BTreeMap<String, RosterPerson>,
    /// Picking one person unpicks the other.
    pub single: bool,
    table: TableState,
}

impl RosterPicker {
    pub fn single() -> Self {
        Self {
            single: true,
            ..Self::default()
        }
    }

    pub fn set_roster(&mut self, roster: Vec<RosterPerson>, source: RosterSource) {
        self.roster = roster;
        self.source = source;
        self.filter();
    }

    pub fn roster(&self) -> &[RosterPerson] {
        &self.roster
    }

    /// The picked people, in document-number order.
    pub fn picked(&self) -> Vec<RosterPerson> {
        self.picked.values().cloned().collect()
    }

    pub fn clear_picks(&mut self) {
        self.picked.clear();
    }

    /// Pick exactly `person` (a draft put back in its form).
    pub fn pick_only(&mut self, person: RosterPerson) {
        self.picked.clear();
        self.picked.insert(person.document_no.clone(), person);
    }

    fn filter(&mut self) {
        self.found = self
            .roster
            .iter()
            .enumerate()
            .filter(|(_, p)| p.matches(&self.search))
            .map(|(i, _)| i)
            .collect();
    }

    pub fn update<M: Send + 'static>(&mut self, message: Message) -> Task<M> {
        match message {
            Message::Search(search) => {
                self.search = search;
                self.filter();
                self.table.reset()
            }
            Message::Scrolled(viewport) => {
                self.table.scrolled(viewport);
                Task::none()
            }
            Message::Toggle(row) => {
                if let Some(person) = self.found.get(row).and_then(|&i| self.roster.get(i))
                    && self.picked.remove(&person.document_no).is_none()
                {
                    if self.single {
                        self.picked.clear();
                    }
                    self.picked
                        .insert(person.document_no.clone(), person.clone());
                }
                Task::none()
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let source = match self.source {
            RosterSource::Cached => fl!("roster-cached"),
            RosterSource::Fresh => fl!("roster-fresh"),
            RosterSource::Offline => fl!("roster-offline"),
        };
        let columns = [
            Column::new(fl!("roster-picked"), 40),
            Column::new(fl!("drafting-name"), 90),
            Column::new(fl!("drafting-document-no"), 170),
            Column::new(fl!("roster-insured-from"), Length::Fill),
        ];
        let cells = |row: usize| -> Vec<Element<'_, Message>> {
            let person = &self.roster[self.found[row]];
            let mark = if self.picked.contains_key(&person.document_no) {
                "✓"
            } else {
                ""
            };
            vec![
                text(mark).into(),
                text(person.name.clone()).into(),
                text(masked(&person.document_no)).into(),
                text(person.insured_from.clone().unwrap_or_default()).into(),
            ]
        };
        let empty = self.roster.is_empty().then(|| text(fl!("roster-empty")));
        column![
            text_input(&fl!("roster-search"), &self.search)
                .on_input(Message::Search)
                .width(Length::Fill),
            row![
                text(fl!(
                    "roster-count",
                    found = self.found.len(),
                    total = self.roster.len()
                ))
                .size(13),
                text(source).size(13),
            ]
            .spacing(10),
            empty,
            table::table(
                &columns,
                self.found.len(),
                &self.table,
                cells,
                Message::Scrolled,
                Some(Message::Toggle),
            ),
        ]
        .spacing(6)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;

    fn person(no: &str, name: &str) -> RosterPerson {
        RosterPerson {
            document_type: "01".into(),
            document_no: no.into(),
            name: name.into(),
            wage: None,
            insured_from: Some("2024-01".into()),
        }
    }

    fn picker() -> RosterPicker {
        let mut picker = RosterPicker::default();
        picker.set_roster(
            vec![
                person("11010519491231002X", "张三"),
                person("440524188001010014", "李四"),
                person("370101190102039973", "王五"),
            ],
            RosterSource::Fresh,
        );
        picker
    }

    #[test]
    fn a_listed_identity_number_hides_the_birth_date() {
        assert_eq!(masked("11010519491231002X"), "110105********002X");
        assert_eq!(masked("E1234567"), "E1234567");
    }

    #[test]
    fn the_search_narrows_the_list_and_clicks_pick_several_people() {
        let mut picker = picker();
        let _: Task<()> = picker.update(Message::Search("李".into()));
        let mut ui = simulator(picker.view());
        assert!(ui.find("李四").is_ok());
        assert!(ui.find("张三").is_err());
        ui.click("李四").unwrap();
        for message in ui.into_messages() {
            let _: Task<()> = picker.update(message);
        }
        let _: Task<()> = picker.update(Message::Search(String::new()));
        let _: Task<()> = picker.update(Message::Toggle(2));
        let names: Vec<String> = picker.picked().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["王五", "李四"]);
        // A second click unpicks.
        let _: Task<()> = picker.update(Message::Toggle(2));
        assert_eq!(picker.picked().len(), 1);
    }

    #[test]
    fn a_single_picker_keeps_only_the_last_person() {
        let mut picker = RosterPicker {
            single: true,
            ..picker()
        };
        let _: Task<()> = picker.update(Message::Toggle(0));
        let _: Task<()> = picker.update(Message::Toggle(1));
        let names: Vec<String> = picker.picked().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["李四"]);
    }
}
