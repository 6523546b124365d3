//! Peak memory (VmHWM) of importing 50,000 hires from an xlsx into a store, in a process that
//! does nothing else: the workbook is written by a child process first. Target < 300 MB.
//!
//! `cargo bench -p shebao-workbook --bench import_memory` (Linux: reads /proc/self/status).

mod fixture;

use std::process::Command;

const GENERATE: &str = "SHEBAO_BENCH_WRITE_WORKBOOK";

fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    if let Some(path) = std::env::var_os(GENERATE) {
        fixture::write_hires(std::path::Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hires.xlsx");
    let exe = std::env::current_exe().expect("own path");
    let status = Command::new(exe)
        .env(GENERATE, &path)
        .status()
        .expect("child runs");
    assert!(status.success(), "the workbook was written");

    let mut store = fixture::fresh_store(&dir.path().join("store"));
    let before = peak_kb();
    let import = shebao_workbook::import_into(&mut store, &path, &fixture::options(), &mut |_| {})
        .expect("import");
    assert_eq!(import.imported(), fixture::PEOPLE as usize);
    drop(import);
    match (before, peak_kb()) {
        (Some(b), Some(a)) => println!(
            "peak memory of the 50k-row import: {} MB (VmHWM; {} MB before the import; target < 300 MB)",
            a / 1024,
            b / 1024
        ),
        _ => println!("peak memory: /proc/self/status is not available on this system"),
    }
}
