//! A unit whose store key is gone (a keyring reset, a new Windows profile): the store says so
//! plainly, a fresh store is started with the old file kept aside, and its first sync brings
//! back from the agency everything that was submitted. Only the unsent drafts are lost.
//! The agency runs in this test's process, which the Windows build under Wine does not have
//! (common/mod.rs): Linux only.
#![cfg(not(windows))]

mod common;

use std::time::{Duration, Instant};

use common::{Clerk, TestAgency, card, hire_item, log_in};
use shebao_store::{
    DataDir, DeclarationKind, DeclarationState, KeySource, NewDraft, Store, StoreError,
    store_key_entry, this_month,
};
use shebao_sync::{SyncEngine, TokenHome};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_store_pulls_the_units_history_back_from_the_agency() {
    let agency = TestAgency::start(Some(Duration::ZERO)).await;
    let unit_no = "350100000077";
    agency.open_unit(&card(unit_no));
    let mut clerk = Clerk::log_in(&agency, card(unit_no)).await;
    let period = this_month();
    let hire = |n| NewDraft {
        kind: DeclarationKind::Hire,
        period: period.clone(),
        item: hire_item(n, &period),
    };

    // Two declarations submitted and processed; one more draft keyed in but never submitted.
    let engine = SyncEngine::new(clerk.client.clone());
    for n in [1, 2] {
        clerk.store.save_draft(&hire(n)).expect("draft");
        clerk.store.queue_drafts(None).expect("queue");
        engine.sync(&mut clerk.store, true).await.expect("sync");
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while clerk
        .store
        .declarations(None)
        .expect("list")
        .iter()
        .any(|d| !d.state.is_finished())
    {
        assert!(Instant::now() < deadline, "the agency processes in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
        engine.sync(&mut clerk.store, false).await.expect("sync");
    }
    clerk.store.save_draft(&hire(3)).expect("unsent draft");
    let before = history(&clerk.store);
    assert_eq!(before.len(), 2);
    assert!(
        before
            .iter()
            .all(|(_, state, _)| *state == DeclarationState::Succeeded)
    );

    // The keyring is reset: the store key and the session token are gone.
    let TokenHome::Vault(vault) = clerk.tokens.clone() else {
        panic!("the clerk keeps the token in the vault");
    };
    vault
        .delete(&store_key_entry(unit_no))
        .expect("key forgotten");
    vault
        .delete(&format!("session/{unit_no}"))
        .expect("token forgotten");
    let data = DataDir::at(clerk.data.path());
    let store_path = clerk.store.path().to_path_buf();
    let _kept = clerk.data;
    drop(clerk.store);
    let keys = KeySource::new(vault.clone(), None);

    let err = Store::open_unit(&data, unit_no, &keys).expect_err("the key is gone");
    assert!(matches!(err, StoreError::KeyLost { .. }), "{err}");
    assert!(Store::is_unreadable(&err));

    let fresh = Store::start_fresh(&data, unit_no, &keys).expect("fresh store");
    assert!(fresh.set_aside.exists(), "the old store is kept aside");
    assert_eq!(fresh.store.path(), store_path);
    let mut store = fresh.store;
    assert_eq!(store.draft_count().expect("drafts"), 0);

    // A new login (the token went with the keyring), and the first sync.
    let mut client = clerk.client.clone();
    client.set_token(None);
    let session = log_in(&client, &card(unit_no)).await;
    client.set_token(Some(session.token.clone()));
    SyncEngine::new(client)
        .sync(&mut store, true)
        .await
        .expect("first sync");

    assert_eq!(history(&store), before, "what was submitted is back");
    assert_eq!(
        store.draft_count().expect("drafts"),
        0,
        "the unsent draft is lost"
    );
    drop(store);
    assert_eq!(
        Store::open_unit(&data, unit_no, &keys)
            .expect("the fresh store opens with the new key")
            .declarations(None)
            .expect("list")
            .len(),
        2
    );
}

/// Each declaration's agency id, state and per-item outcomes, in the agency's order.
fn history(store: &Store) -> Vec<(String, DeclarationState, Vec<Option<bool>>)> {
    let mut rows: Vec<_> = store
        .declarations(None)
        .expect("list")
        .into_iter()
        .map(|d| {
            let outcomes = store
                .declaration_items(d.id)
                .expect("items")
                .iter()
                .map(|i| i.accepted)
                .collect();
            (d.remote_id.clone().unwrap_or_default(), d.state, outcomes)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}
