//! Pieces the screens share: a form field with its label and its error, and a status badge.

pub mod badge;
pub mod field;

pub use badge::{Tone, badge};
pub use field::Field;
