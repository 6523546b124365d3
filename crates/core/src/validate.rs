//! The vocabulary of validation: a problem names the field it concerns, a stable code, how bad
//! it is and a message for the clerk, so a form can mark each field and the agency can answer
//! with the same words.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::month::Month;
use crate::reference::ReferenceData;

/// Errors block a submission; warnings are shown and the clerk may go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The wire name of the field ("document_no", "changes.phone").
    pub field: Cow<'static, str>,
    /// A stable snake_case code, for translations and scripts.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What a rule needs to know beyond the item itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub reference: &'a ReferenceData,
    /// Dates after this are in the future.
    pub today: NaiveDate,
    /// The contribution month the declaration is for; its period's limits apply.
    pub period: Month,
}

/// Collects the problems of one item in field order.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub(crate) Vec<Problem>);

impl Problems {
    pub(crate) fn error(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.push(field, code, Severity::Error, message);
    }

    pub(crate) fn warning(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.push(field, code, Severity::Warning, message);
    }

    pub(crate) fn push(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
    ) {
        self.0.push(Problem {
            field: field.into(),
            code,
            severity,
            message: message.into(),
        });
    }
}
