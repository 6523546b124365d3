//! The query page's reads: the declaration index, a person's history, and a refused item
//! turned back into a draft that keeps the agency's reason.

mod common;

use common::{hire, keys, open};
use shebao_core::state::HomeBucket;
use shebao_store::{
    AGENCY_REFUSAL, DeclarationFilter, DeclarationKind, DeclarationState, ReportedDeclaration,
    ReportedItem, Store,
};

/// Two hires declared together; the agency accepts the first and refuses the second.
fn declared_and_answered(store: &mut Store) -> i64 {
    store
        .save_drafts(&[hire(1), hire(2)])
        .expect("the store takes it");
    let queued = store.queue_drafts(None).expect("the store takes it");
    let entry = &queued[0];
    store
        .record_accepted(entry.declaration_id, "r-1", "2026-11-03T09:00:00Z")
        .expect("the store takes it");
    let answer = ReportedDeclaration {
        remote_id: "r-1".into(),
        idempotency_key: Some(entry.idempotency_key.clone()),
        kind: DeclarationKind::Hire,
        period: Some("2026-11".into()),
        state: DeclarationState::PartlySucceeded,
        viewed: false,
        items: vec![
            ReportedItem {
                line: 1,
                accepted: true,
                reason: None,
            },
            ReportedItem {
                line: 2,
                accepted: false,
                reason: Some("此人已在其他单位参保".into()),
            },
        ],
        updated_at: "2026-11-04T09:00:00Z".into(),
    };
    store
        .apply_changes(&[answer], Some("c1"))
        .expect("the store takes it");
    entry.declaration_id
}

#[test]
fn the_index_finds_a_declaration_by_any_of_its_people() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    let id = declared_and_answered(&mut store);
    let index = store.declaration_index().unwrap();
    assert_eq!(index.len(), 1);
    let row = &index.rows()[0];
    assert_eq!(row.id, id);
    assert_eq!(row.failed_items, 1);
    assert_eq!(row.first_person.as_deref(), Some("职工1"));
    assert_eq!(row.bucket(), Some(HomeBucket::PartlySucceededUnviewed));

    let by = |text: &str| {
        index.filter(&DeclarationFilter {
            text: text.into(),
            ..Default::default()
        })
    };
    assert_eq!(by("职工2"), [0]);
    assert_eq!(by("110105194912310002"), [0]);
    assert!(by("职工3").is_empty());

    store.mark_viewed(id).unwrap();
    let index = store.declaration_index().unwrap();
    let unviewed = index.filter(&DeclarationFilter {
        bucket: Some(HomeBucket::PartlySucceededUnviewed),
        ..Default::default()
    });
    assert!(
        unviewed.is_empty(),
        "a viewed declaration leaves its bucket"
    );
}

#[test]
fn a_persons_history_shows_the_agencys_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    let id = declared_and_answered(&mut store);
    let history = store.person_history("110105194912310002").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].declaration_id, id);
    assert_eq!(history[0].accepted, Some(false));
    assert_eq!(history[0].reason.as_deref(), Some("此人已在其他单位参保"));
    assert_eq!(history[0].name.as_deref(), Some("职工2"));
    assert!(
        store
            .person_history("440524188001010014")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_refused_item_becomes_a_draft_with_the_agencys_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    let id = declared_and_answered(&mut store);
    assert!(
        store.draft_from_refused_item(id, 1).is_err(),
        "an accepted item is not declared again"
    );
    let (draft, kind) = store.draft_from_refused_item(id, 2).unwrap();
    assert_eq!(kind, DeclarationKind::Hire);
    let draft = store.draft(draft).unwrap();
    assert_eq!(draft.item["name"], "职工2");
    assert_eq!(draft.period, "2026-11");
    assert_eq!(draft.problems.len(), 1);
    assert_eq!(draft.problems[0].code, AGENCY_REFUSAL);
    assert_eq!(draft.problems[0].message, "此人已在其他单位参保");
}
