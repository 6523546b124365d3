//! The PKCS#11 leg of the tests: SoftHSM2 as the token's module, in a configuration of the
//! test run's own (`SOFTHSM2_CONF` pointing at a temporary token store under `target/`), so the
//! tokens the tests initialise, fill with a P-256 key and the unit's certificate (OpenSC's
//! `pkcs11-tool`) and delete never touch the system's SoftHSM store. The tests find the module
//! in `SHEBAO_SOFTHSM_MODULE`; `SHEBAO_REQUIRE_ALL_LEGS=1` makes a test fail, not skip, when
//! anything of this is missing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian and Ubuntu put the module (the multiarch path, and the compatibility link).
const MODULE_PATHS: &[&str] = &[
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
];

/// The test run's SoftHSM store; removed when dropped.
pub struct SoftHsm {
    dir: PathBuf,
}

impl Drop for SoftHsm {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Makes the store and sets `command` up to use it. The packages come with the others of
/// `system::TEST_PACKAGES` (softhsm2, opensc).
pub fn prepare(command: &mut Command) -> Result<Option<SoftHsm>, String> {
    command.env("SHEBAO_REQUIRE_ALL_LEGS", "1");
    if !cfg!(target_os = "linux") {
        return Ok(None);
    }
    let module = MODULE_PATHS
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .ok_or_else(|| {
            format!(
                "the SoftHSM2 module is in none of {MODULE_PATHS:?}; is the softhsm2 package \
                 installed?"
            )
        })?;
    let dir = crate::workspace_root()
        .join("target")
        .join(format!("softhsm-{}", std::process::id()));
    let tokens = dir.join("tokens");
    fs::create_dir_all(&tokens).map_err(|e| format!("cannot make {}: {e}", tokens.display()))?;
    let conf = dir.join("softhsm2.conf");
    fs::write(&conf, config(&tokens))
        .map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
    check_tools(&conf)?;
    eprintln!(
        "xtask: SoftHSM2 tokens for the PKCS#11 tests in {} (module {})",
        tokens.display(),
        module.display()
    );
    command
        .env("SOFTHSM2_CONF", &conf)
        .env("SHEBAO_SOFTHSM_MODULE", &module);
    Ok(Some(SoftHsm { dir }))
}

fn config(tokens: &Path) -> String {
    format!(
        "# The token store of one `cargo xtask test` run.\n\
         directories.tokendir = {}\n\
         objectstore.backend = file\n\
         log.level = ERROR\n\
         slots.removable = true\n",
        tokens.display()
    )
}

/// Both tools answer with this configuration, so a broken install fails here with its reason
/// rather than in the middle of a test.
fn check_tools(conf: &Path) -> Result<(), String> {
    for (tool, args) in [
        ("softhsm2-util", &["--show-slots"][..]),
        ("pkcs11-tool", &["--version"][..]),
    ] {
        let output = Command::new(tool)
            .args(args)
            .env("SOFTHSM2_CONF", conf)
            .output()
            .map_err(|e| format!("{tool} does not run ({e}); install softhsm2 and opensc"))?;
        // pkcs11-tool --version answers 1 on some releases while printing its version.
        if tool == "softhsm2-util" && !output.status.success() {
            return Err(format!(
                "{tool} {args:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    Ok(())
}
