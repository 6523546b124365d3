//! Checking drafts offline with the rules of `shebao-core` against the cached reference data,
//! the same rules the agency applies when the declaration arrives.

use std::collections::BTreeMap;

use rusqlite::params;
use shebao_core::declaration::{Items, NewDeclaration};
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;
use shebao_core::validate::Context;

use crate::drafts::{Draft, DraftId, DraftProblem};
use crate::error::{Result, StoreError};
use crate::model::DeclarationKind;
use crate::store::Store;

/// What checking the drafts found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftCheck {
    /// Drafts checked.
    pub checked: usize,
    /// Drafts with at least one error (they would be refused).
    pub with_errors: usize,
    /// Drafts with warnings only.
    pub with_warnings: usize,
    /// `false` when no reference data is cached yet, so nothing could be checked.
    pub reference_available: bool,
}

impl Store {
    /// Check the drafts (of `kind`, or all) as they would be declared, one declaration per kind
    /// and period, and record each draft's problems on it (one transaction). `today` is the
    /// date that decides what lies in the future.
    pub fn check_drafts(
        &mut self,
        kind: Option<DeclarationKind>,
        today: chrono::NaiveDate,
    ) -> Result<DraftCheck> {
        let Some((_, body)) = self.reference()? else {
            return Ok(DraftCheck::default());
        };
        let reference =
            ReferenceData::from_json(&body.to_string()).map_err(|e| StoreError::NotFound {
                what: format!("Usable reference data ({e}); run `shebao reference`"),
            })?;
        let mut groups: BTreeMap<(DeclarationKind, String), Vec<Draft>> = BTreeMap::new();
        for d in self.drafts(kind)? {
            groups
                .entry((d.kind, d.period.clone()))
                .or_default()
                .push(d);
        }
        let mut found: Vec<(DraftId, Vec<DraftProblem>)> = Vec::new();
        let mut check = DraftCheck {
            reference_available: true,
            ..DraftCheck::default()
        };
        for ((kind, period), drafts) in groups {
            check.checked += drafts.len();
            let problems = check_group(&reference, today, kind, &period, &drafts);
            for (draft, list) in drafts.iter().zip(problems) {
                if list.iter().any(|(error, _)| *error) {
                    check.with_errors += 1;
                } else if !list.is_empty() {
                    check.with_warnings += 1;
                }
                found.push((draft.id, list.into_iter().map(|(_, p)| p).collect()));
            }
        }
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare_cached("UPDATE drafts SET problems = ?2 WHERE id = ?1")?;
            for (id, list) in &found {
                let text = if list.is_empty() {
                    None
                } else {
                    Some(serde_json::to_string(list)?)
                };
                update.execute(params![id, text])?;
            }
        }
        tx.commit()?;
        Ok(check)
    }
}

/// The problems of each draft of one group, in draft order: (is an error, problem).
fn check_group(
    reference: &ReferenceData,
    today: chrono::NaiveDate,
    kind: DeclarationKind,
    period: &str,
    drafts: &[Draft],
) -> Vec<Vec<(bool, DraftProblem)>> {
    let mut out: Vec<Vec<(bool, DraftProblem)>> = vec![Vec::new(); drafts.len()];
    let whole = |code: &str, message: String| DraftProblem {
        field: String::new(),
        code: code.to_owned(),
        message,
    };
    let Ok(month) = Month::parse(period) else {
        for list in &mut out {
            list.push((
                true,
                whole(
                    "bad_period",
                    format!("申报所属期 {period} 不是有效的年月（YYYY-MM）"),
                ),
            ));
        }
        return out;
    };
    let items_json = format!(
        "[{}]",
        drafts
            .iter()
            .map(|d| d.item.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let items = match Items::from_json(kind, &items_json) {
        Ok(items) => items,
        Err(_) => {
            // Find the drafts whose shape is wrong (a number where text belongs, …).
            for (d, list) in drafts.iter().zip(out.iter_mut()) {
                if let Err(e) = Items::from_json(kind, &format!("[{}]", d.item)) {
                    list.push((true, whole("bad_shape", format!("内容格式不正确：{e}"))));
                }
            }
            return out;
        }
    };
    let declaration = NewDeclaration {
        period: month,
        items,
    };
    let ctx = Context {
        reference,
        today,
        period: month,
    };
    for p in declaration.validate(&ctx) {
        if let Some(list) = p.item.checked_sub(1).and_then(|i| out.get_mut(i)) {
            list.push((
                p.problem.is_error(),
                DraftProblem {
                    field: p.problem.field.to_string(),
                    code: p.problem.code.to_owned(),
                    message: p.problem.message,
                },
            ));
        }
    }
    out
}
