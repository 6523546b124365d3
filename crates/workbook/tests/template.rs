//! Templates read back: headers, the example row, drop-down lists from the code tables.

use std::io::Read;

use calamine::{Data, Reader, Xlsx, open_workbook};
use shebao_core::declaration::DeclarationKind;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_workbook::template::LISTS_SHEET;
use shebao_workbook::{prepare, write_template};

mod common;

#[test]
fn a_hire_template_has_headers_notes_lists_and_imports_as_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hire.xlsx");
    let reference = ReferenceData::demo();
    write_template(DeclarationKind::Hire, &reference, &path).unwrap();

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["在职增员".to_owned(), LISTS_SHEET.to_owned()]
    );
    let range = book.worksheet_range("在职增员").unwrap();
    let header: Vec<String> = (0..12)
        .map(|c| range.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(header[..3], ["*证件类型", "*证件号码", "*姓名"]);
    assert_eq!(header[3], "民族", "optional columns have no mark");
    assert_eq!(range.get((1, 0)), Some(&Data::String("居民身份证".into())));
    let lists = book.worksheet_range(LISTS_SHEET).unwrap();
    let ethnicities: Vec<String> = lists
        .rows()
        .skip(1)
        .filter_map(|r| r.get(1).map(|d| d.to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        ethnicities.len(),
        reference.codes(CodeTable::Ethnicities).count()
    );
    assert_eq!(ethnicities[0], "汉族");

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains("<dataValidation type=\"list\""),
        "drop-downs present"
    );
    assert!(
        xml.contains("'代码表'!$B$2:$B$59"),
        "ethnicity list covers the table"
    );
    let mut comments = String::new();
    zip.by_name("xl/comments1.xml")
        .unwrap()
        .read_to_string(&mut comments)
        .unwrap();
    assert!(
        comments.contains("18 位身份证号码"),
        "each header explains itself"
    );

    // A template filled with nothing but the example row imports nothing.
    let import = prepare(
        &path,
        &common::options(DeclarationKind::Hire),
        Some(&reference),
        &[],
        &mut |_| {},
    )
    .unwrap();
    assert_eq!((import.imported(), import.rejected()), (0, 0));
}

#[test]
fn a_filled_leave_template_imports_names_as_codes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leave.xlsx");
    let reference = ReferenceData::demo();
    write_template(DeclarationKind::Leave, &reference, &path).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("在职减员").unwrap();
    let header: Vec<String> = (0..7)
        .map(|c| range.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let rows = vec![vec![
        "居民身份证".to_owned(),
        common::resident_id(5),
        "张三".into(),
        "离职".into(),
        "2026/11/3".into(),
        "202612".into(),
        String::new(),
    ]];
    let headers: Vec<&str> = header.iter().map(String::as_str).collect();
    let filled = dir.path().join("filled.xlsx");
    common::write_xlsx(&filled, &headers, &rows);
    let import = prepare(
        &filled,
        &common::options(DeclarationKind::Leave),
        Some(&reference),
        &[],
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(import.rejected(), 0, "{:?}", import.rows);
    let item = &import.drafts[0].item;
    assert_eq!(
        (
            item["reason"].as_str(),
            item["left_on"].as_str(),
            item["stop_month"].as_str()
        ),
        (Some("21"), Some("2026-11-03"), Some("2026-12"))
    );
}
