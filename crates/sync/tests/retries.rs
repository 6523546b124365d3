//! Server errors (500, 503) are retried with backoff, every attempt carrying the same
//! idempotency key; a stand-in agency over plain HTTP records what arrives.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use shebao_store::vault::MemoryVault;
use shebao_store::{DataDir, DeclarationKind, KeySource, NewDraft, Store};
use shebao_sync::{AgencyClient, Backoff, ClientConfig, SyncEngine};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers `failures` server errors, then 201; records each request's idempotency key.
async fn stand_in(failures: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let keys: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = keys.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    // Read one request: headers, then Content-Length bytes of body.
                    let head_end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
                    let header = |name: &str| {
                        head.lines().find_map(|l| {
                            l.strip_prefix(&format!("{name}: "))
                                .map(str::trim)
                                .map(str::to_owned)
                        })
                    };
                    let length: usize = header("content-length")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    while buf.len() < head_end + length {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..head_end + length);
                    let attempt = {
                        let mut s = seen.lock().expect("seen");
                        s.push(header("idempotency-key").unwrap_or_default());
                        s.len()
                    };
                    let (status, body) = if attempt <= failures {
                        let status = if attempt % 2 == 1 {
                            "500 Internal Server Error"
                        } else {
                            "503 Service Unavailable"
                        };
                        (status, r#"{"type":"https://shebao.invalid/problems/internal","title":"Internal error","status":500,"detail":"try again"}"#.to_owned())
                    } else {
                        ("201 Created", json!({"id": 7, "state": "submitted", "submitted_at": "2026-11-28T04:00:00Z"}).to_string())
                    };
                    let answer = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, keys)
}

#[tokio::test]
async fn server_errors_are_retried_with_the_same_idempotency_key() {
    let (url, seen) = stand_in(3).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = KeySource::new(Arc::new(MemoryVault::new()), None);
    let mut store = Store::open_unit(&DataDir::at(dir.path()), "1001", &keys).expect("store");
    store
        .save_draft(&NewDraft {
            kind: DeclarationKind::Leave,
            period: "2026-11".into(),
            item: json!({"name": "张三"}),
        })
        .expect("draft");
    let queued = store.queue_drafts(None).expect("queue").remove(0);

    let mut client = AgencyClient::new(&ClientConfig::new(url)).expect("client");
    client.set_token(Some("token".into()));
    let backoff = Backoff {
        first: Duration::from_millis(10),
        max: Duration::from_millis(40),
        attempts: 5,
    };
    let report = SyncEngine::new(client)
        .with_backoff(backoff)
        .send(&mut store)
        .await
        .expect("send");

    assert_eq!(report.accepted, 1);
    let seen = seen.lock().expect("seen").clone();
    assert_eq!(seen.len(), 4, "three server errors, then the 201");
    assert!(
        seen.iter().all(|k| *k == queued.idempotency_key),
        "{seen:?}"
    );
    let declaration = store
        .declaration(queued.declaration_id)
        .expect("declaration");
    assert_eq!(declaration.remote_id.as_deref(), Some("7"));
}

#[tokio::test]
async fn a_server_that_keeps_failing_leaves_the_declaration_queued() {
    let (url, seen) = stand_in(usize::MAX).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = KeySource::new(Arc::new(MemoryVault::new()), None);
    let mut store = Store::open_unit(&DataDir::at(dir.path()), "1001", &keys).expect("store");
    store
        .save_draft(&NewDraft {
            kind: DeclarationKind::Leave,
            period: "2026-11".into(),
            item: json!({"name": "张三"}),
        })
        .expect("draft");
    store.queue_drafts(None).expect("queue");
    let mut client = AgencyClient::new(&ClientConfig::new(url)).expect("client");
    client.set_token(Some("token".into()));
    let backoff = Backoff {
        first: Duration::from_millis(5),
        max: Duration::from_millis(20),
        attempts: 3,
    };
    let report = SyncEngine::new(client)
        .with_backoff(backoff)
        .send(&mut store)
        .await
        .expect("send");
    assert_eq!((report.accepted, report.still_queued), (0, 1));
    assert_eq!(seen.lock().expect("seen").len(), 3);
    let outbox = store.outbox().expect("outbox");
    assert_eq!(outbox[0].attempts, 3);
    assert!(
        outbox[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("500") || e.contains("503"))
    );
}
