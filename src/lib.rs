//! shebao: the desktop client for declaring social-insurance business to the city's agency.
//!
//! With no subcommand it starts the desktop app; every non-interactive job is also a
//! subcommand, for support staff, scripts and HR systems. The binary is a thin `main` over
//! this library so the benches can drive the screens the way the window does.

mod app;
mod bench;
pub mod cli;
pub mod config;
mod i18n;
mod logging;
mod preferences;
pub mod print_model;
pub mod screen;
pub mod widget;
