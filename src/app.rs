//! The desktop app: which screen is shown, the session, the card watcher, and the routing of
//! messages between them.

use std::process::ExitCode;

use iced::futures::StreamExt;
use iced::{Element, Font, Size, Subscription, Task, window};
use shebao_ukey::{CardEvent, CardSource};

use crate::bench::{self, Bench};
use crate::fl;
use crate::preferences;
use crate::screen::card_status::CardStatus;
use crate::screen::failure::Failure;
use crate::screen::session::{self, HomeSnapshot, Services, Session};
use crate::screen::{home, login, password};

/// Everything the app needs from the command line and the environment.
pub struct Setup {
    pub card_source: CardSource,
    pub services: Services,
    /// Shown in the title so a demo is never mistaken for the real agency.
    pub demo: bool,
    /// The theme of the settings file; `SHEBAO_THEME` overrides it.
    pub theme: preferences::Theme,
    /// The feedback polling interval of the settings file, in seconds.
    pub feedback_poll_seconds: u64,
}

/// The interface font: Noto Sans CJK SC cut down to ASCII, the interface's words and the
/// common hanzi (`cargo xtask font` makes it). A fresh machine shows Chinese without installing
/// a font; characters outside it fall back to the system's fonts.
pub const INTERFACE_FONT_BYTES: &[u8] = include_bytes!("../assets/fonts/ShebaoSansSC-Regular.otf");
pub const INTERFACE_FONT: Font = Font::with_name("Shebao Sans SC");

/// The smallest window the screens are laid out for (at scale 1).
pub const MIN_WINDOW: Size = Size::new(1024.0, 768.0);

/// The icon of the title bar and the taskbar: the app icon's 64-pixel image.
const WINDOW_ICON_PNG: &[u8] = include_bytes!("../assets/icons/shebao-64.png");

fn window_icon() -> Option<window::Icon> {
    let image = image::load_from_memory_with_format(WINDOW_ICON_PNG, image::ImageFormat::Png)
        .ok()?
        .into_rgba8();
    let (width, height) = image.dimensions();
    window::icon::from_rgba(image.into_raw(), width, height).ok()
}

/// Open the window and run until the clerk exits.
pub fn run(setup: Setup) -> ExitCode {
    let demo = setup.demo;
    let mut chosen = preferences::Preferences::from_environment();
    if std::env::var_os("SHEBAO_THEME").is_none() {
        chosen.theme = setup.theme;
    }
    chosen.feedback_poll_seconds = setup.feedback_poll_seconds;
    preferences::set(chosen);
    // `boot` may be called again by the runtime; it only clones handles.
    let boot = move || App::new(setup.card_source.clone(), setup.services.clone());
    let result = iced::application(boot, App::update, App::view)
        .title(move |_: &App| {
            if demo {
                fl!("app-title-demo")
            } else {
                fl!("app-title")
            }
        })
        .subscription(App::subscription)
        .font(INTERFACE_FONT_BYTES)
        .default_font(INTERFACE_FONT)
        .theme(|_: &App| preferences::current().theme.iced())
        .scale_factor(|_: &App| preferences::current().scale)
        .window(window::Settings {
            size: MIN_WINDOW,
            min_size: Some(MIN_WINDOW),
            icon: window_icon(),
            ..window::Settings::default()
        })
        .run();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 / error: 窗口无法打开 (the window cannot open): {e}");
            ExitCode::from(1)
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Card(CardEvent),
    Login(login::Message),
    Password(password::Message),
    Home(home::Message),
    /// A frame was drawn (only watched while measuring).
    Frame,
    /// Measuring memory: the store opened from the card.
    BenchOpened(Result<(Session, HomeSnapshot), Failure>),
}

enum Screen {
    // Boxed: it holds the services and the captcha, far more than the other screens.
    Login(Box<login::Login>),
    ChangePassword(password::ChangePassword),
    // Boxed too: the work area holds every page's state.
    Home(Box<home::Home>),
}

pub struct App {
    card_source: CardSource,
    services: Services,
    card: CardStatus,
    screen: Screen,
    bench: Option<Bench>,
    /// Measuring memory: the home page has synced; report at the next frame.
    bench_done: bool,
}

impl App {
    pub fn new(card_source: CardSource, services: Services) -> (Self, Task<Message>) {
        let card = CardStatus::default();
        let (login, task) = login::Login::new(services.clone(), &card, None);
        let app = Self {
            card_source,
            services,
            card,
            screen: Screen::Login(Box::new(login)),
            bench: Bench::from_environment(),
            bench_done: false,
        };
        (app, task.map(Message::Login))
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Card(event) => self.card_event(event),
            Message::Login(message) => {
                let Screen::Login(login) = &mut self.screen else {
                    return Task::none();
                };
                match login.update(message, &self.card) {
                    login::Action::None => Task::none(),
                    login::Action::Run(task) => task.map(Message::Login),
                    login::Action::LoggedIn(session, snapshot) => self.enter(session, snapshot),
                }
            }
            Message::Password(message) => {
                let Screen::ChangePassword(screen) = &mut self.screen else {
                    return Task::none();
                };
                match screen.update(message) {
                    password::Action::None => Task::none(),
                    password::Action::Run(task) => task.map(Message::Password),
                    password::Action::Changed(session) => {
                        self.enter(session, HomeSnapshot::default())
                    }
                    password::Action::LoginRequired => {
                        self.back_to_login(Some(Failure::LoginRequired.message()))
                    }
                }
            }
            Message::Frame => self.frame(),
            Message::BenchOpened(Ok((session, snapshot))) => self.enter(session, snapshot),
            Message::BenchOpened(Err(failure)) => {
                eprintln!("bench: the store cannot be opened: {}", failure.message());
                iced::exit()
            }
            Message::Home(message) => {
                if self.bench == Some(Bench::Home)
                    && matches!(
                        message,
                        home::Message::Reconnected(Ok(session::Reconnect::Resumed(..)))
                    )
                {
                    self.bench_done = true;
                }
                let Screen::Home(home) = &mut self.screen else {
                    return Task::none();
                };
                match home.update(message) {
                    home::Action::None => Task::none(),
                    home::Action::Run(task) => task.map(Message::Home),
                    home::Action::LoggedOut { notice } => self.back_to_login(notice),
                    home::Action::Exit => iced::exit(),
                }
            }
        }
    }

    fn card_event(&mut self, event: CardEvent) -> Task<Message> {
        self.card.apply(&event);
        if self.bench == Some(Bench::Home)
            && let (Screen::Login(_), CardEvent::CardRead { card, identity }) =
                (&self.screen, &event)
        {
            return Task::perform(
                session::work_offline(self.services.clone(), card.clone(), identity.clone()),
                Message::BenchOpened,
            );
        }
        // Pulling out the key that logged in locks the session at once. Nothing is lost: every
        // record is already in the store.
        if let CardEvent::CardRemoved { card } = &event
            && self.session().is_some_and(|s| s.card() == card)
        {
            return self.back_to_login(Some(fl!("app-card-pulled")));
        }
        match &mut self.screen {
            Screen::Login(login) => login.card_changed(&self.card).map(Message::Login),
            Screen::ChangePassword(_) | Screen::Home(_) => Task::none(),
        }
    }

    fn frame(&mut self) -> Task<Message> {
        match self.bench {
            Some(Bench::FirstFrame) => iced::exit(),
            Some(Bench::Home) if self.bench_done => {
                println!("VmRSS: {} kB", bench::resident_kb().unwrap_or(0));
                iced::exit()
            }
            _ => Task::none(),
        }
    }

    /// Into the app after a login: the password change first when the agency demands it.
    pub fn enter(&mut self, session: Session, snapshot: HomeSnapshot) -> Task<Message> {
        if session.must_change_password {
            let (screen, task) = password::ChangePassword::new(session);
            self.screen = Screen::ChangePassword(screen);
            return task.map(Message::Password);
        }
        // Once a day the unit's store is copied to backups/ (seven days are kept); the 备份与恢复
        // page lists the copies. A failure only costs that day's copy, so it is logged, not shown.
        let backup = Task::perform(crate::screen::backup::daily(session.clone()), |done| {
            if let Err(failure) = done {
                tracing::warn!("daily backup failed: {}", failure.message());
            }
        })
        .discard();
        let (home, task) = home::Home::new(session, snapshot);
        self.screen = Screen::Home(Box::new(home));
        Task::batch([task.map(Message::Home), backup])
    }

    fn back_to_login(&mut self, notice: Option<String>) -> Task<Message> {
        let (login, task) = login::Login::new(self.services.clone(), &self.card, notice);
        self.screen = Screen::Login(Box::new(login));
        task.map(Message::Login)
    }

    fn session(&self) -> Option<&Session> {
        match &self.screen {
            Screen::Login(_) => None,
            Screen::ChangePassword(screen) => Some(screen.session()),
            Screen::Home(home) => Some(home.session()),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.screen {
            Screen::Login(login) => login.view(&self.card).map(Message::Login),
            Screen::ChangePassword(screen) => screen.view().map(Message::Password),
            Screen::Home(home) => home.view().map(Message::Home),
        }
    }

    /// The card watcher runs for the whole life of the app, keyed on its source; the screen
    /// adds its own (the home page polls for feedback).
    pub fn subscription(&self) -> Subscription<Message> {
        let card = Subscription::run_with(self.card_source.clone(), |source| {
            shebao_ukey::watch(source.clone()).map(Message::Card)
        });
        let screen = match &self.screen {
            Screen::Home(home) => home.subscription().map(Message::Home),
            Screen::Login(_) | Screen::ChangePassword(_) => Subscription::none(),
        };
        let frames = match self.bench {
            Some(_) => iced::window::frames().map(|_| Message::Frame),
            None => Subscription::none(),
        };
        Subscription::batch([card, screen, frames])
    }
}
