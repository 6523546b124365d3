//! Units on PostgreSQL: records, credentials, lockout and the change sequence.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{execute, row, rows};
use crate::auth::LockoutPolicy;
use crate::storage::{CardKeyAlgorithm, LoginFailures, NewUnit, StorageError, Unit, UnitRecord};

const COLUMNS: &str = "id, unit_no, name, uscc, address, postal_code, legal_representative, \
     contact_person, contact_phone, bank_name, bank_account, card_public_key, card_key_algorithm, \
     password_hash, password_is_initial, locked_until";

fn from_row(row: &Row) -> Result<Unit, StorageError> {
    Ok(Unit {
        id: row.try_get(0)?,
        record: UnitRecord {
            unit_no: row.try_get(1)?,
            name: row.try_get(2)?,
            uscc: row.try_get(3)?,
            address: row.try_get(4)?,
            postal_code: row.try_get(5)?,
            legal_representative: row.try_get(6)?,
            contact_person: row.try_get(7)?,
            contact_phone: row.try_get(8)?,
            bank_name: row.try_get(9)?,
            bank_account: row.try_get(10)?,
        },
        card_public_key: row.try_get(11)?,
        card_key_algorithm: CardKeyAlgorithm::from_stored(row.try_get(12)?)?,
        password_hash: row.try_get(13)?,
        password_is_initial: row.try_get(14)?,
        locked_until: row.try_get(15)?,
    })
}

pub async fn insert(
    client: &impl GenericClient,
    unit: &NewUnit,
    now: i64,
) -> Result<Option<i64>, StorageError> {
    let inserted = row(
        client,
        "INSERT INTO units (unit_no, name, uscc, card_public_key, card_key_algorithm, \
         password_hash, password_is_initial, opened_at) VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7) \
         ON CONFLICT (unit_no) DO NOTHING RETURNING id",
        &[
            &unit.unit_no,
            &unit.name,
            &unit.uscc,
            &unit.card_public_key,
            &unit.card_key_algorithm.as_str(),
            &unit.password_hash,
            &now,
        ],
    )
    .await?;
    Ok(inserted.map(|row| row.try_get(0)).transpose()?)
}

pub async fn by_number(
    client: &impl GenericClient,
    unit_no: &str,
) -> Result<Option<Unit>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM units WHERE unit_no = $1");
    row(client, &sql, &[&unit_no])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn by_id(client: &impl GenericClient, id: i64) -> Result<Option<Unit>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM units WHERE id = $1");
    row(client, &sql, &[&id])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn all(client: &impl GenericClient) -> Result<Vec<Unit>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM units ORDER BY unit_no");
    rows(client, &sql, &[])
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Registers a new card key (and its kind) for the unit.
pub async fn set_card_key(
    client: &impl GenericClient,
    id: i64,
    card_public_key: &[u8],
    algorithm: CardKeyAlgorithm,
) -> Result<(), StorageError> {
    execute(
        client,
        "UPDATE units SET card_public_key = $2, card_key_algorithm = $3 WHERE id = $1",
        &[&id, &card_public_key, &algorithm.as_str()],
    )
    .await?;
    Ok(())
}

pub async fn set_password(
    client: &impl GenericClient,
    id: i64,
    hash: &str,
    initial: bool,
) -> Result<(), StorageError> {
    execute(
        client,
        "UPDATE units SET password_hash = $2, password_is_initial = $3 WHERE id = $1",
        &[&id, &hash, &initial],
    )
    .await?;
    Ok(())
}

/// Records a failed login and applies the lockout policy. The unit's row is locked first, so
/// concurrent failures of one unit, from any server, are counted one after the other.
pub async fn record_failure(
    client: &impl GenericClient,
    id: i64,
    now: i64,
    policy: &LockoutPolicy,
) -> Result<LoginFailures, StorageError> {
    let since = policy.window_start(now);
    execute(
        client,
        "SELECT 1 FROM units WHERE id = $1 FOR UPDATE",
        &[&id],
    )
    .await?;
    execute(
        client,
        "INSERT INTO login_failures (unit_id, at) VALUES ($1, $2)",
        &[&id, &now],
    )
    .await?;
    execute(
        client,
        "DELETE FROM login_failures WHERE unit_id = $1 AND at < $2",
        &[&id, &since],
    )
    .await?;
    let count: i64 = row(
        client,
        "SELECT count(*) FROM login_failures WHERE unit_id = $1 AND at >= $2",
        &[&id, &since],
    )
    .await?
    .map_or(Ok(0), |row| row.try_get(0))?;
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    let locked_until = policy.lock_until(count, now);
    if let Some(until) = locked_until {
        lock(client, id, until).await?;
    }
    Ok(LoginFailures {
        count,
        locked_until,
    })
}

pub async fn lock(client: &impl GenericClient, id: i64, until: i64) -> Result<(), StorageError> {
    execute(
        client,
        "UPDATE units SET locked_until = $2 WHERE id = $1",
        &[&id, &until],
    )
    .await?;
    clear_failures(client, id).await
}

pub async fn clear_failures(client: &impl GenericClient, id: i64) -> Result<(), StorageError> {
    execute(
        client,
        "DELETE FROM login_failures WHERE unit_id = $1",
        &[&id],
    )
    .await?;
    Ok(())
}

/// Sets one field of the unit's record; `column` is a
/// [`changeable_column`](crate::storage::changeable_column).
pub async fn set_field(
    client: &impl GenericClient,
    id: i64,
    column: &'static str,
    value: &str,
) -> Result<(), StorageError> {
    let sql = format!("UPDATE units SET {column} = $2 WHERE id = $1");
    execute(client, &sql, &[&id, &value]).await?;
    Ok(())
}

/// Hands out the unit's next change sequence number. The update locks the unit's row until the
/// transaction ends: the next number is handed out only once this one is committed (or rolled
/// back), so a reader of the changes feed never sees number n+1 before number n.
pub async fn next_change_seq(client: &impl GenericClient, id: i64) -> Result<i64, StorageError> {
    row(
        client,
        "UPDATE units SET last_change_seq = last_change_seq + 1 WHERE id = $1 \
         RETURNING last_change_seq",
        &[&id],
    )
    .await?
    .ok_or_else(|| StorageError::Corrupt(format!("no unit {id} for a change")))?
    .try_get(0)
    .map_err(StorageError::from)
}
