//! Drawing on a PDF page with krilla: text glyph by glyph (as measured), rules, boxes and the
//! QR code's image. Coordinates are points from the page's top left corner.

use std::sync::Arc;

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};

use crate::error::PrintError;
use crate::font::{Measurer, PrintFont};
use crate::layout::LEADING;
use crate::qr::QrImage;
use crate::template::Align;

/// Writes text in the print font and measures it the same way.
pub struct Pen<'f> {
    font: krilla::text::Font,
    ascent: f32,
    pub measurer: Measurer<'f>,
    glyphs: Vec<KrillaGlyph>,
}

impl<'f> Pen<'f> {
    pub fn new(font: &'f PrintFont) -> Pen<'f> {
        Pen {
            font: font.pdf_font(),
            ascent: font.ascent(),
            measurer: font.measurer(),
            glyphs: Vec::new(),
        }
    }

    pub fn width(&mut self, text: &str, size: f32) -> f32 {
        self.measurer.width(text, size)
    }

    /// One line of text whose line box (`size` × [`LEADING`]) starts at `top`.
    pub fn text(&mut self, surface: &mut Surface<'_>, x: f32, top: f32, size: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.glyphs.clear();
        for (at, c) in text.char_indices() {
            let g = self.measurer.glyph(c);
            self.glyphs.push(KrillaGlyph {
                glyph_id: GlyphId::new(u32::from(g.id)),
                text_range: at..at + c.len_utf8(),
                x_advance: g.advance,
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            });
        }
        let baseline = top + (size * LEADING - size) / 2.0 + self.ascent * size;
        surface.draw_glyphs(
            Point::from_xy(x, baseline),
            &self.glyphs,
            self.font.clone(),
            text,
            size,
            false,
        );
    }

    /// A line of text aligned in the span from `left`, `width` wide.
    #[allow(clippy::too_many_arguments)]
    pub fn aligned(
        &mut self,
        surface: &mut Surface<'_>,
        left: f32,
        width: f32,
        top: f32,
        size: f32,
        text: &str,
        align: Align,
    ) {
        let x = match align {
            Align::Left => left,
            Align::Center => left + (width - self.width(text, size)) / 2.0,
            Align::Right => left + width - self.width(text, size),
        };
        self.text(surface, x, top, size, text);
    }
}

/// Strokes straight rules, each `(x1, y1, x2, y2)`, as one path.
pub fn rules(surface: &mut Surface<'_>, lines: &[(f32, f32, f32, f32)], width: f32) {
    let mut path = PathBuilder::new();
    for &(x1, y1, x2, y2) in lines {
        path.move_to(x1, y1);
        path.line_to(x2, y2);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
    }
}

/// Fills a rectangle with a grey (0 black, 255 white).
pub fn shade(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, grey: u8) {
    let mut path = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.set_stroke(None);
        surface.set_fill(Some(Fill {
            paint: luma::Color::new(grey).into(),
            ..Fill::default()
        }));
        surface.draw_path(&path);
        surface.set_fill(Some(Fill::default()));
    }
}

/// Strokes a rectangle's outline.
pub fn frame(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, width: f32) {
    rules(
        surface,
        &[
            (x, y, x + w, y),
            (x + w, y, x + w, y + h),
            (x + w, y + h, x, y + h),
            (x, y + h, x, y),
        ],
        width,
    );
}

/// The QR code's pixels as a grey image without interpolation: each module stays a sharp
/// square however far a printer or viewer scales it, and a reader of the PDF finds it as is.
#[derive(Clone, Hash)]
struct QrPixels {
    side: u32,
    pixels: Arc<Vec<u8>>,
}

impl CustomImage for QrPixels {
    fn color_channel(&self) -> &[u8] {
        &self.pixels
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        None
    }
    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }
    fn size(&self) -> (u32, u32) {
        (self.side, self.side)
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }
    fn color_space(&self) -> ImageColorspace {
        ImageColorspace::Luma
    }
}

/// Draws a QR code `side` points square with its top left corner at (`x`, `y`).
pub fn qr_code(
    surface: &mut Surface<'_>,
    code: QrImage,
    x: f32,
    y: f32,
    side: f32,
) -> Result<(), PrintError> {
    let pixels = QrPixels {
        side: code.side,
        pixels: Arc::new(code.pixels),
    };
    let image = Image::from_custom(pixels, false).map_err(PrintError::Pdf)?;
    let size = Size::from_wh(side, side).ok_or_else(|| PrintError::Pdf("二维码尺寸无效".into()))?;
    surface.push_transform(&Transform::from_translate(x, y));
    surface.draw_image(image, size);
    surface.pop();
    Ok(())
}
