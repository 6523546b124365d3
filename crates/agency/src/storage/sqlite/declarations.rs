//! Declarations (申报), their items and the per-unit change sequence behind the changes feed.
//!
//! Every change of a declaration's state (submission, processing, the final outcome, being
//! viewed) gives it the unit's next change sequence number; the changes feed reads the index on
//! (unit, sequence) from the client's cursor on, so its cost follows the number of changes.

use rusqlite::{Connection, OptionalExtension, params};
use shebao_core::state::DeclarationState;

use super::units;
use crate::storage::{
    Change, Declaration, DeclarationRow, ItemOutcome, JudgedItem, StorageError, Submission,
    Submitting, Viewing, fit_page,
};

pub(crate) const COLUMNS: &str = "id, unit_id, idempotency_key, kind, period, state, viewed, \
     item_count, submitted_at, updated_at, change_seq";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeclarationRow> {
    Ok(DeclarationRow {
        id: row.get(0)?,
        unit_id: row.get(1)?,
        idempotency_key: row.get(2)?,
        kind: row.get(3)?,
        period: row.get(4)?,
        state: row.get(5)?,
        viewed: row.get(6)?,
        item_count: row.get(7)?,
        submitted_at: row.get(8)?,
        updated_at: row.get(9)?,
        change_seq: row.get(10)?,
    })
}

/// Stores a submitted declaration with its items, unless the unit already submitted one under
/// the same idempotency key. The UNIQUE constraint on (unit, key), not a prior look-up, decides.
pub fn submit(conn: &Connection, new: &Submitting) -> Result<Submission, StorageError> {
    let seq = units::next_change_seq(conn, new.unit_id)?;
    let inserted: Option<i64> = conn
        .prepare_cached(
            "INSERT INTO declarations (unit_id, idempotency_key, kind, period, state, item_count, \
             submitted_at, updated_at, change_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) \
             ON CONFLICT (unit_id, idempotency_key) DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                new.unit_id,
                new.idempotency_key,
                new.kind.as_str(),
                new.period.to_string(),
                DeclarationState::Submitted.as_str(),
                new.items.len() as i64,
                new.now,
                seq
            ],
            |row| row.get(0),
        )
        .optional()?;
    let Some(id) = inserted else {
        let existing = by_key(conn, new.unit_id, &new.idempotency_key)?.ok_or_else(|| {
            StorageError::Corrupt("idempotency key conflict without a row".into())
        })?;
        return Ok(Submission::AlreadySubmitted(existing));
    };
    let mut insert_item = conn.prepare_cached(
        "INSERT INTO declaration_items (declaration_id, line, body) VALUES (?1, ?2, ?3)",
    )?;
    for (index, body) in new.items.iter().enumerate() {
        insert_item.execute(params![id, index as i64 + 1, body])?;
    }
    let created =
        by_id(conn, id)?.ok_or_else(|| StorageError::Corrupt("declaration vanished".into()))?;
    Ok(Submission::Created(created))
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Declaration>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM declarations WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .map(DeclarationRow::checked)
        .transpose()
}

pub fn by_key(
    conn: &Connection,
    unit_id: i64,
    key: &str,
) -> Result<Option<Declaration>, StorageError> {
    let sql =
        format!("SELECT {COLUMNS} FROM declarations WHERE unit_id = ?1 AND idempotency_key = ?2");
    conn.prepare_cached(&sql)?
        .query_row(params![unit_id, key], from_row)
        .optional()?
        .map(DeclarationRow::checked)
        .transpose()
}

/// The unit's declarations whose state changed after sequence `after`, oldest change first.
pub fn changes(
    conn: &Connection,
    unit_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<Change>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM declarations WHERE unit_id = ?1 AND change_seq > ?2 \
         ORDER BY change_seq LIMIT ?3"
    );
    let declarations = conn
        .prepare_cached(&sql)?
        .query_map(params![unit_id, after, limit], from_row)?
        .map(|row| row?.checked())
        .collect::<Result<Vec<_>, StorageError>>()?;
    fit_page(declarations)
        .into_iter()
        .map(|declaration| {
            let outcomes = if declaration.is_finished() {
                judged(conn, declaration.id)?
            } else {
                Vec::new()
            };
            Ok(Change {
                declaration,
                outcomes,
            })
        })
        .collect()
}

/// The judged items of a declaration, by line.
fn judged(conn: &Connection, declaration_id: i64) -> Result<Vec<JudgedItem>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT line, outcome, reason FROM declaration_items WHERE declaration_id = ?1 \
         AND outcome IS NOT NULL ORDER BY line",
    )?;
    let rows = stmt.query_map([declaration_id], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (line, outcome, reason) = row?;
        Ok(JudgedItem {
            line,
            outcome: ItemOutcome::from_stored(&outcome)?,
            reason,
        })
    })
    .collect()
}

/// Moves a declaration to `new_state`, recording it as a change.
pub fn set_state(
    conn: &Connection,
    declaration: &Declaration,
    new_state: DeclarationState,
    now: i64,
) -> Result<(), StorageError> {
    let seq = units::next_change_seq(conn, declaration.unit_id)?;
    conn.prepare_cached(
        "UPDATE declarations SET state = ?2, viewed = ?3, updated_at = ?4, change_seq = ?5 \
         WHERE id = ?1",
    )?
    .execute(params![
        declaration.id,
        new_state.as_str(),
        new_state.viewed(),
        now,
        seq
    ])?;
    Ok(())
}

pub fn set_outcomes(
    conn: &Connection,
    declaration_id: i64,
    outcomes: &[JudgedItem],
) -> Result<(), StorageError> {
    let mut update = conn.prepare_cached(
        "UPDATE declaration_items SET outcome = ?3, reason = ?4 WHERE declaration_id = ?1 \
         AND line = ?2",
    )?;
    for item in outcomes {
        update.execute(params![
            declaration_id,
            item.line,
            item.outcome.as_str(),
            item.reason
        ])?;
    }
    Ok(())
}

/// The items (line, JSON body) of a declaration.
pub fn items(conn: &Connection, declaration_id: i64) -> Result<Vec<(i64, String)>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT line, body FROM declaration_items WHERE declaration_id = ?1 ORDER BY line",
    )?;
    let items = stmt
        .query_map([declaration_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(items)
}

pub fn mark_viewed(
    conn: &Connection,
    unit_id: i64,
    declaration_id: i64,
    now: i64,
) -> Result<Viewing, StorageError> {
    let Some(declaration) = by_id(conn, declaration_id)?.filter(|d| d.unit_id == unit_id) else {
        return Ok(Viewing::NotFound);
    };
    let DeclarationState::Finished { outcome, viewed } = declaration.state else {
        return Ok(Viewing::NotFinished);
    };
    if !viewed {
        let viewed = DeclarationState::Finished {
            outcome,
            viewed: true,
        };
        set_state(conn, &declaration, viewed, now)?;
    }
    Ok(Viewing::Marked)
}

/// Declarations waiting for the agency (submitted or processing), oldest first, with the unit
/// number they belong to.
pub fn waiting(conn: &Connection) -> Result<Vec<(Declaration, String)>, StorageError> {
    let sql = format!(
        "SELECT {}, u.unit_no FROM declarations d JOIN units u ON u.id = d.unit_id \
         WHERE d.state IN ('submitted', 'processing') ORDER BY d.submitted_at, d.id",
        COLUMNS
            .split(", ")
            .map(|c| format!("d.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |row| Ok((from_row(row)?, row.get::<_, String>(11)?)))?;
    rows.map(|row| {
        let (declaration, unit_no) = row?;
        Ok((declaration.checked()?, unit_no))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::test_support::temp_db;
    use crate::storage::sqlite::units::insert;
    use crate::storage::{CardKeyAlgorithm, NewUnit};
    use shebao_core::declaration::DeclarationKind;
    use shebao_core::state::Outcome;

    #[test]
    fn a_key_makes_one_declaration_and_the_feed_follows_the_changes() {
        let (db, dir) = temp_db("declarations");
        db.write(|tx| -> Result<(), StorageError> {
            let unit = insert(
                tx,
                &NewUnit {
                    unit_no: "1".into(),
                    name: "n".into(),
                    uscc: "u".into(),
                    card_public_key: vec![],
                    card_key_algorithm: CardKeyAlgorithm::Sm2,
                    password_hash: "h".into(),
                },
                0,
            )?
            .expect("opened");
            let mut new = Submitting {
                unit_id: unit,
                idempotency_key: "k1".into(),
                kind: DeclarationKind::Hire,
                period: "2026-03".parse().expect("month"),
                items: vec!["{}".to_owned(), "{}".to_owned()],
                now: 10,
            };
            let Submission::Created(first) = submit(tx, &new)? else {
                panic!("first submission creates");
            };
            new.now = 11;
            assert_eq!(
                submit(tx, &new)?,
                Submission::AlreadySubmitted(first.clone())
            );
            let feed = changes(tx, unit, 0, 100)?;
            assert_eq!(feed.len(), 1);
            let cursor = feed[0].declaration.change_seq;
            assert!(changes(tx, unit, cursor, 100)?.is_empty());
            set_outcomes(
                tx,
                first.id,
                &[
                    JudgedItem {
                        line: 2,
                        outcome: ItemOutcome::Failed,
                        reason: Some("already insured".into()),
                    },
                    JudgedItem {
                        line: 1,
                        outcome: ItemOutcome::Ok,
                        reason: None,
                    },
                ],
            )?;
            let partly = DeclarationState::Finished {
                outcome: Outcome::PartlySucceeded,
                viewed: false,
            };
            set_state(tx, &first, partly, 12)?;
            let feed = changes(tx, unit, cursor, 100)?;
            assert_eq!(feed.len(), 1);
            assert_eq!(feed[0].declaration.state, partly);
            assert_eq!(feed[0].outcomes.len(), 2);
            assert_eq!(mark_viewed(tx, unit, first.id, 13)?, Viewing::Marked);
            assert_eq!(mark_viewed(tx, unit + 1, first.id, 13)?, Viewing::NotFound);
            assert!(by_id(tx, first.id)?.expect("stored").state.viewed());
            Ok(())
        })
        .expect("transaction");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_changes_feed_searches_the_index_and_never_scans_the_table() {
        let (db, dir) = temp_db("feed-plan");
        let plan: Vec<String> = db
            .read(|conn| -> Result<_, StorageError> {
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT {COLUMNS} FROM declarations WHERE unit_id = ?1 \
                     AND change_seq > ?2 ORDER BY change_seq LIMIT ?3"
                );
                let mut stmt = conn.prepare(&sql)?;
                let rows = stmt
                    .query_map(params![1, 0, 100], |row| row.get::<_, String>(3))?
                    .collect::<Result<_, _>>()?;
                Ok(rows)
            })
            .expect("plan");
        let plan = plan.join("; ");
        assert!(
            plan.contains("USING INDEX declarations_by_change"),
            "{plan}"
        );
        assert!(
            !plan.contains("SCAN") && !plan.contains("TEMP B-TREE"),
            "{plan}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
