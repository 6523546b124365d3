//! What a printed paper shows, in `shebao-core`'s types. The command line and the window build
//! these from whatever the store returns; nothing here knows the store.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use shebao_core::declaration::{DeclarationKind, Items};
use shebao_core::month::Month;
use shebao_core::state::Outcome;

/// The unit the paper is for, as its header shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    /// 单位编号.
    pub number: String,
    /// 单位名称.
    pub name: String,
    /// 统一社会信用代码; empty when the store does not know it.
    pub credit_code: String,
}

/// A declaration as the agency can find it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationRef {
    /// The idempotency key chosen when the declaration was queued. It is the declaration's id
    /// in the QR code: it exists before the declaration is sent and the agency keeps it.
    pub key: String,
    /// The agency's own id, once it accepted the declaration (申报编号).
    pub agency_id: Option<String>,
}

/// A declaration form (申报表): the items of one kind and period, to be signed and stamped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationForm {
    pub unit: Unit,
    /// `None` when the form is printed from drafts not yet queued.
    pub declaration: Option<DeclarationRef>,
    pub period: Month,
    /// The items as they are (or will be) sent, in the order they are sent.
    pub items: Items,
    /// 经办人 and 联系电话; left blank on the paper for the clerk to write in when unknown.
    pub clerk: Option<String>,
    pub phone: Option<String>,
    /// The records as they stand before the change, for the two change forms.
    pub before: Before,
}

impl DeclarationForm {
    pub fn kind(&self) -> DeclarationKind {
        self.items.kind()
    }
}

/// The current values of what a change form changes: the unit's record and people's records,
/// by field name (the wire names of `UNIT_FIELDS` and `PERSON_FIELDS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Before {
    pub unit: BTreeMap<String, String>,
    /// By document number, upper-case.
    pub people: BTreeMap<String, PersonRecord>,
}

/// A person's record as it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonRecord {
    pub name: String,
    pub fields: BTreeMap<String, String>,
}

/// The receipt (回执) of a processed declaration: the agency's verdict on every item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub unit: Unit,
    pub key: String,
    /// The agency's id of the declaration; a declaration it never accepted has no receipt.
    pub agency_id: String,
    pub kind: DeclarationKind,
    pub period: Month,
    /// When the agency accepted it (受理时间).
    pub received_at: Option<DateTime<FixedOffset>>,
    /// When the agency finished processing it (处理时间), where known.
    pub processed_at: Option<DateTime<FixedOffset>>,
    pub outcome: Outcome,
    pub lines: Vec<ReceiptLine>,
}

/// One item of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    /// 1-based position in the declaration.
    pub line: u32,
    /// Who the item is about; `None` for a unit change, or for an item sent from another
    /// computer whose content this one never saw.
    pub person: Option<Person>,
    pub verdict: Verdict,
    /// The agency's reason: why it refused, or which limit it applied.
    pub reason: Option<String>,
}

/// The agency's verdict on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    Refused,
    /// Not processed (yet).
    Pending,
}

impl Verdict {
    /// The spelling of the agency's changes feed (`outcome: ok|failed`), used in the digest.
    pub fn wire(self) -> Option<&'static str> {
        match self {
            Verdict::Accepted => Some("ok"),
            Verdict::Refused => Some("failed"),
            Verdict::Pending => None,
        }
    }
}

/// Who an item is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub document_type: String,
    pub document_no: String,
    pub name: String,
}

impl Person {
    /// The person of each item, in order (`None` for a unit change).
    pub fn of_items(items: &Items) -> Vec<Option<Person>> {
        let person = |t: &str, n: &str, name: &str| {
            Some(Person {
                document_type: t.to_owned(),
                document_no: n.to_owned(),
                name: name.to_owned(),
            })
        };
        match items {
            Items::Hire(v) => v
                .iter()
                .map(|i| person(&i.document_type, &i.document_no, &i.name))
                .collect(),
            Items::Leave(v) => v
                .iter()
                .map(|i| person(&i.document_type, &i.document_no, &i.name))
                .collect(),
            Items::Wage(v) => v
                .iter()
                .map(|i| person(&i.document_type, &i.document_no, &i.name))
                .collect(),
            // A person change names the person by number only; the name is the record's.
            Items::PersonChange(v) => v
                .iter()
                .map(|i| {
                    let name = i.changes.get("name").cloned().unwrap_or_default();
                    person(&i.document_type, &i.document_no, &name)
                })
                .collect(),
            Items::UnitChange(v) => vec![None; v.len()],
        }
    }
}

/// One paper to print: a form or a receipt. A PDF may hold several (drafts of one kind for
/// two periods are two forms); each is numbered 第 N 页 共 M 页 on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paper {
    Form(DeclarationForm),
    Receipt(Receipt),
}
