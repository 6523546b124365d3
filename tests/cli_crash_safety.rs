//! Crash safety of the `shebao` binary itself: `shebao drafts import`, `shebao submit` and
//! `shebao sync` run one after another and the running one is killed with SIGKILL at a random
//! moment. Afterwards the store passes `PRAGMA integrity_check`, an import that reported
//! success left every row there, and once `shebao sync` has run to its end the agency holds
//! each of the client's declarations exactly once.
//!
//! 10 runs; 100 with `SHEBAO_TEST_LONG=1` (`cargo xtask test --long`).

// The agency and clerk fixtures of the sync tests, shared rather than written twice.
#[path = "../crates/sync/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{PASSWORD, TestAgency, card, resident_id, write_card_file};
use shebao_store::vault::NoVault;
use shebao_store::{DataDir, KeySource, Store, this_month};

const PASSPHRASE: &str = "cli-crash-passphrase";
const PEOPLE: u32 = 30;

fn shebao(bin: &Path, agency: &TestAgency, data: &Path, card_file: &Path) -> Command {
    let mut c = Command::new(bin);
    c.arg("--data-dir")
        .arg(data)
        .arg("--agency")
        .arg(agency.url())
        .arg("--ca")
        .arg(agency.ca())
        .arg("--sim-card")
        .arg(card_file)
        .env("SHEBAO_STORE_PASSPHRASE", PASSPHRASE)
        .env("SHEBAO_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shebao_binary_killed_at_random_moments_loses_nothing_and_declares_nothing_twice() {
    let bin = Path::new(env!("CARGO_BIN_EXE_shebao"));
    let runs = if std::env::var("SHEBAO_TEST_LONG").is_ok_and(|v| v == "1") {
        100
    } else {
        10
    };
    let agency = TestAgency::start(None).await;
    let unit_no = "310100000041";
    let card = card(unit_no);
    agency.open_unit(&card);
    // Change the initial password once, as a clerk would at the first login.
    let client = shebao_sync::AgencyClient::new(&common::config(&agency.url(), &agency.ca()))
        .expect("client");
    common::log_in(&client, &card).await;
    let files = tempfile::tempdir().expect("temp dir");
    let card_file = files.path().join("card.toml");
    write_card_file(&card_file, unit_no);
    let period = this_month();
    let keys = KeySource::new(Arc::new(NoVault), Some(PASSPHRASE.into()));

    let mut window_ms: u64 = 1500;
    let mut killed_runs = 0;
    for run in 0..runs {
        let data = tempfile::tempdir().expect("temp dir");
        let status = shebao(bin, &agency, data.path(), &card_file)
            .args(["login", "--captcha", "t3st"])
            .stdout(Stdio::null())
            .status()
            .expect("login runs");
        assert!(status.success(), "run {run}: login failed: {status}");
        let csv = files.path().join(format!("run{run}.csv"));
        let mut text = String::from(
            "证件类型,证件号码,姓名,户口性质,用工形式,参加工作日期,insured_from,险种,月工资,增员原因\n",
        );
        let numbers: Vec<String> = (0..PEOPLE)
            .map(|i| resident_id(20_000 + run * 100 + i))
            .collect();
        for no in &numbers {
            text.push_str(&format!(
                "01,{no},张三,10,01,2015-07-01,{period},110 210 310,6500.00,11\n"
            ));
        }
        std::fs::write(&csv, text).expect("csv written");
        let before = agency.declaration_count();

        let deadline = Instant::now() + Duration::from_millis(fastrand::u64(0..window_ms));
        let mut import_reported = false;
        let mut killed = false;
        let steps: [Vec<&str>; 3] = [
            vec!["drafts", "import", csv.to_str().expect("path")],
            vec!["submit"],
            vec!["sync"],
        ];
        for (i, args) in steps.iter().enumerate() {
            let mut child = shebao(bin, &agency, data.path(), &card_file)
                .args(args)
                .stdout(Stdio::piped())
                .spawn()
                .expect("shebao starts");
            loop {
                if child.try_wait().expect("wait").is_some() {
                    break;
                }
                if Instant::now() >= deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    killed = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let mut out = String::new();
            if let Some(mut stdout) = child.stdout.take() {
                use std::io::Read;
                let _ = stdout.read_to_string(&mut out);
            }
            if i == 0 && out.contains("imported") {
                import_reported = true;
            }
            if killed {
                break;
            }
        }
        killed_runs += usize::from(killed);
        window_ms = if killed {
            window_ms * 11 / 10
        } else {
            (window_ms * 4 / 5).max(100)
        };

        {
            let store =
                Store::open_unit(&DataDir::at(data.path()), unit_no, &keys).unwrap_or_else(|e| {
                    panic!("run {run}: the store does not open after the kill: {e}")
                });
            store
                .integrity_check()
                .unwrap_or_else(|e| panic!("run {run}: {e}"));
            if import_reported {
                let present = common::document_numbers_in(&store);
                for no in &numbers {
                    assert!(present.contains(no), "run {run}: an imported row is lost");
                }
            }
        }

        // Submit and sync to the end: every declaration reaches the agency exactly once.
        let status = shebao(bin, &agency, data.path(), &card_file)
            .arg("submit")
            .stdout(Stdio::null())
            .status()
            .expect("submit runs");
        assert!(
            status.success(),
            "run {run}: submit after the kill: {status}"
        );
        let status = shebao(bin, &agency, data.path(), &card_file)
            .arg("sync")
            .stdout(Stdio::null())
            .status()
            .expect("sync runs");
        assert!(status.success(), "run {run}: sync after the kill: {status}");
        let store = Store::open_unit(&DataDir::at(data.path()), unit_no, &keys).expect("store");
        assert!(store.outbox().expect("outbox").is_empty());
        let own = common::own_declarations(&store);
        assert_eq!(
            agency.declaration_count() - before,
            own as i64,
            "run {run}: not exactly once"
        );
    }
    eprintln!("{runs} runs, {killed_runs} of them killed before `shebao sync` finished");
}
