//! `shebao backup FILE`, `shebao restore FILE`, `shebao backup-password` and
//! `shebao fresh-store`.
//!
//! The backup password is never a command-line argument (other users see those in the process
//! list): it comes from standard input (`--password-stdin`), from an environment variable, or
//! is typed without echo.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use shebao_store::{BackupPassword, Store, StoreError};

use super::context::{self, GlobalArgs, Outcome};
use super::exit;

/// The variable a script puts the backup password (or recovery code) of a restore in.
const PASSWORD_VAR: &str = "SHEBAO_BACKUP_PASSWORD";
/// The variable a script puts a new backup password in.
const NEW_PASSWORD_VAR: &str = "SHEBAO_NEW_BACKUP_PASSWORD";

#[derive(Debug, clap::Args)]
pub struct FileArg {
    /// The backup file.
    pub file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file.
    pub file: PathBuf,
    /// Read the backup password (or the recovery code) from the first line of standard input,
    /// when the backup was made on another computer. Otherwise it is taken from
    /// SHEBAO_BACKUP_PASSWORD, or asked for.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, clap::Args)]
pub struct PasswordArgs {
    /// Read the new backup password from the first line of standard input. Otherwise it is
    /// taken from SHEBAO_NEW_BACKUP_PASSWORD, or typed twice.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, clap::Args)]
pub struct FreshArgs {
    /// Confirm that the drafts not yet submitted are lost with the old store.
    #[arg(long)]
    pub yes: bool,
}

pub fn backup(global: &GlobalArgs, args: &FileArg) -> Outcome {
    let (store, _) = context::open_store(global)?;
    store.backup_to(&args.file)?;
    println!("backed up to / 已备份到 {}", args.file.display());
    if store.backup_password_set_at()?.is_none() {
        eprintln!(
            "注意 / note: no backup password is set, so this backup opens only with this \
             computer's keyring. Set one with `shebao backup-password`, and later backups \
             restore on any computer."
        );
    }
    Ok(exit::OK)
}

/// Works on a damaged store, or one whose key is lost, too: it never opens the current file,
/// only moves it aside.
pub fn restore(global: &GlobalArgs, args: &RestoreArgs) -> Outcome {
    let (keys, _) = context::secrets();
    let unit = context::unit_no(global)?;
    let data = context::data_dir(global)?;
    let given = if args.password_stdin {
        Some(first_line_of_stdin()?)
    } else {
        std::env::var(PASSWORD_VAR).ok().map(BackupPassword::new)
    };
    let store = match Store::restore_unit(&data, &unit, &keys, &args.file, given.as_ref()) {
        Err(StoreError::BackupPasswordNeeded { .. }) if given.is_none() => {
            let typed = typed(
                "backup password or recovery code / 备份密码或恢复码",
                || {
                    format!(
                        "This backup was made on another computer (or before the keyring was \
                     reset) and needs its backup password: type it, or give it with \
                     --password-stdin or {PASSWORD_VAR}."
                    )
                },
            )?;
            Store::restore_unit(&data, &unit, &keys, &args.file, Some(&typed))?
        }
        other => other?,
    };
    println!(
        "restored from / 已从备份恢复 {} ({} draft(s), {} declaration(s))",
        args.file.display(),
        store.draft_count()?,
        store.declarations(None)?.len()
    );
    Ok(exit::OK)
}

/// `shebao backup-password`: set or change the backup password; prints the recovery code once.
pub fn set_password(global: &GlobalArgs, args: &PasswordArgs) -> Outcome {
    let (mut store, _) = context::open_store(global)?;
    let password = if args.password_stdin {
        first_line_of_stdin()?
    } else if let Ok(p) = std::env::var(NEW_PASSWORD_VAR) {
        BackupPassword::new(p)
    } else {
        let no_terminal =
            || format!("No new backup password: set {NEW_PASSWORD_VAR} or pass --password-stdin.");
        let first = typed("new backup password / 新的备份密码", no_terminal)?;
        let again = typed("again / 再输入一次", no_terminal)?;
        if first != again {
            return Err(context::Failure::new(
                exit::BAD_INPUT,
                "The two passwords differ; nothing was changed. / 两次输入的密码不同，未做更改。",
            ));
        }
        first
    };
    let code = store.set_backup_password(&password)?;
    println!(
        "The backup password is set: every backup from now on restores on any computer with it. \
         / 备份密码已设置。\n\
         Recovery code / 恢复码: {code}\n\
         It opens the same backups if the password is forgotten. Write it down and keep it away \
         from the computer: it is shown only now. / 忘记密码时可用它恢复。请抄下并与电脑分开保管，只显示这一次。"
    );
    Ok(exit::OK)
}

/// `shebao fresh-store --yes`: when the store's key is lost (or the file is damaged), keep the
/// old file aside and start an empty store; what was submitted comes back at the next sync.
pub fn fresh_store(global: &GlobalArgs, args: &FreshArgs) -> Outcome {
    const LOSES: &str = "A fresh store starts empty. Drafts not yet submitted, and declarations \
        still waiting to be sent, are lost unless a backup holds them (try `shebao restore FILE` \
        first). Everything the agency received comes back at the first `shebao sync`. The old \
        file is kept aside, never deleted. / 新建的数据库是空的：未提交的数据和尚未发出的申报会丢失\
        （可先尝试从备份恢复）；经办机构已收到的申报会在第一次同步时取回。旧文件会另存，不会删除。";
    if !args.yes {
        return Err(context::Failure::new(
            exit::BAD_INPUT,
            format!("{LOSES} Run again with --yes to start the fresh store."),
        ));
    }
    let (keys, _) = context::secrets();
    let unit = context::unit_no(global)?;
    let fresh = Store::start_fresh(&context::data_dir(global)?, &unit, &keys)?;
    println!(
        "A fresh store was started for unit {unit}; the unreadable one is kept as {}. Run \
         `shebao login` and `shebao sync` to bring back what was submitted. / 已新建数据库，旧文件另存为上述路径。",
        fresh.set_aside.display()
    );
    Ok(exit::OK)
}

fn first_line_of_stdin() -> Result<BackupPassword, context::Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        return Err(context::Failure::new(
            exit::BAD_INPUT,
            "Standard input holds no password.",
        ));
    }
    Ok(BackupPassword::new(line))
}

/// A password typed without echo; without a terminal, the failure `missing` describes.
fn typed(prompt: &str, missing: impl Fn() -> String) -> Result<BackupPassword, context::Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(context::Failure::new(exit::BAD_INPUT, missing()));
    }
    let value = rpassword::prompt_password(format!("{prompt}: "))?;
    if value.is_empty() {
        return Err(context::Failure::new(exit::BAD_INPUT, missing()));
    }
    Ok(BackupPassword::new(value))
}
