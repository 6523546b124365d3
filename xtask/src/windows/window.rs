//! The window of the Windows build under Wine, on a private Xvfb: it renders the login screen
//! (saved as `target/screenshots/windows-login.png` and checked for more than a blank frame),
//! and its start-up to the first frame is timed beside the native build's.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::agency::NativeAgency;
use super::wine::{Wine, printed, windows_path};

/// A screenshot with fewer colours than this is blank or a bare background.
const FEWEST_COLOURS: u64 = 64;
const WAIT_FOR_WINDOW: Duration = Duration::from_secs(120);

/// A child process ended when this is dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct StartUp {
    pub wine: Duration,
    pub native: Duration,
}

/// Renders the login screen under Wine, saves it to `screenshot`, and times the start-up
/// of `windows_exe` under Wine against `native_exe`.
pub fn check(
    wine: &Wine,
    windows_exe: &Path,
    native_exe: &Path,
    agency: &NativeAgency,
    screenshot: &Path,
) -> Result<StartUp, String> {
    let (_xvfb, display) = xvfb()?;
    let scratch = screenshot.with_extension("data");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;

    let mut window = wine.command(windows_exe);
    window
        .env("DISPLAY", &display)
        .env("SHEBAO_AGENCY", &agency.url)
        .env("SHEBAO_CA", windows_path(&agency.ca()))
        .env("SHEBAO_SIM_CARD", windows_path(&agency.demo_card()))
        .env("SHEBAO_DATA_DIR", windows_path(&scratch.join("windows")))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let running = Running(
        window
            .spawn()
            .map_err(|e| format!("cannot start the window under Wine: {e}"))?,
    );
    let captured = capture_when_drawn(&display, screenshot);
    drop(running);
    wine.stop();
    captured?;

    let first_frame = |mut command: Command| -> Result<Duration, String> {
        command
            .env("DISPLAY", &display)
            .env("SHEBAO_BENCH", "first-frame")
            .env("ICED_BACKEND", "tiny-skia")
            .env("SHEBAO_STORE_PASSPHRASE", "start-up")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("cannot start the window: {e}"))?;
        if !status.success() {
            return Err(format!(
                "the window did not reach its first frame ({status})"
            ));
        }
        Ok(started.elapsed())
    };
    let mut native = Command::new(native_exe);
    native.env("SHEBAO_DATA_DIR", scratch.join("native"));
    let native = first_frame(native)?;
    let mut under_wine = wine.command(windows_exe);
    under_wine.env("SHEBAO_DATA_DIR", windows_path(&scratch.join("windows")));
    let under_wine = first_frame(under_wine)?;
    Ok(StartUp {
        wine: under_wine,
        native,
    })
}

/// Captures the screen every second until it shows a drawn window, then keeps that picture.
fn capture_when_drawn(display: &str, screenshot: &Path) -> Result<(), String> {
    if let Some(dir) = screenshot.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let deadline = Instant::now() + WAIT_FOR_WINDOW;
    let mut colours = 0;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_secs(1));
        let mut import = Command::new("import");
        import
            .args(["-display", display, "-window", "root"])
            .arg(screenshot);
        let out = super::wine::run(import)?;
        if !out.status.success() {
            return Err(format!(
                "import could not capture the screen:\n{}",
                printed(&out)
            ));
        }
        colours = unique_colours(screenshot)?;
        if colours >= FEWEST_COLOURS {
            return Ok(());
        }
    }
    Err(format!(
        "the window drew no login screen within {} s ({colours} colours on screen); see {}",
        WAIT_FOR_WINDOW.as_secs(),
        screenshot.display()
    ))
}

fn unique_colours(png: &Path) -> Result<u64, String> {
    let mut identify = Command::new("identify");
    identify.args(["-format", "%k"]).arg(png);
    let out = super::wine::run(identify)?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| {
            format!(
                "identify could not read {}:\n{}",
                png.display(),
                printed(&out)
            )
        })
}

/// A private X server on a free display number, which Xvfb picks and reports itself.
fn xvfb() -> Result<(Running, String), String> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x1024x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let mut number = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut number);
    }
    let running = Running(child);
    let number = number.trim();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return Err("Xvfb did not report its display".into());
    }
    Ok((running, format!(":{number}")))
}

/// Where the leg's screenshot goes: `target/screenshots/`, beside the native ones.
pub fn screenshot_path() -> PathBuf {
    crate::workspace_root()
        .join("target")
        .join("screenshots")
        .join("windows-login.png")
}
