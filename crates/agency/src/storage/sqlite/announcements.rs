//! Announcements (系统公告) and their attachments.

use rusqlite::{Connection, OptionalExtension, params};

use crate::storage::{Announcement, NewAnnouncement, StorageError};

/// Publishes an announcement with its attachments and answers its id.
pub fn publish(conn: &Connection, announcement: &NewAnnouncement) -> Result<i64, StorageError> {
    conn.execute(
        "INSERT INTO announcements (title, body, published_at) VALUES (?1, ?2, ?3)",
        params![
            announcement.title,
            announcement.body,
            announcement.published_at
        ],
    )?;
    let id = conn.last_insert_rowid();
    for (name, content) in &announcement.attachments {
        conn.execute(
            "INSERT INTO announcement_attachments (announcement_id, name, content) VALUES (?1, ?2, ?3)",
            params![id, name, content],
        )?;
    }
    Ok(id)
}

/// Announcements with an id above `after`, oldest first, at most `limit`.
pub fn list(conn: &Connection, after: i64, limit: u32) -> Result<Vec<Announcement>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, body, published_at FROM announcements WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let mut announcements = stmt
        .query_map(params![after, limit], |row| {
            Ok(Announcement {
                id: row.get(0)?,
                title: row.get(1)?,
                body: row.get(2)?,
                published_at: row.get(3)?,
                attachments: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut files = conn.prepare_cached(
        "SELECT name, length(content) FROM announcement_attachments WHERE announcement_id = ?1 \
         ORDER BY name",
    )?;
    for announcement in &mut announcements {
        announcement.attachments = files
            .query_map([announcement.id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
    }
    Ok(announcements)
}

pub fn attachment(conn: &Connection, id: i64, name: &str) -> Result<Option<Vec<u8>>, StorageError> {
    Ok(conn
        .prepare_cached(
            "SELECT content FROM announcement_attachments WHERE announcement_id = ?1 AND name = ?2",
        )?
        .query_row(params![id, name], |row| row.get(0))
        .optional()?)
}
