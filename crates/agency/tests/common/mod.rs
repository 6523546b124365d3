//! A real agency server on a free loopback port, with TLS, a manual clock and the fixed test
//! captcha, driven by a real HTTPS client that trusts the server's generated CA.
//!
//! The server keeps its data in SQLite in a temporary data directory, or, when
//! SHEBAO_TEST_POSTGRES names a PostgreSQL server (`cargo xtask test` starts one), in a database
//! of its own on that server: the same tests run against both backends.

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
use shebao_agency::limits::{Limits, RateLimit};
use shebao_agency::storage::{CardKeyAlgorithm, NewUnit};
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
    /// The PostgreSQL database of this test, if the tests run on PostgreSQL.
    pub database: Option<TestDatabase>,
    /// The options the server started with, for a second server on the same data.
    pub options: ServerOptions,
}

/// The variable that names the PostgreSQL server the tests run on (its maintenance database).
pub const POSTGRES_VARIABLE: &str = "SHEBAO_TEST_POSTGRES";

/// A database of its own for one test, on the PostgreSQL server of SHEBAO_TEST_POSTGRES;
/// dropped by [`TestDatabase::drop_database`].
pub struct TestDatabase {
    admin: String,
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    /// A new, empty database, if the tests run on PostgreSQL.
    pub async fn create() -> Option<TestDatabase> {
        let admin = std::env::var(POSTGRES_VARIABLE)
            .ok()
            .filter(|v| !v.is_empty())?;
        Some(Self::create_on(&admin).await)
    }

    pub async fn create_on(admin: &str) -> TestDatabase {
        let name = format!(
            "shebao_test_{}_{}",
            std::process::id(),
            NEXT_DIR.fetch_add(1, Ordering::Relaxed)
        );
        admin_execute(admin, &format!("CREATE DATABASE {name}")).await;
        let (base, query) = match admin.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (admin, String::new()),
        };
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        TestDatabase {
            admin: admin.to_owned(),
            url: format!("{server}/{name}{query}"),
            name,
        }
    }

    pub async fn drop_database(self) {
        admin_execute(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        )
        .await;
    }
}

async fn admin_execute(admin: &str, sql: &str) {
    let (client, connection) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE} names a server that answers: {e}"));
    let driver = tokio::spawn(connection);
    client.batch_execute(sql).await.expect(sql);
    drop(client);
    let _ = driver.await;
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
        let database = TestDatabase::create().await;
        Self::start_on(database, limits, auto_process).await
    }

    /// A server on `database` (PostgreSQL), or on SQLite in its data directory if `None`.
    pub async fn start_on(
        database: Option<TestDatabase>,
        limits: Limits,
        auto_process: Option<Duration>,
    ) -> Self {
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
        options.database = database.as_ref().map(|d| d.url.clone());
        let server = start(options.clone()).await.expect("server starts");
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
            database,
            options,
        }
    }

    /// Another server process of the same agency: same data, same clock, its own port.
    pub async fn second_server(&self) -> RunningServer {
        let mut options = self.options.clone();
        options.listen = "127.0.0.1:0".parse().expect("address");
        start(options).await.expect("second server starts")
    }

    /// The base URL of a server of this agency.
    pub fn base_of(server: &RunningServer) -> String {
        format!("https://127.0.0.1:{}/api/v1", server.address.port())
    }

    /// The options an operator command needs to reach this agency's data.
    pub fn operator_options(&self) -> Vec<String> {
        let mut options = vec![
            "--data-dir".to_owned(),
            self.dir.to_str().expect("utf-8 path").to_owned(),
        ];
        if let Some(database) = &self.database {
            options.extend(["--database".to_owned(), database.url.clone()]);
        }
        options
    }

    pub async fn stop(self) {
        self.server.shutdown(Duration::from_secs(1)).await;
        if let Some(database) = self.database {
            database.drop_database().await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Opens a unit with the initial password and a fresh card.
    pub async fn open_unit(&self, unit_no: &str) -> TestUnit {
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
            .storage
            .open_unit(
                NewUnit {
                    unit_no: unit_no.to_owned(),
                    name: format!("测试单位 {unit_no}"),
                    uscc: "91350100M000100Y43".to_owned(),
                    card_public_key: public,
                    card_key_algorithm: CardKeyAlgorithm::Sm2,
                    password_hash: hash,
                },
                now,
            )
            .await
            .expect("storage answers")
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
        self.call_at(&self.base, method, path, token, body).await
    }

    /// [`TestAgency::call`] to the server at `base` (another server of the same agency).
    pub async fn call_at(
        &self,
        base: &str,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{base}{path}"));
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
        let unit = self.open_unit(unit_no).await;
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
        self.submit_at(&self.base, token, key, declaration).await
    }

    /// [`TestAgency::submit`] to the server at `base`.
    pub async fn submit_at(
        &self,
        base: &str,
        token: &str,
        key: &str,
        declaration: &Value,
    ) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!("{base}/declarations"))
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

/// Of the answers to one declaration sent many times under one key: one 201, the rest 200,
/// all naming the same declaration. Answers its id.
pub fn created_once(answers: &[(StatusCode, Value)]) -> Value {
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let replayed = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!((created, replayed), (1, answers.len() - 1), "{answers:?}");
    let ids: std::collections::HashSet<String> =
        answers.iter().map(|(_, b)| b["id"].to_string()).collect();
    assert_eq!(ids.len(), 1, "every answer names the same declaration");
    assert!(answers.iter().all(|(_, b)| b["state"] == "submitted"));
    answers[0].1["id"].clone()
}

/// Runs `shebao-agency OPTIONS ARGS` in-process and answers what it printed.
pub async fn operator_command(options: &[String], args: &[&str]) -> Result<String, String> {
    use clap::Parser as _;
    let mut argv = vec!["shebao-agency"];
    argv.extend(options.iter().map(String::as_str));
    argv.extend_from_slice(args);
    let cli = shebao_agency::cli::Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    shebao_agency::cli::run_operator(&cli, &mut out)
        .await
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8(out).expect("utf-8 report"))
}

/// The `p` quantile of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
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
pub async fn process(
    agency: &TestAgency,
    id: i64,
    decision: shebao_agency::processing::Decision,
) -> shebao_agency::processing::Processed {
    use shebao_agency::clock::Clock;
    use shebao_agency::processing::Judgement;
    let app = &agency.server.app;
    let judgement = Judgement::new(
        app.reference.clone(),
        decision,
        agency.clock.today(),
        agency.clock_now(),
    );
    app.storage.process(id, judgement).await.expect("processed")
}
