//! A hostile or broken card: every answer to every command comes from the fuzzer. The client
//! selects the application, reads the unit number, reads the four files, presents a PIN and
//! asks for a signature, as the login screen does. Whatever the card says, each step must end
//! in a value or an error (never a panic, a hang or an unbounded read), and a card identity
//! that is accepted must be one the profile allows.
//!
//! Input: answers one after another, each a 2-byte little-endian length and that many bytes.
//! When the answers run out the card is "removed".
#![no_main]

use libfuzzer_sys::fuzz_target;
use shebao_ukey::apdu::{CardChannel, Reserved};
use shebao_ukey::profile;
use shebao_ukey::{CardPin, UKeyCard, UKeyError};

struct HostileCard<'a> {
    answers: &'a [u8],
    commands: usize,
}

impl CardChannel for HostileCard<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, UKeyError> {
        assert!(
            command.len() <= 5 + 255 + 1,
            "a command longer than a short APDU"
        );
        self.commands += 1;
        let [lo, hi, rest @ ..] = self.answers else {
            return Err(UKeyError::CardRemoved);
        };
        let length = usize::from(u16::from_le_bytes([*lo, *hi])).min(rest.len());
        let (answer, rest) = rest.split_at(length);
        self.answers = rest;
        Ok(answer.to_vec())
    }

    fn reserved(&mut self, work: &mut Reserved<'_>) -> Result<(), UKeyError> {
        work(self)
    }
}

fuzz_target!(|input: &[u8]| {
    let card = HostileCard {
        answers: input,
        commands: 0,
    };
    let Ok(mut card) = UKeyCard::select(card) else {
        return;
    };
    if let Ok(unit_no) = card.read_unit_no() {
        let _ = unit_no.len();
    }
    if let Ok(identity) = card.read_identity() {
        assert!(!identity.unit_no.is_empty());
        assert!(identity.unit_no.len() <= profile::UNIT_NO_MAX);
        assert!(identity.unit_no.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(identity.credit_code.len(), 18);
        assert_eq!(identity.public_key[0], 0x04);
        assert!(identity.unit_name.len() <= profile::FILE_MAX + 32 * profile::READ_CHUNK);
    }
    match card.verify_pin(&CardPin::new("123456")) {
        Err(UKeyError::WrongPin { tries_left }) => assert!((1..=15).contains(&tries_left)),
        Err(error) => {
            let _ = error.to_string();
        }
        Ok(()) => {}
    }
    if let Err(error) = card.sign(&[0x5A; profile::CHALLENGE_LEN]) {
        let _ = error.to_string();
    }
});
