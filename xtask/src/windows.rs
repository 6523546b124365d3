//! The Windows leg of `cargo xtask test`, on a Linux host: shebao cross-compiled for
//! `x86_64-pc-windows-gnu` with mingw and run under Wine (`xtask/wine/run`, also cargo's runner
//! for that target), against the reference agency running natively on loopback:
//!
//! 1. the unit and integration tests of shebao-core, shebao-store, shebao-workbook and
//!    shebao-sync (`tests/native_agency.rs` talks to the native agency);
//! 2. the command line end to end (`journey.rs`);
//! 3. the window on a private Xvfb: the login screen's screenshot, the start-up beside the
//!    native build's (`window.rs`);
//! 4. the MSI built with wixl, installed, upgraded and removed (`msi.rs`).
//!
//! One debug build serves the tests, the journey, the window and the MSI; the release
//! build with LTO is for `cargo xtask dist --windows` only.
//! What Wine cannot show (a real smart-card service, a real desktop portal) is in the README,
//! with how `.github/workflows/windows-msi.yml` covers it on a real Windows runner.

mod agency;
mod journey;
mod msi;
mod window;
mod wine;
mod xlsx;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{cargo, status};
use agency::NativeAgency;
use wine::{Wine, windows_path};

pub const TARGET: &str = "x86_64-pc-windows-gnu";

/// The crates whose tests run under Wine: everything below the window and the card reader.
const TESTED: [&str; 4] = [
    "shebao-core",
    "shebao-store",
    "shebao-workbook",
    "shebao-sync",
];

/// Ends the prefix's Windows programs however the leg ends.
struct Prefix<'a>(&'a Wine);

impl Drop for Prefix<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

pub fn test() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        eprintln!("xtask: the Windows leg runs on Linux hosts (under Wine); skipped here");
        return Ok(());
    }
    add_target()?;
    let leg = Instant::now();
    let target_dir = crate::dist::target_dir();
    let work = target_dir.join("windows-leg");
    let wine = Wine::new(&target_dir);
    let _prefix = Prefix(&wine);

    let mut native = cargo();
    native.args([
        "build",
        "--locked",
        "-p",
        "shebao-agency",
        "-p",
        "shebao",
        "--bins",
    ]);
    status(native)?;
    let agency_bin = target_dir.join("debug").join("shebao-agency");

    let build = Instant::now();
    let mut tests = cross(&["test", "--no-run"]);
    for package in TESTED {
        tests.args(["-p", package]);
    }
    status(tests)?;
    status(cross(&["build", "-p", "shebao", "--bins"]))?;
    let build = build.elapsed();
    let bin_dir = target_dir.join(TARGET).join("debug");
    check_subsystems(&bin_dir)?;

    let under_wine = Instant::now();
    {
        let agency = NativeAgency::start(&agency_bin, &work.join("agency-tests"))?;
        let mut run = cross(&["test"]);
        for package in TESTED {
            run.args(["-p", package]);
        }
        run.env("SHEBAO_TEST_AGENCY", &agency.url)
            .env("SHEBAO_TEST_AGENCY_DIR", windows_path(&agency.dir));
        status(run)?;
    }
    let tests = under_wine.elapsed();

    let agency = NativeAgency::start(&agency_bin, &work.join("agency-journey"))?;
    let journey = Instant::now();
    journey::run(&wine, &bin_dir, &agency)?;
    let journey = journey.elapsed();
    let start_up = window::check(
        &wine,
        &bin_dir.join("shebao.exe"),
        &target_dir.join("debug").join("shebao"),
        &agency,
        &window::screenshot_path(),
    )?;
    drop(agency);
    let installed = msi::check(&wine, &bin_dir, &work.join("msi"))?;

    let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
    println!(
        "xtask: the Windows leg passed in {}",
        minutes(leg.elapsed())
    );
    println!(
        "  cross-build (tests and programs, debug): {}",
        minutes(build)
    );
    println!(
        "  tests of {} under Wine: {}",
        TESTED.join(", "),
        minutes(tests)
    );
    println!("  command line end to end under Wine: {}", minutes(journey));
    println!(
        "  window start-up to the first frame: {} ms under Wine, {} ms native, ratio {:.1}",
        start_up.wine.as_millis(),
        start_up.native.as_millis(),
        start_up.wine.as_secs_f64() / start_up.native.as_secs_f64()
    );
    println!(
        "  debug build, stripped: shebao.exe {:.1} MB, MSI {:.1} MB; screenshot {}",
        mb(installed.exe_bytes),
        mb(installed.msi_bytes),
        window::screenshot_path().display()
    );
    Ok(())
}

/// `cargo xtask dist --windows`: a release build for Windows and its MSI in `<target>/dist/`.
pub fn dist() -> Result<(), String> {
    add_target()?;
    crate::system::install_missing(&[
        (
            "gcc-mingw-w64-x86-64",
            "cross-compiles the C parts and links the Windows build",
        ),
        ("wixl", "builds the MSI from installer/windows/main.wxs"),
        ("msitools", "msibuild sets the MSI's code page"),
    ])?;
    status(cross(&["build", "--release", "-p", "shebao", "--bins"]))?;
    let target_dir = crate::dist::target_dir();
    let bin_dir = target_dir.join(TARGET).join("release");
    let msi = msi::build(
        &bin_dir,
        env!("CARGO_PKG_VERSION"),
        &target_dir.join("dist"),
    )?;
    eprintln!(
        "xtask: the Windows installer is ready: {} ({:.1} MB)",
        msi.display(),
        size(&msi) as f64 / 1_048_576.0
    );
    Ok(())
}

/// A cargo command for the Windows target.
fn cross(args: &[&str]) -> Command {
    let mut command = cargo();
    command.args(args).args(["--locked", "--target", TARGET]);
    command
}

/// Installs the Rust standard library for the target if rustup lacks it.
fn add_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains(TARGET))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    eprintln!("xtask: adding the Rust target {TARGET} with rustup (the Windows build)");
    let mut add = Command::new("rustup");
    add.args(["target", "add", TARGET]);
    status(add)
}

/// A double-click on shebao.exe opens no console: it is a Windows-subsystem program, while
/// shebao.com (built as shebao-console.exe) is a console program.
fn check_subsystems(bin_dir: &Path) -> Result<(), String> {
    const WINDOWS_GUI: u16 = 2;
    const WINDOWS_CONSOLE: u16 = 3;
    for (file, expected) in [
        ("shebao.exe", WINDOWS_GUI),
        ("shebao-console.exe", WINDOWS_CONSOLE),
    ] {
        let path = bin_dir.join(file);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let subsystem = pe_subsystem(&bytes)
            .ok_or_else(|| format!("{} is not a Windows program", path.display()))?;
        if subsystem != expected {
            return Err(format!(
                "{file} has subsystem {subsystem}, not {expected} (2 window, 3 console)"
            ));
        }
    }
    Ok(())
}

/// The Subsystem field of a PE file's optional header.
fn pe_subsystem(bytes: &[u8]) -> Option<u16> {
    let u16_at = |at: usize| Some(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
    if bytes.get(..2)? != b"MZ" {
        return None;
    }
    let header = u32::from_le_bytes(bytes.get(0x3c..0x40)?.try_into().ok()?) as usize;
    if bytes.get(header..header + 4)? != b"PE\0\0" {
        return None;
    }
    // The optional header follows the 4-byte signature and the 20-byte file header; its
    // Subsystem field is at offset 68 in both PE32 and PE32+.
    u16_at(header + 4 + 20 + 68)
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn minutes(took: Duration) -> String {
    format!("{}m{:02}s", took.as_secs() / 60, took.as_secs() % 60)
}

#[cfg(test)]
mod tests {
    use super::pe_subsystem;

    fn pe(subsystem: u16) -> Vec<u8> {
        let mut bytes = vec![0u8; 0x200];
        bytes[..2].copy_from_slice(b"MZ");
        bytes[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        bytes[0x80..0x84].copy_from_slice(b"PE\0\0");
        let at = 0x80 + 4 + 20 + 68;
        bytes[at..at + 2].copy_from_slice(&subsystem.to_le_bytes());
        bytes
    }

    #[test]
    fn the_subsystem_is_read_from_the_pe_header() {
        assert_eq!(pe_subsystem(&pe(2)), Some(2));
        assert_eq!(pe_subsystem(&pe(3)), Some(3));
        assert_eq!(pe_subsystem(b"\x7fELF"), None);
    }
}
