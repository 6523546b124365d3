//! shebao-ukey: the clerk's USB key, read over PC/SC.
//!
//! This crate will be the only code that talks PC/SC: finding and watching readers, reading a card
//! of the open profile `shebao-ukey/1` (unit number, unit name, credit code, public key), signing
//! the agency's login challenge with INTERNAL AUTHENTICATE, and the `shebao-card-sim` binary that
//! plays such a card to a real pcscd through the vsmartcard `vpcd` driver.
