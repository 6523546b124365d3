//! Importing clerks' workbooks: what is accepted, what is refused and why.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{HIRE_HEADERS, hire_row, options, resident_id, write_rows, write_xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::json;
use shebao_core::declaration::DeclarationKind;
use shebao_core::reference::ReferenceData;
use shebao_store::Draft;
use shebao_workbook::{Import, RowStatus, prepare, write_report};

fn run(path: &std::path::Path, existing: &[Draft], all_or_nothing: bool) -> Import {
    let mut opts = options(DeclarationKind::Hire);
    opts.all_or_nothing = all_or_nothing;
    prepare(
        path,
        &opts,
        Some(&ReferenceData::demo()),
        existing,
        &mut |_| {},
    )
    .expect("import")
}

#[test]
fn a_clerks_workbook_with_titles_shuffled_columns_and_excel_values_becomes_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("增员.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "2026年11月增员名单").unwrap();
    sheet
        .merge_range(0, 0, 0, 5, "2026年11月增员名单", &Format::new())
        .unwrap();
    let headers = [
        "Name",
        "鞋码",
        "*证件号码",
        "证件类型",
        "户口性质",
        "用工形式（必填）",
        "参加工作日期",
        "参保年月",
        "参保险种",
        "月工资",
        "增员原因",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4: names for codes, a date cell, a month as a number, full-width digits.
    sheet.write_string(3, 0, " 李四 ").unwrap();
    sheet.write_number(3, 1, 42).unwrap();
    sheet
        .write_string(3, 2, resident_id(1).to_lowercase())
        .unwrap();
    sheet.write_string(3, 3, "居民身份证").unwrap();
    sheet.write_string(3, 4, "本地城镇").unwrap();
    sheet.write_string(3, 5, "合同制").unwrap();
    let date = ExcelDateTime::from_ymd(2015, 7, 1).unwrap();
    sheet
        .write_datetime_with_format(3, 6, &date, &Format::new().set_num_format("yyyy/m/d"))
        .unwrap();
    sheet.write_number(3, 7, 202611).unwrap();
    sheet.write_string(3, 8, "养老、失业、医疗").unwrap();
    sheet.write_string(3, 9, "６５００").unwrap();
    sheet.write_string(3, 10, "新参加工作").unwrap();
    // Row 5 is blank and skipped; row 6: codes, a serial date number, 20150701, 2026-11.
    let row6 = [
        "王五",
        "",
        &resident_id(2),
        "01",
        "10",
        "01",
        "",
        "2026-11",
        "110 210",
        "6500.00",
        "11",
    ];
    for (c, v) in row6.iter().enumerate() {
        if !v.is_empty() {
            sheet.write_string(5, c as u16, *v).unwrap();
        }
    }
    sheet.write_number(5, 6, 42186).unwrap(); // 2015-07-01
    workbook.save(&path).unwrap();

    let import = run(&path, &[], false);
    assert_eq!(import.ignored_columns, vec!["鞋码".to_owned()]);
    assert_eq!(import.rejected(), 0, "{:?}", import.rows);
    assert_eq!(import.imported(), 2);
    assert_eq!(
        import.drafts[0].item,
        json!({"document_type": "01", "document_no": resident_id(1), "name": "李四",
               "household_type": "10", "employment_form": "01",
               "first_employed_on": "2015-07-01", "insured_from": "2026-11",
               "insurance_types": ["110", "210", "310"], "wage": "6500", "reason": "11"})
    );
    assert_eq!(import.drafts[0].period, "2026-11");
    assert_eq!(import.drafts[1].item["first_employed_on"], "2015-07-01");
    assert_eq!(import.rows[1].row, 5, "row numbers are the sheet's");
}

fn mixed_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("mixed.xlsx");
    let mut bad_id = hire_row(2);
    bad_id[1] = "110105199003071230".into(); // wrong check character
    let mut bad_reason = hire_row(3);
    bad_reason[9] = "跳槽".into();
    bad_reason[8] = String::new(); // and the wage left out
    let twice = hire_row(1);
    write_xlsx(
        &path,
        &HIRE_HEADERS,
        &[hire_row(1), bad_id, bad_reason, twice, hire_row(4)],
    );
    path
}

#[test]
fn bad_rows_are_refused_with_reasons_and_the_good_ones_imported() {
    let dir = tempfile::tempdir().unwrap();
    let import = run(&mixed_file(dir.path()), &[], false);
    let statuses: Vec<RowStatus> = import.rows.iter().map(|r| r.status).collect();
    use RowStatus::*;
    assert_eq!(statuses, [Imported, Rejected, Rejected, Rejected, Imported]);
    assert_eq!((import.imported(), import.rejected()), (2, 3));
    let bad_id = &import.rows[1].problems;
    assert_eq!(bad_id[0].column, Some(1));
    assert!(bad_id[0].message.contains("校验"), "{bad_id:?}");
    let bad_reason: Vec<_> = import.rows[2]
        .problems
        .iter()
        .map(|p| (p.column, p.message.as_str()))
        .collect();
    assert!(
        bad_reason
            .iter()
            .any(|(c, m)| *c == Some(8) && m.contains("月工资")),
        "{bad_reason:?}"
    );
    assert!(
        bad_reason
            .iter()
            .any(|(c, m)| *c == Some(9) && m.contains("跳槽")),
        "{bad_reason:?}"
    );
    assert!(
        import.rows[3].problems[0].message.contains("第 2 行"),
        "{:?}",
        import.rows[3]
    );
}

#[test]
fn all_or_nothing_imports_nothing_when_a_row_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    let import = run(&mixed_file(dir.path()), &[], true);
    assert!(import.refused_whole_file);
    assert_eq!(import.imported(), 0);
    assert_eq!(import.rejected(), 3);

    let good = dir.path().join("good.xlsx");
    write_xlsx(&good, &HIRE_HEADERS, &[hire_row(1), hire_row(2)]);
    let import = run(&good, &[], true);
    assert!(!import.refused_whole_file);
    assert_eq!(import.imported(), 2);
}

#[test]
fn people_already_among_the_drafts_are_not_imported_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.xlsx");
    write_xlsx(&path, &HIRE_HEADERS, &[hire_row(1), hire_row(2)]);
    let first = run(&path, &[], false);
    let mut existing: Vec<Draft> = first
        .drafts
        .iter()
        .enumerate()
        .map(|(i, d)| Draft {
            id: i as i64 + 1,
            kind: d.kind,
            period: d.period.clone(),
            item: d.item.clone(),
            problems: vec![],
            updated_at: String::new(),
        })
        .collect();
    // The same file again: nothing new, nothing refused.
    let again = run(&path, &existing, false);
    assert_eq!(
        (again.imported(), again.already_drafts(), again.rejected()),
        (0, 2, 0)
    );
    // The same person with another wage is a conflict the clerk must settle.
    existing[1].item["wage"] = json!("7000.00");
    let conflict = run(&path, &existing, false);
    assert_eq!(conflict.rejected(), 1);
    assert!(
        conflict.rows[1].problems[0].message.contains("草稿 2"),
        "{:?}",
        conflict.rows[1]
    );
}

#[test]
fn a_missing_required_column_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("short.xlsx");
    write_xlsx(&path, &HIRE_HEADERS[..8], &[hire_row(1)[..8].to_vec()]);
    let err = prepare(
        &path,
        &options(DeclarationKind::Hire),
        None,
        &[],
        &mut |_| {},
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("月工资 (wage)") && text.contains("增员原因 (reason)"),
        "{text}"
    );
}

#[test]
fn the_report_keeps_the_clerks_sheet_and_explains_each_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report-source.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "名单").unwrap();
    let mut headers = HIRE_HEADERS.to_vec();
    headers.push("部门");
    let mut rows = vec![hire_row(1), hire_row(2)];
    rows[1][1] = "110105199003071230".into();
    for r in &mut rows {
        r.push("财务部".into());
    }
    write_rows(sheet, 1, &headers, &rows);
    sheet.write_number(2, 12, 3.5).unwrap();
    workbook.save(&path).unwrap();

    let import = run(&path, &[], false);
    let out = dir.path().join("report.xlsx");
    write_report(&import, &out).unwrap();

    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let range = book.worksheet_range("Sheet1").unwrap();
    let text = |r: usize, c: usize| match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        _ => String::new(),
    };
    assert_eq!(text(0, 0), "名单");
    assert_eq!(text(1, 10), "部门");
    assert_eq!(
        text(1, 13),
        "错误说明",
        "the column is added after all of the clerk's"
    );
    assert_eq!(text(2, 1), resident_id(1));
    assert_eq!(text(3, 1), "110105199003071230");
    assert_eq!(text(2, 10), "财务部");
    assert_eq!(text(2, 12), "3.5", "cells beyond the headers survive");
    assert_eq!(text(2, 13), "", "a good row has no explanation");
    assert!(text(3, 13).starts_with("证件号码："), "{}", text(3, 13));

    // The bad cell carries a comment with the reason.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut comments = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/comments1.xml").unwrap(), &mut comments)
        .unwrap();
    assert!(comments.contains("ref=\"B4\""), "{comments}");

    // Importing the corrected report again skips the 错误说明 column.
    let again = run(&out, &[], false);
    assert!(again.ignored_columns.iter().all(|c| c != "错误说明"));
    assert_eq!(again.ignored_columns, vec!["部门".to_owned()]);
    assert_eq!((again.imported(), again.rejected()), (1, 1));
}

#[test]
fn gbk_csv_imports_like_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("增员.csv");
    let mut text = HIRE_HEADERS.join(",") + "\n";
    text += &hire_row(1).join(",");
    text += "\n,,,,,,,,,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(&path, gbk).unwrap();
    let import = run(&path, &[], false);
    assert_eq!((import.imported(), import.rejected()), (1, 0));
    assert_eq!(import.drafts[0].item["name"], "张三");
}

#[test]
fn an_ods_file_from_libreoffice_imports_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("增员.ods");
    let cell = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let row = |cells: &[String]| {
        format!(
            "<table:table-row>{}</table:table-row>",
            cells.iter().map(|c| cell(c)).collect::<String>()
        )
    };
    let headers: Vec<String> = HIRE_HEADERS.iter().map(|h| (*h).to_owned()).collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"增员\">{}{}</table:table>\
         </office:spreadsheet></office:body></office:document-content>",
        row(&headers),
        row(&hire_row(1))
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    std::io::Write::write_all(&mut zip, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    std::io::Write::write_all(
        &mut zip,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
         <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
         </manifest:manifest>"
            .as_bytes(),
    )
    .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    std::io::Write::write_all(&mut zip, content.as_bytes()).unwrap();
    zip.finish().unwrap();
    let import = run(&path, &[], false);
    assert_eq!(
        (import.imported(), import.rejected()),
        (1, 0),
        "{:?}",
        import.rows
    );
    assert_eq!(import.sheet.name, "增员");
}
