//! The defences between the clerk's PC and the agency: the client trusts the agency's
//! certificate only through a CA it was given (the system's roots, or `--ca`), never whatever a
//! server presents; and the session token is never written to disk in the clear.
// The agency runs in this process, which a Windows build under Wine cannot do: there
// tests/native_agency.rs runs against the agency on the host instead.
#![cfg(not(windows))]

mod common;

use std::path::Path;

use common::{CAPTCHA, Clerk, INITIAL_PASSWORD, TestAgency, card, config};
use shebao_sync::{AgencyClient, ClientConfig, SyncError, TokenHome, finish_login, start_login};

/// The error of asking `agency` for a login challenge through `client`.
async fn challenge_error(client: &AgencyClient) -> SyncError {
    match start_login(client, "3501000042").await {
        Ok(_) => panic!("the client accepted a certificate it was not told to trust"),
        Err(error) => error,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agency_is_trusted_only_through_its_own_ca() {
    let agency = TestAgency::start(None).await;
    let unit = card("3501000042");
    agency.open_unit(&unit);

    // The agency's certificate is signed by its private CA, which no system trusts.
    let mut bare = ClientConfig::new(agency.url());
    bare.timeout = std::time::Duration::from_secs(5);
    let error = challenge_error(&AgencyClient::new(&bare).expect("client")).await;
    assert!(
        matches!(&error, SyncError::NeedsConnection { reason } if reason.contains("certificate")),
        "{error:?}"
    );

    // Someone in the middle with a certificate of another CA (here: another agency's) fares
    // no better than one with a self-made certificate.
    let impostor = TestAgency::start(None).await;
    let trusting_the_real_one =
        AgencyClient::new(&config(&impostor.url(), &agency.ca())).expect("client");
    let error = challenge_error(&trusting_the_real_one).await;
    assert!(
        matches!(&error, SyncError::NeedsConnection { reason } if reason.contains("certificate")),
        "{error:?}"
    );

    // Given the agency's own CA, the same call goes through.
    let client = AgencyClient::new(&config(&agency.url(), &agency.ca())).expect("client");
    let pending = start_login(&client, &unit.unit_no)
        .await
        .expect("challenge over verified TLS");
    finish_login(&client, &pending, INITIAL_PASSWORD, CAPTCHA, &unit)
        .await
        .expect("login over verified TLS");
}

/// No source file of the client or the agency turns certificate checks off: there is no switch
/// for it, not even one for development, so none can be left on by mistake.
#[test]
fn no_code_turns_certificate_verification_off() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut offenders = Vec::new();
    let mut dirs = vec![root.join("src"), root.join("crates")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("readable source dir")
            .flatten()
        {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                // Tests may build raw TLS clients of their own; only shipped code counts.
                if name != "tests" && name != "benches" && name != "target" {
                    dirs.push(path);
                }
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path).expect("readable source");
                for switch in [
                    "danger_accept_invalid_certs",
                    "danger_accept_invalid_hostnames",
                    "dangerous()",
                    "ServerCertVerifier for",
                ] {
                    if text.contains(switch) {
                        offenders.push(format!("{}: {switch}", path.display()));
                    }
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

/// Every byte of every file under `dir`.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                found.push((path.display().to_string(), bytes));
            }
        }
    }
    found
}

fn assert_nowhere_on_disk(dir: &Path, token: &str) {
    let files = files_under(dir);
    assert!(!files.is_empty(), "the data folder holds the store");
    for (path, bytes) in files {
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the session token is readable in {path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_token_is_never_on_disk_in_the_clear() {
    let agency = TestAgency::start(None).await;
    let unit = card("3501000043");
    agency.open_unit(&unit);
    let mut clerk = Clerk::log_in(&agency, unit).await;
    let session = clerk
        .tokens
        .require(&clerk.store)
        .expect("the session is kept");
    assert!(session.token.len() >= 16, "a real token");
    // With a keyring: the token is there and nowhere in the data folder, store files included
    // (the write-ahead log too, since the store is still open).
    assert_nowhere_on_disk(clerk.data.path(), &session.token);

    // Without a keyring the token lives in the store, which is encrypted as a whole.
    TokenHome::Store
        .save(&mut clerk.store, &session)
        .expect("kept in the store");
    assert_eq!(
        TokenHome::Store
            .require(&clerk.store)
            .expect("read back")
            .token,
        session.token
    );
    assert_nowhere_on_disk(clerk.data.path(), &session.token);
    let data = clerk.data;
    drop(clerk.store);
    assert_nowhere_on_disk(data.path(), &session.token);
}
