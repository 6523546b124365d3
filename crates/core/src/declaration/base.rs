//! The contribution base: a declared wage clamped to the limits of the period in force.

use crate::money::Money;
use crate::month::Month;
use crate::reference::Period;
use crate::validate::{Context, Problems};

/// How a declared wage became a contribution base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseAssessment {
    pub declared: Money,
    pub base: Money,
    pub clamp: Option<Clamp>,
}

/// Which limit moved the base, shown to the clerk rather than applied silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clamp {
    RaisedToLower,
    LoweredToUpper,
}

/// The base for a declared wage in `period`.
pub fn assess_base(declared: Money, period: &Period) -> BaseAssessment {
    let base = declared.clamp_to(period.base_lower, period.base_upper);
    let clamp = if declared < period.base_lower {
        Some(Clamp::RaisedToLower)
    } else if declared > period.base_upper {
        Some(Clamp::LoweredToUpper)
    } else {
        None
    };
    BaseAssessment {
        declared,
        base,
        clamp,
    }
}

/// Assesses the wage in `field` against the period in force in `month`, reporting the clamp
/// as a warning and a missing period as an error.
pub(crate) fn check_base(
    problems: &mut Problems,
    ctx: &Context<'_>,
    field: &'static str,
    declared: Money,
    month: Month,
) -> Option<BaseAssessment> {
    let Some(period) = ctx.reference.period_at(month) else {
        problems.error(
            field,
            "no_period",
            format!("参考数据中没有 {month} 的缴费基数上下限；请联网同步参考数据后再核对"),
        );
        return None;
    };
    let assessment = assess_base(declared, period);
    match assessment.clamp {
        Some(Clamp::RaisedToLower) => problems.warning(
            field,
            "base_raised_to_lower",
            format!(
                "{declared} 低于 {month} 的缴费基数下限，按下限 {} 缴费",
                period.base_lower
            ),
        ),
        Some(Clamp::LoweredToUpper) => problems.warning(
            field,
            "base_lowered_to_upper",
            format!(
                "{declared} 高于 {month} 的缴费基数上限，按上限 {} 缴费",
                period.base_upper
            ),
        ),
        None => {}
    }
    Some(assessment)
}
