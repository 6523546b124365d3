//! Pieces the screens share: a form field with its label and its error, a status badge, and a
//! windowed table for long lists.

pub mod badge;
pub mod field;
pub mod roster_picker;
#[allow(dead_code)] // The list pages use it as they land.
pub mod table;

pub use badge::{Tone, badge};
pub use field::Field;
