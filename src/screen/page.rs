//! The work area under the home page's header: the page of the function the clerk opened.
//! Each page is a module with its own `Message`; it answers the home page with an
//! [`Action`], the same for every page, so the header and status bar stay put while pages
//! come and go.

use iced::{Element, Subscription, Task};

use super::backup::{self, Backup};
use super::declarations::{self, Declarations};
use super::dues::{self, DuesPage};
use super::function::Function;
use super::hire;
use super::people::{self, People};
use super::session::Session;
use super::settings::password::{self, PasswordPage};
use super::settings::{self, SettingsPage};
use super::unit_info::{self, UnitInfo};
use super::{about, leave, person_change, submit, unit_change, wage};
use shebao_core::state::HomeBucket;

/// What a page asks of the home page around it.
#[allow(dead_code)] // Every variant has a page that needs it as the pages land.
pub enum Action<M> {
    None,
    Run(Task<M>),
    /// Back to the home page's counts and modules.
    Close,
    /// Open another function's page in place of this one.
    Open(Function),
    /// The page changed the store (saved, deleted, submitted): count again and sync.
    StoreChanged,
    /// The agency ended the session.
    LoginRequired,
}

impl<M: Send + 'static> Action<M> {
    pub fn map<N: Send + 'static>(self, f: impl Fn(M) -> N + Send + 'static) -> Action<N> {
        match self {
            Action::None => Action::None,
            Action::Run(task) => Action::Run(task.map(f)),
            Action::Close => Action::Close,
            Action::Open(function) => Action::Open(function),
            Action::StoreChanged => Action::StoreChanged,
            Action::LoginRequired => Action::LoginRequired,
        }
    }
}

/// The pages beyond 关于 are boxed: each holds its rows (and the declaration pages the reference
/// data and a roster); the home page keeps one inline, and the app holds the home page beside
/// the much smaller login screens.
pub enum Page {
    About(about::About),
    Leave(Box<leave::Leave>),
    UnitChange(Box<unit_change::UnitChange>),
    Wage(Box<wage::Wage>),
    PersonChange(Box<person_change::PersonChange>),
    Submit(Box<submit::Submit>),
    Declarations(Box<Declarations>),
    UnitInfo(Box<UnitInfo>),
    People(Box<People>),
    Dues(Box<DuesPage>),
    Password(Box<PasswordPage>),
    Settings(Box<SettingsPage>),
    Backup(Box<Backup>),
    Hire(Box<hire::Hire>),
}

#[derive(Debug, Clone)]
pub enum Message {
    About(about::Message),
    Leave(leave::Message),
    UnitChange(unit_change::Message),
    Wage(wage::Message),
    PersonChange(person_change::Message),
    Submit(submit::Message),
    Declarations(declarations::Message),
    UnitInfo(unit_info::Message),
    People(people::Message),
    Dues(dues::Message),
    Password(password::Message),
    Settings(settings::Message),
    Backup(backup::Message),
    Hire(hire::Message),
}

impl Page {
    /// Whether `function` has a page; the home page disables the others.
    pub fn exists(function: Function) -> bool {
        matches!(
            function,
            Function::About
                | Function::Hire
                | Function::Leave
                | Function::Wage
                | Function::UnitChange
                | Function::PersonChange
                | Function::Submit
                | Function::DeclarationQuery
                | Function::UnitInfo
                | Function::People
                | Function::Dues
                | Function::Password
                | Function::Settings
                | Function::Backup
        )
    }

    /// The page of `function`, and the task that fills it, if it exists.
    pub fn open(function: Function, session: &Session) -> Option<(Page, Task<Message>)> {
        match function {
            Function::About => {
                let (page, task) = about::About::new(session.clone());
                Some((Page::About(page), task.map(Message::About)))
            }
            Function::Leave => {
                let (page, task) = leave::Leave::new(session.clone());
                Some((Page::Leave(Box::new(page)), task.map(Message::Leave)))
            }
            Function::UnitChange => {
                let (page, task) = unit_change::UnitChange::new(session.clone());
                Some((
                    Page::UnitChange(Box::new(page)),
                    task.map(Message::UnitChange),
                ))
            }
            Function::Wage => {
                let (page, task) = wage::Wage::new(session.clone());
                Some((Page::Wage(Box::new(page)), task.map(Message::Wage)))
            }
            Function::PersonChange => {
                let (page, task) = person_change::PersonChange::new(session.clone());
                Some((
                    Page::PersonChange(Box::new(page)),
                    task.map(Message::PersonChange),
                ))
            }
            Function::Submit => {
                let (page, task) = submit::Submit::new(session.clone());
                Some((Page::Submit(Box::new(page)), task.map(Message::Submit)))
            }
            Function::DeclarationQuery => {
                let (page, task) = Declarations::new(session.clone());
                Some((
                    Page::Declarations(Box::new(page)),
                    task.map(Message::Declarations),
                ))
            }
            Function::UnitInfo => {
                let (page, task) = UnitInfo::new(session.clone());
                Some((Page::UnitInfo(Box::new(page)), task.map(Message::UnitInfo)))
            }
            Function::People => {
                let (page, task) = People::new(session.clone());
                Some((Page::People(Box::new(page)), task.map(Message::People)))
            }
            Function::Dues => {
                let (page, task) = DuesPage::new(session.clone());
                Some((Page::Dues(Box::new(page)), task.map(Message::Dues)))
            }
            Function::Password => {
                let (page, task) = PasswordPage::new(session.clone());
                Some((Page::Password(Box::new(page)), task.map(Message::Password)))
            }
            Function::Settings => {
                let (page, task) = SettingsPage::new(session.clone());
                Some((Page::Settings(Box::new(page)), task.map(Message::Settings)))
            }
            Function::Backup => {
                let (page, task) = Backup::new(session.clone());
                Some((Page::Backup(Box::new(page)), task.map(Message::Backup)))
            }
            Function::Hire => {
                let (page, task) = hire::Hire::new(session.clone());
                Some((Page::Hire(Box::new(page)), task.map(Message::Hire)))
            }
        }
    }

    /// 申报查询 narrowed to one of the home page's six rows.
    pub fn declarations_in(bucket: HomeBucket, session: &Session) -> (Page, Task<Message>) {
        let (page, task) = Declarations::filtered(session.clone(), Some(bucket));
        (
            Page::Declarations(Box::new(page)),
            task.map(Message::Declarations),
        )
    }

    /// The function whose page this is, for the heading and the highlighted module button.
    pub fn function(&self) -> Function {
        match self {
            Page::About(_) => Function::About,
            Page::Leave(_) => Function::Leave,
            Page::UnitChange(_) => Function::UnitChange,
            Page::Wage(_) => Function::Wage,
            Page::PersonChange(_) => Function::PersonChange,
            Page::Submit(_) => Function::Submit,
            Page::Declarations(_) => Function::DeclarationQuery,
            Page::UnitInfo(_) => Function::UnitInfo,
            Page::People(_) => Function::People,
            Page::Dues(_) => Function::Dues,
            Page::Password(_) => Function::Password,
            Page::Settings(_) => Function::Settings,
            Page::Backup(_) => Function::Backup,
            Page::Hire(_) => Function::Hire,
        }
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match (self, message) {
            (Page::About(page), Message::About(message)) => {
                page.update(message).map(Message::About)
            }
            (Page::Leave(page), Message::Leave(message)) => {
                page.update(message).map(Message::Leave)
            }
            (Page::UnitChange(page), Message::UnitChange(message)) => {
                page.update(message).map(Message::UnitChange)
            }
            (Page::Wage(page), Message::Wage(message)) => page.update(message).map(Message::Wage),
            (Page::PersonChange(page), Message::PersonChange(message)) => {
                page.update(message).map(Message::PersonChange)
            }
            (Page::Submit(page), Message::Submit(message)) => {
                page.update(message).map(Message::Submit)
            }
            (Page::Declarations(page), Message::Declarations(message)) => {
                page.update(message).map(Message::Declarations)
            }
            (Page::UnitInfo(page), Message::UnitInfo(message)) => {
                page.update(message).map(Message::UnitInfo)
            }
            (Page::People(page), Message::People(message)) => {
                page.update(message).map(Message::People)
            }
            (Page::Dues(page), Message::Dues(message)) => page.update(message).map(Message::Dues),
            (Page::Password(page), Message::Password(message)) => {
                page.update(message).map(Message::Password)
            }
            (Page::Settings(page), Message::Settings(message)) => {
                page.update(message).map(Message::Settings)
            }
            (Page::Backup(page), Message::Backup(message)) => {
                page.update(message).map(Message::Backup)
            }
            (Page::Hire(page), Message::Hire(message)) => page.update(message).map(Message::Hire),
            // A page's late answer after another page replaced it.
            _ => Action::None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match self {
            Page::About(page) => page.view().map(Message::About),
            Page::Leave(page) => page.view().map(Message::Leave),
            Page::UnitChange(page) => page.view().map(Message::UnitChange),
            Page::Wage(page) => page.view().map(Message::Wage),
            Page::PersonChange(page) => page.view().map(Message::PersonChange),
            Page::Submit(page) => page.view().map(Message::Submit),
            Page::Declarations(page) => page.view().map(Message::Declarations),
            Page::UnitInfo(page) => page.view().map(Message::UnitInfo),
            Page::People(page) => page.view().map(Message::People),
            Page::Dues(page) => page.view().map(Message::Dues),
            Page::Password(page) => page.view().map(Message::Password),
            Page::Settings(page) => page.view().map(Message::Settings),
            Page::Backup(page) => page.view().map(Message::Backup),
            Page::Hire(page) => page.view().map(Message::Hire),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        match self {
            Page::Leave(page) => page.subscription().map(Message::Leave),
            Page::UnitChange(page) => page.subscription().map(Message::UnitChange),
            Page::Wage(page) => page.subscription().map(Message::Wage),
            Page::PersonChange(page) => page.subscription().map(Message::PersonChange),
            Page::Submit(page) => page.subscription().map(Message::Submit),
            Page::About(_)
            | Page::UnitInfo(_)
            | Page::People(_)
            | Page::Dues(_)
            | Page::Password(_)
            | Page::Settings(_)
            | Page::Backup(_) => Subscription::none(),
            Page::Declarations(page) => page.subscription().map(Message::Declarations),
            Page::Hire(page) => page.subscription().map(Message::Hire),
        }
    }
}
