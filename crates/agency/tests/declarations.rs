//! Submitting declarations: validation, idempotency under concurrent duplicates, the changes
//! feed with its cursor, viewing, and the automatic processing rules.

mod common;

use std::collections::BTreeMap;

use common::{TestAgency, hire_declaration, hire_item, resident_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shebao_agency::processing::{Decision, process_due};

#[tokio::test]
async fn concurrent_duplicates_make_one_declaration() {
    let agency = TestAgency::start().await;
    let (_unit, token) = agency.active_session("3001").await;
    let declaration = hire_declaration((1..=50).map(hire_item));
    let key = "6f1c2a3e-0d4b-4c55-9a1e-1b2c3d4e5f60";
    let attempts = (0..16).map(|_| agency.submit(&token, key, &declaration));
    let answers = futures::future::join_all(attempts).await;
    common::created_once(&answers);

    let (_, feed) = agency
        .call(Method::GET, "/declarations/changes", Some(&token), None)
        .await;
    assert_eq!(feed["changes"].as_array().expect("changes").len(), 1);
    assert_eq!(feed["changes"][0]["idempotency_key"], key);
    agency.stop().await;
}

#[tokio::test]
async fn invalid_items_answer_422_per_item_and_nothing_is_stored() {
    let agency = TestAgency::start().await;
    let (_unit, token) = agency.active_session("3002").await;
    let mut bad_number = hire_item(2);
    bad_number["document_no"] = json!("350102199001010010");
    let mut bad_wage = hire_item(3);
    bad_wage["wage"] = json!("lots");
    let declaration = hire_declaration([hire_item(1), bad_number, bad_wage, hire_item(1)]);
    let (status, problem) = agency.submit(&token, "k-invalid", &declaration).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem["type"]
            .as_str()
            .expect("type")
            .ends_with("invalid-items")
    );
    let errors = problem["errors"].as_array().expect("errors");
    let by_item: BTreeMap<i64, Vec<&str>> = errors.iter().fold(BTreeMap::new(), |mut map, e| {
        map.entry(e["item"].as_i64().expect("item"))
            .or_default()
            .push(e["field"].as_str().expect("field"));
        assert!(e["code"].is_string() && e["message"].is_string());
        map
    });
    assert_eq!(
        by_item.keys().copied().collect::<Vec<_>>(),
        vec![2, 3, 4],
        "{problem}"
    );
    assert!(by_item[&2].contains(&"document_no"));
    assert!(by_item[&3].contains(&"wage"));
    assert!(
        by_item[&4].contains(&"document_no"),
        "the same person twice"
    );

    // An item without the fields of its kind is named by its line too.
    let (status, problem) = agency
        .submit(
            &token,
            "k-malformed",
            &hire_declaration([hire_item(1), json!({"name": "李四"})]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["item"], 2);

    let (status, problem) = agency
        .submit(
            &token,
            "k-kind",
            &json!({"kind": "promotion", "period": "2026-03", "items": []}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    let (_, feed) = agency
        .call(Method::GET, "/declarations/changes", Some(&token), None)
        .await;
    assert!(
        feed["changes"].as_array().expect("changes").is_empty(),
        "nothing stored"
    );
    // The key of a refused declaration is still free.
    let (status, _) = agency
        .submit(&token, "k-invalid", &hire_declaration([hire_item(1)]))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    agency.stop().await;
}

fn changes(feed: &Value) -> &Vec<Value> {
    feed["changes"].as_array().expect("changes")
}

#[tokio::test]
async fn the_changes_feed_follows_every_change_after_the_cursor() {
    let agency = TestAgency::start().await;
    let (_unit, token) = agency.active_session("3003").await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let (status, created) = agency
            .submit(
                &token,
                &format!("feed-{n}"),
                &hire_declaration([hire_item(10 + n), hire_item(20 + n)]),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        ids.push(created["id"].as_i64().expect("id"));
    }
    let get = |after: Option<&str>, limit: u32| {
        let path = match after {
            Some(cursor) => format!("/declarations/changes?after={cursor}&limit={limit}"),
            None => format!("/declarations/changes?limit={limit}"),
        };
        let token = token.clone();
        let agency = &agency;
        async move { agency.call(Method::GET, &path, Some(&token), None).await.1 }
    };
    let first = get(None, 2).await;
    assert_eq!(changes(&first).len(), 2);
    assert_eq!(changes(&first)[0]["id"], ids[0]);
    assert_eq!(changes(&first)[0]["state"], "submitted");
    let cursor = first["next"].as_str().expect("next").to_owned();
    let second = get(Some(&cursor), 2).await;
    assert_eq!(changes(&second).len(), 1);
    assert_eq!(changes(&second)[0]["id"], ids[2]);
    let cursor = second["next"].as_str().expect("next").to_owned();
    let idle = get(Some(&cursor), 100).await;
    assert!(changes(&idle).is_empty());
    assert_eq!(idle["next"], cursor.as_str(), "no change, same cursor");

    // Unfinished declarations cannot be viewed yet.
    let (status, _) = agency
        .call(
            Method::POST,
            &format!("/declarations/{}/viewed", ids[0]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The agency rejects one line of the first declaration; only that declaration comes back.
    common::process(
        &agency,
        ids[0],
        Decision::Reject(BTreeMap::from([(2, "材料不全".to_owned())])),
    )
    .await;
    let after = get(Some(&cursor), 100).await;
    assert_eq!(changes(&after).len(), 1);
    let change = &changes(&after)[0];
    assert_eq!(change["id"], ids[0]);
    assert_eq!(change["state"], "partly_succeeded");
    assert_eq!(change["viewed"], false);
    assert_eq!(
        change["items"],
        json!([{"line": 1, "outcome": "ok"}, {"line": 2, "outcome": "failed", "reason": "材料不全"}])
    );
    let cursor = after["next"].as_str().expect("next").to_owned();

    let (status, _) = agency
        .call(
            Method::POST,
            &format!("/declarations/{}/viewed", ids[0]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let viewed = get(Some(&cursor), 100).await;
    assert_eq!(changes(&viewed).len(), 1);
    assert_eq!(changes(&viewed)[0]["viewed"], true);

    let (status, _) = agency
        .call(
            Method::GET,
            "/declarations/changes?after=banana",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    agency.stop().await;
}

#[tokio::test]
async fn automatic_processing_applies_the_agency_rules() {
    let agency = TestAgency::start().await;
    let (_a, token_a) = agency.active_session("3101").await;
    let (_b, token_b) = agency.active_session("3102").await;
    let delay = std::time::Duration::from_secs(30);
    let run = || async {
        process_due(&agency.server.app, delay)
            .await
            .expect("processing runs")
    };

    let (_, hired) = agency
        .submit(
            &token_a,
            "a1",
            &hire_declaration([hire_item(1), hire_item(2)]),
        )
        .await;
    // Too early: nothing happens.
    assert_eq!(run().await, 0);
    agency.clock.advance(chrono::Duration::seconds(31));
    assert_eq!(run().await, 0, "first it becomes processing");
    let (_, feed) = agency
        .call(Method::GET, "/declarations/changes", Some(&token_a), None)
        .await;
    assert_eq!(changes(&feed)[0]["state"], "processing");
    assert_eq!(run().await, 1);
    let cursor = feed["next"].as_str().expect("next").to_owned();
    let (_, feed) = agency
        .call(
            Method::GET,
            &format!("/declarations/changes?after={cursor}"),
            Some(&token_a),
            None,
        )
        .await;
    assert_eq!(changes(&feed)[0]["id"], hired["id"]);
    assert_eq!(changes(&feed)[0]["state"], "succeeded");

    // B hires someone insured at A, and someone new; leaves someone it never had; declares a
    // wage base out of the limits for person 3.
    agency
        .submit(
            &token_b,
            "b1",
            &hire_declaration([hire_item(1), hire_item(3)]),
        )
        .await;
    agency
        .submit(
            &token_b,
            "b2",
            &json!({"kind": "leave", "period": "2026-03", "items": [{
                "document_type": "01", "document_no": resident_id(2), "name": "张三",
                "reason": "21", "left_on": "2026-03-05", "stop_month": "2026-04"
            }]}),
        )
        .await;
    let (status, body) = agency
        .submit(
            &token_b,
            "b3",
            &json!({"kind": "wage", "period": "2026-03", "items": [{
                "document_type": "01", "document_no": resident_id(3), "name": "张三",
                "year": "2026", "average_monthly_wage": "99999.00"
            }]}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a base above the limit is clamped by the client: {body}"
    );
    agency.clock.advance(chrono::Duration::seconds(31));
    run().await;
    assert_eq!(run().await, 3);
    let (_, feed) = agency
        .call(Method::GET, "/declarations/changes", Some(&token_b), None)
        .await;
    let by_key: BTreeMap<String, Value> = changes(&feed)
        .iter()
        .map(|c| {
            (
                c["idempotency_key"].as_str().expect("key").to_owned(),
                c.clone(),
            )
        })
        .collect();
    assert_eq!(by_key["b1"]["state"], "partly_succeeded");
    assert_eq!(by_key["b1"]["items"][0]["outcome"], "failed");
    assert!(
        by_key["b1"]["items"][0]["reason"]
            .as_str()
            .expect("reason")
            .contains("其他单位")
    );
    assert_eq!(by_key["b2"]["state"], "failed");
    assert_eq!(by_key["b3"]["state"], "failed");

    let (_, roster_b) = agency
        .call(Method::GET, "/employees", Some(&token_b), None)
        .await;
    let roster_b = roster_b["employees"].as_array().expect("employees");
    assert_eq!(roster_b.len(), 1);
    assert_eq!(roster_b[0]["document_no"], resident_id(3));
    agency.stop().await;
}
