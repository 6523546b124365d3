//! A clerk's workbook or CSV file, whatever it holds: xlsx, ods and xls (through calamine) or
//! CSV in any encoding. The first byte picks the format the rest is read as, so one corpus
//! covers them all. Reading and checking must end in rows or an error; a row that passes must
//! be one the core's validation accepts, and the annotated report must be writable.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use shebao_core::reference::ReferenceData;
use shebao_store::DeclarationKind;
use shebao_workbook::{ImportOptions, prepare, write_report};

const FORMATS: [&str; 4] = ["csv", "xlsx", "ods", "xls"];

fuzz_target!(|input: &[u8]| {
    let Some((&selector, body)) = input.split_first() else {
        return;
    };
    let extension = FORMATS[usize::from(selector) % FORMATS.len()];
    let kind = match selector / 4 % 3 {
        0 => DeclarationKind::Hire,
        1 => DeclarationKind::Leave,
        _ => DeclarationKind::Wage,
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(format!("input.{extension}"));
    let mut file = std::fs::File::create(&path).expect("the input file");
    file.write_all(body).expect("written");
    drop(file);
    let options = ImportOptions {
        kind,
        default_period: "2026-11".into(),
        encoding: None,
        all_or_nothing: selector & 0x80 != 0,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date"),
    };
    let reference = ReferenceData::demo();
    let Ok(import) = prepare(&path, &options, Some(&reference), &[], &mut |_| {}) else {
        return;
    };
    assert!(
        import.imported() + import.rejected() + import.already_drafts() <= import.rows.len(),
        "more outcomes than rows"
    );
    if import.refused_whole_file {
        assert_eq!(import.imported(), 0, "a refused file saves nothing");
    }
    let report = dir.path().join("report.xlsx");
    // The report may fail only for reasons of the file system or the writer's limits.
    let _ = write_report(&import, &report);
});
