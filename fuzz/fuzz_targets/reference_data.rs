//! The reference data the agency publishes (`GET /reference`), which the client caches and
//! validates every draft against. Loading must end in checked data or an error; checked data
//! must encode and load back to itself, and its look-ups must answer for any month and code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shebao_core::month::Month;
use shebao_core::reference::{CodeTable, ReferenceData};

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let Ok(data) = ReferenceData::from_json(text) else {
        return;
    };
    let again = serde_json::to_string(&data).expect("encodes");
    let back = ReferenceData::from_json(&again).expect("checked data loads again");
    assert_eq!(back, data, "the reference data changes on the way");
    for table in CodeTable::ALL {
        for (code, _name) in data.codes(table) {
            assert!(data.has(table, code));
            if code.trim() == code {
                assert!(
                    data.resolve(table, code).is_some(),
                    "code {code:?} not found"
                );
            }
        }
    }
    for text in ["1990-01", "2026-11", "2099-12"] {
        if let Ok(month) = Month::parse(text) {
            if let Some(period) = data.period_at(month) {
                for rate in &period.rates {
                    let _ = period.rate(&rate.insurance_type);
                }
            }
        }
    }
});
