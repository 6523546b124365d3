//! `shebao check-id`: check identity numbers and credit codes, one per argument or per line of
//! standard input, the way support staff check a clerk's list.

use std::io::{self, BufRead};
use std::process::ExitCode;

use shebao_core::id::{DocumentNumber, DocumentType};
use shebao_core::uscc::CreditCode;

use super::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Check unified social credit codes instead of identity numbers.
    #[arg(long)]
    pub uscc: bool,
    /// The document type code for identity numbers: 01 resident ID, 02 foreigners' permanent
    /// residence, 03 Hong Kong / Macau permit, 04 Taiwan permit, 05 passport.
    #[arg(long, default_value = "01")]
    pub document_type: String,
    /// Numbers to check; read from standard input, one per line, when none are given.
    pub numbers: Vec<String>,
}

pub fn run(args: Args) -> ExitCode {
    let Some(document_type) = DocumentType::from_code(&args.document_type) else {
        eprintln!(
            "unknown document type {:?}; use 01, 02, 03, 04 or 05",
            args.document_type
        );
        return ExitCode::from(exit::BAD_INPUT);
    };
    let today = chrono::Local::now().date_naive();
    let numbers: Vec<String> = if args.numbers.is_empty() {
        io::stdin().lock().lines().map_while(Result::ok).collect()
    } else {
        args.numbers
    };
    let mut bad = 0usize;
    for (line, number) in numbers.iter().enumerate() {
        if number.trim().is_empty() {
            continue;
        }
        let verdict = if args.uscc {
            CreditCode::parse(number)
                .map(|c| c.as_str().to_owned())
                .map_err(|e| e.to_string())
        } else {
            DocumentNumber::parse_on(document_type, number, today)
                .map(|n| describe(&n))
                .map_err(|e| e.to_string())
        };
        // Numbers are echoed only by line, so output pasted into a ticket leaks nothing.
        match verdict {
            Ok(summary) => println!("{}\tOK\t{summary}", line + 1),
            Err(message) => {
                bad += 1;
                println!("{}\tERROR\t{message}", line + 1);
            }
        }
    }
    if bad == 0 {
        ExitCode::from(exit::OK)
    } else {
        ExitCode::from(exit::BAD_INPUT)
    }
}

fn describe(number: &DocumentNumber) -> String {
    match (number.birth_date(), number.sex()) {
        (Some(birth), Some(sex)) => format!("{} {birth}", sex.label()),
        _ => number.document_type().label().to_owned(),
    }
}
