use std::time::Duration;

use iced_test::simulator;

use super::*;
use crate::fl;
use crate::screen::testing::{self, Readers, UNIT_NAME, UNIT_NO};

fn login_for(readers: &Readers, data: &std::path::Path) -> Login {
    Login::new(testing::services(data), &readers.status, None).0
}

/// The login screen as the clerk sees it: is this text anywhere on it?
fn shows(login: &Login, card: &CardStatus, words: &str) -> bool {
    simulator(login.view(card)).find(words).is_ok()
}

/// A login form with the card read and the password and captcha typed.
fn filled_in(readers: &Readers, data: &std::path::Path) -> Login {
    let mut login = login_for(readers, data);
    login.captcha = Captcha::Shown {
        pending: PendingLogin::from_text(&format!(
            r#"{{"unit_no":"{UNIT_NO}","challenge_id":"c1","nonce":"AAAA","expires_at":"2999-01-01T00:00:00Z"}}"#
        ))
        .expect("a pending login reads back"),
        image: image::Handle::from_bytes(Vec::new()),
    };
    login.update(
        Message::PasswordTyped("wrong-password".into()),
        &readers.status,
    );
    login.update(Message::CaptchaTyped("ab12".into()), &readers.status);
    login
}

#[test]
fn without_a_key_it_asks_for_the_ukey_and_shows_no_unit() {
    let data = tempfile::tempdir().expect("temp dir");
    let readers = Readers::empty();
    let login = login_for(&readers, data.path());
    assert!(shows(&login, &readers.status, &fl!("card-insert")));
    assert!(!shows(&login, &readers.status, UNIT_NO));
}

#[test]
fn inserting_the_key_fills_in_the_unit_number_and_name() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut readers = Readers::empty();
    let mut login = login_for(&readers, data.path());
    readers.insert();
    let _ = login.card_changed(&readers.status);
    assert!(shows(&login, &readers.status, UNIT_NO));
    assert!(shows(&login, &readers.status, UNIT_NAME));
    assert!(shows(&login, &readers.status, &fl!("card-ready")));
    assert!(shows(
        &login,
        &readers.status,
        &fl!("login-captcha-loading")
    ));
}

#[test]
fn pulling_the_key_out_empties_the_unit_again() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut readers = Readers::with_card();
    let mut login = login_for(&readers, data.path());
    readers.pull();
    let _ = login.card_changed(&readers.status);
    assert!(!shows(&login, &readers.status, UNIT_NO));
    assert!(shows(&login, &readers.status, &fl!("card-insert")));
}

#[test]
fn a_refused_password_is_explained_beside_the_password_field() {
    let data = tempfile::tempdir().expect("temp dir");
    let readers = Readers::with_card();
    let mut login = filled_in(&readers, data.path());
    let action = login.update(
        Message::Answered(Err(Failure::LoginRefused)),
        &readers.status,
    );
    // The challenge was used up: a new captcha is fetched by itself.
    assert!(matches!(action, Action::Run(_)));
    assert!(shows(
        &login,
        &readers.status,
        &Failure::LoginRefused.message()
    ));
    assert!(login.password.is_empty(), "the refused password is cleared");
}

#[test]
fn a_locked_unit_is_told_how_long_to_wait() {
    let data = tempfile::tempdir().expect("temp dir");
    let readers = Readers::with_card();
    let mut login = filled_in(&readers, data.path());
    let locked = Failure::LockedOut {
        retry_after: Duration::from_secs(14 * 60 + 5),
    };
    login.update(Message::Answered(Err(locked)), &readers.status);
    assert!(shows(
        &login,
        &readers.status,
        &fl!("failure-locked-out", minutes = 15)
    ));
}

#[test]
fn a_card_that_wants_its_pin_gets_a_pin_field() {
    let data = tempfile::tempdir().expect("temp dir");
    let readers = Readers::with_card();
    let mut login = filled_in(&readers, data.path());
    // Required fields carry the seed system's `*` before their label.
    assert!(!shows(
        &login,
        &readers.status,
        &format!("* {}", fl!("login-pin"))
    ));
    let wants_pin = Failure::Card(shebao_ukey::UKeyError::PinRequired);
    login.update(Message::Answered(Err(wants_pin)), &readers.status);
    assert!(shows(
        &login,
        &readers.status,
        &format!("* {}", fl!("login-pin"))
    ));
    assert!(shows(&login, &readers.status, &fl!("login-pin-required")));
}

#[test]
fn enter_with_empty_fields_names_each_missing_field() {
    let data = tempfile::tempdir().expect("temp dir");
    let readers = Readers::with_card();
    let mut login = login_for(&readers, data.path());
    let action = login.update(Message::Submit, &readers.status);
    assert!(matches!(action, Action::None), "nothing is sent");
    assert!(shows(
        &login,
        &readers.status,
        &fl!("login-password-missing")
    ));
    assert!(shows(
        &login,
        &readers.status,
        &fl!("login-captcha-missing")
    ));
}

#[test]
fn no_connection_is_said_beside_the_login_button_and_keeps_the_captcha() {
    let data = tempfile::tempdir().expect("temp dir");
    let readers = Readers::with_card();
    let mut login = filled_in(&readers, data.path());
    let action = login.update(Message::Answered(Err(Failure::Offline)), &readers.status);
    assert!(matches!(action, Action::None));
    assert!(shows(&login, &readers.status, &Failure::Offline.message()));
}
