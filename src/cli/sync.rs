//! `shebao sync` and `shebao reference`.

use shebao_sync::{SyncEngine, block_on};

use super::context::{self, GlobalArgs, Outcome};
use super::exit;

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Also fetch the reference data, the unit record and the roster now.
    #[arg(long)]
    pub full: bool,
}

pub fn run(global: &GlobalArgs, args: &SyncArgs) -> Outcome {
    let (mut store, tokens) = context::open_store(global)?;
    let engine = SyncEngine::new(context::session_client(global, &store, &tokens)?);
    let report = match block_on(engine.sync(&mut store, args.full))? {
        Ok(r) => r,
        Err(e) => {
            context::forget_session_on_401(&mut store, &tokens, &e);
            return Err(e.into());
        }
    };
    println!(
        "sent {} · refused {} · still queued {} · viewed {} · changed {} · announcements {}{}{}",
        report.sent.accepted,
        report.sent.returned_to_drafts,
        report.sent.still_queued,
        report.viewed_sent,
        report.changed,
        report.announcements,
        if report.reference_updated {
            " · new reference data"
        } else {
            ""
        },
        report
            .roster
            .map(|n| format!(" · roster {n}"))
            .unwrap_or_default(),
    );
    if report.sent.still_queued > 0 {
        return Ok(exit::NEEDS_CONNECTION);
    }
    if report.sent.returned_to_drafts > 0 {
        return Ok(exit::REFUSED);
    }
    Ok(exit::OK)
}

/// Fetch the reference data into the store (or say which version is cached, offline).
pub fn reference(global: &GlobalArgs) -> Outcome {
    let (mut store, tokens) = context::open_store(global)?;
    let fetched = match context::session_client(global, &store, &tokens) {
        Ok(client) => {
            let engine = SyncEngine::new(client);
            match block_on(engine.pull_reference(&mut store))? {
                Ok(updated) => Some(updated),
                Err(e) if e.is_transient() => {
                    eprintln!("{e}");
                    None
                }
                Err(e) => {
                    context::forget_session_on_401(&mut store, &tokens, &e);
                    return Err(e.into());
                }
            }
        }
        Err(f) => return Err(f),
    };
    match store.reference()? {
        Some((version, body)) => {
            println!("reference data version / 参考数据版本: {version}");
            if let Some(tables) = body.get("tables").and_then(|t| t.as_object()) {
                for (name, rows) in tables {
                    println!("  {name}: {}", rows.as_array().map_or(0, Vec::len));
                }
            }
            Ok(if fetched.is_some() {
                exit::OK
            } else {
                exit::NEEDS_CONNECTION
            })
        }
        None => Ok(exit::NEEDS_CONNECTION),
    }
}
