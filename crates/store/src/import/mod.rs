//! Importing drafts from the clerk's files. Today UTF-8 CSV; the column matching lives in
//! [`columns`] so other formats share it.

pub mod columns;
pub mod csv;

pub use self::csv::{ImportReport, read_csv, read_csv_from};
