//! The `shebao` binary: the command line, and the desktop app when no subcommand is given.

// On Windows a double-click opens the window with no console behind it, in debug builds too, so
// that the tests run what ships. The command line in a console is shebao.com
// (src/bin/shebao-console.rs); a redirected stdout still receives this program's output.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    shebao::cli::main()
}
