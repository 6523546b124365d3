//! The JSON bodies of agency API v1 (PROTOCOL.md §2). Decoding is lenient where the protocol
//! leaves room (ids and cursors may be numbers or strings; optional fields may be absent).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `POST /login/challenge` request.
#[derive(Debug, Serialize)]
pub struct ChallengeRequest<'a> {
    /// The unit number read from the card.
    pub unit_no: &'a str,
}

/// `POST /login/challenge` answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChallengeAnswer {
    /// The challenge's id.
    #[serde(deserialize_with = "text_or_number")]
    pub challenge_id: String,
    /// 32 random bytes, base64.
    pub nonce: String,
    /// The captcha image (PNG), base64.
    #[serde(default)]
    pub captcha_png: String,
    /// When the challenge expires (RFC 3339).
    #[serde(default)]
    pub expires_at: String,
}

/// `POST /login` request.
#[derive(Debug, Serialize)]
pub struct LoginRequest<'a> {
    /// The challenge answered.
    pub challenge_id: &'a str,
    /// The unit number.
    pub unit_no: &'a str,
    /// The unit password.
    pub password: &'a str,
    /// The captcha text.
    pub captcha: &'a str,
    /// The card's signature of the nonce, base64 of r‖s.
    pub card_signature: String,
    /// How the card signed: its kind of key.
    pub signature_algorithm: SignatureAlgorithm,
}

/// The kind of signature a card makes over the login nonce (`signature_algorithm` of
/// `POST /login`); the agency checks it against the kind of key it registered for the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignatureAlgorithm {
    /// SM2 over SM3(Z ‖ nonce), user id "1234567812345678": a UKey of the card profile.
    #[serde(rename = "sm2")]
    Sm2,
    /// ECDSA on P-256 over SHA-256 of the nonce: a PKCS#11 token.
    #[serde(rename = "ecdsa-p256")]
    EcdsaP256,
}

/// The unit as described at login.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    /// Unit number.
    #[serde(default)]
    pub unit_no: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Unified social credit code.
    #[serde(default)]
    pub uscc: String,
}

/// `POST /login` answer.
#[derive(Debug, Clone, Deserialize)]
pub struct LoginAnswer {
    /// The bearer token.
    pub token: String,
    /// When it expires (RFC 3339).
    #[serde(default)]
    pub expires_at: String,
    /// Whether the agency demands a new password first.
    #[serde(default)]
    pub must_change_password: bool,
    /// The unit.
    #[serde(default)]
    pub unit: UnitSummary,
}

/// `PUT /password` request.
#[derive(Debug, Serialize)]
pub struct PasswordChange<'a> {
    /// The current password.
    pub old_password: &'a str,
    /// The new one.
    pub new_password: &'a str,
}

/// `POST /declarations` answer (201, or 200 for a repeated idempotency key).
#[derive(Debug, Clone, Deserialize)]
pub struct Accepted {
    /// The agency's id.
    #[serde(deserialize_with = "text_or_number")]
    pub id: String,
    /// Always `submitted` at first.
    #[serde(default)]
    pub state: String,
    /// When it was accepted.
    #[serde(default)]
    pub submitted_at: String,
}

/// One page of `GET /declarations/changes`.
#[derive(Debug, Clone, Deserialize)]
pub struct ChangesPage {
    /// Changed declarations, oldest first.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// The cursor for the next call; absent when the feed is empty.
    #[serde(default, deserialize_with = "optional_text_or_number")]
    pub next: Option<String>,
}

/// One changed declaration.
#[derive(Debug, Clone, Deserialize)]
pub struct Change {
    /// The agency's id.
    #[serde(deserialize_with = "text_or_number")]
    pub id: String,
    /// The key it was submitted with.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// Kind (wire spelling).
    pub kind: String,
    /// Period, if sent.
    #[serde(default)]
    pub period: Option<String>,
    /// State (wire spelling).
    pub state: String,
    /// Whether viewed.
    #[serde(default)]
    pub viewed: bool,
    /// Items judged so far.
    #[serde(default)]
    pub items: Vec<ItemOutcome>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: String,
}

/// The agency's verdict on one item.
#[derive(Debug, Clone, Deserialize)]
pub struct ItemOutcome {
    /// 1-based line.
    pub line: u64,
    /// `ok` or `failed`.
    pub outcome: String,
    /// Why it failed.
    #[serde(default)]
    pub reason: Option<String>,
}

/// One announcement.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Announcement {
    /// Id.
    #[serde(deserialize_with = "text_or_number")]
    pub id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Body text.
    #[serde(default)]
    pub body: String,
    /// When published.
    #[serde(default)]
    pub published_at: String,
    /// Attachments (name and size).
    #[serde(default)]
    pub attachments: Vec<Value>,
}

/// A page of the roster: either a bare list or `{employees|items, next}`.
#[derive(Debug, Clone, Default)]
pub struct RosterPage {
    /// The people.
    pub people: Vec<Value>,
    /// The cursor for the next page, `None` at the end.
    pub next: Option<String>,
}

impl RosterPage {
    /// Decode whichever of the shapes the agency sent.
    pub fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Array(people) => Ok(Self { people, next: None }),
            Value::Object(mut map) => {
                let people = ["employees", "items", "people"]
                    .iter()
                    .find_map(|k| map.remove(*k))
                    .unwrap_or(Value::Array(vec![]));
                let Value::Array(people) = people else {
                    return Err("the roster is not a list".into());
                };
                let next = match map.remove("next") {
                    Some(Value::String(s)) => Some(s),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                };
                Ok(Self { people, next })
            }
            _ => Err("the roster is neither a list nor an object".into()),
        }
    }
}

fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected text or a number, got {other}"
        ))),
    }
}

fn optional_text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(serde::de::Error::custom(format!(
            "expected a cursor, got {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_changes_page_decodes() {
        let page: ChangesPage =
            serde_json::from_slice(include_bytes!("../tests/recorded/changes.json")).unwrap();
        assert_eq!(page.next.as_deref(), Some("42"));
        assert_eq!(page.changes[0].id, "17");
        assert_eq!(page.changes[1].id, "18");
        assert_eq!(
            page.changes[0].items[1].reason.as_deref(),
            Some("该人员已在其他单位参保")
        );
        assert!(!page.changes[1].viewed);
    }

    #[test]
    fn a_roster_page_decodes_in_either_shape() {
        let bare = RosterPage::from_value(serde_json::json!([{"name": "张三"}])).unwrap();
        assert_eq!(bare.people.len(), 1);
        assert_eq!(bare.next, None);
        let paged =
            RosterPage::from_value(serde_json::json!({"employees": [{}, {}], "next": 2})).unwrap();
        assert_eq!((paged.people.len(), paged.next.as_deref()), (2, Some("2")));
    }
}
