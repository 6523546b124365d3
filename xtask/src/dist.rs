//! `cargo xtask dist`: the installers.
//!
//! - `dist` (Linux): a release build of the app and the agency, then, with cargo-deb, the two
//!   Debian packages in `<target>/dist/`: `shebao` (the app with its desktop entry, icons and
//!   AppStream metainfo) and `shebao-agency` (the server as a hardened systemd service). What
//!   goes into each is the `[package.metadata.deb]` of its Cargo.toml.
//! - `dist icons`: remake the committed PNG and ICO icons from `assets/icons/shebao.svg`.
//!
//! - `dist --windows` (Linux): a release build for Windows and its MSI, built with wixl from
//!   `installer/windows/main.wxs` (see `windows/msi.rs`); on Windows, `cargo wix` builds the
//!   same source, as `.github/workflows/windows-msi.yml` does.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::{cargo, dist_icons, status, system};

/// The cargo-deb release line whose metadata keys (systemd-units, sysusers) the manifests use.
const CARGO_DEB: &str = "cargo-deb@^3";

/// Debian packages the release build and cargo-deb need, with the reason for each.
const BUILD_PACKAGES: &[(&str, &str)] = &[
    (
        "libpcsclite-dev",
        "headers and library to build the pcsc crate",
    ),
    ("pkg-config", "finds libpcsclite when building"),
    (
        "dpkg-dev",
        "dpkg-shlibdeps, with which cargo-deb lists the libraries the binaries link",
    ),
];

const NOT_LINUX: &str = "`cargo xtask dist` builds the Debian packages and runs on Linux only; \
    on Windows build the MSI with `cargo wix` as .github/workflows/windows-msi.yml does";

/// The packages `dist` makes: (cargo package, what it is).
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("shebao", "the desktop app"),
    ("shebao-agency", "the agency server as a systemd service"),
];

pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        None => debian_packages(),
        Some("icons") => dist_icons::regenerate(),
        Some("--windows") => crate::windows::dist(),
        Some(other) => Err(format!(
            "unknown `dist` command {other:?}: use `cargo xtask dist` for the Debian packages, \
             `cargo xtask dist --windows` for the MSI or `cargo xtask dist icons` to remake the \
             icons from the SVG"
        )),
    }
}

fn debian_packages() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Err(NOT_LINUX.into());
    }
    system::install_missing(BUILD_PACKAGES)?;
    ensure_cargo_deb()?;

    let mut build = cargo();
    build.args(["build", "--release", "--locked"]);
    for (package, _) in DEBIAN_PACKAGES {
        build.args(["--package", package]);
    }
    status(build)?;

    let out_dir = target_dir().join("dist");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let mut made = Vec::new();
    for (package, what) in DEBIAN_PACKAGES {
        let deb = cargo_deb(package, &out_dir)?;
        made.push((deb, *what));
    }
    eprintln!("xtask: the Debian packages are ready:");
    for (deb, what) in &made {
        eprintln!("  {}  ({what})", deb.display());
    }
    eprintln!("xtask: install one with `sudo apt install ./<file>.deb`");
    Ok(())
}

/// Makes sure `cargo deb` answers, installing cargo-deb with cargo when it is missing.
fn ensure_cargo_deb() -> Result<(), String> {
    let answers = cargo()
        .args(["deb", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if answers {
        return Ok(());
    }
    eprintln!(
        "xtask: cargo-deb is not installed; installing it with `cargo install {CARGO_DEB} \
         --locked` (once; it takes a few minutes)"
    );
    let mut install = cargo();
    install.args(["install", CARGO_DEB, "--locked"]);
    // Its build belongs to cargo's own temporary folder, not to this workspace's target.
    install
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_BUILD_DIR");
    status(install).map_err(|e| {
        format!(
            "{e}\nxtask: install cargo-deb yourself with `cargo install {CARGO_DEB} --locked`, \
             then run `cargo xtask dist` again"
        )
    })
}

/// Packs one package from the release build made just before; returns the .deb's path.
fn cargo_deb(package: &str, out_dir: &Path) -> Result<PathBuf, String> {
    let mut command = cargo();
    command
        .args(["deb", "--no-build", "--package", package, "--output"])
        .arg(out_dir);
    let shown = format!("{command:?}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{shown} failed ({})", output.status));
    }
    // cargo-deb prints the path of the package it wrote as its last line.
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.ends_with(".deb"))
        .map(PathBuf::from)
        .ok_or_else(|| format!("{shown} did not say which .deb it wrote; look in {out_dir:?}"))
}

/// Where cargo puts the release build (and so the packages): CARGO_TARGET_DIR or `target/`.
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"))
}
