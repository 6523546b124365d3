//! The storage interface on PostgreSQL: reads on a pooled connection, writes in one
//! transaction each.

use deadpool_postgres::GenericClient;

use super::processing::retrying;
use super::{PgStorage, declarations, people, records, sessions, units};
use crate::auth::LockoutPolicy;
use crate::processing::{Judgement, ProcessError, Processed};
use crate::storage::{
    Announcement, Backend, CardKeyAlgorithm, Challenge, Change, Counts, Declaration, LoginFailures,
    MonthlyDue, NewAnnouncement, NewUnit, RosterEntry, Seed, StorageError, StoredSession,
    Submission, Submitting, Unit, Viewing,
};

/// Runs the statements between `$tx = …` and the end of the block in one transaction on a
/// pooled connection: committed when the block succeeds, rolled back when it fails.
macro_rules! in_transaction {
    ($storage:expr, |$tx:ident| $body:block) => {{
        let mut client = $storage.client().await?;
        let $tx = client.transaction().await?;
        let value = $body;
        $tx.commit().await?;
        Ok::<_, StorageError>(value)
    }};
}

impl Backend for PgStorage {
    async fn open_unit(&self, unit: NewUnit, now: i64) -> Result<Option<i64>, StorageError> {
        units::insert(&self.client().await?, &unit, now).await
    }

    async fn unit_by_number(&self, unit_no: String) -> Result<Option<Unit>, StorageError> {
        units::by_number(&self.client().await?, &unit_no).await
    }

    async fn unit_by_id(&self, id: i64) -> Result<Option<Unit>, StorageError> {
        units::by_id(&self.client().await?, id).await
    }

    async fn units(&self) -> Result<Vec<Unit>, StorageError> {
        units::all(&self.client().await?).await
    }

    async fn change_password(
        &self,
        unit_id: i64,
        hash: String,
        keep: Vec<u8>,
    ) -> Result<(), StorageError> {
        in_transaction!(self, |tx| {
            units::set_password(&tx, unit_id, &hash, false).await?;
            sessions::delete_unit_tokens(&tx, unit_id, Some(&keep)).await?;
        })
    }

    async fn reset_password(&self, unit_no: String, hash: String) -> Result<bool, StorageError> {
        in_transaction!(self, |tx| {
            match units::by_number(&tx, &unit_no).await? {
                Some(unit) => {
                    units::set_password(&tx, unit.id, &hash, true).await?;
                    units::lock(&tx, unit.id, 0).await?;
                    sessions::delete_unit_tokens(&tx, unit.id, None).await?;
                    true
                }
                None => false,
            }
        })
    }

    async fn replace_card_key(
        &self,
        unit_id: i64,
        card_public_key: Vec<u8>,
        algorithm: CardKeyAlgorithm,
    ) -> Result<(), StorageError> {
        in_transaction!(self, |tx| {
            units::set_card_key(&tx, unit_id, &card_public_key, algorithm).await?;
            sessions::delete_unit_tokens(&tx, unit_id, None).await?;
        })
    }

    async fn record_login_failure(
        &self,
        unit_id: i64,
        now: i64,
        policy: LockoutPolicy,
    ) -> Result<LoginFailures, StorageError> {
        in_transaction!(self, |tx| {
            units::record_failure(&tx, unit_id, now, &policy).await?
        })
    }

    async fn count_login_call(
        &self,
        scope: &'static str,
        key: String,
        window_start: i64,
    ) -> Result<u32, StorageError> {
        in_transaction!(self, |tx| {
            sessions::count_login_call(&tx, scope, &key, window_start).await?
        })
    }

    async fn insert_challenge(&self, challenge: Challenge, now: i64) -> Result<(), StorageError> {
        in_transaction!(self, |tx| {
            sessions::insert_challenge(&tx, &challenge, now).await?;
        })
    }

    async fn take_challenge(&self, id: String) -> Result<Option<Challenge>, StorageError> {
        sessions::take_challenge(&self.client().await?, &id).await
    }

    async fn start_session(
        &self,
        unit_id: i64,
        token_digest: Vec<u8>,
        now: i64,
        idle_since: i64,
    ) -> Result<(), StorageError> {
        in_transaction!(self, |tx| {
            units::clear_failures(&tx, unit_id).await?;
            sessions::delete_idle_tokens(&tx, idle_since).await?;
            sessions::insert_token(&tx, &token_digest, unit_id, now).await?;
        })
    }

    async fn session(&self, token_digest: Vec<u8>) -> Result<Option<StoredSession>, StorageError> {
        sessions::session(&self.client().await?, &token_digest).await
    }

    async fn touch_session(&self, token_digest: Vec<u8>, now: i64) -> Result<(), StorageError> {
        sessions::touch_token(&self.client().await?, &token_digest, now).await
    }

    async fn end_session(&self, token_digest: Vec<u8>) -> Result<(), StorageError> {
        sessions::delete_token(&self.client().await?, &token_digest).await
    }

    async fn submit(&self, declaration: Submitting) -> Result<Submission, StorageError> {
        retrying(|| async {
            in_transaction!(self, |tx| {
                declarations::submit(&tx, &declaration).await?
            })
        })
        .await
    }

    async fn declaration_by_key(
        &self,
        unit_id: i64,
        key: String,
    ) -> Result<Option<Declaration>, StorageError> {
        declarations::by_key(&self.client().await?, unit_id, &key).await
    }

    async fn changes(
        &self,
        unit_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Change>, StorageError> {
        declarations::changes(&self.client().await?, unit_id, after, limit).await
    }

    async fn mark_viewed(
        &self,
        unit_id: i64,
        declaration_id: i64,
        now: i64,
    ) -> Result<Viewing, StorageError> {
        retrying(|| async {
            in_transaction!(self, |tx| {
                declarations::mark_viewed(&tx, unit_id, declaration_id, now).await?
            })
        })
        .await
    }

    async fn waiting(&self) -> Result<Vec<(Declaration, String)>, StorageError> {
        declarations::waiting(&self.client().await?).await
    }

    async fn process(&self, id: i64, judgement: Judgement) -> Result<Processed, ProcessError> {
        retrying(|| self.process_once(id, &judgement)).await
    }

    async fn start_due(&self, submitted_by: i64, now: i64) -> Result<usize, StorageError> {
        retrying(|| self.start_due_once(submitted_by, now)).await
    }

    async fn finish_next(
        &self,
        judgement: Judgement,
    ) -> Result<Option<(i64, Processed)>, ProcessError> {
        retrying(|| self.finish_next_once(&judgement)).await
    }

    async fn look_up_person(
        &self,
        unit_id: i64,
        document_no: String,
        now: i64,
    ) -> Result<Option<(String, String)>, StorageError> {
        in_transaction!(self, |tx| {
            let found = people::person(&tx, &document_no).await?;
            people::audit_lookup(&tx, unit_id, &document_no, found.is_some(), now).await?;
            found
        })
    }

    async fn roster_page(
        &self,
        unit_id: i64,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, RosterEntry)>, StorageError> {
        people::roster_page(&self.client().await?, unit_id, after, limit).await
    }

    async fn settled_dues(
        &self,
        unit_id: i64,
        from: String,
        to: String,
    ) -> Result<Vec<MonthlyDue>, StorageError> {
        records::settled(&self.client().await?, unit_id, &from, &to).await
    }

    async fn publish(&self, announcement: NewAnnouncement) -> Result<i64, StorageError> {
        in_transaction!(self, |tx| { records::publish(&tx, &announcement).await? })
    }

    async fn announcements(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Announcement>, StorageError> {
        records::list(&self.client().await?, after, limit).await
    }

    async fn attachment(
        &self,
        announcement_id: i64,
        name: String,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        records::attachment(&self.client().await?, announcement_id, &name).await
    }

    async fn seed(&self, seed: Seed) -> Result<Option<i64>, StorageError> {
        in_transaction!(self, |tx| {
            match units::insert(&tx, &seed.unit, seed.now).await? {
                None => None,
                Some(unit_id) => {
                    for (column, value) in &seed.record {
                        units::set_field(&tx, unit_id, column, value).await?;
                    }
                    let (entries, persons): (Vec<_>, Vec<_>) = seed.roster.iter().cloned().unzip();
                    people::remember(&tx, &persons, seed.now).await?;
                    people::enrol(&tx, unit_id, &entries, false).await?;
                    for due in &seed.dues {
                        records::settle(&tx, unit_id, due).await?;
                    }
                    for announcement in &seed.announcements {
                        records::publish(&tx, announcement).await?;
                    }
                    Some(unit_id)
                }
            }
        })
    }

    async fn counts(&self) -> Result<Counts, StorageError> {
        table_counts(&self.client().await?).await
    }
}

/// How many rows each table holds, as `client` sees them.
pub(crate) async fn table_counts(client: &impl GenericClient) -> Result<Counts, StorageError> {
    let mut counts = [0; 9];
    for (slot, table) in counts.iter_mut().zip(Counts::TABLES) {
        let sql = format!("SELECT count(*) FROM {table}");
        *slot = client.query_one(sql.as_str(), &[]).await?.try_get(0)?;
    }
    Ok(Counts::from_tables(counts))
}
