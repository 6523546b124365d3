//! UTF-8 CSV: one person per row, columns matched by header.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use super::columns::{Target, target};
use crate::drafts::NewDraft;
use crate::error::{Result, StoreError};
use crate::model::DeclarationKind;

/// What a file yielded.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// One draft per non-empty row, in file order.
    pub drafts: Vec<NewDraft>,
    /// Headers that match no field (their columns were ignored).
    pub ignored_columns: Vec<String>,
}

/// Read `path` as drafts of `kind`; rows without a period column get `default_period`.
pub fn read_csv(path: &Path, kind: DeclarationKind, default_period: &str) -> Result<ImportReport> {
    let file = std::fs::File::open(path).map_err(|e| StoreError::Import {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    read_csv_from(file, kind, default_period).map_err(|reason| StoreError::Import {
        path: path.to_path_buf(),
        reason,
    })
}

/// Read CSV text from `input`; the error is a sentence about the file.
pub fn read_csv_from(
    input: impl Read,
    kind: DeclarationKind,
    default_period: &str,
) -> Result<ImportReport, String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(input);
    let headers = reader.headers().map_err(describe)?.clone();
    let changes_kind = matches!(
        kind,
        DeclarationKind::UnitChange | DeclarationKind::PersonChange
    );
    let mut ignored = Vec::new();
    let targets: Vec<Option<Target>> = headers
        .iter()
        .map(|h| {
            let t = target(kind, h);
            if t.is_none() && !changes_kind && !h.trim().is_empty() {
                ignored.push(h.to_owned());
            }
            t
        })
        .collect();
    if !changes_kind && targets.iter().all(Option::is_none) {
        return Err(format!(
            "no column header names a field of a {kind} item (expected names such as \
             document_no or 证件号码 in the first row)"
        ));
    }
    let mut drafts = Vec::new();
    for record in reader.records() {
        let record = record.map_err(describe)?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut item = Map::new();
        let mut changes = Map::new();
        let mut period = default_period.to_owned();
        for (i, cell) in record.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            match targets.get(i).copied().flatten() {
                Some(Target::Field(f)) => {
                    item.insert(f.into(), Value::String(cell.into()));
                }
                Some(Target::CodeList(f)) => {
                    let codes = cell
                        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';'))
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.into()))
                        .collect();
                    item.insert(f.into(), Value::Array(codes));
                }
                Some(Target::Period) => period = cell.to_owned(),
                None if changes_kind => {
                    if let Some(h) = headers.get(i) {
                        changes.insert(h.trim().into(), Value::String(cell.into()));
                    }
                }
                None => {}
            }
        }
        if changes_kind {
            item.insert("changes".into(), Value::Object(changes));
        }
        drafts.push(NewDraft {
            kind,
            period,
            item: Value::Object(item),
        });
    }
    Ok(ImportReport {
        drafts,
        ignored_columns: ignored,
    })
}

fn describe(e: ::csv::Error) -> String {
    match e.position() {
        Some(p) => format!("line {}: {}", p.line(), e),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chinese_headers_and_several_insurance_types_in_one_cell() {
        let text = "\u{feff}证件类型,证件号码,姓名,险种,工资,鞋码\n\
                    01,11010519491231002X,张三,110 210  310,6500.00,42\n\
                    ,,,,,\n";
        let report = read_csv_from(text.as_bytes(), DeclarationKind::Hire, "2026-11").unwrap();
        assert_eq!(report.ignored_columns, vec!["鞋码".to_owned()]);
        assert_eq!(report.drafts.len(), 1);
        assert_eq!(
            report.drafts[0].item,
            json!({"document_type": "01", "document_no": "11010519491231002X", "name": "张三",
                   "insurance_types": ["110", "210", "310"], "wage": "6500.00"})
        );
        assert_eq!(report.drafts[0].period, "2026-11");
    }

    #[test]
    fn a_person_change_puts_other_columns_into_changes() {
        let text = "document_type,document_no,phone\n01,440524188001010014,13800000000\n";
        let report =
            read_csv_from(text.as_bytes(), DeclarationKind::PersonChange, "2026-11").unwrap();
        assert_eq!(
            report.drafts[0].item,
            json!({"document_type": "01", "document_no": "440524188001010014",
                   "changes": {"phone": "13800000000"}})
        );
    }

    #[test]
    fn a_file_without_known_headers_is_refused() {
        let err = read_csv_from("a,b\n1,2\n".as_bytes(), DeclarationKind::Leave, "2026-11");
        assert!(err.unwrap_err().contains("证件号码"));
    }
}
