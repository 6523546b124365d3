//! The submission page: drafts grouped by kind with their check, an invalid draft blocks its
//! kind and is listed, and offline the declaration waits in the queue with a message saying so.

use iced::futures::executor::block_on;
use iced_test::simulator;
use serde_json::json;
use shebao_core::reference::ReferenceData;
use shebao_store::NewDraft;

use super::*;
use crate::screen::{session, testing};

fn leave(no: &str, name: &str) -> NewDraft {
    NewDraft {
        kind: DeclarationKind::Leave,
        period: drafting::this_period(),
        item: json!({"document_type": "01", "document_no": no, "name": name, "reason": "21",
                     "left_on": drafting::today().format("%Y-%m-01").to_string(),
                     "stop_month": drafting::this_period()}),
    }
}

/// A logged-in session (it holds a token) whose agency cannot be reached.
fn offline_session(data: &std::path::Path) -> Session {
    let readers = testing::Readers::with_card();
    let (card, _) = readers.status.card().unwrap();
    let mut client =
        shebao_sync::AgencyClient::new(&shebao_sync::ClientConfig::new("https://127.0.0.1:9"))
            .unwrap();
    client.set_token(Some("token".into()));
    let services = session::Services {
        agency: Ok(client),
        ..testing::services(data)
    };
    Session::offline(&services, card.clone())
}

fn page(data: &std::path::Path, drafts: &[NewDraft]) -> Submit {
    let session = offline_session(data);
    {
        let mut store = session.store();
        let reference: serde_json::Value =
            serde_json::from_str(ReferenceData::demo_json()).unwrap();
        store.save_reference("demo", &reference).unwrap();
        store.save_drafts(drafts).unwrap();
    }
    opened(session)
}

/// The page as it is once its check has answered.
pub(crate) fn opened(session: Session) -> Submit {
    let (mut page, _) = Submit::new(session.clone());
    let _ = page.update(Message::Checked(block_on(check(session))));
    page
}

fn shows(page: &Submit, wanted: &str) -> bool {
    simulator(page.view()).find(wanted).is_ok()
}

/// Runs a submission as the app would: queue, then send each declaration, then count again.
pub(crate) fn submit(page: &mut Submit) -> Vec<Action<Message>> {
    let mut actions = Vec::new();
    if !matches!(page.update(Message::Submit), Action::Run(_)) {
        return actions;
    }
    let kinds: Vec<DeclarationKind> = page.ticked.iter().copied().collect();
    let mut next = Some(Message::Queued(block_on(queue(
        page.session.clone(),
        kinds,
    ))));
    while let Some(message) = next.take() {
        let action = page.update(message);
        if let Action::Run(_) = action {
            next = Some(match &page.progress {
                Some(p) if !p.finished() => {
                    let entry = p.outbox[p.done].clone();
                    Message::Sent(block_on(send_one(
                        page.session.clone(),
                        entry,
                        page.backoff,
                    )))
                }
                _ => Message::Checked(block_on(check(page.session.clone()))),
            });
        }
        actions.push(action);
    }
    actions
}

#[test]
fn drafts_are_grouped_by_kind_and_an_invalid_one_blocks_its_kind() {
    let data = tempfile::tempdir().unwrap();
    let bad = NewDraft {
        kind: DeclarationKind::Wage,
        period: drafting::this_period(),
        item: json!({"document_type": "01", "document_no": "110105194912310021", "name": "赵六",
                     "year": drafting::today().format("%Y").to_string(),
                     "average_monthly_wage": "6000.00"}),
    };
    let mut page = page(
        data.path(),
        &[
            leave("11010519491231002X", "张三"),
            leave("440524188001010014", "李四"),
            bad,
        ],
    );
    assert!(shows(&page, "在职减员"));
    assert!(shows(&page, &fl!("submit-people", count = 2)));
    assert!(shows(&page, &fl!("submit-valid")));
    assert!(shows(&page, &fl!("submit-with-errors", count = 1)));
    // The bad draft is listed with its problem.
    assert!(shows(&page, "赵六 110105********0021"));
    let problem = page.check.as_ref().unwrap().problems[0].problems.clone();
    assert!(!problem.is_empty());
    assert!(shows(&page, &problem));

    // Ticking the wage kind and submitting is refused; nothing is queued.
    let mut ui = simulator(page.view());
    ui.click("工资申报").unwrap();
    for message in ui.into_messages() {
        let _ = page.update(message);
    }
    assert!(page.ticked.contains(&DeclarationKind::Wage));
    assert!(submit(&mut page).is_empty());
    assert!(shows(&page, &fl!("submit-blocked")));
    assert!(page.session.store().outbox().unwrap().is_empty());
    assert_eq!(page.session.store().drafts(None).unwrap().len(), 3);
}

#[test]
fn offline_the_declaration_is_queued_and_the_page_says_it_will_be_sent() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(
        data.path(),
        &[
            leave("11010519491231002X", "张三"),
            leave("440524188001010014", "李四"),
        ],
    );
    page.backoff = Backoff {
        first: Duration::from_millis(1),
        max: Duration::from_millis(1),
        attempts: 1,
    };
    let actions = submit(&mut page);
    assert!(matches!(actions.last(), Some(Action::StoreChanged)));
    assert!(shows(&page, &fl!("submit-offline", count = 1)));
    let store = page.session.store();
    assert!(store.drafts(None).unwrap().is_empty());
    let outbox = store.outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].item_count, 2);
    assert_eq!(outbox[0].kind, DeclarationKind::Leave);
}

#[test]
fn stopping_a_batch_leaves_the_rest_queued_and_says_so() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path(), &[leave("11010519491231002X", "张三")]);
    let entry = |id: i64, items: u64| OutboxEntry {
        declaration_id: id,
        idempotency_key: format!("key-{id}"),
        kind: DeclarationKind::Leave,
        period: drafting::this_period(),
        item_count: items,
        attempts: 0,
        last_error: None,
    };
    let outbox = vec![entry(1, 4000), entry(2, 3000), entry(3, 3000)];
    assert!(matches!(
        page.update(Message::Queued(Ok(Queued::Outbox(outbox)))),
        Action::Run(_)
    ));
    assert!(shows(
        &page,
        &fl!("submit-progress", done = 0, total = 3, items = 10000)
    ));
    // Stopping while the first is on its way: it is counted, the other two wait.
    let mut ui = simulator(page.view());
    ui.click(fl!("submit-cancel").as_str()).unwrap();
    for message in ui.into_messages() {
        let _ = page.update(message);
    }
    let _ = page.update(Message::Sent(Ok(Sent::Accepted)));
    assert!(shows(&page, &fl!("submit-accepted", count = 1)));
    assert!(shows(&page, &fl!("submit-cancelled", count = 2)));
    assert!(!shows(&page, &fl!("submit-cancel")));
}
