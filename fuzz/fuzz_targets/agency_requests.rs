//! What the agency makes of a request body: the login calls and `POST /declarations` (its
//! envelope, `NewDeclaration`'s own decoding, and the validation of every item against the
//! published reference data). The body goes through the same depth check the server applies
//! before parsing. A declaration the agency accepts must encode and decode back to itself,
//! since that is the form the client sends it in.
//!
//! Input: one byte choosing the call, then the body.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use shebao_agency::limits::{Limits, nests_deeper_than};
use shebao_agency::routes::{ChallengeRequest, LoginRequest, PasswordChange, judge_body};
use shebao_core::declaration::NewDeclaration;
use shebao_core::reference::ReferenceData;
use std::sync::OnceLock;

fn reference() -> &'static ReferenceData {
    static REFERENCE: OnceLock<ReferenceData> = OnceLock::new();
    REFERENCE.get_or_init(ReferenceData::demo)
}

fuzz_target!(|input: &[u8]| {
    let Some((&choice, body)) = input.split_first() else {
        return;
    };
    let limits = Limits::default();
    if nests_deeper_than(body, limits.max_json_depth) {
        return;
    }
    match choice % 4 {
        0 => {
            let _ = serde_json::from_slice::<ChallengeRequest>(body);
        }
        1 => {
            let _ = serde_json::from_slice::<LoginRequest>(body);
        }
        2 => {
            let _ = serde_json::from_slice::<PasswordChange>(body);
        }
        _ => {
            let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("a real date");
            match judge_body(reference(), today, limits.max_items, body) {
                Ok((declaration, items)) => {
                    assert_eq!(items.len(), declaration.items.len());
                    let sent = serde_json::to_vec(&declaration).expect("encodes");
                    let back: NewDeclaration = serde_json::from_slice(&sent).expect("decodes");
                    assert_eq!(back, declaration, "the declaration changes on the way");
                }
                Err(problem) => {
                    let _ = format!("{problem:?}");
                }
            }
        }
    }
});
