//! What every store- or agency-facing subcommand needs: the global options, the card, the
//! unit's store and a client with the session token; and how their errors become exit codes.

use std::path::PathBuf;
use std::sync::Arc;

use shebao_store::vault::{KEYRING_SERVICE, OsKeyring, SecretVault, VaultError};
use shebao_store::{DataDir, KeySource, PASSPHRASE_VAR, Store, StoreError};
use shebao_sync::{AgencyClient, ClientConfig, SyncError, TokenHome};

use super::clerk_card::{self, ClerkCard};
use super::exit;

/// Options shared by the store and agency subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// The folder holding the local stores (default: the platform's data folder).
    #[arg(long, global = true, env = "SHEBAO_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The agency's address.
    #[arg(long, global = true, env = "SHEBAO_AGENCY", value_name = "URL")]
    pub agency: Option<String>,
    /// An extra CA certificate (PEM) to trust, such as the reference agency's ca.pem.
    #[arg(long, global = true, env = "SHEBAO_CA", value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Use the key in a card file instead of a UKey over PC/SC (demo and tests).
    #[arg(long, global = true, env = "SHEBAO_SIM_CARD", value_name = "CARD.TOML")]
    pub sim_card: Option<PathBuf>,
    /// Use a token through this PKCS#11 module (the vendor's .dll or .so) instead of a UKey over
    /// PC/SC; without it, `pkcs11_module` of the settings.
    #[arg(long, global = true, env = "SHEBAO_PKCS11", value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// Open this unit's store without a card (support staff; only for local jobs).
    #[arg(long, global = true, value_name = "UNIT_NO")]
    pub unit: Option<String>,
}

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        let error = e.into();
        Self {
            code: code_of(&error),
            error,
        }
    }
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            error: anyhow::anyhow!(message.into()),
        }
    }
}

pub type Outcome = Result<u8, Failure>;

fn code_of(e: &anyhow::Error) -> u8 {
    if let Some(e) = e.downcast_ref::<SyncError>() {
        return match e {
            SyncError::NeedsConnection { .. } => exit::NEEDS_CONNECTION,
            SyncError::LoginRequired
            | SyncError::LoginRefused
            | SyncError::LockedOut { .. }
            | SyncError::ChallengeExpired => exit::LOGIN_REQUIRED,
            SyncError::PasswordChangeRequired => exit::PASSWORD_CHANGE_REQUIRED,
            SyncError::SyncInProgress => exit::BUSY,
            SyncError::Card(_) => exit::NO_CARD,
            SyncError::WrongOldPassword | SyncError::WeakPassword { .. } => exit::BAD_INPUT,
            SyncError::Invalid { .. } => exit::REFUSED,
            SyncError::Store(s) => store_code(s),
            _ => exit::FAILED,
        };
    }
    if let Some(s) = e.downcast_ref::<StoreError>() {
        return store_code(s);
    }
    exit::FAILED
}

fn store_code(e: &StoreError) -> u8 {
    match e {
        StoreError::Damaged { .. }
        | StoreError::WrongKey { .. }
        | StoreError::NoKey { .. }
        | StoreError::KeyLost { .. }
        | StoreError::KeyringLocked { .. }
        | StoreError::TooNew { .. } => exit::STORE_UNUSABLE,
        StoreError::Import { .. }
        | StoreError::Backup { .. }
        | StoreError::BackupDamaged { .. }
        | StoreError::BackupPasswordNeeded { .. }
        | StoreError::WrongBackupPassword { .. }
        | StoreError::BackupPasswordTooShort { .. }
        | StoreError::NothingToRecover { .. }
        | StoreError::NotFound { .. } => exit::BAD_INPUT,
        StoreError::InUse { .. } => exit::BUSY,
        _ => exit::FAILED,
    }
}

/// The unit's UKey: from the card simulator with `--sim-card`, else a token of the PKCS#11
/// module of `--pkcs11` or the settings, else over PC/SC.
pub fn card(args: &GlobalArgs) -> Result<ClerkCard, Failure> {
    clerk_card::find(card_source(args)?)
}

/// Where the options and settings say the UKey is.
pub fn card_source(args: &GlobalArgs) -> Result<shebao_ukey::CardSource, Failure> {
    let module = args.pkcs11.clone().or_else(|| {
        data_dir(args)
            .ok()
            .and_then(|data| crate::config::pkcs11_module(data.root()))
    });
    clerk_card::source(args.sim_card.as_deref(), module)
}

/// The unit whose store to open: `--unit`, else the card's.
pub fn unit_no(args: &GlobalArgs) -> Result<String, Failure> {
    match &args.unit {
        Some(u) => Ok(u.clone()),
        None => Ok(card(args)?.identity.unit_no),
    }
}

/// The keyring if it answers; where the session token goes. A keyring that answers but is
/// locked is the keyring: the store then asks for it to be unlocked instead of falling back.
pub fn secrets() -> (KeySource, TokenHome) {
    let keyring: Arc<dyn SecretVault> = Arc::new(OsKeyring::new(KEYRING_SERVICE));
    let available = !matches!(keyring.get("probe"), Err(VaultError::Unavailable(_)));
    let keys = KeySource::from_env(keyring.clone());
    if available {
        (keys, TokenHome::Vault(keyring))
    } else {
        if std::env::var_os(PASSPHRASE_VAR).is_some() {
            eprintln!(
                "警告 / WARNING: no OS keyring is available on this computer. The local store is \
                 encrypted with a key derived from {PASSPHRASE_VAR}, and the session token is \
                 kept inside the encrypted store."
            );
        }
        (keys, TokenHome::Store)
    }
}

/// The data folder.
pub fn data_dir(args: &GlobalArgs) -> Result<DataDir, Failure> {
    match &args.data_dir {
        Some(d) => Ok(DataDir::at(d)),
        None => Ok(DataDir::platform()?),
    }
}

/// Open the unit's store.
pub fn open_store(args: &GlobalArgs) -> Result<(Store, TokenHome), Failure> {
    let (keys, tokens) = secrets();
    let store = Store::open_unit(&data_dir(args)?, &unit_no(args)?, &keys)?;
    Ok((store, tokens))
}

/// A client for the agency, without a session.
pub fn client(args: &GlobalArgs) -> Result<AgencyClient, Failure> {
    let Some(url) = &args.agency else {
        return Err(Failure::new(
            exit::BAD_INPUT,
            "No agency address: pass --agency URL or set SHEBAO_AGENCY.",
        ));
    };
    let mut config = ClientConfig::new(url.clone());
    config.ca_file = args.ca.clone();
    if let Some(secs) = std::env::var("SHEBAO_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        config.timeout = std::time::Duration::from_secs(secs);
    }
    Ok(AgencyClient::new(&config)?)
}

/// A client carrying the kept session token, or "log in first".
pub fn session_client(
    args: &GlobalArgs,
    store: &Store,
    tokens: &TokenHome,
) -> Result<AgencyClient, Failure> {
    let session = tokens.require(store)?;
    if session.must_change_password {
        return Err(SyncError::PasswordChangeRequired.into());
    }
    let mut client = client(args)?;
    client.set_token(Some(session.token));
    Ok(client)
}

/// Forget the kept session when the agency says it is gone.
pub fn forget_session_on_401(store: &mut Store, tokens: &TokenHome, e: &SyncError) {
    if matches!(e, SyncError::LoginRequired) {
        let _ = tokens.clear(store);
    }
}

/// A secret from the environment, or a line read from the terminal.
pub fn secret(var: &str, prompt: &str) -> Result<String, Failure> {
    if let Ok(v) = std::env::var(var) {
        return Ok(v);
    }
    // Typed without echo, so a password never stands on the screen or in a terminal log.
    let value = rpassword::prompt_password(format!("{prompt}: "))?;
    if value.is_empty() {
        return Err(Failure::new(
            exit::BAD_INPUT,
            format!("No {prompt} given (set {var})."),
        ));
    }
    Ok(value)
}

/// Print a failure and turn the outcome into the process's exit code.
pub fn finish(outcome: Outcome) -> std::process::ExitCode {
    match outcome {
        Ok(code) => std::process::ExitCode::from(code),
        Err(f) => {
            eprintln!("错误 / error: {:#}", f.error);
            std::process::ExitCode::from(f.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_the_documented_exit_codes() {
        let code = |e: anyhow::Error| Failure::from(e).code;
        let offline = SyncError::NeedsConnection {
            reason: "refused".into(),
        };
        assert_eq!(code(offline.into()), exit::NEEDS_CONNECTION);
        assert_eq!(code(SyncError::LoginRequired.into()), exit::LOGIN_REQUIRED);
        assert_eq!(
            code(SyncError::PasswordChangeRequired.into()),
            exit::PASSWORD_CHANGE_REQUIRED
        );
        assert_eq!(code(SyncError::SyncInProgress.into()), exit::BUSY);
        let damaged = StoreError::Damaged {
            path: "x".into(),
            detail: "page 3".into(),
        };
        assert_eq!(code(damaged.into()), exit::STORE_UNUSABLE);
        let no_key = SyncError::Store(StoreError::NoKey {
            reason: "none".into(),
        });
        assert_eq!(code(no_key.into()), exit::STORE_UNUSABLE);
        assert_eq!(code(anyhow::anyhow!("disk full")), exit::FAILED);
    }

    #[test]
    fn an_explicit_unit_needs_no_card() {
        let args = GlobalArgs {
            data_dir: None,
            agency: None,
            ca: None,
            sim_card: None,
            pkcs11: None,
            unit: Some("1001".into()),
        };
        assert_eq!(unit_no(&args).unwrap(), "1001");
    }
}
