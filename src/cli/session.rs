//! `shebao login`, `shebao password`, `shebao logout`.

use shebao_store::Store;
use shebao_sync::{PendingLogin, TokenHome, block_on, finish_login, start_login};

use super::context::{self, Failure, GlobalArgs, Outcome};
use super::exit;

const PENDING: &str = "login_challenge";

#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// The captcha shown in the image written by a `shebao login` without this option.
    #[arg(long)]
    pub captcha: Option<String>,
}

/// Without `--captcha`: fetch a challenge, write its captcha image and say where. With it:
/// answer the pending challenge (or a fresh one) with the card's signature and the password.
pub fn login(global: &GlobalArgs, args: &LoginArgs) -> Outcome {
    let card = context::card(global)?;
    let (keys, tokens) = context::secrets();
    let data = context::data_dir(global)?;
    let mut store = Store::open_unit(&data, &card.identity.unit_no, &keys)?;
    let client = context::client(global)?;
    let Some(captcha) = &args.captcha else {
        let pending = block_on(start_login(&client, &card.identity.unit_no))??;
        store.set_sync_value(PENDING, &pending.to_text())?;
        let image = data.unit_dir(&card.identity.unit_no)?.join("captcha.png");
        std::fs::write(&image, &pending.captcha_png)?;
        println!("{}", image.display());
        eprintln!(
            "单位编号 / unit {}: the captcha image is at the path above; run `shebao login \
             --captcha TEXT` within two minutes.",
            card.identity.unit_no
        );
        return Ok(exit::NEEDS_CAPTCHA);
    };
    let stored = store
        .sync_value(PENDING)?
        .and_then(|t| PendingLogin::from_text(&t))
        .filter(|p| p.unit_no == card.identity.unit_no && !p.is_expired());
    let pending = match stored {
        Some(p) => p,
        None => block_on(start_login(&client, &card.identity.unit_no))??,
    };
    let password = context::secret("SHEBAO_PASSWORD", "单位密码 / unit password")?;
    let result = block_on(finish_login(&client, &pending, &password, captcha, &card))?;
    // A challenge is single-use, whatever the answer was.
    store.set_sync_value(PENDING, "")?;
    let session = result?;
    tokens.save(&mut store, &session)?;
    store.set_unit_identity(&session.unit.name, &session.unit.uscc)?;
    println!(
        "已登录 / logged in: {} {}",
        session.unit.unit_no, session.unit.name
    );
    if session.must_change_password {
        eprintln!(
            "The agency requires a new password before anything else: run `shebao password`."
        );
        return Ok(exit::PASSWORD_CHANGE_REQUIRED);
    }
    Ok(exit::OK)
}

/// Change the unit password (old from SHEBAO_PASSWORD, new from SHEBAO_NEW_PASSWORD, or prompts).
pub fn password(global: &GlobalArgs) -> Outcome {
    let (mut store, tokens) = context::open_store(global)?;
    let mut session = tokens.require(&store)?;
    let old = context::secret("SHEBAO_PASSWORD", "当前密码 / current password")?;
    let new = context::secret("SHEBAO_NEW_PASSWORD", "新密码 / new password")?;
    if new == old {
        return Err(Failure::new(
            exit::BAD_INPUT,
            "The new password must differ from the old one.",
        ));
    }
    let mut client = context::client(global)?;
    client.set_token(Some(session.token.clone()));
    if let Err(e) = block_on(client.change_password(&old, &new))? {
        context::forget_session_on_401(&mut store, &tokens, &e);
        return Err(e.into());
    }
    session.must_change_password = false;
    tokens.save(&mut store, &session)?;
    println!("密码已修改 / password changed");
    Ok(exit::OK)
}

/// End the session at the agency and forget the token.
pub fn logout(global: &GlobalArgs) -> Outcome {
    let (mut store, tokens) = context::open_store(global)?;
    if let Some(session) = tokens.load(&store)? {
        let mut client = context::client(global)?;
        client.set_token(Some(session.token));
        // Offline logout still forgets the token here; the agency's session just expires.
        let _ = block_on(client.logout());
    }
    forget(&mut store, &tokens)?;
    println!("已注销 / logged out");
    Ok(exit::OK)
}

fn forget(store: &mut Store, tokens: &TokenHome) -> Result<(), Failure> {
    tokens.clear(store)?;
    Ok(())
}
