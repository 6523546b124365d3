//! The leave page: the form says what is missing, saving makes one draft per picked person,
//! and a draft can be put back in the form, changed and deleted.

use iced::futures::executor::block_on;
use iced_test::simulator;
use serde_json::json;

use super::*;
use crate::screen::testing;

pub(crate) fn roster() -> Vec<serde_json::Value> {
    vec![
        json!({"document_type": "01", "document_no": "11010519491231002X", "name": "张三",
               "wage": "6500.00", "insured_from": "2024-01"}),
        json!({"document_type": "01", "document_no": "440524188001010014", "name": "李四",
               "wage": "3000.00", "insured_from": "2024-01"}),
        json!({"document_type": "01", "document_no": "370101190102039973", "name": "王五",
               "wage": "30000.00", "insured_from": "2025-06"}),
    ]
}

/// A leave page over a store holding the demo reference data and a three-person roster.
fn page(data: &std::path::Path) -> Leave {
    let (session, _readers) = testing::offline_session(data);
    {
        let mut store = session.store();
        let reference: serde_json::Value =
            serde_json::from_str(ReferenceData::demo_json()).unwrap();
        store.save_reference("demo", &reference).unwrap();
        store.replace_roster(&roster()).unwrap();
    }
    opened(session)
}

/// The page as it is once its store job has answered.
pub(crate) fn opened(session: Session) -> Leave {
    let (mut page, _) = Leave::new(session.clone());
    let loaded = block_on(load(session));
    let _ = page.update(Message::Loaded(loaded));
    page
}

/// Clicks the button or row labelled `label` and hands the messages to the page.
fn click(page: &mut Leave, label: &str) -> Vec<Action<Message>> {
    let mut ui = simulator(page.view());
    ui.click(label).unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    messages.into_iter().map(|m| page.update(m)).collect()
}

/// Saves as the Save button does, running the store job here.
pub(crate) fn save(page: &mut Leave) -> Action<Message> {
    match page.checked_writes() {
        Some((period, writes)) => {
            let saved = block_on(drafting::save_drafts(
                page.session.clone(),
                KIND,
                period,
                writes,
            ));
            page.update(Message::Saved(saved))
        }
        None => Action::None,
    }
}

pub(crate) fn reason(code: &str) -> CodeChoice {
    drafting::choices(Some(&ReferenceData::demo()), CodeTable::LeaveReasons)
        .into_iter()
        .find(|c| c.code == code)
        .unwrap()
}

fn stored_drafts(page: &Leave) -> Vec<Draft> {
    page.session.store().drafts(Some(KIND)).unwrap()
}

fn shows(page: &Leave, wanted: &str) -> bool {
    simulator(page.view()).find(wanted).is_ok()
}

pub(crate) fn fill(page: &mut Leave, reason_code: &str, left_on: &str, stop_month: &str) {
    let _ = page.update(Message::Reason(reason(reason_code)));
    let _ = page.update(Message::LeftOn(left_on.into()));
    let _ = page.update(Message::StopMonth(stop_month.into()));
}

#[test]
fn saving_an_empty_form_names_every_missing_field() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    click(&mut page, &fl!("drafting-save"));
    assert!(shows(&page, &fl!("leave-pick-someone")));

    let _ = page.update(Message::Picker(roster_picker::Message::Toggle(0)));
    click(&mut page, &fl!("drafting-save"));
    assert!(shows(&page, "* 减员原因"));
    for field in ["reason", "left_on", "stop_month"] {
        let message = page.errors[field].clone();
        assert!(shows(&page, &message), "{field}: {message}");
    }
    assert!(stored_drafts(&page).is_empty());
}

#[test]
fn two_people_searched_and_picked_become_two_drafts_that_can_be_edited_and_deleted() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    // Search by part of the number, then by name; both stay picked.
    let _ = page.update(Message::Picker(roster_picker::Message::Search(
        "1231002x".into(),
    )));
    click(&mut page, "张三");
    let _ = page.update(Message::Picker(roster_picker::Message::Search("李".into())));
    click(&mut page, "李四");
    assert!(shows(&page, &fl!("leave-picked", count = 2)));
    fill(&mut page, "21", "2026-10-31", "2026-11");
    assert!(matches!(save(&mut page), Action::StoreChanged));
    assert!(page.errors.is_empty(), "{:?}", page.errors);

    assert_eq!(stored_drafts(&page).len(), 2);
    assert!(shows(&page, &fl!("leave-saved", count = 2)));
    assert!(shows(&page, &fl!("leave-drafts", count = 2)));
    assert!(shows(&page, "110105********002X"));
    assert!(shows(&page, "离职"));
    // The form is empty again for the next leavers.
    assert!(page.picker.picked().is_empty());

    // Edit a row: it comes back into the form; the new date goes onto the same draft.
    let _ = page.update(Message::DraftSelected(1));
    click(&mut page, &fl!("drafting-edit"));
    assert_eq!(page.form.left_on, "2026-10-31");
    let _ = page.update(Message::Reason(reason("22")));
    let _ = page.update(Message::LeftOn("2026-11-05".into()));
    assert!(matches!(save(&mut page), Action::StoreChanged));
    let drafts = stored_drafts(&page);
    assert_eq!(drafts.len(), 2);
    assert_eq!(drafting::item_text(&drafts[1], "left_on"), "2026-11-05");
    assert!(shows(&page, "退休"));

    // Delete it.
    let _ = page.update(Message::DraftSelected(1));
    let id = page.drafts[1].id;
    let actions = click(&mut page, &fl!("drafting-delete"));
    assert!(matches!(actions.last(), Some(Action::Run(_))));
    let left = block_on(drafting::delete_draft(page.session.clone(), KIND, id));
    assert!(matches!(
        page.update(Message::Deleted(left)),
        Action::StoreChanged
    ));
    assert_eq!(stored_drafts(&page).len(), 1);
    assert!(shows(&page, &fl!("leave-drafts", count = 1)));
}

#[test]
fn picking_someone_who_already_has_a_leave_draft_replaces_it() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    let _ = page.update(Message::Picker(roster_picker::Message::Toggle(1)));
    fill(&mut page, "21", "2026-10-31", "2026-11");
    save(&mut page);
    let _ = page.update(Message::Picker(roster_picker::Message::Toggle(1)));
    fill(&mut page, "24", "2026-10-30", "2026-11");
    save(&mut page);
    let drafts = stored_drafts(&page);
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafting::item_text(&drafts[0], "reason"), "24");
}

#[test]
fn a_stop_month_before_the_leave_date_is_refused_beside_its_field() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    let _ = page.update(Message::Picker(roster_picker::Message::Toggle(1)));
    fill(&mut page, "22", "2026-10-31", "2026-09");
    assert!(matches!(save(&mut page), Action::None));
    let message = page.errors["stop_month"].clone();
    assert!(message.contains("2026-09"));
    assert!(shows(&page, &message));
    assert!(stored_drafts(&page).is_empty());
}

#[test]
fn esc_clears_a_picked_form_first_and_then_closes() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    let _ = page.update(Message::Picker(roster_picker::Message::Toggle(0)));
    assert!(matches!(
        page.update(Message::Key(FormKey::Escape)),
        Action::None
    ));
    assert!(page.picker.picked().is_empty());
    assert!(matches!(
        page.update(Message::Key(FormKey::Escape)),
        Action::Close
    ));
}

#[test]
fn leavers_imported_from_a_workbook_become_drafts_on_the_page() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    let month = shebao_store::this_month();
    let file = data.path().join("减员.csv");
    // The reason by its name, as clerks write it; the code table turns it into 21.
    std::fs::write(
        &file,
        format!(
            "证件类型,证件号码,姓名,减员原因,离职日期,停保年月\n\
             01,11010519491231002X,张三,离职,{month}-01,{month}\n"
        ),
    )
    .unwrap();
    click(&mut page, &fl!("hire-import"));
    assert!(
        simulator(page.view())
            .find(fl!("import-title").as_str())
            .is_ok()
    );
    let _ = page.update(Message::Import(import::Message::Path(
        file.display().to_string(),
    )));
    assert!(matches!(
        page.update(Message::Import(import::Message::Start)),
        Action::Run(_)
    ));
    // The import's job started on its own thread; wait for its draft in the store.
    let session = page.session.clone();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while session
        .store()
        .drafts(Some(shebao_store::DeclarationKind::Leave))
        .unwrap()
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the import saves the row"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let reloaded = block_on(load(session));
    let _ = page.update(Message::Loaded(reloaded));
    let _ = page.update(Message::Import(import::Message::Close));
    assert_eq!(page.drafts.len(), 1, "the imported leaver is listed");
    assert_eq!(page.drafts[0].item["reason"], "21");
}
