//! The table of hire drafts not yet submitted: one light row per draft, made once when the
//! drafts are read (off the UI thread), so a frame only formats the rows in view.

use iced::widget::{scrollable, text};
use iced::{Element, Length};
use shebao_core::declaration::HireItem;
use shebao_core::id::DocumentNumber;
use shebao_core::id::DocumentType;
use shebao_core::month::Month;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_core::validate::Context;
use shebao_store::{DraftId, DraftProblem, HireDraft};

use crate::fl;
use crate::widget::table::{Column, TableState, table};

/// Whether a draft would pass the agency's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Valid,
    /// It would pass, with warnings (a wage raised to the base's lower limit…).
    Warnings,
    /// It would be refused.
    Errors,
}

/// What the table shows of one draft.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRow {
    pub id: DraftId,
    pub period: String,
    pub document_no: String,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub reason: String,
    pub insured_from: String,
    pub wage: String,
    pub validity: Validity,
    /// The first problem, shown when the row is selected.
    pub first_problem: Option<String>,
}

impl DraftRow {
    /// The row of a draft, judged by shebao-core's rules against `reference` as declared in
    /// its period; what the agency said last time counts too.
    pub fn of(
        id: DraftId,
        period: &str,
        item: &HireItem,
        agency_problems: &[DraftProblem],
        reference: &ReferenceData,
        today: chrono::NaiveDate,
    ) -> DraftRow {
        let number = DocumentType::from_code(&item.document_type)
            .and_then(|kind| DocumentNumber::parse_on(kind, &item.document_no, today).ok());
        let sex = number
            .as_ref()
            .and_then(DocumentNumber::sex)
            .map(|s| s.label().to_owned())
            .or_else(|| item.sex.clone())
            .unwrap_or_default();
        let birth_date = number
            .as_ref()
            .and_then(DocumentNumber::birth_date)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .or_else(|| item.birth_date.clone())
            .unwrap_or_default();
        let problems = match Month::parse(period) {
            Ok(month) => item.validate(&Context {
                reference,
                today,
                period: month,
            }),
            Err(_) => Vec::new(),
        };
        let validity = if problems.iter().any(|p| p.is_error()) || !agency_problems.is_empty() {
            Validity::Errors
        } else if problems.is_empty() {
            Validity::Valid
        } else {
            Validity::Warnings
        };
        let first_problem = agency_problems
            .first()
            .map(|p| p.message.clone())
            .or_else(|| problems.first().map(|p| p.message.clone()));
        DraftRow {
            id,
            period: period.to_owned(),
            document_no: item.document_no.clone(),
            name: item.name.clone(),
            sex,
            birth_date,
            reason: reference
                .name_of(CodeTable::HireReasons, &item.reason)
                .unwrap_or(&item.reason)
                .to_owned(),
            insured_from: item.insured_from.clone(),
            wage: item.wage.clone(),
            validity,
            first_problem,
        }
    }

    pub fn of_draft(
        draft: &HireDraft,
        reference: &ReferenceData,
        today: chrono::NaiveDate,
    ) -> DraftRow {
        Self::of(
            draft.id,
            &draft.period,
            &draft.item,
            &draft.problems,
            reference,
            today,
        )
    }
}

/// The windowed table of `rows`; only the rows in view are laid out.
pub fn view<'a, M: Clone + 'a>(
    rows: &'a [DraftRow],
    state: &TableState,
    on_scroll: impl Fn(scrollable::Viewport) -> M + 'a,
    on_select: fn(usize) -> M,
) -> Element<'a, M> {
    let columns = [
        Column::new(fl!("hire-document-no"), Length::FillPortion(4)),
        Column::new(fl!("hire-name"), Length::FillPortion(2)),
        Column::new(fl!("hire-sex"), Length::FillPortion(1)),
        Column::new(fl!("hire-birth-date"), Length::FillPortion(3)),
        Column::new(fl!("hire-reason"), Length::FillPortion(2)),
        Column::new(fl!("hire-insured-from"), Length::FillPortion(2)),
        Column::new(fl!("hire-wage"), Length::FillPortion(2)),
        Column::new(fl!("hire-validity"), Length::FillPortion(2)),
    ];
    let cells = move |index: usize| -> Vec<Element<'a, M>> {
        let row = &rows[index];
        let validity = match row.validity {
            Validity::Valid => text(fl!("hire-valid")),
            Validity::Warnings => text(fl!("hire-valid-with-warnings")).style(text::warning),
            Validity::Errors => text(fl!("hire-invalid")).style(text::danger),
        };
        vec![
            text(row.document_no.as_str()).into(),
            text(row.name.as_str()).into(),
            text(row.sex.as_str()).into(),
            text(row.birth_date.as_str()).into(),
            text(row.reason.as_str()).into(),
            text(row.insured_from.as_str()).into(),
            text(row.wage.as_str()).into(),
            validity.into(),
        ]
    };
    table(
        &columns,
        rows.len(),
        state,
        cells,
        on_scroll,
        Some(on_select),
    )
}
