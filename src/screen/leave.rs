//! 在职减员: the clerk picks people from the unit's roster (searching by name or number,
//! several at once), gives the reason, the leave date and the stop month, and saves one leave
//! draft per person. The drafts not yet submitted are listed below, to edit or delete.

use std::collections::{BTreeMap, BTreeSet};

use iced::widget::{button, column, container, pick_list, row, scrollable, text, text_input};
use iced::{Element, Length, Subscription, Task};
use shebao_core::declaration::LeaveItem;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_store::{DeclarationKind, Draft, RosterPerson};

use super::drafting::{self, CodeChoice, DraftWrite, FormKey};
use super::failure::Failure;
use super::import::{self, ImportPanel};
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::roster_picker::{self, RosterPicker, RosterSource};
use crate::widget::table::{self, Column, TableState};

const KIND: DeclarationKind = DeclarationKind::Leave;

/// What the page reads from the store when it opens.
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
    /// The agency's roster (`None`: offline, the stored one stays).
    RosterRefreshed(Result<Option<Vec<RosterPerson>>, Failure>),
    Picker(roster_picker::Message),
    Reason(CodeChoice),
    LeftOn(String),
    StopMonth(String),
    Remarks(String),
    Save,
    Saved(Result<Vec<Draft>, Failure>),
    DraftsScrolled(scrollable::Viewport),
    DraftSelected(usize),
    Edit,
    Delete,
    Deleted(Result<Vec<Draft>, Failure>),
    /// Clear the form (and leave editing).
    Clear,
    Key(FormKey),
    /// 导入: the workbook import panel.
    OpenImport,
    Import(import::Message),
    /// Imported drafts were saved: the home page counts again.
    Imported,
    Close,
}

/// The fields of the form, as typed.
#[derive(Debug, Clone, Default)]
struct Form {
    reason: Option<CodeChoice>,
    left_on: String,
    stop_month: String,
    remarks: String,
}

pub struct Leave {
    session: Session,
    loading: bool,
    reference: Option<ReferenceData>,
    picker: RosterPicker,
    form: Form,
    /// The draft being edited, if the form holds one.
    editing: Option<shebao_store::DraftId>,
    /// Messages beside the fields, by wire field name.
    errors: BTreeMap<String, String>,
    /// Problems of the picked people themselves (their number or name), one line each.
    person_problems: Vec<String>,
    drafts: Vec<Draft>,
    drafts_table: TableState,
    notice: Option<String>,
    failure: Option<Failure>,
    busy: bool,
    /// The workbook import, when open, in place of the page's form.
    import: Option<ImportPanel>,
}

impl Leave {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let job = session.clone();
        let load = Task::perform(load(job), Message::Loaded);
        let page = Self {
            session,
            loading: true,
            reference: None,
            picker: RosterPicker::default(),
            form: Form::default(),
            editing: None,
            errors: BTreeMap::new(),
            person_problems: Vec::new(),
            drafts: Vec::new(),
            drafts_table: TableState::default(),
            notice: None,
            failure: None,
            busy: false,
            import: None,
        };
        (page, load)
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(Ok(loaded)) => {
                self.loading = false;
                self.reference = loaded.reference;
                self.picker.set_roster(loaded.roster, RosterSource::Cached);
                self.drafts = loaded.drafts;
                let refresh = drafting::refresh_roster(self.session.clone());
                return Action::Run(Task::perform(refresh, Message::RosterRefreshed));
            }
            Message::Loaded(Err(failure)) | Message::RosterRefreshed(Err(failure)) => {
                self.loading = false;
                if matches!(failure, Failure::LoginRequired) {
                    return Action::LoginRequired;
                }
                self.failure = Some(failure);
            }
            Message::RosterRefreshed(Ok(Some(roster))) => {
                self.picker.set_roster(roster, RosterSource::Fresh);
            }
            Message::RosterRefreshed(Ok(None)) => self.picker.source = RosterSource::Offline,
            Message::Picker(message) => {
                return Action::Run(self.picker.update(message).map(Message::Picker));
            }
            Message::Reason(choice) => self.form.reason = Some(choice),
            Message::LeftOn(value) => self.form.left_on = value,
            Message::StopMonth(value) => self.form.stop_month = value,
            Message::Remarks(value) => self.form.remarks = value,
            Message::Save => return self.save(),
            Message::Saved(Ok(drafts)) | Message::Deleted(Ok(drafts)) => {
                self.busy = false;
                self.drafts = drafts;
                self.drafts_table.selected = None;
                self.clear();
                return Action::StoreChanged;
            }
            Message::Saved(Err(failure)) | Message::Deleted(Err(failure)) => {
                self.busy = false;
                self.failure = Some(failure);
            }
            Message::DraftsScrolled(viewport) => self.drafts_table.scrolled(viewport),
            Message::DraftSelected(index) => self.drafts_table.selected = Some(index),
            Message::Edit => self.edit(),
            Message::Delete => {
                let Some(id) = self.selected_draft().map(|d| d.id) else {
                    return Action::None;
                };
                self.busy = true;
                let job = drafting::delete_draft(self.session.clone(), KIND, id);
                return Action::Run(Task::perform(job, Message::Deleted));
            }
            Message::Clear => self.clear(),
            Message::Imported => return Action::StoreChanged,
            Message::OpenImport => {
                self.import = Some(ImportPanel::new(shebao_store::DeclarationKind::Leave));
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
            Message::Key(FormKey::Escape) => {
                if self.editing.is_some() || !self.picker.picked().is_empty() {
                    self.clear();
                } else {
                    return Action::Close;
                }
            }
            Message::Key(key) => return Action::Run(key.focus()),
            Message::Close => return Action::Close,
        }
        Action::None
    }

    fn selected_draft(&self) -> Option<&Draft> {
        self.drafts_table
            .selected
            .and_then(|index| self.drafts.get(index))
    }

    fn clear(&mut self) {
        self.form = Form::default();
        self.editing = None;
        self.errors.clear();
        self.person_problems.clear();
        self.picker.clear_picks();
    }

    /// Put the selected draft in the form, its person picked.
    fn edit(&mut self) {
        let Some(draft) = self.selected_draft().cloned() else {
            return;
        };
        let text = |key: &str| drafting::item_text(&draft, key).to_owned();
        let reason = text("reason");
        self.form = Form {
            reason: drafting::choices(self.reference.as_ref(), CodeTable::LeaveReasons)
                .into_iter()
                .find(|c| c.code == reason),
            left_on: text("left_on"),
            stop_month: text("stop_month"),
            remarks: text("remarks"),
        };
        self.picker.pick_only(RosterPerson {
            document_type: text("document_type"),
            document_no: text("document_no"),
            name: text("name"),
            wage: None,
            insured_from: None,
        });
        self.editing = Some(draft.id);
        self.errors.clear();
        self.person_problems.clear();
        self.notice = None;
    }

    fn save(&mut self) -> Action<Message> {
        let Some((period, writes)) = self.checked_writes() else {
            return Action::None;
        };
        self.busy = true;
        let job = drafting::save_drafts(self.session.clone(), KIND, period, writes);
        Action::Run(Task::perform(job, Message::Saved))
    }

    /// Check every picked person's item with shebao-core: the drafts to write (and their
    /// period) when none has an error; otherwise the errors go beside their fields.
    fn checked_writes(&mut self) -> Option<(String, Vec<DraftWrite>)> {
        self.errors.clear();
        self.person_problems.clear();
        self.notice = None;
        self.failure = None;
        let Some(reference) = &self.reference else {
            self.failure = Some(Failure::Other(fl!("drafting-no-reference")));
            return None;
        };
        let picked = self.picker.picked();
        if picked.is_empty() {
            self.errors
                .insert("document_no".into(), fl!("leave-pick-someone"));
            return None;
        }
        let period = drafting::this_period();
        let ctx = drafting::context(reference, &period);
        let existing: BTreeMap<&str, shebao_store::DraftId> = self
            .drafts
            .iter()
            .map(|d| (drafting::item_text(d, "document_no"), d.id))
            .collect();
        let mut writes = Vec::new();
        let mut warnings = BTreeSet::new();
        for person in &picked {
            let item = LeaveItem {
                document_type: person.document_type.clone(),
                document_no: person.document_no.clone(),
                name: person.name.clone(),
                reason: self
                    .form
                    .reason
                    .as_ref()
                    .map(|c| c.code.clone())
                    .unwrap_or_default(),
                left_on: self.form.left_on.trim().to_owned(),
                stop_month: self.form.stop_month.trim().to_owned(),
                remarks: Some(self.form.remarks.trim().to_owned()).filter(|r| !r.is_empty()),
            };
            let problems = item.validate(&ctx);
            for p in &problems {
                let personal = matches!(&*p.field, "document_type" | "document_no" | "name");
                if personal && p.is_error() {
                    self.person_problems
                        .push(format!("{}：{}", person.name, p.message));
                } else if !p.is_error() {
                    warnings.insert(p.message.clone());
                }
            }
            for (field, message) in drafting::field_messages(&problems) {
                self.errors.entry(field).or_insert(message);
            }
            // Someone who already has a leave draft gets it replaced, not a second one.
            let id = self
                .editing
                .filter(|_| picked.len() == 1)
                .or_else(|| existing.get(person.document_no.as_str()).copied());
            match serde_json::to_value(&item) {
                Ok(item) => writes.push(DraftWrite { id, item }),
                Err(e) => self.failure = Some(Failure::Other(e.to_string())),
            }
        }
        if !self.errors.is_empty() || !self.person_problems.is_empty() || self.failure.is_some() {
            return None;
        }
        let saved = writes.len();
        let mut notice = fl!("leave-saved", count = saved);
        if !warnings.is_empty() {
            notice.push('\n');
            notice.push_str(&warnings.into_iter().collect::<Vec<_>>().join("\n"));
        }
        self.notice = Some(notice);
        Some((period, writes))
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
        let reasons = drafting::choices(self.reference.as_ref(), CodeTable::LeaveReasons);
        let error = |field: &str| self.errors.get(field).map(String::as_str);
        let reason = pick_list(reasons, self.form.reason.clone(), Message::Reason)
            .placeholder(fl!("leave-reason-placeholder"))
            .width(240);
        let left_on = text_input("YYYY-MM-DD", &self.form.left_on)
            .on_input(Message::LeftOn)
            .on_submit(Message::Save)
            .width(240);
        let stop_month = text_input("YYYY-MM", &self.form.stop_month)
            .on_input(Message::StopMonth)
            .on_submit(Message::Save)
            .width(240);
        let remarks = text_input("", &self.form.remarks)
            .on_input(Message::Remarks)
            .on_submit(Message::Save)
            .width(240);
        let save_label = if self.editing.is_some() {
            fl!("drafting-save-edit")
        } else {
            fl!("drafting-save")
        };
        let person_problems = column(
            self.person_problems
                .iter()
                .map(|p| text(p.clone()).style(text::danger).into()),
        );
        let form = column![
            text(fl!("leave-picked", count = self.picker.picked().len())),
            error("document_no").map(|e| text(e.to_owned()).style(text::danger)),
            person_problems,
            drafting::field_line(fl!("leave-reason"), true, reason, error("reason")),
            drafting::field_line(fl!("leave-left-on"), true, left_on, error("left_on")),
            drafting::field_line(
                fl!("leave-stop-month"),
                true,
                stop_month,
                error("stop_month")
            ),
            drafting::field_line(fl!("leave-remarks"), false, remarks, error("remarks")),
            row![
                button(text(save_label)).on_press_maybe((!self.busy).then_some(Message::Save)),
                button(text(fl!("drafting-clear")))
                    .style(button::secondary)
                    .on_press(Message::Clear),
                button(text(fl!("hire-import"))).on_press(Message::OpenImport),
                button(text(fl!("page-close")))
                    .style(button::secondary)
                    .on_press(Message::Close),
            ]
            .spacing(10),
        ]
        .spacing(8)
        .width(Length::FillPortion(1));
        let top = row![
            container(self.picker.view().map(Message::Picker)).width(Length::FillPortion(1)),
            form
        ]
        .spacing(20)
        .height(Length::FillPortion(3));
        column![
            top,
            self.status(),
            self.drafts_view().height(Length::FillPortion(2)),
        ]
        .spacing(10)
        .into()
    }

    fn status(&self) -> Element<'_, Message> {
        let mut lines = column![].spacing(4);
        if let Some(notice) = &self.notice {
            lines = lines.push(text(notice.clone()));
        }
        if let Some(failure) = &self.failure {
            lines = lines.push(text(failure.message()).style(text::danger));
        }
        if self.reference.is_none() {
            lines = lines.push(text(fl!("drafting-no-reference")).style(text::danger));
        }
        lines.into()
    }

    fn drafts_view(&self) -> iced::widget::Column<'_, Message> {
        let columns = [
            Column::new(fl!("drafting-name"), 90),
            Column::new(fl!("drafting-document-no"), 170),
            Column::new(fl!("leave-reason"), 90),
            Column::new(fl!("leave-left-on"), 100),
            Column::new(fl!("leave-stop-month"), 80),
            Column::new(fl!("drafting-problems"), Length::Fill),
        ];
        let reference = self.reference.as_ref();
        let cells = |index: usize| -> Vec<Element<'_, Message>> {
            let d = &self.drafts[index];
            let t = |k: &str| drafting::item_text(d, k).to_owned();
            vec![
                text(t("name")).into(),
                text(drafting::masked(&t("document_no"))).into(),
                text(drafting::code_name(
                    reference,
                    CodeTable::LeaveReasons,
                    &t("reason"),
                ))
                .into(),
                text(t("left_on")).into(),
                text(t("stop_month")).into(),
                text(drafting::problem_line(d)).style(text::danger).into(),
            ]
        };
        let selected = self.selected_draft().is_some() && !self.busy;
        column![
            row![
                text(fl!("leave-drafts", count = self.drafts.len())).width(Length::Fill),
                button(text(fl!("drafting-edit")))
                    .on_press_maybe(selected.then_some(Message::Edit)),
                button(text(fl!("drafting-delete")))
                    .style(button::danger)
                    .on_press_maybe(selected.then_some(Message::Delete)),
            ]
            .spacing(10),
            table::table(
                &columns,
                self.drafts.len(),
                &self.drafts_table,
                cells,
                Message::DraftsScrolled,
                Some(Message::DraftSelected),
            ),
        ]
        .spacing(6)
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
#[path = "leave_tests.rs"]
pub(crate) mod tests;
