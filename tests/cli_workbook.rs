//! `shebao drafts import` of an xlsx into a real store on disk, its error report, a re-import
//! of the corrected file, `shebao template` and `shebao drafts export`.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use shebao_core::reference::ReferenceData;
use shebao_store::vault::NoVault;
use shebao_store::{DataDir, KeySource, Store};
use shebao_workbook::export::{ExportSheet, ExportValue, write_sheets};
use shebao_workbook::read_sheet;

const PASSPHRASE: &str = "cli-workbook-passphrase";
const UNIT: &str = "310100000077";
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

fn shebao(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shebao"))
        .arg("--data-dir")
        .arg(data)
        .arg("--unit")
        .arg(UNIT)
        .args(args)
        .env("SHEBAO_STORE_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .expect("shebao runs")
}

fn store(data: &Path) -> Store {
    let keys = KeySource::new(Arc::new(NoVault), Some(PASSPHRASE.into()));
    Store::open_unit(&DataDir::at(data), UNIT, &keys).expect("store opens")
}

fn resident_id(n: u32) -> String {
    let first17 = format!("31010119850612{n:03}");
    let check = shebao_core::id::check_character(&first17).expect("17 digits");
    format!("{first17}{check}")
}

fn hires(path: &Path, numbers: &[String]) {
    let month = shebao_store::this_month();
    let rows = numbers
        .iter()
        .map(|no| {
            [
                "居民身份证",
                no,
                "张三",
                "本地城镇",
                "合同制",
                "2015/7/1",
                &month,
                "养老、医疗",
                "6500",
                "新参加工作",
            ]
            .into_iter()
            .map(ExportValue::from)
            .collect()
        })
        .collect();
    let sheet = ExportSheet {
        name: "增员".into(),
        headers: HEADERS.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    };
    write_sheets(&[sheet], path).expect("workbook written");
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_clerks_workbook_goes_into_the_store_and_the_bad_row_comes_back_explained() {
    let files = tempfile::tempdir().expect("temp dir");
    let data = files.path().join("data");
    {
        let mut s = store(&data);
        let reference: serde_json::Value =
            serde_json::from_str(ReferenceData::demo_json()).expect("json");
        s.save_reference("demo", &reference)
            .expect("reference cached");
    }
    let mut numbers: Vec<String> = (1..=3).map(resident_id).collect();
    numbers.push("310101198506120049".into()); // a wrong check character
    let file = files.path().join("增员.xlsx");
    hires(&file, &numbers);
    let report = files.path().join("report.xlsx");

    let out = shebao(
        &data,
        &[
            "drafts",
            "import",
            file.to_str().expect("path"),
            "--report",
            report.to_str().expect("path"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}{}",
        text(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let said = text(&out);
    assert!(said.contains("imported 3 draft(s)"), "{said}");
    assert!(said.contains("rejected 1 row(s)"), "{said}");
    assert!(said.contains("report written to"), "{said}");
    assert_eq!(store(&data).draft_count().expect("count"), 3);

    let sheet = read_sheet(&report, None).expect("report reads");
    assert_eq!(sheet.cell(0, 10).display(), "错误说明");
    assert_eq!(
        sheet.cell(4, 1).display(),
        "310101198506120049",
        "the clerk's value is kept"
    );
    assert!(
        sheet.cell(4, 10).display().contains("证件号码"),
        "{:?}",
        sheet.rows[4]
    );
    assert_eq!(sheet.cell(1, 10).display(), "");

    // The clerk corrects the number in the report and imports the report itself.
    numbers[3] = resident_id(4);
    let fixed = files.path().join("fixed.xlsx");
    hires(&fixed, &numbers);
    let out = shebao(
        &data,
        &[
            "drafts",
            "import",
            fixed.to_str().expect("path"),
            "--all-or-nothing",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("imported 1 draft(s)") && said.contains("already drafts"),
        "{said}"
    );
    assert_eq!(store(&data).draft_count().expect("count"), 4);

    let template = files.path().join("模板.xlsx");
    let out = shebao(
        &data,
        &["template", "hire", template.to_str().expect("path")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        read_sheet(&template, None)
            .expect("template")
            .cell(0, 1)
            .display(),
        "*证件号码"
    );

    let export = files.path().join("drafts.xlsx");
    let out = shebao(&data, &["drafts", "export", export.to_str().expect("path")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = read_sheet(&export, None).expect("export");
    assert_eq!(exported.rows.len(), 5);
    assert_eq!(exported.cell(4, 3).display(), resident_id(4));
}

#[test]
fn a_damaged_workbook_exits_with_bad_input_and_changes_nothing() {
    let files = tempfile::tempdir().expect("temp dir");
    let data = files.path().join("data");
    drop(store(&data));
    let file = files.path().join("broken.xlsx");
    std::fs::write(&file, b"PK\x03\x04 not really").expect("written");
    let out = shebao(&data, &["drafts", "import", file.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    assert_eq!(store(&data).draft_count().expect("count"), 0);
}
