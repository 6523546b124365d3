//! A clerk's day on Windows, through the command line of the Windows build under Wine, against
//! the reference agency running natively: the UKey (the in-process simulator; Wine's smart-card
//! service cannot reach pcscd, which the clerk is told plainly), login with the forced password
//! change, a CSV saved by Excel on a Chinese Windows and an xlsx workbook imported, the drafts
//! exported, submitted, synced, listed and backed up, with every file in folders whose names
//! have Chinese characters and spaces.
//!
//! The store lands in `%APPDATA%` and its key in the Windows credential store: no passphrase is
//! given, and the warning the app prints when it falls back is a failure here. The log holds no
//! identity number.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::agency::{self, NativeAgency};
use super::wine::{self, Wine, in_profile, printed, windows_path};
use super::xlsx;

const NEW_PASSWORD: &str = "Journey-2026-ok";

/// Three new hires from the demo data, with this month as their first insured month.
const PEOPLE: [(&str, &str); 3] = [
    ("350102199503120514", "林晓峰"),
    ("35012119981120062X", "陈雅琴"),
    ("350203200001050330", "买买提·艾力"),
];

pub fn run(wine: &Wine, bin_dir: &Path, agency: &NativeAgency) -> Result<(), String> {
    let data = wine.app_data().join("shebao").join("shebao").join("data");
    // A fresh start: the agency was seeded anew, so an earlier run's store would not match it.
    let _ = std::fs::remove_dir_all(&data);
    let documents = wine.profile().join("Documents").join("社保 申报");
    std::fs::create_dir_all(&documents)
        .map_err(|e| format!("cannot create {}: {e}", documents.display()))?;
    let desk = Desk {
        wine,
        program: bin_dir.join("shebao-console.exe"),
        agency,
    };

    // `card` reads the readers over PC/SC, and Wine's smart-card service cannot reach pcscd:
    // the clerk is told about the smart-card service (exit code 1), and nothing crashes.
    let out = desk.expect(&["card"], 1)?;
    if !String::from_utf8_lossy(&out.stderr).contains("smart-card service") {
        return Err(format!(
            "`shebao card` over PC/SC under Wine:\n{}",
            printed(&out)
        ));
    }

    // The captcha image is written under the data folder, and its path printed.
    let out = desk.expect(&["login"], 8)?;
    let image = stdout(&out).trim().to_owned();
    let png = wine
        .linux_path(&image)
        .ok_or_else(|| format!("the captcha's path is not on drive C: {image}"))?;
    let bytes = std::fs::read(&png).map_err(|e| format!("{}: {e}", png.display()))?;
    if !bytes.starts_with(b"\x89PNG") {
        return Err(format!("{image} is not a PNG image"));
    }

    // The simulated UKey is read and signs; the initial password must be changed first.
    let mut login = desk.command(&["login", "--captcha", agency::CAPTCHA]);
    login.env("SHEBAO_PASSWORD", agency::INITIAL_PASSWORD);
    let out = desk.expect_code(login, 5)?;
    contains(&out, agency::UNIT_NO)?;
    let mut password = desk.command(&["password"]);
    password
        .env("SHEBAO_PASSWORD", agency::INITIAL_PASSWORD)
        .env("SHEBAO_NEW_PASSWORD", NEW_PASSWORD);
    desk.expect_code(password, 0)?;
    // The first sync brings the reference data the import checks rows against.
    desk.expect(&["sync"], 0)?;

    // Two hires in Excel's CSV, one in a workbook.
    let month = this_month()?;
    write_excel_csv(&documents.join("增员 名单.csv"), &PEOPLE[..2], &month)?;
    let out = desk.expect(
        &[
            "drafts",
            "import",
            &in_profile(&["Documents", "社保 申报", "增员 名单.csv"]),
        ],
        0,
    )?;
    contains(&out, "imported 2 draft(s)")?;
    let mut rows = vec![HEADERS.iter().map(|h| (*h).to_owned()).collect()];
    rows.extend(PEOPLE[2..].iter().map(|person| hire_row(person, &month)));
    xlsx::write(&documents.join("增员 补充.xlsx"), &rows)?;
    let out = desk.expect(
        &[
            "drafts",
            "import",
            &in_profile(&["Documents", "社保 申报", "增员 补充.xlsx"]),
        ],
        0,
    )?;
    contains(&out, "imported 1 draft(s)")?;

    let exported = in_profile(&["Documents", "社保 申报", "草稿 导出.xlsx"]);
    desk.expect(&["drafts", "export", &exported], 0)?;
    let xlsx_export = documents.join("草稿 导出.xlsx");
    let zip = std::fs::read(&xlsx_export).map_err(|e| format!("{}: {e}", xlsx_export.display()))?;
    if !zip.starts_with(b"PK") {
        return Err(format!("{} is not an xlsx workbook", xlsx_export.display()));
    }
    let listed = desk.expect(&["drafts", "list"], 0)?;
    if stdout(&listed)
        .lines()
        .filter(|l| l.contains("hire"))
        .count()
        != 3
    {
        return Err(format!("expected 3 hire drafts:\n{}", printed(&listed)));
    }

    desk.expect(&["submit"], 0)?;
    // The agency processes each declaration as it arrives; the answer comes with a sync.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        desk.expect(&["sync"], 0)?;
        let out = desk.expect(&["declarations"], 0)?;
        if stdout(&out).contains("处理成功还未查阅 succeeded, not viewed\t1") {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the declaration did not succeed within 60 s:\n{}",
                printed(&out)
            ));
        }
        std::thread::sleep(Duration::from_millis(500));
    }

    let backup = in_profile(&["Documents", "社保 申报", "备份 2026.db"]);
    desk.expect(&["backup", &backup], 0)?;
    let copy = documents.join("备份 2026.db");
    let size = std::fs::metadata(&copy).map(|m| m.len()).unwrap_or(0);
    if size == 0 {
        return Err(format!("the backup {} is missing or empty", copy.display()));
    }

    // A wrong identity number is bad input: exit code 2 reaches the caller.
    desk.expect(&["check-id", "350102199503120515"], 2)?;

    check_the_store_and_its_key(wine, &data)?;
    check_the_log(&data)
}

/// The store is in %APPDATA%, and its key in the credential store Wine keeps in the registry.
fn check_the_store_and_its_key(wine: &Wine, data: &Path) -> Result<(), String> {
    let unit = data.join("units").join(agency::UNIT_NO);
    let has_database = std::fs::read_dir(&unit)
        .map_err(|e| format!("no store under %APPDATA%: {}: {e}", unit.display()))?
        .filter_map(Result::ok)
        .any(|entry| entry.file_name().to_string_lossy().ends_with(".db"));
    if !has_database {
        return Err(format!("no database in {}", unit.display()));
    }
    // The wineserver keeps the registry in memory and writes user.reg when it ends.
    wine.stop();
    let registry = std::fs::read(wine.user_registry())
        .map_err(|e| format!("{}: {e}", wine.user_registry().display()))?;
    let registry = String::from_utf8_lossy(&registry);
    let key_name = format!("store-key/{}", agency::UNIT_NO);
    if !registry.contains("Credential Manager") || !registry.contains(&key_name) {
        return Err(format!(
            "the store's key ({key_name}) is not in the Windows credential store"
        ));
    }
    Ok(())
}

fn check_the_log(data: &Path) -> Result<(), String> {
    let log = data.join("logs").join("shebao.log");
    let text = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    if text.trim().is_empty() {
        return Err(format!("{} is empty", log.display()));
    }
    for (id, name) in PEOPLE {
        if text.contains(id) {
            return Err(format!(
                "{} holds the identity number of {name}",
                log.display()
            ));
        }
    }
    for secret in [agency::INITIAL_PASSWORD, NEW_PASSWORD, agency::PIN] {
        if text.contains(secret) {
            return Err(format!("{} holds a password or the PIN", log.display()));
        }
    }
    Ok(())
}

/// The columns of a hire, as the template names them.
const HEADERS: [&str; 10] = [
    "证件类型",
    "证件号码",
    "姓名",
    "户口性质",
    "用工形式",
    "参加工作日期",
    "参保年月",
    "险种",
    "月工资",
    "增员原因",
];

fn hire_row((id, name): &(&str, &str), month: &str) -> Vec<String> {
    [
        "01",
        id,
        name,
        "10",
        "01",
        "2015/7/1",
        month,
        "110 210 310 410 510",
        "6500",
        "11",
    ]
    .iter()
    .map(|cell| (*cell).to_owned())
    .collect()
}

/// Hires as Excel on a Chinese Windows saves "CSV (逗号分隔)": GBK, CRLF line ends.
fn write_excel_csv(path: &Path, people: &[(&str, &str)], month: &str) -> Result<(), String> {
    let mut text = HEADERS.join(",") + "\r\n";
    for person in people {
        text.push_str(&hire_row(person, month).join(","));
        text.push_str("\r\n");
    }
    let utf8 = path.with_extension("utf8");
    std::fs::write(&utf8, text).map_err(|e| format!("{}: {e}", utf8.display()))?;
    let converted = Command::new("iconv")
        .args(["-f", "UTF-8", "-t", "GBK"])
        .arg(&utf8)
        .output()
        .map_err(|e| format!("cannot run iconv: {e}"))?;
    let _ = std::fs::remove_file(&utf8);
    if !converted.status.success() {
        return Err(format!(
            "iconv could not write GBK: {}",
            printed(&converted)
        ));
    }
    std::fs::write(path, converted.stdout).map_err(|e| format!("{}: {e}", path.display()))
}

fn this_month() -> Result<String, String> {
    let out = Command::new("date")
        .arg("+%Y-%m")
        .output()
        .map_err(|e| format!("cannot run date: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The clerk's console: the Windows command line with the agency and the UKey set.
struct Desk<'a> {
    wine: &'a Wine,
    program: PathBuf,
    agency: &'a NativeAgency,
}

impl Desk<'_> {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = self.wine.command(&self.program);
        command
            .args(args)
            .env("SHEBAO_AGENCY", &self.agency.url)
            .env("SHEBAO_CA", windows_path(&self.agency.ca()))
            .env("SHEBAO_SIM_CARD", windows_path(&self.agency.demo_card()))
            .env("SHEBAO_UKEY_PIN", agency::PIN)
            // The key must come from the credential store, the data folder from the profile.
            .env_remove("SHEBAO_STORE_PASSPHRASE")
            .env_remove("SHEBAO_DATA_DIR")
            .env_remove("SHEBAO_PASSWORD")
            .env_remove("SHEBAO_NEW_PASSWORD");
        command
    }

    fn expect(&self, args: &[&str], code: i32) -> Result<Output, String> {
        self.expect_code(self.command(args), code)
    }

    fn expect_code(&self, command: Command, code: i32) -> Result<Output, String> {
        let shown: Vec<String> = command
            .get_args()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let out = wine::run(command)?;
        if out.status.code() != Some(code) {
            return Err(format!(
                "shebao {} should exit with {code}:\n{}",
                shown.join(" "),
                printed(&out)
            ));
        }
        if String::from_utf8_lossy(&out.stderr).contains("no OS keyring") {
            return Err(format!(
                "shebao {} fell back from the Windows credential store:\n{}",
                shown.join(" "),
                printed(&out)
            ));
        }
        Ok(out)
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn contains(out: &Output, text: &str) -> Result<(), String> {
    if stdout(out).contains(text) {
        Ok(())
    } else {
        Err(format!("expected {text:?} in:\n{}", printed(out)))
    }
}
