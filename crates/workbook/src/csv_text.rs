//! CSV text as clerks save it: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"),
//! or GBK/GB18030 (what Excel and WPS write for "CSV" on a Chinese Windows).

use std::io::Read;
use std::path::Path;

use encoding_rs::{GB18030, UTF_8};

use crate::error::{MAX_CSV_BYTES, MAX_ROWS, Result, WorkbookError};
use crate::sheet::{Cell, Sheet};

/// The text encodings of CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// GBK, read as its superset GB18030.
    Gbk,
}

impl std::str::FromStr for TextEncoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            "gbk" | "gb18030" | "gb2312" | "cp936" => Ok(TextEncoding::Gbk),
            other => Err(format!(
                "“{other}” is not an encoding shebao reads; use utf-8 or gbk"
            )),
        }
    }
}

/// Decodes CSV bytes: with `forced`, as that encoding; otherwise UTF-8 when the bytes are valid
/// UTF-8 (a BOM settles it), else GBK. Returns the text and the encoding used.
pub fn decode(
    bytes: &[u8],
    forced: Option<TextEncoding>,
) -> Result<(String, TextEncoding), String> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF");
    let encoding = match forced {
        Some(e) => e,
        None if without_bom.is_some() => TextEncoding::Utf8,
        // Valid UTF-8 that is not plain ASCII is almost never GBK by accident: GBK's two-byte
        // sequences rarely form valid UTF-8 runs across a whole file.
        None if std::str::from_utf8(bytes).is_ok() => TextEncoding::Utf8,
        None => TextEncoding::Gbk,
    };
    let body = without_bom.unwrap_or(bytes);
    let decoded = match encoding {
        TextEncoding::Utf8 => UTF_8.decode_without_bom_handling_and_without_replacement(body),
        TextEncoding::Gbk => GB18030.decode_without_bom_handling_and_without_replacement(body),
    };
    match decoded {
        Some(text) => Ok((text.into_owned(), encoding)),
        None => Err(first_bad_line(body, encoding)),
    }
}

/// Where the first undecodable byte is, as " (line N)".
fn first_bad_line(body: &[u8], encoding: TextEncoding) -> String {
    let codec = match encoding {
        TextEncoding::Utf8 => UTF_8,
        TextEncoding::Gbk => GB18030,
    };
    for (i, line) in body.split(|b| *b == b'\n').enumerate() {
        if codec
            .decode_without_bom_handling_and_without_replacement(line)
            .is_none()
        {
            return format!(" (line {} cannot be read as {encoding:?})", i + 1);
        }
    }
    String::new()
}

/// Reads a CSV file as one sheet of text cells.
pub fn read_csv(path: &Path, forced: Option<TextEncoding>) -> Result<Sheet> {
    let io = |source| WorkbookError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells "too large" from "exactly at the limit".
    file.take(MAX_CSV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(WorkbookError::TooLarge {
            path: path.to_path_buf(),
            limit_mb: MAX_CSV_BYTES >> 20,
        });
    }
    let (text, _) = decode(&bytes, forced).map_err(|detail| WorkbookError::Encoding {
        path: path.to_path_buf(),
        detail,
    })?;
    drop(bytes);
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Sheet1")
        .to_owned();
    parse(&text, name).map_err(|e| match e {
        ParseError::TooManyRows => WorkbookError::TooManyRows {
            path: path.to_path_buf(),
        },
        ParseError::Csv(detail) => WorkbookError::Damaged {
            path: path.to_path_buf(),
            format: "CSV",
            detail,
        },
    })
}

enum ParseError {
    TooManyRows,
    Csv(String),
}

fn parse(text: &str, name: String) -> Result<Sheet, ParseError> {
    let first_line = text.lines().next().unwrap_or("");
    // Excel's "Unicode text" and some exports separate with tabs or semicolons.
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut sheet = Sheet {
        name,
        rows: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            ParseError::Csv(match e.position() {
                Some(p) => format!("line {}: {e}", p.line()),
                None => e.to_string(),
            })
        })?;
        // The header row is not a person, hence the + 1.
        if sheet.rows.len() > MAX_ROWS {
            return Err(ParseError::TooManyRows);
        }
        let mut cells: Vec<Cell> = record
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_owned())
                }
            })
            .collect();
        while cells.last().is_some_and(Cell::is_blank) {
            cells.pop();
        }
        sheet.rows.push(cells);
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "证件号码,姓名\n11010519491231002X,张三\n";

    #[test]
    fn utf8_with_and_without_bom_and_gbk_are_told_apart() {
        let (text, enc) = decode(TEXT.as_bytes(), None).unwrap();
        assert_eq!((text.as_str(), enc), (TEXT, TextEncoding::Utf8));

        let with_bom = [b"\xEF\xBB\xBF".as_slice(), TEXT.as_bytes()].concat();
        let (text, enc) = decode(&with_bom, None).unwrap();
        assert_eq!((text.as_str(), enc), (TEXT, TextEncoding::Utf8));

        let (gbk, _, _) = encoding_rs::GBK.encode(TEXT);
        assert!(std::str::from_utf8(&gbk).is_err());
        let (text, enc) = decode(&gbk, None).unwrap();
        assert_eq!((text.as_str(), enc), (TEXT, TextEncoding::Gbk));
    }

    #[test]
    fn a_forced_encoding_wins_and_a_wrong_one_names_the_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode(TEXT);
        let err = decode(&gbk, Some(TextEncoding::Utf8)).unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        assert_eq!("GBK".parse::<TextEncoding>(), Ok(TextEncoding::Gbk));
        assert_eq!("utf-8".parse::<TextEncoding>(), Ok(TextEncoding::Utf8));
        assert!("latin1".parse::<TextEncoding>().is_err());
    }

    #[test]
    fn gbk_csv_file_with_semicolons_reads_into_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("增员.csv");
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名;证件号码\n\n张三;110105\n");
        std::fs::write(&path, gbk).unwrap();
        let sheet = read_csv(&path, None).unwrap();
        assert_eq!(sheet.name, "增员");
        assert_eq!(sheet.cell(0, 0), &Cell::Text("姓名".into()));
        assert_eq!(sheet.cell(1, 1), &Cell::Text("110105".into()));
    }
}
