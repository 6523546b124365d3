//! A calendar month ("YYYY-MM"), the unit of contribution periods.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    // Field order makes the derived ordering chronological.
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("“{input}”不是年月，请写成 2026-03 或 202603")]
pub struct MonthError {
    pub input: String,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1000..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        (later.year - self.year) * 12 + later.month as i32 - self.month as i32
    }

    /// Accepts "2026-03", "2026/03", "2026-3" and "202603".
    pub fn parse(input: &str) -> Result<Month, MonthError> {
        let error = || MonthError {
            input: input.to_owned(),
        };
        let s = input.trim();
        let (year, month) = if let Some((y, m)) = s.split_once(['-', '/']) {
            (y, m)
        } else if s.len() == 6 && s.is_ascii() {
            s.split_at(4)
        } else {
            return Err(error());
        };
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !digits(year) || !digits(month) || month.len() > 2 {
            return Err(error());
        }
        let year = year.parse().map_err(|_| error())?;
        let month = month.parse().map_err(|_| error())?;
        Month::new(year, month).ok_or_else(error)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = MonthError;
    fn from_str(s: &str) -> Result<Month, MonthError> {
        Month::parse(s)
    }
}

impl TryFrom<String> for Month {
    type Error = MonthError;
    fn try_from(s: String) -> Result<Month, MonthError> {
        Month::parse(&s)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_clerks_write() {
        for s in ["2026-03", "2026/03", "2026-3", "202603", " 2026-03 "] {
            assert_eq!(Month::parse(s).unwrap().to_string(), "2026-03", "{s}");
        }
        for s in [
            "2026-13", "2026-00", "26-03", "2026", "march", "2026-003", "",
        ] {
            assert!(Month::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn arithmetic() {
        let m = Month::new(2026, 12).unwrap();
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(m.months_until(Month::new(2027, 2).unwrap()), 2);
        assert!(Month::new(2026, 2).unwrap() < Month::new(2026, 10).unwrap());
    }
}
