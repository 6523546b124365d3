//! The hire page's keys. They are read from every keyboard event, including those a text
//! input took: the input takes Esc (to drop its focus) and the page still closes the form.

use iced::keyboard::{self, Key as Pressed, key::Named};
use iced::{Event, Subscription, event};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Tab {
        back: bool,
    },
    Escape,
    /// Ctrl+N: 职工新参保
    New,
    /// Ctrl+R: 职工续保
    Resume,
    /// Ctrl+E: 修改一行
    Edit,
    /// Delete: 删除
    Delete,
    /// Ctrl+Enter: 去提交
    Submit,
    /// Enter outside any input: confirm, or edit the selected row.
    Enter,
    Up,
    Down,
}

pub fn listen() -> Subscription<Key> {
    event::listen_with(key_of)
}

/// The page's key of a key press, if it has one. Keys an input uses itself (Delete, the
/// arrows, Enter) count only when no input took them.
pub fn key_of(event: Event, status: event::Status, _window: iced::window::Id) -> Option<Key> {
    let Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) = event else {
        return None;
    };
    let free = status == event::Status::Ignored;
    match key.as_ref() {
        Pressed::Named(Named::Tab) => Some(Key::Tab {
            back: modifiers.shift(),
        }),
        Pressed::Named(Named::Escape) => Some(Key::Escape),
        Pressed::Named(Named::Enter) if modifiers.command() => Some(Key::Submit),
        Pressed::Named(Named::Enter) if free => Some(Key::Enter),
        Pressed::Named(Named::Delete) if free => Some(Key::Delete),
        Pressed::Named(Named::ArrowUp) if free => Some(Key::Up),
        Pressed::Named(Named::ArrowDown) if free => Some(Key::Down),
        Pressed::Character(c) if modifiers.command() => match c {
            "n" | "N" => Some(Key::New),
            "r" | "R" => Some(Key::Resume),
            "e" | "E" => Some(Key::Edit),
            _ => None,
        },
        _ => None,
    }
}
