//! On Windows, the programs carry the icon, the version information and the manifest
//! (`assets/windows/`): the resource script is filled in from Cargo's package fields and
//! compiled by the toolchain's resource compiler (mingw's windres, or the SDK's rc.exe),
//! once for each program, since each names its own file. Elsewhere this does nothing.

use std::path::Path;
use std::{env, fs};

/// The programs of this package, as Windows names them once installed, and what each is.
const PROGRAMS: [(&str, &str, &str); 2] = [
    ("shebao", "shebao.exe", "社保网上申报客户端"),
    (
        "shebao-console",
        "shebao.com",
        "社保网上申报客户端 (command line)",
    ),
];

fn main() {
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let assets = Path::new(&manifest_dir).join("assets");
    let template = assets.join("windows").join("shebao.rc.in");
    let manifest = assets.join("windows").join("shebao.manifest");
    let icon = assets.join("icons").join("shebao.ico");
    for input in [&template, &manifest, &icon] {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }

    let script = fs::read_to_string(&template).expect("assets/windows/shebao.rc.in is readable");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let field = |name: &str| env::var(name).unwrap_or_else(|_| panic!("cargo sets {name}"));
    for (bin, file_name, description) in PROGRAMS {
        let filled = script
            // Resource scripts read `\` as an escape; Windows takes `/` in paths as well.
            .replace("@ICON@", &icon.display().to_string().replace('\\', "/"))
            .replace(
                "@MANIFEST@",
                &manifest.display().to_string().replace('\\', "/"),
            )
            .replace("@MAJOR@", &field("CARGO_PKG_VERSION_MAJOR"))
            .replace("@MINOR@", &field("CARGO_PKG_VERSION_MINOR"))
            .replace("@PATCH@", &field("CARGO_PKG_VERSION_PATCH"))
            .replace("@VERSION@", &field("CARGO_PKG_VERSION"))
            .replace("@NAME@", file_name)
            .replace("@DESCRIPTION@", description)
            .replace("@PRODUCT@", "社保网上申报客户端 (shebao)");
        let path = Path::new(&out_dir).join(format!("{bin}.rc"));
        fs::write(&path, filled).expect("OUT_DIR is writable");
        embed_resource::compile_for(&path, [bin], embed_resource::NONE)
            .manifest_required()
            .unwrap_or_else(|e| panic!("the Windows resources of {file_name}: {e}"));
    }
}
