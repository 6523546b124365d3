//! Drafts survive a reopen; queuing, acceptance, the changes feed and viewing move a
//! declaration through its states without ever losing an item or moving backwards.

mod common;

use common::{hire, keys, open};
use shebao_store::{
    DeclarationKind, DeclarationState, DraftProblem, HomeCounts, NewDraft, ReportedDeclaration,
    ReportedItem,
};

#[test]
fn a_saved_draft_is_there_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let keys = keys();
    let id = {
        let mut store = open(&dir, &keys);
        store.save_draft(&hire(1)).unwrap()
    };
    let store = open(&dir, &keys);
    let draft = store.draft(id).unwrap();
    assert_eq!(draft.item["name"], "职工1");
    assert_eq!(store.drafts(Some(DeclarationKind::Leave)).unwrap(), vec![]);
}

#[test]
fn queuing_moves_drafts_into_one_declaration_per_kind_and_period() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    let mut drafts: Vec<NewDraft> = (0..3).map(hire).collect();
    drafts.push(NewDraft {
        period: "2026-12".into(),
        ..hire(9)
    });
    store.save_drafts(&drafts).unwrap();

    let queued = store.queue_drafts(Some(DeclarationKind::Hire)).unwrap();
    assert_eq!(queued.len(), 2);
    assert_eq!(queued[0].item_count, 3);
    assert_ne!(queued[0].idempotency_key, queued[1].idempotency_key);
    assert_eq!(store.draft_count().unwrap(), 0);
    assert_eq!(store.outbox().unwrap(), queued);

    let body: serde_json::Value =
        serde_json::from_str(&store.outbox_body(&queued[0]).unwrap()).unwrap();
    assert_eq!(body["kind"], "hire");
    assert_eq!(body["period"], "2026-11");
    assert_eq!(body["items"].as_array().unwrap().len(), 3);
    assert_eq!(body["items"][2]["name"], "职工2");
    assert_eq!(store.home_counts().unwrap().not_submitted, 2);
}

#[test]
fn the_agency_feedback_reaches_every_item_and_viewing_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    store.save_drafts(&[hire(1), hire(2)]).unwrap();
    let entry = store.queue_drafts(None).unwrap().remove(0);
    store
        .record_send_failure(entry.declaration_id, "connection reset")
        .unwrap();
    assert_eq!(store.outbox().unwrap()[0].attempts, 1);
    store
        .record_accepted(entry.declaration_id, "D-1", "2026-11-28T04:00:00Z")
        .unwrap();
    assert!(store.outbox().unwrap().is_empty());
    assert_eq!(store.home_counts().unwrap().waiting, 1);

    let finished = ReportedDeclaration {
        remote_id: "D-1".into(),
        idempotency_key: Some(entry.idempotency_key.clone()),
        kind: DeclarationKind::Hire,
        period: None,
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
                reason: Some("已在其他单位参保".into()),
            },
        ],
        updated_at: "2026-11-28T04:01:00Z".into(),
    };
    assert_eq!(
        store
            .apply_changes(std::slice::from_ref(&finished), Some("c-7"))
            .unwrap(),
        1
    );
    assert_eq!(store.changes_cursor().unwrap().as_deref(), Some("c-7"));
    // A stale page of the feed does not move it back.
    let stale = ReportedDeclaration {
        state: DeclarationState::Processing,
        ..finished
    };
    store.apply_changes(&[stale], None).unwrap();
    let d = store.declaration(entry.declaration_id).unwrap();
    assert_eq!(d.state, DeclarationState::PartlySucceeded);
    let items = store.declaration_items(d.id).unwrap();
    assert_eq!(items[1].accepted, Some(false));
    assert_eq!(items[1].reason.as_deref(), Some("已在其他单位参保"));
    assert_eq!(items[1].item.as_ref().unwrap()["name"], "职工2");
    assert_eq!(
        store.home_counts().unwrap(),
        HomeCounts {
            partly_succeeded_unviewed: 1,
            ..HomeCounts::default()
        }
    );

    store.mark_viewed(d.id).unwrap();
    assert_eq!(store.home_counts().unwrap(), HomeCounts::default());
    assert_eq!(
        store.viewed_unsent().unwrap(),
        vec![(d.id, "D-1".to_owned())]
    );
    store.record_viewed_sent(d.id).unwrap();
    assert!(store.viewed_unsent().unwrap().is_empty());
}

#[test]
fn a_feed_entry_for_a_queued_declaration_takes_it_out_of_the_outbox() {
    // The 201 was lost, but the feed shows the agency has it: it must not be sent again.
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    store.save_draft(&hire(1)).unwrap();
    let entry = store.queue_drafts(None).unwrap().remove(0);
    let seen = ReportedDeclaration {
        remote_id: "D-9".into(),
        idempotency_key: Some(entry.idempotency_key),
        kind: DeclarationKind::Hire,
        period: Some("2026-11".into()),
        state: DeclarationState::Submitted,
        viewed: false,
        items: vec![],
        updated_at: "2026-11-28T04:01:00Z".into(),
    };
    store.apply_changes(&[seen], Some("1")).unwrap();
    assert!(store.outbox().unwrap().is_empty());
    assert_eq!(store.declarations(None).unwrap().len(), 1);
}

#[test]
fn a_refused_declaration_comes_back_as_drafts_with_the_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, &keys());
    store.save_drafts(&[hire(1), hire(2)]).unwrap();
    let entry = store.queue_drafts(None).unwrap().remove(0);
    let problem = DraftProblem {
        field: "document_no".into(),
        code: "checksum".into(),
        message: "证件号码校验位不正确".into(),
    };
    assert_eq!(
        store
            .return_to_drafts(entry.declaration_id, &[(2, problem.clone())])
            .unwrap(),
        2
    );
    let drafts = store.drafts(None).unwrap();
    assert_eq!(drafts.len(), 2);
    assert!(drafts[0].problems.is_empty());
    assert_eq!(drafts[1].problems, vec![problem]);
    assert!(store.declarations(None).unwrap().is_empty());
    store.update_draft(drafts[1].id, &hire(3).item).unwrap();
    assert!(store.draft(drafts[1].id).unwrap().problems.is_empty());
}
