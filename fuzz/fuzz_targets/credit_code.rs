//! Unified social credit codes (GB 32100-2015) from any text: a code that parses is 18
//! characters of the code's alphabet, upper-case, and parses again to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shebao_core::uscc::CreditCode;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    match CreditCode::parse(text) {
        Ok(code) => {
            let canonical = code.as_str();
            assert_eq!(canonical.len(), 18);
            assert!(
                canonical
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            );
            assert_eq!(CreditCode::parse(canonical).as_ref(), Ok(&code));
            assert_eq!(code.to_string(), canonical);
        }
        Err(error) => {
            let _ = (error.to_string(), error.code());
        }
    }
});
