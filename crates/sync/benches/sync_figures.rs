//! The sync figures, against the real agency in this process over loopback TLS:
//! a 10,000-item declaration from the outbox to the agency's 201, and a sync with nothing new
//! for a unit with 100,000 declarations in its store.
//!
//! `cargo bench -p shebao-sync --bench sync_figures`

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Clerk, TestAgency, card, hire_item};
use shebao_store::{
    DeclarationKind, DeclarationState, NewDraft, ReportedDeclaration, ReportedItem, this_month,
};
use shebao_sync::SyncEngine;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(figures());
}

async fn figures() {
    let agency = TestAgency::start(None).await;
    let card = card("310100000031");
    agency.open_unit(&card);
    let mut clerk = Clerk::log_in(&agency, card).await;
    let engine = SyncEngine::new(clerk.client.clone());
    let period = this_month();

    // Warm the connection and the agency's caches with a small declaration first.
    let warm = NewDraft {
        kind: DeclarationKind::Hire,
        period: period.clone(),
        item: hire_item(0, &period),
    };
    clerk.store.save_draft(&warm).expect("draft");
    clerk.store.queue_drafts(None).expect("queue");
    engine.send(&mut clerk.store).await.expect("warm-up send");

    let drafts: Vec<NewDraft> = (1..=10_000)
        .map(|n| NewDraft {
            kind: DeclarationKind::Hire,
            period: period.clone(),
            item: hire_item(n, &period),
        })
        .collect();
    clerk.store.save_drafts(&drafts).expect("drafts");
    clerk.store.queue_drafts(None).expect("queue");
    let t = Instant::now();
    let report = engine.send(&mut clerk.store).await.expect("send");
    let took = t.elapsed();
    assert_eq!(report.accepted, 1, "{report:?}");
    verdict(
        "10,000-item declaration, outbox to 201 over loopback TLS",
        took,
        Duration::from_millis(1500),
    );

    // 100,000 finished, viewed declarations in the store (as after years of use).
    for page in 0..10 {
        let changes: Vec<ReportedDeclaration> = (0..10_000)
            .map(|i| ReportedDeclaration {
                remote_id: format!("old-{page}-{i}"),
                idempotency_key: None,
                kind: DeclarationKind::Hire,
                period: Some("2020-01".into()),
                state: DeclarationState::Succeeded,
                viewed: true,
                items: vec![ReportedItem {
                    line: 1,
                    accepted: true,
                    reason: None,
                }],
                updated_at: "2020-01-02T00:00:00Z".into(),
            })
            .collect();
        clerk.store.apply_changes(&changes, None).expect("fill");
    }
    // Catch up with the feed once, then measure syncs that find nothing new.
    engine
        .sync(&mut clerk.store, true)
        .await
        .expect("first sync");
    let mut times = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let report = engine.sync(&mut clerk.store, false).await.expect("sync");
        times.push(t.elapsed());
        assert_eq!(report.changed, 0);
    }
    times.sort();
    verdict(
        "sync with nothing new, 100,000 declarations (median of 30)",
        times[15],
        Duration::from_millis(30),
    );
    println!(
        "    (fastest {:.1} ms, slowest {:.1} ms)",
        ms(times[0]),
        ms(times[29])
    );

    // Where the time goes: the store's part and one round trip to the agency.
    let t = Instant::now();
    for _ in 0..30 {
        clerk.store.viewed_unsent().expect("viewed");
        clerk.store.outbox().expect("outbox");
        clerk.store.changes_cursor().expect("cursor");
    }
    println!("    store part: {:.2} ms per sync", ms(t.elapsed()) / 30.0);
    let cursor = clerk.store.changes_cursor().expect("cursor");
    let t = Instant::now();
    for _ in 0..30 {
        clerk
            .client
            .changes(cursor.as_deref(), 500)
            .await
            .expect("changes");
    }
    println!(
        "    one empty changes request: {:.2} ms",
        ms(t.elapsed()) / 30.0
    );
    let t = Instant::now();
    for _ in 0..30 {
        clerk
            .client
            .announcements(None)
            .await
            .expect("announcements");
    }
    println!(
        "    one announcements request: {:.2} ms",
        ms(t.elapsed()) / 30.0
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn verdict(what: &str, took: Duration, limit: Duration) {
    println!(
        "{what}: {:.1} ms (limit {} ms) {}",
        ms(took),
        limit.as_millis(),
        if took < limit { "OK" } else { "TOO SLOW" }
    );
}
