//! Declarations, their items and the changes feed on PostgreSQL.

use deadpool_postgres::GenericClient;
use shebao_core::state::DeclarationState;
use tokio_postgres::Row;

use super::{execute, row, rows, units};
use crate::storage::{
    Change, Declaration, DeclarationRow, ItemOutcome, JudgedItem, StorageError, Submission,
    Submitting, Viewing, fit_page,
};

pub(super) const COLUMNS: &str = "id, unit_id, idempotency_key, kind, period, state, viewed, \
     item_count, submitted_at, updated_at, change_seq";

pub(super) fn from_row(row: &Row) -> Result<Declaration, StorageError> {
    DeclarationRow {
        id: row.try_get(0)?,
        unit_id: row.try_get(1)?,
        idempotency_key: row.try_get(2)?,
        kind: row.try_get(3)?,
        period: row.try_get(4)?,
        state: row.try_get(5)?,
        viewed: row.try_get(6)?,
        item_count: row.try_get(7)?,
        submitted_at: row.try_get(8)?,
        updated_at: row.try_get(9)?,
        change_seq: row.try_get(10)?,
    }
    .checked()
}

/// Stores a submitted declaration with its items (in one statement, whatever their number),
/// unless the unit already submitted one under the same key. A concurrent submission of the
/// same key, on any server, waits for this one's row and then finds it.
pub async fn submit(
    client: &impl GenericClient,
    new: &Submitting,
) -> Result<Submission, StorageError> {
    let seq = units::next_change_seq(client, new.unit_id).await?;
    let sql = format!(
        "INSERT INTO declarations (unit_id, idempotency_key, kind, period, state, item_count, \
         submitted_at, updated_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) \
         ON CONFLICT (unit_id, idempotency_key) DO NOTHING RETURNING {COLUMNS}"
    );
    let inserted = row(
        client,
        &sql,
        &[
            &new.unit_id,
            &new.idempotency_key,
            &new.kind.as_str(),
            &new.period.to_string(),
            &DeclarationState::Submitted.as_str(),
            &(new.items.len() as i64),
            &new.now,
            &seq,
        ],
    )
    .await?;
    let Some(inserted) = inserted else {
        let existing = by_key(client, new.unit_id, &new.idempotency_key)
            .await?
            .ok_or_else(|| {
                StorageError::Corrupt("idempotency key conflict without a row".into())
            })?;
        return Ok(Submission::AlreadySubmitted(existing));
    };
    let created = from_row(&inserted)?;
    execute(
        client,
        "INSERT INTO declaration_items (declaration_id, line, body) \
         SELECT $1, line, body FROM unnest($2::text[]) WITH ORDINALITY AS item(body, line)",
        &[&created.id, &new.items],
    )
    .await?;
    Ok(Submission::Created(created))
}

/// The declaration, with its row locked until the transaction ends.
pub async fn lock(
    client: &impl GenericClient,
    id: i64,
) -> Result<Option<Declaration>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM declarations WHERE id = $1 FOR UPDATE");
    row(client, &sql, &[&id])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn by_key(
    client: &impl GenericClient,
    unit_id: i64,
    key: &str,
) -> Result<Option<Declaration>, StorageError> {
    let sql =
        format!("SELECT {COLUMNS} FROM declarations WHERE unit_id = $1 AND idempotency_key = $2");
    row(client, &sql, &[&unit_id, &key])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn changes(
    client: &impl GenericClient,
    unit_id: i64,
    after: i64,
    limit: u32,
) -> Result<Vec<Change>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM declarations WHERE unit_id = $1 AND change_seq > $2 \
         ORDER BY change_seq LIMIT $3"
    );
    let found = rows(client, &sql, &[&unit_id, &after, &i64::from(limit)]).await?;
    let declarations = found.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let mut feed = Vec::with_capacity(declarations.len());
    for declaration in fit_page(declarations) {
        let outcomes = if declaration.is_finished() {
            judged(client, declaration.id).await?
        } else {
            Vec::new()
        };
        feed.push(Change {
            declaration,
            outcomes,
        });
    }
    Ok(feed)
}

async fn judged(
    client: &impl GenericClient,
    declaration_id: i64,
) -> Result<Vec<JudgedItem>, StorageError> {
    rows(
        client,
        "SELECT line, outcome, reason FROM declaration_items WHERE declaration_id = $1 \
         AND outcome IS NOT NULL ORDER BY line",
        &[&declaration_id],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(JudgedItem {
            line: row.try_get(0)?,
            outcome: ItemOutcome::from_stored(row.try_get(1)?)?,
            reason: row.try_get(2)?,
        })
    })
    .collect()
}

pub async fn set_state(
    client: &impl GenericClient,
    declaration: &Declaration,
    new_state: DeclarationState,
    now: i64,
) -> Result<(), StorageError> {
    let seq = units::next_change_seq(client, declaration.unit_id).await?;
    execute(
        client,
        "UPDATE declarations SET state = $2, viewed = $3, updated_at = $4, change_seq = $5 \
         WHERE id = $1",
        &[
            &declaration.id,
            &new_state.as_str(),
            &new_state.viewed(),
            &now,
            &seq,
        ],
    )
    .await?;
    Ok(())
}

/// Writes the outcomes of all the judged items in one statement.
pub async fn set_outcomes(
    client: &impl GenericClient,
    declaration_id: i64,
    outcomes: &[JudgedItem],
) -> Result<(), StorageError> {
    let lines: Vec<i64> = outcomes.iter().map(|o| o.line).collect();
    let verdicts: Vec<&str> = outcomes.iter().map(|o| o.outcome.as_str()).collect();
    let reasons: Vec<Option<&str>> = outcomes.iter().map(|o| o.reason.as_deref()).collect();
    execute(
        client,
        "UPDATE declaration_items AS item SET outcome = judged.outcome, reason = judged.reason \
         FROM unnest($2::bigint[], $3::text[], $4::text[]) AS judged(line, outcome, reason) \
         WHERE item.declaration_id = $1 AND item.line = judged.line",
        &[&declaration_id, &lines, &verdicts, &reasons],
    )
    .await?;
    Ok(())
}

pub async fn items(
    client: &impl GenericClient,
    declaration_id: i64,
) -> Result<Vec<(i64, String)>, StorageError> {
    rows(
        client,
        "SELECT line, body FROM declaration_items WHERE declaration_id = $1 ORDER BY line",
        &[&declaration_id],
    )
    .await?
    .iter()
    .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
    .collect()
}

pub async fn mark_viewed(
    client: &impl GenericClient,
    unit_id: i64,
    declaration_id: i64,
    now: i64,
) -> Result<Viewing, StorageError> {
    let Some(declaration) = lock(client, declaration_id)
        .await?
        .filter(|d| d.unit_id == unit_id)
    else {
        return Ok(Viewing::NotFound);
    };
    let DeclarationState::Finished { outcome, viewed } = declaration.state else {
        return Ok(Viewing::NotFinished);
    };
    if !viewed {
        let viewed = DeclarationState::Finished {
            outcome,
            viewed: true,
        };
        set_state(client, &declaration, viewed, now).await?;
    }
    Ok(Viewing::Marked)
}

pub async fn waiting(
    client: &impl GenericClient,
) -> Result<Vec<(Declaration, String)>, StorageError> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns}, u.unit_no FROM declarations d JOIN units u ON u.id = d.unit_id \
         WHERE d.state IN ('submitted', 'processing') ORDER BY d.submitted_at, d.id"
    );
    rows(client, &sql, &[])
        .await?
        .iter()
        .map(|row| Ok((from_row(row)?, row.try_get(11)?)))
        .collect()
}
