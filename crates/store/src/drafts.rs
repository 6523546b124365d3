//! Drafts: items keyed in or imported, not yet submitted.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::model::DeclarationKind;
use crate::store::{Store, now};

/// A draft's row id.
pub type DraftId = i64;

/// An item about to be saved as a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDraft {
    /// Which kind of declaration it will go into.
    pub kind: DeclarationKind,
    /// The period (YYYY-MM) it will be declared for.
    pub period: String,
    /// The item with the wire field names (half-filled is fine).
    pub item: serde_json::Value,
}

/// One objection of the agency (or of validation) to a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftProblem {
    /// The wire field name, empty if it concerns the whole item.
    #[serde(default)]
    pub field: String,
    /// A stable code for the problem.
    #[serde(default)]
    pub code: String,
    /// The sentence shown to the clerk.
    #[serde(default)]
    pub message: String,
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Row id.
    pub id: DraftId,
    /// Declaration kind.
    pub kind: DeclarationKind,
    /// Period, YYYY-MM.
    pub period: String,
    /// The item (wire field names).
    pub item: serde_json::Value,
    /// What the agency objected to when it was last submitted; empty if nothing.
    pub problems: Vec<DraftProblem>,
    /// When it was last saved (RFC 3339).
    pub updated_at: String,
}

impl Store {
    /// Save one new draft; it is on disk when this returns.
    pub fn save_draft(&mut self, draft: &NewDraft) -> Result<DraftId> {
        let ids = self.save_drafts(std::slice::from_ref(draft))?;
        Ok(ids[0])
    }

    /// Save many drafts in one transaction (an import): all of them or none.
    pub fn save_drafts(&mut self, drafts: &[NewDraft]) -> Result<Vec<DraftId>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(drafts.len());
        {
            let at = now();
            let mut insert = tx.prepare_cached(
                "INSERT INTO drafts (kind, period, item, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )?;
            for d in drafts {
                let item = serde_json::to_string(&d.item)?;
                insert.execute(params![d.kind.as_str(), d.period, item, at])?;
                ids.push(tx.last_insert_rowid());
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Replace the item of a draft (the clerk corrected it); its problems are cleared.
    pub fn update_draft(&mut self, id: DraftId, item: &serde_json::Value) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE drafts SET item = ?2, problems = NULL, updated_at = ?3 WHERE id = ?1",
            params![id, serde_json::to_string(item)?, now()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: format!("Draft {id}"),
            });
        }
        Ok(())
    }

    /// Delete a draft.
    pub fn delete_draft(&mut self, id: DraftId) -> Result<()> {
        self.conn
            .execute("DELETE FROM drafts WHERE id = ?1", [id])?;
        Ok(())
    }

    /// One draft.
    pub fn draft(&self, id: DraftId) -> Result<Draft> {
        self.conn
            .query_row(
                "SELECT id, kind, period, item, problems, updated_at FROM drafts WHERE id = ?1",
                [id],
                read_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("Draft {id}"),
            })?
            .decode()
    }

    /// Every draft, or those of one kind, oldest first.
    pub fn drafts(&self, kind: Option<DeclarationKind>) -> Result<Vec<Draft>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, period, item, problems, updated_at FROM drafts
             WHERE ?1 IS NULL OR kind = ?1 ORDER BY kind, period, id",
        )?;
        let rows = stmt.query_map([kind.map(DeclarationKind::as_str)], read_row)?;
        rows.map(|r| r?.decode()).collect()
    }

    /// How many drafts there are.
    pub fn draft_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))?)
    }
}

struct RawDraft {
    id: DraftId,
    kind: String,
    period: String,
    item: String,
    problems: Option<String>,
    updated_at: String,
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawDraft> {
    Ok(RawDraft {
        id: r.get(0)?,
        kind: r.get(1)?,
        period: r.get(2)?,
        item: r.get(3)?,
        problems: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

impl RawDraft {
    fn decode(self) -> Result<Draft> {
        let kind = self.kind.parse().map_err(|_| StoreError::NotFound {
            what: format!("The kind {:?} of draft {}", self.kind, self.id),
        })?;
        Ok(Draft {
            id: self.id,
            kind,
            period: self.period,
            item: serde_json::from_str(&self.item)?,
            problems: match self.problems {
                Some(p) => serde_json::from_str(&p)?,
                None => Vec::new(),
            },
            updated_at: self.updated_at,
        })
    }
}
