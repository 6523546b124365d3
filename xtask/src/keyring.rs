//! The keyring leg of `cargo xtask test`: the tests named `os_keyring*` run again against a real
//! Secret Service. Each run gets a private D-Bus session (`dbus-run-session`) with its own
//! GNOME Keyring, whose login keyring is created and unlocked with a random password and kept
//! in a temporary folder, so nothing touches the keyring of the person running the tests.
//!
//! `SHEBAO_REQUIRE_SECRET_SERVICE=1` tells those tests that the Secret Service must be there:
//! they fail, rather than skip, if it is not. The passphrase fallback is switched off by
//! removing `SHEBAO_STORE_PASSPHRASE`. Its packages (gnome-keyring, dbus-daemon, libsecret-tools)
//! are in `system.rs`'s list.

use std::path::PathBuf;
use std::process::Command;

/// The test targets of this leg, by package.
const TARGETS: &[&str] = &["shebao-store", "shebao"];

pub fn test() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    let home = Scratch::new()?;
    let runtime = home.0.join("run");
    std::fs::create_dir_all(&runtime).map_err(|e| format!("{}: {e}", runtime.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", runtime.display()))?;
    }
    eprintln!("xtask: the keyring tests, against GNOME Keyring in a private D-Bus session");
    // The daemon reads the login keyring's password on its standard input; `--unlock` creates
    // that keyring unlocked when it does not exist yet.
    let script = r#"printf '%s' "$SHEBAO_TEST_KEYRING_PASSWORD" \
        | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
unset SHEBAO_TEST_KEYRING_PASSWORD
exec "$@""#;
    let mut command = Command::new("dbus-run-session");
    command
        .current_dir(crate::workspace_root())
        .args(["--", "sh", "-c", script, "sh"])
        .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--locked"]);
    for package in TARGETS {
        command.args(["-p", package]);
    }
    command
        // A glob: the store's `os_keyring` and the root package's `os_keyring_cli` (one name per
        // package, since the Windows leg selects integration tests by name).
        .args(["--test", "os_keyring*", "--", "--test-threads=1"])
        .env("SHEBAO_REQUIRE_SECRET_SERVICE", "1")
        .env("SHEBAO_TEST_KEYRING_PASSWORD", password())
        .env("XDG_DATA_HOME", home.0.join("data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("SHEBAO_STORE_PASSPHRASE")
        // No unlock prompt may open on a display: a locked keyring must fail at once.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    crate::status(command)
}

/// A password for the throw-away login keyring.
fn password() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("keyring-{}-{nanos}", std::process::id())
}

/// A temporary folder for the keyring's files, removed afterwards.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("shebao-keyring-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
