//! Processing on PostgreSQL, where several servers finish declarations at the same time.
//!
//! A server picks a declaration with `FOR UPDATE SKIP LOCKED`: the row stays locked until its
//! transaction ends, others pass over it, and once it commits the declaration is no longer in
//! processing, so each is finished once. The facts the rules need are read without locks, at
//! READ COMMITTED; every effect then checks that the facts still hold (an enrolment judged on
//! someone being insured nowhere must create the roster row; a leave, wage or rename must find
//! the row still on this unit), and if another server got there first the whole transaction is
//! rolled back and run again on the new facts.

use std::future::Future;

use deadpool_postgres::GenericClient;
use shebao_core::state::DeclarationState;

use super::{PgStorage, declarations, people, rows, units};
use crate::processing::{Judgement, Plan, ProcessError, Processed};
use crate::storage::{Declaration, StorageError};

/// How often a transaction that met another server's changes is run again before giving up.
const ATTEMPTS: u32 = 8;

/// Runs `attempt` again while it fails on a conflict with another server.
pub(super) async fn retrying<T, E, F, Fut>(mut attempt: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: ConflictAware,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(error) if error.is_conflict() && tries < ATTEMPTS => {
                tries += 1;
                tracing::debug!(tries, "a transaction met another server's changes; again");
            }
            other => return other,
        }
    }
}

/// An error that may be a conflict with another server.
pub(super) trait ConflictAware {
    fn is_conflict(&self) -> bool;
}

impl ConflictAware for StorageError {
    fn is_conflict(&self) -> bool {
        StorageError::is_conflict(self)
    }
}

impl ConflictAware for ProcessError {
    fn is_conflict(&self) -> bool {
        matches!(self, ProcessError::Storage(error) if error.is_conflict())
    }
}

impl PgStorage {
    /// The operator's `process`: the declaration is locked (waiting for a server that may be
    /// finishing it), started if only submitted, and finished.
    pub(super) async fn process_once(
        &self,
        id: i64,
        judgement: &Judgement,
    ) -> Result<Processed, ProcessError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StorageError::from)?;
        let mut declaration = declarations::lock(&tx, id)
            .await?
            .ok_or(ProcessError::NoSuchDeclaration(id))?;
        if declaration.state == DeclarationState::Submitted {
            declarations::set_state(
                &tx,
                &declaration,
                DeclarationState::Processing,
                judgement.now,
            )
            .await?;
            declaration.state = DeclarationState::Processing;
        }
        let processed = finish(&tx, declaration, judgement).await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(processed)
    }

    pub(super) async fn finish_next_once(
        &self,
        judgement: &Judgement,
    ) -> Result<Option<(i64, Processed)>, ProcessError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(StorageError::from)?;
        let sql = format!(
            "SELECT {} FROM declarations WHERE state = 'processing' \
             ORDER BY submitted_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
            declarations::COLUMNS
        );
        let picked = rows(&tx, &sql, &[]).await?;
        let Some(row) = picked.first() else {
            return Ok(None);
        };
        let declaration = declarations::from_row(row)?;
        let id = declaration.id;
        let processed = finish(&tx, declaration, judgement).await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(Some((id, processed)))
    }

    pub(super) async fn start_due_once(
        &self,
        submitted_by: i64,
        now: i64,
    ) -> Result<usize, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // By unit, so that two servers starting at once take the units' rows in one order.
        let sql = format!(
            "SELECT {} FROM declarations WHERE state = 'submitted' AND submitted_at <= $1 \
             ORDER BY unit_id, id FOR UPDATE SKIP LOCKED",
            declarations::COLUMNS
        );
        let due = rows(&tx, &sql, &[&submitted_by]).await?;
        for row in &due {
            let declaration = declarations::from_row(row)?;
            declarations::set_state(&tx, &declaration, DeclarationState::Processing, now).await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }
}

/// Judges the items of a locked declaration and writes the plan.
async fn finish(
    client: &impl GenericClient,
    declaration: Declaration,
    judgement: &Judgement,
) -> Result<Processed, ProcessError> {
    let items = declarations::items(client, declaration.id).await?;
    let prepared = judgement.prepare(declaration, items)?;
    let facts = people::facts(client, &prepared.wanted()).await?;
    let plan = prepared.plan(facts);
    apply(client, &plan, judgement.now).await?;
    Ok(plan.processed)
}

/// Writes a plan, checking that the facts it was judged on still hold.
async fn apply(client: &impl GenericClient, plan: &Plan, now: i64) -> Result<(), StorageError> {
    let unit_id = plan.declaration.unit_id;
    people::remember(client, &plan.persons, now).await?;
    let enrolled = people::enrol(client, unit_id, &plan.enrol, plan.enrol_only_new).await?;
    if plan.enrol_only_new {
        // A row that exists now was made by another server since the facts were read.
        expect_rows(enrolled, plan.enrol.len())?;
    }
    expect_rows(
        people::leave(client, unit_id, &plan.leave).await?,
        plan.leave.len(),
    )?;
    expect_rows(
        people::set_declared_wages(client, unit_id, &plan.wages).await?,
        plan.wages.len(),
    )?;
    expect_rows(
        people::rename(client, unit_id, &plan.renames).await?,
        plan.renames.len(),
    )?;
    for (column, value) in &plan.unit_changes {
        units::set_field(client, unit_id, column, value).await?;
    }
    declarations::set_outcomes(client, plan.declaration.id, &plan.outcomes).await?;
    declarations::set_state(client, &plan.declaration, plan.processed.state, now).await
}

fn expect_rows(touched: u64, expected: usize) -> Result<(), StorageError> {
    if touched == expected as u64 {
        Ok(())
    } else {
        Err(StorageError::Conflict)
    }
}
