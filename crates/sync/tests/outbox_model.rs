//! The outbox against a model of the agency: whatever the order of new submissions, refused
//! connections, answers lost after the agency stored the declaration, server errors and
//! restarts of the client, once the network is good again every declaration is held by the
//! agency exactly once, and the client knows the agency's id for each.
//!
//! The agency here is a small stand-in over plain HTTP that keeps declarations by idempotency
//! key, as API v1 says the real one does; a client that changed the key on a retry would make
//! it hold the same people twice, which is what the model catches.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Value, json};
use shebao_store::vault::MemoryVault;
use shebao_store::{DataDir, DeclarationKind, KeySource, NewDraft, Store};
use shebao_sync::{AgencyClient, Backoff, ClientConfig, SyncEngine};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the stand-in does with one `POST /declarations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// 503 before storing anything.
    Unavailable,
    /// Store the declaration, then close the connection without answering.
    LoseAnswer,
    /// Store the declaration, then answer 500 (a failure after the commit).
    ErrorAfterStoring,
}

/// The agency's side: declarations by idempotency key, and the faults still to play.
#[derive(Default)]
struct Agency {
    by_key: HashMap<String, (u64, Value)>,
    faults: VecDeque<Fault>,
}

#[derive(Debug, Clone)]
enum Step {
    /// The clerk keys one leaver and submits.
    Submit,
    /// The client sends its outbox while the agency plays these faults first.
    Send(Vec<Fault>),
    /// The client is closed and started again.
    Restart,
}

fn step() -> impl Strategy<Value = Step> {
    let fault = prop_oneof![
        Just(Fault::Unavailable),
        Just(Fault::LoseAnswer),
        Just(Fault::ErrorAfterStoring),
    ];
    prop_oneof![
        3 => Just(Step::Submit),
        3 => proptest::collection::vec(fault, 0..4).prop_map(Step::Send),
        1 => Just(Step::Restart),
    ]
}

async fn stand_in() -> (String, Arc<Mutex<Agency>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let agency: Arc<Mutex<Agency>> = Arc::default();
    let shared = agency.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, shared.clone()));
        }
    });
    (url, agency)
}

/// One connection: requests one after another until the client or a fault closes it.
async fn serve(mut socket: TcpStream, agency: Arc<Mutex<Agency>>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_lowercase();
        let header = |name: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::trim))
                .map(str::to_owned)
        };
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Value =
            serde_json::from_slice(&buffer[head_end..head_end + length]).unwrap_or(Value::Null);
        buffer.drain(..head_end + length);
        let key = header("idempotency-key").unwrap_or_default();

        let (status, answer) = {
            let mut agency = agency.lock().expect("agency");
            let fault = agency.faults.pop_front();
            if fault == Some(Fault::Unavailable) {
                ("503 Service Unavailable", problem(503))
            } else {
                let next_id = agency.by_key.len() as u64 + 1;
                let (status, id) = match agency.by_key.get(&key) {
                    Some((id, _)) => ("200 OK", *id),
                    None => {
                        agency.by_key.insert(key, (next_id, body));
                        ("201 Created", next_id)
                    }
                };
                match fault {
                    Some(Fault::LoseAnswer) => return,
                    Some(Fault::ErrorAfterStoring) => ("500 Internal Server Error", problem(500)),
                    _ => (
                        status,
                        json!({"id": id, "state": "submitted", "submitted_at": "2026-11-28T04:00:00Z"})
                            .to_string(),
                    ),
                }
            }
        };
        let reply = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if socket.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn problem(status: u16) -> String {
    json!({"type": "https://shebao.invalid/problems/internal", "title": "Internal error",
           "status": status, "detail": "try again"})
    .to_string()
}

fn engine(url: &str) -> SyncEngine {
    let mut config = ClientConfig::new(url);
    config.timeout = Duration::from_secs(10);
    let mut client = AgencyClient::new(&config).expect("client");
    client.set_token(Some("model-token".into()));
    SyncEngine::new(client).with_backoff(Backoff {
        first: Duration::from_millis(1),
        max: Duration::from_millis(2),
        attempts: 2,
    })
}

fn leaver(n: usize) -> NewDraft {
    NewDraft {
        kind: DeclarationKind::Leave,
        period: "2026-11".into(),
        item: json!({"document_type": "01", "document_no": format!("person-{n}"), "name": "张三"}),
    }
}

/// The people named in the declarations the agency holds.
fn people_at_agency(agency: &Agency) -> Vec<String> {
    let mut people: Vec<String> = agency
        .by_key
        .values()
        .flat_map(|(_, body)| body["items"].as_array().cloned().unwrap_or_default())
        .filter_map(|item| item["document_no"].as_str().map(str::to_owned))
        .collect();
    people.sort();
    people
}

fn run(steps: Vec<Step>) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let (url, agency) = stand_in().await;
        let engine = engine(&url);
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = KeySource::new(Arc::new(MemoryVault::new()), None);
        let open = || Store::open_unit(&DataDir::at(dir.path()), "1001", &keys).expect("store");
        let mut store = open();
        let mut submitted = 0;
        for step in steps {
            match step {
                Step::Submit => {
                    store.save_draft(&leaver(submitted)).expect("draft saved");
                    store.queue_drafts(None).expect("queued");
                    submitted += 1;
                }
                Step::Send(faults) => {
                    agency.lock().expect("agency").faults = faults.into();
                    // A failed send is what the clerk sees as "waiting for the network".
                    let _ = engine.send(&mut store).await;
                }
                Step::Restart => {
                    drop(store);
                    store = open();
                }
            }
        }
        // The network is good again.
        agency.lock().expect("agency").faults.clear();
        let report = engine.send(&mut store).await.expect("the last send works");
        prop_assert_eq!(report.still_queued, 0);
        prop_assert!(store.outbox().expect("outbox").is_empty());

        let agency = agency.lock().expect("agency");
        let expected: Vec<String> = {
            let mut all: Vec<String> = (0..submitted).map(|n| format!("person-{n}")).collect();
            all.sort();
            all
        };
        prop_assert_eq!(
            people_at_agency(&agency),
            expected,
            "each person exactly once"
        );
        let declarations = store.declarations(None).expect("declarations");
        prop_assert_eq!(declarations.len(), agency.by_key.len());
        for declaration in declarations {
            let held = agency.by_key.get(&declaration.idempotency_key);
            prop_assert!(
                held.is_some(),
                "the agency lacks {}",
                declaration.idempotency_key
            );
            let remote = held.map(|(id, _)| id.to_string());
            prop_assert_eq!(declaration.remote_id, remote);
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_declaration_reaches_the_agency_exactly_once(
        steps in proptest::collection::vec(step(), 1..12)
    ) {
        run(steps)?;
    }
}
