//! The templates of assets/print/: a form's title, page, columns and words, kept out of the
//! layout code so a person can change them (assets/print/README.md).

use std::collections::BTreeMap;

use serde::Deserialize;
use shebao_core::declaration::DeclarationKind;

use crate::error::PrintError;
use crate::qr::FormKind;

const COMMON: (&str, &str) = (
    "common.toml",
    include_str!("../../../assets/print/common.toml"),
);

fn source(form: FormKind) -> (&'static str, &'static str) {
    match form {
        FormKind::Declaration(DeclarationKind::Hire) => {
            ("hire.toml", include_str!("../../../assets/print/hire.toml"))
        }
        FormKind::Declaration(DeclarationKind::Leave) => (
            "leave.toml",
            include_str!("../../../assets/print/leave.toml"),
        ),
        FormKind::Declaration(DeclarationKind::Wage) => {
            ("wage.toml", include_str!("../../../assets/print/wage.toml"))
        }
        FormKind::Declaration(DeclarationKind::UnitChange) => (
            "unit_change.toml",
            include_str!("../../../assets/print/unit_change.toml"),
        ),
        FormKind::Declaration(DeclarationKind::PersonChange) => (
            "person_change.toml",
            include_str!("../../../assets/print/person_change.toml"),
        ),
        FormKind::Receipt => (
            "receipt.toml",
            include_str!("../../../assets/print/receipt.toml"),
        ),
    }
}

/// Words of common.toml that every paper uses.
const COMMON_WORDS: &[&str] = &[
    "unit_no",
    "unit_name",
    "credit_code",
    "period",
    "declaration",
    "local_key",
    "drafts",
    "clerk",
    "phone",
    "stamp",
    "date",
    "page",
    "printed_at",
    "check_code",
    "male",
    "female",
];

const PERSON_FIELDS: &[&str] = &["document_type", "document_no", "name", "sex", "birth_date"];

/// The columns a form can show, and the words it needs beyond the common ones.
fn known(form: FormKind) -> (Vec<&'static str>, &'static [&'static str]) {
    let mut fields = vec!["line"];
    let (own, words): (&[&str], &[&str]) = match form {
        FormKind::Declaration(DeclarationKind::Hire) => (
            &[
                "ethnicity",
                "household_type",
                "employment_form",
                "first_employed_on",
                "insured_from",
                "wage",
                "reason",
                "insurance_types",
                "phone",
                "remarks",
            ],
            &[],
        ),
        FormKind::Declaration(DeclarationKind::Leave) => {
            (&["reason", "left_on", "stop_month", "remarks"], &[])
        }
        FormKind::Declaration(DeclarationKind::Wage) => (
            &["year", "average_monthly_wage", "base", "clamp"],
            &["raised", "lowered", "no_limits"],
        ),
        FormKind::Declaration(DeclarationKind::UnitChange) => {
            (&["field", "before", "after"], &["unknown"])
        }
        FormKind::Declaration(DeclarationKind::PersonChange) => {
            (&["field", "before", "after"], &["unknown"])
        }
        FormKind::Receipt => (
            &["outcome", "reason"],
            &[
                "kind",
                "received_at",
                "processed_at",
                "unknown_time",
                "outcome",
                "succeeded",
                "failed",
                "partly_succeeded",
                "accepted",
                "refused",
                "pending",
                "unit_item",
                "unknown_item",
            ],
        ),
    };
    if form != FormKind::Declaration(DeclarationKind::UnitChange) {
        fields.extend_from_slice(PERSON_FIELDS);
    }
    fields.extend_from_slice(own);
    (fields, words)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    Portrait,
    Landscape,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub field: String,
    pub label: String,
    /// Millimetres, before the columns are scaled to the page's width.
    pub width: f32,
    #[serde(default)]
    pub align: Align,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommonFile {
    words: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFile {
    title: String,
    orientation: Orientation,
    font_size: f32,
    signature: bool,
    totals: String,
    note: Option<String>,
    #[serde(default)]
    words: BTreeMap<String, String>,
    columns: Vec<Column>,
}

/// One form's template, with the common words merged in.
#[derive(Debug, Clone)]
pub struct Template {
    pub title: String,
    pub orientation: Orientation,
    pub font_size: f32,
    pub signature: bool,
    pub totals: String,
    pub note: Option<String>,
    pub columns: Vec<Column>,
    words: BTreeMap<String, String>,
}

impl Template {
    /// The template of `form`, checked: every column is one the form knows, every word it
    /// needs is there.
    pub fn of(form: FormKind) -> Result<Template, PrintError> {
        let (file, text) = source(form);
        let bad = |file: &'static str, message: String| PrintError::Template { file, message };
        let common: CommonFile =
            toml::from_str(COMMON.1).map_err(|e| bad(COMMON.0, e.to_string()))?;
        let own: FormFile = toml::from_str(text).map_err(|e| bad(file, e.to_string()))?;
        let (fields, own_words) = known(form);
        if own.columns.is_empty() {
            return Err(bad(file, "没有任何列（[[columns]]）".into()));
        }
        for column in &own.columns {
            if !fields.contains(&column.field.as_str()) {
                return Err(bad(
                    file,
                    format!(
                        "列“{}”的 field = \"{}\" 不是本表可用的字段（可用：{}）",
                        column.label,
                        column.field,
                        fields.join(" ")
                    ),
                ));
            }
            if !(column.width.is_finite() && column.width > 0.0) {
                return Err(bad(file, format!("列“{}”的宽度应为正数", column.label)));
            }
        }
        if !(4.0..=14.0).contains(&own.font_size) {
            return Err(bad(file, "font_size 应在 4 到 14 磅之间".into()));
        }
        let mut words = common.words;
        words.extend(own.words);
        for word in COMMON_WORDS.iter().chain(own_words) {
            if !words.contains_key(*word) {
                let home = if COMMON_WORDS.contains(word) {
                    COMMON.0
                } else {
                    file
                };
                return Err(bad(home, format!("[words] 中缺少 {word}")));
            }
        }
        Ok(Template {
            title: own.title,
            orientation: own.orientation,
            font_size: own.font_size,
            signature: own.signature,
            totals: own.totals,
            note: own.note,
            columns: own.columns,
            words,
        })
    }

    /// A word the template defines; [`Template::of`] checked that the form's words are there.
    pub fn word(&self, key: &str) -> &str {
        self.words.get(key).map_or("", String::as_str)
    }
}

/// Fills `{name}` places in `text` from `values`; unknown places stay as written.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_form() -> Vec<FormKind> {
        let mut forms: Vec<FormKind> = DeclarationKind::ALL
            .into_iter()
            .map(FormKind::Declaration)
            .collect();
        forms.push(FormKind::Receipt);
        forms
    }

    #[test]
    fn every_template_loads_with_its_columns_and_words() {
        for form in every_form() {
            let t = Template::of(form).unwrap_or_else(|e| panic!("{form:?}: {e}"));
            assert!(!t.title.is_empty());
            assert_eq!(t.columns[0].field, "line", "{form:?}");
            assert!(!t.word("page").is_empty());
        }
    }

    #[test]
    fn a_place_in_braces_is_filled() {
        assert_eq!(
            fill(
                "第 {page} 页 共 {pages} 页",
                &[("page", "2"), ("pages", "9")]
            ),
            "第 2 页 共 9 页"
        );
    }
}
