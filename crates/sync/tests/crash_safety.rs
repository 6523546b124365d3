//! Crash safety: a process doing what `shebao drafts import`, `shebao submit` and `shebao sync`
//! do is killed with SIGKILL at a random moment, again and again. After each kill the database
//! passes `PRAGMA integrity_check`, every draft whose save had returned is there (as a draft or
//! inside a queued declaration), and once a clean sync has run, the agency holds each of the
//! client's declarations exactly once.
//!
//! 10 runs by default; 100 with `SHEBAO_TEST_LONG=1`.
// The agency runs in this process, which a Windows build under Wine cannot do: there
// tests/native_agency.rs runs against the agency on the host instead.
#![cfg(not(windows))]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::{TestAgency, card, config, hire_item, resident_id};
use shebao_store::vault::NoVault;
use shebao_store::{DataDir, DeclarationKind, KeySource, NewDraft, Store, this_month};
use shebao_sync::{AgencyClient, Backoff, SyncEngine, block_on};

const PASSPHRASE: &str = "crash-test-passphrase";
const DRAFTS: u32 = 30;

fn keys() -> KeySource {
    KeySource::new(Arc::new(NoVault), Some(PASSPHRASE.into()))
}

/// The child's work; runs only when the parent starts this test binary with the job in the
/// environment.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var("SHEBAO_CRASH_DIR") else {
        return;
    };
    let var = |k: &str| std::env::var(k).expect(k);
    let unit = var("SHEBAO_CRASH_UNIT");
    let first: u32 = var("SHEBAO_CRASH_FIRST").parse().expect("first");
    let mut store = Store::open_unit(&DataDir::at(&dir), &unit, &keys()).expect("store");
    let period = this_month();
    let mut out = std::io::stdout();
    for n in first..first + DRAFTS {
        let draft = NewDraft {
            kind: DeclarationKind::Hire,
            period: period.clone(),
            item: hire_item(n, &period),
        };
        store.save_draft(&draft).expect("save");
        writeln!(out, "saved {}", resident_id(n)).expect("stdout");
        out.flush().expect("flush");
    }
    store.queue_drafts(None).expect("queue");
    let mut client = AgencyClient::new(&config(
        &var("SHEBAO_CRASH_AGENCY"),
        var("SHEBAO_CRASH_CA").as_ref(),
    ))
    .expect("client");
    client.set_token(Some(var("SHEBAO_CRASH_TOKEN")));
    let engine = SyncEngine::new(client);
    block_on(engine.send(&mut store))
        .expect("runtime")
        .expect("send");
    block_on(engine.sync(&mut store, false))
        .expect("runtime")
        .expect("sync");
    writeln!(out, "done").expect("stdout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_moments_nothing_saved_is_lost_and_nothing_is_declared_twice() {
    let runs = if std::env::var("SHEBAO_TEST_LONG").is_ok_and(|v| v == "1") {
        100
    } else {
        10
    };
    let agency = TestAgency::start(None).await;
    let card = card("310100000021");
    agency.open_unit(&card);
    let mut client = AgencyClient::new(&config(&agency.url(), &agency.ca())).expect("client");
    let session = common::log_in(&client, &card).await;
    client.set_token(Some(session.token.clone()));
    let engine = SyncEngine::new(client).with_backoff(Backoff {
        first: Duration::from_millis(20),
        max: Duration::from_millis(100),
        attempts: 3,
    });
    let exe = std::env::current_exe().expect("test binary");

    let mut finished = 0;
    let mut window_ms: u64 = 1500;
    for run in 0..runs {
        let data = tempfile::tempdir().expect("temp dir");
        let before = agency.declaration_count();
        let first = 10_000 + run * 100;
        let mut child = Command::new(&exe)
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env("SHEBAO_CRASH_DIR", data.path())
            .env("SHEBAO_CRASH_UNIT", &card.unit_no)
            .env("SHEBAO_CRASH_FIRST", first.to_string())
            .env("SHEBAO_CRASH_AGENCY", agency.url())
            .env("SHEBAO_CRASH_CA", agency.ca())
            .env("SHEBAO_CRASH_TOKEN", &session.token)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        // The window covers opening the store (its key derivation takes a few hundred
        // milliseconds), saving, queuing, sending and syncing; it adapts so that about half
        // the runs are killed before the child finishes, whatever this machine's speed.
        let wait = Duration::from_millis(fastrand::u64(0..window_ms));
        tokio::time::sleep(wait).await;
        let _ = child.kill();
        let _ = child.wait();
        let lines = reader.join().expect("reader");
        let saved: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("saved "))
            .collect();
        if lines.iter().any(|l| l == "done") {
            finished += 1;
            window_ms = (window_ms * 4 / 5).max(50);
        } else {
            window_ms = window_ms * 11 / 10;
        }

        // The store opens, passes the full check, and holds every reported draft.
        let mut store = Store::open_unit(&DataDir::at(data.path()), &card.unit_no, &keys())
            .unwrap_or_else(|e| panic!("run {run}: the store does not open after the kill: {e}"));
        store
            .integrity_check()
            .unwrap_or_else(|e| panic!("run {run}: {e}"));
        let present = common::document_numbers_in(&store);
        for no in &saved {
            assert!(
                present.iter().any(|p| p == no),
                "run {run} (killed after {wait:?}): a saved draft is lost"
            );
        }

        // A clean sync afterwards: every queued declaration reaches the agency exactly once.
        store.queue_drafts(None).expect("queue the rest");
        engine.send(&mut store).await.expect("send after the crash");
        assert!(store.outbox().expect("outbox").is_empty());
        let local = store.declarations(None).expect("declarations");
        assert!(local.iter().all(|d| d.remote_id.is_some()));
        // The changes feed also brings the declarations of earlier runs (the same unit, as if
        // sent from another computer); only those made in this store count.
        let own = common::own_declarations(&store);
        assert_eq!(
            agency.declaration_count() - before,
            own as i64,
            "run {run} (killed after {wait:?}): the agency holds a declaration twice or misses one"
        );
    }
    eprintln!("{runs} runs, {finished} of them finished before the kill");
}
