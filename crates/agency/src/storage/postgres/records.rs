//! Dues and announcements on PostgreSQL.

use deadpool_postgres::GenericClient;

use super::{execute, row, rows};
use crate::storage::{Announcement, MonthlyDue, NewAnnouncement, StorageError};

pub async fn settle(
    client: &impl GenericClient,
    unit_id: i64,
    due: &MonthlyDue,
) -> Result<(), StorageError> {
    execute(
        client,
        "INSERT INTO dues (unit_id, month, insurance_type, base_fen, unit_share_fen, \
         personal_share_fen, paid) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (unit_id, month, insurance_type) DO UPDATE SET base_fen = excluded.base_fen, \
         unit_share_fen = excluded.unit_share_fen, \
         personal_share_fen = excluded.personal_share_fen, paid = excluded.paid",
        &[
            &unit_id,
            &due.month,
            &due.insurance_type,
            &due.base_fen,
            &due.unit_share_fen,
            &due.personal_share_fen,
            &due.paid,
        ],
    )
    .await?;
    Ok(())
}

pub async fn settled(
    client: &impl GenericClient,
    unit_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<MonthlyDue>, StorageError> {
    rows(
        client,
        "SELECT month, insurance_type, base_fen, unit_share_fen, personal_share_fen, paid \
         FROM dues WHERE unit_id = $1 AND month >= $2 AND month <= $3 \
         ORDER BY month, insurance_type",
        &[&unit_id, &from, &to],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(MonthlyDue {
            month: row.try_get(0)?,
            insurance_type: row.try_get(1)?,
            base_fen: row.try_get(2)?,
            unit_share_fen: row.try_get(3)?,
            personal_share_fen: row.try_get(4)?,
            paid: row.try_get(5)?,
        })
    })
    .collect()
}

pub async fn publish(
    client: &impl GenericClient,
    announcement: &NewAnnouncement,
) -> Result<i64, StorageError> {
    let id: i64 = row(
        client,
        "INSERT INTO announcements (title, body, published_at) VALUES ($1, $2, $3) RETURNING id",
        &[
            &announcement.title,
            &announcement.body,
            &announcement.published_at,
        ],
    )
    .await?
    .ok_or_else(|| StorageError::Corrupt("an insert answered no id".into()))?
    .try_get(0)?;
    for (name, content) in &announcement.attachments {
        execute(
            client,
            "INSERT INTO announcement_attachments (announcement_id, name, content) \
             VALUES ($1, $2, $3)",
            &[&id, name, content],
        )
        .await?;
    }
    Ok(id)
}

pub async fn list(
    client: &impl GenericClient,
    after: i64,
    limit: u32,
) -> Result<Vec<Announcement>, StorageError> {
    let mut announcements = rows(
        client,
        "SELECT id, title, body, published_at FROM announcements WHERE id > $1 \
         ORDER BY id LIMIT $2",
        &[&after, &i64::from(limit)],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(Announcement {
            id: row.try_get(0)?,
            title: row.try_get(1)?,
            body: row.try_get(2)?,
            published_at: row.try_get(3)?,
            attachments: Vec::new(),
        })
    })
    .collect::<Result<Vec<_>, StorageError>>()?;
    for announcement in &mut announcements {
        announcement.attachments = rows(
            client,
            "SELECT name, octet_length(content)::bigint FROM announcement_attachments \
             WHERE announcement_id = $1 ORDER BY name",
            &[&announcement.id],
        )
        .await?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<_, StorageError>>()?;
    }
    Ok(announcements)
}

pub async fn attachment(
    client: &impl GenericClient,
    id: i64,
    name: &str,
) -> Result<Option<Vec<u8>>, StorageError> {
    row(
        client,
        "SELECT content FROM announcement_attachments WHERE announcement_id = $1 AND name = $2",
        &[&id, &name],
    )
    .await?
    .map(|row| row.try_get(0).map_err(StorageError::from))
    .transpose()
}
