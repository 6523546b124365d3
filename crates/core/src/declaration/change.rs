//! 单位及员工基本信息修改: changes to the unit's record and to a person's record. Each change
//! names a field of the record and its new value; only fields a clerk may change are accepted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::checks;
use crate::name::check_name;
use crate::reference::CodeTable;
use crate::uscc::CreditCode;
use crate::validate::{Context, Problem, Problems};

/// The fields of `GET /unit` a clerk may change, with their labels.
pub const UNIT_FIELDS: &[(&str, &str)] = &[
    ("name", "单位名称"),
    ("uscc", "统一社会信用代码"),
    ("address", "单位地址"),
    ("postal_code", "邮政编码"),
    ("legal_representative", "法定代表人"),
    ("contact_person", "联系人"),
    ("contact_phone", "联系电话"),
    ("bank_name", "开户银行"),
    ("bank_account", "银行账号"),
];

/// The fields of a person's record a clerk may change, with their labels.
pub const PERSON_FIELDS: &[(&str, &str)] = &[
    ("name", "姓名"),
    ("ethnicity", "民族"),
    ("household_type", "户口性质"),
    ("employment_form", "用工形式"),
    ("phone", "联系电话"),
    ("address", "住址"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitChangeItem {
    pub changes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonChangeItem {
    pub document_type: String,
    pub document_no: String,
    pub changes: BTreeMap<String, String>,
}

fn label(
    fields: &[(&'static str, &'static str)],
    field: &str,
) -> Option<(&'static str, &'static str)> {
    fields.iter().copied().find(|(f, _)| *f == field)
}

fn no_changes(p: &mut Problems, changes: &BTreeMap<String, String>) -> bool {
    if changes.is_empty() {
        p.error("changes", "no_changes", "没有任何修改，请至少修改一项");
        true
    } else {
        false
    }
}

impl UnitChangeItem {
    pub fn validate(&self, _ctx: &Context<'_>) -> Vec<Problem> {
        let mut p = Problems::default();
        if no_changes(&mut p, &self.changes) {
            return p.0;
        }
        for (field, value) in &self.changes {
            let Some((field, label)) = label(UNIT_FIELDS, field) else {
                p.error(
                    format!("changes.{field}"),
                    "unknown_field",
                    format!("单位信息中没有可修改的“{field}”项"),
                );
                continue;
            };
            let key = format!("changes.{field}");
            let value = value.trim();
            if value.is_empty() {
                p.error(key, "required", format!("新的{label}不能为空"));
                continue;
            }
            match field {
                "uscc" => {
                    if let Err(e) = CreditCode::parse(value) {
                        p.error(key, e.code(), e.to_string());
                    }
                }
                "postal_code"
                    if !(value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())) =>
                {
                    p.error(key, "postal_code_format", "邮政编码应为 6 位数字");
                }
                "legal_representative" | "contact_person" => {
                    if let Err(e) = check_name(value, true) {
                        p.error(key, e.code(), format!("{label}：{e}"));
                    }
                }
                "contact_phone" => {
                    let mut phone = Problems::default();
                    checks::phone(&mut phone, "contact_phone", value);
                    for problem in phone.0 {
                        p.error(key.clone(), problem.code, problem.message);
                    }
                }
                "bank_account" => {
                    let digits = value
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>();
                    if !(8..=32).contains(&digits.len())
                        || !digits.bytes().all(|b| b.is_ascii_digit())
                    {
                        p.error(key, "bank_account_format", "银行账号应为 8–32 位数字");
                    }
                }
                _ => {
                    if value.chars().count() > 200 {
                        p.error(key, "too_long", format!("{label}最多 200 个字"));
                    }
                }
            }
        }
        p.0
    }
}

impl PersonChangeItem {
    pub fn validate(&self, ctx: &Context<'_>) -> Vec<Problem> {
        let mut p = Problems::default();
        let (doc_type, _) = checks::document(&mut p, ctx, &self.document_type, &self.document_no);
        if no_changes(&mut p, &self.changes) {
            return p.0;
        }
        for (field, value) in &self.changes {
            let Some((field, label)) = label(PERSON_FIELDS, field) else {
                p.error(
                    format!("changes.{field}"),
                    "unknown_field",
                    format!("人员信息中没有可修改的“{field}”项"),
                );
                continue;
            };
            let key = format!("changes.{field}");
            let value = value.trim();
            let table = match field {
                "ethnicity" => Some(CodeTable::Ethnicities),
                "household_type" => Some(CodeTable::HouseholdTypes),
                "employment_form" => Some(CodeTable::EmploymentForms),
                _ => None,
            };
            if value.is_empty() {
                p.error(key, "required", format!("新的{label}不能为空"));
            } else if let Some(table) = table {
                if !ctx.reference.has(table, value) {
                    p.error(
                        key,
                        "unknown_code",
                        format!("{label}“{value}”不在经办机构公布的代码表中"),
                    );
                }
            } else if field == "name" {
                if let Err(e) = check_name(value, doc_type.is_foreign()) {
                    p.error(key, e.code(), e.to_string());
                }
            } else if field == "phone" {
                let mut phone = Problems::default();
                checks::phone(&mut phone, "phone", value);
                for problem in phone.0 {
                    p.error(key.clone(), problem.code, problem.message);
                }
            } else if value.chars().count() > 200 {
                p.error(key, "too_long", format!("{label}最多 200 个字"));
            }
        }
        p.0
    }
}
