//! The Windows installer: built on Linux from `installer/windows/main.wxs` with wixl, then
//! installed as IT would (`msiexec /i … /qn`) under Wine, checked, upgraded by a newer version
//! and removed (`msiexec /x … /qn`), with the user's data folder left as it was.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::wine::{self, Wine, printed, windows_path};
use crate::workspace_root;

/// The Start-menu entry the MSI makes for every user.
const SHORTCUT: &str = "社保网上申报客户端.lnk";
/// What the MSI's tables call the product.
const PRODUCT_NAME: &str = "社保网上申报客户端 (shebao)";

fn source() -> PathBuf {
    workspace_root()
        .join("installer")
        .join("windows")
        .join("main.wxs")
}

/// The programs the MSI installs, as cargo names them.
const PROGRAMS: [&str; 2] = ["shebao.exe", "shebao-console.exe"];

/// Builds `shebao-VERSION-x86_64.msi` in `out_dir` from the programs in `bin_dir`, stripped of
/// their debug information as a release build is.
pub fn build(bin_dir: &Path, version: &str, out_dir: &Path) -> Result<PathBuf, String> {
    let staged = out_dir.join("programs");
    std::fs::create_dir_all(&staged).map_err(|e| format!("{}: {e}", staged.display()))?;
    for program in PROGRAMS {
        let mut strip = Command::new("x86_64-w64-mingw32-strip");
        strip
            .arg("--strip-debug")
            .arg("-o")
            .arg(staged.join(program))
            .arg(bin_dir.join(program));
        crate::status(strip)?;
    }
    let bin_dir = staged.as_path();
    let msi = out_dir.join(format!("shebao-{version}-x86_64.msi"));
    let wxs =
        std::fs::read_to_string(source()).map_err(|e| format!("{}: {e}", source().display()))?;
    let codepage = attribute(&wxs, "Codepage")
        .ok_or("installer/windows/main.wxs names no Codepage on its Product")?;
    // wixl 0.101 (Debian 12) writes the tables' strings in the code page of the language
    // WINDOWS_LANGUAGE names but leaves the database's code page unset; msibuild then stamps
    // the one main.wxs declares, so Windows reads the Chinese names right.
    let mut wixl = Command::new("wixl");
    wixl.current_dir(workspace_root())
        .env("WINDOWS_LANGUAGE", "zh_CN")
        .args(["--arch", "x64", "--define"])
        .arg(format!("Version={version}"))
        .arg("--define")
        // wixl takes source paths relative to where it runs, as the icon's is.
        .arg(format!(
            "CargoTargetBinDir={}",
            relative(&workspace_root(), bin_dir).display()
        ))
        .arg("--output")
        .arg(&msi)
        .arg(source());
    crate::status(wixl)?;
    let table = out_dir.join("_ForceCodepage.idt");
    std::fs::write(&table, format!("\r\n\r\n{codepage}\t_ForceCodepage\r\n"))
        .map_err(|e| format!("{}: {e}", table.display()))?;
    let mut stamp = Command::new("msibuild");
    stamp
        .env("WINDOWS_LANGUAGE", "zh_CN")
        .arg(&msi)
        .arg("-i")
        .arg(&table);
    crate::status(stamp)?;
    let _ = std::fs::remove_file(&table);
    let name = property(&msi, "ProductName")?;
    if name != PRODUCT_NAME {
        return Err(format!(
            "{} calls the product {name:?}, not {PRODUCT_NAME:?}",
            msi.display()
        ));
    }
    Ok(msi)
}

/// A run stopped between the install and the removal leaves shebao installed in the prefix,
/// possibly a newer version that the next install would refuse to downgrade: such a prefix is
/// replaced by a fresh one.
pub fn forget_earlier_install(wine: &Wine) -> Result<(), String> {
    if !program_files(wine).exists() {
        return Ok(());
    }
    eprintln!("xtask: an earlier run left shebao installed under Wine; starting a fresh prefix");
    wine.remove()
}

fn program_files(wine: &Wine) -> PathBuf {
    wine.drive_c().join("Program Files").join("shebao")
}

/// What the leg measured of the installer.
pub struct Installed {
    pub msi_bytes: u64,
    /// shebao.exe as the MSI holds it.
    pub exe_bytes: u64,
}

/// Installs, checks, upgrades and removes the MSI built from `bin_dir`.
pub fn check(wine: &Wine, bin_dir: &Path, out_dir: &Path) -> Result<Installed, String> {
    let version = env!("CARGO_PKG_VERSION");
    let first = build(bin_dir, version, out_dir)?;
    let newer = build(bin_dir, &next_patch(version)?, &out_dir.join("upgrade"))?;
    let shortcut_in_table = table(&first, "Shortcut")?;
    if !shortcut_in_table.contains(SHORTCUT.trim_end_matches(".lnk")) {
        return Err(format!(
            "the MSI's Shortcut table has no 社保网上申报客户端:\n{shortcut_in_table}"
        ));
    }
    // The clerk's data from the journey: no msiexec run may touch it. (The programs run in
    // between write to its log, as they should.)
    let data = wine.app_data().join("shebao");
    if snapshot(&data).is_empty() {
        return Err(format!(
            "no user data in {} to check the installer leaves alone",
            data.display()
        ));
    }
    let msiexec_leaving_data = |action: &str, msi: &Path, what: &str| -> Result<(), String> {
        let before = snapshot(&data);
        msiexec(wine, action, msi)?;
        let after = snapshot(&data);
        if before == after {
            Ok(())
        } else {
            Err(format!(
                "{what} changed the user's data folder {}:\nbefore {before:?}\nafter {after:?}",
                data.display()
            ))
        }
    };

    let program_files = program_files(wine);
    // Windows puts a per-machine shortcut among all users' programs; Wine among its user's.
    let shortcut_in = |base: PathBuf| {
        base.join("Microsoft/Windows/Start Menu/Programs")
            .join(SHORTCUT)
    };
    let shortcuts = [
        shortcut_in(wine.drive_c().join("ProgramData")),
        shortcut_in(wine.app_data()),
    ];
    msiexec_leaving_data("/i", &first, "the install")?;
    let shortcut = shortcuts
        .iter()
        .find(|path| path.is_file())
        .cloned()
        .unwrap_or_else(|| shortcuts[0].clone());
    for file in ["shebao.exe", "shebao.com"] {
        if !program_files.join(file).is_file() {
            return Err(format!("{file} is not in Program Files after the install"));
        }
    }
    if !shortcut.is_file() {
        return Err(format!("no Start-menu shortcut {}", shortcut.display()));
    }
    installed_answers(wine, version)?;
    let first_code = property(&first, "ProductCode")?;
    if !registered(wine, &first_code)? {
        return Err(format!("the install did not register {first_code}"));
    }

    msiexec_leaving_data("/i", &newer, "the upgrade")?;
    let newer_code = property(&newer, "ProductCode")?;
    if registered(wine, &first_code)? || !registered(wine, &newer_code)? {
        return Err(format!(
            "the upgrade did not replace {first_code} by {newer_code}"
        ));
    }
    if !program_files.join("shebao.exe").is_file() || !shortcut.is_file() {
        return Err("the upgrade lost the program or its shortcut".into());
    }

    msiexec_leaving_data("/x", &newer, "the removal")?;
    if program_files.join("shebao.exe").exists() || shortcut.exists() {
        return Err("the removal left the program or its shortcut behind".into());
    }
    if registered(wine, &newer_code)? {
        return Err(format!(
            "{newer_code} is still registered after the removal"
        ));
    }
    let bytes = |path: &Path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(Installed {
        msi_bytes: bytes(&first),
        exe_bytes: bytes(&out_dir.join("programs").join("shebao.exe")),
    })
}

/// The installed programs answer: `shebao.exe --version` from Program Files (a window program
/// writing to a redirected stdout), and `shebao` typed in cmd in that folder, which finds
/// shebao.com first and hands its exit code back to cmd.
fn installed_answers(wine: &Wine, version: &str) -> Result<(), String> {
    let expected = format!("shebao {version}");
    let out = wine.output("C:\\Program Files\\shebao\\shebao.exe", &["--version"])?;
    if !String::from_utf8_lossy(&out.stdout).contains(&expected) {
        return Err(format!(
            "the installed shebao.exe --version:\n{}",
            printed(&out)
        ));
    }
    // cmd starts in the install folder (Wine takes its current folder from the Linux one);
    // each word is its own argument, so no quotes reach cmd's own parsing.
    let typed = |words: &[&str]| {
        let mut command = wine.command("cmd");
        command
            .current_dir(program_files(wine))
            .arg("/c")
            .args(words);
        wine::run(command)
    };
    let out = typed(&["shebao", "--version"])?;
    if !out.status.success() || !String::from_utf8_lossy(&out.stdout).contains(&expected) {
        return Err(format!("`shebao --version` in cmd:\n{}", printed(&out)));
    }
    // A wrong identity number is bad input: cmd sees exit code 2.
    let out = typed(&["shebao", "check-id", "350102199503120515"])?;
    if out.status.code() != Some(2) {
        return Err(format!("`shebao check-id` in cmd:\n{}", printed(&out)));
    }
    Ok(())
}

fn msiexec(wine: &Wine, action: &str, msi: &Path) -> Result<(), String> {
    let out = wine.output("msiexec", &[action, &windows_path(msi), "/qn"])?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "msiexec {action} {}:\n{}",
            msi.display(),
            printed(&out)
        ))
    }
}

/// Whether Windows Installer lists the product `code` as installed (Add/Remove Programs).
fn registered(wine: &Wine, code: &str) -> Result<bool, String> {
    let key = format!("HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{code}");
    let out = wine.output("reg", &["query", &key])?;
    Ok(out.status.success())
}

fn property(msi: &Path, name: &str) -> Result<String, String> {
    table(msi, "Property")?
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}\t")))
        .map(|value| value.trim_end().to_owned())
        .ok_or_else(|| format!("{} has no {name} property", msi.display()))
}

fn table(msi: &Path, table: &str) -> Result<String, String> {
    let mut command = Command::new("msiinfo");
    command.arg("export").arg(msi).arg(table);
    let out = wine::run(command)?;
    if !out.status.success() {
        return Err(format!("msiinfo export {table}:\n{}", printed(&out)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The value of the first attribute `name="…"` in `xml` (not one whose name ends in `name`).
fn attribute(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = xml[start..].find('"')?;
    Some(xml[start..start + end].to_owned())
}

/// `to` as seen from `from` (both absolute), with `..` where needed.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in shared..from.len() {
        path.push("..");
    }
    for part in &to[shared..] {
        path.push(part);
    }
    path
}

fn next_patch(version: &str) -> Result<String, String> {
    let mut parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("the version {version} is not MAJOR.MINOR.PATCH"))?;
    let patch = parts.last_mut().ok_or("an empty version")?;
    *patch += 1;
    Ok(parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("."))
}

/// Every file under `dir` with its size and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => pending.push(path),
                Ok(meta) => files.push((path, meta.len(), meta.modified().ok())),
                Err(_) => {}
            }
        }
    }
    files.sort();
    files
}
