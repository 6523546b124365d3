//! Helpers for the tests that drive `shebao-card-sim` against a real pcscd through vpcd.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use shebao_ukey::pcsc_backend::list_readers;
use shebao_ukey::{CardEvent, CardEvents, RecvError, UKeyError};

/// The two vpcd readers exist once per machine: one test at a time may use them.
static VPCD_READERS: Mutex<()> = Mutex::new(());

pub const READER_0: &str = "Virtual PCD 00 00";
pub const READER_1: &str = "Virtual PCD 00 01";

/// Far longer than anything should take; only there so that a broken stack fails the test
/// instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(20);

/// Takes the vpcd readers for one test, after checking that pcscd with vpcd is there and that
/// no card of an earlier test is still in a reader.
pub fn take_readers() -> MutexGuard<'static, ()> {
    let guard = VPCD_READERS.lock().unwrap_or_else(PoisonError::into_inner);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let readers = match list_readers() {
            Ok(readers) => readers,
            Err(UKeyError::NoService) => panic!(
                "pcscd is not reachable. These tests need a running pcscd with the \
                 vsmartcard-vpcd driver: run them with `cargo xtask test`, which installs and \
                 starts both."
            ),
            Err(UKeyError::NoReader) => Vec::new(),
            Err(other) => panic!("cannot list the PC/SC readers: {other}"),
        };
        let vpcd: Vec<_> = readers
            .iter()
            .filter(|r| r.name == READER_0 || r.name == READER_1)
            .collect();
        assert!(
            vpcd.len() == 2,
            "pcscd runs but without the two vpcd readers ({READER_0}, {READER_1}): install \
             vsmartcard-vpcd and restart pcscd, or run `cargo xtask test`. Readers seen: {readers:?}"
        );
        if vpcd.iter().all(|r| !r.card_present) {
            return guard;
        }
        assert!(
            Instant::now() < deadline,
            "a card from an earlier test is still in a vpcd reader"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn sim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shebao-card-sim"))
}

/// A fresh card file in a temporary directory; returns its path and its public key.
pub fn new_card(dir: &Path, unit_no: &str, name: &str, pin: Option<&str>) -> (PathBuf, Vec<u8>) {
    let path = dir.join(format!("{unit_no}.toml"));
    let mut command = sim();
    command.args(["new", "--unit-no", unit_no, "--name", name]);
    command
        .args(["--uscc", "91350100M000100Y43", "--out"])
        .arg(&path);
    if let Some(pin) = pin {
        command.args(["--pin", pin]);
    }
    let output = command.output().expect("shebao-card-sim runs");
    assert!(output.status.success(), "{output:?}");
    let key = hex::decode(String::from_utf8_lossy(&output.stdout).trim()).expect("hex key");
    assert_eq!(key.len(), 65, "an uncompressed SM2 public key");
    (path, key)
}

/// A `shebao-card-sim insert` process; dropping it pulls the card out.
pub struct InsertedCard(Child);

pub fn insert(card: &Path, reader: u8, extra: &[&str]) -> InsertedCard {
    let child = sim()
        .arg("--card")
        .arg(card)
        .args(["insert", "--reader", &reader.to_string()])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("shebao-card-sim insert starts");
    InsertedCard(child)
}

impl InsertedCard {
    pub fn pull(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for InsertedCard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The first event that `wanted` accepts, skipping the others.
pub fn wait_for<T>(
    events: &mut CardEvents,
    what: &str,
    mut wanted: impl FnMut(&CardEvent) -> Option<T>,
) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) => {
                // Shown only when the test fails: the story of what the watcher saw.
                println!("event: {event:?}");
                if let Some(found) = wanted(&event) {
                    return found;
                }
            }
            Err(RecvError::Timeout) => panic!("no {what} event came"),
            Err(RecvError::Closed) => panic!("the watcher stopped while waiting for {what}"),
        }
    }
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shebao-ukey-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
