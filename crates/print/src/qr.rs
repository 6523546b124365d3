//! The QR code on every printed page: what it says (docs/protocol-notes.md, "Printed forms"),
//! how it is drawn, and how it is read back from pixels.

use std::fmt;

use shebao_core::declaration::DeclarationKind;

use crate::digest::Digest;
use crate::error::PrintError;

/// What a page's QR code names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPayload {
    /// 单位编号.
    pub unit: String,
    pub form: FormKind,
    /// The declaration's idempotency key, in capitals; `None` on a form printed from drafts.
    pub declaration: Option<String>,
    /// This page, and how many pages the paper has.
    pub page: u32,
    pub pages: u32,
    pub digest: Digest,
}

/// Which paper: a declaration form of a kind, or a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Declaration(DeclarationKind),
    Receipt,
}

impl FormKind {
    fn word(self) -> &'static str {
        match self {
            FormKind::Declaration(DeclarationKind::Hire) => "HIRE",
            FormKind::Declaration(DeclarationKind::Leave) => "LEAVE",
            FormKind::Declaration(DeclarationKind::Wage) => "WAGE",
            FormKind::Declaration(DeclarationKind::UnitChange) => "UNIT-CHANGE",
            FormKind::Declaration(DeclarationKind::PersonChange) => "PERSON-CHANGE",
            FormKind::Receipt => "RECEIPT",
        }
    }

    fn from_word(word: &str) -> Option<FormKind> {
        let every = DeclarationKind::ALL
            .map(FormKind::Declaration)
            .into_iter()
            .chain([FormKind::Receipt]);
        every.into_iter().find(|f| f.word() == word)
    }
}

/// The first field of every payload: a reader can tell our codes from any other.
const MAGIC: &str = "SBP1";

/// A QR code's text that is not one of ours, or is damaged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("二维码不是 shebao 打印的申报表或回执（{reason}）")]
pub struct NotOurs {
    pub reason: &'static str,
}

impl fmt::Display for QrPayload {
    /// `SBP1/U…/F…/D…/P<page>:<pages>/H…`: fields separated by `/`, each a one-letter tag and
    /// its value, in the QR code's alphanumeric alphabet (digits, capitals, space and
    /// `$%*+-./:`), which keeps the code at version 5 (37 modules). `D` is left out for
    /// drafts; other characters of a value are percent-encoded with capital hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{MAGIC}/U{}/F{}", escape(&self.unit), self.form.word())?;
        if let Some(d) = &self.declaration {
            write!(f, "/D{}", escape(d))?;
        }
        let digest = self.digest.to_string().to_ascii_uppercase();
        write!(f, "/P{}:{}/H{digest}", self.page, self.pages)
    }
}

impl QrPayload {
    pub fn parse(text: &str) -> Result<QrPayload, NotOurs> {
        let mut fields = text.trim().split('/');
        if fields.next() != Some(MAGIC) {
            return Err(NotOurs {
                reason: "开头不是 SBP1",
            });
        }
        let bad_page = NotOurs {
            reason: "页码应为 N:M，且 N 不大于 M",
        };
        let (mut unit, mut form, mut declaration, mut page, mut digest) =
            (None, None, None, None, None);
        for field in fields {
            let mut chars = field.chars();
            let tag = chars.next();
            let value = unescape(chars.as_str()).ok_or(NotOurs {
                reason: "字段中的 % 编码有误",
            })?;
            match tag {
                Some('U') => unit = Some(value),
                Some('F') => {
                    form = Some(FormKind::from_word(&value).ok_or(NotOurs {
                        reason: "表单类型未知",
                    })?)
                }
                Some('D') => declaration = Some(value),
                Some('P') => {
                    let (n, m) = value.split_once(':').ok_or(bad_page.clone())?;
                    let n: u32 = n.parse().map_err(|_| bad_page.clone())?;
                    let m: u32 = m.parse().map_err(|_| bad_page.clone())?;
                    if n == 0 || n > m {
                        return Err(bad_page);
                    }
                    page = Some((n, m));
                }
                Some('H') => {
                    digest =
                        Some(
                            value
                                .to_ascii_lowercase()
                                .parse::<Digest>()
                                .map_err(|_| NotOurs {
                                    reason: "摘要应为 32 位十六进制数",
                                })?,
                        )
                }
                // Fields added by later versions are skipped.
                _ => {}
            }
        }
        let missing = NotOurs {
            reason: "缺少必需的字段 U、F、P 或 H",
        };
        let (page, pages) = page.ok_or(missing.clone())?;
        Ok(QrPayload {
            unit: unit.ok_or(missing.clone())?,
            form: form.ok_or(missing.clone())?,
            declaration,
            page,
            pages,
            digest: digest.ok_or(missing)?,
        })
    }
}

/// Keeps digits, capitals, `-` and `.`; an idempotency key's lower-case hex digits become
/// capitals (a reader compares keys without regard to case); the rest is percent-encoded.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'0'..=b'9' | b'A'..=b'Z' | b'-' | b'.' => out.push(b as char),
            b'a'..=b'f' if is_key(value) => out.push(b.to_ascii_uppercase() as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A declaration's key as the QR code carries it and a reader gets it back.
pub(crate) fn carried(key: &str) -> String {
    unescape(&escape(key)).unwrap_or_else(|| key.to_owned())
}

/// Whether `value` looks like a UUID (hex digits and hyphens only).
fn is_key(value: &str) -> bool {
    value.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

fn unescape(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A QR code as grey pixels, [`MODULE_PIXELS`] square per module, with the four-module
/// quiet zone around it.
pub struct QrImage {
    pub side: u32,
    pub pixels: Vec<u8>,
}

/// The quiet zone the standard asks for, in modules.
const QUIET: i32 = 4;

/// Pixels per module in the image: a viewer or printer that smooths an enlarged image then
/// softens only the modules' edges, and the image stays small (it compresses to a few hundred
/// bytes).
pub const MODULE_PIXELS: i32 = 4;

/// Encodes `payload` with error correction level M (15 %) or better where the version has room:
/// enough for a page folded or stamped near the code, while the code stays small.
pub fn encode(payload: &QrPayload) -> Result<QrImage, PrintError> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let text = payload.to_string();
    let code = QrCode::encode_text(&text, QrCodeEcc::Medium)
        .map_err(|_| PrintError::QrTooLong(text.len()))?;
    let modules = code.size() + 2 * QUIET;
    let side = modules * MODULE_PIXELS;
    let mut pixels = Vec::with_capacity((side * side) as usize);
    for y in 0..side {
        for x in 0..side {
            let dark = code.get_module(x / MODULE_PIXELS - QUIET, y / MODULE_PIXELS - QUIET);
            pixels.push(if dark { 0 } else { 255 });
        }
    }
    Ok(QrImage {
        side: side as u32,
        pixels,
    })
}

/// Every QR code text found in a grey image (row-major, one byte per pixel).
pub fn decode_texts(width: usize, height: usize, grey: &[u8]) -> Vec<String> {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> QrPayload {
        QrPayload {
            unit: "3501000001".into(),
            form: FormKind::Declaration(DeclarationKind::Hire),
            declaration: Some(carried("0d7c7e2a-5c1e-4d0e-9f43-8a1b2c3d4e5f")),
            page: 2,
            pages: 34,
            digest: Digest([0xab; 16]),
        }
    }

    #[test]
    fn a_payload_reads_back_as_written_even_with_separators_in_its_values() {
        let p = sample();
        let text = p.to_string();
        assert_eq!(
            text,
            "SBP1/U3501000001/FHIRE/D0D7C7E2A-5C1E-4D0E-9F43-8A1B2C3D4E5F/P2:34/\
             HABABABABABABABABABABABABABABABAB"
        );
        assert_eq!(QrPayload::parse(&text), Ok(p));
        let drafts = QrPayload {
            declaration: None,
            unit: "35/01;x".into(),
            form: FormKind::Receipt,
            ..sample()
        };
        let text = drafts.to_string();
        assert!(
            text.starts_with("SBP1/U35%2F01%3B%78/FRECEIPT/P2:34/H"),
            "{text}"
        );
        assert_eq!(QrPayload::parse(&text), Ok(drafts));
    }

    #[test]
    fn other_codes_and_damaged_payloads_are_refused() {
        let digest = "HABABABABABABABABABABABABABABABAB";
        assert!(QrPayload::parse("https://example.invalid/").is_err());
        assert!(QrPayload::parse(&format!("SBP1/U1/FHIRE/P1:2/{digest}")).is_ok());
        assert!(QrPayload::parse(&format!("SBP1/U1/FHIRE/P3:2/{digest}")).is_err());
        assert!(QrPayload::parse(&format!("SBP1/U1/FNAP/P1:2/{digest}")).is_err());
        assert!(QrPayload::parse("SBP1/U1/FHIRE/P1:2").is_err());
        assert!(QrPayload::parse("SBP1/U1/FHIRE/P1:2/HABAB").is_err());
    }

    #[test]
    fn an_encoded_code_decodes_to_its_payload_and_stays_small() {
        let p = sample();
        let image = encode(&p).unwrap();
        let modules = image.side as i32 / MODULE_PIXELS - 2 * QUIET;
        assert_eq!(modules, 37, "version 5");
        let side = image.side as usize;
        let texts = decode_texts(side, side, &image.pixels);
        assert_eq!(texts.len(), 1);
        assert_eq!(QrPayload::parse(&texts[0]), Ok(p));
    }
}
