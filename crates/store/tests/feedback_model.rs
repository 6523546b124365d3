//! The agency's feedback as the store records it: whatever states the changes feed reports for
//! a declaration (late, twice, out of order) and whenever the clerk opens the result, the
//! declaration on this PC only moves forward, keeps the outcome it first finished with, and a
//! result once read is never counted among the unread again.

mod common;

use common::{hire, keys, open};
use proptest::prelude::*;
use shebao_store::{DeclarationKind, DeclarationState, ReportedDeclaration, ReportedItem};

#[derive(Debug, Clone)]
enum Happening {
    /// A page of the changes feed names the declaration in this state.
    Reported {
        state: DeclarationState,
        viewed: bool,
    },
    /// The clerk opens the result (查阅).
    ClerkViews,
}

fn happening() -> impl Strategy<Value = Happening> {
    let reported = proptest::sample::select(DeclarationState::ALL[1..].to_vec());
    prop_oneof![
        4 => (reported, any::<bool>()).prop_map(|(state, viewed)| Happening::Reported { state, viewed }),
        1 => Just(Happening::ClerkViews),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn reported_states_never_move_a_declaration_back(
        happenings in proptest::collection::vec(happening(), 1..16)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir, &keys());
        store.save_draft(&hire(1)).unwrap();
        let queued = store.queue_drafts(None).unwrap().remove(0);
        let id = queued.declaration_id;
        store.record_accepted(id, "7", "2026-11-28T04:00:00Z").unwrap();

        let mut before = store.declaration(id).unwrap();
        for (page, happening) in happenings.into_iter().enumerate() {
            match &happening {
                Happening::Reported { state, viewed } => {
                    let change = ReportedDeclaration {
                        remote_id: "7".into(),
                        idempotency_key: Some(queued.idempotency_key.clone()),
                        kind: DeclarationKind::Hire,
                        period: Some("2026-11".into()),
                        state: *state,
                        viewed: *viewed,
                        items: vec![ReportedItem { line: 1, accepted: true, reason: None }],
                        updated_at: "2026-11-28T05:00:00Z".into(),
                    };
                    store.apply_changes(&[change], Some(&page.to_string())).unwrap();
                }
                Happening::ClerkViews => {
                    // Refused while the agency is not done; that refusal is not under test.
                    let _ = store.mark_viewed(id);
                }
            }
            let after = store.declaration(id).unwrap();
            prop_assert!(after.state.rank() >= before.state.rank(),
                "{:?} -> {:?} after {happening:?}", before.state, after.state);
            if before.state.is_finished() {
                prop_assert_eq!(after.state, before.state, "the outcome changed");
            }
            prop_assert!(!before.viewed || after.viewed, "the viewed flag was lost");
            if matches!(happening, Happening::ClerkViews) && after.state.is_finished() {
                prop_assert!(after.viewed);
            }
            prop_assert_eq!(store.declarations(None).unwrap().len(), 1, "the feed duplicated it");
            before = after;
        }
    }
}
