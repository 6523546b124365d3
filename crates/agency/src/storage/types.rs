//! What the storage hands out and takes in, the same for every backend.

use serde::{Deserialize, Serialize};
use shebao_core::declaration::DeclarationKind;
use shebao_core::month::Month;
use shebao_core::state::DeclarationState;

use super::StorageError;

pub use crate::auth::card_key::CardKeyAlgorithm;

impl CardKeyAlgorithm {
    pub(crate) fn from_stored(name: &str) -> Result<CardKeyAlgorithm, StorageError> {
        CardKeyAlgorithm::parse(name)
            .ok_or_else(|| StorageError::Corrupt(format!("card key algorithm {name:?}")))
    }
}

/// A unit as stored, secrets included; never serialized whole.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: i64,
    pub record: UnitRecord,
    pub card_public_key: Vec<u8>,
    pub card_key_algorithm: CardKeyAlgorithm,
    pub password_hash: String,
    pub password_is_initial: bool,
    pub locked_until: Option<i64>,
}

/// The unit's public record: the body of `GET /unit`, and the fields a unit change may touch.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRecord {
    pub unit_no: String,
    pub name: String,
    pub uscc: String,
    pub address: String,
    pub postal_code: String,
    pub legal_representative: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub bank_name: String,
    pub bank_account: String,
}

/// The column of a field of [`UnitRecord`] that a unit-change declaration may set: one of the
/// fields `shebao-core` lets a clerk change, stored in the column of the same name. The unit
/// number is the agency's. The answer is core's own static name, never text from a request, so
/// it may be put into SQL.
pub fn changeable_column(field: &str) -> Option<&'static str> {
    shebao_core::declaration::UNIT_FIELDS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == field && *name != "unit_no")
        .filter(|name| name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
}

/// What the operator gives when opening a unit.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub unit_no: String,
    pub name: String,
    pub uscc: String,
    pub card_public_key: Vec<u8>,
    pub card_key_algorithm: CardKeyAlgorithm,
    pub password_hash: String,
}

/// A challenge handed out by `POST /login/challenge`.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub id: String,
    pub unit_no: String,
    pub nonce: Vec<u8>,
    pub captcha: String,
    pub expires_at: i64,
}

/// A session as stored: whose it is, when it was last used, and whether its unit still has to
/// change its initial password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredSession {
    pub unit_id: i64,
    pub last_used_at: i64,
    pub password_is_initial: bool,
}

/// What recording a failed login found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    /// Failures within the lockout window, this one included.
    pub count: u32,
    /// Set when this failure locked the unit.
    pub locked_until: Option<i64>,
}

/// A declaration's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub id: i64,
    pub unit_id: i64,
    pub idempotency_key: String,
    pub kind: DeclarationKind,
    pub period: Month,
    /// Where it stands at the agency (submitted, processing or finished, with the viewed flag).
    pub state: DeclarationState,
    pub item_count: i64,
    pub submitted_at: i64,
    pub updated_at: i64,
    pub change_seq: i64,
}

impl Declaration {
    /// Whether the agency has finished it.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, DeclarationState::Finished { .. })
    }

    /// The state that marking it viewed by `unit_id` writes: `Ok(None)` when it is marked
    /// already, the refusal when it is another unit's or not finished yet.
    pub fn marked_viewed(
        declaration: Option<Declaration>,
        unit_id: i64,
    ) -> Result<Option<(Declaration, DeclarationState)>, Viewing> {
        let declaration = declaration
            .filter(|d| d.unit_id == unit_id)
            .ok_or(Viewing::NotFound)?;
        let DeclarationState::Finished { outcome, viewed } = declaration.state else {
            return Err(Viewing::NotFinished);
        };
        let marked = DeclarationState::Finished {
            outcome,
            viewed: true,
        };
        Ok((!viewed).then_some((declaration, marked)))
    }
}

/// A declaration row as either backend reads it, before its text columns are checked.
#[derive(Debug, Clone)]
pub(crate) struct DeclarationRow {
    pub id: i64,
    pub unit_id: i64,
    pub idempotency_key: String,
    pub kind: String,
    pub period: String,
    pub state: String,
    pub viewed: bool,
    pub item_count: i64,
    pub submitted_at: i64,
    pub updated_at: i64,
    pub change_seq: i64,
}

impl DeclarationRow {
    /// The declaration, if its kind, period and state are ones the agency writes.
    pub fn checked(self) -> Result<Declaration, StorageError> {
        let kind = DeclarationKind::parse(&self.kind)
            .ok_or_else(|| StorageError::Corrupt(format!("declaration kind {:?}", self.kind)))?;
        let period = Month::parse(&self.period)
            .map_err(|_| StorageError::Corrupt(format!("month {:?}", self.period)))?;
        let state = DeclarationState::parse(&self.state, self.viewed)
            .filter(|s| !matches!(s, DeclarationState::Draft | DeclarationState::Queued))
            .ok_or_else(|| StorageError::Corrupt(format!("declaration state {:?}", self.state)))?;
        Ok(Declaration {
            id: self.id,
            unit_id: self.unit_id,
            idempotency_key: self.idempotency_key,
            kind,
            period,
            state,
            item_count: self.item_count,
            submitted_at: self.submitted_at,
            updated_at: self.updated_at,
            change_seq: self.change_seq,
        })
    }
}

/// A declaration as a unit hands it in, after validation.
#[derive(Debug, Clone)]
pub struct Submitting {
    pub unit_id: i64,
    pub idempotency_key: String,
    pub kind: DeclarationKind,
    pub period: Month,
    /// Each item's JSON, in the order of the declaration (line 1 first).
    pub items: Vec<String>,
    pub now: i64,
}

/// What became of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    Created(Declaration),
    /// A declaration with the same idempotency key already existed; nothing was stored.
    AlreadySubmitted(Declaration),
}

/// The verdict on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOutcome {
    Ok,
    Failed,
}

impl ItemOutcome {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemOutcome::Ok => "ok",
            ItemOutcome::Failed => "failed",
        }
    }

    pub(crate) fn from_stored(name: &str) -> Result<ItemOutcome, StorageError> {
        match name {
            "ok" => Ok(ItemOutcome::Ok),
            "failed" => Ok(ItemOutcome::Failed),
            other => Err(StorageError::Corrupt(format!("item outcome {other:?}"))),
        }
    }
}

/// One judged item of a declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedItem {
    pub line: i64,
    pub outcome: ItemOutcome,
    /// Why it failed (or a note on how it was accepted), for the clerk.
    pub reason: Option<String>,
}

/// One entry of the changes feed.
#[derive(Debug, Clone)]
pub struct Change {
    pub declaration: Declaration,
    /// Every item the agency has judged (finished declarations only).
    pub outcomes: Vec<JudgedItem>,
}

/// A page of the changes feed takes no further declaration once the item outcomes it carries
/// reach this many, so that a page of large declarations stays a reasonable size.
pub const MAX_OUTCOMES_PER_PAGE: usize = 50_000;

/// The declarations of a changes page, oldest change first, that fit in one page: the page
/// stops early rather than grow without bound, and the cursor resumes after it. A finished
/// declaration carries an outcome for each of its items.
pub fn fit_page(declarations: Vec<Declaration>) -> Vec<Declaration> {
    let mut outcomes_in_page = 0;
    declarations
        .into_iter()
        .take_while(|declaration| {
            let fits = outcomes_in_page < MAX_OUTCOMES_PER_PAGE;
            if declaration.is_finished() {
                outcomes_in_page += usize::try_from(declaration.item_count).unwrap_or(0);
            }
            fits
        })
        .collect()
}

/// What marking a declaration viewed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewing {
    Marked,
    /// Not a declaration of this unit (or none at all).
    NotFound,
    /// The agency has not finished it yet.
    NotFinished,
}

/// A person's document, in its canonical form (the type's code, the number as core writes it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonKey {
    pub document_type: String,
    pub document_no: String,
}

/// One insured person on a unit's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub document_type: String,
    pub document_no: String,
    pub name: String,
    pub declared_wage_fen: i64,
    pub insurance_types: Vec<String>,
    /// The month from which the person is insured here ("YYYY-MM").
    pub insured_from: String,
}

impl RosterEntry {
    pub fn key(&self) -> PersonKey {
        PersonKey {
            document_type: self.document_type.clone(),
            document_no: self.document_no.clone(),
        }
    }

    /// The insurance types as stored: a JSON array.
    pub(crate) fn stored_types(&self) -> String {
        serde_json::to_string(&self.insurance_types).unwrap_or_else(|_| "[]".into())
    }
}

pub(crate) fn types_from_stored(types: &str) -> Result<Vec<String>, StorageError> {
    serde_json::from_str(types)
        .map_err(|e| StorageError::Corrupt(format!("roster insurance types: {e}")))
}

/// What the agency knows of a person, whichever unit declared them: `details` is the JSON
/// object of the person's data as last declared (name, sex, birth date, household type…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub key: PersonKey,
    pub name: String,
    pub details: String,
}

/// One month and insurance type of a unit's dues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyDue {
    pub month: String,
    pub insurance_type: String,
    pub base_fen: i64,
    pub unit_share_fen: i64,
    pub personal_share_fen: i64,
    pub paid: bool,
}

/// An announcement to publish, with its attachments (name, content).
#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub title: String,
    pub body: String,
    pub attachments: Vec<(String, Vec<u8>)>,
    pub published_at: i64,
}

#[derive(Debug, Clone)]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub published_at: i64,
    /// Name and size in bytes of each attachment.
    pub attachments: Vec<(String, i64)>,
}

/// A whole unit to set up at once (the demo): written in one transaction or not at all.
#[derive(Debug, Clone)]
pub struct Seed {
    pub unit: NewUnit,
    /// Fields of the unit's record beyond those [`NewUnit`] sets: (column, value), each a
    /// [`changeable_column`].
    pub record: Vec<(&'static str, String)>,
    /// The roster, each person with what the agency knows of them.
    pub roster: Vec<(RosterEntry, PersonRecord)>,
    pub dues: Vec<MonthlyDue>,
    pub announcements: Vec<NewAnnouncement>,
    pub now: i64,
}

/// How many rows each kind of record has: what `migrate-to` checks, and what tests count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub units: i64,
    pub persons: i64,
    pub roster: i64,
    pub declarations: i64,
    pub declaration_items: i64,
    pub dues: i64,
    pub announcements: i64,
    pub announcement_attachments: i64,
    pub person_lookups: i64,
}

impl Counts {
    /// The tables counted, in the order their rows may be copied (references first).
    pub const TABLES: [&'static str; 9] = [
        "units",
        "persons",
        "roster",
        "declarations",
        "declaration_items",
        "dues",
        "announcements",
        "announcement_attachments",
        "person_lookups",
    ];

    /// The counts of [`Counts::TABLES`], in that order.
    pub fn from_tables(counts: [i64; 9]) -> Counts {
        let [
            units,
            persons,
            roster,
            declarations,
            declaration_items,
            dues,
            announcements,
            announcement_attachments,
            person_lookups,
        ] = counts;
        Counts {
            units,
            persons,
            roster,
            declarations,
            declaration_items,
            dues,
            announcements,
            announcement_attachments,
            person_lookups,
        }
    }

    /// (table, count) of every table of [`Counts::TABLES`].
    pub fn by_table(&self) -> [(&'static str, i64); 9] {
        let counts = [
            self.units,
            self.persons,
            self.roster,
            self.declarations,
            self.declaration_items,
            self.dues,
            self.announcements,
            self.announcement_attachments,
            self.person_lookups,
        ];
        let mut out = [("", 0); 9];
        for ((slot, table), count) in out.iter_mut().zip(Counts::TABLES).zip(counts) {
            *slot = (table, count);
        }
        out
    }
}
