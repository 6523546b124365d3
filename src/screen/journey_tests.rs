//! The screens against the real agency (in this process) and the simulated UKey: a refused
//! password is shown beside its field, the initial password forces a change, the home page
//! counts come from the store, and pulling the key out locks the session.
// Linux only: the reference agency runs in the test's process (see the module list).
#![cfg(not(windows))]

// The sync tests' fixtures, loaded once here for every journey test of the screens.
#[path = "../../crates/sync/tests/common/mod.rs"]
pub(crate) mod common;

use common::{CAPTCHA, INITIAL_PASSWORD, PASSWORD, SoftwareCard, TestAgency};
use iced_test::simulator;
use shebao_sync::{AgencyClient, ClientConfig};
use shebao_ukey::CardEvent;
use shebao_ukey::sim::CardFile;

use super::failure::Failure;
use super::home;
use super::login::{self, Login};
use super::notices::{self, Notices};
use super::session::{self, Credentials, Services};
use super::testing::{self, Readers, UNIT_NAME, UNIT_NO};
use crate::app::{self, App};
use crate::fl;
use shebao_core::state::HomeBucket;

pub(crate) fn card_file() -> CardFile {
    CardFile::generate(UNIT_NO, UNIT_NAME, "91350100M000100Y43", None)
}

pub(crate) fn registered(agency: &TestAgency, file: &CardFile) {
    let secret: Vec<u8> = (0..file.secret_key.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&file.secret_key[i..i + 2], 16).unwrap())
        .collect();
    agency.open_unit(&SoftwareCard::from_secret(UNIT_NO, &secret).unwrap());
}

pub(crate) fn services(agency: &TestAgency, data: &std::path::Path) -> Services {
    let mut config = ClientConfig::new(agency.url());
    config.ca_file = Some(agency.ca());
    Services {
        agency: AgencyClient::new(&config).map_err(|e| e.to_string()),
        ..testing::services(data)
    }
}

/// The unit logged in with the card in `readers` and its initial password already changed, as
/// a clerk's session is after the first login.
pub(crate) async fn logged_in(
    agency: &TestAgency,
    data: &std::path::Path,
    readers: &mut Readers,
) -> session::Session {
    let file = card_file();
    registered(agency, &file);
    let services = services(agency, data);
    readers.insert_card(&file);
    let (card, _) = readers.status.card().unwrap();
    let pending = session::fetch_captcha(services.clone(), UNIT_NO.into())
        .await
        .unwrap();
    let (first, _) = session::log_in(services, card.clone(), pending, answer(INITIAL_PASSWORD))
        .await
        .unwrap();
    session::change_password(first, INITIAL_PASSWORD.into(), PASSWORD.into())
        .await
        .unwrap()
}

pub(crate) fn answer(password: &str) -> Credentials {
    Credentials {
        password: password.into(),
        captcha: CAPTCHA.to_lowercase(),
        pin: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerks_first_login_to_home_and_out_by_pulling_the_key() {
    let agency = TestAgency::start(None).await;
    let file = card_file();
    registered(&agency, &file);
    let data = tempfile::tempdir().unwrap();
    let services = services(&agency, data.path());
    let mut readers = Readers::empty();
    readers.insert_card(&file);
    let (card, _) = readers.status.card().unwrap();
    let card = card.clone();

    // A wrong password: the agency refuses, and the login screen says so beside the field.
    let mut login = Login::new(services.clone(), &readers.status, None).0;
    let pending = session::fetch_captcha(services.clone(), UNIT_NO.into())
        .await
        .unwrap();
    assert_eq!(&pending.captcha_png[..4], b"\x89PNG");
    let refused = session::log_in(services.clone(), card.clone(), pending, answer("not-it")).await;
    assert!(matches!(refused, Err(Failure::LoginRefused)));
    login.update(login::Message::Answered(refused), &readers.status);
    let mut ui = simulator(login.view(&readers.status));
    assert!(ui.find(Failure::LoginRefused.message().as_str()).is_ok());
    drop(ui);

    // The initial password logs in but demands a new one first.
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
    assert!(first.must_change_password);
    assert_eq!(first.unit_no(), UNIT_NO);
    let changed = session::change_password(first, INITIAL_PASSWORD.into(), PASSWORD.into())
        .await
        .unwrap();
    assert!(!changed.must_change_password);
    let snapshot = session::refresh(changed.clone()).await.unwrap();
    assert_eq!(snapshot.online, Some(true));
    assert_eq!(snapshot.counts.not_submitted, 0);

    // The home page shows the unit; pulling the key out returns to the login screen.
    let mut app = App::new(readers_source(&readers), services).0;
    let _ = app.enter(changed, snapshot);
    let mut ui = simulator(app.view());
    let unit_line = fl!("home-unit-no", unit_no = UNIT_NO);
    assert!(ui.find(unit_line.as_str()).is_ok());
    let failed = home::bucket_label(HomeBucket::FailedUnviewed);
    assert!(ui.find(failed.as_str()).is_ok());
    drop(ui);
    let _ = app.update(app::Message::Card(CardEvent::CardRemoved { card }));
    let mut ui = simulator(app.view());
    assert!(ui.find(fl!("app-card-pulled").as_str()).is_ok());
    assert!(ui.find(unit_line.as_str()).is_err());
}

fn readers_source(readers: &Readers) -> shebao_ukey::CardSource {
    shebao_ukey::CardSource::Simulated(readers.readers.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_agency_the_clerk_works_offline_until_it_answers_again() {
    let mut agency = TestAgency::start(None).await;
    let file = card_file();
    registered(&agency, &file);
    let data = tempfile::tempdir().unwrap();
    let services = services(&agency, data.path());
    let mut readers = Readers::empty();
    readers.insert_card(&file);
    let (card, identity) = readers.status.card().unwrap();
    let (card, identity) = (card.clone(), identity.clone());

    // The agency is down: the login screen says so and offers offline work.
    agency.stop().await;
    let mut login = Login::new(services.clone(), &readers.status, None).0;
    let fetched = session::fetch_captcha(services.clone(), UNIT_NO.into()).await;
    assert!(matches!(fetched, Err(Failure::Offline)));
    login.update(login::Message::CaptchaArrived(fetched), &readers.status);
    let mut ui = simulator(login.view(&readers.status));
    ui.click(fl!("login-offline-work").as_str()).unwrap();
    let clicked = ui.into_messages().collect::<Vec<_>>();
    assert!(matches!(clicked[..], [login::Message::WorkOffline]));

    // Offline work opens the unit's store from the card alone: home shows 离线.
    let (offline, snapshot) =
        session::work_offline(services.clone(), card.clone(), identity.clone())
            .await
            .unwrap();
    assert!(!offline.is_logged_in());
    assert_eq!(offline.unit_no(), UNIT_NO);
    let mut app = App::new(readers_source(&readers), services.clone()).0;
    let _ = app.enter(offline.clone(), snapshot);
    let mut ui = simulator(app.view());
    assert!(ui.find(fl!("home-offline").as_str()).is_ok());
    assert!(ui.find(fl!("home-offline-work").as_str()).is_ok());
    drop(ui);
    let still = session::retry_online(offline.clone()).await.unwrap();
    assert!(matches!(still, session::Reconnect::StillOffline(_)));

    // The agency is back; no token was ever kept, so the clerk is asked to log in.
    agency.restart().await;
    let back = session::retry_online(offline).await.unwrap();
    assert!(matches!(back, session::Reconnect::LoginNeeded(_)));

    // After a real login the token is kept: the next offline spell resumes by itself.
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
    session::change_password(first, INITIAL_PASSWORD.into(), PASSWORD.into())
        .await
        .unwrap();
    let (offline, _) = session::work_offline(services, card, identity)
        .await
        .unwrap();
    match session::retry_online(offline).await.unwrap() {
        session::Reconnect::Resumed(resumed, snapshot) => {
            assert!(resumed.is_logged_in());
            assert_eq!(snapshot.online, Some(true));
        }
        other => panic!("expected the kept token to resume the session, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announcement_opens_and_its_attachment_is_saved_where_the_clerk_chose() {
    let agency = TestAgency::start(None).await;
    let content = "缴费基数申报说明\r\n请于7月底前完成。\r\n"
        .as_bytes()
        .to_vec();
    agency
        .db()
        .write(|tx| {
            shebao_agency::storage::sqlite::announcements::publish(
                tx,
                &shebao_agency::storage::NewAnnouncement {
                    title: "关于开展年度缴费基数申报工作的通知".to_owned(),
                    body: "请在规定时间内完成申报，详见附件。".to_owned(),
                    attachments: vec![("申报说明.txt".to_owned(), content.clone())],
                    published_at: chrono::Utc::now().timestamp(),
                },
            )
        })
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let client = services(&agency, data.path()).agency.unwrap();

    let list = client.announcements(None).await.unwrap();
    let mut notices = Notices::default();
    let _ = notices.update(notices::Message::Arrived(Ok(list)));
    let mut ui = simulator(notices.view());
    ui.click("关于开展年度缴费基数申报工作的通知").unwrap();
    for message in ui.into_messages() {
        let _ = notices.update(message);
    }
    let mut ui = simulator(notices.view());
    assert!(ui.find("请在规定时间内完成申报，详见附件。").is_ok());
    assert!(ui.find(format!("申报说明.txt ({} KB)", 1).as_str()).is_ok());
    ui.click(fl!("notices-save").as_str()).unwrap();
    let Some(notices::Message::Save { id, name }) = ui.into_messages().next() else {
        panic!("保存 asks where to save the attachment");
    };
    assert_eq!(name, "申报说明.txt");

    // What the dialog would answer: a path the clerk chose.
    let chosen = data.path().join("下载").join("说明.txt");
    std::fs::create_dir_all(chosen.parent().unwrap()).unwrap();
    let saved = notices::save_attachment(client.clone(), id.clone(), name.clone(), chosen.clone())
        .await
        .unwrap();
    assert_eq!(saved, chosen);
    assert_eq!(std::fs::read(&chosen).unwrap(), content);

    // A folder that does not exist is said, not panicked over, and leaves nothing behind.
    let nowhere = data.path().join("no-such-folder").join("x.txt");
    let refused = notices::save_attachment(client, id, name, nowhere.clone()).await;
    assert!(refused.is_err());
    assert!(!nowhere.exists());
}
