//! The agency's data kept for offline use: reference data, the unit's record, the roster,
//! dues and announcements. Each fetch replaces what it covers in one transaction.

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use crate::error::Result;
use crate::store::{Store, now};

/// A cached announcement.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedAnnouncement {
    /// The agency's id.
    pub id: String,
    /// Title.
    pub title: String,
    /// When published.
    pub published_at: String,
    /// The announcement as the agency sent it.
    pub body: Value,
}

impl Store {
    /// Replace the cached reference data (GET /reference) with `body`, labelled `version`.
    pub fn save_reference(&mut self, version: &str, body: &Value) -> Result<()> {
        self.conn.execute(
            "INSERT INTO reference_data (id, version, body, fetched_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body,
                 fetched_at = excluded.fetched_at",
            params![version, serde_json::to_string(body)?, now()],
        )?;
        Ok(())
    }

    /// The cached reference data: (version, body), `None` before the first fetch.
    pub fn reference(&self) -> Result<Option<(String, Value)>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT version, body FROM reference_data WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(v, b)| Ok((v, serde_json::from_str(&b)?)))
            .transpose()
    }

    /// Replace the unit's record (GET /unit).
    pub fn save_unit_record(&mut self, record: &Value) -> Result<()> {
        let text = |k: &str| record.get(k).and_then(Value::as_str).map(str::to_owned);
        self.conn.execute(
            "UPDATE unit SET record = ?1, name = coalesce(?2, name), uscc = coalesce(?3, uscc),
                 updated_at = ?4 WHERE id = 1",
            params![
                serde_json::to_string(record)?,
                text("name"),
                text("uscc"),
                now()
            ],
        )?;
        Ok(())
    }

    /// The unit's name and credit code as last learnt (at login or from GET /unit).
    pub fn set_unit_identity(&mut self, name: &str, uscc: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE unit SET name = ?1, uscc = ?2, updated_at = ?3 WHERE id = 1",
            params![name, uscc, now()],
        )?;
        Ok(())
    }

    /// The unit's cached record, `None` before the first fetch.
    pub fn unit_record(&self) -> Result<Option<Value>> {
        let text: Option<String> =
            self.conn
                .query_row("SELECT record FROM unit WHERE id = 1", [], |r| r.get(0))?;
        text.map(|t| Ok(serde_json::from_str(&t)?)).transpose()
    }

    /// The unit's name, if known.
    pub fn unit_name(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT name FROM unit WHERE id = 1", [], |r| r.get(0))?)
    }

    /// Replace the whole roster with `people` (each as the agency sent it).
    pub fn replace_roster(&mut self, people: &[Value]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM roster", [])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO roster (position, document_no, body) VALUES (?1, ?2, ?3)",
            )?;
            for (i, p) in people.iter().enumerate() {
                let doc = p.get("document_no").and_then(Value::as_str);
                insert.execute(params![i as i64, doc, serde_json::to_string(p)?])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The cached roster, in the agency's order.
    pub fn roster(&self) -> Result<Vec<Value>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM roster ORDER BY position")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|t| Ok(serde_json::from_str(&t?)?)).collect()
    }

    /// Replace the cached dues for the months `from..=to` with `rows` (each must carry `month`
    /// and `insurance_type`).
    pub fn replace_dues(&mut self, from: &str, to: &str, rows: &[Value]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM dues WHERE month BETWEEN ?1 AND ?2", [from, to])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO dues (month, insurance_type, body) VALUES (?1, ?2, ?3)",
            )?;
            for row in rows {
                let field = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or_default();
                insert.execute(params![
                    field("month"),
                    field("insurance_type"),
                    serde_json::to_string(row)?
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Cached dues, by month and insurance type.
    pub fn dues(&self) -> Result<Vec<Value>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM dues ORDER BY month, insurance_type")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|t| Ok(serde_json::from_str(&t?)?)).collect()
    }

    /// Add or update announcements.
    pub fn save_announcements(&mut self, items: &[CachedAnnouncement]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO announcements (id, published_at, title, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET published_at = excluded.published_at,
                     title = excluded.title, body = excluded.body",
            )?;
            for a in items {
                upsert.execute(params![
                    a.id,
                    a.published_at,
                    a.title,
                    serde_json::to_string(&a.body)?
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Cached announcements, newest first.
    pub fn announcements(&self) -> Result<Vec<CachedAnnouncement>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, published_at, body FROM announcements
             ORDER BY published_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (id, title, published_at, body) = row?;
            Ok(CachedAnnouncement {
                id,
                title,
                published_at,
                body: serde_json::from_str(&body)?,
            })
        })
        .collect()
    }
}
