use iced_test::simulator;
use serde_json::json;
use shebao_store::{
    DeclarationKind, DeclarationState, NewDraft, ReportedDeclaration, ReportedItem, Store,
};

use super::*;
use crate::screen::testing;

#[cfg(not(windows))]
mod journey;

/// Two hires declared together; the agency accepted the first and refused the second.
pub(super) fn answered(store: &mut Store) -> i64 {
    let hire = |n: u32, name: &str| NewDraft {
        kind: DeclarationKind::Hire,
        period: "2026-11".into(),
        item: json!({"document_type": "01", "document_no": format!("11010519491231{n:04}"),
                     "name": name, "wage": "6500.00"}),
    };
    store
        .save_drafts(&[hire(1, "张一"), hire(2, "李二")])
        .unwrap();
    let entry = store.queue_drafts(None).unwrap().remove(0);
    store
        .record_accepted(entry.declaration_id, "r-1", "2026-11-03T09:00:00Z")
        .unwrap();
    let item = |line, accepted, reason: Option<&str>| ReportedItem {
        line,
        accepted,
        reason: reason.map(str::to_owned),
    };
    let answer = ReportedDeclaration {
        remote_id: "r-1".into(),
        idempotency_key: Some(entry.idempotency_key),
        kind: DeclarationKind::Hire,
        period: Some("2026-11".into()),
        state: DeclarationState::PartlySucceeded,
        viewed: false,
        items: vec![
            item(1, true, None),
            item(2, false, Some("此人已在其他单位参保")),
        ],
        updated_at: "2026-11-04T09:00:00Z".into(),
    };
    store.apply_changes(&[answer], Some("c1")).unwrap();
    entry.declaration_id
}

/// A logged-in session whose agency does not answer: the token is there, the network is not.
fn unreachable_agency(data: &std::path::Path) -> (Session, testing::Readers) {
    let readers = testing::Readers::with_card();
    let (card, _) = readers.status.card().unwrap();
    let mut client =
        shebao_sync::AgencyClient::new(&shebao_sync::ClientConfig::new("https://127.0.0.1:9"))
            .unwrap();
    client.set_token(Some("token".into()));
    let services = crate::screen::session::Services {
        agency: Ok(client),
        ..testing::services(data)
    };
    (Session::offline(&services, card.clone()), readers)
}

/// The page as its load task would leave it.
fn loaded(session: &Session, bucket: Option<HomeBucket>) -> Declarations {
    let (mut page, _) = Declarations::filtered(session.clone(), bucket);
    let index = session.store().declaration_index().map_err(Failure::from);
    let _ = page.update(Message::Loaded(index.map(Arc::new)));
    page
}

#[test]
fn the_list_follows_the_filters() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    answered(&mut session.store());
    let mut page = loaded(&session, Some(HomeBucket::PartlySucceededUnviewed));
    let mut ui = simulator(page.view());
    assert!(
        ui.find(fl!("query-count", shown = 1, total = 1).as_str())
            .is_ok()
    );
    assert!(
        ui.find("张一").is_ok(),
        "the first person names the declaration"
    );
    assert!(
        ui.find(fl!("query-items-failed", items = 2, failed = 1).as_str())
            .is_ok()
    );
    drop(ui);

    let _ = page.update(Message::Search("李二".into()));
    let mut ui = simulator(page.view());
    assert!(
        ui.find(fl!("query-count", shown = 1, total = 1).as_str())
            .is_ok()
    );
    drop(ui);
    let _ = page.update(Message::Search("王".into()));
    let mut ui = simulator(page.view());
    assert!(
        ui.find(fl!("query-count", shown = 0, total = 1).as_str())
            .is_ok()
    );
    drop(ui);

    let _ = page.update(Message::Search(String::new()));
    let _ = page.update(Message::Bucket(BucketChoice(Some(HomeBucket::Waiting))));
    let mut ui = simulator(page.view());
    assert!(
        ui.find(fl!("query-count", shown = 0, total = 1).as_str())
            .is_ok()
    );
}

#[test]
fn opening_offline_marks_viewed_and_queues_the_mark() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = unreachable_agency(data.path());
    let id = answered(&mut session.store());
    let mut page = loaded(&session, Some(HomeBucket::PartlySucceededUnviewed));
    assert!(matches!(page.update(Message::Selected(0)), Action::Run(_)));

    let opened = open_declaration(&session, id, true);
    assert!(
        matches!(opened, Ok((_, Viewed::Queued))),
        "{:?}",
        opened.as_ref().map(|o| o.1)
    );
    assert!(matches!(
        page.update(Message::Opened(opened)),
        Action::StoreChanged
    ));
    assert_eq!(session.store().viewed_unsent().unwrap().len(), 1);
    assert_eq!(
        session
            .store()
            .home_counts()
            .unwrap()
            .partly_succeeded_unviewed,
        0
    );

    let mut ui = simulator(page.view());
    assert!(ui.find(fl!("query-viewed-queued").as_str()).is_ok());
    assert!(
        ui.find("此人已在其他单位参保").is_ok(),
        "the reason is shown"
    );
    assert!(ui.find("110105194912310002").is_ok());
    drop(ui);

    // The refused item can be declared again; the accepted one cannot.
    let _ = page.update(Message::ItemSelected(0));
    let mut ui = simulator(page.view());
    ui.click(fl!("query-correct-and-redeclare").as_str())
        .unwrap();
    assert!(ui.into_messages().next().is_none());
    let _ = page.update(Message::ItemSelected(1));
    let mut ui = simulator(page.view());
    ui.click(fl!("query-correct-and-redeclare").as_str())
        .unwrap();
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(matches!(messages[..], [Message::Correct(2)]));

    let corrected = session
        .store()
        .draft_from_refused_item(id, 2)
        .map_err(Failure::from);
    assert!(matches!(
        page.update(Message::Corrected(corrected)),
        Action::Open(Function::Hire)
    ));
    let drafts = session.store().drafts(None).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].problems[0].message, "此人已在其他单位参保");
}

#[test]
fn arrow_keys_move_the_selection_and_enter_opens() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    answered(&mut session.store());
    let mut page = loaded(&session, None);
    let _ = page.update(Message::Key(keyboard::Key::Named(Named::ArrowDown)));
    assert_eq!(page.table.selected, Some(0));
    assert!(matches!(
        page.update(Message::Key(keyboard::Key::Named(Named::Enter))),
        Action::Run(_)
    ));
    assert!(page.detail.is_some());
}

#[test]
fn the_item_rows_lead_to_the_persons_history() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let id = answered(&mut session.store());
    let mut page = loaded(&session, None);
    let _ = page.update(Message::Selected(0));
    let opened = open_declaration(&session, id, false);
    let _ = page.update(Message::Opened(opened));
    let _ = page.update(Message::ItemSelected(1));
    let mut ui = simulator(page.view());
    ui.click(fl!("query-person-history").as_str()).unwrap();
    let messages: Vec<_> = ui.into_messages().collect();
    assert!(matches!(&messages[..], [Message::History(no)] if no == "110105194912310002"));
    let _ = page.update(Message::History("110105194912310002".into()));
    let events = session
        .store()
        .person_history("110105194912310002")
        .map_err(Failure::from);
    let _ = page.update(Message::HistoryPage(person_history::Message::Loaded(
        events,
    )));
    let mut ui = simulator(page.view());
    assert!(ui.find("此人已在其他单位参保").is_ok());
    ui.click(fl!("history-back").as_str()).unwrap();
    for message in ui.into_messages() {
        let _ = page.update(message);
    }
    assert!(
        page.history.is_none(),
        "back from the history is back to the declaration"
    );
    assert!(page.detail.is_some());
}
