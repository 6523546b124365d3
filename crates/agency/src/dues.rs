//! A unit's dues per month and insurance type: settled months as stored, other months computed
//! from the unit's roster and the period's rates (owed).

use shebao_core::dues::{Contributor, preview};
use shebao_core::money::Money;
use shebao_core::month::Month;
use shebao_core::reference::ReferenceData;

use crate::storage::{MonthlyDue, RosterEntry, Storage, StorageError};

/// What the roster owes for `month`, per insurance type, unpaid.
pub fn from_roster(
    reference: &ReferenceData,
    roster: &[RosterEntry],
    month: Month,
) -> Vec<MonthlyDue> {
    let month_text = month.to_string();
    let contributors: Vec<Contributor<'_>> = roster
        .iter()
        .filter(|entry| entry.insured_from.as_str() <= month_text.as_str())
        .map(|entry| Contributor {
            declared_wage: Money::from_fen(entry.declared_wage_fen),
            insurance_types: &entry.insurance_types,
        })
        .collect();
    // Months before the first period, or types without a rate, owe nothing that can be billed.
    let Ok(preview) = preview(reference, month, &contributors) else {
        return Vec::new();
    };
    preview
        .by_insurance_type
        .into_iter()
        .map(|(insurance_type, shares)| MonthlyDue {
            month: month_text.clone(),
            insurance_type,
            base_fen: shares.base_total.fen(),
            unit_share_fen: shares.unit_share.fen(),
            personal_share_fen: shares.personal_share.fen(),
            paid: false,
        })
        .collect()
}

/// The dues of `from..=to`, settled or computed.
pub async fn for_range(
    storage: &Storage,
    reference: &ReferenceData,
    unit_id: i64,
    from: Month,
    to: Month,
) -> Result<Vec<MonthlyDue>, StorageError> {
    let settled = storage
        .settled_dues(unit_id, from.to_string(), to.to_string())
        .await?;
    let mut roster: Option<Vec<RosterEntry>> = None;
    let mut out = Vec::new();
    let mut month = from;
    while month <= to {
        let text = month.to_string();
        let stored: Vec<MonthlyDue> = settled
            .iter()
            .filter(|d| d.month == text)
            .cloned()
            .collect();
        if stored.is_empty() {
            if roster.is_none() {
                roster = Some(storage.roster(unit_id).await?);
            }
            out.extend(from_roster(
                reference,
                roster.as_deref().unwrap_or_default(),
                month,
            ));
        } else {
            out.extend(stored);
        }
        month = month.next();
    }
    Ok(out)
}
