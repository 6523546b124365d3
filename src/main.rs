//! The `shebao` binary: the command line, and the desktop app when no subcommand is given.

// A release build on Windows opens no console window behind the app; the command line still
// prints when started from one.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    shebao::cli::main()
}
