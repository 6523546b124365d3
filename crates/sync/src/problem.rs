//! RFC 9457 problem documents, as the agency sends them for every error.

use serde::Deserialize;

/// A problem document (`application/problem+json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Problem {
    /// A URI naming the kind of problem; its last segment is the agency's slug.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// A short human title.
    #[serde(default)]
    pub title: String,
    /// The HTTP status.
    #[serde(default)]
    pub status: u16,
    /// What went wrong in this case.
    #[serde(default)]
    pub detail: String,
    /// For invalid declarations: one entry per invalid field of an item.
    #[serde(default)]
    pub errors: Vec<ItemError>,
}

/// One invalid field of one item of a declaration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ItemError {
    /// The item's position in the declaration, counting from 1.
    #[serde(default)]
    pub item: u64,
    /// The wire field name.
    #[serde(default)]
    pub field: String,
    /// A stable code.
    #[serde(default)]
    pub code: String,
    /// The sentence for the clerk.
    #[serde(default)]
    pub message: String,
}

impl Problem {
    /// The slug at the end of the type URI (`login-failed`, `invalid-items`, …).
    pub fn slug(&self) -> &str {
        self.kind.rsplit('/').next().unwrap_or_default()
    }

    /// Decode a body; a body that is not a problem document still yields the status and text.
    pub fn from_body(status: u16, body: &[u8]) -> Self {
        match serde_json::from_slice::<Problem>(body) {
            Ok(mut p) => {
                if p.status == 0 {
                    p.status = status;
                }
                p
            }
            Err(_) => Problem {
                status,
                detail: String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned(),
                ..Problem::default()
            },
        }
    }

    /// The most useful sentence to show.
    pub fn sentence(&self) -> String {
        match (self.title.is_empty(), self.detail.is_empty()) {
            (false, false) => format!("{}: {}", self.title, self.detail),
            (false, true) => self.title.clone(),
            (true, false) => self.detail.clone(),
            (true, true) => format!("HTTP {}", self.status),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_problem_decodes_with_its_item_errors() {
        let body = include_bytes!("../tests/recorded/invalid_items.json");
        let p = Problem::from_body(422, body);
        assert_eq!(p.slug(), "invalid-items");
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.errors[1].item, 2);
        assert_eq!(p.errors[1].field, "document_no");
    }

    #[test]
    fn a_body_that_is_not_a_problem_still_says_something() {
        let p = Problem::from_body(502, b"Bad Gateway");
        assert_eq!(p.status, 502);
        assert_eq!(p.sentence(), "Bad Gateway");
    }
}
