//! The operator's command line: `shebao-agency --data-dir DIR <command>`.

mod operator;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::storage::{DEFAULT_POOL_SIZE, Location, StorageError};

pub use operator::OperatorError;

/// The reference agency server for shebao and its operator commands.
#[derive(Debug, Parser)]
#[command(name = "shebao-agency", version, about)]
pub struct Cli {
    /// The agency's data directory (TLS identity, reference.json, demo card file, and the
    /// SQLite database unless --database names another).
    #[arg(long, value_name = "DIR")]
    pub data_dir: PathBuf,
    /// The agency's PostgreSQL database, e.g. postgres://shebao-agency@/shebao?host=/run/postgresql.
    /// Without it the agency keeps its data in SQLite in the data directory.
    #[arg(
        long,
        value_name = "URL",
        env = "SHEBAO_AGENCY_DATABASE",
        global = true
    )]
    pub database: Option<String>,
    /// How many PostgreSQL connections this process may hold.
    #[arg(
        long,
        value_name = "N",
        env = "SHEBAO_AGENCY_POOL_SIZE",
        default_value_t = DEFAULT_POOL_SIZE,
        global = true
    )]
    pub pool_size: usize,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Where the agency's data is, as the options say.
    pub fn location(&self) -> Result<Location, StorageError> {
        Location::from_options(&self.data_dir, self.database.as_deref(), self.pool_size)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve API v1 over HTTPS.
    Serve(Serve),
    /// Open units, reset their passwords, list them.
    #[command(subcommand)]
    Unit(UnitCommand),
    /// Publish an announcement.
    Announce {
        #[arg(long)]
        title: String,
        #[arg(long)]
        body: String,
        /// A file to attach (repeatable).
        #[arg(long = "attach", value_name = "FILE")]
        attachments: Vec<PathBuf>,
    },
    /// List the declarations waiting for the agency.
    Pending,
    /// Process a declaration to its final state.
    Process(Process),
    /// Create the demo unit, its card file, a roster, announcements and a year of dues.
    SeedDemo,
    /// Copy this data directory's SQLite agency into an empty PostgreSQL database (units,
    /// people, declarations, dues, announcements; not sessions), checked by counts.
    MigrateTo {
        /// The PostgreSQL database, postgres://…
        #[arg(value_name = "URL")]
        address: String,
    },
}

#[derive(Debug, Args)]
pub struct Serve {
    /// The address to listen on, e.g. 127.0.0.1:8443.
    #[arg(long, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Process each new declaration automatically after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub auto_process: Option<u64>,
    /// Make every captcha TEXT. For automated tests only; refused off loopback.
    #[arg(long, value_name = "TEXT")]
    pub test_captcha: Option<String>,
}

impl Serve {
    pub fn auto_process_delay(&self) -> Option<Duration> {
        self.auto_process.map(Duration::from_secs)
    }
}

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// Open a unit's account with an initial password and its card's public key.
    Add {
        #[arg(long)]
        unit_no: String,
        #[arg(long)]
        name: String,
        /// The unified social credit code.
        #[arg(long)]
        uscc: String,
        /// The initial password; the unit must change it at its first login.
        #[arg(long)]
        password: String,
        /// The card's SM2 public key: uncompressed SEC1 point (65 bytes) in hex.
        #[arg(long, value_name = "HEX")]
        card_public_key: String,
    },
    /// Set a new initial password (the unit must change it at its next login).
    ResetPassword {
        #[arg(long)]
        unit_no: String,
        #[arg(long)]
        password: String,
    },
    /// List the units.
    List,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("decision").required(true).args(["accept_all", "reject"])))]
pub struct Process {
    /// The declaration's id.
    pub id: i64,
    /// Accept every item.
    #[arg(long)]
    pub accept_all: bool,
    /// Reject this line (repeatable; each with its --reason). Other lines are accepted.
    #[arg(long, value_name = "LINE", requires = "reason")]
    pub reject: Vec<i64>,
    /// The reason for the --reject at the same position.
    #[arg(long, value_name = "TEXT")]
    pub reason: Vec<String>,
}

/// Runs an operator command (every command but `serve`), writing its report to `out`.
pub async fn run_operator(cli: &Cli, out: &mut dyn std::io::Write) -> Result<(), OperatorError> {
    operator::run(cli, out).await
}
