//! `cargo xtask screenshots`: render every screen with demo data to target/screenshots/*.png
//! (the registry is `src/screen/screenshots.rs`), with the software renderer.

pub fn run() -> Result<(), String> {
    let out = crate::workspace_root().join("target").join("screenshots");
    let mut command = crate::cargo();
    command
        .args([
            "test",
            "-p",
            "shebao",
            "--bin",
            "shebao",
            "render_every_screen",
            "--",
            "--ignored",
        ])
        .env("ICED_TEST_BACKEND", "tiny-skia")
        .env("SHEBAO_SCREENSHOTS", &out);
    crate::status(command)?;
    println!("screenshots in {}", out.display());
    Ok(())
}
