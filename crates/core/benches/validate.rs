//! How long one hire item takes to validate: the client checks a whole imported workbook and
//! the agency every item of a submission, so this is on both hot paths.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use shebao_core::declaration::HireItem;
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_core::validate::Context;

fn hire() -> HireItem {
    HireItem {
        document_type: "01".into(),
        document_no: "370101199001010013".into(),
        name: "张三".into(),
        ethnicity: Some("01".into()),
        household_type: "10".into(),
        employment_form: "01".into(),
        first_employed_on: "2026-11-01".into(),
        insured_from: "2026-11".into(),
        insurance_types: vec![
            "110".into(),
            "210".into(),
            "310".into(),
            "410".into(),
            "510".into(),
        ],
        wage: "6500.00".into(),
        reason: "11".into(),
        phone: Some("13800138000".into()),
        ..HireItem::default()
    }
}

fn validate_hire(c: &mut Criterion) {
    let reference = ReferenceData::demo();
    let ctx = Context {
        reference: &reference,
        today: NaiveDate::from_ymd_opt(2026, 11, 28).expect("a real date"),
        period: Month::new(2026, 11).expect("a real month"),
    };
    let valid = hire();
    assert!(
        valid.validate(&ctx).is_empty(),
        "the benchmark item must be valid"
    );
    c.bench_function("validate one valid hire item", |b| {
        b.iter(|| std::hint::black_box(&valid).validate(&ctx))
    });
    let invalid = HireItem {
        document_no: "370101199001010012".into(),
        wage: "3000".into(),
        ..hire()
    };
    c.bench_function("validate one hire item with two problems", |b| {
        b.iter(|| std::hint::black_box(&invalid).validate(&ctx))
    });
}

criterion_group!(benches, validate_hire);
criterion_main!(benches);
