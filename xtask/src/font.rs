//! `cargo xtask font`: remake assets/fonts/ShebaoSansSC-Regular.otf, the window's Chinese font,
//! from Debian's Noto Sans CJK with fontTools. Run it after adding words to the .ftl files.
//!
//! `cargo xtask font print`: remake assets/fonts/ShebaoPrintSC-Regular.otf, the print font
//! (every hanzi of Noto Sans CJK SC, for the PDF forms). It depends on the source font only, so
//! it is remade when Noto Sans CJK is updated, not when words change; it takes two minutes.

use std::path::PathBuf;
use std::process::Command;

const SOURCE: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const PACKAGES: &[(&str, &str)] = &[
    ("fonts-noto-cjk", "Noto Sans CJK, the source of the subset"),
    ("python3", "runs fontTools"),
];

pub fn run(args: &[String]) -> Result<(), String> {
    let print = match args {
        [] => false,
        [word] if word == "print" => true,
        _ => return Err("usage: cargo xtask font [print]".into()),
    };
    if cfg!(target_os = "linux") {
        crate::system::install_missing(PACKAGES)?;
    }
    let source =
        std::env::var_os("SHEBAO_FONT_SOURCE").map_or_else(|| PathBuf::from(SOURCE), PathBuf::from);
    if !source.exists() {
        return Err(format!(
            "{} is missing: install fonts-noto-cjk, or point SHEBAO_FONT_SOURCE at \
             NotoSansCJK-Regular.ttc",
            source.display()
        ));
    }
    let has_fonttools = Command::new("python3")
        .args(["-c", "import fontTools"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_fonttools {
        crate::status({
            let mut pip = Command::new("python3");
            pip.args(["-m", "pip", "install", "--quiet", "fonttools"]);
            pip
        })
        .map_err(|e| {
            format!("{e}; install fontTools yourself: python3 -m pip install fonttools")
        })?;
    }
    let root = crate::workspace_root();
    let fonts = root.join("assets").join("fonts");
    let mut subset = Command::new("python3");
    if print {
        subset
            .arg(fonts.join("subset_print.py"))
            .arg(&source)
            .arg(fonts.join("ShebaoPrintSC-Regular.otf"));
    } else {
        subset
            .arg(fonts.join("subset.py"))
            .arg(&source)
            .arg(fonts.join("ShebaoSansSC-Regular.otf"))
            .arg(&root);
    }
    crate::status(subset)
}
