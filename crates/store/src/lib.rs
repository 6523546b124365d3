//! shebao-store: the client's local SQLite database.
//!
//! This crate will own every write to the client's database: drafts of each declaration kind, the
//! outbox of declarations queued for sending (each with the idempotency key chosen when it was
//! created), declarations with the agency's per-item results, the cached reference data, roster,
//! unit record, dues and announcements, and the cursor of the agency's changes feed. It will also
//! hold the schema migrations, online backup and restore, and the import and export of workbooks.
