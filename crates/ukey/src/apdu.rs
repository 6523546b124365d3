//! Response APDUs and the one transport trait every card path implements.

use crate::error::UKeyError;
use crate::profile::ins;

/// A response APDU split into its data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    pub fn parse(raw: &[u8]) -> Result<Self, UKeyError> {
        match raw {
            [data @ .., sw1, sw2] => Ok(Response {
                data: data.to_vec(),
                sw: u16::from_be_bytes([*sw1, *sw2]),
            }),
            _ => Err(UKeyError::malformed(format!(
                "应答只有 {} 字节 / answer of {} bytes",
                raw.len(),
                raw.len()
            ))),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = self.data.clone();
        raw.extend_from_slice(&self.sw.to_be_bytes());
        raw
    }

    pub fn status(sw: u16) -> Self {
        Response {
            data: Vec::new(),
            sw,
        }
    }
}

/// A path to one inserted card: PC/SC in production, the in-process simulator in the demo.
/// `transmit` sends one command APDU and returns the raw answer including the status word.
pub trait CardChannel: Send {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, UKeyError>;

    /// Runs `work` with the card reserved for this channel (a PC/SC transaction), so that no
    /// other program's commands land between ours. A card keeps state between commands (the
    /// file that continuation reads go on with, the verified PIN), and on a clerk's PC the key
    /// vendor's own middleware may talk to the same card at any moment.
    fn reserved(&mut self, work: &mut Reserved<'_>) -> Result<(), UKeyError>;
}

/// The work done while the card is reserved.
pub type Reserved<'a> = dyn FnMut(&mut dyn CardChannel) -> Result<(), UKeyError> + 'a;

impl<C: CardChannel + ?Sized> CardChannel for Box<C> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, UKeyError> {
        (**self).transmit(command)
    }

    fn reserved(&mut self, work: &mut Reserved<'_>) -> Result<(), UKeyError> {
        (**self).reserved(work)
    }
}

/// Sends a command and follows the two T=0 conventions a reader may surface even on T=1 cards:
/// `61 xx` (more data: GET RESPONSE) and `6C xx` (wrong Le: send again with Le = xx).
pub fn exchange(channel: &mut dyn CardChannel, command: &[u8]) -> Result<Response, UKeyError> {
    let mut response = Response::parse(&channel.transmit(command)?)?;
    if response.sw >> 8 == 0x6C && command.len() >= 5 {
        let mut again = command.to_vec();
        if let Some(le) = again.last_mut() {
            *le = (response.sw & 0xFF) as u8;
        }
        response = Response::parse(&channel.transmit(&again)?)?;
    }
    let mut data = std::mem::take(&mut response.data);
    // Bounded: a card that keeps saying "more" is broken, not a reason to loop forever.
    for _ in 0..32 {
        if response.sw >> 8 != 0x61 {
            break;
        }
        let le = (response.sw & 0xFF) as u8;
        let next = Response::parse(&channel.transmit(&[0x00, ins::GET_RESPONSE, 0, 0, le])?)?;
        data.extend_from_slice(&next.data);
        response = next;
    }
    Ok(Response {
        data,
        sw: response.sw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_byte_is_not_an_answer() {
        assert!(matches!(
            Response::parse(&[0x90]),
            Err(UKeyError::MalformedAnswer { .. })
        ));
        let ok = Response::parse(&[1, 2, 0x90, 0x00]).expect("valid");
        assert_eq!(ok.data, vec![1, 2]);
        assert_eq!(ok.sw, 0x9000);
    }
}
