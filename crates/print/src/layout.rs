//! Geometry without drawing: page sizes, lines of text broken to a width, table rows that fit,
//! and rows shared out to pages so that no row is split and the totals and signature block
//! stay with the last rows.

use std::ops::Range;

use crate::font::Measurer;
use crate::template::Orientation;

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// A4, in points.
pub fn page_size(orientation: Orientation) -> (f32, f32) {
    let (short, long) = (210.0 * MM, 297.0 * MM);
    match orientation {
        Orientation::Portrait => (short, long),
        Orientation::Landscape => (long, short),
    }
}

/// Line height as a multiple of the font size.
pub const LEADING: f32 = 1.3;
/// Space between a cell's border and its text.
pub const PAD_X: f32 = 2.5;
pub const PAD_Y: f32 = 2.0;
/// No table text is made smaller than this to fit a very long cell on a page.
const SMALLEST: f32 = 4.0;

/// Whether a line may break between `before` and `after`: after a space or a hyphen or slash,
/// and on either side of a CJK character; a Latin word is kept whole while it fits.
fn may_break(before: char, after: char) -> bool {
    let wide = |c: char| c as u32 >= 0x2E80;
    before == ' ' || before == '-' || before == '/' || wide(before) || wide(after)
}

/// `text` broken into lines no wider than `width` at `size` points; a line break in the text
/// is kept, other control characters become spaces. Empty text gives no lines.
pub fn wrap(measurer: &mut Measurer<'_>, text: &str, width: f32, size: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line: Vec<(char, f32)> = Vec::new();
        let mut used = 0.0;
        let mut chance: Option<usize> = None;
        for c in paragraph.chars() {
            let c = if c.is_control() { ' ' } else { c };
            let advance = measurer.glyph(c).advance * size;
            if let Some(&(last, _)) = line.last()
                && may_break(last, c)
            {
                chance = Some(line.len());
            }
            if used + advance > width && !line.is_empty() {
                let cut = chance.filter(|&i| i > 0).unwrap_or(line.len());
                let mut rest = line.split_off(cut);
                out.push(line_text(&line));
                let lead = rest.iter().take_while(|(c, _)| *c == ' ').count();
                rest.drain(..lead);
                line = rest;
                used = line.iter().map(|(_, a)| a).sum();
                chance = None;
            }
            if line.is_empty() && c == ' ' {
                continue;
            }
            line.push((c, advance));
            used += advance;
        }
        if !line.is_empty() {
            out.push(line_text(&line));
        }
    }
    out
}

fn line_text(line: &[(char, f32)]) -> String {
    let text: String = line.iter().map(|(c, _)| c).collect();
    text.trim_end().to_owned()
}

/// A table row laid out: its text size, each cell's lines, and its height.
#[derive(Debug, Clone)]
pub struct Row {
    pub size: f32,
    pub cells: Vec<Vec<String>>,
    pub height: f32,
}

/// Lays a row out in columns of `widths`; a row too tall for `max_height` (a remark of
/// hundreds of characters in a narrow column) is set smaller until it fits, never cut.
pub fn fit_row(
    measurer: &mut Measurer<'_>,
    cells: &[String],
    widths: &[f32],
    size: f32,
    max_height: f32,
) -> Row {
    let mut size = size;
    loop {
        let lines: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(text, w)| wrap(measurer, text, w - 2.0 * PAD_X, size))
            .collect();
        let most = lines.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let height = most as f32 * size * LEADING + 2.0 * PAD_Y;
        if height <= max_height || size <= SMALLEST {
            return Row {
                size,
                cells: lines,
                height,
            };
        }
        size = (size * 0.85).max(SMALLEST);
    }
}

/// Shares rows of `heights` out to pages that hold `capacity` points of rows each, so that
/// the last page also holds `trailer` (the totals and the signature block). A row is never
/// split; the trailer takes rows with it to a new page rather than stand alone, unless a
/// single row and the trailer cannot share a page.
pub fn paginate(heights: &[f32], capacity: f32, trailer: f32) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (i, h) in heights.iter().enumerate() {
        if used + h > capacity && i > start {
            pages.push(start..i);
            start = i;
            used = 0.0;
        }
        used += h;
    }
    pages.push(start..heights.len());
    // The trailer must fit under the last page's rows.
    let last = pages[pages.len() - 1].clone();
    let used: f32 = heights[last.clone()].iter().sum();
    if used + trailer > capacity {
        let final_row = last.end.saturating_sub(1);
        if last.len() >= 2 && heights[final_row] + trailer <= capacity {
            let n = pages.len();
            pages[n - 1] = last.start..final_row;
            pages.push(final_row..last.end);
        } else {
            pages.push(last.end..last.end);
        }
    }
    pages
}

#[cfg(test)]
mod tests;
