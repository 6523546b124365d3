//! The app's log: `tracing` events appended to `logs/shebao.log` in the data folder, where a
//! support person finds them. The crates below never put an identity number, password, token
//! or captcha answer into an event; `tests/log_hygiene.rs` holds them to it.

use std::fs::{self, OpenOptions};
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The variable that sets the log filter (`info` when unset), as in `SHEBAO_LOG=debug`.
pub const FILTER_VAR: &str = "SHEBAO_LOG";

/// Starts logging into `data_dir/logs/shebao.log`. A log that cannot be opened (a read-only
/// folder, a full disk) must not stop the clerk's work, so that is reported and the app goes on.
pub fn init(data_dir: &Path) {
    let folder = data_dir.join("logs");
    let file = fs::create_dir_all(&folder).and_then(|()| {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(folder.join("shebao.log"))
    });
    let file = match file {
        Ok(file) => file,
        Err(e) => {
            eprintln!(
                "警告 / WARNING: cannot write the log in {}: {e}; continuing without one.",
                folder.display()
            );
            return;
        }
    };
    let filter = EnvFilter::try_from_env(FILTER_VAR).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
