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
// The journeys hold the reference agency in the test's process, which the Windows build under
// Wine does not (crates/sync/tests/common): they run on Linux only.
#[cfg(all(test, not(windows)))]
mod journey_decl_tests;
#[cfg(all(test, not(windows)))]
mod journey_tests;
pub mod leave;
pub mod login;
pub mod notices;
pub mod page;
pub mod password;
pub mod people;
pub mod person_change;
pub mod person_history;
#[cfg(all(test, not(windows)))]
mod pkcs11_journey_tests;
pub mod poll;
#[cfg(all(test, not(windows)))]
mod screenshots;
pub mod session;
pub mod settings;
pub mod submit;
#[cfg(test)]
mod testing;
pub mod unit_change;
pub mod unit_info;
pub mod wage;
