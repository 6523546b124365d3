//! The cached roster read as people: who is insured with the unit now, as the pages that pick
//! people (leave, wage, person change) need them.

use serde_json::Value;

use crate::error::Result;
use crate::store::Store;

/// One insured person of the unit, as the agency's roster last described them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterPerson {
    /// Document type code (`document_types` of the reference data).
    pub document_type: String,
    /// Document number, as the agency stores it.
    pub document_no: String,
    /// Name.
    pub name: String,
    /// The wage the agency holds for the person (the last declared one), a decimal string;
    /// `None` when the agency did not send one.
    pub wage: Option<String>,
    /// The month from which the person is insured with the unit.
    pub insured_from: Option<String>,
}

impl RosterPerson {
    /// Reads one roster entry; an entry without a document number names nobody and is skipped.
    pub fn from_value(value: &Value) -> Option<RosterPerson> {
        let text = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Some(RosterPerson {
            document_no: text("document_no")?,
            // The contract's roster always names the type; an old server that does not means
            // the resident ID, the only type it knew.
            document_type: text("document_type").unwrap_or_else(|| "01".to_owned()),
            name: text("name").unwrap_or_default(),
            wage: text("wage"),
            insured_from: text("insured_from"),
        })
    }

    /// Whether the clerk's search words name this person: part of the name, or part of the
    /// document number (any case, so a lower-case x finds an upper-case X).
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim();
        if query.is_empty() {
            return true;
        }
        self.name.contains(query)
            || self
                .document_no
                .to_ascii_uppercase()
                .contains(&query.to_ascii_uppercase())
    }
}

impl Store {
    /// The cached roster as people, in the agency's order.
    pub fn roster_people(&self) -> Result<Vec<RosterPerson>> {
        Ok(self
            .roster()?
            .iter()
            .filter_map(RosterPerson::from_value)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn person() -> RosterPerson {
        RosterPerson::from_value(&json!({
            "document_type": "01", "document_no": "11010519491231002X", "name": "张三丰",
            "wage": "6500.00", "insurance_types": ["110"], "insured_from": "2024-03"
        }))
        .unwrap()
    }

    #[test]
    fn a_roster_entry_reads_as_a_person_with_the_wage_the_agency_holds() {
        let p = person();
        assert_eq!(p.name, "张三丰");
        assert_eq!(p.wage.as_deref(), Some("6500.00"));
        assert_eq!(p.insured_from.as_deref(), Some("2024-03"));
        assert!(RosterPerson::from_value(&json!({"name": "无证件"})).is_none());
    }

    #[test]
    fn the_search_finds_by_part_of_the_name_or_of_the_number() {
        let p = person();
        assert!(p.matches("三丰"));
        assert!(p.matches("1231002x"));
        assert!(p.matches("  "));
        assert!(!p.matches("李四"));
    }
}
