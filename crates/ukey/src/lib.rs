//! shebao-ukey: the clerk's USB key, read over PC/SC or through a PKCS#11 module.
//!
//! The only code of shebao that talks PC/SC or PKCS#11. It finds and watches readers, reads a
//! card of the open profile `shebao-ukey/1` (PROTOCOL.md §1: unit number, unit name, credit
//! code, public key), signs the agency's login challenge with INTERNAL AUTHENTICATE and checks
//! the PIN. A token behind a PKCS#11 module ([`pkcs11`]) does the same from the unit's
//! certificate and key pair, and surfaces as the same events.
//!
//! The GUI calls [`watch`] (never blocking: the work runs on threads of its own) and consumes
//! the returned [`CardEvents`] as a stream; the [`CardHandle`] in an event is how it asks that
//! card to sign. Tools call the blocking functions of [`pcsc_backend`] or [`UKeyCard`] directly.
//!
//! The [`sim`] module is a software card: in-process for the demo ([`CardSource::Simulated`]),
//! and behind a real pcscd through the vsmartcard vpcd driver in the `shebao-card-sim` binary.

pub mod apdu;
pub mod card;
mod deadline;
pub mod error;
mod events;
mod handle;
pub mod pcsc_backend;
pub mod pkcs11;
pub mod profile;
pub mod sim;
mod source;
pub mod verify;
mod watcher;

pub use card::{CardIdentity, CardPin, CardSignature, Challenge, KeyAlgorithm, UKeyCard};
pub use error::{Operation, UKeyError};
pub use events::{CardEvent, CardEvents, RecvError};
pub use handle::{CardHandle, Pending, REQUEST_TIMEOUT};
pub use source::CardSource;
pub use watcher::{watch, watch_with_timeout};
