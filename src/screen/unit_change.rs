//! 单位信息变更: the unit's record as the agency holds it (cached in the store, refreshed when
//! the agency answers), each field beside an input holding its value; the fields the clerk
//! changed become one unit-change draft, checked by shebao-core. A unit has at most one such
//! draft: opening the page again continues it.

use std::collections::BTreeMap;

use iced::widget::{button, column, row, scrollable, text, text_input};
use iced::{Element, Length, Subscription, Task};
use serde_json::Value;
use shebao_core::declaration::{UNIT_FIELDS, UnitChangeItem};
use shebao_core::reference::ReferenceData;
use shebao_store::{DeclarationKind, Draft, DraftId};
use shebao_sync::{SyncError, block_on};

use super::drafting::{self, DraftWrite, FormKey};
use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;

const KIND: DeclarationKind = DeclarationKind::UnitChange;

#[derive(Debug, Clone)]
pub struct Loaded {
    pub reference: Option<ReferenceData>,
    /// The cached record, `None` before the first sync brought it.
    pub record: Option<Value>,
    pub draft: Option<Draft>,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// Boxed: the reference data is large, and messages travel by value.
    Loaded(Result<Box<Loaded>, Failure>),
    /// The agency's record (`None`: offline, the cached one stays).
    Refreshed(Result<Option<Value>, Failure>),
    Edit(&'static str, String),
    Save,
    Saved(Result<Vec<Draft>, Failure>),
    /// Give up the changes: delete the draft.
    Discard,
    Discarded(Result<Vec<Draft>, Failure>),
    Key(FormKey),
    Close,
}

pub struct UnitChange {
    session: Session,
    loading: bool,
    reference: Option<ReferenceData>,
    /// The record's values by wire field name.
    current: BTreeMap<&'static str, String>,
    /// What the inputs hold.
    edits: BTreeMap<&'static str, String>,
    /// The unit's unsubmitted change, if there is one.
    draft: Option<DraftId>,
    errors: BTreeMap<String, String>,
    notice: Option<String>,
    failure: Option<Failure>,
    offline: bool,
    busy: bool,
}

/// The label of a unit field.
fn label(field: &str) -> String {
    match field {
        "name" => fl!("unit-change-name"),
        "uscc" => fl!("unit-change-uscc"),
        "address" => fl!("unit-change-address"),
        "postal_code" => fl!("unit-change-postal-code"),
        "legal_representative" => fl!("unit-change-legal-representative"),
        "contact_person" => fl!("unit-change-contact-person"),
        "contact_phone" => fl!("unit-change-contact-phone"),
        "bank_name" => fl!("unit-change-bank-name"),
        "bank_account" => fl!("unit-change-bank-account"),
        other => other.to_owned(),
    }
}

impl UnitChange {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let task = Task::perform(load(session.clone()), Message::Loaded);
        let page = Self {
            session,
            loading: true,
            reference: None,
            current: BTreeMap::new(),
            edits: BTreeMap::new(),
            draft: None,
            errors: BTreeMap::new(),
            notice: None,
            failure: None,
            offline: false,
            busy: false,
        };
        (page, task)
    }

    fn show(&mut self, record: Option<&Value>, draft: Option<&Draft>) {
        self.current = UNIT_FIELDS
            .iter()
            .map(|(field, _)| {
                let value = record
                    .and_then(|r| r.get(*field))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                (*field, value.to_owned())
            })
            .collect();
        self.edits = self.current.clone();
        if let Some(draft) = draft {
            self.draft = Some(draft.id);
            let changes = draft.item.get("changes").and_then(Value::as_object);
            for (field, value) in changes.into_iter().flatten() {
                if let (Some(slot), Some(value)) = (
                    self.edits.get_mut(field.as_str()),
                    value.as_str().map(str::to_owned),
                ) {
                    *slot = value;
                }
            }
        }
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(Ok(loaded)) => {
                self.loading = false;
                self.reference = loaded.reference;
                self.show(loaded.record.as_ref(), loaded.draft.as_ref());
                // The clerk's edits are kept when the fresh record arrives only if no draft
                // holds them yet; a fresh record under a draft would hide what changed.
                if self.draft.is_none() {
                    let job = refresh(self.session.clone());
                    return Action::Run(Task::perform(job, Message::Refreshed));
                }
            }
            Message::Refreshed(Ok(Some(record))) => {
                if self.edits == self.current {
                    self.show(Some(&record), None);
                }
            }
            Message::Refreshed(Ok(None)) => self.offline = true,
            Message::Loaded(Err(failure)) | Message::Refreshed(Err(failure)) => {
                self.loading = false;
                if matches!(failure, Failure::LoginRequired) {
                    return Action::LoginRequired;
                }
                self.failure = Some(failure);
            }
            Message::Edit(field, value) => {
                self.edits.insert(field, value);
            }
            Message::Save => return self.save(),
            Message::Saved(Ok(drafts)) | Message::Discarded(Ok(drafts)) => {
                self.busy = false;
                self.draft = drafts.first().map(|d| d.id);
                if self.draft.is_none() {
                    self.edits = self.current.clone();
                    self.notice = Some(fl!("unit-change-discarded"));
                }
                return Action::StoreChanged;
            }
            Message::Saved(Err(failure)) | Message::Discarded(Err(failure)) => {
                self.busy = false;
                self.notice = None;
                self.failure = Some(failure);
            }
            Message::Discard => {
                let Some(id) = self.draft else {
                    self.edits = self.current.clone();
                    return Action::None;
                };
                self.busy = true;
                let job = drafting::delete_draft(self.session.clone(), KIND, id);
                return Action::Run(Task::perform(job, Message::Discarded));
            }
            Message::Key(FormKey::Escape) | Message::Close => return Action::Close,
            Message::Key(key) => return Action::Run(key.focus()),
        }
        Action::None
    }

    /// The fields whose input differs from the record.
    fn changes(&self) -> UnitChangeItem {
        UnitChangeItem {
            changes: self
                .edits
                .iter()
                .filter(|(field, value)| {
                    value.trim() != self.current.get(*field).map_or("", |c| c.trim())
                })
                .map(|(field, value)| ((*field).to_owned(), value.trim().to_owned()))
                .collect(),
        }
    }

    fn save(&mut self) -> Action<Message> {
        self.errors.clear();
        self.notice = None;
        self.failure = None;
        let Some(reference) = &self.reference else {
            self.failure = Some(Failure::Other(fl!("drafting-no-reference")));
            return Action::None;
        };
        let period = drafting::this_period();
        let item = self.changes();
        let problems = item.validate(&drafting::context(reference, &period));
        self.errors = drafting::field_messages(&problems);
        if !self.errors.is_empty() {
            return Action::None;
        }
        let item = match serde_json::to_value(&item) {
            Ok(item) => item,
            Err(e) => {
                self.failure = Some(Failure::Other(e.to_string()));
                return Action::None;
            }
        };
        self.busy = true;
        self.notice = Some(fl!("unit-change-saved"));
        let write = DraftWrite {
            id: self.draft,
            item,
        };
        let job = drafting::save_drafts(self.session.clone(), KIND, period, vec![write]);
        Action::Run(Task::perform(job, Message::Saved))
    }

    pub fn subscription(&self) -> Subscription<Message> {
        drafting::form_keys().map(Message::Key)
    }

    pub fn view(&self) -> Element<'_, Message> {
        if self.loading {
            return text(fl!("page-loading")).into();
        }
        let labels: Vec<(&'static str, String)> = UNIT_FIELDS
            .iter()
            .map(|(field, _)| (*field, label(field)))
            .collect();
        let header = row![
            text(fl!("unit-change-field")).width(crate::widget::field::LABEL_WIDTH),
            text(fl!("unit-change-current")).width(260),
            text(fl!("unit-change-new")).width(Length::Fill),
        ]
        .spacing(10);
        let mut form = column![header].spacing(8);
        for (field, label) in labels {
            let current = self.current.get(field).cloned().unwrap_or_default();
            let value = self.edits.get(field).map_or("", String::as_str);
            let input = text_input(&current, value)
                .on_input(move |v| Message::Edit(field, v))
                .on_submit(Message::Save)
                .width(300);
            let changed = value.trim() != current.trim();
            let error = self
                .errors
                .get(&format!("changes.{field}"))
                .map(String::as_str);
            let line = row![
                text(current.clone()).width(260),
                drafting::field_line(label, false, input, error),
                changed.then(|| text(fl!("unit-change-changed")).size(13)),
            ]
            .spacing(10);
            form = form.push(line);
        }
        let whole = self
            .errors
            .get("changes")
            .map(|e| text(e.clone()).style(text::danger));
        let status = column![
            whole,
            self.notice.as_ref().map(|n| text(n.clone())),
            self.failure
                .as_ref()
                .map(|f| text(f.message()).style(text::danger)),
            self.offline.then(|| text(fl!("unit-change-offline"))),
            self.current
                .values()
                .all(String::is_empty)
                .then(|| text(fl!("unit-change-no-record")).style(text::danger)),
            self.draft.map(|_| text(fl!("unit-change-has-draft"))),
        ]
        .spacing(4);
        let buttons = row![
            button(text(fl!("drafting-save")))
                .on_press_maybe((!self.busy).then_some(Message::Save)),
            button(text(fl!("unit-change-discard")))
                .style(button::secondary)
                .on_press_maybe((!self.busy).then_some(Message::Discard)),
            button(text(fl!("page-close")))
                .style(button::secondary)
                .on_press(Message::Close),
        ]
        .spacing(10);
        scrollable(column![form, status, buttons].spacing(12)).into()
    }
}

pub(crate) async fn load(session: Session) -> Result<Box<Loaded>, Failure> {
    off_thread(move || {
        let store = session.store();
        Ok(Box::new(Loaded {
            reference: drafting::reference(&store)?,
            record: store.unit_record()?,
            draft: store.drafts(Some(KIND))?.into_iter().next(),
        }))
    })
    .await
}

/// Ask the agency for the unit's record and keep it; `Ok(None)` when offline.
async fn refresh(session: Session) -> Result<Option<Value>, Failure> {
    off_thread(move || match block_on(session.client().unit())? {
        Ok(record) => {
            session.store().save_unit_record(&record)?;
            Ok(Some(record))
        }
        Err(e) if e.is_transient() => Ok(None),
        Err(SyncError::LoginRequired) => Err(Failure::LoginRequired),
        Err(e) => Err(e.into()),
    })
    .await
}

#[cfg(test)]
mod tests {
    use iced::futures::executor::block_on;
    use iced_test::simulator;
    use serde_json::json;

    use super::*;
    use crate::screen::testing;

    fn page(data: &std::path::Path) -> UnitChange {
        let (session, _readers) = testing::offline_session(data);
        {
            let mut store = session.store();
            let reference: Value = serde_json::from_str(ReferenceData::demo_json()).unwrap();
            store.save_reference("demo", &reference).unwrap();
            store
                .save_unit_record(&json!({
                    "unit_no": testing::UNIT_NO, "name": testing::UNIT_NAME,
                    "uscc": "91350100M000100Y43", "address": "福州市鼓楼区五四路 1 号",
                    "postal_code": "350001", "legal_representative": "陈明",
                    "contact_person": "林芳", "contact_phone": "0591-87654321",
                    "bank_name": "中国工商银行福州分行", "bank_account": "1402020109000012345"
                }))
                .unwrap();
        }
        let (mut page, _) = UnitChange::new(session.clone());
        let _ = page.update(Message::Loaded(block_on(load(session))));
        page
    }

    #[test]
    fn the_current_values_are_shown_and_saving_nothing_changed_is_refused() {
        let data = tempfile::tempdir().unwrap();
        let mut page = page(data.path());
        let mut ui = simulator(page.view());
        assert!(ui.find("福州市鼓楼区五四路 1 号").is_ok());
        assert!(ui.find("0591-87654321").is_ok());
        ui.click(fl!("drafting-save").as_str()).unwrap();
        for message in ui.into_messages() {
            let _ = page.update(message);
        }
        let refusal = page.errors["changes"].clone();
        assert!(simulator(page.view()).find(refusal.as_str()).is_ok());
    }

    #[test]
    fn a_bad_postal_code_is_refused_beside_its_field_and_a_good_change_saves_one_draft() {
        let data = tempfile::tempdir().unwrap();
        let mut page = page(data.path());
        let _ = page.update(Message::Edit("postal_code", "3500".into()));
        assert!(matches!(page.update(Message::Save), Action::None));
        let message = page.errors["changes.postal_code"].clone();
        assert!(simulator(page.view()).find(message.as_str()).is_ok());

        let _ = page.update(Message::Edit("postal_code", "350002".into()));
        let _ = page.update(Message::Edit("contact_person", "黄强".into()));
        assert!(matches!(page.update(Message::Save), Action::Run(_)));
        let item = serde_json::to_value(page.changes()).unwrap();
        assert_eq!(
            item,
            json!({"changes": {"contact_person": "黄强", "postal_code": "350002"}})
        );
        let saved = block_on(drafting::save_drafts(
            page.session.clone(),
            KIND,
            "2026-11".into(),
            vec![DraftWrite { id: None, item }],
        ));
        assert!(matches!(
            page.update(Message::Saved(saved)),
            Action::StoreChanged
        ));
        assert!(
            simulator(page.view())
                .find(fl!("unit-change-has-draft").as_str())
                .is_ok()
        );

        // Opened again, the page continues the draft rather than starting another.
        let session = page.session.clone();
        let (mut again, _) = UnitChange::new(session.clone());
        let _ = again.update(Message::Loaded(block_on(load(session))));
        assert_eq!(again.edits["contact_person"], "黄强");
        assert_eq!(again.draft, page.draft);
    }
}
