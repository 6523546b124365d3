//! Files that must fail clearly and safely, each built here.

mod common;

use std::io::Write;

use common::import_hires as import;
use common::{HIRE_HEADERS, hire_row, write_xlsx};
use rust_xlsxwriter::{Format, Formula, Workbook};
use shebao_workbook::{MAX_ROWS, WorkbookError};

#[test]
fn a_damaged_workbook_is_named_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    write_xlsx(&good, &HIRE_HEADERS, &[hire_row(1)]);
    let bytes = std::fs::read(&good).unwrap();

    let truncated = dir.path().join("truncated.xlsx");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let garbage = dir.path().join("garbage.xlsx");
    std::fs::write(&garbage, b"this is not a workbook at all").unwrap();
    let renamed = dir.path().join("renamed.ods");
    std::fs::write(&renamed, &bytes).unwrap();
    for path in [&truncated, &garbage, &renamed] {
        let err = import(path).unwrap_err();
        assert!(
            matches!(err, WorkbookError::Damaged { .. }),
            "{path:?}: {err}"
        );
        assert!(err.to_string().contains("save it again"), "{err}");
    }
}

#[test]
fn a_password_protected_workbook_says_how_to_remove_the_password() {
    let dir = tempfile::tempdir().unwrap();
    // The shape Excel gives an encrypted xlsx: an OLE container with an EncryptedPackage stream.
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend("EncryptedInfo".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend([0u8; 16]);
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(4096, 0);
    let path = dir.path().join("secret.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let err = import(&path).unwrap_err();
    assert!(matches!(err, WorkbookError::Encrypted { .. }), "{err}");
    assert!(err.to_string().contains("remove the password"), "{err}");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..(shebao_workbook::MAX_UNCOMPRESSED_BYTES >> 20) + 1 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(
        std::fs::metadata(&path).unwrap().len() < 2 << 20,
        "small on disk"
    );
    let err = import(&path).unwrap_err();
    assert!(matches!(err, WorkbookError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("256 MB"), "{err}");
}

#[test]
fn too_many_rows_are_refused_with_the_limit_stated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "证件号码").unwrap();
    sheet.write_string(0, 1, "姓名").unwrap();
    for r in 1..=(MAX_ROWS as u32 + 30) {
        sheet.write_number(r, 1, 1).unwrap();
    }
    workbook.save(&path).unwrap();
    let err = import(&path).unwrap_err();
    assert!(matches!(err, WorkbookError::TooManyRows { .. }), "{err}");
    assert!(err.to_string().contains(&MAX_ROWS.to_string()), "{err}");

    let csv = dir.path().join("huge.csv");
    let mut text = String::from("证件号码,姓名\n");
    text.push_str(&"1,a\n".repeat(MAX_ROWS + 2));
    std::fs::write(&csv, text).unwrap();
    assert!(matches!(
        import(&csv),
        Err(WorkbookError::TooManyRows { .. })
    ));
}

#[test]
fn formulas_count_by_their_saved_results_and_one_without_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formula.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    common::write_rows(sheet, 0, &HIRE_HEADERS, &[hire_row(1)]);
    sheet
        .write_formula(1, 8, Formula::new("=6000+500").set_result("6500"))
        .unwrap();
    workbook.save(&path).unwrap();
    let import = import(&path).unwrap();
    assert_eq!(import.imported(), 1, "{:?}", import.rows);
    assert_eq!(import.drafts[0].item["wage"], "6500");

    let unsaved = dir.path().join("unsaved.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    common::write_rows(sheet, 0, &HIRE_HEADERS, &[hire_row(1)]);
    sheet
        .write_formula(1, 2, Formula::new("=VLOOKUP(B2,名册!A:B,2,0)"))
        .unwrap();
    workbook.save(&unsaved).unwrap();
    drop_cached_results(&unsaved);
    let err = self::import(&unsaved).unwrap_err();
    assert!(
        matches!(err, WorkbookError::FormulaWithoutValue { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("C2"), "{err}");
}

#[test]
fn a_merged_cell_gives_its_value_to_every_row_it_covers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let mut rows = vec![hire_row(1), hire_row(2), hire_row(3)];
    for r in &mut rows {
        r[9] = String::new();
    }
    common::write_rows(sheet, 0, &HIRE_HEADERS, &rows);
    sheet
        .merge_range(1, 9, 3, 9, "新参加工作", &Format::new())
        .unwrap();
    workbook.save(&path).unwrap();
    let import = import(&path).unwrap();
    assert_eq!(import.imported(), 3, "{:?}", import.rows);
    assert!(import.drafts.iter().all(|d| d.item["reason"] == "11"));
}

#[test]
fn a_file_without_headers_or_of_an_unknown_kind_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing.xlsx");
    write_xlsx(&path, &["a", "b"], &[vec!["1".into(), "2".into()]]);
    let err = import(&path).unwrap_err();
    assert!(err.to_string().contains("shebao template hire"), "{err}");
    let pdf = dir.path().join("scan.pdf");
    std::fs::write(&pdf, b"%PDF").unwrap();
    assert!(matches!(
        import(&pdf),
        Err(WorkbookError::UnknownFormat { .. })
    ));
}

/// Removes the saved results of formulas, as a file written by a program that never
/// calculates looks.
fn drop_cached_results(path: &std::path::Path) {
    use std::io::Read;
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(path).expect("the test workbook is rewritten"))
            .expect("the test workbook is rewritten");
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("the test workbook is rewritten");
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .expect("the test workbook is rewritten");
        parts.push((
            entry
                .name()
                .expect("the test workbook is rewritten")
                .into_owned(),
            bytes,
        ));
    }
    let mut out =
        zip::ZipWriter::new(std::fs::File::create(path).expect("the test workbook is rewritten"));
    for (name, bytes) in parts {
        let bytes = if name.ends_with("sheet1.xml") {
            let xml = String::from_utf8(bytes).expect("the test workbook is rewritten");
            let mut cleaned = String::new();
            let mut rest = xml.as_str();
            while let Some(at) = rest.find("</f><v>") {
                cleaned.push_str(&rest[..at + 4]);
                let after = &rest[at + 4..];
                let end = after.find("</v>").expect("the test workbook is rewritten") + 4;
                rest = &after[end..];
            }
            cleaned.push_str(rest);
            cleaned.into_bytes()
        } else {
            bytes
        };
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("the test workbook is rewritten");
        out.write_all(&bytes)
            .expect("the test workbook is rewritten");
    }
    out.finish().expect("the test workbook is rewritten");
}
