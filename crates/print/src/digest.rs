//! The digest a printed page carries in its QR code: SHA-256 over the canonical JSON (RFC 8785)
//! of what the paper is about, cut to 128 bits. docs/protocol-notes.md defines it for the
//! agency, which computes it from what it stored.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use shebao_core::declaration::{Items, NewDeclaration};
use shebao_core::month::Month;

use crate::model::ReceiptLine;

/// The first 16 bytes of a SHA-256, written as 32 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest(pub [u8; 16]);

impl Digest {
    fn of_value(value: &Value) -> Digest {
        let mut text = String::new();
        canonical(value, &mut text);
        let full = Sha256::digest(text.as_bytes());
        let mut cut = [0; 16];
        cut.copy_from_slice(&full[..16]);
        Digest(cut)
    }

    /// The digest of a declaration: of the body of `POST /declarations`, `{kind, period,
    /// items}`, as `shebao-core` encodes it. Drafts printed before queuing get the digest the
    /// declaration made of them will have.
    pub fn of_declaration(period: Month, items: &Items) -> Digest {
        let body = NewDeclaration {
            period,
            items: items.clone(),
        };
        // Encoding strings, maps and arrays of strings cannot fail.
        let value = serde_json::to_value(&body).unwrap_or(Value::Null);
        Digest::of_value(&value)
    }

    /// The digest of a receipt: of the agency's verdicts as its changes feed reports them,
    /// `{id, items: [{line, outcome, reason?}]}`; items not yet processed are left out.
    pub fn of_receipt(agency_id: &str, lines: &[ReceiptLine]) -> Digest {
        let items = lines
            .iter()
            .filter_map(|l| {
                let outcome = l.verdict.wire()?;
                let mut item = serde_json::Map::new();
                item.insert("line".into(), Value::from(l.line));
                item.insert("outcome".into(), Value::from(outcome));
                if let Some(reason) = &l.reason {
                    item.insert("reason".into(), Value::from(reason.as_str()));
                }
                Some(Value::Object(item))
            })
            .collect();
        let mut receipt = serde_json::Map::new();
        receipt.insert("id".into(), Value::from(agency_id));
        receipt.insert("items".into(), Value::Array(items));
        Digest::of_value(&Value::Object(receipt))
    }

    /// The first 8 hex digits, printed in every page's footer so a person can compare pages.
    pub fn short(&self) -> String {
        self.to_string()[..8].to_owned()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl FromStr for Digest {
    type Err = ();
    fn from_str(s: &str) -> Result<Digest, ()> {
        if s.len() != 32 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        let mut out = [0; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| ())?;
        }
        Ok(Digest(out))
    }
}

/// RFC 8785 canonical JSON: no white space, object members sorted by the UTF-16 code units of
/// their names, strings with only the escapes JSON requires. Numbers here are small integers,
/// which every encoder writes alike.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, (name, member)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(name, out);
                out.push(':');
                canonical(member, out);
            }
            out.push('}');
        }
        Value::Array(values) => {
            out.push('[');
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        Value::String(s) => string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Verdict;
    use shebao_core::declaration::LeaveItem;

    /// The leaver of docs/protocol-notes.md's example.
    fn wang_fang() -> LeaveItem {
        LeaveItem {
            document_type: "01".into(),
            document_no: "11010519491231002X".into(),
            name: "王芳".into(),
            reason: "21".into(),
            left_on: "2026-02-28".into(),
            stop_month: "2026-03".into(),
            remarks: None,
        }
    }

    fn text(v: &Value) -> String {
        let mut s = String::new();
        canonical(v, &mut s);
        s
    }

    #[test]
    fn canonical_json_sorts_members_and_escapes_only_what_json_requires() {
        let v: Value =
            serde_json::from_str(r#"{"b":"张\"三\n","a":[1,{"z":"\u001f","y":"/"}]}"#).unwrap();
        assert_eq!(
            text(&v),
            r#"{"a":[1,{"y":"/","z":"\u001f"}],"b":"张\"三\n"}"#
        );
    }

    /// The examples of docs/protocol-notes.md, which an agency can check its own code with.
    #[test]
    fn the_documented_examples_give_the_documented_digests() {
        let leave = wang_fang();
        let period = Month::parse("2026-03").unwrap();
        assert_eq!(
            Digest::of_declaration(period, &Items::Leave(vec![leave])).to_string(),
            "893cf9ee1e1835042f423e49e46cc9b4"
        );
        let line = |line, verdict, reason: Option<&str>| ReceiptLine {
            line,
            person: None,
            verdict,
            reason: reason.map(str::to_owned),
        };
        let lines = [
            line(1, Verdict::Accepted, None),
            line(2, Verdict::Refused, Some("此人已在其他单位参保")),
            line(3, Verdict::Pending, None),
        ];
        assert_eq!(
            Digest::of_receipt("D2026030500042", &lines).to_string(),
            "733dd92d01d08f0f0800de0fb24ccc6b"
        );
    }

    #[test]
    fn a_declaration_digest_follows_every_field_and_the_order_of_items() {
        let period = Month::parse("2026-03").unwrap();
        let one = wang_fang();
        let two = LeaveItem {
            name: "李雷".into(),
            document_no: "440524188001010014".into(),
            ..one.clone()
        };
        let digest = Digest::of_declaration(period, &Items::Leave(vec![one.clone(), two.clone()]));
        assert_eq!(
            digest,
            Digest::of_declaration(period, &Items::Leave(vec![one.clone(), two.clone()]))
        );
        let swapped = Digest::of_declaration(period, &Items::Leave(vec![two, one.clone()]));
        assert_ne!(digest, swapped);
        let renamed = LeaveItem {
            name: "王芳芳".into(),
            ..one
        };
        assert_ne!(
            digest,
            Digest::of_declaration(period, &Items::Leave(vec![renamed]))
        );
        assert_eq!(digest.to_string().parse::<Digest>(), Ok(digest));
        assert_eq!(digest.short().len(), 8);
    }
}
