//! The PKCS#11 figures, beside the PC/SC ones: a SoftHSM2 token plugged into the module's store
//! → its unit read by the watcher (the login screen shows it), and the token pulled → the
//! removal event. SoftHSM2 has no slot events, so this measures the slot polling
//! (`shebao_ukey::pkcs11::POLL_INTERVAL`) plus reading the certificate.

use std::time::{Duration, Instant};

use shebao_ukey::pkcs11::{POLL_INTERVAL, Pkcs11Module};
use shebao_ukey::{CardEvent, CardEvents, CardSource, watch};

use super::softhsm::{self, Store, Unit};

const ROUNDS: usize = 10;
const PATIENCE: Duration = Duration::from_secs(20);

/// Runs the figures when `cargo xtask bench` set SoftHSM2 up; says why not otherwise.
pub fn run(report: &dyn Fn(&str, &mut [f64], f64)) -> Result<(), String> {
    let Some(module) = std::env::var_os(softhsm::MODULE_VAR) else {
        println!(
            "token figures skipped: {} is not set (`cargo xtask bench` sets SoftHSM2 up)",
            softhsm::MODULE_VAR
        );
        return Ok(());
    };
    let module = std::path::PathBuf::from(module);
    let store = Store::of_process();
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut events = watch(CardSource::Pkcs11(Pkcs11Module::new(&module)));
    let mut inserted_to_read = Vec::new();
    let mut pulled_to_event = Vec::new();
    for round in 0..ROUNDS {
        let unit_no = format!("35010099{round:02}");
        let unit = Unit {
            unit_no: &unit_no,
            name: "性能测试单位",
            uscc: "91350100M000100Y43",
        };
        let label = format!("shebao-bench-{round}");
        let mut token = softhsm::init_token(&module, dir.path(), &label, "123456");
        token.generate_key(dir.path());
        token.write_certificate(dir.path(), &unit);
        let started = Instant::now();
        token.plug_into(&store);
        let card = wait_for(&mut events, |event| match event {
            CardEvent::CardRead { card, identity } if identity.unit_no == unit_no => {
                Some(card.clone())
            }
            _ => None,
        })?;
        inserted_to_read.push(ms(started.elapsed()));
        std::thread::sleep(Duration::from_millis(200));
        let pulled = Instant::now();
        token.delete();
        wait_for(&mut events, |event| match event {
            CardEvent::CardRemoved { card: gone } if *gone == card => Some(()),
            _ => None,
        })?;
        pulled_to_event.push(ms(pulled.elapsed()));
    }
    let target = ms(POLL_INTERVAL) + 100.0;
    report(
        "token plugged in -> unit read (SoftHSM2)",
        &mut inserted_to_read,
        target,
    );
    report(
        "token pulled -> removal event (SoftHSM2)",
        &mut pulled_to_event,
        target,
    );
    Ok(())
}

fn wait_for<T>(
    events: &mut CardEvents,
    wanted: impl Fn(&CardEvent) -> Option<T>,
) -> Result<T, String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(CardEvent::CardUnreadable { error, .. }) => return Err(error.to_string()),
            Ok(event) => {
                if let Some(found) = wanted(&event) {
                    return Ok(found);
                }
            }
            Err(e) => return Err(format!("no token event in time: {e:?}")),
        }
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
