//! The work area under the home page's header: the page of the function the clerk opened.
//! Each page is a module with its own `Message`; it answers the home page with an
//! [`Action`], the same for every page, so the header and status bar stay put while pages
//! come and go.

use iced::{Element, Subscription, Task};

use super::about;
use super::function::Function;
use super::hire;
use super::session::Session;

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

pub enum Page {
    About(about::About),
    // Boxed: its table and form are far larger than the other pages.
    Hire(Box<hire::Hire>),
}

#[derive(Debug, Clone)]
pub enum Message {
    About(about::Message),
    Hire(hire::Message),
}

impl Page {
    /// Whether `function` has a page; the home page disables the others.
    pub fn exists(function: Function) -> bool {
        matches!(function, Function::About | Function::Hire)
    }

    /// The page of `function`, and the task that fills it, if it exists.
    pub fn open(function: Function, session: &Session) -> Option<(Page, Task<Message>)> {
        match function {
            Function::About => {
                let (page, task) = about::About::new(session.clone());
                Some((Page::About(page), task.map(Message::About)))
            }
            Function::Hire => {
                let (page, task) = hire::Hire::new(session.clone());
                Some((Page::Hire(Box::new(page)), task.map(Message::Hire)))
            }
            _ => None,
        }
    }

    /// The function whose page this is, for the heading and the highlighted module button.
    pub fn function(&self) -> Function {
        match self {
            Page::About(_) => Function::About,
            Page::Hire(_) => Function::Hire,
        }
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match (self, message) {
            (Page::About(page), Message::About(message)) => {
                page.update(message).map(Message::About)
            }
            (Page::Hire(page), Message::Hire(message)) => page.update(message).map(Message::Hire),
            // A page's late answer after another page replaced it.
            _ => Action::None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match self {
            Page::About(page) => page.view().map(Message::About),
            Page::Hire(page) => page.view().map(Message::Hire),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        match self {
            Page::About(_) => Subscription::none(),
            Page::Hire(page) => page.subscription().map(Message::Hire),
        }
    }
}
