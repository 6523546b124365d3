//! A real agency server on a free loopback port, with TLS, a manual clock and the fixed test
//! captcha, driven by a real HTTPS client that trusts the server's generated CA.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::TimeZone;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shebao_agency::auth::card::DEFAULT_USER_ID;
use shebao_agency::auth::password;
use shebao_agency::clock::ManualClock;
use shebao_agency::db::{DbError, units};
use shebao_agency::limits::{Limits, RateLimit};
use shebao_agency::{RunningServer, ServerOptions, start};
use sm2::dsa::signature::Signer;
use sm2::dsa::{Signature, SigningKey};

pub const CAPTCHA: &str = "T3ST";
pub const INITIAL_PASSWORD: &str = "888888";
pub const OWN_PASSWORD: &str = "Chosen-2026";

pub struct TestAgency {
    pub server: RunningServer,
    pub client: reqwest::Client,
    pub base: String,
    pub clock: ManualClock,
    pub dir: PathBuf,
}

/// A unit opened for a test, with the card that belongs to it.
pub struct TestUnit {
    pub unit_no: String,
    pub card: SigningKey,
}

static NEXT_DIR: AtomicU32 = AtomicU32::new(0);

/// Limits generous enough for the tests that do not test the limits.
pub fn test_limits() -> Limits {
    Limits {
        login_per_address: RateLimit {
            requests: 10_000,
            per: Duration::from_secs(60),
        },
        login_per_unit: RateLimit {
            requests: 10_000,
            per: Duration::from_secs(60),
        },
        ..Limits::default()
    }
}

impl TestAgency {
    pub async fn start() -> Self {
        Self::start_with(test_limits()).await
    }

    pub async fn start_with(limits: Limits) -> Self {
        Self::start_with_processing(limits, None).await
    }

    /// A server that processes declarations by itself once they are `auto_process` old.
    pub async fn start_with_processing(limits: Limits, auto_process: Option<Duration>) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "shebao-agency-it-{}-{}",
            std::process::id(),
            NEXT_DIR.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        // 10:00 in Beijing on 10 March 2026.
        let clock = ManualClock::new(
            chrono::Utc
                .with_ymd_and_hms(2026, 3, 10, 2, 0, 0)
                .single()
                .expect("valid instant"),
        );
        let listen: SocketAddr = "127.0.0.1:0".parse().expect("address");
        let mut options = ServerOptions::new(&dir, listen);
        options.test_captcha = Some(CAPTCHA.to_owned());
        options.clock = Arc::new(clock.clone());
        options.limits = limits;
        options.auto_process = auto_process;
        let server = start(options).await.expect("server starts");
        let ca = std::fs::read(&server.ca_pem).expect("ca.pem written");
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("ca parses"))
            .build()
            .expect("client builds");
        let base = format!("https://127.0.0.1:{}/api/v1", server.address.port());
        Self {
            server,
            client,
            base,
            clock,
            dir,
        }
    }

    pub async fn stop(self) {
        self.server.shutdown(Duration::from_secs(1)).await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Opens a unit with the initial password and a fresh card.
    pub fn open_unit(&self, unit_no: &str) -> TestUnit {
        let mut secret = [0u8; 32];
        let number: u64 = unit_no.parse().unwrap_or(1);
        secret[..8].copy_from_slice(&number.to_be_bytes());
        secret[31] = 1;
        let card = SigningKey::from_slice(DEFAULT_USER_ID, &secret).expect("valid card key");
        let public = card.verifying_key().to_sec1_bytes().to_vec();
        let hash = password::hash(INITIAL_PASSWORD).expect("hash");
        let now = self.clock_now();
        self.server
            .app
            .db
            .write(|tx| -> Result<i64, DbError> {
                units::insert(
                    tx,
                    &units::NewUnit {
                        unit_no: unit_no.to_owned(),
                        name: format!("测试单位 {unit_no}"),
                        uscc: "91350100M000100Y43".to_owned(),
                        card_public_key: public,
                        card_key_algorithm: Default::default(),
                        password_hash: hash,
                    },
                    now,
                )
            })
            .expect("unit opened");
        TestUnit {
            unit_no: unit_no.to_owned(),
            card,
        }
    }

    pub fn clock_now(&self) -> i64 {
        use shebao_agency::clock::Clock;
        self.clock.now().timestamp()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request with an optional token and JSON body; answers status and JSON (Null when
    /// the body is empty or not JSON).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let bytes = response.bytes().await.expect("body read");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn challenge(&self, unit_no: &str) -> Value {
        let (status, body) = self
            .call(
                Method::POST,
                "/login/challenge",
                None,
                Some(&json!({ "unit_no": unit_no })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Logs in as the card would: signs the challenge's nonce with the card's key.
    pub async fn login_as(&self, unit: &TestUnit, password: &str) -> (StatusCode, Value) {
        let challenge = self.challenge(&unit.unit_no).await;
        self.answer(&challenge, unit, password, CAPTCHA, &unit.card)
            .await
    }

    pub async fn answer(
        &self,
        challenge: &Value,
        unit: &TestUnit,
        password: &str,
        captcha: &str,
        card: &SigningKey,
    ) -> (StatusCode, Value) {
        let nonce = BASE64
            .decode(challenge["nonce"].as_str().expect("nonce"))
            .expect("nonce is base64");
        let signature: Signature = card.sign(&nonce);
        self.call(
            Method::POST,
            "/login",
            None,
            Some(&json!({
                "challenge_id": challenge["challenge_id"],
                "unit_no": unit.unit_no,
                "password": password,
                "captcha": captcha,
                "card_signature": BASE64.encode(signature.to_bytes()),
            })),
        )
        .await
    }

    /// A unit that has logged in and chosen its own password: a token that may do business.
    pub async fn active_session(&self, unit_no: &str) -> (TestUnit, String) {
        let unit = self.open_unit(unit_no);
        let (status, login) = self.login_as(&unit, INITIAL_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{login}");
        let token = login["token"].as_str().expect("token").to_owned();
        let (status, body) = self
            .call(
                Method::PUT,
                "/password",
                Some(&token),
                Some(&json!({ "old_password": INITIAL_PASSWORD, "new_password": OWN_PASSWORD })),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        (unit, token)
    }

    /// Submits a declaration under an idempotency key.
    pub async fn submit(&self, token: &str, key: &str, declaration: &Value) -> (StatusCode, Value) {
        let response = self
            .client
            .post(self.url("/declarations"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(declaration)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }
}

/// The GB 11643 check character.
pub fn with_check(first17: &str) -> String {
    let check = shebao_core::id::check_character(first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A valid resident ID number, different for each `n` (born 1990, men and women alternating).
pub fn resident_id(n: u32) -> String {
    let day = 1 + n % 28;
    let month = 1 + (n / 28) % 12;
    let sequence = n % 1000;
    with_check(&format!(
        "350102{}{month:02}{day:02}{sequence:03}",
        1980 + (n / 336) % 20
    ))
}

/// A valid hire item for the demo reference data, period 2026-03.
pub fn hire_item(n: u32) -> Value {
    json!({
        "document_type": "01",
        "document_no": resident_id(n),
        "name": "张三",
        "household_type": "10",
        "employment_form": "01",
        "first_employed_on": "2015-07-01",
        "insured_from": "2026-03",
        "insurance_types": ["110", "210", "310", "410", "510"],
        "wage": "6500.00",
        "reason": "11"
    })
}

pub fn hire_declaration(items: impl IntoIterator<Item = Value>) -> Value {
    json!({ "kind": "hire", "period": "2026-03", "items": items.into_iter().collect::<Vec<_>>() })
}

/// Processes a declaration as the operator would, deciding with `decision`.
pub fn process(
    agency: &TestAgency,
    id: i64,
    decision: shebao_agency::processing::Decision,
) -> shebao_agency::processing::Processed {
    use shebao_agency::clock::Clock;
    use shebao_agency::processing::{ProcessError, finish, start};
    let app = &agency.server.app;
    let now = agency.clock_now();
    let today = agency.clock.today();
    app.db
        .write(|tx| -> Result<_, ProcessError> {
            start(tx, id, now)?;
            finish(tx, &app.reference, id, &decision, today, now)
        })
        .expect("processed")
}
