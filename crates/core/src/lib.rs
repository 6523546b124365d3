//! shebao-core: the domain of social-insurance declarations, with no I/O.
//!
//! Every rule a clerk can break lives here once, so the desktop client (offline, as the clerk
//! types) and the agency server (when a declaration arrives) judge an item the same way.
//! Nothing here touches a file, a socket, a database or a window; the only outside fact a rule
//! needs, today's date, is passed in (`validate::Context`), except in the convenience
//! constructors that say they read the system clock.

pub mod declaration;
pub mod dues;
pub mod id;
pub mod money;
pub mod month;
pub mod name;
pub mod reference;
pub mod state;
pub mod uscc;
pub mod validate;
