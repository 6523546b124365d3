//! The card side of `shebao-ukey/1`: one APDU in, one answer out. Used in-process by the demo
//! and behind the vpcd connection by `shebao-card-sim`, so both behave identically.

use std::sync::Arc;

use crate::apdu::Response;
use crate::profile::{self, ins, sw};
use crate::sim::card::{PIN_TRIES, SimCard, sign_challenge};

/// The answer to reset: T=1 only, historical bytes "SHEBAO".
pub fn atr() -> Vec<u8> {
    let historical = b"SHEBAO";
    // T0: TD1 follows, K historical bytes; TD1: protocol T=1, nothing further.
    let mut atr = vec![0x3B, 0x80 | historical.len() as u8, 0x01];
    atr.extend_from_slice(historical);
    // TCK: with T=1 offered, the XOR of every byte after TS must be zero.
    let check = atr[1..].iter().fold(0u8, |acc, b| acc ^ b);
    atr.push(check);
    atr
}

/// The application's volatile state between power-on and power-off.
#[derive(Debug)]
pub struct Applet {
    card: Arc<SimCard>,
    selected: bool,
    current_file: Option<u8>,
    pin_verified: bool,
}

impl Applet {
    pub fn new(card: Arc<SimCard>) -> Self {
        Applet {
            card,
            selected: false,
            current_file: None,
            pin_verified: false,
        }
    }

    /// Power-on, reset and power-off all forget the selection and the verified PIN.
    pub fn reset(&mut self) {
        self.selected = false;
        self.current_file = None;
        self.pin_verified = false;
    }

    /// Answers one command APDU.
    pub fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.answer(apdu).to_bytes()
    }

    fn answer(&mut self, apdu: &[u8]) -> Response {
        let Some(command) = Command::parse(apdu) else {
            return Response::status(sw::WRONG_LENGTH);
        };
        if command.cla != 0x00 {
            return Response::status(sw::CLA_NOT_SUPPORTED);
        }
        match command.ins {
            ins::SELECT => self.select(&command),
            ins::READ_BINARY => self.read_binary(&command),
            ins::VERIFY => self.verify(&command),
            ins::INTERNAL_AUTHENTICATE => self.internal_authenticate(&command),
            _ => Response::status(sw::INS_NOT_SUPPORTED),
        }
    }

    fn select(&mut self, command: &Command) -> Response {
        if command.p1 != 0x04 {
            return Response::status(sw::WRONG_P1P2);
        }
        self.reset();
        if command.data != self.card.aid() {
            return Response::status(sw::NOT_FOUND);
        }
        self.selected = true;
        // FCI: 6F { 84 <AID> }
        let aid = self.card.aid();
        let mut fci = vec![0x6F, (aid.len() + 2) as u8, 0x84, aid.len() as u8];
        fci.extend_from_slice(aid);
        Response {
            data: fci,
            sw: sw::OK,
        }
    }

    fn read_binary(&mut self, command: &Command) -> Response {
        if !self.selected {
            return Response::status(sw::NO_CURRENT_EF);
        }
        let (sfi, offset) = if command.p1 & 0x80 != 0 {
            (command.p1 & 0x1F, usize::from(command.p2))
        } else {
            match self.current_file {
                Some(sfi) => (
                    sfi,
                    usize::from(u16::from_be_bytes([command.p1, command.p2])),
                ),
                None => return Response::status(sw::NO_CURRENT_EF),
            }
        };
        let Some(file) = self.card.file(sfi) else {
            return Response::status(sw::NOT_FOUND);
        };
        self.current_file = Some(sfi);
        if offset >= file.len() && !(offset == 0 && file.is_empty()) {
            return Response::status(sw::OFFSET_OUTSIDE);
        }
        let wanted = match command.le {
            Some(0) | None => profile::READ_CHUNK,
            Some(le) => le,
        };
        let end = file.len().min(offset + wanted);
        Response {
            data: file[offset..end].to_vec(),
            sw: sw::OK,
        }
    }

    fn verify(&mut self, command: &Command) -> Response {
        let Some(pin) = self.card.pin() else {
            // A card without a PIN accepts any; there is nothing to protect.
            return Response::status(sw::OK);
        };
        let matches = command.data == pin.as_bytes();
        self.card.with_tries(|tries| {
            if *tries == 0 {
                return Response::status(sw::PIN_BLOCKED);
            }
            if matches {
                *tries = PIN_TRIES;
                self.pin_verified = true;
                return Response::status(sw::OK);
            }
            *tries -= 1;
            self.pin_verified = false;
            if *tries == 0 {
                Response::status(sw::PIN_BLOCKED)
            } else {
                Response::status(sw::WRONG_PIN_BASE | u16::from(*tries))
            }
        })
    }

    fn internal_authenticate(&mut self, command: &Command) -> Response {
        if !self.selected {
            return Response::status(sw::NO_CURRENT_EF);
        }
        if command.data.len() != profile::CHALLENGE_LEN {
            return Response::status(sw::WRONG_LENGTH);
        }
        if self.card.pin_required_for_signing() {
            if self.card.with_tries(|tries| *tries == 0) {
                return Response::status(sw::PIN_BLOCKED);
            }
            if !self.pin_verified {
                return Response::status(sw::SECURITY_NOT_SATISFIED);
            }
        }
        match sign_challenge(&self.card, command.data) {
            Ok(signature) => Response {
                data: signature.to_vec(),
                sw: sw::OK,
            },
            Err(_) => Response::status(0x6F00),
        }
    }
}

/// A command APDU in its short form (cases 1 to 4).
struct Command<'a> {
    cla: u8,
    ins: u8,
    p1: u8,
    p2: u8,
    data: &'a [u8],
    le: Option<usize>,
}

impl<'a> Command<'a> {
    fn parse(apdu: &'a [u8]) -> Option<Self> {
        let [cla, ins, p1, p2, body @ ..] = apdu else {
            return None;
        };
        let (data, le): (&[u8], Option<usize>) = match body {
            [] => (&[], None),
            [le] => (&[], Some(usize::from(*le))),
            [lc, rest @ ..] => {
                let lc = usize::from(*lc);
                match rest.len() {
                    n if n == lc => (rest, None),
                    n if n == lc + 1 => (&rest[..lc], rest.last().map(|le| usize::from(*le))),
                    _ => return None,
                }
            }
        };
        Some(Command {
            cla: *cla,
            ins: *ins,
            p1: *p1,
            p2: *p2,
            data,
            le,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apdu::CardChannel;
    use crate::card::UKeyCard;
    use crate::error::UKeyError;
    use crate::sim::card::CardFile;

    struct Direct(Applet);

    impl CardChannel for Direct {
        fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, UKeyError> {
            Ok(self.0.process(command))
        }

        fn reserved(&mut self, work: &mut crate::apdu::Reserved<'_>) -> Result<(), UKeyError> {
            work(self)
        }
    }

    fn applet_with_name(name: &str) -> Applet {
        let file = CardFile::generate("123", name, "91350100M000100Y43", None);
        Applet::new(Arc::new(file.to_card().expect("valid card")))
    }

    #[test]
    fn files_are_guarded_by_the_selection() {
        let mut applet = applet_with_name("x");
        assert_eq!(
            applet.process(&profile::read_first_command(1)),
            [0x69, 0x86]
        );
        assert_eq!(
            &applet.process(&profile::select_command())[..2],
            [0x6F, 0x0A]
        );
        assert_eq!(
            applet.process(&profile::read_first_command(1)),
            b"123\x90\x00"
        );
        assert_eq!(
            applet.process(&profile::read_first_command(9)),
            [0x6A, 0x82]
        );
        assert_eq!(applet.process(&[0x80, 0xB0, 0x81, 0, 0]), [0x6E, 0x00]);
        assert_eq!(applet.process(&[0x00, 0xCA, 0, 0, 0]), [0x6D, 0x00]);
    }

    #[test]
    fn names_of_any_length_read_back_whole() {
        // Exactly one chunk (the continuation then finds the end), and several chunks.
        for name in ["字".repeat(85) + "a", "长".repeat(300)] {
            let mut card = UKeyCard::select(Direct(applet_with_name(&name))).expect("selected");
            assert_eq!(card.read_identity().expect("read").unit_name, name);
        }
        assert_eq!(("字".repeat(85) + "a").len(), 256);
    }

    #[test]
    fn the_atr_checksum_closes_to_zero() {
        let atr = atr();
        assert_eq!(atr[0], 0x3B);
        assert_eq!(atr[1..].iter().fold(0u8, |acc, b| acc ^ b), 0);
    }

    #[test]
    fn commands_of_all_four_cases_parse() {
        assert!(Command::parse(&[0, 0xB0, 0x81, 0]).is_some());
        let read = Command::parse(&[0, 0xB0, 0x81, 0, 0]).expect("case 2");
        assert_eq!(read.le, Some(0));
        let verify = Command::parse(&[0, 0x20, 0, 1, 2, b'1', b'2']).expect("case 3");
        assert_eq!(verify.data, b"12");
        let select_apdu = profile::select_command();
        let select = Command::parse(&select_apdu).expect("case 4");
        assert_eq!(select.data, profile::AID);
        assert!(Command::parse(&[0, 0x20, 0, 1, 5, 1]).is_none());
    }
}
