//! Which column of a clerk's file feeds which wire field: the wire field names themselves, or
//! the Chinese labels of the agency's forms. Kept apart from the file formats so the workbook
//! import (xlsx, GBK CSV) reuses it.

use crate::model::DeclarationKind;

/// Where a column's values go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A wire field of the item.
    Field(&'static str),
    /// A wire field holding a list of codes (insurance types), several in one cell.
    CodeList(&'static str),
    /// The declaration period (YYYY-MM) rather than an item field.
    Period,
}

/// (wire name, Chinese labels) of the fields every person-based kind shares.
const PERSON: &[(&str, &[&str])] = &[
    ("document_type", &["证件类型"]),
    (
        "document_no",
        &["证件号码", "身份证号码", "公民身份号码", "身份证号"],
    ),
    ("name", &["姓名"]),
];

const HIRE: &[(&str, &[&str])] = &[
    ("ethnicity", &["民族"]),
    ("household_type", &["户口性质", "户籍性质"]),
    ("employment_form", &["用工形式"]),
    ("first_employed_on", &["参加工作日期", "首次参加工作日期"]),
    ("insured_from", &["参保日期", "本次参保日期"]),
    ("wage", &["工资", "月工资", "申报工资", "缴费工资"]),
    ("reason", &["增员原因", "原因"]),
    ("phone", &["联系电话", "电话"]),
    ("remarks", &["备注"]),
    ("sex", &["性别"]),
    ("birth_date", &["出生日期"]),
    ("nationality", &["国籍"]),
];

const LEAVE: &[(&str, &[&str])] = &[
    ("reason", &["减员原因", "原因"]),
    ("left_on", &["离职日期", "减员日期"]),
    ("stop_month", &["停保年月", "停缴月份", "停保月份"]),
    ("remarks", &["备注"]),
];

const WAGE: &[(&str, &[&str])] = &[
    ("year", &["年度", "申报年度"]),
    (
        "average_monthly_wage",
        &["月平均工资", "上年月平均工资", "上年度月平均工资"],
    ),
];

const INSURANCE_TYPES: (&str, &[&str]) = ("insurance_types", &["险种", "参保险种"]);
const PERIOD_LABELS: &[&str] = &["period", "申报期", "所属期", "申报年月"];

/// The target of the column headed `header` in a file of `kind`, `None` if unknown. For the
/// change kinds every other column is a field to change (`changes`), so nothing is unknown.
pub fn target(kind: DeclarationKind, header: &str) -> Option<Target> {
    let h = header.trim().trim_start_matches('\u{feff}').trim();
    if PERIOD_LABELS.contains(&h) {
        return Some(Target::Period);
    }
    let lookup = |table: &[(&'static str, &[&str])]| {
        table
            .iter()
            .find(|(wire, labels)| *wire == h || labels.contains(&h))
            .map(|(w, _)| *w)
    };
    match kind {
        DeclarationKind::Hire => {
            if INSURANCE_TYPES.0 == h || INSURANCE_TYPES.1.contains(&h) {
                return Some(Target::CodeList(INSURANCE_TYPES.0));
            }
            lookup(PERSON).or_else(|| lookup(HIRE)).map(Target::Field)
        }
        DeclarationKind::Leave => lookup(PERSON).or_else(|| lookup(LEAVE)).map(Target::Field),
        DeclarationKind::Wage => lookup(PERSON).or_else(|| lookup(WAGE)).map(Target::Field),
        // Any other column names a field of the person to change.
        DeclarationKind::PersonChange => lookup(&PERSON[..2]).map(Target::Field),
        DeclarationKind::UnitChange => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_and_chinese_labels_both_match() {
        let k = DeclarationKind::Hire;
        assert_eq!(target(k, "document_no"), Some(Target::Field("document_no")));
        assert_eq!(
            target(k, "\u{feff}身份证号码"),
            Some(Target::Field("document_no"))
        );
        assert_eq!(target(k, "险种"), Some(Target::CodeList("insurance_types")));
        assert_eq!(target(k, "申报期"), Some(Target::Period));
        assert_eq!(target(k, "鞋码"), None);
        assert_eq!(
            target(DeclarationKind::Leave, "原因"),
            Some(Target::Field("reason"))
        );
    }
}
