//! `cargo xtask screenshots`, second part: the first page of every printed paper (申报表 and
//! 回执), rendered from its PDF with poppler's pdftoppm, as target/screenshots/print-*.png.

const PACKAGES: &[(&str, &str)] = &[(
    "poppler-utils",
    "pdftoppm renders the printed forms' first pages to PNG",
)];

pub fn run() -> Result<(), String> {
    if cfg!(target_os = "linux") {
        crate::system::install_missing(PACKAGES)?;
    }
    let out = crate::screenshots::render(&["-p", "shebao-print", "--test", "screenshots"], &[])?;
    println!("printed forms in {}", out.display());
    Ok(())
}
