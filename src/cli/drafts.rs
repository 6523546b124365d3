//! `shebao drafts import FILE.csv` and `shebao drafts list [--kind K]`.

use std::path::PathBuf;

use shebao_store::{DeclarationKind, import, this_month};

use super::context::{self, GlobalArgs, Outcome};
use super::exit;

#[derive(Debug, clap::Subcommand)]
pub enum DraftsCommand {
    /// Import a UTF-8 CSV file: one person per row, headers as wire field names or 中文 labels.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// The kind of declaration the rows are for.
        #[arg(long, default_value = "hire")]
        kind: DeclarationKind,
        /// The period (YYYY-MM) for rows without a period column (default: this month).
        #[arg(long)]
        period: Option<String>,
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
        DraftsCommand::Import { file, kind, period } => {
            let period = period.clone().unwrap_or_else(this_month);
            let report = import::read_csv(file, *kind, &period)?;
            for column in &report.ignored_columns {
                eprintln!("ignored column / 未识别的列: {column}");
            }
            let (mut store, _) = context::open_store(global)?;
            let ids = store.save_drafts(&report.drafts)?;
            println!("imported {} draft(s) / 已导入 {} 条", ids.len(), ids.len());
            super::submit::report_check(&mut store, Some(*kind))?;
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
