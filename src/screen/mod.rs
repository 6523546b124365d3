//! The screens of the desktop app. Each has its own `Message`, an `update` that answers with an
//! `Action` for the app (run a task, or a transition only the app can make) and a `view`.

pub mod about;
pub mod card_status;
pub mod failure;
pub mod function;
pub mod home;
#[cfg(test)]
mod journey_tests;
pub mod login;
pub mod notices;
pub mod page;
pub mod password;
pub mod poll;
#[cfg(test)]
mod screenshots;
pub mod session;
#[cfg(test)]
mod testing;
