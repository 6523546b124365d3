//! The declaration pages against the real agency (in this process): two people hired and
//! processed are on the roster; the leave page picks both, the submission page sends their
//! leave, and the agency's processing takes them off the roster.
// Linux only: the reference agency runs in the test's process (see the module list).
#![cfg(not(windows))]

use std::time::Duration;

use super::journey_tests;
use super::journey_tests::common::{self, TestAgency};
use iced_test::simulator;
use shebao_store::{DeclarationKind, DeclarationState, NewDraft, Store};

use super::drafting;
use super::leave::{self, tests as leave_tests};
use super::page::Action;
use super::session::{self, Session};
use super::submit::tests as submit_tests;
use super::testing::Readers;
use crate::fl;
use crate::widget::roster_picker;

async fn logged_in(agency: &TestAgency, data: &std::path::Path) -> (Session, Readers) {
    let mut readers = Readers::empty();
    let session = journey_tests::logged_in(agency, data, &mut readers).await;
    (session, readers)
}

/// Syncs until the store holds `count` finished declarations of `kind`.
async fn processed(
    session: &Session,
    kind: DeclarationKind,
    count: usize,
) -> Vec<DeclarationState> {
    for _ in 0..100 {
        session::refresh(session.clone()).await.unwrap();
        let states: Vec<DeclarationState> = finished(&session.store(), kind);
        if states.len() >= count {
            return states;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the agency did not process the {kind} declaration in time");
}

fn finished(store: &Store, kind: DeclarationKind) -> Vec<DeclarationState> {
    store
        .declarations(None)
        .unwrap()
        .into_iter()
        .filter(|d| d.kind == kind && d.state.is_finished())
        .map(|d| d.state)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_on_the_roster_leave_through_the_pages_and_the_agency_processes_it() {
    let agency = TestAgency::start(Some(Duration::from_millis(50))).await;
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = logged_in(&agency, data.path()).await;
    let period = drafting::this_period();
    let numbers = [common::resident_id(1), common::resident_id(2)];

    // Two hires, accepted and processed, put the two people on the unit's roster.
    {
        let mut store = session.store();
        let hires: Vec<NewDraft> = [1, 2]
            .map(|n| NewDraft {
                kind: DeclarationKind::Hire,
                period: period.clone(),
                item: common::hire_item(n, &period),
            })
            .into();
        store.save_drafts(&hires).unwrap();
        store.queue_drafts(None).unwrap();
    }
    let hired = processed(&session, DeclarationKind::Hire, 1).await;
    assert_eq!(hired, [DeclarationState::Succeeded]);

    // The leave page: its roster comes fresh from the agency; both are found and picked.
    let mut page = leave_tests::opened(session.clone());
    let fresh = drafting::refresh_roster(session.clone()).await;
    let _ = page.update(leave::Message::RosterRefreshed(fresh));
    assert!(
        simulator(page.view())
            .find(fl!("roster-fresh").as_str())
            .is_ok()
    );
    for number in &numbers {
        let search = roster_picker::Message::Search(number.to_lowercase());
        let _ = page.update(leave::Message::Picker(search));
        let _ = page.update(leave::Message::Picker(roster_picker::Message::Toggle(0)));
    }
    let today = drafting::today().format("%Y-%m-%d").to_string();
    leave_tests::fill(&mut page, "21", &today, &period);
    assert!(matches!(leave_tests::save(&mut page), Action::StoreChanged));
    assert_eq!(
        session
            .store()
            .drafts(Some(DeclarationKind::Leave))
            .unwrap()
            .len(),
        2
    );

    // The submission page: the two leavers are one valid group, sent and accepted.
    let mut submission = submit_tests::opened(session.clone());
    assert!(
        simulator(submission.view())
            .find(fl!("submit-people", count = 2).as_str())
            .is_ok()
    );
    let actions = submit_tests::submit(&mut submission);
    assert!(matches!(actions.last(), Some(Action::StoreChanged)));
    assert!(
        simulator(submission.view())
            .find(fl!("submit-accepted", count = 1).as_str())
            .is_ok()
    );
    assert!(session.store().outbox().unwrap().is_empty());
    assert_eq!(agency.declaration_count(), 2);

    // The agency processes the leave; both are off the roster.
    let left = processed(&session, DeclarationKind::Leave, 1).await;
    assert_eq!(left, [DeclarationState::Succeeded]);
    let roster = drafting::refresh_roster(session.clone())
        .await
        .unwrap()
        .unwrap();
    assert!(roster.iter().all(|p| !numbers.contains(&p.document_no)));
}
