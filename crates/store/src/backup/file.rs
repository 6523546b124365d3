//! The backup file, format version 1 (documented in docs/backup-format.md):
//!
//! ```text
//! "SHEBAOBK"            8 bytes, the magic
//! version               u16, little-endian: 1
//! header length         u32, little-endian, at most 64 KiB
//! header digest         32 bytes, the SHA-256 of the header
//! header                that many bytes of UTF-8 JSON (see `Header`)
//! body                  the SQLCipher database, encrypted under the backup key
//! ```
//!
//! The header says whose backup it is, how long the body is and its SHA-256, and carries the
//! backup key in its slots (see `seal`). The two digests tell damage from a wrong password: a
//! changed byte anywhere is "damaged", never "wrong password".

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::seal::Slot;
use crate::error::{Result, StoreError};
use crate::key::hex;
use crate::private::create_private_file;

pub(crate) const MAGIC: &[u8; 8] = b"SHEBAOBK";
/// The newest format this build writes and reads.
pub const BACKUP_FORMAT: u16 = 1;
const MAX_HEADER: u32 = 64 * 1024;
const PREAMBLE: u64 = 8 + 2 + 4 + 32;

/// The file's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    pub(crate) unit_no: String,
    /// When the backup was made (RFC 3339, UTC).
    pub(crate) created_at: String,
    /// The store's schema version in the body.
    pub(crate) schema_version: i64,
    /// The shebao version that wrote it.
    pub(crate) written_by: String,
    pub(crate) body: Body,
    pub(crate) slots: Vec<Slot>,
}

/// The body's length and digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Body {
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
}

impl Body {
    /// The length and digest of the database file at `path`.
    pub(crate) fn of(path: &Path) -> io::Result<Self> {
        let mut file = BufReader::new(File::open(path)?);
        let (bytes, sha256) = digest(&mut file, None)?;
        Ok(Self { bytes, sha256 })
    }
}

/// Copy `from` into `to` (when given) while hashing it: its length and SHA-256.
fn digest(from: &mut impl Read, mut to: Option<&mut dyn Write>) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if let Some(to) = to.as_deref_mut() {
            to.write_all(&buf[..n])?;
        }
        total += n as u64;
    }
    Ok((total, hex(&hasher.finalize())))
}

/// Write the backup file `to` from `header` and the database at `body` (durably).
pub(crate) fn write(to: &Path, header: &Header, body: &Path) -> io::Result<()> {
    let json = serde_json::to_vec(header).map_err(io::Error::other)?;
    let len = u32::try_from(json.len())
        .ok()
        .filter(|l| *l <= MAX_HEADER)
        .ok_or_else(|| io::Error::other("the backup's header is too long"))?;
    let file = create_private_file(to, true)?;
    let mut out = BufWriter::new(file);
    out.write_all(MAGIC)?;
    out.write_all(&BACKUP_FORMAT.to_le_bytes())?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&Sha256::digest(&json))?;
    out.write_all(&json)?;
    let mut db = BufReader::new(File::open(body)?);
    io::copy(&mut db, &mut out)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}

/// What the start of a file says it is.
pub(crate) enum Kind {
    /// A backup in this format, with its header.
    Sealed(Header),
    /// No magic: a backup of an earlier version, a bare database under the store's own key.
    Bare,
}

/// Read the header of the backup `path`.
pub(crate) fn read_header(path: &Path) -> Result<Kind> {
    let damaged = |detail: String| StoreError::BackupDamaged {
        path: path.to_path_buf(),
        detail,
    };
    let mut file = File::open(path).map_err(|e| StoreError::Backup {
        path: path.to_path_buf(),
        reason: format!("it cannot be read ({e})"),
    })?;
    let mut magic = [0u8; 8];
    match file.read_exact(&mut magic) {
        Ok(()) if &magic == MAGIC => {}
        // Too short for the magic: certainly no database either.
        Err(_) => return Err(damaged("the file is almost empty".into())),
        Ok(()) => return Ok(Kind::Bare),
    }
    let mut fixed = [0u8; 6];
    file.read_exact(&mut fixed)
        .map_err(|_| damaged("it ends inside its header".into()))?;
    let version = u16::from_le_bytes([fixed[0], fixed[1]]);
    if version > BACKUP_FORMAT {
        return Err(StoreError::Backup {
            path: path.to_path_buf(),
            reason: format!(
                "it was written by a newer shebao (backup format {version}, this version reads \
                 {BACKUP_FORMAT}); install the newer version"
            ),
        });
    }
    if version == 0 {
        return Err(damaged("its format version is 0".into()));
    }
    let len = u32::from_le_bytes([fixed[2], fixed[3], fixed[4], fixed[5]]);
    if len > MAX_HEADER {
        return Err(damaged(format!("its header claims {len} bytes")));
    }
    let mut expected = [0u8; 32];
    let mut json = vec![0u8; len as usize];
    file.read_exact(&mut expected)
        .and_then(|()| file.read_exact(&mut json))
        .map_err(|_| damaged("it ends inside its header".into()))?;
    if Sha256::digest(&json).as_slice() != expected {
        return Err(damaged("its header changed after it was written".into()));
    }
    let header: Header = serde_json::from_slice(&json)
        .map_err(|e| damaged(format!("its header is unreadable: {e}")))?;
    Ok(Kind::Sealed(header))
}

/// Copy the body of the backup `path` to the new file `to`, checking its length and digest.
pub(crate) fn extract_body(path: &Path, header: &Header, to: &Path) -> Result<()> {
    let damaged = |detail: String| StoreError::BackupDamaged {
        path: path.to_path_buf(),
        detail,
    };
    let io_failed = |e: io::Error| StoreError::Backup {
        path: path.to_path_buf(),
        reason: format!("it cannot be read or unpacked ({e})"),
    };
    let mut file = File::open(path).map_err(io_failed)?;
    // The body starts after the header, whose length the file states.
    file.seek(SeekFrom::Start(8 + 2)).map_err(io_failed)?;
    let mut len = [0u8; 4];
    file.read_exact(&mut len).map_err(io_failed)?;
    let start = PREAMBLE + u64::from(u32::from_le_bytes(len));
    file.seek(SeekFrom::Start(start)).map_err(io_failed)?;
    let out = create_private_file(to, true).map_err(io_failed)?;
    let mut out = BufWriter::new(out);
    let (bytes, sha256) = digest(&mut BufReader::new(file), Some(&mut out)).map_err(io_failed)?;
    out.flush().map_err(io_failed)?;
    if bytes != header.body.bytes {
        return Err(damaged(format!(
            "it holds {bytes} bytes of data where {} were written: it was cut short or added to",
            header.body.bytes
        )));
    }
    if sha256 != header.body.sha256 {
        return Err(damaged("its data changed after it was written".into()));
    }
    Ok(())
}
