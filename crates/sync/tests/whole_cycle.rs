//! The whole cycle against the real agency over loopback TLS: drafts imported from a CSV file,
//! submitted, processed automatically by the agency, synced back with per-item states and
//! reasons, and marked viewed.
// The agency runs in this process, which a Windows build under Wine cannot do: there
// tests/native_agency.rs runs against the agency on the host instead.
#![cfg(not(windows))]

mod common;

use std::time::Duration;

use common::{Clerk, TestAgency, card, hire_item, resident_id, sync_until_finished};
use shebao_store::{DeclarationKind, DeclarationState, HomeCounts, NewDraft, import, this_month};
use shebao_sync::SyncEngine;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_submit_process_sync_and_view() {
    let agency = TestAgency::start(Some(Duration::ZERO)).await;
    let period = this_month();

    // Unit A hires person 1 first, so that unit B's hire of the same person must fail.
    let card_a = card("310100000001");
    let card_b = card("310100000002");
    agency.open_unit(&card_a);
    agency.open_unit(&card_b);

    let mut a = Clerk::log_in(&agency, card_a).await;
    a.store
        .save_draft(&NewDraft {
            kind: DeclarationKind::Hire,
            period: period.clone(),
            item: hire_item(1, &period),
        })
        .expect("draft");
    a.store.queue_drafts(None).expect("queue");
    let engine_a = SyncEngine::new(a.client.clone());
    let first = engine_a.sync(&mut a.store, true).await.expect("sync");
    assert_eq!(first.sent.accepted, 1);
    assert!(first.reference_updated);
    let id_a = a.store.declarations(None).expect("list")[0].id;
    assert_eq!(
        sync_until_finished(&engine_a, &mut a, id_a).await,
        DeclarationState::Succeeded
    );

    // Unit B imports persons 1 and 2 from a CSV file with Chinese headers.
    let mut b = Clerk::log_in(&agency, card_b).await;
    let csv = format!(
        "证件类型,证件号码,姓名,户口性质,用工形式,参加工作日期,参保年月,险种,月工资,增员原因\n\
         01,{},张三,10,01,2015-07-01,{period},110 210 310 410 510,6500.00,11\n\
         01,{},李四,20,01,2016-03-01,{period},110 210 310 410 510,7200.00,11\n",
        resident_id(1),
        resident_id(2)
    );
    let csv = csv.replace("参保年月", "insured_from");
    let report =
        import::read_csv_from(csv.as_bytes(), DeclarationKind::Hire, &period).expect("csv");
    assert!(
        report.ignored_columns.is_empty(),
        "{:?}",
        report.ignored_columns
    );
    b.store.save_drafts(&report.drafts).expect("drafts");
    let queued = b
        .store
        .queue_drafts(Some(DeclarationKind::Hire))
        .expect("queue");
    assert_eq!(queued.len(), 1);
    let engine_b = SyncEngine::new(b.client.clone());
    let sent = engine_b.send(&mut b.store).await.expect("send");
    assert_eq!(sent.accepted, 1, "{sent:?}");
    let id_b = queued[0].declaration_id;
    assert_eq!(b.store.home_counts().expect("counts").waiting, 1);

    assert_eq!(
        sync_until_finished(&engine_b, &mut b, id_b).await,
        DeclarationState::PartlySucceeded
    );
    let items = b.store.declaration_items(id_b).expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].accepted, Some(false), "{items:?}");
    assert!(
        items[0].reason.as_deref().is_some_and(|r| !r.is_empty()),
        "{items:?}"
    );
    assert_eq!(items[1].accepted, Some(true));
    assert_eq!(
        b.store.home_counts().expect("counts"),
        HomeCounts {
            partly_succeeded_unviewed: 1,
            ..HomeCounts::default()
        }
    );

    // Viewing here reaches the agency at the next sync, and the feed confirms it.
    b.store.mark_viewed(id_b).expect("viewed");
    let report = engine_b.sync(&mut b.store, false).await.expect("sync");
    assert_eq!(report.viewed_sent, 1);
    assert!(b.store.viewed_unsent().expect("unsent").is_empty());
    let feed = b.client.changes(None, 100).await.expect("feed");
    let remote = b
        .store
        .declaration(id_b)
        .expect("declaration")
        .remote_id
        .expect("remote id");
    assert!(
        feed.changes.iter().any(|c| c.id == remote && c.viewed),
        "{feed:?}"
    );
    assert_eq!(
        b.store.home_counts().expect("counts"),
        HomeCounts::default()
    );

    // A unit never sees another unit's declarations.
    assert!(feed.changes.iter().all(|c| {
        c.id != a
            .store
            .declaration(id_a)
            .expect("a")
            .remote_id
            .clone()
            .expect("id")
    }));
    assert_eq!(agency.declaration_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_declaration_comes_back_as_drafts_with_the_agencys_reasons() {
    let agency = TestAgency::start(None).await;
    let period = this_month();
    let card = card("310100000003");
    agency.open_unit(&card);
    let mut clerk = Clerk::log_in(&agency, card).await;
    let mut bad = hire_item(5, &period);
    bad["document_no"] = serde_json::Value::String("110105199001010000".into());
    clerk
        .store
        .save_drafts(&[
            NewDraft {
                kind: DeclarationKind::Hire,
                period: period.clone(),
                item: hire_item(4, &period),
            },
            NewDraft {
                kind: DeclarationKind::Hire,
                period: period.clone(),
                item: bad,
            },
        ])
        .expect("drafts");
    clerk.store.queue_drafts(None).expect("queue");
    let engine = SyncEngine::new(clerk.client.clone());
    let sent = engine.send(&mut clerk.store).await.expect("send");
    assert_eq!(sent.returned_to_drafts, 1);
    let drafts = clerk.store.drafts(None).expect("drafts");
    assert_eq!(drafts.len(), 2);
    assert!(drafts[0].problems.is_empty());
    assert!(
        drafts[1].problems.iter().any(|p| p.field == "document_no"),
        "{:?}",
        drafts[1].problems
    );
    assert_eq!(agency.declaration_count(), 0);
}
