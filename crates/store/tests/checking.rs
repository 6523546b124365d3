//! Drafts are checked offline against the cached reference data with the agency's own rules.

mod common;

use common::{keys, open};
use serde_json::json;
use shebao_core::reference::ReferenceData;
use shebao_store::{DeclarationKind, NewDraft};

fn hire(document_no: &str, wage: &str) -> NewDraft {
    NewDraft {
        kind: DeclarationKind::Hire,
        period: "2026-11".into(),
        item: json!({
            "document_type": "01", "document_no": document_no, "name": "张三",
            "household_type": "10", "employment_form": "01", "first_employed_on": "2015-07-01",
            "insured_from": "2026-11", "insurance_types": ["110", "310"], "wage": wage,
            "reason": "11",
        }),
    }
}

#[test]
fn without_reference_data_nothing_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    store
        .save_draft(&hire("11010519491231002X", "6500.00"))
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    assert!(!store.check_drafts(None, today).unwrap().reference_available);
}

#[test]
fn a_bad_identity_number_is_marked_on_its_draft_and_a_good_draft_stays_clean() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    let reference: serde_json::Value = serde_json::from_str(ReferenceData::demo_json()).unwrap();
    store.save_reference("demo", &reference).unwrap();
    let good = store
        .save_draft(&hire("110105199001010010", "6500.00"))
        .unwrap();
    let bad = store
        .save_draft(&hire("110105199001010011", "6500.00"))
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let check = store
        .check_drafts(Some(DeclarationKind::Hire), today)
        .unwrap();
    assert_eq!((check.checked, check.with_errors), (2, 1), "{check:?}");
    assert!(
        store.draft(good).unwrap().problems.is_empty(),
        "{:?}",
        store.draft(good).unwrap().problems
    );
    let problems = store.draft(bad).unwrap().problems;
    assert!(
        problems.iter().any(|p| p.field == "document_no"),
        "{problems:?}"
    );
}
