//! The dues preview: what a set of people with declared wages would cost the unit and the
//! people in one month, per insurance type, in exact fen.

use std::collections::BTreeMap;

use thiserror::Error;

use crate::declaration::assess_base;
use crate::money::Money;
use crate::month::Month;
use crate::reference::ReferenceData;

/// One insured person as far as the dues are concerned.
#[derive(Debug, Clone, Copy)]
pub struct Contributor<'a> {
    /// The declared wage; the base is this clamped to the period's limits.
    pub declared_wage: Money,
    pub insurance_types: &'a [String],
}

/// Shares of one insurance type, summed over everyone insured for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shares {
    pub people: usize,
    pub base_total: Money,
    pub unit_share: Money,
    pub personal_share: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DuesPreview {
    /// Keyed by insurance type code, in code order.
    pub by_insurance_type: BTreeMap<String, Shares>,
}

impl DuesPreview {
    pub fn unit_total(&self) -> Money {
        self.by_insurance_type.values().map(|s| s.unit_share).sum()
    }

    pub fn personal_total(&self) -> Money {
        self.by_insurance_type
            .values()
            .map(|s| s.personal_share)
            .sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DuesError {
    #[error("参考数据中没有 {month} 的费率；请联网同步参考数据")]
    NoPeriod { month: Month },
    #[error("参考数据中 {month} 起的期间没有险种 {insurance_type} 的费率")]
    NoRate {
        month: Month,
        insurance_type: String,
    },
}

/// The shares for `month`. Each person's share of each type is rounded to the fen on its own,
/// as the agency bills it, and then summed.
pub fn preview(
    reference: &ReferenceData,
    month: Month,
    people: &[Contributor<'_>],
) -> Result<DuesPreview, DuesError> {
    let period = reference
        .period_at(month)
        .ok_or(DuesError::NoPeriod { month })?;
    let mut out = DuesPreview::default();
    for person in people {
        let base = assess_base(person.declared_wage, period).base;
        for code in person.insurance_types {
            let rate = period.rate(code).ok_or_else(|| DuesError::NoRate {
                month: period.from,
                insurance_type: code.clone(),
            })?;
            let shares = out.by_insurance_type.entry(code.clone()).or_default();
            shares.people += 1;
            shares.base_total += base;
            shares.unit_share += base.times(rate.unit_rate);
            shares.personal_share += base.times(rate.personal_rate);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn shares_per_type_with_the_base_clamped() {
        let reference = ReferenceData::demo();
        let month = Month::new(2026, 8).unwrap(); // demo limits 4680.00 – 23400.00
        let all = types(&["110", "210", "310", "410", "510"]);
        let injury_only = types(&["410"]);
        let people = [
            Contributor {
                declared_wage: Money::from_yuan(3000),
                insurance_types: &all,
            },
            Contributor {
                declared_wage: Money::from_yuan(10000),
                insurance_types: &all,
            },
            Contributor {
                declared_wage: Money::from_yuan(50000),
                insurance_types: &injury_only,
            },
        ];
        let dues = preview(&reference, month, &people).unwrap();
        let pension = dues.by_insurance_type["110"];
        assert_eq!(pension.people, 2);
        // 4680.00 (raised to the lower limit) + 10000.00
        assert_eq!(pension.base_total.to_string(), "14680.00");
        assert_eq!(pension.unit_share.to_string(), "2348.80");
        assert_eq!(pension.personal_share.to_string(), "1174.40");
        let injury = dues.by_insurance_type["410"];
        assert_eq!(injury.people, 3);
        // 4680 + 10000 + 23400 (lowered to the upper limit) at 0.005
        assert_eq!(injury.unit_share.to_string(), "190.40");
        assert_eq!(injury.personal_share, Money::ZERO);
        assert_eq!(
            dues.unit_total(),
            dues.by_insurance_type.values().map(|s| s.unit_share).sum()
        );
    }

    #[test]
    fn missing_period_or_rate_is_an_error() {
        let reference = ReferenceData::demo();
        let early = Month::new(2000, 1).unwrap();
        assert_eq!(
            preview(&reference, early, &[]),
            Err(DuesError::NoPeriod { month: early })
        );
        let unknown = types(&["999"]);
        let people = [Contributor {
            declared_wage: Money::from_yuan(5000),
            insurance_types: &unknown,
        }];
        assert!(matches!(
            preview(&reference, Month::new(2026, 8).unwrap(), &people),
            Err(DuesError::NoRate { .. })
        ));
    }
}
