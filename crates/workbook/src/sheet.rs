//! The first sheet of a clerk's file as rows of cells, whatever the file format; the import,
//! the report and the bench all start from here.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::csv_text::{self, TextEncoding};
use crate::error::{Result, WorkbookError};
use crate::spreadsheet;

/// One cell as the clerk left it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// Nothing in it.
    #[default]
    Empty,
    /// Text (every CSV cell is text).
    Text(String),
    /// A number, which may be an Excel serial date in a cell without a date format.
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A cell with a date format.
    Date(NaiveDateTime),
    /// An error value such as #N/A or #REF!.
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing, or only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the clerk sees it, for headers and reports.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => crate::normalise::number_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cell::Date(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Cell::Error(e) => e.clone(),
        }
    }
}

/// The first sheet of a file: its name and its rows, blank rows kept so row numbers match what
/// the clerk sees.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet's name ("Sheet1"; the file's name for CSV).
    pub name: String,
    /// Rows from the first, each as long as its last non-empty cell.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The cell at (row, column), `Empty` beyond the data.
    pub fn cell(&self, row: usize, column: usize) -> &Cell {
        const EMPTY: &Cell = &Cell::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .unwrap_or(EMPTY)
    }

    /// Sets a cell, growing the sheet as needed.
    pub(crate) fn set(&mut self, row: usize, column: usize, value: Cell) {
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = value;
    }

    /// The number of columns of the widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// The formats shebao reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (Excel 2007 and later, WPS).
    Xlsx,
    /// The older binary Excel workbook.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice).
    Ods,
    /// Comma-separated text.
    Csv,
}

impl Format {
    /// The format a file's name says it has.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" | "xlsm" => Format::Xlsx,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            "csv" | "txt" => Format::Csv,
            _ => return None,
        })
    }
}

/// Reads the first sheet of `path`. `encoding` forces the text encoding of a CSV file.
pub fn read_sheet(path: &Path, encoding: Option<TextEncoding>) -> Result<Sheet> {
    let format = Format::of(path).ok_or_else(|| WorkbookError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    match format {
        Format::Csv => csv_text::read_csv(path, encoding),
        other => spreadsheet::read(path, other),
    }
}
