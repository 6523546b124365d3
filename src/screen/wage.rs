//! 工资申报: for a year, the unit's roster with each person's average monthly wage of the year
//! before to fill in; beside it the contribution base that results after the period's limits
//! (shebao-core's `assess_base`), with the limit that moved it named, and the change from the
//! figure the agency holds now (the roster's wage). A filter shows only the people whose wage
//! changed by more than a chosen percentage. Saving creates or updates one wage draft a person.

use std::collections::{BTreeMap, HashMap};

use iced::widget::{button, checkbox, column, row, text, text_input};
use iced::{Element, Length, Subscription, Task};
use shebao_core::declaration::{Clamp, WageItem, assess_base};
use shebao_core::money::Money;
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_store::{DeclarationKind, Draft, DraftId, RosterPerson};

use super::drafting::{self, DraftWrite, FormKey};
use super::failure::Failure;
use super::import::{self, ImportPanel};
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::roster_picker::RosterSource;
use crate::widget::table::{self, Column, TableState};

const KIND: DeclarationKind = DeclarationKind::Wage;

#[derive(Debug, Clone)]
pub struct Loaded {
    pub reference: Option<ReferenceData>,
    pub roster: Vec<RosterPerson>,
    pub drafts: Vec<Draft>,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// Boxed: the reference data is large, and messages travel by value.
    Loaded(Result<Box<Loaded>, Failure>),
    RosterRefreshed(Result<Option<Vec<RosterPerson>>, Failure>),
    Year(String),
    /// The wage typed for the person at this roster position.
    Wage(usize, String),
    Threshold(String),
    OnlyChanged(bool),
    Scrolled(iced::widget::scrollable::Viewport),
    Save,
    Saved(Result<Vec<Draft>, Failure>),
    Key(FormKey),
    /// 导入: the workbook import panel.
    OpenImport,
    Import(import::Message),
    /// Imported drafts were saved: the home page counts again.
    Imported,
    Close,
}

pub struct Wage {
    session: Session,
    loading: bool,
    reference: Option<ReferenceData>,
    roster: Vec<RosterPerson>,
    source: RosterSource,
    year: String,
    /// What is typed for each roster position.
    wages: Vec<String>,
    drafts: Vec<Draft>,
    /// A problem per roster position, from shebao-core.
    errors: BTreeMap<usize, String>,
    /// The change in percent above which a person is shown when `only_changed`.
    threshold: String,
    only_changed: bool,
    table: TableState,
    notice: Option<String>,
    failure: Option<Failure>,
    busy: bool,
    /// The workbook import, when open, in place of the page's form.
    import: Option<ImportPanel>,
}

/// How a typed wage compares with the figure the agency holds.
fn change_percent(last: Option<&str>, typed: &str) -> Option<f64> {
    let last = Money::parse(last?).ok()?.fen();
    let typed = Money::parse(typed).ok()?.fen();
    (last > 0).then(|| (typed - last) as f64 * 100.0 / last as f64)
}

impl Wage {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let task = Task::perform(load(session.clone()), Message::Loaded);
        let page = Self {
            session,
            loading: true,
            reference: None,
            roster: Vec::new(),
            source: RosterSource::Cached,
            year: drafting::today().format("%Y").to_string(),
            wages: Vec::new(),
            drafts: Vec::new(),
            errors: BTreeMap::new(),
            threshold: "20".into(),
            only_changed: false,
            table: TableState::default(),
            notice: None,
            failure: None,
            busy: false,
            import: None,
        };
        (page, task)
    }

    /// The wage drafts of the year on screen, by document number.
    fn drafts_of_year(&self) -> HashMap<&str, &Draft> {
        self.drafts
            .iter()
            .filter(|d| drafting::item_text(d, "year") == self.year.trim())
            .map(|d| (drafting::item_text(d, "document_no"), d))
            .collect()
    }

    /// Fill the inputs from the roster and the year's drafts.
    fn fill(&mut self) {
        let drafts = self.drafts_of_year();
        self.wages = self
            .roster
            .iter()
            .map(|p| {
                drafts
                    .get(p.document_no.as_str())
                    .map(|d| drafting::item_text(d, "average_monthly_wage").to_owned())
                    .unwrap_or_default()
            })
            .collect();
        self.errors.clear();
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(Ok(loaded)) => {
                self.loading = false;
                self.reference = loaded.reference;
                self.roster = loaded.roster;
                self.drafts = loaded.drafts;
                self.fill();
                let job = drafting::refresh_roster(self.session.clone());
                return Action::Run(Task::perform(job, Message::RosterRefreshed));
            }
            Message::RosterRefreshed(Ok(Some(roster))) => {
                // Typed figures follow their person into the fresh roster.
                let typed: HashMap<String, String> = self
                    .roster
                    .iter()
                    .zip(&self.wages)
                    .map(|(p, w)| (p.document_no.clone(), w.clone()))
                    .collect();
                self.roster = roster;
                self.fill();
                for (person, wage) in self.roster.iter().zip(self.wages.iter_mut()) {
                    if let Some(t) = typed.get(&person.document_no).filter(|t| !t.is_empty()) {
                        wage.clone_from(t);
                    }
                }
                self.source = RosterSource::Fresh;
            }
            Message::RosterRefreshed(Ok(None)) => self.source = RosterSource::Offline,
            Message::Loaded(Err(failure)) | Message::RosterRefreshed(Err(failure)) => {
                self.loading = false;
                if matches!(failure, Failure::LoginRequired) {
                    return Action::LoginRequired;
                }
                self.failure = Some(failure);
            }
            Message::Year(year) => {
                self.year = year;
                self.fill();
            }
            Message::Wage(index, value) => {
                if let Some(slot) = self.wages.get_mut(index) {
                    *slot = value;
                    self.errors.remove(&index);
                }
            }
            Message::Threshold(value) => self.threshold = value,
            Message::OnlyChanged(on) => {
                self.only_changed = on;
                return Action::Run(self.table.reset());
            }
            Message::Scrolled(viewport) => self.table.scrolled(viewport),
            Message::Save => return self.save(),
            Message::Saved(Ok(drafts)) => {
                self.busy = false;
                self.drafts = drafts;
                return Action::StoreChanged;
            }
            Message::Saved(Err(failure)) => {
                self.busy = false;
                self.notice = None;
                self.failure = Some(failure);
            }
            Message::Imported => return Action::StoreChanged,
            Message::OpenImport => {
                self.import = Some(ImportPanel::new(shebao_store::DeclarationKind::Wage));
            }
            Message::Import(message) => {
                match import::step(&mut self.import, message, Some(&self.session)) {
                    import::Step::Nothing => {}
                    import::Step::Run(task) => return Action::Run(task.map(Message::Import)),
                    // The panel stays open with its summary; the drafts behind it are read again.
                    import::Step::Reload => {
                        return Action::Run(Task::batch([
                            Task::perform(load(self.session.clone()), Message::Loaded),
                            Task::done(Message::Imported),
                        ]));
                    }
                }
            }
            Message::Key(FormKey::Escape) | Message::Close => return Action::Close,
            Message::Key(key) => return Action::Run(key.focus()),
        }
        Action::None
    }

    fn save(&mut self) -> Action<Message> {
        let Some((period, writes)) = self.checked_writes() else {
            return Action::None;
        };
        self.busy = true;
        let job = drafting::save_drafts(self.session.clone(), KIND, period, writes);
        Action::Run(Task::perform(job, Message::Saved))
    }

    /// The drafts to write for every person with a figure typed, checked by shebao-core;
    /// `None` (and the problems beside their rows) when any is wrong.
    fn checked_writes(&mut self) -> Option<(String, Vec<DraftWrite>)> {
        self.errors.clear();
        self.notice = None;
        self.failure = None;
        let Some(reference) = &self.reference else {
            self.failure = Some(Failure::Other(fl!("drafting-no-reference")));
            return None;
        };
        let period = drafting::this_period();
        let ctx = drafting::context(reference, &period);
        let existing: HashMap<String, DraftId> = self
            .drafts_of_year()
            .into_iter()
            .map(|(no, d)| (no.to_owned(), d.id))
            .collect();
        let mut writes = Vec::new();
        for (index, (person, typed)) in self.roster.iter().zip(&self.wages).enumerate() {
            if typed.trim().is_empty() {
                continue;
            }
            let item = WageItem {
                document_type: person.document_type.clone(),
                document_no: person.document_no.clone(),
                name: person.name.clone(),
                year: self.year.trim().to_owned(),
                average_monthly_wage: Money::parse(typed)
                    .map_or_else(|_| typed.trim().to_owned(), |m| m.to_string()),
            };
            if let Some(problem) = item.validate(&ctx).into_iter().find(|p| p.is_error()) {
                self.errors.insert(index, problem.message);
                continue;
            }
            match serde_json::to_value(&item) {
                Ok(value) => writes.push(DraftWrite {
                    id: existing.get(&person.document_no).copied(),
                    item: value,
                }),
                Err(e) => self.failure = Some(Failure::Other(e.to_string())),
            }
        }
        if writes.is_empty() && self.errors.is_empty() {
            self.failure = Some(Failure::Other(fl!("wage-nothing-typed")));
        }
        if !self.errors.is_empty() || self.failure.is_some() {
            return None;
        }
        self.notice = Some(fl!("wage-saved", count = writes.len()));
        Some((period, writes))
    }

    /// The roster positions on screen: all, or those changed beyond the threshold.
    fn rows(&self) -> Vec<usize> {
        let threshold = self.threshold.trim().parse::<f64>().unwrap_or(0.0);
        (0..self.roster.len())
            .filter(|&i| {
                !self.only_changed
                    || change_percent(self.roster[i].wage.as_deref(), &self.wages[i])
                        .is_some_and(|c| c.abs() > threshold)
            })
            .collect()
    }

    /// The base and the limit that moved it, for the typed figure.
    fn assessment(&self, typed: &str) -> (String, String) {
        let Ok(declared) = Money::parse(typed) else {
            return (String::new(), String::new());
        };
        let period = Month::parse(&drafting::this_period())
            .ok()
            .and_then(|m| self.reference.as_ref()?.period_at(m));
        let Some(period) = period else {
            return (String::new(), String::new());
        };
        let assessed = assess_base(declared, period);
        let clamp = match assessed.clamp {
            Some(Clamp::RaisedToLower) => fl!("wage-raised", lower = period.base_lower.to_string()),
            Some(Clamp::LoweredToUpper) => {
                fl!("wage-lowered", upper = period.base_upper.to_string())
            }
            None => String::new(),
        };
        (assessed.base.to_string(), clamp)
    }

    pub fn subscription(&self) -> Subscription<Message> {
        drafting::form_keys().map(Message::Key)
    }

    pub fn view(&self) -> Element<'_, Message> {
        if self.loading {
            return text(fl!("page-loading")).into();
        }
        if let Some(panel) = &self.import {
            return panel.view().map(Message::Import);
        }
        let rows = self.rows();
        let columns = [
            Column::new(fl!("drafting-name"), 80),
            Column::new(fl!("drafting-document-no"), 160),
            Column::new(fl!("wage-last"), 90),
            Column::new(fl!("wage-typed"), 110),
            Column::new(fl!("wage-base"), 90),
            Column::new(fl!("wage-clamp"), 150),
            Column::new(fl!("wage-change"), 70),
            Column::new(fl!("drafting-problems"), Length::Fill),
        ];
        let cells = |row: usize| -> Vec<Element<'_, Message>> {
            let index = rows[row];
            let person = &self.roster[index];
            let typed = &self.wages[index];
            let (base, clamp) = self.assessment(typed);
            let change = change_percent(person.wage.as_deref(), typed)
                .map(|c| format!("{c:+.1}%"))
                .unwrap_or_default();
            vec![
                text(person.name.clone()).into(),
                text(drafting::masked(&person.document_no)).into(),
                text(person.wage.clone().unwrap_or_else(|| "—".into())).into(),
                text_input("", typed)
                    .on_input(move |v| Message::Wage(index, v))
                    .on_submit(Message::Save)
                    .size(13)
                    .into(),
                text(base).into(),
                text(clamp).style(text::warning).into(),
                text(change).into(),
                text(self.errors.get(&index).cloned().unwrap_or_default())
                    .style(text::danger)
                    .into(),
            ]
        };
        let limits = Month::parse(&drafting::this_period())
            .ok()
            .and_then(|m| self.reference.as_ref()?.period_at(m))
            .map(|p| {
                fl!(
                    "wage-limits",
                    period = drafting::this_period(),
                    lower = p.base_lower.to_string(),
                    upper = p.base_upper.to_string()
                )
            })
            .unwrap_or_else(|| fl!("drafting-no-reference"));
        let source = match self.source {
            RosterSource::Cached => fl!("roster-cached"),
            RosterSource::Fresh => fl!("roster-fresh"),
            RosterSource::Offline => fl!("roster-offline"),
        };
        let controls = row![
            text(fl!("wage-year")),
            text_input("YYYY", &self.year)
                .on_input(Message::Year)
                .width(70),
            checkbox(self.only_changed)
                .label(fl!("wage-only-changed"))
                .on_toggle(Message::OnlyChanged),
            text_input("20", &self.threshold)
                .on_input(Message::Threshold)
                .width(50),
            text("%"),
            button(text(fl!("drafting-save")))
                .on_press_maybe((!self.busy).then_some(Message::Save)),
            button(text(fl!("hire-import"))).on_press(Message::OpenImport),
            button(text(fl!("page-close")))
                .style(button::secondary)
                .on_press(Message::Close),
        ]
        .spacing(10)
        .align_y(iced::Alignment::Center);
        let status = column![
            text(limits).size(13),
            text(fl!("wage-last-source")).size(13),
            text(source).size(13),
            text(fl!(
                "wage-shown",
                shown = rows.len(),
                total = self.roster.len()
            ))
            .size(13),
            self.notice.as_ref().map(|n| text(n.clone())),
            self.failure
                .as_ref()
                .map(|f| text(f.message()).style(text::danger)),
        ]
        .spacing(4);
        column![
            controls,
            status,
            table::table(
                &columns,
                rows.len(),
                &self.table,
                cells,
                Message::Scrolled,
                None,
            )
        ]
        .spacing(10)
        .into()
    }
}

pub(crate) async fn load(session: Session) -> Result<Box<Loaded>, Failure> {
    off_thread(move || {
        let store = session.store();
        Ok(Box::new(Loaded {
            reference: drafting::reference(&store)?,
            roster: store.roster_people()?,
            drafts: store.drafts(Some(KIND))?,
        }))
    })
    .await
}

#[cfg(test)]
#[path = "wage_tests.rs"]
mod tests;
