//! What the tests against a real Secret Service share (the store's and the app's `os_keyring`).
#![allow(dead_code)]

/// Whether the Secret Service must be there (`cargo xtask test` sets
/// SHEBAO_REQUIRE_SECRET_SERVICE=1 in its keyring leg); without it, say so and skip, so a plain
/// `cargo test` never touches the keyring of the person running it.
pub fn required() -> bool {
    let required = std::env::var("SHEBAO_REQUIRE_SECRET_SERVICE").is_ok_and(|v| v == "1");
    if !required {
        eprintln!("skipped: runs against a real Secret Service under `cargo xtask test`");
    }
    required
}

/// A ten-digit unit number starting with `prefix` that no earlier run used, so runs never see
/// each other's keyring entries.
pub fn fresh_unit(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .subsec_nanos();
    format!("{prefix}{:08}", nanos % 100_000_000)
}
