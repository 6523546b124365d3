//! When a unit's store exists but cannot be opened: its key is gone from the keyring
//! ([`StoreError::KeyLost`]), another key is there ([`StoreError::WrongKey`]), or the file is
//! damaged ([`StoreError::Damaged`]). Two ways out, both here and in the command line:
//!
//! - restore a backup ([`Store::restore_unit`], with the backup password when the keyring's key
//!   does not open it);
//! - start a fresh store ([`Store::start_fresh`]): the unreadable file is kept aside, renamed
//!   with the time, never deleted. What is lost: the drafts not yet submitted and declarations
//!   still waiting in the outbox. The agency keeps everything it received, and the fresh store's
//!   first sync brings those declarations and their results back.

use std::path::PathBuf;

use crate::backup::set_aside;
use crate::error::{Result, StoreError};
use crate::key::KeySource;
use crate::location::DataDir;
use crate::lock::StoreLock;
use crate::store::Store;

/// A fresh store, and where the unreadable one was put.
#[derive(Debug)]
pub struct FreshStart {
    /// The new, empty store of the unit.
    pub store: Store,
    /// The old file, kept aside.
    pub set_aside: PathBuf,
}

impl Store {
    /// Whether `err` from opening a store means it exists but cannot be read: what
    /// [`Store::start_fresh`] and a restore recover from.
    pub fn is_unreadable(err: &StoreError) -> bool {
        matches!(
            err,
            StoreError::KeyLost { .. } | StoreError::WrongKey { .. } | StoreError::Damaged { .. }
        )
    }

    /// Start an empty store for `unit_no` when its store cannot be read (see
    /// [`Store::is_unreadable`]); the old file is moved aside as `store.db.lost-<time>`. A store
    /// that opens is left alone ([`StoreError::NothingToRecover`]); one open elsewhere too
    /// ([`StoreError::InUse`]).
    pub fn start_fresh(data: &DataDir, unit_no: &str, keys: &KeySource) -> Result<FreshStart> {
        let path = data.unit_store(unit_no)?;
        if !path.exists() {
            return Err(StoreError::NothingToRecover { path });
        }
        match Store::open_unit(data, unit_no, keys) {
            Ok(_) => return Err(StoreError::NothingToRecover { path }),
            Err(e) if Store::is_unreadable(&e) => {}
            Err(e) => return Err(e),
        }
        let lock = StoreLock::exclusive(&path)?;
        // A key the keyring still holds is kept: backups made under it may need it.
        let key = match keys.existing_key(unit_no)? {
            Some(key) => key,
            None => keys.new_key(unit_no)?,
        };
        let set_aside = set_aside(&path, "lost").map_err(|source| StoreError::Folder {
            path: path.clone(),
            source,
        })?;
        lock.make_shared()?;
        let mut store = Store::open_locked_new(&path, unit_no, key, lock)?;
        store.set_key_home(keys.home());
        tracing::warn!(
            set_aside = %set_aside.display(),
            "a fresh store was started; the unreadable one was kept aside"
        );
        Ok(FreshStart { store, set_aside })
    }
}
