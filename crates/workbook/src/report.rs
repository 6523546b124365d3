//! The error report: the clerk's own sheet, every column and row as they wrote it, with a
//! 错误说明 column saying what is wrong with each row and the bad cells filled red with a
//! comment, so the clerk corrects the file itself and imports it again.

use std::collections::HashMap;
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use crate::columns::{Column, REPORT_HEADER};
use crate::error::{Result, WorkbookError};
use crate::import::{Import, RowStatus};
use crate::sheet::Cell;

const ERROR_FILL: u32 = 0xFFC7CE;
const WARNING_FILL: u32 = 0xFFEB9C;

/// Where the report of `file` goes unless the clerk says otherwise: beside it, named after it,
/// so "增员.xlsx" gets "增员-错误说明.xlsx".
pub fn default_report_path(file: &Path) -> std::path::PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}-错误说明.xlsx"))
}

/// Writes the report of `import` to `out` (an .xlsx file).
pub fn write_report(import: &Import, out: &Path) -> Result<()> {
    let failed = |e: XlsxError| WorkbookError::Write {
        path: out.to_path_buf(),
        detail: e.to_string(),
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(sheet_name(&import.sheet.name))
        .map_err(failed)?;
    fill(sheet, import).map_err(failed)?;
    workbook.save(out).map_err(failed)
}

/// A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Sheet1".to_owned()
    } else {
        clean
    }
}

/// How a marked cell looks and what its comment says.
struct Mark {
    error: bool,
    messages: Vec<String>,
}

fn fill(ws: &mut Worksheet, import: &Import) -> Result<(), XlsxError> {
    let layout = &import.layout;
    let report_col = layout
        .columns
        .iter()
        .position(|c| *c == Column::Report)
        .unwrap_or_else(|| import.sheet.width().max(layout.columns.len()));
    let header_of = |c: usize| import.sheet.cell(layout.header_row, c).display();

    let mut marks: HashMap<(usize, usize), Mark> = HashMap::new();
    let mut explanations: HashMap<usize, String> = HashMap::new();
    for outcome in &import.rows {
        let mut parts: Vec<String> = outcome
            .problems
            .iter()
            .map(|p| {
                let prefix = if p.error { "" } else { "提示：" };
                match p.column {
                    Some(c) => format!("{prefix}{}：{}", header_of(c).trim(), p.message),
                    None => format!("{prefix}{}", p.message),
                }
            })
            .collect();
        match outcome.status {
            RowStatus::AlreadyDraft => parts.push("已在草稿中，本次未重复导入".into()),
            RowStatus::Imported if import.refused_whole_file => {
                parts.push("本行无误；因文件中有错误行，整个文件都未导入".into());
            }
            _ => {}
        }
        if !parts.is_empty() {
            explanations.insert(outcome.row, parts.join("；"));
        }
        for p in &outcome.problems {
            if let Some(c) = p.column {
                let mark = marks.entry((outcome.row, c)).or_insert(Mark {
                    error: false,
                    messages: Vec::new(),
                });
                mark.error |= p.error;
                mark.messages.push(p.message.clone());
            }
        }
    }

    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let bad = |fill: u32| {
        Format::new()
            .set_background_color(Color::RGB(fill))
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0x9C0006))
    };
    let (error_fmt, warning_fmt) = (bad(ERROR_FILL), bad(WARNING_FILL));
    let error_date = error_fmt.clone().set_num_format("yyyy-mm-dd");
    let warning_date = warning_fmt.clone().set_num_format("yyyy-mm-dd");

    for (r, cells) in import.sheet.rows.iter().enumerate() {
        let row = r as u32;
        for (c, cell) in cells.iter().enumerate() {
            if c == report_col {
                continue;
            }
            let col = c as u16;
            let mark = marks.get(&(r, c));
            let marked = mark.map(|m| if m.error { &error_fmt } else { &warning_fmt });
            match cell {
                Cell::Empty => {
                    if let Some(f) = marked {
                        ws.write_blank(row, col, f)?;
                    }
                }
                Cell::Text(t) | Cell::Error(t) => {
                    match marked {
                        Some(f) => ws.write_string_with_format(row, col, t, f)?,
                        None => ws.write_string(row, col, t)?,
                    };
                }
                Cell::Number(n) => {
                    match marked {
                        Some(f) => ws.write_number_with_format(row, col, *n, f)?,
                        None => ws.write_number(row, col, *n)?,
                    };
                }
                Cell::Bool(b) => {
                    match marked {
                        Some(f) => ws.write_boolean_with_format(row, col, *b, f)?,
                        None => ws.write_boolean(row, col, *b)?,
                    };
                }
                Cell::Date(at) => {
                    let plain = at.time() == chrono::NaiveTime::MIN;
                    let f = match (mark.map(|m| m.error), plain) {
                        (Some(true), _) => &error_date,
                        (Some(false), _) => &warning_date,
                        (None, true) => &date,
                        (None, false) => &date_time,
                    };
                    ws.write_datetime_with_format(row, col, at, f)?;
                }
            }
        }
    }
    // Marks on cells the clerk left empty (a required value missing) still need their fill.
    for (&(r, c), mark) in &marks {
        if import.sheet.cell(r, c) == &Cell::Empty {
            let f = if mark.error { &error_fmt } else { &warning_fmt };
            ws.write_blank(r as u32, c as u16, f)?;
        }
        let note = Note::new(mark.messages.join("\n"))
            .set_author("shebao")
            .add_author_prefix(false);
        ws.insert_note(r as u32, c as u16, &note)?;
    }

    let header_fmt = Format::new()
        .set_bold()
        .set_font_color(Color::RGB(0x9C0006));
    let report_col16 = report_col as u16;
    ws.write_string_with_format(
        layout.header_row as u32,
        report_col16,
        REPORT_HEADER,
        &header_fmt,
    )?;
    let wrap = Format::new().set_font_color(Color::RGB(0x9C0006));
    for outcome in &import.rows {
        let row = outcome.row as u32;
        match explanations.get(&outcome.row) {
            Some(text) => ws.write_string_with_format(row, report_col16, text, &wrap)?,
            // An explanation left over from an earlier report must not survive the fix.
            None => ws.write_blank(row, report_col16, &Format::new())?,
        };
    }
    ws.set_column_width(report_col16, 60)?;
    ws.set_freeze_panes(layout.header_row as u32 + 1, 0)?;
    Ok(())
}
