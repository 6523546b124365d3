//! `cargo xtask fuzz [--seconds N] [TARGET…]`: run each libFuzzer target of `fuzz/` for N
//! seconds (60 by default), starting from its committed seeds, and report what each run did.
//!
//! The seeds under `fuzz/corpus/<target>/` stay as committed: what a run discovers goes to
//! `target/fuzz-corpus/<target>/`, which the next run starts from as well. A crash stops the run
//! of that target, keeps its input under `fuzz/artifacts/<target>/`, and fails the command; the
//! input then belongs in a regression test of the crate concerned.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::workspace_root;

const DEFAULT_SECONDS: u64 = 60;

/// What one target's run did, from libFuzzer's final statistics.
struct RunReport {
    target: String,
    executions: Option<u64>,
    per_second: Option<u64>,
    crashed: bool,
    log: PathBuf,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let (seconds, wanted) = parse_args(args)?;
    let root = workspace_root();
    let fuzz_dir = root.join("fuzz");
    let all = targets(&fuzz_dir)?;
    let chosen: Vec<String> = if wanted.is_empty() {
        all
    } else {
        for name in &wanted {
            if !all.contains(name) {
                return Err(format!(
                    "there is no fuzz target {name}; the targets are: {}",
                    all.join(", ")
                ));
            }
        }
        wanted
    };
    ensure_cargo_fuzz()?;

    eprintln!("xtask: building the fuzz targets (nightly, AddressSanitizer)");
    let mut build = nightly_cargo(&fuzz_dir);
    build.args(["fuzz", "build"]);
    crate::status(build)?;

    let scratch = root.join("target").join("fuzz-corpus");
    let logs = root.join("target").join("fuzz-logs");
    fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let mut reports = Vec::new();
    for target in &chosen {
        eprintln!("xtask: fuzzing {target} for {seconds} s");
        reports.push(run_target(&fuzz_dir, &scratch, &logs, target, seconds)?);
    }

    println!(
        "{:<18} {:>14} {:>10}  result",
        "target", "executions", "exec/s"
    );
    for r in &reports {
        let shown = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
        println!(
            "{:<18} {:>14} {:>10}  {}",
            r.target,
            shown(r.executions),
            shown(r.per_second),
            if r.crashed {
                format!("CRASH (see {})", r.log.display())
            } else {
                "no crash".to_owned()
            }
        );
    }
    let crashed: Vec<&str> = reports
        .iter()
        .filter(|r| r.crashed)
        .map(|r| r.target.as_str())
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} crashed; the inputs are under fuzz/artifacts/ (reproduce with `cargo +nightly fuzz run <target> <file>`)",
            crashed.join(", ")
        ))
    }
}

fn parse_args(args: &[String]) -> Result<(u64, Vec<String>), String> {
    let mut seconds = DEFAULT_SECONDS;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = args
                    .next()
                    .ok_or("--seconds needs a number of seconds, e.g. --seconds 60")?;
                seconds = value
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("--seconds {value}: give a whole number above 0"))?;
            }
            other if other.starts_with('-') => {
                return Err(format!(
                    "unknown option {other}; usage: cargo xtask fuzz [--seconds N] [TARGET…]"
                ));
            }
            target => targets.push(target.to_owned()),
        }
    }
    Ok((seconds, targets))
}

/// The targets are the `[[bin]]`s of `fuzz/Cargo.toml`, so adding one there is enough.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let manifest = fuzz_dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut names = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin && let Some(value) = line.strip_prefix("name") {
            let name = value.trim_start().trim_start_matches('=').trim();
            names.push(name.trim_matches('"').to_owned());
        }
    }
    if names.is_empty() {
        return Err(format!("{} names no fuzz target", manifest.display()));
    }
    Ok(names)
}

fn nightly_cargo(dir: &Path) -> Command {
    // `rustup run` rather than `cargo +nightly`: under `cargo xtask`, `cargo` may already be the
    // stable toolchain's own binary, which does not understand `+nightly`.
    let mut command = Command::new("rustup");
    command.args(["run", "nightly", "cargo"]).current_dir(dir);
    // What `cargo run` put into xtask's environment describes xtask, not the fuzz build, and
    // some build scripts take a changed variable as a reason to build everything again.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let from_cargo_run = name == "CARGO"
            || name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(
                name.as_ref(),
                "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE"
            )
            || name == "LD_LIBRARY_PATH"
            || name.starts_with("RUSTUP_TOOLCHAIN");
        if from_cargo_run {
            command.env_remove(name.as_ref());
        }
    }
    command
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    eprintln!("xtask: installing cargo-fuzz (cargo install cargo-fuzz --locked)");
    let mut install = Command::new("cargo");
    install.args(["install", "cargo-fuzz", "--locked"]);
    crate::status(install).map_err(|e| {
        format!("{e}; fuzzing also needs the nightly toolchain: rustup toolchain install nightly")
    })
}

fn run_target(
    fuzz_dir: &Path,
    scratch: &Path,
    logs: &Path,
    target: &str,
    seconds: u64,
) -> Result<RunReport, String> {
    let found = scratch.join(target);
    fs::create_dir_all(&found).map_err(|e| format!("cannot create {}: {e}", found.display()))?;
    let seeds = fuzz_dir.join("corpus").join(target);
    let log = logs.join(format!("{target}.log"));
    let mut command = nightly_cargo(fuzz_dir);
    command
        .args(["fuzz", "run", target])
        .arg(&found)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        // One input that takes seconds is a hang worth reporting, not patience.
        .arg("-timeout=10")
        .arg("-print_final_stats=1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let output = command
        .output()
        .map_err(|e| format!("could not start cargo fuzz run {target}: {e}"))?;
    let text = String::from_utf8_lossy(&output.stderr);
    fs::write(&log, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    Ok(RunReport {
        target: target.to_owned(),
        executions: stat(&text, "stat::number_of_executed_units:"),
        per_second: stat(&text, "stat::average_exec_per_sec:"),
        crashed: !output.status.success(),
        log,
    })
}

fn stat(output: &str, name: &str) -> Option<u64> {
    output
        .lines()
        .find_map(|line| line.trim().strip_prefix(name))
        .and_then(|value| value.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_of_the_fuzz_manifest_is_found() {
        let fuzz_dir = workspace_root().join("fuzz");
        let found = targets(&fuzz_dir).expect("targets");
        for name in &found {
            assert!(
                fuzz_dir.join("corpus").join(name).is_dir(),
                "{name} has no seed corpus"
            );
        }
        assert!(found.iter().any(|t| t == "card_answers"), "{found:?}");
    }

    #[test]
    fn the_final_statistics_are_read() {
        let log = "Done 1234 runs in 61 second(s)\nstat::number_of_executed_units: 1234\nstat::average_exec_per_sec:     20\n";
        assert_eq!(stat(log, "stat::number_of_executed_units:"), Some(1234));
        assert_eq!(stat(log, "stat::average_exec_per_sec:"), Some(20));
    }

    #[test]
    fn seconds_must_be_a_whole_number() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            parse_args(&args(&["--seconds", "5", "credit_code"])),
            Ok((5, vec!["credit_code".to_owned()]))
        );
        assert!(parse_args(&args(&["--seconds", "soon"])).is_err());
        assert!(parse_args(&args(&["--seconds"])).is_err());
    }
}
