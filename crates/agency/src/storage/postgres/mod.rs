//! The PostgreSQL backend, for an agency with several server processes on one database.
//!
//! Each process holds a pool of connections (tokio-postgres with deadpool). What must be one
//! truth across processes is kept in the database and guarded there: the uniqueness of
//! (unit, idempotency key); the unit's row lock taken with each change sequence number, so a
//! unit's changes commit in the order of their numbers; the unit's row lock around a failed
//! login, so failures are counted one after the other; and `FOR UPDATE SKIP LOCKED` when a
//! server picks a declaration to finish, so each is finished once. Finishing runs at
//! SERIALIZABLE isolation and is retried when PostgreSQL reports a conflict, so two servers
//! hiring the same person for two units cannot both succeed.

mod backend;
pub(crate) use backend::table_counts;
mod declarations;
mod people;
mod processing;
mod records;
mod sessions;
mod units;

use std::fmt;
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use super::{Migration, StorageError};

/// The schema's history, recorded in the table `schema_migrations`.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "initial",
    sql: include_str!("migrations/0001_initial.sql"),
}];

/// Any number will do, as long as it is the agency's alone: the advisory lock that lets one
/// process at a time migrate the database.
const MIGRATION_LOCK: i64 = 0x5348_4542_414f_0001;

/// A PostgreSQL error, shown without the detail PostgreSQL may add (which can quote the values
/// of a row, such as an identity number).
#[derive(Debug)]
pub struct PgError(tokio_postgres::Error);

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_db_error() {
            Some(db) => write!(f, "{} (SQLSTATE {})", db.message(), db.code().code()),
            None => write!(f, "{}", self.0),
        }
    }
}

impl std::error::Error for PgError {}

impl PgError {
    fn code(&self) -> Option<&SqlState> {
        self.0.code()
    }
}

impl From<tokio_postgres::Error> for StorageError {
    fn from(error: tokio_postgres::Error) -> Self {
        StorageError::Postgres(PgError(error))
    }
}

impl From<deadpool_postgres::PoolError> for StorageError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        match error {
            deadpool_postgres::PoolError::Backend(error) => error.into(),
            other => StorageError::Unreachable(other.to_string()),
        }
    }
}

impl StorageError {
    /// True for a conflict PostgreSQL resolves by failing one side (a serialization failure or
    /// a deadlock): running the same transaction again is the cure.
    pub fn is_conflict(&self) -> bool {
        match self {
            StorageError::Conflict => true,
            StorageError::Postgres(error) => matches!(
                error.code(),
                Some(&SqlState::T_R_SERIALIZATION_FAILURE | &SqlState::T_R_DEADLOCK_DETECTED)
            ),
            _ => false,
        }
    }
}

/// The connection string with any password replaced, fit for a message or a log line.
pub fn without_password(address: &str) -> String {
    let Some((scheme, rest)) = address.split_once("://") else {
        return address.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(end) => rest.split_at(end),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{credentials}@{host}"),
        },
        None => authority.to_owned(),
    };
    let tail = tail
        .split('&')
        .map(|part| match part.split_once("password=") {
            Some((before, _)) => format!("{before}password=***"),
            None => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    format!("{scheme}://{authority}{tail}")
}

/// The PostgreSQL backend behind the storage interface: a pool of connections.
#[derive(Clone)]
pub struct PgStorage {
    pool: Pool,
}

impl PgStorage {
    /// Connects to the database at `address`, at most `pool_size` connections at once, and
    /// brings its schema up to date.
    pub async fn connect(address: &str, pool_size: usize) -> Result<Self, StorageError> {
        let shown = without_password(address);
        let config: tokio_postgres::Config = address.parse().map_err(|e| {
            StorageError::Unreachable(format!("the connection string {shown} is not valid: {e}"))
        })?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(10)))
            .wait_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| StorageError::Unreachable(e.to_string()))?;
        let storage = Self { pool };
        storage.migrate().await.map_err(|error| match error {
            StorageError::Unreachable(detail) => {
                StorageError::Unreachable(format!("{shown}: {detail}"))
            }
            other => other,
        })?;
        Ok(storage)
    }

    /// The pool, for the tools that work on PostgreSQL directly (`migrate-to`, tests, benches).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object, StorageError> {
        Ok(self.pool.get().await?)
    }

    /// Applies the migrations the database lacks, one process at a time.
    async fn migrate(&self) -> Result<(), StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    BIGINT PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .await?;
        let found: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .await?
            .try_get(0)?;
        let known = MIGRATIONS.last().map_or(0, |m| m.version);
        if found > known {
            return Err(StorageError::NewerSchema { found, known });
        }
        for migration in MIGRATIONS.iter().filter(|m| m.version > found) {
            tx.batch_execute(migration.sql)
                .await
                .map_err(|e| StorageError::Migration {
                    version: migration.version,
                    name: migration.name,
                    detail: PgError(e).to_string(),
                })?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                &[&migration.version, &migration.name],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The rows of a query, through the connection's cache of prepared statements.
pub(crate) async fn rows(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, StorageError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query(&statement, params).await?)
}

/// The row of a query, if there is one.
pub(crate) async fn row(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>, StorageError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query_opt(&statement, params).await?)
}

/// Runs a statement and answers how many rows it touched.
pub(crate) async fn execute(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64, StorageError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.execute(&statement, params).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            without_password("postgres://agency:s3cret@db.example:5432/shebao"),
            "postgres://agency:***@db.example:5432/shebao"
        );
        assert_eq!(
            without_password("postgresql://db/shebao?user=a&password=s3cret&sslmode=require"),
            "postgresql://db/shebao?user=a&password=***&sslmode=require"
        );
        assert_eq!(
            without_password("postgres://agency@/shebao?host=/run/postgresql"),
            "postgres://agency@/shebao?host=/run/postgresql"
        );
    }
}
