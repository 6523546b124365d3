//! Exact money in fen (分) and contribution rates, with no floating point anywhere.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An amount of yuan, held as whole fen. On the wire it is a decimal string with two places
/// ("6500.00").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("金额为空，请填写")]
    Empty,
    #[error("“{input}”不是金额，请写成 6500 或 6500.00")]
    NotAnAmount { input: String },
    #[error("金额“{input}”最多两位小数（分）")]
    TooManyDecimals { input: String },
    #[error("金额“{input}”太大")]
    TooLarge { input: String },
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub const fn from_yuan(yuan: i64) -> Money {
        Money(yuan * 100)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Parses a non-negative amount: "6500", "6500.5", "6500.00", with surrounding spaces and
    /// thousands separators (",") allowed because spreadsheets put them there.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let trimmed = input.trim();
        // Validation parses a wage per item on the agency's hot path: copy only when a
        // thousands separator must go.
        let s: std::borrow::Cow<'_, str> = if trimmed.contains(',') {
            trimmed.replace(',', "").into()
        } else {
            trimmed.into()
        };
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let not_amount = || MoneyError::NotAnAmount {
            input: input.to_owned(),
        };
        let (whole, fraction) = s.split_once('.').unwrap_or((&s, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return Err(not_amount());
        }
        if fraction.len() > 2 {
            return Err(MoneyError::TooManyDecimals {
                input: input.to_owned(),
            });
        }
        let too_large = || MoneyError::TooLarge {
            input: input.to_owned(),
        };
        // Twelve digits of yuan is far beyond any wage and keeps every product with a rate
        // inside i64.
        if whole.trim_start_matches('0').len() > 12 {
            return Err(too_large());
        }
        let yuan: i64 = whole.parse().map_err(|_| too_large())?;
        let fen: i64 = match fraction.len() {
            0 => 0,
            1 => i64::from(fraction.as_bytes()[0] - b'0') * 10,
            _ => fraction.parse().map_err(|_| not_amount())?,
        };
        Ok(Money(yuan * 100 + fen))
    }

    /// This amount times `rate`, rounded half up to the fen, the way contribution shares are
    /// computed per person and insurance type.
    pub fn times(self, rate: Rate) -> Money {
        let product = i128::from(self.0) * i128::from(rate.0);
        let scale = i128::from(Rate::SCALE);
        let rounded = (product + scale / 2).div_euclid(scale);
        Money(i64::try_from(rounded).unwrap_or(i64::MAX))
    }

    pub fn clamp_to(self, lower: Money, upper: Money) -> Money {
        self.max(lower).min(upper)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl TryFrom<String> for Money {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Money, MoneyError> {
        Money::parse(&s)
    }
}

impl From<Money> for String {
    fn from(m: Money) -> String {
        m.to_string()
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// A contribution rate, exact to one millionth ("0.16", "0.007", "0.0045").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Rate(u32);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("“{input}”不是费率，请写成 0 到 1 之间的小数，如 0.16，最多六位小数")]
pub struct RateError {
    pub input: String,
}

impl Rate {
    const SCALE: u32 = 1_000_000;
    const DECIMALS: usize = 6;

    pub const fn from_millionths(millionths: u32) -> Rate {
        Rate(millionths)
    }

    pub fn parse(input: &str) -> Result<Rate, RateError> {
        let error = || RateError {
            input: input.to_owned(),
        };
        let s = input.trim();
        let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return Err(error());
        }
        if fraction.len() > Self::DECIMALS {
            return Err(error());
        }
        let whole: u32 = match whole.trim_start_matches('0') {
            "" => 0,
            "1" => 1,
            _ => return Err(error()),
        };
        let mut millionths = 0u32;
        for (i, b) in fraction.bytes().enumerate() {
            millionths += u32::from(b - b'0') * 10u32.pow((Self::DECIMALS - 1 - i) as u32);
        }
        let value = whole * Self::SCALE + millionths;
        if value > Self::SCALE {
            return Err(error());
        }
        Ok(Rate(value))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / Self::SCALE;
        let fraction = format!("{:06}", self.0 % Self::SCALE);
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            write!(f, "{whole}")
        } else {
            write!(f, "{whole}.{fraction}")
        }
    }
}

impl TryFrom<String> for Rate {
    type Error = RateError;
    fn try_from(s: String) -> Result<Rate, RateError> {
        Rate::parse(&s)
    }
}

impl From<Rate> for String {
    fn from(r: Rate) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_as_clerks_write_them() {
        assert_eq!(Money::parse("6500").unwrap().fen(), 650_000);
        assert_eq!(Money::parse("6500.5").unwrap().fen(), 650_050);
        assert_eq!(Money::parse(" 6,500.05 ").unwrap().fen(), 650_005);
        assert_eq!(Money::parse("6500.00").unwrap().to_string(), "6500.00");
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert!(matches!(
            Money::parse("-5"),
            Err(MoneyError::NotAnAmount { .. })
        ));
        assert!(matches!(
            Money::parse("1.234"),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        assert!(matches!(
            Money::parse("abc"),
            Err(MoneyError::NotAnAmount { .. })
        ));
        assert!(matches!(
            Money::parse(".5"),
            Err(MoneyError::NotAnAmount { .. })
        ));
        assert!(matches!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::TooLarge { .. })
        ));
    }

    #[test]
    fn shares_round_half_up_to_the_fen() {
        let base = Money::parse("4494.00").unwrap();
        assert_eq!(
            base.times(Rate::parse("0.16").unwrap()).to_string(),
            "719.04"
        );
        assert_eq!(
            base.times(Rate::parse("0.007").unwrap()).to_string(),
            "31.46"
        );
        // 4494.50 * 0.003 = 13.4835 -> 13.48; 4495.00 * 0.003 = 13.485 -> 13.49
        assert_eq!(
            Money::parse("4494.50")
                .unwrap()
                .times(Rate::parse("0.003").unwrap())
                .to_string(),
            "13.48"
        );
        assert_eq!(
            Money::parse("4495")
                .unwrap()
                .times(Rate::parse("0.003").unwrap())
                .to_string(),
            "13.49"
        );
    }

    #[test]
    fn rates() {
        assert_eq!(Rate::parse("0.16").unwrap().to_string(), "0.16");
        assert_eq!(Rate::parse("0.0045").unwrap().to_string(), "0.0045");
        assert_eq!(Rate::parse("1").unwrap().to_string(), "1");
        assert_eq!(Rate::parse("0").unwrap().to_string(), "0");
        for bad in ["1.5", "2", "0.1234567", "-0.1", "x", ""] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn money_round_trips_through_its_wire_form(fen in 0i64..100_000_000_000_000) {
            let m = Money::from_fen(fen);
            prop_assert_eq!(Money::parse(&m.to_string()).unwrap(), m);
        }

        #[test]
        fn rate_round_trips(millionths in 0u32..=1_000_000) {
            let r = Rate::from_millionths(millionths);
            prop_assert_eq!(Rate::parse(&r.to_string()).unwrap(), r);
        }
    }
}
