//! The storage interface on SQLite: each step runs on a blocking thread, writes in one
//! immediate transaction.

use super::{
    SqliteStorage, announcements, declarations, dues, people, processing, sessions, units,
};
use crate::auth::LockoutPolicy;
use crate::processing::{Judgement, ProcessError, Processed};
use crate::storage::{
    Announcement, Backend, CardKeyAlgorithm, Challenge, Change, Counts, Declaration, LoginFailures,
    MonthlyDue, NewAnnouncement, NewUnit, RosterEntry, Seed, StorageError, StoredSession,
    Submission, Submitting, Unit, Viewing,
};

impl Backend for SqliteStorage {
    async fn open_unit(&self, unit: NewUnit, now: i64) -> Result<Option<i64>, StorageError> {
        self.write(move |tx| units::insert(tx, &unit, now)).await
    }

    async fn unit_by_number(&self, unit_no: String) -> Result<Option<Unit>, StorageError> {
        self.read(move |conn| units::by_number(conn, &unit_no))
            .await
    }

    async fn unit_by_id(&self, id: i64) -> Result<Option<Unit>, StorageError> {
        self.read(move |conn| units::by_id(conn, id)).await
    }

    async fn units(&self) -> Result<Vec<Unit>, StorageError> {
        self.read(units::all).await
    }

    async fn change_password(
        &self,
        unit_id: i64,
        hash: String,
        keep: Vec<u8>,
    ) -> Result<(), StorageError> {
        self.write(move |tx| {
            units::set_password(tx, unit_id, &hash, false)?;
            sessions::delete_unit_tokens(tx, unit_id, Some(&keep))
        })
        .await
    }

    async fn reset_password(&self, unit_no: String, hash: String) -> Result<bool, StorageError> {
        self.write(move |tx| {
            let Some(unit) = units::by_number(tx, &unit_no)? else {
                return Ok(false);
            };
            units::set_password(tx, unit.id, &hash, true)?;
            units::lock(tx, unit.id, 0)?;
            sessions::delete_unit_tokens(tx, unit.id, None)?;
            Ok(true)
        })
        .await
    }

    async fn replace_card_key(
        &self,
        unit_id: i64,
        card_public_key: Vec<u8>,
        algorithm: CardKeyAlgorithm,
    ) -> Result<(), StorageError> {
        self.write(move |tx| {
            units::set_card_key(tx, unit_id, &card_public_key, algorithm)?;
            sessions::delete_unit_tokens(tx, unit_id, None)?;
            Ok(())
        })
        .await
    }

    async fn record_login_failure(
        &self,
        unit_id: i64,
        now: i64,
        policy: LockoutPolicy,
    ) -> Result<LoginFailures, StorageError> {
        self.write(move |tx| units::record_failure(tx, unit_id, now, &policy))
            .await
    }

    async fn count_login_call(
        &self,
        scope: &'static str,
        key: String,
        window_start: i64,
    ) -> Result<u32, StorageError> {
        self.write(move |tx| sessions::count_login_call(tx, scope, &key, window_start))
            .await
    }

    async fn insert_challenge(&self, challenge: Challenge, now: i64) -> Result<(), StorageError> {
        self.write(move |tx| sessions::insert_challenge(tx, &challenge, now))
            .await
    }

    async fn take_challenge(&self, id: String) -> Result<Option<Challenge>, StorageError> {
        self.write(move |tx| sessions::take_challenge(tx, &id))
            .await
    }

    async fn start_session(
        &self,
        unit_id: i64,
        token_digest: Vec<u8>,
        now: i64,
        idle_since: i64,
    ) -> Result<(), StorageError> {
        self.write(move |tx| {
            units::clear_failures(tx, unit_id)?;
            sessions::delete_idle_tokens(tx, idle_since)?;
            sessions::insert_token(tx, &token_digest, unit_id, now)
        })
        .await
    }

    async fn session(&self, token_digest: Vec<u8>) -> Result<Option<StoredSession>, StorageError> {
        self.read(move |conn| sessions::session(conn, &token_digest))
            .await
    }

    async fn touch_session(&self, token_digest: Vec<u8>, now: i64) -> Result<(), StorageError> {
        self.write(move |tx| sessions::touch_token(tx, &token_digest, now))
            .await
    }

    async fn end_session(&self, token_digest: Vec<u8>) -> Result<(), StorageError> {
        self.write(move |tx| sessions::delete_token(tx, &token_digest))
            .await
    }

    async fn submit(&self, declaration: Submitting) -> Result<Submission, StorageError> {
        self.write(move |tx| declarations::submit(tx, &declaration))
            .await
    }

    async fn declaration_by_key(
        &self,
        unit_id: i64,
        key: String,
    ) -> Result<Option<Declaration>, StorageError> {
        self.read(move |conn| declarations::by_key(conn, unit_id, &key))
            .await
    }

    async fn changes(
        &self,
        unit_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Change>, StorageError> {
        self.read(move |conn| declarations::changes(conn, unit_id, after, limit))
            .await
    }

    async fn mark_viewed(
        &self,
        unit_id: i64,
        declaration_id: i64,
        now: i64,
    ) -> Result<Viewing, StorageError> {
        self.write(move |tx| declarations::mark_viewed(tx, unit_id, declaration_id, now))
            .await
    }

    async fn waiting(&self) -> Result<Vec<(Declaration, String)>, StorageError> {
        self.read(declarations::waiting).await
    }

    async fn process(&self, id: i64, judgement: Judgement) -> Result<Processed, ProcessError> {
        self.write(move |tx| processing::process(tx, id, &judgement))
            .await
    }

    async fn start_due(&self, submitted_by: i64, now: i64) -> Result<usize, StorageError> {
        self.write(move |tx| processing::start_due(tx, submitted_by, now))
            .await
    }

    async fn finish_next(
        &self,
        judgement: Judgement,
    ) -> Result<Option<(i64, Processed)>, ProcessError> {
        self.write(move |tx| processing::finish_next(tx, &judgement))
            .await
    }

    async fn look_up_person(
        &self,
        unit_id: i64,
        document_no: String,
        now: i64,
    ) -> Result<Option<(String, String)>, StorageError> {
        self.write(move |tx| {
            let found = people::person(tx, &document_no)?;
            people::audit_lookup(tx, unit_id, &document_no, found.is_some(), now)?;
            Ok(found)
        })
        .await
    }

    async fn roster_page(
        &self,
        unit_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, RosterEntry)>, StorageError> {
        self.read(move |conn| people::roster_page(conn, unit_id, after, limit))
            .await
    }

    async fn settled_dues(
        &self,
        unit_id: i64,
        from: String,
        to: String,
    ) -> Result<Vec<MonthlyDue>, StorageError> {
        self.read(move |conn| dues::settled(conn, unit_id, &from, &to))
            .await
    }

    async fn publish(&self, announcement: NewAnnouncement) -> Result<i64, StorageError> {
        self.write(move |tx| announcements::publish(tx, &announcement))
            .await
    }

    async fn announcements(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Announcement>, StorageError> {
        self.read(move |conn| announcements::list(conn, after, limit))
            .await
    }

    async fn attachment(
        &self,
        announcement_id: i64,
        name: String,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        self.read(move |conn| announcements::attachment(conn, announcement_id, &name))
            .await
    }

    async fn seed(&self, seed: Seed) -> Result<Option<i64>, StorageError> {
        self.write(move |tx| {
            let Some(unit_id) = units::insert(tx, &seed.unit, seed.now)? else {
                return Ok(None);
            };
            for (column, value) in &seed.record {
                units::set_field(tx, unit_id, column, value)?;
            }
            for (entry, person) in &seed.roster {
                people::remember_person(tx, person, seed.now)?;
                people::enrol(tx, unit_id, entry)?;
            }
            for due in &seed.dues {
                dues::settle(tx, unit_id, due)?;
            }
            for announcement in &seed.announcements {
                announcements::publish(tx, announcement)?;
            }
            Ok(Some(unit_id))
        })
        .await
    }

    async fn counts(&self) -> Result<Counts, StorageError> {
        self.read(|conn| {
            let mut counts = [0; 9];
            for (slot, table) in counts.iter_mut().zip(Counts::TABLES) {
                *slot = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get(0)
                })?;
            }
            Ok(Counts::from_tables(counts))
        })
        .await
    }
}
