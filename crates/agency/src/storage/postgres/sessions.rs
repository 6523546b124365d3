//! Login challenges, login call counts and session tokens on PostgreSQL.

use deadpool_postgres::GenericClient;

use super::{execute, row};
use crate::storage::{Challenge, StorageError, StoredSession};

pub async fn insert_challenge(
    client: &impl GenericClient,
    challenge: &Challenge,
    now: i64,
) -> Result<(), StorageError> {
    execute(
        client,
        "DELETE FROM login_challenges WHERE expires_at < $1",
        &[&now],
    )
    .await?;
    execute(
        client,
        "INSERT INTO login_challenges (id, unit_no, nonce, captcha, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &challenge.id,
            &challenge.unit_no,
            &challenge.nonce,
            &challenge.captcha,
            &challenge.expires_at,
        ],
    )
    .await?;
    Ok(())
}

pub async fn take_challenge(
    client: &impl GenericClient,
    id: &str,
) -> Result<Option<Challenge>, StorageError> {
    let Some(row) = row(
        client,
        "UPDATE login_challenges SET used = TRUE WHERE id = $1 AND NOT used \
         RETURNING id, unit_no, nonce, captcha, expires_at",
        &[&id],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(Challenge {
        id: row.try_get(0)?,
        unit_no: row.try_get(1)?,
        nonce: row.try_get(2)?,
        captcha: row.try_get(3)?,
        expires_at: row.try_get(4)?,
    }))
}

pub async fn count_login_call(
    client: &impl GenericClient,
    scope: &str,
    key: &str,
    window_start: i64,
) -> Result<u32, StorageError> {
    execute(
        client,
        "DELETE FROM login_calls WHERE scope = $1 AND window_start < $2",
        &[&scope, &window_start],
    )
    .await?;
    let calls: i64 = row(
        client,
        "INSERT INTO login_calls (scope, key, window_start, calls) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (scope, key) DO UPDATE SET \
         calls = CASE WHEN login_calls.window_start = excluded.window_start \
                      THEN login_calls.calls + 1 ELSE 1 END, \
         window_start = excluded.window_start \
         RETURNING calls",
        &[&scope, &key, &window_start],
    )
    .await?
    .map_or(Ok(1), |row| row.try_get(0))?;
    Ok(u32::try_from(calls).unwrap_or(u32::MAX))
}

pub async fn insert_token(
    client: &impl GenericClient,
    token_hash: &[u8],
    unit_id: i64,
    now: i64,
) -> Result<(), StorageError> {
    execute(
        client,
        "INSERT INTO tokens (token_hash, unit_id, issued_at, last_used_at) VALUES ($1, $2, $3, $3)",
        &[&token_hash, &unit_id, &now],
    )
    .await?;
    Ok(())
}

pub async fn session(
    client: &impl GenericClient,
    token_hash: &[u8],
) -> Result<Option<StoredSession>, StorageError> {
    let Some(row) = row(
        client,
        "SELECT t.unit_id, t.last_used_at, u.password_is_initial FROM tokens t \
         JOIN units u ON u.id = t.unit_id WHERE t.token_hash = $1",
        &[&token_hash],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(StoredSession {
        unit_id: row.try_get(0)?,
        last_used_at: row.try_get(1)?,
        password_is_initial: row.try_get(2)?,
    }))
}

pub async fn touch_token(
    client: &impl GenericClient,
    token_hash: &[u8],
    now: i64,
) -> Result<(), StorageError> {
    execute(
        client,
        "UPDATE tokens SET last_used_at = $2 WHERE token_hash = $1",
        &[&token_hash, &now],
    )
    .await?;
    Ok(())
}

pub async fn delete_token(
    client: &impl GenericClient,
    token_hash: &[u8],
) -> Result<(), StorageError> {
    execute(
        client,
        "DELETE FROM tokens WHERE token_hash = $1",
        &[&token_hash],
    )
    .await?;
    Ok(())
}

/// Ends every session of a unit but `keep`.
pub async fn delete_unit_tokens(
    client: &impl GenericClient,
    unit_id: i64,
    keep: Option<&[u8]>,
) -> Result<(), StorageError> {
    execute(
        client,
        "DELETE FROM tokens WHERE unit_id = $1 AND token_hash IS DISTINCT FROM $2",
        &[&unit_id, &keep],
    )
    .await?;
    Ok(())
}

pub async fn delete_idle_tokens(
    client: &impl GenericClient,
    idle_since: i64,
) -> Result<(), StorageError> {
    execute(
        client,
        "DELETE FROM tokens WHERE last_used_at < $1",
        &[&idle_since],
    )
    .await?;
    Ok(())
}
