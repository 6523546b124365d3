//! Units (参保单位): their record, credentials and lockout state.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::DbError;
use crate::auth::card_key::{CardKey, CardKeyAlgorithm};

/// A unit as stored, secrets included; never serialized whole.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: i64,
    pub record: UnitRecord,
    pub card_public_key: Vec<u8>,
    /// The kind of the card key: the only kind of signature a login of the unit may carry.
    pub card_key_algorithm: CardKeyAlgorithm,
    pub password_hash: String,
    pub password_is_initial: bool,
    pub locked_until: Option<i64>,
}

/// The unit's public record: the body of `GET /unit`, and the fields a unit change may touch.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRecord {
    pub unit_no: String,
    pub name: String,
    pub uscc: String,
    pub address: String,
    pub postal_code: String,
    pub legal_representative: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub bank_name: String,
    pub bank_account: String,
}

/// The fields of [`UnitRecord`] a unit-change declaration may set: those `shebao-core` lets a
/// clerk change, each stored in the column of the same name. The unit number is the agency's.
pub fn is_changeable(field: &str) -> bool {
    shebao_core::declaration::UNIT_FIELDS
        .iter()
        .any(|(name, _)| *name == field)
        && field != "unit_no"
}

/// What the operator gives when opening a unit.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub unit_no: String,
    pub name: String,
    pub uscc: String,
    pub card_public_key: Vec<u8>,
    pub card_key_algorithm: CardKeyAlgorithm,
    pub password_hash: String,
}

const COLUMNS: &str = "id, unit_no, name, uscc, address, postal_code, legal_representative, \
     contact_person, contact_phone, bank_name, bank_account, card_public_key, password_hash, \
     password_is_initial, locked_until, card_key_algorithm";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Unit> {
    Ok(Unit {
        id: row.get(0)?,
        record: UnitRecord {
            unit_no: row.get(1)?,
            name: row.get(2)?,
            uscc: row.get(3)?,
            address: row.get(4)?,
            postal_code: row.get(5)?,
            legal_representative: row.get(6)?,
            contact_person: row.get(7)?,
            contact_phone: row.get(8)?,
            bank_name: row.get(9)?,
            bank_account: row.get(10)?,
        },
        card_public_key: row.get(11)?,
        card_key_algorithm: card_key_algorithm(row, 15)?,
        password_hash: row.get(12)?,
        password_is_initial: row.get(13)?,
        locked_until: row.get(14)?,
    })
}

fn card_key_algorithm(row: &Row<'_>, column: usize) -> rusqlite::Result<CardKeyAlgorithm> {
    let name: String = row.get(column)?;
    CardKeyAlgorithm::from_name(&name).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("unknown card key algorithm {name:?}").into(),
        )
    })
}

/// Opens a unit with an initial password. Fails on a unit number already in use.
pub fn insert(conn: &Connection, unit: &NewUnit, now: i64) -> Result<i64, DbError> {
    conn.execute(
        "INSERT INTO units (unit_no, name, uscc, card_public_key, password_hash, \
         password_is_initial, opened_at, card_key_algorithm) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7)",
        params![
            unit.unit_no,
            unit.name,
            unit.uscc,
            unit.card_public_key,
            unit.password_hash,
            now,
            unit.card_key_algorithm.as_str()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn by_number(conn: &Connection, unit_no: &str) -> Result<Option<Unit>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM units WHERE unit_no = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([unit_no], from_row)
        .optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Unit>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM units WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?)
}

pub fn all(conn: &Connection) -> Result<Vec<Unit>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM units ORDER BY unit_no");
    let mut stmt = conn.prepare(&sql)?;
    let units = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
    Ok(units)
}

/// Registers a new card key for the unit (a token issued to replace its UKey).
pub fn set_card_key(conn: &Connection, id: i64, key: &CardKey) -> Result<(), DbError> {
    conn.execute(
        "UPDATE units SET card_public_key = ?1, card_key_algorithm = ?2 WHERE id = ?3",
        params![key.point, key.algorithm.as_str(), id],
    )?;
    Ok(())
}

/// Stores a new password hash; `initial` marks one the operator set, which the unit must change.
pub fn set_password(conn: &Connection, id: i64, hash: &str, initial: bool) -> Result<(), DbError> {
    conn.execute(
        "UPDATE units SET password_hash = ?2, password_is_initial = ?3 WHERE id = ?1",
        params![id, hash, initial],
    )?;
    Ok(())
}

/// Records a failed login and answers how many failures the unit has had since `since`.
pub fn record_failure(conn: &Connection, id: i64, now: i64, since: i64) -> Result<u32, DbError> {
    conn.execute(
        "INSERT INTO login_failures (unit_id, at) VALUES (?1, ?2)",
        params![id, now],
    )?;
    conn.execute(
        "DELETE FROM login_failures WHERE unit_id = ?1 AND at < ?2",
        params![id, since],
    )?;
    let count: u32 = conn.query_row(
        "SELECT count(*) FROM login_failures WHERE unit_id = ?1 AND at >= ?2",
        params![id, since],
        |row| row.get(0),
    )?;
    Ok(count)
}

/// Locks the unit's login until `until` and starts its failure count afresh.
pub fn lock(conn: &Connection, id: i64, until: i64) -> Result<(), DbError> {
    conn.execute(
        "UPDATE units SET locked_until = ?2 WHERE id = ?1",
        params![id, until],
    )?;
    clear_failures(conn, id)
}

pub fn clear_failures(conn: &Connection, id: i64) -> Result<(), DbError> {
    conn.execute("DELETE FROM login_failures WHERE unit_id = ?1", [id])?;
    Ok(())
}

/// Applies an accepted unit change; fields that are not [`is_changeable`] are ignored.
pub fn apply_change(conn: &Connection, id: i64, field: &str, value: &str) -> Result<(), DbError> {
    if is_changeable(field) && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        // The column name is one of core's fixed field names, never free text from a request.
        let sql = format!("UPDATE units SET {field} = ?2 WHERE id = ?1");
        conn.execute(&sql, params![id, value])?;
    }
    Ok(())
}

/// Hands out the unit's next change sequence number (for the changes feed).
pub fn next_change_seq(conn: &Connection, id: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached(
            "UPDATE units SET last_change_seq = last_change_seq + 1 WHERE id = ?1 \
             RETURNING last_change_seq",
        )?
        .query_row([id], |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_support::temp_db;

    fn new_unit(no: &str) -> NewUnit {
        NewUnit {
            unit_no: no.into(),
            name: "测试单位".into(),
            uscc: "91350100M000100Y43".into(),
            card_public_key: vec![4; 65],
            card_key_algorithm: CardKeyAlgorithm::Sm2,
            password_hash: "hash".into(),
        }
    }

    #[test]
    fn a_unit_number_is_opened_once_and_failures_are_counted_in_the_window() {
        let (db, dir) = temp_db("units");
        db.write(|tx| -> Result<(), DbError> {
            let id = insert(tx, &new_unit("1001"), 0)?;
            assert!(insert(tx, &new_unit("1001"), 0).is_err());
            assert_eq!(record_failure(tx, id, 100, 0)?, 1);
            assert_eq!(record_failure(tx, id, 200, 0)?, 2);
            // Failures before the window no longer count.
            assert_eq!(record_failure(tx, id, 1200, 150)?, 2);
            let unit = by_number(tx, "1001")?.expect("unit stored");
            assert!(unit.password_is_initial);
            apply_change(tx, id, "address", "福州市")?;
            apply_change(tx, id, "unit_no", "ignored")?;
            apply_change(tx, id, "password_hash", "ignored")?;
            let unit = by_id(tx, id)?.expect("unit stored");
            assert_eq!(unit.record.address, "福州市");
            assert_eq!(unit.record.unit_no, "1001");
            assert_eq!(unit.password_hash, "hash");
            assert_eq!(next_change_seq(tx, id)?, 1);
            assert_eq!(next_change_seq(tx, id)?, 2);
            Ok(())
        })
        .expect("transaction");
        let _ = std::fs::remove_dir_all(dir);
    }
}
