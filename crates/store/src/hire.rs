//! What the hire page reads: the hire drafts as typed items, and a person on the cached roster
//! (for 职工续保 when the agency cannot be reached).

use rusqlite::OptionalExtension;
use serde_json::Value;
use shebao_core::declaration::HireItem;

use crate::drafts::{DraftId, DraftProblem};
use crate::error::Result;
use crate::store::Store;

/// A hire draft with its item decoded. An item whose JSON no longer fits [`HireItem`] (a
/// number where text belongs, from an old import) comes back with the fields that fit; its
/// problems say what is wrong once the drafts are checked.
#[derive(Debug, Clone, PartialEq)]
pub struct HireDraft {
    /// Row id.
    pub id: DraftId,
    /// Period, YYYY-MM.
    pub period: String,
    /// The item as the clerk typed it.
    pub item: HireItem,
    /// What the agency (or a check) objected to; empty if nothing.
    pub problems: Vec<DraftProblem>,
}

impl Store {
    /// Every hire draft, oldest first. One query and no per-row look-ups, so a page of
    /// 100,000 drafts loads in one pass.
    pub fn hire_drafts(&self) -> Result<Vec<HireDraft>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, period, item, problems FROM drafts WHERE kind = 'hire'
             ORDER BY period, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, DraftId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (id, period, item, problems) = row?;
            let item = serde_json::from_str::<HireItem>(&item).unwrap_or_else(|_| {
                serde_json::from_str::<Value>(&item)
                    .ok()
                    .map(lenient_hire_item)
                    .unwrap_or_default()
            });
            let problems = match problems {
                Some(p) => serde_json::from_str(&p)?,
                None => Vec::new(),
            };
            Ok(HireDraft {
                id,
                period,
                item,
                problems,
            })
        })
        .collect()
    }

    /// The cached roster entry of the person with this document number, if the unit insures
    /// them.
    pub fn roster_person(&self, document_no: &str) -> Result<Option<Value>> {
        let body: Option<String> = self
            .conn
            .prepare_cached("SELECT body FROM roster WHERE document_no = ?1 LIMIT 1")?
            .query_row([document_no], |r| r.get(0))
            .optional()?;
        body.map(|b| Ok(serde_json::from_str(&b)?)).transpose()
    }
}

/// The text fields of an item that does not decode whole, so the clerk can still see and
/// correct it.
fn lenient_hire_item(value: Value) -> HireItem {
    let text = |k: &str| match value.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    HireItem {
        document_type: text("document_type"),
        document_no: text("document_no"),
        name: text("name"),
        household_type: text("household_type"),
        employment_form: text("employment_form"),
        first_employed_on: text("first_employed_on"),
        insured_from: text("insured_from"),
        wage: text("wage"),
        reason: text("reason"),
        ..HireItem::default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::model::DeclarationKind;
    use crate::{NewDraft, Store, StoreKey};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            &dir.path().join("unit.db"),
            "3501000001",
            StoreKey::Raw([7; 32]),
        )
        .unwrap();
        (dir, store)
    }

    #[test]
    fn hire_drafts_are_the_hires_only_with_their_items() {
        let (_dir, mut store) = store();
        let draft = |kind, item| NewDraft {
            kind,
            period: "2026-03".into(),
            item,
        };
        store
            .save_drafts(&[
                draft(
                    DeclarationKind::Hire,
                    json!({"document_no": "11010519491231002X", "name": "张三", "wage": "6500.00"}),
                ),
                draft(DeclarationKind::Leave, json!({"name": "李四"})),
                draft(DeclarationKind::Hire, json!({"name": "王五", "wage": 7000})),
            ])
            .unwrap();
        let hires = store.hire_drafts().unwrap();
        assert_eq!(hires.len(), 2);
        assert_eq!(hires[0].item.document_no, "11010519491231002X");
        assert_eq!(hires[0].item.wage, "6500.00");
        // A number where text belongs still shows what was typed.
        assert_eq!(hires[1].item.name, "王五");
        assert_eq!(hires[1].item.wage, "7000");
    }

    #[test]
    fn a_person_on_the_cached_roster_is_found_by_number() {
        let (_dir, mut store) = store();
        store
            .replace_roster(&[
                json!({"document_no": "11010519491231002X", "name": "张三"}),
                json!({"document_no": "440524188001010014", "name": "李四"}),
            ])
            .unwrap();
        let found = store.roster_person("440524188001010014").unwrap().unwrap();
        assert_eq!(found["name"], "李四");
        assert!(store.roster_person("370101190102039973").unwrap().is_none());
    }
}
