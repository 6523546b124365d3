//! The real agency server, in this process, on a loopback port with TLS; units with cards;
//! valid items; and a TCP proxy that loses or holds answers on purpose. A Windows build of the
//! tests has no agency in its process (see native_agency.rs): there the agency's parts are left
//! out and the clerk's side talks to an agency named by its address.
#![allow(dead_code)]

pub mod proxy;

#[cfg(not(windows))]
use std::net::SocketAddr;
use std::path::Path;
#[cfg(not(windows))]
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
#[cfg(not(windows))]
use shebao_agency::auth::password;
#[cfg(not(windows))]
use shebao_agency::storage::sqlite::{Db, units};
#[cfg(not(windows))]
use shebao_agency::storage::{CardKeyAlgorithm, NewUnit, Storage, StorageError};
#[cfg(not(windows))]
use shebao_agency::{RunningServer, ServerOptions, start};
use shebao_store::vault::MemoryVault;
use shebao_store::{DataDir, KeySource, Store};
mod software_card;

use shebao_sync::{AgencyClient, ClientConfig, Session, TokenHome, finish_login, start_login};
pub use software_card::SoftwareCard;

pub const CAPTCHA: &str = "T3ST";
pub const INITIAL_PASSWORD: &str = "888888";
pub const PASSWORD: &str = "Chosen-2026";

/// An agency with its data folder; it can be stopped and started again on the same port.
#[cfg(not(windows))]
pub struct TestAgency {
    pub server: Option<RunningServer>,
    pub dir: PathBuf,
    pub address: SocketAddr,
    pub auto_process: Option<Duration>,
    _temp: tempfile::TempDir,
}

#[cfg(not(windows))]
impl TestAgency {
    pub async fn start(auto_process: Option<Duration>) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path().join("agency");
        let server = serve(&dir, "127.0.0.1:0".parse().expect("address"), auto_process).await;
        let address = server.address;
        Self {
            server: Some(server),
            dir,
            address,
            auto_process,
            _temp: temp,
        }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.address.port())
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.join("tls").join("ca.pem")
    }

    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown(Duration::from_millis(200)).await;
        }
    }

    pub async fn restart(&mut self) {
        self.stop().await;
        let mut tries = 0;
        loop {
            // The port may take a moment to be free again.
            match tokio::time::timeout(
                Duration::from_secs(5),
                try_serve(&self.dir, self.address, self.auto_process),
            )
            .await
            {
                Ok(Ok(server)) => {
                    self.server = Some(server);
                    return;
                }
                _ if tries < 20 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                other => panic!(
                    "the agency does not start again: {:?}",
                    other.map(|r| r.err())
                ),
            }
        }
    }

    fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("the agency is running")
    }

    /// The running agency's SQLite database.
    pub fn db(&self) -> &Db {
        match &self.server().app.storage {
            Storage::Sqlite(sqlite) => sqlite.db(),
            Storage::Postgres(_) => panic!("these tests run the agency on SQLite"),
        }
    }

    /// Open a unit with the initial password, registering `card`'s public key.
    pub fn open_unit(&self, card: &SoftwareCard) {
        self.open_unit_with_key(
            &card.unit_no,
            &format!("测试单位{}", card.unit_no),
            card.public_key(),
            CardKeyAlgorithm::Sm2,
        );
    }

    /// Open a unit with the initial password and a card key of the given kind (a token's
    /// P-256 key, say).
    pub fn open_unit_with_key(
        &self,
        unit_no: &str,
        name: &str,
        card_public_key: Vec<u8>,
        card_key_algorithm: CardKeyAlgorithm,
    ) {
        let hash = password::hash(INITIAL_PASSWORD).expect("hash");
        let now = chrono::Utc::now().timestamp();
        self.db()
            .write(|tx| -> Result<Option<i64>, StorageError> {
                units::insert(
                    tx,
                    &NewUnit {
                        unit_no: unit_no.to_owned(),
                        name: name.to_owned(),
                        uscc: "91350100M000100Y43".to_owned(),
                        card_public_key,
                        card_key_algorithm,
                        password_hash: hash,
                    },
                    now,
                )
            })
            .expect("storage answers")
            .expect("the unit number is free");
    }

    /// How many declarations the agency holds for all units.
    pub fn declaration_count(&self) -> i64 {
        self.db()
            .read(|conn| -> Result<i64, StorageError> {
                Ok(conn.query_row("SELECT count(*) FROM declarations", [], |r| r.get(0))?)
            })
            .expect("count")
    }
}

#[cfg(not(windows))]
async fn try_serve(
    dir: &Path,
    listen: SocketAddr,
    auto_process: Option<Duration>,
) -> Result<RunningServer, shebao_agency::ServerError> {
    let mut options = ServerOptions::new(dir, listen);
    options.test_captcha = Some(CAPTCHA.to_owned());
    options.auto_process = auto_process;
    options.limits.login_per_address.requests = 10_000;
    options.limits.login_per_unit.requests = 10_000;
    start(options).await
}

#[cfg(not(windows))]
async fn serve(dir: &Path, listen: SocketAddr, auto_process: Option<Duration>) -> RunningServer {
    try_serve(dir, listen, auto_process)
        .await
        .expect("the agency starts")
}

/// A card for `unit_no` with a key derived from the number (tests only).
pub fn card(unit_no: &str) -> SoftwareCard {
    SoftwareCard::from_secret(unit_no, &card_secret(unit_no)).expect("card key")
}

/// The secret key of [`card`]'s card.
pub fn card_secret(unit_no: &str) -> [u8; 32] {
    let mut secret = [0x11u8; 32];
    for (i, b) in unit_no.bytes().enumerate() {
        secret[i % 32] ^= b;
    }
    secret
}

/// Write a card file (the card simulator's format) for [`card`]'s card.
pub fn write_card_file(path: &Path, unit_no: &str) {
    let hex: String = card_secret(unit_no)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let text = format!(
        "unit_no = \"{unit_no}\"\nname = \"测试单位\"\nuscc = \"91350100M000100Y43\"\nsecret_key = \"{hex}\"\n"
    );
    std::fs::write(path, text).expect("card file written");
}

/// The client's side of one unit: its store in a temporary folder, its card, its session.
pub struct Clerk {
    pub card: SoftwareCard,
    pub store: Store,
    pub client: AgencyClient,
    pub tokens: TokenHome,
    pub data: tempfile::TempDir,
}

pub fn config(agency_url: &str, ca: &Path) -> ClientConfig {
    let mut config = ClientConfig::new(agency_url);
    config.ca_file = Some(ca.to_path_buf());
    config.timeout = Duration::from_secs(5);
    config.connect_timeout = Duration::from_secs(2);
    config
}

impl Clerk {
    /// Open the store and log in (changing the initial password on the way).
    #[cfg(not(windows))]
    pub async fn log_in(agency: &TestAgency, card: SoftwareCard) -> Self {
        Self::log_in_via(agency, &agency.url(), card).await
    }

    #[cfg(not(windows))]
    pub async fn log_in_via(agency: &TestAgency, url: &str, card: SoftwareCard) -> Self {
        Self::log_in_to(url, &agency.ca(), card).await
    }

    /// Log in to the agency at `url`, trusting the CA certificate `ca`.
    pub async fn log_in_to(url: &str, ca: &Path, card: SoftwareCard) -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let vault = Arc::new(MemoryVault::new());
        let keys = KeySource::new(vault.clone(), None);
        let store =
            Store::open_unit(&DataDir::at(data.path()), &card.unit_no, &keys).expect("store opens");
        let mut client = AgencyClient::new(&config(url, ca)).expect("client");
        let session = log_in(&client, &card).await;
        client.set_token(Some(session.token.clone()));
        let mut clerk = Self {
            card,
            store,
            client,
            tokens: TokenHome::Vault(vault),
            data,
        };
        clerk
            .tokens
            .save(&mut clerk.store, &session)
            .expect("session kept");
        clerk
    }
}

impl Clerk {
    /// A client for `url` (such as a proxy in front of the agency) carrying this clerk's
    /// session, with its own answer timeout.
    pub fn client_via(&self, url: &str, ca: &Path, timeout: Duration) -> AgencyClient {
        let mut config = config(url, ca);
        config.timeout = timeout;
        let mut client = AgencyClient::new(&config).expect("client");
        client.set_token(
            self.tokens
                .load(&self.store)
                .expect("session")
                .map(|s| s.token),
        );
        client
    }
}

/// Syncs until the declaration `id` has its final state, or 30 s have passed.
pub async fn sync_until_finished(
    engine: &shebao_sync::SyncEngine,
    clerk: &mut Clerk,
    id: i64,
) -> shebao_store::DeclarationState {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        engine.sync(&mut clerk.store, false).await.expect("sync");
        let state = clerk.store.declaration(id).expect("declaration").state;
        if state.is_finished() || std::time::Instant::now() > deadline {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Log in with the test captcha; change the initial password if the agency asks.
pub async fn log_in(client: &AgencyClient, card: &SoftwareCard) -> Session {
    let pending = start_login(client, &card.unit_no).await.expect("challenge");
    let first = finish_login(client, &pending, INITIAL_PASSWORD, CAPTCHA, card).await;
    match first {
        Ok(session) if session.must_change_password => {
            let mut c = client.clone();
            c.set_token(Some(session.token.clone()));
            c.change_password(INITIAL_PASSWORD, PASSWORD)
                .await
                .expect("password changed");
            Session {
                must_change_password: false,
                ..session
            }
        }
        Ok(session) => session,
        Err(_) => {
            let pending = start_login(client, &card.unit_no).await.expect("challenge");
            finish_login(client, &pending, PASSWORD, CAPTCHA, card)
                .await
                .expect("login")
        }
    }
}

/// A valid resident identity number (GB 11643-1999) for person `n`, born in 1990.
pub fn resident_id(n: u32) -> String {
    let body = format!(
        "110105{}{:02}{:02}{:03}",
        1990,
        1 + (n / 28_000) % 12,
        1 + (n / 1000) % 28,
        n % 1000
    );
    let check = shebao_core::id::check_character(&body).expect("17 digits");
    format!("{body}{check}")
}

/// A hire item that passes the agency's checks.
pub fn hire_item(n: u32, period: &str) -> Value {
    json!({
        "document_type": "01",
        "document_no": resident_id(n),
        "name": "张三",
        "household_type": "10",
        "employment_form": "01",
        "first_employed_on": "2015-07-01",
        "insured_from": period,
        "insurance_types": ["110", "210", "310", "410", "510"],
        "wage": "6500.00",
        "reason": "11",
    })
}

/// Every document number the store holds, in drafts and in declarations, so a crash test can
/// check that no saved row was lost whichever step it had reached.
pub fn document_numbers_in(store: &Store) -> Vec<String> {
    let mut present: Vec<String> = store
        .drafts(None)
        .expect("drafts")
        .into_iter()
        .filter_map(|d| d.item["document_no"].as_str().map(str::to_owned))
        .collect();
    for d in store.declarations(None).expect("declarations") {
        for item in store.declaration_items(d.id).expect("items") {
            if let Some(no) = item
                .item
                .and_then(|v| v["document_no"].as_str().map(str::to_owned))
            {
                present.push(no);
            }
        }
    }
    present
}

/// How many of the store's declarations were made in this store: the changes feed also brings
/// declarations sent from elsewhere for the same unit, which arrive without their items.
pub fn own_declarations(store: &Store) -> usize {
    store
        .declarations(None)
        .expect("declarations")
        .iter()
        .filter(|d| {
            let items = store.declaration_items(d.id).expect("items");
            !items.is_empty() && items.iter().all(|i| i.item.is_some())
        })
        .count()
}
