//! The files a clerk's Windows PC makes, checked on every platform and, in `cargo xtask test`, on
//! the Windows build under Wine: "CSV (逗号分隔)" as Excel saves it on a Chinese Windows (GBK,
//! CRLF line ends, quoted cells holding commas and line breaks, dates as Excel shows them), and
//! workbooks, reports and exports in folders whose names have Chinese characters and spaces.

mod common;

use std::path::Path;

use common::{HIRE_HEADERS, hire_row, import_hires, resident_id, write_xlsx};
use shebao_workbook::export::{ExportSheet, ExportValue, write_sheets};
use shebao_workbook::{Import, read_sheet, write_report};

fn import(path: &Path) -> Import {
    import_hires(path).expect("import")
}

/// A clerk's folder: `Documents\社保 申报` under a profile named 张三 Zhang.
fn clerks_folder(temp: &tempfile::TempDir) -> std::path::PathBuf {
    let folder = temp
        .path()
        .join("Users")
        .join("张三 Zhang")
        .join("Documents")
        .join("社保 申报");
    std::fs::create_dir_all(&folder).expect("the clerk's folder can be made");
    folder
}

#[test]
fn a_csv_saved_by_excel_on_a_chinese_windows_imports() {
    let temp = tempfile::tempdir().unwrap();
    let path = clerks_folder(&temp).join("增员 名单.csv");
    // A remark column whose cells Excel quotes because they hold a comma or a line break; dates as Excel displays them; a blank line Excel leaves at the end.
    let mut text = HIRE_HEADERS.join(",") + ",备注\r\n";
    for (n, remark) in [
        (1, "\"试用期三个月，含培训\""),
        (2, "\"外地户口,\r\n需补材料\""),
    ] {
        let mut row = hire_row(n);
        row[5] = "2015/7/1".into();
        text += &row.join(",");
        text += ",";
        text += remark;
        text += "\r\n";
    }
    text += ",,,,,,,,,,\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(&path, gbk).unwrap();

    let imported = import(&path);
    assert_eq!((imported.imported(), imported.rejected()), (2, 0));
    let first = &imported.drafts[0].item;
    assert_eq!(first["name"], "张三");
    assert_eq!(first["document_no"], resident_id(1).as_str());
    assert_eq!(first["first_employed_on"], "2015-07-01");
    assert_eq!(
        imported.drafts[1].item["document_no"],
        resident_id(2).as_str()
    );
}

#[test]
fn workbooks_reports_and_exports_live_in_folders_with_chinese_names_and_spaces() {
    let temp = tempfile::tempdir().unwrap();
    let folder = clerks_folder(&temp);
    let workbook = folder.join("增员 2026年11月.xlsx");
    let mut bad = hire_row(2);
    bad[1] = "110105199003070001".into();
    write_xlsx(&workbook, &HIRE_HEADERS, &[hire_row(1), bad]);

    let imported = import(&workbook);
    assert_eq!((imported.imported(), imported.rejected()), (1, 1));
    let report = folder.join("增员 2026年11月-错误说明.xlsx");
    write_report(&imported, &report).expect("report written");
    let explained = read_sheet(&report, None).expect("report reads");
    assert_eq!(explained.cell(0, 10).display(), "错误说明");

    let export = folder.join("导出 结果.xlsx");
    let sheet = ExportSheet {
        name: "草稿".into(),
        headers: vec!["证件号码".into(), "姓名".into()],
        rows: vec![vec![
            ExportValue::from(resident_id(1).as_str()),
            ExportValue::from("张三"),
        ]],
    };
    write_sheets(&[sheet], &export).expect("export written");
    let read_back = read_sheet(&export, None).expect("export reads");
    assert_eq!(read_back.cell(1, 0).display(), resident_id(1));
    assert_eq!(read_back.cell(1, 1).display(), "张三");
}
