//! `shebao submit [--kind K]`: queue the drafts and send them.

use shebao_store::DeclarationKind;
use shebao_sync::{SyncEngine, block_on};

use shebao_store::Store;

use super::context::{self, Failure, GlobalArgs, Outcome};
use super::exit;

#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    /// Only drafts of this kind.
    #[arg(long)]
    pub kind: Option<DeclarationKind>,
}

/// The drafts become queued declarations first (on disk, with their idempotency keys), so
/// nothing is lost if the agency cannot be reached; then the outbox is sent.
pub fn run(global: &GlobalArgs, args: &SubmitArgs) -> Outcome {
    let (mut store, tokens) = context::open_store(global)?;
    if report_check(&mut store, args.kind)? > 0 {
        return Err(Failure::new(
            exit::BAD_INPUT,
            "Some drafts have errors the agency would refuse; nothing was submitted. See \
             `shebao drafts list`, correct them and submit again.",
        ));
    }
    let queued = store.queue_drafts(args.kind)?;
    for q in &queued {
        println!(
            "queued / 已排队\t{}\t{}\t{} item(s)",
            q.kind, q.period, q.item_count
        );
    }
    let waiting = store.outbox()?.len();
    if waiting == 0 {
        println!("nothing to submit / 没有待提交的申报");
        return Ok(exit::OK);
    }
    let client = match context::session_client(global, &store, &tokens) {
        Ok(c) => c,
        Err(f) => {
            eprintln!("{waiting} declaration(s) stay queued and will be sent by `shebao sync`.");
            return Err(f);
        }
    };
    let engine = SyncEngine::new(client);
    let report = match block_on(engine.send(&mut store))? {
        Ok(r) => r,
        Err(e) => {
            context::forget_session_on_401(&mut store, &tokens, &e);
            eprintln!("{waiting} declaration(s) stay queued and will be sent by `shebao sync`.");
            return Err(e.into());
        }
    };
    println!("submitted / 已提交: {}", report.accepted);
    if report.returned_to_drafts > 0 {
        eprintln!(
            "{} declaration(s) were refused as invalid; their items are back in the drafts with \
             the reasons (`shebao drafts list`).",
            report.returned_to_drafts
        );
        return Ok(exit::REFUSED);
    }
    if report.still_queued > 0 {
        eprintln!(
            "{} declaration(s) could not reach the agency and stay queued; `shebao sync` sends \
             them when the connection returns.",
            report.still_queued
        );
        return Ok(exit::NEEDS_CONNECTION);
    }
    Ok(exit::OK)
}

/// Check the drafts offline against the cached reference data and say what was found; returns
/// how many drafts have errors.
pub fn report_check(store: &mut Store, kind: Option<DeclarationKind>) -> Result<usize, Failure> {
    let check = store.check_drafts(kind, chrono::Local::now().date_naive())?;
    if !check.reference_available {
        eprintln!(
            "The drafts were not checked offline: no reference data yet (`shebao reference`). \
             The agency checks them when they arrive."
        );
    } else if check.with_errors + check.with_warnings > 0 {
        eprintln!(
            "checked {} draft(s): {} with errors, {} with warnings (`shebao drafts list`)",
            check.checked, check.with_errors, check.with_warnings
        );
    }
    Ok(check.with_errors)
}
