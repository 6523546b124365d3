//! What the hire page's tests share: running a page's tasks to their messages the way the
//! runtime would, and typing into the field the cursor is in.

use std::collections::VecDeque;

use iced::Task;
use iced::futures::StreamExt;
use iced_test::simulator;

use super::{Hire, Message};
use crate::screen::function::Function;
use crate::screen::page::Action;

/// What the page asked of the home page around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    StoreChanged,
    Open(Function),
    Close,
    LoginRequired,
}

/// The messages a task produces (its jobs run to the end; widget operations such as focus
/// are left out: the page keeps its own record of the field the cursor is in).
pub fn outputs<M: Send + 'static>(task: Task<M>) -> Vec<M> {
    let Some(stream) = iced_runtime::task::into_stream(task) else {
        return Vec::new();
    };
    iced::futures::executor::block_on(
        stream
            .filter_map(|action| async move {
                match action {
                    iced_runtime::Action::Output(message) => Some(message),
                    _ => None,
                }
            })
            .collect(),
    )
}

/// Hand `message` to the page and every message its tasks produce after it, as the runtime
/// does; what the page asked of the home page, in order.
pub fn drive(page: &mut Hire, message: Message) -> Vec<Asked> {
    let mut queue = VecDeque::from([message]);
    let mut asked = Vec::new();
    while let Some(message) = queue.pop_front() {
        match page.update(message) {
            Action::None => {}
            Action::Run(task) => queue.extend(outputs(task)),
            Action::StoreChanged => asked.push(Asked::StoreChanged),
            Action::Open(function) => asked.push(Asked::Open(function)),
            Action::Close => asked.push(Asked::Close),
            Action::LoginRequired => asked.push(Asked::LoginRequired),
        }
    }
    asked
}

/// Type `text` into the form's field that has the cursor, one key at a time with a new frame
/// after each, as the window does. (The simulator starts each frame with no focus, so the
/// field is clicked first; the page moved the cursor there itself.)
pub fn type_here(page: &mut Hire, text: &str) {
    for key in text.chars() {
        let messages = {
            let field = page.form().expect("the form is open").focus;
            let mut ui = simulator(page.view());
            ui.click(field.id())
                .expect("the field with the cursor is shown");
            // The click put the text cursor where it landed; focus by Tab puts it at the end.
            ui.tap_key(iced::keyboard::key::Named::End);
            ui.typewrite(&key.to_string());
            ui.into_messages().collect::<Vec<_>>()
        };
        for message in messages {
            drive(page, message);
        }
    }
}

/// Press Enter in the field that has the cursor.
pub fn enter_here(page: &mut Hire) -> Vec<Asked> {
    let messages = {
        let field = page.form().expect("the form is open").focus;
        let mut ui = simulator(page.view());
        ui.click(field.id())
            .expect("the field with the cursor is shown");
        ui.tap_key(iced::keyboard::key::Named::Enter);
        ui.into_messages().collect::<Vec<_>>()
    };
    messages
        .into_iter()
        .flat_map(|message| drive(page, message))
        .collect()
}

/// Whether the page's view shows `text`.
pub fn shows(page: &Hire, text: &str) -> bool {
    simulator(page.view()).find(text).is_ok()
}

/// A valid resident ID number of a person born in 1990, `n` below 1000.
pub fn person(n: u32) -> String {
    let body = format!("350102199003{:02}{:03}", 1 + n % 28, n % 1000);
    let check = shebao_core::id::check_character(&body).expect("17 digits");
    format!("{body}{check}")
}
