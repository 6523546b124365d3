//! Bad input: oversized and malformed bodies, too many items, deep JSON, plain HTTP, unknown
//! routes, and the login rate limits.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use common::{TestAgency, hire_declaration, hire_item, test_limits};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shebao_agency::limits::{Limits, RateLimit};

async fn raw_post(
    agency: &TestAgency,
    token: &str,
    body: Vec<u8>,
    content_type: &str,
) -> (StatusCode, Value) {
    let response = agency
        .client
        .post(agency.url("/declarations"))
        .bearer_auth(token)
        .header("Idempotency-Key", "raw-1")
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent");
    let status = response.status();
    let content_type = response.headers().get("content-type").cloned();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        assert_eq!(
            content_type.as_ref().and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{status}: {body}"
        );
    }
    (status, body)
}

#[tokio::test]
async fn oversized_malformed_and_deep_bodies_are_refused_with_problems() {
    let agency = TestAgency::start_with(Limits {
        max_body_bytes: 64 * 1024,
        max_items: 10,
        ..test_limits()
    })
    .await;
    let (_unit, token) = agency.active_session("4001").await;

    let huge = serde_json::to_vec(&hire_declaration((0..400).map(hire_item))).expect("json");
    assert!(huge.len() > 64 * 1024);
    let (status, _) = raw_post(&agency, &token, huge, "application/json").await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let eleven = serde_json::to_vec(&hire_declaration((0..11).map(hire_item))).expect("json");
    let (status, problem) = raw_post(&agency, &token, eleven, "application/json").await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("10 items")
    );

    let (status, _) = raw_post(
        &agency,
        &token,
        b"{\"kind\": \"hire\", ".to_vec(),
        "application/json",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = raw_post(&agency, &token, b"\xff\xfe".to_vec(), "application/json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes();
    let (status, problem) = raw_post(&agency, &token, deep, "application/json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("deeper")
    );

    let (status, _) = raw_post(
        &agency,
        &token,
        b"kind=hire".to_vec(),
        "application/x-www-form-urlencoded",
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // The Idempotency-Key is required.
    let response = agency
        .client
        .post(agency.url("/declarations"))
        .bearer_auth(&token)
        .json(&hire_declaration([hire_item(1)]))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // Unknown routes and methods answer problems too.
    let (status, problem) = agency
        .call(Method::GET, "/nowhere", Some(&token), None)
        .await;
    assert_eq!(
        (status, problem["status"].clone()),
        (StatusCode::NOT_FOUND, json!(404))
    );
    let (status, _) = agency
        .call(Method::DELETE, "/unit", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);

    // The server is still well.
    let (status, _) = agency
        .submit(&token, "after-the-storm", &hire_declaration([hire_item(1)]))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    agency.stop().await;
}

#[tokio::test]
async fn plain_http_gets_no_answer() {
    let agency = TestAgency::start().await;
    let address = agency.server.address;
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout set");
        stream
            .write_all(b"GET /api/v1/announcements HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .expect("written");
        let mut buffer = Vec::new();
        let _ = stream.read_to_end(&mut buffer);
        buffer
    })
    .await
    .expect("joined");
    assert!(
        !answer.starts_with(b"HTTP/"),
        "plain HTTP must not be served"
    );
    agency.stop().await;
}

#[tokio::test]
async fn login_calls_are_limited_per_address_and_per_unit() {
    let per_minute = |requests| RateLimit {
        requests,
        per: Duration::from_secs(60),
    };
    let agency = TestAgency::start_with(Limits {
        login_per_address: per_minute(100),
        login_per_unit: per_minute(3),
        ..test_limits()
    })
    .await;
    for _ in 0..3 {
        agency.challenge("5001").await;
    }
    let response = agency
        .client
        .post(agency.url("/login/challenge"))
        .json(&json!({"unit_no": "5001"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    // Another unit from the same address is still served…
    agency.challenge("5002").await;
    // …and the unit again once the window has passed.
    agency.clock.advance(chrono::Duration::seconds(60));
    agency.challenge("5001").await;
    agency.stop().await;

    let agency = TestAgency::start_with(Limits {
        login_per_address: per_minute(2),
        ..test_limits()
    })
    .await;
    agency.challenge("5003").await;
    agency.challenge("5004").await;
    let (status, _) = agency
        .call(
            Method::POST,
            "/login/challenge",
            None,
            Some(&json!({"unit_no": "5005"})),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    agency.stop().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let agency = TestAgency::start().await;
    let (status, document) = agency.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().expect("paths");
    let routes = shebao_agency::routes::routes();
    for (method, path) in &routes {
        assert!(
            paths.get(path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} is missing from openapi.json"
        );
    }
    let documented: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(
        documented,
        routes.len(),
        "no route documented that does not exist"
    );
    agency.stop().await;
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let agency = TestAgency::start_with(Limits {
        connection_setup_timeout: Duration::from_secs(1),
        header_read_timeout: Duration::from_secs(1),
        ..test_limits()
    })
    .await;
    let (mut tls, mut socket) = tls_connection(&agency);
    let outcome = tokio::task::spawn_blocking(move || {
        let mut stream = rustls::Stream::new(&mut tls, &mut socket);
        stream
            .write_all(b"GET /api/v1/announcements HTTP/1.1\r\nHost: localhost\r\n")
            .expect("half a request written");
        let mut answer = Vec::new();
        let read = stream.read_to_end(&mut answer);
        (read.map_err(|e| e.kind()), answer)
    })
    .await
    .expect("joined");
    match outcome {
        // Closed by the server: nothing, or a 408 before closing.
        (Ok(_), answer) => assert!(
            answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
            "{answer:?}"
        ),
        (Err(kind), _) => assert_ne!(
            kind,
            std::io::ErrorKind::WouldBlock,
            "the server kept the connection open"
        ),
    }
    agency.stop().await;
}

/// A TLS connection to the agency that trusts its CA, for tests that must write raw bytes.
fn tls_connection(agency: &TestAgency) -> (rustls::ClientConnection, std::net::TcpStream) {
    use rustls::pki_types::pem::PemObject;
    let ca = std::fs::read(&agency.server.ca_pem).expect("ca.pem");
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&ca) {
        roots.add(cert.expect("certificate")).expect("trusted");
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocols")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let tls = rustls::ClientConnection::new(std::sync::Arc::new(config), name).expect("client");
    let socket = std::net::TcpStream::connect(agency.server.address).expect("connects");
    // The tests give up after 20 s rather than hang, whatever the server does.
    socket
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout set");
    socket
        .set_write_timeout(Some(Duration::from_secs(20)))
        .expect("timeout set");
    (tls, socket)
}

/// Slowloris: a client that keeps a connection busy by sending its headers one byte at a time,
/// each byte in time to reset any per-read timer. The server must cut it off after the header
/// deadline, however active the trickle looks, or a few hundred such clients would hold every
/// connection the server can keep.
#[tokio::test]
async fn a_client_trickling_its_headers_one_byte_a_second_is_cut_off() {
    let agency = TestAgency::start_with(Limits {
        // Generous for the handshake, so only the header deadline can end the connection.
        connection_setup_timeout: Duration::from_secs(60),
        header_read_timeout: Duration::from_secs(2),
        ..test_limits()
    })
    .await;
    let (mut tls, mut socket) = tls_connection(&agency);
    let request = b"GET /api/v1/announcements HTTP/1.1\r\nHost: localhost\r\nX-Padding: slowly-slowly-slowly\r\n\r\n";
    let sent = tokio::task::spawn_blocking(move || {
        let mut stream = rustls::Stream::new(&mut tls, &mut socket);
        // Complete the handshake before the trickle starts.
        stream.write_all(&request[..1]).expect("first byte");
        stream
            .sock
            .set_read_timeout(Some(Duration::from_secs(1)))
            .expect("timeout set");
        for (i, byte) in request.iter().enumerate().skip(1) {
            // Waiting for an answer for a second is what paces the trickle.
            let mut answer = [0u8; 512];
            match stream.read(&mut answer) {
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                // Closed, reset, or a 408 before closing: cut off.
                _ => return i,
            }
            if stream.write_all(std::slice::from_ref(byte)).is_err() {
                return i;
            }
        }
        request.len()
    })
    .await
    .expect("joined");
    assert!(
        sent < request.len(),
        "the server read the whole trickled request ({sent} bytes over {sent} s)"
    );
    agency.stop().await;
}

/// A body sent in chunks, with no length announced, is cut off near the size limit: the server
/// neither buffers nor keeps reading what it will refuse, so memory stays bounded whatever a
/// client streams.
#[tokio::test]
async fn a_chunked_body_past_the_limit_is_refused_while_it_streams() {
    let agency = TestAgency::start_with(Limits {
        max_body_bytes: 64 * 1024,
        ..test_limits()
    })
    .await;
    let (_unit, token) = agency.active_session("4002").await;
    let (mut tls, mut socket) = tls_connection(&agency);
    let (sent, stopped, answer) = tokio::task::spawn_blocking(move || {
        let mut stream = rustls::Stream::new(&mut tls, &mut socket);
        let head = format!(
            "POST /api/v1/declarations HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: chunked-1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("head written");
        let chunk = vec![b' '; 16 * 1024];
        let mut sent = 0usize;
        let mut stopped = None;
        // 64 MiB on offer, a thousand times the limit.
        while sent < 64 * 1024 * 1024 {
            let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
            if let Err(error) = stream.write_all(&framed) {
                stopped = Some(error.kind());
                break;
            }
            sent += chunk.len();
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        (sent, stopped, answer)
    })
    .await
    .expect("joined");
    // The 413 arrives if the client reads before the server closes; a client still writing
    // sees the connection reset instead. Either way the server stopped taking the body.
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 413"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert!(
        sent < 8 * 1024 * 1024,
        "the server kept reading a body it had refused ({sent} bytes taken)"
    );
    // Closed by the server, not merely stalled.
    assert!(
        !matches!(
            stopped,
            Some(std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
        ),
        "the server held the connection open without reading: {stopped:?}"
    );
    agency.stop().await;
}
