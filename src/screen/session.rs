//! The clerk's session and the jobs the screens hand off the UI thread: fetching a captcha,
//! logging in with the card, changing the password, syncing, logging out. Each job runs on a
//! thread of its own (store, card and agency calls block) and its answer comes back to the
//! screen as a message.

use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Local};
use iced::futures::channel::oneshot;
use shebao_store::{DataDir, HomeCounts, KeySource, Store};
use shebao_sync::{
    AgencyClient, PendingLogin, SignerError, SyncEngine, SyncError, TokenHome, block_on,
    finish_login, start_login,
};
use shebao_ukey::{CardHandle, CardIdentity, CardPin, UKeyError};

use super::failure::Failure;
use crate::cli::clerk_card;
use crate::fl;

/// What the app was started with: where the stores are, how their keys are found, and the
/// agency (or why there is none).
#[derive(Clone)]
pub struct Services {
    pub data_dir: DataDir,
    pub keys: KeySource,
    pub tokens: TokenHome,
    pub agency: Result<AgencyClient, String>,
}

impl fmt::Debug for Services {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Services")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Services {
    fn agency(&self) -> Result<AgencyClient, Failure> {
        self.agency.clone().map_err(Failure::Setup)
    }
}

/// A unit at work: its open store, the agency client, and the card that opened it (pulling it
/// out ends the session). Usually logged in, the client carrying the token; when the agency
/// could not be reached the clerk may work offline on the store alone, without a token, until
/// the agency answers again (see [`retry_online`]). Cheap to clone: the jobs each take one.
#[derive(Clone)]
pub struct Session {
    pub must_change_password: bool,
    shared: Arc<Shared>,
}

struct Shared {
    unit_no: String,
    unit_name: String,
    card: CardHandle,
    client: AgencyClient,
    tokens: TokenHome,
    /// `None` while working offline.
    token: Option<shebao_sync::Session>,
    data_dir: DataDir,
    /// Shared with the logged-in session that replaces an offline one.
    store: Arc<Mutex<Store>>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the token: this may end up in a log line.
        f.debug_struct("Session")
            .field("unit_no", &self.shared.unit_no)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn unit_no(&self) -> &str {
        &self.shared.unit_no
    }

    pub fn unit_name(&self) -> &str {
        &self.shared.unit_name
    }

    /// The UKey that logged in.
    pub fn card(&self) -> &CardHandle {
        &self.shared.card
    }

    /// The agency client, carrying the session's token (none while working offline).
    pub fn client(&self) -> &AgencyClient {
        &self.shared.client
    }

    /// Where the app keeps its stores and logs.
    pub fn data_dir(&self) -> &DataDir {
        &self.shared.data_dir
    }

    /// Whether the clerk logged in; `false` while working offline on the store alone, when
    /// only the drafts can be worked on.
    pub fn is_logged_in(&self) -> bool {
        self.shared.token.is_some()
    }

    /// The unit's store. Only for jobs off the UI thread (see [`off_thread`]): a page's `view`
    /// and `update` never touch it.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A job that panicked holding the store left it as its last committed transaction.
        self.shared
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// What the home page shows of the store and the last sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeSnapshot {
    pub counts: HomeCounts,
    /// Declarations queued for sending.
    pub outbox: usize,
    /// Whether the last call to the agency got through; `None` before any.
    pub online: Option<bool>,
    pub synced_at: Option<DateTime<Local>>,
}

/// Runs `job` on a thread of its own and resolves to its answer.
pub async fn off_thread<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let (answer, answered) = oneshot::channel();
    std::thread::Builder::new()
        .name("shebao-job".into())
        .spawn(move || {
            let _ = answer.send(job());
        })
        .map_err(|e| Failure::Other(fl!("failure-job-start", reason = e.to_string())))?;
    answered
        .await
        .unwrap_or_else(|_| Err(Failure::Other(fl!("failure-job-aborted"))))
}

/// Ask the agency for a login challenge and its captcha image.
pub async fn fetch_captcha(services: Services, unit_no: String) -> Result<PendingLogin, Failure> {
    off_thread(move || {
        let client = services.agency()?;
        Ok(block_on(start_login(&client, &unit_no))??)
    })
    .await
}

/// The clerk's answer to a login challenge.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub password: String,
    pub captcha: String,
    pub pin: Option<String>,
}

/// Log in: the card signs the challenge (after its PIN, when given), the agency checks the
/// password and captcha; then the unit's store opens and keeps the session.
pub async fn log_in(
    services: Services,
    card: CardHandle,
    pending: PendingLogin,
    answer: Credentials,
) -> Result<(Session, HomeSnapshot), Failure> {
    off_thread(move || {
        let client = services.agency()?;
        if let Some(pin) = &answer.pin {
            card.verify_pin(CardPin::new(pin.clone())).wait()?;
        }
        // The login crate only sees the signer's sentence; keep the card's own error so a PIN
        // request or a pulled card can be shown where it belongs.
        let card_error: RefCell<Option<UKeyError>> = RefCell::new(None);
        let algorithm = card.key_algorithm().ok_or(UKeyError::CardRemoved)?;
        let signer = (
            clerk_card::signature_algorithm(algorithm),
            |nonce: &[u8; 32]| {
                card.sign(*nonce).wait().map(|s| s.0).map_err(|e| {
                    let sentence = SignerError(e.to_string());
                    *card_error.borrow_mut() = Some(e);
                    sentence
                })
            },
        );
        let logged_in = block_on(finish_login(
            &client,
            &pending,
            &answer.password,
            &answer.captcha,
            &signer,
        ))?;
        let token = match (logged_in, card_error.take()) {
            (Ok(token), _) => token,
            (Err(_), Some(card)) => return Err(card.into()),
            (Err(e), None) => return Err(e.into()),
        };
        let mut store = Store::open_unit(&services.data_dir, &pending.unit_no, &services.keys)?;
        services.tokens.save(&mut store, &token)?;
        store.set_unit_identity(&token.unit.name, &token.unit.uscc)?;
        let mut client = client;
        client.set_token(Some(token.token.clone()));
        let snapshot = snapshot(&store, Some(true), Some(Local::now()))?;
        let session = Session {
            must_change_password: token.must_change_password,
            shared: Arc::new(Shared {
                unit_no: token.unit.unit_no.clone(),
                unit_name: token.unit.name.clone(),
                card,
                client,
                tokens: services.tokens.clone(),
                token: Some(token),
                data_dir: services.data_dir.clone(),
                store: Arc::new(Mutex::new(store)),
            }),
        };
        Ok((session, snapshot))
    })
    .await
}

/// 离线工作: open the unit's store with the card's unit number and no token, when the agency
/// cannot be reached. The drafts can be worked on; [`retry_online`] watches for the agency.
pub async fn work_offline(
    services: Services,
    card: CardHandle,
    identity: CardIdentity,
) -> Result<(Session, HomeSnapshot), Failure> {
    off_thread(move || {
        let client = services.agency()?;
        let store = Store::open_unit(&services.data_dir, &identity.unit_no, &services.keys)?;
        let snapshot = snapshot(&store, Some(false), None)?;
        let session = Session {
            must_change_password: false,
            shared: Arc::new(Shared {
                unit_no: identity.unit_no,
                unit_name: identity.unit_name,
                card,
                client,
                tokens: services.tokens.clone(),
                token: None,
                data_dir: services.data_dir.clone(),
                store: Arc::new(Mutex::new(store)),
            }),
        };
        Ok((session, snapshot))
    })
    .await
}

/// What [`retry_online`] found.
#[derive(Debug, Clone)]
pub enum Reconnect {
    /// The agency still does not answer.
    StillOffline(HomeSnapshot),
    /// The agency answered and the token kept from an earlier login still works: the session
    /// is logged in again and synced.
    Resumed(Session, HomeSnapshot),
    /// The agency answers but there is no valid token: the clerk must log in.
    LoginNeeded(HomeSnapshot),
}

/// While working offline: ask the agency whether it answers (the announcement list needs no
/// login); when it does, resume with the kept token if the agency still accepts it.
pub async fn retry_online(session: Session) -> Result<Reconnect, Failure> {
    off_thread(move || {
        let shared = &session.shared;
        let mut store = shared.store.lock().unwrap_or_else(PoisonError::into_inner);
        match block_on(shared.client.announcements(None))? {
            Ok(_) => {}
            Err(e) if e.is_transient() => {
                return Ok(Reconnect::StillOffline(snapshot(
                    &store,
                    Some(false),
                    None,
                )?));
            }
            Err(e) => return Err(e.into()),
        }
        let Some(token) = shared.tokens.load(&store)? else {
            return Ok(Reconnect::LoginNeeded(snapshot(&store, Some(true), None)?));
        };
        let mut client = shared.client.clone();
        client.set_token(Some(token.token.clone()));
        match block_on(SyncEngine::new(client.clone()).sync(&mut store, false))? {
            Ok(_) => {}
            Err(SyncError::LoginRequired) => {
                let _ = shared.tokens.clear(&mut store);
                return Ok(Reconnect::LoginNeeded(snapshot(&store, Some(true), None)?));
            }
            Err(e) if e.is_transient() => {
                return Ok(Reconnect::StillOffline(snapshot(
                    &store,
                    Some(false),
                    None,
                )?));
            }
            Err(e) => return Err(e.into()),
        }
        let snapshot = snapshot(&store, Some(true), Some(Local::now()))?;
        drop(store);
        let resumed = Session {
            must_change_password: token.must_change_password,
            shared: Arc::new(Shared {
                unit_no: shared.unit_no.clone(),
                unit_name: token.unit.name.clone(),
                card: shared.card.clone(),
                client,
                tokens: shared.tokens.clone(),
                token: Some(token),
                data_dir: shared.data_dir.clone(),
                store: Arc::clone(&shared.store),
            }),
        };
        Ok(Reconnect::Resumed(resumed, snapshot))
    })
    .await
}

/// Change the unit password; the session then no longer needs a change.
pub async fn change_password(
    mut session: Session,
    old: String,
    new: String,
) -> Result<Session, Failure> {
    off_thread(move || {
        let shared = &session.shared;
        let Some(token) = &shared.token else {
            return Err(Failure::NotLoggedIn);
        };
        block_on(shared.client.change_password(&old, &new))??;
        let token = shebao_sync::Session {
            must_change_password: false,
            ..token.clone()
        };
        shared.tokens.save(&mut session.store(), &token)?;
        session.must_change_password = false;
        Ok(session)
    })
    .await
}

/// Send the outbox and fetch the agency's feedback, then count again. Offline, the counts are
/// still read and the snapshot says offline.
pub async fn refresh(session: Session) -> Result<HomeSnapshot, Failure> {
    off_thread(move || {
        // Without a token the engine would be refused and forget the kept token, which
        // `retry_online` may still resume with.
        if !session.is_logged_in() {
            return Err(Failure::NotLoggedIn);
        }
        let mut store = session.store();
        let engine = SyncEngine::new(session.shared.client.clone());
        match block_on(engine.sync(&mut store, false))? {
            Ok(_) => snapshot(&store, Some(true), Some(Local::now())),
            Err(e) if e.is_transient() => snapshot(&store, Some(false), None),
            Err(SyncError::LoginRequired) => {
                let _ = session.shared.tokens.clear(&mut store);
                Err(SyncError::LoginRequired.into())
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// End the session at the agency (when it answers) and forget the token here.
pub async fn log_out(session: Session) -> Result<(), Failure> {
    off_thread(move || {
        // Offline, the agency's session simply expires; forgetting it here is what matters.
        let _ = block_on(session.shared.client.logout());
        session.shared.tokens.clear(&mut session.store())?;
        Ok(())
    })
    .await
}

fn snapshot(
    store: &Store,
    online: Option<bool>,
    synced_at: Option<DateTime<Local>>,
) -> Result<HomeSnapshot, Failure> {
    Ok(HomeSnapshot {
        counts: store.home_counts()?,
        outbox: store.outbox()?.len(),
        online,
        synced_at,
    })
}

#[cfg(test)]
impl Session {
    /// A session for page tests: the unit's store opened in `services.data_dir`, the card that
    /// "logged in", and a client whose agency is unreachable (so every call is offline).
    pub fn offline(services: &Services, card: CardHandle) -> Session {
        let store = Store::open_unit(&services.data_dir, super::testing::UNIT_NO, &services.keys)
            .expect("the test store opens");
        let client = services.agency.clone().unwrap_or_else(|_| {
            AgencyClient::new(&shebao_sync::ClientConfig::new("https://127.0.0.1:9"))
                .expect("a client without a CA file builds")
        });
        let unit = shebao_sync::wire::UnitSummary {
            unit_no: super::testing::UNIT_NO.into(),
            name: super::testing::UNIT_NAME.into(),
            uscc: "91350100M000100Y43".into(),
        };
        Session {
            must_change_password: false,
            shared: Arc::new(Shared {
                unit_no: unit.unit_no.clone(),
                unit_name: unit.name.clone(),
                card,
                client,
                tokens: services.tokens.clone(),
                token: Some(shebao_sync::Session {
                    token: "test".into(),
                    expires_at: "2099-01-01T00:00:00Z".into(),
                    must_change_password: false,
                    unit,
                }),
                data_dir: services.data_dir.clone(),
                store: Arc::new(Mutex::new(store)),
            }),
        }
    }
}
