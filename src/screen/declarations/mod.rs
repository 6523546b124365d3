//! 申报查询: every declaration of the unit, narrowed by the home page's six states, kind,
//! period and a name or ID number. The store reads all of them once into an index off the UI
//! thread; each change of a filter scans that index in memory, which stays well under a frame
//! for 100,000 declarations. Opening one shows its items with the agency's verdicts and marks
//! a finished one viewed (查阅), here and at the agency (or at the next sync when offline).

mod detail;
pub mod labels;

use std::sync::Arc;

use iced::keyboard::{self, key::Named};
use iced::widget::{button, column, pick_list, row, scrollable, text, text_input};
use iced::{Alignment, Element, Length, Subscription, Task};
use shebao_core::state::HomeBucket;
use shebao_store::{DeclarationFilter, DeclarationIndex, DeclarationKind, DraftId, ItemResult};
use shebao_sync::{SyncEngine, block_on};

use self::detail::Detail;
use self::labels::{BucketChoice, KindChoice};
use super::failure::Failure;
use super::function::Function;
use super::page::Action;
use super::person_history::{self, PersonHistory};
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::table::{Column, TableState, table};

/// What became of the viewed mark when a declaration was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewed {
    /// Not finished, or viewed before.
    Unchanged,
    /// Marked here and the agency was told.
    Told,
    /// Marked here; the agency is told at the next sync.
    Queued,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Arc<DeclarationIndex>, Failure>),
    Bucket(BucketChoice),
    Kind(KindChoice),
    Period(String),
    Search(String),
    Scrolled(scrollable::Viewport),
    Selected(usize),
    /// Arrow keys and Enter in the list.
    Key(keyboard::Key),
    Opened(Result<(Vec<ItemResult>, Viewed), Failure>),
    ItemsScrolled(scrollable::Viewport),
    ItemSelected(usize),
    BackToList,
    /// Show the history of the person with this document number.
    History(String),
    HistoryPage(person_history::Message),
    /// Declare the refused item on this line again.
    Correct(u64),
    Corrected(Result<(DraftId, DeclarationKind), Failure>),
    Close,
}

pub struct Declarations {
    session: Session,
    /// `None` while being read.
    index: Option<Result<Arc<DeclarationIndex>, Failure>>,
    filter: DeclarationFilter,
    /// Positions in the index of the declarations that pass the filter.
    shown: Vec<usize>,
    table: TableState,
    detail: Option<Detail>,
    history: Option<PersonHistory>,
}

impl Declarations {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        Self::filtered(session, None)
    }

    /// The list narrowed to one of the home page's six rows, as clicking the row opens it.
    pub fn filtered(session: Session, bucket: Option<HomeBucket>) -> (Self, Task<Message>) {
        let page = Self {
            session,
            index: None,
            filter: DeclarationFilter {
                bucket,
                ..Default::default()
            },
            shown: Vec::new(),
            table: TableState::default(),
            detail: None,
            history: None,
        };
        let task = page.load();
        (page, task)
    }

    fn load(&self) -> Task<Message> {
        let job = self.session.clone();
        Task::perform(
            off_thread(move || Ok(Arc::new(job.store().declaration_index()?))),
            Message::Loaded,
        )
    }

    fn refilter(&mut self) -> Task<Message> {
        self.shown = match &self.index {
            Some(Ok(index)) => index.filter(&self.filter),
            _ => Vec::new(),
        };
        self.table.reset()
    }

    fn row_at(&self, position: usize) -> Option<&shebao_store::DeclarationRow> {
        let index = self.index.as_ref()?.as_ref().ok()?;
        index.rows().get(*self.shown.get(position)?)
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(index) => {
                self.index = Some(index);
                let keep = self.table.selected;
                let task = self.refilter();
                self.table.selected = keep.filter(|&i| i < self.shown.len());
                Action::Run(task)
            }
            Message::Bucket(choice) => {
                self.filter.bucket = choice.0;
                Action::Run(self.refilter())
            }
            Message::Kind(choice) => {
                self.filter.kind = choice.0;
                Action::Run(self.refilter())
            }
            Message::Period(period) => {
                self.filter.period = period;
                Action::Run(self.refilter())
            }
            Message::Search(search) => {
                self.filter.text = search;
                Action::Run(self.refilter())
            }
            Message::Scrolled(viewport) => {
                self.table.scrolled(viewport);
                Action::None
            }
            Message::Selected(position) => self.open(position),
            Message::Key(key) => self.key(key),
            Message::Opened(opened) => {
                let Some(detail) = &mut self.detail else {
                    return Action::None;
                };
                match opened {
                    Ok((items, viewed)) => {
                        detail.items = Some(Ok(items));
                        detail.notice = match viewed {
                            Viewed::Unchanged => None,
                            Viewed::Told => Some(fl!("query-viewed-told")),
                            Viewed::Queued => Some(fl!("query-viewed-queued")),
                        };
                        if viewed != Viewed::Unchanged {
                            detail.row.viewed = true;
                            let id = detail.row.id;
                            if let Some(Ok(index)) = &mut self.index {
                                Arc::make_mut(index).set_viewed(id);
                            }
                            // A bucket filter may no longer hold it; the home page recounts.
                            self.shown = match &self.index {
                                Some(Ok(index)) => index.filter(&self.filter),
                                _ => Vec::new(),
                            };
                            return Action::StoreChanged;
                        }
                    }
                    Err(Failure::LoginRequired) => return Action::LoginRequired,
                    Err(failure) => detail.items = Some(Err(failure)),
                }
                Action::None
            }
            Message::ItemsScrolled(viewport) => {
                if let Some(detail) = &mut self.detail {
                    detail.table.scrolled(viewport);
                }
                Action::None
            }
            Message::ItemSelected(line) => {
                if let Some(detail) = &mut self.detail {
                    detail.table.selected = Some(line);
                }
                Action::None
            }
            Message::BackToList => {
                self.detail = None;
                Action::None
            }
            Message::History(document_no) => {
                let (history, task) = person_history::open(self.session.clone(), document_no);
                self.history = Some(history);
                Action::Run(task.map(Message::HistoryPage))
            }
            Message::HistoryPage(message) => {
                let Some(history) = &mut self.history else {
                    return Action::None;
                };
                match history.update(message) {
                    // Back from the history is back to the declaration it was opened from.
                    Action::Close => {
                        self.history = None;
                        Action::None
                    }
                    other => other.map(Message::HistoryPage),
                }
            }
            Message::Correct(line) => {
                let Some(detail) = &self.detail else {
                    return Action::None;
                };
                let id = detail.row.id;
                let job = self.session.clone();
                Action::Run(Task::perform(
                    off_thread(move || Ok(job.store().draft_from_refused_item(id, line)?)),
                    Message::Corrected,
                ))
            }
            Message::Corrected(Ok((_, kind))) => Action::Open(function_of(kind)),
            Message::Corrected(Err(failure)) => {
                if let Some(detail) = &mut self.detail {
                    detail.problem = Some(failure.message());
                }
                Action::None
            }
            Message::Close => Action::Close,
        }
    }

    fn open(&mut self, position: usize) -> Action<Message> {
        let Some(row) = self.row_at(position).cloned() else {
            return Action::None;
        };
        self.table.selected = Some(position);
        let job = self.session.clone();
        let finished_unviewed = row.state.is_finished() && !row.viewed;
        let id = row.id;
        self.detail = Some(Detail::new(row));
        Action::Run(Task::perform(
            off_thread(move || open_declaration(&job, id, finished_unviewed)),
            Message::Opened,
        ))
    }

    fn key(&mut self, key: keyboard::Key) -> Action<Message> {
        if self.detail.is_some() || self.history.is_some() || self.shown.is_empty() {
            return Action::None;
        }
        let last = self.shown.len() - 1;
        let current = self.table.selected;
        let next = match key {
            keyboard::Key::Named(Named::ArrowDown) => current.map_or(0, |i| (i + 1).min(last)),
            keyboard::Key::Named(Named::ArrowUp) => current.map_or(0, |i| i.saturating_sub(1)),
            keyboard::Key::Named(Named::Enter) => {
                return current.map_or(Action::None, |i| self.open(i));
            }
            _ => return Action::None,
        };
        Action::Run(self.table.select(next))
    }

    pub fn subscription(&self) -> Subscription<Message> {
        keyboard::listen().filter_map(|event| match event {
            keyboard::Event::KeyPressed { key, .. } => Some(Message::Key(key)),
            _ => None,
        })
    }

    pub fn view(&self) -> Element<'_, Message> {
        if let Some(history) = &self.history {
            return history.view().map(Message::HistoryPage);
        }
        if let Some(detail) = &self.detail {
            return detail.view();
        }
        let filters = row![
            pick_list(
                BucketChoice::all(),
                Some(BucketChoice(self.filter.bucket)),
                Message::Bucket
            ),
            pick_list(
                KindChoice::all(),
                Some(KindChoice(self.filter.kind)),
                Message::Kind
            ),
            text_input(&fl!("query-period-placeholder"), &self.filter.period)
                .on_input(Message::Period)
                .width(130),
            text_input(&fl!("query-search-placeholder"), &self.filter.text)
                .on_input(Message::Search)
                .width(Length::Fill),
            button(text(fl!("page-close"))).on_press(Message::Close),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let body: Element<'_, Message> = match &self.index {
            None => text(fl!("page-loading")).into(),
            Some(Err(failure)) => text(failure.message()).style(text::danger).into(),
            Some(Ok(index)) => column![
                text(fl!(
                    "query-count",
                    shown = self.shown.len(),
                    total = index.len()
                ))
                .size(13),
                self.list(index),
            ]
            .spacing(6)
            .into(),
        };
        column![filters, body].spacing(12).into()
    }

    fn list<'a>(&'a self, index: &'a DeclarationIndex) -> Element<'a, Message> {
        let columns = [
            Column::new(fl!("query-col-kind"), 120),
            Column::new(fl!("query-col-period"), 80),
            Column::new(fl!("query-col-people"), 160),
            Column::new(fl!("query-col-items"), 110),
            Column::new(fl!("query-col-state"), 170),
            Column::new(fl!("query-col-created"), Length::Fill),
        ];
        table(
            &columns,
            self.shown.len(),
            &self.table,
            move |i| {
                let row = &index.rows()[self.shown[i]];
                let items = if row.failed_items > 0 {
                    fl!(
                        "query-items-failed",
                        items = row.item_count,
                        failed = row.failed_items
                    )
                } else {
                    row.item_count.to_string()
                };
                vec![
                    text(labels::kind(row.kind)).into(),
                    text(row.period.clone()).into(),
                    text(row.first_person.clone().unwrap_or_default()).into(),
                    text(items).into(),
                    text(labels::state(row.core_state())).into(),
                    text(
                        row.created_at
                            .get(..16)
                            .unwrap_or(&row.created_at)
                            .replace('T', " "),
                    )
                    .into(),
                ]
            },
            Message::Scrolled,
            Some(Message::Selected),
        )
    }
}

/// Read a declaration's items and, when it is finished and not yet viewed, mark it viewed here
/// and tell the agency; offline, the mark waits for the next sync.
fn open_declaration(
    session: &Session,
    id: shebao_store::DeclarationId,
    mark: bool,
) -> Result<(Vec<ItemResult>, Viewed), Failure> {
    let mut store = session.store();
    let items = store.declaration_items(id)?;
    if !mark {
        return Ok((items, Viewed::Unchanged));
    }
    store.mark_viewed(id)?;
    let engine = SyncEngine::new(session.client().clone());
    let viewed = match block_on(engine.push_viewed(&mut store))? {
        Ok(_) => Viewed::Told,
        Err(shebao_sync::SyncError::LoginRequired) => return Err(Failure::LoginRequired),
        Err(e) => {
            tracing::info!(error = %e, "the viewed mark waits for the next sync");
            Viewed::Queued
        }
    };
    Ok((items, viewed))
}

/// The entry page where a draft of `kind` is corrected.
pub fn function_of(kind: DeclarationKind) -> Function {
    match kind {
        DeclarationKind::Hire => Function::Hire,
        DeclarationKind::Leave => Function::Leave,
        DeclarationKind::Wage => Function::Wage,
        DeclarationKind::UnitChange => Function::UnitChange,
        DeclarationKind::PersonChange => Function::PersonChange,
    }
}

#[cfg(test)]
mod tests;
