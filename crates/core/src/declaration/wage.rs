//! 工资申报: the annual declaration of a person's average monthly wage of the previous year,
//! from which the contribution base follows.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::base::check_base;
use super::checks;
use crate::validate::{Context, Problem, Problems};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WageItem {
    pub document_type: String,
    pub document_no: String,
    pub name: String,
    /// The year the base is declared for ("2026"); the wage is that of the year before.
    pub year: String,
    pub average_monthly_wage: String,
}

impl WageItem {
    pub fn validate(&self, ctx: &Context<'_>) -> Vec<Problem> {
        let mut p = Problems::default();
        checks::person(
            &mut p,
            ctx,
            &self.document_type,
            &self.document_no,
            &self.name,
        );
        if checks::required(&mut p, "year", "申报年度", &self.year) {
            let this_year = ctx.today.year();
            match self.year.trim().parse::<i32>() {
                Ok(y) if (this_year - 1..=this_year + 1).contains(&y) => {}
                Ok(y) => p.error(
                    "year",
                    "year_out_of_range",
                    format!(
                        "申报年度 {y} 不在可申报的范围 {}–{} 内",
                        this_year - 1,
                        this_year + 1
                    ),
                ),
                Err(_) => p.error(
                    "year",
                    "year_format",
                    format!("申报年度“{}”应为四位年份，如 {this_year}", self.year.trim()),
                ),
            }
        }
        if let Some(wage) = checks::amount(
            &mut p,
            "average_monthly_wage",
            "上年月平均工资",
            &self.average_monthly_wage,
        ) {
            check_base(&mut p, ctx, "average_monthly_wage", wage, ctx.period);
        }
        p.0
    }
}
