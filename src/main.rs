//! shebao: the desktop client for declaring social-insurance business to the city's agency.
//!
//! With no subcommand it starts the desktop app; every non-interactive job is also a
//! subcommand, for support staff, scripts and HR systems.

mod app;
mod bench;
mod cli;
mod i18n;
mod logging;
mod preferences;
mod screen;
mod widget;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
