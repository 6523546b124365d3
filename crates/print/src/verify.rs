//! Reading a printed paper's QR codes back: from a scan or a rendering of a page (PNG), or from
//! the PDF itself, whose QR codes are images this crate put there.

use std::path::Path;
use std::sync::Arc;

use hayro_syntax::Pdf;
use hayro_syntax::object::{Dict, Name, Object};

use crate::error::VerifyError;
use crate::qr::{self, QrPayload};

/// A scan larger than this many pixels is refused rather than decoded (40 megapixels: an A4
/// page at 600 dpi is 35).
const MAX_PIXELS: u64 = 40_000_000;

/// How much a PDF's QR image is enlarged for the reader, which wants more pixels per module
/// than the image has.
const SCALE: usize = 2;

/// Reads the QR codes of a PDF or PNG file; the codes that are not shebao's are skipped.
pub fn read_file(path: &Path) -> Result<Vec<QrPayload>, VerifyError> {
    let bytes = std::fs::read(path).map_err(|e| VerifyError::Unreadable {
        path: path.to_owned(),
        source: Arc::new(e),
    })?;
    if bytes.starts_with(b"%PDF") {
        read_pdf(bytes)
    } else if bytes.starts_with(b"\x89PNG") {
        read_png(&bytes)
    } else {
        Err(VerifyError::UnknownFormat(path.to_owned()))
    }
}

/// The QR codes of a PDF printed by shebao, in page order.
pub fn read_pdf(bytes: Vec<u8>) -> Result<Vec<QrPayload>, VerifyError> {
    let pdf = Pdf::new(bytes).map_err(|_| VerifyError::BadPdf)?;
    let mut codes = Vec::new();
    for object in pdf.objects() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let Some((side, grey)) = qr_image(stream.dict(), || stream.decoded().ok()) else {
            continue;
        };
        codes.extend(ours(decode_enlarged(side, side, &grey, SCALE)));
    }
    codes.sort_by_key(|c| c.page);
    if codes.is_empty() {
        return Err(VerifyError::NoCode);
    }
    Ok(codes)
}

/// An 8-bit grey square image small enough to be a QR code: its side and pixels.
fn qr_image<'a>(
    dict: &Dict<'_>,
    data: impl FnOnce() -> Option<std::borrow::Cow<'a, [u8]>>,
) -> Option<(usize, Vec<u8>)> {
    let name = |key: &[u8]| dict.get::<Name<'_>>(key).map(|n| n.as_str().to_owned());
    if name(b"Subtype").as_deref() != Some("Image")
        || name(b"ColorSpace").as_deref() != Some("DeviceGray")
        || dict.get::<u32>(b"BitsPerComponent") != Some(8)
    {
        return None;
    }
    let (w, h) = (dict.get::<usize>(b"Width")?, dict.get::<usize>(b"Height")?);
    // Versions 1 to 40 with their quiet zones are 29 to 185 modules wide.
    let modules = 29 * qr::MODULE_PIXELS as usize..=185 * qr::MODULE_PIXELS as usize;
    if w != h || !modules.contains(&w) {
        return None;
    }
    let data = data()?;
    (data.len() >= w * h).then(|| (w, data[..w * h].to_vec()))
}

/// The QR codes of a scan or rendering of printed pages.
pub fn read_png(bytes: &[u8]) -> Result<Vec<QrPayload>, VerifyError> {
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits {
            bytes: 4 * MAX_PIXELS as usize,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let bad = |e: png::DecodingError| VerifyError::BadPng(e.to_string());
    let mut reader = decoder.read_info().map_err(bad)?;
    let (width, height) = (reader.info().width, reader.info().height);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(VerifyError::ImageTooLarge {
            width,
            height,
            limit: (MAX_PIXELS / 10_000) as u32,
        });
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| VerifyError::BadPng("图片尺寸无效".into()))?;
    let mut buffer = vec![0; size];
    let frame = reader.next_frame(&mut buffer).map_err(bad)?;
    let channels = frame.color_type.samples();
    let (w, h) = (frame.width as usize, frame.height as usize);
    let grey: Vec<u8> = (0..w * h)
        .map(|i| {
            let row = i / w;
            let at = row * frame.line_size + (i % w) * channels;
            let px = &buffer[at..at + channels];
            match channels {
                // Grey, or grey with alpha (the alpha is ignored: scans are opaque).
                1 | 2 => px[0],
                _ => {
                    ((u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114)
                        / 1000) as u8
                }
            }
        })
        .collect();
    let mut codes: Vec<QrPayload> = ours(qr::decode_texts(w, h, &grey)).collect();
    // The reader finds no code whose modules are under five pixels or so: a page scanned at
    // 200 dpi has four. Such a page is read again at twice the size.
    if codes.is_empty() && (w * h * 4) as u64 <= MAX_PIXELS {
        codes.extend(ours(decode_enlarged(w, h, &grey, 2)));
    }
    if codes.is_empty() {
        return Err(VerifyError::NoCode);
    }
    Ok(codes)
}

/// The QR code texts of a grey image enlarged `scale` times, each pixel a square.
fn decode_enlarged(w: usize, h: usize, grey: &[u8], scale: usize) -> Vec<String> {
    let (big_w, big_h) = (w * scale, h * scale);
    let mut pixels = vec![0; big_w * big_h];
    for (i, p) in pixels.iter_mut().enumerate() {
        let (x, y) = (i % big_w / scale, i / big_w / scale);
        *p = grey[y * w + x];
    }
    qr::decode_texts(big_w, big_h, &pixels)
}

fn ours(texts: Vec<String>) -> impl Iterator<Item = QrPayload> {
    texts.into_iter().filter_map(|t| QrPayload::parse(&t).ok())
}
