//! The outbox: declarations whose submission the clerk requested, waiting for the agency's 201.
//!
//! Queuing turns drafts into a declaration in one transaction and gives it its idempotency key
//! there and then; every attempt to send it uses that key, so the agency stores it once however
//! often a lost answer makes the client try again.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use crate::drafts::DraftProblem;
use crate::error::{Result, StoreError};
use crate::model::DeclarationKind;
use crate::store::{Store, now};

/// A declaration's local row id.
pub type DeclarationId = i64;

/// A declaration waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Local row id.
    pub declaration_id: DeclarationId,
    /// The key sent as `Idempotency-Key` on every attempt.
    pub idempotency_key: String,
    /// Kind.
    pub kind: DeclarationKind,
    /// Period, YYYY-MM.
    pub period: String,
    /// Number of items.
    pub item_count: u64,
    /// Attempts made so far.
    pub attempts: u32,
    /// Why the last attempt failed, if one did.
    pub last_error: Option<String>,
}

impl Store {
    /// Turn the drafts (of `kind`, or all) into declarations, one per kind and period, and
    /// queue them for sending. Returns what was queued.
    pub fn queue_drafts(&mut self, kind: Option<DeclarationKind>) -> Result<Vec<OutboxEntry>> {
        let tx = self.conn.transaction()?;
        let at = now();
        let mut queued = Vec::new();
        let groups: Vec<(String, String, u64)> = {
            let mut stmt = tx.prepare(
                "SELECT kind, period, count(*) FROM drafts WHERE ?1 IS NULL OR kind = ?1
                 GROUP BY kind, period ORDER BY kind, period",
            )?;
            stmt.query_map([kind.map(DeclarationKind::as_str)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        for (kind_word, period, count) in groups {
            let key = uuid::Uuid::new_v4().to_string();
            tx.execute(
                "INSERT INTO declarations
                     (idempotency_key, kind, period, state, item_count, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?5)",
                params![key, kind_word, period, count, at],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO declaration_items (declaration_id, line, item)
                 SELECT ?1, row_number() OVER (ORDER BY id), item FROM drafts
                 WHERE kind = ?2 AND period = ?3",
                params![id, kind_word, period],
            )?;
            tx.execute(
                "DELETE FROM drafts WHERE kind = ?1 AND period = ?2",
                [&kind_word, &period],
            )?;
            tx.execute(
                "INSERT INTO outbox (declaration_id, queued_at) VALUES (?1, ?2)",
                params![id, at],
            )?;
            queued.push(OutboxEntry {
                declaration_id: id,
                idempotency_key: key,
                kind: kind_word.parse().map_err(|_| StoreError::NotFound {
                    what: format!("The declaration kind {kind_word:?}"),
                })?,
                period,
                item_count: count,
                attempts: 0,
                last_error: None,
            });
        }
        tx.commit()?;
        Ok(queued)
    }

    /// Everything waiting to be sent, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.idempotency_key, d.kind, d.period, d.item_count, o.attempts,
                    o.last_error
             FROM outbox o JOIN declarations d ON d.id = o.declaration_id
             ORDER BY o.declaration_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u64>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (declaration_id, idempotency_key, kind, period, item_count, attempts, last_error) =
                row?;
            Ok(OutboxEntry {
                declaration_id,
                idempotency_key,
                kind: kind.parse().map_err(|_| StoreError::NotFound {
                    what: format!("The declaration kind {kind:?}"),
                })?,
                period,
                item_count,
                attempts,
                last_error,
            })
        })
        .collect()
    }

    /// The body of `POST /declarations` for a queued declaration, built from the stored item
    /// JSON without parsing it again (a 10,000-item declaration is megabytes).
    pub fn outbox_body(&self, entry: &OutboxEntry) -> Result<String> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT item FROM declaration_items WHERE declaration_id = ?1 ORDER BY line",
        )?;
        let mut body = format!(
            "{{\"kind\":{},\"period\":{},\"items\":[",
            serde_json::to_string(entry.kind.as_str())?,
            serde_json::to_string(&entry.period)?
        );
        let mut rows = stmt.query([entry.declaration_id])?;
        let mut first = true;
        while let Some(row) = rows.next()? {
            if !first {
                body.push(',');
            }
            first = false;
            body.push_str(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?);
        }
        body.push_str("]}");
        Ok(body)
    }

    /// Note a failed attempt to send (the declaration stays queued).
    pub fn record_send_failure(&mut self, id: DeclarationId, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE declaration_id = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// The agency accepted the declaration (201, or 200 for a repeated key): leave the outbox.
    pub fn record_accepted(
        &mut self,
        id: DeclarationId,
        remote_id: &str,
        submitted_at: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE declarations SET remote_id = ?2, submitted_at = ?3, updated_at = ?4,
                 state = CASE state WHEN 'queued' THEN 'submitted' ELSE state END
             WHERE id = ?1",
            params![id, remote_id, submitted_at, now()],
        )?;
        tx.execute("DELETE FROM outbox WHERE declaration_id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// The agency refused the declaration as invalid (422, nothing stored there): its items go
    /// back to the drafts, each with the problems found on its line (1-based), so the clerk can
    /// correct them. Returns how many drafts were restored.
    pub fn return_to_drafts(
        &mut self,
        id: DeclarationId,
        problems: &[(u64, DraftProblem)],
    ) -> Result<usize> {
        let mut by_line: HashMap<u64, Vec<&DraftProblem>> = HashMap::new();
        for (line, p) in problems {
            by_line.entry(*line).or_default().push(p);
        }
        let tx = self.conn.transaction()?;
        let (kind, period): (String, String) = tx
            .query_row(
                "SELECT kind, period FROM declarations WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("Declaration {id}"),
            })?;
        let items: Vec<(u64, Option<String>)> = {
            let mut stmt = tx.prepare(
                "SELECT line, item FROM declaration_items WHERE declaration_id = ?1 ORDER BY line",
            )?;
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let at = now();
        let mut restored = 0;
        for (line, item) in items {
            let Some(item) = item else { continue };
            let found = match by_line.get(&line) {
                Some(list) => Some(serde_json::to_string(list)?),
                None => None,
            };
            tx.execute(
                "INSERT INTO drafts (kind, period, item, problems, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![kind, period, item, found, at],
            )?;
            restored += 1;
        }
        tx.execute("DELETE FROM declarations WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(restored)
    }
}
