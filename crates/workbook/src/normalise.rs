//! Values as clerks write them, turned into what the wire expects: dates in every usual
//! spelling and Excel's serial numbers, months as 202603 or 2026-03, full-width digits and
//! letters, stray spaces, code-table values given by name, and identity numbers that Excel
//! has turned into numbers.

use chrono::{Days, NaiveDate};
use shebao_core::declaration::parse_date;
use shebao_core::month::Month;
use shebao_core::reference::{CodeTable, ReferenceData};

use crate::sheet::Cell;

/// What kind of value a wire field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A calendar date, written YYYY-MM-DD on the wire.
    Date,
    /// A month, YYYY-MM.
    Month,
    /// A year, YYYY.
    Year,
    /// A code of a table.
    Code(CodeTable),
    /// Several codes of a table.
    CodeList(CodeTable),
    /// An amount of yuan.
    Money,
    /// An identity document number.
    DocumentNo,
    /// Anything else.
    Text,
}

/// The kind of value of a wire field in an item of `kind` (the reason's table depends on it).
pub fn field_kind(kind: shebao_core::declaration::DeclarationKind, field: &str) -> FieldKind {
    use shebao_core::declaration::DeclarationKind as K;
    match field {
        "first_employed_on" | "birth_date" | "left_on" => FieldKind::Date,
        "insured_from" | "stop_month" | "period" => FieldKind::Month,
        "year" => FieldKind::Year,
        "wage" | "average_monthly_wage" => FieldKind::Money,
        "document_no" => FieldKind::DocumentNo,
        "document_type" => FieldKind::Code(CodeTable::DocumentTypes),
        "ethnicity" => FieldKind::Code(CodeTable::Ethnicities),
        "household_type" => FieldKind::Code(CodeTable::HouseholdTypes),
        "employment_form" => FieldKind::Code(CodeTable::EmploymentForms),
        "insurance_types" => FieldKind::CodeList(CodeTable::InsuranceTypes),
        "reason" if kind == K::Leave => FieldKind::Code(CodeTable::LeaveReasons),
        "reason" => FieldKind::Code(CodeTable::HireReasons),
        _ => FieldKind::Text,
    }
}

/// A normalised value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// One text value.
    Text(String),
    /// A list of codes.
    List(Vec<String>),
}

/// Full-width ASCII (Ａ１２３，) and the ideographic space become their ordinary forms, as
/// Chinese input methods in full-width mode type them.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A number as a clerk would type it: 6500, 6500.5, 13800138000.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The largest Excel serial date (9999-12-31).
const MAX_SERIAL: f64 = 2_958_465.0;

/// The date of an Excel serial number (1900 date system; Excel counts a 29 February 1900 that
/// never was, so serials from 61 on are one day ahead of a plain count from 1899-12-31; its
/// serial 60 is read as the 28th).
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=MAX_SERIAL).contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor() as u64;
    let days = if days < 60 { days + 1 } else { days };
    epoch.checked_add_days(Days::new(days))
}

/// The cell of a field, as the wire wants it. `Err` holds a message for the clerk when the
/// cell cannot mean anything (an error value, a number that lost digits).
pub fn normalise(
    field_kind: FieldKind,
    cell: &Cell,
    reference: Option<&ReferenceData>,
) -> Result<Value, String> {
    let text = match cell {
        Cell::Error(e) => {
            return Err(format!("单元格是错误值 {e}，请改为实际内容"));
        }
        Cell::Date(at) => {
            return Ok(Value::Text(match field_kind {
                FieldKind::Month => Month::of(at.date()).to_string(),
                _ => at.date().format("%Y-%m-%d").to_string(),
            }));
        }
        Cell::Number(n) => return number(field_kind, *n, reference),
        Cell::Text(t) => half_width(t).trim().to_owned(),
        other => half_width(&other.display()).trim().to_owned(),
    };
    Ok(match field_kind {
        FieldKind::Date => Value::Text(date_text(&text)),
        FieldKind::Month => Value::Text(month_text(&text)),
        FieldKind::Year => Value::Text(text.trim_end_matches('年').trim().to_owned()),
        FieldKind::Money => Value::Text(
            text.chars()
                .filter(|c| !matches!(c, ',' | '，' | '元' | '¥' | '￥') && !c.is_whitespace())
                .collect(),
        ),
        FieldKind::DocumentNo => Value::Text(
            text.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        ),
        FieldKind::Code(table) => Value::Text(code(table, &text, reference)),
        FieldKind::CodeList(table) => Value::List(
            text.split(|c: char| {
                c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；' | '/')
            })
            .filter(|s| !s.is_empty())
            .map(|s| code(table, s, reference))
            .collect(),
        ),
        FieldKind::Text => Value::Text(text),
    })
}

fn number(
    field_kind: FieldKind,
    n: f64,
    reference: Option<&ReferenceData>,
) -> Result<Value, String> {
    let text = number_text(n);
    Ok(Value::Text(match field_kind {
        FieldKind::Date => {
            if text.len() == 8 && parse_date(&text).is_some() {
                date_text(&text)
            } else {
                serial_date(n).map_or(text, |d| d.format("%Y-%m-%d").to_string())
            }
        }
        FieldKind::Month => {
            if Month::parse(&text).is_ok() {
                month_text(&text)
            } else {
                serial_date(n).map_or(text, |d| Month::of(d).to_string())
            }
        }
        FieldKind::DocumentNo if n.abs() >= 1e15 => {
            return Err(
                "证件号码在 Excel 中被存成了数字，后几位已经丢失（显示为 1.1E+17 一类）。\
                        请把该列设为“文本”，重新输入号码"
                    .to_owned(),
            );
        }
        FieldKind::Code(table) => code(table, &text, reference),
        FieldKind::CodeList(table) => return Ok(Value::List(vec![code(table, &text, reference)])),
        _ => text,
    }))
}

/// "2026/3/1", "2026.3.1", "20260301", "2026年3月1日", "2026-03-01 00:00:00" → "2026-03-01";
/// anything else is left for the rules to name.
fn date_text(text: &str) -> String {
    if text.len() == 10
        && let Some(d) = parse_date(text)
    {
        return d.format("%Y-%m-%d").to_string();
    }
    let s = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .replace(['年', '月'], "-")
        .replace('日', "");
    parse_date(&s).map_or_else(|| text.to_owned(), |d| d.format("%Y-%m-%d").to_string())
}

/// "202603", "2026/3", "2026年3月", or a whole date → "2026-03".
fn month_text(text: &str) -> String {
    if let Ok(m) = Month::parse(text) {
        return m.to_string();
    }
    let s = text.replace('年', "-").replace('月', "").replace('.', "-");
    if let Ok(m) = Month::parse(&s) {
        return m.to_string();
    }
    match parse_date(&date_text(text)) {
        Some(d) => Month::of(d).to_string(),
        None => text.to_owned(),
    }
}

/// A code given by code or by name ("01", "居民身份证", "01 居民身份证", 1 for "01").
fn code(table: CodeTable, text: &str, reference: Option<&ReferenceData>) -> String {
    let text = text.trim();
    let Some(reference) = reference else {
        return text.to_owned();
    };
    if let Some(code) = reference.resolve(table, text) {
        return code.to_owned();
    }
    let padded = format!("{text:0>2}");
    let first = text.split([' ', '-', ':']).next().unwrap_or(text);
    [padded.as_str(), first]
        .into_iter()
        .find_map(|t| reference.resolve(table, t))
        .unwrap_or(text)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn text(kind: FieldKind, cell: Cell) -> String {
        match normalise(kind, &cell, Some(&ReferenceData::demo())) {
            Ok(Value::Text(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn dates_in_every_spelling_clerks_use() {
        for s in [
            "2026-03-01",
            "2026/3/1",
            "20260301",
            "2026.3.1",
            "２０２６－０３－０１",
            " 2026年3月1日 ",
            "2026-03-01 00:00:00",
        ] {
            assert_eq!(text(FieldKind::Date, t(s)), "2026-03-01", "{s}");
        }
        // 46082 is 2026-03-01 in Excel's 1900 date system.
        assert_eq!(text(FieldKind::Date, Cell::Number(46082.0)), "2026-03-01");
        assert_eq!(
            text(FieldKind::Date, Cell::Number(20260301.0)),
            "2026-03-01"
        );
        let at = NaiveDateTime::parse_from_str("2026-03-01 08:30", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(text(FieldKind::Date, Cell::Date(at)), "2026-03-01");
        // Nonsense stays as typed, so the rules can name it.
        assert_eq!(text(FieldKind::Date, t("明天")), "明天");
        assert_eq!(serial_date(60.0).unwrap().to_string(), "1900-02-28");
        assert_eq!(serial_date(61.0).unwrap().to_string(), "1900-03-01");
    }

    #[test]
    fn months_as_202603_2026_03_serials_and_dates() {
        for cell in [
            t("202603"),
            t("2026-03"),
            t("2026/3"),
            t("2026年3月"),
            t("2026-03-15"),
            Cell::Number(202603.0),
            Cell::Number(46082.0),
        ] {
            assert_eq!(text(FieldKind::Month, cell.clone()), "2026-03", "{cell:?}");
        }
    }

    #[test]
    fn full_width_spaces_money_and_years() {
        assert_eq!(half_width("ＡＢｃ１２３　，"), "ABc123 ,");
        assert_eq!(text(FieldKind::Money, t(" 6,500.00元 ")), "6500.00");
        assert_eq!(text(FieldKind::Money, t("６５００")), "6500");
        assert_eq!(text(FieldKind::Money, Cell::Number(6500.5)), "6500.5");
        assert_eq!(text(FieldKind::Year, t("2026年")), "2026");
        assert_eq!(text(FieldKind::Year, Cell::Number(2026.0)), "2026");
        assert_eq!(text(FieldKind::Text, t("  张三 ")), "张三");
        assert_eq!(
            text(FieldKind::Text, Cell::Number(13800138000.0)),
            "13800138000"
        );
    }

    #[test]
    fn identity_numbers_are_tidied_and_lost_digits_are_named() {
        assert_eq!(
            text(FieldKind::DocumentNo, t(" 110105 19491231 002x")),
            "11010519491231002X"
        );
        assert_eq!(
            text(
                FieldKind::DocumentNo,
                t("１１０１０５１９４９１２３１００２Ｘ")
            ),
            "11010519491231002X"
        );
        let err = normalise(
            FieldKind::DocumentNo,
            &Cell::Number(1.10105194912310e17),
            None,
        )
        .unwrap_err();
        assert!(err.contains("文本"), "{err}");
        assert!(
            normalise(FieldKind::Text, &Cell::Error("#N/A".into()), None)
                .unwrap_err()
                .contains("#N/A")
        );
    }

    #[test]
    fn codes_by_code_or_by_name() {
        let docs = FieldKind::Code(CodeTable::DocumentTypes);
        assert_eq!(text(docs, t("01")), "01");
        assert_eq!(text(docs, Cell::Number(1.0)), "01");
        let ethnic = FieldKind::Code(CodeTable::Ethnicities);
        assert_eq!(text(ethnic, t("汉族")), "01");
        assert_eq!(text(ethnic, t("01 汉族")), "01");
        assert_eq!(text(ethnic, t("火星族")), "火星族");
        let list = normalise(
            FieldKind::CodeList(CodeTable::InsuranceTypes),
            &t("养老、失业，310 工伤"),
            Some(&ReferenceData::demo()),
        );
        assert_eq!(
            list,
            Ok(Value::List(vec![
                "110".into(),
                "210".into(),
                "310".into(),
                "410".into()
            ]))
        );
        // Without reference data the values stay as written.
        assert_eq!(
            normalise(docs, &t("居民身份证"), None),
            Ok(Value::Text("居民身份证".into()))
        );
    }
}
