//! `cargo xtask bench startup`: the desktop window's figures, on a release build with the
//! software renderer (under Xvfb when there is no display).
//!
//! - Start-up: process start to the first frame of the login screen (`SHEBAO_BENCH=first-frame`
//!   makes the window exit there), against `examples/bare_window.rs` measured the same way;
//!   the median of several runs each.
//! - Memory: resident memory with the home page open after a login to the demo agency
//!   (`SHEBAO_BENCH=home`; the token comes from a `shebao login` on the command line first).

use std::env;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const RUNS: usize = 7;
const LISTEN: &str = "127.0.0.1:8453";
const DISPLAY: &str = ":87";
const PASSPHRASE: &str = "shebao-bench";
const NEW_PASSWORD: &str = "Bench-2026-ok";

/// A child process ended when this is dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) != Some("startup") {
        return Err("usage: cargo xtask bench startup".into());
    }
    let mut build = crate::cargo();
    build.args([
        "build",
        "--release",
        "-p",
        "shebao",
        "-p",
        "shebao-agency",
        "--bins",
        "--example",
        "bare_window",
    ]);
    crate::status(build)?;
    let release = target_dir().join("release");
    let _xvfb = display()?;

    let scratch = target_dir().join("bench-window");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let shebao = release.join(exe("shebao"));
    let bare = release.join("examples").join(exe("bare_window"));

    let app = median_first_frame(&shebao, &scratch)?;
    let yardstick = median_first_frame(&bare, &scratch)?;
    println!(
        "start-up to the first frame (median of {RUNS}): shebao {} ms, bare iced window {} ms, \
         ratio {:.2} (target ≤ 1.5)",
        app.as_millis(),
        yardstick.as_millis(),
        app.as_secs_f64() / yardstick.as_secs_f64()
    );

    let kb = resident_after_login(&release, &scratch)?;
    println!(
        "resident memory with the home page open after login: {} MB (target < 150 MB)",
        kb / 1024
    );
    Ok(())
}

fn window_env(command: &mut Command, scratch: &Path) {
    command
        .env("ICED_BACKEND", "tiny-skia")
        .env("SHEBAO_DATA_DIR", scratch.join("client"))
        .env("SHEBAO_STORE_PASSPHRASE", PASSPHRASE)
        .env(
            "DISPLAY",
            env::var_os("DISPLAY").unwrap_or_else(|| DISPLAY.into()),
        )
        .stdin(Stdio::null());
}

fn median_first_frame(program: &Path, scratch: &Path) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(RUNS);
    // One unmeasured run warms the page cache, as on a clerk's PC after the first start.
    for run in 0..=RUNS {
        let mut command = Command::new(program);
        window_env(&mut command, scratch);
        command
            .env("SHEBAO_BENCH", "first-frame")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let took = started.elapsed();
        if !status.success() {
            return Err(format!("{} failed ({status})", program.display()));
        }
        if run > 0 {
            times.push(took);
        }
    }
    times.sort();
    Ok(times[times.len() / 2])
}

fn resident_after_login(release: &Path, scratch: &Path) -> Result<u64, String> {
    let agency_dir = scratch.join("agency");
    let agency_bin = release.join(exe("shebao-agency"));
    let mut seed = Command::new(&agency_bin);
    seed.arg("--data-dir").arg(&agency_dir).arg("seed-demo");
    crate::status(seed)?;
    let _agency = Running(
        Command::new(&agency_bin)
            .arg("--data-dir")
            .arg(&agency_dir)
            .args(["serve", "--listen", LISTEN, "--test-captcha", "T3ST"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the agency: {e}"))?,
    );
    wait_for(
        || TcpStream::connect(LISTEN).is_ok(),
        "the demo agency to listen",
    )?;
    let shebao = release.join(exe("shebao"));
    let client = |args: &[&str]| {
        let mut command = Command::new(&shebao);
        window_env(&mut command, scratch);
        command
            .args(args)
            .env("SHEBAO_AGENCY", format!("https://{LISTEN}"))
            .env("SHEBAO_CA", agency_dir.join("tls").join("ca.pem"))
            .env("SHEBAO_SIM_CARD", agency_dir.join("demo-card.toml"))
            .env("SHEBAO_UKEY_PIN", "123456")
            .env("SHEBAO_PASSWORD", "888888")
            .env("SHEBAO_NEW_PASSWORD", NEW_PASSWORD);
        command
    };
    // Exit code 5: logged in, but the initial password must be changed first (done next).
    let login = client(&["login", "--captcha", "T3ST"])
        .status()
        .map_err(|e| format!("cannot log in: {e}"))?;
    if !matches!(login.code(), Some(0 | 5)) {
        return Err(format!("shebao login failed ({login})"));
    }
    crate::status(client(&["password"]))?;
    let output = client(&[])
        .env("SHEBAO_BENCH", "home")
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start the window: {e}"))?;
    let said = String::from_utf8_lossy(&output.stdout);
    said.lines()
        .find_map(|line| line.strip_prefix("VmRSS: "))
        .and_then(|rest| rest.trim_end_matches(" kB").parse().ok())
        .ok_or_else(|| format!("the window did not report its memory: {said}"))
}

/// The display the windows open on: the desktop's, or a private Xvfb.
fn display() -> Result<Option<Running>, String> {
    if env::var_os("DISPLAY").is_some() {
        return Ok(None);
    }
    if cfg!(target_os = "linux") {
        crate::system::install_missing(&[("xvfb", "a display for measuring the window")])?;
    }
    let xvfb = Command::new("Xvfb")
        .args([DISPLAY, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{}", &DISPLAY[1..]));
    let running = Running(xvfb);
    wait_for(|| socket.exists(), "Xvfb to start")?;
    Ok(Some(running))
}

fn wait_for(ready: impl Fn() -> bool, what: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if ready() {
            return Ok(());
        }
        thread::sleep(Duration::from_millis(50));
    }
    Err(format!("timed out waiting for {what}"))
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"))
}

fn exe(name: &str) -> String {
    format!("{name}{}", env::consts::EXE_SUFFIX)
}
