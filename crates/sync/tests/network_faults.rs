//! Network faults between the client and the real agency: the agency stopped in the middle of
//! a submission, connections cut while the request arrives, answers lost after the agency
//! stored the declaration, answers held past the client's timeout. Afterwards every queued
//! declaration is at the agency exactly once.
// The agency runs in this process, which a Windows build under Wine cannot do: there
// tests/native_agency.rs runs against the agency on the host instead.
#![cfg(not(windows))]

mod common;

use std::time::Duration;

use common::proxy::{Fault, FaultyProxy};
use common::{Clerk, TestAgency, card, hire_item};
use shebao_store::{DeclarationKind, NewDraft, this_month};
use shebao_sync::{Backoff, SyncEngine, SyncError};

fn quick_backoff() -> Backoff {
    Backoff {
        first: Duration::from_millis(50),
        max: Duration::from_millis(200),
        attempts: 6,
    }
}

fn queue(clerk: &mut Clerk, first: u32, people: u32) {
    let period = this_month();
    let drafts: Vec<_> = (first..first + people)
        .map(|n| NewDraft {
            kind: DeclarationKind::Hire,
            period: period.clone(),
            item: hire_item(n, &period),
        })
        .collect();
    clerk.store.save_drafts(&drafts).expect("drafts");
    clerk.store.queue_drafts(None).expect("queue");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_cut_requests_and_held_answers_still_give_exactly_once() {
    let agency = TestAgency::start(None).await;
    let proxy = FaultyProxy::start(agency.address).await;
    let card = card("310100000011");
    agency.open_unit(&card);
    let mut clerk = Clerk::log_in_via(&agency, &proxy.url(), card).await;
    let client = clerk.client_via(&proxy.url(), &agency.ca(), Duration::from_secs(2));
    let engine = SyncEngine::new(client).with_backoff(quick_backoff());

    for (round, fault) in [Fault::LoseAnswer, Fault::ResetRequest, Fault::HoldAnswer]
        .into_iter()
        .enumerate()
    {
        queue(&mut clerk, 100 + 30 * round as u32, 30);
        proxy.inject(fault, 2);
        let report = engine.send(&mut clerk.store).await.expect("send");
        assert_eq!(report.accepted, 1, "{fault:?}: {report:?}");
        assert!(clerk.store.outbox().expect("outbox").is_empty());
        assert_eq!(agency.declaration_count(), round as i64 + 1, "{fault:?}");
    }
    let faulted = proxy.faulted.load(std::sync::atomic::Ordering::SeqCst);
    assert!(faulted >= 3, "only {faulted} faults happened");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agency_stopped_mid_submission_then_back_gets_each_declaration_once() {
    let mut agency = TestAgency::start(None).await;
    let card = card("310100000012");
    agency.open_unit(&card);
    let mut clerk = Clerk::log_in(&agency, card).await;
    let engine = SyncEngine::new(clerk.client.clone()).with_backoff(Backoff {
        attempts: 2,
        ..quick_backoff()
    });

    queue(&mut clerk, 200, 5);
    queue(&mut clerk, 300, 5);
    // The first declaration goes through, then the agency disappears.
    let report = engine.send(&mut clerk.store).await.expect("first send");
    assert_eq!(report.accepted, 2);
    queue(&mut clerk, 400, 5);
    agency.stop().await;
    let report = engine.send(&mut clerk.store).await.expect("offline send");
    assert_eq!((report.accepted, report.still_queued), (0, 1), "{report:?}");
    let outbox = clerk.store.outbox().expect("outbox");
    assert!(outbox[0].attempts >= 1 && outbox[0].last_error.is_some());
    let offline = engine.sync(&mut clerk.store, false).await;
    assert!(
        offline.as_ref().is_ok_and(|r| r.sent.still_queued == 1),
        "{offline:?}"
    );

    agency.restart().await;
    let report = engine
        .send(&mut clerk.store)
        .await
        .expect("send after restart");
    assert_eq!(report.accepted, 1);
    assert_eq!(agency.declaration_count(), 3);
    // Sending again finds nothing to send.
    assert_eq!(
        engine.send(&mut clerk.store).await.expect("again").accepted,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_or_missing_session_asks_for_a_new_login() {
    let agency = TestAgency::start(None).await;
    let card = card("310100000013");
    agency.open_unit(&card);
    let mut clerk = Clerk::log_in(&agency, card).await;
    let mut client = clerk.client.clone();
    client.set_token(Some("not-a-token".into()));
    queue(&mut clerk, 500, 2);
    let err = SyncEngine::new(client)
        .send(&mut clerk.store)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::LoginRequired), "{err}");
    assert_eq!(
        clerk.store.outbox().expect("outbox").len(),
        1,
        "the declaration stays queued"
    );
}
