//! 申报查询 with 100,000 declarations: reading them into the index (once, off the UI thread,
//! when the page opens) and narrowing the index as the clerk types a name — the figure that must
//! stay under 50 ms so the first frame of results follows the keystroke.
//!
//! `cargo bench -p shebao-store --bench declaration_filter`

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use shebao_core::state::HomeBucket;
use shebao_store::vault::MemoryVault;
use shebao_store::{DataDir, DeclarationFilter, DeclarationKind, KeySource, NewDraft, Store};

const DECLARATIONS: u32 = 100_000;

const SURNAMES: [&str; 10] = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];

/// One draft per declaration: each gets a period of its own, so queuing them makes 100,000
/// declarations of one item each in one transaction.
fn unit_with_history(dir: &std::path::Path) -> Store {
    let keys = KeySource::new(Arc::new(MemoryVault::new()), None);
    let mut store = Store::open_unit(&DataDir::at(dir), "310100000001", &keys).expect("open");
    let drafts: Vec<NewDraft> = (0..DECLARATIONS)
        .map(|n| NewDraft {
            kind: DeclarationKind::Hire,
            period: format!("{}-{:02}", 1000 + n / 12, n % 12 + 1),
            item: json!({
                "document_type": "01",
                "document_no": format!("110105199001{:06}", n),
                "name": format!("{}{}", SURNAMES[(n % 10) as usize], n),
                "wage": "6500.00",
            }),
        })
        .collect();
    store.save_drafts(&drafts).expect("drafts");
    store.queue_drafts(None).expect("queued");
    store
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = unit_with_history(dir.path());
    let mut group = c.benchmark_group("申报查询 100k");
    group.sample_size(10);
    group.bench_function("read the index", |b| {
        b.iter(|| store.declaration_index().expect("index"))
    });
    let index = store.declaration_index().expect("index");
    assert_eq!(index.len(), DECLARATIONS as usize);
    let by_name = DeclarationFilter {
        text: "陈12345".into(),
        ..Default::default()
    };
    assert_eq!(index.filter(&by_name).len(), 1);
    group.bench_function("filter by a name", |b| b.iter(|| index.filter(&by_name)));
    let by_id_part = DeclarationFilter {
        text: "199001099".into(),
        ..Default::default()
    };
    group.bench_function("filter by part of an ID number", |b| {
        b.iter(|| index.filter(&by_id_part))
    });
    let by_bucket = DeclarationFilter {
        bucket: Some(HomeBucket::NotSubmitted),
        kind: Some(DeclarationKind::Hire),
        ..Default::default()
    };
    group.bench_function("filter by state and kind", |b| {
        b.iter(|| index.filter(&by_bucket))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
