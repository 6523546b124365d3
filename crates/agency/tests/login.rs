//! The whole login over HTTPS: challenge, captcha, card signature, password; the forced
//! password change; lockout; expired and replayed challenges.

mod common;

use chrono::Duration;
use common::{CAPTCHA, INITIAL_PASSWORD, OWN_PASSWORD, TestAgency};
use reqwest::{Method, StatusCode};
use serde_json::json;
use shebao_agency::auth::card::DEFAULT_USER_ID;
use sm2::dsa::SigningKey;

#[tokio::test]
async fn a_unit_logs_in_with_card_password_and_captcha_and_must_change_its_initial_password() {
    let agency = TestAgency::start().await;
    let unit = agency.open_unit("1001").await;

    let challenge = agency.challenge("1001").await;
    let png = base64_decode(challenge["captcha_png"].as_str().expect("captcha"));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        base64_decode(challenge["nonce"].as_str().expect("nonce")).len(),
        32
    );
    // The captcha is compared without regard to case.
    let (status, login) = agency
        .answer(
            &challenge,
            &unit,
            INITIAL_PASSWORD,
            &CAPTCHA.to_lowercase(),
            &unit.card,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["must_change_password"], true);
    assert_eq!(login["unit"]["unit_no"], "1001");
    assert_eq!(login["unit"]["uscc"], "91350100M000100Y43");
    let token = login["token"].as_str().expect("token");
    assert!(token.len() >= 22, "at least 128 bits");

    // Until the password is changed, everything but PUT /password and logout answers 403.
    let (status, problem) = agency.call(Method::GET, "/unit", Some(token), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        problem["type"]
            .as_str()
            .expect("type")
            .ends_with("password-change-required")
    );
    let (status, _) = agency
        .call(Method::GET, "/reference", Some(token), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A weak or wrongly authorised change is refused.
    let (status, _) = agency
        .call(
            Method::PUT,
            "/password",
            Some(token),
            Some(&json!({"old_password": "x", "new_password": OWN_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = agency
        .call(
            Method::PUT,
            "/password",
            Some(token),
            Some(&json!({"old_password": INITIAL_PASSWORD, "new_password": "12345678"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = agency
        .call(
            Method::PUT,
            "/password",
            Some(token),
            Some(&json!({"old_password": INITIAL_PASSWORD, "new_password": OWN_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, record) = agency.call(Method::GET, "/unit", Some(token), None).await;
    assert_eq!(status, StatusCode::OK, "{record}");
    assert_eq!(record["unit_no"], "1001");

    // The next login uses the new password and is not asked to change it again.
    let (status, login) = agency.login_as(&unit, OWN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(login["must_change_password"], false);
    let (status, _) = agency.login_as(&unit, INITIAL_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Logging out ends the session.
    let (status, _) = agency
        .call(Method::POST, "/logout", Some(token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = agency.call(Method::GET, "/unit", Some(token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    agency.stop().await;
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

#[tokio::test]
async fn unknown_unit_wrong_password_and_foreign_card_answer_the_same() {
    let agency = TestAgency::start().await;
    let unit = agency.open_unit("1002").await;
    let stranger = common::TestUnit {
        unit_no: "9999".into(),
        card: SigningKey::from_slice(DEFAULT_USER_ID, &[5u8; 32]).expect("key"),
    };
    let foreign_card = SigningKey::from_slice(DEFAULT_USER_ID, &[6u8; 32]).expect("key");

    let (s1, unknown) = agency.login_as(&stranger, INITIAL_PASSWORD).await;
    let (s2, wrong_password) = agency.login_as(&unit, "777777").await;
    let challenge = agency.challenge("1002").await;
    let (s3, wrong_card) = agency
        .answer(&challenge, &unit, INITIAL_PASSWORD, CAPTCHA, &foreign_card)
        .await;
    assert_eq!(
        (s1, s2, s3),
        (
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED
        )
    );
    assert_eq!(unknown, wrong_password);
    assert_eq!(wrong_password, wrong_card);

    // A wrong captcha is its own answer, and uses up the challenge.
    let challenge = agency.challenge("1002").await;
    let (status, problem) = agency
        .answer(&challenge, &unit, INITIAL_PASSWORD, "NOPE", &unit.card)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        problem["type"]
            .as_str()
            .expect("type")
            .ends_with("captcha-mismatch")
    );
    let (status, _) = agency
        .answer(&challenge, &unit, INITIAL_PASSWORD, CAPTCHA, &unit.card)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    agency.stop().await;
}

#[tokio::test]
async fn a_challenge_is_single_use_and_expires_after_two_minutes() {
    let agency = TestAgency::start().await;
    let unit = agency.open_unit("1003").await;

    let challenge = agency.challenge("1003").await;
    let (status, _) = agency
        .answer(&challenge, &unit, INITIAL_PASSWORD, CAPTCHA, &unit.card)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, replay) = agency
        .answer(&challenge, &unit, INITIAL_PASSWORD, CAPTCHA, &unit.card)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        replay["type"]
            .as_str()
            .expect("type")
            .ends_with("challenge-invalid")
    );

    let challenge = agency.challenge("1003").await;
    agency.clock.advance(Duration::seconds(121));
    let (status, expired) = agency
        .answer(&challenge, &unit, INITIAL_PASSWORD, CAPTCHA, &unit.card)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        expired["type"]
            .as_str()
            .expect("type")
            .ends_with("challenge-invalid")
    );

    // A challenge asked for one unit does not log in another.
    let other = agency.open_unit("1004").await;
    let challenge = agency.challenge("1003").await;
    let (status, _) = agency
        .answer(&challenge, &other, INITIAL_PASSWORD, CAPTCHA, &other.card)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    agency.stop().await;
}

#[tokio::test]
async fn five_failures_in_fifteen_minutes_lock_the_unit_for_fifteen_minutes() {
    let agency = TestAgency::start().await;
    let unit = agency.open_unit("1005").await;
    for _ in 0..5 {
        let (status, _) = agency.login_as(&unit, "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now, with the time to wait.
    let challenge = agency.challenge("1005").await;
    let response = agency
        .client
        .post(agency.url("/login"))
        .json(&login_body(&challenge, &unit, INITIAL_PASSWORD))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );

    agency
        .clock
        .advance(Duration::minutes(15) + Duration::seconds(1));
    let (status, body) = agency.login_as(&unit, INITIAL_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    agency.stop().await;
}

#[tokio::test]
async fn failures_spread_over_more_than_fifteen_minutes_do_not_lock() {
    let agency = TestAgency::start().await;
    let unit = agency.open_unit("1006").await;
    for _ in 0..4 {
        let (status, _) = agency.login_as(&unit, "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    agency.clock.advance(Duration::minutes(16));
    let (status, _) = agency.login_as(&unit, "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = agency.login_as(&unit, INITIAL_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    agency.stop().await;
}

#[tokio::test]
async fn a_session_ends_after_eight_idle_hours_but_not_while_used() {
    let agency = TestAgency::start().await;
    let (_unit, token) = agency.active_session("1007").await;
    for _ in 0..3 {
        agency.clock.advance(Duration::hours(7));
        let (status, _) = agency.call(Method::GET, "/unit", Some(&token), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    agency
        .clock
        .advance(Duration::hours(8) + Duration::seconds(1));
    let (status, _) = agency.call(Method::GET, "/unit", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    agency.stop().await;
}

fn login_body(
    challenge: &serde_json::Value,
    unit: &common::TestUnit,
    password: &str,
) -> serde_json::Value {
    use base64::Engine as _;
    use sm2::dsa::Signature;
    use sm2::dsa::signature::Signer;
    let nonce = base64_decode(challenge["nonce"].as_str().expect("nonce"));
    let signature: Signature = unit.card.sign(&nonce);
    json!({
        "challenge_id": challenge["challenge_id"],
        "unit_no": unit.unit_no,
        "password": password,
        "captcha": CAPTCHA,
        "card_signature": base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
    })
}
