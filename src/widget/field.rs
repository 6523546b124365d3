//! A labelled form field with its error beside it, as the seed system's forms show them: the
//! label on the left (with `*` when required), the input, then the error in red on the same row
//! so the clerk sees which field it concerns.

use std::borrow::Cow;

use iced::widget::{row, text};
use iced::{Alignment, Element, Length};

/// Width of the label column, so the inputs of one form line up.
pub const LABEL_WIDTH: f32 = 100.0;

pub struct Field<'a, Message> {
    label: Cow<'a, str>,
    required: bool,
    error: Option<&'a str>,
    input: Element<'a, Message>,
}

impl<'a, Message: 'a> Field<'a, Message> {
    pub fn new(label: impl Into<Cow<'a, str>>, input: impl Into<Element<'a, Message>>) -> Self {
        Self {
            label: label.into(),
            required: false,
            error: None,
            input: input.into(),
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn error(mut self, error: Option<&'a str>) -> Self {
        self.error = error;
        self
    }
}

impl<'a, Message: 'a> From<Field<'a, Message>> for Element<'a, Message> {
    fn from(field: Field<'a, Message>) -> Self {
        let label = if field.required {
            format!("* {}", field.label)
        } else {
            field.label.into_owned()
        };
        let error = field
            .error
            .map(|e| text(e).size(13).style(text::danger).width(Length::Fill));
        row![text(label).width(LABEL_WIDTH), field.input]
            .push(error)
            .spacing(10)
            .align_y(Alignment::Center)
            .into()
    }
}
