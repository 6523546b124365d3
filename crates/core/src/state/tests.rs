use proptest::prelude::*;

use super::*;

fn all_states() -> Vec<DeclarationState> {
    let mut states = vec![
        DeclarationState::Draft,
        DeclarationState::Queued,
        DeclarationState::Submitted,
        DeclarationState::Processing,
    ];
    for outcome in [
        Outcome::Succeeded,
        Outcome::Failed,
        Outcome::PartlySucceeded,
    ] {
        for viewed in [false, true] {
            states.push(DeclarationState::Finished { outcome, viewed });
        }
    }
    states
}

#[test]
fn wire_names_round_trip() {
    for state in all_states() {
        assert_eq!(
            DeclarationState::parse(state.as_str(), state.viewed()),
            Some(state)
        );
    }
    assert_eq!(DeclarationState::parse("lost", false), None);
}

#[test]
fn the_normal_life_of_a_declaration() {
    let done = DeclarationState::Finished {
        outcome: Outcome::PartlySucceeded,
        viewed: false,
    };
    let state = DeclarationState::Draft
        .apply(Event::Submit)
        .and_then(|s| s.apply(Event::Reported(DeclarationState::Submitted)))
        .and_then(|s| s.apply(Event::Reported(DeclarationState::Processing)))
        .and_then(|s| s.apply(Event::Reported(done)))
        .and_then(|s| s.apply(Event::Viewed))
        .unwrap();
    assert_eq!(
        state,
        DeclarationState::Finished {
            outcome: Outcome::PartlySucceeded,
            viewed: true
        }
    );
}

#[test]
fn forbidden_moves() {
    use DeclarationState::*;
    assert!(!Submitted.can_become(Draft));
    assert!(!Processing.can_become(Submitted));
    assert!(!Draft.can_become(Submitted));
    let failed = Finished {
        outcome: Outcome::Failed,
        viewed: false,
    };
    let succeeded = Finished {
        outcome: Outcome::Succeeded,
        viewed: false,
    };
    assert!(!failed.can_become(succeeded));
    assert!(Submitted.apply(Event::Withdraw).is_err());
    assert!(Processing.apply(Event::Viewed).is_err());
}

#[test]
fn buckets_are_the_six_rows_of_the_seed() {
    use DeclarationState::*;
    assert_eq!(Draft.bucket(), Some(HomeBucket::NotSubmitted));
    assert_eq!(Queued.bucket(), Some(HomeBucket::NotSubmitted));
    assert_eq!(Submitted.bucket(), Some(HomeBucket::Waiting));
    assert_eq!(
        Finished {
            outcome: Outcome::Failed,
            viewed: false
        }
        .bucket(),
        Some(HomeBucket::FailedUnviewed)
    );
    assert_eq!(
        Finished {
            outcome: Outcome::Failed,
            viewed: true
        }
        .bucket(),
        None
    );
    let labels: Vec<&str> = HomeBucket::ALL.iter().map(|b| b.label()).collect();
    assert_eq!(
        labels,
        [
            "未提交",
            "提交后等待处理",
            "正在处理",
            "处理成功还未查阅",
            "处理失败还未查阅",
            "部分处理成功还未查阅"
        ]
    );
}

#[test]
fn outcomes_from_items() {
    assert_eq!(outcome_of(3, 0), Outcome::Succeeded);
    assert_eq!(outcome_of(0, 3), Outcome::Failed);
    assert_eq!(outcome_of(2, 1), Outcome::PartlySucceeded);
}

fn reported_state() -> impl Strategy<Value = DeclarationState> {
    proptest::sample::select(all_states()[2..].to_vec())
}

proptest! {
    /// Whatever the agency reports, in whatever order, a submitted declaration never moves
    /// backwards and never loses its viewed flag.
    #[test]
    fn merging_reports_never_moves_backwards(reports in proptest::collection::vec(reported_state(), 0..20)) {
        let mut state = DeclarationState::Queued;
        for report in reports {
            let next = state.merge_reported(report);
            prop_assert!(next == state || state.can_become(next), "{state:?} -> {next:?}");
            prop_assert!(!state.viewed() || next.viewed());
            state = next;
        }
    }

    #[test]
    fn can_become_is_consistent_with_merge(a in reported_state(), b in reported_state()) {
        let merged = a.merge_reported(b);
        if merged != a {
            prop_assert!(a.can_become(merged));
        }
    }
}

/// What can happen to a declaration once the clerk has submitted it: the agency reports a
/// state (through the submission's answer or the changes feed, late, twice or out of order),
/// or the clerk opens the result.
#[derive(Debug, Clone, Copy)]
enum Happening {
    Reported(DeclarationState),
    ClerkViews,
}

fn happening() -> impl Strategy<Value = Happening> {
    prop_oneof![
        4 => reported_state().prop_map(Happening::Reported),
        1 => Just(Happening::ClerkViews),
    ]
}

proptest! {
    /// Reports and the clerk's own viewing, interleaved any way, from any state the agency can
    /// hold: the declaration only moves forward, a finished one keeps its outcome, and a viewed
    /// one stays viewed, so a result the clerk has read never reappears among the unread.
    #[test]
    fn no_interleaving_of_reports_and_viewing_moves_a_declaration_back(
        start in proptest::sample::select(all_states()[1..].to_vec()),
        happenings in proptest::collection::vec(happening(), 0..30),
    ) {
        let mut state = start;
        let mut outcome = match start {
            DeclarationState::Finished { outcome, .. } => Some(outcome),
            _ => None,
        };
        for happening in happenings {
            let next = match happening {
                Happening::Reported(report) => state.merge_reported(report),
                Happening::ClerkViews => state.apply(Event::Viewed).unwrap_or(state),
            };
            prop_assert!(next.rank() >= state.rank(), "{state:?} -> {next:?} after {happening:?}");
            prop_assert!(!state.viewed() || next.viewed(), "{state:?} -> {next:?} lost the viewed flag");
            if let DeclarationState::Finished { outcome: now, .. } = next {
                prop_assert_eq!(*outcome.get_or_insert(now), now, "the outcome changed");
            }
            if let Happening::ClerkViews = happening {
                let finished = matches!(next, DeclarationState::Finished { .. });
                prop_assert!(next.viewed() || !finished, "viewing did not stick: {next:?}");
            }
            state = next;
        }
    }
}
