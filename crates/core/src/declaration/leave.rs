//! 在职减员: an employee leaves the unit's insurance.

use serde::{Deserialize, Serialize};

use super::checks::{self, present};
use crate::month::Month;
use crate::reference::CodeTable;
use crate::validate::{Context, Problem, Problems};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeaveItem {
    pub document_type: String,
    pub document_no: String,
    pub name: String,
    pub reason: String,
    pub left_on: String,
    /// The first month for which no contribution is due.
    pub stop_month: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl LeaveItem {
    pub fn validate(&self, ctx: &Context<'_>) -> Vec<Problem> {
        let mut p = Problems::default();
        checks::person(
            &mut p,
            ctx,
            &self.document_type,
            &self.document_no,
            &self.name,
        );
        checks::code(&mut p, ctx, "reason", CodeTable::LeaveReasons, &self.reason);
        let left_on = checks::past_date(&mut p, ctx, "left_on", "离职日期", &self.left_on);
        let stop = checks::month(&mut p, "stop_month", "停保年月", &self.stop_month);
        if let (Some(left_on), Some(stop)) = (left_on, stop) {
            let left_month = Month::of(left_on);
            if stop < left_month {
                p.error(
                    "stop_month",
                    "stop_before_leaving",
                    format!("停保年月 {stop} 早于离职日期所在月 {left_month}"),
                );
            } else if stop > left_month.next() {
                p.warning(
                    "stop_month",
                    "stop_long_after_leaving",
                    format!("停保年月 {stop} 距离职日期超过一个月，这期间仍要缴费；请核对"),
                );
            }
        }
        if let Some(remarks) = present(&self.remarks) {
            checks::max_chars(&mut p, "remarks", "备注", remarks, 200);
        }
        p.0
    }
}
