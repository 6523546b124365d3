//! People: what the agency knows of each person, the rosters of insured people per unit, and
//! the audit trail of look-ups.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::DbError;

/// One insured person on a unit's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub document_type: String,
    pub document_no: String,
    pub name: String,
    pub declared_wage_fen: i64,
    pub insurance_types: Vec<String>,
    /// The month from which the person is insured here ("YYYY-MM").
    pub insured_from: String,
}

/// Stores (or replaces) what the agency knows of a person: `details` is the JSON object of the
/// person's data as last declared (name, sex, birth date, household type…).
pub fn remember_person(
    conn: &Connection,
    document_type: &str,
    document_no: &str,
    name: &str,
    details: &str,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO persons (document_type, document_no, name, details, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (document_type, document_no) DO UPDATE SET \
         name = excluded.name, details = excluded.details, updated_at = excluded.updated_at",
    )?
    .execute(params![document_type, document_no, name, details, now])?;
    Ok(())
}

/// The stored details (a JSON object) of the person with this document number, if any.
pub fn person(conn: &Connection, document_no: &str) -> Result<Option<(String, String)>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT document_type, details FROM persons WHERE document_no = ?1 \
             ORDER BY updated_at DESC LIMIT 1",
        )?
        .query_row([document_no], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// Writes one line of the look-up audit trail.
pub fn audit_lookup(
    conn: &Connection,
    unit_id: i64,
    document_no: &str,
    found: bool,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO person_lookups (at, unit_id, document_no, found) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![now, unit_id, document_no, found])?;
    Ok(())
}

/// The unit at which a person is insured now, if any.
pub fn insured_at(
    conn: &Connection,
    document_type: &str,
    document_no: &str,
) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT unit_id FROM roster WHERE document_type = ?1 AND document_no = ?2")?
        .query_row(params![document_type, document_no], |row| row.get(0))
        .optional()?)
}

/// Puts a person on a unit's roster, moving them from any other unit.
pub fn enrol(conn: &Connection, unit_id: i64, entry: &RosterEntry) -> Result<(), DbError> {
    let types = serde_json::to_string(&entry.insurance_types)
        .map_err(|e| DbError::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO roster (unit_id, document_type, document_no, name, declared_wage_fen, \
         insurance_types, insured_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (document_type, document_no) DO UPDATE SET unit_id = excluded.unit_id, \
         name = excluded.name, declared_wage_fen = excluded.declared_wage_fen, \
         insurance_types = excluded.insurance_types, insured_from = excluded.insured_from",
    )?
    .execute(params![
        unit_id,
        entry.document_type,
        entry.document_no,
        entry.name,
        entry.declared_wage_fen,
        types,
        entry.insured_from
    ])?;
    Ok(())
}

/// Takes a person off a unit's roster; answers false if they were not on it.
pub fn leave(
    conn: &Connection,
    unit_id: i64,
    document_type: &str,
    document_no: &str,
) -> Result<bool, DbError> {
    let removed = conn
        .prepare_cached(
            "DELETE FROM roster WHERE unit_id = ?1 AND document_type = ?2 AND document_no = ?3",
        )?
        .execute(params![unit_id, document_type, document_no])?;
    Ok(removed > 0)
}

/// Sets a rostered person's declared wage (the base follows from it and the period limits); answers false if they are not on the roster.
pub fn set_declared_wage(
    conn: &Connection,
    unit_id: i64,
    document_type: &str,
    document_no: &str,
    base_fen: i64,
) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE roster SET declared_wage_fen = ?4 WHERE unit_id = ?1 AND document_type = ?2 \
             AND document_no = ?3",
        )?
        .execute(params![unit_id, document_type, document_no, base_fen])?;
    Ok(changed > 0)
}

/// Renames a rostered person (a person change of the name).
pub fn rename(
    conn: &Connection,
    unit_id: i64,
    document_type: &str,
    document_no: &str,
    name: &str,
) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE roster SET name = ?4 WHERE unit_id = ?1 AND document_type = ?2 AND document_no = ?3",
        )?
        .execute(params![unit_id, document_type, document_no, name])?;
    Ok(changed > 0)
}

/// A page of the unit's roster: entries after the roster cursor `after`, with the cursor of the
/// last one.
pub fn roster_page(
    conn: &Connection,
    unit_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, RosterEntry)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, document_type, document_no, name, declared_wage_fen, insurance_types, insured_from \
         FROM roster WHERE unit_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![unit_id, after, limit], roster_row)?;
    let mut page = Vec::new();
    for row in rows {
        let (id, entry, types) = row?;
        page.push((id, with_types(entry, &types)?));
    }
    Ok(page)
}

/// The whole roster of a unit (for dues).
pub fn roster(conn: &Connection, unit_id: i64) -> Result<Vec<RosterEntry>, DbError> {
    Ok(roster_page(conn, unit_id, 0, u32::MAX)?
        .into_iter()
        .map(|(_, entry)| entry)
        .collect())
}

type RawRosterRow = (i64, RosterEntry, String);

fn roster_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRosterRow> {
    Ok((
        row.get(0)?,
        RosterEntry {
            document_type: row.get(1)?,
            document_no: row.get(2)?,
            name: row.get(3)?,
            declared_wage_fen: row.get(4)?,
            insurance_types: Vec::new(),
            insured_from: row.get(6)?,
        },
        row.get(5)?,
    ))
}

fn with_types(mut entry: RosterEntry, types: &str) -> Result<RosterEntry, DbError> {
    entry.insurance_types = serde_json::from_str(types)
        .map_err(|e| DbError::Corrupt(format!("roster insurance types: {e}")))?;
    Ok(entry)
}
