//! The wage page: the base after the limits is shown with the limit that moved it, the filter
//! finds the people whose wage changed most, and saving makes or updates one draft a person.

use iced::futures::executor::block_on;
use iced_test::simulator;

use super::*;
use crate::screen::testing;

fn page(data: &std::path::Path) -> Wage {
    let (session, _readers) = testing::offline_session(data);
    {
        let mut store = session.store();
        let reference: serde_json::Value =
            serde_json::from_str(ReferenceData::demo_json()).unwrap();
        store.save_reference("demo", &reference).unwrap();
        store
            .replace_roster(&crate::screen::leave::tests::roster())
            .unwrap();
    }
    let (mut page, _) = Wage::new(session.clone());
    let _ = page.update(Message::Loaded(block_on(load(session))));
    page
}

fn limits() -> (Money, Money) {
    let month = Month::parse(&drafting::this_period()).unwrap();
    let period = ReferenceData::demo().period_at(month).unwrap().clone();
    (period.base_lower, period.base_upper)
}

fn shows(page: &Wage, wanted: &str) -> bool {
    simulator(page.view()).find(wanted).is_ok()
}

fn save(page: &mut Wage) -> Action<Message> {
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

#[test]
fn a_wage_below_the_lower_limit_shows_the_raised_base_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    let (lower, upper) = limits();
    let _ = page.update(Message::Wage(1, "2000".into()));
    let _ = page.update(Message::Wage(2, "99999".into()));
    assert!(shows(&page, &lower.to_string()));
    assert!(shows(&page, &fl!("wage-raised", lower = lower.to_string())));
    assert!(shows(&page, &upper.to_string()));
    assert!(shows(
        &page,
        &fl!("wage-lowered", upper = upper.to_string())
    ));
    // The change from what the agency holds (李四: 3000.00).
    assert!(shows(&page, "-33.3%"));
}

#[test]
fn the_filter_shows_only_the_people_whose_wage_changed_beyond_the_percentage() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    let _ = page.update(Message::Wage(0, "6600".into()));
    let _ = page.update(Message::Wage(2, "40000".into()));
    let _ = page.update(Message::OnlyChanged(true));
    let _ = page.update(Message::Threshold("20".into()));
    assert!(shows(&page, "王五"));
    assert!(!shows(&page, "张三"));
    assert!(!shows(&page, "李四"));
    let _ = page.update(Message::Threshold("1".into()));
    assert!(shows(&page, "张三"));
}

#[test]
fn saving_makes_one_draft_a_person_and_saving_again_updates_it() {
    let data = tempfile::tempdir().unwrap();
    let mut page = page(data.path());
    let _ = page.update(Message::Wage(0, "7,200".into()));
    let _ = page.update(Message::Wage(1, "abc".into()));
    assert!(matches!(save(&mut page), Action::None));
    let problem = page.errors[&1].clone();
    assert!(shows(&page, &problem));
    assert!(page.session.store().drafts(Some(KIND)).unwrap().is_empty());

    let _ = page.update(Message::Wage(1, "3100".into()));
    assert!(matches!(save(&mut page), Action::StoreChanged));
    assert!(shows(&page, &fl!("wage-saved", count = 2)));
    let _ = page.update(Message::Wage(0, "7300".into()));
    save(&mut page);
    let drafts = page.session.store().drafts(Some(KIND)).unwrap();
    assert_eq!(drafts.len(), 2);
    let wages: Vec<&str> = drafts
        .iter()
        .map(|d| drafting::item_text(d, "average_monthly_wage"))
        .collect();
    assert_eq!(wages, ["7300.00", "3100.00"]);

    // Opened again, the figures come back from the drafts.
    let session = page.session.clone();
    let (mut again, _) = Wage::new(session.clone());
    let _ = again.update(Message::Loaded(block_on(load(session))));
    assert_eq!(again.wages[0], "7300.00");
}
