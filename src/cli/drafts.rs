//! `shebao drafts import FILE`, `shebao drafts export FILE.xlsx`, `shebao drafts list` and
//! `shebao drafts delete`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use shebao_store::{DeclarationKind, this_month};
use shebao_workbook::export::{DraftRow, export_drafts};
use shebao_workbook::{Import, ImportOptions, Progress, TextEncoding, WorkbookError};

use super::context::{self, Failure, GlobalArgs, Outcome};
use super::exit;

#[derive(Debug, clap::Subcommand)]
pub enum DraftsCommand {
    /// Import people from a workbook (.xlsx, .xls, .ods) or a CSV file (UTF-8 or GBK): one
    /// person per row, headers in 中文 or English, in any order.
    Import {
        /// The file.
        file: PathBuf,
        /// The kind of declaration the rows are for.
        #[arg(long, default_value = "hire")]
        kind: DeclarationKind,
        /// The period (YYYY-MM) for rows without a period column (default: this month).
        #[arg(long)]
        period: Option<String>,
        /// The text encoding of a CSV file, when the detected one is wrong (utf-8 or gbk).
        #[arg(long)]
        encoding: Option<TextEncoding>,
        /// Import nothing if any row has an error.
        #[arg(long)]
        all_or_nothing: bool,
        /// Where to write the error report (default: next to the file, when a row is refused).
        #[arg(long, value_name = "OUT.xlsx")]
        report: Option<PathBuf>,
    },
    /// Write the drafts to an .xlsx file.
    Export {
        /// The .xlsx file to write.
        file: PathBuf,
        /// Only drafts of this kind.
        #[arg(long)]
        kind: Option<DeclarationKind>,
    },
    /// Delete drafts by their numbers (first column of `shebao drafts list`).
    Delete {
        /// The drafts' numbers.
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// List the drafts not yet submitted.
    List {
        /// Only drafts of this kind.
        #[arg(long)]
        kind: Option<DeclarationKind>,
    },
}

pub fn run(global: &GlobalArgs, command: &DraftsCommand) -> Outcome {
    match command {
        DraftsCommand::Import {
            file,
            kind,
            period,
            encoding,
            all_or_nothing,
            report,
        } => {
            let options = ImportOptions {
                kind: *kind,
                default_period: period.clone().unwrap_or_else(this_month),
                encoding: *encoding,
                all_or_nothing: *all_or_nothing,
                today: chrono::Local::now().date_naive(),
            };
            import(global, file, &options, report.as_deref())
        }
        DraftsCommand::Export { file, kind } => {
            let (store, _) = context::open_store(global)?;
            let rows: Vec<DraftRow> = store
                .drafts(*kind)?
                .into_iter()
                .map(|d| {
                    let field = |k: &str| {
                        d.item
                            .get(k)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    DraftRow {
                        id: d.id,
                        kind: d.kind.label().to_owned(),
                        period: d.period.clone(),
                        document_no: field("document_no"),
                        name: field("name"),
                        problems: d
                            .problems
                            .iter()
                            .map(|p| p.message.as_str())
                            .collect::<Vec<_>>()
                            .join("；"),
                    }
                })
                .collect();
            export_drafts(&rows, file).map_err(failure)?;
            println!(
                "exported {} draft(s) to {} / 已导出 {} 条",
                rows.len(),
                file.display(),
                rows.len()
            );
            Ok(exit::OK)
        }
        DraftsCommand::Delete { ids } => {
            let (mut store, _) = context::open_store(global)?;
            for id in ids {
                store.draft(*id)?;
                store.delete_draft(*id)?;
            }
            println!("deleted {} draft(s) / 已删除 {} 条", ids.len(), ids.len());
            Ok(exit::OK)
        }
        DraftsCommand::List { kind } => {
            let (store, _) = context::open_store(global)?;
            for d in store.drafts(*kind)? {
                let field = |k: &str| d.item.get(k).and_then(|v| v.as_str()).unwrap_or("");
                // The identity number is shown masked: a listing ends up in terminals and logs.
                println!(
                    "{}\t{}\t{}\t{}\t{}{}",
                    d.id,
                    d.kind,
                    d.period,
                    mask(field("document_no")),
                    field("name"),
                    if d.problems.is_empty() {
                        String::new()
                    } else {
                        let reasons: Vec<_> =
                            d.problems.iter().map(|p| p.message.as_str()).collect();
                        format!("\t! {}", reasons.join("; "))
                    }
                );
            }
            Ok(exit::OK)
        }
    }
}

fn import(
    global: &GlobalArgs,
    file: &Path,
    options: &ImportOptions,
    report: Option<&Path>,
) -> Outcome {
    let (mut store, _) = context::open_store(global)?;
    let mut stderr = std::io::stderr();
    let mut progress = |p: Progress| {
        let line = match p {
            Progress::Read(rows) => format!("read {rows} row(s) / 已读取 {rows} 行"),
            Progress::Checked(done, total) => format!("checked {done} of {total} row(s) / 已检查"),
            Progress::Saving(n) => format!("saving {n} draft(s) / 正在保存"),
        };
        // One line rewritten in place; the summary below ends it.
        let _ = write!(stderr, "\r{line:<60}");
        let _ = stderr.flush();
    };
    let outcome = shebao_workbook::import_into(&mut store, file, options, &mut progress);
    eprintln!();
    let import = outcome.map_err(failure)?;
    for column in &import.ignored_columns {
        eprintln!("ignored column / 未识别的列: {column}");
    }
    // Without reference data `report_check` below says the rows went unchecked.
    let rejected = import.rejected();
    let report_path = match report {
        Some(p) => Some(p.to_path_buf()),
        None if rejected > 0 => Some(shebao_workbook::default_report_path(file)),
        None => None,
    };
    if let Some(path) = &report_path {
        shebao_workbook::write_report(&import, path).map_err(failure)?;
    }
    print_summary(&import, report_path.as_deref());
    super::submit::report_check(&mut store, Some(options.kind))?;
    Ok(if rejected > 0 {
        exit::BAD_INPUT
    } else {
        exit::OK
    })
}

fn print_summary(import: &Import, report: Option<&Path>) {
    let (imported, rejected) = (import.imported(), import.rejected());
    println!("imported {imported} draft(s) / 已导入 {imported} 条");
    if import.already_drafts() > 0 {
        let n = import.already_drafts();
        println!("already drafts, not imported again {n} / 已在草稿中 {n} 条");
    }
    if rejected > 0 {
        println!("rejected {rejected} row(s) / 有错误 {rejected} 行");
    }
    if import.refused_whole_file {
        println!(
            "nothing was imported because --all-or-nothing was given and some rows have errors / \
             因有错误行，整个文件未导入"
        );
    }
    if let Some(path) = report {
        println!(
            "report written to {} / 错误说明已写入该文件：改正后可再次导入",
            path.display()
        );
    }
}

/// The exit code of a workbook failure: the file's fault is bad input.
pub fn failure(e: WorkbookError) -> Failure {
    match e {
        WorkbookError::Store(s) => s.into(),
        WorkbookError::Io { .. } | WorkbookError::Write { .. } => Failure {
            code: exit::FAILED,
            error: e.into(),
        },
        other => Failure {
            code: exit::BAD_INPUT,
            error: other.into(),
        },
    }
}

/// Keep the first 6 and last 4 characters of an identity number.
pub fn mask(no: &str) -> String {
    let chars: Vec<char> = no.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}
