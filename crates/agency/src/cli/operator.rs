//! The operator commands that work on the database directly, while servers run: on SQLite the
//! database is in WAL mode and waits for the writer lock; on PostgreSQL every step is a
//! transaction like a server's.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use chrono::DateTime;
use shebao_core::uscc::CreditCode;

use super::{Cli, Command, Process, UnitCommand, issue_token};
use crate::auth::card_key::{CardKey, CardKeyError};
use crate::auth::password;
use crate::clock::{Clock, SystemClock, to_wire};
use crate::processing::{Decision, Judgement, ProcessError};
use crate::seed::{self, SeedError};
use crate::server;
use crate::storage::migrate::{self, MigrateError};
use crate::storage::{NewAnnouncement, NewUnit, Storage, StorageError};

/// Why an operator command failed; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Migrate(#[from] MigrateError),
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
    #[error(
        "migrate-to copies the SQLite database of the data directory; leave out --database \
         (and SHEBAO_AGENCY_DATABASE)"
    )]
    MigrateFromPostgres,
}

async fn open(cli: &Cli) -> Result<Storage, OperatorError> {
    let location = cli.location()?;
    // The data directory holds the SQLite file, and on any backend the demo's card file.
    std::fs::create_dir_all(&cli.data_dir)
        .map_err(|e| OperatorError::DataDir(cli.data_dir.display().to_string(), e))?;
    Ok(Storage::open(&location).await?)
}

/// Hashes a password off the async threads (Argon2 takes a while by design).
async fn hash(password: &str) -> Result<String, OperatorError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| StorageError::Task(e.to_string()))?
        .map_err(OperatorError::from)
}

pub(super) async fn run(cli: &Cli, out: &mut dyn Write) -> Result<(), OperatorError> {
    let clock = SystemClock;
    let data_dir = cli.data_dir.as_path();
    match &cli.command {
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
            let storage = open(cli).await?;
            open_unit(&storage, &opening, &key, &clock).await?;
            writeln!(
                out,
                "opened unit {unit_no} ({name}) with an {} card key; it must change its password \
                 at first login",
                key.algorithm
            )?;
            Ok(())
        }
        Command::Unit(UnitCommand::IssueToken(issue)) => {
            issue_token::run(&open(cli).await?, data_dir, issue, &clock, out).await
        }
        Command::Unit(UnitCommand::ResetPassword { unit_no, password }) => {
            if password.is_empty() {
                return Err(OperatorError::EmptyPassword);
            }
            let storage = open(cli).await?;
            let hash = hash(password).await?;
            if !storage.reset_password(unit_no.clone(), hash).await? {
                return Err(OperatorError::NoSuchUnit(unit_no.clone()));
            }
            writeln!(
                out,
                "reset the password of unit {unit_no}; its sessions have ended"
            )?;
            Ok(())
        }
        Command::Unit(UnitCommand::List) => {
            let storage = open(cli).await?;
            for unit in storage.units().await? {
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
            let count = files.len();
            let storage = open(cli).await?;
            let id = storage
                .publish(NewAnnouncement {
                    title: title.clone(),
                    body: body.clone(),
                    attachments: files,
                    published_at: clock.now().timestamp(),
                })
                .await?;
            writeln!(
                out,
                "published announcement {id} with {count} attachment(s)"
            )?;
            Ok(())
        }
        Command::Pending => {
            let storage = open(cli).await?;
            let waiting = storage.waiting().await?;
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
                    d.id,
                    d.kind,
                    d.period,
                    d.item_count,
                    d.state.as_str()
                )?;
            }
            Ok(())
        }
        Command::Process(process) => run_process(cli, process, &clock, out).await,
        Command::SeedDemo => {
            let storage = open(cli).await?;
            let reference = server::load_reference(data_dir)?;
            let report = seed::seed_demo(&storage, &reference, data_dir, &clock).await?;
            writeln!(out, "{report}")?;
            Ok(())
        }
        Command::MigrateTo { address } => {
            if cli.database.is_some() {
                return Err(OperatorError::MigrateFromPostgres);
            }
            let report = migrate::sqlite_to_postgres(data_dir, address, cli.pool_size).await?;
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
pub(super) async fn open_unit(
    storage: &Storage,
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
    let unit = NewUnit {
        unit_no: unit_no.to_owned(),
        name: name.to_owned(),
        uscc: uscc.as_str().to_owned(),
        card_public_key: key.point.clone(),
        card_key_algorithm: key.algorithm,
        password_hash: hash(password).await?,
    };
    if storage
        .open_unit(unit, clock.now().timestamp())
        .await?
        .is_none()
    {
        return Err(OperatorError::UnitExists(unit_no.to_owned()));
    }
    Ok(())
}

pub(super) fn check_unit_no(unit_no: &str) -> Result<(), OperatorError> {
    if unit_no.is_empty() || unit_no.len() > 20 || !unit_no.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OperatorError::UnitNumber);
    }
    Ok(())
}

async fn run_process(
    cli: &Cli,
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
    let storage = open(cli).await?;
    let reference = Arc::new(server::load_reference(&cli.data_dir)?);
    let judgement = Judgement::new(reference, decision, clock.today(), clock.now().timestamp());
    let processed = storage.process(process.id, judgement).await?;
    writeln!(
        out,
        "declaration {} is {}: {} item(s) succeeded, {} failed",
        process.id,
        processed.state.as_str(),
        processed.succeeded,
        processed.failed
    )?;
    Ok(())
}
