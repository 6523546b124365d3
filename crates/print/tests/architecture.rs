//! ARCHITECTURE.md's invariant for this crate, as a test: it knows no store, no network, no
//! card and no window; the command line and the window build its model for it.

#[test]
fn the_print_crate_depends_on_no_store_network_card_or_window() {
    let manifest = include_str!("../Cargo.toml");
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [dependencies] table");
    for forbidden in [
        "shebao-store",
        "shebao-sync",
        "shebao-ukey",
        "shebao-workbook",
        "rusqlite",
        "reqwest",
        "iced",
    ] {
        assert!(
            !dependencies.contains(forbidden),
            "shebao-print must not depend on {forbidden}: build its model in src/print_model.rs"
        );
    }
}
