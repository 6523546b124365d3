//! Checks shared by several kinds of item: the person, codes, dates, months, phones.

use chrono::NaiveDate;

use crate::id::{DocumentNumber, DocumentType};
use crate::money::Money;
use crate::month::Month;
use crate::name::check_name;
use crate::reference::CodeTable;
use crate::validate::{Context, Problems};

/// Treats a blank optional value like an absent one.
pub(crate) fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(crate) fn required(
    problems: &mut Problems,
    field: &'static str,
    label: &str,
    value: &str,
) -> bool {
    if value.trim().is_empty() {
        problems.error(field, "required", format!("请填写{label}"));
        false
    } else {
        true
    }
}

/// Checks document type, number and name together, since the name rules and the number rules
/// both depend on the type. Returns the checked number when it is valid.
pub(crate) fn person(
    problems: &mut Problems,
    ctx: &Context<'_>,
    document_type: &str,
    document_no: &str,
    name: &str,
) -> Option<(DocumentType, DocumentNumber)> {
    let (checked_as, number) = document(problems, ctx, document_type, document_no);
    if let Err(e) = check_name(name, checked_as.is_foreign()) {
        problems.error("name", e.code(), e.to_string());
    }
    number
}

/// Checks a document type and number. Returns the type the number was checked as (a resident
/// ID when the type itself is wrong, by far the likeliest, rather than staying silent about the
/// number) and the checked pair when both are valid.
pub(crate) fn document(
    problems: &mut Problems,
    ctx: &Context<'_>,
    document_type: &str,
    document_no: &str,
) -> (DocumentType, Option<(DocumentType, DocumentNumber)>) {
    let doc_type = if required(problems, "document_type", "证件类型", document_type) {
        match DocumentType::from_code(document_type) {
            Some(t) if ctx.reference.has(CodeTable::DocumentTypes, t.code()) => Some(t),
            _ => {
                problems.error(
                    "document_type",
                    "unknown_code",
                    format!(
                        "证件类型“{}”不在经办机构公布的证件类型中",
                        document_type.trim()
                    ),
                );
                None
            }
        }
    } else {
        None
    };
    let checked_as = doc_type.unwrap_or(DocumentType::ResidentId);
    let number = match DocumentNumber::parse_on(checked_as, document_no, ctx.today) {
        Ok(n) => Some(n),
        Err(e) => {
            problems.error("document_no", e.code(), e.to_string());
            None
        }
    };
    (checked_as, doc_type.zip(number))
}

/// A code that must be in a table of the reference data.
pub(crate) fn code(
    problems: &mut Problems,
    ctx: &Context<'_>,
    field: &'static str,
    table: CodeTable,
    value: &str,
) -> bool {
    if !required(problems, field, table.label(), value) {
        return false;
    }
    if ctx.reference.has(table, value.trim()) {
        true
    } else {
        problems.error(
            field,
            "unknown_code",
            format!(
                "{}“{}”不在经办机构公布的代码表中，请从列表中选择",
                table.label(),
                value.trim()
            ),
        );
        false
    }
}

/// Parses a date written "2026-03-01", "2026/3/1" or "20260301".
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    let mut parts = s.split(['-', '/', '.']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let number = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    NaiveDate::from_ymd_opt(i32::try_from(number(y)?).ok()?, number(m)?, number(d)?)
}

/// A required date, not after today.
pub(crate) fn past_date(
    problems: &mut Problems,
    ctx: &Context<'_>,
    field: &'static str,
    label: &str,
    value: &str,
) -> Option<NaiveDate> {
    if !required(problems, field, label, value) {
        return None;
    }
    let Some(date) = parse_date(value) else {
        problems.error(
            field,
            "date_format",
            format!("{label}“{}”不是日期，请写成 2026-03-01", value.trim()),
        );
        return None;
    };
    if date > ctx.today {
        problems.error(
            field,
            "future_date",
            format!("{label} {date} 在今天之后，请核对"),
        );
        return None;
    }
    Some(date)
}

pub(crate) fn month(
    problems: &mut Problems,
    field: &'static str,
    label: &str,
    value: &str,
) -> Option<Month> {
    if !required(problems, field, label, value) {
        return None;
    }
    match Month::parse(value) {
        Ok(m) => Some(m),
        Err(e) => {
            problems.error(field, "month_format", format!("{label}：{e}"));
            None
        }
    }
}

/// A required, positive amount of money.
pub(crate) fn amount(
    problems: &mut Problems,
    field: &'static str,
    label: &str,
    value: &str,
) -> Option<Money> {
    if !required(problems, field, label, value) {
        return None;
    }
    match Money::parse(value) {
        Ok(m) if m > Money::ZERO => Some(m),
        Ok(_) => {
            problems.error(field, "not_positive", format!("{label}应大于 0"));
            None
        }
        Err(e) => {
            problems.error(field, "money_format", format!("{label}：{e}"));
            None
        }
    }
}

/// A mobile number (11 digits starting with 1) or a landline with area code; "+", "-" and
/// spaces are allowed as separators.
pub(crate) fn phone(problems: &mut Problems, field: &'static str, value: &str) {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
    let bare_mobile_ok = !value.chars().all(|c| c.is_ascii_digit())
        || (digits == 11 && value.starts_with('1'))
        || ((7..=12).contains(&digits) && !value.starts_with('1'));
    if !allowed || !(7..=20).contains(&digits) || !bare_mobile_ok {
        problems.error(
            field,
            "phone_format",
            format!(
                "电话“{}”格式不对：手机号为 11 位数字，固定电话写成 0538-1234567",
                value.trim()
            ),
        );
    }
}

pub(crate) fn max_chars(
    problems: &mut Problems,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) {
    let found = value.chars().count();
    if found > max {
        problems.error(
            field,
            "too_long",
            format!("{label}最多 {max} 个字，这里是 {found} 个"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_clerks_write_them() {
        for s in ["2026-03-01", "2026/3/1", "20260301", "2026.03.01"] {
            assert_eq!(parse_date(s).unwrap().to_string(), "2026-03-01", "{s}");
        }
        for s in [
            "2026-02-30",
            "26-3-1",
            "2026-3",
            "1/3/2026",
            "",
            "2026-03-01-01",
        ] {
            assert!(parse_date(s).is_none(), "{s}");
        }
    }

    #[test]
    fn phones() {
        let check = |s: &str| {
            let mut p = Problems::default();
            phone(&mut p, "phone", s);
            p.0.is_empty()
        };
        assert!(check("13800138000"));
        assert!(check("0538-1234567"));
        assert!(check("+86 138 0013 8000"));
        assert!(check("05381234567"));
        assert!(!check("1380013800"));
        assert!(!check("138001380001"));
        assert!(!check("12345"));
        assert!(!check("138-abc"));
    }
}
