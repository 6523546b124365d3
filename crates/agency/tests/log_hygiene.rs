//! Nothing secret in the logs: a whole session (login, a person look-up, a declaration with
//! invalid and valid items, processing) logs no identity number, password, token or captcha.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{
    CAPTCHA, INITIAL_PASSWORD, OWN_PASSWORD, TestAgency, hire_declaration, hire_item, resident_id,
};
use reqwest::{Method, StatusCode};
use serde_json::json;
use shebao_agency::processing::Decision;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_carry_no_identity_number_password_token_or_captcha() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "info,shebao_agency=trace,tower_http=trace",
        ))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .init();

    let agency = TestAgency::start().await;
    let (unit, token) = agency.active_session("7001").await;
    let (status, _) = agency.login_as(&unit, "Wrong-password-1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut bad = hire_item(2);
    bad["wage"] = json!("not money");
    let (status, _) = agency
        .submit(&token, "log-1", &hire_declaration([hire_item(1), bad]))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, created) = agency
        .submit(&token, "log-2", &hire_declaration([hire_item(1)]))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    common::process(
        &agency,
        created["id"].as_i64().expect("id"),
        Decision::AcceptAll,
    )
    .await;
    let (status, _) = agency
        .call(
            Method::GET,
            &format!("/persons/{}?x={}", resident_id(1), resident_id(3)),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    agency.stop().await;

    let logs = String::from_utf8(captured.0.lock().expect("log buffer").clone()).expect("utf-8");
    assert!(
        logs.contains("person look-up"),
        "the test saw the server's logs:\n{logs}"
    );
    assert!(logs.contains("login succeeded"));
    for secret in [
        resident_id(1).as_str(),
        resident_id(2).as_str(),
        resident_id(3).as_str(),
        INITIAL_PASSWORD,
        OWN_PASSWORD,
        "Wrong-password-1",
        token.as_str(),
        CAPTCHA,
    ] {
        assert!(!logs.contains(secret), "a secret reached the logs:\n{logs}");
    }
}
