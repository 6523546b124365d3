//! Processing on SQLite: each declaration is finished in one write transaction. SQLite has one
//! writer at a time, so two servers on one file take turns and never finish the same
//! declaration twice: the state is read again inside the transaction.

use rusqlite::{Connection, OptionalExtension, params};
use shebao_core::state::DeclarationState;

use super::{declarations, people, units};
use crate::processing::{Judgement, Plan, ProcessError, Processed};
use crate::storage::StorageError;

/// Takes declaration `id` to processing (if it was only submitted) and on to its final state.
pub fn process(
    conn: &Connection,
    id: i64,
    judgement: &Judgement,
) -> Result<Processed, ProcessError> {
    let declaration = declarations::by_id(conn, id)?.ok_or(ProcessError::NoSuchDeclaration(id))?;
    if declaration.state == DeclarationState::Submitted {
        declarations::set_state(
            conn,
            &declaration,
            DeclarationState::Processing,
            judgement.now,
        )?;
    }
    finish(conn, id, judgement)
}

/// Judges every item of declaration `id` and writes the verdicts and their effects.
fn finish(conn: &Connection, id: i64, judgement: &Judgement) -> Result<Processed, ProcessError> {
    let declaration = declarations::by_id(conn, id)?.ok_or(ProcessError::NoSuchDeclaration(id))?;
    let items = declarations::items(conn, id)?;
    let prepared = judgement.prepare(declaration, items)?;
    let facts = people::facts(conn, &prepared.wanted())?;
    let plan = prepared.plan(facts);
    apply(conn, &plan, judgement.now)?;
    Ok(plan.processed)
}

/// Writes a plan: its effects, the items' outcomes and the final state.
fn apply(conn: &Connection, plan: &Plan, now: i64) -> Result<(), StorageError> {
    let unit_id = plan.declaration.unit_id;
    for person in &plan.persons {
        people::remember_person(conn, person, now)?;
    }
    for entry in &plan.enrol {
        people::enrol(conn, unit_id, entry)?;
    }
    for key in &plan.leave {
        people::leave(conn, unit_id, key)?;
    }
    for (key, wage) in &plan.wages {
        people::set_declared_wage(conn, unit_id, key, *wage)?;
    }
    for (key, name) in &plan.renames {
        people::rename(conn, unit_id, key, name)?;
    }
    for (column, value) in &plan.unit_changes {
        units::set_field(conn, unit_id, column, value)?;
    }
    declarations::set_outcomes(conn, plan.declaration.id, &plan.outcomes)?;
    declarations::set_state(conn, &plan.declaration, plan.processed.state, now)
}

/// Moves the declarations submitted at or before `submitted_by` to processing.
pub fn start_due(conn: &Connection, submitted_by: i64, now: i64) -> Result<usize, StorageError> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM declarations WHERE state = 'submitted' AND submitted_at <= ?1 \
             ORDER BY submitted_at, id",
        )?
        .query_map([submitted_by], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for id in &ids {
        if let Some(declaration) = declarations::by_id(conn, *id)? {
            declarations::set_state(conn, &declaration, DeclarationState::Processing, now)?;
        }
    }
    Ok(ids.len())
}

/// Finishes the oldest declaration in processing, if there is one.
pub fn finish_next(
    conn: &Connection,
    judgement: &Judgement,
) -> Result<Option<(i64, Processed)>, ProcessError> {
    let next: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM declarations WHERE state = 'processing' \
             ORDER BY submitted_at, id LIMIT 1",
        )
        .and_then(|mut statement| statement.query_row(params![], |row| row.get(0)).optional())
        .map_err(StorageError::from)?;
    match next {
        Some(id) => Ok(Some((id, finish(conn, id, judgement)?))),
        None => Ok(None),
    }
}
