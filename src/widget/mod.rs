//! Pieces the screens share: a form field with its label and its error, a status badge, a
//! windowed table for long lists, a searchable code-table choice and a date input.

pub mod badge;
pub mod code_choice;
pub mod date_input;
pub mod field;
pub mod roster_picker;
pub mod table;

pub use badge::{Tone, badge};
pub use code_choice::CodeChoice;
pub use field::Field;
