//! What can go wrong with a clerk's workbook, each worded so the clerk knows what to change.

use std::path::PathBuf;

/// The largest number of data rows one file may hold.
pub const MAX_ROWS: usize = 100_000;
/// The largest uncompressed size of the parts of an xlsx or ods file, in bytes.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;
/// The largest CSV file, and the largest old-style (OLE) .xls file, in bytes.
pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;

/// Why a workbook could not be read, written or imported.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The file could not be opened or written at all.
    #[error(
        "{path}: {source}. Check the file exists, is not open in another program, and try again."
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },

    /// The file's name does not say which kind of file it is.
    #[error(
        "{path}: shebao reads .xlsx, .xls, .ods and .csv files; save the workbook in one of \
         these formats and import it again."
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },

    /// The workbook is protected with a password.
    #[error(
        "{path} is protected with a password, so it cannot be read. Open it, remove the password \
         (File → Info → Protect Workbook → Encrypt with Password, clear it; 文件 → 信息 → 保护工作簿 → \
         用密码进行加密), save it and import it again."
    )]
    Encrypted {
        /// The file.
        path: PathBuf,
    },

    /// The workbook is damaged or not what its name says.
    #[error(
        "{path} is damaged or is not a real {format} file ({detail}). Open it in Excel or WPS, \
         save it again as .xlsx, and import the new file."
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// The kind of file its name promises.
        format: &'static str,
        /// What the reader tripped over.
        detail: String,
    },

    /// The file is, or would unpack to, more than the limit (a zip bomb, a runaway sheet).
    #[error(
        "{path} is larger than {limit_mb} MB (unpacked), more than any declaration needs; it was \
         not read. Split the people over several files of at most {max_rows} rows each.",
        max_rows = MAX_ROWS
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit it passed, in MB.
        limit_mb: u64,
    },

    /// More data rows than one import accepts.
    #[error(
        "{path} has more than {max} rows; one import takes at most {max} people. Split the file \
         into several and import them one after another.",
        max = MAX_ROWS
    )]
    TooManyRows {
        /// The file.
        path: PathBuf,
    },

    /// A cell holds a formula whose result was never saved.
    #[error(
        "{path}: cell {cell} holds a formula ({formula}) with no saved result. Open the file in \
         Excel or WPS and save it (so the results are stored), or paste the column as values."
    )]
    FormulaWithoutValue {
        /// The file.
        path: PathBuf,
        /// The cell, as A1.
        cell: String,
        /// The formula text.
        formula: String,
    },

    /// The text of a CSV file is in no encoding shebao knows.
    #[error(
        "{path} is not UTF-8 or GBK text{detail}. Save it as \"CSV UTF-8\" (or as .xlsx) and \
         import it again, or pass --encoding."
    )]
    Encoding {
        /// The file.
        path: PathBuf,
        /// Where the bad bytes are.
        detail: String,
    },

    /// No row of the first sheet looks like a header row.
    #[error(
        "{path}: no row of the sheet \"{sheet}\" names the columns of a {kind} list (expected \
         headers such as 证件号码, 姓名 in the first rows). Use `shebao template {kind} FILE.xlsx` \
         for a workbook with the right headers."
    )]
    NoHeader {
        /// The file.
        path: PathBuf,
        /// The sheet read.
        sheet: String,
        /// The kind of declaration.
        kind: &'static str,
    },

    /// Columns the kind needs are missing.
    #[error(
        "{path}: the column(s) {missing} are missing. Add them to the header row (the template \
         from `shebao template` has every column) and import again."
    )]
    MissingColumns {
        /// The file.
        path: PathBuf,
        /// The missing columns, as 中文 (wire name), comma-separated.
        missing: String,
    },

    /// The workbook has no sheet with data.
    #[error("{path} has no sheet with any rows; put the people on the first sheet.")]
    Empty {
        /// The file.
        path: PathBuf,
    },

    /// Writing a workbook failed.
    #[error(
        "{path} could not be written ({detail}). Check the folder is writable and the file is not open in Excel."
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// The writer's reason.
        detail: String,
    },

    /// No reference data to build the drop-down lists from.
    #[error(
        "The agency's code tables are not on this computer yet, so the template's drop-down lists \
         cannot be made. Run `shebao reference` first."
    )]
    NoReference,

    /// The local store failed while reading or saving drafts.
    #[error(transparent)]
    Store(#[from] shebao_store::StoreError),
}

/// The crate's result type.
pub type Result<T, E = WorkbookError> = std::result::Result<T, E>;

/// The A1 name of a zero-based cell.
pub fn cell_name(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(1, 26), "AA2");
        assert_eq!(cell_name(0, 701), "ZZ1");
    }
}
