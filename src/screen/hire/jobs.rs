//! The hire page's jobs off the UI thread: reading the drafts and the reference data, saving
//! and deleting a draft, and looking a person up for 职工续保.

use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;
use shebao_core::declaration::HireItem;
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_store::{DeclarationKind, DraftId, NewDraft, Store};
use shebao_sync::block_on;

use super::form::{Lookup, Mode};
use super::table::DraftRow;
use crate::screen::failure::Failure;
use crate::screen::session::{Session, off_thread};

/// What the page needs before it can show anything.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub reference: Arc<ReferenceData>,
    /// No usable reference data is cached yet: the demo tables stand in, and the page says so.
    pub demo_reference: bool,
    pub rows: Vec<DraftRow>,
    /// The month new drafts are declared for.
    pub period: Month,
    pub today: NaiveDate,
}

/// The cached reference data, or the demo data when none is cached (or it no longer parses).
pub fn reference_of(store: &Store) -> Result<(Arc<ReferenceData>, bool), Failure> {
    let cached = store
        .reference()?
        .and_then(|(_, body)| ReferenceData::from_json(&body.to_string()).ok());
    Ok(match cached {
        Some(reference) => (Arc::new(reference), false),
        None => (Arc::new(ReferenceData::demo()), true),
    })
}

/// The rows of every hire draft in `store`.
pub fn rows_of(
    store: &Store,
    reference: &ReferenceData,
    today: NaiveDate,
) -> Result<Vec<DraftRow>, Failure> {
    Ok(store
        .hire_drafts()?
        .iter()
        .map(|draft| DraftRow::of_draft(draft, reference, today))
        .collect())
}

pub async fn load(session: Session) -> Result<Box<Loaded>, Failure> {
    off_thread(move || {
        let today = chrono::Local::now().date_naive();
        let store = session.store();
        let (reference, demo_reference) = reference_of(&store)?;
        let rows = rows_of(&store, &reference, today)?;
        Ok(Box::new(Loaded {
            reference,
            demo_reference,
            rows,
            period: Month::of(today),
            today,
        }))
    })
    .await
}

/// What 保存 asks of the store.
#[derive(Debug, Clone)]
pub struct Save {
    pub mode: Mode,
    pub period: Month,
    pub item: HireItem,
    pub reference: Arc<ReferenceData>,
    pub today: NaiveDate,
}

/// Store the draft (new, or over the one being edited); the answer is its row, on disk.
pub async fn save(session: Session, save: Save) -> Result<Box<DraftRow>, Failure> {
    off_thread(move || {
        let item = serde_json::to_value(&save.item)
            .map_err(|e| Failure::Other(format!("无法保存增员信息：{e}")))?;
        let mut store = session.store();
        let (id, period) = match save.mode {
            Mode::Edit(id) => {
                store.update_draft(id, &item)?;
                (id, store.draft(id)?.period)
            }
            Mode::New | Mode::Resume => {
                let period = save.period.to_string();
                let id = store.save_draft(&NewDraft {
                    kind: DeclarationKind::Hire,
                    period: period.clone(),
                    item,
                })?;
                (id, period)
            }
        };
        Ok(Box::new(DraftRow::of(
            id,
            &period,
            &save.item,
            &[],
            &save.reference,
            save.today,
        )))
    })
    .await
}

/// The item of a draft, for 修改一行.
pub async fn read(session: Session, id: DraftId) -> Result<Box<(DraftId, HireItem)>, Failure> {
    off_thread(move || {
        let draft = session.store().draft(id)?;
        let item = serde_json::from_value(draft.item).unwrap_or_default();
        Ok(Box::new((id, item)))
    })
    .await
}

pub async fn delete(session: Session, id: DraftId) -> Result<DraftId, Failure> {
    off_thread(move || {
        session.store().delete_draft(id)?;
        Ok(id)
    })
    .await
}

/// 职工续保: ask the agency what it knows of the person; when it cannot be reached, the
/// cached roster may know them (a person the unit insured before).
/// What a 职工续保 look-up found for `number`.
#[derive(Debug, Clone)]
pub struct Found {
    pub number: String,
    pub person: Option<Value>,
    pub lookup: Lookup,
}

pub async fn look_up(session: Session, number: String) -> Result<Box<Found>, Failure> {
    off_thread(move || {
        let found = |person, lookup| {
            Ok(Box::new(Found {
                number: number.clone(),
                person,
                lookup,
            }))
        };
        let asked = block_on(session.client().person(&number))?;
        let failure = match asked {
            Ok(Some(person)) => return found(Some(person), Lookup::FoundAtAgency),
            Ok(None) => return found(None, Lookup::NotFound),
            Err(e) => Failure::from(e),
        };
        // Whatever kept the agency from answering, the roster may know the person.
        if let Some(person) = session.store().roster_person(&number)? {
            return found(Some(person), Lookup::FoundInRoster);
        }
        match failure {
            Failure::LoginRequired => Err(Failure::LoginRequired),
            other => found(None, Lookup::Failed(other.message())),
        }
    })
    .await
}
