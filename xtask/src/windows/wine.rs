//! Wine on this Linux machine: the prefix the Windows build runs in, entered through
//! `xtask/wine/run`, the same script cargo uses as the target's runner.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::workspace_root;

/// The Windows user of the prefix, as `xtask/wine/run` names it: a profile folder with
/// Chinese characters and a space.
pub const USER: &str = "张三 Zhang";

/// A Wine prefix under the target directory.
pub struct Wine {
    prefix: PathBuf,
}

impl Wine {
    pub fn new(target_dir: &Path) -> Self {
        Self {
            prefix: target_dir.join("wine"),
        }
    }

    /// A command that runs `program` (a Windows program or command) in the prefix.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(workspace_root().join("xtask").join("wine").join("run"));
        command
            .arg(program)
            .env("SHEBAO_WINEPREFIX", &self.prefix)
            .stdin(Stdio::null());
        command
    }

    /// Runs `program` with `args` and collects what it printed.
    pub fn output(&self, program: impl AsRef<OsStr>, args: &[&str]) -> Result<Output, String> {
        let mut command = self.command(program);
        command.args(args);
        run(command)
    }

    /// Drive C: of the prefix, as a Linux path.
    pub fn drive_c(&self) -> PathBuf {
        self.prefix.join("drive_c")
    }

    /// The user's profile folder, `C:\users\张三 Zhang`, as a Linux path.
    pub fn profile(&self) -> PathBuf {
        self.drive_c().join("users").join(USER)
    }

    /// `%APPDATA%` of the user, as a Linux path.
    pub fn app_data(&self) -> PathBuf {
        self.profile().join("AppData").join("Roaming")
    }

    /// The Linux path of a Windows path on drive C: (`C:\users\…`).
    pub fn linux_path(&self, windows: &str) -> Option<PathBuf> {
        let rest = windows
            .strip_prefix("C:\\")
            .or_else(|| windows.strip_prefix("c:\\"))?;
        Some(
            rest.split('\\')
                .fold(self.drive_c(), |path, part| path.join(part)),
        )
    }

    /// The registry of the prefix's user, where Wine keeps the credential store.
    pub fn user_registry(&self) -> PathBuf {
        self.prefix.join("user.reg")
    }

    /// Deletes the prefix; the next program run creates it afresh.
    pub fn remove(&self) -> Result<(), String> {
        self.stop();
        match std::fs::remove_dir_all(&self.prefix) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("cannot remove {}: {e}", self.prefix.display())),
        }
    }

    /// Ends every Windows program still running in the prefix, and its wineserver.
    pub fn stop(&self) {
        for server in [
            "/usr/lib/wine/wineserver64",
            "/usr/lib/wine/wineserver",
            "wineserver",
        ] {
            let stopped = Command::new(server)
                .arg("-k")
                .env("WINEPREFIX", &self.prefix)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if stopped.is_ok() {
                return;
            }
        }
    }
}

/// How a Windows program under Wine names a file of this machine: on drive Z:, which is `/`.
pub fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display().to_string().replace('/', "\\"))
}

/// A Windows path in `profile` (`C:\users\张三 Zhang\…`), for a program under Wine.
pub fn in_profile(parts: &[&str]) -> String {
    let mut path = format!("C:\\users\\{USER}");
    for part in parts {
        path.push('\\');
        path.push_str(part);
    }
    path
}

pub fn run(mut command: Command) -> Result<Output, String> {
    let shown = format!("{command:?}");
    command
        .output()
        .map_err(|e| format!("could not start {shown}: {e}"))
}

/// What a program printed, for a failure message.
pub fn printed(output: &Output) -> String {
    format!(
        "exit code {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
