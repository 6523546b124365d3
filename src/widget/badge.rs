//! A short coloured status word: the reader's state on the login screen, online or offline in
//! the status bar.

use iced::widget::{container, text};
use iced::{Element, Theme};

/// How the state a badge names should strike the clerk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// All is well (a card is read, the agency answers).
    Good,
    /// Waiting on the clerk or on the agency (insert the key, reading…).
    Waiting,
    /// Something the clerk must fix (unreadable card, no service, offline).
    Bad,
}

pub fn badge<'a, Message: 'a>(
    label: impl text::IntoFragment<'a>,
    tone: Tone,
) -> Element<'a, Message> {
    let style = move |theme: &Theme| {
        let palette = theme.extended_palette();
        let pair = match tone {
            Tone::Good => palette.success.weak,
            Tone::Waiting => palette.background.strong,
            Tone::Bad => palette.danger.weak,
        };
        container::Style::default()
            .background(pair.color)
            .color(pair.text)
            .border(iced::border::rounded(4))
    };
    container(text(label).size(13))
        .padding([2, 8])
        .style(style)
        .into()
}
