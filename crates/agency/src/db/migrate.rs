//! Changes to the schema after its first release. `schema.sql` creates the first version;
//! each migration here runs once, in order, and `PRAGMA user_version` counts those applied, so
//! a database of any earlier release opens by being brought up to date.

use rusqlite::Connection;

use super::DbError;

/// The migrations, oldest first; never edit or reorder one that was released.
const MIGRATIONS: &[&str] = &[
    // 1: a unit's card key is SM2 (a UKey of the card profile) or P-256 (a PKCS#11 token).
    "ALTER TABLE units ADD COLUMN card_key_algorithm TEXT NOT NULL DEFAULT 'sm2' \
     CHECK (card_key_algorithm IN ('sm2', 'ecdsa-p256'));",
];

/// Applies the migrations the database has not seen, in one transaction: the server and an
/// operator command opening the database at once apply each exactly once.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let applied: usize = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if applied > MIGRATIONS.len() {
        return Err(DbError::Corrupt(format!(
            "the database is of a newer release (schema version {applied}); use that release"
        )));
    }
    for migration in &MIGRATIONS[applied..] {
        tx.execute_batch(migration)?;
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len())?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_of_the_first_release_gains_the_card_key_algorithm_column() {
        let mut conn = Connection::open_in_memory().expect("database");
        conn.execute_batch(include_str!("schema.sql"))
            .expect("first schema");
        conn.execute(
            "INSERT INTO units (unit_no, name, uscc, card_public_key, password_hash, \
             password_is_initial, opened_at) VALUES ('1', 'u', 'c', x'04', 'h', 1, 0)",
            [],
        )
        .expect("an old unit");
        migrate(&mut conn).expect("migrated");
        migrate(&mut conn).expect("a second run changes nothing");
        let kind: String = conn
            .query_row("SELECT card_key_algorithm FROM units", [], |row| row.get(0))
            .expect("the new column");
        assert_eq!(kind, "sm2", "existing units keep their SM2 cards");
        let refused = conn.execute("UPDATE units SET card_key_algorithm = 'rsa'", []);
        assert!(refused.is_err(), "only the two kinds are stored");
    }
}
