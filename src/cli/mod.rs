//! The `shebao` command line: parsing and dispatch. Each subcommand lives in its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check_id;

/// Exit codes a script can rely on.
pub mod exit {
    /// The job was done.
    pub const OK: u8 = 0;
    /// The input was wrong (a bad identity number, a bad file): fix the input and run again.
    pub const BAD_INPUT: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "shebao",
    version,
    about = "社保网上申报客户端 — declare social-insurance business to the agency"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check identity numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).
    CheckId(check_id::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::CheckId(args)) => check_id::run(args),
        None => {
            eprintln!(
                "The desktop window is not part of this build yet; run `shebao --help` for the \
                 commands that are."
            );
            ExitCode::from(exit::OK)
        }
    }
}
