//! Checks of the installer sources that need no release build: what a desktop, a software
//! centre, systemd or Windows Installer would reject or show wrongly.
//!
//! The validators come from Debian packages that `cargo xtask test` installs
//! (desktop-file-utils, appstream, systemd); where one is missing its check says so and passes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::dist_icons::{ICO_SIZES, PNG_SIZES, ico_path, ico_png_sides, png_dimensions, png_path};
use crate::workspace_root;

const APP_ID: &str = "invalid.example.shebao";

fn read(relative: &str) -> String {
    let path = workspace_root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Runs a validator, or returns None (and says so) when it is not installed.
fn run_tool(program: &str, debian_package: &str, args: &[&str], file: &Path) -> Option<Output> {
    match Command::new(program).args(args).arg(file).output() {
        Ok(output) => Some(output),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: {program} is not installed (apt install {debian_package})");
            None
        }
        Err(e) => panic!("cannot run {program}: {e}"),
    }
}

fn assert_tool_accepts(output: &Output, what: &Path) {
    assert!(
        output.status.success(),
        "{} was rejected:\n{}{}",
        what.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The quoted source paths of the `assets` list in a `[package.metadata.deb]`.
fn deb_asset_sources(manifest: &str) -> Vec<String> {
    let Some(start) = manifest.find("\nassets = [") else {
        return Vec::new();
    };
    let list = &manifest[start..];
    let end = list.find("\n]").unwrap_or(list.len());
    list[..end]
        .lines()
        .filter_map(|line| line.trim().strip_prefix("[\""))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// A scratch folder of this test process, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("shebao-{name}-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("a scratch folder in the temporary directory");
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The agency's unit, copied where systemd-analyze can read it, with its program replaced by
/// one that exists here (the checks need an executable, not a release build).
fn agency_unit_in(scratch: &Scratch) -> PathBuf {
    let stand_in = std::env::current_exe().expect("the test binary's own path");
    let unit = read("installer/debian/agency/shebao-agency.service").replace(
        "/usr/bin/shebao-agency",
        stand_in.to_str().expect("a UTF-8 path to the test binary"),
    );
    let path = scratch.0.join("shebao-agency.service");
    fs::write(&path, unit).expect("the unit written to the scratch folder");
    path
}

#[test]
fn every_icon_size_desktops_look_up_is_committed_at_that_size() {
    for size in PNG_SIZES {
        let path = png_path(size);
        let png = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            png_dimensions(&png),
            Some((size, size)),
            "{} (remake it with `cargo xtask dist icons`)",
            path.display()
        );
    }
}

#[test]
fn the_windows_icon_holds_the_small_and_large_sizes() {
    let ico = fs::read(ico_path()).expect("assets/icons/shebao.ico");
    assert_eq!(ico_png_sides(&ico), Some(ICO_SIZES.to_vec()));
}

#[test]
fn the_desktop_entry_passes_desktop_file_validate() {
    let path = workspace_root().join(format!("assets/{APP_ID}.desktop"));
    let entry = read(&format!("assets/{APP_ID}.desktop"));
    assert!(entry.contains(&format!("\nIcon={APP_ID}\n")));
    assert!(entry.contains("\nExec=shebao\n"));
    if let Some(output) = run_tool("desktop-file-validate", "desktop-file-utils", &[], &path) {
        assert_tool_accepts(&output, &path);
        // It reports hints and deprecations on stdout while still succeeding.
        assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    }
}

#[test]
fn the_metainfo_passes_appstreamcli_validate() {
    let path = workspace_root().join(format!("assets/{APP_ID}.metainfo.xml"));
    let args = ["validate", "--no-net"];
    if let Some(output) = run_tool("appstreamcli", "appstream", &args, &path) {
        assert_tool_accepts(&output, &path);
    }
}

#[test]
fn the_metainfo_names_this_release_and_its_desktop_entry() {
    let metainfo = read(&format!("assets/{APP_ID}.metainfo.xml"));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        metainfo.contains(&format!("<release version=\"{version}\"")),
        "software centres would show another version than {version}: add a <release>"
    );
    assert!(metainfo.contains(&format!("<id>{APP_ID}</id>")));
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"
    )));
}

#[test]
fn the_debian_changelogs_begin_with_this_version() {
    let version = env!("CARGO_PKG_VERSION");
    for (package, path) in [
        ("shebao", "installer/debian/changelog"),
        ("shebao-agency", "installer/debian/agency/changelog"),
    ] {
        let changelog = read(path);
        let first = changelog.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("{package} ({version}-")),
            "{path} begins with {first:?}: add an entry for {version}, or the package's \
             changelog describes an older release"
        );
    }
}

#[test]
fn every_file_the_debian_packages_ship_exists() {
    for (package_dir, manifest) in [
        ("", "Cargo.toml"),
        ("crates/agency", "crates/agency/Cargo.toml"),
    ] {
        let sources = deb_asset_sources(&read(manifest));
        assert!(sources.len() >= 2, "{manifest} lists no assets");
        for source in sources.iter().filter(|s| !s.starts_with("target/")) {
            let path = workspace_root().join(package_dir).join(source);
            assert!(
                path.is_file(),
                "{manifest} ships {source}, which is missing"
            );
        }
    }
}

#[test]
fn the_agency_unit_passes_systemd_analyze_verify() {
    let scratch = Scratch::new("unit-verify");
    let unit = agency_unit_in(&scratch);
    if let Some(output) = run_tool("systemd-analyze", "systemd", &["verify"], &unit) {
        assert_tool_accepts(&output, &unit);
        let complaints = String::from_utf8_lossy(&output.stderr);
        assert!(
            !complaints.contains("shebao-agency.service"),
            "systemd complains about the unit:\n{complaints}"
        );
    }
}

#[test]
fn the_agency_service_stays_hardened() {
    let scratch = Scratch::new("unit-security");
    let unit = agency_unit_in(&scratch);
    // Exposure 0.0 (locked down) to 10.0 (unprotected); the unit scores 1.4 today. The
    // threshold is in tenths.
    let args = ["security", "--offline=true", "--threshold=20"];
    if let Some(output) = run_tool("systemd-analyze", "systemd", &args, &unit) {
        assert_tool_accepts(&output, &unit);
    }
}

#[test]
fn the_msi_keeps_the_upgrade_code_of_the_cargo_metadata() {
    let manifest = read("Cargo.toml");
    let guid = manifest
        .lines()
        .find_map(|line| line.strip_prefix("upgrade-guid = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("[package.metadata.wix] upgrade-guid");
    let wxs = read("installer/windows/main.wxs");
    assert!(
        wxs.contains(&format!("UpgradeCode=\"{guid}\"")),
        "main.wxs and Cargo.toml name different upgrade codes: a new MSI would not replace the old"
    );
    assert!(wxs.contains("InstallScope=\"perMachine\""));
    assert!(wxs.contains("<MajorUpgrade"));
    // Forward slashes: wixl on Linux reads the same file as the WiX Toolset on Windows.
    assert!(wxs.contains(r#"SourceFile="assets/icons/shebao.ico""#));
}

#[test]
fn asset_sources_are_read_from_the_assets_list_only() {
    let manifest = "[package.metadata.deb]\ndepends = \"x\"\nassets = [\n    [\"a/b.txt\", \"usr/\", \"644\"],\n    [\"c\", \"d\", \"755\"],\n]\n[other]\nx = [\"e\"]\n";
    assert_eq!(deb_asset_sources(manifest), ["a/b.txt", "c"]);
}
