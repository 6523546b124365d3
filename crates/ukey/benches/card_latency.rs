//! The UKey figures over the real stack (pcscd + vpcd + the simulator):
//! 1. card insertion → unit number read by the watcher (target < 600 ms; vpcd polls ~400 ms),
//! 2. card removal → removal event (target < 600 ms),
//! 3. SELECT + READ of the four files + INTERNAL AUTHENTICATE (target < 20 ms);
//!
//! and beside them the same two events for a PKCS#11 token on SoftHSM2 (`support/token.rs`).
//!
//! Run with `cargo xtask bench` (it starts pcscd and sets SoftHSM2 up), or
//! `flock /tmp/shebao-vpcd.lock cargo bench -p shebao-ukey --bench card_latency`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shebao_ukey::pcsc_backend::{self, list_readers};
use shebao_ukey::sim::vpcd::{self, InsertOptions};
use shebao_ukey::sim::{CardFile, SimCard};
use shebao_ukey::{CardEvent, CardEvents, CardSource, UKeyCard, UKeyError, watch};

#[path = "../tests/support/softhsm.rs"]
mod softhsm;
#[path = "support/token.rs"]
mod token;

const ROUNDS: usize = 10;
const EXCHANGE_ROUNDS: usize = 30;
const PATIENCE: Duration = Duration::from_secs(20);

fn main() -> ExitCode {
    if let Err(message) = token::run(&report) {
        eprintln!("card_latency: token figures: {message}");
        return ExitCode::FAILURE;
    }
    match list_readers() {
        Ok(readers) if readers.iter().any(|r| r.name == vpcd::reader_name(0)) => {}
        Ok(readers) => {
            eprintln!("card_latency: no vpcd reader (saw {readers:?}); run `cargo xtask bench`");
            return ExitCode::FAILURE;
        }
        Err(UKeyError::NoReader) | Err(UKeyError::NoService) => {
            eprintln!("card_latency: pcscd with vpcd is not running; run `cargo xtask bench`");
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("card_latency: {error}");
            return ExitCode::FAILURE;
        }
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("card_latency: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    wait_until_reader_empty()?;
    let card = Arc::new(
        CardFile::generate("330100999", "性能测试单位", "91350100M000100Y43", None)
            .to_card()
            .map_err(|e| e.to_string())?,
    );
    let mut events = watch(CardSource::Pcsc);
    let mut inserted_to_read = Vec::new();
    let mut pulled_to_event = Vec::new();
    for _ in 0..ROUNDS {
        let (read, removed) = insert_and_pull(&card, &mut events)?;
        inserted_to_read.push(read);
        pulled_to_event.push(removed);
    }
    report(
        "insertion -> unit number read",
        &mut inserted_to_read,
        600.0,
    );
    report("removal -> removal event", &mut pulled_to_event, 600.0);

    let inserted =
        vpcd::insert(card.clone(), InsertOptions::default()).map_err(|e| e.to_string())?;
    wait_for(&mut events, |e| matches!(e, CardEvent::CardRead { .. }))?;
    let mut exchanges = Vec::new();
    let mut connects = Vec::new();
    for round in 0..EXCHANGE_ROUNDS {
        let started = Instant::now();
        let channel = pcsc_backend::connect(&vpcd::reader_name(0)).map_err(|e| e.to_string())?;
        connects.push(ms(started.elapsed()));
        let started = Instant::now();
        let mut ukey = UKeyCard::select(channel).map_err(|e| e.to_string())?;
        let identity = ukey.read_identity().map_err(|e| e.to_string())?;
        let signature = ukey.sign(&[round as u8; 32]).map_err(|e| e.to_string())?;
        exchanges.push(ms(started.elapsed()));
        if identity.unit_no != "330100999" || signature.0.len() != 64 {
            return Err("the card answered wrongly".into());
        }
    }
    report(
        "PC/SC connect (not part of figure 3)",
        &mut connects,
        f64::INFINITY,
    );
    report(
        "SELECT + READ x4 + INTERNAL AUTHENTICATE",
        &mut exchanges,
        20.0,
    );
    inserted.pull().map_err(|e| e.to_string())?;
    Ok(())
}

/// A card left by an earlier run would be read first and spoil the figures.
fn wait_until_reader_empty() -> Result<(), String> {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        let readers = list_readers().map_err(|e| e.to_string())?;
        if readers
            .iter()
            .all(|r| r.name != vpcd::reader_name(0) || !r.card_present)
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("a card stays in vpcd reader 0; stop the simulator that holds it".into())
}

/// One insertion and removal; returns the two latencies in ms.
fn insert_and_pull(card: &Arc<SimCard>, events: &mut CardEvents) -> Result<(f64, f64), String> {
    let started = Instant::now();
    let inserted =
        vpcd::insert(card.clone(), InsertOptions::default()).map_err(|e| e.to_string())?;
    wait_for(events, |e| matches!(e, CardEvent::CardRead { .. }))?;
    let read = ms(started.elapsed());
    // Let the card sit a moment, as a clerk's would, so the pull is not part of the insertion.
    std::thread::sleep(Duration::from_millis(200));
    let pulled = Instant::now();
    inserted.pull().map_err(|e| e.to_string())?;
    wait_for(events, |e| matches!(e, CardEvent::CardRemoved { .. }))?;
    Ok((read, ms(pulled.elapsed())))
}

fn wait_for(events: &mut CardEvents, wanted: impl Fn(&CardEvent) -> bool) -> Result<(), String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(CardEvent::CardUnreadable { error, .. }) => return Err(error.to_string()),
            Ok(event) if wanted(&event) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("no event in time: {e:?}")),
        }
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn report(what: &str, samples: &mut [f64], target_ms: f64) {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    let max = samples[samples.len() - 1];
    let min = samples[0];
    let verdict = if target_ms.is_finite() {
        if max < target_ms {
            format!("within {target_ms} ms")
        } else {
            format!("OVER {target_ms} ms")
        }
    } else {
        String::new()
    };
    println!(
        "{what:<45} n={:<3} min {min:7.2} ms  median {median:7.2} ms  max {max:7.2} ms  {verdict}",
        samples.len()
    );
}
