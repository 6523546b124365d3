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

use crate::{cargo, status, workspace_root};
use agency::NativeAgency;
use wine::{Wine, windows_path};

pub const TARGET: &str = "x86_64-pc-windows-gnu";

/// The crates whose tests run under Wine (everything below the window and the card reader),
/// with their folders.
const TESTED: [(&str, &str); 4] = [
    ("shebao-core", "crates/core"),
    ("shebao-store", "crates/store"),
    ("shebao-workbook", "crates/workbook"),
    ("shebao-sync", "crates/sync"),
];

/// The root package's test that runs `shebao.exe check-id` under Wine. Selecting it makes
/// cargo build the programs in the same invocation as the tests (see `selection`).
const PROGRAMS_TEST: &str = "check_id";

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
    // Already there after the native suite; needed when the leg runs alone.
    crate::system::install_missing(crate::system::TEST_PACKAGES)?;
    add_target()?;
    let leg = Instant::now();
    let target_dir = crate::dist::target_dir();
    let work = target_dir.join("windows-leg");
    let wine = Wine::new(&target_dir);
    let _prefix = Prefix(&wine);
    msi::forget_earlier_install(&wine)?;

    // The agency the Windows build talks to, and the native window the start-up is compared
    // with. A test target in the selection makes cargo resolve features as the native suite's
    // `cargo test --workspace` does (dev-dependencies included; the example is built by it
    // too), so after that suite this builds nothing.
    let mut native = cargo();
    native.args([
        "build",
        "--locked",
        "--workspace",
        "--bin",
        "shebao-agency",
        "--bin",
        "shebao",
        "--examples",
    ]);
    status(native)?;
    let agency_bin = target_dir.join("debug").join("shebao-agency");

    let selection = selection()?;
    let build = Instant::now();
    status(cross_test(&["--no-run"], &selection))?;
    let build = build.elapsed();
    let bin_dir = target_dir.join(TARGET).join("debug");
    check_subsystems(&bin_dir)?;

    let under_wine = Instant::now();
    {
        let agency = NativeAgency::start(&agency_bin, &work.join("agency-tests"))?;
        let mut run = cross_test(&[], &selection);
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
    let installer = Instant::now();
    let installed = msi::check(&wine, &bin_dir, &work.join("msi"))?;
    let installer = installer.elapsed();

    let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
    println!(
        "xtask: the Windows leg passed in {}",
        minutes(leg.elapsed())
    );
    println!(
        "  cross-build (tests and programs, debug without debug information): {}",
        minutes(build)
    );
    println!("  tests under Wine: {}", minutes(tests));
    println!("  command line end to end under Wine: {}", minutes(journey));
    println!(
        "  window start-up to the first frame: {} ms under Wine, {} ms native, ratio {:.1}",
        start_up.wine.as_millis(),
        start_up.native.as_millis(),
        start_up.wine.as_secs_f64() / start_up.native.as_secs_f64()
    );
    println!(
        "  MSI built, installed, upgraded and removed: {}; shebao.exe {:.1} MB (stripped), MSI \
         {:.1} MB",
        minutes(installer),
        mb(installed.exe_bytes),
        mb(installed.msi_bytes),
    );
    println!("  screenshot: {}", window::screenshot_path().display());
    Ok(())
}

/// What the leg builds for Windows and runs under Wine, as `cargo test` arguments: the unit
/// and integration tests of the four crates, and the root package's `check_id` test.
///
/// It is one selection for one cargo invocation because cargo resolves features per
/// invocation, over the packages it selects: the tests and the programs built apart would
/// need most of their dependencies compiled twice, with different features. Selecting an
/// integration test of the root package makes cargo build its programs (shebao.exe and
/// shebao-console.exe) with the tests. `--lib` also selects the root package's unit tests:
/// the window's pages, tested under Wine too. Target names stand for themselves in every
/// selected package, so a test of the four crates must not share its name with one of the
/// root package.
fn selection() -> Result<Vec<String>, String> {
    let mut args: Vec<String> = Vec::new();
    for (package, _) in TESTED {
        args.extend(["-p".into(), package.into()]);
    }
    args.extend(["-p".into(), "shebao".into(), "--lib".into()]);
    let root_tests = integration_tests(&workspace_root())?;
    if !root_tests.iter().any(|name| name == PROGRAMS_TEST) {
        return Err(format!(
            "the root package has no test tests/{PROGRAMS_TEST}.rs, which the Windows leg runs"
        ));
    }
    for (package, dir) in TESTED {
        for name in integration_tests(&workspace_root().join(dir))? {
            if root_tests.contains(&name) {
                return Err(format!(
                    "{package} and the root package both have a test named {name}: the Windows \
                     leg selects tests by name, so rename one of them"
                ));
            }
            args.extend(["--test".into(), name]);
        }
    }
    args.extend(["--test".into(), PROGRAMS_TEST.into()]);
    Ok(args)
}

/// The integration tests of the package in `dir`, as cargo finds them: `tests/NAME.rs` and
/// `tests/NAME/main.rs`.
fn integration_tests(dir: &Path) -> Result<Vec<String>, String> {
    let tests = dir.join("tests");
    let entries = match std::fs::read_dir(&tests) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", tests.display())),
    };
    let mut names = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = if path.is_dir() && path.join("main.rs").is_file() {
            path.file_name()
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            path.file_stem()
        } else {
            None
        };
        if let Some(name) = name {
            names.push(name.to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// `cargo test` for the Windows target with `selection`, in the dev profile without debug
/// information: the tests and programs under Wine need none, and it makes the cross-build
/// several times faster to link and smaller (the native build's profile is left alone).
fn cross_test(args: &[&str], selection: &[String]) -> Command {
    let mut command = cross(&["test"]);
    command
        .args(args)
        .args(selection)
        .env("CARGO_PROFILE_DEV_DEBUG", "0");
    command
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
