//! Writing a list the clerk sees to a file they open in Excel: an xlsx workbook (through
//! shebao-workbook, numbers kept as text so no digit of an ID is lost) or CSV in UTF-8 with a
//! byte order mark, which is what makes Excel on a Chinese Windows read it as UTF-8 rather than
//! GBK. The file name's extension decides.

use std::io::Write;
use std::path::{Path, PathBuf};

use iced::widget::{button, row, text, text_input};
use iced::{Alignment, Element, Length};

use crate::fl;
use shebao_workbook::export::{ExportSheet, ExportValue, write_sheets};

/// A file format a list can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Xlsx,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// The format a file name asks for: `.csv` is CSV, anything else a workbook.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Xlsx,
        }
    }
}

/// Why an export failed, in words the clerk can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ExportError {
    #[error("请填写要导出到的文件路径。")]
    NoPath,
    #[error("无法写入文件 {path}：{reason}。请换一个文件夹，或关闭正在打开此文件的程序后重试。")]
    Write { path: PathBuf, reason: String },
}

/// A table to export: the headings and the rows, cell by cell.
pub struct Sheet {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Write `sheet` to `path` in `format`; the file is complete or not there.
pub fn write(sheet: &Sheet, path: &Path, format: Format) -> Result<usize, ExportError> {
    if path.as_os_str().is_empty() {
        return Err(ExportError::NoPath);
    }
    let failed = |e: std::io::Error| ExportError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    match format {
        Format::Csv => {
            let mut file = std::fs::File::create(&partial).map_err(failed)?;
            file.write_all(csv(sheet).as_bytes()).map_err(failed)?;
            file.sync_all().map_err(failed)?;
        }
        Format::Xlsx => {
            let name = path
                .file_stem()
                .map_or_else(|| "export".to_owned(), |s| s.to_string_lossy().into_owned());
            let workbook = ExportSheet {
                name,
                headers: sheet.headings.clone(),
                rows: sheet
                    .rows
                    .iter()
                    .map(|row| row.iter().map(|c| ExportValue::Text(c.clone())).collect())
                    .collect(),
            };
            write_sheets(&[workbook], &partial).map_err(|e| ExportError::Write {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        }
    }
    std::fs::rename(&partial, path).map_err(failed)?;
    Ok(sheet.rows.len())
}

fn csv(sheet: &Sheet) -> String {
    let mut out = String::from("\u{feff}");
    let mut line = |cells: &[String]| {
        let quoted: Vec<String> = cells.iter().map(|c| quote(c)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    line(&sheet.headings);
    for row in &sheet.rows {
        line(row);
    }
    out
}

/// Quoted when needed; a leading `=`, `+`, `-` or `@` is defused so Excel never runs a cell
/// as a formula.
fn quote(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '@'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err())
    {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// Where an export goes unless the clerk types another path: the data folder's 导出 folder.
pub fn default_path(data: &Path, name: &str, format: Format) -> String {
    let day = chrono::Local::now().format("%Y%m%d");
    data.join("exports")
        .join(format!("{name}-{day}.{}", format.extension()))
        .display()
        .to_string()
}

/// The export bar under a list: the file path and the button.
pub fn bar<'a, M: Clone + 'a>(
    path: &'a str,
    on_path: impl Fn(String) -> M + 'a,
    on_export: M,
    outcome: Option<&'a Result<usize, ExportError>>,
) -> Element<'a, M> {
    let mut bar = row![
        text(fl!("export-to")),
        text_input("", path).on_input(on_path).width(Length::Fill),
        button(text(fl!("export-button"))).on_press(on_export),
    ]
    .spacing(10)
    .align_y(Alignment::Center);
    match outcome {
        Some(Ok(n)) => {
            bar = bar.push(
                text(fl!("export-done", rows = n.to_string()))
                    .size(13)
                    .style(text::success),
            )
        }
        Some(Err(e)) => bar = bar.push(text(e.to_string()).size(13).style(text::danger)),
        None => {}
    }
    bar.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xlsx_export_keeps_every_digit_of_an_id_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("人员.xlsx");
        let sheet = Sheet {
            headings: vec!["姓名".into(), "证件号码".into()],
            rows: vec![vec!["张三".into(), "350102199003150011".into()]],
        };
        assert_eq!(Format::of(&path), Format::Xlsx);
        assert_eq!(write(&sheet, &path, Format::of(&path)).unwrap(), 1);
        let read = shebao_workbook::read_sheet(&path, None).unwrap();
        assert_eq!(read.cell(1, 1).display(), "350102199003150011");
        assert_eq!(read.cell(0, 0).display(), "姓名");
        assert!(!dir.path().join("人员.xlsx.partial").exists());
    }

    #[test]
    fn the_csv_opens_in_excel_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out").join("people.csv");
        let sheet = Sheet {
            headings: vec!["姓名".into(), "备注".into()],
            rows: vec![
                vec!["张三".into(), "a,b".into()],
                vec!["=SUM(A1)".into(), "-12.50".into()],
            ],
        };
        assert_eq!(write(&sheet, &path, Format::Csv).unwrap(), 2);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "\u{feff}姓名,备注\r\n张三,\"a,b\"\r\n'=SUM(A1),-12.50\r\n"
        );
        assert!(matches!(
            write(&sheet, Path::new(""), Format::Csv),
            Err(ExportError::NoPath)
        ));
    }
}
