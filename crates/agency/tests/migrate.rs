//! `migrate-to`: an SQLite agency moves into PostgreSQL with its units, people, declarations,
//! dues and announcements; the clients' declarations keep their ids and cursors; sessions stay
//! behind. Runs when SHEBAO_TEST_POSTGRES names a server (`cargo xtask test` starts one).

mod common;

use std::time::Duration;

use common::{OWN_PASSWORD, TestAgency, TestDatabase, hire_declaration, hire_item, test_limits};
use reqwest::{Method, StatusCode};
use shebao_agency::processing::Decision;

async fn operator(args: &[&str]) -> Result<String, String> {
    common::operator_command(&[], args).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sqlite_agency_moves_into_postgres_whole() {
    let Ok(admin) = std::env::var(common::POSTGRES_VARIABLE) else {
        eprintln!(
            "skipped: {} names no PostgreSQL server",
            common::POSTGRES_VARIABLE
        );
        return;
    };
    // An agency on SQLite with some history.
    let agency = TestAgency::start_on(None, test_limits(), None).await;
    let (unit, token) = agency.active_session("8401").await;
    let (_, created) = agency
        .submit(
            &token,
            "m-1",
            &hire_declaration([hire_item(1), hire_item(2)]),
        )
        .await;
    let first_id = created["id"].as_i64().expect("id");
    common::process(&agency, first_id, Decision::AcceptAll).await;
    agency
        .submit(&token, "m-2", &hire_declaration([hire_item(3)]))
        .await;
    let (status, _) = agency
        .call(
            Method::GET,
            &format!("/persons/{}", common::resident_id(1)),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let dir = agency.dir.to_str().expect("utf-8").to_owned();
    operator(&[
        "--data-dir",
        &dir,
        "announce",
        "--title",
        "通知",
        "--body",
        "正文",
    ])
    .await
    .expect("published");
    let (_, feed_before) = agency
        .call(Method::GET, "/declarations/changes", Some(&token), None)
        .await;
    let before = agency.server.app.storage.counts().await.expect("counts");
    let options = agency.options.clone();
    agency.server.shutdown(Duration::from_secs(1)).await;

    // Copied into an empty database, checked by counts.
    let database = TestDatabase::create_on(&admin).await;
    let report = operator(&["--data-dir", &dir, "migrate-to", &database.url])
        .await
        .expect("migrated");
    assert!(report.contains("declaration_items: 3"), "{report}");
    assert!(report.contains("person_lookups: 1"), "{report}");
    let again = operator(&["--data-dir", &dir, "migrate-to", &database.url]).await;
    assert!(
        again.is_err_and(|e| e.contains("empty database")),
        "a second copy is refused"
    );
    assert!(
        operator(&[
            "--data-dir",
            &dir,
            "--database",
            &database.url,
            "migrate-to",
            &database.url
        ])
        .await
        .is_err(),
        "the source is the SQLite file"
    );

    // A server on PostgreSQL: the same agency, the sessions gone.
    let mut options = options;
    options.database = Some(database.url.clone());
    options.listen = "127.0.0.1:0".parse().expect("address");
    let server = shebao_agency::start(options)
        .await
        .expect("starts on PostgreSQL");
    let moved = TestAgency {
        base: TestAgency::base_of(&server),
        server,
        client: agency.client.clone(),
        clock: agency.clock.clone(),
        dir: agency.dir.clone(),
        database: Some(database),
        options: agency.options.clone(),
    };
    assert_eq!(
        moved.server.app.storage.counts().await.expect("counts"),
        before
    );
    let (status, _) = moved.call(Method::GET, "/unit", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "sessions are not copied");
    let (status, login) = moved.login_as(&unit, OWN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let token = login["token"].as_str().expect("token").to_owned();
    let (_, feed_after) = moved
        .call(Method::GET, "/declarations/changes", Some(&token), None)
        .await;
    assert_eq!(feed_after, feed_before, "the same feed, the same cursor");
    let (_, roster) = moved
        .call(Method::GET, "/employees", Some(&token), None)
        .await;
    assert_eq!(roster["employees"].as_array().expect("employees").len(), 2);
    // New records continue after the copied ones.
    let (status, created) = moved
        .submit(&token, "m-3", &hire_declaration([hire_item(4)]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created["id"].as_i64().expect("id") > first_id + 1);
    let (_, feed) = moved
        .call(
            Method::GET,
            &format!(
                "/declarations/changes?after={}",
                feed_before["next"].as_str().expect("next")
            ),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(feed["changes"][0]["idempotency_key"], "m-3");
    let (_, list) = moved.call(Method::GET, "/announcements", None, None).await;
    assert_eq!(list[0]["title"], "通知");
    moved.stop().await;
}
