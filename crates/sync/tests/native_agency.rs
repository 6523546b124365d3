//! The client built for Windows, run under Wine, against the reference agency running natively
//! on the same machine. A Windows process under Wine cannot hold the agency in-process as the
//! other whole-system tests do, so `cargo xtask test` seeds the demo unit, starts the agency on
//! a loopback port (automatic processing, the test captcha) and names it here:
//! `SHEBAO_TEST_AGENCY` is its address, `SHEBAO_TEST_AGENCY_DIR` its data folder (the CA
//! certificate and the demo UKey's card file).
//!
//! What a Windows clerk's PC does differently is all on this side: the TLS stack and the
//! certificate store, sockets, the store's files and locks under the user's profile.
#![cfg(windows)]

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use common::proxy::{Fault, FaultyProxy};
use common::{Clerk, SoftwareCard, resident_id, sync_until_finished};
use shebao_store::{DeclarationKind, DeclarationState, import, this_month};
use shebao_sync::{AgencyClient, Backoff, SyncEngine};

/// The agency `cargo xtask test` started for this run.
struct NativeAgency {
    url: String,
    dir: PathBuf,
}

impl NativeAgency {
    fn from_env() -> Self {
        let named = |var: &str| {
            std::env::var(var).unwrap_or_else(|_| {
                panic!(
                    "{var} is not set: these tests talk to the reference agency running on the \
                     host; run them with `cargo xtask test`, which starts it"
                )
            })
        };
        Self {
            url: named("SHEBAO_TEST_AGENCY"),
            dir: PathBuf::from(named("SHEBAO_TEST_AGENCY_DIR")),
        }
    }

    fn ca(&self) -> PathBuf {
        self.dir.join("tls").join("ca.pem")
    }

    fn address(&self) -> SocketAddr {
        let authority = self.url.trim_start_matches("https://");
        authority
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("SHEBAO_TEST_AGENCY {:?}: {e}", self.url))
    }

    /// The demo unit's UKey, from the card file the agency's `seed-demo` wrote.
    fn demo_card(&self) -> SoftwareCard {
        let path = self.dir.join("demo-card.toml");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let field = |name: &str| -> String {
            text.lines()
                .filter_map(|line| line.split_once('='))
                .find(|(key, _)| key.trim() == name)
                .map(|(_, value)| value.trim().trim_matches('"').to_owned())
                .unwrap_or_else(|| panic!("{} has no {name}", path.display()))
        };
        let hex = field("secret_key");
        let secret: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex secret key"))
            .collect();
        SoftwareCard::from_secret(&field("unit_no"), &secret).expect("card key")
    }
}

/// How many times each idempotency key is at the agency, read from the unit's changes feed.
async fn keys_at_agency(client: &AgencyClient) -> HashMap<String, usize> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let page = client
            .changes(after.as_deref(), 500)
            .await
            .expect("changes feed");
        for change in &page.changes {
            if let Some(key) = &change.idempotency_key {
                seen.insert(change.id.clone(), key.clone());
            }
        }
        match page.next {
            Some(next) if !page.changes.is_empty() => after = Some(next),
            _ => break,
        }
    }
    let mut per_key = HashMap::new();
    for key in seen.into_values() {
        *per_key.entry(key).or_insert(0) += 1;
    }
    per_key
}

/// Hires as a CSV file with Windows line ends (CRLF), as Excel saves one.
fn hires_csv(first: u32, people: u32, period: &str) -> Vec<u8> {
    let mut text = String::from(
        "证件类型,证件号码,姓名,户口性质,用工形式,参加工作日期,insured_from,险种,月工资,增员原因\r\n",
    );
    for n in first..first + people {
        text.push_str(&format!(
            "01,{},王五,10,01,2015-07-01,{period},110 210 310 410 510,6500.00,11\r\n",
            resident_id(n)
        ));
    }
    text.into_bytes()
}

// One test, in order: both parts log in to the one demo unit, whose first login changes its
// initial password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_windows_clerk_declares_to_the_native_agency_exactly_once() {
    let agency = NativeAgency::from_env();
    let period = this_month();
    let mut clerk = Clerk::log_in_to(&agency.url, &agency.ca(), agency.demo_card()).await;

    // A CSV file with Windows line ends, imported, submitted and answered by the agency.
    let csv = hires_csv(9_100, 3, &period);
    let report = import::read_csv_from(&csv[..], DeclarationKind::Hire, &period).expect("csv");
    assert_eq!(report.drafts.len(), 3, "{:?}", report.ignored_columns);
    clerk.store.save_drafts(&report.drafts).expect("drafts");
    let queued = clerk.store.queue_drafts(None).expect("queue");
    let engine = SyncEngine::new(clerk.client.clone());
    let first = engine.sync(&mut clerk.store, true).await.expect("sync");
    assert_eq!(first.sent.accepted, 1, "{first:?}");
    let id = queued[0].declaration_id;
    assert_eq!(
        sync_until_finished(&engine, &mut clerk, id).await,
        DeclarationState::Succeeded
    );
    let items = clerk.store.declaration_items(id).expect("items");
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i.accepted == Some(true)), "{items:?}");

    // Through a connection that loses answers, cuts requests and holds answers past the
    // timeout, every declaration still reaches the agency exactly once.
    let proxy = FaultyProxy::start(agency.address()).await;
    let client = clerk.client_via(&proxy.url(), &agency.ca(), Duration::from_secs(2));
    let engine = SyncEngine::new(client.clone()).with_backoff(Backoff {
        first: Duration::from_millis(50),
        max: Duration::from_millis(200),
        attempts: 6,
    });
    for (round, fault) in [Fault::LoseAnswer, Fault::ResetRequest, Fault::HoldAnswer]
        .into_iter()
        .enumerate()
    {
        let csv = hires_csv(9_200 + 20 * round as u32, 20, &period);
        let report = import::read_csv_from(&csv[..], DeclarationKind::Hire, &period).expect("csv");
        clerk.store.save_drafts(&report.drafts).expect("drafts");
        clerk.store.queue_drafts(None).expect("queue");
        proxy.inject(fault, 2);
        let sent = engine.send(&mut clerk.store).await.expect("send");
        assert_eq!(sent.accepted, 1, "{fault:?}: {sent:?}");
        assert!(clerk.store.outbox().expect("outbox").is_empty());
    }
    let faulted = proxy.faulted.load(std::sync::atomic::Ordering::SeqCst);
    assert!(faulted >= 3, "only {faulted} faults happened");
    let at_agency = keys_at_agency(&client).await;
    let ours = clerk.store.declarations(None).expect("declarations");
    assert_eq!(ours.len(), 4);
    for declaration in ours {
        let key = &declaration.idempotency_key;
        assert_eq!(at_agency.get(key), Some(&1), "{key}: {at_agency:?}");
    }
}
