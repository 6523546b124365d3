//! The `shebao` binary: the command line, and the desktop app when no subcommand is given.

use std::process::ExitCode;

fn main() -> ExitCode {
    shebao::cli::main()
}
