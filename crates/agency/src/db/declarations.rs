//! Declarations (申报), their items and the per-unit change sequence behind the changes feed.
//!
//! Every change of a declaration's state (submission, processing, the final outcome, being
//! viewed) gives it the unit's next change sequence number; the changes feed reads the index on
//! (unit, sequence) from the client's cursor on, so its cost follows the number of changes.

use rusqlite::{Connection, OptionalExtension, params};

use super::{DbError, units};

/// The states a declaration passes through at the agency, as named on the wire.
pub mod state {
    pub const SUBMITTED: &str = "submitted";
    pub const PROCESSING: &str = "processing";
    pub const SUCCEEDED: &str = "succeeded";
    pub const FAILED: &str = "failed";
    pub const PARTLY_SUCCEEDED: &str = "partly_succeeded";

    pub fn is_final(state: &str) -> bool {
        matches!(state, SUCCEEDED | FAILED | PARTLY_SUCCEEDED)
    }
}

/// The outcome of one item, as named on the wire.
pub mod outcome {
    pub const OK: &str = "ok";
    pub const FAILED: &str = "failed";
}

/// A declaration's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub id: i64,
    pub unit_id: i64,
    pub idempotency_key: String,
    pub kind: String,
    pub period: String,
    pub state: String,
    pub viewed: bool,
    pub item_count: i64,
    pub submitted_at: i64,
    pub updated_at: i64,
    pub change_seq: i64,
}

/// One entry of the changes feed.
#[derive(Debug, Clone)]
pub struct Change {
    pub declaration: Declaration,
    /// (line, outcome, reason) of every item the agency has judged.
    pub outcomes: Vec<(i64, String, Option<String>)>,
}

/// What became of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    Created(Declaration),
    /// A declaration with the same idempotency key already existed; nothing was stored.
    AlreadySubmitted(Declaration),
}

const COLUMNS: &str = "id, unit_id, idempotency_key, kind, period, state, viewed, item_count, \
     submitted_at, updated_at, change_seq";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Declaration> {
    Ok(Declaration {
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

/// Stores a submitted declaration with its items (each the item's JSON), unless the unit already
/// submitted one under the same idempotency key. The UNIQUE constraint on (unit, key), not a
/// prior look-up, decides, so concurrent duplicates cannot both be stored.
pub fn submit(
    conn: &Connection,
    unit_id: i64,
    idempotency_key: &str,
    kind: &str,
    period: &str,
    items: &[String],
    now: i64,
) -> Result<Submission, DbError> {
    let seq = units::next_change_seq(conn, unit_id)?;
    let inserted: Option<i64> = conn
        .prepare_cached(
            "INSERT INTO declarations (unit_id, idempotency_key, kind, period, state, item_count, \
             submitted_at, updated_at, change_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) \
             ON CONFLICT (unit_id, idempotency_key) DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                unit_id,
                idempotency_key,
                kind,
                period,
                state::SUBMITTED,
                items.len() as i64,
                now,
                seq
            ],
            |row| row.get(0),
        )
        .optional()?;
    let Some(id) = inserted else {
        let existing = by_key(conn, unit_id, idempotency_key)?
            .ok_or_else(|| DbError::Corrupt("idempotency key conflict without a row".into()))?;
        return Ok(Submission::AlreadySubmitted(existing));
    };
    let mut insert_item = conn.prepare_cached(
        "INSERT INTO declaration_items (declaration_id, line, body) VALUES (?1, ?2, ?3)",
    )?;
    for (index, body) in items.iter().enumerate() {
        insert_item.execute(params![id, index as i64 + 1, body])?;
    }
    let created =
        by_id(conn, id)?.ok_or_else(|| DbError::Corrupt("declaration vanished".into()))?;
    Ok(Submission::Created(created))
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Declaration>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM declarations WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

pub fn by_key(conn: &Connection, unit_id: i64, key: &str) -> Result<Option<Declaration>, DbError> {
    let sql =
        format!("SELECT {COLUMNS} FROM declarations WHERE unit_id = ?1 AND idempotency_key = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![unit_id, key], from_row)
        .optional()?)
}

/// A page of the changes feed takes no further declaration once the item outcomes it carries
/// reach this many, so that a page of large declarations stays a reasonable size.
pub const MAX_OUTCOMES_PER_PAGE: usize = 50_000;

/// The unit's declarations whose state changed after sequence `after`, oldest change first.
pub fn changes(
    conn: &Connection,
    unit_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<Change>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM declarations WHERE unit_id = ?1 AND change_seq > ?2 \
         ORDER BY change_seq LIMIT ?3"
    );
    let declarations = conn
        .prepare_cached(&sql)?
        .query_map(params![unit_id, after, limit], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let mut judged = conn.prepare_cached(
        "SELECT line, outcome, reason FROM declaration_items WHERE declaration_id = ?1 \
         AND outcome IS NOT NULL ORDER BY line",
    )?;
    let mut feed = Vec::with_capacity(declarations.len());
    let mut outcomes_in_page = 0;
    for declaration in declarations {
        // A page stops early rather than grow without bound; the cursor resumes after it.
        if outcomes_in_page >= MAX_OUTCOMES_PER_PAGE {
            break;
        }
        let outcomes = if state::is_final(&declaration.state) {
            judged
                .query_map([declaration.id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?
                .collect::<Result<Vec<_>, _>>()?
        } else {
            Vec::new()
        };
        outcomes_in_page += outcomes.len();
        feed.push(Change {
            declaration,
            outcomes,
        });
    }
    Ok(feed)
}

/// Moves a declaration to `new_state`, recording it as a change.
pub fn set_state(
    conn: &Connection,
    declaration: &Declaration,
    new_state: &str,
    now: i64,
) -> Result<(), DbError> {
    let seq = units::next_change_seq(conn, declaration.unit_id)?;
    conn.prepare_cached(
        "UPDATE declarations SET state = ?2, updated_at = ?3, change_seq = ?4 WHERE id = ?1",
    )?
    .execute(params![declaration.id, new_state, now, seq])?;
    Ok(())
}

pub fn set_outcome(
    conn: &Connection,
    declaration_id: i64,
    line: i64,
    outcome: &str,
    reason: Option<&str>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE declaration_items SET outcome = ?3, reason = ?4 WHERE declaration_id = ?1 AND line = ?2",
    )?
    .execute(params![declaration_id, line, outcome, reason])?;
    Ok(())
}

/// The items (line, JSON body) of a declaration.
pub fn items(conn: &Connection, declaration_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT line, body FROM declaration_items WHERE declaration_id = ?1 ORDER BY line",
    )?;
    let items = stmt
        .query_map([declaration_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(items)
}

/// What marking a declaration viewed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewing {
    Marked,
    /// Not a declaration of this unit (or none at all).
    NotFound,
    /// The agency has not finished it yet.
    NotFinished,
}

pub fn mark_viewed(
    conn: &Connection,
    unit_id: i64,
    declaration_id: i64,
    now: i64,
) -> Result<Viewing, DbError> {
    let Some(declaration) = by_id(conn, declaration_id)?.filter(|d| d.unit_id == unit_id) else {
        return Ok(Viewing::NotFound);
    };
    if !state::is_final(&declaration.state) {
        return Ok(Viewing::NotFinished);
    }
    if !declaration.viewed {
        let seq = units::next_change_seq(conn, unit_id)?;
        conn.execute(
            "UPDATE declarations SET viewed = 1, updated_at = ?2, change_seq = ?3 WHERE id = ?1",
            params![declaration_id, now, seq],
        )?;
    }
    Ok(Viewing::Marked)
}

/// Declarations waiting for the agency (submitted or processing), oldest first, with the unit
/// number they belong to.
pub fn waiting(conn: &Connection) -> Result<Vec<(Declaration, String)>, DbError> {
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
    let rows = stmt
        .query_map([], |row| Ok((from_row(row)?, row.get(11)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Ids of submitted declarations handed in at or before `submitted_by`, oldest first.
pub fn submitted_before(conn: &Connection, submitted_by: i64) -> Result<Vec<i64>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM declarations WHERE state = 'submitted' AND submitted_at <= ?1 \
         ORDER BY submitted_at, id",
    )?;
    let ids = stmt
        .query_map([submitted_by], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_support::temp_db;
    use crate::db::units::{NewUnit, insert};

    #[test]
    fn a_key_makes_one_declaration_and_the_feed_follows_the_changes() {
        let (db, dir) = temp_db("declarations");
        db.write(|tx| -> Result<(), DbError> {
            let unit = insert(
                tx,
                &NewUnit {
                    unit_no: "1".into(),
                    name: "n".into(),
                    uscc: "u".into(),
                    card_public_key: vec![],
                    card_key_algorithm: Default::default(),
                    password_hash: "h".into(),
                },
                0,
            )?;
            let items = vec!["{}".to_owned(), "{}".to_owned()];
            let Submission::Created(first) = submit(tx, unit, "k1", "hire", "2026-03", &items, 10)?
            else {
                panic!("first submission creates");
            };
            assert_eq!(
                submit(tx, unit, "k1", "hire", "2026-03", &items, 11)?,
                Submission::AlreadySubmitted(first.clone())
            );
            let feed = changes(tx, unit, 0, 100)?;
            assert_eq!(feed.len(), 1);
            let cursor = feed[0].declaration.change_seq;
            assert!(changes(tx, unit, cursor, 100)?.is_empty());
            set_outcome(tx, first.id, 2, outcome::FAILED, Some("already insured"))?;
            set_outcome(tx, first.id, 1, outcome::OK, None)?;
            set_state(tx, &first, state::PARTLY_SUCCEEDED, 12)?;
            let feed = changes(tx, unit, cursor, 100)?;
            assert_eq!(feed.len(), 1);
            assert_eq!(feed[0].declaration.state, state::PARTLY_SUCCEEDED);
            assert_eq!(feed[0].outcomes.len(), 2);
            assert_eq!(mark_viewed(tx, unit, first.id, 13)?, Viewing::Marked);
            assert_eq!(mark_viewed(tx, unit + 1, first.id, 13)?, Viewing::NotFound);
            Ok(())
        })
        .expect("transaction");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_changes_feed_searches_the_index_and_never_scans_the_table() {
        let (db, dir) = temp_db("feed-plan");
        let plan: Vec<String> = db
            .read(|conn| -> Result<_, DbError> {
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
