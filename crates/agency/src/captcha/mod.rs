//! The login captcha: a few characters drawn from a built-in bitmap font onto a noisy PNG.
//!
//! It keeps naive scripts out of the login form; the real protection is the card signature,
//! the lockout and the rate limits.

mod font;

use rand::Rng;

pub use font::ALPHABET;

/// How many characters a captcha has.
pub const LENGTH: usize = 4;

const IMAGE_WIDTH: usize = 120;
const IMAGE_HEIGHT: usize = 44;
/// Each font cell becomes a SCALE×SCALE block.
const SCALE: usize = 4;

/// Why a captcha could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode the captcha image: {0}")]
pub struct CaptchaError(#[from] png::EncodingError);

/// A random captcha text.
pub fn random_text(rng: &mut impl Rng) -> String {
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    (0..LENGTH)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
        .collect()
}

/// True if `answer` is the captcha `text`; case does not matter, surrounding blanks neither.
pub fn matches(text: &str, answer: &str) -> bool {
    let answer = answer.trim();
    !text.is_empty() && text.eq_ignore_ascii_case(answer)
}

/// Draws `text` as a PNG: each character at a jittered place and slant, in a dark colour, over
/// a light background crossed by lines and speckled with dots.
pub fn render(text: &str, rng: &mut impl Rng) -> Result<Vec<u8>, CaptchaError> {
    let mut canvas = Canvas::new([
        rng.gen_range(225..=255),
        rng.gen_range(225..=255),
        rng.gen_range(225..=255),
    ]);
    for _ in 0..3 {
        let colour = [
            rng.gen_range(120..200),
            rng.gen_range(120..200),
            rng.gen_range(120..200),
        ];
        let from = (
            rng.gen_range(0..IMAGE_WIDTH / 3) as i32,
            rng.gen_range(0..IMAGE_HEIGHT) as i32,
        );
        let to = (
            rng.gen_range(2 * IMAGE_WIDTH / 3..IMAGE_WIDTH) as i32,
            rng.gen_range(0..IMAGE_HEIGHT) as i32,
        );
        canvas.line(from, to, colour);
    }
    let count = text.chars().count().max(1);
    let advance = (IMAGE_WIDTH - 8) / count;
    for (index, c) in text.chars().enumerate() {
        let colour = [
            rng.gen_range(0..110),
            rng.gen_range(0..110),
            rng.gen_range(0..110),
        ];
        let x = 4
            + index * advance
            + rng.gen_range(0..=advance.saturating_sub(font::WIDTH * SCALE + 2));
        let y = rng.gen_range(2..=IMAGE_HEIGHT - font::HEIGHT * SCALE - 2);
        // A slant of up to one pixel per row, either way.
        let slant = rng.gen_range(-1..=1);
        canvas.glyph(c.to_ascii_uppercase(), x as i32, y as i32, slant, colour);
    }
    for _ in 0..(IMAGE_WIDTH * IMAGE_HEIGHT / 12) {
        let shade = rng.gen_range(60..200);
        canvas.dot(
            rng.gen_range(0..IMAGE_WIDTH) as i32,
            rng.gen_range(0..IMAGE_HEIGHT) as i32,
            [shade, shade, shade],
        );
    }
    canvas.to_png()
}

struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(background: [u8; 3]) -> Self {
        Self {
            pixels: background.repeat(IMAGE_WIDTH * IMAGE_HEIGHT),
        }
    }

    fn dot(&mut self, x: i32, y: i32, colour: [u8; 3]) {
        if x < 0 || y < 0 || x as usize >= IMAGE_WIDTH || y as usize >= IMAGE_HEIGHT {
            return;
        }
        let at = (y as usize * IMAGE_WIDTH + x as usize) * 3;
        self.pixels[at..at + 3].copy_from_slice(&colour);
    }

    /// Bresenham's line, two pixels thick.
    fn line(&mut self, (mut x, mut y): (i32, i32), (x1, y1): (i32, i32), colour: [u8; 3]) {
        let dx = (x1 - x).abs();
        let dy = -(y1 - y).abs();
        let (sx, sy) = ((x1 - x).signum(), (y1 - y).signum());
        let mut error = dx + dy;
        loop {
            self.dot(x, y, colour);
            self.dot(x, y + 1, colour);
            if x == x1 && y == y1 {
                break;
            }
            let doubled = 2 * error;
            if doubled >= dy {
                error += dy;
                x += sx;
            }
            if doubled <= dx {
                error += dx;
                y += sy;
            }
        }
    }

    /// Draws one character; one outside the font is drawn as an empty box.
    fn glyph(&mut self, c: char, x: i32, y: i32, slant: i32, colour: [u8; 3]) {
        const BOX: [&str; font::HEIGHT] = [
            "#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####",
        ];
        let rows = font::glyph(c).unwrap_or(BOX);
        let middle = (font::HEIGHT / 2) as i32;
        for (row, cells) in rows.iter().enumerate() {
            let shift = slant * (middle - row as i32);
            for (column, cell) in cells.bytes().enumerate() {
                if cell != b'#' {
                    continue;
                }
                for dy in 0..SCALE {
                    for dx in 0..SCALE {
                        self.dot(
                            x + shift + (column * SCALE + dx) as i32,
                            y + (row * SCALE + dy) as i32,
                            colour,
                        );
                    }
                }
            }
        }
    }

    fn to_png(&self) -> Result<Vec<u8>, CaptchaError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, IMAGE_WIDTH as u32, IMAGE_HEIGHT as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_match_regardless_of_case() {
        assert!(matches("AB3K", "ab3k"));
        assert!(matches("AB3K", " AB3K "));
        assert!(!matches("AB3K", "AB3"));
        assert!(!matches("", ""));
    }

    #[test]
    fn a_captcha_is_a_png_of_the_promised_size() {
        let mut rng = rand::thread_rng();
        let text = random_text(&mut rng);
        assert_eq!(text.chars().count(), LENGTH);
        assert!(text.chars().all(|c| ALPHABET.contains(c)));
        let png = render(&text, &mut rng).expect("renders");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // Width and height sit in the IHDR chunk right after the signature.
        assert_eq!(
            u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
            IMAGE_WIDTH as u32
        );
        assert_eq!(
            u32::from_be_bytes([png[20], png[21], png[22], png[23]]),
            IMAGE_HEIGHT as u32
        );
        // A text outside the alphabet (a test captcha) still renders.
        assert!(render("test", &mut rng).is_ok());
    }
}
