//! Settled dues: what a unit owed for a month and insurance type, and whether it was paid.

use rusqlite::{Connection, params};

use crate::storage::{MonthlyDue, StorageError};

pub fn settle(conn: &Connection, unit_id: i64, due: &MonthlyDue) -> Result<(), StorageError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO dues (unit_id, month, insurance_type, base_fen, unit_share_fen, \
         personal_share_fen, paid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        unit_id,
        due.month,
        due.insurance_type,
        due.base_fen,
        due.unit_share_fen,
        due.personal_share_fen,
        due.paid
    ])?;
    Ok(())
}

/// Settled dues of the unit for months `from..=to` ("YYYY-MM" sorts as text).
pub fn settled(
    conn: &Connection,
    unit_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<MonthlyDue>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, insurance_type, base_fen, unit_share_fen, personal_share_fen, paid FROM dues \
         WHERE unit_id = ?1 AND month >= ?2 AND month <= ?3 ORDER BY month, insurance_type",
    )?;
    let dues = stmt
        .query_map(params![unit_id, from, to], |row| {
            Ok(MonthlyDue {
                month: row.get(0)?,
                insurance_type: row.get(1)?,
                base_fen: row.get(2)?,
                unit_share_fen: row.get(3)?,
                personal_share_fen: row.get(4)?,
                paid: row.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(dues)
}
