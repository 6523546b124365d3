//! shebao: the desktop client for declaring social-insurance business to the city's agency.
//!
//! With no subcommand it will start the desktop app; every non-interactive job is also a
//! subcommand, for support staff, scripts and HR systems.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
