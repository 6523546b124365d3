//! shebao-card-sim: a `shebao-ukey/1` card in software, for tests and demos.
//!
//! `new` makes a card file with a fresh SM2 key pair; `sign` signs a challenge as the card
//! would; `insert` plugs the card into a vpcd reader of a running pcscd until it is stopped or
//! its time is up.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use shebao_ukey::profile;
use shebao_ukey::sim::vpcd::{self, InsertOptions};
use shebao_ukey::sim::{CardFile, sign_challenge};

#[derive(Debug, Parser)]
#[command(
    name = "shebao-card-sim",
    version,
    about = "A simulated shebao UKey (card profile shebao-ukey/1)"
)]
struct Cli {
    /// The card file (TOML) to use.
    #[arg(long, global = true)]
    card: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Make a new card file with a fresh SM2 key pair; prints the public key in hex.
    New {
        #[arg(long)]
        unit_no: String,
        #[arg(long)]
        name: String,
        /// The unit's unified social credit code.
        #[arg(long)]
        uscc: String,
        /// A PIN the card demands before it signs.
        #[arg(long)]
        pin: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a 32-byte challenge (hex) as the card would; prints r‖s in hex.
    Sign { challenge: String },
    /// Print the card's public key in hex (65 bytes, uncompressed).
    PublicKey,
    /// Put the card into a vpcd reader of the running pcscd.
    Insert {
        /// vpcd reader 0 (port 35963) or 1 (port 35964).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=1))]
        reader: u8,
        /// Pull the card out after this many milliseconds.
        #[arg(long)]
        remove_after_ms: Option<u64>,
        /// Pull the card out when a command with this instruction byte (hex, e.g. B0 or 88)
        /// arrives, before answering it: a card yanked in the middle of an exchange.
        #[arg(long, value_parser = parse_hex_byte)]
        pull_on_ins: Option<u8>,
        /// Answer to this application identifier (hex) instead of shebao's: a card of
        /// another kind.
        #[arg(long)]
        aid: Option<String>,
    },
}

fn parse_hex_byte(text: &str) -> Result<u8, String> {
    u8::from_str_radix(text.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shebao-card-sim: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::New {
            unit_no,
            name,
            uscc,
            pin,
            out,
        } => {
            let file = CardFile::generate(&unit_no, &name, &uscc, pin.as_deref());
            let card = file.to_card()?;
            file.save(&out)?;
            println!("{}", hex::encode(card.public_key()));
            Ok(())
        }
        Command::Sign { challenge } => {
            let card = load(cli.card)?;
            let challenge = hex::decode(challenge.trim()).context("the challenge is not hex")?;
            if challenge.len() != profile::CHALLENGE_LEN {
                bail!(
                    "the challenge must be {} bytes, not {}",
                    profile::CHALLENGE_LEN,
                    challenge.len()
                );
            }
            println!("{}", hex::encode(sign_challenge(&card, &challenge)?));
            Ok(())
        }
        Command::PublicKey => {
            println!("{}", hex::encode(load(cli.card)?.public_key()));
            Ok(())
        }
        Command::Insert {
            reader,
            remove_after_ms,
            pull_on_ins,
            aid,
        } => {
            let mut card = load(cli.card)?;
            if let Some(aid) = aid {
                card = card.with_aid(&hex::decode(aid).context("the AID is not hex")?);
            }
            let options = InsertOptions {
                reader,
                remove_after: remove_after_ms.map(Duration::from_millis),
                pull_on_ins,
            };
            let inserted = vpcd::insert(Arc::new(card), options)?;
            eprintln!(
                "shebao-card-sim: card in reader “{}”",
                vpcd::reader_name(reader)
            );
            let ending = inserted.wait()?;
            eprintln!("shebao-card-sim: card out ({ending:?})");
            Ok(())
        }
    }
}

fn load(path: Option<PathBuf>) -> anyhow::Result<shebao_ukey::sim::SimCard> {
    let Some(path) = path else {
        bail!("which card? pass --card card.toml");
    };
    Ok(CardFile::load(&path)?.to_card()?)
}
