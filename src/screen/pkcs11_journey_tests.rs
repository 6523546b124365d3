//! The window with a PKCS#11 token (SoftHSM2) instead of a UKey: the unit appears from the
//! token's certificate, the login asks for the PIN and signs on the token, the agency checks the
//! P-256 signature, and deleting the token mid-session locks the session as pulling a UKey does.
// Linux only: the reference agency runs in the test's process (see the module list).
#![cfg(not(windows))]

#[path = "../../crates/ukey/tests/support/softhsm.rs"]
mod softhsm;

use std::time::{Duration, Instant};

use iced_test::simulator;
use shebao_agency::storage::CardKeyAlgorithm;
use shebao_ukey::pkcs11::Pkcs11Module;
use shebao_ukey::{CardEvent, CardEvents, CardSource, RecvError};

use super::failure::Failure;
use super::journey_tests::common::{INITIAL_PASSWORD, TestAgency};
use super::journey_tests::{answer, services};
use super::session::{self, Credentials};
use crate::app::{self, App};
use crate::fl;

const UNIT_NO: &str = "3501002450";
const PIN: &str = "975310";

fn next_event(events: &mut CardEvents, mut wanted: impl FnMut(&CardEvent) -> bool) -> CardEvent {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(event) if wanted(&event) => return event,
            Ok(_) => {}
            Err(RecvError::Timeout | RecvError::Closed) => panic!("the token's event never came"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_logs_in_and_deleting_it_locks_the_session() {
    let Some(module) = softhsm::module() else {
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let unit = softhsm::Unit {
        unit_no: UNIT_NO,
        name: "窗口令牌单位",
        uscc: "91350100M000100Y43",
    };
    let token = softhsm::unit_token(
        &module,
        &softhsm::Store::of_process(),
        files.path(),
        "shebao-window",
        PIN,
        &unit,
    );
    let agency = TestAgency::start(None).await;
    agency.open_unit_with_key(
        UNIT_NO,
        unit.name,
        token.public_key.clone(),
        CardKeyAlgorithm::EcdsaP256,
    );

    let source = CardSource::Pkcs11(Pkcs11Module::new(&module));
    let mut events = shebao_ukey::watch(source.clone());
    let read = next_event(
        &mut events,
        |event| matches!(event, CardEvent::CardRead { identity, .. } if identity.unit_no == UNIT_NO),
    );
    let CardEvent::CardRead { card, .. } = read else {
        unreachable!("only a read is waited for")
    };
    let data = tempfile::tempdir().unwrap();
    let services = services(&agency, data.path());

    // Without the PIN the token will not sign: the login screen asks for it.
    let pending = session::fetch_captcha(services.clone(), UNIT_NO.into())
        .await
        .unwrap();
    let refused = session::log_in(
        services.clone(),
        card.clone(),
        pending,
        answer(INITIAL_PASSWORD),
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(Failure::Card(shebao_ukey::UKeyError::PinRequired))
        ),
        "{refused:?}"
    );
    let pending = session::fetch_captcha(services.clone(), UNIT_NO.into())
        .await
        .unwrap();
    let with_pin = Credentials {
        pin: Some(PIN.into()),
        ..answer(INITIAL_PASSWORD)
    };
    let (first, snapshot) = session::log_in(services.clone(), card.clone(), pending, with_pin)
        .await
        .expect("the agency accepts the token's P-256 signature");
    assert_eq!(first.unit_no(), UNIT_NO);

    let mut app = App::new(source, services).0;
    let _ = app.enter(first, snapshot);
    token.delete();
    let removed = next_event(
        &mut events,
        |event| matches!(event, CardEvent::CardRemoved { card: gone } if *gone == card),
    );
    let _ = app.update(app::Message::Card(removed));
    let mut ui = simulator(app.view());
    assert!(ui.find(fl!("app-card-pulled").as_str()).is_ok());
}
