//! Reference data the agency publishes (`GET /reference`): code tables, and per period the
//! contribution-base limits and rates. Reasons, employment forms and household types differ by
//! province and change over time, so they are data here, never enums.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::id::DocumentType;
use crate::money::{Money, Rate};
use crate::month::Month;
use crate::validate::Severity;

/// The reference data as `GET /reference` returns it, checked for consistency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceData {
    pub version: String,
    /// Free text about the data as a whole; the demo file says there that its figures are demo
    /// values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub tables: CodeTables,
    /// Sorted by `from`; each period is in force from its month until the next one starts.
    pub periods: Vec<Period>,
    /// Extension of API v1: the age rules, absent from older servers (defaults apply then).
    #[serde(default)]
    pub age_limits: AgeLimits,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeTables {
    pub insurance_types: Vec<Code>,
    pub hire_reasons: Vec<Code>,
    pub leave_reasons: Vec<Code>,
    pub employment_forms: Vec<EmploymentForm>,
    pub household_types: Vec<Code>,
    pub document_types: Vec<Code>,
    pub ethnicities: Vec<Code>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    pub code: String,
    pub name: String,
}

/// An employment form, with (an extension of API v1) the insurance types a person employed
/// this way may be insured for; `None` allows every type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentForm {
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance_types: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Month,
    pub base_lower: Money,
    pub base_upper: Money,
    pub rates: Vec<PeriodRate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRate {
    pub insurance_type: String,
    pub unit_rate: Rate,
    pub personal_rate: Rate,
}

/// Age rules for a hire. Statutory retirement ages are being raised step by step from 2025 by
/// birth cohort; an agency that publishes flat ages here should make crossing them a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeLimits {
    pub minimum_age: u32,
    pub under_minimum: Severity,
    pub retirement_age_male: u32,
    pub retirement_age_female: u32,
    pub past_retirement: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Default for AgeLimits {
    fn default() -> AgeLimits {
        AgeLimits {
            minimum_age: 16,
            under_minimum: Severity::Error,
            retirement_age_male: 60,
            retirement_age_female: 50,
            past_retirement: Severity::Warning,
            note: None,
        }
    }
}

/// One code table, for look-ups by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeTable {
    InsuranceTypes,
    HireReasons,
    LeaveReasons,
    EmploymentForms,
    HouseholdTypes,
    DocumentTypes,
    Ethnicities,
}

impl CodeTable {
    pub const ALL: [CodeTable; 7] = [
        CodeTable::InsuranceTypes,
        CodeTable::HireReasons,
        CodeTable::LeaveReasons,
        CodeTable::EmploymentForms,
        CodeTable::HouseholdTypes,
        CodeTable::DocumentTypes,
        CodeTable::Ethnicities,
    ];

    /// The key of the table in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            CodeTable::InsuranceTypes => "insurance_types",
            CodeTable::HireReasons => "hire_reasons",
            CodeTable::LeaveReasons => "leave_reasons",
            CodeTable::EmploymentForms => "employment_forms",
            CodeTable::HouseholdTypes => "household_types",
            CodeTable::DocumentTypes => "document_types",
            CodeTable::Ethnicities => "ethnicities",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CodeTable::InsuranceTypes => "险种",
            CodeTable::HireReasons => "增员原因",
            CodeTable::LeaveReasons => "减员原因",
            CodeTable::EmploymentForms => "用工形式",
            CodeTable::HouseholdTypes => "户口性质",
            CodeTable::DocumentTypes => "证件类型",
            CodeTable::Ethnicities => "民族",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReferenceError {
    #[error("参考数据不是有效的 JSON：{0}")]
    Json(String),
    #[error("参考数据没有版本号")]
    NoVersion,
    #[error("参考数据的{table}表是空的")]
    EmptyTable { table: &'static str },
    #[error("参考数据的{table}表中代码 {code} 出现了两次")]
    DuplicateCode { table: &'static str, code: String },
    #[error("参考数据的证件类型 {code} 没有对应的校验规则")]
    UnknownDocumentType { code: String },
    #[error("参考数据没有任何缴费期间")]
    NoPeriods,
    #[error("参考数据的缴费期间没有按起始年月排序（{month} 出现在较晚的期间之后）")]
    PeriodsOutOfOrder { month: Month },
    #[error("{month} 起的缴费基数下限 {lower} 高于上限 {upper}")]
    LimitsInverted {
        month: Month,
        lower: Money,
        upper: Money,
    },
    #[error("{month} 起的费率引用了险种表中没有的险种 {code}")]
    UnknownInsuranceType { month: Month, code: String },
    #[error("用工形式 {form} 允许的险种 {code} 不在险种表中")]
    UnknownFormInsuranceType { form: String, code: String },
}

/// The reference data shipped for the demo and for tests. Every figure in it is a demo value,
/// and the file says so.
const DEMO_JSON: &str = include_str!("../../../assets/reference-demo.json");

impl ReferenceData {
    /// Parses and checks the JSON of `GET /reference`.
    pub fn from_json(json: &str) -> Result<ReferenceData, ReferenceError> {
        let data: ReferenceData =
            serde_json::from_str(json).map_err(|e| ReferenceError::Json(e.to_string()))?;
        data.check()?;
        Ok(data)
    }

    /// The embedded demo reference data.
    pub fn demo() -> ReferenceData {
        ReferenceData::from_json(DEMO_JSON)
            .expect("the embedded demo reference data is checked by a unit test")
    }

    /// The JSON of the embedded demo reference data, as the demo agency serves it.
    pub fn demo_json() -> &'static str {
        DEMO_JSON
    }

    fn check(&self) -> Result<(), ReferenceError> {
        if self.version.trim().is_empty() {
            return Err(ReferenceError::NoVersion);
        }
        for table in CodeTable::ALL {
            let mut codes: Vec<&str> = self.codes(table).map(|(code, _)| code).collect();
            if codes.is_empty() {
                return Err(ReferenceError::EmptyTable {
                    table: table.label(),
                });
            }
            codes.sort_unstable();
            if let Some(pair) = codes.windows(2).find(|w| w[0] == w[1]) {
                return Err(ReferenceError::DuplicateCode {
                    table: table.label(),
                    code: pair[0].to_owned(),
                });
            }
        }
        for doc in &self.tables.document_types {
            if DocumentType::from_code(&doc.code).is_none() {
                return Err(ReferenceError::UnknownDocumentType {
                    code: doc.code.clone(),
                });
            }
        }
        for form in &self.tables.employment_forms {
            for code in form.insurance_types.iter().flatten() {
                if !self.has(CodeTable::InsuranceTypes, code) {
                    return Err(ReferenceError::UnknownFormInsuranceType {
                        form: form.code.clone(),
                        code: code.clone(),
                    });
                }
            }
        }
        if self.periods.is_empty() {
            return Err(ReferenceError::NoPeriods);
        }
        for pair in self.periods.windows(2) {
            if pair[1].from <= pair[0].from {
                return Err(ReferenceError::PeriodsOutOfOrder {
                    month: pair[1].from,
                });
            }
        }
        for period in &self.periods {
            if period.base_lower > period.base_upper {
                return Err(ReferenceError::LimitsInverted {
                    month: period.from,
                    lower: period.base_lower,
                    upper: period.base_upper,
                });
            }
            for rate in &period.rates {
                if !self.has(CodeTable::InsuranceTypes, &rate.insurance_type) {
                    return Err(ReferenceError::UnknownInsuranceType {
                        month: period.from,
                        code: rate.insurance_type.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// (code, name) of every entry of a table, in published order.
    pub fn codes(&self, table: CodeTable) -> Box<dyn Iterator<Item = (&str, &str)> + '_> {
        match self.plain_table(table) {
            Some(codes) => Box::new(codes.iter().map(|c| (c.code.as_str(), c.name.as_str()))),
            None => Box::new(
                self.tables
                    .employment_forms
                    .iter()
                    .map(|c| (c.code.as_str(), c.name.as_str())),
            ),
        }
    }

    fn plain_table(&self, table: CodeTable) -> Option<&[Code]> {
        let t = &self.tables;
        Some(match table {
            CodeTable::InsuranceTypes => &t.insurance_types,
            CodeTable::HireReasons => &t.hire_reasons,
            CodeTable::LeaveReasons => &t.leave_reasons,
            CodeTable::HouseholdTypes => &t.household_types,
            CodeTable::DocumentTypes => &t.document_types,
            CodeTable::Ethnicities => &t.ethnicities,
            CodeTable::EmploymentForms => return None,
        })
    }

    /// Whether `code` is in the table. This is on the hot path of validation, so it avoids the
    /// boxed iterator.
    pub fn has(&self, table: CodeTable, code: &str) -> bool {
        match self.plain_table(table) {
            Some(codes) => codes.iter().any(|c| c.code == code),
            None => self.employment_form(code).is_some(),
        }
    }

    /// The published name of a code.
    pub fn name_of(&self, table: CodeTable, code: &str) -> Option<&str> {
        self.codes(table).find(|(c, _)| *c == code).map(|(_, n)| n)
    }

    /// The code of a value written either as a code or as its name, as clerks do in workbooks.
    pub fn resolve(&self, table: CodeTable, code_or_name: &str) -> Option<&str> {
        let wanted = code_or_name.trim();
        self.codes(table)
            .find(|(c, n)| *c == wanted || *n == wanted)
            .map(|(c, _)| c)
    }

    pub fn employment_form(&self, code: &str) -> Option<&EmploymentForm> {
        self.tables.employment_forms.iter().find(|f| f.code == code)
    }

    /// The period in force in `month`: the latest one that starts no later than it.
    pub fn period_at(&self, month: Month) -> Option<&Period> {
        self.periods.iter().rev().find(|p| p.from <= month)
    }
}

impl Period {
    pub fn rate(&self, insurance_type: &str) -> Option<&PeriodRate> {
        self.rates
            .iter()
            .find(|r| r.insurance_type == insurance_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_valid_and_says_it_is_demo() {
        let demo = ReferenceData::demo();
        assert!(demo.note.as_deref().unwrap_or_default().contains("演示"));
        for period in &demo.periods {
            assert!(
                period.note.as_deref().unwrap_or_default().contains("演示"),
                "period {} is not marked demo",
                period.from
            );
        }
        assert!(
            demo.age_limits
                .note
                .as_deref()
                .unwrap_or_default()
                .contains("演示")
        );
        // Every document type the core can check is published.
        for t in DocumentType::ALL {
            assert!(demo.has(CodeTable::DocumentTypes, t.code()));
        }
        assert_eq!(demo.tables.ethnicities.len(), 58);
    }

    #[test]
    fn round_trips_through_json() {
        let demo = ReferenceData::demo();
        let json = serde_json::to_string(&demo).unwrap();
        assert_eq!(ReferenceData::from_json(&json).unwrap(), demo);
    }

    #[test]
    fn period_in_force() {
        let demo = ReferenceData::demo();
        let first = demo.periods[0].from;
        assert!(
            demo.period_at(Month::new(first.year() - 1, 1).unwrap())
                .is_none()
        );
        assert_eq!(demo.period_at(first).unwrap().from, first);
        let last = demo.periods.last().unwrap();
        assert_eq!(
            demo.period_at(Month::new(2099, 1).unwrap()).unwrap().from,
            last.from
        );
    }

    #[test]
    fn look_ups_by_code_or_name() {
        let demo = ReferenceData::demo();
        assert_eq!(demo.resolve(CodeTable::InsuranceTypes, "养老"), Some("110"));
        assert_eq!(
            demo.resolve(CodeTable::InsuranceTypes, " 310 "),
            Some("310")
        );
        assert_eq!(demo.name_of(CodeTable::Ethnicities, "01"), Some("汉族"));
        assert!(demo.has(CodeTable::EmploymentForms, "01"));
        assert!(!demo.has(CodeTable::HireReasons, "nope"));
    }

    #[test]
    fn inconsistent_data_is_refused_with_a_reason() {
        let mut bad = ReferenceData::demo();
        bad.periods.reverse();
        let json = serde_json::to_string(&bad).unwrap();
        assert!(matches!(
            ReferenceData::from_json(&json),
            Err(ReferenceError::PeriodsOutOfOrder { .. })
        ));

        let mut bad = ReferenceData::demo();
        bad.periods[0].rates[0].insurance_type = "999".into();
        let json = serde_json::to_string(&bad).unwrap();
        assert!(matches!(
            ReferenceData::from_json(&json),
            Err(ReferenceError::UnknownInsuranceType { .. })
        ));

        assert!(matches!(
            ReferenceData::from_json("{"),
            Err(ReferenceError::Json(_))
        ));
    }
}
