//! From a clerk's file to drafts: every row normalised, checked with the rules of
//! `shebao-core`, compared with the other rows and with the drafts already saved; the good rows
//! saved in one transaction, the others kept with their reasons for the report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};
use shebao_core::declaration::{
    DeclarationKind, HireItem, LeaveItem, PersonChangeItem, UnitChangeItem, WageItem,
};
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_core::validate::{Context, Problem};
use shebao_store::{Draft, NewDraft, Store};

use crate::columns::{Column, Layout, find_layout};
use crate::csv_text::TextEncoding;
use crate::error::{Result, WorkbookError};
use crate::normalise::{Value, field_kind, half_width, normalise};
use crate::sheet::{Sheet, read_sheet};

/// How to import a file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The kind of declaration every row is for.
    pub kind: DeclarationKind,
    /// The period (YYYY-MM) of rows without a period column.
    pub default_period: String,
    /// Forces the text encoding of a CSV file (otherwise detected).
    pub encoding: Option<TextEncoding>,
    /// Import nothing if any row is bad.
    pub all_or_nothing: bool,
    /// The date that decides what lies in the future.
    pub today: NaiveDate,
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// Saved as a draft (or would have been, had the file not been refused as a whole).
    Imported,
    /// The very same draft is already saved (an earlier import of this file); not saved twice.
    AlreadyDraft,
    /// Not saved: the row has errors.
    Rejected,
}

/// One thing wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The zero-based column it concerns; `None` for the row as a whole.
    pub column: Option<usize>,
    /// The sentence for the clerk.
    pub message: String,
    /// Errors keep the row out; warnings are only shown.
    pub error: bool,
}

/// One data row of the file and its fate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    /// The zero-based row of the sheet (the clerk's row number minus one).
    pub row: usize,
    /// What became of it.
    pub status: RowStatus,
    /// What is wrong with it, in column order.
    pub problems: Vec<RowProblem>,
}

/// The outcome of reading and checking a file.
#[derive(Debug, Clone)]
pub struct Import {
    /// The file.
    pub path: PathBuf,
    /// Its first sheet as read.
    pub sheet: Sheet,
    /// Where the headers are.
    pub layout: Layout,
    /// Every non-blank data row.
    pub rows: Vec<RowOutcome>,
    /// The drafts to save: the good rows, or none when the whole file is refused.
    pub drafts: Vec<NewDraft>,
    /// Headers that name nothing the kind uses.
    pub ignored_columns: Vec<String>,
    /// Whether the rows were checked against the agency's reference data.
    pub checked: bool,
    /// Whether nothing is saved because "all or nothing" was asked and some row is bad.
    pub refused_whole_file: bool,
}

impl Import {
    /// Rows saved as drafts.
    pub fn imported(&self) -> usize {
        self.drafts.len()
    }

    /// Rows with errors.
    pub fn rejected(&self) -> usize {
        self.count(RowStatus::Rejected)
    }

    /// Rows already among the drafts.
    pub fn already_drafts(&self) -> usize {
        self.count(RowStatus::AlreadyDraft)
    }

    fn count(&self, status: RowStatus) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }
}

/// How far an import has come, for a progress line or bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The sheet is read; this many rows.
    Read(usize),
    /// Rows checked so far, of all.
    Checked(usize, usize),
    /// This many drafts are being saved.
    Saving(usize),
}

/// Reads and checks `path` against `reference` (none: the rules that need the agency's tables
/// are left to the agency) and the `existing` drafts, saving nothing.
pub fn prepare(
    path: &Path,
    options: &ImportOptions,
    reference: Option<&ReferenceData>,
    existing: &[Draft],
    progress: &mut dyn FnMut(Progress),
) -> Result<Import> {
    let sheet = read_sheet(path, options.encoding)?;
    progress(Progress::Read(sheet.rows.len()));
    check_sheet(path, sheet, options, reference, existing, progress)
}

/// Reads, checks and saves `path` into `store` in one transaction; the store's cached
/// reference data and drafts are what the rows are checked against.
pub fn import_into(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Import> {
    // Unusable cached data counts as none: the agency still checks every row on arrival.
    let reference = store
        .reference()?
        .and_then(|(_, body)| ReferenceData::from_json(&body.to_string()).ok());
    let existing = store.drafts(Some(options.kind))?;
    let import = prepare(path, options, reference.as_ref(), &existing, progress)?;
    if !import.drafts.is_empty() {
        progress(Progress::Saving(import.drafts.len()));
        store.save_drafts(&import.drafts)?;
    }
    Ok(import)
}

/// Checks an already read sheet (the bench and the tests start here too).
pub fn check_sheet(
    path: &Path,
    sheet: Sheet,
    options: &ImportOptions,
    reference: Option<&ReferenceData>,
    existing: &[Draft],
    progress: &mut dyn FnMut(Progress),
) -> Result<Import> {
    let kind = options.kind;
    if sheet.rows.iter().all(|r| r.iter().all(|c| c.is_blank())) {
        return Err(WorkbookError::Empty {
            path: path.to_path_buf(),
        });
    }
    let layout = find_layout(&sheet, kind).ok_or_else(|| WorkbookError::NoHeader {
        path: path.to_path_buf(),
        sheet: sheet.name.clone(),
        kind: kind.as_str(),
    })?;
    let missing = layout.missing(kind);
    if !missing.is_empty() {
        return Err(WorkbookError::MissingColumns {
            path: path.to_path_buf(),
            missing: missing.join(", "),
        });
    }
    let ignored_columns = layout
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == Column::Ignored)
        .map(|(i, _)| sheet.cell(layout.header_row, i).display().trim().to_owned())
        .filter(|h| !h.is_empty())
        .collect();
    let mut checker = RowChecker {
        kind,
        layout: &layout,
        reference,
        today: options.today,
        default_period: &options.default_period,
        first_rows: HashMap::new(),
        existing: existing
            .iter()
            .filter(|d| d.kind == kind)
            .filter_map(|d| person_key(&d.item).map(|k| (k, d)))
            .collect(),
    };
    let total = sheet.rows.len().saturating_sub(layout.header_row + 1);
    let mut rows = Vec::new();
    let mut drafts = Vec::new();
    for (i, r) in (layout.header_row + 1..sheet.rows.len()).enumerate() {
        if i % 1000 == 0 {
            progress(Progress::Checked(i, total));
        }
        let cells = &sheet.rows[r];
        let blank = cells.iter().enumerate().all(|(c, cell)| {
            cell.is_blank() || matches!(layout.columns.get(c), Some(Column::Report))
        });
        let example = layout.column_of("document_no").is_some_and(|c| {
            sheet.cell(r, c).display().trim() == crate::template::EXAMPLE_DOCUMENT_NO
        });
        if blank || example {
            continue;
        }
        let (outcome, draft) = checker.check(&sheet, r);
        if let Some(draft) = draft {
            drafts.push(draft);
        }
        rows.push(outcome);
    }
    progress(Progress::Checked(total, total));
    let refused_whole_file =
        options.all_or_nothing && rows.iter().any(|r| r.status == RowStatus::Rejected);
    if refused_whole_file {
        drafts.clear();
    }
    Ok(Import {
        path: path.to_path_buf(),
        sheet,
        layout,
        rows,
        drafts,
        ignored_columns,
        checked: reference.is_some(),
        refused_whole_file,
    })
}

/// (document type, document number) of an item, the person it is about.
fn person_key(item: &Json) -> Option<(String, String)> {
    let field = |k: &str| item.get(k).and_then(Json::as_str).map(str::trim);
    let (t, n) = (field("document_type")?, field("document_no")?);
    (!t.is_empty() && !n.is_empty()).then(|| (t.to_owned(), n.to_ascii_uppercase()))
}

struct RowChecker<'a> {
    kind: DeclarationKind,
    layout: &'a Layout,
    reference: Option<&'a ReferenceData>,
    today: NaiveDate,
    default_period: &'a str,
    /// The sheet row where each person first appeared.
    first_rows: HashMap<(String, String), usize>,
    existing: HashMap<(String, String), &'a Draft>,
}

impl RowChecker<'_> {
    fn check(&mut self, sheet: &Sheet, r: usize) -> (RowOutcome, Option<NewDraft>) {
        let mut problems = Vec::new();
        let mut item = Map::new();
        let mut changes = Map::new();
        let mut period = self.default_period.to_owned();
        for (c, column) in self.layout.columns.iter().enumerate() {
            let cell = sheet.cell(r, c);
            if cell.is_blank() {
                continue;
            }
            let field = match column {
                Column::Field(f) | Column::CodeList(f) => *f,
                Column::Period => "period",
                Column::Change(header) => {
                    changes.insert(
                        header.clone(),
                        Json::String(half_width(&cell.display()).trim().to_owned()),
                    );
                    continue;
                }
                Column::Report | Column::Ignored => continue,
            };
            match normalise(field_kind(self.kind, field), cell, self.reference) {
                Ok(Value::Text(t)) if field == "period" => period = t,
                Ok(Value::Text(t)) if matches!(column, Column::CodeList(_)) => {
                    item.insert(field.into(), Json::Array(vec![Json::String(t)]));
                }
                Ok(Value::Text(t)) => {
                    item.insert(field.into(), Json::String(t));
                }
                Ok(Value::List(codes)) => {
                    item.insert(field.into(), codes.into_iter().map(Json::String).collect());
                }
                Err(message) => problems.push(RowProblem {
                    column: Some(c),
                    message,
                    error: true,
                }),
            }
        }
        if matches!(
            self.kind,
            DeclarationKind::PersonChange | DeclarationKind::UnitChange
        ) {
            item.insert("changes".into(), Json::Object(changes));
        }
        let item = Json::Object(item);
        if let Some(reference) = self.reference {
            self.validate(reference, &item, &period, &mut problems);
        }
        let mut status = RowStatus::Imported;
        if let Some(key) = person_key(&item) {
            let no_column = self.layout.column_of("document_no");
            if let Some(first) = self.first_rows.get(&key) {
                problems.push(RowProblem {
                    column: no_column,
                    message: format!(
                        "与第 {} 行是同一人（证件号码相同），同一文件中只能出现一次",
                        first + 1
                    ),
                    error: true,
                });
            } else {
                self.first_rows.insert(key.clone(), r);
                if let Some(draft) = self.existing.get(&key) {
                    if draft.item == item && draft.period == period {
                        status = RowStatus::AlreadyDraft;
                    } else {
                        problems.push(RowProblem {
                            column: no_column,
                            message: format!(
                                "此人已有一条{}草稿（草稿 {}，所属期 {}）；请先修改或删除那条草稿",
                                self.kind.label(),
                                draft.id,
                                draft.period
                            ),
                            error: true,
                        });
                    }
                }
            }
        }
        problems.sort_by_key(|p| p.column.unwrap_or(usize::MAX));
        if problems.iter().any(|p| p.error) {
            status = RowStatus::Rejected;
        }
        let draft = (status == RowStatus::Imported).then_some(NewDraft {
            kind: self.kind,
            period,
            item,
        });
        (
            RowOutcome {
                row: r,
                status,
                problems,
            },
            draft,
        )
    }

    fn validate(
        &self,
        reference: &ReferenceData,
        item: &Json,
        period: &str,
        problems: &mut Vec<RowProblem>,
    ) {
        let Ok(month) = Month::parse(period) else {
            problems.push(RowProblem {
                column: self.layout.column_of("period"),
                message: format!("申报所属期“{period}”不是有效的年月，请写成 2026-03 或 202603"),
                error: true,
            });
            return;
        };
        let ctx = Context {
            reference,
            today: self.today,
            period: month,
        };
        let found = match validate_item(self.kind, item, &ctx) {
            Ok(found) => found,
            Err(e) => {
                problems.push(RowProblem {
                    column: None,
                    message: format!("内容格式不正确：{e}"),
                    error: true,
                });
                return;
            }
        };
        problems.extend(found.into_iter().map(|p| RowProblem {
            column: self.layout.column_of(&p.field),
            error: p.is_error(),
            message: p.message,
        }));
    }
}

fn validate_item(
    kind: DeclarationKind,
    item: &Json,
    ctx: &Context<'_>,
) -> Result<Vec<Problem>, serde_json::Error> {
    fn parsed<T: serde::de::DeserializeOwned>(item: &Json) -> Result<T, serde_json::Error> {
        T::deserialize(item)
    }
    Ok(match kind {
        DeclarationKind::Hire => parsed::<HireItem>(item)?.validate(ctx),
        DeclarationKind::Leave => parsed::<LeaveItem>(item)?.validate(ctx),
        DeclarationKind::Wage => parsed::<WageItem>(item)?.validate(ctx),
        DeclarationKind::PersonChange => parsed::<PersonChangeItem>(item)?.validate(ctx),
        DeclarationKind::UnitChange => parsed::<UnitChangeItem>(item)?.validate(ctx),
    })
}
