//! Which column is which: headers matched by their text (the wire names and the Chinese labels
//! that `shebao-store` knows, plus English names and the variants clerks type), in any order,
//! with the header row found below any title rows.

use shebao_core::declaration::DeclarationKind;
use shebao_core::reference::CodeTable;
use shebao_store::import::columns::{Target, target};

use crate::normalise::half_width;
use crate::sheet::Sheet;

/// The header of the column the report adds (and that a re-import of a report skips).
pub const REPORT_HEADER: &str = "错误说明";

/// Rows searched for the header row, so a title or a note may stand above it.
const HEADER_SEARCH_ROWS: usize = 20;

/// What a column of the clerk's sheet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// A wire field of the item.
    Field(&'static str),
    /// A wire field holding several codes in one cell.
    CodeList(&'static str),
    /// The declaration period.
    Period,
    /// For the change kinds: a field to change, by its header.
    Change(String),
    /// The 错误说明 column of an earlier report.
    Report,
    /// Not used by the import.
    Ignored,
}

/// One column of a kind's template, and what it wants.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// The wire field.
    pub field: &'static str,
    /// The header written in templates and matched on import.
    pub header: &'static str,
    /// What the column wants, for the header's comment.
    pub hint: &'static str,
    /// The code table its values come from.
    pub table: Option<CodeTable>,
    /// Whether the import refuses a file without it.
    pub required: bool,
}

const fn spec(
    field: &'static str,
    header: &'static str,
    hint: &'static str,
    table: Option<CodeTable>,
    required: bool,
) -> ColumnSpec {
    ColumnSpec {
        field,
        header,
        hint,
        table,
        required,
    }
}

const PERSON: [ColumnSpec; 3] = [
    spec(
        "document_type",
        "证件类型",
        "必填。从列表选择，如 居民身份证；也可填代码 01。",
        Some(CodeTable::DocumentTypes),
        true,
    ),
    spec(
        "document_no",
        "证件号码",
        "必填。18 位身份证号码，末位 X 大写。请把本列设为文本，以免 Excel 把号码变成科学计数。",
        None,
        true,
    ),
    spec("name", "姓名", "必填。与证件上的姓名一致。", None, true),
];

const HIRE: [ColumnSpec; 12] = [
    PERSON[0],
    PERSON[1],
    PERSON[2],
    spec(
        "ethnicity",
        "民族",
        "选填。从列表选择，如 汉族。",
        Some(CodeTable::Ethnicities),
        false,
    ),
    spec(
        "household_type",
        "户口性质",
        "必填。从列表选择。",
        Some(CodeTable::HouseholdTypes),
        true,
    ),
    spec(
        "employment_form",
        "用工形式",
        "必填。从列表选择。",
        Some(CodeTable::EmploymentForms),
        true,
    ),
    spec(
        "first_employed_on",
        "参加工作日期",
        "必填。如 2015-07-01、2015/7/1 或 20150701。",
        None,
        true,
    ),
    spec(
        "insured_from",
        "参保年月",
        "必填。本次参保的年月，如 2026-03 或 202603。",
        None,
        true,
    ),
    spec(
        "insurance_types",
        "险种",
        "必填。一个或多个险种名称或代码，用空格或顿号分开，如 养老 失业 医疗。",
        Some(CodeTable::InsuranceTypes),
        true,
    ),
    spec(
        "wage",
        "月工资",
        "必填。申报的月工资（元），如 6500.00。",
        None,
        true,
    ),
    spec(
        "reason",
        "增员原因",
        "必填。从列表选择。",
        Some(CodeTable::HireReasons),
        true,
    ),
    spec("phone", "联系电话", "选填。手机或固定电话。", None, false),
];

const LEAVE: [ColumnSpec; 7] = [
    PERSON[0],
    PERSON[1],
    PERSON[2],
    spec(
        "reason",
        "减员原因",
        "必填。从列表选择。",
        Some(CodeTable::LeaveReasons),
        true,
    ),
    spec(
        "left_on",
        "离职日期",
        "必填。如 2026-03-15、2026/3/15 或 20260315。",
        None,
        true,
    ),
    spec(
        "stop_month",
        "停保年月",
        "必填。不再缴费的第一个月，如 2026-04 或 202604。",
        None,
        true,
    ),
    spec("remarks", "备注", "选填。至多 200 字。", None, false),
];

const WAGE: [ColumnSpec; 5] = [
    PERSON[0],
    PERSON[1],
    PERSON[2],
    spec(
        "year",
        "申报年度",
        "必填。缴费基数适用的年度，如 2026。",
        None,
        true,
    ),
    spec(
        "average_monthly_wage",
        "上年月平均工资",
        "必填。上一年度的月平均工资（元），如 7200.00。",
        None,
        true,
    ),
];

/// The columns of a kind's template, in template order; empty for the change kinds.
pub fn columns_of(kind: DeclarationKind) -> &'static [ColumnSpec] {
    match kind {
        DeclarationKind::Hire => &HIRE,
        DeclarationKind::Leave => &LEAVE,
        DeclarationKind::Wage => &WAGE,
        DeclarationKind::PersonChange => &PERSON[..2],
        DeclarationKind::UnitChange => &[],
    }
}

/// English names and spellings clerks use, keyed by [`loose_key`], with their wire field.
const ALIASES: &[(&str, &str)] = &[
    ("idtype", "document_type"),
    ("documenttype", "document_type"),
    ("certificatetype", "document_type"),
    ("idno", "document_no"),
    ("idnumber", "document_no"),
    ("idcard", "document_no"),
    ("idcardno", "document_no"),
    ("idcardnumber", "document_no"),
    ("documentno", "document_no"),
    ("documentnumber", "document_no"),
    ("证件号", "document_no"),
    ("身份证", "document_no"),
    ("name", "name"),
    ("fullname", "name"),
    ("ethnicity", "ethnicity"),
    ("nation", "ethnicity"),
    ("householdtype", "household_type"),
    ("hukou", "household_type"),
    ("户籍类型", "household_type"),
    ("employmentform", "employment_form"),
    ("employmenttype", "employment_form"),
    ("firstemployedon", "first_employed_on"),
    ("firstemployed", "first_employed_on"),
    ("startedwork", "first_employed_on"),
    ("工作日期", "first_employed_on"),
    ("insuredfrom", "insured_from"),
    ("insuredsince", "insured_from"),
    ("参保年月", "insured_from"),
    ("参保月份", "insured_from"),
    ("insurancetypes", "insurance_types"),
    ("insurance", "insurance_types"),
    ("wage", "wage"),
    ("monthlywage", "wage"),
    ("salary", "wage"),
    ("reason", "reason"),
    ("hirereason", "reason"),
    ("leavereason", "reason"),
    ("phone", "phone"),
    ("mobile", "phone"),
    ("telephone", "phone"),
    ("手机", "phone"),
    ("手机号码", "phone"),
    ("remarks", "remarks"),
    ("note", "remarks"),
    ("notes", "remarks"),
    ("sex", "sex"),
    ("gender", "sex"),
    ("birthdate", "birth_date"),
    ("dateofbirth", "birth_date"),
    ("nationality", "nationality"),
    ("lefton", "left_on"),
    ("leavingdate", "left_on"),
    ("dateleft", "left_on"),
    ("stopmonth", "stop_month"),
    ("year", "year"),
    ("averagemonthlywage", "average_monthly_wage"),
    ("avgmonthlywage", "average_monthly_wage"),
    ("declarationperiod", "period"),
];

/// A header as typed, tidied: half-width, no spaces, no required-marks (*), no bracketed
/// hint such as （必填） or (YYYY-MM-DD).
pub fn tidy_header(text: &str) -> String {
    let mut s: String = half_width(text)
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect();
    if let Some(open) = s.find('(')
        && open > 0
        && s.ends_with(')')
    {
        s.truncate(open);
    }
    s
}

/// A header reduced to lower-case letters, digits and Chinese, for the alias look-up.
fn loose_key(tidy: &str) -> String {
    tidy.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a column headed `header` holds in a file of `kind`.
pub fn column_for(kind: DeclarationKind, header: &str) -> Column {
    let tidy = tidy_header(header);
    if tidy.is_empty() {
        return Column::Ignored;
    }
    if tidy == REPORT_HEADER {
        return Column::Report;
    }
    let known = target(kind, &tidy).or_else(|| {
        let key = loose_key(&tidy);
        ALIASES
            .iter()
            .find(|(alias, _)| *alias == key)
            .and_then(|(_, wire)| target(kind, wire))
    });
    match known {
        Some(Target::Field(f)) => Column::Field(f),
        Some(Target::CodeList(f)) => Column::CodeList(f),
        Some(Target::Period) => Column::Period,
        None if matches!(
            kind,
            DeclarationKind::PersonChange | DeclarationKind::UnitChange
        ) =>
        {
            Column::Change(tidy)
        }
        None => Column::Ignored,
    }
}

/// Where the header row is and what each column holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The zero-based row of the headers.
    pub header_row: usize,
    /// One entry per column of the sheet.
    pub columns: Vec<Column>,
}

impl Layout {
    /// The column holding a wire field.
    pub fn column_of(&self, field: &str) -> Option<usize> {
        let field = field.strip_prefix("changes.").unwrap_or(field);
        self.columns.iter().position(|c| match c {
            Column::Field(f) | Column::CodeList(f) => *f == field,
            Column::Change(h) => h == field,
            Column::Period => field == "period",
            _ => false,
        })
    }

    /// The headers the file lacks, as "证件号码 (document_no)".
    pub fn missing(&self, kind: DeclarationKind) -> Vec<String> {
        columns_of(kind)
            .iter()
            .filter(|c| c.required && self.column_of(c.field).is_none())
            .map(|c| format!("{} ({})", c.header, c.field))
            .collect()
    }
}

/// Finds the header row: the first of the top rows naming at least two known columns (one for
/// the change kinds, whose other columns are all fields to change).
pub fn find_layout(sheet: &Sheet, kind: DeclarationKind) -> Option<Layout> {
    let needed = match kind {
        DeclarationKind::PersonChange | DeclarationKind::UnitChange => 1,
        _ => 2,
    };
    sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(r, row)| {
            let columns: Vec<Column> = row
                .iter()
                .map(|cell| column_for(kind, &cell.display()))
                .collect();
            let known = columns
                .iter()
                .filter(|c| matches!(c, Column::Field(_) | Column::CodeList(_) | Column::Period))
                .count();
            let any = columns.iter().any(|c| *c != Column::Ignored);
            let enough = if kind == DeclarationKind::UnitChange {
                any
            } else {
                known >= needed
            };
            enough.then_some(Layout {
                header_row: r,
                columns,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::Cell;

    #[test]
    fn chinese_english_and_decorated_headers_match() {
        let k = DeclarationKind::Hire;
        assert_eq!(column_for(k, "证件号码"), Column::Field("document_no"));
        assert_eq!(
            column_for(k, " *身份证号码（必填） "),
            Column::Field("document_no")
        );
        assert_eq!(column_for(k, "ID No."), Column::Field("document_no"));
        assert_eq!(column_for(k, "Ｎａｍｅ"), Column::Field("name"));
        assert_eq!(column_for(k, "Monthly Wage"), Column::Field("wage"));
        assert_eq!(
            column_for(k, "参加工作日期(YYYY-MM-DD)"),
            Column::Field("first_employed_on")
        );
        assert_eq!(
            column_for(k, "参保险种"),
            Column::CodeList("insurance_types")
        );
        assert_eq!(column_for(k, "申报年月"), Column::Period);
        assert_eq!(column_for(k, "错误说明"), Column::Report);
        assert_eq!(column_for(k, "鞋码"), Column::Ignored);
        // A leave file's 原因 is the leave reason; 离职日期 means nothing in a hire file.
        assert_eq!(
            column_for(DeclarationKind::Leave, "Reason"),
            Column::Field("reason")
        );
        assert_eq!(column_for(k, "离职日期"), Column::Ignored);
    }

    #[test]
    fn the_header_row_is_found_below_a_title_and_missing_columns_are_named() {
        let text = |s: &str| Cell::Text(s.into());
        let sheet = Sheet {
            name: "Sheet1".into(),
            rows: vec![
                vec![text("2026年3月增员名单")],
                vec![],
                vec![text("姓名"), text("鞋码"), text("证件号码"), text("月工资")],
            ],
        };
        let layout = find_layout(&sheet, DeclarationKind::Hire).unwrap();
        assert_eq!(layout.header_row, 2);
        assert_eq!(layout.column_of("document_no"), Some(2));
        let missing = layout.missing(DeclarationKind::Hire).join(", ");
        assert!(missing.contains("证件类型 (document_type)"), "{missing}");
        assert!(missing.contains("增员原因 (reason)"), "{missing}");
        assert!(!missing.contains("姓名"), "{missing}");
        assert!(find_layout(&sheet, DeclarationKind::Wage).is_some());
        let titles_only = Sheet {
            name: "x".into(),
            rows: vec![vec![text("名单")]],
        };
        assert!(find_layout(&titles_only, DeclarationKind::Hire).is_none());
    }
}
