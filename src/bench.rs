//! Hooks for `cargo xtask bench startup`, off unless `SHEBAO_BENCH` is set:
//!
//! - `first-frame`: exit as soon as the first frame is drawn, so the time from starting the
//!   process to its exit measures the start-up.
//! - `home`: once the UKey is read, open the unit's store and resume with the token an earlier
//!   `shebao login` kept; when the home page has synced and drawn, print the resident memory
//!   (`VmRSS: N kB`) and exit.

/// What the window measures, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bench {
    FirstFrame,
    Home,
}

impl Bench {
    pub fn from_environment() -> Option<Bench> {
        match std::env::var("SHEBAO_BENCH").ok()?.as_str() {
            "first-frame" => Some(Bench::FirstFrame),
            "home" => Some(Bench::Home),
            _ => None,
        }
    }
}

/// This process's resident memory in kB, from /proc (Linux only).
pub fn resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
