//! The reference agency, running natively on loopback, for the Windows build under Wine to talk
//! to: seeded with the demo unit (initial password 888888, its UKey's card file with PIN 123456
//! in the data folder), processing each declaration as it arrives, with the test captcha.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Every captcha of the test agency is this text.
pub const CAPTCHA: &str = "T3ST";
pub const INITIAL_PASSWORD: &str = "888888";
pub const PIN: &str = "123456";
pub const UNIT_NO: &str = "3501000001";

/// A running agency; it stops when dropped.
pub struct NativeAgency {
    child: Child,
    pub url: String,
    pub dir: PathBuf,
}

impl NativeAgency {
    /// Seeds a fresh data folder `dir` and serves it on a free loopback port.
    pub fn start(agency_bin: &Path, dir: &Path) -> Result<Self, String> {
        let _ = std::fs::remove_dir_all(dir);
        let mut seed = Command::new(agency_bin);
        seed.arg("--data-dir")
            .arg(dir)
            .arg("seed-demo")
            .stdout(Stdio::null());
        crate::status(seed)?;
        let log_path = dir.join("agency.log");
        let log = File::create(&log_path)
            .map_err(|e| format!("cannot write {}: {e}", log_path.display()))?;
        let mut child = Command::new(agency_bin)
            .arg("--data-dir")
            .arg(dir)
            .args(["serve", "--listen", "127.0.0.1:0", "--auto-process", "0"])
            .args(["--test-captcha", CAPTCHA])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", agency_bin.display()))?;
        // It prints "listening on https://ADDRESS (clients trust …)" once the port is open.
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let mut stdout = BufReader::new(stdout);
            let _ = stdout.read_line(&mut line);
            // Whatever it prints later is read and dropped, so that it never writes into a
            // closed pipe.
            std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        }
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("https://"))
            .map(str::to_owned);
        let Some(url) = url else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the agency did not start; see {}",
                log_path.display()
            ));
        };
        Ok(Self {
            child,
            url,
            dir: dir.to_path_buf(),
        })
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.join("tls").join("ca.pem")
    }

    pub fn demo_card(&self) -> PathBuf {
        self.dir.join("demo-card.toml")
    }
}

impl Drop for NativeAgency {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
