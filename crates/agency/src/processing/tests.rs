//! The rules alone, without a database: facts in, verdicts and effects out.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::json;
use shebao_core::declaration::DeclarationKind;
use shebao_core::reference::ReferenceData;
use shebao_core::state::{DeclarationState, Outcome};

use super::*;

const UNIT: i64 = 7;

fn resident(first17: &str) -> String {
    let check = shebao_core::id::check_character(first17).expect("17 digits");
    format!("{first17}{check}")
}

fn key(number: &str) -> PersonKey {
    PersonKey {
        document_type: "01".into(),
        document_no: number.into(),
    }
}

fn declaration(kind: DeclarationKind, state: DeclarationState) -> Declaration {
    Declaration {
        id: 1,
        unit_id: UNIT,
        idempotency_key: "k".into(),
        kind,
        period: "2026-03".parse().expect("month"),
        state,
        item_count: 0,
        submitted_at: 0,
        updated_at: 0,
        change_seq: 1,
    }
}

fn judgement(decision: Decision) -> Judgement {
    Judgement::new(
        Arc::new(ReferenceData::demo()),
        decision,
        NaiveDate::from_ymd_opt(2026, 3, 10).expect("date"),
        1000,
    )
}

fn hire(number: &str) -> String {
    json!({
        "document_type": "01", "document_no": number, "name": "张三", "household_type": "10",
        "employment_form": "01", "first_employed_on": "2015-07-01", "insured_from": "2026-03",
        "insurance_types": ["110"], "wage": "6500.00", "reason": "11", "remarks": "内部备注"
    })
    .to_string()
}

fn plan(
    decision: Decision,
    kind: DeclarationKind,
    items: Vec<String>,
    facts: Facts,
) -> Result<Plan, ProcessError> {
    let judgement = judgement(decision);
    let items = (1..).zip(items).collect();
    let prepared = judgement.prepare(declaration(kind, DeclarationState::Processing), items)?;
    Ok(prepared.plan(facts))
}

#[test]
fn under_the_rules_a_hire_of_someone_insured_elsewhere_fails_and_a_new_one_enrols() {
    let (elsewhere, new) = (resident("35010219900101001"), resident("35010219900102002"));
    let mut facts = Facts::default();
    facts.insured_at.insert(key(&elsewhere), UNIT + 1);
    let judgement = judgement(Decision::Rules);
    let prepared = judgement
        .prepare(
            declaration(DeclarationKind::Hire, DeclarationState::Processing),
            vec![(1, hire(&elsewhere)), (2, hire(&new)), (3, "{".into())],
        )
        .expect("prepared");
    assert_eq!(prepared.wanted().roster, vec![key(&elsewhere), key(&new)]);
    let plan = prepared.plan(facts);
    assert_eq!(plan.outcomes[0].outcome, ItemOutcome::Failed);
    assert!(
        plan.outcomes[0]
            .reason
            .as_deref()
            .expect("reason")
            .contains("其他单位")
    );
    assert_eq!(plan.outcomes[1].outcome, ItemOutcome::Ok);
    assert_eq!(plan.outcomes[2].outcome, ItemOutcome::Failed, "unreadable");
    assert_eq!(
        plan.processed.state,
        DeclarationState::Finished {
            outcome: Outcome::PartlySucceeded,
            viewed: false
        }
    );
    assert!(plan.enrol_only_new);
    assert_eq!(plan.enrol.len(), 1);
    assert_eq!(plan.enrol[0].declared_wage_fen, 650_000);
    assert_eq!(plan.persons.len(), 1);
    let details: serde_json::Value = serde_json::from_str(&plan.persons[0].details).expect("json");
    assert_eq!(details["name"], "张三");
    assert!(details.get("remarks").is_none() && details.get("wage").is_none());
}

#[test]
fn the_same_person_twice_is_judged_on_what_the_first_item_did() {
    let person = resident("35010219900101001");
    let plan = plan(
        Decision::Rules,
        DeclarationKind::Hire,
        vec![hire(&person), hire(&person)],
        Facts::default(),
    )
    .expect("planned");
    assert_eq!(plan.outcomes[1].outcome, ItemOutcome::Failed);
    assert_eq!(plan.enrol.len(), 1, "one roster row per person");
}

#[test]
fn an_operator_rejects_lines_it_names_and_only_those() {
    let person = resident("35010219900101001");
    let rejected = Decision::Reject(BTreeMap::from([(2, "材料不全".to_owned())]));
    let plan = plan(
        rejected,
        DeclarationKind::Hire,
        vec![hire(&person), hire(&resident("35010219900102002"))],
        Facts::default(),
    )
    .expect("planned");
    assert_eq!(plan.outcomes[1].reason.as_deref(), Some("材料不全"));
    assert!(!plan.enrol_only_new, "the operator's word moves people");
    let missing = Decision::Reject(BTreeMap::from([(3, "x".to_owned())]));
    assert!(matches!(
        super::tests::plan(
            missing,
            DeclarationKind::Hire,
            vec![hire(&person)],
            Facts::default()
        ),
        Err(ProcessError::NoSuchLine { line: 3, .. })
    ));
    let judgement = judgement(Decision::AcceptAll);
    let finished = DeclarationState::Finished {
        outcome: Outcome::Succeeded,
        viewed: false,
    };
    assert!(matches!(
        judgement.prepare(declaration(DeclarationKind::Hire, finished), Vec::new()),
        Err(ProcessError::AlreadyFinished { .. })
    ));
}

#[test]
fn leaves_wages_and_changes_touch_only_people_on_this_units_roster() {
    let (here, away) = (resident("35010219900101001"), resident("35010219900102002"));
    let mut facts = Facts::default();
    facts.insured_at.insert(key(&here), UNIT);
    facts.details.insert(
        here.clone(),
        (
            "01".into(),
            json!({"name": "张三", "ethnicity": "01"}).to_string(),
        ),
    );
    let leave = |n: &str| {
        json!({"document_type": "01", "document_no": n, "name": "张三", "reason": "21",
               "left_on": "2026-03-05", "stop_month": "2026-04"})
        .to_string()
    };
    let plan = super::tests::plan(
        Decision::Rules,
        DeclarationKind::Leave,
        vec![leave(&here), leave(&away)],
        facts.clone(),
    )
    .expect("planned");
    assert_eq!(plan.leave, vec![key(&here)]);
    assert_eq!(plan.outcomes[1].outcome, ItemOutcome::Failed);

    let wage = |n: &str, w: &str| {
        json!({"document_type": "01", "document_no": n, "name": "张三", "year": "2026",
               "average_monthly_wage": w})
        .to_string()
    };
    let plan = super::tests::plan(
        Decision::Rules,
        DeclarationKind::Wage,
        vec![
            wage(&here, "7000.00"),
            wage(&here, "99999.00"),
            wage(&away, "7000.00"),
        ],
        facts.clone(),
    )
    .expect("planned");
    let verdicts: Vec<_> = plan.outcomes.iter().map(|o| o.outcome).collect();
    assert_eq!(
        verdicts,
        [ItemOutcome::Ok, ItemOutcome::Failed, ItemOutcome::Failed]
    );
    assert_eq!(plan.wages, vec![(key(&here), 700_000)]);

    let change = json!({"document_type": "01", "document_no": here, "changes": {"name": "张叁"}})
        .to_string();
    let plan = super::tests::plan(
        Decision::Rules,
        DeclarationKind::PersonChange,
        vec![change],
        facts,
    )
    .expect("planned");
    assert_eq!(plan.renames, vec![(key(&here), "张叁".to_owned())]);
    let details: serde_json::Value = serde_json::from_str(&plan.persons[0].details).expect("json");
    assert_eq!(
        (details["name"].clone(), details["ethnicity"].clone()),
        (json!("张叁"), json!("01"))
    );

    let unit =
        json!({"changes": {"address": "福州市", "unit_no": "9", "password_hash": "x"}}).to_string();
    let plan = super::tests::plan(
        Decision::Rules,
        DeclarationKind::UnitChange,
        vec![unit],
        Facts::default(),
    )
    .expect("planned");
    assert_eq!(plan.unit_changes, vec![("address", "福州市".to_owned())]);
}
