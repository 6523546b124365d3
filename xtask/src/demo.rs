//! `cargo xtask run`: the demo on one machine. The reference agency runs on loopback with the
//! demo unit seeded, and `shebao` runs against it with the demo UKey played by the in-process
//! card simulator, so no PC/SC service, card or network is needed. Without arguments the
//! desktop window opens (or, where there is no display, a shell set up for the command line).

use std::env;
use std::io::IsTerminal;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::{cargo, status, workspace_root};

const LISTEN: &str = "127.0.0.1:8443";
/// The demo agency processes each declaration this many seconds after it arrives.
const AUTO_PROCESS_SECONDS: &str = "10";
/// The demo store holds demo data only; a passphrase spares the demo a keyring daemon.
const DEMO_PASSPHRASE: &str = "shebao-demo";

/// The agency server, stopped when dropped.
struct Agency(Child);

impl Drop for Agency {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    if cfg!(target_os = "linux") {
        crate::system::install_missing(crate::system::RUN_PACKAGES)?;
    }
    let mut build = cargo();
    build.args(["build", "--package", "shebao", "--package", "shebao-agency"]);
    status(build)?;
    let bin_dir = target_dir().join("debug");
    let demo = target_dir().join("demo");
    let agency_dir = demo.join("agency");
    let card = agency_dir.join("demo-card.toml");
    let agency_bin = bin_dir.join(exe("shebao-agency"));
    if !card.exists() {
        let mut seed = Command::new(&agency_bin);
        seed.arg("--data-dir").arg(&agency_dir).arg("seed-demo");
        status(seed)?;
    }
    let agency = start_agency(&agency_bin, &agency_dir, &demo.join("agency.log"))?;

    let path = env::join_paths(
        std::iter::once(bin_dir.clone())
            .chain(env::split_paths(&env::var_os("PATH").unwrap_or_default())),
    )
    .map_err(|e| format!("cannot extend PATH: {e}"))?;
    let configure = |command: &mut Command| {
        command
            .env("PATH", &path)
            .env("SHEBAO_DATA_DIR", demo.join("client"))
            .env("SHEBAO_AGENCY", format!("https://{LISTEN}"))
            .env("SHEBAO_CA", agency_dir.join("tls").join("ca.pem"))
            .env("SHEBAO_SIM_CARD", &card)
            .env("SHEBAO_STORE_PASSPHRASE", DEMO_PASSPHRASE);
    };

    let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
    if !args.is_empty() {
        let mut shebao = Command::new(bin_dir.join(exe("shebao")));
        shebao.args(args);
        configure(&mut shebao);
        let code = shebao
            .status()
            .map_err(|e| format!("cannot start shebao: {e}"))?
            .code()
            .unwrap_or(1);
        // shebao's exit code is the answer a script wants; the agency stops first.
        drop(agency);
        std::process::exit(code);
    }
    if has_display() {
        eprintln!(
            "shebao demo: the agency runs on https://{LISTEN}; unit 3501000001, initial password \
             888888, UKey PIN 123456. Its log is {}.",
            demo.join("agency.log").display()
        );
        let mut window = Command::new(bin_dir.join(exe("shebao")));
        configure(&mut window);
        let outcome = status(window);
        drop(agency);
        return outcome;
    }
    print_banner(&demo);
    if !std::io::stdin().is_terminal() {
        drop(agency);
        return Ok(());
    }
    let shell = env::var("SHELL").unwrap_or_else(|_| {
        if cfg!(windows) {
            "cmd".into()
        } else {
            "/bin/sh".into()
        }
    });
    let mut session = Command::new(shell);
    configure(&mut session);
    session
        .status()
        .map_err(|e| format!("cannot start a shell: {e}"))?;
    drop(agency);
    Ok(())
}

fn start_agency(agency_bin: &Path, data_dir: &Path, log: &Path) -> Result<Agency, String> {
    if TcpStream::connect(LISTEN).is_ok() {
        return Err(format!(
            "{LISTEN} is already in use; stop whatever listens there (an earlier demo?) and run again"
        ));
    }
    let log =
        std::fs::File::create(log).map_err(|e| format!("cannot write {}: {e}", log.display()))?;
    let child = Command::new(agency_bin)
        .arg("--data-dir")
        .arg(data_dir)
        .args([
            "serve",
            "--listen",
            LISTEN,
            "--auto-process",
            AUTO_PROCESS_SECONDS,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start the agency: {e}"))?;
    let agency = Agency(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(LISTEN).is_ok() {
            return Ok(agency);
        }
        thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "the demo agency did not start listening on {LISTEN} within 30 s"
    ))
}

fn print_banner(demo: &Path) {
    eprintln!(
        "\nNo display for the window here; the command line instead.\n\
         shebao demo: the reference agency runs on https://{LISTEN} (demo unit 3501000001, \
         initial password 888888, UKey PIN 123456; declarations are processed {AUTO_PROCESS_SECONDS} s \
         after they arrive).\n\
         The demo UKey is simulated in-process; the local store under {} is encrypted with a demo \
         passphrase instead of a key in the OS keyring.\n\n\
         Try, in this shell:\n  \
         shebao login                      # writes the captcha image and prints its path\n  \
         shebao login --captcha TEXT       # asks the unit password and the UKey PIN\n  \
         shebao password                   # the agency demands a new password first\n  \
         shebao sync && shebao declarations\n  \
         shebao drafts import assets/demo-hires.csv && shebao drafts list\n  \
         shebao submit && sleep 12 && shebao sync && shebao declarations\n\n\
         The agency's log is {}. Leave the shell (exit) to stop the agency.\n",
        demo.join("client").display(),
        demo.join("agency.log").display()
    );
}

/// Whether a window can open: always on Windows and macOS, on Linux when X11 or Wayland is
/// there.
fn has_display() -> bool {
    !cfg!(target_os = "linux")
        || env::var_os("DISPLAY").is_some()
        || env::var_os("WAYLAND_DISPLAY").is_some()
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

fn exe(name: &str) -> String {
    format!("{name}{}", env::consts::EXE_SUFFIX)
}
