//! Exports for the clerk's own records: drafts, declarations with their per-person results,
//! the roster and the dues. Each takes plain rows, so the window and the command line hand
//! over what they already show. Identity numbers and codes are written as text so Excel keeps
//! every digit; amounts as numbers so they can be summed.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use crate::error::{Result, WorkbookError};

/// A value of an exported cell.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportValue {
    /// Text, kept as text.
    Text(String),
    /// A number (amounts, counts).
    Number(f64),
}

impl From<&str> for ExportValue {
    fn from(s: &str) -> Self {
        ExportValue::Text(s.to_owned())
    }
}

impl From<String> for ExportValue {
    fn from(s: String) -> Self {
        ExportValue::Text(s)
    }
}

impl From<f64> for ExportValue {
    fn from(n: f64) -> Self {
        ExportValue::Number(n)
    }
}

/// One sheet of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSheet {
    /// The sheet's name.
    pub name: String,
    /// The header row.
    pub headers: Vec<String>,
    /// The rows under it.
    pub rows: Vec<Vec<ExportValue>>,
}

/// A draft as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRow {
    /// The draft's number.
    pub id: i64,
    /// 在职增员, 在职减员, …
    pub kind: String,
    /// YYYY-MM.
    pub period: String,
    /// The identity number.
    pub document_no: String,
    /// The person's name.
    pub name: String,
    /// What is wrong with it, if anything.
    pub problems: String,
}

/// A declaration and its results.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclarationRow {
    /// The agency's document number, or the local number while queued.
    pub number: String,
    /// 在职增员, …
    pub kind: String,
    /// YYYY-MM.
    pub period: String,
    /// Where it stands (处理成功, …).
    pub state: String,
    /// When it was submitted.
    pub submitted_at: String,
    /// Its people and their results.
    pub items: Vec<ItemResultRow>,
}

/// The result for one person of a declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResultRow {
    /// The identity number.
    pub document_no: String,
    /// The person's name.
    pub name: String,
    /// 成功, 失败, …
    pub result: String,
    /// The agency's reason.
    pub message: String,
}

/// A person on the unit's roster.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterRow {
    /// The identity number.
    pub document_no: String,
    /// The person's name.
    pub name: String,
    /// Insurance types, as names.
    pub insurance_types: String,
    /// Insured since (YYYY-MM).
    pub insured_from: String,
    /// The contribution base.
    pub base: f64,
    /// 参保缴费, 暂停缴费, …
    pub status: String,
}

/// One line of the dues.
#[derive(Debug, Clone, PartialEq)]
pub struct DuesRow {
    /// YYYY-MM.
    pub period: String,
    /// The insurance type's name.
    pub insurance_type: String,
    /// The sum of the bases.
    pub base: f64,
    /// The unit's part.
    pub unit_amount: f64,
    /// The employees' part.
    pub personal_amount: f64,
}

/// Writes the drafts.
pub fn export_drafts(rows: &[DraftRow], out: &Path) -> Result<()> {
    let sheet = ExportSheet {
        name: "草稿".into(),
        headers: headers(&["编号", "业务", "所属期", "证件号码", "姓名", "问题"]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    ExportValue::Number(r.id as f64),
                    r.kind.as_str().into(),
                    r.period.as_str().into(),
                    r.document_no.as_str().into(),
                    r.name.as_str().into(),
                    r.problems.as_str().into(),
                ]
            })
            .collect(),
    };
    write_sheets(&[sheet], out)
}

/// Writes the declarations (one sheet) and every person's result (a second sheet).
pub fn export_declarations(rows: &[DeclarationRow], out: &Path) -> Result<()> {
    let list = ExportSheet {
        name: "申报".into(),
        headers: headers(&["申报编号", "业务", "所属期", "状态", "提交时间", "人数"]),
        rows: rows
            .iter()
            .map(|d| {
                vec![
                    d.number.as_str().into(),
                    d.kind.as_str().into(),
                    d.period.as_str().into(),
                    d.state.as_str().into(),
                    d.submitted_at.as_str().into(),
                    ExportValue::Number(d.items.len() as f64),
                ]
            })
            .collect(),
    };
    let details = ExportSheet {
        name: "明细".into(),
        headers: headers(&["申报编号", "序号", "证件号码", "姓名", "结果", "说明"]),
        rows: rows
            .iter()
            .flat_map(|d| {
                d.items.iter().enumerate().map(|(i, item)| {
                    vec![
                        d.number.as_str().into(),
                        ExportValue::Number(i as f64 + 1.0),
                        item.document_no.as_str().into(),
                        item.name.as_str().into(),
                        item.result.as_str().into(),
                        item.message.as_str().into(),
                    ]
                })
            })
            .collect(),
    };
    write_sheets(&[list, details], out)
}

/// Writes the roster.
pub fn export_roster(rows: &[RosterRow], out: &Path) -> Result<()> {
    let sheet = ExportSheet {
        name: "参保人员".into(),
        headers: headers(&["证件号码", "姓名", "险种", "参保年月", "缴费基数", "状态"]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.document_no.as_str().into(),
                    r.name.as_str().into(),
                    r.insurance_types.as_str().into(),
                    r.insured_from.as_str().into(),
                    r.base.into(),
                    r.status.as_str().into(),
                ]
            })
            .collect(),
    };
    write_sheets(&[sheet], out)
}

/// Writes the dues.
pub fn export_dues(rows: &[DuesRow], out: &Path) -> Result<()> {
    let sheet = ExportSheet {
        name: "应缴费用".into(),
        headers: headers(&["所属期", "险种", "缴费基数", "单位缴费", "个人缴费", "合计"]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.period.as_str().into(),
                    r.insurance_type.as_str().into(),
                    r.base.into(),
                    r.unit_amount.into(),
                    r.personal_amount.into(),
                    (r.unit_amount + r.personal_amount).into(),
                ]
            })
            .collect(),
    };
    write_sheets(&[sheet], out)
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// Writes sheets of plain rows to one workbook.
pub fn write_sheets(sheets: &[ExportSheet], out: &Path) -> Result<()> {
    let failed = |e: XlsxError| WorkbookError::Write {
        path: out.to_path_buf(),
        detail: e.to_string(),
    };
    let mut workbook = Workbook::new();
    for sheet in sheets {
        let ws = workbook.add_worksheet();
        write_sheet(ws, sheet).map_err(failed)?;
    }
    workbook.save(out).map_err(failed)
}

fn write_sheet(ws: &mut Worksheet, sheet: &ExportSheet) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    let money = Format::new().set_num_format("#,##0.00");
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
        ws.set_column_width(c as u16, 14)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (row, col) = (r as u32 + 1, c as u16);
            match value {
                ExportValue::Text(t) => ws.write_string(row, col, t)?,
                ExportValue::Number(n) if n.fract() == 0.0 => ws.write_number(row, col, *n)?,
                ExportValue::Number(n) => ws.write_number_with_format(row, col, *n, &money)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::{Cell, read_sheet};

    #[test]
    fn declarations_export_lists_and_details_with_numbers_kept_as_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("申报.xlsx");
        let rows = [DeclarationRow {
            number: "SB2026110001".into(),
            kind: "在职增员".into(),
            period: "2026-11".into(),
            state: "部分处理成功".into(),
            submitted_at: "2026-11-03 09:12".into(),
            items: vec![
                ItemResultRow {
                    document_no: "110105199003071239".into(),
                    name: "张三".into(),
                    result: "成功".into(),
                    message: String::new(),
                },
                ItemResultRow {
                    document_no: "11010519900307002X".into(),
                    name: "李四".into(),
                    result: "失败".into(),
                    message: "已在其他单位参保".into(),
                },
            ],
        }];
        export_declarations(&rows, &out).expect("written");
        let list = read_sheet(&out, None).expect("read");
        assert_eq!(list.name, "申报");
        assert_eq!(list.cell(1, 3).display(), "部分处理成功");
        assert_eq!(list.cell(1, 5), &Cell::Number(2.0));

        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("open");
        let details = calamine::Reader::worksheet_range(&mut book, "明细").expect("details");
        assert_eq!(
            details.get((1, 2)),
            Some(&calamine::Data::String("110105199003071239".into())),
            "an identity number stays text"
        );
        assert_eq!(
            details.get((2, 5)),
            Some(&calamine::Data::String("已在其他单位参保".into()))
        );
    }

    #[test]
    fn dues_export_sums_the_two_parts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("dues.xlsx");
        let rows = [DuesRow {
            period: "2026-11".into(),
            insurance_type: "养老".into(),
            base: 6500.0,
            unit_amount: 1040.0,
            personal_amount: 520.0,
        }];
        export_dues(&rows, &out).expect("written");
        let sheet = read_sheet(&out, None).expect("read");
        assert_eq!(sheet.cell(0, 5).display(), "合计");
        assert_eq!(sheet.cell(1, 5), &Cell::Number(1560.0));
    }
}
