//! shebao-print: the declaration forms and the agency's receipts as PDF, to print, sign and
//! stamp.
//!
//! The input is a model of its own ([`DeclarationForm`], [`Receipt`]) in `shebao-core`'s types,
//! built by the command line or the window from whatever the store returns; this crate knows no
//! store, no network and no window. [`Printing::render`] lays the papers out on A4 pages with
//! krilla and embeds the print font as a subset of the characters used; every page carries a
//! QR code ([`QrPayload`]) naming the unit, the declaration and a digest of its content, which
//! [`verify`] reads back from the PDF or from a scan.
//!
//! What each form shows (title, columns, widths, words) is in the templates under
//! `assets/print/`, not in the code.
//!
//! Rendering is CPU-bound and blocking: the window calls it off its thread.
//!
//! ```no_run
//! # use shebao_print::*;
//! # fn form() -> DeclarationForm { unimplemented!() }
//! let font = PrintFont::shared()?;
//! let printing = Printing { font, reference: None, printed_at: chrono::Local::now().naive_local() };
//! let printed = printing.render(&[Paper::Form(form())])?;
//! std::fs::write("增员.pdf", &printed.pdf).expect("written");
//! # Ok::<(), PrintError>(())
//! ```

mod digest;
mod draw;
mod error;
mod font;
mod layout;
mod model;
mod qr;
mod render;
mod rows;
mod sheet;
mod template;
pub mod verify;

pub use digest::Digest;
pub use error::{PrintError, VerifyError};
pub use font::{FONT_FILE, FONT_VARIABLE, PrintFont};
pub use model::{
    Before, DeclarationForm, DeclarationRef, Paper, Person, PersonRecord, Receipt, ReceiptLine,
    Unit, Verdict,
};
pub use qr::{FormKind, NotOurs, QrPayload};
pub use render::{Printed, Printing};
