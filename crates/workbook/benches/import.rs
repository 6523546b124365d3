//! File → validated drafts on disk for 50,000 hires in an xlsx, against the floor: reading the
//! same workbook and inserting the same rows with no normalisation and no validation.
//!
//! `cargo bench -p shebao-workbook --bench import` (targets: import < 3 s, ratio < 1.5). Peak
//! memory is measured by the `import_memory` bench, in a process of its own.

mod fixture;

use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use serde_json::{Map, Value};
use shebao_core::declaration::DeclarationKind;
use shebao_store::{NewDraft, Store};
use shebao_workbook::{Cell, import_into, read_sheet};

/// What the import cannot do without: read the cells and insert one draft per row.
fn floor(store: &mut Store, path: &std::path::Path) -> usize {
    let sheet = read_sheet(path, None).expect("read");
    let headers: Vec<String> = sheet.rows[0].iter().map(Cell::display).collect();
    let drafts: Vec<NewDraft> = sheet.rows[1..]
        .iter()
        .map(|row| {
            let item: Map<String, Value> = headers
                .iter()
                .zip(row)
                .map(|(h, c)| (h.clone(), Value::String(c.display())))
                .collect();
            NewDraft {
                kind: DeclarationKind::Hire,
                period: "2026-11".into(),
                item: Value::Object(item),
            }
        })
        .collect();
    store.save_drafts(&drafts).expect("saved").len()
}

fn full(store: &mut Store, path: &std::path::Path) -> usize {
    let import = import_into(store, path, &fixture::options(), &mut |_| {}).expect("import");
    assert_eq!(import.rejected(), 0, "the bench's rows are all valid");
    import.imported()
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hires.xlsx");
    fixture::write_hires(&path);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("workbook: {} rows, {} KB", fixture::PEOPLE, size / 1024);

    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .configure_from_args();
    let stores = tempfile::tempdir().expect("temp dir");
    let mut n = 0;
    let mut next_store = || {
        n += 1;
        let d = stores.path().join(n.to_string());
        fixture::fresh_store(&d)
    };
    let mut group = criterion.benchmark_group("import 50k hires xlsx");
    group.bench_function("file -> validated drafts on disk", |b| {
        b.iter_batched_ref(&mut next_store, |s| full(s, &path), BatchSize::PerIteration)
    });
    group.bench_function("floor: read + insert, no checks", |b| {
        b.iter_batched_ref(
            &mut next_store,
            |s| floor(s, &path),
            BatchSize::PerIteration,
        )
    });
    group.finish();

    // The ratio, from medians of a few timed runs of each.
    let mut time = |f: &dyn Fn(&mut Store) -> usize| {
        let mut runs: Vec<Duration> = (0..3)
            .map(|_| {
                let mut store = next_store();
                let t = Instant::now();
                assert_eq!(f(&mut store), fixture::PEOPLE as usize);
                t.elapsed()
            })
            .collect();
        runs.sort();
        runs[1]
    };
    let full_time = time(&|s| full(s, &path));
    let floor_time = time(&|s| floor(s, &path));
    println!(
        "import {:.2} s (target < 3 s), floor {:.2} s, ratio {:.2} (target < 1.5)",
        full_time.as_secs_f64(),
        floor_time.as_secs_f64(),
        full_time.as_secs_f64() / floor_time.as_secs_f64()
    );
    // Where the import's time goes.
    let t = Instant::now();
    let sheet = read_sheet(&path, None).expect("read");
    let read = t.elapsed();
    let reference = shebao_core::reference::ReferenceData::demo();
    let t = Instant::now();
    let import = shebao_workbook::import::check_sheet(
        &path,
        sheet,
        &fixture::options(),
        Some(&reference),
        &[],
        &mut |_| {},
    )
    .expect("checked");
    let check = t.elapsed();
    let mut store = next_store();
    let t = Instant::now();
    store.save_drafts(&import.drafts).expect("saved");
    println!(
        "phases: read {:.2} s, normalise + check {:.2} s, save {:.2} s",
        read.as_secs_f64(),
        check.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    criterion.final_summary();
}
