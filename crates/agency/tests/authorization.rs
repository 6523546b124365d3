//! The authorization matrix: every endpoint without a token, with an expired token, and with
//! another unit's token; nothing of one unit reaches another.

mod common;

use chrono::Duration;
use common::{TestAgency, hire_declaration, hire_item, resident_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shebao_agency::processing::Decision;

/// Every endpoint that needs a session, with a body where it takes one.
fn protected(declaration_id: i64) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::POST, "/logout".into(), None),
        (
            Method::PUT,
            "/password".into(),
            Some(json!({"old_password": "Chosen-2026", "new_password": "Another-2026"})),
        ),
        (Method::GET, "/reference".into(), None),
        (Method::GET, "/unit".into(), None),
        (Method::GET, "/employees".into(), None),
        (Method::GET, format!("/persons/{}", resident_id(1)), None),
        (Method::GET, "/dues?from=2026-01&to=2026-03".into(), None),
        (
            Method::POST,
            "/declarations".into(),
            Some(hire_declaration([hire_item(50)])),
        ),
        (Method::GET, "/declarations/changes".into(), None),
        (
            Method::POST,
            format!("/declarations/{declaration_id}/viewed"),
            None,
        ),
    ]
}

#[tokio::test]
async fn every_protected_endpoint_refuses_a_missing_unknown_or_expired_token() {
    let agency = TestAgency::start().await;
    let (_unit, expiring) = agency.active_session("2001").await;
    agency
        .clock
        .advance(Duration::hours(8) + Duration::seconds(1));
    for (method, path, body) in protected(1) {
        for token in [None, Some("not-a-token"), Some(expiring.as_str())] {
            let (status, problem) = agency
                .call(method.clone(), &path, token, body.as_ref())
                .await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}"
            );
            assert_eq!(
                problem["status"], 401,
                "{method} {path}: a problem document"
            );
        }
    }
    // The public endpoints need no token.
    for path in ["/announcements", "/openapi.json"] {
        let (status, _) = agency.call(Method::GET, path, None, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    agency.stop().await;
}

#[tokio::test]
async fn no_data_of_one_unit_reaches_another() {
    let agency = TestAgency::start().await;
    let (_a, token_a) = agency.active_session("2101").await;
    let (_b, token_b) = agency.active_session("2102").await;

    // Unit A hires two people; the agency accepts them.
    let (status, created) = agency
        .submit(
            &token_a,
            "a-hire-1",
            &hire_declaration([hire_item(1), hire_item(2)]),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("id");
    common::process(&agency, id, Decision::AcceptAll).await;

    let (_, feed_a) = agency
        .call(Method::GET, "/declarations/changes", Some(&token_a), None)
        .await;
    assert_eq!(feed_a["changes"].as_array().expect("changes").len(), 1);
    let (_, roster_a) = agency
        .call(Method::GET, "/employees", Some(&token_a), None)
        .await;
    assert_eq!(
        roster_a["employees"].as_array().expect("employees").len(),
        2
    );

    // Unit B sees none of it.
    let (status, feed_b) = agency
        .call(Method::GET, "/declarations/changes", Some(&token_b), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(feed_b["changes"].as_array().expect("changes").is_empty());
    let (_, roster_b) = agency
        .call(Method::GET, "/employees", Some(&token_b), None)
        .await;
    assert!(
        roster_b["employees"]
            .as_array()
            .expect("employees")
            .is_empty()
    );
    let (_, unit_b) = agency
        .call(Method::GET, "/unit", Some(&token_b), None)
        .await;
    assert_eq!(unit_b["unit_no"], "2102");
    let (_, dues_b) = agency
        .call(
            Method::GET,
            "/dues?from=2026-03&to=2026-03",
            Some(&token_b),
            None,
        )
        .await;
    assert!(
        dues_b["dues"].as_array().expect("dues").is_empty(),
        "{dues_b}"
    );
    let (_, dues_a) = agency
        .call(
            Method::GET,
            "/dues?from=2026-03&to=2026-03",
            Some(&token_a),
            None,
        )
        .await;
    assert_eq!(
        dues_a["dues"].as_array().expect("dues").len(),
        5,
        "{dues_a}"
    );

    // A's declaration does not exist for B.
    let (status, problem) = agency
        .call(
            Method::POST,
            &format!("/declarations/{id}/viewed"),
            Some(&token_b),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["status"], 404);
    let (status, _) = agency
        .call(
            Method::POST,
            &format!("/declarations/{id}/viewed"),
            Some(&token_a),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // B may reuse A's idempotency key: keys are per unit.
    let (status, other) = agency
        .submit(&token_b, "a-hire-1", &hire_declaration([hire_item(3)]))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(other["id"], created["id"]);

    // A person look-up tells what the agency knows of the person, never which unit employs them.
    let (status, person) = agency
        .call(
            Method::GET,
            &format!("/persons/{}", resident_id(1)),
            Some(&token_b),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{person}");
    assert_eq!(person["name"], "张三");
    assert!(person.get("unit_no").is_none() && person.get("wage").is_none());
    let (status, _) = agency
        .call(
            Method::GET,
            &format!("/persons/{}", resident_id(999)),
            Some(&token_b),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    agency.stop().await;
}

#[tokio::test]
async fn a_person_is_found_by_an_old_15_digit_number_or_a_lower_case_x() {
    let agency = TestAgency::start().await;
    let (_a, token) = agency.active_session("2201").await;
    let mut item = hire_item(1);
    item["document_no"] = json!("11010519491231002X");
    item["first_employed_on"] = json!("1970-07-01");
    item["insured_from"] = json!("2026-03");
    let (status, created) = agency
        .submit(&token, "old-man", &hire_declaration([item]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    common::process(
        &agency,
        created["id"].as_i64().expect("id"),
        Decision::AcceptAll,
    )
    .await;
    for number in ["11010519491231002x", "110105491231002"] {
        let (status, person) = agency
            .call(
                Method::GET,
                &format!("/persons/{number}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{number}: {person}");
        assert_eq!(person["document_no"], "11010519491231002X");
    }
    agency.stop().await;
}
