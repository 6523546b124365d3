//! Two `shebao-agency serve` processes on one database; one is killed with SIGKILL while a
//! large declaration is on its way in. The client sends what the dead server did not answer to
//! the other, under the same idempotency key, and the other keeps serving: every declaration
//! lands exactly once, with all its items.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{
    CAPTCHA, INITIAL_PASSWORD, OWN_PASSWORD, TestDatabase, TestUnit, hire_declaration, hire_item,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shebao_agency::auth::card::DEFAULT_USER_ID;
use shebao_agency::auth::password;
use shebao_agency::storage::{CardKeyAlgorithm, Location, NewUnit, Storage};
use sm2::dsa::SigningKey;

/// A `shebao-agency serve` process, killed when dropped.
struct ServerProcess {
    child: Child,
    base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a server process on a free port and waits until it listens.
fn serve(dir: &Path, database: Option<&str>) -> ServerProcess {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shebao-agency"));
    command.arg("--data-dir").arg(dir);
    if let Some(database) = database {
        command.args(["--database", database]);
    }
    let mut child = command
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--test-captcha",
            CAPTCHA,
        ])
        .env_remove("SHEBAO_AGENCY_DATABASE")
        .env("SHEBAO_AGENCY_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server says where it listens");
    let address = line
        .strip_prefix("listening on https://")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    let port = address.rsplit(':').next().expect("port");
    ServerProcess {
        child,
        base: format!("https://127.0.0.1:{port}/api/v1"),
    }
}

fn client(dir: &Path) -> reqwest::Client {
    let ca = std::fs::read(dir.join("tls").join("ca.pem")).expect("ca.pem");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("ca parses"))
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client builds")
}

async fn post(client: &reqwest::Client, url: &str, token: Option<&str>, body: &Value) -> Value {
    let mut request = client.post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{url}: {status} {body}");
    body
}

/// Logs in on `base` and changes the initial password; answers the token.
async fn log_in(client: &reqwest::Client, base: &str, unit: &TestUnit) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use sm2::dsa::Signature;
    use sm2::dsa::signature::Signer;
    let challenge = post(
        client,
        &format!("{base}/login/challenge"),
        None,
        &json!({"unit_no": unit.unit_no}),
    )
    .await;
    let nonce = BASE64
        .decode(challenge["nonce"].as_str().expect("nonce"))
        .expect("base64");
    let signature: Signature = unit.card.sign(&nonce);
    let login = post(
        client,
        &format!("{base}/login"),
        None,
        &json!({
            "challenge_id": challenge["challenge_id"], "unit_no": unit.unit_no,
            "password": INITIAL_PASSWORD, "captcha": CAPTCHA,
            "card_signature": BASE64.encode(signature.to_bytes()),
        }),
    )
    .await;
    let token = login["token"].as_str().expect("token").to_owned();
    let response = client
        .put(format!("{base}/password"))
        .bearer_auth(&token)
        .json(&json!({"old_password": INITIAL_PASSWORD, "new_password": OWN_PASSWORD}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    token
}

/// Sends a declaration under `key` to `base`; `None` if the server gave no answer.
async fn submit(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    key: &str,
    body: &[u8],
) -> Option<(StatusCode, Value)> {
    let response = client
        .post(format!("{base}/declarations"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .ok()?;
    let status = response.status();
    let body = response.json().await.ok()?;
    Some((status, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_post_loses_nothing_and_the_other_keeps_serving() {
    let dir = std::env::temp_dir().join(format!("shebao-agency-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data dir");
    let database = TestDatabase::create().await;
    let url = database.as_ref().map(|d| d.url.clone());

    // The unit, opened straight in the storage both servers will use.
    let card = SigningKey::from_slice(DEFAULT_USER_ID, &[0x2a; 32]).expect("card key");
    let unit = TestUnit {
        unit_no: "8301".into(),
        card,
    };
    {
        let location = Location::from_options(&dir, url.as_deref(), 2).expect("location");
        let storage = Storage::open(&location).await.expect("storage opens");
        storage
            .open_unit(
                NewUnit {
                    unit_no: unit.unit_no.clone(),
                    name: "测试单位 8301".into(),
                    uscc: "91350100M000100Y43".into(),
                    card_public_key: unit.card.verifying_key().to_sec1_bytes().to_vec(),
                    card_key_algorithm: CardKeyAlgorithm::Sm2,
                    password_hash: password::hash(INITIAL_PASSWORD).expect("hash"),
                },
                0,
            )
            .await
            .expect("storage answers")
            .expect("unit opened");
    }

    // The first server makes the TLS identity; the second finds it.
    let mut doomed = Some(serve(&dir, url.as_deref()));
    let survivor = serve(&dir, url.as_deref());
    let client = client(&dir);
    let doomed_base = doomed.as_ref().expect("running").base.clone();
    let token = log_in(&client, &doomed_base, &unit).await;

    // Twelve declarations of 3,000 hires each (about 1.2 MB), sent to the first server; it is
    // killed while the fourth is on its way in.
    const DECLARATIONS: u32 = 12;
    const ITEMS: u32 = 3_000;
    let bodies: Vec<Vec<u8>> = (0..DECLARATIONS)
        .map(|d| {
            let declaration = hire_declaration((0..ITEMS).map(|i| hire_item(d * ITEMS + i)));
            serde_json::to_vec(&declaration).expect("json")
        })
        .collect();
    for (d, body) in bodies.iter().enumerate() {
        let key = format!("kill-{d}");
        let answer = if d == 3 {
            let sending = submit(&client, &doomed_base, &token, &key, body);
            let killing = async {
                tokio::time::sleep(Duration::from_millis(30)).await;
                // Dropping the process value sends SIGKILL and reaps it.
                drop(doomed.take());
            };
            let (answer, ()) = tokio::join!(sending, killing);
            answer
        } else if doomed.is_some() {
            submit(&client, &doomed_base, &token, &key, body).await
        } else {
            None
        };
        let answer = match answer {
            Some(answer) => answer,
            None => {
                // What the dead server did not answer goes to the other, under the same key.
                submit(&client, &survivor.base, &token, &key, body)
                    .await
                    .expect("the surviving server answers")
            }
        };
        assert!(
            matches!(answer.0, StatusCode::CREATED | StatusCode::OK),
            "{key}: {answer:?}"
        );
    }

    // The survivor serves the session and shows each declaration once, with all its items.
    let response = client
        .get(format!("{}/declarations/changes?limit=1000", survivor.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let feed: Value = response.json().await.expect("json");
    let mut keys: Vec<String> = feed["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["idempotency_key"].as_str().expect("key").to_owned())
        .collect();
    keys.sort();
    let mut expected: Vec<String> = (0..DECLARATIONS).map(|d| format!("kill-{d}")).collect();
    expected.sort();
    assert_eq!(keys, expected, "every declaration exactly once");
    drop(survivor);
    let location = Location::from_options(&dir, url.as_deref(), 2).expect("location");
    let counts = Storage::open(&location)
        .await
        .expect("storage opens")
        .counts()
        .await
        .expect("counts");
    assert_eq!(counts.declarations, i64::from(DECLARATIONS));
    assert_eq!(
        counts.declaration_items,
        i64::from(DECLARATIONS * ITEMS),
        "no declaration lost or kept half its items"
    );
    if let Some(database) = database {
        database.drop_database().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
