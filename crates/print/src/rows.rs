//! The table of each form: one row of cell texts per item (per changed field for the change
//! forms), in the template's columns, and the figures of its totals line.

use chrono::NaiveDate;
use shebao_core::declaration::{
    Clamp, DeclarationKind, HireItem, Items, LeaveItem, PERSON_FIELDS, PersonChangeItem,
    UNIT_FIELDS, UnitChangeItem, WageItem, assess_base,
};
use shebao_core::id::{DocumentNumber, DocumentType, Sex};
use shebao_core::money::Money;
use shebao_core::month::Month;
use shebao_core::reference::{CodeTable, ReferenceData};

use crate::model::{Before, ReceiptLine, Verdict};
use crate::template::Template;

/// The cells of a table and the values its totals and note may name.
pub struct Table {
    pub rows: Vec<Vec<String>>,
    pub figures: Vec<(&'static str, String)>,
    /// Whether the note (of the wage form: the period's limits) applies.
    pub note_applies: bool,
}

/// What every row builder needs.
pub struct Context<'a> {
    pub template: &'a Template,
    pub reference: Option<&'a ReferenceData>,
    pub today: NaiveDate,
    pub period: Month,
}

impl Context<'_> {
    /// The name of a code in a table, or the code itself when the reference data lacks it.
    fn name(&self, table: CodeTable, code: &str) -> String {
        let code = code.trim();
        self.reference
            .and_then(|r| r.name_of(table, code))
            .map_or_else(|| code.to_owned(), str::to_owned)
    }

    fn document_type(&self, code: &str) -> String {
        match self
            .reference
            .and_then(|r| r.name_of(CodeTable::DocumentTypes, code.trim()))
        {
            Some(name) => name.to_owned(),
            None => DocumentType::from_code(code)
                .map_or_else(|| code.to_owned(), |t| t.label().to_owned()),
        }
    }

    fn sex(&self, sex: Sex) -> String {
        self.template
            .word(match sex {
                Sex::Male => "male",
                Sex::Female => "female",
            })
            .to_owned()
    }

    /// Sex and birth date: from the number where it encodes them, else as typed.
    fn sex_and_birth(
        &self,
        document_type: &str,
        document_no: &str,
        typed_sex: Option<&str>,
        typed_birth: Option<&str>,
    ) -> (String, String) {
        let number = DocumentType::from_code(document_type)
            .and_then(|t| DocumentNumber::parse_on(t, document_no, self.today).ok());
        let sex = number
            .as_ref()
            .and_then(DocumentNumber::sex)
            .or_else(|| typed_sex.and_then(Sex::parse))
            .map(|s| self.sex(s))
            .unwrap_or_default();
        let birth = number
            .as_ref()
            .and_then(DocumentNumber::birth_date)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .or_else(|| typed_birth.map(|b| b.trim().to_owned()))
            .unwrap_or_default();
        (sex, birth)
    }

    /// The cell of a field every person form shows, or `None` for a form's own field.
    fn person_cell(
        &self,
        field: &str,
        line: usize,
        (document_type, document_no, name): (&str, &str, &str),
        sex_and_birth: &(String, String),
    ) -> Option<String> {
        Some(match field {
            "line" => line.to_string(),
            "document_type" => self.document_type(document_type),
            "document_no" => document_no.trim().to_owned(),
            "name" => name.trim().to_owned(),
            "sex" => sex_and_birth.0.clone(),
            "birth_date" => sex_and_birth.1.clone(),
            _ => return None,
        })
    }
}

fn amount(text: &str) -> (String, Option<Money>) {
    match Money::parse(text) {
        Ok(m) => (m.to_string(), Some(m)),
        Err(_) => (text.trim().to_owned(), None),
    }
}

fn optional(text: &Option<String>) -> String {
    text.as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned()
}

/// The table of a declaration form.
pub fn declaration(ctx: &Context<'_>, items: &Items, before: &Before) -> Table {
    match items {
        Items::Hire(v) => hire(ctx, v),
        Items::Leave(v) => leave(ctx, v),
        Items::Wage(v) => wage(ctx, v),
        Items::UnitChange(v) => unit_change(ctx, v, before),
        Items::PersonChange(v) => person_change(ctx, v, before),
    }
}

fn columns<'t>(ctx: &'t Context<'_>) -> impl Iterator<Item = &'t str> + Clone {
    ctx.template.columns.iter().map(|c| c.field.as_str())
}

fn hire(ctx: &Context<'_>, items: &[HireItem]) -> Table {
    let mut total = Money::ZERO;
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let person = (
                item.document_type.as_str(),
                item.document_no.as_str(),
                item.name.as_str(),
            );
            let sb = ctx.sex_and_birth(
                &item.document_type,
                &item.document_no,
                item.sex.as_deref(),
                item.birth_date.as_deref(),
            );
            let (wage, money) = amount(&item.wage);
            total += money.unwrap_or(Money::ZERO);
            columns(ctx)
                .map(|field| {
                    ctx.person_cell(field, i + 1, person, &sb)
                        .unwrap_or_else(|| match field {
                            "ethnicity" => item
                                .ethnicity
                                .as_deref()
                                .map(|c| ctx.name(CodeTable::Ethnicities, c))
                                .unwrap_or_default(),
                            "household_type" => {
                                ctx.name(CodeTable::HouseholdTypes, &item.household_type)
                            }
                            "employment_form" => {
                                ctx.name(CodeTable::EmploymentForms, &item.employment_form)
                            }
                            "first_employed_on" => item.first_employed_on.trim().to_owned(),
                            "insured_from" => item.insured_from.trim().to_owned(),
                            "wage" => wage.clone(),
                            "reason" => ctx.name(CodeTable::HireReasons, &item.reason),
                            "insurance_types" => item
                                .insurance_types
                                .iter()
                                .map(|c| ctx.name(CodeTable::InsuranceTypes, c))
                                .collect::<Vec<_>>()
                                .join(" "),
                            "phone" => optional(&item.phone),
                            "remarks" => optional(&item.remarks),
                            _ => String::new(),
                        })
                })
                .collect()
        })
        .collect();
    Table {
        rows,
        figures: vec![
            ("count", items.len().to_string()),
            ("wage_total", total.to_string()),
        ],
        note_applies: true,
    }
}

fn leave(ctx: &Context<'_>, items: &[LeaveItem]) -> Table {
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let person = (
                item.document_type.as_str(),
                item.document_no.as_str(),
                item.name.as_str(),
            );
            let sb = ctx.sex_and_birth(&item.document_type, &item.document_no, None, None);
            columns(ctx)
                .map(|field| {
                    ctx.person_cell(field, i + 1, person, &sb)
                        .unwrap_or_else(|| match field {
                            "reason" => ctx.name(CodeTable::LeaveReasons, &item.reason),
                            "left_on" => item.left_on.trim().to_owned(),
                            "stop_month" => item.stop_month.trim().to_owned(),
                            "remarks" => optional(&item.remarks),
                            _ => String::new(),
                        })
                })
                .collect()
        })
        .collect();
    Table {
        rows,
        figures: vec![("count", items.len().to_string())],
        note_applies: true,
    }
}

fn wage(ctx: &Context<'_>, items: &[WageItem]) -> Table {
    let limits = ctx.reference.and_then(|r| r.period_at(ctx.period));
    let (mut declared_total, mut base_total) = (Money::ZERO, Money::ZERO);
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let person = (
                item.document_type.as_str(),
                item.document_no.as_str(),
                item.name.as_str(),
            );
            let sb = ctx.sex_and_birth(&item.document_type, &item.document_no, None, None);
            let (declared, money) = amount(&item.average_monthly_wage);
            let assessed = money.zip(limits).map(|(m, p)| assess_base(m, p));
            declared_total += money.unwrap_or(Money::ZERO);
            base_total += assessed.map_or(Money::ZERO, |a| a.base);
            let base = match (assessed, limits) {
                (Some(a), _) => a.base.to_string(),
                (None, None) => ctx.template.word("no_limits").to_owned(),
                (None, Some(_)) => String::new(),
            };
            let clamp = match assessed.and_then(|a| a.clamp) {
                Some(Clamp::RaisedToLower) => ctx.template.word("raised").to_owned(),
                Some(Clamp::LoweredToUpper) => ctx.template.word("lowered").to_owned(),
                None => String::new(),
            };
            columns(ctx)
                .map(|field| {
                    ctx.person_cell(field, i + 1, person, &sb)
                        .unwrap_or_else(|| match field {
                            "year" => item.year.trim().to_owned(),
                            "average_monthly_wage" => declared.clone(),
                            "base" => base.clone(),
                            "clamp" => clamp.clone(),
                            _ => String::new(),
                        })
                })
                .collect()
        })
        .collect();
    let mut figures = vec![
        ("count", items.len().to_string()),
        ("declared_total", declared_total.to_string()),
        ("base_total", base_total.to_string()),
        ("period", ctx.period.to_string()),
    ];
    if let Some(p) = limits {
        figures.push(("lower", p.base_lower.to_string()));
        figures.push(("upper", p.base_upper.to_string()));
    }
    Table {
        rows,
        figures,
        note_applies: limits.is_some(),
    }
}

fn label(fields: &[(&str, &str)], field: &str) -> String {
    fields
        .iter()
        .find(|(f, _)| *f == field)
        .map_or_else(|| field.to_owned(), |(_, l)| (*l).to_owned())
}

/// The changes of an item in the order of the record's fields, then any others.
fn in_record_order<'a>(
    fields: &[(&str, &str)],
    changes: &'a std::collections::BTreeMap<String, String>,
) -> Vec<(&'a String, &'a String)> {
    let mut out: Vec<(&String, &String)> = changes.iter().collect();
    out.sort_by_key(|(f, _)| {
        fields
            .iter()
            .position(|(known, _)| known == f)
            .unwrap_or(fields.len())
    });
    out
}

fn unit_change(ctx: &Context<'_>, items: &[UnitChangeItem], before: &Before) -> Table {
    let unknown = ctx.template.word("unknown");
    let mut rows = Vec::new();
    for item in items {
        for (field, after) in in_record_order(UNIT_FIELDS, &item.changes) {
            let line = rows.len() + 1;
            let old = before.unit.get(field).map_or(unknown, String::as_str);
            rows.push(
                columns(ctx)
                    .map(|c| match c {
                        "line" => line.to_string(),
                        "field" => label(UNIT_FIELDS, field),
                        "before" => old.to_owned(),
                        "after" => after.trim().to_owned(),
                        _ => String::new(),
                    })
                    .collect(),
            );
        }
    }
    Table {
        figures: vec![("changes", rows.len().to_string())],
        rows,
        note_applies: true,
    }
}

/// A person field's value as printed: code-valued fields by their names.
fn person_value(ctx: &Context<'_>, field: &str, value: &str) -> String {
    match field {
        "ethnicity" => ctx.name(CodeTable::Ethnicities, value),
        "household_type" => ctx.name(CodeTable::HouseholdTypes, value),
        "employment_form" => ctx.name(CodeTable::EmploymentForms, value),
        _ => value.trim().to_owned(),
    }
}

fn person_change(ctx: &Context<'_>, items: &[PersonChangeItem], before: &Before) -> Table {
    let unknown = ctx.template.word("unknown");
    let mut rows = Vec::new();
    for item in items {
        let record = before.people.get(&item.document_no.trim().to_uppercase());
        let name = record
            .map(|r| r.name.clone())
            .filter(|n| !n.is_empty())
            .or_else(|| item.changes.get("name").cloned())
            .unwrap_or_default();
        let person = (
            item.document_type.as_str(),
            item.document_no.as_str(),
            name.as_str(),
        );
        let sb = ctx.sex_and_birth(&item.document_type, &item.document_no, None, None);
        for (field, after) in in_record_order(PERSON_FIELDS, &item.changes) {
            let line = rows.len() + 1;
            let old = record.and_then(|r| {
                if field == "name" {
                    Some(r.name.as_str()).filter(|n| !n.is_empty())
                } else {
                    r.fields.get(field).map(String::as_str)
                }
            });
            rows.push(
                columns(ctx)
                    .map(|c| {
                        ctx.person_cell(c, line, person, &sb)
                            .unwrap_or_else(|| match c {
                                "field" => label(PERSON_FIELDS, field),
                                "before" => old.map_or_else(
                                    || unknown.to_owned(),
                                    |v| person_value(ctx, field, v),
                                ),
                                "after" => person_value(ctx, field, after),
                                _ => String::new(),
                            })
                    })
                    .collect(),
            );
        }
    }
    Table {
        figures: vec![
            ("count", items.len().to_string()),
            ("changes", rows.len().to_string()),
        ],
        rows,
        note_applies: true,
    }
}

/// The table of a receipt.
pub fn receipt(ctx: &Context<'_>, kind: DeclarationKind, lines: &[ReceiptLine]) -> Table {
    let t = ctx.template;
    let nobody = t.word(if kind == DeclarationKind::UnitChange {
        "unit_item"
    } else {
        "unknown_item"
    });
    let (mut accepted, mut refused) = (0, 0);
    let rows = lines
        .iter()
        .map(|l| {
            match l.verdict {
                Verdict::Accepted => accepted += 1,
                Verdict::Refused => refused += 1,
                Verdict::Pending => {}
            }
            columns(ctx)
                .map(|c| match (c, &l.person) {
                    ("line", _) => l.line.to_string(),
                    ("document_type", Some(p)) => ctx.document_type(&p.document_type),
                    ("document_no", Some(p)) => p.document_no.trim().to_owned(),
                    ("name", Some(p)) => p.name.trim().to_owned(),
                    ("sex" | "birth_date", Some(p)) => {
                        let sb = ctx.sex_and_birth(&p.document_type, &p.document_no, None, None);
                        if c == "sex" { sb.0 } else { sb.1 }
                    }
                    ("document_no", None) => nobody.to_owned(),
                    ("outcome", _) => t
                        .word(match l.verdict {
                            Verdict::Accepted => "accepted",
                            Verdict::Refused => "refused",
                            Verdict::Pending => "pending",
                        })
                        .to_owned(),
                    ("reason", _) => optional(&l.reason),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    Table {
        rows,
        figures: vec![
            ("count", lines.len().to_string()),
            ("accepted", accepted.to_string()),
            ("refused", refused.to_string()),
        ],
        note_applies: true,
    }
}
