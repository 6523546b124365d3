//! shebao-agency: the reference agency server.
//!
//! This crate will hold the HTTPS service that implements the agency API v1 (login with the
//! card's SM2 signature, reference data, declarations, the changes feed, announcements), its
//! SQLite database, and the operator command line that opens units, publishes announcements and
//! processes declarations. It validates every declaration item with `shebao-core`, the same rules
//! the client applies offline.
