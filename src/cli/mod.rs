//! The `shebao` command line: parsing and dispatch. Each subcommand lives in its own module.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod backup;
mod card;
mod check_id;
pub mod clerk_card;
mod context;
mod declarations;
mod drafts;
mod print;
mod session;
mod submit;
mod sync;
mod template;

/// Exit codes a script can rely on.
pub mod exit {
    /// The job was done.
    pub const OK: u8 = 0;
    /// The input was wrong (a bad identity number, a bad file): fix the input and run again.
    pub const BAD_INPUT: u8 = 2;
    /// Something else failed (disk, an unexpected answer); the message says what.
    pub const FAILED: u8 = 1;
    /// The agency could not be reached. Anything submitted stays queued and is sent by a later
    /// `shebao sync`; nothing was lost.
    pub const NEEDS_CONNECTION: u8 = 3;
    /// Not logged in, the session expired, or the login was refused or locked: run
    /// `shebao login` (again).
    pub const LOGIN_REQUIRED: u8 = 4;
    /// The agency demands a new password first: run `shebao password`.
    pub const PASSWORD_CHANGE_REQUIRED: u8 = 5;
    /// The local store cannot be opened (damaged, wrong key, its key lost, no keyring, a locked
    /// keyring): see the message; usually unlock the keyring, or `shebao restore FILE`.
    pub const STORE_UNUSABLE: u8 = 6;
    /// Another shebao process is syncing this unit, or has its store open during a restore:
    /// try again later.
    pub const BUSY: u8 = 7;
    /// `shebao login` wrote the captcha image (its path is on standard output): run
    /// `shebao login --captcha TEXT`.
    pub const NEEDS_CAPTCHA: u8 = 8;
    /// The agency refused some declarations as invalid; their items are back among the drafts
    /// with the reasons.
    pub const REFUSED: u8 = 9;
    /// No UKey could be read (no PC/SC service, no reader, no card, another kind of card, a
    /// wrong or blocked PIN): the message says which; insert the unit's UKey and run again.
    pub const NO_CARD: u8 = 10;
}

#[derive(Debug, Parser)]
#[command(
    name = "shebao",
    version,
    about = "社保网上申报客户端 — declare social-insurance business to the agency"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub global: context::GlobalArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the card readers and the UKey in them (unit number, name, credit code);
    /// `--watch` prints reader and card events as they happen.
    Card(card::Args),
    /// Check identity numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).
    CheckId(check_id::Args),
    /// Log in with the card, the unit password and a captcha (two steps: image, then answer).
    Login(session::LoginArgs),
    /// End the session and forget the token.
    Logout,
    /// Change the unit password (SHEBAO_PASSWORD and SHEBAO_NEW_PASSWORD, or prompts).
    Password,
    /// Fetch the agency's reference data (code tables, rates) for offline validation.
    Reference,
    /// Drafts: import a workbook or CSV file, export, list what is not yet submitted.
    Drafts {
        #[command(subcommand)]
        command: drafts::DraftsCommand,
    },
    /// Write an .xlsx template (hire, leave or wage) with drop-down lists to fill in and import.
    Template(template::Args),
    /// Submit the drafts: queue them, then send them to the agency.
    Submit(submit::SubmitArgs),
    /// Send what is queued and fetch the agency's feedback, announcements and data.
    Sync(sync::SyncArgs),
    /// The six home-page counts and the list of declarations.
    Declarations(declarations::ListArgs),
    /// Show a declaration's per-person results and mark it viewed (查阅).
    View(declarations::ViewArgs),
    /// Copy the unit's local store to a backup file.
    Backup(backup::FileArg),
    /// Replace the unit's local store with a backup file; a backup from another computer asks
    /// for its backup password (or recovery code).
    Restore(backup::RestoreArgs),
    /// Set or change the backup password, with which backups restore on any computer; shows
    /// the recovery code once.
    BackupPassword(backup::PasswordArgs),
    /// When the store's key is lost (or the file is damaged): keep the old file aside and start
    /// an empty store; what was submitted comes back at the next sync.
    FreshStore(backup::FreshArgs),
    /// Print a declaration's form, its receipt (--receipt) or the drafts of a kind (--drafts)
    /// as a PDF to sign and stamp.
    Print(print::PrintArgs),
    /// Read the QR codes of a printed PDF or of a scanned page (PNG) and say what they name.
    VerifyPrint(print::VerifyArgs),
}

pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    if let Ok(data) = context::data_dir(&cli.global) {
        crate::logging::init(data.root());
    }
    // Only the subcommand's name: its arguments may hold identity numbers.
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        command = matches.subcommand_name().unwrap_or("window"),
        "shebao started"
    );
    match cli.command {
        Some(Command::Card(args)) => card::run(args, &cli.global),
        Some(Command::CheckId(args)) => check_id::run(args),
        Some(Command::Login(args)) => context::finish(session::login(&cli.global, &args)),
        Some(Command::Logout) => context::finish(session::logout(&cli.global)),
        Some(Command::Password) => context::finish(session::password(&cli.global)),
        Some(Command::Reference) => context::finish(sync::reference(&cli.global)),
        Some(Command::Drafts { command }) => context::finish(drafts::run(&cli.global, &command)),
        Some(Command::Template(args)) => context::finish(template::run(&cli.global, &args)),
        Some(Command::Submit(args)) => context::finish(submit::run(&cli.global, &args)),
        Some(Command::Sync(args)) => context::finish(sync::run(&cli.global, &args)),
        Some(Command::Declarations(args)) => {
            context::finish(declarations::list(&cli.global, &args))
        }
        Some(Command::View(args)) => context::finish(declarations::view(&cli.global, &args)),
        Some(Command::Backup(args)) => context::finish(backup::backup(&cli.global, &args)),
        Some(Command::Restore(args)) => context::finish(backup::restore(&cli.global, &args)),
        Some(Command::BackupPassword(args)) => {
            context::finish(backup::set_password(&cli.global, &args))
        }
        Some(Command::FreshStore(args)) => context::finish(backup::fresh_store(&cli.global, &args)),
        Some(Command::Print(args)) => context::finish(print::run(&cli.global, &args)),
        Some(Command::VerifyPrint(args)) => context::finish(print::verify(&cli.global, &args)),
        None => {
            // No subcommand: the desktop window. A missing agency address still opens it; the
            // login screen says what is wrong.
            let card_source = match context::card_source(&cli.global) {
                Ok(source) => source,
                Err(f) => return context::finish(Err(f)),
            };
            let data_dir = match context::data_dir(&cli.global) {
                Ok(dir) => dir,
                Err(f) => return context::finish(Err(f)),
            };
            let (keys, tokens) = context::secrets();
            // The settings file first; the environment, when set, wins (support staff use it).
            let settings = crate::config::Settings::load(&crate::config::path(data_dir.root()));
            for notice in &settings.notices {
                tracing::warn!("settings: {notice}");
            }
            crate::i18n::select(
                crate::i18n::from_environment().unwrap_or(settings.settings.language),
            );
            // The command line and the environment win; the settings fill in what they leave.
            let mut global = cli.global.clone();
            let chosen = &settings.settings;
            if global.agency.is_none() && !chosen.agency_url.trim().is_empty() {
                global.agency = Some(chosen.agency_url.trim().to_owned());
            }
            if global.ca.is_none() {
                global.ca = chosen.ca_file.clone();
            }
            let agency = context::client(&global).map_err(|f| format!("{:#}", f.error));
            let theme = settings.settings.theme.preference();
            crate::app::run(crate::app::Setup {
                card_source,
                services: crate::screen::session::Services {
                    data_dir,
                    keys,
                    tokens,
                    agency,
                },
                demo: cli.global.sim_card.is_some(),
                theme,
                feedback_poll_seconds: settings.settings.poll_seconds,
            })
        }
    }
}
