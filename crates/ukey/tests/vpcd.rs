//! The UKey on the real stack: `shebao-card-sim` plays cards through vpcd into a running pcscd
//! and the client watches and uses them through PC/SC. Needs pcscd with vsmartcard-vpcd
//! (`cargo xtask test` sets it up); the tests share the two vpcd readers and take turns.

mod support;

use shebao_ukey::verify::signature_is_valid;
use shebao_ukey::{CardEvent, CardPin, CardSource, UKeyError, watch};
use support::*;

#[test]
fn the_unit_number_is_read_from_a_card_inserted_after_watching_began() {
    let _readers = take_readers();
    let dir = temp_dir("read");
    // A name longer than one READ BINARY chunk, so the continuation reads are exercised.
    let long_name = "杭州市西湖区社会保险示范单位有限公司".repeat(6);
    assert!(long_name.len() > 256);
    let (card, key) = new_card(&dir, "33010012345", &long_name, None);
    let mut events = watch(CardSource::Pcsc);
    wait_for(&mut events, "reader added", |e| match e {
        CardEvent::ReaderAdded { reader } if reader == READER_0 => Some(()),
        _ => None,
    });
    let _inserted = insert(&card, 0, &[]);
    let identity = wait_for(&mut events, "card read", |e| match e {
        CardEvent::CardRead { card, identity } if card.reader() == READER_0 => {
            Some(identity.clone())
        }
        _ => None,
    });
    assert_eq!(identity.unit_no, "33010012345");
    assert_eq!(identity.unit_name, long_name);
    assert_eq!(identity.credit_code, "91350100M000100Y43");
    assert_eq!(identity.public_key.to_vec(), key);
}

#[test]
fn a_signature_verifies_with_the_cards_public_key_and_matches_the_sim() {
    let _readers = take_readers();
    let dir = temp_dir("sign");
    let (card_file, key) = new_card(&dir, "330100200", "签名测试单位", None);
    let mut events = watch(CardSource::Pcsc);
    let _inserted = insert(&card_file, 0, &[]);
    let card = read_card_on(&mut events, READER_0);
    let challenge = [0x5Au8; 32];
    let signature = card.sign(challenge).wait().expect("the card signs");
    assert!(signature_is_valid(&key, &challenge, &signature.0));
    assert!(!signature_is_valid(&key, &[0u8; 32], &signature.0));
    // The simulator's own `sign` gives the same deterministic signature.
    let output = sim()
        .arg("--card")
        .arg(&card_file)
        .args(["sign", &hex::encode(challenge)])
        .output()
        .expect("sim sign runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        hex::encode(signature.0)
    );
}

#[test]
fn a_wrong_pin_counts_down_and_then_blocks_the_key() {
    let _readers = take_readers();
    let dir = temp_dir("pin");
    let (card_file, key) = new_card(&dir, "330100300", "PIN 测试单位", Some("246810"));
    let mut events = watch(CardSource::Pcsc);
    let _inserted = insert(&card_file, 0, &[]);
    let card = read_card_on(&mut events, READER_0);
    let challenge = [7u8; 32];
    assert!(matches!(
        card.sign(challenge).wait(),
        Err(UKeyError::PinRequired)
    ));
    assert!(matches!(
        card.verify_pin(CardPin::new("111111")).wait(),
        Err(UKeyError::WrongPin { tries_left: 2 })
    ));
    card.verify_pin(CardPin::new("246810"))
        .wait()
        .expect("the right PIN");
    let signature = card.sign(challenge).wait().expect("signs after VERIFY");
    assert!(signature_is_valid(&key, &challenge, &signature.0));
    for tries_left in [2, 1] {
        assert!(matches!(
            card.verify_pin(CardPin::new("000000")).wait(),
            Err(UKeyError::WrongPin { tries_left: t }) if t == tries_left
        ));
    }
    assert!(matches!(
        card.verify_pin(CardPin::new("000000")).wait(),
        Err(UKeyError::PinBlocked)
    ));
    assert!(matches!(
        card.verify_pin(CardPin::new("246810")).wait(),
        Err(UKeyError::PinBlocked)
    ));
    assert!(matches!(
        card.sign(challenge).wait(),
        Err(UKeyError::PinBlocked)
    ));
}

#[test]
fn a_card_of_another_kind_is_told_apart() {
    let _readers = take_readers();
    let dir = temp_dir("aid");
    let (card_file, _) = new_card(&dir, "330100400", "别的卡", None);
    let mut events = watch(CardSource::Pcsc);
    let _inserted = insert(&card_file, 0, &["--aid", "A000000333010101"]);
    let error = wait_for(&mut events, "card unreadable", |e| match e {
        CardEvent::CardUnreadable { card, error } if card.reader() == READER_0 => {
            Some(error.clone())
        }
        CardEvent::CardRead { .. } => panic!("a foreign card was read as a UKey"),
        _ => None,
    });
    assert!(matches!(error, UKeyError::NotShebaoCard), "{error}");
}

#[test]
fn a_card_pulled_in_the_middle_of_a_read_is_reported_removed() {
    let _readers = take_readers();
    let dir = temp_dir("pull-read");
    let (card_file, _) = new_card(&dir, "330100500", "拔卡测试", None);
    let mut events = watch(CardSource::Pcsc);
    let _inserted = insert(&card_file, 0, &["--pull-on-ins", "B0"]);
    // The watcher may see the card leave before the read reports its failure: either order.
    let (mut error, mut gone) = (None, false);
    while error.is_none() || !gone {
        wait_for(
            &mut events,
            "card unreadable and card removed",
            |e| match e {
                CardEvent::CardUnreadable { card, error: e } if card.reader() == READER_0 => {
                    error = Some(e.clone());
                    Some(())
                }
                CardEvent::CardRemoved { card } if card.reader() == READER_0 => {
                    gone = true;
                    Some(())
                }
                CardEvent::CardRead { .. } => panic!("a card pulled mid-read was read"),
                _ => None,
            },
        );
    }
    assert!(matches!(error, Some(UKeyError::CardRemoved)), "{error:?}");
}

#[test]
fn a_card_pulled_in_the_middle_of_a_signature_is_reported_removed() {
    let _readers = take_readers();
    let dir = temp_dir("pull-sign");
    let (card_file, _) = new_card(&dir, "330100600", "拔卡签名测试", None);
    let mut events = watch(CardSource::Pcsc);
    let _inserted = insert(&card_file, 0, &["--pull-on-ins", "88"]);
    let card = read_card_on(&mut events, READER_0);
    let error = card
        .sign([1u8; 32])
        .wait()
        .expect_err("no signature from a pulled card");
    assert!(matches!(error, UKeyError::CardRemoved), "{error}");
    let removed = wait_for(&mut events, "card removed", |e| match e {
        CardEvent::CardRemoved { card } if card.reader() == READER_0 => Some(card.clone()),
        _ => None,
    });
    assert_eq!(removed, card);
    assert!(!card.is_present());
    assert!(matches!(
        card.sign([1u8; 32]).wait(),
        Err(UKeyError::CardRemoved)
    ));
}

#[test]
fn pulling_the_card_out_invalidates_its_handle() {
    let _readers = take_readers();
    let dir = temp_dir("remove");
    let (card_file, _) = new_card(&dir, "330100700", "移除测试", None);
    let mut events = watch(CardSource::Pcsc);
    let inserted = insert(&card_file, 0, &[]);
    let card = read_card_on(&mut events, READER_0);
    inserted.pull();
    wait_for(&mut events, "card removed", |e| match e {
        CardEvent::CardRemoved { card: removed } if *removed == card => Some(()),
        _ => None,
    });
    assert!(matches!(
        card.sign([2u8; 32]).wait(),
        Err(UKeyError::CardRemoved)
    ));
    // Put back in, it is a new insertion with a new handle; the old one stays invalid.
    let _again = insert(&card_file, 0, &[]);
    let fresh = read_card_on(&mut events, READER_0);
    assert_ne!(fresh, card);
    assert!(fresh.generation() > card.generation());
    assert!(matches!(
        card.sign([2u8; 32]).wait(),
        Err(UKeyError::CardRemoved)
    ));
    fresh.sign([2u8; 32]).wait().expect("the new handle works");
}

#[test]
fn two_readers_hold_two_cards_at_once() {
    let _readers = take_readers();
    let dir = temp_dir("two");
    let (first, first_key) = new_card(&dir, "330100801", "第一单位", None);
    let (second, second_key) = new_card(&dir, "330100802", "第二单位", None);
    let mut events = watch(CardSource::Pcsc);
    let _a = insert(&first, 0, &[]);
    let _b = insert(&second, 1, &[]);
    let mut cards = Vec::new();
    while cards.len() < 2 {
        cards.push(wait_for(&mut events, "card read", |e| match e {
            CardEvent::CardRead { card, identity } => Some((card.clone(), identity.clone())),
            _ => None,
        }));
    }
    cards.sort_by(|a, b| a.1.unit_no.cmp(&b.1.unit_no));
    assert_eq!(cards[0].1.unit_no, "330100801");
    assert_eq!(cards[0].0.reader(), READER_0);
    assert_eq!(cards[1].1.unit_no, "330100802");
    assert_eq!(cards[1].0.reader(), READER_1);
    let challenge = [9u8; 32];
    let a = cards[0].0.sign(challenge);
    let b = cards[1].0.sign(challenge);
    assert!(signature_is_valid(
        &first_key,
        &challenge,
        &a.wait().expect("first signs").0
    ));
    assert!(signature_is_valid(
        &second_key,
        &challenge,
        &b.wait().expect("second signs").0
    ));
}

fn read_card_on(events: &mut shebao_ukey::CardEvents, reader: &str) -> shebao_ukey::CardHandle {
    wait_for(events, "card read", |e| match e {
        CardEvent::CardRead { card, .. } if card.reader() == reader => Some(card.clone()),
        CardEvent::CardUnreadable { card, error } if card.reader() == reader => {
            panic!("the card could not be read: {error}")
        }
        _ => None,
    })
}

#[test]
fn the_simulator_library_plays_a_card_over_vpcd_too() {
    use shebao_ukey::sim::CardFile;
    use shebao_ukey::sim::vpcd::{self, InsertOptions};
    let _readers = take_readers();
    let card = CardFile::generate("330100900", "库插卡", "91350100M000100Y43", None)
        .to_card()
        .expect("valid card");
    let mut events = watch(CardSource::Pcsc);
    let inserted = vpcd::insert(
        std::sync::Arc::new(card),
        InsertOptions {
            reader: 1,
            ..InsertOptions::default()
        },
    )
    .expect("vpcd reachable");
    let handle = read_card_on(&mut events, READER_1);
    inserted.pull().expect("pulled cleanly");
    wait_for(&mut events, "card removed", |e| match e {
        CardEvent::CardRemoved { card } if *card == handle => Some(()),
        _ => None,
    });
}

#[test]
fn two_programs_reading_the_same_card_at_once_each_get_the_whole_name() {
    let _readers = take_readers();
    let dir = temp_dir("shared");
    // Long enough for continuation reads: the card remembers which file they go on with, so
    // another program's READ in between would splice two files together without a transaction.
    let long_name = "福州市鼓楼区社会保险并发读取测试单位".repeat(6);
    let (card, _key) = new_card(&dir, "350100300", &long_name, None);
    let mut events = watch(CardSource::Pcsc);
    let _inserted = insert(&card, 0, &[]);
    read_card_on(&mut events, READER_0);
    let readers: Vec<_> = (0..3)
        .map(|_| {
            std::thread::spawn(|| {
                (0..15)
                    .map(|_| {
                        shebao_ukey::pcsc_backend::read_card(
                            READER_0,
                            std::time::Duration::from_secs(10),
                        )
                        .map(|identity| identity.unit_name)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for reader in readers {
        for name in reader.join().expect("reader thread") {
            assert_eq!(name.expect("the card is read"), long_name);
        }
    }
}
