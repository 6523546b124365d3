//! `shebao declarations [--state S]` with the six home-page counts, and `shebao view ID`.

use shebao_store::DeclarationState;

use super::context::{self, GlobalArgs, Outcome};
use super::exit;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only declarations in this state (queued, submitted, processing, succeeded, failed,
    /// partly_succeeded).
    #[arg(long)]
    pub state: Option<DeclarationState>,
}

#[derive(Debug, clap::Args)]
pub struct ViewArgs {
    /// The declaration's local number (first column of `shebao declarations`).
    pub id: i64,
}

pub fn list(global: &GlobalArgs, args: &ListArgs) -> Outcome {
    let (store, _) = context::open_store(global)?;
    let c = store.home_counts()?;
    println!("未提交 not submitted\t{}", c.not_submitted);
    println!("提交后等待处理 waiting\t{}", c.waiting);
    println!("正在处理 processing\t{}", c.processing);
    println!(
        "处理成功还未查阅 succeeded, not viewed\t{}",
        c.succeeded_unviewed
    );
    println!("处理失败还未查阅 failed, not viewed\t{}", c.failed_unviewed);
    println!(
        "部分处理成功还未查阅 partly succeeded, not viewed\t{}",
        c.partly_succeeded_unviewed
    );
    println!();
    for d in store.declarations(args.state)? {
        println!(
            "{}\t{}\t{}\t{}{}\t{} item(s)\t{}",
            d.id,
            d.kind,
            d.period,
            d.state,
            if d.state.is_finished() && !d.viewed {
                " (not viewed)"
            } else {
                ""
            },
            d.item_count,
            d.remote_id.unwrap_or_default(),
        );
    }
    Ok(exit::OK)
}

/// Show a declaration's per-item results and mark it viewed (查阅).
pub fn view(global: &GlobalArgs, args: &ViewArgs) -> Outcome {
    let (mut store, _) = context::open_store(global)?;
    let d = store.declaration(args.id)?;
    println!("{}\t{}\t{}\t{}", d.id, d.kind, d.period, d.state);
    for item in store.declaration_items(d.id)? {
        let who = item.item.as_ref().map(|v| {
            let f = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
            format!("{} {}", super::drafts::mask(&f("document_no")), f("name"))
        });
        let verdict = match item.accepted {
            Some(true) => "成功 ok".to_owned(),
            Some(false) => format!("失败 failed: {}", item.reason.unwrap_or_default()),
            None => "待处理 pending".to_owned(),
        };
        println!("  {}\t{}\t{}", item.line, who.unwrap_or_default(), verdict);
    }
    if d.state.is_finished() {
        store.mark_viewed(d.id)?;
    }
    Ok(exit::OK)
}
