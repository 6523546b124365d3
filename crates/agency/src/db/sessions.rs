//! Login challenges and session tokens.

use rusqlite::{Connection, OptionalExtension, params};

use super::DbError;

/// A challenge handed out by `POST /login/challenge`.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub id: String,
    pub unit_no: String,
    pub nonce: Vec<u8>,
    pub captcha: String,
    pub expires_at: i64,
}

pub fn insert_challenge(conn: &Connection, challenge: &Challenge, now: i64) -> Result<(), DbError> {
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
/// used in the same statement so that two concurrent logins cannot both use it.
pub fn take_challenge(conn: &Connection, id: &str) -> Result<Option<Challenge>, DbError> {
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

pub fn insert_token(
    conn: &Connection,
    token_hash: &[u8],
    unit_id: i64,
    now: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO tokens (token_hash, unit_id, issued_at, last_used_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![token_hash, unit_id, now])?;
    Ok(())
}

/// The unit and last use of a token, if the token exists.
pub fn token(conn: &Connection, token_hash: &[u8]) -> Result<Option<(i64, i64)>, DbError> {
    Ok(conn
        .prepare_cached("SELECT unit_id, last_used_at FROM tokens WHERE token_hash = ?1")?
        .query_row([token_hash], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

pub fn touch_token(conn: &Connection, token_hash: &[u8], now: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE tokens SET last_used_at = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash, now])?;
    Ok(())
}

pub fn delete_token(conn: &Connection, token_hash: &[u8]) -> Result<(), DbError> {
    conn.prepare_cached("DELETE FROM tokens WHERE token_hash = ?1")?
        .execute([token_hash])?;
    Ok(())
}

/// Ends every session of a unit but `keep` (after a password change or reset).
pub fn delete_unit_tokens(
    conn: &Connection,
    unit_id: i64,
    keep: Option<&[u8]>,
) -> Result<(), DbError> {
    conn.execute(
        "DELETE FROM tokens WHERE unit_id = ?1 AND token_hash IS NOT ?2",
        params![unit_id, keep],
    )?;
    Ok(())
}

/// Forgets tokens idle since before `idle_since`.
pub fn delete_idle_tokens(conn: &Connection, idle_since: i64) -> Result<usize, DbError> {
    Ok(conn.execute("DELETE FROM tokens WHERE last_used_at < ?1", [idle_since])?)
}
