//! `shebao card`: the first thing a support person runs on a clerk's PC. Lists the readers,
//! says whether a card is in each, and shows the unit number, name and credit code read from
//! it — or the error, worded so the clerk can act on it. `--watch` keeps printing reader and
//! card events as they happen.

use std::process::ExitCode;
use std::time::Duration;

use shebao_ukey::pcsc_backend::{self, ReaderStatus};
use shebao_ukey::{CardEvent, CardIdentity, CardSource, RecvError};

use super::exit;

/// How long one card gets to answer before `shebao card` reports it as not answering.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Keep watching: print every reader and card event, with its time, until Ctrl-C.
    #[arg(long)]
    pub watch: bool,
}

pub fn run(args: Args) -> ExitCode {
    if args.watch { watch() } else { report() }
}

fn report() -> ExitCode {
    let readers = match pcsc_backend::list_readers() {
        Ok(readers) => readers,
        Err(error) => {
            eprintln!("错误 / error: {error}");
            return ExitCode::from(exit::FAILED);
        }
    };
    println!("读卡器 / readers: {}", readers.len());
    let mut read_one = false;
    let mut any_card = false;
    for ReaderStatus { name, card_present } in &readers {
        if !*card_present {
            println!("  {name}: 无卡 / no card");
            continue;
        }
        any_card = true;
        match pcsc_backend::read_card(name, READ_TIMEOUT) {
            Ok(identity) => {
                println!("  {name}: UKey");
                print_identity(&identity, "    ");
                read_one = true;
            }
            Err(error) => println!("  {name}: {error}"),
        }
    }
    if read_one {
        return ExitCode::from(exit::OK);
    }
    if !any_card {
        eprintln!(
            "错误 / error: 所有读卡器中都没有卡：请插入 UKey。 (No reader holds a card: insert \
             the UKey.)"
        );
    }
    ExitCode::from(exit::FAILED)
}

fn watch() -> ExitCode {
    eprintln!("正在监视读卡器，按 Ctrl-C 结束 / watching the readers, Ctrl-C to stop");
    let mut events = shebao_ukey::watch(CardSource::Pcsc);
    loop {
        match events.recv_timeout(Duration::from_secs(3600)) {
            Ok(event) => print_event(&event),
            Err(RecvError::Timeout) => {}
            Err(RecvError::Closed) => return ExitCode::from(exit::FAILED),
        }
    }
}

fn print_event(event: &CardEvent) {
    let now = chrono::Local::now().format("%H:%M:%S%.3f");
    match event {
        CardEvent::ReaderAdded { reader } => println!("{now} 读卡器接入 / reader added: {reader}"),
        CardEvent::ReaderRemoved { reader } => {
            println!("{now} 读卡器移除 / reader removed: {reader}")
        }
        CardEvent::CardInserted { card } => {
            println!("{now} 插入卡片 / card inserted: {}", card.reader())
        }
        CardEvent::CardRead { card, identity } => {
            println!("{now} 读取成功 / card read: {}", card.reader());
            print_identity(identity, "             ");
        }
        CardEvent::CardUnreadable { card, error } => {
            println!(
                "{now} 无法读取 / card unreadable: {}: {error}",
                card.reader()
            )
        }
        CardEvent::CardRemoved { card } => {
            println!("{now} 拔出卡片 / card removed: {}", card.reader())
        }
        CardEvent::ServiceUnavailable { error } => println!("{now} {error}"),
        CardEvent::ServiceRestored => {
            println!("{now} 智能卡服务已恢复 / the smart-card service is back")
        }
    }
}

fn print_identity(identity: &CardIdentity, indent: &str) {
    println!("{indent}单位编号 / unit number: {}", identity.unit_no);
    println!("{indent}单位名称 / unit name: {}", identity.unit_name);
    println!(
        "{indent}统一社会信用代码 / credit code: {}",
        identity.credit_code
    );
}

#[cfg(test)]
mod tests {
    use shebao_ukey::UKeyError;

    #[test]
    fn a_missing_service_is_told_in_words_a_support_person_can_act_on() {
        let text = UKeyError::NoService.to_string();
        assert!(text.contains("pcscd"), "{text}");
    }
}
