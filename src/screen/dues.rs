//! 单位应缴: what the unit owes per month and insurance type — the unit's and the people's
//! shares, paid or owed — with totals, a bar per month, and what the hires still in drafts
//! would add (shebao-core's dues preview against the cached reference data).

use std::sync::Arc;

use iced::widget::{button, column, container, row, scrollable, text};
use iced::{Alignment, Element, Length, Task, Theme};
use serde_json::Value;
use shebao_core::dues::{Contributor, preview};
use shebao_core::money::Money;
use shebao_core::month::Month;
use shebao_core::reference::{CodeTable, ReferenceData};
use shebao_store::DeclarationKind;
use shebao_sync::{SyncEngine, block_on};

use super::export::{self, ExportError, Format, Sheet};
use super::failure::Failure;
use super::page::Action;
use super::session::{Session, off_thread};
use crate::fl;
use crate::widget::table::{Column, TableState, table};

/// How many months a refresh asks the agency for, up to this one.
const MONTHS: i32 = 12;

/// One month and insurance type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub month: String,
    pub insurance: String,
    pub base: Money,
    pub unit_share: Money,
    pub personal_share: Money,
    pub paid: bool,
}

/// What the page shows, worked out off the UI thread.
#[derive(Debug, Clone)]
pub struct Dues {
    pub rows: Vec<Due>,
    /// Per month: (month, unit + personal total, whether any of it is owed).
    pub months: Vec<(String, Money, bool)>,
    pub unit_total: Money,
    pub personal_total: Money,
    pub owed_total: Money,
    /// The drafts' addition this month: (insurance type, unit share, personal share), or why
    /// it cannot be worked out.
    pub preview: Result<Vec<(String, Money, Money)>, String>,
    pub preview_people: usize,
}

fn money(row: &Value, key: &str) -> Money {
    row.get(key)
        .and_then(Value::as_str)
        .and_then(|s| Money::parse(s).ok())
        .unwrap_or_default()
}

fn read(session: &Session) -> Result<Arc<Dues>, Failure> {
    let store = session.store();
    let reference = store
        .reference()?
        .and_then(|(_, body)| ReferenceData::from_json(&body.to_string()).ok());
    let name = |code: &str| {
        reference
            .as_ref()
            .and_then(|r| r.name_of(CodeTable::InsuranceTypes, code))
            .unwrap_or(code)
            .to_owned()
    };
    let rows: Vec<Due> = store
        .dues()?
        .iter()
        .map(|r| Due {
            month: r
                .get("month")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            insurance: name(
                r.get("insurance_type")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            ),
            base: money(r, "base"),
            unit_share: money(r, "unit_share"),
            personal_share: money(r, "personal_share"),
            paid: r.get("status").and_then(Value::as_str) == Some("paid"),
        })
        .collect();
    let mut dues = Dues {
        unit_total: rows.iter().map(|r| r.unit_share).sum(),
        personal_total: rows.iter().map(|r| r.personal_share).sum(),
        owed_total: rows
            .iter()
            .filter(|r| !r.paid)
            .map(|r| r.unit_share + r.personal_share)
            .sum(),
        rows: Vec::new(),
        months: Vec::new(),
        preview: Ok(Vec::new()),
        preview_people: 0,
    };
    for r in &rows {
        match dues.months.last_mut() {
            Some((month, total, owed)) if *month == r.month => {
                *total += r.unit_share + r.personal_share;
                *owed |= !r.paid;
            }
            _ => dues
                .months
                .push((r.month.clone(), r.unit_share + r.personal_share, !r.paid)),
        }
    }
    dues.rows = rows;

    let hires = store.drafts(Some(DeclarationKind::Hire))?;
    let people: Vec<(Money, Vec<String>)> = hires
        .iter()
        .filter_map(|d| {
            let wage = Money::parse(d.item.get("wage")?.as_str()?).ok()?;
            let types = d.item.get("insurance_types")?.as_array()?;
            Some((
                wage,
                types
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect(),
            ))
        })
        .collect();
    dues.preview_people = people.len();
    dues.preview = match &reference {
        None => Err(fl!("dues-no-reference")),
        Some(reference) => {
            let contributors: Vec<Contributor<'_>> = people
                .iter()
                .map(|(wage, types)| Contributor {
                    declared_wage: *wage,
                    insurance_types: types,
                })
                .collect();
            let month = Month::of(chrono::Local::now().date_naive());
            preview(reference, month, &contributors)
                .map(|p| {
                    p.by_insurance_type
                        .iter()
                        .map(|(code, s)| (name(code), s.unit_share, s.personal_share))
                        .collect()
                })
                .map_err(|e| e.to_string())
        }
    };
    Ok(Arc::new(dues))
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Arc<Dues>, Failure>),
    Scrolled(scrollable::Viewport),
    Selected(usize),
    ExportPath(String),
    Export,
    Refresh,
    Refreshed(Result<(), Failure>),
    Close,
}

pub struct DuesPage {
    session: Session,
    dues: Option<Result<Arc<Dues>, Failure>>,
    table: TableState,
    export_path: String,
    exported: Option<Result<usize, ExportError>>,
    refreshing: bool,
    problem: Option<String>,
}

impl DuesPage {
    pub fn new(session: Session) -> (Self, Task<Message>) {
        let export_path = export::default_path(session.data_dir().root(), "dues", Format::Xlsx);
        let page = Self {
            session,
            dues: None,
            table: TableState::default(),
            export_path,
            exported: None,
            refreshing: false,
            problem: None,
        };
        let task = page.load();
        (page, task)
    }

    fn load(&self) -> Task<Message> {
        let job = self.session.clone();
        Task::perform(off_thread(move || read(&job)), Message::Loaded)
    }

    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Loaded(dues) => {
                self.dues = Some(dues);
                Action::None
            }
            Message::Scrolled(viewport) => {
                self.table.scrolled(viewport);
                Action::None
            }
            Message::Selected(i) => {
                self.table.selected = Some(i);
                Action::None
            }
            Message::ExportPath(path) => {
                self.export_path = path;
                Action::None
            }
            Message::Export => {
                self.exported = Some(export::write(
                    &self.sheet(),
                    std::path::Path::new(self.export_path.trim()),
                    Format::of(std::path::Path::new(self.export_path.trim())),
                ));
                Action::None
            }
            Message::Refresh => {
                self.refreshing = true;
                self.problem = None;
                let job = self.session.clone();
                Action::Run(Task::perform(
                    off_thread(move || {
                        let to = Month::of(chrono::Local::now().date_naive());
                        let mut from = to;
                        for _ in 1..MONTHS {
                            from = from.first_day().pred_opt().map_or(from, Month::of);
                        }
                        let engine = SyncEngine::new(job.client().clone());
                        let (from, to) = (from.to_string(), to.to_string());
                        block_on(engine.pull_dues(&mut job.store(), &from, &to))??;
                        Ok(())
                    }),
                    Message::Refreshed,
                ))
            }
            Message::Refreshed(done) => {
                self.refreshing = false;
                match done {
                    Ok(()) => Action::Run(self.load()),
                    Err(Failure::LoginRequired) => Action::LoginRequired,
                    Err(failure) => {
                        self.problem = Some(failure.message());
                        Action::None
                    }
                }
            }
            Message::Close => Action::Close,
        }
    }

    fn sheet(&self) -> Sheet {
        let rows = match &self.dues {
            Some(Ok(dues)) => dues.rows.as_slice(),
            _ => &[],
        };
        Sheet {
            headings: headings().into_iter().map(|c| c.heading).collect(),
            rows: rows.iter().map(cells).collect(),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let actions = row![
            button(text(if self.refreshing {
                fl!("people-refreshing")
            } else {
                fl!("people-refresh")
            }))
            .style(button::secondary)
            .on_press_maybe((!self.refreshing).then_some(Message::Refresh)),
            button(text(fl!("page-close"))).on_press(Message::Close),
        ]
        .spacing(10);
        let mut page = column![actions].spacing(10);
        if let Some(problem) = &self.problem {
            page = page.push(text(problem).size(13).style(text::danger));
        }
        let body: Element<'_, Message> = match &self.dues {
            None => text(fl!("page-loading")).into(),
            Some(Err(failure)) => text(failure.message()).style(text::danger).into(),
            Some(Ok(dues)) => self.dues_view(dues),
        };
        page.push(export::bar(
            &self.export_path,
            Message::ExportPath,
            Message::Export,
            self.exported.as_ref(),
        ))
        .push(body)
        .into()
    }

    fn dues_view<'a>(&'a self, dues: &'a Dues) -> Element<'a, Message> {
        let totals = text(fl!(
            "dues-totals",
            unit = dues.unit_total.to_string(),
            personal = dues.personal_total.to_string(),
            owed = dues.owed_total.to_string()
        ));
        let preview: Element<'a, Message> = match &dues.preview {
            Err(why) => text(fl!("dues-preview-unavailable", reason = why.clone()))
                .size(13)
                .into(),
            Ok(_) if dues.preview_people == 0 => text(fl!("dues-preview-none")).size(13).into(),
            Ok(shares) => {
                let unit: Money = shares.iter().map(|s| s.1).sum();
                let personal: Money = shares.iter().map(|s| s.2).sum();
                text(fl!(
                    "dues-preview",
                    people = dues.preview_people.to_string(),
                    unit = unit.to_string(),
                    personal = personal.to_string()
                ))
                .size(13)
                .into()
            }
        };
        let rows = &dues.rows;
        let list = table(
            &headings(),
            rows.len(),
            &self.table,
            move |i| {
                cells(&rows[i])
                    .into_iter()
                    .map(|c| text(c).into())
                    .collect()
            },
            Message::Scrolled,
            Some(Message::Selected),
        );
        row![
            column![totals, preview, list]
                .spacing(8)
                .width(Length::FillPortion(3)),
            chart(&dues.months).width(Length::FillPortion(2)),
        ]
        .spacing(16)
        .into()
    }
}

fn headings() -> Vec<Column> {
    vec![
        Column::new(fl!("dues-col-month"), 80),
        Column::new(fl!("dues-col-insurance"), 110),
        Column::new(fl!("dues-col-base"), 100),
        Column::new(fl!("dues-col-unit"), 100),
        Column::new(fl!("dues-col-personal"), 100),
        Column::new(fl!("dues-col-status"), Length::Fill),
    ]
}

fn cells(due: &Due) -> Vec<String> {
    vec![
        due.month.clone(),
        due.insurance.clone(),
        due.base.to_string(),
        due.unit_share.to_string(),
        due.personal_share.to_string(),
        if due.paid {
            fl!("dues-paid")
        } else {
            fl!("dues-owed")
        },
    ]
}

/// One bar per month, as long as its total; red where something is owed.
fn chart<'a>(months: &'a [(String, Money, bool)]) -> iced::widget::Column<'a, Message> {
    let widest = months.iter().map(|m| m.1.fen()).max().unwrap_or(0).max(1);
    let bars = months.iter().map(|(month, total, owed)| {
        let length = (total.fen() as f32 / widest as f32 * 200.0).max(1.0);
        let owed = *owed;
        let bar = container(text(""))
            .width(length)
            .height(14)
            .style(move |theme: &Theme| {
                let palette = theme.extended_palette();
                let color = if owed {
                    palette.danger.base.color
                } else {
                    palette.success.base.color
                };
                container::Style::default().background(color)
            });
        row![
            text(month.clone()).size(13).width(70),
            bar,
            text(total.to_string()).size(13)
        ]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
    });
    column![text(fl!("dues-chart")).size(15)]
        .extend(bars)
        .spacing(6)
}

#[cfg(test)]
mod tests {
    use iced_test::simulator;
    use serde_json::json;
    use shebao_store::NewDraft;

    use super::*;
    use crate::screen::testing;

    #[test]
    fn dues_show_totals_owed_and_the_drafts_preview() {
        let data = tempfile::tempdir().unwrap();
        let (session, _readers) = testing::offline_session(data.path());
        {
            let mut store = session.store();
            store
                .save_reference(
                    "demo",
                    &serde_json::from_str(ReferenceData::demo_json()).unwrap(),
                )
                .unwrap();
            let due = |month: &str, unit: &str, personal: &str, status: &str| {
                json!({"month": month, "insurance_type": "110", "base": "6500.00",
                       "unit_share": unit, "personal_share": personal, "status": status})
            };
            store
                .replace_dues(
                    "2026-09",
                    "2026-10",
                    &[
                        due("2026-09", "1040.00", "520.00", "paid"),
                        due("2026-10", "1040.00", "520.00", "owed"),
                    ],
                )
                .unwrap();
            let month = chrono::Local::now().format("%Y-%m").to_string();
            store
                .save_draft(&NewDraft {
                    kind: DeclarationKind::Hire,
                    period: month,
                    item: json!({"name": "张三", "wage": "6500.00", "insurance_types": ["110"]}),
                })
                .unwrap();
        }
        let (mut page, _) = DuesPage::new(session.clone());
        let dues = read(&session);
        let expected = dues.as_ref().unwrap().preview.clone();
        let _ = page.update(Message::Loaded(dues));
        let mut ui = simulator(page.view());
        let totals = fl!(
            "dues-totals",
            unit = "2080.00",
            personal = "1040.00",
            owed = "1560.00"
        );
        assert!(ui.find(totals.as_str()).is_ok());
        assert!(ui.find(fl!("dues-owed").as_str()).is_ok());
        assert!(ui.find("2026-10").is_ok());
        let shares = expected.expect("the demo reference data has this month's rates");
        assert_eq!(shares.len(), 1, "one insurance type in the drafts");
        assert!(
            shares[0].1 > Money::default(),
            "a hire adds to the unit's share"
        );
    }
}
