//! 首页: the six counts of the unit's declarations on the left, the four modules on the right,
//! the unit and 首页 / 刷新 / 注销 / 退出 at the top, and the connection in the status bar.

use iced::widget::{button, column, container, row, rule, space, text};
use std::time::Duration;

use iced::{Alignment, Element, Length, Subscription, Task};
use shebao_core::state::HomeBucket;
use shebao_store::HomeCounts;

use super::failure::Failure;
use super::function::{Function, Module};
use super::notices::{self, Notices};
use super::page::{self, Page};
use super::session::{self, HomeSnapshot, Reconnect, Session};
use crate::fl;
use crate::widget::{Tone, badge};

/// How often the agency is tried while working offline: the clerk waits to submit.
const OFFLINE_RETRY: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub enum Message {
    /// 首页: close the open page.
    Home,
    /// A module's function was chosen.
    Open(Function),
    /// One of the six count rows: 申报查询 narrowed to it.
    OpenBucket(HomeBucket),
    Page(page::Message),
    Notices(notices::Message),
    /// Time to ask the agency for feedback.
    Poll,
    Refresh,
    Refreshed(Result<HomeSnapshot, Failure>),
    /// Working offline: what trying the agency found.
    Reconnected(Result<Reconnect, Failure>),
    /// Working offline and the agency answers again: to the login screen.
    LogIn,
    LogOut,
    LoggedOut,
    Exit,
}

pub enum Action {
    None,
    Run(Task<Message>),
    /// The clerk logged out, or the agency ended the session.
    LoggedOut {
        notice: Option<String>,
    },
    Exit,
}

pub struct Home {
    session: Session,
    snapshot: HomeSnapshot,
    refreshing: bool,
    /// The last refresh's problem, for the status bar.
    problem: Option<String>,
    /// Results arrived since the home page opened that the clerk has not looked at.
    new_feedback: bool,
    /// The page open in the work area; the counts and modules when `None`.
    page: Option<Page>,
    /// Working offline, the agency answers again and wants a login.
    agency_back: bool,
    announcements: Notices,
}

impl Home {
    /// The home page with what the login counted; a sync starts at once to bring the feedback.
    pub fn new(session: Session, snapshot: HomeSnapshot) -> (Self, Task<Message>) {
        let (announcements, read) = Notices::cached(&session);
        let mut home = Self {
            session,
            snapshot,
            refreshing: false,
            problem: None,
            new_feedback: false,
            page: None,
            agency_back: false,
            announcements,
        };
        let task = home.refresh();
        (home, Task::batch([task, read.map(Message::Notices)]))
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    fn refresh(&mut self) -> Task<Message> {
        if self.refreshing {
            return Task::none();
        }
        self.refreshing = true;
        if self.session.is_logged_in() {
            Task::perform(session::refresh(self.session.clone()), Message::Refreshed)
        } else {
            Task::perform(
                session::retry_online(self.session.clone()),
                Message::Reconnected,
            )
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Home => {
                self.page = None;
                Action::None
            }
            Message::Open(function) => self.open(function),
            Message::OpenBucket(bucket) => {
                let (page, task) = Page::declarations_in(bucket, &self.session);
                self.page = Some(page);
                Action::Run(task.map(Message::Page))
            }
            Message::Page(message) => {
                let Some(page) = &mut self.page else {
                    return Action::None;
                };
                match page.update(message) {
                    page::Action::None => Action::None,
                    page::Action::Run(task) => Action::Run(task.map(Message::Page)),
                    page::Action::Close => {
                        self.page = None;
                        Action::None
                    }
                    page::Action::Open(function) => self.open(function),
                    page::Action::StoreChanged => Action::Run(self.refresh()),
                    page::Action::LoginRequired => Action::LoggedOut {
                        notice: Some(Failure::LoginRequired.message()),
                    },
                }
            }
            Message::Refresh | Message::Poll => Action::Run(self.refresh()),
            Message::Notices(message) => {
                Action::Run(self.announcements.update(message).map(Message::Notices))
            }
            Message::Refreshed(Ok(snapshot)) => {
                self.refreshing = false;
                self.problem = None;
                self.show(snapshot);
                Action::Run(Notices::read_cached(&self.session).map(Message::Notices))
            }
            Message::Reconnected(Ok(found)) => {
                self.refreshing = false;
                self.problem = None;
                match found {
                    Reconnect::StillOffline(snapshot) => self.show(snapshot),
                    Reconnect::LoginNeeded(snapshot) => {
                        self.agency_back = true;
                        self.show(snapshot);
                    }
                    Reconnect::Resumed(session, snapshot) => {
                        // Pages already open keep the offline session; the store is the same.
                        self.session = session;
                        self.agency_back = false;
                        self.show(snapshot);
                    }
                }
                Action::None
            }
            Message::Reconnected(Err(failure)) => {
                self.refreshing = false;
                self.problem = Some(failure.message());
                Action::None
            }
            Message::LogIn => Action::LoggedOut { notice: None },
            Message::Refreshed(Err(Failure::LoginRequired)) => Action::LoggedOut {
                notice: Some(Failure::LoginRequired.message()),
            },
            Message::Refreshed(Err(failure)) => {
                self.refreshing = false;
                self.problem = Some(failure.message());
                Action::None
            }
            // Logged out here whatever the agency said: the token is forgotten or expires.
            Message::LogOut => Action::Run(Task::perform(
                session::log_out(self.session.clone()),
                |_| Message::LoggedOut,
            )),
            Message::LoggedOut => Action::LoggedOut { notice: None },
            Message::Exit => Action::Exit,
        }
    }

    fn show(&mut self, snapshot: HomeSnapshot) {
        self.new_feedback |= unviewed(&snapshot.counts) > unviewed(&self.snapshot.counts);
        let synced_at = snapshot.synced_at.or(self.snapshot.synced_at);
        self.snapshot = HomeSnapshot {
            synced_at,
            ..snapshot
        };
    }

    fn open(&mut self, function: Function) -> Action {
        match Page::open(function, &self.session) {
            Some((page, task)) => {
                self.page = Some(page);
                Action::Run(task.map(Message::Page))
            }
            None => Action::None,
        }
    }

    /// Feedback comes by itself: the agency is asked at the interval of the settings (every
    /// minute unless changed). The open page may listen too.
    pub fn subscription(&self) -> Subscription<Message> {
        let period = if self.session.is_logged_in() {
            Duration::from_secs(crate::preferences::current().feedback_poll_seconds)
        } else {
            OFFLINE_RETRY
        };
        let poll = Subscription::run_with(period, |period| super::poll::every(*period))
            .map(|()| Message::Poll);
        let page = self.page.as_ref().map_or_else(Subscription::none, |page| {
            page.subscription().map(Message::Page)
        });
        Subscription::batch([poll, page])
    }

    pub fn view(&self) -> Element<'_, Message> {
        column![
            self.header(),
            rule::horizontal(1),
            self.work_area(),
            rule::horizontal(1),
            self.status_bar(),
        ]
        .spacing(10)
        .padding(16)
        .into()
    }

    fn work_area(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = match &self.page {
            Some(page) => column![
                text(page.function().label()).size(20),
                page.view().map(Message::Page)
            ]
            .spacing(12)
            .into(),
            None => row![
                bucket_counts(&self.snapshot.counts),
                rule::vertical(1),
                modules(),
                rule::vertical(1),
                self.announcements.view().map(Message::Notices),
            ]
            .spacing(20)
            .into(),
        };
        container(body).height(Length::Fill).into()
    }

    fn header(&self) -> Element<'_, Message> {
        let nav = |label, message| button(text(label)).style(button::text).on_press(message);
        let refresh = button(text(if self.refreshing {
            fl!("home-refreshing")
        } else {
            fl!("home-refresh")
        }))
        .style(button::text)
        .on_press_maybe((!self.refreshing).then_some(Message::Refresh));
        row![
            text(fl!("home-unit-no", unit_no = self.session.unit_no())),
            text(fl!("home-unit-name", unit_name = self.session.unit_name())),
            space::horizontal(),
            nav(fl!("home-nav-home"), Message::Home),
            refresh,
            nav(fl!("home-log-out"), Message::LogOut),
            nav(fl!("home-exit"), Message::Exit),
        ]
        .spacing(16)
        .align_y(Alignment::Center)
        .into()
    }

    fn status_bar(&self) -> Element<'_, Message> {
        let connection = match self.snapshot.online {
            Some(true) => badge(fl!("home-online"), Tone::Good),
            Some(false) => badge(fl!("home-offline"), Tone::Bad),
            None => badge(fl!("home-connecting"), Tone::Waiting),
        };
        let synced = self.snapshot.synced_at.map_or_else(
            || fl!("home-never-synced"),
            |at| {
                fl!(
                    "home-synced-at",
                    at = at.format("%Y-%m-%d %H:%M").to_string()
                )
            },
        );
        let mut bar = row![
            connection,
            text(synced).size(13),
            text(fl!("home-outbox", count = self.snapshot.outbox)).size(13),
        ]
        .spacing(16)
        .align_y(Alignment::Center);
        if self.new_feedback {
            bar = bar.push(text(fl!("home-new-feedback")).size(13).style(text::success));
        }
        if self.agency_back {
            bar = bar.push(text(fl!("app-agency-back")).size(13).style(text::success));
            bar = bar.push(
                button(text(fl!("home-log-in")).size(13))
                    .padding([2, 12])
                    .on_press(Message::LogIn),
            );
        } else if !self.session.is_logged_in() {
            bar = bar.push(text(fl!("home-offline-work")).size(13).style(text::warning));
        }
        if let Some(problem) = &self.problem {
            bar = bar.push(text(problem).size(13).style(text::danger));
        }
        bar.into()
    }
}

/// The six rows of the seed system's home page with their counts.
pub fn bucket_counts<'a>(counts: &HomeCounts) -> Element<'a, Message> {
    let rows = HomeBucket::ALL.into_iter().map(|bucket| {
        let count = count_of(counts, bucket);
        // As in the seed system, a row with declarations lists them when clicked.
        button(
            row![
                text(bucket_label(bucket)).width(Length::Fill),
                text(count.to_string()),
            ]
            .spacing(10),
        )
        .style(button::text)
        .padding(0)
        .on_press_maybe((count > 0).then_some(Message::OpenBucket(bucket)))
        .into()
    });
    column![text(fl!("home-buckets")).size(18), column(rows).spacing(10)]
        .spacing(14)
        .width(260)
        .into()
}

fn modules<'a>() -> Element<'a, Message> {
    let blocks = Module::ALL.into_iter().map(|module| {
        let buttons = module.functions().iter().map(|&function| {
            // A function without a page is shown so the clerk finds the seed system's
            // landmarks, but disabled.
            button(text(function.label()))
                .style(button::secondary)
                .on_press_maybe(function.is_available().then_some(Message::Open(function)))
                .into()
        });
        column![
            text(module.label()).size(18),
            row(buttons).spacing(8).wrap()
        ]
        .spacing(8)
        .into()
    });
    container(column(blocks).spacing(24))
        .width(Length::Fill)
        .into()
}

/// The name of a home-page row in the interface's language; shebao-core's labels are the
/// seed system's Chinese.
pub fn bucket_label(bucket: HomeBucket) -> String {
    match bucket {
        HomeBucket::NotSubmitted => fl!("home-bucket-not-submitted"),
        HomeBucket::Waiting => fl!("home-bucket-waiting"),
        HomeBucket::Processing => fl!("home-bucket-processing"),
        HomeBucket::SucceededUnviewed => fl!("home-bucket-succeeded-unviewed"),
        HomeBucket::FailedUnviewed => fl!("home-bucket-failed-unviewed"),
        HomeBucket::PartlySucceededUnviewed => fl!("home-bucket-partly-succeeded-unviewed"),
    }
}

/// Finished declarations the clerk has not yet looked at.
fn unviewed(counts: &HomeCounts) -> u64 {
    counts.succeeded_unviewed + counts.failed_unviewed + counts.partly_succeeded_unviewed
}

/// The count of one of the six home-page rows.
pub fn count_of(counts: &HomeCounts, bucket: HomeBucket) -> u64 {
    match bucket {
        HomeBucket::NotSubmitted => counts.not_submitted,
        HomeBucket::Waiting => counts.waiting,
        HomeBucket::Processing => counts.processing,
        HomeBucket::SucceededUnviewed => counts.succeeded_unviewed,
        HomeBucket::FailedUnviewed => counts.failed_unviewed,
        HomeBucket::PartlySucceededUnviewed => counts.partly_succeeded_unviewed,
    }
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;

    use super::*;

    #[test]
    fn the_six_rows_show_the_stores_counts() {
        let counts = HomeCounts {
            not_submitted: 12,
            waiting: 3,
            processing: 0,
            succeeded_unviewed: 5,
            failed_unviewed: 7,
            partly_succeeded_unviewed: 1,
        };
        let mut ui = simulator(bucket_counts(&counts));
        for bucket in HomeBucket::ALL {
            let label = bucket_label(bucket);
            assert!(ui.find(label.as_str()).is_ok(), "{label} is shown");
        }
        for n in ["12", "3", "0", "5", "7", "1"] {
            assert!(ui.find(n).is_ok(), "the count {n} is shown");
        }
    }

    #[test]
    fn every_module_function_of_the_seed_is_listed() {
        let mut ui = simulator(modules());
        for module in Module::ALL {
            assert!(ui.find(module.label().as_str()).is_ok());
            for function in module.functions() {
                let label = function.label();
                assert!(ui.find(label.as_str()).is_ok(), "{label} is listed");
            }
        }
    }
}
