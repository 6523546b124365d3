//! What the declaration pages (leave, wage, unit change, person change) share: the reference
//! data and roster they read from the store, the roster refreshed from the agency when it
//! answers, saving and deleting drafts, and turning shebao-core's problems into the messages
//! beside each field. The rules themselves stay in shebao-core.

use std::collections::BTreeMap;
use std::fmt;

use iced::Element;
use shebao_core::month::Month;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_core::validate::{Context, Problem};
use shebao_store::{DeclarationKind, Draft, DraftId, NewDraft, RosterPerson, Store};
use shebao_sync::{SyncEngine, SyncError, block_on};

use super::failure::Failure;
use super::session::{Session, off_thread};

/// One entry of a code table, as a pick list offers it ("21 离职").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChoice {
    pub code: String,
    pub name: String,
}

impl fmt::Display for CodeChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

/// The entries of `table`, empty without reference data.
pub fn choices(reference: Option<&ReferenceData>, table: CodeTable) -> Vec<CodeChoice> {
    reference.map_or_else(Vec::new, |r| {
        r.codes(table)
            .map(|(code, name)| CodeChoice {
                code: code.to_owned(),
                name: name.to_owned(),
            })
            .collect()
    })
}

/// The name of a code for a list, or the code itself when the table does not know it.
pub fn code_name(reference: Option<&ReferenceData>, table: CodeTable, code: &str) -> String {
    reference
        .and_then(|r| r.name_of(table, code))
        .map_or_else(|| code.to_owned(), str::to_owned)
}

/// The cached reference data, `None` before the first sync brought it.
pub fn reference(store: &Store) -> Result<Option<ReferenceData>, Failure> {
    let Some((_, body)) = store.reference()? else {
        return Ok(None);
    };
    ReferenceData::from_json(&body.to_string())
        .map(Some)
        .map_err(|e| Failure::Other(format!("本机保存的参考数据无法使用：{e}；请刷新后再试。")))
}

/// Today, as the rules judge dates in the future.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The period new drafts are declared for: this month.
pub fn this_period() -> String {
    shebao_store::this_month()
}

/// The context shebao-core's rules need for a draft of `period`.
pub fn context<'a>(reference: &'a ReferenceData, period: &str) -> Context<'a> {
    let today = today();
    Context {
        reference,
        today,
        period: Month::parse(period).unwrap_or_else(|_| Month::of(today)),
    }
}

/// The first error of each field, for the message beside it (warnings do not stop a save).
pub fn field_messages(problems: &[Problem]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in problems.iter().filter(|p| p.is_error()) {
        out.entry(p.field.to_string())
            .or_insert_with(|| p.message.clone());
    }
    out
}

pub use crate::widget::roster_picker::masked;

/// A form line whose label is built at run time (the [`Field`] widget borrows its label):
/// the label with `*` when required, the input, and the error beside it.
///
/// [`Field`]: crate::widget::Field
pub fn field_line<'a, M: 'a>(
    label: String,
    required: bool,
    input: impl Into<Element<'a, M>>,
    error: Option<&'a str>,
) -> Element<'a, M> {
    use iced::widget::{row, text};
    let label = if required {
        format!("* {label}")
    } else {
        label
    };
    row![
        text(label).width(crate::widget::field::LABEL_WIDTH),
        input.into()
    ]
    .push(error.map(|e| text(e).size(13).style(text::danger)))
    .spacing(10)
    .align_y(iced::Alignment::Center)
    .into()
}

/// Ask the agency for the roster and keep it in the store; offline, the stored copy stays.
/// `Ok(None)` means offline.
pub async fn refresh_roster(session: Session) -> Result<Option<Vec<RosterPerson>>, Failure> {
    off_thread(move || {
        let engine = SyncEngine::new(session.client().clone());
        let mut store = session.store();
        match block_on(engine.pull_roster(&mut store))? {
            Ok(_) => Ok(Some(store.roster_people()?)),
            Err(e) if e.is_transient() => Ok(None),
            Err(SyncError::LoginRequired) => Err(Failure::LoginRequired),
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// A draft to write: a new one, or the replacement of an existing one's item.
#[derive(Debug, Clone)]
pub struct DraftWrite {
    pub id: Option<DraftId>,
    pub item: serde_json::Value,
}

/// Save the drafts of one kind and period in one go (new ones in one transaction); returns the
/// drafts of `kind` as they now are.
pub async fn save_drafts(
    session: Session,
    kind: DeclarationKind,
    period: String,
    writes: Vec<DraftWrite>,
) -> Result<Vec<Draft>, Failure> {
    off_thread(move || {
        let mut store = session.store();
        let mut new = Vec::new();
        for write in writes {
            match write.id {
                Some(id) => store.update_draft(id, &write.item)?,
                None => new.push(NewDraft {
                    kind,
                    period: period.clone(),
                    item: write.item,
                }),
            }
        }
        store.save_drafts(&new)?;
        Ok(store.drafts(Some(kind))?)
    })
    .await
}

/// Delete a draft; returns the drafts of `kind` left.
pub async fn delete_draft(
    session: Session,
    kind: DeclarationKind,
    id: DraftId,
) -> Result<Vec<Draft>, Failure> {
    off_thread(move || {
        let mut store = session.store();
        store.delete_draft(id)?;
        Ok(store.drafts(Some(kind))?)
    })
    .await
}

/// A text field of a draft's item.
pub fn item_text<'a>(draft: &'a Draft, key: &str) -> &'a str {
    draft
        .item
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
}

/// The sentences of a draft's problems, for its row in a list.
pub fn problem_line(draft: &Draft) -> String {
    draft
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

/// The keys the forms answer besides typing: Tab and Shift+Tab move between fields, Esc
/// closes (Enter is each field's `on_submit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    Next,
    Previous,
    Escape,
}

impl FormKey {
    /// The task that moves the focus, for Tab and Shift+Tab.
    pub fn focus<M: Send + 'static>(self) -> iced::Task<M> {
        match self {
            FormKey::Next => iced::widget::operation::focus_next(),
            FormKey::Previous => iced::widget::operation::focus_previous(),
            FormKey::Escape => iced::Task::none(),
        }
    }
}

/// Tab, Shift+Tab and Esc pressed where no widget took them.
pub fn form_keys() -> iced::Subscription<FormKey> {
    use iced::keyboard::{Event, Key, key::Named};
    iced::keyboard::listen().filter_map(|event| match event {
        Event::KeyPressed {
            key: Key::Named(Named::Tab),
            modifiers,
            ..
        } => Some(if modifiers.shift() {
            FormKey::Previous
        } else {
            FormKey::Next
        }),
        Event::KeyPressed {
            key: Key::Named(Named::Escape),
            ..
        } => Some(FormKey::Escape),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_errors_go_beside_the_fields() {
        let reference = ReferenceData::demo();
        let ctx = context(&reference, "2026-11");
        let item = shebao_core::declaration::LeaveItem::default();
        let messages = field_messages(&item.validate(&ctx));
        assert!(messages.contains_key("reason"));
        assert!(messages.contains_key("left_on"));
    }
}
