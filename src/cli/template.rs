//! `shebao template hire|leave|wage FILE.xlsx`: a workbook to fill in and import.

use std::path::PathBuf;

use shebao_core::reference::ReferenceData;
use shebao_store::DeclarationKind;
use shebao_workbook::WorkbookError;

use super::context::{self, GlobalArgs, Outcome};
use super::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// hire, leave or wage.
    pub kind: DeclarationKind,
    /// The .xlsx file to write.
    pub file: PathBuf,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Outcome {
    if !matches!(
        args.kind,
        DeclarationKind::Hire | DeclarationKind::Leave | DeclarationKind::Wage
    ) {
        return Err(context::Failure::new(
            exit::BAD_INPUT,
            "Templates exist for hire, leave and wage; changes are keyed in the window.",
        ));
    }
    let (store, _) = context::open_store(global)?;
    // The drop-down lists are the agency's code tables as last fetched.
    let reference = store
        .reference()?
        .and_then(|(_, body)| ReferenceData::from_json(&body.to_string()).ok())
        .ok_or(WorkbookError::NoReference)
        .map_err(super::drafts::failure)?;
    shebao_workbook::write_template(args.kind, &reference, &args.file)
        .map_err(super::drafts::failure)?;
    println!(
        "template written to {} / 模板已写入；第 2 行是示例",
        args.file.display()
    );
    Ok(exit::OK)
}
