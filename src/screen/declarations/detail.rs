//! One declaration opened from the list: its items with the agency's verdict and the reason
//! for each refusal, and what the clerk can do with a selected item (see the person's history,
//! declare a refused item again).

use iced::widget::{button, column, row, text};
use iced::{Alignment, Element, Length};
use shebao_store::{DeclarationRow, ItemResult};

use super::{Message, labels};
use crate::fl;
use crate::screen::failure::Failure;
use crate::widget::table::{Column, TableState, table};

pub struct Detail {
    pub row: DeclarationRow,
    /// `None` while being read.
    pub items: Option<Result<Vec<ItemResult>, Failure>>,
    pub table: TableState,
    /// What became of the viewed mark, or of the last action.
    pub notice: Option<String>,
    pub problem: Option<String>,
}

impl Detail {
    pub fn new(row: DeclarationRow) -> Self {
        Self {
            row,
            items: None,
            table: TableState::default(),
            notice: None,
            problem: None,
        }
    }

    /// The selected item, if the items are read.
    pub fn selected(&self) -> Option<&ItemResult> {
        let items = self.items.as_ref()?.as_ref().ok()?;
        items.get(self.table.selected?)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let summary = row![
            text(labels::kind(self.row.kind)),
            text(fl!("query-period-is", period = self.row.period.clone())),
            text(labels::state(self.row.core_state())),
            text(fl!(
                "query-items-summary",
                items = self.row.item_count,
                failed = self.row.failed_items
            )),
        ]
        .spacing(20);
        let body: Element<'_, Message> = match &self.items {
            None => text(fl!("page-loading")).into(),
            Some(Err(failure)) => text(failure.message()).style(text::danger).into(),
            Some(Ok(items)) => items_table(items, &self.table),
        };
        let selected = self.selected();
        let person = selected.and_then(|i| field(i, "document_no"));
        let refused = selected.is_some_and(|i| i.accepted == Some(false) && i.item.is_some());
        let actions = row![
            button(text(fl!("query-back-to-list"))).on_press(Message::BackToList),
            button(text(fl!("query-person-history")))
                .style(button::secondary)
                .on_press_maybe(person.map(|p| Message::History(p.to_owned()))),
            button(text(fl!("query-correct-and-redeclare"))).on_press_maybe(
                selected
                    .filter(|_| refused)
                    .map(|i| Message::Correct(i.line))
            ),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let mut page = column![summary, actions].spacing(12);
        if let Some(notice) = &self.notice {
            page = page.push(text(notice).size(13).style(text::success));
        }
        if let Some(problem) = &self.problem {
            page = page.push(text(problem).size(13).style(text::danger));
        }
        page.push(body).into()
    }
}

/// A text field of the item as sent; `None` for items declared from another computer.
pub fn field<'a>(item: &'a ItemResult, name: &str) -> Option<&'a str> {
    item.item.as_ref()?.get(name)?.as_str()
}

fn items_table<'a>(items: &'a [ItemResult], state: &TableState) -> Element<'a, Message> {
    let columns = [
        Column::new(fl!("query-col-line"), 50),
        Column::new(fl!("query-col-name"), 120),
        Column::new(fl!("query-col-document"), 190),
        Column::new(fl!("query-col-verdict"), 90),
        Column::new(fl!("query-col-reason"), Length::Fill),
    ];
    let unknown = fl!("query-item-elsewhere");
    table(
        &columns,
        items.len(),
        state,
        move |i| {
            let item = &items[i];
            let verdict = text(labels::verdict(item.accepted));
            let verdict = if item.accepted == Some(false) {
                verdict.style(text::danger)
            } else {
                verdict
            };
            vec![
                text(item.line).into(),
                text(field(item, "name").unwrap_or(&unknown).to_owned()).into(),
                text(field(item, "document_no").unwrap_or_default().to_owned()).into(),
                verdict.into(),
                text(item.reason.clone().unwrap_or_default()).into(),
            ]
        },
        Message::ItemsScrolled,
        Some(Message::ItemSelected),
    )
}
