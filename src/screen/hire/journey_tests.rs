//! A morning's hires against the real agency (in this process): three people entered from
//! the keyboard, submitted the way `shebao submit` does, and processed by the agency.
// Linux only: the reference agency runs in the test's process (see the module list).
#![cfg(not(windows))]

use std::time::{Duration, Instant};

use crate::screen::journey_tests::common::{
    CAPTCHA, INITIAL_PASSWORD, PASSWORD, SoftwareCard, TestAgency, resident_id,
};
use shebao_store::{DeclarationKind, DeclarationState};
use shebao_sync::{AgencyClient, ClientConfig, SyncEngine, block_on};
use shebao_ukey::sim::CardFile;

use super::fields::FormField;
use super::keys::Key;
use super::test_support::{Asked, drive, enter_here, type_here};
use super::{Hire, Message, jobs};
use crate::screen::session::{self, Credentials, Services, Session};
use crate::screen::testing::{self, Readers, UNIT_NAME, UNIT_NO};

fn services(agency: &TestAgency, data: &std::path::Path) -> Services {
    let mut config = ClientConfig::new(agency.url());
    config.ca_file = Some(agency.ca());
    Services {
        agency: AgencyClient::new(&config).map_err(|e| e.to_string()),
        ..testing::services(data)
    }
}

fn answer(password: &str) -> Credentials {
    Credentials {
        password: password.into(),
        captcha: CAPTCHA.to_lowercase(),
        pin: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hires_typed_from_the_keyboard_are_submitted_and_processed() {
    let agency = TestAgency::start(Some(Duration::ZERO)).await;
    let file = CardFile::generate(UNIT_NO, UNIT_NAME, "91350100M000100Y43", None);
    let secret: Vec<u8> = (0..file.secret_key.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&file.secret_key[i..i + 2], 16).unwrap())
        .collect();
    agency.open_unit(&SoftwareCard::from_secret(UNIT_NO, &secret).unwrap());
    let data = tempfile::tempdir().unwrap();
    let services = services(&agency, data.path());
    let mut readers = Readers::empty();
    readers.insert_card(&file);
    let (card, _) = readers.status.card().unwrap();
    let pending = session::fetch_captcha(services.clone(), UNIT_NO.into())
        .await
        .unwrap();
    let (first, _) = session::log_in(
        services.clone(),
        card.clone(),
        pending,
        answer(INITIAL_PASSWORD),
    )
    .await
    .unwrap();
    let session = session::change_password(first, INITIAL_PASSWORD.into(), PASSWORD.into())
        .await
        .unwrap();
    // The first sync brings the agency's reference data.
    session::refresh(session.clone()).await.unwrap();

    let loaded = jobs::load(session.clone()).await.unwrap();
    assert!(
        !loaded.demo_reference,
        "the agency's own code tables are used"
    );
    let mut page = Hire::with(Some(session.clone()), Some(*loaded));

    // Ctrl+N once, then per person: number, Tab, name, Tab, date, Tab, wage, Enter.
    let mut keys_besides_data = 1;
    drive(&mut page, Message::Key(Key::New));
    for (n, name) in [(1, "张三"), (2, "李四"), (3, "王五")] {
        assert_eq!(page.form().unwrap().focus, FormField::DocumentNo);
        type_here(&mut page, &resident_id(n));
        drive(&mut page, Message::Key(Key::Tab { back: false }));
        type_here(&mut page, name);
        drive(&mut page, Message::Key(Key::Tab { back: false }));
        type_here(&mut page, "20150701");
        drive(&mut page, Message::Key(Key::Tab { back: false }));
        type_here(&mut page, "6500.00");
        assert_eq!(enter_here(&mut page), [Asked::StoreChanged]);
        keys_besides_data += 4;
    }
    assert_eq!(
        keys_besides_data, 13,
        "four keys per person besides the data, and Ctrl+N"
    );
    drive(&mut page, Message::Key(Key::Escape));
    assert_eq!(page.rows().len(), 3);

    // Submit as `shebao submit` does: check, queue, send.
    let queued = {
        let mut store = session.store();
        let check = store
            .check_drafts(
                Some(DeclarationKind::Hire),
                chrono::Local::now().date_naive(),
            )
            .unwrap();
        assert_eq!(check.with_errors, 0);
        store.queue_drafts(Some(DeclarationKind::Hire)).unwrap()
    };
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].item_count, 3);
    // The store's lock is not held across an await: each call runs on a thread of its own,
    // as the app's jobs do.
    let engine = |session: &Session| {
        let session = session.clone();
        move |full: Option<bool>| {
            let engine = SyncEngine::new(session.client().clone());
            let mut store = session.store();
            match full {
                None => block_on(engine.send(&mut store)).unwrap().unwrap().accepted,
                Some(full) => {
                    block_on(engine.sync(&mut store, full)).unwrap().unwrap();
                    0
                }
            }
        }
    };
    let send = engine(&session);
    let accepted = tokio::task::spawn_blocking(move || send(None))
        .await
        .unwrap();
    assert_eq!(accepted, 1);

    // The agency processes it; a sync brings the result per person.
    let deadline = Instant::now() + Duration::from_secs(20);
    let declaration = loop {
        let sync = engine(&session);
        tokio::task::spawn_blocking(move || sync(Some(false)))
            .await
            .unwrap();
        let found = session.store().declarations(None).unwrap();
        if let Some(d) = found.into_iter().find(|d| d.state.is_finished()) {
            break d;
        }
        assert!(
            Instant::now() < deadline,
            "the agency processed the hires in time"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    };
    assert_eq!(declaration.state, DeclarationState::Succeeded);
    let items = session.store().declaration_items(declaration.id).unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i.accepted == Some(true)));
    assert!(session.store().hire_drafts().unwrap().is_empty());
}
