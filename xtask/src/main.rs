//! `cargo xtask <command>`: the developer commands the README promises.
//!
//! - `run [-- ARGS]`: start shebao on its embedded default: the local demo agency and the
//!   simulated UKey (see `demo.rs`).
//! - `test [--long] [--no-windows | --only-windows]`: install the system packages the tests
//!   need, start the services they talk to, and run every test of the workspace; then the
//!   keyring tests again against a real Secret Service (see `keyring.rs`), the agency's tests
//!   again on PostgreSQL (see `postgres.rs`), and last the Windows build under Wine (see
//!   `windows.rs`), which `--no-windows` skips for a quick local run (never in CI);
//!   `--only-windows` runs that leg alone.
//! - `bench`: run the benchmarks whose figures the issues name.
//! - `dist [icons | --windows]`: build the Debian packages of the app and the agency (see
//!   `dist.rs`), remake the icons from their SVG, or build the Windows MSI.
//! - `fuzz [--seconds N] [TARGET…]`: run the libFuzzer targets of `fuzz/` (see `fuzz.rs`).
//! - `bench startup`: the window's start-up time and memory (see `figures.rs`).
//! - `screenshots`: every screen, and the first page of every printed form, as a PNG under
//!   target/screenshots/.
//! - `font [print]`: remake the window's Chinese font subset, or the print font (see `font.rs`).
//!
//! On Linux the system set-up uses apt (as root, or through sudo) and says what it installs; on
//! other platforms these commands run cargo alone.

mod demo;
mod dist;
mod dist_icons;
#[cfg(test)]
mod dist_tests;
mod figures;
mod font;
mod fuzz;
mod keyring;
mod postgres;
mod print_screens;
mod screenshots;
mod softhsm;
mod system;
mod windows;

use std::env;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let mut args = env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("run") => demo::run(&rest),
        Some("test") => test(&rest),
        Some("bench") if rest.first().is_some_and(|a| a == "startup") => figures::run(&rest),
        Some("bench") => bench(&rest),
        Some("dist") => dist::run(&rest),
        Some("fuzz") => fuzz::run(&rest),
        Some("screenshots") => screenshots::run().and_then(|()| print_screens::run()),
        Some("font") => font::run(&rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [-- ARGS] | test [--long] [--no-windows | --only-windows] | bench [startup] | dist [icons | --windows] | fuzz [--seconds N] [TARGET…] | font [print] | screenshots>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn cargo() -> Command {
    let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

fn status(mut command: Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn test(args: &[String]) -> Result<(), String> {
    // The Windows leg alone, for work on it.
    if args.iter().any(|a| a == "--only-windows") {
        return windows::test();
    }
    let long = args.iter().any(|a| a == "--long");
    let services = system::prepare_for_tests()?;
    let mut command = cargo();
    command.args(["test", "--workspace", "--locked"]);
    if long {
        command.env("SHEBAO_TEST_LONG", "1");
    }
    let tokens = softhsm::prepare(&mut command)?;
    let outcome = status(command)
        .and_then(|()| keyring::test())
        .and_then(|()| postgres::test_agency());
    drop((services, tokens));
    outcome?;
    if args.iter().any(|a| a == "--no-windows") {
        return Ok(());
    }
    windows::test()
}

fn bench(args: &[String]) -> Result<(), String> {
    // Held until the benches are done: dropping it stops the pcscd they talk to.
    let services = system::prepare_for_tests()?;
    let cluster = postgres::for_benches()?;
    let mut command = cargo();
    command
        .args(["bench", "--workspace", "--locked"])
        .args(args);
    if let Some(cluster) = &cluster {
        command.env("SHEBAO_BENCH_POSTGRES", cluster.url());
    }
    let tokens = softhsm::prepare(&mut command)?;
    let outcome = status(command);
    drop((cluster, tokens));
    drop(services);
    outcome
}
