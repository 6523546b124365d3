//! xlsx, xls and ods through calamine, behind the checks that keep a bad file from hurting:
//! password protection is recognised and named, a zip that would unpack to more than
//! [`MAX_UNCOMPRESSED_BYTES`] is refused before anything is unpacked, and an xlsx sheet is
//! streamed so a file with a million rows is refused at row [`MAX_ROWS`] without holding them.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, Xlsx};

use crate::error::{
    MAX_CSV_BYTES, MAX_ROWS, MAX_UNCOMPRESSED_BYTES, Result, WorkbookError, cell_name,
};
use crate::sheet::{Cell, Format, Sheet};

/// Rows above the header a sheet may have (titles, notes) on top of [`MAX_ROWS`] people.
const SPARE_ROWS: usize = 20;
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads the first sheet of an xlsx, xls or ods file.
pub fn read(path: &Path, format: Format) -> Result<Sheet> {
    let io = |source| WorkbookError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    let mut magic = [0u8; 8];
    let got = file.read(&mut magic).map_err(io)?;
    file.rewind().map_err(io)?;
    let magic = &magic[..got];
    let damaged = |detail: String| WorkbookError::Damaged {
        path: path.to_path_buf(),
        format: format_name(format),
        detail,
    };
    if magic.starts_with(OLE_MAGIC) {
        // An OLE file is read whole (calamine's xls reader, the encryption probe), so its size
        // is the bound.
        if file.metadata().map_err(io)?.len() > MAX_CSV_BYTES {
            return Err(WorkbookError::TooLarge {
                path: path.to_path_buf(),
                limit_mb: MAX_CSV_BYTES >> 20,
            });
        }
        // Excel wraps a password-protected xlsx in an OLE container with an EncryptedPackage
        // stream; an OLE file named .xlsx without one is an old .xls renamed.
        if format != Format::Xls && is_encrypted_package(path).map_err(io)? {
            return Err(WorkbookError::Encrypted {
                path: path.to_path_buf(),
            });
        }
        return read_xls(path, file);
    }
    if !magic.starts_with(ZIP_MAGIC) {
        return Err(damaged(
            "it is neither an Excel nor an OpenDocument container".into(),
        ));
    }
    check_zip(path, &mut file, format)?;
    file.rewind().map_err(io)?;
    match format {
        Format::Ods => read_ods(path, file),
        _ => read_xlsx(path, file),
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Xlsx => "xlsx",
        Format::Xls => "xls",
        Format::Ods => "ods",
        Format::Csv => "CSV",
    }
}

/// Whether an OLE file holds an encrypted Office Open XML package. The stream name sits in the
/// directory as UTF-16, so a byte search finds it without an OLE reader.
fn is_encrypted_package(path: &Path) -> std::io::Result<bool> {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let bytes = std::fs::read(path)?;
    Ok(bytes.windows(needle.len()).any(|w| w == needle.as_slice()))
}

/// Refuses a zip whose entries would unpack to more than the limit, or that is encrypted.
fn check_zip(path: &Path, file: &mut File, format: Format) -> Result<()> {
    let mut archive = zip::ZipArchive::new(&mut *file).map_err(|e| WorkbookError::Damaged {
        path: path.to_path_buf(),
        format: format_name(format),
        detail: e.to_string(),
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        // The raw entry reads only the directory record; nothing is inflated.
        let Ok(entry) = archive.by_index_raw(i) else {
            continue;
        };
        if entry.encrypted() {
            return Err(WorkbookError::Encrypted {
                path: path.to_path_buf(),
            });
        }
        total = total.saturating_add(entry.size());
        if total > MAX_UNCOMPRESSED_BYTES {
            return Err(WorkbookError::TooLarge {
                path: path.to_path_buf(),
                limit_mb: MAX_UNCOMPRESSED_BYTES >> 20,
            });
        }
    }
    Ok(())
}

fn read_xlsx(path: &Path, file: File) -> Result<Sheet> {
    let damaged = |detail: String| WorkbookError::Damaged {
        path: path.to_path_buf(),
        format: "xlsx",
        detail,
    };
    let mut workbook: Xlsx<_> =
        Xlsx::new(BufReader::new(file)).map_err(|e| damaged(e.to_string()))?;
    let name = first_sheet(path, workbook.sheet_names())?;
    let merged = workbook
        .merge_cells_by_sheet_name(&name)
        .map_err(|e| damaged(e.to_string()))?;
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| damaged(e.to_string()))?;
    let mut sheet = Sheet {
        name,
        rows: Vec::new(),
    };
    while let Some(cell) = reader
        .next_cell_with_formula()
        .map_err(|e| damaged(e.to_string()))?
    {
        let (row, column) = (cell.pos.0 as usize, cell.pos.1 as usize);
        if row >= MAX_ROWS + SPARE_ROWS {
            return Err(WorkbookError::TooManyRows {
                path: path.to_path_buf(),
            });
        }
        let value = from_data_ref(cell.value);
        if let Some(formula) = cell.formula
            && value.is_blank()
        {
            return Err(WorkbookError::FormulaWithoutValue {
                path: path.to_path_buf(),
                cell: cell_name(row, column),
                formula,
            });
        }
        if value != Cell::Empty {
            sheet.set(row, column, value);
        }
    }
    spread_merged(&mut sheet, &merged);
    Ok(sheet)
}

fn read_xls(path: &Path, file: File) -> Result<Sheet> {
    let damaged = |detail: String| WorkbookError::Damaged {
        path: path.to_path_buf(),
        format: "xls",
        detail,
    };
    let mut workbook: Xls<_> = match Xls::new(BufReader::new(file)) {
        Ok(w) => w,
        Err(calamine::XlsError::Password) => {
            return Err(WorkbookError::Encrypted {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(damaged(e.to_string())),
    };
    let name = first_sheet(path, workbook.sheet_names())?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| damaged(e.to_string()))?;
    #[allow(deprecated)]
    let merged = workbook.worksheet_merge_cells(&name).unwrap_or_default();
    let mut sheet = from_range(path, name, &range)?;
    spread_merged(&mut sheet, &merged);
    Ok(sheet)
}

fn read_ods(path: &Path, file: File) -> Result<Sheet> {
    let mut workbook: Ods<_> = match Ods::new(BufReader::new(file)) {
        Ok(w) => w,
        Err(calamine::OdsError::Password) => {
            return Err(WorkbookError::Encrypted {
                path: path.to_path_buf(),
            });
        }
        Err(e) => {
            return Err(WorkbookError::Damaged {
                path: path.to_path_buf(),
                format: "ods",
                detail: e.to_string(),
            });
        }
    };
    let name = first_sheet(path, workbook.sheet_names())?;
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| WorkbookError::Damaged {
            path: path.to_path_buf(),
            format: "ods",
            detail: e.to_string(),
        })?;
    from_range(path, name, &range)
}

fn first_sheet(path: &Path, names: Vec<String>) -> Result<String> {
    names
        .into_iter()
        .next()
        .ok_or_else(|| WorkbookError::Empty {
            path: path.to_path_buf(),
        })
}

fn from_range(path: &Path, name: String, range: &calamine::Range<Data>) -> Result<Sheet> {
    let mut sheet = Sheet {
        name,
        rows: Vec::new(),
    };
    let Some((top, left)) = range.start() else {
        return Ok(sheet);
    };
    if top as usize + range.height() > MAX_ROWS + SPARE_ROWS {
        return Err(WorkbookError::TooManyRows {
            path: path.to_path_buf(),
        });
    }
    for (r, row) in range.rows().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let cell = from_data(value);
            if cell != Cell::Empty {
                sheet.set(top as usize + r, left as usize + c, cell);
            }
        }
    }
    Ok(sheet)
}

/// A merged block shows its top-left value in every cell it covers, so each row under a merged
/// 增员原因 gets that reason.
fn spread_merged(sheet: &mut Sheet, merged: &[Dimensions]) {
    let (height, width) = (sheet.rows.len(), sheet.width());
    for block in merged {
        let (top, left) = (block.start.0 as usize, block.start.1 as usize);
        let value = sheet.cell(top, left).clone();
        if value == Cell::Empty {
            continue;
        }
        let bottom = (block.end.0 as usize).min(height.saturating_sub(1));
        let right = (block.end.1 as usize).min(width.saturating_sub(1));
        for row in top..=bottom {
            for column in left..=right {
                if (row, column) != (top, left) {
                    sheet.set(row, column, value.clone());
                }
            }
        }
    }
}

fn from_data(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => match d.as_datetime() {
            Some(at) if d.is_datetime() => Cell::Date(at),
            _ => Cell::Number(d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn from_data_ref(value: DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_owned()),
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(at) if d.is_datetime() => Cell::Date(at),
            _ => Cell::Number(d.as_f64()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}
