//! Workbooks built the way clerks' files come: headers, rows of text, numbers and dates.

#![allow(dead_code)]

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Workbook, Worksheet};
use shebao_core::declaration::DeclarationKind;
use shebao_core::reference::ReferenceData;
use shebao_workbook::{Import, ImportOptions, WorkbookError, prepare};

/// The day the tests pretend it is, and the period of their declarations.
pub fn options(kind: DeclarationKind) -> ImportOptions {
    ImportOptions {
        kind,
        default_period: "2026-11".into(),
        encoding: None,
        all_or_nothing: false,
        today: NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"),
    }
}

/// Imports `path` as hires, checked against the demo reference data, with no drafts saved yet.
pub fn import_hires(path: &Path) -> Result<Import, WorkbookError> {
    prepare(
        path,
        &options(DeclarationKind::Hire),
        Some(&ReferenceData::demo()),
        &[],
        &mut |_| {},
    )
}

/// A valid resident ID number of someone born on 1990-03-07, numbered `n`.
pub fn resident_id(n: u32) -> String {
    let first17 = format!("110105199003{:02}{:03}", 7 + n / 1000 % 20, n % 1000);
    let check = shebao_core::id::check_character(&first17).expect("17 digits");
    format!("{first17}{check}")
}

pub const HIRE_HEADERS: [&str; 10] = [
    "证件类型",
    "证件号码",
    "姓名",
    "户口性质",
    "用工形式",
    "参加工作日期",
    "参保年月",
    "险种",
    "月工资",
    "增员原因",
];

/// A good hire row for `resident_id(n)`.
pub fn hire_row(n: u32) -> Vec<String> {
    [
        "01",
        &resident_id(n),
        "张三",
        "10",
        "01",
        "2015-07-01",
        "2026-11",
        "110 210 310",
        "6500.00",
        "11",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// Writes text rows under `headers` to a new xlsx file.
pub fn write_xlsx(path: &Path, headers: &[&str], rows: &[Vec<String>]) {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    write_rows(sheet, 0, headers, rows);
    workbook.save(path).expect("xlsx written");
}

pub fn write_rows(sheet: &mut Worksheet, top: u32, headers: &[&str], rows: &[Vec<String>]) {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(top, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet
                    .write_string(top + 1 + r as u32, c as u16, v)
                    .expect("cell");
            }
        }
    }
}
