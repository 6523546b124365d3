//! `cargo xtask screenshots`: render every screen with demo data to target/screenshots/*.png
//! (the registry is `src/screen/screenshots.rs`), with the software renderer.

use std::path::PathBuf;

pub fn run() -> Result<(), String> {
    let out = render(
        &["-p", "shebao", "--bin", "shebao", "render_every_screen"],
        &[("ICED_TEST_BACKEND", "tiny-skia")],
    )?;
    println!("screenshots in {}", out.display());
    Ok(())
}

/// Runs the ignored test that `test` names (`cargo test TEST -- --ignored`) with
/// `SHEBAO_SCREENSHOTS` pointing at target/screenshots, which it returns.
pub fn render(test: &[&str], env: &[(&str, &str)]) -> Result<PathBuf, String> {
    let out = crate::workspace_root().join("target").join("screenshots");
    let mut command = crate::cargo();
    command
        .arg("test")
        .args(test)
        .args(["--", "--ignored"])
        .envs(env.iter().copied())
        .env("SHEBAO_SCREENSHOTS", &out);
    crate::status(command)?;
    Ok(out)
}
