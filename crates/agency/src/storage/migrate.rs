//! `migrate-to`: copies an SQLite agency into an empty PostgreSQL database.
//!
//! Everything but the sessions is copied (units with their lockout state and change sequence,
//! people, rosters, declarations with their items, dues, announcements, the look-up audit
//! trail), ids included, so that the clients' declarations keep their numbers and their
//! changes cursors stay valid. The SQLite side is read in one read transaction, a consistent
//! snapshot; the PostgreSQL side is written with COPY in one transaction, checked row count by
//! row count before it commits: it is all copied or nothing is. Stop the servers first, or
//! what they write meanwhile is not copied.

use std::fmt::Write as _;
use std::path::Path;

use bytes::Bytes;
use futures_util::SinkExt;
use rusqlite::types::ValueRef;
use tokio::sync::mpsc;

use super::postgres::{PgStorage, table_counts, without_password};
use super::sqlite::{Db, FILE_NAME};
use super::{Counts, StorageError};

/// Why the copy did not happen.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("there is no SQLite agency in {0}: migrate-to copies the data directory's {FILE_NAME}")]
    NoSource(String),
    #[error(
        "the PostgreSQL database {address} already holds an agency ({units} units, {declarations} \
         declarations): migrate-to copies into an empty database only"
    )]
    NotEmpty {
        address: String,
        units: i64,
        declarations: i64,
    },
    #[error(
        "the copy of {table} has {copied} rows where SQLite has {expected}; nothing was committed"
    )]
    CountMismatch {
        table: &'static str,
        expected: i64,
        copied: i64,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The tables copied, in the order of [`Counts::TABLES`] (references first): (table, columns,
/// order).
const TABLES: &[(&str, &str, &str)] = &[
    (
        "units",
        "id, unit_no, name, uscc, address, postal_code, legal_representative, contact_person, \
         contact_phone, bank_name, bank_account, card_public_key, card_key_algorithm, \
         password_hash, password_is_initial, locked_until, last_change_seq, opened_at",
        "id",
    ),
    (
        "persons",
        "document_type, document_no, name, details, updated_at",
        "document_type, document_no",
    ),
    (
        "roster",
        "id, unit_id, document_type, document_no, name, declared_wage_fen, insurance_types, \
         insured_from",
        "id",
    ),
    (
        "declarations",
        "id, unit_id, idempotency_key, kind, period, state, viewed, item_count, submitted_at, \
         updated_at, change_seq",
        "id",
    ),
    (
        "declaration_items",
        "declaration_id, line, body, outcome, reason",
        "declaration_id, line",
    ),
    (
        "dues",
        "unit_id, month, insurance_type, base_fen, unit_share_fen, personal_share_fen, paid",
        "unit_id, month, insurance_type",
    ),
    ("announcements", "id, title, body, published_at", "id"),
    (
        "announcement_attachments",
        "announcement_id, name, content",
        "announcement_id, name",
    ),
    (
        "person_lookups",
        "id, at, unit_id, document_no, found",
        "id",
    ),
];

/// The tables whose ids PostgreSQL hands out: their sequences continue after the copied ids.
const IDENTITIES: &[&str] = &[
    "units",
    "roster",
    "declarations",
    "announcements",
    "person_lookups",
];

/// About this much COPY text goes to PostgreSQL at a time.
const CHUNK_BYTES: usize = 1 << 20;

/// What the SQLite reader sends the PostgreSQL writer.
enum Piece {
    /// The next table begins.
    Table(usize),
    /// COPY text rows of the current table.
    Rows(Bytes),
    /// Every table was read; these are SQLite's counts.
    Done(Counts),
}

/// Copies the SQLite agency of `data_dir` into the empty PostgreSQL database at `address`, and
/// answers a report of what was copied.
pub async fn sqlite_to_postgres(
    data_dir: &Path,
    address: &str,
    pool_size: usize,
) -> Result<String, MigrateError> {
    if !data_dir.join(FILE_NAME).is_file() {
        return Err(MigrateError::NoSource(data_dir.display().to_string()));
    }
    let dir = data_dir.to_path_buf();
    let source = tokio::task::spawn_blocking(move || Db::open(&dir))
        .await
        .map_err(|e| StorageError::Task(e.to_string()))??;
    let target = PgStorage::connect(address, pool_size).await?;
    let shown = without_password(address);
    let mut client = target.client().await?;
    let tx = client.transaction().await.map_err(StorageError::from)?;
    let present = table_counts(&tx).await?;
    if present != Counts::default() {
        return Err(MigrateError::NotEmpty {
            address: shown,
            units: present.units,
            declarations: present.declarations,
        });
    }

    let (sender, mut receiver) = mpsc::channel::<Result<Piece, StorageError>>(4);
    let reader = tokio::task::spawn_blocking(move || {
        let outcome = source.read(|conn| read_tables(conn, &sender));
        if let Err(error) = outcome {
            let _ = sender.blocking_send(Err(error));
        }
    });
    let mut sink = None;
    let mut expected = None;
    while let Some(piece) = receiver.recv().await {
        match piece? {
            Piece::Table(index) => {
                if let Some(open) = sink.take() {
                    finish(open).await?;
                }
                let (table, columns, _) = TABLES[index];
                let copy = format!("COPY {table} ({columns}) FROM STDIN");
                sink = Some(Box::pin(
                    tx.copy_in::<_, Bytes>(copy.as_str())
                        .await
                        .map_err(StorageError::from)?,
                ));
            }
            Piece::Rows(rows) => {
                if let Some(open) = sink.as_mut() {
                    open.send(rows).await.map_err(StorageError::from)?;
                }
            }
            Piece::Done(counts) => expected = Some(counts),
        }
    }
    if let Some(open) = sink.take() {
        finish(open).await?;
    }
    reader
        .await
        .map_err(|e| StorageError::Task(e.to_string()))?;
    let expected =
        expected.ok_or_else(|| StorageError::Task("the SQLite reader stopped early".into()))?;

    for table in IDENTITIES {
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 coalesce(max(id), 0) + 1, false) FROM {table}"
            ),
            &[],
        )
        .await
        .map_err(StorageError::from)?;
    }
    let copied = table_counts(&tx).await?;
    for ((table, expected), (_, copied)) in expected.by_table().into_iter().zip(copied.by_table()) {
        if expected != copied {
            return Err(MigrateError::CountMismatch {
                table,
                expected,
                copied,
            });
        }
    }
    tx.commit().await.map_err(StorageError::from)?;

    let mut report = format!(
        "copied the SQLite agency of {} into {shown}:",
        data_dir.display()
    );
    for (table, count) in copied.by_table() {
        let _ = write!(report, "\n  {table}: {count}");
    }
    report.push_str("\nsessions were not copied: clerks log in again");
    Ok(report)
}

async fn finish(
    sink: std::pin::Pin<Box<tokio_postgres::CopyInSink<Bytes>>>,
) -> Result<(), StorageError> {
    let mut sink = sink;
    sink.as_mut().finish().await?;
    Ok(())
}

/// Every table's rows as COPY text, in chunks, then SQLite's counts; all in the one read
/// transaction `conn` is in.
fn read_tables(
    conn: &rusqlite::Connection,
    sender: &mpsc::Sender<Result<Piece, StorageError>>,
) -> Result<(), StorageError> {
    let send = |piece: Piece| {
        sender
            .blocking_send(Ok(piece))
            .map_err(|_| StorageError::Task("the PostgreSQL writer stopped".into()))
    };
    conn.execute_batch("BEGIN")?;
    let mut counts = Vec::with_capacity(TABLES.len());
    for (index, (table, columns, order)) in TABLES.iter().enumerate() {
        send(Piece::Table(index))?;
        let mut statement =
            conn.prepare(&format!("SELECT {columns} FROM {table} ORDER BY {order}"))?;
        let width = statement.column_count();
        let mut rows = statement.query([])?;
        let mut chunk = String::with_capacity(CHUNK_BYTES + 4096);
        let mut count = 0i64;
        while let Some(row) = rows.next()? {
            for column in 0..width {
                if column > 0 {
                    chunk.push('\t');
                }
                copy_value(&mut chunk, row.get_ref(column)?);
            }
            chunk.push('\n');
            count += 1;
            if chunk.len() >= CHUNK_BYTES {
                send(Piece::Rows(Bytes::from(std::mem::take(&mut chunk))))?;
            }
        }
        if !chunk.is_empty() {
            send(Piece::Rows(Bytes::from(chunk)))?;
        }
        counts.push(count);
    }
    conn.execute_batch("COMMIT")?;
    let counts: [i64; 9] = counts
        .try_into()
        .map_err(|_| StorageError::Task("a table was not read".into()))?;
    send(Piece::Done(Counts::from_tables(counts)))
}

/// One value in PostgreSQL's COPY text format.
fn copy_value(out: &mut String, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => out.push_str("\\N"),
        ValueRef::Integer(n) => {
            let _ = write!(out, "{n}");
        }
        ValueRef::Real(x) => {
            let _ = write!(out, "{x}");
        }
        ValueRef::Text(bytes) => {
            for c in String::from_utf8_lossy(bytes).chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
        ValueRef::Blob(bytes) => {
            // bytea's hex form, its backslash escaped for COPY.
            out.push_str("\\\\x");
            for b in bytes {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_as_syntax() {
        let mut out = String::new();
        copy_value(&mut out, ValueRef::Text("a\tb\\c\nd".as_bytes()));
        out.push('|');
        copy_value(&mut out, ValueRef::Blob(&[0x04, 0xff]));
        out.push('|');
        copy_value(&mut out, ValueRef::Null);
        out.push('|');
        copy_value(&mut out, ValueRef::Integer(-7));
        assert_eq!(out, "a\\tb\\\\c\\nd|\\\\x04ff|\\N|-7");
    }
}
