//! `cargo xtask screenshots` runs this: the first page of every paper, rendered from its PDF
//! with poppler's `pdftoppm`, as target/screenshots/print-*.png (or under
//! `SHEBAO_SCREENSHOTS`), with the PDF beside it.

mod common;

use std::path::PathBuf;
use std::process::Command;

use shebao_print::{Paper, PrintFont, Printing};

#[test]
#[ignore = "writes screenshots; run by cargo xtask screenshots"]
fn render_first_pages() {
    let out = std::env::var_os("SHEBAO_SCREENSHOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out).expect("the screenshots folder");
    let reference = common::reference();
    let printing = Printing {
        font: PrintFont::shared().expect("the print font"),
        reference: Some(&reference),
        printed_at: common::printed_at(),
    };
    let papers = [
        ("hire", Paper::Form(common::hire_form(60))),
        ("leave", Paper::Form(common::leave_form(12))),
        ("wage", Paper::Form(common::wage_form(12))),
        ("unit_change", Paper::Form(common::unit_change_form())),
        ("person_change", Paper::Form(common::person_change_form(6))),
        ("receipt", Paper::Receipt(common::receipt(16))),
    ];
    for (name, paper) in papers {
        let printed = printing.render(&[paper]).expect("rendered");
        let pdf = out.join(format!("print-{name}.pdf"));
        std::fs::write(&pdf, &printed.pdf).expect("written");
        let png = out.join(format!("print-{name}"));
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&pdf)
            .arg(&png)
            .status()
            .expect("pdftoppm (poppler-utils) runs");
        assert!(status.success(), "pdftoppm failed on {name}");
        println!("{}", png.with_extension("png").display());
    }
}
