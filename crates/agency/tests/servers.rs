//! Several server processes on one database behave as one agency: a session made on one works
//! on the other, an idempotency key makes one declaration whichever servers receive it, the
//! changes feed and its cursor are the same from either, the lockout and the login limits
//! count the calls of both, and automatic processing finishes each declaration once.
//!
//! On SQLite the servers share the data directory's file; on PostgreSQL (SHEBAO_TEST_POSTGRES)
//! they share the test's database.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{INITIAL_PASSWORD, TestAgency, hire_declaration, hire_item, test_limits};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shebao_agency::RunningServer;
use shebao_agency::limits::{Limits, RateLimit};
use shebao_agency::processing::process_due;

/// A request to one server of the agency.
async fn call(
    agency: &TestAgency,
    server: &RunningServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let base = TestAgency::base_of(server);
    agency.call_at(&base, method, path, token, body).await
}

/// A login challenge for `unit_no` from one server of the agency.
async fn challenge_at(
    agency: &TestAgency,
    server: &RunningServer,
    unit_no: &str,
) -> (StatusCode, Value) {
    let body = json!({ "unit_no": unit_no });
    call(
        agency,
        server,
        Method::POST,
        "/login/challenge",
        None,
        Some(&body),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_share_sessions_keys_and_the_changes_feed() {
    let agency = TestAgency::start().await;
    let first = &agency.server;
    let second = agency.second_server().await;
    // The session is made on the first server and used on the second.
    let (_unit, token) = agency.active_session("8001").await;
    let (status, unit) = call(&agency, &second, Method::GET, "/unit", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{unit}");
    assert_eq!(unit["unit_no"], "8001");

    // One key sent sixteen times at once, half to each server: one declaration.
    let declaration = hire_declaration((1..=40).map(hire_item));
    let key = "0b7f0a52-5f1e-4d0e-9a57-6f1d2c3b4a59";
    let (first_base, second_base) = (TestAgency::base_of(first), TestAgency::base_of(&second));
    let attempts = (0..16).map(|n| {
        let base = if n % 2 == 0 {
            &first_base
        } else {
            &second_base
        };
        agency.submit_at(base, &token, key, &declaration)
    });
    let answers = futures::future::join_all(attempts).await;
    common::created_once(&answers);

    // More declarations through both servers; the feed reads the same from either.
    for n in 0..6u32 {
        let base = if n % 2 == 0 {
            &first_base
        } else {
            &second_base
        };
        let declaration = hire_declaration([hire_item(100 + n)]);
        let (status, _) = agency
            .submit_at(base, &token, &format!("both-{n}"), &declaration)
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let feed = "/declarations/changes?limit=4";
    let (_, from_first) = call(&agency, first, Method::GET, feed, Some(&token), None).await;
    let (_, from_second) = call(&agency, &second, Method::GET, feed, Some(&token), None).await;
    assert_eq!(from_first, from_second);
    let cursor = from_first["next"].as_str().expect("next").to_owned();
    let rest = format!("/declarations/changes?after={cursor}");
    let (_, rest_first) = call(&agency, first, Method::GET, &rest, Some(&token), None).await;
    let (_, rest_second) = call(&agency, &second, Method::GET, &rest, Some(&token), None).await;
    assert_eq!(rest_first, rest_second);
    let seen = from_first["changes"].as_array().expect("changes").len()
        + rest_first["changes"].as_array().expect("changes").len();
    assert_eq!(seen, 7, "each declaration once, in one order");

    // Logging out on the second server ends the session on the first.
    let (status, _) = call(
        &agency,
        &second,
        Method::POST,
        "/logout",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&agency, first, Method::GET, "/unit", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    second.shutdown(Duration::from_secs(1)).await;
    agency.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_lockout_and_the_login_limits_count_the_calls_of_every_server() {
    let per_minute = |requests| RateLimit {
        requests,
        per: Duration::from_secs(60),
    };
    let agency = TestAgency::start_with(Limits {
        login_per_unit: per_minute(12),
        ..test_limits()
    })
    .await;
    let second = agency.second_server().await;
    let unit = agency.open_unit("8101").await;

    // Five failures, spread over both servers, lock the unit on both.
    for n in 0..5 {
        let challenge = if n % 2 == 0 {
            agency.challenge("8101").await
        } else {
            challenge_at(&agency, &second, "8101").await.1
        };
        let (status, _) = agency
            .answer(
                &challenge,
                &unit,
                "wrong-password",
                common::CAPTCHA,
                &unit.card,
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let challenge = challenge_at(&agency, &second, "8101").await.1;
    let (status, problem) = agency
        .answer(
            &challenge,
            &unit,
            INITIAL_PASSWORD,
            common::CAPTCHA,
            &unit.card,
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{problem}");

    // Twelve login calls for the unit so far (six challenges, six logins), its limit for a
    // minute, whichever server counted them: the thirteenth is refused.
    let (status, _) = challenge_at(&agency, &second, "8101").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    agency.clock.advance(chrono::Duration::minutes(16));
    let (status, _) = challenge_at(&agency, &second, "8101").await;
    assert_eq!(status, StatusCode::OK, "a new window, and the lock is over");
    second.shutdown(Duration::from_secs(1)).await;
    agency.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn automatic_processing_on_two_servers_finishes_each_declaration_once() {
    let agency = TestAgency::start().await;
    let second = agency.second_server().await;
    let (_a, token_a) = agency.active_session("8201").await;
    let (_b, token_b) = agency.active_session("8202").await;
    // Forty declarations of five hires each, and one person both units hire at once.
    let mut keys = Vec::new();
    for n in 0..40u32 {
        let token = if n % 2 == 0 { &token_a } else { &token_b };
        let items = (0..5).map(|i| hire_item(1000 + n * 5 + i));
        let key = format!("auto-{n}");
        let (status, _) = agency.submit(token, &key, &hire_declaration(items)).await;
        assert_eq!(status, StatusCode::CREATED);
        keys.push(key);
    }
    for (token, key) in [(&token_a, "both-hire-a"), (&token_b, "both-hire-b")] {
        let (status, _) = agency
            .submit(token, key, &hire_declaration([hire_item(9999)]))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // Both servers start them, then both finish them, at the same time.
    let delay = Duration::ZERO;
    let (first, second_app) = (&agency.server.app, &second.app);
    let (a, b) = tokio::join!(process_due(first, delay), process_due(second_app, delay));
    assert_eq!(a.expect("first server") + b.expect("second server"), 0);
    let (a, b) = tokio::join!(process_due(first, delay), process_due(second_app, delay));
    let (a, b) = (a.expect("first server"), b.expect("second server"));
    assert_eq!(a + b, 42, "each declaration finished once ({a} + {b})");
    let (a, b) = tokio::join!(process_due(first, delay), process_due(second_app, delay));
    assert_eq!(a.expect("first server") + b.expect("second server"), 0);

    let mut states = BTreeMap::new();
    for token in [&token_a, &token_b] {
        let (_, feed) = agency
            .call(
                Method::GET,
                "/declarations/changes?limit=1000",
                Some(token),
                None,
            )
            .await;
        for change in feed["changes"].as_array().expect("changes") {
            let key = change["idempotency_key"].as_str().expect("key").to_owned();
            assert!(
                states.insert(key, change.clone()).is_none(),
                "each declaration appears once in its unit's feed"
            );
        }
    }
    assert_eq!(states.len(), 42);
    for key in &keys {
        assert_eq!(states[key]["state"], "succeeded", "{key}");
    }
    // The person both units hired is insured at one of them only.
    let outcomes = [&states["both-hire-a"], &states["both-hire-b"]]
        .map(|c| c["state"].as_str().expect("state").to_owned());
    let mut sorted = outcomes.clone();
    sorted.sort();
    assert_eq!(sorted, ["failed", "succeeded"], "{outcomes:?}");
    let counts = agency.server.app.storage.counts().await.expect("counts");
    assert_eq!(counts.roster, 201, "200 hires and the one person once");
    second.shutdown(Duration::from_secs(1)).await;
    agency.stop().await;
}
