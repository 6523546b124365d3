//! The whole client path — watcher, sessions, handles, card profile — against simulated
//! readers in this process: no PC/SC service needed.

use std::sync::Arc;
use std::time::Duration;

use crate::sim::{CardFile, Fault, PinPolicy, SimCard, SimulatedReaders};
use crate::verify::signature_is_valid;
use crate::{CardEvent, CardEvents, CardHandle, CardIdentity, CardPin, CardSource, UKeyError};

/// Bounds a wait so that a broken watcher fails the test instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(10);
/// A request timeout short enough for a test of a card that never answers.
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);

fn card(unit_no: &str, name: &str, pin: Option<&str>) -> Arc<SimCard> {
    Arc::new(
        CardFile::generate(unit_no, name, "91350100M000100Y43", pin)
            .to_card()
            .expect("valid card"),
    )
}

fn next_matching<T>(events: &mut CardEvents, mut wanted: impl FnMut(CardEvent) -> Option<T>) -> T {
    loop {
        let event = events.recv_timeout(PATIENCE).expect("an event in time");
        if let Some(found) = wanted(event) {
            return found;
        }
    }
}

fn read(events: &mut CardEvents) -> (CardHandle, CardIdentity) {
    next_matching(events, |e| match e {
        CardEvent::CardRead { card, identity } => Some((card, identity)),
        CardEvent::CardUnreadable { error, .. } => panic!("unreadable: {error}"),
        _ => None,
    })
}

fn unreadable(events: &mut CardEvents) -> UKeyError {
    next_matching(events, |e| match e {
        CardEvent::CardUnreadable { error, .. } => Some(error),
        CardEvent::CardRead { .. } => panic!("the card was read"),
        _ => None,
    })
}

fn removed(events: &mut CardEvents) -> CardHandle {
    next_matching(events, |e| match e {
        CardEvent::CardRemoved { card } => Some(card),
        _ => None,
    })
}

#[test]
fn readers_are_reported_then_the_card_inserted_later_is_read() {
    let readers = SimulatedReaders::new(2);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    let mut added = Vec::new();
    while added.len() < 2 {
        if let Ok(CardEvent::ReaderAdded { reader }) = events.recv_timeout(PATIENCE) {
            added.push(reader);
        }
    }
    let long_name = "宁波市鄞州区社会保险测试单位".repeat(10);
    let inserted = card("3302001", &long_name, None);
    readers.insert(1, inserted.clone());
    let (handle, identity) = read(&mut events);
    assert_eq!(handle.reader(), "Simulated UKey reader 1");
    assert_eq!(identity.unit_no, "3302001");
    assert_eq!(identity.unit_name, long_name);
    assert_eq!(identity.credit_code, "91350100M000100Y43");
    assert_eq!(&identity.public_key, inserted.public_key());
}

#[test]
fn a_card_already_in_the_reader_is_read_when_watching_starts() {
    let readers = SimulatedReaders::new(1);
    readers.insert(0, card("3302002", "已插卡单位", None));
    let mut events = crate::watch(CardSource::Simulated(readers));
    assert_eq!(read(&mut events).1.unit_no, "3302002");
}

#[test]
fn the_signature_verifies_with_the_public_key_read_from_the_card() {
    let readers = SimulatedReaders::new(1);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    readers.insert(0, card("3302003", "签名单位", None));
    let (handle, identity) = read(&mut events);
    let challenge = [0xA5u8; 32];
    let signature = handle.sign(challenge).wait().expect("signed");
    assert!(signature_is_valid(
        &identity.public_key,
        &challenge,
        &signature.0
    ));
    assert!(!signature_is_valid(
        &identity.public_key,
        &[0u8; 32],
        &signature.0
    ));
}

#[test]
fn the_pin_is_demanded_counted_and_finally_blocked() {
    let readers = SimulatedReaders::new(1);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    readers.insert(0, card("3302004", "PIN 单位", Some("1357")));
    let (handle, _) = read(&mut events);
    assert!(matches!(
        handle.sign([1; 32]).wait(),
        Err(UKeyError::PinRequired)
    ));
    assert!(matches!(
        handle.verify_pin(CardPin::new("9999")).wait(),
        Err(UKeyError::WrongPin { tries_left: 2 })
    ));
    handle
        .verify_pin(CardPin::new("1357"))
        .wait()
        .expect("right PIN");
    handle.sign([1; 32]).wait().expect("signs once verified");
    assert!(matches!(
        handle.verify_pin(CardPin::new("")).wait(),
        Err(UKeyError::PinFormat)
    ));
    for expected in [2, 1] {
        match handle.verify_pin(CardPin::new("0000")).wait() {
            Err(UKeyError::WrongPin { tries_left }) => assert_eq!(tries_left, expected),
            other => panic!("expected a wrong PIN, got {other:?}"),
        }
    }
    assert!(matches!(
        handle.verify_pin(CardPin::new("0000")).wait(),
        Err(UKeyError::PinBlocked)
    ));
    assert!(matches!(
        handle.sign([1; 32]).wait(),
        Err(UKeyError::PinBlocked)
    ));
}

#[test]
fn a_card_whose_policy_waives_the_pin_signs_without_it() {
    let mut file = CardFile::generate("3302005", "免 PIN 单位", "91350100M000100Y43", Some("1"));
    file.pin_policy = PinPolicy::Never;
    let readers = SimulatedReaders::new(1);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    readers.insert(0, Arc::new(file.to_card().expect("valid")));
    let (handle, _) = read(&mut events);
    handle.sign([3; 32]).wait().expect("no PIN needed");
}

#[test]
fn a_card_of_another_kind_is_not_a_ukey() {
    let readers = SimulatedReaders::new(1);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    let foreign = CardFile::generate("1", "x", "91350100M000100Y43", None)
        .to_card()
        .expect("valid")
        .with_aid(&[0xA0, 0, 0, 0, 0x03, 0x10, 0x10]);
    readers.insert(0, Arc::new(foreign));
    let error = unreadable(&mut events);
    assert!(matches!(error, UKeyError::NotShebaoCard), "{error}");
}

#[test]
fn pulling_the_card_during_the_read_reports_it_removed() {
    let readers = SimulatedReaders::new(1);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    readers.insert_faulty(
        0,
        card("3302006", "拔卡", None),
        Fault::PulledOut,
        crate::profile::ins::READ_BINARY,
    );
    // The watcher may see the card leave before the read reports its failure: either order.
    let (mut error, mut gone) = (None, None);
    while error.is_none() || gone.is_none() {
        match events.recv_timeout(PATIENCE).expect("an event in time") {
            CardEvent::CardUnreadable { error: e, .. } => error = Some(e),
            CardEvent::CardRemoved { card } => gone = Some(card),
            CardEvent::CardRead { .. } => panic!("a card pulled mid-read was read"),
            _ => {}
        }
    }
    assert!(matches!(error, Some(UKeyError::CardRemoved)), "{error:?}");
    assert!(gone.is_some_and(|card| !card.is_present()));
}

#[test]
fn pulling_the_card_during_the_signature_reports_it_removed_and_kills_the_handle() {
    let readers = SimulatedReaders::new(1);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    let same_card = card("3302007", "签名拔卡", None);
    readers.insert_faulty(
        0,
        same_card.clone(),
        Fault::PulledOut,
        crate::profile::ins::INTERNAL_AUTHENTICATE,
    );
    let (handle, _) = read(&mut events);
    assert!(matches!(
        handle.sign([4; 32]).wait(),
        Err(UKeyError::CardRemoved)
    ));
    assert_eq!(removed(&mut events), handle);
    // The same card put back is a new insertion: the old handle stays dead.
    readers.insert(0, same_card);
    let (fresh, _) = read(&mut events);
    assert!(fresh.generation() > handle.generation());
    assert!(matches!(
        handle.sign([4; 32]).wait(),
        Err(UKeyError::CardRemoved)
    ));
    fresh.sign([4; 32]).wait().expect("the new handle signs");
}

#[test]
fn two_readers_serve_two_units_at_once() {
    let readers = SimulatedReaders::new(2);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    readers.insert(0, card("3302010", "甲单位", None));
    readers.insert(1, card("3302011", "乙单位", None));
    let mut units: Vec<(String, String)> = (0..2)
        .map(|_| {
            let (handle, identity) = read(&mut events);
            (handle.reader().to_owned(), identity.unit_no)
        })
        .collect();
    units.sort();
    assert_eq!(
        units,
        [
            ("Simulated UKey reader 0".to_owned(), "3302010".to_owned()),
            ("Simulated UKey reader 1".to_owned(), "3302011".to_owned())
        ]
    );
}

#[test]
fn the_events_are_a_stream_for_the_gui() {
    let readers = SimulatedReaders::new(1);
    readers.insert(0, card("3302012", "流单位", None));
    let events = crate::watch(CardSource::Simulated(readers));
    let unit = futures_executor::block_on_stream(events)
        .find_map(|e| match e {
            CardEvent::CardRead { identity, .. } => Some(identity.unit_no),
            _ => None,
        })
        .expect("the card is read");
    assert_eq!(unit, "3302012");
}

#[test]
fn a_card_that_stops_answering_mid_read_is_reported_not_waited_for() {
    let readers = SimulatedReaders::new(1);
    let mut events =
        crate::watch_with_timeout(CardSource::Simulated(readers.clone()), SHORT_TIMEOUT);
    readers.insert_faulty(
        0,
        card("3302013", "哑卡", None),
        Fault::Hangs,
        crate::profile::ins::READ_BINARY,
    );
    let error = unreadable(&mut events);
    assert!(
        matches!(
            error,
            UKeyError::Timeout {
                operation: crate::Operation::Reading,
                ..
            }
        ),
        "{error}"
    );
    readers.pull(0);
}

#[test]
fn a_card_that_stops_answering_mid_signature_gives_a_timeout() {
    let readers = SimulatedReaders::new(1);
    let mut events =
        crate::watch_with_timeout(CardSource::Simulated(readers.clone()), SHORT_TIMEOUT);
    readers.insert_faulty(
        0,
        card("3302014", "签名哑卡", None),
        Fault::Hangs,
        crate::profile::ins::INTERNAL_AUTHENTICATE,
    );
    let (handle, _) = read(&mut events);
    let error = handle.sign([5; 32]).wait().expect_err("no answer");
    assert!(
        matches!(
            error,
            UKeyError::Timeout {
                operation: crate::Operation::Signing,
                ..
            }
        ),
        "{error}"
    );
    readers.pull(0);
    assert_eq!(removed(&mut events), handle);
}

#[test]
fn what_the_gui_holds_can_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send + 'static>() {}
    send_sync::<CardEvent>();
    send_sync::<CardHandle>();
    send_sync::<UKeyError>();
    send_sync::<CardSource>();
    send::<CardEvents>();
    send::<crate::Pending<crate::CardSignature>>();
}

#[test]
fn readers_plugged_in_and_out_while_watching_are_reported() {
    let readers = SimulatedReaders::new(0);
    let mut events = crate::watch(CardSource::Simulated(readers.clone()));
    let slot = readers.plug_reader();
    let added = next_matching(&mut events, |e| match e {
        CardEvent::ReaderAdded { reader } => Some(reader),
        _ => None,
    });
    assert_eq!(added, "Simulated UKey reader 0");
    readers.insert(slot, card("3302015", "热插拔", None));
    let (handle, _) = read(&mut events);
    readers.unplug_reader(slot);
    assert_eq!(removed(&mut events), handle);
    let gone = next_matching(&mut events, |e| match e {
        CardEvent::ReaderRemoved { reader } => Some(reader),
        _ => None,
    });
    assert_eq!(gone, added);
    assert!(matches!(
        handle.sign([6; 32]).wait(),
        Err(UKeyError::CardRemoved)
    ));
}
