//! The store's figures: saving one draft (synchronous=FULL, on this disk) and the store's part
//! of a sync with nothing new for a unit with 100,000 declarations.
//!
//! `cargo bench -p shebao-store --bench store_figures` (set `SHEBAO_BENCH_DIR` to measure on
//! another disk than the temporary folder's).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use shebao_store::vault::MemoryVault;
use shebao_store::{
    DataDir, DeclarationKind, DeclarationState, KeySource, NewDraft, ReportedDeclaration,
    ReportedItem, Store,
};

fn main() {
    let base = std::env::var_os("SHEBAO_BENCH_DIR").map(std::path::PathBuf::from);
    let dir = match &base {
        Some(b) => tempfile::tempdir_in(b),
        None => tempfile::tempdir(),
    }
    .expect("a temporary folder");
    let keys = KeySource::new(Arc::new(MemoryVault::new()), None);
    let mut store =
        Store::open_unit(&DataDir::at(dir.path()), "310100000001", &keys).expect("open");

    // Saving one draft, each its own durable transaction.
    let mut times = Vec::new();
    for n in 0..200 {
        let draft = hire(n);
        let t = Instant::now();
        store.save_draft(&draft).expect("save");
        times.push(t.elapsed());
    }
    report(
        "save one draft (synchronous=FULL)",
        &mut times,
        Duration::from_millis(5),
    );

    // 100,000 declarations, all finished and viewed, as after years of use.
    let t = Instant::now();
    for page in 0..10 {
        let changes: Vec<ReportedDeclaration> = (0..10_000)
            .map(|i| ReportedDeclaration {
                remote_id: format!("r{page}-{i}"),
                idempotency_key: None,
                kind: DeclarationKind::Hire,
                period: Some("2026-01".into()),
                state: DeclarationState::Succeeded,
                viewed: true,
                items: vec![ReportedItem {
                    line: 1,
                    accepted: true,
                    reason: None,
                }],
                updated_at: "2026-01-02T00:00:00Z".into(),
            })
            .collect();
        store
            .apply_changes(&changes, Some(&format!("{page}")))
            .expect("apply");
    }
    eprintln!(
        "(filled 100,000 declarations in {:.1} s)",
        t.elapsed().as_secs_f64()
    );

    // What a sync with nothing new touches in the store: the viewed marks to send, the
    // outbox, the changes cursor, an empty page applied, and the home counts redrawn.
    let mut times = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        assert!(store.viewed_unsent().expect("viewed").is_empty());
        assert!(store.outbox().expect("outbox").is_empty());
        let _ = store.changes_cursor().expect("cursor");
        store.apply_changes(&[], None).expect("apply");
        let _ = store.sync_value("announcements_after").expect("value");
        let _ = store.home_counts().expect("counts");
        times.push(t.elapsed());
    }
    report(
        "store side of a sync with nothing new, 100,000 declarations",
        &mut times,
        Duration::from_millis(30),
    );

    let t = Instant::now();
    drop(store);
    let store = Store::open_unit(&DataDir::at(dir.path()), "310100000001", &keys).expect("reopen");
    eprintln!(
        "(open with integrity check: {:.1} ms)",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(store);
}

fn hire(n: u32) -> NewDraft {
    NewDraft {
        kind: DeclarationKind::Hire,
        period: "2026-11".into(),
        item: json!({"document_type": "01", "document_no": format!("1101051949123{n:05}"),
                     "name": "职工", "insurance_types": ["110", "310"], "wage": "6500.00"}),
    }
}

fn report(what: &str, times: &mut [Duration], limit: Duration) {
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    println!(
        "{what}: median {:.2} ms, p95 {:.2} ms (limit {} ms) {}",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        limit.as_millis(),
        if median < limit { "OK" } else { "TOO SLOW" }
    );
}
