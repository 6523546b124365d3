//! The screens of the desktop app. Each has its own `Message`, an `update` that answers with an
//! `Action` for the app (run a task, or a transition only the app can make) and a `view`.

pub mod about;
pub mod backup;
pub mod card_status;
pub mod declarations;
pub mod drafting;
pub mod dues;
pub mod export;
pub mod failure;
pub mod function;
pub mod hire;
pub mod home;
pub mod import;
// The journeys and screenshots hold the reference agency in the test's process, which the
// Windows build under Wine does not (crates/sync/tests/common): each file opens with
// `#![cfg(not(windows))]`, inside `cfg(test)` so that clippy still treats it as test code.
#[cfg(test)]
mod journey_decl_tests;
#[cfg(test)]
mod journey_tests;
pub mod leave;
pub mod login;
pub mod notices;
pub mod page;
pub mod password;
pub mod people;
pub mod person_change;
pub mod person_history;
#[cfg(test)]
mod pkcs11_journey_tests;
pub mod poll;
#[cfg(test)]
mod screenshots;
pub mod session;
pub mod settings;
pub mod submit;
#[cfg(test)]
mod testing;
pub mod unit_change;
pub mod unit_info;
pub mod wage;
