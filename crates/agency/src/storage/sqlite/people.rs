//! People: what the agency knows of each person, the rosters of insured people per unit, and
//! the audit trail of look-ups.

use rusqlite::{Connection, OptionalExtension, params};

use crate::processing::{Facts, Wanted};
use crate::storage::{PersonKey, PersonRecord, RosterEntry, StorageError, types_from_stored};

/// Stores (or replaces) what the agency knows of a person.
pub fn remember_person(
    conn: &Connection,
    person: &PersonRecord,
    now: i64,
) -> Result<(), StorageError> {
    conn.prepare_cached(
        "INSERT INTO persons (document_type, document_no, name, details, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (document_type, document_no) DO UPDATE SET \
         name = excluded.name, details = excluded.details, updated_at = excluded.updated_at",
    )?
    .execute(params![
        person.key.document_type,
        person.key.document_no,
        person.name,
        person.details,
        now
    ])?;
    Ok(())
}

/// The stored (document type, details) of the person with this document number, if any.
pub fn person(
    conn: &Connection,
    document_no: &str,
) -> Result<Option<(String, String)>, StorageError> {
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
) -> Result<(), StorageError> {
    conn.prepare_cached(
        "INSERT INTO person_lookups (at, unit_id, document_no, found) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![now, unit_id, document_no, found])?;
    Ok(())
}

/// What the rules want to know of these people.
pub fn facts(conn: &Connection, wanted: &Wanted) -> Result<Facts, StorageError> {
    let mut facts = Facts::default();
    let mut insured_at = conn.prepare_cached(
        "SELECT unit_id FROM roster WHERE document_type = ?1 AND document_no = ?2",
    )?;
    for key in &wanted.roster {
        if let Some(unit) = insured_at
            .query_row(params![key.document_type, key.document_no], |row| {
                row.get(0)
            })
            .optional()?
        {
            facts.insured_at.insert(key.clone(), unit);
        }
    }
    for number in &wanted.details {
        if let Some(found) = person(conn, number)? {
            facts.details.insert(number.clone(), found);
        }
    }
    Ok(facts)
}

/// Puts a person on a unit's roster, moving them from any other unit.
pub fn enrol(conn: &Connection, unit_id: i64, entry: &RosterEntry) -> Result<(), StorageError> {
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
        entry.stored_types(),
        entry.insured_from
    ])?;
    Ok(())
}

/// Takes a person off a unit's roster.
pub fn leave(conn: &Connection, unit_id: i64, key: &PersonKey) -> Result<(), StorageError> {
    conn.prepare_cached(
        "DELETE FROM roster WHERE unit_id = ?1 AND document_type = ?2 AND document_no = ?3",
    )?
    .execute(params![unit_id, key.document_type, key.document_no])?;
    Ok(())
}

/// Sets a rostered person's declared wage (the base follows from it and the period limits).
pub fn set_declared_wage(
    conn: &Connection,
    unit_id: i64,
    key: &PersonKey,
    wage_fen: i64,
) -> Result<(), StorageError> {
    conn.prepare_cached(
        "UPDATE roster SET declared_wage_fen = ?4 WHERE unit_id = ?1 AND document_type = ?2 \
         AND document_no = ?3",
    )?
    .execute(params![
        unit_id,
        key.document_type,
        key.document_no,
        wage_fen
    ])?;
    Ok(())
}

/// Renames a rostered person (a person change of the name).
pub fn rename(
    conn: &Connection,
    unit_id: i64,
    key: &PersonKey,
    name: &str,
) -> Result<(), StorageError> {
    conn.prepare_cached(
        "UPDATE roster SET name = ?4 WHERE unit_id = ?1 AND document_type = ?2 AND document_no = ?3",
    )?
    .execute(params![unit_id, key.document_type, key.document_no, name])?;
    Ok(())
}

/// A page of the unit's roster: entries after the roster cursor `after`, each with its cursor.
pub fn roster_page(
    conn: &Connection,
    unit_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, RosterEntry)>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, document_type, document_no, name, declared_wage_fen, insurance_types, \
         insured_from FROM roster WHERE unit_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![unit_id, after, limit], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            RosterEntry {
                document_type: row.get(1)?,
                document_no: row.get(2)?,
                name: row.get(3)?,
                declared_wage_fen: row.get(4)?,
                insurance_types: Vec::new(),
                insured_from: row.get(6)?,
            },
            row.get::<_, String>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (id, mut entry, types) = row?;
        entry.insurance_types = types_from_stored(&types)?;
        Ok((id, entry))
    })
    .collect()
}
