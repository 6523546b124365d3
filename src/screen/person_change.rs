//! 人员信息变更: pick one person from the roster, see what the roster holds of them, and type
//! the new values of the fields to change; the changes become one person-change draft, checked
//! by shebao-core. The person's unsubmitted change is continued, not doubled.

use std::collections::BTreeMap;

use iced::widget::{button, column, container, pick_list, row, scrollable, text, text_input};
use iced::{Element, Length, Subscription, Task};
use serde_json::Value;
use shebao_core::declaration::PersonChangeItem;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_store::{DeclarationKind, Draft, RosterPerson};

use super::drafting::{self, CodeChoice, DraftWrite, FormKey};
use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::roster_picker::{self, RosterPicker, RosterSource};
use crate::widget::table::{self, Column, TableState};

const KIND: DeclarationKind = DeclarationKind::PersonChange;

/// The fields typed as text; the others are picked from a code table.
const TEXT_FIELDS: [&str; 3] = ["name", "phone", "address"];
const CODE_FIELDS: [(&str, CodeTable); 3] = [
    ("ethnicity", CodeTable::Ethnicities),
    ("household_type", CodeTable::HouseholdTypes),
    ("employment_form", CodeTable::EmploymentForms),
];

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
    Picker(roster_picker::Message),
    Text(&'static str, String),
    Code(&'static str, CodeChoice),
    Save,
    Saved(Result<Vec<Draft>, Failure>),
    DraftsScrolled(scrollable::Viewport),
    DraftSelected(usize),
    Edit,
    Delete,
    Deleted(Result<Vec<Draft>, Failure>),
    Key(FormKey),
    Close,
}

pub struct PersonChange {
    session: Session,
    loading: bool,
    reference: Option<ReferenceData>,
    picker: RosterPicker,
    /// The new values typed or picked, by wire field name.
    values: BTreeMap<&'static str, String>,
    errors: BTreeMap<String, String>,
    drafts: Vec<Draft>,
    drafts_table: TableState,
    notice: Option<String>,
    failure: Option<Failure>,
    busy: bool,
}

fn label(field: &str) -> String {
    match field {
        "name" => fl!("person-change-name"),
        "ethnicity" => fl!("person-change-ethnicity"),
        "household_type" => fl!("person-change-household-type"),
        "employment_form" => fl!("person-change-employment-form"),
        "phone" => fl!("person-change-phone"),
        "address" => fl!("person-change-address"),
        other => other.to_owned(),
    }
}

impl PersonChange {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let task = Task::perform(load(session.clone()), Message::Loaded);
        let page = Self {
            session,
            loading: true,
            reference: None,
            picker: RosterPicker::single(),
            values: BTreeMap::new(),
            errors: BTreeMap::new(),
            drafts: Vec::new(),
            drafts_table: TableState::default(),
            notice: None,
            failure: None,
            busy: false,
        };
        (page, task)
    }

    fn person(&self) -> Option<RosterPerson> {
        self.picker.picked().into_iter().next()
    }

    fn draft_of(&self, document_no: &str) -> Option<&Draft> {
        self.drafts
            .iter()
            .find(|d| drafting::item_text(d, "document_no") == document_no)
    }

    /// Put a person's unsubmitted change (if any) into the form.
    fn show_draft(&mut self, document_no: &str) {
        let changes: BTreeMap<&'static str, String> = self
            .draft_of(document_no)
            .and_then(|d| d.item.get("changes").and_then(Value::as_object).cloned())
            .into_iter()
            .flatten()
            .filter_map(|(field, value)| {
                let field = TEXT_FIELDS
                    .into_iter()
                    .chain(CODE_FIELDS.map(|(f, _)| f))
                    .find(|f| *f == field)?;
                Some((field, value.as_str()?.to_owned()))
            })
            .collect();
        self.values = changes;
        self.errors.clear();
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(Ok(loaded)) => {
                self.loading = false;
                self.reference = loaded.reference;
                self.drafts = loaded.drafts;
                self.picker.set_roster(loaded.roster, RosterSource::Cached);
                let job = drafting::refresh_roster(self.session.clone());
                return Action::Run(Task::perform(job, Message::RosterRefreshed));
            }
            Message::RosterRefreshed(Ok(Some(roster))) => {
                self.picker.set_roster(roster, RosterSource::Fresh);
            }
            Message::RosterRefreshed(Ok(None)) => self.picker.source = RosterSource::Offline,
            Message::Loaded(Err(failure)) | Message::RosterRefreshed(Err(failure)) => {
                self.loading = false;
                if matches!(failure, Failure::LoginRequired) {
                    return Action::LoginRequired;
                }
                self.failure = Some(failure);
            }
            Message::Picker(message) => {
                let task = self.picker.update(message);
                let picked = self.person().map(|p| p.document_no);
                match picked {
                    Some(no) => self.show_draft(&no),
                    None => self.values.clear(),
                }
                self.notice = None;
                return Action::Run(task.map(Message::Picker));
            }
            Message::Text(field, value) => {
                self.values.insert(field, value);
            }
            Message::Code(field, choice) => {
                self.values.insert(field, choice.code);
            }
            Message::Save => return self.save(),
            Message::Saved(Ok(drafts)) | Message::Deleted(Ok(drafts)) => {
                self.busy = false;
                self.drafts = drafts;
                self.drafts_table.selected = None;
                self.values.clear();
                self.picker.clear_picks();
                return Action::StoreChanged;
            }
            Message::Saved(Err(failure)) | Message::Deleted(Err(failure)) => {
                self.busy = false;
                self.notice = None;
                self.failure = Some(failure);
            }
            Message::DraftsScrolled(viewport) => self.drafts_table.scrolled(viewport),
            Message::DraftSelected(index) => self.drafts_table.selected = Some(index),
            Message::Edit => {
                let Some(draft) = self.selected_draft().cloned() else {
                    return Action::None;
                };
                let no = drafting::item_text(&draft, "document_no").to_owned();
                let person = self
                    .picker
                    .roster()
                    .iter()
                    .find(|p| p.document_no == no)
                    .cloned()
                    .unwrap_or_else(|| RosterPerson {
                        document_type: drafting::item_text(&draft, "document_type").to_owned(),
                        document_no: no.clone(),
                        name: String::new(),
                        wage: None,
                        insured_from: None,
                    });
                self.picker.pick_only(person);
                self.show_draft(&no);
            }
            Message::Delete => {
                let Some(id) = self.selected_draft().map(|d| d.id) else {
                    return Action::None;
                };
                self.busy = true;
                let job = drafting::delete_draft(self.session.clone(), KIND, id);
                return Action::Run(Task::perform(job, Message::Deleted));
            }
            Message::Key(FormKey::Escape) => {
                if self.person().is_some() {
                    self.picker.clear_picks();
                    self.values.clear();
                    self.errors.clear();
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
        self.drafts_table.selected.and_then(|i| self.drafts.get(i))
    }

    fn save(&mut self) -> Action<Message> {
        let Some((period, write)) = self.checked_write() else {
            return Action::None;
        };
        self.busy = true;
        let job = drafting::save_drafts(self.session.clone(), KIND, period, vec![write]);
        Action::Run(Task::perform(job, Message::Saved))
    }

    /// The draft for the picked person's changes, checked by shebao-core.
    fn checked_write(&mut self) -> Option<(String, DraftWrite)> {
        self.errors.clear();
        self.notice = None;
        self.failure = None;
        let Some(reference) = &self.reference else {
            self.failure = Some(Failure::Other(fl!("drafting-no-reference")));
            return None;
        };
        let Some(person) = self.person() else {
            self.errors
                .insert("document_no".into(), fl!("person-change-pick-someone"));
            return None;
        };
        // A field left empty, or holding what the roster already says, is not a change.
        let changes = self
            .values
            .iter()
            .filter(|(field, value)| {
                let unchanged_name = **field == "name" && value.trim() == person.name;
                !value.trim().is_empty() && !unchanged_name
            })
            .map(|(field, value)| ((*field).to_owned(), value.trim().to_owned()))
            .collect();
        let item = PersonChangeItem {
            document_type: person.document_type.clone(),
            document_no: person.document_no.clone(),
            changes,
        };
        let period = drafting::this_period();
        let problems = item.validate(&drafting::context(reference, &period));
        self.errors = drafting::field_messages(&problems);
        if !self.errors.is_empty() {
            return None;
        }
        let value = match serde_json::to_value(&item) {
            Ok(value) => value,
            Err(e) => {
                self.failure = Some(Failure::Other(e.to_string()));
                return None;
            }
        };
        self.notice = Some(fl!("person-change-saved", name = person.name.clone()));
        let id = self.draft_of(&person.document_no).map(|d| d.id);
        Some((period, DraftWrite { id, item: value }))
    }

    pub fn subscription(&self) -> Subscription<Message> {
        drafting::form_keys().map(Message::Key)
    }

    pub fn view(&self) -> Element<'_, Message> {
        if self.loading {
            return text(fl!("page-loading")).into();
        }
        let top = row![
            container(self.picker.view().map(Message::Picker)).width(Length::FillPortion(1)),
            container(self.form()).width(Length::FillPortion(1)),
        ]
        .spacing(20)
        .height(Length::FillPortion(3));
        column![top, self.drafts_view().height(Length::FillPortion(2))]
            .spacing(10)
            .into()
    }

    fn form(&self) -> Element<'_, Message> {
        let error = |field: &str| self.errors.get(field).map(String::as_str);
        let Some(person) = self.person() else {
            return column![
                text(fl!("person-change-pick-someone")),
                error("document_no").map(|e| text(e.to_owned()).style(text::danger)),
                self.notice.as_ref().map(|n| text(n.clone())),
                button(text(fl!("page-close")))
                    .style(button::secondary)
                    .on_press(Message::Close),
            ]
            .spacing(8)
            .into();
        };
        let mut form = column![
            text(fl!(
                "person-change-person",
                name = person.name.clone(),
                number = drafting::masked(&person.document_no)
            )),
            text(fl!("person-change-hint")).size(13),
        ]
        .spacing(8);
        for field in TEXT_FIELDS {
            let current = if field == "name" {
                person.name.clone()
            } else {
                String::new()
            };
            let value = self.values.get(field).map_or("", String::as_str);
            let input = text_input(&current, value)
                .on_input(move |v| Message::Text(field, v))
                .on_submit(Message::Save)
                .width(260);
            let key = format!("changes.{field}");
            form = form.push(drafting::field_line(
                label(field),
                false,
                input,
                self.errors.get(&key).map(String::as_str),
            ));
        }
        for (field, table) in CODE_FIELDS {
            let choices = drafting::choices(self.reference.as_ref(), table);
            let selected = self
                .values
                .get(field)
                .and_then(|code| choices.iter().find(|c| &c.code == code).cloned());
            let input = pick_list(choices, selected, move |c| Message::Code(field, c))
                .placeholder(fl!("person-change-unchanged"))
                .width(260);
            let key = format!("changes.{field}");
            form = form.push(drafting::field_line(
                label(field),
                false,
                input,
                self.errors.get(&key).map(String::as_str),
            ));
        }
        let whole = self
            .errors
            .get("changes")
            .or_else(|| self.errors.get("document_no"));
        column![
            form,
            whole.map(|e| text(e.clone()).style(text::danger)),
            self.notice.as_ref().map(|n| text(n.clone())),
            self.failure
                .as_ref()
                .map(|f| text(f.message()).style(text::danger)),
            row![
                button(text(fl!("drafting-save")))
                    .on_press_maybe((!self.busy).then_some(Message::Save)),
                button(text(fl!("page-close")))
                    .style(button::secondary)
                    .on_press(Message::Close),
            ]
            .spacing(10),
        ]
        .spacing(8)
        .into()
    }

    fn drafts_view(&self) -> iced::widget::Column<'_, Message> {
        let columns = [
            Column::new(fl!("drafting-name"), 90),
            Column::new(fl!("drafting-document-no"), 170),
            Column::new(fl!("person-change-changes"), 300),
            Column::new(fl!("drafting-problems"), Length::Fill),
        ];
        let cells = |index: usize| -> Vec<Element<'_, Message>> {
            let d = &self.drafts[index];
            let changes = d
                .item
                .get("changes")
                .and_then(Value::as_object)
                .map(|c| {
                    c.iter()
                        .map(|(f, v)| format!("{}：{}", label(f), v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join("，")
                })
                .unwrap_or_default();
            // The item names the person by number only (the contract's shape); the name comes
            // from the roster.
            let number = drafting::item_text(d, "document_no");
            let name = self
                .picker
                .roster()
                .iter()
                .find(|p| p.document_no == number)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            vec![
                text(name).into(),
                text(drafting::masked(drafting::item_text(d, "document_no"))).into(),
                text(changes).into(),
                text(drafting::problem_line(d)).style(text::danger).into(),
            ]
        };
        let selected = self.selected_draft().is_some() && !self.busy;
        column![
            row![
                text(fl!("person-change-drafts", count = self.drafts.len())).width(Length::Fill),
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
mod tests {
    use iced::futures::executor::block_on;
    use iced_test::simulator;

    use super::*;
    use crate::screen::testing;

    fn page(data: &std::path::Path) -> PersonChange {
        let (session, _readers) = testing::offline_session(data);
        {
            let mut store = session.store();
            let reference: Value = serde_json::from_str(ReferenceData::demo_json()).unwrap();
            store.save_reference("demo", &reference).unwrap();
            store
                .replace_roster(&crate::screen::leave::tests::roster())
                .unwrap();
        }
        let (mut page, _) = PersonChange::new(session.clone());
        let _ = page.update(Message::Loaded(block_on(load(session))));
        page
    }

    fn save(page: &mut PersonChange) -> Action<Message> {
        match page.checked_write() {
            Some((period, write)) => {
                let saved = block_on(drafting::save_drafts(
                    page.session.clone(),
                    KIND,
                    period,
                    vec![write],
                ));
                page.update(Message::Saved(saved))
            }
            None => Action::None,
        }
    }

    #[test]
    fn a_picked_person_with_nothing_changed_cannot_be_saved() {
        let data = tempfile::tempdir().unwrap();
        let mut page = page(data.path());
        assert!(matches!(save(&mut page), Action::None));
        let _ = page.update(Message::Picker(roster_picker::Message::Toggle(0)));
        let mut ui = simulator(page.view());
        assert!(ui.find("110105********002X").is_ok());
        drop(ui);
        assert!(matches!(save(&mut page), Action::None));
        let refusal = page.errors["changes"].clone();
        assert!(simulator(page.view()).find(refusal.as_str()).is_ok());
    }

    #[test]
    fn a_bad_phone_is_refused_and_a_good_change_is_saved_edited_and_deleted() {
        let data = tempfile::tempdir().unwrap();
        let mut page = page(data.path());
        let _ = page.update(Message::Picker(roster_picker::Message::Toggle(1)));
        let _ = page.update(Message::Text("phone", "12".into()));
        assert!(matches!(save(&mut page), Action::None));
        let message = page.errors["changes.phone"].clone();
        assert!(simulator(page.view()).find(message.as_str()).is_ok());

        let _ = page.update(Message::Text("phone", "13800138000".into()));
        let household =
            drafting::choices(Some(&ReferenceData::demo()), CodeTable::HouseholdTypes).remove(0);
        let _ = page.update(Message::Code("household_type", household.clone()));
        assert!(matches!(save(&mut page), Action::StoreChanged));
        let mut ui = simulator(page.view());
        assert!(
            ui.find(fl!("person-change-drafts", count = 1).as_str())
                .is_ok()
        );
        assert!(ui.find("李四").is_ok());
        drop(ui);

        // Edit: the change comes back; a new phone replaces it in the same draft.
        let _ = page.update(Message::DraftSelected(0));
        let _ = page.update(Message::Edit);
        assert_eq!(page.values["phone"], "13800138000");
        assert_eq!(page.values["household_type"], household.code);
        let _ = page.update(Message::Text("phone", "13900139000".into()));
        save(&mut page);
        let drafts = page.session.store().drafts(Some(KIND)).unwrap();
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].item["changes"]["phone"], "13900139000");

        let _ = page.update(Message::DraftSelected(0));
        assert!(matches!(page.update(Message::Delete), Action::Run(_)));
        let left = block_on(drafting::delete_draft(
            page.session.clone(),
            KIND,
            drafts[0].id,
        ));
        let _ = page.update(Message::Deleted(left));
        assert!(page.session.store().drafts(Some(KIND)).unwrap().is_empty());
    }
}
