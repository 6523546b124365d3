//! The agency server's figures, measured over real HTTPS on loopback:
//!
//! 1. `POST /declarations` with 10,000 hire items, validated and stored (target: < 1 s);
//! 2. `GET /declarations/changes` with no changes, for a unit with 100,000 declarations
//!    (target: < 5 ms server time), and its throughput with 200 concurrent clients
//!    (target: ≥ 3,000 requests/s).
//!
//! Run: `cargo bench -p shebao-agency --bench agency_api`. Every loop is bounded; the server
//! and the clients share this machine's cores.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::{TestAgency, hire_declaration, hire_item, percentile, test_limits};
use reqwest::StatusCode;
use shebao_agency::storage::sqlite::{Db, declarations};
use shebao_agency::storage::{Storage, StorageError, Submitting};

const HIRE_ITEMS: u32 = 10_000;
const HISTORY: i64 = 100_000;
const CLIENTS: usize = 200;
const REQUESTS_PER_CLIENT: usize = 100;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    // SQLite: the backends side by side are the agency_backends bench.
    let agency = TestAgency::start_on(None, test_limits(), None).await;
    let Storage::Sqlite(sqlite) = &agency.server.app.storage else {
        unreachable!("started on SQLite");
    };
    let db: &Db = sqlite.db();
    let (_unit, token) = agency.active_session("9001").await;

    // 1. A declaration of 10,000 hires.
    let mut timings = Vec::new();
    for round in 0..3u32 {
        let declaration = hire_declaration((0..HIRE_ITEMS).map(hire_item));
        let body = serde_json::to_vec(&declaration).expect("json");
        let started = Instant::now();
        let response = agency
            .client
            .post(agency.url("/declarations"))
            .bearer_auth(&token)
            .header("Idempotency-Key", format!("bench-hire-{round}"))
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .expect("sent");
        let status = response.status();
        let _ = response.bytes().await;
        let elapsed = started.elapsed();
        assert_eq!(status, StatusCode::CREATED);
        println!(
            "POST /declarations, {HIRE_ITEMS} hire items ({:.1} MB): {:.0} ms",
            body.len() as f64 / 1e6,
            elapsed.as_secs_f64() * 1e3
        );
        timings.push(elapsed);
    }
    timings.sort();
    println!(
        "  median of 3: {:.0} ms",
        percentile(&timings, 0.5).as_secs_f64() * 1e3
    );

    // 2. A unit with 100,000 declarations.
    let (_unit, token) = agency.active_session("9002").await;
    let unit_id = agency
        .server
        .app
        .storage
        .unit_by_number("9002".into())
        .await
        .expect("read")
        .expect("unit")
        .id;
    let item = vec![serde_json::to_string(&hire_item(1)).expect("json")];
    let started = Instant::now();
    db.write(|tx| -> Result<(), StorageError> {
        for n in 0..HISTORY {
            declarations::submit(
                tx,
                &Submitting {
                    unit_id,
                    idempotency_key: format!("history-{n}"),
                    kind: shebao_core::declaration::DeclarationKind::Hire,
                    period: "2026-03".parse().expect("month"),
                    items: item.clone(),
                    now: n,
                },
            )?;
        }
        Ok(())
    })
    .expect("history stored");
    println!(
        "stored {HISTORY} declarations for one unit in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (_, feed) = agency
        .call(
            reqwest::Method::GET,
            &format!("/declarations/changes?after={}", HISTORY - 1),
            Some(&token),
            None,
        )
        .await;
    let cursor = feed["next"].as_str().expect("next").to_owned();
    let path = format!("/declarations/changes?after={cursor}");
    let (_, idle) = agency
        .call(reqwest::Method::GET, &path, Some(&token), None)
        .await;
    assert!(idle["changes"].as_array().expect("changes").is_empty());

    // Server-side cost of the query itself.
    let after: i64 = cursor.parse().expect("numeric cursor");
    let mut query_times = Vec::new();
    for _ in 0..2_000 {
        let started = Instant::now();
        let feed = db
            .read(|conn| declarations::changes(conn, unit_id, after, 100))
            .expect("query");
        query_times.push(started.elapsed());
        assert!(feed.is_empty());
    }
    query_times.sort();
    println!(
        "changes query with no changes, 100,000 declarations: p50 {:.1} µs, p99 {:.1} µs",
        percentile(&query_times, 0.5).as_secs_f64() * 1e6,
        percentile(&query_times, 0.99).as_secs_f64() * 1e6
    );

    // One client, one request at a time: the whole round trip over HTTPS.
    let url = agency.url(&path);
    let mut latencies = Vec::new();
    for _ in 0..2_000 {
        let started = Instant::now();
        let response = agency
            .client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        let _ = response.bytes().await;
        latencies.push(started.elapsed());
    }
    latencies.sort();
    println!(
        "GET /declarations/changes (no changes), sequential round trip: p50 {:.2} ms, p99 {:.2} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3
    );

    // 200 concurrent clients, each with its own connection, a bounded number of requests each.
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CLIENTS);
    for _ in 0..CLIENTS {
        let client = agency.client.clone();
        let url = url.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0usize;
            for _ in 0..REQUESTS_PER_CLIENT {
                let response = client.get(&url).bearer_auth(&token).send().await;
                if let Ok(response) = response
                    && response.status() == StatusCode::OK
                    && response.bytes().await.is_ok()
                {
                    ok += 1;
                }
            }
            ok
        }));
    }
    let mut ok = 0;
    for task in tasks {
        ok += task.await.expect("client task");
    }
    let elapsed = started.elapsed();
    println!(
        "GET /declarations/changes, {CLIENTS} concurrent clients: {ok} requests in {:.2} s = {:.0} requests/s",
        elapsed.as_secs_f64(),
        ok as f64 / elapsed.as_secs_f64()
    );
    agency.stop().await;
}
