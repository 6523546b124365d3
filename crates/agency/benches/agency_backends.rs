//! The agency on SQLite and on PostgreSQL, with one server and with two, side by side:
//!
//! 1. `GET /declarations/changes` with nothing new, 200 clients (each a unit of its own) polling
//!    an agency of 100,000 units with a declaration each: requests/s and p99;
//! 2. `POST /declarations` with 10,000 hire items: time to the 201 (median of 3);
//! 3. automatic processing of 100,000 queued hire items (100 declarations of 1,000): items/s.
//!
//! PostgreSQL is measured when SHEBAO_BENCH_POSTGRES names a server (`cargo xtask bench` starts
//! a durable one); each measurement gets a database of its own there. Run:
//! `cargo bench -p shebao-agency --bench agency_backends`. Every loop is bounded; the servers,
//! the clients and PostgreSQL share this machine's cores.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    TestAgency, TestDatabase, hire_declaration, hire_item, percentile, test_limits, with_check,
};
use reqwest::StatusCode;
use shebao_agency::RunningServer;
use shebao_agency::auth::token;
use shebao_agency::processing::process_due;
use shebao_agency::storage::{Storage, Submitting};
use shebao_core::declaration::DeclarationKind;

const UNITS: i64 = 100_000;
const CLIENTS: usize = 200;
const REQUESTS_PER_CLIENT: usize = 50;
const HIRE_ITEMS: u32 = 10_000;
const QUEUED_DECLARATIONS: u32 = 100;
const ITEMS_PER_DECLARATION: u32 = 1_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

/// A backend to measure: SQLite, or PostgreSQL on the bench's server.
#[derive(Clone)]
enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }

    async fn agency(&self) -> TestAgency {
        let database = match self {
            Backend::Sqlite => None,
            Backend::Postgres(admin) => Some(TestDatabase::create_on(admin).await),
        };
        TestAgency::start_on(database, test_limits(), None).await
    }
}

async fn run() {
    let mut backends = vec![Backend::Sqlite];
    match std::env::var("SHEBAO_BENCH_POSTGRES") {
        Ok(admin) if !admin.is_empty() => backends.push(Backend::Postgres(admin)),
        _ => println!("SHEBAO_BENCH_POSTGRES names no server: SQLite only"),
    }
    let mut table = Vec::new();
    for backend in &backends {
        table.extend(changes_feed(backend).await);
        table.push(post_hires(backend).await);
        for servers in [1, 2] {
            table.push(processing(backend, servers).await);
        }
    }
    println!("\n| backend | servers | figure | measured |\n|---|---|---|---|");
    for row in table {
        println!("{row}");
    }
}

/// 100,000 units with one declaration each, written straight into the database: the figures
/// are about reading them, and opening them through the API would take hours of Argon2.
async fn seed_units(storage: &Storage) {
    match storage {
        Storage::Sqlite(sqlite) => sqlite
            .db()
            .write(|tx| {
                tx.execute_batch(&format!(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {UNITS})
                     INSERT INTO units (unit_no, name, uscc, card_public_key, password_hash,
                         password_is_initial, last_change_seq, opened_at)
                     SELECT 'b' || i, '单位' || i, '91350100M000100Y43', x'04', 'x', 0, 1, 0 FROM n;
                     INSERT INTO declarations (unit_id, idempotency_key, kind, period, state,
                         item_count, submitted_at, updated_at, change_seq)
                     SELECT id, 'seed', 'hire', '2026-03', 'submitted', 1, 0, 0, 1 FROM units
                     WHERE unit_no LIKE 'b%';"
                ))
                .map_err(shebao_agency::storage::StorageError::from)
            })
            .expect("units seeded"),
        Storage::Postgres(pg) => {
            let client = pg.pool().get().await.expect("connection");
            client
                .batch_execute(&format!(
                    "INSERT INTO units (unit_no, name, uscc, card_public_key, password_hash,
                         password_is_initial, last_change_seq, opened_at)
                     SELECT 'b' || i, '单位' || i, '91350100M000100Y43', '\\x04', 'x', FALSE, 1, 0
                     FROM generate_series(1, {UNITS}) AS i;
                     INSERT INTO declarations (unit_id, idempotency_key, kind, period, state,
                         item_count, submitted_at, updated_at, change_seq)
                     SELECT id, 'seed', 'hire', '2026-03', 'submitted', 1, 0, 0, 1 FROM units
                     WHERE unit_no LIKE 'b%';
                     ANALYZE;"
                ))
                .await
                .expect("units seeded");
        }
    }
}

/// Polls the changes feed from `CLIENTS` clients, each as its own unit, spread over `servers`.
async fn poll(
    agency: &TestAgency,
    servers: &[&RunningServer],
    tokens: &[String],
) -> (f64, Duration) {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CLIENTS);
    for (n, token) in tokens.iter().enumerate() {
        let client = agency.client.clone();
        let url = format!(
            "{}/declarations/changes?after=1",
            TestAgency::base_of(servers[n % servers.len()])
        );
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(REQUESTS_PER_CLIENT);
            for _ in 0..REQUESTS_PER_CLIENT {
                let sent = Instant::now();
                let response = client.get(&url).bearer_auth(&token).send().await;
                if let Ok(response) = response
                    && response.status() == StatusCode::OK
                    && response.bytes().await.is_ok()
                {
                    latencies.push(sent.elapsed());
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("client task"));
    }
    let elapsed = started.elapsed();
    assert_eq!(
        latencies.len(),
        CLIENTS * REQUESTS_PER_CLIENT,
        "every request answered"
    );
    latencies.sort();
    (
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.99),
    )
}

async fn changes_feed(backend: &Backend) -> Vec<String> {
    let agency = backend.agency().await;
    let storage = &agency.server.app.storage;
    let started = Instant::now();
    seed_units(storage).await;
    println!(
        "{}: seeded {UNITS} units with a declaration each in {:.1} s",
        backend.name(),
        started.elapsed().as_secs_f64()
    );
    let now = agency.clock_now();
    let mut tokens = Vec::with_capacity(CLIENTS);
    for n in 1..=CLIENTS {
        let unit = storage
            .unit_by_number(format!("b{n}"))
            .await
            .expect("read")
            .expect("seeded unit");
        let token = token::generate();
        storage
            .start_session(unit.id, token::digest(&token), now, 0)
            .await
            .expect("session");
        tokens.push(token);
    }
    // Warm up the connections and the caches.
    poll(&agency, &[&agency.server], &tokens[..CLIENTS.min(20)]).await;
    let mut rows = Vec::new();
    let (rate, p99) = poll(&agency, &[&agency.server], &tokens).await;
    rows.push(feed_row(backend, 1, rate, p99));
    let second = agency.second_server().await;
    let (rate, p99) = poll(&agency, &[&agency.server, &second], &tokens).await;
    rows.push(feed_row(backend, 2, rate, p99));
    second.shutdown(Duration::from_secs(1)).await;
    agency.stop().await;
    rows
}

fn feed_row(backend: &Backend, servers: usize, rate: f64, p99: Duration) -> String {
    let row = format!(
        "| {} | {servers} | changes feed, nothing new, {CLIENTS} clients, {UNITS} units | {rate:.0} requests/s, p99 {:.1} ms |",
        backend.name(),
        p99.as_secs_f64() * 1e3
    );
    println!("{row}");
    row
}

async fn post_hires(backend: &Backend) -> String {
    let agency = backend.agency().await;
    let (_unit, token) = agency.active_session("9001").await;
    let mut timings = Vec::new();
    for round in 0..3u32 {
        let declaration =
            hire_declaration((0..HIRE_ITEMS).map(|n| hire_item(round * HIRE_ITEMS + n)));
        let body = serde_json::to_vec(&declaration).expect("json");
        let started = Instant::now();
        let response = agency
            .client
            .post(agency.url("/declarations"))
            .bearer_auth(&token)
            .header("Idempotency-Key", format!("bench-hire-{round}"))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("sent");
        let status = response.status();
        let _ = response.bytes().await;
        assert_eq!(status, StatusCode::CREATED);
        timings.push(started.elapsed());
    }
    timings.sort();
    agency.stop().await;
    let row = format!(
        "| {} | 1 | POST /declarations, {HIRE_ITEMS} hire items, time to 201 | {:.0} ms (median of 3) |",
        backend.name(),
        percentile(&timings, 0.5).as_secs_f64() * 1e3
    );
    println!("{row}");
    row
}

/// A valid resident ID number for person `n`, different for every `n` below 840,000.
fn person(n: u32) -> String {
    let area = 350_102 + n / 84_000;
    let day = 1 + n % 28;
    let month = 1 + (n / 28) % 12;
    let year = 1980 + (n / 336) % 20;
    with_check(&format!("{area}{year}{month:02}{day:02}{:03}", n % 1000))
}

async fn processing(backend: &Backend, servers: usize) -> String {
    let agency = backend.agency().await;
    let storage = &agency.server.app.storage;
    let now = agency.clock_now();
    let mut units = Vec::new();
    for u in 0..10 {
        let unit = agency.open_unit(&format!("95{u:02}")).await;
        let id = storage
            .unit_by_number(unit.unit_no.clone())
            .await
            .expect("read")
            .expect("unit")
            .id;
        units.push(id);
    }
    for d in 0..QUEUED_DECLARATIONS {
        let items = (0..ITEMS_PER_DECLARATION)
            .map(|i| {
                let mut item = hire_item(0);
                item["document_no"] = person(d * ITEMS_PER_DECLARATION + i).into();
                item.to_string()
            })
            .collect();
        storage
            .submit(Submitting {
                unit_id: units[d as usize % units.len()],
                idempotency_key: format!("queued-{d}"),
                kind: DeclarationKind::Hire,
                period: "2026-03".parse().expect("month"),
                items,
                now,
            })
            .await
            .expect("queued");
    }
    let started_up = storage.start_due(now, now).await.expect("started");
    assert_eq!(started_up, QUEUED_DECLARATIONS as usize);
    let second = if servers == 2 {
        Some(agency.second_server().await)
    } else {
        None
    };
    let apps: Vec<Arc<shebao_agency::app::App>> = std::iter::once(agency.server.app.clone())
        .chain(second.as_ref().map(|s| s.app.clone()))
        .collect();
    let started = Instant::now();
    let runs = apps
        .iter()
        .map(|app| async move { process_due(app, Duration::ZERO).await.expect("processing") });
    let done: usize = futures::future::join_all(runs).await.into_iter().sum();
    let elapsed = started.elapsed();
    assert_eq!(done, QUEUED_DECLARATIONS as usize, "each declaration once");
    let counts = storage.counts().await.expect("counts");
    assert_eq!(
        counts.roster,
        i64::from(QUEUED_DECLARATIONS * ITEMS_PER_DECLARATION),
        "every hire on a roster"
    );
    if let Some(second) = second {
        second.shutdown(Duration::from_secs(1)).await;
    }
    agency.stop().await;
    let items = f64::from(QUEUED_DECLARATIONS * ITEMS_PER_DECLARATION);
    let row = format!(
        "| {} | {servers} | automatic processing, {} queued hire items | {:.0} items/s ({:.1} s) |",
        backend.name(),
        QUEUED_DECLARATIONS * ITEMS_PER_DECLARATION,
        items / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    println!("{row}");
    row
}
