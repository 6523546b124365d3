//! The card simulator: a `shebao-ukey/1` card in software. The demo plugs it in-process
//! ([`SimulatedReaders`]); `shebao-card-sim` puts it behind a real pcscd through vpcd
//! ([`vpcd`]). Both run the same [`applet::Applet`].

pub mod applet;
pub mod card;
pub mod in_process;
pub mod vpcd;

pub use card::{CardFile, PinPolicy, SimCard, SimError, sign_challenge};
pub use in_process::{Fault, SimulatedReaders};
