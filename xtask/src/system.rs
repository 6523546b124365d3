//! System packages and services the tests need, set up on Debian and Ubuntu.

use std::fs::{self, File};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Debian packages the tests need, with the reason for each, so the installer can say why.
pub(crate) const TEST_PACKAGES: &[(&str, &str)] = &[
    ("pcscd", "the PC/SC daemon the UKey tests talk to"),
    (
        "libpcsclite-dev",
        "headers and library to build the pcsc crate",
    ),
    ("pkg-config", "finds libpcsclite when building"),
    (
        "vsmartcard-vpcd",
        "the virtual reader driver the card simulator plugs into",
    ),
    (
        "softhsm2",
        "a PKCS#11 module with file-backed tokens, the real token the PKCS#11 tests log in with",
    ),
    (
        "opensc",
        "pkcs11-tool, which puts the key pair and the unit's certificate on a test token",
    ),
    (
        "desktop-file-utils",
        "desktop-file-validate checks the app's desktop entry",
    ),
    (
        "appstream",
        "appstreamcli checks the app's AppStream metainfo",
    ),
    (
        "systemd",
        "systemd-analyze checks the agency's service unit",
    ),
    (
        "gnome-keyring",
        "a real Secret Service for the keyring tests (gnome-keyring-daemon)",
    ),
    (
        "dbus-daemon",
        "dbus-run-session gives the keyring tests a private session bus",
    ),
    (
        "libsecret-tools",
        "secret-tool finds the store key and the session token the keyring tests wrote",
    ),
    (
        "postgresql",
        "the agency's second backend: its tests and benches run against a throwaway cluster",
    ),
    (
        "poppler-utils",
        "pdftotext and pdftoppm read the printed forms back in shebao-print's tests",
    ),
    // The Windows leg (windows.rs).
    (
        "gcc-mingw-w64-x86-64",
        "cross-compiles the C parts (SQLCipher, OpenSSL, ring) and links the Windows build",
    ),
    (
        "wine64",
        "runs the Windows build's tests, command line, window and installer",
    ),
    (
        "wixl",
        "builds the Windows MSI from installer/windows/main.wxs",
    ),
    (
        "msitools",
        "msiinfo and msibuild read and finish the MSI's tables",
    ),
    (
        "xvfb",
        "the display the Windows build's window opens on under Wine",
    ),
    (
        "imagemagick",
        "captures the Windows window's screenshot and checks it is not blank",
    ),
];

const PCSCD_SOCKET: &str = "/run/pcscd/pcscd.comm";
const PCSCD_PID: &str = "/run/pcscd/pcscd.pid";

/// Services started for a test run; they stop when this is dropped.
pub struct Services {
    pcscd: Option<Child>,
}

impl Drop for Services {
    fn drop(&mut self) {
        if let Some(mut child) = self.pcscd.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Debian packages the desktop window needs at run time: none, since the window carries its
/// own Chinese font (assets/fonts); kept so a future run-time need has its place.
pub const RUN_PACKAGES: &[(&str, &str)] = &[];

pub fn prepare_for_tests() -> Result<Services, String> {
    if !cfg!(target_os = "linux") {
        return Ok(Services { pcscd: None });
    }
    install_missing(TEST_PACKAGES)?;
    let pcscd = start_pcscd()?;
    Ok(Services { pcscd })
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

pub(crate) fn install_missing(packages: &[(&str, &str)]) -> Result<(), String> {
    if !Path::new("/usr/bin/dpkg-query").exists() {
        eprintln!("xtask: not a Debian/Ubuntu system; install these yourself if tests fail:");
        for (name, why) in packages {
            eprintln!("  {name}: {why}");
        }
        return Ok(());
    }
    let missing: Vec<&(&str, &str)> = packages.iter().filter(|(p, _)| !is_installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing these system packages with apt:");
    for (name, why) in &missing {
        eprintln!("  {name}: {why}");
    }
    let apt = |args: &[&str]| -> Result<(), String> {
        let mut command = if is_root() {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        crate::status(command)
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(missing.iter().map(|(name, _)| *name));
    apt(&install)
}

/// Starts pcscd in the foreground of a child process unless one already answers on its socket.
fn start_pcscd() -> Result<Option<Child>, String> {
    if Path::new(PCSCD_SOCKET).exists() && pcscd_answers() {
        return Ok(None);
    }
    // A pcscd that died leaves its pid file and socket behind, and a new one refuses to start.
    let _ = fs::remove_file(PCSCD_PID);
    let _ = fs::remove_file(PCSCD_SOCKET);
    let log_path = std::env::temp_dir().join("shebao-test-pcscd.log");
    let log = File::create(&log_path).map_err(|e| format!("cannot write {log_path:?}: {e}"))?;
    let log_err = log
        .try_clone()
        .map_err(|e| format!("cannot write {log_path:?}: {e}"))?;
    let mut command = if is_root() {
        Command::new("pcscd")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("pcscd");
        sudo
    };
    let child = command
        .arg("--foreground")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("could not start pcscd: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if Path::new(PCSCD_SOCKET).exists() {
            eprintln!("xtask: pcscd started (log: {})", log_path.display());
            return Ok(Some(child));
        }
        thread::sleep(Duration::from_millis(50));
    }
    Err(format!(
        "pcscd did not create {PCSCD_SOCKET} within 15 s; see {}",
        log_path.display()
    ))
}

/// A leftover socket without a daemon behind it must not be mistaken for a running pcscd.
#[cfg(unix)]
fn pcscd_answers() -> bool {
    std::os::unix::net::UnixStream::connect(PCSCD_SOCKET).is_ok()
}

#[cfg(not(unix))]
fn pcscd_answers() -> bool {
    false
}
