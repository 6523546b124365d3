//! Login challenges, login call counts and session tokens.

use rusqlite::{Connection, OptionalExtension, params};

use crate::storage::{Challenge, StorageError, StoredSession};

pub fn insert_challenge(
    conn: &Connection,
    challenge: &Challenge,
    now: i64,
) -> Result<(), StorageError> {
    // Expired challenges are of no use to anyone; sweeping them here keeps the table small.
    conn.prepare_cached("DELETE FROM login_challenges WHERE expires_at < ?1")?
        .execute([now])?;
    conn.prepare_cached(
        "INSERT INTO login_challenges (id, unit_no, nonce, captcha, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        challenge.id,
        challenge.unit_no,
        challenge.nonce,
        challenge.captcha,
        challenge.expires_at
    ])?;
    Ok(())
}

/// Takes a challenge for use: answers it only if it exists and was not used before, and marks it
/// used in the same statement.
pub fn take_challenge(conn: &Connection, id: &str) -> Result<Option<Challenge>, StorageError> {
    Ok(conn
        .prepare_cached(
            "UPDATE login_challenges SET used = 1 WHERE id = ?1 AND used = 0 \
             RETURNING id, unit_no, nonce, captcha, expires_at",
        )?
        .query_row([id], |row| {
            Ok(Challenge {
                id: row.get(0)?,
                unit_no: row.get(1)?,
                nonce: row.get(2)?,
                captcha: row.get(3)?,
                expires_at: row.get(4)?,
            })
        })
        .optional()?)
}

/// Counts a login call in its window and answers the window's count.
pub fn count_login_call(
    conn: &Connection,
    scope: &str,
    key: &str,
    window_start: i64,
) -> Result<u32, StorageError> {
    conn.prepare_cached("DELETE FROM login_calls WHERE scope = ?1 AND window_start < ?2")?
        .execute(params![scope, window_start])?;
    Ok(conn
        .prepare_cached(
            "INSERT INTO login_calls (scope, key, window_start, calls) VALUES (?1, ?2, ?3, 1) \
             ON CONFLICT (scope, key) DO UPDATE SET \
             calls = CASE WHEN window_start = excluded.window_start THEN calls + 1 ELSE 1 END, \
             window_start = excluded.window_start \
             RETURNING calls",
        )?
        .query_row(params![scope, key, window_start], |row| row.get(0))?)
}

pub fn insert_token(
    conn: &Connection,
    token_hash: &[u8],
    unit_id: i64,
    now: i64,
) -> Result<(), StorageError> {
    conn.prepare_cached(
        "INSERT INTO tokens (token_hash, unit_id, issued_at, last_used_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![token_hash, unit_id, now])?;
    Ok(())
}

/// The session behind a token, if the token exists.
pub fn session(
    conn: &Connection,
    token_hash: &[u8],
) -> Result<Option<StoredSession>, StorageError> {
    Ok(conn
        .prepare_cached(
            "SELECT t.unit_id, t.last_used_at, u.password_is_initial FROM tokens t \
             JOIN units u ON u.id = t.unit_id WHERE t.token_hash = ?1",
        )?
        .query_row([token_hash], |row| {
            Ok(StoredSession {
                unit_id: row.get(0)?,
                last_used_at: row.get(1)?,
                password_is_initial: row.get(2)?,
            })
        })
        .optional()?)
}

pub fn touch_token(conn: &Connection, token_hash: &[u8], now: i64) -> Result<(), StorageError> {
    conn.prepare_cached("UPDATE tokens SET last_used_at = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash, now])?;
    Ok(())
}

pub fn delete_token(conn: &Connection, token_hash: &[u8]) -> Result<(), StorageError> {
    conn.prepare_cached("DELETE FROM tokens WHERE token_hash = ?1")?
        .execute([token_hash])?;
    Ok(())
}

/// Ends every session of a unit but `keep`.
pub fn delete_unit_tokens(
    conn: &Connection,
    unit_id: i64,
    keep: Option<&[u8]>,
) -> Result<(), StorageError> {
    conn.execute(
        "DELETE FROM tokens WHERE unit_id = ?1 AND token_hash IS NOT ?2",
        params![unit_id, keep],
    )?;
    Ok(())
}

/// Forgets tokens idle since before `idle_since`.
pub fn delete_idle_tokens(conn: &Connection, idle_since: i64) -> Result<usize, StorageError> {
    Ok(conn
        .prepare_cached("DELETE FROM tokens WHERE last_used_at < ?1")?
        .execute([idle_since])?)
}
