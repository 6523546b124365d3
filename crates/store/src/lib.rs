//! shebao-store: the client's local SQLite database, one per unit.
//!
//! Every write of the client's data goes through [`Store`]: drafts of each declaration kind,
//! the outbox of declarations queued for sending (each with the idempotency key chosen when it
//! was queued), declarations with the agency's per-item results, the cached reference data,
//! roster, unit record, dues and announcements, and the cursor of the agency's changes feed.
//!
//! # Durability
//! Each public method that writes is one transaction. The database runs in WAL mode with
//! `synchronous=FULL`, so a draft the clerk saved is on disk when the save returns, and a
//! process killed at any moment leaves either the whole change or none of it.
//!
//! # Encryption and where the key lives
//! The file is encrypted with SQLCipher. Its key is chosen, in this order:
//!
//! 1. If the environment variable `SHEBAO_STORE_PASSPHRASE` is set, SQLCipher derives the key
//!    from that passphrase (PBKDF2-HMAC-SHA512; the salt is in the file itself). This is the
//!    **fallback for machines without an OS keyring** (a Linux PC with no Secret Service, a
//!    server used by support staff). A warning is logged every time it is used. A store created
//!    with a passphrase must always be opened with the same passphrase.
//! 2. Otherwise a random 256-bit key kept in the OS keyring (Windows Credential Manager, macOS
//!    Keychain, the Secret Service on Linux: GNOME Keyring or KWallet) under the service
//!    `shebao`, entry `store-key/<unit number>`, as 64 hexadecimal characters; it is generated
//!    when the store is created.
//! 3. With neither, opening fails with [`StoreError::NoKey`], which says so and names the
//!    variable. A keyring that is there but locked gives [`StoreError::KeyringLocked`] ("unlock
//!    your keyring"), never the fallback. The key is never written to a file.
//!
//! When the store exists but the keyring no longer holds its key (a new PC, a new Windows
//! profile, a reset keyring), opening fails with [`StoreError::KeyLost`]; the ways out are in
//! `lost.rs`: restore a backup with its password ([`Store::restore_unit`]), or start a fresh store
//! ([`Store::start_fresh`]), the old file kept aside.
//!
//! # Backups
//! A backup ([`Store::backup_to`], the daily one [`Store::daily_backup`]) is encrypted under the
//! unit's backup key, which the file carries sealed under the backup password
//! ([`Store::set_backup_password`]), the recovery code shown once when it is set, and this
//! computer's store key; see `backup/` and docs/backup-format.md. A restore takes the store's
//! lock alone: while a window or command has the store open it is refused
//! ([`StoreError::InUse`]).
//!
//! The store's files and folders are created readable by their owner only (0600 and 0700).
//!
//! # Damage
//! Opening runs SQLite's `quick_check`; a damaged file gives [`StoreError::Damaged`], whose
//! message offers `shebao restore`.
//!
//! # Rules
//! The store judges nothing itself: [`Store::check_drafts`] runs the validation of
//! `shebao-core` against the cached reference data, and the changes feed is merged with
//! `shebao-core`'s state rule (never backwards, a viewed mark never cleared).
//! [`model::DeclarationKind`] and [`model::DeclarationState`] are the store's row labels in
//! the wire spellings; they convert to and from `shebao-core`'s types by those spellings.

mod backup;
mod cache;
mod daily;
mod declarations;
mod drafts;
mod error;
mod hire;
mod history;
pub mod import;
mod key;
mod location;
mod lock;
mod lost;
pub mod model;
mod outbox;
mod private;
mod query;
mod roster;
mod schema;
mod store;
mod validation;
pub mod vault;

pub use backup::{BACKUP_FORMAT, BackupInfo, BackupPassword, RecoveryCode, backup_info};
pub use cache::CachedAnnouncement;
pub use daily::{DAILY_KEPT, DailyBackup, daily_backups};
pub use declarations::{
    CHANGES_CURSOR, Declaration, ItemResult, ReportedDeclaration, ReportedItem,
};
pub use drafts::{Draft, DraftId, DraftProblem, NewDraft};
pub use error::{Result, StoreError};
pub use hire::HireDraft;
pub use history::{AGENCY_REFUSAL, PersonEvent};
pub use key::{KeyHome, KeySource, PASSPHRASE_VAR, StoreKey, store_key_entry};
pub use location::{DataDir, this_month};
pub use lost::FreshStart;
pub use model::{DeclarationKind, DeclarationState, HomeCounts};
pub use outbox::{DeclarationId, OutboxEntry};
pub use query::{DeclarationFilter, DeclarationIndex, DeclarationRow};
pub use roster::RosterPerson;
pub use schema::SCHEMA_VERSION;
pub use store::Store;
pub use validation::DraftCheck;
