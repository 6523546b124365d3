//! From the store's rows to shebao-print's papers: the one place that knows both, for the
//! command line (`shebao print`) and the window alike. Everything here reads; nothing writes.
//!
//! [`print`] is the one call a caller needs: it blocks on the store and on rendering (a
//! fraction of a second for 1,000 people), so the window runs it off its thread.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde_json::Value;
use shebao_core::declaration::{DeclarationKind, Items, PERSON_FIELDS, UNIT_FIELDS};
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_core::state::DeclarationState as CoreState;
use shebao_print::{
    Before, DeclarationForm, DeclarationRef, Paper, Person, PersonRecord, PrintError, PrintFont,
    Printed, Printing, Receipt, ReceiptLine, Unit, Verdict,
};
use shebao_store::{Declaration, DeclarationId, Store, StoreError};

/// Why a paper cannot be made from what the store holds.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PaperError {
    #[error(transparent)]
    Store(Arc<StoreError>),
    #[error(transparent)]
    Print(#[from] PrintError),
    #[error("没有{}的草稿可打印", .0.label())]
    NoDrafts(DeclarationKind),
    #[error(
        "申报 {0} 是在其他电脑上提交的，本机没有它的明细，无法打印申报表；请在提交它的电脑上打印"
    )]
    ItemsElsewhere(DeclarationId),
    #[error("申报 {0} 尚未处理完毕（{1}），还没有回执")]
    NotFinished(DeclarationId, &'static str),
    #[error("本机保存的申报 {id} 内容无法读取：{message}")]
    Damaged { id: DeclarationId, message: String },
    #[error("{}的草稿无法读取：{message}", .kind.label())]
    DraftsDamaged {
        kind: DeclarationKind,
        message: String,
    },
}

impl From<StoreError> for PaperError {
    fn from(e: StoreError) -> Self {
        PaperError::Store(Arc::new(e))
    }
}

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperRequest {
    /// The form of a queued or sent declaration (its local id).
    Form(DeclarationId),
    /// The receipt of a processed declaration.
    Receipt(DeclarationId),
    /// The drafts of a kind, one form per period.
    Drafts(DeclarationKind),
}

/// Prints what `request` names from `store`, with the print font and the cached reference
/// data; `printed_at` is the time the footers show.
pub fn print(
    store: &Store,
    request: PaperRequest,
    signatory: Signatory,
    printed_at: NaiveDateTime,
) -> Result<Printed, PaperError> {
    let papers = match request {
        PaperRequest::Form(id) => vec![Paper::Form(declaration_form(store, id, signatory)?)],
        PaperRequest::Receipt(id) => vec![Paper::Receipt(receipt(store, id)?)],
        PaperRequest::Drafts(kind) => draft_forms(store, kind, signatory)?
            .into_iter()
            .map(Paper::Form)
            .collect(),
    };
    let reference = reference(store)?;
    let printing = Printing {
        font: PrintFont::shared()?,
        reference: reference.as_ref(),
        printed_at,
    };
    Ok(printing.render(&papers)?)
}

/// 经办人 and 联系电话 as the clerk gave them; the unit's contact from its record otherwise.
#[derive(Debug, Clone, Default)]
pub struct Signatory {
    pub clerk: Option<String>,
    pub phone: Option<String>,
}

/// The cached reference data, for the names of codes and the base limits.
pub fn reference(store: &Store) -> Result<Option<ReferenceData>, PaperError> {
    Ok(store
        .reference()?
        .and_then(|(_, body)| ReferenceData::from_json(&body.to_string()).ok()))
}

/// The form of a queued or sent declaration.
pub fn declaration_form(
    store: &Store,
    id: DeclarationId,
    signatory: Signatory,
) -> Result<DeclarationForm, PaperError> {
    let d = store.declaration(id)?;
    let mut values = Vec::new();
    for item in store.declaration_items(id)? {
        values.push(item.item.ok_or(PaperError::ItemsElsewhere(id))?);
    }
    let items = items(d.kind, values).map_err(|message| PaperError::Damaged { id, message })?;
    let declaration = Some(DeclarationRef {
        key: d.idempotency_key.clone(),
        agency_id: d.remote_id.clone(),
    });
    form(store, d.kind, period(&d)?, items, declaration, signatory)
}

/// The forms of the drafts of `kind`, one per period, in the order queuing will send them.
pub fn draft_forms(
    store: &Store,
    kind: DeclarationKind,
    signatory: Signatory,
) -> Result<Vec<DeclarationForm>, PaperError> {
    let mut by_period: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for draft in store.drafts(Some(kind))? {
        by_period.entry(draft.period).or_default().push(draft.item);
    }
    if by_period.is_empty() {
        return Err(PaperError::NoDrafts(kind));
    }
    by_period
        .into_iter()
        .map(|(period, values)| {
            let damaged = |message| PaperError::DraftsDamaged { kind, message };
            let period = Month::parse(&period).map_err(|e| damaged(e.to_string()))?;
            let items = items(kind, values).map_err(damaged)?;
            form(store, kind, period, items, None, signatory.clone())
        })
        .collect()
}

/// The receipt of a processed declaration.
pub fn receipt(store: &Store, id: DeclarationId) -> Result<Receipt, PaperError> {
    let d = store.declaration(id)?;
    let state = CoreState::parse(d.state.as_str(), d.viewed);
    let (Some(CoreState::Finished { outcome, .. }), Some(agency_id)) = (state, d.remote_id.clone())
    else {
        let label = state.map_or("?", CoreState::label);
        return Err(PaperError::NotFinished(id, label));
    };
    let results = store.declaration_items(id)?;
    // Who each item is about, where this computer has the item.
    let people: Vec<Option<Person>> = results
        .iter()
        .map(|r| {
            let item = r.item.clone()?;
            Person::of_items(&items(d.kind, vec![item]).ok()?)
                .pop()
                .flatten()
        })
        .collect();
    let lines = results
        .into_iter()
        .zip(people)
        .map(|(r, person)| ReceiptLine {
            line: u32::try_from(r.line).unwrap_or(u32::MAX),
            person,
            verdict: match r.accepted {
                Some(true) => Verdict::Accepted,
                Some(false) => Verdict::Refused,
                None => Verdict::Pending,
            },
            reason: r.reason,
        })
        .collect();
    Ok(Receipt {
        unit: unit(store)?,
        key: d.idempotency_key.clone(),
        agency_id,
        kind: d.kind,
        period: period(&d)?,
        received_at: d.submitted_at.as_deref().and_then(time),
        // The store keeps when this computer learnt of the outcome, not when the agency
        // processed it; the receipt says so rather than print the wrong time.
        processed_at: None,
        outcome,
        lines,
    })
}

/// The local declaration queued with idempotency key `key` (any case: a QR code carries it in
/// capitals), if this store has it.
pub fn declaration_by_key(store: &Store, key: &str) -> Result<Option<Declaration>, PaperError> {
    Ok(store
        .declarations(None)?
        .into_iter()
        .find(|d| d.idempotency_key.eq_ignore_ascii_case(key)))
}

fn period(d: &Declaration) -> Result<Month, PaperError> {
    Month::parse(&d.period).map_err(|e| PaperError::Damaged {
        id: d.id,
        message: e.to_string(),
    })
}

fn time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

fn items(kind: DeclarationKind, values: Vec<Value>) -> Result<Items, String> {
    Items::from_json(kind, &Value::Array(values).to_string()).map_err(|e| e.to_string())
}

fn text(record: &Value, key: &str) -> Option<String> {
    record
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn unit(store: &Store) -> Result<Unit, PaperError> {
    let record = store.unit_record()?.unwrap_or(Value::Null);
    Ok(Unit {
        number: store.unit_no().to_owned(),
        name: store
            .unit_name()?
            .or_else(|| text(&record, "name"))
            .unwrap_or_default(),
        credit_code: text(&record, "uscc").unwrap_or_default(),
    })
}

fn form(
    store: &Store,
    kind: DeclarationKind,
    period: Month,
    items: Items,
    declaration: Option<DeclarationRef>,
    signatory: Signatory,
) -> Result<DeclarationForm, PaperError> {
    let record = store.unit_record()?.unwrap_or(Value::Null);
    let mut before = Before::default();
    match kind {
        DeclarationKind::UnitChange => {
            before.unit = UNIT_FIELDS
                .iter()
                .filter_map(|(f, _)| Some(((*f).to_owned(), text(&record, f)?)))
                .collect();
        }
        DeclarationKind::PersonChange => {
            for person in store.roster()? {
                let Some(number) = text(&person, "document_no") else {
                    continue;
                };
                let fields = PERSON_FIELDS
                    .iter()
                    .filter_map(|(f, _)| Some(((*f).to_owned(), text(&person, f)?)))
                    .collect();
                let name = text(&person, "name").unwrap_or_default();
                before
                    .people
                    .insert(number.to_uppercase(), PersonRecord { name, fields });
            }
        }
        _ => {}
    }
    Ok(DeclarationForm {
        unit: unit(store)?,
        declaration,
        period,
        items,
        clerk: signatory.clerk.or_else(|| text(&record, "contact_person")),
        phone: signatory.phone.or_else(|| text(&record, "contact_phone")),
        before,
    })
}
