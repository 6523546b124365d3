//! `cargo xtask screenshots`: every screen rendered with demo data to a PNG, for the README and
//! for reviewing a layout without clicking through the app. Each screen is one function in
//! [`SCREENS`]; a new page adds a line there. The PNGs go to `$SHEBAO_SCREENSHOTS` (the xtask
//! sets `target/screenshots`), rendered by the software renderer at twice the pixel density.
// Linux only: the reference agency runs in the test's process (see the module list).
#![cfg(not(windows))]

use std::path::{Path, PathBuf};

use chrono::Local;
use iced::{Element, Settings, Size, Theme};
use iced_test::Simulator;
use shebao_store::HomeCounts;

use super::function::Function;
use super::home::{self, Home};
use super::journey_tests::common::{SoftwareCard, TestAgency};
use super::login::{self, Login};
use super::notices;
use super::password::ChangePassword;
use super::session::{self, HomeSnapshot, Services};
use super::testing::{self, Readers, UNIT_NO};
use crate::app::{INTERFACE_FONT, INTERFACE_FONT_BYTES, MIN_WINDOW};

/// Everything a screen may need: the demo agency, a unit's UKey, and where to put the PNGs.
pub struct Studio {
    out: PathBuf,
    data: tempfile::TempDir,
    services: Services,
}

/// One screen: its file name and the function that renders it.
type Screen = (&'static str, fn(&mut Studio));

/// The screens, in the order a clerk meets them.
const SCREENS: &[Screen] = &[
    ("login-no-key", login_without_key),
    ("login-key-read", login_with_key),
    ("login-key-read-150", login_with_key_at_150),
    ("password", password_change),
    ("home", home_page),
    ("home-dark", home_page_dark),
    ("home-offline", home_page_offline),
    ("about", about_page),
];

impl Studio {
    /// Render `element` at the smallest window the app allows, in `theme`, at `scale`.
    fn take<'a, M>(
        &self,
        name: &str,
        theme: &Theme,
        scale: f32,
        element: impl Into<Element<'a, M>>,
    ) {
        let settings = Settings {
            fonts: vec![INTERFACE_FONT_BYTES.into()],
            default_font: INTERFACE_FONT,
            ..Settings::default()
        };
        // A scale of 1.5 lays out as a window two thirds the size, which is what the clerk sees.
        let size = Size::new(MIN_WINDOW.width / scale, MIN_WINDOW.height / scale);
        let mut ui = Simulator::with_size(settings, size, element);
        let snapshot = ui.snapshot(theme).expect("the screen renders");
        let target = self.out.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&target);
        // iced_test names the file after the renderer; the README wants plain names.
        let written = self.out.join(format!("{name}-tiny-skia.png"));
        let _ = std::fs::remove_file(&written);
        assert!(snapshot.matches_image(&target).expect("the PNG is written"));
        std::fs::rename(&written, &target).expect("the PNG is renamed");
    }

    fn readers(&self) -> Readers {
        Readers::with_card()
    }

    fn home(&self, online: Option<bool>) -> Home {
        let (session, _readers) = testing::offline_session(self.data.path());
        let snapshot = HomeSnapshot {
            counts: HomeCounts {
                not_submitted: 12,
                waiting: 3,
                processing: 1,
                succeeded_unviewed: 5,
                failed_unviewed: 2,
                partly_succeeded_unviewed: 1,
            },
            outbox: 0,
            online,
            synced_at: Some(Local::now()),
        };
        let (mut home, _) = Home::new(session, snapshot);
        let list = demo_announcements(&self.services);
        let _ = home.update(home::Message::Notices(notices::Message::Arrived(Ok(list))));
        home
    }
}

fn demo_announcements(services: &Services) -> Vec<shebao_sync::wire::Announcement> {
    let client = services.agency.clone().expect("the demo agency");
    shebao_sync::block_on(client.announcements(None))
        .expect("a runtime")
        .expect("the demo agency lists its announcements")
}

fn login_without_key(studio: &mut Studio) {
    let readers = Readers::empty();
    let (mut login, _) = Login::new(studio.services.clone(), &readers.status, None);
    let list = demo_announcements(&studio.services);
    let _ = login.update(
        login::Message::Notices(notices::Message::Arrived(Ok(list))),
        &readers.status,
    );
    studio.take(
        "login-no-key",
        &Theme::Light,
        1.0,
        login.view(&readers.status),
    );
}

fn filled_login(studio: &Studio, readers: &Readers) -> Login {
    let (mut login, _) = Login::new(studio.services.clone(), &readers.status, None);
    let pending = shebao_sync::block_on(session::fetch_captcha(
        studio.services.clone(),
        UNIT_NO.into(),
    ))
    .expect("a runtime");
    let _ = login.update(login::Message::CaptchaArrived(pending), &readers.status);
    let list = demo_announcements(&studio.services);
    let _ = login.update(
        login::Message::Notices(notices::Message::Arrived(Ok(list))),
        &readers.status,
    );
    let _ = login.update(
        login::Message::PasswordTyped("********".into()),
        &readers.status,
    );
    login
}

fn login_with_key(studio: &mut Studio) {
    let readers = studio.readers();
    let login = filled_login(studio, &readers);
    studio.take(
        "login-key-read",
        &Theme::Light,
        1.0,
        login.view(&readers.status),
    );
}

fn login_with_key_at_150(studio: &mut Studio) {
    let readers = studio.readers();
    let login = filled_login(studio, &readers);
    studio.take(
        "login-key-read-150",
        &Theme::Light,
        1.5,
        login.view(&readers.status),
    );
}

fn password_change(studio: &mut Studio) {
    let (session, _readers) = testing::offline_session(studio.data.path());
    let (screen, _) = ChangePassword::new(session);
    studio.take("password", &Theme::Light, 1.0, screen.view());
}

fn home_page(studio: &mut Studio) {
    let home = studio.home(Some(true));
    studio.take("home", &Theme::Light, 1.0, home.view());
}

fn home_page_dark(studio: &mut Studio) {
    let home = studio.home(Some(true));
    studio.take("home-dark", &Theme::Dark, 1.0, home.view());
}

fn home_page_offline(studio: &mut Studio) {
    let home = studio.home(Some(false));
    studio.take("home-offline", &Theme::Light, 1.0, home.view());
}

fn about_page(studio: &mut Studio) {
    let mut home = studio.home(Some(true));
    let _ = home.update(home::Message::Open(Function::About));
    studio.take("about", &Theme::Light, 1.0, home.view());
}

fn publish_demo_announcements(agency: &TestAgency) {
    use shebao_agency::storage::NewAnnouncement;
    use shebao_agency::storage::sqlite::announcements::publish;
    let now = chrono::Utc::now().timestamp();
    agency
        .db()
        .write(|tx| -> Result<(), shebao_agency::storage::StorageError> {
            publish(
                tx,
                &NewAnnouncement {
                    title: "关于开展年度缴费基数申报工作的通知".to_owned(),
                    body: "各参保单位：请在规定时间内完成本单位职工年度缴费工资申报，详见附件。"
                        .to_owned(),
                    attachments: vec![("缴费基数申报说明.txt".to_owned(), vec![b'x'; 3000])],
                    published_at: now - 3 * 86_400,
                },
            )?;
            publish(
                tx,
                &NewAnnouncement {
                    title: "系统维护公告".to_owned(),
                    body: "本系统将于周六 22:00 至 24:00 进行维护，期间暂停申报业务。".to_owned(),
                    attachments: Vec::new(),
                    published_at: now - 86_400,
                },
            )?;
            Ok(())
        })
        .expect("the announcements are published");
}

fn out_dir() -> Option<PathBuf> {
    std::env::var_os("SHEBAO_SCREENSHOTS").map(PathBuf::from)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "renders PNGs; run by cargo xtask screenshots"]
async fn render_every_screen() {
    let out = out_dir().unwrap_or_else(|| Path::new("target").join("screenshots"));
    std::fs::create_dir_all(&out).expect("the screenshot folder can be made");
    let agency = TestAgency::start(None).await;
    agency.open_unit(&SoftwareCard::from_secret(UNIT_NO, &[7; 32]).expect("a card"));
    publish_demo_announcements(&agency);
    let data = tempfile::tempdir().expect("temp dir");
    let services = super::journey_tests::services(&agency, data.path());
    let mut studio = Studio {
        out,
        data,
        services,
    };
    // The screens block on the agency, which answers from this runtime: they run on a thread
    // of their own.
    let screens = std::thread::spawn(move || {
        for (name, screen) in SCREENS {
            screen(&mut studio);
            assert!(
                studio.out.join(format!("{name}.png")).exists(),
                "{name} is rendered"
            );
        }
    });
    let rendered = tokio::task::spawn_blocking(move || screens.join()).await;
    drop(agency);
    assert!(matches!(rendered, Ok(Ok(()))), "every screen renders");
}
