//! `shebao.com`, the console companion of `shebao.exe` on Windows.
//!
//! `shebao.exe` is a Windows-subsystem program, so a double-click opens its window and no
//! console. Such a program cannot print to the console it was typed in, and cmd and PowerShell
//! do not wait for its exit code. This program is the same command line built for the console
//! subsystem; the installer puts it beside `shebao.exe` as `shebao.com`, which cmd and PowerShell
//! find first (`.COM` precedes `.EXE` in PATHEXT), so `shebao card` prints and sets
//! `%ERRORLEVEL%`. Without a subcommand it starts the window, `shebao.exe`, and returns at once.
//! ARCHITECTURE.md says why this design and not a console attached at run time.

use std::process::ExitCode;

#[cfg(windows)]
fn main() -> ExitCode {
    use clap::Parser;

    match shebao::cli::Cli::try_parse() {
        Ok(cli) if cli.command.is_none() => open_window(),
        // A subcommand, or help, a version or a mistake for clap to print.
        _ => shebao::cli::main(),
    }
}

/// Starts `shebao.exe` from this program's folder with the same options, and leaves it running.
#[cfg(windows)]
fn open_window() -> ExitCode {
    use std::process::{Command, Stdio};

    let window = match std::env::current_exe() {
        Ok(path) => path.with_file_name("shebao.exe"),
        Err(e) => {
            eprintln!("错误 / error: cannot find shebao.exe beside this program: {e}");
            return ExitCode::from(shebao::cli::exit::FAILED);
        }
    };
    let started = Command::new(&window)
        .args(std::env::args_os().skip(1))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match started {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 / error: cannot start {}: {e}", window.display());
            ExitCode::from(shebao::cli::exit::FAILED)
        }
    }
}

/// Elsewhere `shebao` itself is the command line.
#[cfg(not(windows))]
fn main() -> ExitCode {
    eprintln!(
        "shebao-console is the console companion of the Windows app (shebao.com); here, run \
         `shebao` itself"
    );
    ExitCode::from(2)
}
