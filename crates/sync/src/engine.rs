//! The sync engine: the outbox to the agency, the agency's news into the store.
//!
//! Each step ends in one store transaction, so a sync interrupted anywhere (the network gone,
//! the process killed) leaves the store consistent, and the next sync picks up where it
//! stopped: a declaration leaves the outbox only in the transaction that records the agency's
//! answer, and every retry sends the idempotency key chosen when it was queued, so the agency
//! never stores it twice.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use shebao_store::{
    CachedAnnouncement, DraftProblem, OutboxEntry, ReportedDeclaration, ReportedItem, Store,
};

use crate::backoff::Backoff;
use crate::client::AgencyClient;
use crate::error::{Result, SyncError};
use crate::lock::SyncLock;
use crate::wire::Change;

const LAST_FULL_SYNC: &str = "last_full_sync";
const ANNOUNCEMENTS_AFTER: &str = "announcements_after";

/// What sending the outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Declarations the agency accepted.
    pub accepted: usize,
    /// Declarations the agency refused as invalid, now back among the drafts.
    pub returned_to_drafts: usize,
    /// Declarations still waiting (the agency could not be reached).
    pub still_queued: usize,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// The outbox.
    pub sent: SendReport,
    /// "Viewed" marks the agency was told of.
    pub viewed_sent: usize,
    /// Declarations whose state changed here.
    pub changed: usize,
    /// Whether new reference data arrived.
    pub reference_updated: bool,
    /// People in the roster, if it was fetched.
    pub roster: Option<usize>,
    /// New or changed announcements.
    pub announcements: usize,
}

/// Runs syncs for one unit.
#[derive(Debug, Clone)]
pub struct SyncEngine {
    client: AgencyClient,
    backoff: Backoff,
    page_size: u32,
    full_every: Duration,
}

impl SyncEngine {
    /// An engine that talks through `client` (which must hold a session token).
    pub fn new(client: AgencyClient) -> Self {
        Self {
            client,
            backoff: Backoff::default(),
            page_size: 500,
            full_every: Duration::from_secs(3600),
        }
    }

    /// Use another retry policy.
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// The client.
    pub fn client(&self) -> &AgencyClient {
        &self.client
    }

    /// A whole sync: tell the agency what was viewed, send the outbox, pull the changes feed and
    /// the announcements; and, when `full` or an hour after the last full sync, the reference
    /// data, the unit record and the roster.
    pub async fn sync(&self, store: &mut Store, full: bool) -> Result<SyncReport> {
        let _lock = SyncLock::acquire(unit_dir(store))?;
        let mut report = SyncReport {
            viewed_sent: self.push_viewed(store).await?,
            sent: self.send_locked(store).await?,
            ..SyncReport::default()
        };
        if report.sent.still_queued > 0 {
            // The agency dropped away mid-sync; the pulls would fail the same way.
            return Ok(report);
        }
        report.changed = self.pull_changes(store).await?;
        report.announcements = self.pull_announcements(store).await?;
        if full || self.full_sync_due(store)? {
            report.reference_updated = self.pull_reference(store).await?;
            let unit = self.client.unit().await?;
            store.save_unit_record(&unit)?;
            report.roster = Some(self.pull_roster(store).await?);
            store.set_sync_value(LAST_FULL_SYNC, &chrono::Utc::now().to_rfc3339())?;
        }
        Ok(report)
    }

    /// Send the outbox only (after `submit`).
    pub async fn send(&self, store: &mut Store) -> Result<SendReport> {
        let _lock = SyncLock::acquire(unit_dir(store))?;
        self.send_locked(store).await
    }

    /// Send one queued declaration (a page showing progress sends the outbox one at a time and
    /// may stop between two). `Ok(true)`: accepted; `Ok(false)`: refused as invalid, its items
    /// back among the drafts with the reasons.
    pub async fn send_entry(&self, store: &mut Store, entry: &OutboxEntry) -> Result<bool> {
        let _lock = SyncLock::acquire(unit_dir(store))?;
        self.send_one(store, entry).await
    }

    async fn send_locked(&self, store: &mut Store) -> Result<SendReport> {
        let mut report = SendReport::default();
        let outbox = store.outbox()?;
        for (i, entry) in outbox.iter().enumerate() {
            match self.send_one(store, entry).await {
                Ok(true) => report.accepted += 1,
                Ok(false) => report.returned_to_drafts += 1,
                Err(e) if e.is_transient() => {
                    tracing::warn!(error = %e, "the agency cannot be reached; the outbox waits");
                    report.still_queued = outbox.len() - i;
                    return Ok(report);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// Send one queued declaration, retrying transient failures with the same key. `Ok(true)`:
    /// accepted; `Ok(false)`: refused as invalid and returned to the drafts.
    async fn send_one(&self, store: &mut Store, entry: &OutboxEntry) -> Result<bool> {
        let body = store.outbox_body(entry)?;
        let mut attempt = 0;
        loop {
            match self
                .client
                .submit(&entry.idempotency_key, body.clone())
                .await
            {
                Ok(accepted) => {
                    store.record_accepted(
                        entry.declaration_id,
                        &accepted.id,
                        &accepted.submitted_at,
                    )?;
                    tracing::info!(items = entry.item_count, kind = %entry.kind, "declaration accepted");
                    return Ok(true);
                }
                Err(SyncError::Invalid { problem }) => {
                    let problems: Vec<(u64, DraftProblem)> = problem
                        .errors
                        .iter()
                        .map(|e| {
                            let p = DraftProblem {
                                field: e.field.clone(),
                                code: e.code.clone(),
                                message: e.message.clone(),
                            };
                            (e.item, p)
                        })
                        .collect();
                    store.return_to_drafts(entry.declaration_id, &problems)?;
                    tracing::info!(
                        invalid = problems.len(),
                        "declaration refused; items back in drafts"
                    );
                    return Ok(false);
                }
                Err(e) if e.is_transient() => {
                    store.record_send_failure(entry.declaration_id, &e.to_string())?;
                    attempt += 1;
                    if attempt >= self.backoff.attempts {
                        return Err(e);
                    }
                    let wait = self.backoff.delay(attempt - 1);
                    tracing::debug!(attempt, ?wait, "sending failed; trying again");
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Tell the agency about declarations the clerk viewed here.
    pub async fn push_viewed(&self, store: &mut Store) -> Result<usize> {
        let mut sent = 0;
        for (id, remote) in store.viewed_unsent()? {
            match self.client.mark_viewed(&remote).await {
                Ok(()) | Err(SyncError::NotFound) => {
                    store.record_viewed_sent(id)?;
                    sent += 1;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(sent)
    }

    /// Pull the changes feed from the stored cursor to its end, one transaction per page.
    pub async fn pull_changes(&self, store: &mut Store) -> Result<usize> {
        let mut changed = 0;
        let mut cursor = store.changes_cursor()?;
        loop {
            let page = self
                .client
                .changes(cursor.as_deref(), self.page_size)
                .await?;
            if page.changes.is_empty() {
                break;
            }
            let reported = page
                .changes
                .iter()
                .map(to_reported)
                .collect::<Result<Vec<_>>>()?;
            changed += store.apply_changes(&reported, page.next.as_deref())?;
            if page.next.is_none() || page.next == cursor {
                break;
            }
            cursor = page.next;
        }
        Ok(changed)
    }

    /// Fetch the reference data; `true` if its version changed.
    pub async fn pull_reference(&self, store: &mut Store) -> Result<bool> {
        let body = self.client.reference().await?;
        let version = match body.get("version") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(SyncError::Protocol(
                    "the reference data has no version".into(),
                ));
            }
        };
        let cached = store.reference()?.map(|(v, _)| v);
        if cached.as_deref() == Some(version.as_str()) {
            return Ok(false);
        }
        store.save_reference(&version, &body)?;
        Ok(true)
    }

    /// Fetch the whole roster and replace the cached one.
    pub async fn pull_roster(&self, store: &mut Store) -> Result<usize> {
        let mut people = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .client
                .employees(after.as_deref(), self.page_size)
                .await?;
            let n = page.people.len();
            people.extend(page.people);
            match page.next {
                Some(next) if n > 0 && Some(&next) != after.as_ref() => after = Some(next),
                _ => break,
            }
        }
        store.replace_roster(&people)?;
        Ok(people.len())
    }

    /// Fetch new announcements.
    pub async fn pull_announcements(&self, store: &mut Store) -> Result<usize> {
        let after = store
            .sync_value(ANNOUNCEMENTS_AFTER)?
            .filter(|s| !s.is_empty());
        let list = self.client.announcements(after.as_deref()).await?;
        if list.is_empty() {
            return Ok(0);
        }
        let cached: Vec<CachedAnnouncement> = list
            .iter()
            .map(|a| CachedAnnouncement {
                id: a.id.clone(),
                title: a.title.clone(),
                published_at: a.published_at.clone(),
                body: serde_json::to_value(a).unwrap_or(Value::Null),
            })
            .collect();
        store.save_announcements(&cached)?;
        let newest = list
            .iter()
            .max_by(|a, b| {
                a.published_at
                    .cmp(&b.published_at)
                    .then_with(|| id_order(&a.id, &b.id))
            })
            .map(|a| a.id.clone());
        if let Some(newest) = newest {
            store.set_sync_value(ANNOUNCEMENTS_AFTER, &newest)?;
        }
        Ok(list.len())
    }

    /// Fetch the dues for `from..=to` (YYYY-MM) into the store.
    pub async fn pull_dues(&self, store: &mut Store, from: &str, to: &str) -> Result<usize> {
        let body = self.client.dues(from, to).await?;
        let rows = match body {
            Value::Array(rows) => rows,
            Value::Object(mut m) => match m.remove("dues").or_else(|| m.remove("months")) {
                Some(Value::Array(rows)) => rows,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        store.replace_dues(from, to, &rows)?;
        Ok(rows.len())
    }

    fn full_sync_due(&self, store: &Store) -> Result<bool> {
        let last = store.sync_value(LAST_FULL_SYNC)?;
        Ok(
            match last.and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok()) {
                Some(at) => {
                    let age = chrono::Utc::now().signed_duration_since(at);
                    age.to_std().map_or(true, |age| age >= self.full_every)
                }
                None => true,
            },
        )
    }
}

fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

fn unit_dir(store: &Store) -> &Path {
    store.path().parent().unwrap_or(Path::new("."))
}

fn to_reported(c: &Change) -> Result<ReportedDeclaration> {
    let bad = |what: &str| SyncError::Protocol(format!("the changes feed has an unknown {what}"));
    Ok(ReportedDeclaration {
        remote_id: c.id.clone(),
        idempotency_key: c.idempotency_key.clone(),
        kind: c.kind.parse().map_err(|_| bad("kind"))?,
        period: c.period.clone(),
        state: c.state.parse().map_err(|_| bad("state"))?,
        viewed: c.viewed,
        items: c
            .items
            .iter()
            .map(|i| ReportedItem {
                line: i.line,
                accepted: i.outcome == "ok",
                reason: i.reason.clone(),
            })
            .collect(),
        updated_at: c.updated_at.clone(),
    })
}
