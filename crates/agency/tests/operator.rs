//! The operator command line against a running server: opening a unit, listing and processing
//! declarations, announcements; and the automatic processing loop.

mod common;

use std::time::Duration;

use common::{
    INITIAL_PASSWORD, TestAgency, TestDatabase, TestUnit, hire_declaration, hire_item, test_limits,
};
use reqwest::{Method, StatusCode};
use shebao_agency::auth::card::DEFAULT_USER_ID;
use shebao_agency::storage::{Location, Storage};
use sm2::dsa::SigningKey;

/// Runs `shebao-agency --data-dir DIR [--database URL] <args>` in-process on the agency's data
/// and answers what it printed.
async fn operator(agency: &TestAgency, args: &[&str]) -> Result<String, String> {
    common::operator_command(&agency.operator_options(), args).await
}

#[tokio::test]
async fn an_operator_opens_a_unit_that_can_then_log_in_and_processes_its_declaration() {
    let agency = TestAgency::start().await;
    let card = SigningKey::from_slice(DEFAULT_USER_ID, &[42u8; 32]).expect("key");
    let public = hex::encode(card.verifying_key().to_sec1_bytes());
    let report = operator(
        &agency,
        &[
            "unit",
            "add",
            "--unit-no",
            "6001",
            "--name",
            "运营测试单位",
            "--uscc",
            "91350100M000100Y43",
            "--password",
            INITIAL_PASSWORD,
            "--card-public-key",
            &public,
        ],
    )
    .await
    .expect("unit opened");
    assert!(report.contains("6001"));
    assert!(
        operator(
            &agency,
            &[
                "unit",
                "add",
                "--unit-no",
                "6001",
                "--name",
                "x",
                "--uscc",
                "91350100M000100Y43",
                "--password",
                "p",
                "--card-public-key",
                &public
            ]
        )
        .await
        .is_err(),
        "a unit number is opened once"
    );
    assert!(
        operator(
            &agency,
            &[
                "unit",
                "add",
                "--unit-no",
                "6002",
                "--name",
                "x",
                "--uscc",
                "91350100M000100Y44",
                "--password",
                "p",
                "--card-public-key",
                &public
            ]
        )
        .await
        .is_err(),
        "the credit code is checked"
    );
    assert!(
        operator(&agency, &["unit", "list"])
            .await
            .expect("list")
            .contains("6001\t91350100M000100Y43\tinitial-password")
    );

    let unit = TestUnit {
        unit_no: "6001".into(),
        card,
    };
    let (status, login) = agency.login_as(&unit, INITIAL_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let token = login["token"].as_str().expect("token").to_owned();
    let (status, _) = agency
        .call(Method::PUT, "/password", Some(&token), Some(&serde_json::json!({"old_password": INITIAL_PASSWORD, "new_password": "Operator-2026"})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, created) = agency
        .submit(
            &token,
            "op-1",
            &hire_declaration([hire_item(1), hire_item(2), hire_item(3)]),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].to_string();

    let pending = operator(&agency, &["pending"]).await.expect("pending");
    assert!(
        pending.starts_with(&format!("{id}\t6001\thire\t2026-03\t3 item(s)")),
        "{pending}"
    );
    assert!(
        operator(&agency, &["process", &id, "--reject", "2"])
            .await
            .is_err(),
        "a reason is required"
    );
    assert!(
        operator(&agency, &["process", &id, "--reject", "9", "--reason", "x"])
            .await
            .is_err(),
        "no line 9"
    );
    let report = operator(
        &agency,
        &[
            "process",
            &id,
            "--reject",
            "2",
            "--reason",
            "证件复印件不清晰",
            "--reject",
            "3",
            "--reason",
            "重复申报",
        ],
    )
    .await
    .expect("processed");
    assert!(report.contains("partly_succeeded"), "{report}");
    assert!(
        operator(&agency, &["process", &id, "--accept-all"])
            .await
            .is_err(),
        "finished once"
    );
    assert_eq!(
        operator(&agency, &["pending"]).await.expect("pending"),
        "nothing waits\n"
    );

    let (_, feed) = agency
        .call(Method::GET, "/declarations/changes", Some(&token), None)
        .await;
    let items = &feed["changes"][0]["items"];
    assert_eq!(items[1]["reason"], "证件复印件不清晰");
    let (_, roster) = agency
        .call(Method::GET, "/employees", Some(&token), None)
        .await;
    assert_eq!(roster["employees"].as_array().expect("employees").len(), 1);

    // A reset makes the password initial again and ends the unit's sessions.
    operator(
        &agency,
        &[
            "unit",
            "reset-password",
            "--unit-no",
            "6001",
            "--password",
            "654321",
        ],
    )
    .await
    .expect("reset");
    let (status, _) = agency.call(Method::GET, "/unit", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, login) = agency.login_as(&unit, "654321").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(login["must_change_password"], true);
    agency.stop().await;
}

#[tokio::test]
async fn announcements_and_their_attachments_are_public() {
    let agency = TestAgency::start().await;
    let attachment = agency.dir.join("办事指南.txt");
    std::fs::write(&attachment, "请携带营业执照".as_bytes()).expect("written");
    operator(
        &agency,
        &[
            "announce",
            "--title",
            "通知",
            "--body",
            "正文",
            "--attach",
            attachment.to_str().expect("utf-8"),
        ],
    )
    .await
    .expect("published");
    operator(
        &agency,
        &["announce", "--title", "第二条", "--body", "正文二"],
    )
    .await
    .expect("published");
    let (status, list) = agency.call(Method::GET, "/announcements", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().expect("list").len(), 2);
    assert_eq!(list[0]["attachments"][0]["name"], "办事指南.txt");
    assert_eq!(list[0]["attachments"][0]["size"], "请携带营业执照".len());
    let (_, newer) = agency
        .call(
            Method::GET,
            &format!("/announcements?after={}", list[0]["id"]),
            None,
            None,
        )
        .await;
    assert_eq!(newer.as_array().expect("list").len(), 1);
    let file = agency
        .client
        .get(agency.url(&format!(
            "/announcements/{}/attachments/{}",
            list[0]["id"], "%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97.txt"
        )))
        .send()
        .await
        .expect("sent");
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.bytes().await.expect("body").as_ref(),
        "请携带营业执照".as_bytes()
    );
    let (status, _) = agency
        .call(
            Method::GET,
            "/announcements/1/attachments/nothing.txt",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    agency.stop().await;
}

#[tokio::test]
async fn the_server_processes_declarations_by_itself_when_asked_to() {
    let agency = TestAgency::start_with_processing(test_limits(), Some(Duration::ZERO)).await;
    let (_unit, token) = agency.active_session("6101").await;
    let (status, _) = agency
        .submit(&token, "auto-1", &hire_declaration([hire_item(1)]))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Bounded polling: the loop ticks every 200 ms; give it up to 20 s on a loaded machine.
    let mut state = String::new();
    for _ in 0..200 {
        let (_, feed) = agency
            .call(Method::GET, "/declarations/changes", Some(&token), None)
            .await;
        state = feed["changes"][0]["state"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if state == "succeeded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(state, "succeeded");
    agency.stop().await;
}

#[tokio::test]
async fn seed_demo_makes_a_unit_whose_card_file_matches_its_key() {
    let dir = std::env::temp_dir().join(format!("shebao-agency-seed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let database = TestDatabase::create().await;
    let mut options = vec![
        "--data-dir".to_owned(),
        dir.to_str().expect("utf-8 path").to_owned(),
    ];
    if let Some(database) = &database {
        options.extend(["--database".to_owned(), database.url.clone()]);
    }
    let report = common::operator_command(&options, &["seed-demo"])
        .await
        .expect("seeded");
    assert!(report.contains("300 insured people"), "{report}");
    assert!(
        common::operator_command(&options, &["seed-demo"])
            .await
            .is_err(),
        "seeding twice is refused"
    );
    let card = std::fs::read_to_string(dir.join("demo-card.toml")).expect("card file");
    let secret_hex = card
        .lines()
        .find_map(|l| l.strip_prefix("secret_key = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("secret key line");
    let key = SigningKey::from_slice(DEFAULT_USER_ID, &hex::decode(secret_hex).expect("hex"))
        .expect("key");
    let location = Location::from_options(&dir, database.as_ref().map(|d| d.url.as_str()), 2)
        .expect("location");
    let storage = Storage::open(&location).await.expect("storage opens");
    let unit = storage
        .unit_by_number("3501000001".into())
        .await
        .expect("read")
        .expect("demo unit");
    assert_eq!(
        unit.card_public_key,
        key.verifying_key().to_sec1_bytes().to_vec()
    );
    assert_eq!(storage.roster(unit.id).await.expect("roster").len(), 300);
    let counts = storage.counts().await.expect("counts");
    assert_eq!(
        (counts.announcements, counts.announcement_attachments),
        (2, 1)
    );
    assert!(counts.dues > 0);
    drop(storage);
    if let Some(database) = database {
        database.drop_database().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
