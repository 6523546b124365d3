//! The operator commands that work on the database directly (the server may be running: the
//! database is in WAL mode and waits for the writer lock).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::DateTime;
use shebao_core::uscc::CreditCode;

use super::{Command, Process, UnitCommand, issue_token};
use crate::auth::card_key::{CardKey, CardKeyError};
use crate::auth::password;
use crate::clock::{Clock, SystemClock, to_wire};
use crate::db::{Db, DbError, announcements, declarations, sessions, units};
use crate::processing::{self, Decision, ProcessError};
use crate::seed::{self, SeedError};
use crate::server;

/// Why an operator command failed; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the unit number must be 1 to 20 digits")]
    UnitNumber,
    #[error("a unit numbered {0} already exists")]
    UnitExists(String),
    #[error("there is no unit numbered {0}")]
    NoSuchUnit(String),
    #[error("the credit code is not valid: {0}")]
    CreditCode(String),
    #[error(transparent)]
    CardKey(#[from] CardKeyError),
    #[error("cannot read the card certificate {0}: {1}")]
    CardCertificate(String, std::io::Error),
    #[error("give the card's key with --card-public-key or --card-certificate")]
    NoCardKey,
    #[error(transparent)]
    Token(#[from] issue_token::TokenError),
    #[error("the initial password must not be empty")]
    EmptyPassword,
    #[error(transparent)]
    Password(#[from] password::PasswordHashError),
    #[error("cannot read the attachment {0}: {1}")]
    Attachment(String, std::io::Error),
    #[error("every --reject needs its own --reason ({rejects} lines, {reasons} reasons)")]
    RejectReasons { rejects: usize, reasons: usize },
    #[error(transparent)]
    Process(#[from] ProcessError),
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error(transparent)]
    Server(#[from] server::ServerError),
    #[error("cannot write the report: {0}")]
    Output(#[from] std::io::Error),
    #[error("`serve` is not an operator command")]
    NotOperator,
}

fn open(data_dir: &Path) -> Result<Db, OperatorError> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| OperatorError::DataDir(data_dir.display().to_string(), e))?;
    Ok(Db::open(data_dir)?)
}

pub(super) fn run(
    data_dir: &Path,
    command: &Command,
    out: &mut dyn Write,
) -> Result<(), OperatorError> {
    let clock = SystemClock;
    match command {
        Command::Serve(_) => Err(OperatorError::NotOperator),
        Command::Unit(UnitCommand::Add {
            unit_no,
            name,
            uscc,
            password,
            card_public_key,
            card_certificate,
        }) => {
            let key = match (card_public_key, card_certificate) {
                (Some(text), _) => CardKey::parse(text)?,
                (None, Some(path)) => {
                    let bytes = std::fs::read(path).map_err(|e| {
                        OperatorError::CardCertificate(path.display().to_string(), e)
                    })?;
                    CardKey::from_certificate(&bytes)?
                }
                (None, None) => return Err(OperatorError::NoCardKey),
            };
            let opening = Opening {
                unit_no,
                name,
                uscc,
                password,
            };
            let db = open(data_dir)?;
            open_unit(&db, &opening, &key, &clock)?;
            writeln!(
                out,
                "opened unit {unit_no} ({name}) with an {} card key; it must change its password \
                 at first login",
                key.algorithm
            )?;
            Ok(())
        }
        Command::Unit(UnitCommand::IssueToken(issue)) => {
            issue_token::run(&open(data_dir)?, data_dir, issue, &clock, out)
        }
        Command::Unit(UnitCommand::ResetPassword { unit_no, password }) => {
            if password.is_empty() {
                return Err(OperatorError::EmptyPassword);
            }
            let db = open(data_dir)?;
            let hash = password::hash(password)?;
            db.write(|tx| -> Result<(), OperatorError> {
                let unit = units::by_number(tx, unit_no)?
                    .ok_or_else(|| OperatorError::NoSuchUnit(unit_no.clone()))?;
                units::set_password(tx, unit.id, &hash, true)?;
                units::clear_failures(tx, unit.id)?;
                units::lock(tx, unit.id, 0)?;
                sessions::delete_unit_tokens(tx, unit.id, None)?;
                Ok(())
            })?;
            writeln!(
                out,
                "reset the password of unit {unit_no}; its sessions have ended"
            )?;
            Ok(())
        }
        Command::Unit(UnitCommand::List) => {
            let db = open(data_dir)?;
            let all = db.read(units::all)?;
            for unit in all {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    unit.record.unit_no,
                    unit.record.uscc,
                    if unit.password_is_initial {
                        "initial-password"
                    } else {
                        "password-set"
                    },
                    unit.record.name
                )?;
            }
            Ok(())
        }
        Command::Announce {
            title,
            body,
            attachments,
        } => {
            let files = attachments
                .iter()
                .map(|path| {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "attachment".to_owned());
                    std::fs::read(path)
                        .map(|content| (name, content))
                        .map_err(|e| OperatorError::Attachment(path.display().to_string(), e))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let db = open(data_dir)?;
            let now = clock.now().timestamp();
            let id = db.write(|tx| announcements::publish(tx, title, body, &files, now))?;
            writeln!(
                out,
                "published announcement {id} with {} attachment(s)",
                files.len()
            )?;
            Ok(())
        }
        Command::Pending => {
            let db = open(data_dir)?;
            let waiting = db.read(declarations::waiting)?;
            if waiting.is_empty() {
                writeln!(out, "nothing waits")?;
            }
            for (d, unit_no) in waiting {
                let at = DateTime::from_timestamp(d.submitted_at, 0)
                    .map(to_wire)
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}\t{unit_no}\t{}\t{}\t{} item(s)\t{}\tsubmitted {at}",
                    d.id, d.kind, d.period, d.item_count, d.state
                )?;
            }
            Ok(())
        }
        Command::Process(process) => run_process(data_dir, process, &clock, out),
        Command::SeedDemo => {
            let db = open(data_dir)?;
            let reference = server::load_reference(data_dir)?;
            let report = seed::seed_demo(&db, &reference, data_dir, &clock)?;
            writeln!(out, "{report}")?;
            Ok(())
        }
    }
}

/// What opening a unit needs besides its card key.
pub(super) struct Opening<'a> {
    pub unit_no: &'a str,
    pub name: &'a str,
    pub uscc: &'a str,
    pub password: &'a str,
}

/// Checks what the operator gave and opens the unit with its initial password and card key.
pub(super) fn open_unit(
    db: &Db,
    opening: &Opening<'_>,
    key: &CardKey,
    clock: &SystemClock,
) -> Result<(), OperatorError> {
    let Opening {
        unit_no,
        name,
        uscc,
        password,
    } = *opening;
    check_unit_no(unit_no)?;
    let uscc = CreditCode::parse(uscc).map_err(|e| OperatorError::CreditCode(e.to_string()))?;
    if password.is_empty() {
        return Err(OperatorError::EmptyPassword);
    }
    let hash = password::hash(password)?;
    db.write(|tx| -> Result<(), OperatorError> {
        if units::by_number(tx, unit_no)?.is_some() {
            return Err(OperatorError::UnitExists(unit_no.to_owned()));
        }
        units::insert(
            tx,
            &units::NewUnit {
                unit_no: unit_no.to_owned(),
                name: name.to_owned(),
                uscc: uscc.as_str().to_owned(),
                card_public_key: key.point.clone(),
                card_key_algorithm: key.algorithm,
                password_hash: hash,
            },
            clock.now().timestamp(),
        )?;
        Ok(())
    })
}

pub(super) fn check_unit_no(unit_no: &str) -> Result<(), OperatorError> {
    if unit_no.is_empty() || unit_no.len() > 20 || !unit_no.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OperatorError::UnitNumber);
    }
    Ok(())
}

fn run_process(
    data_dir: &Path,
    process: &Process,
    clock: &SystemClock,
    out: &mut dyn Write,
) -> Result<(), OperatorError> {
    let decision = if process.accept_all {
        Decision::AcceptAll
    } else {
        if process.reject.len() != process.reason.len() {
            return Err(OperatorError::RejectReasons {
                rejects: process.reject.len(),
                reasons: process.reason.len(),
            });
        }
        let lines: BTreeMap<i64, String> = process
            .reject
            .iter()
            .copied()
            .zip(process.reason.iter().cloned())
            .collect();
        Decision::Reject(lines)
    };
    let db = open(data_dir)?;
    let reference = server::load_reference(data_dir)?;
    let now = clock.now().timestamp();
    let today = clock.today();
    let processed = db.write(|tx| -> Result<_, ProcessError> {
        processing::start(tx, process.id, now)?;
        processing::finish(tx, &reference, process.id, &decision, today, now)
    })?;
    writeln!(
        out,
        "declaration {} is {}: {} item(s) succeeded, {} failed",
        process.id, processed.state, processed.succeeded, processed.failed
    )?;
    Ok(())
}
