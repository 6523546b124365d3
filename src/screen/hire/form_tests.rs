//! The hire form as the clerk meets it: required fields, messages beside the fields, sex and
//! birth date from the ID number, Tab order.

use super::fields::FormField;
use super::keys::Key;
use super::test_support::{drive, shows, type_here};
use super::{Hire, Message, jobs};
use crate::screen::testing;

fn page(data: &std::path::Path) -> Hire {
    let (session, _readers) = testing::offline_session(data);
    let loaded = shebao_sync::block_on(jobs::load(session.clone()))
        .unwrap()
        .unwrap();
    Hire::with(Some(session), Some(*loaded))
}

fn tab(page: &mut Hire) {
    drive(page, Message::Key(Key::Tab { back: false }));
}

fn focus(page: &Hire) -> FormField {
    page.form().unwrap().focus
}

#[test]
fn required_fields_are_marked_and_saving_an_empty_form_names_each() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    // No reference data cached yet: the demo tables stand in, and the page says so.
    assert!(shows(&page, crate::fl!("hire-demo-reference").as_str()));
    drive(&mut page, Message::Key(Key::New));
    assert!(shows(&page, "* 证件号码"));
    assert!(shows(&page, "* 姓名"));
    assert!(shows(&page, "* 月工资"));
    assert!(shows(&page, "民族"));
    assert!(!shows(&page, "* 民族"));

    let asked = drive(&mut page, Message::Form(super::form::Message::Save));
    assert!(asked.is_empty(), "nothing is saved");
    assert!(shows(&page, "证件号码为空，请填写"));
    assert!(shows(&page, "姓名为空，请填写"));
    assert!(shows(&page, "请填写月工资"));
    // The cursor goes to the first field to fix.
    assert_eq!(focus(&page), FormField::DocumentNo);
    assert!(page.rows().is_empty());
}

#[test]
fn typing_the_id_number_fills_sex_and_birth_date() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    drive(&mut page, Message::Key(Key::New));
    assert!(shows(&page, "（由证件号码得出）"));
    type_here(&mut page, "11010519491231002x");
    let form = page.form().unwrap();
    assert_eq!(form.document_no, "11010519491231002X");
    assert!(shows(&page, "女"));
    assert!(shows(&page, "1949-12-31"));
}

#[test]
fn a_field_is_checked_when_left_and_its_message_goes_when_fixed() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    drive(&mut page, Message::Key(Key::New));
    type_here(&mut page, "110105194912310021");
    assert!(!shows(
        &page,
        "身份号码校验位应为 X，这里是 1；号码中可能有一位录错了"
    ));
    tab(&mut page);
    assert!(shows(
        &page,
        "身份号码校验位应为 X，这里是 1；号码中可能有一位录错了"
    ));
    assert_eq!(focus(&page), FormField::Name);

    drive(&mut page, Message::Key(Key::Tab { back: true }));
    assert_eq!(focus(&page), FormField::DocumentNo);
    drive(
        &mut page,
        Message::Form(super::form::Message::Input(
            FormField::DocumentNo,
            "11010519491231002X".into(),
        )),
    );
    assert!(!shows(
        &page,
        "身份号码校验位应为 X，这里是 1；号码中可能有一位录错了"
    ));
}

#[test]
fn tab_visits_what_must_be_typed_first_and_wraps_around() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    drive(&mut page, Message::Key(Key::New));
    let mut visited = vec![focus(&page)];
    for _ in 0..12 {
        tab(&mut page);
        visited.push(focus(&page));
    }
    use FormField::*;
    assert_eq!(
        visited,
        [
            DocumentNo,
            Name,
            FirstEmployedOn,
            Wage,
            Reason,
            HouseholdType,
            EmploymentForm,
            InsuredFrom,
            Ethnicity,
            Phone,
            Remarks,
            DocumentType,
            DocumentNo
        ]
    );
    drive(&mut page, Message::Key(Key::Tab { back: true }));
    assert_eq!(focus(&page), DocumentType);

    // A passport does not carry sex and birth date: the cursor visits them (and nationality).
    type_here(&mut page, "护照");
    tab(&mut page);
    assert_eq!(page.form().unwrap().document_type.code(), Some("05"));
    assert_eq!(focus(&page), DocumentNo);
    tab(&mut page);
    assert_eq!(focus(&page), Name);
    tab(&mut page);
    assert_eq!(focus(&page), Sex);
    tab(&mut page);
    assert_eq!(focus(&page), BirthDate);
    tab(&mut page);
    assert_eq!(focus(&page), Nationality);
    assert!(shows(&page, "* 国籍"));
}

#[test]
fn a_choice_is_found_by_typing_part_of_its_name() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    drive(&mut page, Message::Key(Key::New));
    for _ in 0..4 {
        tab(&mut page);
    }
    assert_eq!(focus(&page), FormField::Reason);
    // The usual reason is filled in.
    assert!(shows(&page, "11 新参加工作"));
    type_here(&mut page, "调");
    assert!(shows(&page, "12 调入"), "the match shows under the field");
    tab(&mut page);
    assert_eq!(page.form().unwrap().reason.code(), Some("12"));
    assert!(shows(&page, "12 调入"));
}

#[test]
fn escape_closes_the_form() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    drive(&mut page, Message::Key(Key::New));
    type_here(&mut page, "110105");
    drive(&mut page, Message::Key(Key::Escape));
    assert!(page.form().is_none());
    assert!(shows(&page, "职工新参保"));
}
