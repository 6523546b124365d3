//! shebao-sync: the client side of the agency API v1.
//!
//! This crate will be the only code that talks HTTP: the typed agency client for every call of
//! the API, login with the card's signature, the session token in the OS keyring, and the sync
//! engine that sends the outbox (the same idempotency key on every retry) and applies the agency's
//! changes feed, reference data, roster and announcements to the store.
