//! Templates: a workbook per kind with the headers the import matches, an example row, a
//! comment on each header saying what the column wants, and drop-down lists built from the
//! agency's code tables, so a clerk picks 汉族 instead of remembering 01.

use std::path::Path;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, Formula, Note, Workbook, XlsxError,
};
use shebao_core::declaration::DeclarationKind;
use shebao_core::reference::{CodeTable, ReferenceData};

use crate::columns::columns_of;
use crate::error::{MAX_ROWS, Result, WorkbookError};

/// The hidden sheet holding the lists behind the drop-downs.
pub const LISTS_SHEET: &str = "代码表";

/// The identity number of the example row. The import skips a row with this number, so an
/// example the clerk forgot to delete never becomes a draft.
pub const EXAMPLE_DOCUMENT_NO: &str = "110105199003071234";

/// Writes the template for `kind` to `out`. Only hire, leave and wage have templates.
pub fn write_template(kind: DeclarationKind, reference: &ReferenceData, out: &Path) -> Result<()> {
    let failed = |e: XlsxError| WorkbookError::Write {
        path: out.to_path_buf(),
        detail: e.to_string(),
    };
    build(kind, reference)
        .and_then(|mut w| w.save(out))
        .map_err(failed)
}

fn build(kind: DeclarationKind, reference: &ReferenceData) -> Result<Workbook, XlsxError> {
    let columns = columns_of(kind);
    let mut workbook = Workbook::new();
    let tables: Vec<CodeTable> = columns.iter().filter_map(|c| c.table).collect();

    let sheet = workbook.add_worksheet();
    sheet.set_name(kind.label())?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    let required = header.clone().set_font_color(Color::RGB(0xC00000));
    let example = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x808080));
    let text_column = Format::new().set_num_format("@");
    let last_row = MAX_ROWS as u32;
    for (c, column) in columns.iter().enumerate() {
        let col = c as u16;
        let title = if column.required {
            format!("*{}", column.header)
        } else {
            column.header.to_owned()
        };
        sheet.write_string_with_format(
            0,
            col,
            &title,
            if column.required { &required } else { &header },
        )?;
        let mut hint = column.hint.to_owned();
        if c == 0 {
            hint.push_str("\n第 2 行是示例，导入时会跳过；请从第 3 行起填写。");
        }
        sheet.insert_note(
            0,
            col,
            &Note::new(hint)
                .set_author("shebao")
                .add_author_prefix(false),
        )?;
        sheet.set_column_width(col, 16)?;
        // Excel turns an 18-digit number into 1.1E+17 and loses its last digits; dates and
        // months typed as text keep the clerk's spelling, which the import reads.
        sheet.set_column_format(col, &text_column)?;
        if let Some(table) = column.table {
            let position = tables.iter().position(|t| *t == table).unwrap_or(0);
            let count = reference.codes(table).count();
            let letter = char::from(b'A' + position as u8);
            let list = Formula::new(format!(
                "='{LISTS_SHEET}'!${letter}$2:${letter}${}",
                count + 1
            ));
            let mut validation = DataValidation::new()
                .allow_list_formula(list)
                .set_input_title(column.header)?
                .set_input_message(format!("从列表选择{}", table.label()))?;
            if table == CodeTable::InsuranceTypes {
                // Several types go in one cell, which no list holds: offer the list, allow more.
                validation = validation
                    .set_error_style(DataValidationErrorStyle::Information)
                    .set_input_message("从列表选择一个险种；多个险种用空格或顿号分开")?;
            } else {
                validation = validation
                    .set_error_title("不在代码表中")?
                    .set_error_message(format!("请从列表中选择{}", table.label()))?;
            }
            sheet.add_data_validation(1, col, last_row, col, &validation)?;
        }
        let value = example_value(kind, column.field, reference);
        sheet.write_string_with_format(1, col, &value, &example)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let lists = workbook.add_worksheet();
    lists.set_name(LISTS_SHEET)?;
    for (i, table) in tables.iter().enumerate() {
        let col = i as u16;
        lists.write_string(0, col, table.label())?;
        for (r, (_, name)) in reference.codes(*table).enumerate() {
            lists.write_string(r as u32 + 1, col, name)?;
        }
    }
    lists.set_hidden(true);
    Ok(workbook)
}

/// The example row's value of a field.
fn example_value(kind: DeclarationKind, field: &str, reference: &ReferenceData) -> String {
    let name = |table: CodeTable| {
        reference
            .codes(table)
            .next()
            .map(|(_, n)| n.to_owned())
            .unwrap_or_default()
    };
    let this_month = chrono::Local::now().format("%Y-%m").to_string();
    match field {
        "document_type" => name(CodeTable::DocumentTypes),
        "document_no" => EXAMPLE_DOCUMENT_NO.to_owned(),
        "name" => "张三".to_owned(),
        "ethnicity" => name(CodeTable::Ethnicities),
        "household_type" => name(CodeTable::HouseholdTypes),
        "employment_form" => name(CodeTable::EmploymentForms),
        "first_employed_on" => "2015-07-01".to_owned(),
        "insured_from" => this_month,
        "insurance_types" => reference
            .codes(CodeTable::InsuranceTypes)
            .take(3)
            .map(|(_, n)| n)
            .collect::<Vec<_>>()
            .join(" "),
        "wage" => "6500.00".to_owned(),
        "reason" if kind == DeclarationKind::Leave => name(CodeTable::LeaveReasons),
        "reason" => name(CodeTable::HireReasons),
        "phone" => "13800138000".to_owned(),
        "left_on" => chrono::Local::now().format("%Y-%m-01").to_string(),
        "stop_month" => this_month,
        "year" => chrono::Local::now().format("%Y").to_string(),
        "average_monthly_wage" => "7200.00".to_owned(),
        _ => String::new(),
    }
}
