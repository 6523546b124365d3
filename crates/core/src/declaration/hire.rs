//! 在职增员: enrolling a newly hired employee.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::base::check_base;
use super::checks::{self, present};
use crate::id::{DocumentNumber, DocumentType, Sex};
use crate::month::Month;
use crate::reference::CodeTable;
use crate::validate::{Context, Problem, Problems};

/// A hire item as it travels on the wire and is kept as a draft. Every field is the text the
/// clerk gave, so a half-filled draft survives and every problem can be named by field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HireItem {
    pub document_type: String,
    pub document_no: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<String>,
    pub household_type: String,
    pub employment_form: String,
    pub first_employed_on: String,
    pub insured_from: String,
    pub insurance_types: Vec<String>,
    pub wage: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Only for documents that do not encode it (passports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// ISO 3166-1 code; for foreign documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

const MAX_REMARKS: usize = 200;

impl HireItem {
    /// Every problem of this item at once, in form order.
    pub fn validate(&self, ctx: &Context<'_>) -> Vec<Problem> {
        let mut p = Problems::default();
        let person = checks::person(
            &mut p,
            ctx,
            &self.document_type,
            &self.document_no,
            &self.name,
        );
        let (birth, sex) = self.birth_and_sex(&mut p, ctx, person.as_ref());
        if let Some(ethnicity) = present(&self.ethnicity) {
            checks::code(&mut p, ctx, "ethnicity", CodeTable::Ethnicities, ethnicity);
        }
        checks::code(
            &mut p,
            ctx,
            "household_type",
            CodeTable::HouseholdTypes,
            &self.household_type,
        );
        let form_known = checks::code(
            &mut p,
            ctx,
            "employment_form",
            CodeTable::EmploymentForms,
            &self.employment_form,
        );
        let employed = checks::past_date(
            &mut p,
            ctx,
            "first_employed_on",
            "参加工作日期",
            &self.first_employed_on,
        );
        let insured_from = checks::month(&mut p, "insured_from", "参保年月", &self.insured_from);
        if let Some(from) = insured_from {
            if employed.is_some_and(|e| from < Month::of(e)) {
                p.error(
                    "insured_from",
                    "insured_before_employed",
                    format!("参保年月 {from} 早于参加工作日期，请核对"),
                );
            } else if from > ctx.period {
                p.error(
                    "insured_from",
                    "insured_after_period",
                    format!("参保年月 {from} 晚于本次申报的所属期 {}", ctx.period),
                );
            }
        }
        if let (Some(birth), Some(sex)) = (birth, sex) {
            let on = insured_from.map_or(ctx.today, Month::first_day);
            check_age(&mut p, ctx, birth, sex, on);
        }
        self.check_insurance_types(&mut p, ctx, form_known);
        if let Some(wage) = checks::amount(&mut p, "wage", "月工资", &self.wage) {
            check_base(&mut p, ctx, "wage", wage, ctx.period);
        }
        checks::code(&mut p, ctx, "reason", CodeTable::HireReasons, &self.reason);
        if let Some(phone) = present(&self.phone) {
            checks::phone(&mut p, "phone", phone);
        }
        if let Some(remarks) = present(&self.remarks) {
            checks::max_chars(&mut p, "remarks", "备注", remarks, MAX_REMARKS);
        }
        p.0
    }

    /// Birth date and sex: from the number where it encodes them (any value the clerk typed
    /// must agree), otherwise as typed.
    fn birth_and_sex(
        &self,
        p: &mut Problems,
        ctx: &Context<'_>,
        person: Option<&(DocumentType, DocumentNumber)>,
    ) -> (Option<NaiveDate>, Option<Sex>) {
        let typed_sex = present(&self.sex);
        let typed_birth = present(&self.birth_date);
        let encodes = person.is_none_or(|(t, _)| t.encodes_birth_and_sex());
        if encodes {
            let Some((_, number)) = person else {
                return (None, None);
            };
            let (birth, sex) = (number.birth_date(), number.sex());
            if let Some(typed) = typed_sex
                && Sex::parse(typed) != sex
            {
                p.error(
                    "sex",
                    "sex_mismatch",
                    "性别与证件号码不符（第 17 位单数为男、双数为女）",
                );
            }
            if let Some(typed) = typed_birth
                && checks::parse_date(typed) != birth
            {
                p.error(
                    "birth_date",
                    "birth_date_mismatch",
                    "出生日期与证件号码第 7–14 位不符",
                );
            }
            if let (Some(typed), Some(encoded)) = (present(&self.nationality), number.nationality())
                && typed != encoded
            {
                p.error(
                    "nationality",
                    "nationality_mismatch",
                    format!("国籍 {typed} 与证件号码第 4–6 位的国籍代码 {encoded} 不符"),
                );
            }
            return (birth, sex);
        }
        let sex = match typed_sex {
            None => {
                p.error("sex", "required", "护照不含性别，请填写性别");
                None
            }
            Some(s) => Sex::parse(s).or_else(|| {
                p.error("sex", "sex_format", format!("性别“{s}”应为 男 或 女"));
                None
            }),
        };
        let birth = match typed_birth {
            None => {
                p.error("birth_date", "required", "护照不含出生日期，请填写出生日期");
                None
            }
            Some(typed) => checks::past_date(p, ctx, "birth_date", "出生日期", typed),
        };
        match present(&self.nationality) {
            None => p.error(
                "nationality",
                "required",
                "请填写国籍（ISO 3166-1 三位数字或三位字母代码）",
            ),
            Some(n) if !is_nationality_code(n) => p.error(
                "nationality",
                "nationality_format",
                format!("国籍“{n}”应为 ISO 3166-1 的三位数字（如 840）或三位字母（如 USA）代码"),
            ),
            Some(_) => {}
        }
        (birth, sex)
    }

    fn check_insurance_types(&self, p: &mut Problems, ctx: &Context<'_>, form_known: bool) {
        if self.insurance_types.is_empty() {
            p.error("insurance_types", "required", "请至少选择一个险种");
            return;
        }
        let allowed = form_known
            .then(|| ctx.reference.employment_form(self.employment_form.trim()))
            .flatten()
            .and_then(|f| f.insurance_types.as_ref().map(|types| (f, types)));
        for (i, code) in self.insurance_types.iter().enumerate() {
            let code = code.trim();
            if !ctx.reference.has(CodeTable::InsuranceTypes, code) {
                p.error(
                    "insurance_types",
                    "unknown_code",
                    format!("险种“{code}”不在经办机构公布的险种中"),
                );
            } else if self.insurance_types[..i].iter().any(|c| c.trim() == code) {
                p.error(
                    "insurance_types",
                    "duplicate",
                    format!("险种 {code} 选了两次"),
                );
            } else if let Some((form, types)) = allowed
                && !types.iter().any(|t| t == code)
            {
                let name = ctx
                    .reference
                    .name_of(CodeTable::InsuranceTypes, code)
                    .unwrap_or(code);
                p.error(
                    "insurance_types",
                    "insurance_type_not_allowed",
                    format!("用工形式“{}”不能参加{name}保险", form.name),
                );
            }
        }
    }
}

fn is_nationality_code(s: &str) -> bool {
    s.len() == 3
        && (s.bytes().all(|b| b.is_ascii_digit()) || s.bytes().all(|b| b.is_ascii_uppercase()))
}

fn check_age(p: &mut Problems, ctx: &Context<'_>, birth: NaiveDate, sex: Sex, on: NaiveDate) {
    let limits = &ctx.reference.age_limits;
    let age = on.years_since(birth).unwrap_or(0);
    if age < limits.minimum_age {
        p.push(
            "document_no",
            "under_minimum_age",
            limits.under_minimum,
            format!("参保时年龄 {age} 岁，未满 {} 周岁", limits.minimum_age),
        );
    }
    let retirement = match sex {
        Sex::Male => limits.retirement_age_male,
        Sex::Female => limits.retirement_age_female,
    };
    if age >= retirement {
        p.push(
            "document_no",
            "past_retirement_age",
            limits.past_retirement,
            format!(
                "参保时年龄 {age} 岁，已达到{}性法定退休年龄 {retirement} 岁，请核对是否应办理参保",
                sex.label()
            ),
        );
    }
}
