//! The hire page as the clerk meets it: saving a hire empties the form for the next person,
//! 职工续保 fills in what is known, 修改一行 and 删除, and a table of 100,000 drafts.

use serde_json::json;
use shebao_store::{DeclarationKind, NewDraft};

use super::fields::FormField;
use super::form::Message as FormMessage;
use super::keys::Key;
use super::table::Validity;
use super::test_support::{Asked, drive, enter_here, person, shows, type_here};
use super::{Hire, Message, jobs};
use crate::screen::function::Function;
use crate::screen::session::Session;
use crate::screen::testing;

fn page_of(session: &Session) -> Hire {
    let loaded = shebao_sync::block_on(jobs::load(session.clone()))
        .unwrap()
        .unwrap();
    Hire::with(Some(session.clone()), Some(*loaded))
}

fn tab(page: &mut Hire) {
    drive(page, Message::Key(Key::Tab { back: false }));
}

/// A usual hire from the keyboard: number, name, first employment and wage, then Enter.
fn enter_hire(page: &mut Hire, number: &str, name: &str) -> Vec<Asked> {
    type_here(page, number);
    tab(page);
    type_here(page, name);
    tab(page);
    type_here(page, "20150701");
    tab(page);
    type_here(page, "6500.00");
    enter_here(page)
}

#[test]
fn saving_stores_the_hire_empties_the_form_and_returns_to_the_id_number() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let mut page = page_of(&session);
    drive(&mut page, Message::Key(Key::New));
    let asked = enter_hire(&mut page, &person(1), "张三");
    assert_eq!(asked, [Asked::StoreChanged], "the home page counts again");

    // On disk, with the wire spellings.
    let drafts = session.store().hire_drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    let item = &drafts[0].item;
    assert_eq!(item.document_no, person(1));
    assert_eq!(item.name, "张三");
    assert_eq!(item.first_employed_on, "2015-07-01");
    assert_eq!(item.reason, "11");
    assert_eq!(item.insurance_types, ["110", "210", "310", "410", "510"]);

    // The form is empty and waits for the next person in the ID number.
    let form = page.form().expect("the form stays open");
    assert_eq!(form.document_no, "");
    assert_eq!(form.name, "");
    assert_eq!(form.focus, FormField::DocumentNo);
    assert!(shows(&page, "已保存 张三 的增员信息，请录入下一位。"));

    // 关闭: the table has the new row.
    drive(&mut page, Message::CloseForm);
    assert!(shows(&page, &person(1)));
    assert!(shows(&page, "共 1 条尚未提交的增员信息"));
    assert_eq!(page.rows()[0].validity, Validity::Valid);
}

#[test]
fn resumed_enrolment_offline_fills_in_from_the_cached_roster() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    session
        .store()
        .replace_roster(&[json!({
            "document_type": "01",
            "document_no": &person(2),
            "name": "李四",
            "insured_from": "2020-01",
        })])
        .unwrap();
    let mut page = page_of(&session);
    drive(&mut page, Message::Key(Key::Resume));
    assert!(shows(&page, "16 续保"), "the reason is 续保");
    type_here(&mut page, &person(2));
    let form = page.form().unwrap();
    assert_eq!(form.name, "李四");
    assert!(shows(
        &page,
        "无法连接经办机构，已按本单位参保人员名单填入，请核对。"
    ));

    // Someone the roster does not know: nothing is filled in.
    drive(&mut page, Message::CloseForm);
    drive(&mut page, Message::Key(Key::Resume));
    type_here(&mut page, &person(3));
    let form = page.form().unwrap();
    assert_eq!(form.name, "");
    assert_ne!(form.lookup, Some(super::form::Lookup::FoundInRoster));
}

#[test]
fn a_row_is_edited_in_the_same_form_and_deleted_after_a_yes() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let mut page = page_of(&session);
    drive(&mut page, Message::Key(Key::New));
    enter_hire(&mut page, &person(1), "张三");
    enter_hire(&mut page, &person(2), "李四");
    drive(&mut page, Message::Key(Key::Escape));
    assert_eq!(page.rows().len(), 2);

    // Edit needs a row; the arrows select one.
    drive(&mut page, Message::Key(Key::Down));
    drive(&mut page, Message::Key(Key::Down));
    assert_eq!(page.selected(), Some(1));
    drive(&mut page, Message::Key(Key::Edit));
    let form = page.form().expect("the edit form is open");
    assert_eq!(form.name, "李四");
    assert!(shows(&page, "修改增员信息"));
    for _ in 0..3 {
        tab(&mut page);
    }
    assert_eq!(page.form().unwrap().focus, FormField::Wage);
    drive(
        &mut page,
        Message::Form(FormMessage::Input(FormField::Wage, "7200.00".into())),
    );
    let asked = enter_here(&mut page);
    assert_eq!(asked, [Asked::StoreChanged]);
    assert!(page.form().is_none(), "an edit closes the form");
    assert_eq!(page.rows()[1].wage, "7200.00");
    assert_eq!(
        session.store().hire_drafts().unwrap()[1].item.wage,
        "7200.00"
    );

    // Delete asks first; Esc keeps the row, Enter deletes it.
    drive(&mut page, Message::Key(Key::Delete));
    let question = format!("确定删除 李四（{}）的增员信息吗？", person(2));
    assert!(shows(&page, &question));
    drive(&mut page, Message::Key(Key::Escape));
    assert_eq!(page.rows().len(), 2);
    drive(&mut page, Message::Key(Key::Delete));
    let asked = drive(&mut page, Message::Key(Key::Enter));
    assert_eq!(asked, [Asked::StoreChanged]);
    assert_eq!(page.rows().len(), 1);
    assert_eq!(session.store().hire_drafts().unwrap().len(), 1);
    assert!(!shows(&page, &person(2)));
}

#[test]
fn go_to_submission_opens_the_submit_page() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let mut page = page_of(&session);
    assert_eq!(
        drive(&mut page, Message::Key(Key::Submit)),
        [Asked::Open(Function::Submit)]
    );
    let mut ui = iced_test::simulator(page.view());
    ui.click("去提交").unwrap();
    let asked: Vec<Asked> = ui
        .into_messages()
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|m| drive(&mut page, m))
        .collect();
    assert_eq!(asked, [Asked::Open(Function::Submit)]);
}

#[test]
fn a_table_of_100000_drafts_lays_out_only_what_is_in_view() {
    let data = tempfile::tempdir().unwrap();
    let (session, _readers) = testing::offline_session(data.path());
    let drafts: Vec<NewDraft> = (0..100_000)
        .map(|n| NewDraft {
            kind: DeclarationKind::Hire,
            period: "2026-03".into(),
            item: json!({
                "document_type": "01",
                "document_no": format!("NO{n:06}"),
                "name": format!("职工{n}"),
                "wage": "6500.00",
            }),
        })
        .collect();
    session.store().save_drafts(&drafts).unwrap();
    let page = page_of(&session);
    assert_eq!(page.rows().len(), 100_000);
    let count = crate::fl!("hire-count", count = 100_000);
    assert!(count.contains("100"), "{count}");
    assert!(shows(&page, &count));
    assert!(shows(&page, "NO000000"));
    assert!(!shows(&page, "NO099999"), "rows far below are not laid out");
    // Half-filled drafts are kept and shown as refused.
    assert_eq!(page.rows()[0].validity, Validity::Errors);
    assert!(shows(&page, "有错误"));
}
