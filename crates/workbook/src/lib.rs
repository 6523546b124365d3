//! shebao-workbook: the clerk's workbooks.
//!
//! - **Import** ([`import`]): hire, leave, wage-base (and change) drafts from xlsx, xls, ods
//!   or CSV (UTF-8 with or without BOM, or GBK/GB18030, detected). Columns are matched by
//!   header text in any order ([`columns`]); values are taken as clerks write them
//!   ([`normalise`]); every row is checked with `shebao-core` and against the drafts already
//!   saved; the good rows are saved in one transaction by `shebao-store`.
//! - **Report** ([`report`]): the clerk's own sheet with a 错误说明 column and the bad cells
//!   marked, to fix and import again.
//! - **Templates** ([`template`]) with drop-down lists from the agency's code tables, and
//!   **exports** ([`export`]) of drafts, declarations, the roster and dues.
//!
//! # Limits
//! A file is refused, with the limit in the message, when it holds more than [`MAX_ROWS`]
//! rows, when its zip parts would unpack to more than [`MAX_UNCOMPRESSED_BYTES`], or a CSV
//! file is larger than [`MAX_CSV_BYTES`]. An xlsx sheet is streamed, so the row limit is met
//! before a runaway sheet is held in memory. Formulas count by their saved results; a formula
//! without one is refused.

pub mod columns;
pub mod csv_text;
mod error;
pub mod export;
pub mod import;
pub mod normalise;
pub mod report;
pub mod sheet;
mod spreadsheet;
pub mod template;

pub use csv_text::TextEncoding;
pub use error::{
    MAX_CSV_BYTES, MAX_ROWS, MAX_UNCOMPRESSED_BYTES, Result, WorkbookError, cell_name,
};
pub use import::{Import, ImportOptions, Progress, RowStatus, import_into, prepare};
pub use report::{default_report_path, write_report};
pub use sheet::{Cell, Sheet, read_sheet};
pub use template::write_template;
