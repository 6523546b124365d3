use chrono::NaiveDate;

use super::*;
use crate::reference::ReferenceData;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn ctx(reference: &ReferenceData) -> Context<'_> {
    Context {
        reference,
        today: today(),
        period: Month::new(2026, 11).unwrap(),
    }
}

pub(crate) fn valid_hire() -> HireItem {
    HireItem {
        document_type: "01".into(),
        document_no: "370101199001010013".into(),
        name: "张三".into(),
        ethnicity: Some("01".into()),
        household_type: "10".into(),
        employment_form: "01".into(),
        first_employed_on: "2026-11-01".into(),
        insured_from: "2026-11".into(),
        insurance_types: vec!["110".into(), "210".into(), "310".into()],
        wage: "6500.00".into(),
        reason: "11".into(),
        phone: Some("13800138000".into()),
        ..HireItem::default()
    }
}

fn codes(problems: &[Problem]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|p| (p.field.as_ref(), p.code))
        .collect()
}

#[test]
fn a_valid_hire_has_no_problems() {
    let reference = ReferenceData::demo();
    let hire = valid_hire();
    assert!(crate::id::ResidentId::parse_on(&hire.document_no, today()).is_ok());
    assert_eq!(hire.validate(&ctx(&reference)), vec![]);
}

#[test]
fn an_empty_hire_names_every_required_field_at_once() {
    let reference = ReferenceData::demo();
    let problems = HireItem::default().validate(&ctx(&reference));
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_ref()).collect();
    for field in [
        "document_type",
        "document_no",
        "name",
        "household_type",
        "employment_form",
        "first_employed_on",
        "insured_from",
        "insurance_types",
        "wage",
        "reason",
    ] {
        assert!(fields.contains(&field), "{field} not reported: {fields:?}");
    }
    assert!(problems.iter().all(Problem::is_error));
}

#[test]
fn wrong_check_character_is_reported_on_the_number() {
    let reference = ReferenceData::demo();
    let hire = HireItem {
        document_no: "370101199001010012".into(),
        ..valid_hire()
    };
    assert_eq!(
        codes(&hire.validate(&ctx(&reference))),
        vec![("document_no", "id_check_character")]
    );
}

#[test]
fn sex_and_birth_date_typed_must_agree_with_the_number() {
    let reference = ReferenceData::demo();
    let hire = HireItem {
        sex: Some("female".into()),
        birth_date: Some("1990-01-02".into()),
        ..valid_hire()
    };
    assert_eq!(
        codes(&hire.validate(&ctx(&reference))),
        vec![
            ("sex", "sex_mismatch"),
            ("birth_date", "birth_date_mismatch")
        ]
    );
    let agreeing = HireItem {
        sex: Some("male".into()),
        birth_date: Some("1990-01-01".into()),
        ..valid_hire()
    };
    assert_eq!(agreeing.validate(&ctx(&reference)), vec![]);
}

#[test]
fn passport_holders_need_sex_birth_date_and_nationality() {
    let reference = ReferenceData::demo();
    let hire = HireItem {
        document_type: "05".into(),
        document_no: "E12345678".into(),
        name: "SMITH JOHN".into(),
        ..valid_hire()
    };
    assert_eq!(
        codes(&hire.validate(&ctx(&reference))),
        vec![
            ("sex", "required"),
            ("birth_date", "required"),
            ("nationality", "required")
        ]
    );
    let complete = HireItem {
        sex: Some("男".into()),
        birth_date: Some("1985-06-15".into()),
        nationality: Some("USA".into()),
        ..hire
    };
    assert_eq!(complete.validate(&ctx(&reference)), vec![]);
}

#[test]
fn age_limits_follow_the_reference_data() {
    let mut reference = ReferenceData::demo();
    // Born 2012-05-05: 14 years old.
    let child = HireItem {
        document_no: "370101201205050017".into(),
        ..valid_hire()
    };
    assert!(crate::id::ResidentId::parse_on(&child.document_no, today()).is_ok());
    let problems = child.validate(&ctx(&reference));
    assert_eq!(codes(&problems), vec![("document_no", "under_minimum_age")]);
    assert!(problems[0].is_error());

    // A man born 1960-01-01 is 66: past the demo's 60, a warning there.
    let senior = HireItem {
        document_no: "37010119600101001X".into(),
        ..valid_hire()
    };
    let problems = senior.validate(&ctx(&reference));
    assert_eq!(
        codes(&problems),
        vec![("document_no", "past_retirement_age")]
    );
    assert!(!problems[0].is_error());
    reference.age_limits.past_retirement = Severity::Error;
    assert!(senior.validate(&ctx(&reference))[0].is_error());
}

#[test]
fn dates_in_the_future_and_out_of_order_are_errors() {
    let reference = ReferenceData::demo();
    let hire = HireItem {
        first_employed_on: "2026-12-01".into(),
        ..valid_hire()
    };
    assert_eq!(
        codes(&hire.validate(&ctx(&reference))),
        vec![("first_employed_on", "future_date")]
    );
    let hire = HireItem {
        first_employed_on: "2026-10-15".into(),
        insured_from: "2026-09".into(),
        ..valid_hire()
    };
    assert_eq!(
        codes(&hire.validate(&ctx(&reference))),
        vec![("insured_from", "insured_before_employed")]
    );
}

#[test]
fn the_wage_clamp_is_reported_not_silent() {
    let reference = ReferenceData::demo();
    let low = HireItem {
        wage: "3000".into(),
        ..valid_hire()
    };
    let problems = low.validate(&ctx(&reference));
    assert_eq!(codes(&problems), vec![("wage", "base_raised_to_lower")]);
    assert!(!problems[0].is_error());
    assert!(
        problems[0].message.contains("4680.00"),
        "{}",
        problems[0].message
    );
    let high = HireItem {
        wage: "99999".into(),
        ..valid_hire()
    };
    assert_eq!(
        codes(&high.validate(&ctx(&reference))),
        vec![("wage", "base_lowered_to_upper")]
    );
}

#[test]
fn insurance_types_must_fit_the_employment_form() {
    let reference = ReferenceData::demo();
    let part_time = HireItem {
        employment_form: "03".into(), // 非全日制: work injury only in the demo data
        ..valid_hire()
    };
    let problems = part_time.validate(&ctx(&reference));
    assert_eq!(problems.len(), 3);
    assert!(
        problems
            .iter()
            .all(|p| p.code == "insurance_type_not_allowed")
    );
    let fixed = HireItem {
        insurance_types: vec!["410".into()],
        ..part_time
    };
    assert_eq!(fixed.validate(&ctx(&reference)), vec![]);
    let doubled = HireItem {
        insurance_types: vec!["110".into(), "110".into(), "999".into()],
        ..valid_hire()
    };
    assert_eq!(
        codes(&doubled.validate(&ctx(&reference))),
        vec![
            ("insurance_types", "duplicate"),
            ("insurance_types", "unknown_code")
        ]
    );
}

#[test]
fn leave_rules() {
    let reference = ReferenceData::demo();
    let leave = LeaveItem {
        document_type: "01".into(),
        document_no: "370101199001010013".into(),
        name: "张三".into(),
        reason: "21".into(),
        left_on: "2026-10-31".into(),
        stop_month: "2026-11".into(),
        remarks: None,
    };
    assert_eq!(leave.validate(&ctx(&reference)), vec![]);
    let early = LeaveItem {
        stop_month: "2026-09".into(),
        ..leave.clone()
    };
    assert_eq!(
        codes(&early.validate(&ctx(&reference))),
        vec![("stop_month", "stop_before_leaving")]
    );
    let unknown = LeaveItem {
        reason: "11".into(),
        ..leave
    };
    assert_eq!(
        codes(&unknown.validate(&ctx(&reference))),
        vec![("reason", "unknown_code")]
    );
}

#[test]
fn wage_rules() {
    let reference = ReferenceData::demo();
    let wage = WageItem {
        document_type: "01".into(),
        document_no: "370101199001010013".into(),
        name: "张三".into(),
        year: "2026".into(),
        average_monthly_wage: "7200.50".into(),
    };
    assert_eq!(wage.validate(&ctx(&reference)), vec![]);
    let bad = WageItem {
        year: "2019".into(),
        average_monthly_wage: "-1".into(),
        ..wage
    };
    assert_eq!(
        codes(&bad.validate(&ctx(&reference))),
        vec![
            ("year", "year_out_of_range"),
            ("average_monthly_wage", "money_format")
        ]
    );
}

#[test]
fn change_rules() {
    let reference = ReferenceData::demo();
    let unit = UnitChangeItem {
        changes: [
            ("contact_phone".to_string(), "0538-1234567".to_string()),
            ("uscc".to_string(), "91350100M000100Y44".to_string()),
            ("unit_no".to_string(), "123".to_string()),
        ]
        .into(),
    };
    assert_eq!(
        codes(&unit.validate(&ctx(&reference))),
        vec![
            ("changes.unit_no", "unknown_field"),
            ("changes.uscc", "uscc_check_character")
        ]
    );
    let person = PersonChangeItem {
        document_type: "01".into(),
        document_no: "370101199001010013".into(),
        changes: [("household_type".to_string(), "99".to_string())].into(),
    };
    assert_eq!(
        codes(&person.validate(&ctx(&reference))),
        vec![("changes.household_type", "unknown_code")]
    );
    let nothing = PersonChangeItem {
        changes: Default::default(),
        ..person
    };
    assert_eq!(
        codes(&nothing.validate(&ctx(&reference))),
        vec![("changes", "no_changes")]
    );
}

#[test]
fn declarations_round_trip_and_report_per_item_with_duplicates() {
    let reference = ReferenceData::demo();
    let json = serde_json::json!({
        "kind": "hire",
        "period": "2026-11",
        "items": [valid_hire(), HireItem { name: String::new(), ..valid_hire() }, valid_hire()],
    })
    .to_string();
    let declaration: NewDeclaration = serde_json::from_str(&json).unwrap();
    assert_eq!(declaration.kind(), DeclarationKind::Hire);
    assert_eq!(declaration.items.len(), 3);
    let problems = declaration.errors(&ctx(&reference));
    let found: Vec<(usize, &str, &str)> = problems
        .iter()
        .map(|p| (p.item, p.problem.field.as_ref(), p.problem.code))
        .collect();
    assert_eq!(
        found,
        vec![
            (2, "name", "required"),
            (2, "document_no", "duplicate_person"),
            (3, "document_no", "duplicate_person"),
        ]
    );
    let back: NewDeclaration =
        serde_json::from_str(&serde_json::to_string(&declaration).unwrap()).unwrap();
    assert_eq!(back, declaration);
    let wire = serde_json::to_value(&problems[0]).unwrap();
    assert_eq!(wire["item"], 2);
    assert_eq!(wire["field"], "name");
    assert_eq!(wire["code"], "required");
}

#[test]
fn a_wrong_item_shape_is_a_parse_error_not_a_panic() {
    let json = r#"{"kind":"leave","period":"2026-11","items":[{"document_no": 5}]}"#;
    assert!(serde_json::from_str::<NewDeclaration>(json).is_err());
    let json = r#"{"kind":"nope","period":"2026-11","items":[]}"#;
    assert!(serde_json::from_str::<NewDeclaration>(json).is_err());
    let json = r#"{"kind":"hire","period":"2026-11","items":[{}]}"#;
    let declaration: NewDeclaration = serde_json::from_str(json).unwrap();
    assert!(!declaration.errors(&ctx(&ReferenceData::demo())).is_empty());
}
