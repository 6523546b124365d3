//! `shebao backup FILE` and `shebao restore FILE`.

use std::path::PathBuf;

use shebao_store::Store;

use super::context::{self, GlobalArgs, Outcome};
use super::exit;

#[derive(Debug, clap::Args)]
pub struct FileArg {
    /// The backup file.
    pub file: PathBuf,
}

pub fn backup(global: &GlobalArgs, args: &FileArg) -> Outcome {
    let (store, _) = context::open_store(global)?;
    store.backup_to(&args.file)?;
    println!("backed up to / 已备份到 {}", args.file.display());
    Ok(exit::OK)
}

/// Works on a damaged store too: it never opens the current file, only replaces it.
pub fn restore(global: &GlobalArgs, args: &FileArg) -> Outcome {
    let (keys, _) = context::secrets();
    let unit = context::unit_no(global)?;
    let path = context::data_dir(global)?.unit_store(&unit)?;
    let key = keys.key_for(&unit, !path.exists())?;
    let store = Store::restore(&path, &unit, key, &args.file)?;
    println!(
        "restored from / 已从备份恢复 {} ({} draft(s), {} declaration(s))",
        args.file.display(),
        store.draft_count()?,
        store.declarations(None)?.len()
    );
    Ok(exit::OK)
}
