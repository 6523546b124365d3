//! Keeping the session token between runs.
//!
//! The token lives in the OS keyring under `session/<unit number>`. On a machine without a
//! keyring (where the store is opened with `SHEBAO_STORE_PASSPHRASE`) it lives inside the
//! encrypted store instead, never in a plain file.

use std::sync::Arc;

use shebao_store::Store;
use shebao_store::vault::SecretVault;

use crate::error::{Result, SyncError};
use crate::login::Session;

const IN_STORE: &str = "session";

/// Where the session token is kept.
#[derive(Clone)]
pub enum TokenHome {
    /// The OS keyring (or a test vault).
    Vault(Arc<dyn SecretVault>),
    /// Inside the unit's encrypted store.
    Store,
}

impl std::fmt::Debug for TokenHome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Vault(_) => f.write_str("TokenHome::Vault"),
            Self::Store => f.write_str("TokenHome::Store"),
        }
    }
}

impl TokenHome {
    /// Keep `session` for the store's unit.
    pub fn save(&self, store: &mut Store, session: &Session) -> Result<()> {
        let text =
            serde_json::to_string(session).map_err(|e| SyncError::Protocol(e.to_string()))?;
        match self {
            Self::Vault(v) => v.set(&name(store), text.as_bytes())?,
            Self::Store => store.set_sync_value(IN_STORE, &text)?,
        }
        Ok(())
    }

    /// The kept session, if any and not expired.
    pub fn load(&self, store: &Store) -> Result<Option<Session>> {
        let text = match self {
            Self::Vault(v) => v.get(&name(store))?.and_then(|b| String::from_utf8(b).ok()),
            Self::Store => store.sync_value(IN_STORE)?,
        };
        let session = text.and_then(|t| serde_json::from_str::<Session>(&t).ok());
        Ok(session.filter(|s| !s.is_expired()))
    }

    /// The kept session, or [`SyncError::LoginRequired`].
    pub fn require(&self, store: &Store) -> Result<Session> {
        self.load(store)?.ok_or(SyncError::LoginRequired)
    }

    /// Forget the session (logout, or the agency said it expired).
    pub fn clear(&self, store: &mut Store) -> Result<()> {
        match self {
            Self::Vault(v) => v.delete(&name(store))?,
            Self::Store => store.set_sync_value(IN_STORE, "")?,
        }
        Ok(())
    }
}

fn name(store: &Store) -> String {
    format!("session/{}", store.unit_no())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use shebao_store::vault::MemoryVault;
    use shebao_store::{DataDir, KeySource};

    use super::*;
    use crate::wire::UnitSummary;

    fn session(expires_at: &str) -> Session {
        Session {
            token: "t".into(),
            expires_at: expires_at.into(),
            must_change_password: false,
            unit: UnitSummary::default(),
        }
    }

    #[test]
    fn a_kept_session_comes_back_until_it_expires_in_either_home() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Arc::new(MemoryVault::new());
        let keys = KeySource::new(vault.clone(), None);
        let mut store = Store::open_unit(&DataDir::at(dir.path()), "1001", &keys).unwrap();
        for home in [TokenHome::Vault(vault.clone()), TokenHome::Store] {
            home.save(&mut store, &session("2999-01-01T00:00:00Z"))
                .unwrap();
            assert_eq!(home.require(&store).unwrap().token, "t");
            home.save(&mut store, &session("2001-01-01T00:00:00Z"))
                .unwrap();
            assert!(matches!(
                home.require(&store),
                Err(SyncError::LoginRequired)
            ));
            home.clear(&mut store).unwrap();
            assert!(home.load(&store).unwrap().is_none());
        }
    }
}
