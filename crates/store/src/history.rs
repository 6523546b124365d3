//! A person's history across declarations, and turning a refused item into a corrected draft
//! (改正后重新申报).

use rusqlite::{OptionalExtension, params};

use crate::drafts::{DraftId, DraftProblem};
use crate::error::{Result, StoreError};
use crate::model::{DeclarationKind, DeclarationState};
use crate::outbox::DeclarationId;
use crate::store::{Store, now};

/// The code a draft's problem carries when it is the agency's refusal of the item it was made
/// from; the entry forms show its message above the form.
pub const AGENCY_REFUSAL: &str = "agency_refused";

/// One declaration about a person and the agency's answer for their item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonEvent {
    /// The declaration.
    pub declaration_id: DeclarationId,
    /// Kind.
    pub kind: DeclarationKind,
    /// Period, YYYY-MM.
    pub period: String,
    /// The declaration's state.
    pub state: DeclarationState,
    /// The person's line in it.
    pub line: u64,
    /// The name as declared.
    pub name: Option<String>,
    /// `Some(true)` accepted, `Some(false)` refused, `None` not processed yet.
    pub accepted: Option<bool>,
    /// The agency's reason for a refusal.
    pub reason: Option<String>,
    /// When it was submitted, or queued if not yet accepted (RFC 3339).
    pub at: String,
}

impl Store {
    /// Every declaration item about the person with `document_no`, oldest first. Items declared
    /// from another computer are not known here in full and do not appear.
    pub fn person_history(&self, document_no: &str) -> Result<Vec<PersonEvent>> {
        let wanted = document_no.trim().to_uppercase();
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.kind, d.period, d.state, i.line, json_extract(i.item, '$.name'),
                    i.outcome, i.reason, coalesce(d.submitted_at, d.created_at) AS at
             FROM declaration_items i JOIN declarations d ON d.id = i.declaration_id
             WHERE upper(json_extract(i.item, '$.document_no')) = ?1
             ORDER BY at, d.id",
        )?;
        let rows = stmt.query_map([wanted], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u64>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, period, state, line, name, outcome, reason, at) = row?;
            let (Ok(kind), Ok(state)) = (kind.parse(), state.parse()) else {
                continue;
            };
            out.push(PersonEvent {
                declaration_id: id,
                kind,
                period,
                state,
                line,
                name,
                accepted: outcome.map(|o| o == "ok"),
                reason,
                at,
            });
        }
        Ok(out)
    }

    /// A new draft of the refused item `line` of declaration `id`, carrying the agency's reason
    /// as a problem with code [`AGENCY_REFUSAL`] so the entry form can show it. Returns the
    /// draft and its kind (the page to open).
    pub fn draft_from_refused_item(
        &mut self,
        id: DeclarationId,
        line: u64,
    ) -> Result<(DraftId, DeclarationKind)> {
        let declaration = self.declaration(id)?;
        let found: Option<(Option<String>, Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT item, outcome, reason FROM declaration_items
                 WHERE declaration_id = ?1 AND line = ?2",
                params![id, line],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let missing = |what: String| StoreError::NotFound { what };
        let Some((item, outcome, reason)) = found else {
            return Err(missing(format!("Line {line} of declaration {id}")));
        };
        if outcome.as_deref() != Some("failed") {
            return Err(missing(format!(
                "A refusal of line {line} of declaration {id} (only a refused item is declared \
                 again)"
            )));
        }
        let Some(item) = item else {
            return Err(missing(format!(
                "The content of line {line} of declaration {id} (it was declared from another \
                 computer; key it in again)"
            )));
        };
        let problems = vec![DraftProblem {
            field: String::new(),
            code: AGENCY_REFUSAL.into(),
            message: reason.unwrap_or_default(),
        }];
        let at = now();
        self.conn.execute(
            "INSERT INTO drafts (kind, period, item, problems, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![
                declaration.kind.as_str(),
                declaration.period,
                item,
                serde_json::to_string(&problems)?,
                at
            ],
        )?;
        Ok((self.conn.last_insert_rowid(), declaration.kind))
    }
}
