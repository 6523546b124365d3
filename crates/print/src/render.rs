//! Papers to a PDF: each paper laid out on A4 pages (title, unit, QR code, the table with its
//! header repeated, the page's number and check code), the totals and the signature block
//! under the last rows.

use std::ops::Range;

use chrono::{Datelike, NaiveDateTime, Timelike};
use krilla::Document;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::surface::Surface;
use shebao_core::reference::ReferenceData;

use crate::draw::{self, Pen};
use crate::error::PrintError;
use crate::font::PrintFont;
use crate::layout::{self, LEADING, MM, PAD_Y, Row};
use crate::model::Paper;
use crate::qr::{self, QrPayload};
use crate::sheet::Sheet;
use crate::template::{Align, fill};

/// How to print: with which font and reference data (for the names of codes and the base
/// limits), at what time (shown in every footer; passed in so the same papers give the same
/// bytes).
#[derive(Debug, Clone, Copy)]
pub struct Printing<'a> {
    pub font: &'a PrintFont,
    pub reference: Option<&'a ReferenceData>,
    pub printed_at: NaiveDateTime,
}

/// A printed PDF.
#[derive(Debug, Clone)]
pub struct Printed {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// What each page's QR code says, in page order.
    pub codes: Vec<QrPayload>,
    /// Characters the print font has no glyph for: they print as a blank box (and still copy
    /// as text). Empty with the shipped font for any name in Unicode's CJK blocks it covers.
    pub missing_characters: Vec<char>,
}

const MARGIN_X: f32 = 12.0 * MM;
const MARGIN_TOP: f32 = 10.0 * MM;
/// Room under the table for the footer line.
const MARGIN_BOTTOM: f32 = 15.0 * MM;
const QR_SIDE: f32 = 24.0 * MM;
const TITLE_SIZE: f32 = 16.0;
const INFO_SIZE: f32 = 9.0;
const FOOTER_SIZE: f32 = 7.5;
const SIGNATURE_SIZE: f32 = 10.0;
const SIGNATURE_HEIGHT: f32 = 30.0 * MM;
const STAMP_WIDTH: f32 = 70.0 * MM;
const RULE: f32 = 0.5;

impl Printing<'_> {
    /// Renders `papers` into one PDF, each numbered on its own. CPU-bound (a 1,000-person form
    /// takes a fraction of a second): call it off the window's thread.
    pub fn render(&self, papers: &[Paper]) -> Result<Printed, PrintError> {
        let mut document = Document::new();
        let mut pen = Pen::new(self.font);
        let mut codes = Vec::new();
        let mut title = None;
        for paper in papers {
            let sheet = Sheet::of(paper, self.reference, self.printed_at.date())?;
            title.get_or_insert_with(|| sheet.template.title.clone());
            let laid = Laid::out(&sheet, &mut pen);
            let pages = laid.pages.len() as u32;
            for (n, rows) in laid.pages.iter().enumerate() {
                let code = QrPayload {
                    page: n as u32 + 1,
                    pages,
                    ..sheet.qr.clone()
                };
                let settings = PageSettings::from_wh(laid.width, laid.height)
                    .ok_or_else(|| PrintError::Pdf("页面尺寸无效".into()))?;
                let mut page = document.start_page_with(settings);
                let mut surface = page.surface();
                let last = n + 1 == laid.pages.len();
                laid.draw(
                    &mut surface,
                    &mut pen,
                    &sheet,
                    rows.clone(),
                    last,
                    &code,
                    self.printed_at,
                )?;
                surface.finish();
                page.finish();
                codes.push(code);
            }
        }
        document.set_metadata(
            Metadata::new()
                .title(title.unwrap_or_default())
                .creator("shebao".into())
                .language("zh-CN".into())
                .creation_date(pdf_date(self.printed_at)),
        );
        let pdf = document
            .finish()
            .map_err(|e| PrintError::Pdf(format!("{e:?}")))?;
        Ok(Printed {
            pdf,
            pages: codes.len(),
            codes,
            missing_characters: pen.measurer.missing(),
        })
    }
}

fn pdf_date(at: NaiveDateTime) -> DateTime {
    DateTime::new(at.year().clamp(0, 9999) as u16)
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
}

/// One paper laid out: everything measured, rows shared out to pages.
struct Laid {
    width: f32,
    height: f32,
    /// Left edge of each column, its width and alignment.
    columns: Vec<(f32, f32, Align)>,
    info: Vec<String>,
    notice: Vec<String>,
    table_top: f32,
    head: Row,
    rows: Vec<Row>,
    pages: Vec<Range<usize>>,
    totals: Vec<String>,
    note: Vec<String>,
    trailer_size: f32,
}

impl Laid {
    fn out(sheet: &Sheet, pen: &mut Pen<'_>) -> Laid {
        let t = &sheet.template;
        let (width, height) = layout::page_size(t.orientation);
        let content = width - 2.0 * MARGIN_X;
        // The columns' widths, scaled together to fill the page.
        let total: f32 = t.columns.iter().map(|c| c.width).sum();
        let mut x = MARGIN_X;
        let columns: Vec<(f32, f32, Align)> = t
            .columns
            .iter()
            .map(|c| {
                let w = c.width / total * content;
                let column = (x, w, c.align);
                x += w;
                column
            })
            .collect();
        let widths: Vec<f32> = columns.iter().map(|c| c.1).collect();

        let info_width = content - QR_SIDE - 6.0 * MM;
        let info = flow(pen, &sheet.header, info_width);
        let notice = sheet
            .notice
            .as_deref()
            .map(|n| layout::wrap(&mut pen.measurer, n, info_width, INFO_SIZE))
            .unwrap_or_default();
        let text_bottom = MARGIN_TOP
            + TITLE_SIZE * LEADING
            + 2.0 * MM
            + (info.len() + notice.len()) as f32 * INFO_SIZE * LEADING;
        let table_top = text_bottom.max(MARGIN_TOP + QR_SIDE) + 3.0 * MM;
        let bottom = height - MARGIN_BOTTOM;

        let labels: Vec<String> = t.columns.iter().map(|c| c.label.clone()).collect();
        let head = layout::fit_row(&mut pen.measurer, &labels, &widths, t.font_size, f32::MAX);
        let capacity = bottom - table_top - head.height;
        let rows: Vec<Row> = sheet
            .rows
            .iter()
            .map(|cells| layout::fit_row(&mut pen.measurer, cells, &widths, t.font_size, capacity))
            .collect();

        let trailer_size = t.font_size + 1.0;
        let totals = layout::wrap(&mut pen.measurer, &sheet.totals, content, trailer_size);
        let note = sheet
            .note
            .as_deref()
            .map(|n| layout::wrap(&mut pen.measurer, n, content, t.font_size))
            .unwrap_or_default();
        let trailer = 2.0 * MM
            + totals.len() as f32 * trailer_size * LEADING
            + note.len() as f32 * t.font_size * LEADING
            + if t.signature {
                4.0 * MM + SIGNATURE_HEIGHT
            } else {
                0.0
            };
        let heights: Vec<f32> = rows.iter().map(|r| r.height).collect();
        let pages = layout::paginate(&heights, capacity, trailer);
        Laid {
            width,
            height,
            columns,
            info,
            notice,
            table_top,
            head,
            rows,
            pages,
            totals,
            note,
            trailer_size,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        s: &mut Surface<'_>,
        pen: &mut Pen<'_>,
        sheet: &Sheet,
        rows: Range<usize>,
        last: bool,
        code: &QrPayload,
        printed_at: NaiveDateTime,
    ) -> Result<(), PrintError> {
        let t = &sheet.template;
        let right = self.width - MARGIN_X;
        pen.aligned(
            s,
            0.0,
            self.width,
            MARGIN_TOP,
            TITLE_SIZE,
            &t.title,
            Align::Center,
        );
        draw::qr_code(s, qr::encode(code)?, right - QR_SIDE, MARGIN_TOP, QR_SIDE)?;
        let mut y = MARGIN_TOP + TITLE_SIZE * LEADING + 2.0 * MM;
        for line in self.info.iter().chain(&self.notice) {
            pen.text(s, MARGIN_X, y, INFO_SIZE, line);
            y += INFO_SIZE * LEADING;
        }

        // The table: header row, then this page's rows.
        let top = self.table_top;
        draw::shade(s, MARGIN_X, top, right - MARGIN_X, self.head.height, 235);
        let mut edges = vec![top];
        let mut y = top;
        self.cells(s, pen, &self.head, y, Some(Align::Center));
        y += self.head.height;
        edges.push(y);
        for row in &self.rows[rows] {
            self.cells(s, pen, row, y, None);
            y += row.height;
            edges.push(y);
        }
        let mut lines: Vec<(f32, f32, f32, f32)> =
            edges.iter().map(|&e| (MARGIN_X, e, right, e)).collect();
        lines.extend(
            self.columns
                .iter()
                .map(|c| c.0)
                .chain([right])
                .map(|x| (x, top, x, y)),
        );
        draw::rules(s, &lines, RULE);

        if last {
            self.trailer(s, pen, sheet, y + 2.0 * MM);
        }

        // The footer, on every page.
        let footer_top = self.height - MARGIN_BOTTOM + 5.0 * MM;
        let time = printed_at.format("%Y-%m-%d %H:%M").to_string();
        let content = right - MARGIN_X;
        let printed = fill(t.word("printed_at"), &[("time", &time)]);
        let (page, pages) = (code.page.to_string(), code.pages.to_string());
        let number = fill(t.word("page"), &[("page", &page), ("pages", &pages)]);
        let check = fill(t.word("check_code"), &[("code", &code.digest.short())]);
        pen.aligned(
            s,
            MARGIN_X,
            content,
            footer_top,
            FOOTER_SIZE,
            &printed,
            Align::Left,
        );
        pen.aligned(
            s,
            MARGIN_X,
            content,
            footer_top,
            FOOTER_SIZE,
            &number,
            Align::Center,
        );
        pen.aligned(
            s,
            MARGIN_X,
            content,
            footer_top,
            FOOTER_SIZE,
            &check,
            Align::Right,
        );
        Ok(())
    }

    /// A row's cells, each vertically centred in the row.
    fn cells(
        &self,
        s: &mut Surface<'_>,
        pen: &mut Pen<'_>,
        row: &Row,
        top: f32,
        align: Option<Align>,
    ) {
        let line = row.size * LEADING;
        for ((x, w, column_align), lines) in self.columns.iter().zip(&row.cells) {
            let block = lines.len() as f32 * line;
            let mut y = top + PAD_Y + (row.height - 2.0 * PAD_Y - block) / 2.0;
            for text in lines {
                let inner = w - 2.0 * layout::PAD_X;
                let a = align.unwrap_or(*column_align);
                pen.aligned(s, x + layout::PAD_X, inner, y, row.size, text, a);
                y += line;
            }
        }
    }

    /// The totals, the note and the signature block under the last rows.
    fn trailer(&self, s: &mut Surface<'_>, pen: &mut Pen<'_>, sheet: &Sheet, top: f32) {
        let t = &sheet.template;
        let mut y = top;
        for line in &self.totals {
            pen.text(s, MARGIN_X, y, self.trailer_size, line);
            y += self.trailer_size * LEADING;
        }
        for line in &self.note {
            pen.text(s, MARGIN_X, y, t.font_size, line);
            y += t.font_size * LEADING;
        }
        if !t.signature {
            return;
        }
        let y = y + 4.0 * MM;
        let size = SIGNATURE_SIZE;
        let blank = 45.0 * MM;
        let mut rules = Vec::new();
        for (i, (word, value)) in [("clerk", &sheet.clerk), ("phone", &sheet.phone)]
            .into_iter()
            .enumerate()
        {
            let line_top = y + 4.0 * MM + i as f32 * 11.0 * MM;
            let label = format!("{}：", t.word(word));
            pen.text(s, MARGIN_X, line_top, size, &label);
            let x = MARGIN_X + pen.width(&label, size) + 1.0 * MM;
            if let Some(value) = value {
                pen.text(s, x + 1.0 * MM, line_top, size, value);
            }
            let under = line_top + size * LEADING;
            rules.push((x, under, x + blank, under));
        }
        let right = self.width - MARGIN_X;
        let bx = right - STAMP_WIDTH;
        draw::frame(s, bx, y, STAMP_WIDTH, SIGNATURE_HEIGHT, RULE);
        draw::rules(s, &rules, RULE);
        pen.text(s, bx + 3.0 * MM, y + 2.0 * MM, size, t.word("stamp"));
        let date_top = y + SIGNATURE_HEIGHT - 2.0 * MM - size * LEADING;
        let inner = STAMP_WIDTH - 6.0 * MM;
        pen.aligned(
            s,
            bx + 3.0 * MM,
            inner,
            date_top,
            size,
            t.word("date"),
            Align::Right,
        );
    }
}

/// The header's fields as "label：value", set side by side in lines no wider than `width`.
fn flow(pen: &mut Pen<'_>, fields: &[(String, String)], width: f32) -> Vec<String> {
    const GAP: &str = "　　";
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (label, value) in fields {
        let item = format!("{label}：{value}");
        let joined = format!("{line}{GAP}{item}");
        if line.is_empty() {
            line = item;
        } else if pen.width(&joined, INFO_SIZE) <= width {
            line = joined;
        } else {
            lines.push(std::mem::take(&mut line));
            line = item;
        }
        if pen.width(&line, INFO_SIZE) > width {
            let mut wrapped = layout::wrap(&mut pen.measurer, &line, width, INFO_SIZE);
            line = wrapped.pop().unwrap_or_default();
            lines.extend(wrapped);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
