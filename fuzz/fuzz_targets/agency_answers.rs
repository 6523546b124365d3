//! What the client makes of the agency's answers: every JSON body of API v1 and every problem
//! document, as a hostile or broken server (or a proxy in the way) might send them. Decoding
//! must end in a value or an error; what decodes must survive the client's own use of it.
//!
//! Input: one byte choosing the answer, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use shebao_core::declaration::DeclarationKind;
use shebao_core::state::DeclarationState;
use shebao_sync::problem::Problem;
use shebao_sync::wire::{
    Accepted, Announcement, ChallengeAnswer, ChangesPage, LoginAnswer, RosterPage,
};

fuzz_target!(|input: &[u8]| {
    let Some((&choice, body)) = input.split_first() else {
        return;
    };
    match choice % 7 {
        0 => {
            if let Ok(answer) = serde_json::from_slice::<ChallengeAnswer>(body) {
                let again = serde_json::to_vec(&answer).expect("encodes");
                let back: ChallengeAnswer = serde_json::from_slice(&again).expect("decodes");
                assert_eq!(back.challenge_id, answer.challenge_id);
            }
        }
        1 => {
            if let Ok(answer) = serde_json::from_slice::<LoginAnswer>(body) {
                let _ = (answer.token.len(), answer.unit.unit_no.len());
            }
        }
        2 => {
            if let Ok(accepted) = serde_json::from_slice::<Accepted>(body) {
                let _ = accepted.id.len();
            }
        }
        3 => {
            if let Ok(page) = serde_json::from_slice::<ChangesPage>(body) {
                // What the sync engine does with each change before it touches the store.
                for change in &page.changes {
                    let _ = DeclarationKind::parse(&change.kind);
                    if let Some(state) = DeclarationState::parse(&change.state, change.viewed) {
                        // Only a finished declaration carries the viewed flag.
                        assert!(!state.viewed() || change.viewed);
                        let _ = state.bucket();
                    }
                    for item in &change.items {
                        let _ = (item.line, item.outcome == "ok", item.reason.as_deref());
                    }
                }
            }
        }
        4 => {
            if let Ok(list) = serde_json::from_slice::<Vec<Announcement>>(body) {
                // The engine keeps each announcement as JSON in the store.
                for announcement in &list {
                    serde_json::to_value(announcement).expect("encodes");
                }
            }
        }
        5 => {
            if let Ok(value) = serde_json::from_slice::<Value>(body) {
                if let Ok(page) = RosterPage::from_value(value) {
                    let _ = (page.people.len(), page.next);
                }
            }
        }
        _ => {
            let [hi, lo, body @ ..] = body else {
                return;
            };
            let status = u16::from_be_bytes([*hi, *lo]) % 600;
            let problem = Problem::from_body(status, body);
            assert!(!problem.sentence().is_empty());
            assert!(problem.kind.ends_with(problem.slug()));
        }
    }
});
