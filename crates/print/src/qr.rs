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
    /// The declaration's idempotency key; `None` on a form printed from drafts.
    pub declaration: Option<String>,
    /// The agency's id of the declaration, once known.
    pub agency_id: Option<String>,
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
            FormKind::Declaration(kind) => kind.as_str(),
            FormKind::Receipt => "receipt",
        }
    }

    fn from_word(word: &str) -> Option<FormKind> {
        if word == "receipt" {
            Some(FormKind::Receipt)
        } else {
            DeclarationKind::parse(word).map(FormKind::Declaration)
        }
    }
}

/// The first field of every payload: a reader can tell our codes from any other.
const MAGIC: &str = "SHEBAO-PRINT/1";

/// A QR code's text that is not one of ours, or is damaged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("二维码不是 shebao 打印的申报表或回执（{reason}）")]
pub struct NotOurs {
    pub reason: &'static str,
}

impl fmt::Display for QrPayload {
    /// `SHEBAO-PRINT/1;u=…;f=…;d=…;a=…;p=N/M;h=…`; `d` and `a` are left out when unknown and
    /// values are percent-encoded where they hold `;`, `=`, `%` or anything outside printable
    /// ASCII.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{MAGIC};u={};f={}", escape(&self.unit), self.form.word())?;
        if let Some(d) = &self.declaration {
            write!(f, ";d={}", escape(d))?;
        }
        if let Some(a) = &self.agency_id {
            write!(f, ";a={}", escape(a))?;
        }
        write!(f, ";p={}/{};h={}", self.page, self.pages, self.digest)
    }
}

impl QrPayload {
    pub fn parse(text: &str) -> Result<QrPayload, NotOurs> {
        let mut fields = text.trim().split(';');
        if fields.next() != Some(MAGIC) {
            return Err(NotOurs {
                reason: "开头不是 SHEBAO-PRINT/1",
            });
        }
        let (mut unit, mut form, mut declaration, mut agency_id, mut page, mut digest) =
            (None, None, None, None, None, None);
        for field in fields {
            let (name, value) = field.split_once('=').ok_or(NotOurs {
                reason: "字段缺少“=”",
            })?;
            let value = unescape(value).ok_or(NotOurs {
                reason: "字段中的 % 编码有误",
            })?;
            match name {
                "u" => unit = Some(value),
                "f" => {
                    form = Some(FormKind::from_word(&value).ok_or(NotOurs {
                        reason: "表单类型未知",
                    })?)
                }
                "d" => declaration = Some(value),
                "a" => agency_id = Some(value),
                "p" => {
                    let (n, m) = value.split_once('/').ok_or(NotOurs {
                        reason: "页码应为 N/M",
                    })?;
                    let n: u32 = n.parse().map_err(|_| NotOurs {
                        reason: "页码应为 N/M",
                    })?;
                    let m: u32 = m.parse().map_err(|_| NotOurs {
                        reason: "页码应为 N/M",
                    })?;
                    if n == 0 || n > m {
                        return Err(NotOurs {
                            reason: "页码超出总页数",
                        });
                    }
                    page = Some((n, m));
                }
                "h" => {
                    digest = Some(value.parse::<Digest>().map_err(|_| NotOurs {
                        reason: "摘要应为 32 位十六进制数",
                    })?)
                }
                // Fields added by later versions are skipped.
                _ => {}
            }
        }
        let missing = NotOurs {
            reason: "缺少必需的字段 u、f、p 或 h",
        };
        let (page, pages) = page.ok_or(missing.clone())?;
        Ok(QrPayload {
            unit: unit.ok_or(missing.clone())?,
            form: form.ok_or(missing.clone())?,
            declaration,
            agency_id,
            page,
            pages,
            digest: digest.ok_or(missing)?,
        })
    }
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if (0x21..0x7f).contains(&b) && !matches!(b, b';' | b'=' | b'%') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

/// A QR code as grey pixels, one per module, with the four-module quiet zone around it.
pub struct QrImage {
    pub side: u32,
    pub pixels: Vec<u8>,
}

/// The quiet zone the standard asks for, in modules.
const QUIET: i32 = 4;

/// Encodes `payload` with error correction level M (15 %): enough for a page folded or
/// stamped near the code, while the code stays small.
pub fn encode(payload: &QrPayload) -> Result<QrImage, PrintError> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let text = payload.to_string();
    let code = QrCode::encode_binary(text.as_bytes(), QrCodeEcc::Medium)
        .map_err(|_| PrintError::QrTooLong(text.len()))?;
    let side = code.size() + 2 * QUIET;
    let mut pixels = Vec::with_capacity((side * side) as usize);
    for y in 0..side {
        for x in 0..side {
            let dark = code.get_module(x - QUIET, y - QUIET);
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
            declaration: Some("0d7c7e2a-5c1e-4d0e-9f43-8a1b2c3d4e5f".into()),
            agency_id: Some("D;20=26%".into()),
            page: 2,
            pages: 34,
            digest: Digest([0xab; 16]),
        }
    }

    #[test]
    fn a_payload_reads_back_as_written_even_with_separators_in_its_values() {
        let p = sample();
        let text = p.to_string();
        assert!(text.starts_with("SHEBAO-PRINT/1;u=3501000001;f=hire;d=0d7c7e2a-"));
        assert!(text.contains(";a=D%3B20%3D26%25;p=2/34;h=abab"));
        assert_eq!(QrPayload::parse(&text), Ok(p));
        let drafts = QrPayload {
            declaration: None,
            agency_id: None,
            form: FormKind::Receipt,
            ..sample()
        };
        assert_eq!(QrPayload::parse(&drafts.to_string()), Ok(drafts));
    }

    #[test]
    fn other_codes_and_damaged_payloads_are_refused() {
        assert!(QrPayload::parse("https://example.invalid/").is_err());
        assert!(QrPayload::parse("SHEBAO-PRINT/1;u=1;f=hire;p=3/2;h=00").is_err());
        assert!(QrPayload::parse("SHEBAO-PRINT/1;u=1;f=nap;p=1/2;h=00").is_err());
        let no_digest = "SHEBAO-PRINT/1;u=1;f=hire;p=1/2";
        assert!(QrPayload::parse(no_digest).is_err());
    }

    #[test]
    fn an_encoded_code_decodes_to_its_payload() {
        let p = sample();
        let image = encode(&p).unwrap();
        // Four pixels per module, as a coarse scan would see it.
        let scale = 4;
        let side = image.side as usize * scale;
        let mut grey = vec![0; side * side];
        for y in 0..side {
            for x in 0..side {
                grey[y * side + x] = image.pixels[(y / scale) * image.side as usize + x / scale];
            }
        }
        let texts = decode_texts(side, side, &grey);
        assert_eq!(texts.len(), 1);
        assert_eq!(QrPayload::parse(&texts[0]), Ok(p));
    }
}
