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
    fn sex_and_birth(&self, who: &Who<'_>) -> (String, String) {
        let number = DocumentType::from_code(who.document_type)
            .and_then(|t| DocumentNumber::parse_on(t, who.document_no, self.today).ok());
        let sex = number
            .as_ref()
            .and_then(DocumentNumber::sex)
            .or_else(|| who.sex.and_then(Sex::parse))
            .map(|s| self.sex(s))
            .unwrap_or_default();
        let birth = number
            .as_ref()
            .and_then(DocumentNumber::birth_date)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .or_else(|| who.birth_date.map(|b| b.trim().to_owned()))
            .unwrap_or_default();
        (sex, birth)
    }

    /// A row in the template's columns: the person's columns from `who`, the form's own
    /// columns from `own`.
    fn row(&self, line: usize, who: &Who<'_>, own: impl Fn(&str) -> String) -> Vec<String> {
        let (sex, birth) = self.sex_and_birth(who);
        self.template
            .columns
            .iter()
            .map(|column| match column.field.as_str() {
                "line" => line.to_string(),
                "document_type" => self.document_type(who.document_type),
                "document_no" => who.document_no.trim().to_owned(),
                "name" => who.name.trim().to_owned(),
                "sex" => sex.clone(),
                "birth_date" => birth.clone(),
                field => own(field),
            })
            .collect()
    }
}

/// Who a row is about, as the person columns show them; sex and birth date as typed, for the
/// documents that do not encode them.
#[derive(Default)]
struct Who<'a> {
    document_type: &'a str,
    document_no: &'a str,
    name: &'a str,
    sex: Option<&'a str>,
    birth_date: Option<&'a str>,
}

impl<'a> Who<'a> {
    fn new(document_type: &'a str, document_no: &'a str, name: &'a str) -> Who<'a> {
        Who {
            document_type,
            document_no,
            name,
            ..Who::default()
        }
    }
}

/// An amount as printed: two decimals when it parses, as typed otherwise.
fn amount(text: &str) -> String {
    Money::parse(text).map_or_else(|_| text.trim().to_owned(), |m| m.to_string())
}

fn sum<T>(items: &[T], money: impl Fn(&T) -> Option<Money>) -> Money {
    items.iter().filter_map(money).sum()
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

fn hire(ctx: &Context<'_>, items: &[HireItem]) -> Table {
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let who = Who {
                sex: item.sex.as_deref(),
                birth_date: item.birth_date.as_deref(),
                ..Who::new(&item.document_type, &item.document_no, &item.name)
            };
            ctx.row(i + 1, &who, |field| match field {
                "ethnicity" => item
                    .ethnicity
                    .as_deref()
                    .map(|c| ctx.name(CodeTable::Ethnicities, c))
                    .unwrap_or_default(),
                "household_type" => ctx.name(CodeTable::HouseholdTypes, &item.household_type),
                "employment_form" => ctx.name(CodeTable::EmploymentForms, &item.employment_form),
                "first_employed_on" => item.first_employed_on.trim().to_owned(),
                "insured_from" => item.insured_from.trim().to_owned(),
                "wage" => amount(&item.wage),
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
        .collect();
    let total = sum(items, |i| Money::parse(&i.wage).ok());
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
            let who = Who::new(&item.document_type, &item.document_no, &item.name);
            ctx.row(i + 1, &who, |field| match field {
                "reason" => ctx.name(CodeTable::LeaveReasons, &item.reason),
                "left_on" => item.left_on.trim().to_owned(),
                "stop_month" => item.stop_month.trim().to_owned(),
                "remarks" => optional(&item.remarks),
                _ => String::new(),
            })
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
    let declared = |item: &WageItem| Money::parse(&item.average_monthly_wage).ok();
    let assessed = |item: &WageItem| declared(item).zip(limits).map(|(m, p)| assess_base(m, p));
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let who = Who::new(&item.document_type, &item.document_no, &item.name);
            let assessment = assessed(item);
            ctx.row(i + 1, &who, |field| match field {
                "year" => item.year.trim().to_owned(),
                "average_monthly_wage" => amount(&item.average_monthly_wage),
                "base" => match (assessment, limits) {
                    (Some(a), _) => a.base.to_string(),
                    (None, None) => ctx.template.word("no_limits").to_owned(),
                    (None, Some(_)) => String::new(),
                },
                "clamp" => match assessment.and_then(|a| a.clamp) {
                    Some(Clamp::RaisedToLower) => ctx.template.word("raised").to_owned(),
                    Some(Clamp::LoweredToUpper) => ctx.template.word("lowered").to_owned(),
                    None => String::new(),
                },
                _ => String::new(),
            })
        })
        .collect();
    let mut figures = vec![
        ("count", items.len().to_string()),
        ("declared_total", sum(items, declared).to_string()),
        (
            "base_total",
            sum(items, |i| assessed(i).map(|a| a.base)).to_string(),
        ),
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
            let old = before.unit.get(field).map_or(unknown, String::as_str);
            rows.push(
                ctx.row(rows.len() + 1, &Who::default(), |column| match column {
                    "field" => label(UNIT_FIELDS, field),
                    "before" => old.to_owned(),
                    "after" => after.trim().to_owned(),
                    _ => String::new(),
                }),
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
        let who = Who::new(&item.document_type, &item.document_no, &name);
        for (field, after) in in_record_order(PERSON_FIELDS, &item.changes) {
            let old = record.and_then(|r| {
                if field == "name" {
                    Some(r.name.as_str()).filter(|n| !n.is_empty())
                } else {
                    r.fields.get(field).map(String::as_str)
                }
            });
            rows.push(ctx.row(rows.len() + 1, &who, |column| match column {
                "field" => label(PERSON_FIELDS, field),
                "before" => old.map_or_else(|| unknown.to_owned(), |v| person_value(ctx, field, v)),
                "after" => person_value(ctx, field, after),
                _ => String::new(),
            }));
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
    let rows = lines
        .iter()
        .map(|l| {
            let who = match &l.person {
                Some(p) => Who::new(&p.document_type, &p.document_no, &p.name),
                None => Who {
                    document_no: nobody,
                    ..Who::default()
                },
            };
            ctx.row(l.line as usize, &who, |column| match column {
                "outcome" => t
                    .word(match l.verdict {
                        Verdict::Accepted => "accepted",
                        Verdict::Refused => "refused",
                        Verdict::Pending => "pending",
                    })
                    .to_owned(),
                "reason" => optional(&l.reason),
                _ => String::new(),
            })
        })
        .collect();
    let count = |v: Verdict| lines.iter().filter(|l| l.verdict == v).count().to_string();
    Table {
        rows,
        figures: vec![
            ("count", lines.len().to_string()),
            ("accepted", count(Verdict::Accepted)),
            ("refused", count(Verdict::Refused)),
        ],
        note_applies: true,
    }
}
