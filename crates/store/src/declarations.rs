//! Declarations after queuing: their states, the agency's per-item results, the home-page
//! counts, and marking a finished declaration viewed (查阅).

use rusqlite::{OptionalExtension, params};
use shebao_core::state::DeclarationState as CoreState;

use crate::error::{Result, StoreError};
use crate::model::{DeclarationKind, DeclarationState, HomeCounts};
use crate::outbox::DeclarationId;
use crate::store::{Store, now};

/// A declaration as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// Local row id.
    pub id: DeclarationId,
    /// The idempotency key it was (or will be) sent with.
    pub idempotency_key: String,
    /// The agency's id, once accepted.
    pub remote_id: Option<String>,
    /// Kind.
    pub kind: DeclarationKind,
    /// Period, YYYY-MM.
    pub period: String,
    /// State.
    pub state: DeclarationState,
    /// Whether the clerk has viewed the outcome.
    pub viewed: bool,
    /// Number of items.
    pub item_count: u64,
    /// When it was queued here (RFC 3339).
    pub created_at: String,
    /// When the agency accepted it.
    pub submitted_at: Option<String>,
}

/// One item of a declaration with the agency's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    /// 1-based line.
    pub line: u64,
    /// The item as sent; `None` for a declaration sent from another computer.
    pub item: Option<serde_json::Value>,
    /// `Some(true)` accepted, `Some(false)` refused, `None` not processed yet.
    pub accepted: Option<bool>,
    /// The agency's reason for a refusal.
    pub reason: Option<String>,
}

/// One entry of the agency's changes feed, in the store's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedDeclaration {
    /// The agency's id.
    pub remote_id: String,
    /// The idempotency key it was sent with.
    pub idempotency_key: Option<String>,
    /// Kind.
    pub kind: DeclarationKind,
    /// Period, if the agency says.
    pub period: Option<String>,
    /// State.
    pub state: DeclarationState,
    /// Whether it was viewed (from any computer).
    pub viewed: bool,
    /// Per-item results reported so far.
    pub items: Vec<ReportedItem>,
    /// When the agency last changed it.
    pub updated_at: String,
}

/// The agency's verdict on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedItem {
    /// 1-based line.
    pub line: u64,
    /// Accepted or refused.
    pub accepted: bool,
    /// The reason for a refusal.
    pub reason: Option<String>,
}

const COLUMNS: &str = "id, idempotency_key, remote_id, kind, period, state, viewed, item_count, \
                       created_at, submitted_at";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Declaration> {
    let bad = |i: usize, e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e)
    };
    Ok(Declaration {
        id: r.get(0)?,
        idempotency_key: r.get(1)?,
        remote_id: r.get(2)?,
        kind: r
            .get::<_, String>(3)?
            .parse()
            .map_err(|e| bad(3, Box::new(e)))?,
        period: r.get(4)?,
        state: r
            .get::<_, String>(5)?
            .parse()
            .map_err(|e| bad(5, Box::new(e)))?,
        viewed: r.get(6)?,
        item_count: r.get(7)?,
        created_at: r.get(8)?,
        submitted_at: r.get(9)?,
    })
}

impl Store {
    /// Declarations, newest first, all or those in one state.
    pub fn declarations(&self, state: Option<DeclarationState>) -> Result<Vec<Declaration>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM declarations WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([state.map(DeclarationState::as_str)], read)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One declaration.
    pub fn declaration(&self, id: DeclarationId) -> Result<Declaration> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM declarations WHERE id = ?1"),
                [id],
                read,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("Declaration {id}"),
            })
    }

    /// The items of a declaration with the agency's verdicts.
    pub fn declaration_items(&self, id: DeclarationId) -> Result<Vec<ItemResult>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT line, item, outcome, reason FROM declaration_items
             WHERE declaration_id = ?1 ORDER BY line",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (line, item, outcome, reason) = row?;
            Ok(ItemResult {
                line,
                item: item.map(|s| serde_json::from_str(&s)).transpose()?,
                accepted: outcome.map(|o| o == "ok"),
                reason,
            })
        })
        .collect()
    }

    /// The six counts of the home page.
    pub fn home_counts(&self) -> Result<HomeCounts> {
        let mut counts = HomeCounts {
            not_submitted: self.draft_count()?,
            ..HomeCounts::default()
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, count(*) FROM declarations WHERE viewed = 0 GROUP BY state",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let n: u64 = row.get(1)?;
            match row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)? {
                "queued" => counts.not_submitted += n,
                "submitted" => counts.waiting += n,
                "processing" => counts.processing += n,
                "succeeded" => counts.succeeded_unviewed += n,
                "failed" => counts.failed_unviewed += n,
                "partly_succeeded" => counts.partly_succeeded_unviewed += n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// Apply one page of the agency's changes feed and move the cursor to `next`, all in one
    /// transaction: an interrupted sync leaves either the page applied with the cursor moved,
    /// or neither. Returns how many declarations changed here.
    pub fn apply_changes(
        &mut self,
        changes: &[ReportedDeclaration],
        next: Option<&str>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let at = now();
        let mut changed = 0;
        for c in changes {
            // Two look-ups, each on its unique index (an OR would scan the table).
            let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
            let mut local: Option<(i64, String, bool)> = tx
                .prepare_cached("SELECT id, state, viewed FROM declarations WHERE remote_id = ?1")?
                .query_row([&c.remote_id], row)
                .optional()?;
            if local.is_none()
                && let Some(key) = &c.idempotency_key
            {
                local = tx
                    .prepare_cached(
                        "SELECT id, state, viewed FROM declarations WHERE idempotency_key = ?1",
                    )?
                    .query_row([key], row)
                    .optional()?;
            }
            let id = match local {
                Some((id, state, viewed)) => {
                    let old: DeclarationState = state.parse().unwrap_or(DeclarationState::Queued);
                    let (new, now_viewed) = merge(&state, viewed, c)?;
                    // The agency holds it, so a queued copy must not be sent again.
                    tx.execute("DELETE FROM outbox WHERE declaration_id = ?1", [id])?;
                    tx.execute(
                        "UPDATE declarations SET remote_id = ?2, state = ?3, viewed = ?4,
                             submitted_at = coalesce(submitted_at, ?5), updated_at = ?6
                         WHERE id = ?1",
                        params![id, c.remote_id, new.as_str(), now_viewed, c.updated_at, at],
                    )?;
                    if new != old || now_viewed != viewed {
                        changed += 1;
                    }
                    id
                }
                None => {
                    // Sent from another computer of the unit: keep what the agency tells.
                    let key = c
                        .idempotency_key
                        .clone()
                        .unwrap_or_else(|| format!("agency:{}", c.remote_id));
                    tx.execute(
                        "INSERT INTO declarations (idempotency_key, remote_id, kind, period, state,
                             viewed, item_count, created_at, submitted_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                        params![
                            key,
                            c.remote_id,
                            c.kind.as_str(),
                            c.period.clone().unwrap_or_default(),
                            c.state.as_str(),
                            c.viewed,
                            c.items.len() as u64,
                            c.updated_at,
                            at
                        ],
                    )?;
                    changed += 1;
                    tx.last_insert_rowid()
                }
            };
            let mut upsert = tx.prepare_cached(
                "INSERT INTO declaration_items (declaration_id, line, outcome, reason)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (declaration_id, line)
                 DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason",
            )?;
            for item in &c.items {
                let outcome = if item.accepted { "ok" } else { "failed" };
                upsert.execute(params![id, item.line, outcome, item.reason])?;
            }
        }
        if let Some(next) = next {
            set_value(&tx, CHANGES_CURSOR, next)?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Mark a finished declaration viewed (查阅); the agency is told at the next sync.
    pub fn mark_viewed(&mut self, id: DeclarationId) -> Result<()> {
        let d = self.declaration(id)?;
        if !d.state.is_finished() {
            return Err(StoreError::NotFound {
                what: format!("A result for declaration {id} (it is still {})", d.state),
            });
        }
        if !d.viewed {
            self.conn.execute(
                "UPDATE declarations SET viewed = 1, viewed_unsent = 1, updated_at = ?2
                 WHERE id = ?1",
                params![id, now()],
            )?;
        }
        Ok(())
    }

    /// Declarations marked viewed here whose agency has not been told yet: (local id, agency id).
    pub fn viewed_unsent(&self) -> Result<Vec<(DeclarationId, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, remote_id FROM declarations
             WHERE viewed_unsent = 1 AND remote_id IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The agency now knows the declaration was viewed.
    pub fn record_viewed_sent(&mut self, id: DeclarationId) -> Result<()> {
        self.conn.execute(
            "UPDATE declarations SET viewed_unsent = 0 WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }

    /// The changes-feed cursor, `None` before the first sync.
    pub fn changes_cursor(&self) -> Result<Option<String>> {
        self.sync_value(CHANGES_CURSOR)
    }

    /// A named sync value (cursors, the time of the last sync).
    pub fn sync_value(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM sync_state WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Set a named sync value.
    pub fn set_sync_value(&mut self, name: &str, value: &str) -> Result<()> {
        set_value(&self.conn, name, value)
    }
}

/// The local state merged with a reported one by the rule of `shebao-core` (never backwards,
/// an outcome once known stays, a viewed flag is never cleared): (state, viewed).
fn merge(
    local: &str,
    viewed: bool,
    reported: &ReportedDeclaration,
) -> Result<(DeclarationState, bool)> {
    let unknown = |s: &str| StoreError::NotFound {
        what: format!("The declaration state {s:?}"),
    };
    let local = CoreState::parse(local, viewed).ok_or_else(|| unknown(local))?;
    let wire = reported.state.as_str();
    let reported = CoreState::parse(wire, reported.viewed).ok_or_else(|| unknown(wire))?;
    let merged = local.merge_reported(reported);
    let state = merged
        .as_str()
        .parse()
        .map_err(|_| unknown(merged.as_str()))?;
    Ok((state, merged.viewed() || viewed))
}

/// The name under which the changes-feed cursor is kept.
pub const CHANGES_CURSOR: &str = "changes_cursor";

fn set_value(conn: &rusqlite::Connection, name: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_state (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![name, value],
    )?;
    Ok(())
}
