//! Declarations (申报): one submission of one kind, holding one item per person (or one change
//! of the unit's record), with the rules that judge each item.

mod base;
mod change;
mod checks;
mod hire;
mod leave;
mod wage;

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

pub use base::{BaseAssessment, Clamp, assess_base};
pub use change::{PERSON_FIELDS, PersonChangeItem, UNIT_FIELDS, UnitChangeItem};
pub use checks::parse_date;
pub use hire::HireItem;
pub use leave::LeaveItem;
pub use wage::WageItem;

use crate::id::DocumentNumber;
use crate::id::DocumentType;
use crate::month::Month;
use crate::validate::{Context, Problem, Severity};

/// The kinds of declaration, with their wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationKind {
    Hire,
    Leave,
    Wage,
    UnitChange,
    PersonChange,
}

impl DeclarationKind {
    pub const ALL: [DeclarationKind; 5] = [
        DeclarationKind::Hire,
        DeclarationKind::Leave,
        DeclarationKind::Wage,
        DeclarationKind::UnitChange,
        DeclarationKind::PersonChange,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeclarationKind::Hire => "hire",
            DeclarationKind::Leave => "leave",
            DeclarationKind::Wage => "wage",
            DeclarationKind::UnitChange => "unit_change",
            DeclarationKind::PersonChange => "person_change",
        }
    }

    pub fn parse(s: &str) -> Option<DeclarationKind> {
        DeclarationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// The name of the function in the seed system.
    pub fn label(self) -> &'static str {
        match self {
            DeclarationKind::Hire => "在职增员",
            DeclarationKind::Leave => "在职减员",
            DeclarationKind::Wage => "工资申报",
            DeclarationKind::UnitChange => "单位信息变更",
            DeclarationKind::PersonChange => "人员信息变更",
        }
    }
}

/// A word that names no declaration kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”不是申报类型；可用的有 hire、leave、wage、unit_change、person_change")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for DeclarationKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<DeclarationKind, UnknownKind> {
        DeclarationKind::parse(s).ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

impl fmt::Display for DeclarationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The items of a declaration, all of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    Hire(Vec<HireItem>),
    Leave(Vec<LeaveItem>),
    Wage(Vec<WageItem>),
    UnitChange(Vec<UnitChangeItem>),
    PersonChange(Vec<PersonChangeItem>),
}

impl Items {
    pub fn kind(&self) -> DeclarationKind {
        match self {
            Items::Hire(_) => DeclarationKind::Hire,
            Items::Leave(_) => DeclarationKind::Leave,
            Items::Wage(_) => DeclarationKind::Wage,
            Items::UnitChange(_) => DeclarationKind::UnitChange,
            Items::PersonChange(_) => DeclarationKind::PersonChange,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Items::Hire(v) => v.len(),
            Items::Leave(v) => v.len(),
            Items::Wage(v) => v.len(),
            Items::UnitChange(v) => v.len(),
            Items::PersonChange(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Parses the JSON array of items of `kind`.
    pub fn from_json(kind: DeclarationKind, json: &str) -> Result<Items, serde_json::Error> {
        Ok(match kind {
            DeclarationKind::Hire => Items::Hire(serde_json::from_str(json)?),
            DeclarationKind::Leave => Items::Leave(serde_json::from_str(json)?),
            DeclarationKind::Wage => Items::Wage(serde_json::from_str(json)?),
            DeclarationKind::UnitChange => Items::UnitChange(serde_json::from_str(json)?),
            DeclarationKind::PersonChange => Items::PersonChange(serde_json::from_str(json)?),
        })
    }

    fn to_json(&self) -> Result<Box<RawValue>, serde_json::Error> {
        let json = match self {
            Items::Hire(v) => serde_json::to_string(v),
            Items::Leave(v) => serde_json::to_string(v),
            Items::Wage(v) => serde_json::to_string(v),
            Items::UnitChange(v) => serde_json::to_string(v),
            Items::PersonChange(v) => serde_json::to_string(v),
        }?;
        RawValue::from_string(json)
    }

    /// The problems of each item (1-based line numbers, in item order).
    fn item_problems(&self, ctx: &Context<'_>) -> Vec<(usize, Vec<Problem>)> {
        fn each<T>(items: &[T], check: impl Fn(&T) -> Vec<Problem>) -> Vec<(usize, Vec<Problem>)> {
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (i + 1, check(item)))
                .collect()
        }
        match self {
            Items::Hire(v) => each(v, |i| i.validate(ctx)),
            Items::Leave(v) => each(v, |i| i.validate(ctx)),
            Items::Wage(v) => each(v, |i| i.validate(ctx)),
            Items::UnitChange(v) => each(v, |i| i.validate(ctx)),
            Items::PersonChange(v) => each(v, |i| i.validate(ctx)),
        }
    }

    /// The (document type, document number) of each item that names a person, for duplicate
    /// detection; `None` where the item names no person or the number is invalid.
    fn people(&self, ctx: &Context<'_>) -> Vec<Option<(DocumentType, String)>> {
        let key = |t: &str, n: &str| {
            let t = DocumentType::from_code(t)?;
            let number = DocumentNumber::parse_on(t, n, ctx.today).ok()?;
            Some((t, number.as_str().to_owned()))
        };
        match self {
            Items::Hire(v) => v
                .iter()
                .map(|i| key(&i.document_type, &i.document_no))
                .collect(),
            Items::Leave(v) => v
                .iter()
                .map(|i| key(&i.document_type, &i.document_no))
                .collect(),
            Items::Wage(v) => v
                .iter()
                .map(|i| key(&i.document_type, &i.document_no))
                .collect(),
            Items::PersonChange(v) => v
                .iter()
                .map(|i| key(&i.document_type, &i.document_no))
                .collect(),
            Items::UnitChange(v) => vec![None; v.len()],
        }
    }
}

/// A problem of one item of a declaration, as the agency answers it in a 422 problem document
/// (`errors: [{item, field, code, message}]`); `item` is the 1-based line of the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemProblem {
    pub item: usize,
    #[serde(flatten)]
    pub problem: Problem,
}

/// The body of `POST /declarations`: `{kind, period, items}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeclaration {
    pub period: Month,
    pub items: Items,
}

impl NewDeclaration {
    pub fn kind(&self) -> DeclarationKind {
        self.items.kind()
    }

    /// Every problem of every item, errors and warnings, in item order; people who appear twice
    /// are reported on their second line. A unit-change declaration holds a single item.
    pub fn validate(&self, ctx: &Context<'_>) -> Vec<ItemProblem> {
        let ctx = Context {
            period: self.period,
            ..*ctx
        };
        let mut out = Vec::new();
        if self.items.is_empty() {
            out.push(ItemProblem {
                item: 0,
                problem: Problem {
                    field: "items".into(),
                    code: "no_items",
                    severity: Severity::Error,
                    message: "申报中没有任何人员或变更".into(),
                },
            });
            return out;
        }
        if self.kind() == DeclarationKind::UnitChange && self.items.len() > 1 {
            out.push(ItemProblem {
                item: 2,
                problem: Problem {
                    field: "items".into(),
                    code: "one_unit_change",
                    severity: Severity::Error,
                    message: "单位信息变更每次只能申报一条".into(),
                },
            });
        }
        let people = self.items.people(&ctx);
        let mut first_line = std::collections::HashMap::with_capacity(people.len());
        for (line, problems) in self.items.item_problems(&ctx) {
            out.extend(problems.into_iter().map(|problem| ItemProblem {
                item: line,
                problem,
            }));
            if let Some(person) = &people[line - 1] {
                if let Some(first) = first_line.get(person) {
                    out.push(ItemProblem {
                        item: line,
                        problem: Problem {
                            field: "document_no".into(),
                            code: "duplicate_person",
                            severity: Severity::Error,
                            message: format!("此人已在第 {first} 行申报过，同一次申报中不能重复"),
                        },
                    });
                } else {
                    first_line.insert(person.clone(), line);
                }
            }
        }
        out.sort_by_key(|p| p.item);
        out
    }

    /// Only the problems that block a submission.
    pub fn errors(&self, ctx: &Context<'_>) -> Vec<ItemProblem> {
        let mut all = self.validate(ctx);
        all.retain(|p| p.problem.is_error());
        all
    }
}

#[derive(Serialize)]
struct WireOut<'a> {
    kind: DeclarationKind,
    period: Month,
    items: &'a RawValue,
}

#[derive(Deserialize)]
struct WireIn {
    kind: DeclarationKind,
    period: Month,
    items: Box<RawValue>,
}

impl Serialize for NewDeclaration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.items.to_json().map_err(serde::ser::Error::custom)?;
        WireOut {
            kind: self.kind(),
            period: self.period,
            items: &items,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for NewDeclaration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The kind decides the item type, so the items are kept raw until the kind is known.
        let wire = WireIn::deserialize(deserializer)?;
        let items = Items::from_json(wire.kind, wire.items.get()).map_err(D::Error::custom)?;
        Ok(NewDeclaration {
            period: wire.period,
            items,
        })
    }
}

#[cfg(test)]
mod tests;
