//! A table that stays smooth with 100,000 rows. iced has no virtual list, so the table lays
//! out only the rows in view (plus a few either side) between two spacers as tall as the rows
//! above and below; the scrollbar still measures the whole list. The page keeps a
//! [`TableState`] and feeds it the scrollable's viewport.

use iced::widget::{Id, button, column, container, operation, row, scrollable, space, text};
use iced::{Element, Length, Task};

/// Every row has the same height; that is what makes the visible range a division.
pub const ROW_HEIGHT: f32 = 30.0;

/// Rows laid out beyond the viewport on each side, so a fast wheel turn shows no gap.
const OVERSCAN: usize = 4;

/// Rows assumed visible before the first viewport arrives (a 1024x768 window shows fewer).
const FIRST_FRAME_ROWS: usize = 30;

/// Where a table is scrolled to, and which row is selected.
#[derive(Debug, Clone)]
pub struct TableState {
    id: Id,
    offset: f32,
    height: f32,
    pub selected: Option<usize>,
}

impl Default for TableState {
    fn default() -> Self {
        Self {
            id: Id::unique(),
            offset: 0.0,
            height: 0.0,
            selected: None,
        }
    }
}

impl TableState {
    /// Keep the scrollable's viewport; call it from the page's scroll message.
    pub fn scrolled(&mut self, viewport: scrollable::Viewport) {
        self.offset = viewport.absolute_offset().y;
        self.height = viewport.bounds().height;
    }

    /// The rows to lay out for a table of `rows` rows.
    pub fn visible(&self, rows: usize) -> std::ops::Range<usize> {
        let first = ((self.offset / ROW_HEIGHT).floor().max(0.0) as usize).saturating_sub(OVERSCAN);
        let shown = if self.height > 0.0 {
            (self.height / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN
        } else {
            FIRST_FRAME_ROWS
        };
        first.min(rows)..(first + shown).min(rows)
    }

    /// Select `index` and scroll so that it is in view; for the arrow keys and for a row the
    /// clerk just saved.
    pub fn select<M: Send + 'static>(&mut self, index: usize) -> Task<M> {
        self.selected = Some(index);
        let top = index as f32 * ROW_HEIGHT;
        let bottom = top + ROW_HEIGHT;
        let target = if top < self.offset {
            top
        } else if self.height > 0.0 && bottom > self.offset + self.height {
            bottom - self.height
        } else {
            return Task::none();
        };
        operation::scroll_to(
            self.id.clone(),
            operation::AbsoluteOffset {
                x: None,
                y: Some(target),
            },
        )
    }

    /// Back to the top, e.g. after the filter changed.
    pub fn reset<M: Send + 'static>(&mut self) -> Task<M> {
        self.selected = None;
        self.offset = 0.0;
        operation::scroll_to(
            self.id.clone(),
            operation::AbsoluteOffset {
                x: None,
                y: Some(0.0),
            },
        )
    }
}

/// A column's heading and width.
pub struct Column {
    pub heading: String,
    pub width: Length,
}

impl Column {
    pub fn new(heading: impl Into<String>, width: impl Into<Length>) -> Self {
        Self {
            heading: heading.into(),
            width: width.into(),
        }
    }
}

/// A windowed table of `rows` rows. `cells(i)` gives the cells of row `i` (only called for
/// rows in view), `on_scroll` turns the viewport into the page's message, and `on_select`
/// (when given) makes a row clickable.
pub fn table<'a, M: Clone + 'a>(
    columns: &[Column],
    rows: usize,
    state: &TableState,
    cells: impl Fn(usize) -> Vec<Element<'a, M>>,
    on_scroll: impl Fn(scrollable::Viewport) -> M + 'a,
    on_select: Option<fn(usize) -> M>,
) -> Element<'a, M> {
    let widths: Vec<Length> = columns.iter().map(|c| c.width).collect();
    let heading = row(columns
        .iter()
        .map(|c| text(c.heading.clone()).width(c.width).into()))
    .spacing(8)
    .padding([4, 8]);
    let range = state.visible(rows);
    let above = range.start as f32 * ROW_HEIGHT;
    let below = (rows - range.end) as f32 * ROW_HEIGHT;
    let lines = range.map(|index| {
        let line = row(cells(index)
            .into_iter()
            .zip(widths.iter().chain(std::iter::repeat(&Length::Shrink)))
            .map(|(cell, width)| container(cell).width(*width).into()))
        .spacing(8);
        let style = if state.selected == Some(index) {
            button::primary
        } else {
            button::text
        };
        button(line)
            .style(style)
            .padding([4, 8])
            .height(ROW_HEIGHT)
            .width(Length::Fill)
            .on_press_maybe(on_select.map(|select| select(index)))
            .into()
    });
    let body = column![space().height(above)]
        .extend(lines)
        .push(space().height(below));
    column![
        heading,
        scrollable(body)
            .id(state.id.clone())
            .on_scroll(on_scroll)
            .height(Length::Fill)
            .width(Length::Fill)
    ]
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rows_in_view_are_laid_out() {
        let mut state = TableState::default();
        assert_eq!(state.visible(100_000), 0..FIRST_FRAME_ROWS);
        state.offset = 50_000.0 * ROW_HEIGHT;
        state.height = 20.0 * ROW_HEIGHT;
        let range = state.visible(100_000);
        assert!(range.contains(&50_000) && range.contains(&50_019));
        assert!(range.len() <= 20 + 2 * OVERSCAN + 1);
    }

    #[test]
    fn a_short_table_shows_all_its_rows() {
        let state = TableState::default();
        assert_eq!(state.visible(3), 0..3);
        assert_eq!(state.visible(0), 0..0);
    }
}
