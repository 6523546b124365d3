//! Units (参保单位): their record, credentials and lockout state.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::auth::LockoutPolicy;
use crate::storage::{CardKeyAlgorithm, LoginFailures, NewUnit, StorageError, Unit, UnitRecord};

const COLUMNS: &str = "id, unit_no, name, uscc, address, postal_code, legal_representative, \
     contact_person, contact_phone, bank_name, bank_account, card_public_key, card_key_algorithm, \
     password_hash, password_is_initial, locked_until";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Unit, String)> {
    Ok((
        Unit {
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
            card_key_algorithm: CardKeyAlgorithm::Sm2,
            password_hash: row.get(13)?,
            password_is_initial: row.get(14)?,
            locked_until: row.get(15)?,
        },
        row.get(12)?,
    ))
}

fn checked((mut unit, algorithm): (Unit, String)) -> Result<Unit, StorageError> {
    unit.card_key_algorithm = CardKeyAlgorithm::from_stored(&algorithm)?;
    Ok(unit)
}

/// Opens a unit with an initial password; `None` if the unit number is in use.
pub fn insert(conn: &Connection, unit: &NewUnit, now: i64) -> Result<Option<i64>, StorageError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO units (unit_no, name, uscc, card_public_key, card_key_algorithm, \
             password_hash, password_is_initial, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7) \
             ON CONFLICT (unit_no) DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                unit.unit_no,
                unit.name,
                unit.uscc,
                unit.card_public_key,
                unit.card_key_algorithm.as_str(),
                unit.password_hash,
                now
            ],
            |row| row.get(0),
        )
        .optional()?)
}

pub fn by_number(conn: &Connection, unit_no: &str) -> Result<Option<Unit>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM units WHERE unit_no = ?1");
    conn.prepare_cached(&sql)?
        .query_row([unit_no], from_row)
        .optional()?
        .map(checked)
        .transpose()
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Unit>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM units WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .map(checked)
        .transpose()
}

pub fn all(conn: &Connection) -> Result<Vec<Unit>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM units ORDER BY unit_no");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    rows.map(|row| checked(row?)).collect()
}

/// Registers a new card key (and its kind) for the unit.
pub fn set_card_key(
    conn: &Connection,
    id: i64,
    card_public_key: &[u8],
    algorithm: CardKeyAlgorithm,
) -> Result<(), StorageError> {
    conn.execute(
        "UPDATE units SET card_public_key = ?2, card_key_algorithm = ?3 WHERE id = ?1",
        params![id, card_public_key, algorithm.as_str()],
    )?;
    Ok(())
}

/// Stores a new password hash; `initial` marks one the operator set, which the unit must change.
pub fn set_password(
    conn: &Connection,
    id: i64,
    hash: &str,
    initial: bool,
) -> Result<(), StorageError> {
    conn.execute(
        "UPDATE units SET password_hash = ?2, password_is_initial = ?3 WHERE id = ?1",
        params![id, hash, initial],
    )?;
    Ok(())
}

/// Records a failed login and applies the lockout policy; the write transaction this runs in
/// is the database's only writer, so failures are counted one after the other.
pub fn record_failure(
    conn: &Connection,
    id: i64,
    now: i64,
    policy: &LockoutPolicy,
) -> Result<LoginFailures, StorageError> {
    let since = policy.window_start(now);
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
    let locked_until = policy.lock_until(count, now);
    if let Some(until) = locked_until {
        lock(conn, id, until)?;
    }
    Ok(LoginFailures {
        count,
        locked_until,
    })
}

/// Locks the unit's login until `until` and starts its failure count afresh.
pub fn lock(conn: &Connection, id: i64, until: i64) -> Result<(), StorageError> {
    conn.execute(
        "UPDATE units SET locked_until = ?2 WHERE id = ?1",
        params![id, until],
    )?;
    clear_failures(conn, id)
}

pub fn clear_failures(conn: &Connection, id: i64) -> Result<(), StorageError> {
    conn.prepare_cached("DELETE FROM login_failures WHERE unit_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Sets one field of the unit's record; `column` is a
/// [`changeable_column`](crate::storage::changeable_column).
pub fn set_field(
    conn: &Connection,
    id: i64,
    column: &'static str,
    value: &str,
) -> Result<(), StorageError> {
    let sql = format!("UPDATE units SET {column} = ?2 WHERE id = ?1");
    conn.execute(&sql, params![id, value])?;
    Ok(())
}

/// Hands out the unit's next change sequence number (for the changes feed).
pub fn next_change_seq(conn: &Connection, id: i64) -> Result<i64, StorageError> {
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
    use crate::auth::LOCKOUT;
    use crate::storage::changeable_column;
    use crate::storage::sqlite::test_support::temp_db;

    fn new_unit(no: &str) -> NewUnit {
        NewUnit {
            unit_no: no.into(),
            name: "测试单位".into(),
            uscc: "91350100M000100Y43".into(),
            card_public_key: vec![4; 65],
            card_key_algorithm: CardKeyAlgorithm::EcdsaP256,
            password_hash: "hash".into(),
        }
    }

    #[test]
    fn a_unit_number_is_opened_once_and_failures_are_counted_in_the_window() {
        let (db, dir) = temp_db("units");
        db.write(|tx| -> Result<(), StorageError> {
            let id = insert(tx, &new_unit("1001"), 0)?.expect("opened");
            assert_eq!(insert(tx, &new_unit("1001"), 0)?, None);
            assert_eq!(record_failure(tx, id, 100, &LOCKOUT)?.count, 1);
            assert_eq!(record_failure(tx, id, 200, &LOCKOUT)?.count, 2);
            // Failures before the window no longer count.
            assert_eq!(record_failure(tx, id, 1050, &LOCKOUT)?.count, 2);
            let unit = by_number(tx, "1001")?.expect("unit stored");
            assert!(unit.password_is_initial);
            assert_eq!(unit.card_key_algorithm, CardKeyAlgorithm::EcdsaP256);
            set_field(
                tx,
                id,
                changeable_column("address").expect("column"),
                "福州市",
            )?;
            assert_eq!(changeable_column("unit_no"), None);
            assert_eq!(changeable_column("password_hash"), None);
            let unit = by_id(tx, id)?.expect("unit stored");
            assert_eq!(unit.record.address, "福州市");
            assert_eq!(unit.password_hash, "hash");
            assert_eq!(next_change_seq(tx, id)?, 1);
            assert_eq!(next_change_seq(tx, id)?, 2);
            Ok(())
        })
        .expect("transaction");
        let _ = std::fs::remove_dir_all(dir);
    }
}
