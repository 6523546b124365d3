//! Identity numbers as a clerk or a workbook types them: any text, under every document type.
//! A number that parses must parse again to itself, must know its birth date and sex where its
//! type encodes them, and must never show whole in debug output (which is what logs are made of).
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use shebao_core::id::{DocumentNumber, DocumentType, check_character};

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    // A fixed "today", so that a crash reproduces on any day.
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("a real date");
    let _ = check_character(text);
    for document_type in DocumentType::ALL {
        match DocumentNumber::parse_on(document_type, text, today) {
            Ok(number) => {
                let again = DocumentNumber::parse_on(document_type, number.as_str(), today)
                    .expect("a parsed number parses again");
                assert_eq!(again, number, "parsing is not stable");
                assert_eq!(
                    number.birth_date().is_some(),
                    document_type.encodes_birth_and_sex()
                );
                assert_eq!(
                    number.sex().is_some(),
                    document_type.encodes_birth_and_sex()
                );
                if let Some(born) = number.birth_date() {
                    assert!(born <= today, "born in the future");
                }
                let shown = format!("{number:?}");
                // Short or letter-only passport numbers can coincide with the type's name.
                let has_digits = number.as_str().bytes().filter(u8::is_ascii_digit).count() > 3;
                if has_digits {
                    assert!(
                        !shown.contains(number.as_str()),
                        "debug output shows the number"
                    );
                }
            }
            Err(error) => {
                let _ = (error.to_string(), error.code());
            }
        }
    }
});
