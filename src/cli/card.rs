//! `shebao card`: the first thing a support person runs on a clerk's PC. Lists the readers,
//! says whether a card is in each, and shows the unit number, name and credit code read from
//! it — or the error, worded so the clerk can act on it. `--watch` keeps printing reader and
//! card events as they happen. With a PKCS#11 module (`--pkcs11` or the settings) it lists the
//! module's slots and the unit on each token instead.

use std::process::ExitCode;
use std::time::Duration;

use shebao_ukey::pcsc_backend::{self, ReaderStatus};
use shebao_ukey::pkcs11::{Pkcs11Module, SlotReport};
use shebao_ukey::{CardEvent, CardIdentity, CardSource, RecvError};

use super::context::{self, GlobalArgs};
use super::exit;

/// How long one card gets to answer before `shebao card` reports it as not answering.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Keep watching: print every reader and card event, with its time, until Ctrl-C.
    #[arg(long)]
    pub watch: bool,
}

pub fn run(args: Args, global: &GlobalArgs) -> ExitCode {
    let source = match context::card_source(global) {
        Ok(source) => source,
        Err(failure) => return context::finish(Err(failure)),
    };
    match (args.watch, source) {
        (true, source) => watch(source),
        (false, CardSource::Pkcs11(module)) => report_tokens(&module),
        (false, _) => report(),
    }
}

/// The slots of a PKCS#11 module and the unit on each token.
fn report_tokens(module: &Pkcs11Module) -> ExitCode {
    let found = module
        .check()
        .and_then(|_| shebao_ukey::pkcs11::read_tokens(module, READ_TIMEOUT));
    let slots = match found {
        Ok(slots) => slots,
        Err(error) => {
            eprintln!("错误 / error: {error}");
            return ExitCode::from(exit::NO_CARD);
        }
    };
    println!(
        "PKCS#11 模块 / module {}: {} 个插槽 / slots",
        module.path().display(),
        slots.len()
    );
    let mut read_one = false;
    for SlotReport { slot, token } in &slots {
        match token {
            None => println!("  {slot}: 无令牌 / no token"),
            Some(Ok(identity)) => {
                println!("  {slot}: UKey");
                print_identity(identity, "    ");
                read_one = true;
            }
            Some(Err(error)) => println!("  {slot}: {error}"),
        }
    }
    if read_one {
        return ExitCode::from(exit::OK);
    }
    eprintln!(
        "错误 / error: 没有可读取的 UKey：请插入本单位的 UKey。 (No readable key: insert the \
         unit's key.)"
    );
    ExitCode::from(exit::NO_CARD)
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

fn watch(source: CardSource) -> ExitCode {
    eprintln!("正在监视读卡器，按 Ctrl-C 结束 / watching the readers, Ctrl-C to stop");
    let mut events = shebao_ukey::watch(source);
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
