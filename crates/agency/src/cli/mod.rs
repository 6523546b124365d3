//! The operator's command line: `shebao-agency --data-dir DIR <command>`.

mod issue_token;
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
    #[command(group(clap::ArgGroup::new("card").required(true).args(["card_public_key", "card_certificate"])))]
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
        /// The card's public key, SM2 or P-256: the uncompressed point (65 bytes) in hex, or a
        /// PEM public key (-----BEGIN PUBLIC KEY-----).
        #[arg(long, value_name = "HEX|PEM", allow_hyphen_values = true)]
        card_public_key: Option<String>,
        /// The certificate (PEM or DER) of the card's key, such as the one on a PKCS#11 token.
        #[arg(long, value_name = "FILE")]
        card_certificate: Option<PathBuf>,
    },
    /// Make a PKCS#11 token the unit's key: generate a P-256 key pair on it, write the unit's
    /// certificate signed by the agency's CA beside it, and register its public key (opening the
    /// unit if it is new, replacing its card key and ending its sessions if not).
    IssueToken(IssueToken),
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

#[derive(Debug, Clone, Args)]
pub struct IssueToken {
    #[arg(long)]
    pub unit_no: String,
    /// The token's PKCS#11 module (the vendor's .so or .dll).
    #[arg(long, value_name = "MODULE")]
    pub module: PathBuf,
    /// The token's user PIN.
    #[arg(long, env = "SHEBAO_TOKEN_PIN", hide_env_values = true)]
    pub pin: String,
    /// The label of the token to use, when the module holds more than one.
    #[arg(long, value_name = "LABEL")]
    pub token: Option<String>,
    /// The unit's name, for a unit not yet opened.
    #[arg(long)]
    pub name: Option<String>,
    /// The unified social credit code, for a unit not yet opened.
    #[arg(long)]
    pub uscc: Option<String>,
    /// The initial password, for a unit not yet opened.
    #[arg(long)]
    pub password: Option<String>,
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
