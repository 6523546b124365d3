//! The card side of the vsmartcard vpcd protocol: the simulator connects to the vpcd driver
//! inside pcscd and plays the card. Each message is a 2-byte big-endian length and a payload; a
//! 1-byte payload is a control code, anything longer an APDU. Closing the connection is pulling
//! the card out.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::sim::applet::{Applet, atr};
use crate::sim::card::{SimCard, SimError};

/// The port of vpcd reader 0 ("Virtual PCD 00 00"); reader n listens on this plus n.
pub const FIRST_PORT: u16 = 35963;

/// The name pcscd gives vpcd reader `index`.
pub fn reader_name(index: u8) -> String {
    format!("Virtual PCD 00 {index:02}")
}

pub fn reader_address(index: u8) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], FIRST_PORT + u16::from(index)))
}

const POWER_OFF: u8 = 0x00;
const POWER_ON: u8 = 0x01;
const RESET: u8 = 0x02;
const GET_ATR: u8 = 0x04;

/// How the simulated card behaves in the reader.
#[derive(Debug, Clone, Default)]
pub struct InsertOptions {
    /// vpcd reader 0 or 1.
    pub reader: u8,
    /// Pull the card out after this long.
    pub remove_after: Option<Duration>,
    /// Pull the card out when a command with this instruction byte arrives, before answering:
    /// a card yanked in the middle of an exchange.
    pub pull_on_ins: Option<u8>,
}

/// Why the card left the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `remove_after` ran out.
    TimeUp,
    /// The command named by `pull_on_ins` arrived.
    PulledOnCommand,
    /// [`VpcdCard::pull`] was called.
    Pulled,
    /// pcscd closed the connection (it stopped, or the driver was unloaded).
    DriverClosed,
}

/// A simulated card sitting in a vpcd reader, served by its own thread.
#[derive(Debug)]
pub struct VpcdCard {
    stream: TcpStream,
    pulled: Arc<AtomicBool>,
    thread: Option<JoinHandle<Result<Ending, SimError>>>,
}

/// Connects to the vpcd reader and starts playing `card`; the card is in the reader once this
/// returns (pcscd notices it at its next poll).
pub fn insert(card: Arc<SimCard>, options: InsertOptions) -> Result<VpcdCard, SimError> {
    let address = reader_address(options.reader);
    let stream =
        TcpStream::connect_timeout(&address, Duration::from_secs(2)).map_err(|source| {
            SimError::VpcdUnreachable {
                address: address.to_string(),
                source,
            }
        })?;
    stream.set_nodelay(true)?;
    let pulled = Arc::new(AtomicBool::new(false));
    let serving = stream.try_clone()?;
    let serving_pulled = pulled.clone();
    let thread = std::thread::Builder::new()
        .name(format!("vpcd-card-{}", options.reader))
        .spawn(move || serve(serving, &card, &options, &serving_pulled))?;
    Ok(VpcdCard {
        stream,
        pulled,
        thread: Some(thread),
    })
}

impl VpcdCard {
    /// Pulls the card out of the reader now.
    pub fn pull(mut self) -> Result<Ending, SimError> {
        self.pulled.store(true, Ordering::SeqCst);
        let _ = self.stream.shutdown(Shutdown::Both);
        self.join()
    }

    /// Waits until the card leaves the reader by itself (time up, pulled on a command, or
    /// pcscd went away).
    pub fn wait(mut self) -> Result<Ending, SimError> {
        self.join()
    }

    fn join(&mut self) -> Result<Ending, SimError> {
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(SimError::Vpcd(ErrorKind::Other.into()))),
            None => Ok(Ending::Pulled),
        }
    }
}

impl Drop for VpcdCard {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.pulled.store(true, Ordering::SeqCst);
            let _ = self.stream.shutdown(Shutdown::Both);
            let _ = self.join();
        }
    }
}

/// What a trace line may show of a message from vpcd: a control code whole, of an APDU only its
/// header and length. The data of a VERIFY is the PIN, and no PIN goes into a log.
fn loggable(message: &[u8]) -> String {
    match message {
        [_, _, _, _, _, ..] => format!("APDU {:02X?} + {} bytes", &message[..4], message.len() - 4),
        other => format!("{other:02X?}"),
    }
}

/// The message loop; returns when the card leaves the reader.
fn serve(
    mut stream: TcpStream,
    card: &Arc<SimCard>,
    options: &InsertOptions,
    pulled: &AtomicBool,
) -> Result<Ending, SimError> {
    let deadline = options.remove_after.map(|after| Instant::now() + after);
    let mut applet = Applet::new(card.clone());
    let ending = loop {
        let message = match read_message(&mut stream, deadline) {
            Ok(Some(message)) => message,
            Ok(None) => break Ending::TimeUp,
            Err(_) if pulled.load(Ordering::SeqCst) => break Ending::Pulled,
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => break Ending::DriverClosed,
            Err(e) => return Err(e.into()),
        };
        tracing::trace!("vpcd sent {}", loggable(&message));
        match message.as_slice() {
            [POWER_OFF] | [POWER_ON] | [RESET] => applet.reset(),
            [GET_ATR] => write_message(&mut stream, &atr())?,
            [_] | [] => tracing::debug!("vpcd sent an unknown control message {message:02X?}"),
            apdu => {
                if options.pull_on_ins.is_some() && apdu.get(1).copied() == options.pull_on_ins {
                    break Ending::PulledOnCommand;
                }
                write_message(&mut stream, &applet.process(apdu))?;
            }
        }
    };
    let _ = stream.shutdown(Shutdown::Both);
    tracing::info!(
        reader = options.reader,
        ?ending,
        "simulated card left the reader"
    );
    Ok(ending)
}

/// One message, or `None` once the deadline passed.
fn read_message(
    stream: &mut TcpStream,
    deadline: Option<Instant>,
) -> std::io::Result<Option<Vec<u8>>> {
    // Linux turns delayed ACKs back on after each exchange; without re-arming quick-ack here,
    // pcscd's next APDU would sit about 40 ms waiting for our ACK.
    set_quickack(stream);
    let timeout = match deadline {
        Some(deadline) => {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            Some(left)
        }
        None => None,
    };
    stream.set_read_timeout(timeout)?;
    let mut header = [0u8; 2];
    match stream.read_exact(&mut header) {
        Ok(()) => {}
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    }
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(header))];
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.read_exact(&mut payload)?;
    Ok(Some(payload))
}

fn write_message(stream: &mut TcpStream, payload: &[u8]) -> std::io::Result<()> {
    let length = u16::try_from(payload.len()).map_err(|_| ErrorKind::InvalidInput)?;
    let mut message = Vec::with_capacity(payload.len() + 2);
    message.extend_from_slice(&length.to_be_bytes());
    message.extend_from_slice(payload);
    stream.write_all(&message)
}

#[cfg(target_os = "linux")]
fn set_quickack(stream: &TcpStream) {
    if let Err(e) = socket2::SockRef::from(stream).set_tcp_quickack(true) {
        tracing::debug!("TCP_QUICKACK not set: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
fn set_quickack(_stream: &TcpStream) {
    // Other systems have no per-read quick-ack switch; the vpcd tests run on Linux.
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile;

    #[test]
    fn a_verify_apdu_is_traced_without_its_pin() {
        let verify = profile::verify_command(b"482916");
        let line = loggable(&verify);
        assert!(!line.contains("34, 38, 32, 39, 31, 36"), "{line}");
        assert!(!line.contains("482916"), "{line}");
        assert!(line.contains("20"), "the instruction is shown: {line}");
        assert_eq!(loggable(&[POWER_ON]), "[01]");
    }
}
